//! `.evtx` files, parsed from memory by the `evtx` crate into the XML it renders, then read as
//! any event XML — so an `.evtx` and its XML export give the same `winlog` objects.

use crate::record::Winlog;
use crate::RecordError;

/// Where chunks start, and how long each is.
const FILE_HEADER: usize = 4096;
const CHUNK: usize = 64 * 1024;

/// Every record of the `.evtx` file in `bytes`, read or reported. Space without a chunk's
/// signature (never written, or slack left by Windows) is no chunk, and not an error.
pub fn read(bytes: Vec<u8>) -> Vec<Result<Winlog, RecordError>> {
    let unused: Vec<u64> = bytes
        .get(FILE_HEADER..)
        .unwrap_or_default()
        .chunks(CHUNK)
        .enumerate()
        .filter(|(_, chunk)| !chunk.starts_with(b"ElfChnk\0"))
        .map(|(i, _)| i as u64)
        .collect();
    let settings = evtx::ParserSettings::new().num_threads(1);
    let mut parser = match evtx::EvtxParser::from_buffer(bytes) {
        Ok(parser) => parser.with_configuration(settings),
        Err(e) => return vec![Err(RecordError { record_id: None, line: 0, message: format!("not a readable .evtx file: {e}") })],
    };
    parser
        .records()
        .filter_map(|record| match record {
            Ok(r) => Some(crate::xml::event(&r.data).map_err(|message| RecordError { record_id: Some(r.event_record_id), line: 0, message })),
            Err(evtx::err::EvtxError::FailedToParseChunk { chunk_id, .. }) if unused.contains(&chunk_id) => None,
            Err(e) => Some(Err(RecordError { record_id: failed_record(&e), line: 0, message: e.to_string() })),
        })
        .collect()
}

fn failed_record(e: &evtx::err::EvtxError) -> Option<u64> {
    match e {
        evtx::err::EvtxError::FailedToParseRecord { record_id, .. } => Some(*record_id),
        _ => None,
    }
}

//! The text files of a zip archive: what exercise packs and rule packs are handed out as. A zip
//! is someone else's file, so what it unpacks to is bounded, names never leave the archive,
//! and the junk archivers add (`__MACOSX/`, `._` files, folders) is left out.

use std::collections::BTreeMap;
use std::io::Read;

/// Whether `bytes` start like a zip archive (a local file header, or an empty archive's end).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// Every file of the archive that is UTF-8 text, by its `/`-separated path. Fails when the
/// archive is unreadable or its files add up to more than `max_unpacked` bytes.
pub fn text_files(bytes: &[u8], max_unpacked: u64) -> Result<BTreeMap<String, String>, String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| format!("not a readable zip: {e}"))?;
    let mut files = BTreeMap::new();
    let mut total = 0u64;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(|e| format!("entry {i}: {e}"))?;
        let Some(name) = entry.enclosed_name().and_then(|p| p.to_str().map(|s| s.replace('\\', "/"))) else { continue };
        if entry.is_dir() || name.starts_with("__MACOSX/") || name.rsplit('/').next().is_some_and(|f| f.starts_with("._")) {
            continue;
        }
        let mut data = Vec::new();
        let budget = max_unpacked - total;
        entry.by_ref().take(budget + 1).read_to_end(&mut data).map_err(|e| format!("{name}: {e}"))?;
        total += data.len() as u64;
        if total > max_unpacked {
            return Err(format!("the zip unpacks to more than {} MB", max_unpacked / 1024 / 1024));
        }
        if let Ok(text) = String::from_utf8(data) {
            files.insert(name, text);
        }
    }
    Ok(files)
}

/// A zip of `entries`, deflated (for tests of the crates that read zips).
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        if out.start_file(*name, options).and_then(|_| out.write_all(data).map_err(Into::into)).is_err() {
            break;
        }
    }
    out.finish().map(|c| c.into_inner()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_files_come_out_and_junk_stays_in() {
        let zip = zip_of(&[
            ("rules/a.toml", b"[rule]\n"),
            ("__MACOSX/rules/._a.toml", b"\0\x05junk"),
            ("rules/._b.toml", b"junk"),
            ("rules/logo.png", b"\x89PNG\xff\xfe"),
        ]);
        assert!(is_zip(&zip));
        let files = text_files(&zip, 1 << 20).expect("opens");
        assert_eq!(files.keys().collect::<Vec<_>>(), ["rules/a.toml"]);
    }

    #[test]
    fn a_broken_zip_is_an_error() {
        assert!(text_files(b"PK\x03\x04 not really", 1 << 20).is_err());
        assert!(!is_zip(b"[rule]"));
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let big = vec![b'a'; (1 << 20) + 1];
        let zip = zip_of(&[("a.toml", &big)]);
        assert!(zip.len() < 64 * 1024, "deflated to {}", zip.len());
        assert!(text_files(&zip, 1 << 20).is_err_and(|e| e.contains("more than 1 MB")));
    }
}

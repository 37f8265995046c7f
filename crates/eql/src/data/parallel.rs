//! Reading a large NDJSON input on several threads: the text is cut at line ends into one
//! part per thread, each part is read by its own [`Reader::fork`], and the parts' datasets are
//! appended in input order. Line numbers, offsets, errors and event order come out exactly as
//! a single-threaded read gives them (`reader_tests.rs` compares the two).
//!
//! On wasm32 (the browser's worker) there are no threads: everything is read in place.

use super::reader::Reader;

/// Below this many bytes per part, starting threads costs more than it saves.
const MIN_PART_BYTES: usize = 1 << 20;

/// At most this many threads by default, however many cores there are: the reader is
/// memory-bound beyond.
const MAX_THREADS: usize = 8;

/// At most this many threads when asked for more ([`Reader::set_threads`]).
pub(super) const MAX_THREADS_ASKED: usize = 64;

pub(super) fn default_threads() -> usize {
    if cfg!(target_arch = "wasm32") {
        return 1;
    }
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(MAX_THREADS)
}

/// Reads all of `text` as NDJSON into `reader`, on up to `reader`'s thread count.
pub(super) fn add_ndjson(reader: &mut Reader, input: u32, text: &str) {
    // No threads in the browser, whatever was asked for.
    let threads = if cfg!(target_arch = "wasm32") { 1 } else { reader.threads() };
    let parts = split_lines(text, threads);
    if parts.len() <= 1 {
        reader.add_ndjson_lines(input, text, 0, text.len(), 1);
        return;
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        // Each thread reads its part into its own fork of this empty copy of the reader.
        let template = reader.fork();
        let template = &template;
        let read = move |part: Part| {
            let mut fork = template.fork();
            fork.add_ndjson_lines(input, text, part.from, part.to, part.first_line);
            fork
        };
        let done = std::thread::scope(|scope| {
            let handles: Vec<_> = parts[1..]
                .iter()
                .map(|&part| std::thread::Builder::new().spawn_scoped(scope, move || read(part)).map_err(|_| part))
                .collect();
            let first = parts[0];
            reader.add_ndjson_lines(input, text, first.from, first.to, first.first_line);
            handles
                .into_iter()
                .map(|handle| match handle {
                    Ok(thread) => thread.join(),
                    // A part the system would not give a thread to is read here, in its turn.
                    Err(part) => Ok(read(part)),
                })
                .collect::<Vec<_>>()
        });
        for fork in done {
            match fork {
                Ok(fork) => reader.append(fork),
                // Reading does not panic on any input; should it, the panic is not swallowed.
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
    }
}

/// A run of whole lines: bytes `from..to` of the text, the first one numbered `first_line`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
struct Part {
    from: usize,
    to: usize,
    first_line: u32,
}

/// Cuts `text` into at most `threads` parts of about equal size, each ending just after a
/// `\n` (the last at the end of the text, unless that would leave it empty).
fn split_lines(text: &str, threads: usize) -> Vec<Part> {
    let count = threads.min(text.len() / MIN_PART_BYTES).max(1);
    let bytes = text.as_bytes();
    let mut parts = Vec::with_capacity(count);
    let (mut from, mut first_line) = (0usize, 1u32);
    for k in 1..count {
        let target = (text.len() / count * k).max(from);
        let Some(nl) = memchr::memchr(b'\n', &bytes[target..]) else { break };
        let to = target + nl + 1;
        parts.push(Part { from, to, first_line });
        let lines = memchr::memchr_iter(b'\n', &bytes[from..to]).count();
        first_line = first_line.saturating_add(u32::try_from(lines).unwrap_or(u32::MAX));
        from = to;
    }
    // Nothing left after the last cut (the text ends with it): no empty part.
    if from < text.len() || parts.is_empty() {
        parts.push(Part { from, to: text.len(), first_line });
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_cover_the_text_in_whole_lines_with_their_numbers() {
        let line = "{\"a\":1}\n";
        let text = line.repeat(3 * MIN_PART_BYTES / line.len() + 5);
        let parts = split_lines(&text, 3);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].from, 0);
        assert_eq!(parts[2].to, text.len());
        for w in parts.windows(2) {
            assert_eq!(w[0].to, w[1].from);
            assert_eq!(text.as_bytes()[w[0].to - 1], b'\n');
            let lines_before = text[..w[1].from].matches('\n').count() as u32;
            assert_eq!(w[1].first_line, lines_before + 1);
        }
    }

    #[test]
    fn small_texts_and_one_long_line_stay_in_one_part() {
        assert_eq!(split_lines("{}\n{}\n", 8), vec![Part { from: 0, to: 6, first_line: 1 }]);
        let long = "x".repeat(3 * MIN_PART_BYTES);
        assert_eq!(split_lines(&long, 4).len(), 1);
        // One long line and its newline: the cut lands at the end, and no empty part follows.
        let long_line = long + "\n";
        assert_eq!(split_lines(&long_line, 4), vec![Part { from: 0, to: long_line.len(), first_line: 1 }]);
        assert_eq!(split_lines("", 4), vec![Part { from: 0, to: 0, first_line: 1 }]);
    }
}

//! Reading files (or stdin for `-`) whole, as text.

use std::io::Read;

/// The path as shown in messages: stdin is `<stdin>`.
pub fn display_name(path: &str) -> &str {
    if path == "-" {
        "<stdin>"
    } else {
        path
    }
}

/// A file's text. Bytes that are not UTF-8 are replaced by U+FFFD and `lossy` is set.
pub struct Text {
    pub text: String,
    pub lossy: bool,
}

/// The bytes of `path` (`-` for stdin).
fn read_bytes(path: &str) -> std::io::Result<Vec<u8>> {
    if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    }
}

/// Reads `path` (`-` for stdin).
pub fn read(path: &str) -> std::io::Result<Text> {
    Ok(text_of(read_bytes(path)?))
}

fn text_of(bytes: Vec<u8>) -> Text {
    match String::from_utf8(bytes) {
        Ok(text) => Text { text, lossy: false },
        Err(e) => Text {
            text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            lossy: true,
        },
    }
}

/// Reads event file `path`: NDJSON as it is, or a Windows event log (`.evtx`, event XML,
/// winlogbeat NDJSON) converted to ECS, its unreadable records reported on stderr.
pub fn read_events(path: &str) -> Result<String, String> {
    let bytes = read_bytes(path).map_err(|e| format!("{}: error: cannot read: {e}", display_name(path)))?;
    match winlog::detect(&bytes) {
        Some(format) => {
            let converted = convert(path, bytes, format, &winlog::Options::default())?;
            Ok(converted.ndjson())
        }
        None => Ok(checked_text(path, text_of(bytes))),
    }
}

/// Reads and converts the Windows event log at `path`; `None` when it is not one (and no
/// `format` says it is).
pub fn windows_events(path: &str, format: Option<winlog::Format>, options: &winlog::Options) -> Result<Option<winlog::Conversion>, String> {
    let bytes = read_bytes(path).map_err(|e| format!("{}: error: cannot read: {e}", display_name(path)))?;
    match format.or_else(|| winlog::detect(&bytes)) {
        Some(format) => convert(path, bytes, format, options).map(Some),
        None => Ok(None),
    }
}

/// Converts, and reports each record that could not be read and the ids kept generic.
fn convert(path: &str, bytes: Vec<u8>, format: winlog::Format, options: &winlog::Options) -> Result<winlog::Conversion, String> {
    let name = display_name(path);
    let converted = winlog::convert(bytes, format, options).map_err(|e| format!("{name}: error: {e}"))?;
    for e in &converted.errors {
        report!("{name}: {e}; skipped");
    }
    for ((channel, id), n) in &converted.generic {
        report!("{name}: note: {n} events of {channel} id {id} have no ECS mapping; kept with the generic fields");
    }
    Ok(converted)
}

/// Reads `path` and reports lossy UTF-8 conversion on stderr. The error is a message naming
/// the file.
pub fn read_reporting(path: &str) -> Result<String, String> {
    let t = read(path).map_err(|e| format!("{}: error: cannot read: {e}", display_name(path)))?;
    Ok(checked_text(path, t))
}

fn checked_text(path: &str, t: Text) -> String {
    if t.lossy {
        report!(
            "{}: warning: the file is not valid UTF-8; invalid bytes were replaced with U+FFFD",
            display_name(path)
        );
    }
    t.text
}

/// The lower-case extension of a path, without the dot.
pub fn extension(path: &str) -> String {
    std::path::Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

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

/// Reads `path` (`-` for stdin).
pub fn read(path: &str) -> std::io::Result<Text> {
    let bytes = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin().lock().read_to_end(&mut buf).map(|_| buf)
    } else {
        std::fs::read(path)
    }?;
    Ok(match String::from_utf8(bytes) {
        Ok(text) => Text { text, lossy: false },
        Err(e) => Text {
            text: String::from_utf8_lossy(e.as_bytes()).into_owned(),
            lossy: true,
        },
    })
}

/// Reads `path` and reports lossy UTF-8 conversion on stderr. The error is a message naming
/// the file.
pub fn read_reporting(path: &str) -> Result<String, String> {
    let t = read(path).map_err(|e| format!("{}: error: cannot read: {e}", display_name(path)))?;
    if t.lossy {
        report!(
            "{}: warning: the file is not valid UTF-8; invalid bytes were replaced with U+FFFD",
            display_name(path)
        );
    }
    Ok(t.text)
}

/// The lower-case extension of a path, without the dot.
pub fn extension(path: &str) -> String {
    std::path::Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

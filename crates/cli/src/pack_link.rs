//! Pack links: `#p=` + base64url(deflate-raw(the pack's files as JSON)) — the format the page's
//! `web/share.js` reads with the browser's own `DecompressionStream`.

use exercises::PackFiles;
use std::io::Write;

/// The URL fragment that opens `files` in the page's Learn tab.
pub fn pack_fragment(files: &PackFiles) -> String {
    use base64::Engine;
    let json = serde_json::to_vec(files).unwrap_or_default();
    let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = deflate.write_all(&json);
    let bytes = deflate.finish().unwrap_or_default();
    format!("#p={}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use std::io::Read;

    #[test]
    fn a_fragment_inflates_back_to_the_files() {
        let files = PackFiles::single("p.toml", "[pack]\nid = \"p\" # 中文\n");
        let fragment = pack_fragment(&files);
        let body = fragment.strip_prefix("#p=").expect("prefix");
        assert!(body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{body}");
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(body).expect("base64url");
        let mut json = String::new();
        flate2::read::DeflateDecoder::new(&bytes[..]).read_to_string(&mut json).expect("raw deflate");
        assert_eq!(serde_json::from_str::<PackFiles>(&json).expect("json"), files);
    }
}

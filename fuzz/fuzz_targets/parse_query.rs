//! Any text: parsing, compiling and printing never panic, and errors render.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match eql::parse(text) {
        Ok(query) => {
            let printed = query.to_string();
            let _ = eql::parse(&printed);
            let _ = eql::compile(query, &eql::Settings::default());
        }
        Err(errors) => {
            let _ = eql::syntax::error::render_all(&errors, text);
        }
    }
});

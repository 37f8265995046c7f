//! Any text as an exercise pack (its dataset files are fixed): loading never panics, and every
//! exercise of a pack that loads grades any submission without panicking.
#![no_main]
use libfuzzer_sys::fuzz_target;

const EVENTS: &str = r#"{"@timestamp":"2026-01-01T00:00:00Z","event":{"category":"process","type":"start"},"process":{"name":"a.exe","entity_id":"p"}}
{"@timestamp":"2026-01-01T00:00:01Z","event":{"category":"file","type":"creation"},"process":{"entity_id":"p"},"file":{"extension":"exe"}}
"#;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let read = |_: &str| Ok(EVENTS.to_string());
    let Ok(pack) = exercises::load(text, "fuzz.toml", &read) else { return };
    let _ = exercises::validate(&pack, text, "fuzz.toml");
    for ex in &pack.pack.exercises {
        for submission in [exercises::Submission::Query(text.to_string()), exercises::Submission::Answer(text.to_string())] {
            let options = exercises::Options { lang: "zh".into(), hints_taken: 3, details: true };
            let _ = exercises::check(&pack, ex.id.get_ref(), &submission, &options);
        }
    }
});

//! Any bytes as events: reading NDJSON / JSON arrays / search responses, running a sequence
//! over them and explaining its near misses never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

const QUERY: &str = r#"sequence by host.id with maxspan=1m
  [any where process.name : ("a*", "b") and not x.y in (1, "2")] by ?user.name
  ![any where length(z) > 1] by ?user.name
  [file where event.type == "creation"] by ?user.name"#;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(plan) = eql::compile_text(QUERY, &eql::Settings::default()) else { return };
    let mut reader = eql::Reader::new(plan.fields.clone());
    reader.add(0, &text, None);
    let dataset = reader.finish();
    let _ = eql::run(&plan, &dataset);
    // The near misses (and what pending partials waited for) walk the same events again.
    if let Ok(bound) = plan.bind(&dataset) {
        let _ = eql::explain::near_misses(&plan, &bound, &dataset, 10);
    }
});

//! Any bytes as a rule pack's file (the page's Rule pack tab and `eqlplay scan --rules` take
//! files and zips from anyone), as a zip, a TOML file and a Kibana export: reading never panics,
//! and every rule read compiles or fails with a message; the same bytes as events, with the
//! pack's exception items applied, run without a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let events = String::from_utf8_lossy(data);
    for name in ["pack.zip", "rule.toml", "export.ndjson"] {
        let mut collection = rules::collection::Collection::default();
        collection.add(name, data.to_vec());
        let pack = rules::pack::Pack::new(collection.rules).with_exceptions(collection.exceptions);
        let mut reader = eql::Reader::new(pack.fields.clone());
        reader.add(0, &events, None);
        let data = reader.finish();
        let hidden = pack.hidden(&[&events], 0);
        let _ = pack.run(&data, &hidden, &mut |_, _| {});
    }
});

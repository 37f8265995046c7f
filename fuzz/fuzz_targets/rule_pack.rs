//! Any bytes as a rule pack's file (the page's Rule pack tab and `eqlplay scan --rules` take
//! files and zips from anyone), as a zip, a TOML file and a Kibana export: reading never panics,
//! and every rule read compiles or fails with a message.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for name in ["pack.zip", "rule.toml", "export.ndjson"] {
        let mut collection = rules::collection::Collection::default();
        collection.add(name, data.to_vec());
        let pack = rules::pack::Pack::new(collection.rules);
        let data = eql::Reader::new(pack.fields.clone()).finish();
        let _ = pack.run(&data, &mut |_, _| {});
    }
});

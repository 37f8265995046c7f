//! Any bytes as a zipped exercise pack (the page's "Exercise pack…" and `eqlplay exercise`
//! take zips from anyone): opening and loading never panic, and never unpack past the limit.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(files) = exercises::PackFiles::from_zip(data) {
        assert!(files.files.values().map(|t| t.len() as u64).sum::<u64>() <= exercises::files::MAX_UNPACKED);
        let _ = files.load("fuzz.zip");
    }
});

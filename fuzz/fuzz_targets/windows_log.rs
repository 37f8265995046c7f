//! Any bytes as a Windows event log (`.evtx`, event XML, winlogbeat NDJSON): the readers and the
//! ECS mapping convert or report, never panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for format in [winlog::Format::Evtx, winlog::Format::Xml, winlog::Format::Winlog] {
        let _ = winlog::convert(data.to_vec(), format, &winlog::Options::default());
    }
});

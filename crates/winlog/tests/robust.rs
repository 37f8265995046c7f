//! Whatever bytes arrive, each reader reads them or reports them: never a panic.

use proptest::prelude::*;

fn convert_all(bytes: Vec<u8>) {
    for format in [winlog::Format::Evtx, winlog::Format::Xml, winlog::Format::Winlog] {
        let _ = winlog::convert(bytes.clone(), format, &winlog::Options::default());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn any_bytes_convert_or_are_reported(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        convert_all(bytes.clone());
        let mut evtx = winlog::EVTX_MAGIC.to_vec();
        evtx.extend(bytes);
        convert_all(evtx);
    }

    #[test]
    fn any_event_xml_reads_or_is_reported(text in "(<Event>|</Event>|<System>|</System>|<EventID>1</EventID>|<EventData>|<Data Name='a'>|</Data>|&amp;|&bogus;|<!--|x| ){0,40}") {
        for read in winlog::xml::read(&text) {
            if let Err(e) = read {
                prop_assert!(!e.message.is_empty());
            }
        }
    }
}

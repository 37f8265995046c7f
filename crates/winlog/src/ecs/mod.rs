//! `Winlog` → ECS. The fields every Windows event gets ([`common`]), then the mapping of its
//! channel and event id ([`sysmon`], [`security`]), then the envelope an agent would add
//! ([`envelope`]). An event id without a mapping keeps the generic fields.

mod common;
pub mod doc;
mod envelope;
pub mod security;
pub mod sysmon;
pub mod text;

pub use envelope::{HostId, Options, SUPPLIED};

use crate::record::Winlog;
use doc::Doc;
use serde_json::Value;

pub const SYSMON_CHANNEL: &str = "Microsoft-Windows-Sysmon/Operational";

/// The ECS event of `w`, and whether a mapping for its id was applied (else only the generic
/// fields are there).
pub fn map(w: &Winlog, options: &Options) -> (Value, bool) {
    let mut doc = Doc::default();
    common::fields(w, &mut doc);
    let dataset = if w.channel.eq_ignore_ascii_case(SYSMON_CHANNEL) {
        "windows.sysmon_operational"
    } else if w.channel.eq_ignore_ascii_case("Security") {
        "system.security"
    } else {
        "windows.forwarded"
    };
    let specific = match dataset {
        "windows.sysmon_operational" => sysmon::map(w, &mut doc),
        "system.security" => security::map(w, &mut doc),
        _ => false,
    };
    envelope::add(w, dataset, options, &mut doc);
    (doc.into_value(), specific)
}

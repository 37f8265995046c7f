//! What an agent adds that no log holds: the host's id and operating system, and the data
//! stream the event was shipped to. The built-in rule joins on `host.id` and checks
//! `host.os.type`, so the playground fills them in — and lists them in `playground.supplied`,
//! so nothing on screen passes them off as read from the log.

use super::doc::Doc;
use crate::record::Winlog;

/// The fields the playground supplies, in the order they are listed.
pub const SUPPLIED: &[&str] = &[
    "host.id",
    "host.hostname",
    "host.os.type",
    "host.os.family",
    "host.os.platform",
    "data_stream.type",
    "data_stream.dataset",
    "data_stream.namespace",
    "event.dataset",
];

/// What `host.id` is made from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum HostId {
    /// The computer name in the log, in lower case (one id per machine, as an agent has).
    #[default]
    ComputerName,
    /// The same value for every event.
    Fixed(String),
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub host_id: HostId,
}

pub(super) fn add(w: &Winlog, dataset: &str, options: &Options, doc: &mut Doc) {
    if !w.computer_name.is_empty() {
        doc.set("host.name", w.computer_name.as_str());
    }
    let host_id = match &options.host_id {
        HostId::ComputerName => w.computer_name.to_lowercase(),
        HostId::Fixed(id) => id.clone(),
    };
    if !host_id.is_empty() {
        doc.set("host.id", host_id);
    }
    if !w.computer_name.is_empty() {
        doc.set("host.hostname", w.computer_name.as_str());
    }
    doc.set("host.os.type", "windows");
    doc.set("host.os.family", "windows");
    doc.set("host.os.platform", "windows");
    doc.set("data_stream.type", "logs");
    doc.set("data_stream.dataset", dataset);
    doc.set("data_stream.namespace", "default");
    doc.set("event.dataset", dataset);
    let supplied: Vec<&str> = SUPPLIED.iter().copied().filter(|f| doc.get(f).is_some()).collect();
    doc.set("playground.supplied", supplied);
}

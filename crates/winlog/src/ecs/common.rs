//! The fields every Windows event gets, from its `<System>` part: times, codes, the provider,
//! the level, and the `winlog.*` object itself.

use super::doc::Doc;
use super::text;
use crate::record::Winlog;

pub(super) fn fields(w: &Winlog, doc: &mut Doc) {
    let created = w.time_created.as_deref().and_then(text::timestamp);
    // Sysmon's own UTC time of the activity wins over the time the record was written.
    let at = w.data("UtcTime").and_then(text::timestamp).or_else(|| created.clone());
    doc.text("@timestamp", at.as_deref());
    doc.text("event.created", created.as_deref());
    doc.set("event.code", w.event_id.to_string());
    doc.set("event.kind", "event");
    if !w.provider_name.is_empty() {
        doc.set("event.provider", w.provider_name.as_str());
    }
    doc.text("log.level", w.level.as_deref());
    doc.text("message", w.message.as_deref());
    doc.text("user.id", w.user_identifier.as_deref());

    doc.set("winlog.channel", w.channel.as_str());
    doc.set("winlog.computer_name", w.computer_name.as_str());
    doc.set("winlog.event_id", w.event_id.to_string());
    doc.text("winlog.record_id", w.record_id.map(|r| r.to_string()).as_deref());
    doc.set("winlog.provider_name", w.provider_name.as_str());
    doc.text("winlog.provider_guid", w.provider_guid.as_deref());
    if let Some(v) = w.version {
        doc.set("winlog.version", v);
    }
    doc.text("winlog.opcode", w.opcode.as_deref());
    doc.text("winlog.task", w.task.as_deref());
    if let Some(pid) = w.process_pid {
        doc.set("winlog.process.pid", pid);
    }
    if let Some(tid) = w.thread_id {
        doc.set("winlog.process.thread.id", tid);
    }
    doc.text("winlog.user.identifier", w.user_identifier.as_deref());
    if !w.event_data.is_empty() {
        doc.set("winlog.event_data", w.event_data.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect::<serde_json::Map<_, _>>());
    }
    if !w.user_data.is_empty() {
        doc.set("winlog.user_data", w.user_data.iter().map(|(k, v)| (k.clone(), v.clone().into())).collect::<serde_json::Map<_, _>>());
    }
}

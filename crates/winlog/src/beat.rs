//! winlogbeat / Elastic Agent NDJSON that still has `winlog.*` but no ECS mapping: each line's
//! `winlog` object (with `@timestamp`, `log.level` and `message` beside it) read back into a
//! [`Winlog`].

use crate::record::{normalize_guid, Winlog};
use serde_json::Value;

/// Whether a parsed line is a winlogbeat document still to be mapped (it has `winlog.event_id`
/// and no `event.category` yet).
pub fn is_unmapped(doc: &Value) -> bool {
    doc.pointer("/winlog/event_id").is_some() && doc.pointer("/event/category").is_none()
}

/// The [`Winlog`] of one winlogbeat document.
pub fn winlog(doc: &Value) -> Result<Winlog, String> {
    let w = doc.get("winlog").and_then(Value::as_object).ok_or("no `winlog` object")?;
    let text = |v: Option<&Value>| match v {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        _ => None,
    };
    let number = |v: Option<&Value>| text(v).and_then(|t| t.trim().parse::<u64>().ok());
    let map = |v: Option<&Value>| {
        v.and_then(Value::as_object)
            .map(|m| m.iter().filter_map(|(k, v)| text(Some(v)).map(|t| (k.clone(), normalize_guid(&t)))).collect())
            .unwrap_or_default()
    };
    let event_id = number(w.get("event_id")).ok_or("`winlog.event_id` is not a number")?;
    Ok(Winlog {
        channel: text(w.get("channel")).unwrap_or_default(),
        computer_name: text(w.get("computer_name")).unwrap_or_default(),
        record_id: number(w.get("record_id")),
        provider_name: text(w.get("provider_name")).unwrap_or_default(),
        provider_guid: text(w.get("provider_guid")).map(|g| normalize_guid(&g)),
        event_id: u32::try_from(event_id).map_err(|_| "`winlog.event_id` is out of range")?,
        version: number(w.get("version")).and_then(|v| u32::try_from(v).ok()),
        level: text(doc.pointer("/log/level")).map(|l| l.to_lowercase()),
        opcode: text(w.get("opcode")),
        task: text(w.get("task")),
        keywords: keywords(w.get("keywords")),
        time_created: text(w.get("time_created")).or_else(|| text(doc.get("@timestamp"))),
        process_pid: number(doc.pointer("/winlog/process/pid")),
        thread_id: number(doc.pointer("/winlog/process/thread/id")),
        user_identifier: text(doc.pointer("/winlog/user/identifier")),
        event_data: map(w.get("event_data")),
        user_data: map(w.get("user_data")),
        message: text(doc.get("message")),
    })
}

/// winlogbeat's rendered keyword names, as far as they carry the audit outcome.
fn keywords(v: Option<&Value>) -> Option<u64> {
    let names = v?.as_array()?;
    let bit = |name: &str| names.iter().any(|n| n.as_str().is_some_and(|n| n.eq_ignore_ascii_case(name)));
    let mut mask = 0;
    if bit("Audit Success") {
        mask |= crate::record::AUDIT_SUCCESS;
    }
    if bit("Audit Failure") {
        mask |= crate::record::AUDIT_FAILURE;
    }
    Some(mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_winlogbeat_line_reads_back_with_booleans_and_numbers_as_text() {
        let doc: Value = serde_json::json!({
            "@timestamp": "2020-10-27T20:00:14.324Z",
            "log": {"level": "Information"},
            "winlog": {"channel": "Microsoft-Windows-Sysmon/Operational", "computer_name": "vagrant", "record_id": 20,
                       "event_id": "3", "provider_name": "Microsoft-Windows-Sysmon", "opcode": "Info",
                       "event_data": {"Initiated": true, "DestinationPort": 443, "ProcessGuid": "{9F32B55F-7C4E-5F98-5803-000000000500}"}}
        });
        assert!(is_unmapped(&doc));
        let w = winlog(&doc).expect("reads");
        assert_eq!((w.event_id, w.record_id, w.level.as_deref()), (3, Some(20), Some("information")));
        assert_eq!((w.event_data["Initiated"].as_str(), w.event_data["DestinationPort"].as_str()), ("true", "443"));
        assert_eq!(w.event_data["ProcessGuid"], "{9f32b55f-7c4e-5f98-5803-000000000500}");
        assert_eq!(w.time_created.as_deref(), Some("2020-10-27T20:00:14.324Z"));
    }

    #[test]
    fn mapped_documents_and_non_events_are_not_winlog() {
        assert!(!is_unmapped(&serde_json::json!({"winlog": {"event_id": 1}, "event": {"category": ["process"]}})));
        assert!(winlog(&serde_json::json!({"winlog": {"event_id": "x"}})).is_err());
    }
}

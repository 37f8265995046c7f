//! The one shape every reader produces: a Windows event as winlogbeat describes it (`winlog.*`),
//! before any ECS mapping.

use std::collections::BTreeMap;

/// A Windows event log record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Winlog {
    pub channel: String,
    pub computer_name: String,
    pub record_id: Option<u64>,
    pub provider_name: String,
    /// In Windows' rendering: lower case, in braces.
    pub provider_guid: Option<String>,
    pub event_id: u32,
    pub version: Option<u32>,
    /// The level's name in lower case, as winlogbeat writes `log.level` (`information`).
    pub level: Option<String>,
    /// The opcode's name (`Info`), as winlogbeat writes `winlog.opcode`.
    pub opcode: Option<String>,
    /// The keywords bit mask (`0x8020000000000000`); audit success and failure live in it.
    pub keywords: Option<u64>,
    /// The task's rendered name, when the source had it (Sysmon's `Process Create (rule:
    /// ProcessCreate)`).
    pub task: Option<String>,
    /// RFC 3339, UTC, as written (up to 100 ns).
    pub time_created: Option<String>,
    /// The process and thread that logged the event.
    pub process_pid: Option<u64>,
    pub thread_id: Option<u64>,
    /// The security identifier the event was logged under (`<Security UserID>`).
    pub user_identifier: Option<String>,
    /// `<EventData>`: name → value, booleans as `"true"` / `"false"`.
    pub event_data: BTreeMap<String, String>,
    /// `<UserData>`'s leaf elements: name → value.
    pub user_data: BTreeMap<String, String>,
    /// The rendered message, when the source had it (`<RenderingInfo>`, winlogbeat's `message`).
    pub message: Option<String>,
}

impl Winlog {
    /// An `<EventData>` value, if present and not one that means "none" (empty, `-`, or the
    /// all-zero GUID) — the values Elastic's Sysmon pipeline drops first.
    pub fn data(&self, name: &str) -> Option<&str> {
        self.event_data.get(name).map(|v| v.as_str()).filter(|v| !is_none(v))
    }

    /// An `<EventData>` value as written (Security events keep `-`).
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.event_data.get(name).map(|v| v.as_str())
    }

    /// `success` or `failure` from the audit keywords, as winlogbeat sets `event.outcome`.
    pub fn audit_outcome(&self) -> Option<&'static str> {
        let k = self.keywords?;
        if k & AUDIT_FAILURE != 0 {
            Some("failure")
        } else if k & AUDIT_SUCCESS != 0 {
            Some("success")
        } else {
            None
        }
    }
}

pub const AUDIT_SUCCESS: u64 = 0x0020_0000_0000_0000;
pub const AUDIT_FAILURE: u64 = 0x0010_0000_0000_0000;

/// Whether a value means "none" to Elastic's Sysmon pipeline.
pub fn is_none(value: &str) -> bool {
    value.is_empty() || value == "-" || value == "{00000000-0000-0000-0000-000000000000}"
}

/// The name of a numeric level, as Windows renders it (lower case).
pub fn level_name(level: u32) -> Option<&'static str> {
    Some(match level {
        0 | 4 => "information",
        1 => "critical",
        2 => "error",
        3 => "warning",
        5 => "verbose",
        _ => return None,
    })
}

/// The name of one of the standard opcodes (winmeta.xml), as Windows renders it.
pub fn opcode_name(opcode: u32) -> Option<&'static str> {
    Some(match opcode {
        0 => "Info",
        1 => "Start",
        2 => "Stop",
        3 => "DCStart",
        4 => "DCStop",
        5 => "Extension",
        6 => "Reply",
        7 => "Resume",
        8 => "Suspend",
        9 => "Send",
        240 => "Receive",
        _ => return None,
    })
}

/// A GUID as Windows renders it: `{lower-case}`. Any other text is returned as it is.
pub fn normalize_guid(text: &str) -> String {
    let bare = text.trim().trim_start_matches('{').trim_end_matches('}');
    let is_guid = bare.len() == 36
        && bare.char_indices().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { c == '-' } else { c.is_ascii_hexdigit() });
    match is_guid {
        true => format!("{{{}}}", bare.to_ascii_lowercase()),
        false => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_take_windows_form_and_other_text_stays() {
        assert_eq!(normalize_guid("5770385F-C22A-43E0-BF4C-06F5698FFBD9"), "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}");
        assert_eq!(normalize_guid("{9f32b55f-7c4e-5f98-5803-000000000500}"), "{9f32b55f-7c4e-5f98-5803-000000000500}");
        assert_eq!(normalize_guid("not-a-guid"), "not-a-guid");
    }
}

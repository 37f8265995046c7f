//! Windows event XML: Event Viewer's "Save as XML" (`<Events><Event>…</Event>…</Events>`),
//! `wevtutil qe /f:xml` (events back to back), one `<Event>` per line (Splunk's XmlWinEventLog),
//! and what the evtx reader renders. Each `<Event>` is read on its own, so a broken one is
//! reported (with its record id when it can be seen) and the others still load.

use crate::record::{level_name, normalize_guid, opcode_name, Winlog};
use crate::RecordError;
use roxmltree::{Document, Node};

/// Every `<Event>` in `text`, read or reported.
pub fn read(text: &str) -> Vec<Result<Winlog, RecordError>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = next_event(text, from) {
        let line = line_of(text, start);
        let Some(end) = text[start..].find("</Event>").map(|i| start + i + "</Event>".len()) else {
            out.push(Err(RecordError { record_id: record_id_in(&text[start..]), line, message: "an <Event> that never ends".into() }));
            break;
        };
        let chunk = &text[start..end];
        out.push(event(chunk).map_err(|message| RecordError { record_id: record_id_in(chunk), line, message }));
        from = end;
    }
    out
}

/// One `<Event>…</Event>`.
pub fn event(xml: &str) -> Result<Winlog, String> {
    let doc = Document::parse(xml).map_err(|e| format!("not well-formed XML: {e}"))?;
    let root = doc.root_element();
    if root.tag_name().name() != "Event" {
        return Err(format!("<{}> where an <Event> was expected", root.tag_name().name()));
    }
    let mut w = Winlog::default();
    let system = child(root, "System").ok_or("an <Event> without <System>")?;
    for node in system.children().filter(Node::is_element) {
        let text = || node.text().unwrap_or("").trim().to_string();
        match node.tag_name().name() {
            "Provider" => {
                w.provider_name = node.attribute("Name").unwrap_or("").to_string();
                w.provider_guid = node.attribute("Guid").map(normalize_guid);
            }
            "EventID" => w.event_id = text().parse().map_err(|_| format!("EventID {:?} is not a number", text()))?,
            "Version" => w.version = text().parse().ok(),
            "Level" => w.level = text().parse().ok().and_then(level_name).map(String::from),
            "Opcode" => w.opcode = text().parse().ok().and_then(opcode_name).map(String::from),
            "Keywords" => w.keywords = u64::from_str_radix(text().trim_start_matches("0x"), 16).ok(),
            "TimeCreated" => w.time_created = node.attribute("SystemTime").map(String::from),
            "EventRecordID" => w.record_id = text().parse().ok(),
            "Execution" => {
                w.process_pid = node.attribute("ProcessID").and_then(|v| v.parse().ok());
                w.thread_id = node.attribute("ThreadID").and_then(|v| v.parse().ok());
            }
            "Channel" => w.channel = text(),
            "Computer" => w.computer_name = text(),
            "Security" => w.user_identifier = node.attribute("UserID").map(String::from),
            _ => {}
        }
    }
    if let Some(data) = child(root, "EventData") {
        // Unnamed <Data> (classic event sources) are numbered as winlogbeat numbers them.
        for (i, d) in data.children().filter(|n| n.is_element() && n.tag_name().name() == "Data").enumerate() {
            let name = d.attribute("Name").map_or_else(|| format!("param{}", i + 1), String::from);
            w.event_data.insert(name, value(d));
        }
    }
    if let Some(user) = child(root, "UserData").and_then(|u| u.children().find(Node::is_element)) {
        for leaf in user.descendants().filter(|n| n.is_element() && !n.children().any(|c| c.is_element())) {
            w.user_data.insert(leaf.tag_name().name().to_string(), value(leaf));
        }
    }
    if let Some(info) = child(root, "RenderingInfo") {
        let rendered = |name: &str| child(info, name).and_then(|n| n.text()).map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
        w.message = rendered("Message");
        w.task = rendered("Task");
        if let Some(level) = rendered("Level") {
            w.level = Some(level.to_lowercase());
        }
        if let Some(opcode) = rendered("Opcode") {
            w.opcode = Some(opcode);
        }
    }
    Ok(w)
}

/// An element's text, a GUID in Windows' form (readers differ in how they render GUIDs).
fn value(node: Node) -> String {
    let text: String = node.descendants().filter(Node::is_text).filter_map(|t| t.text()).collect();
    normalize_guid(&text)
}

fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|n| n.is_element() && n.tag_name().name() == name)
}

/// The next `<Event` start tag (not `<EventData`, `<EventID` …) at or after `from`.
fn next_event(text: &str, mut from: usize) -> Option<usize> {
    while let Some(i) = text[from..].find("<Event") {
        let at = from + i;
        match text.as_bytes().get(at + "<Event".len()) {
            Some(b'>' | b' ' | b'\t' | b'\r' | b'\n') => return Some(at),
            _ => from = at + 1,
        }
    }
    None
}

/// The record id written in a (possibly broken) event's text, to name it in a report.
fn record_id_in(xml: &str) -> Option<u64> {
    let start = xml.find("<EventRecordID>")? + "<EventRecordID>".len();
    let end = start + xml[start..].find('<')?;
    xml[start..end].trim().parse().ok()
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const SYSMON_1: &str = r#"<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='Microsoft-Windows-Sysmon' Guid='{5770385f-c22a-43e0-bf4c-06f5698ffbd9}'/><EventID>1</EventID><Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords><TimeCreated SystemTime='2020-10-27T20:00:14.324234100Z'/><EventRecordID>20</EventRecordID><Correlation/><Execution ProcessID='7144' ThreadID='6876'/><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>vagrant</Computer><Security UserID='S-1-5-18'/></System><EventData><Data Name='RuleName'>-</Data><Data Name='ProcessGuid'>{9F32B55F-7C4E-5F98-5803-000000000500}</Data><Data Name='CommandLine'>"C:\Windows\notepad.exe" a&amp;b</Data><Data Name='Empty'/></EventData></Event>"#;

    #[test]
    fn an_event_becomes_its_winlog() {
        let w = event(SYSMON_1).expect("reads");
        assert_eq!((w.event_id, w.record_id, w.channel.as_str(), w.computer_name.as_str()), (1, Some(20), "Microsoft-Windows-Sysmon/Operational", "vagrant"));
        assert_eq!((w.level.as_deref(), w.opcode.as_deref(), w.version), (Some("information"), Some("Info"), Some(5)));
        assert_eq!((w.process_pid, w.thread_id, w.user_identifier.as_deref()), (Some(7144), Some(6876), Some("S-1-5-18")));
        assert_eq!(w.event_data["ProcessGuid"], "{9f32b55f-7c4e-5f98-5803-000000000500}");
        assert_eq!(w.event_data["CommandLine"], r#""C:\Windows\notepad.exe" a&b"#);
        assert_eq!((w.event_data["Empty"].as_str(), w.data("RuleName"), w.data("Empty")), ("", None, None));
    }

    #[test]
    fn every_layout_is_read_and_a_broken_event_is_named() {
        let broken = SYSMON_1.replace("<EventRecordID>20", "<EventRecordID>21").replace("</Computer>", "</Computr>");
        let saved = format!("<?xml version=\"1.0\"?>\n<Events>\n{SYSMON_1}\n{broken}\n{SYSMON_1}</Events>");
        let events = read(&saved);
        assert_eq!(events.len(), 3);
        assert!(events[0].is_ok() && events[2].is_ok());
        let e = events[1].as_ref().expect_err("broken");
        assert_eq!((e.record_id, e.line), (Some(21), 4));
        let back_to_back = format!("{SYSMON_1}{SYSMON_1}");
        assert!(read_all_ok(&back_to_back, 2));
        let unterminated = &SYSMON_1[..SYSMON_1.len() - 10];
        assert!(read(unterminated)[0].as_ref().is_err_and(|e| e.message.contains("never ends") && e.record_id == Some(20)));
    }

    fn read_all_ok(text: &str, n: usize) -> bool {
        let r = read(text);
        r.len() == n && r.iter().all(Result::is_ok)
    }

    #[test]
    fn unnamed_data_and_user_data_are_kept() {
        let xml = "<Event><System><EventID>1102</EventID><Channel>Security</Channel></System><UserData><LogFileCleared><SubjectUserName>admin</SubjectUserName></LogFileCleared></UserData><EventData><Data>a</Data><Data>b</Data></EventData></Event>";
        let w = event(xml).expect("reads");
        assert_eq!(w.user_data["SubjectUserName"], "admin");
        assert_eq!((w.event_data["param1"].as_str(), w.event_data["param2"].as_str()), ("a", "b"));
    }
}

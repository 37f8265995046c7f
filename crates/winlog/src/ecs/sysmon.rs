//! Sysmon events (`Microsoft-Windows-Sysmon/Operational`), mapped as Elastic's
//! `windows.sysmon_operational` ingest pipeline maps them. [`ROWS`] is the table: one row per
//! event id with its ECS category, type and action and where its hashes go; the functions
//! below it read each id's own fields. `docs/windows-events.md` cites what each part follows.

use super::doc::Doc;
use super::text;
use crate::record::Winlog;

/// Where an event's `Hashes` go.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Hashes {
    /// `process.hash.*` (and `process.pe.imphash`).
    Process,
    /// `file.hash.*` (and `file.pe.imphash`).
    File,
    /// Only `related.hash`.
    Related,
}

/// The mapping of one Sysmon event id.
struct Row {
    id: u32,
    category: &'static [&'static str],
    kind: &'static [&'static str],
    action: &'static str,
    hashes: Hashes,
}

const fn row(id: u32, category: &'static [&'static str], kind: &'static [&'static str], action: &'static str, hashes: Hashes) -> Row {
    Row { id, category, kind, action, hashes }
}

use Hashes::{File, Process, Related};

#[rustfmt::skip]
const ROWS: &[Row] = &[
    row(1,  &["process"], &["start"], "Process creation", Process),
    row(2,  &["file"], &["change"], "A process changed a file creation time", Related),
    row(3,  &["network"], &["start", "connection", "protocol"], "Network connection", Related),
    row(4,  &["process"], &["change"], "Sysmon service state changed", Related),
    row(5,  &["process"], &["end"], "Process terminated", Related),
    row(6,  &["driver"], &["start"], "Driver loaded", File),
    row(7,  &["process", "library"], &["change", "start"], "Image loaded", File),
    row(8,  &["process"], &["change"], "CreateRemoteThread", Related),
    row(9,  &["process"], &["access"], "RawAccessRead", Related),
    row(10, &["process"], &["access"], "ProcessAccess", Related),
    row(11, &["file"], &["creation"], "FileCreate", Related),
    row(12, &["configuration", "registry"], &["change"], "RegistryEvent (Object create and delete)", Related),
    row(13, &["configuration", "registry"], &["change"], "RegistryEvent (Value Set)", Related),
    row(14, &["configuration", "registry"], &["change"], "RegistryEvent (Key and Value Rename)", Related),
    row(15, &["file"], &["access"], "FileCreateStreamHash", File),
    row(16, &["configuration"], &["change"], "ServiceConfigurationChange", Related),
    row(17, &["file"], &["creation"], "PipeEvent (Pipe Created)", Related),
    row(18, &["file"], &["access"], "PipeEvent (Pipe Connected)", Related),
    row(19, &["process"], &["creation"], "WmiEvent (WmiEventFilter activity detected)", Related),
    row(20, &["process"], &["creation"], "WmiEvent (WmiEventConsumer activity detected)", Related),
    row(21, &["process"], &["access"], "WmiEvent (WmiEventConsumerToFilter activity detected)", Related),
    row(22, &["network"], &["connection", "protocol", "info"], "DNSEvent (DNS query)", Related),
    row(23, &["file"], &["deletion"], "FileDelete (File Delete archived)", Process),
    row(24, &[], &["change"], "ClipboardChange (New content in the clipboard)", Process),
    row(25, &["process"], &["change"], "ProcessTampering (Process image change)", Process),
    row(26, &["file"], &["deletion"], "FileDeleteDetected (File Delete logged)", File),
    row(27, &["file"], &["creation", "denied"], "FileBlockExecutable", Related),
    row(28, &["file"], &["deletion", "denied"], "FileBlockShredding", Related),
    row(29, &["file"], &["creation"], "FileExecutableDetected", File),
    row(255, &["process"], &["error"], "Error", Related),
];

/// The event ids with a row.
pub fn mapped_ids() -> impl Iterator<Item = u32> {
    ROWS.iter().map(|r| r.id)
}

/// Maps `w` into `doc`; `false` when its id has no row (then only the process, user and
/// generic fields are there).
pub(super) fn map(w: &Winlog, doc: &mut Doc) -> bool {
    let row = ROWS.iter().find(|r| r.id == w.event_id);
    if let Some(row) = row {
        if !row.category.is_empty() {
            doc.set("event.category", row.category);
        }
        doc.set("event.type", row.kind);
        match row.id {
            // The ECS 8.17 pipeline names a library load twice: Sysmon's name and ECS's verb.
            7 => doc.set("event.action", vec![row.action, "load"]),
            _ => doc.set("event.action", row.action),
        }
    }
    doc.text("rule.name", w.data("RuleName"));
    if w.event_id == 255 {
        doc.text("error.code", w.data("ID"));
    }
    // A rename onto `message`: it does nothing when the event already has a rendered message.
    if w.event_id == 25 && doc.get("message").is_none() {
        doc.text("message", w.data("Type"));
    }
    if let Some(hashes) = w.data("Hashes").or_else(|| w.data("Hash")) {
        add_hashes(row.map_or(Related, |r| r.hashes), hashes, doc);
    }
    process(w, doc);
    file(w, doc);
    if w.event_id == 3 {
        network(w, doc);
    }
    if w.event_id == 22 {
        dns(w, doc);
    }
    user(w, doc);
    if matches!(w.event_id, 23 | 24) {
        doc.boolean("sysmon.file.archived", w.data("Archived"));
    }
    if matches!(w.event_id, 23 | 26) {
        doc.boolean("sysmon.file.is_executable", w.data("IsExecutable"));
    }
    if matches!(w.event_id, 12..=14) {
        registry(w, doc);
    }
    if w.event_id == 7 {
        library(w, doc);
    }
    row.is_some()
}

/// `Hashes` (`SHA1=…,MD5=…`): lower-cased, all-zero values skipped. `related.hash` lists them
/// in the order the pipeline's script yields them (SHA256, SHA1, then MD5 and IMPHASH as written).
fn add_hashes(target: Hashes, hashes: &str, doc: &mut Doc) {
    let mut kept: Vec<(String, String)> = text::hashes(hashes).into_iter().filter(|(_, h)| !h.bytes().all(|b| b == b'0')).collect();
    let rank = |alg: &str| match alg {
        "sha256" => 0,
        "sha1" => 1,
        _ => 2,
    };
    kept.sort_by_key(|(alg, _)| rank(alg));
    for (alg, hash) in &kept {
        doc.push_unique("related.hash", hash);
        let prefix = match target {
            Process => "process",
            File => "file",
            Related => continue,
        };
        match alg.as_str() {
            "imphash" => doc.set(&format!("{prefix}.pe.imphash"), hash.as_str()),
            _ => doc.set(&format!("{prefix}.hash.{alg}"), hash.as_str()),
        }
    }
}

/// The acting process (the source one for access and thread events) and, for id 1, its parent.
fn process(w: &Winlog, doc: &mut Doc) {
    doc.text("process.entity_id", w.data("ProcessGuid").or_else(|| w.data("SourceProcessGuid")).or_else(|| w.data("SourceProcessGUID")));
    doc.number("process.pid", w.data("ProcessId").or_else(|| w.data("SourceProcessId")));
    doc.number("process.thread.id", w.data("SourceThreadId"));
    executable("process", w.data("Image").or_else(|| w.data("SourceImage")).or_else(|| w.data("Destination")), doc);
    command_line("process", w.data("CommandLine"), doc);
    doc.text("process.working_directory", w.data("CurrentDirectory"));
    doc.text("process.parent.entity_id", w.data("ParentProcessGuid"));
    doc.number("process.parent.pid", w.data("ParentProcessId"));
    executable("process.parent", w.data("ParentImage"), doc);
    command_line("process.parent", w.data("ParentCommandLine"), doc);
    // The version resource describes the process, except for id 7 where it is the library's.
    let pe = if w.event_id == 7 { "file.pe" } else { "process.pe" };
    for (data, field) in [("OriginalFileName", "original_file_name"), ("Company", "company"), ("Description", "description"), ("FileVersion", "file_version"), ("Product", "product")] {
        doc.text(&format!("{pe}.{field}"), w.data(data));
    }
}

/// `…executable`, and `…name` after its last `\` (a bare `System` has no name).
fn executable(prefix: &str, image: Option<&str>, doc: &mut Doc) {
    let Some(image) = image else { return };
    doc.set(&format!("{prefix}.executable"), image);
    if image.len() > 1 && image.contains('\\') {
        doc.set(&format!("{prefix}.name"), image.rsplit('\\').next().unwrap_or(image));
    }
}

fn command_line(prefix: &str, line: Option<&str>, doc: &mut Doc) {
    let Some(line) = line else { return };
    doc.set(&format!("{prefix}.command_line"), line);
    let args = text::command_line_args(line);
    if !args.is_empty() {
        doc.set(&format!("{prefix}.args_count"), args.len());
        doc.set(&format!("{prefix}.args"), args);
    }
}

/// The file an event is about: `file.path` and its parts, a pipe's name, a loaded image's
/// signature.
fn file(w: &Winlog, doc: &mut Doc) {
    doc.text("file.name", w.data("PipeName"));
    let path = w.data("TargetFilename").or_else(|| w.data("Device")).or_else(|| w.data("ImageLoaded"));
    if let Some(path) = path {
        doc.set("file.path", path);
        if path.len() > 1 {
            if let Some(i) = path.rfind('\\') {
                doc.set("file.name", &path[i + 1..]);
                doc.set("file.directory", &path[..i]);
            }
            // As the pipeline does: after the last `.` of the whole path.
            if let (Some(_), Some(dot)) = (path.rfind('\\'), path.rfind('.')) {
                doc.set("file.extension", &path[dot + 1..]);
            }
        }
    }
    doc.text("file.code_signature.subject_name", w.data("Signature"));
    doc.text("file.code_signature.status", w.data("SignatureStatus"));
    if w.data("SignatureStatus") == Some("Valid") {
        doc.set("file.code_signature.valid", true);
    }
}

/// A loaded library as ECS `dll.*` (what `library where dll.name : …` rules read), with the
/// signature check: `Signed` is `true`, or the reason it is not (`failed: Invalid hash`).
fn library(w: &Winlog, doc: &mut Doc) {
    for field in ["path", "name", "hash.md5", "hash.sha1", "hash.sha256", "pe.imphash", "pe.original_file_name"] {
        if let Some(value) = doc.get(&format!("file.{field}")).cloned() {
            doc.set(&format!("dll.{field}"), value);
        }
    }
    match w.data("Signed") {
        Some("true") => {
            doc.set("file.code_signature.trusted", true);
            doc.set("dll.code_signature.trusted", true);
            doc.text("dll.code_signature.subject_name", w.data("Signature"));
            doc.text("dll.code_signature.status", w.data("SignatureStatus"));
        }
        Some(other) => {
            doc.set("file.code_signature.trusted", false);
            doc.set("dll.code_signature.status", other);
        }
        None => {}
    }
}

fn network(w: &Winlog, doc: &mut Doc) {
    doc.text("network.transport", w.data("Protocol"));
    // The service name Windows gives the port (`https`, `netbios-ns`), when it has one.
    doc.text("network.protocol", w.data("DestinationPortName").or_else(|| w.data("SourcePortName")));
    for (side, prefix) in [("source", "Source"), ("destination", "Destination")] {
        if let Some(ip) = w.data(&format!("{prefix}Ip")).filter(|ip| is_ip(ip)) {
            doc.set(&format!("{side}.ip"), ip);
            doc.push_unique("related.ip", ip);
        }
        doc.text(&format!("{side}.domain"), w.data(&format!("{prefix}Hostname")));
        doc.number(&format!("{side}.port"), w.data(&format!("{prefix}Port")));
    }
    match w.data("Initiated") {
        Some("true") => doc.set("network.direction", "egress"),
        Some("false") => doc.set("network.direction", "ingress"),
        _ => {}
    }
    match w.data("SourceIsIpv6") {
        Some("false") => doc.set("network.type", "ipv4"),
        Some("true") => doc.set("network.type", "ipv6"),
        _ => {}
    }
}

fn is_ip(text: &str) -> bool {
    text.parse::<std::net::IpAddr>().is_ok()
}

fn dns(w: &Winlog, doc: &mut Doc) {
    doc.set("network.protocol", "dns");
    doc.text("dns.question.name", w.data("QueryName"));
    if let Some(status) = w.data("QueryStatus") {
        doc.set("sysmon.dns.status", dns_status(status).unwrap_or(status));
    }
    let mut answers = Vec::new();
    let mut ips = Vec::new();
    for entry in w.data("QueryResults").unwrap_or("").split(';').filter(|e| !e.is_empty()) {
        if entry.starts_with("type:") {
            let parts: Vec<&str> = entry.split_whitespace().collect();
            let kind = parts.get(1).and_then(|n| dns_type(n));
            let mut answer = serde_json::Map::new();
            answer.insert("type".into(), kind.map_or(serde_json::Value::Null, Into::into));
            if let Some(data) = parts.get(2) {
                answer.insert("data".into(), (*data).into());
                doc.push_unique("related.hosts", data);
            }
            answers.push(serde_json::Value::Object(answer));
        } else {
            let ip = entry.replace("::ffff:", "");
            if is_ip(&ip) && !ips.contains(&ip) {
                ips.push(ip);
            }
        }
    }
    for ip in &ips {
        let kind = if ip.contains(':') { "AAAA" } else { "A" };
        answers.push(serde_json::json!({ "type": kind, "data": ip }));
        doc.push_unique("dns.resolved_ip", ip);
        doc.push_unique("related.ip", ip);
    }
    if let Some(name) = w.data("QueryName") {
        doc.push_unique("related.hosts", name);
    }
    if !answers.is_empty() {
        doc.set("dns.answers", answers);
    }
}

/// A DNS record type's name by its number (RFC 1035 and after, as the pipeline lists them).
fn dns_type(number: &str) -> Option<&'static str> {
    Some(match number.parse::<u32>().ok()? {
        1 => "A", 2 => "NS", 3 => "MD", 4 => "MF", 5 => "CNAME", 6 => "SOA", 7 => "MB", 8 => "MG",
        9 => "MR", 10 => "NULL", 11 => "WKS", 12 => "PTR", 13 => "HINFO", 14 => "MINFO", 15 => "MX",
        16 => "TXT", 17 => "RP", 18 => "AFSDB", 19 => "X25", 20 => "ISDN", 21 => "RT", 22 => "NSAP",
        23 => "NSAPPTR", 24 => "SIG", 25 => "KEY", 26 => "PX", 27 => "GPOS", 28 => "AAAA", 29 => "LOC",
        30 => "NXT", 31 => "EID", 32 => "NIMLOC", 33 => "SRV", 34 => "ATMA", 35 => "NAPTR", 36 => "KX",
        37 => "CERT", 38 => "A6", 39 => "DNAME", 40 => "SINK", 41 => "OPT", 43 => "DS", 46 => "RRSIG",
        47 => "NSEC", 48 => "DNSKEY", 49 => "DHCID", 100 => "UINFO", 101 => "UID", 102 => "GID",
        103 => "UNSPEC", 248 => "ADDRS", 249 => "TKEY", 250 => "TSIG", 251 => "IXFR", 252 => "AXFR",
        253 => "MAILB", 254 => "MAILA", 255 => "ANY", 65281 => "WINS", 65282 => "WINSR",
        _ => return None,
    })
}

/// The name of a DNS query status (a Windows error code); unknown codes stay numbers.
fn dns_status(code: &str) -> Option<&'static str> {
    Some(match code {
        "0" => "SUCCESS",
        "5" => "ERROR_ACCESS_DENIED",
        "87" => "ERROR_INVALID_PARAMETER",
        "123" => "ERROR_INVALID_NAME",
        "1214" => "ERROR_INVALID_NETNAME",
        "1460" => "ERROR_TIMEOUT",
        "9002" => "DNS_ERROR_RCODE_SERVER_FAILURE",
        "9003" => "DNS_ERROR_RCODE_NAME_ERROR",
        "9004" => "DNS_ERROR_RCODE_NOT_IMPLEMENTED",
        "9005" => "DNS_ERROR_RCODE_REFUSED",
        "9501" => "DNS_INFO_NO_RECORDS",
        "9560" => "DNS_ERROR_INVALID_NAME_CHAR",
        "9701" => "DNS_ERROR_RECORD_DOES_NOT_EXIST",
        "10054" => "WSAECONNRESET",
        "10055" => "WSAENOBUFS",
        "10060" => "WSAETIMEDOUT",
        _ => return None,
    })
}

/// `User` (`DOMAIN\name`): split only when it has exactly the two parts.
fn user(w: &Winlog, doc: &mut Doc) {
    let Some(user) = w.data("User") else { return };
    let parts: Vec<&str> = user.split('\\').collect();
    if let [domain, name] = parts.as_slice() {
        if !domain.is_empty() {
            doc.set("user.domain", *domain);
        }
        if !name.is_empty() {
            doc.set("user.name", *name);
            doc.push_unique("related.user", name);
        }
    }
}

/// `TargetObject` as `registry.*`, and the value's type and data from `Details`.
fn registry(w: &Winlog, doc: &mut Doc) {
    let Some(path) = w.data("TargetObject") else { return };
    doc.set("registry.path", path);
    let mut tokens: Vec<&str> = path.split('\\').collect();
    while tokens.last() == Some(&"") {
        tokens.pop();
    }
    let hive = match tokens.first().copied() {
        Some("HKEY_CLASSES_ROOT" | "HKCR") => Some("HKCR"),
        Some("HKEY_CURRENT_CONFIG" | "HKCC") => Some("HKCC"),
        Some("HKEY_CURRENT_USER" | "HKCU") => Some("HKCU"),
        Some("HKEY_DYN_DATA" | "HKDD") => Some("HKDD"),
        Some("HKEY_LOCAL_MACHINE" | "HKLM") => Some("HKLM"),
        Some("HKEY_PERFORMANCE_DATA" | "HKPD") => Some("HKPD"),
        Some("HKEY_USERS" | "HKU") => Some("HKU"),
        _ => None,
    };
    if let Some(hive) = hive {
        doc.set("registry.hive", hive);
        doc.set("registry.key", tokens[1..].join("\\"));
    }
    doc.text("registry.value", tokens.last().copied());
    if let Some(details) = w.data("Details") {
        let (kind, value) = registry_data(details);
        doc.set("registry.data.type", kind);
        doc.set("registry.data.strings", vec![value]);
    }
}

/// Sysmon's `Details`: the value's type and text. A QWORD's two halves are combined as the
/// pipeline combines them (`(high << 8) + low`), so its numbers match what Elasticsearch stores.
fn registry_data(details: &str) -> (&'static str, String) {
    let words = |prefix: &str| -> Option<Vec<u64>> {
        let lower = details.to_ascii_lowercase();
        let inner = lower.strip_prefix(prefix)?.strip_prefix(" (")?.strip_suffix(')')?;
        inner.split('-').map(|w| w.strip_prefix("0x").filter(|h| h.len() == 8).and_then(|h| u64::from_str_radix(h, 16).ok())).collect()
    };
    if let Some([high, low]) = words("qword").as_deref() {
        return ("SZ_QWORD", ((high << 8) + low).to_string());
    }
    if let Some([value]) = words("dword").as_deref() {
        return ("SZ_DWORD", value.to_string());
    }
    match details {
        "Binary Data" => ("REG_BINARY", details.to_string()),
        _ => ("REG_SZ", details.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecs::{map, Options};

    fn sysmon(id: u32, data: &[(&str, &str)]) -> serde_json::Value {
        let w = Winlog {
            channel: crate::ecs::SYSMON_CHANNEL.into(),
            computer_name: "WS-FIN-07".into(),
            event_id: id,
            event_data: data.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..Winlog::default()
        };
        map(&w, &Options::default()).0
    }

    #[test]
    fn a_connection_maps_its_ends_direction_and_named_port() {
        let e = sysmon(3, &[
            ("Image", r"C:\Windows\System32\wscript.exe"), ("ProcessGuid", "{0f0a1b2c-0000-0000-0000-000000000001}"),
            ("Protocol", "tcp"), ("Initiated", "true"), ("SourceIsIpv6", "false"),
            ("SourceIp", "10.0.0.5"), ("SourcePort", "50123"), ("DestinationIp", "203.0.113.9"),
            ("DestinationPort", "443"), ("DestinationPortName", "https"), ("DestinationHostname", "-"),
        ]);
        assert_eq!(e["event"]["category"], serde_json::json!(["network"]));
        assert_eq!(e["event"]["type"], serde_json::json!(["start", "connection", "protocol"]));
        assert_eq!((e["network"]["transport"].as_str(), e["network"]["protocol"].as_str()), (Some("tcp"), Some("https")));
        assert_eq!((e["network"]["direction"].as_str(), e["network"]["type"].as_str()), (Some("egress"), Some("ipv4")));
        assert_eq!((e["destination"]["ip"].as_str(), e["destination"]["port"].as_u64()), (Some("203.0.113.9"), Some(443)));
        assert!(e["destination"].get("domain").is_none(), "`-` is no host name");
        assert_eq!(e["related"]["ip"], serde_json::json!(["10.0.0.5", "203.0.113.9"]));
        assert_eq!(e["host"]["id"], "ws-fin-07");
    }

    #[test]
    fn a_port_without_a_name_has_no_protocol_and_ipv6_is_said() {
        let e = sysmon(3, &[("Protocol", "udp"), ("Initiated", "false"), ("SourceIsIpv6", "true"), ("SourceIp", "fe80:0:0:0:1"), ("DestinationIp", "not-an-ip"), ("DestinationPort", "51234")]);
        assert!(e["network"].get("protocol").is_none());
        assert_eq!((e["network"]["direction"].as_str(), e["network"]["type"].as_str()), (Some("ingress"), Some("ipv6")));
        assert!(e.get("destination").and_then(|d| d.get("ip")).is_none(), "an address that is none is left out");
    }

    #[test]
    fn a_created_file_keeps_its_extension_as_written() {
        let e = sysmon(11, &[("TargetFilename", r"C:\Users\a\Downloads\Invoice.PDF.EXE"), ("Image", r"C:\Windows\System32\wscript.exe")]);
        assert_eq!(e["event"]["category"], serde_json::json!(["file"]));
        assert_eq!(e["event"]["type"], serde_json::json!(["creation"]));
        assert_eq!((e["file"]["name"].as_str(), e["file"]["extension"].as_str()), (Some("Invoice.PDF.EXE"), Some("EXE")));
        assert_eq!(e["file"]["directory"], r"C:\Users\a\Downloads");
        assert_eq!(e["process"]["name"], "wscript.exe");
        // The pipeline reads the extension after the last dot of the whole path.
        let odd = sysmon(11, &[("TargetFilename", r"C:\Users\a.b\notes")]);
        assert_eq!(odd["file"]["extension"], r"b\notes");
    }

    #[test]
    fn registry_details_read_as_the_pipeline_reads_them() {
        assert_eq!(registry_data("QWORD (0x00000000-0x1234fabd)"), ("SZ_QWORD", "305461949".to_string()));
        assert_eq!(registry_data("DWORD (0x00000004)"), ("SZ_DWORD", "4".to_string()));
        assert_eq!(registry_data("Binary Data"), ("REG_BINARY", "Binary Data".to_string()));
        assert_eq!(registry_data("DWORD (4)"), ("REG_SZ", "DWORD (4)".to_string()));
    }
}

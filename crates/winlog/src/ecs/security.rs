//! Security log events, mapped as Elastic's `system.security` ingest pipeline maps the ones
//! Elastic's Windows rules read most: logons (4624, 4625) and process creation (4688). Unlike
//! Sysmon's, these values are kept as written (`-` included) unless a rule below says otherwise.

use super::doc::{parse_number, Doc};
use crate::record::Winlog;

#[rustfmt::skip]
const ROWS: &[(u32, &str, &str, &str)] = &[
    // (event id, event.category, event.type, event.action)
    (4624, "authentication", "start", "logged-in"),
    (4625, "authentication", "start", "logon-failed"),
    (4688, "process", "start", "created-process"),
];

pub fn mapped_ids() -> impl Iterator<Item = u32> {
    ROWS.iter().map(|r| r.0)
}

/// Maps `w` into `doc`; `false` for an id without a row.
pub(super) fn map(w: &Winlog, doc: &mut Doc) -> bool {
    doc.text("event.outcome", w.audit_outcome());
    let Some(&(_, category, kind, action)) = ROWS.iter().find(|r| r.0 == w.event_id) else { return false };
    doc.set("event.category", vec![category]);
    doc.set("event.type", vec![kind]);
    doc.set("event.action", action);
    match w.event_id {
        4688 => process_created(w, doc),
        _ => logon(w, doc),
    }
    true
}

/// A value unless it is `-` or empty.
fn given<'a>(w: &'a Winlog, name: &str) -> Option<&'a str> {
    w.raw(name).filter(|v| !v.is_empty() && *v != "-")
}

fn executable(prefix: &str, path: Option<&str>, doc: &mut Doc) {
    let Some(path) = path else { return };
    doc.set(&format!("{prefix}.executable"), path);
    doc.set(&format!("{prefix}.name"), path.rsplit('\\').next().unwrap_or(path));
}

/// A user name as the pipeline keeps it: cut at the first `@`.
fn user_name(name: &str) -> &str {
    name.split('@').next().unwrap_or(name)
}

fn logon(w: &Winlog, doc: &mut Doc) {
    doc.text("user.id", w.raw("TargetUserSid").or_else(|| w.raw("TargetSid")));
    if let Some(name) = w.raw("TargetUserName") {
        doc.set("user.name", user_name(name));
        doc.push_unique("related.user", user_name(name));
    }
    doc.text("user.domain", w.raw("TargetDomainName"));
    if let Some(subject) = given(w, "SubjectUserName") {
        doc.push_unique("related.user", subject);
    }
    if let Some(t) = w.raw("LogonType").and_then(logon_type) {
        doc.set("winlog.logon.type", t);
    }
    doc.text("winlog.logon.id", w.raw("SubjectLogonId"));
    if let Some(pid) = w.raw("ProcessId").and_then(parse_number) {
        doc.set("process.pid", pid);
    }
    executable("process", w.raw("ProcessName"), doc);
    if let Some(ip) = given(w, "IpAddress") {
        let ip = ip.strip_prefix("::ffff:").unwrap_or(ip);
        doc.set("source.ip", ip);
        doc.push_unique("related.ip", ip);
    }
    if let Some(port) = given(w, "IpPort").and_then(parse_number) {
        doc.set("source.port", port);
    }
    doc.text("source.domain", w.raw("WorkstationName"));
    if w.event_id == 4625 {
        doc.text("winlog.logon.failure.reason", w.raw("FailureReason").map(|r| failure_reason(r).unwrap_or(r)));
        doc.text("winlog.logon.failure.status", w.raw("Status").map(|s| status(s).unwrap_or(s)));
        doc.text("winlog.logon.failure.sub_status", w.raw("SubStatus").map(|s| status(s).unwrap_or(s)));
    }
}

fn process_created(w: &Winlog, doc: &mut Doc) {
    if let Some(pid) = w.raw("NewProcessId").and_then(parse_number) {
        doc.set("process.pid", pid);
    }
    executable("process", w.raw("NewProcessName"), doc);
    if let Some(pid) = w.raw("ProcessId").and_then(parse_number) {
        doc.set("process.parent.pid", pid);
    }
    executable("process.parent", w.raw("ParentProcessName"), doc);
    if let Some(line) = w.raw("CommandLine") {
        doc.set("process.command_line", line);
        doc.set("process.args", naive_args(line));
    }
    doc.text("user.id", w.raw("SubjectUserSid"));
    doc.text("user.name", w.raw("SubjectUserName"));
    doc.text("user.domain", w.raw("SubjectDomainName"));
    if let Some(name) = given(w, "SubjectUserName") {
        doc.push_unique("related.user", name);
    }
    doc.text("user.effective.id", given(w, "TargetUserSid"));
    if let Some(name) = given(w, "TargetUserName") {
        doc.set("user.effective.name", user_name(name));
        doc.push_unique("related.user", user_name(name));
    }
    doc.text("user.effective.domain", given(w, "TargetDomainName"));
    doc.text("winlog.logon.id", w.raw("SubjectLogonId"));
}

/// 4688's arguments as the Security pipeline splits them: at whitespace outside double quotes,
/// the quotes kept, every blank making a cut (so runs of blanks give empty arguments).
fn naive_args(line: &str) -> Vec<String> {
    let mut args = vec![String::new()];
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                args.last_mut().map(|a| a.push(c));
            }
            c if c.is_whitespace() && !quoted => args.push(String::new()),
            c => {
                args.last_mut().map(|a| a.push(c));
            }
        }
    }
    args
}

fn logon_type(code: &str) -> Option<&'static str> {
    Some(match code {
        "2" => "Interactive",
        "3" => "Network",
        "4" => "Batch",
        "5" => "Service",
        "7" => "Unlock",
        "8" => "NetworkCleartext",
        "9" => "NewCredentials",
        "10" => "RemoteInteractive",
        "11" => "CachedInteractive",
        _ => return None,
    })
}

/// The text of a logon failure reason (`%%2313`), for the common ones.
fn failure_reason(code: &str) -> Option<&'static str> {
    Some(match code {
        "%%2304" => "An Error occurred during Logon.",
        "%%2305" => "The specified user account has expired.",
        "%%2307" => "Account locked out.",
        "%%2308" => "The user has not been granted the requested logon type at this machine.",
        "%%2309" => "The specified account's password has expired.",
        "%%2310" => "Account currently disabled.",
        "%%2311" => "Account logon time restriction violation.",
        "%%2312" => "User not allowed to logon at this computer.",
        "%%2313" => "Unknown user name or bad password.",
        _ => return None,
    })
}

/// The meaning of an NTSTATUS a logon failure carries, for the common ones.
fn status(code: &str) -> Option<&'static str> {
    Some(match code.to_ascii_lowercase().as_str() {
        "0xc000005e" => "There are currently no logon servers available to service the logon request.",
        "0xc0000064" => "User logon with misspelled or bad user account",
        "0xc000006a" => "User logon with misspelled or bad password",
        "0xc000006d" => "This is either due to a bad username or authentication information",
        "0xc000006e" => "Unknown user name or bad password.",
        "0xc000006f" => "User logon outside authorized hours",
        "0xc0000070" => "User logon from unauthorized workstation",
        "0xc0000071" => "User logon with expired password",
        "0xc0000072" => "User logon to account disabled by administrator",
        "0xc0000193" => "User logon with expired account",
        "0xc0000224" => "User is required to change password at next logon",
        "0xc0000234" => "User logon with account locked",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn process_creation_args_keep_their_quotes() {
        assert_eq!(naive_args(r#""C:\Windows\system32\wevtutil.exe" cl Security"#), vec![r#""C:\Windows\system32\wevtutil.exe""#, "cl", "Security"]);
        assert_eq!(naive_args("a  b "), vec!["a", "", "b", ""]);
    }
}

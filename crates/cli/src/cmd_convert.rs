//! `eqlplay convert`: Windows event logs (`.evtx`, event XML, winlogbeat NDJSON) to ECS NDJSON,
//! as Elastic's Sysmon and Security mappings make them (see `docs/windows-events.md`).

use crate::args::{unknown, usage, Arg, Parser, Usage};
use crate::Status;

pub const HELP: &str = "\
Convert Windows event logs to ECS events (NDJSON on stdout).

Usage: eqlplay convert FILE... [--format evtx|xml|winlog] [--host-id ID]

FILE is an .evtx file, Windows event XML (Event Viewer's \"Save as XML\", `wevtutil qe /f:xml`,
or one <Event> per line) or winlogbeat / Elastic Agent NDJSON that still has `winlog.*` and no
ECS fields; the kind is recognised from the content unless --format says it (- reads stdin).

  --format F     evtx, xml or winlog
  --host-id ID   the host.id every event gets (default: the computer name, in lower case)

Sysmon events (ids 1-29) and Security logons and process creations (4624, 4625, 4688) are
mapped as Elastic maps them; other ids keep the generic fields (winlog.*, event.code,
host.name). host.id, host.os.* and data_stream.* come from an agent, not from the log: the
playground supplies them and lists them in `playground.supplied`.

A record that cannot be read is reported on stderr with its record id; the others are still
converted. `eqlplay match` reads these files directly.
Exit status: 0 ok, 1 when some record could not be read, 2 when a file cannot be read at all.
";

pub fn run(args: Vec<String>) -> Result<Status, Usage> {
    let (mut files, mut format, mut options) = (Vec::new(), None, winlog::Options::default());
    let mut p = Parser::new(args);
    while let Some(arg) = p.next()? {
        match arg {
            Arg::Positional(path) => files.push(path),
            Arg::Flag(f) => match f.as_str() {
                "--format" => {
                    let name = p.value(&f)?;
                    format = Some(winlog::Format::from_name(&name).ok_or_else(|| usage(format!("unknown format `{name}` (evtx, xml or winlog)")))?);
                }
                "--host-id" => options.host_id = winlog::HostId::Fixed(p.value(&f)?),
                "-h" | "--help" => {
                    crate::print_stdout(HELP);
                    return Ok(Status::Ok);
                }
                _ => return Err(unknown(&f)),
            },
        }
    }
    if files.is_empty() {
        return Err(usage("no file to convert"));
    }
    let mut status = Status::Ok;
    for path in &files {
        match crate::input::windows_events(path, format, &options) {
            Ok(Some(converted)) => {
                crate::print_stdout(&converted.ndjson());
                if !converted.errors.is_empty() {
                    status = Status::Failed;
                }
            }
            Ok(None) => {
                report!("{}: error: not a Windows event log (.evtx, event XML or winlogbeat NDJSON); give --format to say which", crate::input::display_name(path));
                return Ok(Status::Invalid);
            }
            Err(e) => {
                report!("{e}");
                return Ok(Status::Invalid);
            }
        }
    }
    Ok(status)
}

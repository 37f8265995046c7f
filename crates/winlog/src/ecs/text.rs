//! Reading the texts Windows events carry: paths, times, `DOMAIN\user`, `Hashes=` lists and
//! command lines.

/// The last component of a Windows path (`C:\a\b.exe` → `b.exe`).
pub fn file_name(path: &str) -> &str {
    path.rsplit(['\\', '/']).next().unwrap_or(path)
}

/// The folder of a Windows path, without the last separator; `None` for a bare name.
pub fn directory(path: &str) -> Option<&str> {
    path.rfind(['\\', '/']).map(|i| &path[..i])
}

/// The extension of a path's last component, without the dot, as written.
pub fn extension(path: &str) -> Option<&str> {
    let name = file_name(path);
    name.rfind('.').map(|i| &name[i + 1..]).filter(|e| !e.is_empty() && !e.contains(' '))
}

/// Sysmon's `UtcTime` (`2020-10-27 20:00:14.320`) or an RFC 3339 time, as an ECS timestamp with
/// milliseconds (`2020-10-27T20:00:14.320Z`).
pub fn timestamp(text: &str) -> Option<String> {
    let t = text.trim().trim_end_matches('Z');
    let (date, time) = t.split_once([' ', 'T'])?;
    let (hms, fraction) = time.split_once('.').unwrap_or((time, ""));
    let valid = date.len() == 10 && hms.len() == 8 && fraction.bytes().all(|b| b.is_ascii_digit());
    if !valid || !date.bytes().chain(hms.bytes()).all(|b| b.is_ascii_digit() || b == b'-' || b == b':') {
        return None;
    }
    let millis: String = fraction.chars().chain(std::iter::repeat('0')).take(3).collect();
    Some(format!("{date}T{hms}.{millis}Z"))
}

/// `DOMAIN\user` → (`DOMAIN`, `user`); a name without a domain has none.
pub fn user(text: &str) -> (Option<&str>, &str) {
    match text.split_once('\\') {
        Some((domain, name)) => (Some(domain), name),
        None => (None, text),
    }
}

/// Sysmon's `Hashes` (`SHA1=…,MD5=…,SHA256=…,IMPHASH=…`): (lower-case algorithm, lower-case hash).
pub fn hashes(text: &str) -> Vec<(String, String)> {
    text.split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(alg, hash)| (alg.trim().to_ascii_lowercase(), hash.trim().to_ascii_lowercase()))
        .filter(|(alg, hash)| !alg.is_empty() && !hash.is_empty())
        .collect()
}

/// A command line split into arguments as Windows splits it (`CommandLineToArgvW`): spaces
/// separate outside double quotes; `\"` is a quote; backslashes are literal unless they precede
/// a quote. The program name, the first argument, ends at the closing quote.
pub fn command_line_args(line: &str) -> Vec<String> {
    let mut args = Vec::new();
    let chars: Vec<char> = line.chars().collect();
    let mut i = 0;
    // The program name: no escapes.
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    if i < chars.len() {
        let mut name = String::new();
        if chars[i] == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                name.push(chars[i]);
                i += 1;
            }
            i += 1;
        } else {
            while i < chars.len() && !chars[i].is_whitespace() {
                name.push(chars[i]);
                i += 1;
            }
        }
        args.push(name);
    }
    loop {
        while i < chars.len() && chars[i].is_whitespace() {
            i += 1;
        }
        if i >= chars.len() {
            break;
        }
        let mut arg = String::new();
        let mut quoted = false;
        while i < chars.len() && (quoted || !chars[i].is_whitespace()) {
            match chars[i] {
                '\\' => {
                    let run = chars[i..].iter().take_while(|&&c| c == '\\').count();
                    i += run;
                    if chars.get(i) == Some(&'"') {
                        arg.extend(std::iter::repeat('\\').take(run / 2));
                        if run % 2 == 1 {
                            arg.push('"');
                            i += 1;
                        }
                    } else {
                        arg.extend(std::iter::repeat('\\').take(run));
                    }
                }
                '"' => {
                    // `""` inside quotes is a literal quote.
                    if quoted && chars.get(i + 1) == Some(&'"') {
                        arg.push('"');
                        i += 2;
                    } else {
                        quoted = !quoted;
                        i += 1;
                    }
                }
                c => {
                    arg.push(c);
                    i += 1;
                }
            }
        }
        args.push(arg);
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_as_windows_writes_them() {
        let p = r"C:\Users\a\Downloads\Invoice.PDF.EXE";
        assert_eq!((file_name(p), directory(p), extension(p)), ("Invoice.PDF.EXE", Some(r"C:\Users\a\Downloads"), Some("EXE")));
        assert_eq!((file_name("x"), directory("x"), extension("x")), ("x", None, None));
    }

    #[test]
    fn times_become_millisecond_timestamps() {
        assert_eq!(timestamp("2020-10-27 20:00:14.320").as_deref(), Some("2020-10-27T20:00:14.320Z"));
        assert_eq!(timestamp("2020-10-27T20:00:14.324234100Z").as_deref(), Some("2020-10-27T20:00:14.324Z"));
        assert_eq!(timestamp("2017-12-19T00:16:35Z").as_deref(), Some("2017-12-19T00:16:35.000Z"));
        assert_eq!(timestamp("yesterday"), None);
    }

    #[test]
    fn command_lines_split_like_windows() {
        assert_eq!(command_line_args(r#""C:\Windows\system32\notepad.exe" "#), vec![r"C:\Windows\system32\notepad.exe"]);
        assert_eq!(command_line_args(r#"wscript.exe //B "C:\a b\x.js" a\\\"b c\\d"#), vec!["wscript.exe", "//B", r"C:\a b\x.js", r#"a\"b"#, r"c\\d"]);
        assert_eq!(command_line_args(r#"cmd /c "echo ""hi""""#), vec!["cmd", "/c", r#"echo "hi""#]);
        assert!(command_line_args("   ").is_empty());
    }

    #[test]
    fn hashes_and_users_come_apart() {
        assert_eq!(hashes("SHA1=AB,MD5=CD"), vec![("sha1".into(), "ab".into()), ("md5".into(), "cd".into())]);
        assert_eq!(user(r"NT AUTHORITY\SYSTEM"), (Some("NT AUTHORITY"), "SYSTEM"));
    }
}

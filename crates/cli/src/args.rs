//! A small command-line tokenizer: `--flag`, `--flag value`, `--flag=value`, `-h`,
//! positionals (`-` is a positional meaning stdin), and `--` to end the options.

use std::fmt;

/// A usage error: bad or missing arguments. Exits with status 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage(pub String);

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub fn usage(message: impl Into<String>) -> Usage {
    Usage(message.into())
}

/// One command-line item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arg {
    /// An option as written without its `=value` part: `--size`, `-h`.
    Flag(String),
    Positional(String),
}

pub struct Parser {
    args: std::vec::IntoIter<String>,
    /// The `value` of a `--flag=value` not yet taken by [`Parser::value`].
    attached: Option<(String, String)>,
    only_positionals: bool,
}

impl Parser {
    pub fn new(args: Vec<String>) -> Parser {
        Parser {
            args: args.into_iter(),
            attached: None,
            only_positionals: false,
        }
    }

    /// The next item, or `None` at the end.
    pub fn next(&mut self) -> Result<Option<Arg>, Usage> {
        if let Some((flag, _)) = self.attached.take() {
            return Err(usage(format!("option {flag} does not take a value")));
        }
        let Some(arg) = self.args.next() else {
            return Ok(None);
        };
        if self.only_positionals || arg == "-" || !arg.starts_with('-') {
            return Ok(Some(Arg::Positional(arg)));
        }
        if arg == "--" {
            self.only_positionals = true;
            return self.next();
        }
        if arg.starts_with("--") {
            if let Some((flag, value)) = arg.split_once('=') {
                self.attached = Some((flag.to_string(), value.to_string()));
                return Ok(Some(Arg::Flag(flag.to_string())));
            }
        }
        Ok(Some(Arg::Flag(arg)))
    }

    /// The value of the option just returned by [`Parser::next`].
    pub fn value(&mut self, flag: &str) -> Result<String, Usage> {
        if let Some((_, value)) = self.attached.take() {
            return Ok(value);
        }
        self.args
            .next()
            .ok_or_else(|| usage(format!("option {flag} needs a value")))
    }

    /// The value of the option just returned, as a number.
    pub fn number(&mut self, flag: &str) -> Result<usize, Usage> {
        let text = self.value(flag)?;
        text.trim().parse().map_err(|_| {
            usage(format!(
                "option {flag} needs a non-negative whole number, not `{text}`"
            ))
        })
    }
}

/// The error for an option a command does not know.
pub fn unknown(flag: &str) -> Usage {
    usage(format!("unknown option {flag}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parser(args: &[&str]) -> Parser {
        Parser::new(args.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn flags_values_and_positionals() {
        let mut p = parser(&["--size", "3", "--query=a b", "-", "x", "--", "--y"]);
        assert_eq!(p.next(), Ok(Some(Arg::Flag("--size".into()))));
        assert_eq!(p.number("--size"), Ok(3));
        assert_eq!(p.next(), Ok(Some(Arg::Flag("--query".into()))));
        assert_eq!(p.value("--query"), Ok("a b".into()));
        assert_eq!(p.next(), Ok(Some(Arg::Positional("-".into()))));
        assert_eq!(p.next(), Ok(Some(Arg::Positional("x".into()))));
        assert_eq!(p.next(), Ok(Some(Arg::Positional("--y".into()))));
        assert_eq!(p.next(), Ok(None));
    }

    #[test]
    fn errors() {
        let mut p = parser(&["--json=1"]);
        assert_eq!(p.next(), Ok(Some(Arg::Flag("--json".into()))));
        assert!(p.next().is_err());
        let mut p = parser(&["--size"]);
        p.next().ok();
        assert!(p.value("--size").is_err());
        let mut p = parser(&["--size", "-1"]);
        p.next().ok();
        assert!(p.number("--size").is_err());
    }
}

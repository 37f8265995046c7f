//! Wildcard patterns (`*` any run, `?` one character; no escapes, as in Elasticsearch).
//! Matching is linear-time in practice: each `*`-separated segment is found leftmost, which is
//! correct for `*` and never backtracks more than one segment's width.

#[derive(Clone, Debug, PartialEq)]
pub struct Wildcard {
    /// The pattern split at `*`; `segments.len() == stars + 1`.
    segments: Vec<Vec<Piece>>,
    pub case_insensitive: bool,
    source: String,
}

#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Char(char),
    Any,
}

pub fn has_wildcard(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

impl Wildcard {
    pub fn new(pattern: &str, case_insensitive: bool) -> Wildcard {
        let folded = if case_insensitive { fold(pattern) } else { pattern.to_string() };
        let segments = folded
            .split('*')
            .map(|seg| seg.chars().map(|c| if c == '?' { Piece::Any } else { Piece::Char(c) }).collect())
            .collect();
        Wildcard { segments, case_insensitive, source: pattern.to_string() }
    }

    /// A Lucene wildcard query's pattern, where `\` makes the next character literal (so `\*`
    /// is a star and `\\` a backslash), as Elasticsearch's `wildcard` query reads it.
    pub fn lucene(pattern: &str, case_insensitive: bool) -> Wildcard {
        let text = if case_insensitive { fold(pattern) } else { pattern.to_string() };
        let mut segments = vec![Vec::new()];
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    if let (Some(next), Some(seg)) = (chars.next(), segments.last_mut()) {
                        seg.push(Piece::Char(next));
                    }
                }
                '*' => segments.push(Vec::new()),
                '?' => segments.last_mut().into_iter().for_each(|seg| seg.push(Piece::Any)),
                c => segments.last_mut().into_iter().for_each(|seg| seg.push(Piece::Char(c))),
            }
        }
        Wildcard { segments, case_insensitive, source: pattern.to_string() }
    }

    pub fn source(&self) -> &str {
        &self.source
    }

    pub fn matches(&self, text: &str) -> bool {
        let chars: Vec<char> = match self.case_insensitive {
            true => fold(text).chars().collect(),
            false => text.chars().collect(),
        };
        self.matches_chars(&chars)
    }

    /// Whether the pattern matches text already split into characters — folded (see [`fold`])
    /// when the pattern is case-insensitive. A value tested against many patterns is split
    /// (and folded) once.
    pub fn matches_chars(&self, chars: &[char]) -> bool {
        let last = self.segments.len() - 1;
        if last == 0 {
            return segment_at(&self.segments[0], &chars, 0) && chars.len() == self.segments[0].len();
        }
        let first = &self.segments[0];
        if !segment_at(first, &chars, 0) {
            return false;
        }
        let mut pos = first.len();
        let tail = &self.segments[last];
        if chars.len() < pos + tail.len() {
            return false;
        }
        let tail_start = chars.len() - tail.len();
        for seg in &self.segments[1..last] {
            match find(seg, &chars[..tail_start], pos) {
                Some(at) => pos = at + seg.len(),
                None => return false,
            }
        }
        pos <= tail_start && segment_at(tail, &chars, tail_start)
    }
}

/// Unicode simple case folding approximated by lowercasing, as Elasticsearch does.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        s.to_ascii_lowercase()
    } else {
        s.to_lowercase()
    }
}

fn segment_at(seg: &[Piece], text: &[char], at: usize) -> bool {
    text.len() >= at + seg.len()
        && seg.iter().zip(&text[at..]).all(|(p, c)| match p {
            Piece::Any => true,
            Piece::Char(x) => x == c,
        })
}

fn find(seg: &[Piece], text: &[char], from: usize) -> Option<usize> {
    if text.len() < seg.len() {
        return None;
    }
    (from..=text.len() - seg.len()).find(|&at| segment_at(seg, text, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, t: &str) -> bool {
        Wildcard::new(p, false).matches(t)
    }

    #[test]
    fn lucene_patterns_escape_with_a_backslash() {
        let l = |p: &str, t: &str| Wildcard::lucene(p, false).matches(t);
        assert!(l(r"C:\\Temp\\*", r"C:\Temp\a.exe"));
        assert!(!l(r"C:\\Temp\\*", r"C:\TEMP\a.exe"), "case-sensitive, as a keyword field");
        assert!(l(r"a\*b", "a*b") && !l(r"a\*b", "axb"));
        assert!(l(r"a\?", "a?") && !l(r"a\?", "ab"));
        assert!(l("*.exe", "x.exe") && l("?.exe", "x.exe"));
    }

    #[test]
    fn basics() {
        assert!(m("*", ""));
        assert!(m("a*", "abc"));
        assert!(!m("a*", "bac"));
        assert!(m("*c", "abc"));
        assert!(m("a?c", "abc"));
        assert!(!m("a?c", "ac"));
        assert!(m("*b*", "abc"));
        assert!(m("a*b*c", "aXbYc"));
        assert!(!m("a*b*c", "aXcYb"));
        assert!(m("a*a", "aa"));
        assert!(!m("a*a", "a"));
        assert!(m("C:\\Windows\\*", "C:\\Windows\\x.dll"));
        assert!(Wildcard::new("C:\\WINDOWS\\*", true).matches("c:\\windows\\x.dll"));
    }

    #[test]
    fn no_exponential_blowup() {
        let text = "a".repeat(20_000);
        let pattern = format!("{}b", "*a".repeat(50));
        assert!(!m(&pattern, &text));
    }
}

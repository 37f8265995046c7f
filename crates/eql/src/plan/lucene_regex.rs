//! Translates Lucene's regexp syntax (what Elasticsearch's `regex` uses) to the `regex` crate,
//! which runs in linear time. Lucene patterns are anchored to the whole value; `^` and `$` are
//! ordinary characters; `"…"` quotes literal text; `@` is any string; `<1-10>` a number range.

pub fn translate(pattern: &str) -> Result<String, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::from(r"\A(?s:");
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        if in_class {
            match c {
                ']' => {
                    in_class = false;
                    out.push(']');
                }
                '\\' if i + 1 < chars.len() => {
                    i += 1;
                    push_escaped(&mut out, chars[i]);
                }
                '[' | '&' | '~' | '-' | '^' => {
                    // `^` only negates right after `[`; otherwise a literal, like `[`, `&`, `~`.
                    if c == '-' || (c == '^' && out.ends_with('[')) {
                        out.push(c);
                    } else {
                        push_escaped(&mut out, c);
                    }
                }
                _ => out.push(c),
            }
            i += 1;
            continue;
        }
        match c {
            '\\' => {
                i += 1;
                match chars.get(i) {
                    Some('d') => out.push_str("[0-9]"),
                    Some('D') => out.push_str("[^0-9]"),
                    Some('s') => out.push_str(r"[ \t\n\r\f\v]"),
                    Some('S') => out.push_str(r"[^ \t\n\r\f\v]"),
                    Some('w') => out.push_str("[A-Za-z0-9_]"),
                    Some('W') => out.push_str("[^A-Za-z0-9_]"),
                    Some(&e) => push_escaped(&mut out, e),
                    None => return Err("pattern ends with a lone backslash".into()),
                }
            }
            '"' => {
                let end = chars[i + 1..].iter().position(|&c| c == '"').ok_or("unterminated \" in regex")?;
                out.push_str("(?:");
                for &q in &chars[i + 1..i + 1 + end] {
                    push_escaped(&mut out, q);
                }
                out.push(')');
                i += end + 1;
            }
            '[' => {
                in_class = true;
                out.push('[');
            }
            '@' => out.push_str(".*"),
            '#' => out.push_str("[^\\s\\S]"),
            '<' => {
                let end = chars[i..].iter().position(|&c| c == '>').ok_or("unterminated < in regex")?;
                let body: String = chars[i + 1..i + end].iter().collect();
                out.push_str(&numeric_range(&body)?);
                i += end;
            }
            '~' | '&' => {
                return Err(format!("the Lucene regex operator [{c}] (complement/intersection) is not supported"))
            }
            '^' | '$' => push_escaped(&mut out, c),
            '{' => {
                // A counted repetition `{n}`, `{n,}`, `{n,m}` is copied as it is.
                let end = chars[i..].iter().position(|&c| c == '}').ok_or("unterminated { in regex")?;
                let body: String = chars[i + 1..i + end].iter().collect();
                if body.is_empty() || !body.chars().all(|c| c.is_ascii_digit() || c == ',') {
                    return Err(format!("invalid repetition {{{body}}}"));
                }
                out.push('{');
                out.push_str(&body);
                out.push('}');
                i += end;
            }
            '.' | '?' | '+' | '*' | '|' | '(' | ')' | '}' => out.push(c),
            _ => push_escaped(&mut out, c),
        }
        i += 1;
    }
    if in_class {
        return Err("unterminated [ in regex".into());
    }
    out.push_str(r")\z");
    Ok(out)
}

fn push_escaped(out: &mut String, c: char) {
    if regex_syntax_meta(c) {
        out.push('\\');
    }
    out.push(c);
}

/// `<lo-hi>`: any integer in the range, as an alternation (Lucene allows leading zeros).
fn numeric_range(body: &str) -> Result<String, String> {
    let (lo, hi) = body.split_once('-').ok_or_else(|| format!("invalid numeric range <{body}>"))?;
    let lo: u64 = lo.parse().map_err(|_| format!("invalid numeric range <{body}>"))?;
    let hi: u64 = hi.parse().map_err(|_| format!("invalid numeric range <{body}>"))?;
    let (lo, hi) = (lo.min(hi), lo.max(hi));
    if hi - lo > 10_000 {
        return Err(format!("numeric range <{body}> is too wide"));
    }
    let alts: Vec<String> = (lo..=hi).map(|n| n.to_string()).collect();
    Ok(format!("(?:0*(?:{}))", alts.join("|")))
}

/// Characters the `regex` crate treats specially (escaping others is an error there).
fn regex_syntax_meta(c: char) -> bool {
    matches!(c, '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$' | '#' | '&' | '-' | '~')
}

#[cfg(test)]
mod tests {
    use super::translate;

    fn matches(p: &str, t: &str) -> bool {
        regex_lite::Regex::new(&translate(p).unwrap()).unwrap().is_match(t)
    }

    #[test]
    fn anchored_and_literal_anchors() {
        assert!(!matches("cmd", "cmd.exe"));
        assert!(matches("cmd.*", "cmd.exe"));
        assert!(matches("a^b", "a^b"));
        assert!(matches("\"a.b\"c", "a.bc"));
        assert!(!matches("\"a.b\"c", "axbc"));
        assert!(matches("@x", "anything x"));
        assert!(matches("v<1-12>", "v07"));
        assert!(matches("[a-c]+", "abc"));
        assert!(matches("[^a-c]", "z"));
        assert!(translate("a~b").is_err());
    }
}

//! Comparing two values the way Elasticsearch's queries do.

use crate::data::Val;
use crate::plan::node::CmpMode;
use crate::plan::wildcard::fold;
use std::cmp::Ordering;
use std::net::IpAddr;

/// The order of two values, or `None` when they cannot be compared (null, or unlike types).
pub fn compare(a: &Val, b: &Val, mode: CmpMode) -> Option<Ordering> {
    match (a, b) {
        (Val::Null, _) | (_, Val::Null) => None,
        (Val::Str(x), Val::Str(y)) => match mode {
            CmpMode::Plain => Some(x.as_bytes().cmp(y.as_bytes())),
            CmpMode::Version => Some(compare_versions(x, y)),
            CmpMode::Ip => match (x.trim().parse::<IpAddr>(), y.trim().parse::<IpAddr>()) {
                (Ok(p), Ok(q)) => Some(p.cmp(&q)),
                _ => Some(x.as_bytes().cmp(y.as_bytes())),
            },
        },
        (Val::Int(x), Val::Int(y)) => Some(x.cmp(y)),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(y)),
        (Val::Int(_) | Val::Float(_), Val::Int(_) | Val::Float(_)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        // A keyword holding digits compared to a number: Elasticsearch converts the term.
        (Val::Str(s), n @ (Val::Int(_) | Val::Float(_))) => compare(&parse_number(s)?, n, mode),
        (n @ (Val::Int(_) | Val::Float(_)), Val::Str(s)) => compare(n, &parse_number(s)?, mode),
        (Val::Bool(x), Val::Str(s)) => Some(x.to_string().as_str().cmp(s)),
        (Val::Str(s), Val::Bool(y)) => Some((**s).cmp(y.to_string().as_str())),
        _ => None,
    }
}

fn parse_number(s: &str) -> Option<Val<'static>> {
    let t = s.trim();
    t.parse::<i64>().map(Val::Int).ok().or_else(|| t.parse::<f64>().ok().map(Val::Float))
}

pub fn equals(a: &Val, b: &Val, mode: CmpMode) -> bool {
    compare(a, b, mode) == Some(Ordering::Equal)
}

/// Case-insensitive equality for strings; plain equality otherwise.
pub fn equals_folded(a: &Val, folded_b: &Val) -> bool {
    match (a, folded_b) {
        (Val::Str(x), Val::Str(y)) => {
            if x.is_ascii() {
                x.eq_ignore_ascii_case(y) && x.len() == y.len()
            } else {
                fold(x) == **y
            }
        }
        _ => equals(a, folded_b, CmpMode::Plain),
    }
}

/// Semantic-version order as Elasticsearch's `version` type: numeric parts numerically,
/// a pre-release below its release, and anything unparsable after every valid version.
fn compare_versions(a: &str, b: &str) -> Ordering {
    fn parse(v: &str) -> Option<(Vec<u64>, Option<&str>)> {
        let core_end = v.find(['-', '+']).unwrap_or(v.len());
        let core: Option<Vec<u64>> = v[..core_end].split('.').map(|p| p.parse().ok()).collect();
        let pre = v[core_end..].strip_prefix('-').map(|p| p.split('+').next().unwrap_or(p));
        core.map(|c| (c, pre))
    }
    match (parse(a), parse(b)) {
        (Some((ca, pa)), Some((cb, pb))) => ca.cmp(&cb).then_with(|| match (pa, pb) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => compare_prerelease(x, y),
        }),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

fn compare_prerelease(a: &str, b: &str) -> Ordering {
    for (x, y) in a.split('.').zip(b.split('.')) {
        let ord = match (x.parse::<u64>(), y.parse::<u64>()) {
            (Ok(p), Ok(q)) => p.cmp(&q),
            (Ok(_), Err(_)) => Ordering::Less,
            (Err(_), Ok(_)) => Ordering::Greater,
            _ => x.cmp(y),
        };
        if ord != Ordering::Equal {
            return ord;
        }
    }
    a.split('.').count().cmp(&b.split('.').count())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::borrow::Cow;

    fn s(x: &str) -> Val<'_> {
        Val::Str(Cow::Borrowed(x))
    }

    #[test]
    fn versions() {
        assert_eq!(compare(&s("1.10.0"), &s("1.9.0"), CmpMode::Version), Some(Ordering::Greater));
        assert_eq!(compare(&s("1.0.0-alpha"), &s("1.0.0"), CmpMode::Version), Some(Ordering::Less));
    }

    #[test]
    fn mixed_types() {
        assert_eq!(compare(&s("1234"), &Val::Int(1234), CmpMode::Plain), Some(Ordering::Equal));
        assert_eq!(compare(&Val::Int(1), &Val::Float(1.5), CmpMode::Plain), Some(Ordering::Less));
        assert_eq!(compare(&Val::Null, &Val::Int(1), CmpMode::Plain), None);
    }
}

//! EQL's function catalogue: names, arities, which take `~`, and what each computes.
//! Almost every function gives null when an argument is null.

use super::wildcard::fold;
use crate::data::Val;
use std::borrow::Cow;
use std::net::IpAddr;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Add,
    Between,
    CidrMatch,
    Concat,
    Divide,
    EndsWith,
    IndexOf,
    Length,
    Modulo,
    Multiply,
    Number,
    StartsWith,
    String,
    StringContains,
    Substring,
    Subtract,
}

impl Func {
    /// Every function, in alphabetical order (for completion and documentation).
    pub const ALL: [Func; 16] = [
        Func::Add,
        Func::Between,
        Func::CidrMatch,
        Func::Concat,
        Func::Divide,
        Func::EndsWith,
        Func::IndexOf,
        Func::Length,
        Func::Modulo,
        Func::Multiply,
        Func::Number,
        Func::StartsWith,
        Func::String,
        Func::StringContains,
        Func::Substring,
        Func::Subtract,
    ];

    /// The signature as Elasticsearch's EQL reference writes it (`~` marks the functions that
    /// take a case-insensitive form).
    pub fn signature(self) -> &'static str {
        use Func::*;
        match self {
            Add => "add(<addend>, <addend>)",
            Between => "between~(<source>, <left>, <right>[, <greedy_matching>])",
            CidrMatch => "cidrMatch(<ip_address>, <cidr_block>[, ...])",
            Concat => "concat(<value>[, <value>, ...])",
            Divide => "divide(<dividend>, <divisor>)",
            EndsWith => "endsWith~(<string>, <substring>)",
            IndexOf => "indexOf~(<searched_string>, <substring>[, <start_pos>])",
            Length => "length(<string>)",
            Modulo => "modulo(<dividend>, <divisor>)",
            Multiply => "multiply(<factor>, <factor>)",
            Number => "number(<string>[, <base>])",
            StartsWith => "startsWith~(<string>, <substring>)",
            String => "string(<value>)",
            StringContains => "stringContains~(<string>, <substring>)",
            Substring => "substring(<source>, <start_pos>[, <end_pos>])",
            Subtract => "subtract(<minuend>, <subtrahend>)",
        }
    }

    /// Looks a function up by name, ignoring case as Elasticsearch does.
    pub fn lookup(name: &str) -> Option<Func> {
        use Func::*;
        Some(match name.to_ascii_lowercase().as_str() {
            "add" => Add,
            "between" => Between,
            "cidrmatch" => CidrMatch,
            "concat" => Concat,
            "divide" => Divide,
            "endswith" => EndsWith,
            "indexof" => IndexOf,
            "length" => Length,
            "modulo" => Modulo,
            "multiply" => Multiply,
            "number" => Number,
            "startswith" => StartsWith,
            "string" => String,
            "stringcontains" => StringContains,
            "substring" => Substring,
            "subtract" => Subtract,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        use Func::*;
        match self {
            Add => "add",
            Between => "between",
            CidrMatch => "cidrMatch",
            Concat => "concat",
            Divide => "divide",
            EndsWith => "endsWith",
            IndexOf => "indexOf",
            Length => "length",
            Modulo => "modulo",
            Multiply => "multiply",
            Number => "number",
            StartsWith => "startsWith",
            String => "string",
            StringContains => "stringContains",
            Substring => "substring",
            Subtract => "subtract",
        }
    }

    /// Allowed argument counts (min, max); `usize::MAX` for variadic.
    pub fn arity(self) -> (usize, usize) {
        use Func::*;
        match self {
            Add | Divide | Modulo | Multiply | Subtract | EndsWith | StartsWith | StringContains => (2, 2),
            Between => (3, 4),
            CidrMatch => (2, usize::MAX),
            Concat => (1, usize::MAX),
            IndexOf | Substring => (2, 3),
            Length | String => (1, 1),
            Number => (1, 2),
        }
    }

    pub fn takes_case_flag(self) -> bool {
        matches!(self, Func::Between | Func::EndsWith | Func::IndexOf | Func::StartsWith | Func::StringContains)
    }
}

/// What is wrong with a call, as Elasticsearch's verifier would say, or `None`.
pub fn check_call(name: &str, insensitive: bool, arg_count: usize) -> Option<String> {
    let Some(func) = Func::lookup(name) else {
        return Some(format!("Unknown function [{name}]"));
    };
    let (min, max) = func.arity();
    if arg_count < min || arg_count > max {
        let expected = match (min, max) {
            (a, b) if a == b => format!("{a}"),
            (a, usize::MAX) => format!("at least {a}"),
            (a, b) => format!("{a} to {b}"),
        };
        return Some(format!("error building [{}]: expects {expected} argument(s), found [{arg_count}]", func.name()));
    }
    if insensitive && !func.takes_case_flag() {
        return Some(format!("[{}] does not support case-insensitive matching (~)", func.name()));
    }
    None
}

fn text<'v>(v: &Val<'v>) -> Option<Cow<'v, str>> {
    v.to_text()
}

fn folded<'v>(s: Cow<'v, str>, on: bool) -> Cow<'v, str> {
    if on {
        Cow::Owned(fold(&s))
    } else {
        s
    }
}

fn int_arg(v: &Val) -> Option<i64> {
    match v {
        Val::Int(i) => Some(*i),
        Val::Float(f) => Some(f.trunc() as i64),
        Val::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Applies a function to one combination of argument values.
pub fn apply<'v>(func: Func, args: &[Val<'v>], fold_case: bool) -> Val<'v> {
    use Func::*;
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Val::Null);
    match func {
        Add | Subtract | Multiply | Divide | Modulo => {
            let op = match func {
                Add => crate::syntax::ast::ArithOp::Add,
                Subtract => crate::syntax::ast::ArithOp::Sub,
                Multiply => crate::syntax::ast::ArithOp::Mul,
                Divide => crate::syntax::ast::ArithOp::Div,
                _ => crate::syntax::ast::ArithOp::Mod,
            };
            arith(op, &arg(0), &arg(1))
        }
        Length => match text(&arg(0)) {
            Some(s) => Val::Int(s.chars().count() as i64),
            None => Val::Null,
        },
        String => text(&arg(0)).map_or(Val::Null, Val::Str),
        Concat => {
            let mut out = std::string::String::new();
            for a in args {
                match text(a) {
                    Some(s) => out.push_str(&s),
                    None => return Val::Null,
                }
            }
            Val::Str(Cow::Owned(out))
        }
        StartsWith | EndsWith | StringContains => {
            let (Some(s), Some(sub)) = (text(&arg(0)), text(&arg(1))) else { return Val::Null };
            let (s, sub) = (folded(s, fold_case), folded(sub, fold_case));
            Val::Bool(match func {
                StartsWith => s.starts_with(&*sub),
                EndsWith => s.ends_with(&*sub),
                _ => s.contains(&*sub),
            })
        }
        IndexOf => {
            let (Some(s), Some(sub)) = (text(&arg(0)), text(&arg(1))) else { return Val::Null };
            let start = match args.get(2) {
                None => 0,
                Some(v) if v.is_null() => 0,
                Some(v) => match int_arg(v) {
                    Some(i) => i.max(0) as usize,
                    None => return Val::Null,
                },
            };
            let (s, sub) = (folded(s, fold_case), folded(sub, fold_case));
            let chars: Vec<char> = s.chars().collect();
            if start > chars.len() {
                return Val::Null;
            }
            let byte_start: usize = chars[..start].iter().map(|c| c.len_utf8()).sum();
            match s[byte_start..].find(&*sub) {
                Some(b) => Val::Int((start + s[byte_start..byte_start + b].chars().count()) as i64),
                None => Val::Null,
            }
        }
        Between => {
            let (Some(s), Some(left), Some(right)) = (text(&arg(0)), text(&arg(1)), text(&arg(2))) else {
                return Val::Null;
            };
            let greedy = match args.get(3) {
                None => false,
                Some(Val::Bool(b)) => *b,
                Some(_) => return Val::Null,
            };
            between(&s, &left, &right, greedy, fold_case)
        }
        Substring => {
            let Some(s) = text(&arg(0)) else { return Val::Null };
            let chars: Vec<char> = s.chars().collect();
            let len = chars.len() as i64;
            let norm = |i: i64| if i < 0 { (len + i).max(0) } else { i.min(len) };
            let Some(start) = int_arg(&arg(1)) else { return Val::Null };
            let end = match args.get(2) {
                None => len,
                Some(v) if v.is_null() => len,
                Some(v) => match int_arg(v) {
                    Some(e) => e,
                    None => return Val::Null,
                },
            };
            let (start, end) = (norm(start), norm(end));
            if start >= end {
                return Val::Str(Cow::Borrowed(""));
            }
            Val::Str(Cow::Owned(chars[start as usize..end as usize].iter().collect()))
        }
        Number => number(&arg(0), args.get(1)),
        CidrMatch => {
            let Some(ip) = text(&arg(0)) else { return Val::Null };
            let Ok(ip) = ip.trim().parse::<IpAddr>() else { return Val::Bool(false) };
            Val::Bool(args[1..].iter().any(|c| text(c).is_some_and(|c| cidr_contains(&c, ip))))
        }
    }
}

fn between<'v>(s: &str, left: &str, right: &str, greedy: bool, fold_case: bool) -> Val<'v> {
    let (hay, l, r) = if fold_case { (fold(s), fold(left), fold(right)) } else { (s.to_string(), left.to_string(), right.to_string()) };
    // Folding can change byte lengths; work in characters so indices carry over to `s`.
    let hay_c: Vec<char> = hay.chars().collect();
    let src: Vec<char> = s.chars().collect();
    let find = |needle: &str, from: usize, last: bool| -> Option<usize> {
        let n: Vec<char> = needle.chars().collect();
        if n.len() > hay_c.len() {
            return None;
        }
        let range = from..=hay_c.len() - n.len();
        let hit = |i: &usize| hay_c[*i..*i + n.len()] == n[..];
        if last {
            range.rev().find(hit)
        } else {
            range.clone().find(hit)
        }
    };
    let Some(start) = find(&l, 0, false) else { return Val::Str(Cow::Borrowed("")) };
    let start = start + l.chars().count();
    let end = if greedy { find(&r, start.min(hay_c.len()), true) } else { find(&r, start.min(hay_c.len()), false) };
    match end {
        Some(end) if end >= start && src.len() == hay_c.len() => Val::Str(Cow::Owned(src[start..end].iter().collect())),
        Some(end) if end >= start => Val::Str(Cow::Owned(hay_c[start..end].iter().collect())),
        _ => Val::Str(Cow::Borrowed("")),
    }
}

fn number<'v>(v: &Val<'v>, base: Option<&Val<'v>>) -> Val<'v> {
    let base = match base {
        None | Some(Val::Null) => 10,
        Some(b) => match int_arg(b) {
            Some(b @ 2..=36) => b as u32,
            _ => return Val::Null,
        },
    };
    match v {
        Val::Int(_) | Val::Float(_) => v.clone(),
        Val::Str(s) => {
            let t = s.trim();
            let (neg, t) = t.strip_prefix('-').map_or((false, t), |r| (true, r));
            let (t, base) = match t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
                Some(hex) if base == 16 || base == 10 => (hex, 16),
                _ => (t, base),
            };
            let sign = if neg { -1 } else { 1 };
            if base == 10 {
                if let Ok(i) = t.parse::<i64>() {
                    return Val::Int(sign * i);
                }
                return t.parse::<f64>().map_or(Val::Null, |f| Val::Float(sign as f64 * f));
            }
            i64::from_str_radix(t, base).map_or(Val::Null, |i| Val::Int(sign * i))
        }
        _ => Val::Null,
    }
}

fn cidr_contains(cidr: &str, ip: IpAddr) -> bool {
    let (net, bits) = cidr.split_once('/').unwrap_or((cidr, ""));
    let Ok(net) = net.trim().parse::<IpAddr>() else { return false };
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(a)) => {
            let bits: u32 = bits.parse().unwrap_or(32).min(32);
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            u32::from(n) & mask == u32::from(a) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(a)) => {
            let bits: u32 = bits.parse().unwrap_or(128).min(128);
            let mask = if bits == 0 { 0 } else { u128::MAX << (128 - bits) };
            u128::from(n) & mask == u128::from(a) & mask
        }
        (IpAddr::V4(n), IpAddr::V6(a)) => a.to_ipv4_mapped().is_some_and(|a| cidr_contains(&format!("{n}/{bits}"), IpAddr::V4(a))),
        _ => false,
    }
}

fn to_number(v: &Val) -> Option<Val<'static>> {
    match v {
        Val::Int(i) => Some(Val::Int(*i)),
        Val::Float(f) => Some(Val::Float(*f)),
        Val::Str(s) => {
            let t = s.trim();
            t.parse::<i64>().map(Val::Int).ok().or_else(|| t.parse::<f64>().ok().map(Val::Float))
        }
        _ => None,
    }
}

/// Arithmetic with Java's rules: integer division truncates; a zero divisor gives null.
pub fn arith<'v>(op: crate::syntax::ast::ArithOp, a: &Val, b: &Val) -> Val<'v> {
    use crate::syntax::ast::ArithOp::*;
    let (Some(a), Some(b)) = (to_number(a), to_number(b)) else { return Val::Null };
    match (a, b) {
        (Val::Int(x), Val::Int(y)) => match op {
            Add => Val::Int(x.wrapping_add(y)),
            Sub => Val::Int(x.wrapping_sub(y)),
            Mul => Val::Int(x.wrapping_mul(y)),
            Div if y == 0 => Val::Null,
            Div => Val::Int(x.wrapping_div(y)),
            Mod if y == 0 => Val::Null,
            Mod => Val::Int(x.wrapping_rem(y)),
        },
        (a, b) => {
            let (x, y) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            let r = match op {
                Add => x + y,
                Sub => x - y,
                Mul => x * y,
                Div => x / y,
                Mod => x % y,
            };
            if r.is_finite() {
                Val::Float(r)
            } else {
                Val::Null
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Func;

    #[test]
    fn every_function_is_listed_once_with_its_signature() {
        for f in Func::ALL {
            assert_eq!(Func::lookup(f.name()), Some(f));
            assert!(f.signature().starts_with(f.name()), "{}", f.signature());
        }
        let mut names: Vec<&str> = Func::ALL.iter().map(|f| f.name()).collect();
        names.dedup();
        assert_eq!(names.len(), 16);
    }
}

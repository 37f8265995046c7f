//! Prints a syntax tree back as canonical EQL: parsing the output gives the same tree.

use super::ast::*;
use std::fmt::{self, Display, Formatter, Write};

impl Display for Query {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.body {
            QueryBody::Event(q) => write!(f, "{q}")?,
            QueryBody::Sequence(s) => write!(f, "{s}")?,
            QueryBody::Sample(s) => write!(f, "{s}")?,
        }
        for pipe in &self.pipes {
            let name = match pipe.kind {
                PipeKind::Head => "head",
                PipeKind::Tail => "tail",
            };
            write!(f, " | {name} {}", pipe.count)?;
        }
        Ok(())
    }
}

impl Display for EventQuery {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.category {
            Category::Any(_) => f.write_str("any")?,
            Category::Named(name, _) if is_plain_ident(name) => f.write_str(name)?,
            Category::Named(name, _) => write_string(f, name)?,
        }
        write!(f, " where {}", self.condition)
    }
}

fn write_keys(f: &mut Formatter<'_>, keys: &[Expr]) -> fmt::Result {
    if keys.is_empty() {
        return Ok(());
    }
    f.write_str(" by ")?;
    for (i, k) in keys.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{k}")?;
    }
    Ok(())
}

fn write_term(f: &mut Formatter<'_>, term: &Term) -> fmt::Result {
    let open = if term.missing { "![" } else { "[" };
    write!(f, "\n  {open}{}]", term.query)?;
    write_keys(f, &term.by)?;
    if let Some(runs) = term.runs {
        write!(f, " with runs={runs}")?;
    }
    Ok(())
}

impl Display for Sequence {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("sequence")?;
        write_keys(f, &self.by)?;
        if let Some(span) = &self.maxspan {
            write!(f, " with maxspan={}{}", span.value, span.unit.as_str())?;
        }
        for term in &self.terms {
            write_term(f, term)?;
        }
        if let Some(until) = &self.until {
            f.write_str("\nuntil")?;
            write_term(f, until)?;
        }
        Ok(())
    }
}

impl Display for Sample {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("sample")?;
        write_keys(f, &self.by)?;
        for term in &self.terms {
            write_term(f, term)?;
        }
        Ok(())
    }
}

fn is_plain_ident(s: &str) -> bool {
    let mut bytes = s.bytes();
    matches!(bytes.next(), Some(b) if b.is_ascii_alphabetic() || b == b'_' || b == b'@')
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && super::token::Keyword::from_word(s, false).is_none()
}

fn write_string(f: &mut Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if c.is_control() => write!(f, "\\u{{{:04x}}}", c as u32)?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Int(i) => write!(f, "{i}"),
            Literal::Float(x) if x.fract() == 0.0 && x.abs() < 1e15 => write!(f, "{x:.1}"),
            Literal::Float(x) => write!(f, "{x:?}"),
            Literal::Str(s) => write_string(f, s),
        }
    }
}

impl Display for FieldRef {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.optional {
            f.write_char('?')?;
        }
        for (i, part) in self.path.iter().enumerate() {
            if i > 0 {
                f.write_char('.')?;
            }
            if is_plain_ident(part) {
                f.write_str(part)?;
            } else {
                write!(f, "`{}`", part.replace('`', "``"))?;
            }
        }
        Ok(())
    }
}

/// Binding strength, loosest first; a child that binds looser than its parent gets parentheses.
fn precedence(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Or(..) => 1,
        ExprKind::And(..) => 2,
        ExprKind::Not(..) => 3,
        ExprKind::Compare(..) => 4,
        ExprKind::Arith(ArithOp::Add | ArithOp::Sub, ..) => 5,
        ExprKind::Arith(..) => 6,
        ExprKind::Neg(..) => 7,
        ExprKind::In { .. } | ExprKind::Match { .. } => 8,
        ExprKind::Literal(Literal::Int(i)) if *i < 0 => 7,
        ExprKind::Literal(Literal::Float(x)) if x.is_sign_negative() => 7,
        _ => 9,
    }
}

fn child(f: &mut Formatter<'_>, e: &Expr, min: u8) -> fmt::Result {
    if precedence(e) < min {
        write!(f, "({e})")
    } else {
        write!(f, "{e}")
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ExprKind::Literal(l) => write!(f, "{l}"),
            ExprKind::Field(field) => write!(f, "{field}"),
            ExprKind::Or(a, b) => {
                child(f, a, 1)?;
                f.write_str(" or ")?;
                child(f, b, 2)
            }
            ExprKind::And(a, b) => {
                child(f, a, 2)?;
                f.write_str(" and ")?;
                child(f, b, 3)
            }
            ExprKind::Not(e) => {
                f.write_str("not ")?;
                child(f, e, 3)
            }
            ExprKind::Compare(op, a, b) => {
                child(f, a, 5)?;
                write!(f, " {} ", op.as_str())?;
                child(f, b, 5)
            }
            ExprKind::Arith(op, a, b) => {
                let p = precedence(self);
                child(f, a, p)?;
                write!(f, " {} ", op.as_str())?;
                child(f, b, p + 1)
            }
            ExprKind::Neg(e) => {
                f.write_char('-')?;
                child(f, e, 8)
            }
            ExprKind::In { expr, list, negated, insensitive } => {
                child(f, expr, 9)?;
                let not = if *negated { " not" } else { "" };
                let tilde = if *insensitive { "~" } else { "" };
                write!(f, "{not} in{tilde} (")?;
                write_list(f, list)?;
                f.write_char(')')
            }
            ExprKind::Match { op, insensitive, expr, patterns } => {
                child(f, expr, 9)?;
                let tilde = if *insensitive { "~" } else { "" };
                match op {
                    MatchOp::Seq => f.write_str(" : ")?,
                    MatchOp::Like => write!(f, " like{tilde} ")?,
                    MatchOp::Regex => write!(f, " regex{tilde} ")?,
                }
                if patterns.len() == 1 {
                    write!(f, "{}", patterns[0])
                } else {
                    f.write_char('(')?;
                    write_list(f, patterns)?;
                    f.write_char(')')
                }
            }
            ExprKind::Call { name, insensitive, args } => {
                write!(f, "{name}{}(", if *insensitive { "~" } else { "" })?;
                write_list(f, args)?;
                f.write_char(')')
            }
        }
    }
}

fn write_list(f: &mut Formatter<'_>, list: &[Expr]) -> fmt::Result {
    for (i, e) in list.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{e}")?;
    }
    Ok(())
}

//! Checks Elasticsearch makes after parsing (its "verifier"): join-key shape and counts,
//! missing-event rules, field-to-field comparisons.

use super::ast::*;
use super::error::QueryError;

pub fn validate(query: &Query) -> Vec<QueryError> {
    let mut errors = Vec::new();
    match &query.body {
        QueryBody::Event(q) => check_condition(&q.condition, &mut errors),
        QueryBody::Sequence(seq) => check_sequence(seq, &mut errors),
        QueryBody::Sample(sample) => {
            check_keys(&sample.by, &mut errors);
            for term in &sample.terms {
                check_keys(&term.by, &mut errors);
                check_condition(&term.query.condition, &mut errors);
            }
            check_key_counts(sample.by.len(), sample.terms.iter(), &mut errors);
            if !query.pipes.is_empty() {
                errors.push(QueryError::new("Pipes are not supported with sample", query.pipes[0].span));
            }
        }
    }
    errors
}

fn check_sequence(seq: &Sequence, errors: &mut Vec<QueryError>) {
    check_keys(&seq.by, errors);
    let all_terms = || seq.terms.iter().chain(seq.until.as_ref());
    for term in all_terms() {
        check_keys(&term.by, errors);
        check_condition(&term.query.condition, errors);
    }
    check_key_counts(seq.by.len(), all_terms(), errors);
    let positive: u32 = seq.terms.iter().filter(|t| !t.missing).map(|t| t.runs.unwrap_or(1)).sum();
    let has_missing = seq.terms.iter().any(|t| t.missing);
    if has_missing {
        if seq.maxspan.is_none() {
            errors.push(QueryError::new("Missing events ![...] require a [maxspan]", seq.span));
        }
        if positive == 0 {
            errors.push(QueryError::new("A sequence requires at least one positive event query; found none", seq.span));
        }
    } else if positive < 2 {
        errors.push(QueryError::new(format!("A sequence requires a minimum of 2 queries, found [{positive}]"), seq.span));
    }
}

/// Every term must end up with the same number of keys (the sequence's plus its own).
fn check_key_counts<'a>(shared: usize, terms: impl Iterator<Item = &'a Term>, errors: &mut Vec<QueryError>) {
    let mut expected: Option<usize> = None;
    for term in terms {
        let count = shared + term.by.len();
        match expected {
            None => expected = Some(count),
            Some(n) if n != count => errors.push(QueryError::new(
                format!("Inconsistent number of join keys specified; expected [{n}] but found [{count}]"),
                term.span,
            )),
            _ => {}
        }
    }
}

fn check_keys(keys: &[Expr], errors: &mut Vec<QueryError>) {
    for key in keys {
        if !matches!(key.kind, ExprKind::Field(_)) {
            errors.push(QueryError::new("Unsupported join key: join keys must be field names", key.span));
        }
    }
}

/// Whether the expression reads a mandatory field. Optional fields may turn out unmapped and
/// become null, so Elasticsearch only rejects them after resolving the mapping.
fn mentions_field(expr: &Expr) -> bool {
    let mut found = false;
    walk(expr, &mut |e| found |= matches!(&e.kind, ExprKind::Field(f) if !f.optional));
    found
}

fn check_condition(expr: &Expr, errors: &mut Vec<QueryError>) {
    walk(expr, &mut |e| {
        if let ExprKind::Call { name, insensitive, args } = &e.kind {
            if let Some(message) = crate::plan::functions::check_call(name, *insensitive, args.len()) {
                errors.push(QueryError::new(message, e.span));
            }
        }
        let both = match &e.kind {
            ExprKind::Compare(_, l, r) => mentions_field(l) && mentions_field(r),
            ExprKind::In { expr, list, .. } => mentions_field(expr) && list.iter().any(mentions_field),
            _ => false,
        };
        if both {
            errors.push(QueryError::new("Comparisons against fields are not supported", e.span));
        }
    });
}

/// Visits `expr` and all its sub-expressions, parents first.
pub fn walk(expr: &Expr, f: &mut impl FnMut(&Expr)) {
    f(expr);
    match &expr.kind {
        ExprKind::Literal(_) | ExprKind::Field(_) => {}
        ExprKind::Not(e) | ExprKind::Neg(e) => walk(e, f),
        ExprKind::And(a, b) | ExprKind::Or(a, b) | ExprKind::Compare(_, a, b) | ExprKind::Arith(_, a, b) => {
            walk(a, f);
            walk(b, f);
        }
        ExprKind::In { expr, list, .. } => {
            walk(expr, f);
            list.iter().for_each(|e| walk(e, f));
        }
        ExprKind::Match { expr, patterns, .. } => {
            walk(expr, f);
            patterns.iter().for_each(|e| walk(e, f));
        }
        ExprKind::Call { args, .. } => args.iter().for_each(|e| walk(e, f)),
    }
}

//! Event order: timestamp, then the tiebreaker field (null last), then input order.

use crate::data::{reader::date_format, Dataset, FieldId, FieldType, Val, Value};
use crate::data::timestamp::from_epoch_millis;
use std::cmp::Ordering;

/// Each event's timestamp in nanoseconds, if it has a readable one.
pub fn timestamps(data: &Dataset, field: FieldId) -> Vec<Option<i64>> {
    let ty = data.fields().get(field).ty.clone();
    let format = date_format(&ty);
    (0..data.len())
        .map(|e| match data.first_value(e, field)? {
            // Date-typed fields were read as nanoseconds already.
            Val::Int(i) if ty.is_date() => Some(i),
            Val::Int(i) => from_epoch_millis(i as f64),
            Val::Float(f) => from_epoch_millis(f),
            Val::Str(s) => format.parse_str(&s),
            _ => None,
        })
        .collect()
}

/// Event indices sorted into query order; events without a timestamp come last, in input order.
pub fn sorted_events(data: &Dataset, ts: &[Option<i64>], tiebreaker: Option<FieldId>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..data.len()).collect();
    let tb: Option<Vec<Option<Value>>> =
        tiebreaker.map(|f| (0..data.len()).map(|e| data.first_value(e, f).map(|v| v.to_owned_value())).collect());
    order.sort_by(|&a, &b| {
        let by_ts = match (ts[a], ts[b]) {
            (Some(x), Some(y)) => x.cmp(&y),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_ts
            .then_with(|| match &tb {
                Some(tb) => match (&tb[a], &tb[b]) {
                    (Some(x), Some(y)) => x.cmp(y),
                    (Some(_), None) => Ordering::Less,
                    (None, Some(_)) => Ordering::Greater,
                    (None, None) => Ordering::Equal,
                },
                None => Ordering::Equal,
            })
            .then(a.cmp(&b))
    });
    order
}

/// How a join-key value is shown: dates as Elasticsearch prints them.
pub fn key_value(ty: &FieldType, v: Val<'_>) -> Value {
    match (ty, &v) {
        (FieldType::Date(_), Val::Int(n)) => Value::Str(crate::data::timestamp::format_iso_millis(*n)),
        (FieldType::DateNanos(_), Val::Int(n)) => Value::Str(crate::data::timestamp::format_iso_nanos(*n)),
        _ => v.to_owned_value(),
    }
}

//! Join keys: each value of a multi-valued key field is its own key (several multi-valued
//! fields give their cartesian product); a missing mandatory key keeps the event out.

use crate::data::{Dataset, Value};
use crate::plan::KeyField;

/// Caps the keys one event can produce when several key fields hold arrays.
const MAX_KEYS_PER_EVENT: usize = 1024;

pub type Key = Vec<Value>;

pub fn event_keys(data: &Dataset, event: usize, fields: &[KeyField]) -> Vec<Key> {
    let mut keys: Vec<Key> = vec![Vec::with_capacity(fields.len())];
    for kf in fields {
        let mut values: Vec<Value> = data.values(event, kf.field).map(|v| v.to_owned_value()).collect();
        values.dedup();
        if values.is_empty() {
            if !kf.optional {
                return Vec::new();
            }
            values.push(Value::Null);
        }
        if values.len() == 1 {
            let v = values.pop().unwrap_or(Value::Null);
            keys.iter_mut().for_each(|k| k.push(v.clone()));
            continue;
        }
        let mut next = Vec::with_capacity(keys.len() * values.len());
        'outer: for k in &keys {
            for v in &values {
                if next.len() >= MAX_KEYS_PER_EVENT {
                    break 'outer;
                }
                let mut nk = k.clone();
                nk.push(v.clone());
                next.push(nk);
            }
        }
        keys = next;
    }
    keys
}

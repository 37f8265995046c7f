//! The event store: for each event, where it came from and the values of the query's fields.
//! Values live in flat arrays (strings in one arena) rather than one tree per event, which
//! keeps memory close to the size of what the query reads.

use super::fields::{FieldId, FieldTable};
use super::value::{Val, Value};
use std::borrow::Cow;

/// Where an event came from: input number, 1-based line (or array element), byte range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Origin {
    pub input: u32,
    pub line: u32,
    pub offset: usize,
    pub len: u32,
}

/// An input line or element that could not be read.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct InputError {
    pub input: u32,
    pub line: u32,
    pub message: String,
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Stored {
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string of the arena. The offset is a `usize` because the arena of a large input can
    /// pass 4 GiB natively; the value stays 16 bytes either way.
    Str { off: usize, len: u32 },
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Stored>() == 16);

/// One event's fields as a table by field id, for testing many conditions on that event (a
/// rule pack's screen): a lookup instead of a search per condition.
#[derive(Debug, Default)]
pub struct RowIndex {
    /// Per field: (start, len) of its values (len 0: missing).
    runs: Vec<(u32, u32)>,
    /// The fields set for the current event, to clear them for the next.
    filled: Vec<u32>,
}

/// A field an event has: its run of `values`.
#[derive(Clone, Copy, Debug, Default)]
struct Present {
    field: u32,
    start: u32,
    len: u32,
}

/// Events with the values of one [`FieldTable`]'s fields.
///
/// Each event lists only the fields it has (sorted by field id), so the table costs what the
/// events hold, not events × fields: a rule pack reads hundreds of fields, most of which an
/// event lacks.
#[derive(Debug, Default)]
pub struct Dataset {
    pub(crate) fields: FieldTable,
    origins: Vec<Origin>,
    /// Where each event's fields start in `present` (they end where the next event's start).
    rows: Vec<u32>,
    present: Vec<Present>,
    values: Vec<Stored>,
    strings: String,
    seen: Vec<bool>,
    errors: Vec<InputError>,
}

impl Dataset {
    pub(crate) fn new(fields: FieldTable) -> Self {
        let seen = vec![false; fields.len()];
        Dataset { fields, seen, ..Default::default() }
    }

    pub fn len(&self) -> usize {
        self.origins.len()
    }

    pub fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }

    pub fn origin(&self, event: usize) -> Origin {
        self.origins[event]
    }

    pub fn errors(&self) -> &[InputError] {
        &self.errors
    }

    pub fn fields(&self) -> &FieldTable {
        &self.fields
    }

    /// Whether some event has a non-null value for the field (dynamic mapping would map it).
    pub fn seen(&self, field: FieldId) -> bool {
        self.seen.get(field.index()).copied().unwrap_or(false)
    }

    /// The values of `field` in `event` (empty when missing).
    pub fn values(&self, event: usize, field: FieldId) -> impl ExactSizeIterator<Item = Val<'_>> + Clone {
        self.lookup(event, field, None)
    }

    /// [`values`](Dataset::values), through `index` when it was [filled](Dataset::fill) for
    /// `event` (a lookup instead of a search among the event's fields).
    pub fn lookup<'a>(&'a self, event: usize, field: FieldId, index: Option<&RowIndex>) -> impl ExactSizeIterator<Item = Val<'a>> + Clone {
        let run = match index {
            Some(index) => {
                let (start, len) = index.runs.get(field.index()).copied().unwrap_or((0, 0));
                start as usize..(start + len) as usize
            }
            None => self.run_of(event, field),
        };
        self.values_in(run)
    }

    /// The fields `event` has, sorted by id.
    fn row(&self, event: usize) -> &[Present] {
        let start = self.rows[event] as usize;
        let end = self.rows.get(event + 1).map_or(self.present.len(), |&e| e as usize);
        &self.present[start..end]
    }

    /// Where the values of `field` in `event` are.
    fn run_of(&self, event: usize, field: FieldId) -> std::ops::Range<usize> {
        let row = self.row(event);
        match row.binary_search_by_key(&(field.index() as u32), |p| p.field) {
            Ok(i) => row[i].start as usize..(row[i].start + row[i].len) as usize,
            Err(_) => 0..0,
        }
    }

    fn values_in(&self, run: std::ops::Range<usize>) -> impl ExactSizeIterator<Item = Val<'_>> + Clone {
        self.values[run].iter().map(|v| self.to_val(v))
    }

    /// Makes `index` the lookup table of `event`'s fields (clearing the previous event's).
    pub fn fill(&self, index: &mut RowIndex, event: usize) {
        for f in index.filled.drain(..) {
            index.runs[f as usize] = (0, 0);
        }
        if index.runs.len() < self.fields.len() {
            index.runs.resize(self.fields.len(), (0, 0));
        }
        for p in self.row(event) {
            index.runs[p.field as usize] = (p.start, p.len);
            index.filled.push(p.field);
        }
    }

    pub fn first_value(&self, event: usize, field: FieldId) -> Option<Val<'_>> {
        self.values(event, field).next()
    }

    pub(crate) fn to_val(&self, v: &Stored) -> Val<'_> {
        match *v {
            Stored::Bool(b) => Val::Bool(b),
            Stored::Int(i) => Val::Int(i),
            Stored::Float(f) => Val::Float(f),
            Stored::Str { off, len } => Val::Str(Cow::Borrowed(&self.strings[off..off + len as usize])),
        }
    }

    pub(crate) fn push_error(&mut self, error: InputError) {
        self.errors.push(error);
    }

    pub(crate) fn intern_str(&mut self, s: &str) -> Stored {
        // A single value of 4 GiB or more keeps its first 4 GiB (no input line can hold more
        // in practice; this only keeps the length in its 32 bits).
        let s = if s.len() > u32::MAX as usize {
            &s[..crate::syntax::span::floor_char_boundary(s, u32::MAX as usize)]
        } else {
            s
        };
        let off = self.strings.len();
        self.strings.push_str(s);
        Stored::Str { off, len: s.len() as u32 }
    }

    /// The string arena's length, to undo [`Dataset::intern_str`]s with `truncate_strings`.
    pub(crate) fn strings_len(&self) -> usize {
        self.strings.len()
    }

    pub(crate) fn truncate_strings(&mut self, len: usize) {
        self.strings.truncate(len);
    }

    pub(crate) fn stored_from_value(&mut self, v: &Value) -> Option<Stored> {
        Some(match v {
            Value::Null => return None,
            Value::Bool(b) => Stored::Bool(*b),
            Value::Int(i) => Stored::Int(*i),
            Value::Float(f) => Stored::Float(*f),
            Value::Str(s) => self.intern_str(s),
        })
    }

    /// Appends one event; `pending` holds (field, value) pairs in document order. Each field's
    /// values become one run of `values`, the runs in field order.
    pub(crate) fn push_event(&mut self, origin: Origin, pending: &mut Vec<(u32, Stored)>) {
        // Stable: a field's values keep their document order.
        pending.sort_by_key(|&(field, _)| field);
        let row_start = self.present.len();
        self.rows.push(row_start as u32);
        for &(field, value) in pending.iter() {
            let this_row = self.present.len() > row_start;
            match self.present.last_mut() {
                Some(p) if this_row && p.field == field => p.len += 1,
                _ => {
                    self.present.push(Present { field, start: self.values.len() as u32, len: 1 });
                    if let Some(seen) = self.seen.get_mut(field as usize) {
                        *seen = true;
                    }
                }
            }
            self.values.push(value);
        }
        pending.clear();
        self.origins.push(origin);
    }

    /// Appends the events and errors of another dataset of the same fields, after this one's.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn append(&mut self, other: Dataset) {
        let value_base = self.values.len() as u32;
        let string_base = self.strings.len();
        self.strings.push_str(&other.strings);
        drop(other.strings);
        self.values.extend(other.values.iter().map(|v| match *v {
            Stored::Str { off, len } => Stored::Str { off: off + string_base, len },
            v => v,
        }));
        drop(other.values);
        let present_base = self.present.len() as u32;
        self.rows.extend(other.rows.iter().map(|r| r + present_base));
        self.present.extend(other.present.iter().map(|p| Present { start: p.start + value_base, ..*p }));
        self.origins.extend(other.origins);
        self.errors.extend(other.errors);
        for (seen, other_seen) in self.seen.iter_mut().zip(other.seen) {
            *seen |= other_seen;
        }
    }

    /// Drops the extracted strings' spare capacity once loading is done.
    pub(crate) fn shrink(&mut self) {
        self.strings.shrink_to_fit();
        self.values.shrink_to_fit();
        self.rows.shrink_to_fit();
        self.present.shrink_to_fit();
        self.origins.shrink_to_fit();
    }
}

//! The event reader's fast path: one hand-written pass over an event's bytes that extracts the
//! wanted fields (the [`Trie`]) and skips everything else, checking it as strictly as
//! serde_json does.
//!
//! It reports no errors of its own. Whatever it is not sure about — any syntax error, a lone
//! UTF-16 surrogate in a string it has to decode, a number other than a short integer in a
//! wanted place (those are parsed by serde_json), nesting deeper than its limits — makes it
//! give up ([`Bail`]), and the reader reads the event again with serde_json, which yields the
//! same values or the same error message as before. So the one guarantee this module owes is:
//! when it accepts an event, serde_json accepts it too and the extracted values are the same,
//! in the same order. `reader_tests.rs` checks exactly that, on tricky cases and on generated
//! (and deliberately broken) events; `fuzz/fuzz_targets/read_events.rs` fuzzes it.
//!
//! Robustness: no input-dependent indexing that can panic; recursion only along wanted paths,
//! bounded by [`MAX_NESTING`] (skipped values use an explicit bit stack, at most
//! [`MAX_SKIP_NESTING`] deep); every loop advances the position, so time is linear in the
//! input (twice over at most, when serde_json reads the event again).

use super::reader::{Extract, MAX_NESTING};
#[cfg(doc)]
use super::trie::Trie;
use super::value::Value;
use serde::de::{self, Visitor};
use std::fmt;

/// The fast path gave up; the caller reads the event with serde_json instead.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Bail;

type Res<T> = Result<T, Bail>;

/// How deeply a skipped value may nest before the fast path leaves it to serde_json (which
/// skips any depth with a heap stack).
const MAX_SKIP_NESTING: u32 = 128;

/// Reads one event (a JSON object with optional surrounding whitespace) into `ex.pending` (and
/// the string arena). `scratch` is a reusable buffer for strings with escapes.
pub(super) fn read_event(ex: &mut Extract<'_, '_>, json: &str, scratch: &mut String) -> Res<()> {
    let mut s = Scanner { text: json, b: json.as_bytes(), i: 0, scratch };
    if s.tok() != b'{' {
        return Err(Bail);
    }
    s.i += 1;
    // The top level is one open container, as in the serde path's `visit_object`.
    s.object(ex, 0, 1)?;
    s.ws();
    if s.i != s.b.len() {
        return Err(Bail);
    }
    Ok(())
}

struct Scanner<'a, 's> {
    text: &'a str,
    b: &'a [u8],
    i: usize,
    scratch: &'s mut String,
}

/// A decoded string: a slice of the input (no escapes) or the scratch buffer.
enum Str<'a> {
    Slice(&'a str),
    Scratch,
}

impl<'a> Scanner<'a, '_> {
    /// The current byte, or 0 at the end (0 is never valid there: it makes the caller bail).
    #[inline(always)]
    fn peek(&self) -> u8 {
        self.b.get(self.i).copied().unwrap_or(0)
    }

    /// JSON whitespace, as serde_json's `parse_whitespace`.
    #[inline(always)]
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\t' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// Skips whitespace and returns the byte after it (0 at the end), not consumed.
    #[inline(always)]
    fn tok(&mut self) -> u8 {
        let c = self.peek();
        if c > b' ' {
            return c;
        }
        self.ws();
        self.peek()
    }

    /// The text between two ASCII positions (always char boundaries of the input).
    #[inline(always)]
    fn slice(&self, start: usize, end: usize) -> Res<&'a str> {
        self.text.get(start..end).ok_or(Bail)
    }

    // ---- wanted values ----------------------------------------------------------------

    /// The members of an object at trie node `node`, after its `{`; `depth` counts the open
    /// wanted containers, this one included.
    fn object(&mut self, ex: &mut Extract<'_, '_>, node: u32, depth: usize) -> Res<()> {
        let mut c = self.tok();
        if c == b'}' {
            self.i += 1;
            return Ok(());
        }
        loop {
            if c != b'"' {
                return Err(Bail);
            }
            self.i += 1;
            let target = match ex.trie.match_raw(self.b, self.i, node) {
                Some((child, end)) => {
                    self.i = end + 1;
                    Some(child)
                }
                // Not a field, or a key to decode first. Without escapes, `match_raw` has
                // decided already: such a key has no `"`, `\` or control byte, so it cannot be
                // one of the segments `match_raw` leaves out.
                None => match self.string()? {
                    Str::Slice(_) => None,
                    Str::Scratch => ex.trie.walk(node, self.scratch.as_bytes()),
                },
            };
            if self.tok() != b':' {
                return Err(Bail);
            }
            self.i += 1;
            let v = self.tok();
            match target {
                Some(child) => self.value(ex, child, depth, v)?,
                None => self.skip_value(v)?,
            }
            match self.tok() {
                b',' => {
                    self.i += 1;
                    c = self.tok();
                }
                b'}' => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(Bail),
            }
        }
    }

    /// A value at trie node `node`: recorded when the node is a field, searched when it has
    /// children; arrays flatten. `depth` counts the open wanted containers around it.
    /// `c` is the value's first byte.
    fn value(&mut self, ex: &mut Extract<'_, '_>, node: u32, depth: usize, c: u8) -> Res<()> {
        let field = ex.trie.field(node);
        match c {
            b'"' => {
                self.i += 1;
                // Decoded (and checked as serde_json's `parse_str` does) even when unused.
                let s = match self.string()? {
                    Str::Slice(s) => s,
                    Str::Scratch => self.scratch.as_str(),
                };
                if let Some(f) = field {
                    ex.push_str(f, s);
                }
            }
            b'{' => {
                if depth >= MAX_NESTING {
                    return Err(Bail);
                }
                self.i += 1;
                self.object(ex, node, depth + 1)?;
            }
            b'[' => {
                if depth >= MAX_NESTING {
                    return Err(Bail);
                }
                self.i += 1;
                let mut c = self.tok();
                if c == b']' {
                    self.i += 1;
                    return Ok(());
                }
                loop {
                    self.value(ex, node, depth + 1, c)?;
                    match self.tok() {
                        b',' => {
                            self.i += 1;
                            c = self.tok();
                        }
                        b']' => {
                            self.i += 1;
                            break;
                        }
                        _ => return Err(Bail),
                    }
                }
            }
            b't' => {
                self.literal(b"true")?;
                if let Some(f) = field {
                    ex.push(f, Value::Bool(true));
                }
            }
            b'f' => {
                self.literal(b"false")?;
                if let Some(f) = field {
                    ex.push(f, Value::Bool(false));
                }
            }
            b'n' => {
                self.literal(b"null")?;
                if let Some(f) = field {
                    ex.push_null(f);
                }
            }
            b'-' | b'0'..=b'9' => {
                let v = self.number()?;
                if let Some(f) = field {
                    ex.push(f, v);
                }
            }
            _ => return Err(Bail),
        }
        Ok(())
    }

    /// A number as serde_json's visitor sees it: integers of up to 18 digits here, anything
    /// else (fractions, exponents, long integers, `-0`) by serde_json itself on the number's text.
    fn number(&mut self) -> Res<Value> {
        let start = self.i;
        let neg = self.peek() == b'-';
        self.i += usize::from(neg);
        let digits = self.i;
        let mut acc: u64 = 0;
        while let Some(&c) = self.b.get(self.i) {
            if !c.is_ascii_digit() {
                break;
            }
            acc = acc.wrapping_mul(10).wrapping_add(u64::from(c - b'0'));
            self.i += 1;
        }
        let n = self.i - digits;
        let leading_zero = n > 1 && self.b.get(digits) == Some(&b'0');
        let fraction_or_exponent = matches!(self.peek(), b'.' | b'e' | b'E');
        // `-0` is a float to serde_json.
        let minus_zero = neg && acc == 0;
        if (1..=18).contains(&n) && !leading_zero && !fraction_or_exponent && !minus_zero {
            let v = acc as i64; // < 10^18
            return Ok(Value::Int(if neg { -v } else { v }));
        }
        self.i = start;
        self.skip_number()?;
        let text = self.slice(start, self.i)?;
        let mut de = serde_json::Deserializer::from_str(text);
        let v = de::Deserializer::deserialize_any(&mut de, NumberVisitor).map_err(|_| Bail)?;
        de.end().map_err(|_| Bail)?;
        Ok(v)
    }

    /// After the opening quote: the string, unescaped. Bails on what serde_json's `parse_str`
    /// rejects (control characters, bad escapes, lone surrogates) and at the end of input.
    #[inline(always)]
    fn string(&mut self) -> Res<Str<'a>> {
        let start = self.i;
        let end = scan_plain(self.b, start);
        match self.b.get(end) {
            Some(b'"') => {
                self.i = end + 1;
                Ok(Str::Slice(self.slice(start, end)?))
            }
            Some(b'\\') => self.escaped_string(start, end),
            _ => Err(Bail),
        }
    }

    /// The rest of [`Scanner::string`] from the first backslash, at `end`.
    #[inline(never)]
    fn escaped_string(&mut self, start: usize, end: usize) -> Res<Str<'a>> {
        self.scratch.clear();
        self.scratch.push_str(self.slice(start, end)?);
        self.i = end;
        loop {
            // At a backslash.
            let c = self.b.get(self.i + 1).copied().unwrap_or(0);
            self.i += 2;
            let ch = match c {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\x08',
                b'f' => '\x0c',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let n = self.hex4()?;
                    if (0xD800..0xDC00).contains(&n) {
                        // A leading surrogate needs a trailing one right after it.
                        if self.b.get(self.i..self.i + 2) != Some(b"\\u") {
                            return Err(Bail);
                        }
                        self.i += 2;
                        let n2 = self.hex4()?;
                        if !(0xDC00..0xE000).contains(&n2) {
                            return Err(Bail);
                        }
                        char::from_u32(0x1_0000 + ((n - 0xD800) << 10) + (n2 - 0xDC00)).ok_or(Bail)?
                    } else {
                        // None for a lone trailing surrogate.
                        char::from_u32(n).ok_or(Bail)?
                    }
                }
                _ => return Err(Bail),
            };
            self.scratch.push(ch);
            let run = self.i;
            let end = scan_plain(self.b, run);
            self.scratch.push_str(self.slice(run, end)?);
            self.i = end;
            match self.peek() {
                b'"' => {
                    self.i += 1;
                    return Ok(Str::Scratch);
                }
                b'\\' => {}
                _ => return Err(Bail),
            }
        }
    }

    /// Four hex digits of a `\u` escape.
    #[inline]
    fn hex4(&mut self) -> Res<u32> {
        let digits = self.b.get(self.i..self.i + 4).ok_or(Bail)?;
        let mut n = 0u32;
        for &d in digits {
            n = n * 16 + char::from(d).to_digit(16).ok_or(Bail)?;
        }
        self.i += 4;
        Ok(n)
    }

    #[inline]
    fn literal(&mut self, word: &[u8]) -> Res<()> {
        if self.b.get(self.i..self.i + word.len()) == Some(word) {
            self.i += word.len();
            Ok(())
        } else {
            Err(Bail)
        }
    }

    // ---- skipped values ---------------------------------------------------------------

    /// Skips one value, checking it as serde_json's `ignore_value` does.
    /// `c` is the value's first byte.
    fn skip_value(&mut self, c: u8) -> Res<()> {
        match c {
            b'{' | b'[' => self.skip_container(),
            _ => self.skip_scalar(c),
        }
    }

    #[inline(always)]
    fn skip_scalar(&mut self, c: u8) -> Res<()> {
        match c {
            b'"' => {
                self.i += 1;
                self.skip_string()
            }
            b'-' | b'0'..=b'9' => self.skip_number(),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => Err(Bail),
        }
    }

    /// Skips an array or object without recursing: the open brackets are bits of a stack.
    fn skip_container(&mut self) -> Res<()> {
        #[derive(Clone, Copy)]
        enum At {
            /// Just after an opening bracket.
            Open,
            /// Before a member (key and value) or element.
            Member,
            /// After a value.
            After,
            /// Just after a closing bracket.
            Closed,
        }
        let mut outer: u128 = 0; // 1 = object, innermost in the lowest bit
        let mut depth = 0u32; // containers open around the current one, within this value
        let mut object = self.peek() == b'{';
        self.i += 1;
        let mut at = At::Open;
        loop {
            match at {
                At::Open => {
                    if self.tok() == if object { b'}' } else { b']' } {
                        self.i += 1;
                        at = At::Closed;
                    } else {
                        at = At::Member;
                    }
                }
                At::Member => {
                    if object {
                        if self.tok() != b'"' {
                            return Err(Bail);
                        }
                        self.i += 1;
                        self.skip_string()?;
                        if self.tok() != b':' {
                            return Err(Bail);
                        }
                        self.i += 1;
                    }
                    match self.tok() {
                        c @ (b'{' | b'[') => {
                            if depth + 1 >= MAX_SKIP_NESTING {
                                return Err(Bail);
                            }
                            outer = (outer << 1) | u128::from(object);
                            depth += 1;
                            object = c == b'{';
                            self.i += 1;
                            at = At::Open;
                        }
                        c => {
                            self.skip_scalar(c)?;
                            at = At::After;
                        }
                    }
                }
                At::After => match self.tok() {
                    b',' => {
                        self.i += 1;
                        at = At::Member;
                    }
                    c if c == if object { b'}' } else { b']' } => {
                        self.i += 1;
                        at = At::Closed;
                    }
                    _ => return Err(Bail),
                },
                At::Closed => {
                    if depth == 0 {
                        return Ok(());
                    }
                    object = outer & 1 == 1;
                    outer >>= 1;
                    depth -= 1;
                    at = At::After;
                }
            }
        }
    }

    /// After the opening quote; escapes are checked as serde_json's `ignore_str` does (a `\u`
    /// needs four hex digits, surrogates are not paired up).
    #[inline(always)]
    fn skip_string(&mut self) -> Res<()> {
        let end = scan_plain(self.b, self.i);
        match self.b.get(end) {
            Some(b'"') => {
                self.i = end + 1;
                Ok(())
            }
            Some(b'\\') => self.skip_escaped_string(end),
            _ => Err(Bail),
        }
    }

    /// The rest of [`Scanner::skip_string`] from a backslash, at `end`.
    #[inline(never)]
    fn skip_escaped_string(&mut self, mut end: usize) -> Res<()> {
        loop {
            match self.b.get(end) {
                Some(b'"') => {
                    self.i = end + 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.i = end + 2;
                    match self.b.get(end + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {}
                        Some(b'u') => {
                            self.hex4()?;
                        }
                        _ => return Err(Bail),
                    }
                }
                _ => return Err(Bail),
            }
            end = scan_plain(self.b, self.i);
        }
    }

    /// The JSON number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn skip_number(&mut self) -> Res<()> {
        if self.peek() == b'-' {
            self.i += 1;
        }
        match self.peek() {
            b'0' => {
                self.i += 1;
                if self.peek().is_ascii_digit() {
                    return Err(Bail);
                }
            }
            b'1'..=b'9' => {
                self.i += 1;
                self.digits();
            }
            _ => return Err(Bail),
        }
        if self.peek() == b'.' {
            self.i += 1;
            if self.digits() == 0 {
                return Err(Bail);
            }
        }
        if let b'e' | b'E' = self.peek() {
            self.i += 1;
            if let b'+' | b'-' = self.peek() {
                self.i += 1;
            }
            if self.digits() == 0 {
                return Err(Bail);
            }
        }
        Ok(())
    }

    #[inline]
    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.peek().is_ascii_digit() {
            self.i += 1;
        }
        self.i - start
    }
}

/// The position of the first `"`, `\` or control character (< 0x20) at or after `i`, or the
/// length (or `i` if past it): eight bytes at a time with plain integer arithmetic (SWAR), so
/// the same code natively and on wasm32. (Skipping 16-byte chunks with vector compares first
/// measured no faster here: most strings of events are short.)
#[inline(always)]
fn scan_plain(b: &[u8], mut i: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let w = u64::from_le_bytes(word);
        // `(x - LO) & !x & HI` flags the bytes of `x` that are 0 (`x - 0x20…` and `!x`: those
        // below 0x20); borrows can only flag bytes above a true hit, so the lowest flag is exact.
        // `!(w ^ q) & HI == !w & HI` as `"` and `\` are ASCII, so one mask serves all three.
        let quote = (w ^ (LO * u64::from(b'"'))).wrapping_sub(LO);
        let backslash = (w ^ (LO * u64::from(b'\\'))).wrapping_sub(LO);
        let control = w.wrapping_sub(LO * 0x20);
        let hits = (quote | backslash | control) & !w & HI;
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 {
            return i;
        }
        i += 1;
    }
    b.len().max(i)
}

/// A number as the serde path's `ValueSeed` keeps it.
struct NumberVisitor;

impl<'de> Visitor<'de> for NumberVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a number")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Int(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(i64::try_from(v).map_or(Value::Float(v as f64), Value::Int))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Float(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_plain_finds_the_first_special_byte() {
        for (s, want) in [
            ("", 0),
            ("abc", 3),
            ("abcdefghijkl\"", 12),
            ("ab\\cdefghijkl\"", 2),
            ("abcdefgh\u{1}", 8),
            ("é\"", 2),
            ("aaaaaaaaaaaaaaa\x1f", 15),
            ("\u{7f}\u{80}\u{ff}xxxxxxxxxxxxxxxxx\"", 22),
        ] {
            assert_eq!(scan_plain(s.as_bytes(), 0), want, "{s:?}");
        }
        // Every position and every special byte, in all lanes.
        for len in 0..40 {
            for at in 0..len {
                for special in [b'"', b'\\', 0u8, 0x1f, b'\n'] {
                    let mut v = vec![b'a'; len];
                    v[at] = special;
                    if at + 1 < len {
                        v[at + 1] = b'"';
                    }
                    assert_eq!(scan_plain(&v, 0), at);
                    for from in 0..=at {
                        assert_eq!(scan_plain(&v, from), at);
                    }
                }
            }
            let plain = vec![b'a'; len];
            assert_eq!(scan_plain(&plain, 0), len);
        }
        assert_eq!(scan_plain(b"ab", 5), 5);
    }
}

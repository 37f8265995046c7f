//! Timestamps as i64 nanoseconds since the Unix epoch: reading ISO-8601, epoch millis, and the
//! Java-style date formats an index mapping may name; writing ISO-8601 for dates in results.

/// Nanoseconds per millisecond.
pub const NANOS_PER_MILLI: i64 = 1_000_000;

/// How a date field's values are read.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum DateFormat {
    /// Elasticsearch's default: `strict_date_optional_time||epoch_millis`.
    #[default]
    Default,
    /// A list of formats separated by `||` in the mapping.
    Formats(Vec<String>),
}

impl DateFormat {
    pub fn from_mapping(format: Option<&str>) -> DateFormat {
        match format {
            None => DateFormat::Default,
            Some(f) => DateFormat::Formats(f.split("||").map(|s| s.trim().to_string()).collect()),
        }
    }

    pub fn parse_str(&self, s: &str) -> Option<i64> {
        match self {
            DateFormat::Default => parse_iso(s).or_else(|| parse_epoch_millis_str(s)),
            DateFormat::Formats(formats) => formats.iter().find_map(|f| match f.as_str() {
                "strict_date_optional_time" | "date_optional_time" | "strict_date_time" | "date_time"
                | "strict_date_optional_time_nanos" | "iso8601" => parse_iso(s),
                "epoch_millis" => parse_epoch_millis_str(s),
                "epoch_second" => parse_epoch_millis_str(s).and_then(|ms| ms.checked_mul(1000)),
                pattern => parse_java_pattern(pattern, s),
            }),
        }
    }
}

/// Reads a number of epoch milliseconds (a JSON number).
pub fn from_epoch_millis(ms: f64) -> Option<i64> {
    let nanos = (ms * NANOS_PER_MILLI as f64).round();
    (nanos.is_finite() && nanos.abs() < 9.2e18).then_some(nanos as i64)
}

/// `"1580000000000"` or `"1580000000000.123456"` (epoch millis with a fraction).
pub fn parse_epoch_millis_str(s: &str) -> Option<i64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let (neg, digits) = int.strip_prefix('-').map_or((false, int), |d| (true, d));
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let ms: i64 = digits.parse().ok()?;
    let mut nanos = ms.checked_mul(NANOS_PER_MILLI)?;
    let frac6: String = frac.chars().chain(std::iter::repeat('0')).take(6).collect();
    nanos = nanos.checked_add(frac6.parse::<i64>().ok()?)?;
    Some(if neg { -nanos } else { nanos })
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn digits(&mut self, min: usize, max: usize) -> Option<i64> {
        let start = self.i;
        while self.i < self.b.len() && self.i - start < max && self.b[self.i].is_ascii_digit() {
            self.i += 1;
        }
        if self.i - start < min {
            return None;
        }
        // At most 9 digits (every caller's `max`), so no overflow.
        Some(self.b[start..self.i].iter().fold(0i64, |n, d| n * 10 + i64::from(d - b'0')))
    }

    fn eat(&mut self, c: u8) -> bool {
        let hit = self.b.get(self.i) == Some(&c);
        self.i += usize::from(hit);
        hit
    }

    fn done(&self) -> bool {
        self.i == self.b.len()
    }
}

fn assemble(y: i64, mo: u32, d: u32, h: i64, mi: i64, s: i64, nanos: i64, offset_secs: i64) -> Option<i64> {
    if !(1..=12).contains(&mo) || d == 0 || d > days_in_month(y, mo) || h > 24 || mi > 59 || s > 60 {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + s - offset_secs;
    secs.checked_mul(1_000_000_000)?.checked_add(nanos)
}

/// ISO-8601 as `strict_date_optional_time`: `2020-01-02`, `2020-01-02T03:04`, `…:05.123456789`,
/// with `Z` or a `±hh:mm` offset (no offset means UTC).
pub fn parse_iso(s: &str) -> Option<i64> {
    parse_iso_utc_fast(s.as_bytes()).or_else(|| parse_iso_general(s))
}

fn parse_iso_general(s: &str) -> Option<i64> {
    let mut c = Cursor { b: s.as_bytes(), i: 0 };
    let neg = c.eat(b'-');
    let y = c.digits(4, 9)?;
    let y = if neg { -y } else { y };
    let (mut mo, mut d) = (1, 1);
    if c.eat(b'-') {
        mo = c.digits(2, 2)? as u32;
        if c.eat(b'-') {
            d = c.digits(2, 2)? as u32;
        }
    }
    let (mut h, mut mi, mut sec, mut nanos) = (0, 0, 0, 0);
    if c.eat(b'T') || c.eat(b't') || c.eat(b' ') {
        h = c.digits(2, 2)?;
        if c.eat(b':') {
            mi = c.digits(2, 2)?;
            if c.eat(b':') {
                sec = c.digits(2, 2)?;
                if c.eat(b'.') || c.eat(b',') {
                    let start = c.i;
                    let frac = c.digits(1, 9)?;
                    nanos = frac * 10i64.pow(9 - (c.i - start) as u32);
                }
            }
        }
    }
    let offset = parse_offset(&mut c)?;
    if !c.done() {
        return None;
    }
    assemble(y, mo, d, h, mi, sec, nanos, offset)
}

/// The common shape `YYYY-MM-DDTHH:MM:SS[.f…]Z` (1 to 9 fraction digits) at fixed positions;
/// `None` for anything else, which `parse_iso` then reads the general way (with the same result
/// for this shape).
#[inline]
fn parse_iso_utc_fast(b: &[u8]) -> Option<i64> {
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    #[inline(always)]
    fn digit(b: &[u8], i: usize) -> Option<i64> {
        let d = b[i].wrapping_sub(b'0');
        (d < 10).then_some(i64::from(d))
    }
    #[inline(always)]
    fn two(b: &[u8], i: usize) -> Option<i64> {
        Some(digit(b, i)? * 10 + digit(b, i + 1)?)
    }
    let y = two(b, 0)? * 100 + two(b, 2)?;
    let (mo, d) = (two(b, 5)?, two(b, 8)?);
    let (h, mi, sec) = (two(b, 11)?, two(b, 14)?, two(b, 17)?);
    let nanos = match (b[19], b.len()) {
        (b'Z', 20) => 0,
        (b'.', len @ 22..=30) if b[len - 1] == b'Z' => {
            let mut frac = 0;
            for i in 20..len - 1 {
                frac = frac * 10 + digit(b, i)?;
            }
            frac * 10i64.pow((30 - len) as u32)
        }
        _ => return None,
    };
    assemble(y, mo as u32, d as u32, h, mi, sec, nanos, 0)
}

fn parse_offset(c: &mut Cursor<'_>) -> Option<i64> {
    if c.done() || c.eat(b'Z') || c.eat(b'z') {
        return Some(0);
    }
    let sign = if c.eat(b'+') {
        1
    } else if c.eat(b'-') {
        -1
    } else {
        return None;
    };
    let h = c.digits(2, 2)?;
    c.eat(b':');
    let m = if c.done() { 0 } else { c.digits(2, 2)? };
    Some(sign * (h * 3600 + m * 60))
}

/// A subset of Java's DateTimeFormatter patterns: yyyy, uuuu, MM, dd, HH, mm, ss, SSS, literals.
fn parse_java_pattern(pattern: &str, s: &str) -> Option<i64> {
    let mut c = Cursor { b: s.as_bytes(), i: 0 };
    let (mut y, mut mo, mut d, mut h, mut mi, mut sec, mut nanos) = (1970, 1u32, 1u32, 0, 0, 0, 0);
    let p = pattern.as_bytes();
    let mut i = 0;
    while i < p.len() {
        let ch = p[i];
        let mut run = 1;
        while i + run < p.len() && p[i + run] == ch {
            run += 1;
        }
        match ch {
            b'y' | b'u' => y = c.digits(run.min(4), 9)?,
            b'M' => mo = c.digits(1, 2)? as u32,
            b'd' => d = c.digits(1, 2)? as u32,
            b'H' => h = c.digits(1, 2)?,
            b'm' => mi = c.digits(1, 2)?,
            b's' => sec = c.digits(1, 2)?,
            b'S' => {
                let start = c.i;
                let frac = c.digits(1, 9)?;
                nanos = frac * 10i64.pow(9 - (c.i - start) as u32);
            }
            b'\'' => {
                // Quoted literal text.
                let end = pattern[i + 1..].find('\'')? + i + 1;
                for &lit in &p[i + 1..end] {
                    if !c.eat(lit) {
                        return None;
                    }
                }
                i = end + 1;
                continue;
            }
            b'X' | b'Z' => {
                let off = parse_offset(&mut c)?;
                return assemble(y, mo, d, h, mi, sec, nanos, off).filter(|_| c.done());
            }
            lit => {
                for _ in 0..run {
                    if !c.eat(lit) {
                        return None;
                    }
                }
            }
        }
        i += run;
    }
    if !c.done() {
        return None;
    }
    assemble(y, mo, d, h, mi, sec, nanos, 0)
}

/// `1970-01-01T00:00:00.000Z`: how Elasticsearch prints a `date` (millisecond) value.
pub fn format_iso_millis(nanos: i64) -> String {
    let (date, ms) = split(nanos, NANOS_PER_MILLI);
    format!("{date}.{ms:03}Z")
}

/// Nanosecond precision, trailing zero groups kept to a multiple of 3 digits (date_nanos).
pub fn format_iso_nanos(nanos: i64) -> String {
    let (date, frac) = split(nanos, 1);
    let mut digits = format!("{frac:09}");
    while digits.len() > 3 && digits.ends_with("000") {
        digits.truncate(digits.len() - 3);
    }
    format!("{date}.{digits}Z")
}

fn split(nanos: i64, unit: i64) -> (String, i64) {
    let secs = nanos.div_euclid(1_000_000_000);
    let sub = nanos.rem_euclid(1_000_000_000) / unit;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    (format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}", rem / 3600, rem % 3600 / 60, rem % 60), sub)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_with_offsets_and_fractions() {
        assert_eq!(parse_iso("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_iso("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_iso("1970-01-01T00:00:00.5Z"), Some(500_000_000));
        assert_eq!(parse_iso("1970-01-02"), Some(86_400_000_000_000));
        assert_eq!(parse_iso("2020-02-30T00:00:00Z"), None);
        assert_eq!(parse_iso("garbage"), None);
    }

    #[test]
    fn fast_path_agrees_with_the_general_reader() {
        let cases = [
            "2026-03-01T00:00:00.000Z",
            "2026-03-01T12:34:56.789Z",
            "2026-03-01T12:34:56Z",
            "2026-03-01T12:34:56.1Z",
            "2026-03-01T12:34:56.123456789Z",
            "2026-03-01T12:34:56.1234567890Z",
            "2026-03-01T12:34:56.Z",
            "2026-03-01T12:34:56.123+01:00",
            "2026-03-01T12:34:56.123z",
            "2026-03-01t12:34:56.123Z",
            "2024-02-29T23:59:60.999Z",
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-03-01T24:00:00Z",
            "2026-03-01T25:00:00Z",
            "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999Z",
            "2026-03-01T12:34:5x.123Z",
            "2026-03-01T12:34:56.12a4Z",
            "+026-03-01T12:34:56Z",
            "2026-03-01T12:34:56.123ZZ",
        ];
        for s in cases {
            let fast = parse_iso_utc_fast(s.as_bytes());
            if let Some(t) = fast {
                assert_eq!(Some(t), parse_iso_general(s), "{s}");
            }
            assert_eq!(parse_iso(s), parse_iso_general(s), "{s}");
        }
        assert_eq!(parse_iso_utc_fast(b"2026-03-01T12:34:56.789Z"), parse_iso_general("2026-03-01T12:34:56.789Z"));
        assert!(parse_iso_utc_fast(b"2026-03-01T12:34:56.789Z").is_some());
    }

    proptest::proptest! {
        #[test]
        fn fast_path_agrees_on_generated_timestamps(
            s in "[0-9]{4}-[0-1][0-9]-[0-3][0-9][Tt ][0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{0,11})?([Zz]|[+-][0-9]{2}:?[0-9]{2})?"
        ) {
            proptest::prop_assert_eq!(parse_iso(&s), parse_iso_general(&s));
        }
    }

    #[test]
    fn epoch_millis_strings() {
        assert_eq!(parse_epoch_millis_str("1"), Some(1_000_000));
        assert_eq!(parse_epoch_millis_str("1.5"), Some(1_500_000));
        assert_eq!(parse_epoch_millis_str("1x"), None);
    }

    #[test]
    fn round_trip_format() {
        let t = parse_iso("2026-03-01T12:34:56.789Z").unwrap();
        assert_eq!(format_iso_millis(t), "2026-03-01T12:34:56.789Z");
        assert_eq!(format_iso_millis(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn java_patterns() {
        let f = DateFormat::from_mapping(Some("dd-MM-yyyy"));
        assert_eq!(f.parse_str("02-01-1970"), Some(86_400_000_000_000));
        assert_eq!(f.parse_str("1970-01-02"), None);
    }
}

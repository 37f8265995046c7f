//! Low-level writers: JSON strings, integers and timestamps, straight into a `String`.

/// Appends `s` as the body of a JSON string (no quotes), escaping `"` and `\` and control bytes.
#[inline]
pub fn esc(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let rep: &str = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "\\u0000",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if rep == "\\u0000" {
            out.push_str("\\u00");
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        } else {
            out.push_str(rep);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

/// Appends `"s"` (quoted, escaped).
#[inline]
pub fn qstr(out: &mut String, s: &str) {
    out.push('"');
    esc(out, s);
    out.push('"');
}

pub const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends a decimal unsigned integer.
#[inline]
pub fn uint(out: &mut String, mut v: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    // SAFETY-free: the buffer holds ASCII digits only.
    out.push_str(std::str::from_utf8(&buf[i..]).unwrap_or("0"));
}

/// Appends `n` lowercase hex digits of `v` (low digits).
#[inline]
pub fn hex(out: &mut String, v: u64, n: usize) {
    for k in (0..n).rev() {
        out.push(HEX[((v >> (4 * k)) & 15) as usize] as char);
    }
}

/// Appends a UUID-looking string built from two random words.
pub fn uuid(out: &mut String, a: u64, b: u64) {
    hex(out, a >> 32, 8);
    out.push('-');
    hex(out, a >> 16, 4);
    out.push('-');
    hex(out, a, 4);
    out.push('-');
    hex(out, b >> 48, 4);
    out.push('-');
    hex(out, b, 12);
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding.
pub fn base64(out: &mut String, data: &[u8]) {
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
}

/// Appends `n` base64-alphabet characters drawn from `bits` (10 per word), as in Defend's
/// `event.id`.
pub fn b64_chars(out: &mut String, mut bits: u64, n: usize) {
    for _ in 0..n {
        out.push(B64[(bits & 63) as usize] as char);
        bits >>= 6;
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian (H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// (year, month, day) to days since 1970-01-01.
pub const fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[inline]
fn two(out: &mut String, v: u32) {
    out.push((b'0' + (v / 10) as u8) as char);
    out.push((b'0' + (v % 10) as u8) as char);
}

/// Formats epoch milliseconds as `YYYY-MM-DDTHH:MM:SS.mmmZ`, caching the date part per day.
#[derive(Default)]
pub struct TsFmt {
    day: i64,
    prefix: String,
}

impl TsFmt {
    pub fn new() -> Self {
        TsFmt {
            day: i64::MIN,
            prefix: String::new(),
        }
    }

    pub fn write(&mut self, out: &mut String, ms: i64) {
        let day = ms.div_euclid(86_400_000);
        if day != self.day {
            self.day = day;
            let (y, m, d) = civil_from_days(day);
            self.prefix.clear();
            uint(&mut self.prefix, y as u64);
            self.prefix.push('-');
            two(&mut self.prefix, m);
            self.prefix.push('-');
            two(&mut self.prefix, d);
            self.prefix.push('T');
        }
        out.push_str(&self.prefix);
        let t = ms.rem_euclid(86_400_000) as u32;
        two(out, t / 3_600_000);
        out.push(':');
        two(out, t / 60_000 % 60);
        out.push(':');
        two(out, t / 1000 % 60);
        out.push('.');
        let f = t % 1000;
        out.push((b'0' + (f / 100) as u8) as char);
        two(out, f % 100);
        out.push('Z');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        let d = days_from_civil(2026, 3, 1);
        assert_eq!(civil_from_days(d), (2026, 3, 1));
        assert_eq!(d, 20_513);
        let mut f = TsFmt::new();
        let mut s = String::new();
        f.write(&mut s, d * 86_400_000 + 3_723_045);
        assert_eq!(s, "2026-03-01T01:02:03.045Z");
        s.clear();
        f.write(&mut s, (d + 31) * 86_400_000 - 1);
        assert_eq!(s, "2026-03-31T23:59:59.999Z");
    }

    #[test]
    fn escaping_and_numbers() {
        let mut s = String::new();
        qstr(&mut s, "C:\\a\"b\u{1}");
        assert_eq!(s, "\"C:\\\\a\\\"b\\u0001\"");
        s.clear();
        uint(&mut s, 0);
        s.push(' ');
        uint(&mut s, u64::MAX);
        assert_eq!(s, "0 18446744073709551615");
        s.clear();
        base64(&mut s, b"abcd");
        assert_eq!(s, "YWJjZA==");
    }
}

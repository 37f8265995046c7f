//! Rule schedule: `interval` and `from` (Elastic date math `now-<n><unit>`).
//! Kibana runs a rule every `interval` over the window `[from, now]`; whatever
//! `from` reaches back beyond one interval is the "additional look-back" that
//! covers ingest delay.

use serde::{Deserialize, Serialize};

/// Kibana's defaults when a rule omits them.
pub const DEFAULT_INTERVAL: &str = "5m";
pub const DEFAULT_FROM: &str = "now-6m";

/// The schedule derived from a rule's `interval` and `from`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub interval: String,
    pub from: String,
    pub interval_secs: u64,
    /// Length of the whole query window (`now-9m` → 540).
    pub lookback_secs: u64,
    /// `lookback - interval`, never negative.
    pub additional_lookback_secs: u64,
    /// Human form of the additional look-back, e.g. "4m".
    pub additional_lookback: String,
}

impl Schedule {
    /// `None` when either value is not in a form we understand.
    pub fn new(interval: Option<&str>, from: Option<&str>) -> Option<Schedule> {
        let interval = interval.unwrap_or(DEFAULT_INTERVAL).trim();
        let from = from.unwrap_or(DEFAULT_FROM).trim();
        let interval_secs = parse_duration(interval)?;
        let lookback_secs = parse_now_minus(from)?;
        let extra = lookback_secs.saturating_sub(interval_secs);
        Some(Schedule {
            interval: interval.to_owned(),
            from: from.to_owned(),
            interval_secs,
            lookback_secs,
            additional_lookback_secs: extra,
            additional_lookback: format_duration(extra),
        })
    }
}

/// `"5m"` → 300. Units s, m, h, d.
pub fn parse_duration(s: &str) -> Option<u64> {
    let s = s.trim();
    let unit = s.chars().last()?;
    let n: u64 = s[..s.len() - unit.len_utf8()].parse().ok()?;
    let mult = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return None,
    };
    n.checked_mul(mult)
}

/// `"now-9m"` → 540; plain `"now"` → 0.
pub fn parse_now_minus(s: &str) -> Option<u64> {
    let rest = s.trim().strip_prefix("now")?;
    if rest.is_empty() {
        return Some(0);
    }
    parse_duration(rest.strip_prefix('-')?)
}

/// Largest unit that divides evenly: 240 → "4m", 90 → "90s".
pub fn format_duration(secs: u64) -> String {
    for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60)] {
        if secs != 0 && secs.rem_euclid(size) == 0 {
            return format!("{}{unit}", secs / size);
        }
    }
    format!("{secs}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn additional_lookback() {
        let s = Schedule::new(Some("5m"), Some("now-9m")).unwrap();
        assert_eq!((s.interval_secs, s.lookback_secs), (300, 540));
        assert_eq!(s.additional_lookback, "4m");
        let s = Schedule::new(Some("60m"), Some("now-119m")).unwrap();
        assert_eq!(s.additional_lookback, "59m");
        let s = Schedule::new(None, None).unwrap();
        assert_eq!(s.additional_lookback, "1m");
        let s = Schedule::new(Some("1h"), Some("now-30m")).unwrap();
        assert_eq!(s.additional_lookback_secs, 0);
    }

    #[test]
    fn rejects_other_forms() {
        assert_eq!(parse_duration("5"), None);
        assert_eq!(parse_duration("5w"), None);
        assert_eq!(parse_duration("m"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(parse_now_minus("now+5m"), None);
        assert_eq!(parse_now_minus("2024-01-01"), None);
        assert_eq!(parse_now_minus("now-2d"), Some(172_800));
        assert_eq!(parse_duration("99999999999999999999d"), None);
        assert!(Schedule::new(Some("5m"), Some("now-9x")).is_none());
    }

    #[test]
    fn formats() {
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(90), "90s");
        assert_eq!(format_duration(7200), "2h");
    }
}

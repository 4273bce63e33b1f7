//! Short, human renderings of times and cache states, shared by `list`,
//! the picker and `status`.

use std::borrow::Cow;
use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};

use crate::aws::cache::Status;
use crate::aws::snapshot::CacheState;

/// `{a} {b} ...`: a template's placeholders, as its error messages list them.
pub fn placeholder_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|p| format!("{{{p}}}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `45s`, `12m`, `6h12m`, `1d4h`, `3d`.
pub fn short_duration(d: Duration) -> String {
    let secs = d.num_seconds().max(0);
    let (days, hours, mins) = (secs / 86_400, secs % 86_400 / 3600, secs % 3600 / 60);
    match (days, hours, mins) {
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h{m}m"),
        (d, h, _) if d < 3 && h > 0 => format!("{d}d{h}h"),
        (d, _, _) => format!("{d}d"),
    }
}

/// `bytes` for people: `512 B`, `3.0 KiB`, `8.0 TiB`.
pub fn size_text(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// `valid 6h12m`, `expired 3d`, `refreshable`, `missing`, ...
pub fn state_text(state: &CacheState, now: DateTime<Utc>) -> String {
    match (state.status, state.expires_at) {
        (Status::Valid, Some(at)) => format!("valid {}", short_duration(at - now)),
        (Status::Expired, Some(at)) if at > now => format!("expiring {}", short_duration(at - now)),
        (Status::Expired, Some(at)) => format!("expired {}", short_duration(now - at)),
        (Status::ConfigError, _) => "config error".into(),
        (Status::TooLarge, _) => "too large".into(),
        (status, _) => status.as_str().into(),
    }
}

/// `s` made safe to write to a terminal: control characters (C0, DEL, C1)
/// and the invisible bidi / direction marks that can make a name look like
/// another are shown escaped (`\e`, `\n`, `\x07`, `\u{202e}`), so a profile
/// name can neither retitle the window nor run escape sequences. Used for
/// every human output; `--json` and the hand-off keep the exact bytes.
/// A backslash stays as it is: names with one are rare and read naturally.
pub fn printable(s: &str) -> Cow<'_, str> {
    // Printable ASCII, nearly every cell: a byte test, not a char decode.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) || !s.chars().any(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !needs_escape(c) {
            out.push(c);
            continue;
        }
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
        }
    }
    Cow::Owned(out)
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_for_people() {
        assert_eq!(size_text(512), "512 B");
        assert_eq!(size_text(1024 * 1024), "1.0 MiB");
        assert_eq!(size_text(8 << 40), "8.0 TiB");
    }

    #[test]
    fn too_large_reads_as_words() {
        let state = CacheState {
            status: Status::TooLarge,
            expires_at: None,
        };
        assert_eq!(state_text(&state, Utc::now()), "too large");
    }

    #[test]
    fn printable_escapes_what_a_terminal_would_run() {
        assert_eq!(printable("prod-admin"), "prod-admin");
        assert!(matches!(printable("é ü 日本"), Cow::Borrowed(_)));
        assert_eq!(printable("a\u{1b}]0;pwned\u{7}b"), "a\\e]0;pwned\\x07b");
        assert_eq!(printable("x\ry\nz\t\0"), "x\\ry\\nz\\t\\0");
        assert_eq!(printable("\u{7f}\u{9b}"), "\\x7f\\u{9b}");
        assert_eq!(printable("evil\u{202e}nimda"), "evil\\u{202e}nimda");
        assert_eq!(printable("back\\slash"), "back\\slash");
    }
    use chrono::TimeZone;

    #[test]
    fn durations() {
        let cases = [
            (30, "30s"),
            (60 * 12, "12m"),
            (3600 * 6 + 60 * 12, "6h12m"),
            (7200, "2h"),
            (86_400 + 4 * 3600, "1d4h"),
            (3 * 86_400 + 5, "3d"),
            (-5, "0s"),
        ];
        for (secs, want) in cases {
            assert_eq!(short_duration(Duration::seconds(secs)), want);
        }
    }

    #[test]
    fn states() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let st = |status, at: Option<i64>| CacheState {
            status,
            expires_at: at.map(|s| now + Duration::seconds(s)),
        };
        assert_eq!(state_text(&st(Status::Valid, Some(3600)), now), "valid 1h");
        assert_eq!(
            state_text(&st(Status::Expired, Some(-3 * 86_400)), now),
            "expired 3d"
        );
        assert_eq!(
            state_text(&st(Status::Expired, Some(600)), now),
            "expiring 10m"
        );
        assert_eq!(
            state_text(&st(Status::Refreshable, Some(60)), now),
            "refreshable"
        );
        assert_eq!(
            state_text(&st(Status::ConfigError, None), now),
            "config error"
        );
    }
}

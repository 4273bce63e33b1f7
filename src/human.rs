//! Short, human renderings of times and cache states, shared by `list`,
//! the picker and `status`.

use chrono::{DateTime, Duration, Utc};

use crate::aws::cache::Status;
use crate::aws::snapshot::CacheState;

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

/// `valid 6h12m`, `expired 3d`, `refreshable`, `missing`, ...
pub fn state_text(state: &CacheState, now: DateTime<Utc>) -> String {
    match (state.status, state.expires_at) {
        (Status::Valid, Some(at)) => format!("valid {}", short_duration(at - now)),
        (Status::Expired, Some(at)) if at > now => format!("expiring {}", short_duration(at - now)),
        (Status::Expired, Some(at)) => format!("expired {}", short_duration(now - at)),
        (Status::ConfigError, _) => "config error".into(),
        (status, _) => status.as_str().into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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

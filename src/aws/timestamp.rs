//! Timestamps in cache files, parsed like botocore's `dateutil.parser.parse`
//! for the forms the AWS tools write and people hand-edit; a time without a
//! zone is unusable to botocore (naive vs aware comparison), so it is `None`.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

/// Parses `2099-01-01T00:00:00Z`, `...UTC`, `...+02:00`, `.000Z`, a space for
/// `T`, lower-case `z`, compact `20990101T000000Z`. `None` for no zone,
/// unknown zone names and garbage.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let s = text.trim();
    let (date, rest) = split_date(s)?;
    let rest = rest.strip_prefix(['T', 't', ' ']).unwrap_or(rest);
    let rest = rest.trim_start();
    let (time, rest) = split_time(rest)?;
    let offset = parse_zone(rest.trim())?;
    let naive = NaiveDateTime::new(date, time);
    Some(naive.and_utc() - offset)
}

/// Formats as the JSON output wants it: UTC, seconds, `Z`.
pub fn format(t: &DateTime<Utc>) -> String {
    match format_bytes(t) {
        Some(text) => text.iter().map(|&b| char::from(b)).collect(),
        // chrono writes a sign and more digits out there.
        None => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    }
}

/// [`format`]'s text for years 0 to 9999, as bytes and without allocating:
/// `awsp list --json` writes one or two per profile. By hand because chrono's
/// `format` parses its pattern on every call.
pub fn format_bytes(t: &DateTime<Utc>) -> Option<[u8; 20]> {
    let utc = t.naive_utc();
    let (date, time) = (utc.date(), utc.time());
    let year = u32::try_from(date.year()).ok().filter(|&y| y <= 9999)?;
    let secs = time.num_seconds_from_midnight();
    // A leap second (second 59 with nanos >= 1e9) prints as :60 in chrono.
    let leap = u32::from(time.nanosecond() >= 1_000_000_000);
    let mut out = *b"0000-00-00T00:00:00Z";
    let mut put = |at: usize, value: u32, width: usize| {
        let mut v = value;
        for i in (0..width).rev() {
            out[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, year, 4);
    put(5, date.month(), 2);
    put(8, date.day(), 2);
    put(11, secs / 3600, 2);
    put(14, secs / 60 % 60, 2);
    put(17, secs % 60 + leap, 2);
    Some(out)
}

fn digits(s: &str, n: usize) -> Option<(u32, &str)> {
    let head = s.get(..n)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &s[n..]))
}

fn split_date(s: &str) -> Option<(NaiveDate, &str)> {
    let (y, rest) = digits(s, 4)?;
    let (m, d, rest) = if let Some(r) = rest.strip_prefix('-') {
        let (m, r) = digits(r, 2)?;
        let (d, r) = digits(r.strip_prefix('-')?, 2)?;
        (m, d, r)
    } else {
        let (m, r) = digits(rest, 2)?;
        let (d, r) = digits(r, 2)?;
        (m, d, r)
    };
    Some((NaiveDate::from_ymd_opt(y as i32, m, d)?, rest))
}

fn split_time(s: &str) -> Option<(NaiveTime, &str)> {
    let (h, rest) = digits(s, 2)?;
    let colon = rest.starts_with(':');
    let rest = if colon { &rest[1..] } else { rest };
    let (m, mut rest) = digits(rest, 2)?;
    let mut sec = 0;
    if let Some(r) = if colon {
        rest.strip_prefix(':')
    } else {
        Some(rest)
    } {
        if let Some((sv, r2)) = digits(r, 2) {
            sec = sv;
            rest = r2;
        }
    }
    let mut nanos = 0u32;
    if let Some(r) = rest.strip_prefix(['.', ',']) {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        let frac = &r[..n.min(9)];
        nanos = frac.parse::<u32>().ok()? * 10u32.pow(9 - frac.len() as u32);
        rest = &r[n..];
    }
    Some((NaiveTime::from_hms_nano_opt(h, m, sec, nanos)?, rest))
}

/// The zone suffix as an offset east of UTC.
fn parse_zone(z: &str) -> Option<Duration> {
    match z {
        "Z" | "z" | "UTC" | "GMT" => return Some(Duration::zero()),
        "" => return None,
        _ => {}
    }
    let sign = match z.as_bytes()[0] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let body = &z[1..];
    let (h, m) = match body.len() {
        2 => (digits(body, 2)?.0, 0),
        4 => (digits(body, 2)?.0, digits(&body[2..], 2)?.0),
        5 if body.as_bytes()[2] == b':' => (digits(body, 2)?.0, digits(&body[3..], 2)?.0),
        _ => return None,
    };
    Some(Duration::minutes(sign * i64::from(h * 60 + m)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<String> {
        parse(s).map(|t| format(&t))
    }

    #[test]
    fn forms_the_cli_writes_and_people_edit() {
        let want = Some("2099-01-01T00:00:00Z".to_string());
        for s in [
            "2099-01-01T00:00:00Z",
            "2099-01-01T00:00:00UTC",
            "2099-01-01T00:00:00 UTC",
            "2099-01-01T00:00:00.000Z",
            "2099-01-01 00:00:00Z",
            "2099-01-01T00:00:00z",
            "20990101T000000Z",
            "2099-01-01T02:00:00+02:00",
            "2099-01-01T02:00:00+0200",
            "2098-12-31T19:00:00-05",
            "2099-01-01T00:00:00GMT",
        ] {
            assert_eq!(utc(s), want, "{s}");
        }
    }

    #[test]
    fn format_matches_chrono() {
        use chrono::TimeZone;
        let chrono_format = |t: &DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_milli_opt(23, 59, 59, 1_500))
            .unwrap()
            .and_utc();
        let mut times = vec![
            leap,
            Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(-1, 6, 15, 7, 8, 9).unwrap(),
        ];
        let mut t = Utc.with_ymd_and_hms(1969, 12, 31, 23, 59, 58).unwrap();
        for _ in 0..500 {
            times.push(t);
            t += Duration::seconds(86_400 * 37 + 3_661);
        }
        for t in times {
            assert_eq!(format(&t), chrono_format(&t), "{t:?}");
        }
    }

    /// `format_bytes` against chrono's own formatting over random instants
    /// of years 1 to 9999 and, densely, 1970 to 2100 (where cache files are).
    #[test]
    fn format_bytes_matches_chrono_at_random_instants() {
        use chrono::TimeZone;
        let chrono_format = |t: &DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        // xorshift64*: reproducible without a random-number crate.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            state.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        let span = |from: i32, to: i32| {
            let at = |y| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).unwrap().timestamp();
            (at(from), at(to + 1) - at(from))
        };
        let mut checked = 0;
        for (start, len) in [span(1, 9999), span(1970, 2100)] {
            for _ in 0..100_000 {
                let secs = start + (next() % len as u64) as i64;
                let nanos = (next() % 1_000_000_000) as u32;
                let t = Utc.timestamp_opt(secs, nanos).unwrap();
                let text = format_bytes(&t).expect("years 1-9999 are formatted by hand");
                assert_eq!(std::str::from_utf8(&text), Ok(&*chrono_format(&t)), "{t:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, 200_000);
        // Edges: the first and last second of the range, day and year
        // boundaries, 29 February, a leap second.
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .and_then(|d| d.and_hms_nano_opt(23, 59, 59, 1_999_999_999))
            .unwrap()
            .and_utc();
        for t in [
            Utc.with_ymd_and_hms(0, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).unwrap(),
            Utc.with_ymd_and_hms(2000, 2, 29, 12, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap(),
            leap,
        ] {
            let text = format_bytes(&t).unwrap();
            assert_eq!(std::str::from_utf8(&text), Ok(&*chrono_format(&t)), "{t:?}");
        }
        assert_eq!(format_bytes(&leap).unwrap()[17..19], *b"60");
        for outside in [
            Utc.with_ymd_and_hms(10000, 1, 1, 0, 0, 0).unwrap(),
            Utc.with_ymd_and_hms(-1, 12, 31, 23, 59, 59).unwrap(),
        ] {
            assert_eq!(format_bytes(&outside), None);
        }
    }

    #[test]
    fn fraction_is_kept_then_dropped_on_format() {
        let t = parse("2099-01-01T00:00:00.999Z").unwrap();
        assert_eq!(t.timestamp_subsec_millis(), 999);
        assert_eq!(format(&t), "2099-01-01T00:00:00Z");
    }

    #[test]
    fn naive_unknown_zone_and_garbage_are_unusable() {
        for s in [
            "2099-01-01T00:00:00",
            "2099-01-01T00:00:00 PST",
            "soon",
            "",
            "2099-13-01T00:00:00Z",
            "2099-01-01T00:00:00utc",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }
}

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
    let year = t.year();
    if !(0..=9999).contains(&year) {
        // chrono writes a sign and more digits out there.
        return t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    }
    // By hand: `format` parses the pattern on every call, and `awsp list
    // --json` formats one or two timestamps per profile.
    let mut out = [0u8; 20];
    let mut put = |at: usize, value: u32, width: usize| {
        let mut v = value;
        for i in (0..width).rev() {
            out[at + i] = b'0' + (v % 10) as u8;
            v /= 10;
        }
    };
    put(0, year as u32, 4);
    put(5, t.month(), 2);
    put(8, t.day(), 2);
    put(11, t.hour(), 2);
    put(14, t.minute(), 2);
    // A leap second (second 59 with nanos >= 1e9) prints as :60 in chrono.
    put(
        17,
        t.second() + u32::from(t.nanosecond() >= 1_000_000_000),
        2,
    );
    for (at, c) in [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (19, b'Z'),
    ] {
        out[at] = c;
    }
    out.iter().map(|&b| char::from(b)).collect()
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

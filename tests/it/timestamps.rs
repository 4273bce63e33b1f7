//! Cache-file timestamps against the real dateutil (botocore calls
//! `dateutil.parser.parse(value)` on `expiresAt`, `registrationExpiresAt`
//! and `Credentials.Expiration`): the forms a file can plausibly hold, then
//! a seeded grammar of ~2000 strings (ISO variants, RFC 1123/850, month
//! names, numeric dates, offsets, zone names, GMT+N, garbage and mutations),
//! comparing the instant to the microsecond or the rejection.
//!
//! The oracle is tests/oracle/timestamps_oracle.py, run by
//! `$AWSP_ORACLE_PYTHON` (default `<repo>/.venv/bin/python`);
//! without it the differential test is skipped (`common::skip`).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use awsp::aws::py::dateutil;
use chrono::{DateTime, NaiveDate, Utc};

fn utc(text: &str) -> Option<String> {
    dateutil::parse(text).map(|t| t.format("%Y-%m-%dT%H:%M:%S%.fZ").to_string())
}

/// Forms with a full date, so today's date does not enter.
#[test]
fn dateutil_forms_are_read_as_botocore_reads_them() {
    for (text, want) in [
        ("Wed, 02 Dec 2099 10:00:00 GMT", "2099-12-02T10:00:00Z"),
        ("Wednesday, 02-Dec-49 10:00:00 GMT", "2049-12-02T10:00:00Z"),
        ("Wed Dec  2 10:00:00 UTC 2099", "2099-12-02T10:00:00Z"),
        ("Jan 1 2099 00:00 UTC", "2099-01-01T00:00:00Z"),
        ("1 January 2099 10pm UTC", "2099-01-01T22:00:00Z"),
        ("January 1, 2099 10:30 am Z", "2099-01-01T10:30:00Z"),
        ("1/2/2099 10:00 UTC", "2099-01-02T10:00:00Z"),
        ("2099.01.02 10:00Z", "2099-01-02T10:00:00Z"),
        ("2099-01-01T00:00:00 GMT+3", "2099-01-01T03:00:00Z"),
        ("2099-01-01T00:00:00 UTC-3", "2098-12-31T21:00:00Z"),
        ("2099-01-01 00:00:00 GMT+03:30", "2099-01-01T03:30:00Z"),
        (
            "2099-01-01T00:00:00.1234567Z",
            "2099-01-01T00:00:00.123456Z",
        ),
        ("2099-01-01T00:00:00,5Z", "2099-01-01T00:00:00.500Z"),
        ("2099-01-01T10:30.5Z", "2099-01-01T10:30:30Z"),
        ("2099-01-01T00:00:00\u{a0}UTC", "2099-01-01T00:00:00Z"),
        ("2099-01-01T00:00:00Z\u{0}", "2099-01-01T00:00:00Z"),
        ("20990101T0000Z", "2099-01-01T00:00:00Z"),
        ("2099-01-01T00:00:00+00:00", "2099-01-01T00:00:00Z"),
        ("2099-01-01T00:00:00-0000", "2099-01-01T00:00:00Z"),
        ("2099-01-01T00:00:00 +0300 (GMT)", "2099-01-01T00:00:00Z"),
    ] {
        assert_eq!(utc(text).as_deref(), Some(want), "{text:?}");
    }
    for rejected in [
        // No zone: naive, which botocore cannot compare.
        "2099-01-01T00:00:00",
        "1/2/2099",
        // A zone name whose meaning is the machine's local zone.
        "2099-01-01T00:00:00 PST",
        "2099-01-01T00:00:00 -0500 (EST)",
        // What dateutil itself refuses.
        "2099-02-30T00:00:00Z",
        "2099-01-01T24:00:00Z",
        "2099-01-01T00:00:00+2400",
        "2099-01-01T00:00:00 utc",
        "soon",
        "",
        "NaN",
    ] {
        assert_eq!(utc(rejected), None, "{rejected:?}");
    }
}

// ---- The differential test ---------------------------------------------

/// xorshift64*: reproducible without a random-number crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const MONTHS: &[&str] = &[
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "January", "February", "december", "MARCH",
];
const WEEKDAYS: &[&str] = &[
    "Mon",
    "Tue",
    "Wed",
    "Thu",
    "Fri",
    "Sat",
    "Sun",
    "Wednesday",
    "sun",
];
const ZONES: &[&str] = &[
    "Z",
    "z",
    "UTC",
    " UTC",
    "GMT",
    " GMT",
    "+00:00",
    "-00:00",
    "+02:00",
    "+0200",
    "-05",
    "-0530",
    "+14:00",
    "+2359",
    "+2400",
    "-99",
    " GMT+3",
    "GMT-3",
    " UTC+5",
    "UTC-05:30",
    " GMT+0300",
    "",
    "",
    " PST",
    " EST",
    " CET",
    " -0500 (EST)",
    " +01:00 (CET)",
    " EST+3",
    " utc",
    " Z",
    " z",
    "+",
    "-",
    "+1",
    "+123",
    " (UTC)",
    " XYZ",
    " GMTX",
];
const SEPARATORS: &[&str] = &["T", " ", "t", "", "  ", ", ", " at ", "T ", "_", ";"];

/// Two-digit text of a number (or any width when asked).
fn num(r: &mut Rng, lo: u64, hi: u64, width: usize) -> String {
    let v = lo + r.next() % (hi - lo + 1);
    format!("{v:0width$}")
}

fn year(r: &mut Rng) -> String {
    match r.below(10) {
        0 => num(r, 0, 99, 2),
        1 => num(r, 0, 9999, 4),
        2 => num(r, 1, 99999, 5),
        _ => num(r, 1990, 2110, 4),
    }
}

fn month_num(r: &mut Rng) -> String {
    if r.below(12) == 0 {
        num(r, 0, 19, 2)
    } else {
        let width = if r.below(3) == 0 { 1 } else { 2 };
        num(r, 1, 12, width)
    }
}

fn day_num(r: &mut Rng) -> String {
    if r.below(12) == 0 {
        num(r, 0, 39, 2)
    } else {
        let width = if r.below(3) == 0 { 1 } else { 2 };
        num(r, 1, 31, width)
    }
}

fn date(r: &mut Rng) -> String {
    let (y, m, d) = (year(r), month_num(r), day_num(r));
    let mon = r.pick(MONTHS);
    let wd = r.pick(WEEKDAYS);
    match r.below(18) {
        0..=3 => format!("{y}-{m}-{d}"),
        4 => format!("{y}{m}{d}"),
        5 => format!("{y}/{m}/{d}"),
        6 => format!("{m}/{d}/{y}"),
        7 => format!("{d}.{m}.{y}"),
        8 => format!("{y}.{m}.{d}"),
        9 => format!("{mon} {d} {y}"),
        10 => format!("{d} {mon} {y}"),
        11 => format!("{mon} {d}, {y}"),
        12 => format!("{wd}, {d} {mon} {y}"),
        13 => format!("{wd}, {d}-{mon}-{y}"),
        14 => format!("{wd} {mon} {d}"),
        15 => format!("{y}-{m}"),
        16 => format!("{mon} {y}"),
        _ => String::new(),
    }
}

fn time(r: &mut Rng) -> String {
    let h = if r.below(15) == 0 {
        num(r, 0, 29, 2)
    } else {
        num(r, 0, 23, 2)
    };
    let m = if r.below(15) == 0 {
        num(r, 0, 69, 2)
    } else {
        num(r, 0, 59, 2)
    };
    let s = if r.below(15) == 0 {
        num(r, 0, 69, 2)
    } else {
        num(r, 0, 59, 2)
    };
    let width = 1 + r.below(9);
    let frac = num(r, 0, 999_999_999, width);
    let width = 1 + r.below(2);
    let h12 = num(r, 0, 13, width);
    let ampm = r.pick(&["am", "pm", "AM", "PM", "a", "p", "a.m."]);
    match r.below(16) {
        0..=4 => format!("{h}:{m}:{s}"),
        5 => format!("{h}:{m}"),
        6 | 7 => format!("{h}:{m}:{s}.{frac}"),
        8 => format!("{h}:{m}:{s},{frac}"),
        9 => format!("{h}{m}{s}"),
        10 => format!("{h}{m}"),
        11 => format!("{h12} {ampm}"),
        12 => format!("{h12}:{m} {ampm}"),
        13 => format!("{h}h{m}m{s}s"),
        14 => format!("{h}:{m}.{frac}"),
        _ => String::new(),
    }
}

/// One string from the grammar of forms.
fn form(r: &mut Rng) -> String {
    let zone = r.pick(ZONES);
    match r.below(10) {
        // Date, separator, time, zone.
        0..=5 => {
            let sep = r.pick(SEPARATORS);
            format!("{}{sep}{}{zone}", date(r), time(r))
        }
        // asctime: weekday month day time zone year.
        6 => format!(
            "{} {} {} {}{zone} {}",
            r.pick(WEEKDAYS),
            r.pick(MONTHS),
            day_num(r),
            time(r),
            year(r)
        ),
        // Time first, then the date.
        7 => format!("{}{zone} {}", time(r), date(r)),
        // Padding, case and white space around a good form.
        8 => {
            let pad = r.pick(&[" ", "\t", "\n", "\u{a0}", "\u{3000}", "\u{0}", "\u{1f}"]);
            format!("{pad}{}T{}{zone}{pad}", date(r), time(r))
        }
        _ => garbage(r),
    }
}

fn garbage(r: &mut Rng) -> String {
    const ALPHABET: &[u8] = b"0123456789:-/.,TZ +aAmMpPhs()JanDecUTCGMTof";
    let len = r.below(24);
    let mut out: String = (0..len)
        .map(|_| char::from(ALPHABET[r.below(ALPHABET.len())]))
        .collect();
    if r.below(8) == 0 {
        out.push(['é', '٣', '２', '€', '\u{2009}'][r.below(5)]);
    }
    out
}

/// A random edit of a string: a character deleted, duplicated or replaced.
fn mutate(r: &mut Rng, text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for _ in 0..1 + r.below(3) {
        if chars.is_empty() {
            break;
        }
        let at = r.below(chars.len());
        let other = ":-/.,T Z+0159aAmP"
            .chars()
            .nth(r.below(17))
            .expect("in range");
        match r.below(3) {
            0 => {
                chars.remove(at);
            }
            1 => chars.insert(at, chars[at]),
            _ => chars[at] = other,
        }
    }
    chars.into_iter().collect()
}

/// The strings: what the AWS tools write, then the seeded grammar.
fn corpus() -> Vec<String> {
    let mut texts: Vec<String> = [
        "2099-01-01T00:00:00Z",
        "2099-01-01T00:00:00UTC",
        "2099-01-01T00:00:00+00:00",
        "2099-01-01T00:00:00.000Z",
        "2026-11-27T12:00:00Z",
        "Wed, 02 Dec 2099 10:00:00 GMT",
        "Jan 1 2099 00:00 UTC",
        "1/2/2099",
        "1/2/2099 10:00 UTC",
        "10:00 UTC",
        "Wed 10:00 UTC",
        "Dec 10:00 UTC",
        "31 10:00 UTC",
        "Feb 10:00 UTC",
        "10pm UTC",
        "12 am UTC",
        "2099-01-01T00:00:00 GMT+3",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // AWSP_TIMESTAMP_SEED / AWSP_TIMESTAMP_COUNT explore further by hand.
    let knob = |name: &str, default: u64| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let mut r = Rng(knob("AWSP_TIMESTAMP_SEED", 0x5eed_da7e));
    for _ in 0..knob("AWSP_TIMESTAMP_COUNT", 1500) {
        texts.push(form(&mut r));
    }
    // The forms the AWS tools write, which awsp reads without the lexer
    // (dateutil::canonical): every field at and around its edges.
    for _ in 0..knob("AWSP_TIMESTAMP_COUNT", 1500) / 3 {
        let field = |r: &mut Rng, lo: u64, hi: u64, width: usize| num(r, lo, hi, width);
        let (y, mo, d) = (
            field(&mut r, 0, 2200, 4),
            field(&mut r, 0, 13, 2),
            field(&mut r, 0, 32, 2),
        );
        let (h, mi, se) = (
            field(&mut r, 0, 24, 2),
            field(&mut r, 0, 60, 2),
            field(&mut r, 0, 61, 2),
        );
        let frac = r.pick(&["", ".0", ".5", ".000", ".123456", ".1234567"]);
        let zone = r.pick(&["Z", "UTC", "+00:00", "z", "+01:00", ""]);
        texts.push(format!("{y}-{mo}-{d}T{h}:{mi}:{se}{frac}{zone}"));
    }
    for i in 0..texts.len() / 3 {
        let base = texts[i % 300].clone();
        texts.push(mutate(&mut r, &base));
    }
    texts
}

#[derive(serde::Deserialize)]
struct OracleOut {
    today: String,
    results: Vec<Verdict>,
}

#[derive(serde::Deserialize)]
struct Verdict {
    micros: Option<i64>,
    tzname: Option<String>,
}

fn dateutil(python: &Path, texts: &[String]) -> OracleOut {
    let script = crate::common::repo().join("tests/oracle/timestamps_oracle.py");
    let mut child = Command::new(python)
        .arg(script)
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run the oracle");
    let body = serde_json::to_vec(texts).unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&body));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "oracle failed");
    serde_json::from_slice(&out.stdout).expect("oracle output")
}

/// awsp's documented refusals: a zone name other than UTC/GMT/Z (dateutil's
/// answer depends on the local zone's names), or a non-ASCII character
/// other than white space.
fn refusal_is_documented(text: &str, tzname: Option<&str>) -> bool {
    let named = tzname.is_some_and(|n| !matches!(n, "UTC" | "GMT" | "Z" | "z"));
    let foreign = text.chars().any(|c| !c.is_ascii() && !c.is_whitespace());
    named || foreign
}

#[test]
fn timestamps_agree_with_dateutil() {
    let Some(python) = crate::common::oracle_python(&["botocore", "dateutil"]) else {
        return;
    };
    let texts = corpus();
    let oracle = dateutil(&python, &texts);
    let today: NaiveDate = oracle.today.parse().expect("YYYY-MM-DD");
    assert_eq!(oracle.results.len(), texts.len());
    let (mut accepted, mut refused, mut wrong) = (0, 0, Vec::new());
    for (text, want) in texts.iter().zip(&oracle.results) {
        let got = dateutil::parse_at(text, today).map(|t: DateTime<Utc>| t.timestamp_micros());
        match (got, want.micros) {
            (g, w) if g == w => {
                if w.is_some() {
                    accepted += 1;
                }
            }
            (None, Some(_)) if refusal_is_documented(text, want.tzname.as_deref()) => refused += 1,
            (g, w) => wrong.push(format!(
                "{text:?}: dateutil {w:?}, awsp {g:?} (tz {:?})",
                want.tzname
            )),
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} differ:\n{}",
        wrong.len(),
        texts.len(),
        wrong.join("\n")
    );
    eprintln!(
        "{accepted} accepted alike, {refused} documented refusals, {} strings",
        texts.len()
    );
    // The corpus reaches both outcomes in numbers, so it tests something.
    assert!(accepted > 400, "only {accepted} accepted");
    assert!(refused * 10 < texts.len(), "{refused} documented refusals");
}

//! Timestamps in cache files, read exactly as botocore reads them: its
//! token provider, legacy SSO fetcher and role-credential cache all call
//! `dateutil.parser.parse(value)` (no `tzinfos`, default "today at
//! midnight", `dayfirst`/`yearfirst` off, not fuzzy) and then compare the
//! result with an aware "now", so a time without a zone is unusable.
//!
//! This module is a port of that parser (python-dateutil 2.9.0's
//! `_timelex` and `parser._parse`) so that every string it accepts gives the
//! same instant. Among the forms it reads (tests/it/timestamps.rs checks them
//! against the real dateutil):
//!
//! * ISO 8601 and near forms: `2099-01-01T00:00:00Z`, `...UTC`, `.123456`,
//!   `,5`, `+02:00`, `+0200`, `-05`, a space for `T`, `20990101T000000Z`;
//! * RFC 1123 / 850 / asctime: `Wed, 02 Dec 2099 10:00:00 GMT`,
//!   `Wednesday, 02-Dec-99 10:00:00 GMT`, `Wed Dec  2 10:00:00 UTC 2099`;
//! * month names and numeric dates: `Jan 1 2099 00:00 UTC`,
//!   `1 January 2099 10pm UTC`, `1/2/2099 10:00 Z` (month first),
//!   `2099.01.02`, two-digit years (within 50 years of this year);
//! * `GMT+3` and `UTC-3`, which dateutil reads POSIX-style as UTC-3 and
//!   UTC+3;
//! * missing parts taken from today (local date), as dateutil's default:
//!   `10:00 UTC` is today at 10:00, `Wed 10:00 UTC` the coming Wednesday.
//!
//! What awsp rejects (the file's status becomes "invalid") although
//! dateutil may read it:
//!
//! * a zone name other than `UTC`, `GMT`, `Z` or `z`, with or without an
//!   offset (`EST`, `10:00 -0500 (EST)`, `EST+3`): dateutil's answer
//!   depends on the machine's local zone names (`time.tzname`), which
//!   awsp does not know; without a local match dateutil gives a naive
//!   time for a bare name, which botocore cannot use either;
//! * non-ASCII characters other than white space (dateutil would read,
//!   e.g., Arabic-Indic digits).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Utc};

/// Parses `text` as botocore does, missing date parts taken from today's
/// local date; `None` where botocore fails (or for the forms listed above).
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    parse_with(text, &Today::new(&|| chrono::Local::now().date_naive()))
}

/// [`parse`] with "today" given: dateutil's default date, and the year two-
/// digit years are read around.
pub fn parse_at(text: &str, today: NaiveDate) -> Option<DateTime<Utc>> {
    parse_with(text, &Today::new(&move || today))
}

fn parse_with(text: &str, today: &Today<'_>) -> Option<DateTime<Utc>> {
    if let Some(t) = canonical(text.as_bytes()) {
        return Some(t);
    }
    full_parse(text, today)
}

/// The whole port: the lexer, the token parser and the builder.
fn full_parse(text: &str, today: &Today<'_>) -> Option<DateTime<Utc>> {
    let tokens = timelex(text)?;
    let res = parse_tokens(tokens, today).ok()?;
    build(&res, today)
}

/// The forms the AWS tools write (`2099-01-01T00:00:00Z`, `...UTC`,
/// `...+00:00`, with up to six fraction digits), read without the lexer: a
/// cache file holds one or two, and `awsp list` reads every file, where the
/// full parser took 20,000 instructions a timestamp. It answers only for a
/// valid date and time (else the full parser decides, errors included), and
/// gives what the full parser gives: the `canonical_form_agrees_with_the_full_parser`
/// test compares both on every field at and around its edges, and
/// tests/it/timestamps.rs compares them with the real dateutil.
fn canonical(text: &[u8]) -> Option<DateTime<Utc>> {
    let (stamp, zone) = text.split_at_checked(19)?;
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        stamp[range].iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let punctuation = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if punctuation.iter().any(|&(at, b)| stamp[at] != b) {
        return None;
    }
    let (frac, zone) = match zone.strip_prefix(b".") {
        Some(rest) => {
            let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            if !(1..=6).contains(&n) {
                return None;
            }
            let (frac, zone) = rest.split_at(n);
            let micros = frac.iter().fold(0u32, |m, &b| m * 10 + u32::from(b - b'0'));
            (micros * 10u32.pow(6 - n as u32), zone)
        }
        None => (0, zone),
    };
    if !matches!(zone, b"Z" | b"UTC" | b"+00:00") {
        return None;
    }
    let year = digits(0..4).filter(|&y| y >= 1)?;
    let date = NaiveDate::from_ymd_opt(year as i32, digits(5..7)?, digits(8..10)?)?;
    let time =
        NaiveTime::from_hms_micro_opt(digits(11..13)?, digits(14..16)?, digits(17..19)?, frac)?;
    Some(NaiveDateTime::new(date, time).and_utc())
}

/// Today's date, asked for only when a string lacks part of its date or
/// has a two-digit year (the clock and local zone are not read otherwise).
struct Today<'a> {
    date: std::cell::OnceCell<NaiveDate>,
    ask: &'a dyn Fn() -> NaiveDate,
}

impl<'a> Today<'a> {
    fn new(ask: &'a dyn Fn() -> NaiveDate) -> Today<'a> {
        Today {
            date: std::cell::OnceCell::new(),
            ask,
        }
    }

    fn get(&self) -> NaiveDate {
        *self.date.get_or_init(self.ask)
    }

    fn year(&self) -> i64 {
        self.get().year().into()
    }
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

// ---- dateutil's tokenizer ------------------------------------------------

/// Python's `str.isspace()` outside ASCII.
fn is_unicode_space(c: char) -> bool {
    matches!(
        c,
        '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}'
    )
}

/// The text as ASCII with every white space character (Python's
/// `isspace`) as `' '` and NUL dropped (as `_timelex` drops it); `None`
/// for any other non-ASCII character.
fn ascii_of(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\0' => {}
            '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | '\u{1c}'..='\u{1f}' | ' ' => out.push(b' '),
            c if c.is_ascii() => out.push(c as u8),
            c if is_unicode_space(c) => out.push(b' '),
            _ => return None,
        }
    }
    Some(out)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LexState {
    Word,
    Number,
    WordDot,
    NumberDot,
}

/// `_timelex.split`: runs of letters, runs of digits (with the dot and
/// comma rules for decimals), each space and each other character alone.
fn timelex(text: &str) -> Option<Vec<String>> {
    let chars = ascii_of(text)?;
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        let (token, next) = lex_one(&chars, at);
        tokens.extend(token);
        at = next;
    }
    Some(tokens)
}

/// One `get_token` from `at`: the tokens it yields (one, or the pieces of a
/// split dotted run) and where the next one starts.
fn lex_one(chars: &[u8], mut at: usize) -> (Vec<String>, usize) {
    let first = chars[at];
    at += 1;
    let mut token = vec![first];
    let mut state = if first.is_ascii_alphabetic() {
        LexState::Word
    } else if first.is_ascii_digit() {
        LexState::Number
    } else {
        let t = if first == b' ' { " " } else { "" };
        let token = if t.is_empty() {
            char::from(first).to_string()
        } else {
            t.to_string()
        };
        return (vec![token], at);
    };
    let mut seen_letters = false;
    while let Some(&c) = chars.get(at) {
        let last = *token.last().unwrap();
        let take = match state {
            LexState::Word => {
                seen_letters = true;
                if c.is_ascii_alphabetic() {
                    true
                } else if c == b'.' {
                    state = LexState::WordDot;
                    true
                } else {
                    false
                }
            }
            LexState::Number => {
                if c.is_ascii_digit() {
                    true
                } else if c == b'.' || (c == b',' && token.len() >= 2) {
                    state = LexState::NumberDot;
                    true
                } else {
                    false
                }
            }
            LexState::WordDot => {
                seen_letters = true;
                if c == b'.' || c.is_ascii_alphabetic() {
                    true
                } else if c.is_ascii_digit() && last == b'.' {
                    state = LexState::NumberDot;
                    true
                } else {
                    false
                }
            }
            LexState::NumberDot => {
                if c == b'.' || c.is_ascii_digit() {
                    true
                } else if c.is_ascii_alphabetic() && last == b'.' {
                    state = LexState::WordDot;
                    true
                } else {
                    false
                }
            }
        };
        if !take {
            break;
        }
        token.push(c);
        at += 1;
    }
    let text = String::from_utf8(token).expect("ASCII");
    let dotted = matches!(state, LexState::WordDot | LexState::NumberDot);
    let dots = text.matches('.').count();
    if dotted && (seen_letters || dots > 1 || text.ends_with(['.', ','])) {
        // re.split("([.,])"): the pieces and the separators, empties dropped
        // (but the first piece, never empty here).
        let mut pieces = Vec::new();
        let mut piece = String::new();
        for c in text.chars() {
            if c == '.' || c == ',' {
                pieces.push(std::mem::take(&mut piece));
                pieces.push(c.to_string());
            } else {
                piece.push(c);
            }
        }
        pieces.push(piece);
        let mut out = vec![pieces[0].clone()];
        out.extend(pieces.into_iter().skip(1).filter(|p| !p.is_empty()));
        return (out, at);
    }
    if state == LexState::NumberDot && dots == 0 {
        return (vec![text.replace(',', ".")], at);
    }
    (vec![text], at)
}

// ---- dateutil's parser ---------------------------------------------------

/// Any failure inside dateutil's `_parse` (ValueError, IndexError): the
/// string is not a date to it.
struct Fail;

type Parsed<T> = Result<T, Fail>;

/// A saturated integer: large enough values all fail later range checks.
const HUGE: i64 = i64::MAX / 1024;

/// Python's `int(s)` for a token (ASCII digits only, as tokens are).
fn int(s: &str) -> Parsed<i64> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Fail);
    }
    Ok(s.bytes()
        .fold(0i64, |n, b| (n * 10 + i64::from(b - b'0')).min(HUGE)))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Python's `s[from:to]`, clamped.
fn cut(s: &str, from: usize, to: usize) -> &str {
    let to = to.min(s.len());
    &s[from.min(to)..to]
}

/// A `Decimal` made from a number token: `digits[.digits]`.
#[derive(Clone, Debug)]
struct Num {
    whole: i64,
    frac: String,
}

impl Num {
    fn of(token: &str) -> Parsed<Num> {
        let (whole, frac) = token.split_once('.').unwrap_or((token, ""));
        if !is_digits(whole) || (token.contains('.') && !is_digits(frac)) {
            return Err(Fail);
        }
        Ok(Num {
            whole: int(whole)?,
            frac: frac.to_string(),
        })
    }

    fn has_frac(&self) -> bool {
        self.frac.bytes().any(|b| b != b'0')
    }

    /// `value <= n` for a whole `n`.
    fn at_most(&self, n: i64) -> bool {
        self.whole < n || (self.whole == n && !self.has_frac())
    }

    /// `int(60 * (value % 1))`, exactly: the fraction's digits times 60.
    fn sixtieths(&self) -> i64 {
        let mut carry = 0i64;
        for b in self.frac.bytes().rev() {
            carry = (i64::from(b - b'0') * 60 + carry) / 10;
        }
        carry
    }
}

/// A value handed to `_ymd.append`.
enum YmdValue<'a> {
    Text(&'a str),
    Decimal(&'a Num),
    Int(i64),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Label {
    Year,
    Month,
}

/// dateutil's `_ymd`: the date numbers in order, with where the year and
/// month are when known (`parse` never labels a day).
#[derive(Default)]
struct Ymd {
    values: Vec<i64>,
    century_specified: bool,
    year_at: Option<usize>,
    month_at: Option<usize>,
}

impl Ymd {
    fn append(&mut self, value: YmdValue<'_>, label: Option<Label>) -> Parsed<()> {
        let (n, looks_like_year) = match value {
            YmdValue::Text(s) => (None, is_digits(s) && s.len() > 2),
            YmdValue::Decimal(d) => (Some(d.whole), !d.at_most(100)),
            YmdValue::Int(i) => (Some(i), i > 100),
        };
        let mut label = label;
        if looks_like_year {
            self.century_specified = true;
            if label.is_some_and(|l| l != Label::Year) {
                return Err(Fail);
            }
            label = Some(Label::Year);
        }
        let n = match (n, value) {
            (Some(n), _) => n,
            (None, YmdValue::Text(s)) => int(s)?,
            (None, _) => unreachable!("only text has no number yet"),
        };
        self.values.push(n);
        let at = self.values.len() - 1;
        let slot = match label {
            None => return Ok(()),
            Some(Label::Year) => &mut self.year_at,
            Some(Label::Month) => &mut self.month_at,
        };
        if slot.is_some() {
            return Err(Fail);
        }
        *slot = Some(at);
        Ok(())
    }

    fn len(&self) -> usize {
        self.values.len()
    }

    fn could_be_day(&self, value: &Num) -> Parsed<bool> {
        let most = match (self.month_at, self.year_at) {
            (None, _) => 31,
            (Some(m), None) => days_in_month(2000, self.values[m])?,
            (Some(m), Some(y)) => days_in_month(self.values[y], self.values[m])?,
        };
        Ok(value.whole >= 1 && value.at_most(most))
    }

    /// `resolve_ymd(yearfirst=False, dayfirst=False)`: (year, month, day).
    fn resolve(&self) -> Parsed<(Option<i64>, Option<i64>, Option<i64>)> {
        let v = &self.values;
        let len = v.len();
        let known = [self.year_at, self.month_at, None];
        let labelled = known.iter().flatten().count();
        if (len == labelled && labelled > 0) || (len == 3 && labelled == 2) {
            let mut at = known;
            if len == 3 && labelled == 2 {
                let missing = (0..3).find(|i| !known.contains(&Some(*i))).ok_or(Fail)?;
                let empty = at.iter_mut().find(|a| a.is_none()).ok_or(Fail)?;
                *empty = Some(missing);
            }
            let get = |a: Option<usize>| a.map(|i| v[i]);
            return Ok((get(at[0]), get(at[1]), get(at[2])));
        }
        let (mut year, mut month, mut day) = (None, None, None);
        let m = self.month_at;
        if len > 3 {
            return Err(Fail);
        } else if len == 1 || (m.is_some() && len == 2) {
            let other = match m {
                // Python's self[mstridx - 1]: index -1 is the last one.
                Some(m) => {
                    month = Some(v[m]);
                    v[if m == 0 { len - 1 } else { m - 1 }]
                }
                None => v[0],
            };
            if len > 1 || m.is_none() {
                if other > 31 {
                    year = Some(other);
                } else {
                    day = Some(other);
                }
            }
        } else if len == 2 {
            if v[0] > 31 {
                (year, month) = (Some(v[0]), Some(v[1]));
            } else if v[1] > 31 {
                (month, year) = (Some(v[0]), Some(v[1]));
            } else {
                (month, day) = (Some(v[0]), Some(v[1]));
            }
        } else if len == 3 {
            let (a, b, c) = (Some(v[0]), Some(v[1]), Some(v[2]));
            (year, month, day) = match m {
                Some(0) if v[1] > 31 => (b, a, c),
                Some(0) => (c, a, b),
                Some(1) if v[0] > 31 => (a, b, c),
                Some(1) => (c, b, a),
                Some(2) if v[1] > 31 => (b, c, a),
                Some(2) => (a, c, b),
                _ if v[0] > 31 || self.year_at == Some(0) => (a, b, c),
                _ if v[0] > 12 => (c, b, a),
                _ => (c, a, b),
            };
        }
        Ok((year, month, day))
    }
}

/// `calendar.monthrange(year, month)[1]`, for any year; a month outside
/// 1-12 raises.
fn days_in_month(year: i64, month: i64) -> Parsed<i64> {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    Ok(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(Fail),
    })
}

/// dateutil's `_result`.
#[derive(Default, Debug)]
struct Res {
    year: Option<i64>,
    month: Option<i64>,
    day: Option<i64>,
    weekday: Option<i64>,
    hour: Option<i64>,
    minute: Option<i64>,
    second: Option<i64>,
    microsecond: Option<i64>,
    tzname: Option<String>,
    tzoffset: Option<i64>,
    ampm: Option<i64>,
    century_specified: bool,
}

impl Res {
    /// `len(res)`: how many fields are set.
    fn count(&self) -> usize {
        [
            self.year,
            self.month,
            self.day,
            self.weekday,
            self.hour,
            self.minute,
            self.second,
            self.microsecond,
            self.tzoffset,
            self.ampm,
        ]
        .iter()
        .flatten()
        .count()
            + usize::from(self.tzname.is_some())
    }
}

/// `parserinfo`'s word lists, matched case-insensitively.
fn lookup(table: &[(&str, i64)], word: &str) -> Option<i64> {
    let word = word.to_ascii_lowercase();
    table.iter().find(|(w, _)| *w == word).map(|&(_, v)| v)
}

const JUMP: &[&str] = &[
    " ", ".", ",", ";", "-", "/", "'", "at", "on", "and", "ad", "m", "t", "of", "st", "nd", "rd",
    "th",
];
const WEEKDAYS: &[(&str, i64)] = &[
    ("mon", 0),
    ("monday", 0),
    ("tue", 1),
    ("tuesday", 1),
    ("wed", 2),
    ("wednesday", 2),
    ("thu", 3),
    ("thursday", 3),
    ("fri", 4),
    ("friday", 4),
    ("sat", 5),
    ("saturday", 5),
    ("sun", 6),
    ("sunday", 6),
];
const MONTHS: &[(&str, i64)] = &[
    ("jan", 1),
    ("january", 1),
    ("feb", 2),
    ("february", 2),
    ("mar", 3),
    ("march", 3),
    ("apr", 4),
    ("april", 4),
    ("may", 5),
    ("jun", 6),
    ("june", 6),
    ("jul", 7),
    ("july", 7),
    ("aug", 8),
    ("august", 8),
    ("sep", 9),
    ("sept", 9),
    ("september", 9),
    ("oct", 10),
    ("october", 10),
    ("nov", 11),
    ("november", 11),
    ("dec", 12),
    ("december", 12),
];
const HMS: &[(&str, i64)] = &[
    ("h", 0),
    ("hour", 0),
    ("hours", 0),
    ("m", 1),
    ("minute", 1),
    ("minutes", 1),
    ("s", 2),
    ("second", 2),
    ("seconds", 2),
];
const AMPM: &[(&str, i64)] = &[("am", 0), ("a", 0), ("pm", 1), ("p", 1)];
const UTC_NAMES: &[&str] = &["UTC", "GMT", "Z", "z"];

fn jump(word: &str) -> bool {
    JUMP.contains(&word.to_ascii_lowercase().as_str())
}

fn month(word: &str) -> Option<i64> {
    lookup(MONTHS, word)
}

fn hms(word: &str) -> Option<i64> {
    lookup(HMS, word)
}

fn ampm(word: &str) -> Option<i64> {
    lookup(AMPM, word)
}

/// `parserinfo.utczone`: case-insensitive.
fn utczone(name: &str) -> bool {
    matches!(name.to_ascii_lowercase().as_str(), "utc" | "gmt" | "z")
}

/// A token `float()` accepts: a number token; `nan`, `inf` and `infinity`
/// are floats too but then fail as decimals.
fn is_number(token: &str) -> bool {
    Num::of(token).is_ok()
}

fn adjust_ampm(hour: i64, ampm: i64) -> i64 {
    match (hour, ampm) {
        (h, 1) if h < 12 => h + 12,
        (12, 0) => 0,
        (h, _) => h,
    }
}

fn could_be_tzname(res: &Res, tzoffset: Option<i64>, token: &str) -> bool {
    res.hour.is_some()
        && res.tzname.is_none()
        && tzoffset.is_none()
        && token.len() <= 5
        && (token.bytes().all(|b| b.is_ascii_uppercase()) || UTC_NAMES.contains(&token))
}

/// `_parsems`: seconds and microseconds of `12` or `12.5`.
fn parsems(value: &str) -> Parsed<(i64, i64)> {
    match value.split_once('.') {
        None => Ok((int(value)?, 0)),
        Some((_, f)) if f.contains('.') => Err(Fail),
        Some((i, f)) => {
            let micros = format!("{f:0<6}");
            Ok((int(i)?, int(cut(&micros, 0, 6))?))
        }
    }
}

/// `_parse_min_sec`.
fn min_sec(value: &Num) -> (Option<i64>, Option<i64>) {
    let second = value.has_frac().then(|| value.sixtieths());
    (Some(value.whole), second)
}

/// `parserinfo.convertyear`: a two-digit year to within 50 years of now.
fn convert_year(year: i64, century_specified: bool, today: &Today<'_>) -> i64 {
    if year >= 100 || century_specified {
        return year;
    }
    let this_year = today.year();
    let year = year + this_year / 100 * 100;
    if year >= this_year + 50 {
        year - 100
    } else if year < this_year - 50 {
        year + 100
    } else {
        year
    }
}

/// `parser._parse` on the tokens, then `parserinfo.validate`.
fn parse_tokens(mut l: Vec<String>, today: &Today<'_>) -> Parsed<Res> {
    let mut res = Res::default();
    let mut ymd = Ymd::default();
    let len = l.len();
    let get = |l: &[String], i: usize| -> Parsed<String> { l.get(i).cloned().ok_or(Fail) };
    let mut i = 0;
    while i < len {
        let token = l[i].clone();
        let lower = token.to_ascii_lowercase();
        if is_number(&token) {
            i = numeric_token(&l, i, &mut ymd, &mut res)?;
        } else if matches!(lower.as_str(), "nan" | "inf" | "infinity") {
            return Err(Fail);
        } else if let Some(wd) = lookup(WEEKDAYS, &token) {
            res.weekday = Some(wd);
        } else if let Some(m) = month(&token) {
            ymd.append(YmdValue::Int(m), Some(Label::Month))?;
            if i + 1 < len {
                if l[i + 1] == "-" || l[i + 1] == "/" {
                    let sep = l[i + 1].clone();
                    ymd.append(YmdValue::Text(&get(&l, i + 2)?), None)?;
                    if i + 3 < len && l[i + 3] == sep {
                        ymd.append(YmdValue::Text(&get(&l, i + 4)?), None)?;
                        i += 2;
                    }
                    i += 2;
                } else if i + 4 < len
                    && l[i + 1] == " "
                    && l[i + 3] == " "
                    && lookup(&[("of", 0)], &l[i + 2]).is_some()
                {
                    if is_digits(&l[i + 4]) {
                        let year = convert_year(int(&l[i + 4])?, false, today);
                        ymd.append(YmdValue::Text(&year.to_string()), Some(Label::Year))?;
                    }
                    i += 4;
                }
            }
        } else if let Some(value) = ampm(&token) {
            match res.hour {
                Some(h) if (0..=12).contains(&h) => {
                    res.hour = Some(adjust_ampm(h, value));
                    res.ampm = Some(value);
                }
                _ => return Err(Fail),
            }
        } else if could_be_tzname(&res, res.tzoffset, &token) {
            res.tzoffset = (token == "z").then_some(0);
            if i + 1 < len && (l[i + 1] == "+" || l[i + 1] == "-") {
                // POSIX style: GMT+3 is three hours behind.
                l[i + 1] = if l[i + 1] == "+" { "-" } else { "+" }.to_string();
                res.tzoffset = None;
                res.tzname = (!utczone(&token)).then(|| token.clone());
            } else {
                res.tzname = Some(token.clone());
            }
        } else if res.hour.is_some() && (token == "+" || token == "-") {
            let sign = if token == "+" { 1 } else { -1 };
            let next = get(&l, i + 1)?;
            let (hours, minutes) = if next.len() == 4 {
                (int(cut(&next, 0, 2))?, int(cut(&next, 2, 4))?)
            } else if i + 2 < len && l[i + 2] == ":" {
                let minutes = int(&get(&l, i + 3)?)?;
                i += 2;
                (int(&next)?, minutes)
            } else if next.len() <= 2 {
                (int(cut(&next, 0, 2))?, 0)
            } else {
                return Err(Fail);
            };
            // Clamped: any offset of a day or more fails later, as in Python.
            let (hours, minutes) = (hours.min(1_000_000), minutes.min(1_000_000));
            res.tzoffset = Some(sign * (hours * 3600 + minutes * 60));
            if i + 5 < len
                && jump(&l[i + 2])
                && l[i + 3] == "("
                && l[i + 5] == ")"
                && l[i + 4].len() >= 3
                && could_be_tzname(&res, None, &l[i + 4])
            {
                res.tzname = Some(l[i + 4].clone());
                i += 4;
            }
            i += 1;
        } else if !jump(&token) {
            return Err(Fail);
        }
        i += 1;
    }
    let (year, month, day) = ymd.resolve()?;
    res.century_specified = ymd.century_specified;
    res.year = year.map(|y| convert_year(y, res.century_specified, today));
    res.month = month;
    res.day = day;
    // parserinfo.validate: Z is UTC; a UTC name's offset is 0.
    let name = res.tzname.as_deref().unwrap_or("");
    if (res.tzoffset == Some(0) && name.is_empty()) || name == "Z" || name == "z" {
        res.tzname = Some("UTC".into());
        res.tzoffset = Some(0);
    } else if res.tzoffset != Some(0) && !name.is_empty() && utczone(name) {
        res.tzoffset = Some(0);
    }
    Ok(res)
}

/// `_parse_numeric_token`: returns the index of the last token used.
fn numeric_token(tokens: &[String], mut idx: usize, ymd: &mut Ymd, res: &mut Res) -> Parsed<usize> {
    let s = tokens[idx].as_str();
    let value = Num::of(s)?;
    let len_li = s.len();
    let len = tokens.len();
    let next = tokens.get(idx + 1).map(String::as_str);
    let get = |i: usize| tokens.get(i).map(String::as_str).ok_or(Fail);
    if ymd.len() == 3
        && (len_li == 2 || len_li == 4)
        && res.hour.is_none()
        && next.is_none_or(|n| n != ":" && hms(n).is_none())
    {
        // 19990101T23[59]
        res.hour = Some(int(cut(s, 0, 2))?);
        if len_li == 4 {
            res.minute = Some(int(cut(s, 2, len_li))?);
        }
    } else if len_li == 6 || (len_li > 6 && s.find('.') == Some(6)) {
        // YYMMDD or HHMMSS[.ss]
        if ymd.len() == 0 && !s.contains('.') {
            ymd.append(YmdValue::Text(cut(s, 0, 2)), None)?;
            ymd.append(YmdValue::Text(cut(s, 2, 4)), None)?;
            ymd.append(YmdValue::Text(cut(s, 4, len_li)), None)?;
        } else {
            res.hour = Some(int(cut(s, 0, 2))?);
            res.minute = Some(int(cut(s, 2, 4))?);
            let (sec, micro) = parsems(cut(s, 4, len_li))?;
            (res.second, res.microsecond) = (Some(sec), Some(micro));
        }
    } else if matches!(len_li, 8 | 12 | 14) {
        // YYYYMMDD[hhmm[ss]]
        ymd.append(YmdValue::Text(cut(s, 0, 4)), Some(Label::Year))?;
        ymd.append(YmdValue::Text(cut(s, 4, 6)), None)?;
        ymd.append(YmdValue::Text(cut(s, 6, 8)), None)?;
        if len_li > 8 {
            res.hour = Some(int(cut(s, 8, 10))?);
            res.minute = Some(int(cut(s, 10, 12))?);
            if len_li > 12 {
                res.second = Some(int(cut(s, 12, len_li))?);
            }
        }
    } else if let Some(hms_idx) = find_hms_idx(idx, tokens) {
        // 4h, 3m, 10s...
        let hms_word = hms(&tokens[hms_idx]).ok_or(Fail)?;
        let which = if hms_idx > idx {
            idx = hms_idx;
            hms_word
        } else {
            hms_word + 1
        };
        match which {
            0 => {
                res.hour = Some(value.whole);
                if value.has_frac() {
                    res.minute = Some(value.sixtieths());
                }
            }
            1 => (res.minute, res.second) = min_sec(&value),
            2 => {
                let (sec, micro) = parsems(s)?;
                (res.second, res.microsecond) = (Some(sec), Some(micro));
            }
            _ => {}
        }
    } else if idx + 2 < len && next == Some(":") {
        // HH:MM[:SS[.ss]]
        res.hour = Some(value.whole);
        let minutes = Num::of(get(idx + 2)?)?;
        (res.minute, res.second) = min_sec(&minutes);
        if idx + 4 < len && tokens[idx + 3] == ":" {
            let (sec, micro) = parsems(get(idx + 4)?)?;
            (res.second, res.microsecond) = (Some(sec), Some(micro));
            idx += 2;
        }
        idx += 2;
    } else if let Some(sep @ ("-" | "/" | ".")) = next {
        ymd.append(YmdValue::Text(s), None)?;
        if idx + 2 < len && !jump(&tokens[idx + 2]) {
            let third = tokens[idx + 2].as_str();
            if is_digits(third) {
                ymd.append(YmdValue::Text(third), None)?;
            } else {
                let m = month(third).ok_or(Fail)?;
                ymd.append(YmdValue::Int(m), Some(Label::Month))?;
            }
            if idx + 3 < len && tokens[idx + 3] == sep {
                let fifth = get(idx + 4)?;
                match month(fifth) {
                    Some(m) => ymd.append(YmdValue::Int(m), Some(Label::Month))?,
                    None => ymd.append(YmdValue::Text(fifth), None)?,
                }
                idx += 2;
            }
            idx += 1;
        }
        idx += 1;
    } else if next.is_none_or(jump) {
        match tokens.get(idx + 2).and_then(|t| ampm(t)) {
            Some(ap) => {
                res.hour = Some(adjust_ampm(value.whole, ap));
                idx += 1;
            }
            None => ymd.append(YmdValue::Decimal(&value), None)?,
        }
        idx += 1;
    } else if let Some(ap) = next.and_then(ampm).filter(|_| value.whole < 24) {
        res.hour = Some(adjust_ampm(value.whole, ap));
        idx += 1;
    } else if ymd.could_be_day(&value)? {
        ymd.append(YmdValue::Decimal(&value), None)?;
    } else {
        return Err(Fail);
    }
    Ok(idx)
}

/// `_find_hms_idx(allow_jump=True)`: an hour/minute/second word next to
/// the number at `idx`.
fn find_hms_idx(idx: usize, tokens: &[String]) -> Option<usize> {
    let len = tokens.len();
    let is_hms = |i: usize| hms(&tokens[i]).is_some();
    if idx + 1 < len && is_hms(idx + 1) {
        Some(idx + 1)
    } else if idx + 2 < len && tokens[idx + 1] == " " && is_hms(idx + 2) {
        Some(idx + 2)
    } else if idx > 0 && is_hms(idx - 1) {
        Some(idx - 1)
    } else if 1 < idx && idx == len - 1 && tokens[idx - 1] == " " && is_hms(idx - 2) {
        Some(idx - 2)
    } else {
        None
    }
}

/// `_build_naive` on today's midnight, then `_build_tzaware` without
/// `tzinfos`, as a UTC instant; `None` where botocore cannot use the result.
fn build(res: &Res, today: &Today<'_>) -> Option<DateTime<Utc>> {
    if res.count() == 0 {
        return None;
    }
    // The offset first: a naive or locally named time is of no use anyway.
    let offset = match (res.tzname.as_deref(), res.tzoffset) {
        (Some("UTC" | "GMT" | "Z" | "z"), _) | (None, Some(0)) => 0,
        // Some other name: its meaning is the machine's local zone names.
        (Some(_), _) => return None,
        // Python rejects |offset| >= 24 h when the time is compared.
        (None, Some(o)) if o.abs() < 86_400 => o,
        (None, _) => return None,
    };
    let year = res.year.unwrap_or_else(|| today.year());
    let month = res.month.unwrap_or_else(|| today.get().month().into());
    let day = match res.day {
        Some(d) => d,
        // A default day past the month's end is its last day.
        None => i64::from(today.get().day()).min(days_in_month(year, month).ok()?),
    };
    if !(1..=9999).contains(&year) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(
        i32::try_from(year).ok()?,
        u32::try_from(month).ok()?,
        u32::try_from(day).ok()?,
    )?;
    let part = |v: Option<i64>| u32::try_from(v.unwrap_or(0)).ok();
    let time = NaiveTime::from_hms_micro_opt(
        part(res.hour)?,
        part(res.minute)?,
        part(res.second)?,
        part(res.microsecond)?,
    )?;
    let mut naive = NaiveDateTime::new(date, time);
    if let (Some(wd), None) = (res.weekday, res.day) {
        // relativedelta(weekday=wd): that weekday, today or later.
        let ahead = (7 - i64::from(naive.weekday().num_days_from_monday()) + wd) % 7;
        naive = naive.checked_add_signed(Duration::days(ahead))?;
        if naive.year() > 9999 {
            return None;
        }
    }
    Some(naive.and_utc() - Duration::seconds(offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> Option<String> {
        parse(s).map(|t| format(&t))
    }

    /// Every field of the canonical form at and around its edges, with each
    /// zone and fraction width: the fast reader answers exactly as the full
    /// parser does, or leaves the string to it. The fast reader must answer
    /// the forms the AWS tools write (else it buys nothing).
    #[test]
    fn canonical_form_agrees_with_the_full_parser() {
        let today = Today::new(&|| NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
        let years = [
            "0000", "0001", "1969", "1999", "2000", "2024", "2099", "2100", "9999",
        ];
        let months = ["00", "01", "02", "09", "12", "13", "1a"];
        let days = ["00", "01", "28", "29", "30", "31", "32"];
        let hours = ["00", "09", "23", "24", "99"];
        let minutes = ["00", "59", "60"];
        let seconds = ["00", "59", "60", "61"];
        let fractions = ["", ".", ".0", ".5", ".123456", ".1234567", ".12a"];
        let zones = [
            "Z", "UTC", "+00:00", "z", "+0000", " UTC", "Z ", "", "+01:00",
        ];
        let (mut fast, mut checked) = (0, 0);
        for y in years {
            for mo in months {
                for d in days {
                    for (i, h) in hours.iter().enumerate() {
                        let mi = minutes[i % minutes.len()];
                        let se = seconds[(i + d.len() + mo.len()) % seconds.len()];
                        for f in fractions {
                            for z in zones {
                                let text = format!("{y}-{mo}-{d}T{h}:{mi}:{se}{f}{z}");
                                let quick = canonical(text.as_bytes());
                                let full = full_parse(&text, &today);
                                checked += 1;
                                if quick.is_some() {
                                    fast += 1;
                                    assert_eq!(quick, full, "{text:?}");
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
        assert!(
            fast > 3_000,
            "the fast reader answered only {fast} of {checked}"
        );
        for written in [
            "2099-01-01T00:00:00Z",
            "2026-11-27T12:00:00UTC",
            "2026-11-27T12:00:00+00:00",
            "2026-11-27T12:00:00.000Z",
        ] {
            assert!(canonical(written.as_bytes()).is_some(), "{written}");
        }
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

    /// dateutil fills what is missing from today's midnight (a day past the
    /// month's end becomes its last day), moves a lone weekday forward and
    /// reads two-digit years within 50 years of this year.
    #[test]
    fn missing_parts_come_from_today() {
        let at = |text: &str, today: (i32, u32, u32)| {
            let today = NaiveDate::from_ymd_opt(today.0, today.1, today.2).unwrap();
            parse_at(text, today).map(|t| format(&t))
        };
        let some = |s: &str| Some(s.to_string());
        assert_eq!(at("10:00 UTC", (2026, 12, 2)), some("2026-12-02T10:00:00Z"));
        // 2026-12-02 is a Wednesday.
        assert_eq!(
            at("Wed 10:00 UTC", (2026, 12, 2)),
            some("2026-12-02T10:00:00Z")
        );
        assert_eq!(
            at("Thu 10:00 UTC", (2026, 12, 2)),
            some("2026-12-03T10:00:00Z")
        );
        assert_eq!(
            at("Tue 10:00 UTC", (2026, 12, 2)),
            some("2026-12-08T10:00:00Z")
        );
        assert_eq!(
            at("Feb 10:00 UTC", (2026, 1, 31)),
            some("2026-02-28T10:00:00Z")
        );
        assert_eq!(
            at("Feb 2028 10:00 UTC", (2026, 1, 31)),
            some("2028-02-29T10:00:00Z")
        );
        assert_eq!(
            at("1/2/75 10:00 UTC", (2026, 1, 1)),
            some("2075-01-02T10:00:00Z")
        );
        assert_eq!(
            at("1/2/76 10:00 UTC", (2026, 1, 1)),
            some("1976-01-02T10:00:00Z")
        );
        assert_eq!(at("Sat 10:00 UTC", (9999, 12, 31)), None);
    }

    #[test]
    fn tokens_split_as_timelex_splits_them() {
        let split = |s: &str| timelex(s).unwrap();
        assert_eq!(
            split("2099-01-01T10:00:00.5Z"),
            ["2099", "-", "01", "-", "01", "T", "10", ":", "00", ":", "00.5", "Z"]
        );
        assert_eq!(
            split("Sep.20.2009 4,5 12,5"),
            ["Sep", ".", "20", ".", "2009", " ", "4", ",", "5", " ", "12.5"]
        );
        assert_eq!(
            split("a.m. 1.2.3"),
            ["a", ".", "m", ".", " ", "1", ".", "2", ".", "3"]
        );
        assert_eq!(split("x\u{0}y\u{a0}z"), ["xy", " ", "z"]);
        assert_eq!(timelex("٣"), None);
    }

    /// A full date never reads the clock.
    #[test]
    fn today_is_asked_only_when_needed() {
        let asked = std::cell::Cell::new(0);
        let ask = || {
            asked.set(asked.get() + 1);
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        };
        assert!(parse_with("2099-01-01T00:00:00Z", &Today::new(&ask)).is_some());
        assert!(parse_with("Wed, 02 Dec 2099 10:00:00 GMT", &Today::new(&ask)).is_some());
        assert_eq!(asked.get(), 0);
        assert!(parse_with("10:00 UTC", &Today::new(&ask)).is_some());
        assert_eq!(asked.get(), 1);
    }
}

//! `awsp list`: a table for people, `--json` for scripts, `--names` for completion.

use std::borrow::Cow;
use std::io::{self, Write};

use chrono::{DateTime, Utc};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::aws::ini::{Settings, Value};
use crate::aws::snapshot::{CacheState, ProfileInfo, Snapshot};
use crate::aws::timestamp;
use crate::human::state_text;
use crate::style::Style;

/// Secret-bearing keys whose values are never printed.
pub fn is_secret_key(key: &str) -> bool {
    matches!(
        key,
        "aws_secret_access_key" | "aws_session_token" | "aws_security_token"
    )
}

/// The value shown for a setting: secrets masked, access key ids shortened.
/// Borrowed when shown as written (most values; this runs 10,000s of times).
pub fn shown_value<'a>(key: &str, value: &'a Value) -> Cow<'a, str> {
    match (key, value) {
        (k, _) if is_secret_key(k) => Cow::Borrowed("********"),
        ("aws_access_key_id", Value::Str(s)) => Cow::Owned(mask_key_id(s)),
        (_, Value::Str(s)) => Cow::Borrowed(s),
        (_, v) => Cow::Owned(v.to_string()),
    }
}

fn mask_key_id(id: &str) -> String {
    let tail: String = id
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if id.chars().count() > 8 {
        format!("****{tail}")
    } else {
        "****".into()
    }
}

struct JsonSettings<'a>(&'a Settings);

impl Serialize for JsonSettings<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            match v {
                Value::Map(entries) if !is_secret_key(k) => {
                    map.serialize_entry(k.as_str(), &JsonPairs(entries))?;
                }
                _ => map.serialize_entry(k.as_str(), &shown_value(k, v))?,
            }
        }
        map.end()
    }
}

struct JsonPairs<'a>(&'a [(String, String)]);

impl Serialize for JsonPairs<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct JsonCache {
    cache_file: Option<String>,
    status: Option<&'static str>,
    expires_at: Option<String>,
}

impl JsonCache {
    fn of(state: Option<CacheState>) -> JsonCache {
        match state {
            None => JsonCache {
                cache_file: None,
                status: None,
                expires_at: None,
            },
            Some(s) => JsonCache {
                cache_file: s.file,
                status: Some(s.status.as_str()),
                expires_at: s.expires_at.as_ref().map(timestamp::format),
            },
        }
    }
}

#[derive(Serialize)]
struct JsonProfile<'a> {
    name: &'a str,
    sources: Vec<&'static str>,
    active: bool,
    kind: &'static str,
    problem: Option<&'a str>,
    sso_session: Option<Cow<'a, str>>,
    sso_start_url: Option<Cow<'a, str>>,
    sso_region: Option<Cow<'a, str>>,
    account_id: Option<&'a str>,
    role_name: Option<&'a str>,
    region: Option<Cow<'a, str>>,
    role_arn: Option<Cow<'a, str>>,
    source_profile: Option<Cow<'a, str>>,
    settings: JsonSettings<'a>,
    token: JsonCache,
    role_credentials: JsonCache,
}

#[derive(Serialize)]
struct JsonSession<'a> {
    name: &'a str,
    sso_start_url: Option<Cow<'a, str>>,
    sso_region: Option<Cow<'a, str>>,
    sso_registration_scopes: Option<Cow<'a, str>>,
    token: JsonCache,
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    config_file: String,
    credentials_file: String,
    active_profile: Option<&'a str>,
    profiles: LazyProfiles<'a>,
    sso_sessions: Vec<JsonSession<'a>>,
}

fn setting<'a>(settings: &'a Settings, key: &str) -> Option<Cow<'a, str>> {
    crate::aws::ini::get(settings, key).map(|v| shown_value(key, v))
}

pub fn profile_token_state(
    snap: &Snapshot,
    info: &ProfileInfo,
    now: DateTime<Utc>,
) -> Option<CacheState> {
    info.token.as_ref().map(|t| snap.token_state(t, now))
}

pub fn profile_role_state(
    snap: &Snapshot,
    info: &ProfileInfo,
    now: DateTime<Utc>,
) -> Option<CacheState> {
    info.role_cache.as_deref().map(|f| snap.role_state(f, now))
}

struct LazyProfiles<'a> {
    snap: &'a Snapshot,
    active: Option<&'a str>,
    now: DateTime<Utc>,
}

impl Serialize for LazyProfiles<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(
            self.snap
                .profiles
                .iter()
                .map(|info| json_profile(self.snap, info, self.active, self.now)),
        )
    }
}

fn json_profile<'a>(
    snap: &'a Snapshot,
    info: &'a ProfileInfo,
    active: Option<&str>,
    now: DateTime<Utc>,
) -> JsonProfile<'a> {
    {
        let p = snap.profile(info);
        let s = &p.settings;
        let mut sources = Vec::with_capacity(2);
        if p.sources.config {
            sources.push("config");
        }
        if p.sources.credentials {
            sources.push("credentials");
        }
        JsonProfile {
            name: &p.name,
            sources,
            active: active == Some(p.name.as_str()),
            kind: info.kind.as_str(),
            problem: info.problem.as_deref(),
            sso_session: setting(s, "sso_session"),
            sso_start_url: setting(s, "sso_start_url"),
            sso_region: setting(s, "sso_region"),
            account_id: info.account_id.as_deref(),
            role_name: info.role_name.as_deref(),
            region: setting(s, "region"),
            role_arn: setting(s, "role_arn"),
            source_profile: setting(s, "source_profile"),
            settings: JsonSettings(s),
            token: JsonCache::of(profile_token_state(snap, info, now)),
            role_credentials: JsonCache::of(profile_role_state(snap, info, now)),
        }
    }
}

/// Writes the document; `pretty` indents it (for a terminal), otherwise it
/// is one compact line (for scripts and pipes).
pub fn write_json(
    out: &mut dyn Write,
    snap: &Snapshot,
    active: Option<&str>,
    now: DateTime<Utc>,
    pretty: bool,
) -> io::Result<()> {
    let profiles = LazyProfiles { snap, active, now };
    let sso_sessions = snap
        .sessions
        .iter()
        .map(|info| {
            let s = snap.session(info);
            JsonSession {
                name: &s.name,
                sso_start_url: setting(&s.settings, "sso_start_url"),
                sso_region: setting(&s.settings, "sso_region"),
                sso_registration_scopes: setting(&s.settings, "sso_registration_scopes"),
                token: JsonCache::of(Some(snap.token_state(&info.token, now))),
            }
        })
        .collect();
    let doc = JsonDoc {
        config_file: snap.paths.config.display().to_string(),
        credentials_file: snap.paths.credentials.display().to_string(),
        active_profile: active,
        profiles,
        sso_sessions,
    };
    // A concrete buffer: serde's many small writes through `dyn Write`
    // were most of the cost on a 10,000-profile home.
    let mut buf = io::BufWriter::with_capacity(64 * 1024, &mut *out);
    if pretty {
        serde_json::to_writer_pretty(&mut buf, &doc)?;
    } else {
        serde_json::to_writer(&mut buf, &doc)?;
    }
    writeln!(buf)?;
    buf.flush()
}

pub fn write_names(out: &mut dyn Write, config: &crate::aws::config::Config) -> io::Result<()> {
    for p in &config.profiles {
        writeln!(out, "{}", p.name)?;
    }
    Ok(())
}

/// One row of the table, as text.
struct Row {
    cells: [String; 8],
    active: bool,
    problem: bool,
    token: Option<crate::aws::cache::Status>,
    creds: Option<crate::aws::cache::Status>,
}

const HEADERS: [&str; 8] = [
    "PROFILE", "KIND", "ACCOUNT", "ROLE", "REGION", "SESSION", "TOKEN", "CREDS",
];
const MAX_WIDTH: usize = 40;

pub fn write_table(
    out: &mut dyn Write,
    snap: &Snapshot,
    active: Option<&str>,
    now: DateTime<Utc>,
    style: Style,
) -> io::Result<()> {
    let dash = || "-".to_string();
    let rows: Vec<Row> = snap
        .profiles
        .iter()
        .map(|info| {
            let p = snap.profile(info);
            let token = profile_token_state(snap, info, now);
            let creds = profile_role_state(snap, info, now);
            let session = crate::aws::ini::get(&p.settings, "sso_session")
                .map(|v| v.to_string())
                .or_else(|| {
                    crate::aws::ini::has(&p.settings, "sso_start_url").then(|| "(legacy)".into())
                });
            let kind = if info.problem.is_some() {
                format!("{}!", info.kind.as_str())
            } else {
                info.kind.as_str().to_string()
            };
            Row {
                cells: [
                    p.name.clone(),
                    kind,
                    info.account_id.clone().unwrap_or_else(dash),
                    info.role_name.clone().unwrap_or_else(dash),
                    setting(&p.settings, "region").map_or_else(dash, Cow::into_owned),
                    session.unwrap_or_else(dash),
                    token
                        .as_ref()
                        .map(|t| state_text(t, now))
                        .unwrap_or_else(dash),
                    creds
                        .as_ref()
                        .map(|c| state_text(c, now))
                        .unwrap_or_else(dash),
                ],
                active: active == Some(p.name.as_str()),
                problem: info.problem.is_some(),
                token: token.map(|t| t.status),
                creds: creds.map(|c| c.status),
            }
        })
        .collect();
    let mut widths = HEADERS.map(|h| h.len());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(&row.cells) {
            *w = (*w).max(display_width(cell).min(MAX_WIDTH));
        }
    }
    let mut line = String::from("  ");
    for (i, h) in HEADERS.iter().enumerate() {
        line.push_str(&pad(h, widths[i], i + 1 == HEADERS.len()));
    }
    writeln!(out, "{}", style.bold(line.trim_end()))?;
    for row in &rows {
        let mut line = String::new();
        line.push_str(if row.active { "* " } else { "  " });
        for (i, cell) in row.cells.iter().enumerate() {
            let last = i + 1 == row.cells.len();
            let text = pad(&clip(cell, MAX_WIDTH), widths[i], last);
            let painted = match i {
                0 if row.active => style.bold(&text),
                1 if row.problem => style.red(&text),
                6 => style.status(row.token, &text),
                7 => style.status(row.creds, &text),
                _ => text,
            };
            line.push_str(&painted);
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// Cuts a cell to `max` columns, marking the cut with `…`.
pub fn clip(s: &str, max: usize) -> String {
    if display_width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

fn pad(s: &str, width: usize, last: bool) -> String {
    if last {
        return s.to_string();
    }
    let fill = width.saturating_sub(display_width(s)) + 2;
    format!("{s}{}", " ".repeat(fill))
}

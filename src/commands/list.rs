//! `awsp list`: a table for people, `--json` for scripts, `--names` for completion.

use std::borrow::Cow;
use std::io::{self, Write};

use chrono::{DateTime, Utc};

use crate::aws::ini::{Settings, Value};
use crate::aws::py::dateutil;
use crate::aws::snapshot::{CacheState, ProfileInfo, SessionInfo, Snapshot, TokenRef};
use crate::fast::jsonw::{key, JsonWriter};
use crate::output::cell::{clip, display_width};
use crate::output::human::{printable, state_text};
use crate::output::shown::{is_secret_key, shown_entry, shown_text, shown_value};
use crate::output::style::Style;
use crate::sync::known::Synced;

fn setting<'a>(settings: &'a Settings, key: &str) -> Option<Cow<'a, str>> {
    crate::aws::ini::get(settings, key).map(|v| shown_value(key, v))
}

/// Writes the document; `pretty` indents it (for a terminal), otherwise it
/// is one compact line (for scripts and pipes). The text is what serde_json
/// wrote for it before, byte for byte; [`JsonWriter`] says why by hand.
pub fn write_json(
    out: &mut dyn Write,
    snap: &Snapshot,
    synced: &Synced,
    active: Option<&str>,
    now: DateTime<Utc>,
    pretty: bool,
) -> io::Result<()> {
    let mut w = JsonWriter::new(out, pretty);
    let mut doc = Doc {
        snap,
        synced,
        active,
        now,
        last_token: None,
        last_expiry: None,
    };
    w.begin_object();
    w.key(key!("config_file"));
    w.string(&snap.paths.config.display().to_string());
    w.key(key!("credentials_file"));
    w.string(&snap.paths.credentials.display().to_string());
    w.key(key!("active_profile"));
    w.opt_string(active);
    w.key(key!("profiles"));
    w.begin_array();
    for info in &snap.profiles {
        w.element();
        doc.write_profile(&mut w, info);
        w.flush_if_full()?;
    }
    w.end_array();
    w.key(key!("sso_sessions"));
    w.begin_array();
    for info in &snap.sessions {
        w.element();
        doc.write_session(&mut w, info);
    }
    w.end_array();
    w.end_object();
    w.finish()
}

/// What the document is made of, and what writing it remembers from one
/// profile to the next: a session's profiles share its token and usually
/// stand together, so most reuse the previous profile's token state and
/// expiry text instead of looking the file up, judging it and formatting
/// the time again.
struct Doc<'a> {
    snap: &'a Snapshot,
    /// After a sync, every profile gets `account_name`; without one the
    /// document is what it always was, byte for byte.
    synced: &'a Synced,
    active: Option<&'a str>,
    now: DateTime<Utc>,
    last_token: Option<(&'a TokenRef, CacheState)>,
    last_expiry: Option<(DateTime<Utc>, [u8; 20])>,
}

impl<'a> Doc<'a> {
    fn write_profile(&mut self, w: &mut JsonWriter, info: &'a ProfileInfo) {
        let p = self.snap.profile(info);
        let s = &p.settings;
        w.begin_object();
        w.key(key!("name"));
        w.string(&p.name);
        w.key(key!("sources"));
        w.begin_array();
        if p.sources.config {
            w.element();
            w.string("config");
        }
        if p.sources.credentials {
            w.element();
            w.string("credentials");
        }
        w.end_array();
        w.key(key!("active"));
        w.bool(self.active == Some(p.name.as_str()));
        w.key(key!("kind"));
        w.string(info.kind.as_str());
        w.key(key!("problem"));
        w.opt_string(info.problem.as_deref());
        let shown = ShownSettings::of(s);
        w.key(key!("sso_session"));
        write_shown(w, "sso_session", shown.sso_session);
        w.key(key!("sso_start_url"));
        write_shown(w, "sso_start_url", shown.sso_start_url);
        w.key(key!("sso_region"));
        write_shown(w, "sso_region", shown.sso_region);
        w.key(key!("account_id"));
        w.opt_string(info.account_id.as_deref().map(shown_text).as_deref());
        if !self.synced.is_empty() {
            w.key(key!("account_name"));
            w.opt_string(self.synced.account_name(self.snap, info));
        }
        w.key(key!("role_name"));
        w.opt_string(info.role_name.as_deref().map(shown_text).as_deref());
        w.key(key!("region"));
        write_shown(w, "region", shown.region);
        w.key(key!("role_arn"));
        write_shown(w, "role_arn", shown.role_arn);
        w.key(key!("source_profile"));
        write_shown(w, "source_profile", shown.source_profile);
        w.key(key!("settings"));
        write_settings(w, s);
        w.key(key!("token"));
        match &info.token {
            Some(token) => {
                let state = self.token_state(token);
                self.write_cache(w, token.file.as_deref(), Some(&state));
            }
            None => self.write_cache(w, None, None),
        }
        w.key(key!("role_credentials"));
        let role_file = info.role_cache.as_deref();
        let state = role_file.map(|f| self.snap.role_state(f, self.now));
        self.write_cache(w, role_file, state.as_ref());
        w.end_object();
    }

    fn write_session(&mut self, w: &mut JsonWriter, info: &'a SessionInfo) {
        let s = self.snap.session(info);
        w.begin_object();
        w.key(key!("name"));
        w.string(&s.name);
        let settings = &s.settings;
        w.key(key!("sso_start_url"));
        w.opt_string(setting(settings, "sso_start_url").as_deref());
        w.key(key!("sso_region"));
        w.opt_string(setting(settings, "sso_region").as_deref());
        w.key(key!("sso_registration_scopes"));
        w.opt_string(setting(settings, "sso_registration_scopes").as_deref());
        w.key(key!("token"));
        let state = self.token_state(&info.token);
        self.write_cache(w, info.token.file.as_deref(), Some(&state));
        w.end_object();
    }

    /// [`Snapshot::token_state`], the previous answer again for the same token.
    fn token_state(&mut self, token: &'a TokenRef) -> CacheState {
        match &self.last_token {
            Some((last, state)) if *last == token => state.clone(),
            _ => {
                let state = self.snap.token_state(token, self.now);
                self.last_token = Some((token, state.clone()));
                state
            }
        }
    }

    /// A cache entry: all `null` when the profile has none.
    fn write_cache(&mut self, w: &mut JsonWriter, file: Option<&str>, state: Option<&CacheState>) {
        w.begin_object();
        w.key(key!("cache_file"));
        w.opt_string(file);
        w.key(key!("status"));
        w.opt_string(state.map(|s| s.status.as_str()));
        w.key(key!("expires_at"));
        match state.and_then(|s| s.expires_at) {
            Some(t) => self.write_expiry(w, t),
            None => w.null(),
        }
        w.end_object();
    }

    /// [`dateutil::format`]'s text, the previous one again for the same time.
    fn write_expiry(&mut self, w: &mut JsonWriter, t: DateTime<Utc>) {
        let text = match self.last_expiry {
            Some((last, text)) if last == t => text,
            _ => match dateutil::format_bytes(&t) {
                Some(text) => {
                    self.last_expiry = Some((t, text));
                    text
                }
                None => return w.string(&dateutil::format(&t)),
            },
        };
        w.plain_string(&text);
    }
}

/// The settings a profile shows as members of their own, each the first
/// with its key (as [`setting`] finds it): one pass over the settings
/// instead of six lookups, for every profile.
#[derive(Default)]
struct ShownSettings<'a> {
    sso_session: Option<&'a Value>,
    sso_start_url: Option<&'a Value>,
    sso_region: Option<&'a Value>,
    region: Option<&'a Value>,
    role_arn: Option<&'a Value>,
    source_profile: Option<&'a Value>,
}

impl<'a> ShownSettings<'a> {
    fn of(settings: &'a Settings) -> ShownSettings<'a> {
        let mut shown = ShownSettings::default();
        for (k, v) in settings {
            let slot = match k.as_str() {
                "sso_session" => &mut shown.sso_session,
                "sso_start_url" => &mut shown.sso_start_url,
                "sso_region" => &mut shown.sso_region,
                "region" => &mut shown.region,
                "role_arn" => &mut shown.role_arn,
                "source_profile" => &mut shown.source_profile,
                _ => continue,
            };
            slot.get_or_insert(v);
        }
        shown
    }
}

/// Setting `key`'s value as shown, `null` when not set.
#[inline(always)] // six times a profile: as calls, 2% of the document's time
fn write_shown(w: &mut JsonWriter, key: &str, value: Option<&Value>) {
    w.opt_string(value.map(|v| shown_value(key, v)).as_deref());
}

/// All of a section's settings as written, secrets masked; a sub-section
/// (`s3 =` with indented lines) is an object of its own.
fn write_settings(w: &mut JsonWriter, settings: &Settings) {
    w.begin_object();
    for (k, v) in settings {
        w.key_escaped(k);
        match v {
            Value::Map(entries) if !is_secret_key(k) => {
                w.begin_object();
                for (k, v) in entries {
                    w.key_escaped(k);
                    w.string(shown_entry(k, v));
                }
                w.end_object();
            }
            _ => w.string(&shown_value(k, v)),
        }
    }
    w.end_object();
}

/// One name a line. `for_people` (stdout is a terminal) escapes control
/// characters; otherwise the names are exact, for the completion scripts
/// (a name holding a newline then spans two lines, as it always did).
pub fn write_names(
    out: &mut dyn Write,
    config: &crate::aws::config::Config,
    for_people: bool,
) -> io::Result<()> {
    for p in &config.profiles {
        if for_people {
            writeln!(out, "{}", printable(&p.name))?;
        } else {
            writeln!(out, "{}", p.name)?;
        }
    }
    Ok(())
}

/// One row of the table, as text: borrowed from the snapshot where the
/// file's text is shown as it is (most cells), so a row allocates little.
struct Row<'a> {
    cells: Vec<Cow<'a, str>>,
    active: bool,
    problem: bool,
    token: Option<crate::aws::cache::Status>,
    creds: Option<crate::aws::cache::Status>,
}

const HEADERS: [&str; 8] = [
    "PROFILE", "KIND", "ACCOUNT", "ROLE", "REGION", "SESSION", "TOKEN", "CREDS",
];
/// After a sync, the portal's account name follows the account id.
const NAME_HEADER: &str = "ACCOUNT NAME";
const NAME_COLUMN: usize = 3;
const MAX_WIDTH: usize = 40;

pub fn write_table(
    out: &mut dyn Write,
    snap: &Snapshot,
    synced: &Synced,
    active: Option<&str>,
    now: DateTime<Utc>,
    style: Style,
) -> io::Result<()> {
    let dash = || Cow::Borrowed("-");
    // Every cell a person reads: names and values come from the files.
    fn shown(text: Cow<'_, str>) -> Cow<'_, str> {
        match text {
            Cow::Borrowed(s) => printable(s),
            Cow::Owned(s) => Cow::Owned(printable(&s).into_owned()),
        }
    }
    let with_names = !synced.is_empty();
    let rows: Vec<Row> = snap
        .profiles
        .iter()
        .map(|info| {
            let p = snap.profile(info);
            let token = snap.profile_token_state(info, now);
            let creds = snap.profile_role_state(info, now);
            let session = setting(&p.settings, "sso_session").or_else(|| {
                crate::aws::ini::has(&p.settings, "sso_start_url")
                    .then_some(Cow::Borrowed("(legacy)"))
            });
            let kind = if info.problem.is_some() {
                Cow::Owned(format!("{}!", info.kind.as_str()))
            } else {
                Cow::Borrowed(info.kind.as_str())
            };
            let mut cells = vec![
                printable(&p.name),
                kind,
                info.account_id
                    .as_deref()
                    .map_or_else(dash, |a| shown(shown_text(a))),
                info.role_name
                    .as_deref()
                    .map_or_else(dash, |r| shown(shown_text(r))),
                setting(&p.settings, "region").map_or_else(dash, shown),
                session.map_or_else(dash, shown),
                token
                    .as_ref()
                    .map_or_else(dash, |t| Cow::Owned(state_text(t, now))),
                creds
                    .as_ref()
                    .map_or_else(dash, |c| Cow::Owned(state_text(c, now))),
            ];
            if with_names {
                let name = synced
                    .account_name(snap, info)
                    .map_or_else(dash, |n| shown(Cow::Borrowed(n)));
                cells.insert(NAME_COLUMN, name);
            }
            Row {
                cells,
                active: active == Some(p.name.as_str()),
                problem: info.problem.is_some(),
                token: token.map(|t| t.status),
                creds: creds.map(|c| c.status),
            }
        })
        .collect();
    let mut headers = HEADERS.to_vec();
    if with_names {
        headers.insert(NAME_COLUMN, NAME_HEADER);
    }
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(&row.cells) {
            *w = (*w).max(display_width(cell).min(MAX_WIDTH));
        }
    }
    let mut line = String::from("  ");
    for (i, h) in headers.iter().enumerate() {
        push_padded(&mut line, h, widths[i], i + 1 == headers.len());
    }
    writeln!(out, "{}", style.bold(line.trim_end()))?;
    for row in &rows {
        line.clear();
        line.push_str(if row.active { "* " } else { "  " });
        for (i, cell) in row.cells.iter().enumerate() {
            let last = i + 1 == row.cells.len();
            let text = clip(cell, MAX_WIDTH);
            // The state columns are the last two, with or without names.
            let from_end = row.cells.len() - i;
            let code = match (i, from_end) {
                (0, _) if row.active => Some(crate::output::style::BOLD),
                (1, _) if row.problem => Some(crate::output::style::RED),
                (_, 2) => crate::output::style::status_code(row.token),
                (_, 1) => crate::output::style::status_code(row.creds),
                _ => None,
            };
            style.push_painted(&mut line, code, |line| {
                push_padded(line, &text, widths[i], last)
            });
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// `s` then the spaces up to the column's `width` and the gap after it (none
/// after the last column). Pushed, not formatted: `format!` here was a fifth
/// of `awsp list`'s instructions.
fn push_padded(line: &mut String, s: &str, width: usize, last: bool) {
    line.push_str(s);
    if !last {
        const SPACES: &str = "                                ";
        let mut fill = width.saturating_sub(display_width(s)) + 2;
        while fill > 0 {
            let n = fill.min(SPACES.len());
            line.push_str(&SPACES[..n]);
            fill -= n;
        }
    }
}

/// Runs `awsp list` on stdout; returns the exit status.
pub fn run(
    paths: &crate::aws::paths::AwsPaths,
    state_dir: Option<&std::path::Path>,
    args: &crate::cli::ListArgs,
    active: Option<&str>,
    now: DateTime<Utc>,
) -> anyhow::Result<u8> {
    use std::io::IsTerminal;
    let stdout = io::stdout();
    let pretty = stdout.is_terminal();
    let mut out = io::BufWriter::new(stdout.lock());
    if args.names {
        // Completion calls this on every Tab: the names need no caches.
        let config = crate::aws::config::Config::load_names(&paths.config, &paths.credentials)?;
        // Escaped for a person reading a terminal; exact for the
        // completion scripts, which read it through a pipe.
        write_names(&mut out, &config, pretty)?;
        std::mem::forget(config);
    } else {
        let snap = Snapshot::load_all(paths)?;
        let synced = Synced::load_names(state_dir, &snap.config);
        if let Some(w) = &synced.warning {
            eprintln!("awsp: {w}");
        }
        if args.json {
            // Nothing went to `out` yet: the document still comes first.
            let mut raw = raw_stdout(&stdout);
            let sink: &mut dyn Write = match &mut raw {
                Some(file) => file,
                None => &mut out,
            };
            write_json(sink, &snap, &synced, active, now, pretty)?;
        } else {
            write_table(&mut out, &snap, &synced, active, now, Style::for_stdout())?;
        }
        // The process ends next: freeing 10,000 profiles one by one
        // took 8% of `list --json`'s instructions.
        std::mem::forget(snap);
        std::mem::forget(synced);
    }
    out.flush()?;
    Ok(crate::exit::OK)
}

/// A handle of its own on stdout, for `list --json`'s one large document:
/// `io::stdout()` is a `LineWriter` that searches every chunk for its last
/// newline, 0.4 ms over the 6.6 MB of a 10,000-profile home. `None` if fd 1
/// cannot be duplicated; then stdout as usual.
fn raw_stdout(stdout: &io::Stdout) -> Option<std::fs::File> {
    use std::os::fd::AsFd;
    let fd = stdout.as_fd().try_clone_to_owned().ok()?;
    Some(std::fs::File::from(fd))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::cache::cache_file_name;
    use crate::aws::paths::AwsPaths;
    use chrono::{Duration, TimeZone};
    use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

    /// An ordered JSON value, for the reference document.
    enum J {
        Null,
        Bool(bool),
        Str(String),
        Arr(Vec<J>),
        Obj(Vec<(String, J)>),
    }

    impl Serialize for J {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            match self {
                J::Null => s.serialize_none(),
                J::Bool(b) => s.serialize_bool(*b),
                J::Str(text) => s.serialize_str(text),
                J::Arr(items) => {
                    let mut seq = s.serialize_seq(Some(items.len()))?;
                    for item in items {
                        seq.serialize_element(item)?;
                    }
                    seq.end()
                }
                J::Obj(members) => {
                    let mut map = s.serialize_map(Some(members.len()))?;
                    for (k, v) in members {
                        map.serialize_entry(k, v)?;
                    }
                    map.end()
                }
            }
        }
    }

    fn opt<T: AsRef<str>>(s: Option<T>) -> J {
        s.map_or(J::Null, |s| J::Str(s.as_ref().to_string()))
    }

    fn obj(members: Vec<(&str, J)>) -> J {
        J::Obj(members.into_iter().map(|(k, v)| (k.into(), v)).collect())
    }

    fn cache(file: Option<&str>, state: Option<CacheState>) -> J {
        obj(vec![
            ("cache_file", opt(state.as_ref().and(file))),
            ("status", opt(state.as_ref().map(|s| s.status.as_str()))),
            (
                "expires_at",
                opt(state
                    .and_then(|s| s.expires_at)
                    .map(|t| dateutil::format(&t))),
            ),
        ])
    }

    /// The document field for field as the serde structs that wrote it
    /// before `JsonWriter` did, from the same `Snapshot` calls, for
    /// serde_json to serialise.
    fn reference(snap: &Snapshot, synced: &Synced, active: Option<&str>, now: DateTime<Utc>) -> J {
        let profiles = snap.profiles.iter().map(|info| {
            let p = snap.profile(info);
            let s = &p.settings;
            let mut sources = Vec::new();
            if p.sources.config {
                sources.push(J::Str("config".into()));
            }
            if p.sources.credentials {
                sources.push(J::Str("credentials".into()));
            }
            let settings = s.iter().map(|(k, v)| {
                let value = match v {
                    Value::Map(entries) if !is_secret_key(k) => J::Obj(
                        entries
                            .iter()
                            .map(|(k, v)| (k.clone(), J::Str(shown_entry(k, v).into())))
                            .collect(),
                    ),
                    _ => J::Str(shown_value(k, v).into_owned()),
                };
                (k.to_string(), value)
            });
            let token_file = info.token.as_ref().and_then(|t| t.file.as_deref());
            let mut members = vec![
                ("name", J::Str(p.name.clone())),
                ("sources", J::Arr(sources)),
                ("active", J::Bool(active == Some(p.name.as_str()))),
                ("kind", J::Str(info.kind.as_str().into())),
                ("problem", opt(info.problem.as_ref())),
                ("sso_session", opt(setting(s, "sso_session"))),
                ("sso_start_url", opt(setting(s, "sso_start_url"))),
                ("sso_region", opt(setting(s, "sso_region"))),
                (
                    "account_id",
                    opt(info.account_id.as_deref().map(shown_text)),
                ),
                ("role_name", opt(info.role_name.as_deref().map(shown_text))),
                ("region", opt(setting(s, "region"))),
                ("role_arn", opt(setting(s, "role_arn"))),
                ("source_profile", opt(setting(s, "source_profile"))),
                ("settings", J::Obj(settings.collect())),
                (
                    "token",
                    cache(token_file, snap.profile_token_state(info, now)),
                ),
                (
                    "role_credentials",
                    cache(
                        info.role_cache.as_deref(),
                        snap.profile_role_state(info, now),
                    ),
                ),
            ];
            if !synced.is_empty() {
                let at = members
                    .iter()
                    .position(|(k, _)| *k == "account_id")
                    .unwrap()
                    + 1;
                members.insert(at, ("account_name", opt(synced.account_name(snap, info))));
            }
            obj(members)
        });
        let sessions = snap.sessions.iter().map(|info| {
            let s = snap.session(info);
            let st = &s.settings;
            obj(vec![
                ("name", J::Str(s.name.clone())),
                ("sso_start_url", opt(setting(st, "sso_start_url"))),
                ("sso_region", opt(setting(st, "sso_region"))),
                (
                    "sso_registration_scopes",
                    opt(setting(st, "sso_registration_scopes")),
                ),
                (
                    "token",
                    cache(
                        info.token.file.as_deref(),
                        Some(snap.token_state(&info.token, now)),
                    ),
                ),
            ])
        });
        obj(vec![
            (
                "config_file",
                J::Str(snap.paths.config.display().to_string()),
            ),
            (
                "credentials_file",
                J::Str(snap.paths.credentials.display().to_string()),
            ),
            ("active_profile", opt(active)),
            ("profiles", J::Arr(profiles.collect())),
            ("sso_sessions", J::Arr(sessions.collect())),
        ])
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
    }

    fn at(d: Duration) -> String {
        dateutil::format(&(now() + d))
    }

    const SECRETS: [&str; 7] = [
        "SECRET-ACCESS-KEY",
        "SECRET-SESSION-TOKEN",
        "SECRET-SECURITY-TOKEN",
        "SECRET-IN-SUBSECTION",
        "SECRET-NESTED-BY-NAME",
        "SECRET-IN-CONTINUATION",
        "SECRET-IN-ACCOUNT",
    ];

    /// A home with hostile names and values, sub-sections, secrets,
    /// problems, and every token and role-credential status.
    fn hostile_home(dir: &std::path::Path) -> AwsPaths {
        let config = "\
[default]
region = us-east-1
output = json

[sso-session valid]
sso_start_url = https://valid.awsapps.com/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[sso-session expired]
sso_start_url = https://expired.awsapps.com/start
sso_region = us-east-1

[sso-session refreshable]
sso_start_url = https://refresh.awsapps.com/start
sso_region = eu-west-1

[sso-session invalid]
sso_start_url = https://invalid.awsapps.com/start
sso_region = eu-west-1

[sso-session unreadable]
sso_start_url = https://unreadable.awsapps.com/start
sso_region = eu-west-1

[sso-session missing]
sso_start_url = https://missing.awsapps.com/start
sso_region = eu-west-1

[sso-session no-region]
sso_start_url = https://no-region.awsapps.com/start

[sso-session 'we\"ird\\session\x01']
sso_start_url = https://weird.awsapps.com/start?a=\"b\"&c=\\d
sso_region = us-west-2

[profile p-valid]
sso_session = valid
sso_account_id = 111111111111
sso_role_name = Admin
region = eu-central-1

[profile p-valid-2]
sso_session = valid
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile p-expired]
sso_session = expired
sso_account_id = 222222222222
sso_role_name = Admin

[profile p-refreshable]
sso_session = refreshable
sso_account_id = 333333333333
sso_role_name = Admin

[profile p-invalid]
sso_session = invalid
sso_account_id = 444444444444
sso_role_name = Admin

[profile p-unreadable]
sso_session = unreadable
sso_account_id = 555555555555
sso_role_name = Admin

[profile p-missing]
sso_session = missing
sso_account_id = 666666666666
sso_role_name = Admin

[profile p-config-error]
sso_session = no-region
sso_account_id = 777777777777
sso_role_name = Admin

[profile p-no-such-session]
sso_session = nowhere
sso_account_id = 777777777777
sso_role_name = Admin

[profile p-weird]
sso_session = we\"ird\\session\x01
sso_account_id = 888888888888
sso_role_name = Wei\"rd\\Role

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 999999999999
sso_role_name = Legacy

[profile role]
role_arn = arn:aws:iam::123456789012:role/path/Deploy
source_profile = p-valid
role_session_name = we\"ird
external_id = \\x

[profile broken-role]
role_arn = arn:aws:iam::123456789012:role/Nope
source_profile = nowhere

[profile sub]
region = eu-west-1
s3 =
  max_concurrent_requests = 10
  addressing_style = \"path\\\"
  aws_secret_access_key = SECRET-NESTED-BY-NAME
aws_session_token =
  nested = SECRET-IN-SUBSECTION

[profile indented]
region = us-east-1
  aws_secret_access_key = SECRET-IN-CONTINUATION
sso_account_id = 123456789012
\tAWS_SESSION_TOKEN: SECRET-IN-ACCOUNT

[profile 'hostile \"quoted\"']
region = tab\there
output = ctl\x01\x02\x1f del\x7f slash/ ünï 😀 \\ \"
we\"ird\\key = value
empty =
";
        let credentials = "\
[static]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = SECRET-ACCESS-KEY

[short-key]
aws_access_key_id = AKIA
aws_secret_access_key = SECRET-ACCESS-KEY
aws_session_token = SECRET-SESSION-TOKEN
aws_security_token = SECRET-SECURITY-TOKEN

[lit\"eral\\name\t]
aws_access_key_id = ünïcödé-key-id
aws_secret_access_key = SECRET-ACCESS-KEY

[default]
aws_access_key_id = AKIADEFAULTDEFAULT
aws_secret_access_key = SECRET-ACCESS-KEY
";
        let paths = AwsPaths::under_home(dir);
        std::fs::create_dir_all(&paths.sso_cache).unwrap();
        std::fs::create_dir_all(&paths.cli_cache).unwrap();
        std::fs::write(&paths.config, config).unwrap();
        std::fs::write(&paths.credentials, credentials).unwrap();

        let token = |name: &str, text: String| {
            std::fs::write(paths.sso_cache.join(cache_file_name(name)), text).unwrap();
        };
        let expiring = |d| format!(r#"{{"accessToken": "t", "expiresAt": "{}"}}"#, at(d));
        token("valid", expiring(Duration::hours(6)));
        token("expired", expiring(Duration::hours(-3)));
        token(
            "refreshable",
            format!(
                r#"{{"accessToken": "t", "expiresAt": "{}", "refreshToken": "r",
                    "clientId": "c", "clientSecret": "s", "registrationExpiresAt": "{}"}}"#,
                at(Duration::minutes(5)),
                at(Duration::days(30))
            ),
        );
        token(
            "invalid",
            format!(r#"{{"expiresAt": "{}"}}"#, at(Duration::hours(1))),
        );
        token("unreadable", "not json".into());
        token("we\"ird\\session\x01", expiring(Duration::days(400 * 365)));
        token(
            "https://legacy.awsapps.com/start",
            expiring(Duration::hours(1)),
        );

        // Role credentials under the names awsp looks for.
        let snap = Snapshot::load(&paths).unwrap();
        let role_file = |name: &str| {
            let info = snap.find_profile(name).unwrap();
            paths.cli_cache.join(info.role_cache.as_deref().unwrap())
        };
        let creds = |d| format!(r#"{{"Credentials": {{"Expiration": "{}"}}}}"#, at(d));
        std::fs::write(role_file("p-valid"), creds(Duration::hours(1))).unwrap();
        std::fs::write(role_file("p-valid-2"), creds(Duration::minutes(5))).unwrap();
        std::fs::write(role_file("p-expired"), "{}").unwrap();
        std::fs::write(role_file("p-refreshable"), "garbage").unwrap();
        std::fs::write(role_file("legacy"), creds(Duration::days(-1))).unwrap();
        paths
    }

    fn ours(snap: &Snapshot, synced: &Synced, active: Option<&str>, pretty: bool) -> String {
        let mut out = Vec::new();
        write_json(&mut out, snap, synced, active, now(), pretty).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// A sync of two of the hostile home's sessions, with names to escape.
    fn hostile_sync(snap: &Snapshot) -> Synced {
        use crate::portal::types::{Account, Inventory};
        let stored = |session: &str, id: &str, name: &str| crate::sync::store::Stored {
            session: session.into(),
            synced_at: now(),
            inventory: Inventory {
                accounts: vec![Account {
                    id: id.into(),
                    name: name.into(),
                    email: "a@example.com".into(),
                }],
                assignments: Vec::new(),
                failures: Vec::new(),
            },
        };
        let sessions = snap
            .config
            .sso_sessions
            .iter()
            .map(|s| match s.name.as_str() {
                "valid" => Some(stored("valid", "111111111111", "Prod \"eu\" ünï")),
                "expired" => Some(stored("expired", "999999999999", "Other")),
                n if n.starts_with("we") => Some(stored(n, "888888888888", "we\u{1}ird\\")),
                _ => None,
            })
            .collect();
        Synced::from_sessions(sessions)
    }

    #[test]
    fn document_is_what_serde_json_writes_for_it_compact_and_pretty() {
        let dir = tempfile::tempdir().unwrap();
        let snap = Snapshot::load_all(&hostile_home(dir.path())).unwrap();
        let synced = hostile_sync(&snap);
        assert!(ours(&snap, &synced, None, false).contains(r#""account_name":"Prod \"eu\" ünï""#));
        for names in [&Synced::default(), &synced] {
            for active in [
                None,
                Some("p-valid"),
                Some("hostile \"quoted\""),
                Some("gone"),
            ] {
                let doc = reference(&snap, names, active, now());
                let compact = serde_json::to_string(&doc).unwrap() + "\n";
                let pretty = serde_json::to_string_pretty(&doc).unwrap() + "\n";
                assert_eq!(ours(&snap, names, active, false), compact, "{active:?}");
                assert_eq!(ours(&snap, names, active, true), pretty, "{active:?}");
            }
        }
    }

    /// The home above is as hostile as it claims: the comparison covers
    /// escapes, sub-sections, problems and every status, and no secret
    /// gets out.
    #[test]
    fn hostile_home_covers_every_case() {
        let dir = tempfile::tempdir().unwrap();
        let snap = Snapshot::load_all(&hostile_home(dir.path())).unwrap();
        let text = ours(&snap, &Synced::default(), None, false);
        for needle in [
            r#"\"quoted\""#,
            r#"\\"#,
            r#"\t"#,
            r#"\u0001\u0002\u001f"#,
            "\u{7f}",
            "ünï 😀",
            r#""max_concurrent_requests":"10""#,
            r#""aws_session_token":"********""#,
            r#""aws_secret_access_key":"********"}"#,
            r#""region":"********""#,
            r#""sso_account_id":"********""#,
            r#""aws_access_key_id":"****MPLE""#,
            r#""aws_access_key_id":"****""#,
            r#""empty":"""#,
            r#""sources":["config","credentials"]"#,
            r#""sources":["credentials"]"#,
        ] {
            assert!(text.contains(needle), "{needle}");
        }
        let mut table = Vec::new();
        write_table(
            &mut table,
            &snap,
            &Synced::default(),
            None,
            now(),
            Style::plain(),
        )
        .unwrap();
        let table = String::from_utf8(table).unwrap();
        for secret in SECRETS {
            assert!(!text.contains(secret), "{secret} is shown");
            assert!(!table.contains(secret), "{secret} is in the table");
        }
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let caches = doc["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| [&p["token"], &p["role_credentials"]]);
        let mut statuses: Vec<&str> = caches.filter_map(|c| c["status"].as_str()).collect();
        statuses.sort_unstable();
        statuses.dedup();
        assert_eq!(
            statuses,
            [
                "config_error",
                "expired",
                "invalid",
                "missing",
                "refreshable",
                "unreadable",
                "valid"
            ]
        );
        assert!(doc["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["problem"].is_string()));
    }

    /// Years past 9999 are chrono's text, as `dateutil::format` writes them.
    #[test]
    fn expiry_past_year_9999_is_formatted_by_chrono() {
        let dir = tempfile::tempdir().unwrap();
        let snap = Snapshot::load_all(&hostile_home(dir.path())).unwrap();
        let synced = Synced::default();
        let mut doc = Doc {
            snap: &snap,
            synced: &synced,
            active: None,
            now: now(),
            last_token: None,
            last_expiry: None,
        };
        let far = Utc.with_ymd_and_hms(12345, 6, 7, 8, 9, 10).unwrap();
        for t in [far, now(), far] {
            let mut out = Vec::new();
            let mut w = JsonWriter::new(&mut out, false);
            doc.write_expiry(&mut w, t);
            w.finish().unwrap();
            let want = serde_json::to_string(&dateutil::format(&t)).unwrap() + "\n";
            assert_eq!(String::from_utf8(out).unwrap(), want);
        }
    }
}

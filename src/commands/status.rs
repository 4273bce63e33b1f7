//! `awsp status`: one short line for prompts and scripts.
//!
//! ```text
//! prod-admin 111111111111/AdministratorAccess acme:6h12m
//! ```
//!
//! It runs on every prompt, so it does the least botocore-faithful work:
//! both config files are parsed whole (a later duplicate section replaces an
//! earlier one, so stopping early would be wrong), but only the active
//! profile (and its `source_profile` chain) is resolved, and only its token
//! file and role-credential file are read: no cache folder is listed.
//!
//! Outcomes:
//! * no active profile (neither `AWS_DEFAULT_PROFILE` nor `AWS_PROFILE`):
//!   nothing printed, exit 0 (`--json`: `{"profile":null}`, for scripts);
//! * an active profile that exists: the line (or JSON, or template), exit 0;
//! * an active profile that does not exist: `NAME?`, exit 1;
//! * a config or credentials file that does not parse: `NAME!` on stdout,
//!   nothing on stderr (this runs before every prompt: `awsp doctor`
//!   explains), exit 2; `--json` carries the reason in `problem`;
//! * an unknown `--format` placeholder: a message on stderr, exit 2 (checked
//!   first, so a typo shows even with no profile active).
//!
//! Tokens, keys and secrets are never printed: only names, ids and times.
//! Names and values in the line and the template are escaped for the
//! terminal (`human::printable`); `--json` has them exact.

use crate::output::shown::shown_text;
use std::io::Write;

use chrono::{DateTime, Utc};
use serde_json::json;

use crate::aws::cache::{read_credentials_file, read_token_file, Status};
use crate::aws::config::Config;
use crate::aws::ini::{self, Value};
use crate::aws::paths::AwsPaths;
use crate::aws::py::dateutil;
use crate::aws::resolve::Kind;
use crate::aws::snapshot::{profile_info_by_name, CacheState, TokenRef};
use crate::cli::StatusArgs;
use crate::exit;
use crate::output::human::{printable, short_duration};
use crate::shell::switch::ShellEnv;

/// The `--format` placeholders, in the order the help lists them.
pub const PLACEHOLDERS: [&str; 9] = [
    "profile", "account", "role", "region", "session", "status", "left", "kind", "mark",
];

/// What `status` knows about the active profile.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    pub profile: String,
    /// `Some(false)`: no such profile; `None`: unknown (a file did not parse).
    pub exists: Option<bool>,
    pub kind: Option<Kind>,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
    pub region: Option<String>,
    /// The `sso_session` setting.
    pub sso_session: Option<String>,
    /// How the session is named on the line: the sso-session, else the
    /// first label of a legacy start URL's host, else `sso`.
    pub session_label: Option<String>,
    /// The SSO token's state, for SSO profiles only.
    pub token: Option<CacheState>,
    /// Cached role credentials (assume-role and SSO profiles).
    pub role_credentials: Option<CacheState>,
    /// Why the CLI cannot use the profile (or why the files do not parse).
    pub problem: Option<String>,
}

pub fn run(
    paths: &AwsPaths,
    env: &ShellEnv,
    now: DateTime<Utc>,
    args: &StatusArgs,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    let template = match &args.format {
        Some(t) => Some(parse_template(t)?),
        None => None,
    };
    let Some(active) = env.active() else {
        if args.json {
            writeln!(out, "{}", json!({ "profile": null }))?;
        }
        return Ok(exit::OK);
    };
    let (facts, unreadable) = match gather(paths, active, now) {
        Ok(facts) => (facts, false),
        Err(err) => (
            Facts {
                profile: active.to_string(),
                problem: Some(err.to_string()),
                ..Facts::default()
            },
            true,
        ),
    };
    let text = if args.json {
        json_line(&facts, now)
    } else if let Some(pieces) = &template {
        render(pieces, &facts, now)
    } else {
        line(&facts, now)
    };
    writeln!(out, "{text}")?;
    out.flush()?;
    if unreadable {
        // The mark says it; a parse error before every prompt would not help.
        return Ok(exit::BAD_INPUT);
    }
    Ok(if facts.exists == Some(false) {
        exit::UNKNOWN_PROFILE
    } else {
        exit::OK
    })
}

/// Reads what the line needs about profile `name`.
pub fn gather(
    paths: &AwsPaths,
    name: &str,
    now: DateTime<Utc>,
) -> Result<Facts, crate::aws::config::FileError> {
    let config = Config::load_for_profile(&paths.config, &paths.credentials, name)?;
    Ok(facts_of(&config, paths, name, now))
}

fn facts_of(config: &Config, paths: &AwsPaths, name: &str, now: DateTime<Utc>) -> Facts {
    let Some(info) = profile_info_by_name(config, name) else {
        return Facts {
            profile: name.to_string(),
            exists: Some(false),
            problem: Some(format!(
                "profile '{name}' is in neither {} nor {}",
                config.config_file.display(),
                config.credentials_file.display()
            )),
            ..Facts::default()
        };
    };
    let p = &config.profiles[info.index];
    let sso = matches!(info.kind, Kind::Sso | Kind::SsoLegacy);
    // Values shown for people go through `shown_text`: an indented line
    // can have made a secret part of one (see `ini::hidden_secret_key`).
    let sso_session =
        ini::get(&p.settings, "sso_session").map(|v| shown_text(&v.to_string()).into_owned());
    let session_label = sso.then(|| match ini::get(&p.settings, "sso_session") {
        Some(Value::Str(s)) if !s.is_empty() => shown_text(s).into_owned(),
        _ => ini::get_str(&p.settings, "sso_start_url")
            .and_then(host_label)
            .unwrap_or_else(|| "sso".into()),
    });
    let token = if sso {
        info.token.as_ref().map(|t| token_state(paths, t, now))
    } else {
        None
    };
    let role_credentials = info.role_cache.as_deref().map(|file| {
        let content = read_credentials_file(&paths.cli_cache, file);
        CacheState {
            status: content.credentials_status(now),
            expires_at: content.expires_at(),
        }
    });
    Facts {
        profile: name.to_string(),
        exists: Some(true),
        kind: Some(info.kind),
        account_id: info.account_id.map(|a| shown_text(&a).into_owned()),
        role_name: info.role_name.map(|r| shown_text(&r).into_owned()),
        region: ini::get_str(&p.settings, "region").map(|r| shown_text(r).into_owned()),
        sso_session,
        session_label,
        token,
        role_credentials,
        problem: info.problem,
    }
}

fn token_state(paths: &AwsPaths, token: &TokenRef, now: DateTime<Utc>) -> CacheState {
    match &token.file {
        None => CacheState {
            status: Status::ConfigError,
            expires_at: None,
        },
        Some(file) => {
            let content = read_token_file(&paths.sso_cache, file);
            CacheState {
                status: content.token_status(token.use_, now),
                expires_at: content.expires_at(),
            }
        }
    }
}

/// `https://acme.awsapps.com/start` → `acme`.
fn host_label(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', ':', '?', '#']).next()?;
    let label = host.split('.').next()?;
    (!label.is_empty()).then(|| label.to_string())
}

/// After the session's colon: time left, or what is wrong.
pub fn left_text(state: &CacheState, now: DateTime<Utc>) -> String {
    match (state.status, state.expires_at) {
        (Status::Valid, Some(at)) => short_duration(at - now),
        (Status::ConfigError, _) => "error".into(),
        (status, _) => status.as_str().into(),
    }
}

/// `PROFILE ACCOUNT/ROLE SESSION:LEFT`, parts omitted when they do not apply;
/// `!` at the end for a profile with a problem, `?` for an unknown profile.
pub fn line(f: &Facts, now: DateTime<Utc>) -> String {
    let mut s = printable(&f.profile).into_owned();
    if f.account_id.is_some() || f.role_name.is_some() {
        s.push(' ');
        s.push_str(&printable(f.account_id.as_deref().unwrap_or("?")));
        s.push('/');
        s.push_str(&printable(f.role_name.as_deref().unwrap_or("?")));
    }
    if let (Some(label), Some(token)) = (&f.session_label, &f.token) {
        s.push(' ');
        s.push_str(&printable(label));
        s.push(':');
        s.push_str(&left_text(token, now));
    }
    s.push_str(mark(f));
    s
}

fn mark(f: &Facts) -> &'static str {
    match (f.exists, &f.problem) {
        (Some(false), _) => "?",
        (_, Some(_)) => "!",
        _ => "",
    }
}

fn cache_json(state: &Option<CacheState>, now: DateTime<Utc>) -> serde_json::Value {
    match state {
        None => serde_json::Value::Null,
        Some(s) => json!({
            "status": s.status.as_str(),
            "expires_at": s.expires_at.as_ref().map(dateutil::format),
            "seconds_left": s.expires_at.map(|at| (at - now).num_seconds().max(0)),
        }),
    }
}

/// One JSON object on one line.
pub fn json_line(f: &Facts, now: DateTime<Utc>) -> String {
    json!({
        "profile": f.profile,
        "exists": f.exists,
        "account_id": f.account_id,
        "role_name": f.role_name,
        "kind": f.kind.map(Kind::as_str),
        "region": f.region,
        "sso_session": f.sso_session,
        "token": cache_json(&f.token, now),
        "role_credentials": cache_json(&f.role_credentials, now),
        "problem": f.problem,
    })
    .to_string()
}

/// A piece of a parsed `--format` template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    Text(String),
    Field(&'static str),
}

/// A `--format` template that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error("--format: '{{' without a closing '}}' in {template:?}; placeholders: {} (write {{{{ for a literal brace)", known_placeholders())]
    Unclosed { template: String },
    #[error(
        "--format: unknown placeholder {{{name}}}; placeholders: {}",
        known_placeholders()
    )]
    Unknown { name: String },
}

/// `{profile} {region} ...`, for the messages.
fn known_placeholders() -> String {
    crate::output::human::placeholder_list(&PLACEHOLDERS)
}

/// Parses `{placeholder}`s; `{{` and `}}` stand for literal braces.
pub fn parse_template(t: &str) -> Result<Vec<Piece>, TemplateError> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = t;
    while let Some(i) = rest.find(['{', '}']) {
        text.push_str(&rest[..i]);
        let after = &rest[i..];
        if let Some(r) = after
            .strip_prefix("{{")
            .or_else(|| after.strip_prefix("}}"))
        {
            text.push_str(&after[..1]);
            rest = r;
            continue;
        }
        if let Some(r) = after.strip_prefix('}') {
            text.push('}');
            rest = r;
            continue;
        }
        let Some(end) = after.find('}') else {
            return Err(TemplateError::Unclosed {
                template: t.to_string(),
            });
        };
        let name = &after[1..end];
        let Some(field) = PLACEHOLDERS.iter().find(|p| **p == name) else {
            return Err(TemplateError::Unknown {
                name: name.to_string(),
            });
        };
        if !text.is_empty() {
            pieces.push(Piece::Text(std::mem::take(&mut text)));
        }
        pieces.push(Piece::Field(field));
        rest = &after[end + 1..];
    }
    text.push_str(rest);
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

/// Fills a template; a placeholder without a value gives an empty string.
/// The values are escaped for the terminal; the template's own text is the
/// user's and stays as written (it may colour the prompt on purpose).
pub fn render(pieces: &[Piece], f: &Facts, now: DateTime<Utc>) -> String {
    let mut s = String::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => s.push_str(t),
            Piece::Field(name) => s.push_str(&printable(&field(name, f, now))),
        }
    }
    s
}

fn field(name: &str, f: &Facts, now: DateTime<Utc>) -> String {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    match name {
        "profile" => f.profile.clone(),
        "account" => opt(&f.account_id),
        "role" => opt(&f.role_name),
        "region" => opt(&f.region),
        "session" => opt(&f.session_label),
        "status" => f
            .token
            .as_ref()
            .map(|t| t.status.as_str().to_string())
            .unwrap_or_default(),
        "left" => f
            .token
            .as_ref()
            .map(|t| left_text(t, now))
            .unwrap_or_default(),
        "kind" => f.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        "mark" => mark(f).to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates() {
        assert_eq!(
            parse_template("{{{profile}}} }x").unwrap(),
            vec![
                Piece::Text("{".into()),
                Piece::Field("profile"),
                Piece::Text("} }x".into())
            ]
        );
        let unknown = parse_template("{nope}").unwrap_err();
        assert_eq!(
            unknown,
            TemplateError::Unknown {
                name: "nope".into()
            }
        );
        assert!(unknown
            .to_string()
            .starts_with("--format: unknown placeholder {nope}; placeholders: {profile} "));
        let unclosed = parse_template("{profile").unwrap_err().to_string();
        assert!(
            unclosed.starts_with(
                "--format: '{' without a closing '}' in \"{profile\"; placeholders: {profile} "
            ),
            "{unclosed}"
        );
        assert!(
            unclosed.ends_with(" (write {{ for a literal brace)"),
            "{unclosed}"
        );
    }

    #[test]
    fn host_labels() {
        assert_eq!(
            host_label("https://acme.awsapps.com/start").as_deref(),
            Some("acme")
        );
        assert_eq!(host_label("d-123.awsapps.com").as_deref(), Some("d-123"));
        assert_eq!(host_label("https:///x"), None);
    }
}

//! The output formats of `awsp creds`: those of `aws configure
//! export-credentials` (checked against AWS CLI 2.9.19's output), fish,
//! `dotenv` for `docker run --env-file`, and `json`.

use chrono::{DateTime, Utc};

use super::source::CredsError;
use super::{Credentials, Origin};
use crate::aws::py::json::py_string;
use crate::shell::quote::{quote_fish, quote_posix};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// The credential_process JSON (`Version: 1`), as the CLI prints it.
    #[default]
    Process,
    /// `export AWS_ACCESS_KEY_ID=...` lines for sh, bash and zsh.
    Env,
    /// `set -gx AWS_ACCESS_KEY_ID ...` lines for fish.
    Fish,
    /// `$Env:AWS_ACCESS_KEY_ID="..."` lines for PowerShell.
    Powershell,
    /// `AWS_ACCESS_KEY_ID=...` lines for `docker run --env-file`.
    Dotenv,
    /// One JSON object with the profile, the source and the expiry in UTC.
    Json,
}

/// `datetime.isoformat()` of an aware UTC time, as the CLI prints
/// `Expiration`: `+00:00`, microseconds only when there are some.
pub fn iso_expiration(t: &DateTime<Utc>) -> String {
    if t.timestamp_subsec_micros() == 0 {
        t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string()
    } else {
        t.format("%Y-%m-%dT%H:%M:%S%.6f+00:00").to_string()
    }
}

/// The variables, in the CLI's order, with the values they get.
pub(crate) fn variables(c: &Credentials) -> Vec<(&'static str, String)> {
    let mut vars = vec![
        ("AWS_ACCESS_KEY_ID", c.access_key_id.clone()),
        ("AWS_SECRET_ACCESS_KEY", c.secret_access_key.clone()),
    ];
    if let Some(token) = &c.session_token {
        vars.push(("AWS_SESSION_TOKEN", token.clone()));
    }
    if let Some(at) = &c.expiration {
        vars.push(("AWS_CREDENTIAL_EXPIRATION", iso_expiration(at)));
    }
    vars
}

/// The text to print, or why these credentials cannot be put in `format`
/// (a line break cannot be in a dotenv value).
pub fn render(
    c: &Credentials,
    format: Format,
    profile: &str,
    origin: Origin,
) -> Result<String, CredsError> {
    let lines = |line: &dyn Fn(&str, &str) -> String| -> String {
        variables(c)
            .iter()
            .map(|(k, v)| line(k, v) + "\n")
            .collect()
    };
    Ok(match format {
        Format::Process => process_json(c),
        // The CLI prints values bare; credentials are base64 and need no
        // quotes, but quoting only when needed keeps any value one word.
        Format::Env => lines(&|k, v| format!("export {k}={}", bare_or(v, quote_posix))),
        Format::Fish => lines(&|k, v| format!("set -gx {k} {}", bare_or(v, quote_fish))),
        Format::Powershell => lines(&|k, v| format!("$Env:{k}=\"{}\"", powershell_escape(v))),
        Format::Dotenv => {
            if variables(c).iter().any(|(_, v)| v.contains(['\n', '\r'])) {
                return Err(CredsError::DotenvLineBreak);
            }
            lines(&|k, v| format!("{k}={v}"))
        }
        // The expiry in UTC with `Z`, as `awsp list --json` writes times.
        Format::Json => {
            let mut fields = vec![
                ("Profile", py_string(profile)),
                ("Source", py_string(origin.as_str())),
            ];
            fields.extend(key_fields(c, crate::aws::py::dateutil::format));
            object(&fields)
        }
    })
}

/// `json.dumps(..., indent=2)` of the credential_process document, plus the
/// final newline `print` adds.
fn process_json(c: &Credentials) -> String {
    let mut fields = vec![("Version", "1".to_string())];
    fields.extend(key_fields(c, iso_expiration));
    object(&fields)
}

/// The keys and the expiry (written by `expiration`) as JSON members, in
/// the credential_process document's order.
fn key_fields(
    c: &Credentials,
    expiration: fn(&DateTime<Utc>) -> String,
) -> Vec<(&'static str, String)> {
    let mut fields = vec![
        ("AccessKeyId", py_string(&c.access_key_id)),
        ("SecretAccessKey", py_string(&c.secret_access_key)),
    ];
    if let Some(token) = &c.session_token {
        fields.push(("SessionToken", py_string(token)));
    }
    if let Some(at) = &c.expiration {
        fields.push(("Expiration", py_string(&expiration(at))));
    }
    fields
}

fn object(fields: &[(&str, String)]) -> String {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("  \"{k}\": {v}"))
        .collect();
    format!("{{\n{}\n}}\n", body.join(",\n"))
}

/// `v` itself when no shell gives any of its characters a meaning (all
/// real credentials), else quoted.
pub(crate) fn bare_or(v: &str, quote: fn(&str) -> String) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "+/=._:,@%-".contains(c);
    if !v.is_empty() && v.chars().all(plain) {
        v.to_string()
    } else {
        quote(v)
    }
}

/// Inside PowerShell's double quotes, the backtick escapes `` ` ``, `"`
/// and `$` (credentials hold none; a hostile value stays one string).
fn powershell_escape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for ch in v.chars() {
        if matches!(ch, '`' | '"' | '$') {
            out.push('`');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials {
            access_key_id: "ASIAX".into(),
            secret_access_key: "sec/+=".into(),
            session_token: Some("tok".into()),
            expiration: Some("2026-12-02T15:00:00Z".parse().unwrap()),
        }
    }

    // The expected texts are AWS CLI 2.9.19's output for the same cache
    // file (`aws configure export-credentials --format ...`).
    #[test]
    fn process_is_the_clis_text() {
        assert_eq!(
            render(&creds(), Format::Process, "p", Origin::Cache).unwrap(),
            "{\n  \"Version\": 1,\n  \"AccessKeyId\": \"ASIAX\",\n  \"SecretAccessKey\": \"sec/+=\",\n  \"SessionToken\": \"tok\",\n  \"Expiration\": \"2026-12-02T15:00:00+00:00\"\n}\n"
        );
    }

    #[test]
    fn env_and_powershell_are_the_clis_text() {
        assert_eq!(
            render(&creds(), Format::Env, "p", Origin::Cache).unwrap(),
            "export AWS_ACCESS_KEY_ID=ASIAX\nexport AWS_SECRET_ACCESS_KEY=sec/+=\nexport AWS_SESSION_TOKEN=tok\nexport AWS_CREDENTIAL_EXPIRATION=2026-12-02T15:00:00+00:00\n"
        );
        assert_eq!(
            render(&creds(), Format::Powershell, "p", Origin::Cache).unwrap(),
            "$Env:AWS_ACCESS_KEY_ID=\"ASIAX\"\n$Env:AWS_SECRET_ACCESS_KEY=\"sec/+=\"\n$Env:AWS_SESSION_TOKEN=\"tok\"\n$Env:AWS_CREDENTIAL_EXPIRATION=\"2026-12-02T15:00:00+00:00\"\n"
        );
    }

    #[test]
    fn dotenv_fish_and_json() {
        assert_eq!(
            render(&creds(), Format::Dotenv, "p", Origin::Cache).unwrap(),
            "AWS_ACCESS_KEY_ID=ASIAX\nAWS_SECRET_ACCESS_KEY=sec/+=\nAWS_SESSION_TOKEN=tok\nAWS_CREDENTIAL_EXPIRATION=2026-12-02T15:00:00+00:00\n"
        );
        let fish = render(&creds(), Format::Fish, "p", Origin::Cache).unwrap();
        assert!(
            fish.starts_with("set -gx AWS_ACCESS_KEY_ID ASIAX\n"),
            "{fish}"
        );
        let json: serde_json::Value =
            serde_json::from_str(&render(&creds(), Format::Json, "p", Origin::Portal).unwrap())
                .unwrap();
        assert_eq!(json["Source"], "portal");
        assert_eq!(json["Expiration"], "2026-12-02T15:00:00Z");
        let mut broken = creds();
        broken.session_token = Some("a\nb".into());
        assert!(matches!(
            render(&broken, Format::Dotenv, "p", Origin::Cache),
            Err(CredsError::DotenvLineBreak)
        ));
    }

    #[test]
    fn static_keys_have_no_token_or_expiry_lines() {
        let mut c = creds();
        c.session_token = None;
        c.expiration = None;
        let text = render(&c, Format::Process, "p", Origin::AwsCli).unwrap();
        assert!(
            !text.contains("SessionToken") && !text.contains("Expiration"),
            "{text}"
        );
    }
}

//! `--demo`: a throw-away AWS home built from `assets/demo/`, with cache
//! timestamps made relative to now so every state is on show. The user's
//! `~/.aws` is never read or written.

use std::path::Path;

use chrono::{DateTime, Duration, Utc};

use crate::aws::paths::AwsPaths;
use crate::aws::py::dateutil;

macro_rules! demo_files {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_str!(concat!("../../assets/demo/", $path)))),*]
    };
}

/// Files of the demo home, relative to `~/.aws`.
const FILES: &[(&str, &str)] = demo_files![
    "config",
    "credentials",
    "sso/cache/293abb6b76d7791c0732cc517d38c4b5c734b87f.json",
    "sso/cache/9ed037b84943c4caa3a520e48a5540181c46c98c.json",
    "sso/cache/3624db883007efa198232b3aa774a54360ed3f26.json",
    "sso/cache/0ab96805d68644575c5b41d60b1b0b072efd170a.json",
    "sso/cache/botocore-client-id-us-east-1.json",
    "cli/cache/d561a33a8c69d03db19883681787649f35061819.json",
    "cli/cache/28caa20f65ce1313bb6fec084c41e25d51704097.json",
    "cli/cache/ed01b767ac999ef93dd48c4dce01bcacbb50596e.json",
    "cli/cache/8a8e44398de3aaa1376a7ed7db64bd835ab50349.json",
    "cli/cache/0000000000000000000000000000000000000000.json",
];

/// A demo home on disk; removed when dropped, or when a signal ends awsp.
pub struct DemoHome {
    dir: tempfile::TempDir,
    pub paths: AwsPaths,
}

impl DemoHome {
    pub fn create(now: DateTime<Utc>) -> std::io::Result<DemoHome> {
        let dir = tempfile::Builder::new().prefix("awsp-demo-").tempdir()?;
        crate::tui::terminal::remove_on_signal(dir.path());
        let aws = dir.path().join(".aws");
        for (rel, text) in FILES {
            let path = aws.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, expand_templates(text, now))?;
        }
        let paths = AwsPaths::under_home(dir.path());
        Ok(DemoHome { dir, paths })
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for DemoHome {
    fn drop(&mut self) {
        // Before the TempDir's own removal, which then finds nothing.
        crate::tui::terminal::remove_now(self.dir.path());
    }
}

/// Replaces `{{now+90m}}` / `{{now-2d}}` (units s, m, h, d) with UTC
/// timestamps relative to `now`. Unknown templates stay as written.
pub fn expand_templates(text: &str, now: DateTime<Utc>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{now") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        match after
            .find("}}")
            .and_then(|end| Some((offset(&after[5..end])?, end)))
        {
            Some((delta, end)) => {
                out.push_str(&dateutil::format(&(now + delta)));
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("{{now");
                rest = &after[5..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn offset(spec: &str) -> Option<Duration> {
    let (sign, body) = match spec.as_bytes().first()? {
        b'+' => (1, &spec[1..]),
        b'-' => (-1, &spec[1..]),
        _ => return None,
    };
    let unit = body.chars().last()?;
    let n: i64 = body[..body.len() - 1].parse().ok()?;
    let d = match unit {
        's' => Duration::seconds(n),
        'm' => Duration::minutes(n),
        'h' => Duration::hours(n),
        'd' => Duration::days(n),
        _ => return None,
    };
    Some(d * sign)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn templates_expand_relative_to_now() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(
            expand_templates(
                r#"{"a": "{{now+90m}}", "b": "{{now-2d}}", "c": "{{now+x}}"}"#,
                now
            ),
            r#"{"a": "2026-01-01T01:30:00Z", "b": "2025-12-30T00:00:00Z", "c": "{{now+x}}"}"#
        );
    }

    #[test]
    fn demo_home_has_every_state() {
        use crate::aws::cache::Status;
        use crate::aws::resolve::Kind;
        use crate::aws::snapshot::Snapshot;
        let now = Utc::now();
        let demo = DemoHome::create(now).unwrap();
        let snap = Snapshot::load(&demo.paths).unwrap();
        let session_states: Vec<Status> = snap
            .sessions
            .iter()
            .map(|s| snap.token_state(&s.token, now).status)
            .collect();
        assert_eq!(
            session_states,
            vec![Status::Valid, Status::Expired, Status::Refreshable]
        );
        let role_states: Vec<Status> = snap
            .profiles
            .iter()
            .filter_map(|p| {
                p.role_cache
                    .as_ref()
                    .map(|f| snap.role_state(f, now).status)
            })
            .collect();
        assert!(role_states.contains(&Status::Valid) && role_states.contains(&Status::Expired));
        let kinds: Vec<Kind> = snap.profiles.iter().map(|p| p.kind).collect();
        for k in [Kind::Sso, Kind::SsoLegacy, Kind::AssumeRole, Kind::Static] {
            assert!(kinds.contains(&k), "{k:?}");
        }
        assert!(snap.profiles.iter().any(|p| p.problem.is_some()));
        let home = demo.home().to_path_buf();
        drop(demo);
        assert!(!home.exists(), "the demo home is removed");
    }
}

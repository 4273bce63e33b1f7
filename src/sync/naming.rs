//! Profile names for the assignments `awsp sync` adds: `--name TEMPLATE`
//! or the short default (`xyz-admin`, as in the Identity Center guide).
//!
//! A name is always a plain word of `[a-z0-9._-]`, never empty, never
//! starting with `-`: it needs no quoting in a shell, in `AWS_PROFILE`, or
//! in a `[profile NAME]` header (botocore splits headers like `shlex`).
//! Names are decided from sorted input alone, so the same inventory and
//! config give the same names on every run.

use std::collections::{BTreeMap, BTreeSet, HashSet};

/// Permission-set names that have a short conventional form. Anything else
/// becomes its own name lower-cased (see [`slug`]).
pub const SHORT_ROLES: &[(&str, &str)] = &[
    ("AdministratorAccess", "admin"),
    ("ReadOnlyAccess", "read"),
    ("PowerUserAccess", "poweruser"),
    ("ViewOnlyAccess", "view"),
    ("SecurityAudit", "audit"),
    ("Billing", "billing"),
    ("DatabaseAdministrator", "dba"),
    ("DataScientist", "datascientist"),
    ("NetworkAdministrator", "network"),
    ("SystemAdministrator", "sysadmin"),
    ("SupportUser", "support"),
];

/// The placeholders of `--name`, as the help lists them.
pub const PLACEHOLDERS: &[&str] = &["account", "account_id", "role", "short_role", "session"];

/// The default template: account name, then the short role.
pub const DEFAULT_TEMPLATE: &str = "{account}-{short_role}";

/// The short form of a role (permission set) name.
pub fn short_role(role: &str) -> String {
    SHORT_ROLES
        .iter()
        .find(|(long, _)| *long == role)
        .map_or_else(|| slug(role), |(_, short)| (*short).to_string())
}

/// `s` lower-cased, every run of characters outside `[a-z0-9]` turned into
/// one `-`, and `-` trimmed from both ends: `"ACME Prod (EU)"` → `acme-prod-eu`.
pub fn slug(s: &str) -> String {
    squeeze(&s.to_lowercase(), |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit()
    })
}

/// Keeps the characters `keep` accepts, turns each run of others into one
/// `-`, and trims `-` at both ends.
fn squeeze(s: &str, keep: impl Fn(char) -> bool) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in s.chars() {
        if keep(c) && c != '-' {
            if pending_dash && !out.is_empty() {
                out.push('-');
            }
            pending_dash = false;
            out.push(c);
        } else {
            pending_dash = true;
        }
    }
    out
}

/// A name made safe: lower-cased, only `[a-z0-9._-]`, runs of anything
/// else (and of `-`) as one `-`, no `-` at either end.
pub fn safe_name(s: &str) -> String {
    squeeze(&s.to_lowercase(), |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'
    })
}

/// Whether `name` is a plain word awsp would generate.
pub fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'))
}

/// A piece of a parsed `--name` template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    Field(&'static str),
}

/// Why a `--name` template was refused; each message lists the placeholders.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    #[error(
        "--name: '{{' without a closing '}}'; placeholders: {}",
        known_placeholders()
    )]
    Unclosed,
    #[error(
        "--name: unknown placeholder {{{}}}; placeholders: {}",
        crate::output::human::printable(name),
        known_placeholders()
    )]
    UnknownPlaceholder { name: String },
    #[error(
        "--name: the template has no placeholder; placeholders: {}",
        known_placeholders()
    )]
    NoPlaceholder,
}

/// `{account} {account_id} ...`, for the errors.
fn known_placeholders() -> String {
    crate::output::human::placeholder_list(PLACEHOLDERS)
}

/// A parsed `--name` template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

/// What a template fills in for one assignment.
#[derive(Clone, Copy, Debug)]
pub struct Fields<'a> {
    pub account_name: &'a str,
    pub account_id: &'a str,
    pub role: &'a str,
    pub session: &'a str,
}

impl Template {
    /// Parses `{placeholder}`s; `{{` and `}}` stand for literal braces. An
    /// unknown placeholder or an unclosed `{` is an error naming the known ones.
    pub fn parse(text: &str) -> Result<Template, TemplateError> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if rest.starts_with("{{") || rest.starts_with("}}") {
                literal.push(c);
                rest = &rest[2..];
                continue;
            }
            if c == '{' {
                let Some(close) = rest.find('}') else {
                    return Err(TemplateError::Unclosed);
                };
                let name = &rest[1..close];
                let Some(field) = PLACEHOLDERS.iter().find(|p| **p == name) else {
                    return Err(TemplateError::UnknownPlaceholder {
                        name: name.to_string(),
                    });
                };
                if !literal.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut literal)));
                }
                pieces.push(Piece::Field(field));
                rest = &rest[close + 1..];
                continue;
            }
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
        if !literal.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        if !pieces.iter().any(|p| matches!(p, Piece::Field(_))) {
            // Every assignment would get the same name.
            return Err(TemplateError::NoPlaceholder);
        }
        Ok(Template { pieces })
    }

    pub fn default_template() -> Template {
        Template::parse(DEFAULT_TEMPLATE).expect("the default template parses")
    }

    /// The name before it is made unique: always a safe name (the account
    /// id when nothing else is left).
    pub fn base_name(&self, f: &Fields<'_>) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Field(name) => out.push_str(&match *name {
                    "account" => slug(f.account_name),
                    "account_id" => f.account_id.to_string(),
                    "role" => slug(f.role),
                    "short_role" => short_role(f.role),
                    _ => slug(f.session),
                }),
            }
        }
        let safe = safe_name(&out);
        if safe.is_empty() {
            let id = safe_name(f.account_id);
            if id.is_empty() {
                "account".to_string()
            } else {
                id
            }
        } else {
            safe
        }
    }
}

/// One assignment to name.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Request {
    pub account_id: String,
    pub role: String,
    pub account_name: String,
}

/// Names for `requests`, none of them in `taken` (the names of every
/// profile awsp must not reuse), none twice. Returned in the order given;
/// the result depends only on the set of requests and `taken`.
///
/// When different accounts give the same name, each of them gets `-` and
/// the last 4 digits of its id (more digits, then the whole id, then a
/// counter if still not unique); a name that is taken is suffixed the same way.
pub fn assign_names(
    template: &Template,
    session: &str,
    requests: &[Request],
    taken: &HashSet<String>,
) -> Vec<String> {
    let mut order: Vec<usize> = (0..requests.len()).collect();
    order.sort_by(|&a, &b| requests[a].cmp(&requests[b]));
    let bases: Vec<String> = requests
        .iter()
        .map(|r| {
            template.base_name(&Fields {
                account_name: &r.account_name,
                account_id: &r.account_id,
                role: &r.role,
                session,
            })
        })
        .collect();
    // Which accounts share each base name: a shared name is ambiguous for
    // all of them, so none keeps it bare (no first-come advantage).
    let mut accounts_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (r, base) in requests.iter().zip(&bases) {
        accounts_of
            .entry(base)
            .or_default()
            .insert(r.account_id.as_str());
    }
    let mut used: HashSet<String> = taken.clone();
    // `default` is the profile the CLI uses without AWS_PROFILE: never generated.
    used.insert("default".to_string());
    let mut names = vec![String::new(); requests.len()];
    for i in order {
        let base = &bases[i];
        let shared = accounts_of[base.as_str()].len() > 1;
        let name = candidates(base, &requests[i].account_id)
            .skip(usize::from(shared))
            .find(|c| !used.contains(c))
            .expect("the candidates never end");
        used.insert(name.clone());
        names[i] = name;
    }
    names
}

/// `base`, then `base-` with the last 4, 6, 8 digits and the whole id, then
/// `base-ID-2`, `base-ID-3`, ...
fn candidates<'a>(base: &'a str, account_id: &'a str) -> impl Iterator<Item = String> + 'a {
    let id = safe_name(account_id);
    let digits: Vec<String> = [4usize, 6, 8]
        .iter()
        .filter(|&&n| n < id.len())
        .map(|&n| id[id.len() - n..].to_string())
        .chain(std::iter::once(id.clone()))
        .filter(|s| !s.is_empty())
        .collect();
    let whole = if id.is_empty() { "x".to_string() } else { id };
    std::iter::once(base.to_string())
        .chain(digits.into_iter().map(move |d| format!("{base}-{d}")))
        .chain((2u64..).map(move |n| format!("{base}-{whole}-{n}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(id: &str, role: &str, name: &str) -> Request {
        Request {
            account_id: id.into(),
            role: role.into(),
            account_name: name.into(),
        }
    }

    fn names(requests: &[Request], taken: &[&str]) -> Vec<String> {
        let taken = taken.iter().map(|s| s.to_string()).collect();
        assign_names(&Template::default_template(), "acme", requests, &taken)
    }

    #[test]
    fn default_is_short_like_the_guide() {
        assert_eq!(
            names(&[req("112233445566", "AdministratorAccess", "XYZ")], &[]),
            vec!["xyz-admin"]
        );
        assert_eq!(short_role("ReadOnlyAccess"), "read");
        assert_eq!(short_role("ViewOnlyAccess"), "view");
        assert_eq!(short_role("PowerUserAccess"), "poweruser");
        assert_eq!(short_role("SecurityAudit"), "audit");
        assert_eq!(short_role("Billing"), "billing");
        assert_eq!(short_role("DatabaseAdministrator"), "dba");
        assert_eq!(short_role("Deploy_Role+CI"), "deploy-role-ci");
    }

    #[test]
    fn slugs_turn_runs_into_one_dash_and_trim() {
        assert_eq!(slug("ACME Prod (EU)"), "acme-prod-eu");
        assert_eq!(slug("  --Ünïcode--  "), "n-code");
        assert_eq!(slug("a$b`c\"d'e[f]g h\ti\nj"), "a-b-c-d-e-f-g-h-i-j");
        assert_eq!(slug("***"), "");
    }

    #[test]
    fn every_name_is_a_safe_word_whatever_the_input() {
        let hostile = [
            "",
            " ",
            "-",
            "--x",
            "$(rm -rf ~)",
            "`id`",
            "[profile x]",
            "'\"",
            "\u{202e}evil",
            "日本",
            "a\nb",
            ".",
            "_",
        ];
        for account in hostile {
            for role in hostile {
                for template in [
                    DEFAULT_TEMPLATE,
                    "-{role}-",
                    "{account_id}{{x}}",
                    "A B {session}",
                ] {
                    let t = Template::parse(template).unwrap();
                    let n = assign_names(
                        &t,
                        "s p",
                        &[req("123456789012", role, account)],
                        &HashSet::new(),
                    );
                    assert!(
                        is_safe_name(&n[0]),
                        "{template} {account:?} {role:?} -> {n:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn templates() {
        let t = Template::parse("{session}.{account_id}.{role}").unwrap();
        let f = Fields {
            account_name: "X",
            account_id: "111122223333",
            role: "AdministratorAccess",
            session: "Acme",
        };
        assert_eq!(t.base_name(&f), "acme.111122223333.administratoraccess");
        let known = "placeholders: {account} {account_id} {role} {short_role} {session}";
        assert_eq!(
            Template::parse("{acount}").unwrap_err().to_string(),
            format!("--name: unknown placeholder {{acount}}; {known}")
        );
        assert_eq!(
            Template::parse("{account").unwrap_err().to_string(),
            format!("--name: '{{' without a closing '}}'; {known}")
        );
        assert_eq!(
            Template::parse("fixed").unwrap_err().to_string(),
            format!("--name: the template has no placeholder; {known}")
        );
        assert_eq!(
            Template::parse("{a\x1bb}").unwrap_err().to_string(),
            format!("--name: unknown placeholder {{a\\eb}}; {known}"),
            "the name is shown printable"
        );
        assert_eq!(
            Template::parse("{{{account}}}").unwrap().base_name(&f),
            "x",
            "braces are not safe characters"
        );
    }

    #[test]
    fn same_account_names_are_told_apart_by_id_digits() {
        let got = names(
            &[
                req("222200001234", "AdministratorAccess", "Prod"),
                req("111100005678", "AdministratorAccess", "Prod"),
                req("333300009999", "AdministratorAccess", "Dev"),
            ],
            &[],
        );
        assert_eq!(got, vec!["prod-admin-1234", "prod-admin-5678", "dev-admin"]);
        // Same last four digits: more digits.
        let got = names(
            &[
                req("222200001234", "ReadOnlyAccess", "Prod"),
                req("111100001234", "ReadOnlyAccess", "Prod"),
            ],
            &[],
        );
        // Sorted by id, the first keeps 4 digits; the other needs 6.
        assert_eq!(got, vec!["prod-read-001234", "prod-read-1234"]);
        assert!(got.iter().all(|n| n.starts_with("prod-read-")));
    }

    #[test]
    fn hand_written_names_are_never_taken() {
        let got = names(
            &[req("112233445566", "AdministratorAccess", "XYZ")],
            &["xyz-admin", "xyz-admin-5566"],
        );
        assert_eq!(got, vec!["xyz-admin-445566"]);
        let got = names(&[req("1", "AdministratorAccess", "Default")], &[]);
        assert_eq!(got, vec!["default-admin"]);
        let t = Template::parse("{account}").unwrap();
        let got = assign_names(
            &t,
            "s",
            &[req("123456789012", "R", "Default")],
            &HashSet::new(),
        );
        assert_eq!(got, vec!["default-9012"], "`default` is never generated");
    }

    #[test]
    fn same_input_same_names_in_any_order() {
        let mut requests = vec![
            req("222200001234", "AdministratorAccess", "Prod"),
            req("111100005678", "AdministratorAccess", "Prod"),
            req("111100005678", "Admin", "Prod"),
            req("333300009999", "ReadOnlyAccess", "Dev"),
        ];
        let first = names(&requests, &["dev-read"]);
        let mut by_request: Vec<(Request, String)> =
            requests.iter().cloned().zip(first.clone()).collect();
        requests.reverse();
        let second = names(&requests, &["dev-read"]);
        let mut again: Vec<(Request, String)> = requests.into_iter().zip(second).collect();
        by_request.sort();
        again.sort();
        assert_eq!(by_request, again);
        let unique: HashSet<&String> = first.iter().collect();
        assert_eq!(unique.len(), first.len(), "{first:?}");
    }
}

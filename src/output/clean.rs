//! The words for what `aws::clean` decided: owners, reasons to keep or
//! skip a file, folder notes. Shared by `awsp clean`, `doctor` and the
//! picker's clean popup, which say them the same way.
//!
//! These are `Display` impls on the domain types, so `{}` and `to_string`
//! word them wherever they are shown. Names from the files are not escaped
//! here: callers pass the text through [`printable`](super::human::printable).

use std::fmt;

use crate::aws::clean::{
    FolderNote, KeepReason, Owner, SkipReason, MAX_CACHE_FILE_BYTES, TOO_LARGE,
};
use crate::output::human::{short_duration, size_text};

impl fmt::Display for KeepReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use KeepReason as K;
        match self {
            K::Gone => f.write_str("already gone"),
            K::Unreadable { error } => write!(f, "cannot be read: {error}"),
            K::Link => f.write_str("symbolic link: never followed or removed"),
            K::Folder => f.write_str("a folder, not a file"),
            K::NotRegular => f.write_str("not a regular file"),
            K::ChangedWhileRead => f.write_str("changed while being read"),
            K::TooLarge { len } => write!(
                f,
                "{TOO_LARGE} ({}; awsp reads at most {})",
                size_text(*len),
                size_text(MAX_CACHE_FILE_BYTES)
            ),
            K::SetAside => f.write_str("set aside by awsp clean: check it, then remove it by hand"),
            K::NotJsonName => f.write_str("not a .json file"),
            K::StagedWrite { age } => write!(
                f,
                "written {} ago: may still be in progress",
                short_duration(*age)
            ),
            K::NotJson => f.write_str("not JSON: may be half-written by a running aws"),
            K::UnknownShape => f.write_str("JSON of an unknown shape"),
            K::AnotherTool => f.write_str(
                "another tool's refreshable token (no configured sso-session or start URL uses it)",
            ),
            K::RegistrationWithoutExpiry => {
                f.write_str("client registration without a usable expiresAt")
            }
            K::RegistrationValid { left } => {
                write!(f, "client registration valid for {}", short_duration(*left))
            }
            K::TokenWithoutExpiry => f.write_str("token without a usable expiresAt"),
            K::TokenValid { left } => write!(f, "token valid for {}", short_duration(*left)),
            K::Refreshable { left } => {
                write!(
                    f,
                    "expired token, refreshable for {}",
                    short_duration(*left)
                )
            }
            K::UnusableRegistrationExpiry => {
                f.write_str("expired token with an unusable registrationExpiresAt")
            }
            K::CredentialsWithoutExpiry => f.write_str("no usable Credentials.Expiration"),
            K::CredentialsValid { left } => {
                write!(f, "credentials valid for {}", short_duration(*left))
            }
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::FolderChanged => f.write_str("the cache folder changed"),
            SkipReason::NotDirectlyInside => f.write_str("not directly inside the cache folder"),
            SkipReason::Gone => f.write_str("already gone"),
            SkipReason::NoLongerStale(reason) => write!(f, "no longer stale: {reason}"),
            SkipReason::ChangedSinceListed => f.write_str("changed since it was listed"),
            SkipReason::RewrittenPutBack => f.write_str("rewritten while being removed: put back"),
            SkipReason::RewrittenKept(kept) => write!(f, "rewritten while being removed; {kept}"),
        }
    }
}

impl fmt::Display for Owner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Owner::Session(name) => write!(f, "sso-session {name}"),
            Owner::LegacyStartUrl { url, profiles } => {
                write!(f, "legacy start URL {url} ({})", ProfileList(profiles))
            }
            Owner::Profiles(profiles) => write!(f, "{}", ProfileList(profiles)),
            Owner::Registration { region } => write!(f, "client registration for {region}"),
            Owner::StagedWrite => f.write_str("awsp's unfinished write"),
        }
    }
}

/// `profile a` or `profiles a, b`.
struct ProfileList<'a>(&'a [String]);

impl fmt::Display for ProfileList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = if self.0.len() == 1 {
            "profile"
        } else {
            "profiles"
        };
        write!(f, "{word} {}", self.0.join(", "))
    }
}

/// A file's owners, `; `-separated, or `no configured profile`.
pub fn owners_text(owners: &[Owner]) -> String {
    if owners.is_empty() {
        return "no configured profile".into();
    }
    owners
        .iter()
        .map(Owner::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

impl fmt::Display for FolderNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FolderNote::Uncheckable(dir) => write!(
                f,
                "{}: not a folder awsp can check for links",
                dir.display()
            ),
            FolderNote::Link(p) => write!(
                f,
                "{} is a symbolic link; awsp never removes anything reached through one",
                p.display()
            ),
            FolderNote::NotAFolder(p) => write!(f, "{} is not a folder", p.display()),
            FolderNote::Unreadable(p, e) => write!(f, "{}: cannot be read: {e}", p.display()),
            FolderNote::Unlisted(dir, e) => write!(f, "{}: cannot be listed: {e}", dir.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::clean::PutBackError;
    use chrono::Duration;
    use std::path::PathBuf;

    #[test]
    fn reasons_read_as_before() {
        let h = |h| Duration::hours(h) + Duration::minutes(12);
        assert_eq!(
            KeepReason::TokenValid { left: h(6) }.to_string(),
            "token valid for 6h12m"
        );
        assert_eq!(
            KeepReason::Refreshable { left: h(2) }.to_string(),
            "expired token, refreshable for 2h12m"
        );
        assert_eq!(
            KeepReason::TooLarge { len: 8 << 40 }.to_string(),
            "too large to be a cache file (8.0 TiB; awsp reads at most 1.0 MiB)"
        );
        assert_eq!(
            SkipReason::NoLongerStale(KeepReason::CredentialsValid { left: h(1) }).to_string(),
            "no longer stale: credentials valid for 1h12m"
        );
        let kept = PutBackError::NameTaken {
            aside: ".awsp-removing-1".into(),
        };
        assert_eq!(
            SkipReason::RewrittenKept(kept).to_string(),
            "rewritten while being removed; a newer file took its name, so the older one is kept as .awsp-removing-1"
        );
    }

    #[test]
    fn owners_and_notes_read_as_before() {
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(owners_text(&[]), "no configured profile");
        assert_eq!(
            owners_text(&[
                Owner::Session("acme".into()),
                Owner::LegacyStartUrl {
                    url: "https://x/start".into(),
                    profiles: names(&["a", "b"]),
                },
            ]),
            "sso-session acme; legacy start URL https://x/start (profiles a, b)"
        );
        assert_eq!(owners_text(&[Owner::Profiles(names(&["p"]))]), "profile p");
        assert_eq!(
            FolderNote::Link(PathBuf::from("/h/.aws")).to_string(),
            "/h/.aws is a symbolic link; awsp never removes anything reached through one"
        );
    }
}

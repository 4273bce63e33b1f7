//! Where the AWS files are, resolved the way botocore resolves them.
//!
//! Everything works on bytes (`OsStr`): a `HOME` or `AWS_CONFIG_FILE` that is
//! not UTF-8 reaches Python as surrogate-escaped text and goes back to the
//! same bytes when the file is opened, so botocore reads exactly those bytes.

use std::ffi::{OsStr, OsString};
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::{Path, PathBuf};

/// An environment lookup, as bytes.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<OsString>;

/// The four places awsp reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsPaths {
    pub config: PathBuf,
    pub credentials: PathBuf,
    /// `~/.aws/sso/cache`: SSO tokens (no env override in botocore).
    pub sso_cache: PathBuf,
    /// `~/.aws/cli/cache`: role credentials cached by the AWS CLI.
    pub cli_cache: PathBuf,
}

impl AwsPaths {
    /// Resolves paths from an environment lookup (injected so tests need not
    /// touch the process environment).
    pub fn from_env(env: Env<'_>) -> AwsPaths {
        // Python's expanduser takes HOME whenever it is set, even empty, and
        // asks the password database only when it is not.
        let home: Option<OsString> = env("HOME").or_else(|| dirs::home_dir().map(Into::into));
        let home = home.as_deref();
        let default = |rel: &str| expand_user(OsStr::new(rel), home);
        let file = |var: &str, rel: &str| -> PathBuf {
            // A variable set to "" still counts: botocore then finds no file.
            match env(var) {
                Some(value) => expand_user(&expand_vars(&value, env), home),
                None => default(rel),
            }
        };
        AwsPaths {
            config: file("AWS_CONFIG_FILE", "~/.aws/config"),
            credentials: file("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
            sso_cache: default("~/.aws/sso/cache"),
            cli_cache: default("~/.aws/cli/cache"),
        }
    }

    /// The paths of an AWS home laid out at `home` (the demo, tests).
    pub fn under_home(home: &Path) -> AwsPaths {
        AwsPaths {
            config: home.join(".aws/config"),
            credentials: home.join(".aws/credentials"),
            sso_cache: home.join(".aws/sso/cache"),
            cli_cache: home.join(".aws/cli/cache"),
        }
    }

    /// Resolves from the real process environment.
    pub fn from_process_env() -> AwsPaths {
        AwsPaths::from_env(&|k| env_var(k))
    }
}

/// `std::env::var_os`, but `None` for names no environment entry can have
/// (empty, `=`, NUL), as Python's `os.environ[name]` raises KeyError there.
fn env_var(name: &str) -> Option<OsString> {
    if name.is_empty() || name.contains(['=', '\0']) {
        return None;
    }
    std::env::var_os(name)
}

/// Python's `os.path.expandvars`: `$NAME` and `${NAME}` (`\$(\w+|\{[^}]*\})`
/// with ASCII `\w`) are replaced when set; anything else is left as written.
pub fn expand_vars(path: &OsStr, env: Env<'_>) -> OsString {
    let path = path.as_bytes();
    let mut out = Vec::with_capacity(path.len());
    let mut rest = path;
    while let Some(dollar) = rest.iter().position(|&b| b == b'$') {
        out.extend_from_slice(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        // `consumed` counts the bytes after `$` that the pattern matches;
        // 0 means no match.
        let (name, consumed) = if let Some(braced) = after.strip_prefix(b"{") {
            match braced.iter().position(|&b| b == b'}') {
                Some(close) => (&braced[..close], close + 2),
                None => (&b""[..], 0),
            }
        } else {
            let len = after
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_')
                .count();
            (&after[..len], len)
        };
        if consumed == 0 {
            out.push(b'$');
            rest = after;
            continue;
        }
        // An unset name leaves the whole match as written (Python skips it).
        // A name that is not UTF-8 can only be a braced one; no variable
        // awsp can look up has such a name.
        let value = std::str::from_utf8(name)
            .ok()
            .filter(|n| !n.is_empty())
            .and_then(env);
        match value {
            Some(value) => out.extend_from_slice(value.as_bytes()),
            None => {
                out.push(b'$');
                out.extend_from_slice(&after[..consumed]);
            }
        }
        rest = &after[consumed..];
    }
    out.extend_from_slice(rest);
    OsString::from_vec(out)
}

/// Python's `os.path.expanduser` for `~` and `~/...` (`~user` is left as
/// is): HOME with its trailing slashes stripped, then the rest; `/` if that
/// is empty. With no home at all the path is left as written, as Python does.
pub fn expand_user(path: &OsStr, home: Option<&OsStr>) -> PathBuf {
    let bytes = path.as_bytes();
    let (Some(rest), Some(home)) = (bytes.strip_prefix(b"~"), home) else {
        return PathBuf::from(path);
    };
    if !(rest.is_empty() || rest.starts_with(b"/")) {
        return PathBuf::from(path);
    }
    let home = home.as_bytes();
    let trimmed = &home[..home.len() - home.iter().rev().take_while(|&&b| b == b'/').count()];
    let joined = [trimmed, rest].concat();
    if joined.is_empty() {
        PathBuf::from("/")
    } else {
        PathBuf::from(OsString::from_vec(joined))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static [u8])]) -> impl Fn(&str) -> Option<OsString> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| OsString::from_vec(v.to_vec()))
        }
    }

    fn bytes(p: &Path) -> &[u8] {
        p.as_os_str().as_bytes()
    }

    #[test]
    fn defaults_under_home() {
        let p = AwsPaths::from_env(&env(&[("HOME", b"/h")]));
        assert_eq!(p.config, PathBuf::from("/h/.aws/config"));
        assert_eq!(p.credentials, PathBuf::from("/h/.aws/credentials"));
        assert_eq!(p.sso_cache, PathBuf::from("/h/.aws/sso/cache"));
        assert_eq!(p.cli_cache, PathBuf::from("/h/.aws/cli/cache"));
    }

    #[test]
    fn env_overrides_expand_vars_then_user() {
        let e = env(&[
            ("HOME", b"/h/"),
            ("AWS_CONFIG_FILE", b"~/x/$D/${D}/$NOPE/${}/${N$D}"),
            ("D", b"d"),
            ("AWS_SHARED_CREDENTIALS_FILE", b""),
        ]);
        let p = AwsPaths::from_env(&e);
        assert_eq!(p.config, PathBuf::from("/h/x/d/d/$NOPE/${}/${N$D}"));
        assert_eq!(p.credentials, PathBuf::from(""));
    }

    /// Bytes that are not UTF-8 in HOME, in the variables and in the values
    /// they expand to all come out unchanged (no U+FFFD).
    #[test]
    fn non_utf8_bytes_are_kept() {
        let e = env(&[
            ("HOME", b"/h\xff//"),
            ("AWS_CONFIG_FILE", b"~/c\xfe/$D/${\xff}"),
            ("D", b"\xfd"),
            ("AWS_SHARED_CREDENTIALS_FILE", b"/abs/\xff"),
        ]);
        let p = AwsPaths::from_env(&e);
        assert_eq!(bytes(&p.config), b"/h\xff/c\xfe/\xfd/${\xff}");
        assert_eq!(bytes(&p.credentials), b"/abs/\xff");
        assert_eq!(bytes(&p.sso_cache), b"/h\xff/.aws/sso/cache");
        assert_eq!(bytes(&p.cli_cache), b"/h\xff/.aws/cli/cache");
    }

    /// Python's expanduser: an empty or `/` HOME still counts.
    #[test]
    fn empty_or_root_home_is_used_as_python_uses_it() {
        for home in [&b""[..], b"/", b"//"] {
            let p = AwsPaths::from_env(&|k: &str| {
                (k == "HOME").then(|| OsString::from_vec(home.to_vec()))
            });
            assert_eq!(p.config, PathBuf::from("/.aws/config"), "{home:?}");
        }
    }

    #[test]
    fn expand_user_only_tilde() {
        let h = Some(OsStr::new("/home/u"));
        assert_eq!(expand_user(OsStr::new("~"), h), PathBuf::from("/home/u"));
        assert_eq!(
            expand_user(OsStr::new("~root/x"), h),
            PathBuf::from("~root/x")
        );
        assert_eq!(expand_user(OsStr::new("a/~"), h), PathBuf::from("a/~"));
        assert_eq!(
            expand_user(OsStr::new("~"), Some(OsStr::new(""))),
            PathBuf::from("/")
        );
        assert_eq!(expand_user(OsStr::new("~/x"), None), PathBuf::from("~/x"));
    }

    #[test]
    fn unusable_variable_names_are_unset() {
        assert_eq!(env_var(""), None);
        assert_eq!(env_var("A=B"), None);
        assert_eq!(env_var("A\0B"), None);
    }
}

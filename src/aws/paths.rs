//! Where the AWS files are, resolved the way botocore resolves them.

use std::path::PathBuf;

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
    pub fn from_env(env: &dyn Fn(&str) -> Option<String>) -> AwsPaths {
        let home = env("HOME")
            .filter(|h| !h.is_empty())
            .map(PathBuf::from)
            .or_else(dirs::home_dir)
            .unwrap_or_else(|| PathBuf::from("/"));
        let file = |var: &str, default: &str| -> PathBuf {
            // A variable set to "" still counts: botocore then finds no file.
            match env(var) {
                Some(value) => PathBuf::from(expand_user(&expand_vars(&value, env), &home)),
                None => home.join(".aws").join(default),
            }
        };
        AwsPaths {
            config: file("AWS_CONFIG_FILE", "config"),
            credentials: file("AWS_SHARED_CREDENTIALS_FILE", "credentials"),
            sso_cache: home.join(".aws").join("sso").join("cache"),
            cli_cache: home.join(".aws").join("cli").join("cache"),
        }
    }

    /// The paths of an AWS home laid out at `home` (the demo, tests).
    pub fn under_home(home: &std::path::Path) -> AwsPaths {
        AwsPaths {
            config: home.join(".aws/config"),
            credentials: home.join(".aws/credentials"),
            sso_cache: home.join(".aws/sso/cache"),
            cli_cache: home.join(".aws/cli/cache"),
        }
    }

    /// Resolves from the real process environment.
    pub fn from_process_env() -> AwsPaths {
        AwsPaths::from_env(&|k| std::env::var_os(k).map(|v| v.to_string_lossy().into_owned()))
    }
}

/// Python's `os.path.expandvars`: `$NAME` and `${NAME}` (NAME of ASCII word
/// characters) are replaced when set; anything else is left as written.
pub fn expand_vars(path: &str, env: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        // `consumed` counts the bytes after `$` that the pattern
        // `\$(\w+|\{[^}]*\})` matches; 0 means no match.
        let (name, consumed) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(close) => (&braced[..close], close + 2),
                None => ("", 0),
            }
        } else {
            let len = after
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            (&after[..len], len)
        };
        if consumed == 0 {
            out.push('$');
            rest = after;
            continue;
        }
        // An unset name leaves the whole match as written (Python skips it).
        match env(name).filter(|_| !name.is_empty()) {
            Some(value) => out.push_str(&value),
            None => {
                out.push('$');
                out.push_str(&after[..consumed]);
            }
        }
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}

/// Python's `os.path.expanduser` for `~` and `~/...` (`~user` is left as is).
pub fn expand_user(path: &str, home: &std::path::Path) -> String {
    let Some(rest) = path.strip_prefix('~') else {
        return path.to_string();
    };
    if !(rest.is_empty() || rest.starts_with('/')) {
        return path.to_string();
    }
    let home = home.to_string_lossy();
    let home = home.trim_end_matches('/');
    let joined = format!("{home}{rest}");
    if joined.is_empty() {
        "/".into()
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |k| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn defaults_under_home() {
        let p = AwsPaths::from_env(&env(&[("HOME", "/h")]));
        assert_eq!(p.config, PathBuf::from("/h/.aws/config"));
        assert_eq!(p.credentials, PathBuf::from("/h/.aws/credentials"));
        assert_eq!(p.sso_cache, PathBuf::from("/h/.aws/sso/cache"));
        assert_eq!(p.cli_cache, PathBuf::from("/h/.aws/cli/cache"));
    }

    #[test]
    fn env_overrides_expand_vars_then_user() {
        let e = env(&[
            ("HOME", "/h/"),
            ("AWS_CONFIG_FILE", "~/x/$D/${D}/$NOPE/${}/${N$D}"),
            ("D", "d"),
            ("AWS_SHARED_CREDENTIALS_FILE", ""),
        ]);
        let p = AwsPaths::from_env(&e);
        assert_eq!(p.config, PathBuf::from("/h/x/d/d/$NOPE/${}/${N$D}"));
        assert_eq!(p.credentials, PathBuf::from(""));
    }

    #[test]
    fn expand_user_only_tilde() {
        let h = std::path::Path::new("/home/u");
        assert_eq!(expand_user("~", h), "/home/u");
        assert_eq!(expand_user("~root/x", h), "~root/x");
        assert_eq!(expand_user("a/~", h), "a/~");
    }
}

//! `awsp clean` on a matrix home holding every stale case and every keep
//! case: exactly the stale files go, every other byte stays.

use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{
    client_registration, from_now, refreshable_sso_token, role_credentials, sso_token, text,
    without_terminal, TestHome, CLIENT_SECRET, REFRESH_TOKEN,
};
use awsp::aws::cache::cache_file_name;
use awsp::aws::clean::{self, RemoveResult};
use awsp::aws::paths::AwsPaths;
use awsp::aws::snapshot::Snapshot;
use chrono::{Duration, Utc};
use sha1::{Digest, Sha1};

const CONFIG: &str = "\
[sso-session acme]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1

[sso-session beta]
sso_start_url = https://beta.awsapps.com/start
sso_region = eu-west-1

# Sessions whose token files hold refresh tokens: owned, so today's rules.
[sso-session reg-passed]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1

[sso-session no-refresh-token]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1

[sso-session no-client-secret]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1

[sso-session no-registration-expiry]
sso_start_url = https://acme.awsapps.com/start
sso_region = us-east-1

[profile prod-read]
sso_session = acme
sso_account_id = 111111111111
sso_role_name = ReadOnly

[profile legacy]
sso_start_url = https://legacy.awsapps.com/start
sso_region = us-east-1
sso_account_id = 222222222222
sso_role_name = Billing
";

/// The matrix home, and which entries (relative to `~/.aws`) must go.
struct Matrix {
    h: TestHome,
    stale: BTreeSet<String>,
    kept: BTreeSet<String>,
    /// A stale-looking file outside the cache folders, the symlinks' target.
    outside: PathBuf,
}

impl Matrix {
    fn build() -> Matrix {
        let now = Utc::now();
        let h = TestHome::new();
        h.aws_dir("sso/cache");
        h.aws_dir("cli/cache");
        h.write_config(CONFIG);
        let aws = h.aws();
        let past = from_now(now, -Duration::days(3));
        let long_past = from_now(now, -Duration::days(40));
        let future = from_now(now, Duration::hours(6));
        let far = from_now(now, Duration::days(60));
        let prod_read_creds = cache_file_name(
            r#"{"accountId":"111111111111","roleName":"ReadOnly","sessionName":"acme"}"#,
        );
        // Expired tokens that cannot be refreshed but hold a refresh token
        // or a registration: stale for a configured session, kept for
        // anyone else (another tool renews them its own way).
        let renewing: [(&str, String); 4] = [
            ("reg-passed", refreshable_sso_token(&past, &long_past)),
            (
                "no-refresh-token",
                refreshable_sso_token(&past, &far)
                    .replace(&format!(r#", "refreshToken": "{REFRESH_TOKEN}""#), ""),
            ),
            (
                "no-client-secret",
                refreshable_sso_token(&past, &far)
                    .replace(&format!(r#""clientSecret": "{CLIENT_SECRET}", "#), ""),
            ),
            (
                "no-registration-expiry",
                refreshable_sso_token(&past, &far)
                    .replace(&format!(r#""registrationExpiresAt": "{far}", "#), ""),
            ),
        ];
        let stale: Vec<(&str, String, String)> = vec![
            // sso/cache: expired tokens that cannot be refreshed.
            ("sso/cache", cache_file_name("acme"), sso_token(&past)),
            (
                "sso/cache",
                cache_file_name("https://legacy.awsapps.com/start"),
                sso_token(&past),
            ),
            (
                "sso/cache",
                cache_file_name("reg-passed"),
                renewing[0].1.clone(),
            ),
            (
                "sso/cache",
                cache_file_name("no-refresh-token"),
                renewing[1].1.clone(),
            ),
            (
                "sso/cache",
                cache_file_name("no-client-secret"),
                renewing[2].1.clone(),
            ),
            (
                "sso/cache",
                cache_file_name("no-registration-expiry"),
                renewing[3].1.clone(),
            ),
            (
                "sso/cache",
                "legacy-utc.json".into(),
                sso_token(&past.replace('Z', "UTC")),
            ),
            // Expired client registrations.
            (
                "sso/cache",
                "botocore-client-id-us-east-1.json".into(),
                client_registration(&long_past),
            ),
            (
                "sso/cache",
                "aws-toolkit-client-id.json".into(),
                client_registration(&past),
            ),
            // cli/cache: expired role credentials.
            (
                "cli/cache",
                prod_read_creds.clone(),
                role_credentials(&past),
            ),
            (
                "cli/cache",
                "assume-role-utc.json".into(),
                role_credentials(&past.replace('Z', "UTC")),
            ),
            (
                "cli/cache",
                "unowned.json".into(),
                role_credentials(&long_past),
            ),
            (
                "cli/cache",
                "read-only-stale.json".into(),
                role_credentials(&past),
            ),
        ];
        let mut kept: Vec<(&str, String, String)> = vec![
            ("sso/cache", cache_file_name("beta"), sso_token(&future)),
            (
                "sso/cache",
                "refreshable.json".into(),
                refreshable_sso_token(&past, &far),
            ),
            (
                "sso/cache",
                "bad-registration-time.json".into(),
                refreshable_sso_token(&past, "someday"),
            ),
            (
                "sso/cache",
                "naive.json".into(),
                sso_token(&past.replace('Z', "")),
            ),
            (
                "sso/cache",
                "unknown-zone.json".into(),
                sso_token(&past.replace('Z', " PST")),
            ),
            (
                "sso/cache",
                "number-time.json".into(),
                r#"{"accessToken": "t", "expiresAt": 5}"#.into(),
            ),
            (
                "sso/cache",
                "no-expiry.json".into(),
                r#"{"accessToken": "t"}"#.into(),
            ),
            (
                "sso/cache",
                "half-written.json".into(),
                sso_token(&past)[..40].to_string(),
            ),
            ("sso/cache", "empty.json".into(), String::new()),
            (
                "sso/cache",
                "bom.json".into(),
                format!("\u{feff}{}", sso_token(&past)),
            ),
            (
                "sso/cache",
                "list.json".into(),
                r#"["accessToken", "expiresAt"]"#.into(),
            ),
            (
                "sso/cache",
                "valid-registration.json".into(),
                client_registration(&far),
            ),
            ("sso/cache", "notes.txt".into(), sso_token(&past)),
            ("sso/cache", "stale-token.json.bak".into(), sso_token(&past)),
            (
                "sso/cache",
                "read-only-valid.json".into(),
                sso_token(&future),
            ),
            ("cli/cache", "valid.json".into(), role_credentials(&far)),
            // Inside botocore's 15-minute window, but not yet passed.
            (
                "cli/cache",
                "nearly.json".into(),
                role_credentials(&from_now(now, Duration::minutes(10))),
            ),
            (
                "cli/cache",
                "naive.json".into(),
                role_credentials(&past.replace('Z', "")),
            ),
            (
                "cli/cache",
                "no-expiration.json".into(),
                r#"{"Credentials": {"AccessKeyId": "A"}}"#.into(),
            ),
            (
                "cli/cache",
                "half-written.json".into(),
                role_credentials(&past)[..30].to_string(),
            ),
            // A token is not credentials.
            ("cli/cache", "token-here.json".into(), sso_token(&past)),
        ];
        for (name, body) in &renewing {
            kept.push(("sso/cache", format!("other-{name}.json"), body.clone()));
        }
        let mut m = Matrix {
            outside: h.root().join("outside-stale.json"),
            h,
            stale: BTreeSet::new(),
            kept: BTreeSet::new(),
        };
        for (folder, name, body) in &stale {
            std::fs::write(aws.join(folder).join(name), body).unwrap();
            m.stale.insert(format!("{folder}/{name}"));
        }
        for (folder, name, body) in &kept {
            std::fs::write(aws.join(folder).join(name), body).unwrap();
            m.kept.insert(format!("{folder}/{name}"));
        }
        for name in [
            "sso/cache/read-only-valid.json",
            "cli/cache/read-only-stale.json",
        ] {
            std::fs::set_permissions(aws.join(name), std::fs::Permissions::from_mode(0o444))
                .unwrap();
        }
        // Symlinks, to a stale file outside and to nothing: kept, target untouched.
        std::fs::write(&m.outside, sso_token(&past)).unwrap();
        for folder in ["sso/cache", "cli/cache"] {
            std::os::unix::fs::symlink(&m.outside, aws.join(folder).join("link.json")).unwrap();
            std::os::unix::fs::symlink(
                "/nonexistent/x.json",
                aws.join(folder).join("dangling.json"),
            )
            .unwrap();
            m.kept.insert(format!("{folder}/link.json"));
            m.kept.insert(format!("{folder}/dangling.json"));
            // A folder named like a cache file, holding a stale token.
            let x = aws.join(folder).join("x.json");
            std::fs::create_dir(&x).unwrap();
            std::fs::write(x.join("inner.json"), sso_token(&past)).unwrap();
            m.kept.insert(format!("{folder}/x.json"));
            // A named pipe: never opened (that would block), kept.
            let fifo = std::ffi::CString::new(
                aws.join(folder)
                    .join("pipe.json")
                    .into_os_string()
                    .into_encoded_bytes(),
            )
            .unwrap();
            // SAFETY: mkfifo on a NUL-terminated path we own.
            assert_eq!(unsafe { libc::mkfifo(fifo.as_ptr(), 0o644) }, 0);
            m.kept.insert(format!("{folder}/pipe.json"));
        }
        m
    }

    /// awsp without a terminal: nothing can be asked.
    fn awsp(&self, args: &[&str]) -> Command {
        let mut cmd = self.h.awsp();
        cmd.env("PATH", "/usr/bin:/bin")
            .env("AWS_CONFIG_FILE", self.h.aws().join("config"))
            .args(args);
        without_terminal(&mut cmd);
        cmd
    }

    fn snapshot(&self) -> Snapshot {
        let mut paths = AwsPaths::under_home(self.h.path());
        paths.credentials = self.h.root().join("no-credentials");
        Snapshot::load(&paths).unwrap()
    }
}

/// Every entry under `root`, links not followed: kind and content hash.
fn tree(root: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let meta = std::fs::symlink_metadata(&path).unwrap();
            let rel = path.strip_prefix(root).unwrap().to_path_buf();
            let value = if meta.file_type().is_symlink() {
                format!("link -> {}", std::fs::read_link(&path).unwrap().display())
            } else if meta.is_dir() {
                stack.push(path.clone());
                "dir".into()
            } else if meta.is_file() {
                let bytes = std::fs::read(&path).unwrap();
                format!(
                    "file {:o} {}",
                    meta.permissions().mode(),
                    hex::encode(Sha1::digest(&bytes))
                )
            } else {
                "other".into()
            };
            out.insert(rel, value);
        }
    }
    out
}

/// The file column of the lines starting with `word`.
fn listed(out: &Output, word: &str) -> BTreeSet<String> {
    text(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix(word))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(|s| s.trim_end_matches(':').to_string())
        .collect()
}

#[test]
fn dry_run_lists_exactly_the_stale_files_and_removes_nothing() {
    let m = Matrix::build();
    let before = tree(m.h.root());
    let out = m.awsp(&["clean", "--dry-run"]).output().unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(listed(&out, "stale "), m.stale, "{stdout}");
    assert_eq!(listed(&out, "keep "), m.kept, "{stdout}");
    assert!(
        stdout.contains(&format!("{} stale, {} kept", m.stale.len(), m.kept.len())),
        "{stdout}"
    );
    // Owners and ages.
    let line = |name: &str| {
        stdout
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not listed"))
            .to_string()
    };
    assert!(line(&cache_file_name("acme")).contains("sso-session acme"));
    assert!(line(&cache_file_name("acme")).contains("expired 3d ago"));
    assert!(line(&cache_file_name("beta")).contains("sso-session beta"));
    assert!(line(&cache_file_name("https://legacy.awsapps.com/start"))
        .contains("legacy start URL https://legacy.awsapps.com/start (profile legacy)"));
    assert!(line("unowned.json").contains("no configured profile"));
    assert!(line("cli/cache/half-written.json").contains("not JSON: may be half-written"));
    assert!(line("sso/cache/link.json").contains("symbolic link"));
    assert!(line("refreshable.json").contains("refreshable for"));
    let creds = cache_file_name(
        r#"{"accountId":"111111111111","roleName":"ReadOnly","sessionName":"acme"}"#,
    );
    assert!(line(&creds).contains("profile prod-read"));
    assert_eq!(tree(m.h.root()), before, "a dry run changes nothing");
}

#[test]
fn yes_removes_exactly_the_stale_files() {
    let m = Matrix::build();
    let before = tree(m.h.root());
    let outside_before = std::fs::read(&m.outside).unwrap();
    let out = m.awsp(&["clean", "--yes"]).output().unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert_eq!(listed(&out, "removed "), m.stale, "{stdout}");
    assert!(
        stdout.contains(&format!(
            "Removed {}, kept {}, failed 0.",
            m.stale.len(),
            m.kept.len()
        )),
        "{stdout}"
    );
    let mut expected = before.clone();
    for rel in &m.stale {
        assert!(!m.h.aws().join(rel).exists(), "{rel} is still there");
        expected
            .remove(&Path::new("home/.aws").join(rel))
            .unwrap_or_else(|| panic!("{rel} was not in the tree"));
    }
    assert_eq!(tree(m.h.root()), expected, "every other byte stays");
    assert_eq!(std::fs::read(&m.outside).unwrap(), outside_before);

    // A second run finds nothing stale.
    let again = m.awsp(&["clean", "--yes"]).output().unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert!(
        text(&again.stdout).contains("Nothing stale"),
        "{}",
        text(&again.stdout)
    );
    assert_eq!(tree(m.h.root()), expected);
}

#[test]
fn without_a_terminal_or_yes_nothing_is_removed() {
    let m = Matrix::build();
    let before = tree(m.h.root());
    let out = m.awsp(&["clean"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("--yes") && err.contains("--dry-run"), "{err}");
    assert_eq!(tree(m.h.root()), before);
}

#[test]
fn nothing_stale_says_so() {
    let out = TestHome::new()
        .awsp()
        .args(["clean", "--yes"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("Nothing stale"));
}

/// Each file is re-checked just before removal: one that vanished, changed,
/// became valid or was swapped for a symlink is skipped; the others go.
#[test]
fn files_changed_between_scan_and_remove_are_skipped() {
    let m = Matrix::build();
    let now = Utc::now();
    let plan = clean::scan(&m.snapshot(), now);
    let stale: BTreeSet<String> = plan
        .stale()
        .map(|v| format!("{}/{}", v.folder.display(), v.name))
        .collect();
    assert_eq!(stale, m.stale);
    let aws = m.h.aws();
    let gone = cache_file_name("reg-passed");
    std::fs::remove_file(aws.join("sso/cache").join(&gone)).unwrap();
    // Still stale, other bytes (a running aws rewrote it).
    m.h.write_aws(
        "cli/cache/unowned.json",
        role_credentials(&from_now(now, -Duration::days(1))),
    );
    // Logged in meanwhile.
    m.h.write_sso_token("acme", &sso_token(&from_now(now, Duration::hours(8))));
    let swapped = aws.join("sso/cache/legacy-utc.json");
    std::fs::remove_file(&swapped).unwrap();
    std::os::unix::fs::symlink(&m.outside, &swapped).unwrap();

    let outcomes = clean::remove(&plan, now);
    let result = |name: &str| {
        outcomes
            .iter()
            .find(|o| o.name == name)
            .map(|o| o.result.clone())
            .unwrap()
    };
    assert!(
        matches!(result(&gone), RemoveResult::Skipped { reason } if reason.to_string() == "already gone")
    );
    assert!(
        matches!(result("unowned.json"), RemoveResult::Skipped { reason } if reason.to_string().contains("changed"))
    );
    assert!(
        matches!(result(&cache_file_name("acme")), RemoveResult::Skipped { reason } if reason.to_string().contains("no longer stale"))
    );
    assert!(
        matches!(result("legacy-utc.json"), RemoveResult::Skipped { reason } if reason.to_string().contains("symbolic link"))
    );
    assert!(swapped.is_symlink() && m.outside.exists());
    let removed = outcomes
        .iter()
        .filter(|o| o.result == RemoveResult::Removed)
        .count();
    assert_eq!(removed, m.stale.len() - 4);
    assert!(aws
        .join(format!("sso/cache/{}", cache_file_name("acme")))
        .exists());
}

/// A permission error on one file is reported and the others proceed:
/// `cli/cache` is made unwritable, so its stale files cannot be unlinked.
/// Root ignores permissions, so as root awsp is run as `nobody` (setpriv).
#[test]
fn permission_errors_are_reported_and_others_proceed() {
    let m = Matrix::build();
    let cli = m.h.aws().join("cli/cache");
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let mut cmd = if root {
        let setpriv = Path::new("/usr/bin/setpriv");
        if !setpriv.exists() {
            crate::common::skip("running as root without /usr/bin/setpriv to drop privileges");
            return;
        }
        std::fs::set_permissions(m.h.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
        chown_tree(m.h.path(), 65534);
        // The folder stays root's: nobody cannot remove entries from it.
        chown(&cli, 0);
        let cmd = m.awsp(&[]);
        let awsp = cmd.get_program().to_owned();
        let mut wrapped = Command::new(setpriv);
        wrapped
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(awsp)
            .args(["clean", "--yes"])
            .env_clear()
            .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))));
        wrapped
    } else {
        m.awsp(&["clean", "--yes"])
    };
    std::fs::set_permissions(&cli, std::fs::Permissions::from_mode(0o555)).unwrap();
    let out = cmd.output().unwrap();
    std::fs::set_permissions(&cli, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout}{}", text(&out.stderr));
    let in_folder = |f: &str| -> BTreeSet<String> {
        m.stale
            .iter()
            .filter(|s| s.starts_with(f))
            .cloned()
            .collect()
    };
    assert_eq!(listed(&out, "failed "), in_folder("cli/cache/"), "{stdout}");
    assert_eq!(
        listed(&out, "removed "),
        in_folder("sso/cache/"),
        "{stdout}"
    );
    assert!(
        stdout.contains("failed   cli/cache/unowned.json: Permission denied"),
        "{stdout}"
    );
    for rel in in_folder("cli/cache/") {
        assert!(m.h.aws().join(rel).exists());
    }
}

fn chown(path: &Path, id: u32) {
    std::os::unix::fs::lchown(path, Some(id), Some(id)).unwrap();
}

fn chown_tree(root: &Path, id: u32) {
    chown(root, id);
    let meta = std::fs::symlink_metadata(root).unwrap();
    if meta.is_dir() {
        for entry in std::fs::read_dir(root).unwrap() {
            chown_tree(&entry.unwrap().path(), id);
        }
    }
}

// ---- issue 10: other tools' tokens, races, links above, absurd sizes ----

/// A home with the matrix config, both cache folders, and nothing in them.
fn bare_home() -> TestHome {
    let h = TestHome::new();
    h.aws_dir("sso/cache");
    h.aws_dir("cli/cache");
    h.write_config(CONFIG);
    h
}

/// awsp in `h` without a terminal.
fn awsp_in(h: &TestHome, args: &[&str]) -> Output {
    let mut cmd = h.awsp();
    cmd.env("PATH", "/usr/bin:/bin").args(args);
    without_terminal(&mut cmd);
    cmd.output().unwrap()
}

fn snapshot_of(h: &TestHome) -> Snapshot {
    let mut paths = AwsPaths::under_home(h.path());
    paths.credentials = h.root().join("no-credentials");
    Snapshot::load(&paths).unwrap()
}

/// The AWS Toolkit, Amazon Q and Kiro renew their hourly access tokens from
/// a refresh token: expired on disk nearly always, yet still in use.
#[test]
fn other_tools_refreshable_tokens_are_kept() {
    let now = Utc::now();
    let h = bare_home();
    let past = from_now(now, -Duration::minutes(20));
    let far = from_now(now, Duration::days(60));
    let long_past = from_now(now, -Duration::days(40));
    let kiro = format!(
        r#"{{"accessToken": "a", "refreshToken": "{REFRESH_TOKEN}", "expiresAt": "{past}", "region": "us-east-1"}}"#
    );
    let toolkit = cache_file_name("https://other.awsapps.com/start");
    let own_registration = refreshable_sso_token(&past, &far)
        .replace(&format!(r#", "refreshToken": "{REFRESH_TOKEN}""#), "");
    h.write_aws("sso/cache/kiro-auth-token.json", &kiro);
    h.write_aws(
        format!("sso/cache/{toolkit}"),
        refreshable_sso_token(&past, &long_past),
    );
    h.write_aws("sso/cache/q-token.json", &own_registration);
    // The configured session's expired token keeps today's rule: stale.
    h.write_sso_token("acme", &sso_token(&past));
    let others = [
        "sso/cache/kiro-auth-token.json".to_string(),
        format!("sso/cache/{toolkit}"),
        "sso/cache/q-token.json".to_string(),
    ];

    let dry = awsp_in(&h, &["clean", "--dry-run"]);
    let stdout = text(&dry.stdout);
    assert_eq!(
        listed(&dry, "stale "),
        BTreeSet::from([format!("sso/cache/{}", cache_file_name("acme"))]),
        "{stdout}"
    );
    for rel in &others {
        let line = stdout
            .lines()
            .find(|l| l.starts_with("keep") && l.contains(rel.as_str()))
            .unwrap_or_else(|| panic!("{rel} not kept:\n{stdout}"));
        assert!(line.contains("another tool's refreshable token"), "{line}");
    }

    let doctor = awsp_in(&h, &["doctor"]);
    let report = text(&doctor.stdout);
    assert!(report.contains("1 expired cache file"), "{report}");

    let yes = awsp_in(&h, &["clean", "--yes"]);
    assert_eq!(yes.status.code(), Some(0), "{}", text(&yes.stdout));
    for rel in &others {
        assert!(h.aws().join(rel).exists(), "{rel} removed");
    }
    assert!(!h
        .aws()
        .join(format!("sso/cache/{}", cache_file_name("acme")))
        .exists());
}

/// The one stale file of a home: acme's expired token.
fn race_home(now: chrono::DateTime<Utc>) -> (TestHome, PathBuf) {
    let h = bare_home();
    h.write_sso_token("acme", &sso_token(&from_now(now, -Duration::days(2))));
    let path = h
        .aws()
        .join(format!("sso/cache/{}", cache_file_name("acme")));
    (h, path)
}

fn only_outcome(outcomes: &[clean::RemoveOutcome]) -> RemoveResult {
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");
    outcomes[0].result.clone()
}

/// Entries of a folder whose name awsp uses while removing.
fn private_leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".awsp-"))
        .collect()
}

/// `aws sso login` that opened the file before awsp moved it away writes
/// the fresh token into the file awsp is about to unlink: put back.
#[test]
fn a_file_rewritten_while_being_removed_is_put_back() {
    let now = Utc::now();
    let (h, path) = race_home(now);
    let fresh = sso_token(&from_now(now, Duration::hours(8)));
    let plan = clean::scan(&snapshot_of(&h), now);
    assert_eq!(plan.stale_count(), 1);
    let outcomes = clean::remove_with(&plan, now, &mut |about_to_go: &Path| {
        std::fs::write(about_to_go, &fresh).unwrap();
    });
    let result = only_outcome(&outcomes);
    assert!(
        matches!(&result, RemoveResult::Skipped { reason } if reason.to_string().contains("rewritten")),
        "{result:?}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fresh);
    assert!(private_leftovers(path.parent().unwrap()).is_empty());
}

/// `aws sso login` that wrote a new file under the name while awsp was
/// removing the old one: the new file stays, the old one goes.
#[test]
fn a_new_file_under_the_name_while_removing_stays() {
    let now = Utc::now();
    let (h, path) = race_home(now);
    let fresh = sso_token(&from_now(now, Duration::hours(8)));
    let plan = clean::scan(&snapshot_of(&h), now);
    let outcomes = clean::remove_with(&plan, now, &mut |_: &Path| {
        std::fs::write(&path, &fresh).unwrap();
    });
    assert_eq!(only_outcome(&outcomes), RemoveResult::Removed);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fresh);
    assert!(private_leftovers(path.parent().unwrap()).is_empty());
}

/// Both at once: the moved file was rewritten and a newer one took the
/// name. Neither is lost: the moved one stays under its private name.
#[test]
fn a_rewritten_file_whose_name_was_taken_is_kept_aside() {
    let now = Utc::now();
    let (h, path) = race_home(now);
    let fresh = sso_token(&from_now(now, Duration::hours(8)));
    let fresher = sso_token(&from_now(now, Duration::hours(9)));
    let plan = clean::scan(&snapshot_of(&h), now);
    let outcomes = clean::remove_with(&plan, now, &mut |about_to_go: &Path| {
        std::fs::write(about_to_go, &fresh).unwrap();
        std::fs::write(&path, &fresher).unwrap();
    });
    let result = only_outcome(&outcomes);
    let left = private_leftovers(path.parent().unwrap());
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(
        matches!(&result, RemoveResult::Skipped { reason } if reason.to_string().contains(&left[0])),
        "{result:?}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), fresher);
    let aside = path.parent().unwrap().join(&left[0]);
    assert_eq!(std::fs::read_to_string(aside).unwrap(), fresh);
    // The next clean keeps it too, and says why.
    let again = clean::scan(&snapshot_of(&h), now);
    let verdict = again.verdicts.iter().find(|v| v.name == left[0]).unwrap();
    assert!(
        matches!(&verdict.decision, clean::Decision::Keep { reason } if reason.to_string().contains("set aside")),
        "{verdict:?}"
    );
}

/// A symbolic link anywhere from `~/.aws` down to the cache folder: nothing
/// reached through it is removed, and the note names the link.
#[test]
fn nothing_reached_through_a_linked_folder_is_removed() {
    let now = Utc::now();
    let past = from_now(now, -Duration::days(3));
    for link in [".aws", ".aws/sso", ".aws/cli", ".aws/sso/cache"] {
        let h = bare_home();
        h.write_sso_token("acme", &sso_token(&past));
        h.write_aws("cli/cache/old.json", role_credentials(&past));
        let elsewhere = h.root().join("elsewhere");
        std::fs::rename(h.path().join(link), &elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, h.path().join(link)).unwrap();
        let token = h
            .aws()
            .join(format!("sso/cache/{}", cache_file_name("acme")));
        let creds = h.aws().join("cli/cache/old.json");
        assert!(token.exists() && creds.exists(), "{link}");
        let before = tree(h.root());

        let out = awsp_in(&h, &["clean", "--yes"]);
        let stdout = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{link}: {stdout}");
        let note = format!("{} is a symbolic link", h.path().join(link).display());
        assert!(stdout.contains(&note), "{link}: {stdout}");
        let through_link = |p: &Path| {
            let rel = p.strip_prefix(h.path()).unwrap();
            rel.starts_with(link)
        };
        for (file, rel) in [(&token, "sso"), (&creds, "cli")] {
            if through_link(file) {
                assert!(file.exists(), "{link}: {rel} removed through the link");
            } else {
                assert!(!file.exists(), "{link}: the {rel} folder has no link");
            }
        }
        if link == ".aws" {
            assert_eq!(tree(h.root()), before, "{link}");
        }
        let doctor = awsp_in(&h, &["doctor"]);
        assert!(text(&doctor.stdout).contains(&note), "{link}");
    }
}

/// Sparse files of 8 TiB (1 GiB where the file system refuses that).
fn absurd_file(path: &Path) {
    let file = std::fs::File::create(path).unwrap();
    if file.set_len(8 << 40).is_err() {
        file.set_len(1 << 30).unwrap();
    }
}

/// A cache file of absurd size is never read whole: clean keeps it, doctor,
/// list and list --json show it as too large. Run with a memory limit so
/// that reading one whole fails fast rather than filling the machine.
#[test]
fn an_absurdly_large_cache_file_is_kept_and_reported() {
    let h = bare_home();
    let token = h
        .aws()
        .join(format!("sso/cache/{}", cache_file_name("acme")));
    absurd_file(&token);
    absurd_file(&h.aws().join("sso/cache/huge.json"));
    absurd_file(&h.aws().join("cli/cache/huge.json"));
    let limited = |args: &[&str]| -> Output {
        let mut cmd = h.awsp();
        let awsp = cmd.get_program().to_owned();
        cmd = Command::new("/bin/sh");
        cmd.env_clear()
            .env("HOME", h.path())
            .env("PATH", "/usr/bin:/bin")
            .arg("-c")
            .arg("ulimit -v 2000000 && exec \"$@\"")
            .arg("sh")
            .arg(awsp)
            .args(args);
        without_terminal(&mut cmd);
        cmd.output().unwrap()
    };

    let removed = limited(&["clean", "--yes"]);
    let stdout = text(&removed.stdout);
    assert_eq!(
        removed.status.code(),
        Some(0),
        "{stdout}{}",
        text(&removed.stderr)
    );
    assert!(stdout.contains("Nothing stale: 3 kept"), "{stdout}");
    for args in [&["clean", "--dry-run"][..]] {
        let out = limited(args);
        let stdout = text(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{args:?}: {stdout}{}",
            text(&out.stderr)
        );
        for rel in [
            format!("sso/cache/{}", cache_file_name("acme")),
            "sso/cache/huge.json".into(),
            "cli/cache/huge.json".into(),
        ] {
            let line = stdout
                .lines()
                .find(|l| l.contains(rel.as_str()))
                .unwrap_or_else(|| panic!("{rel} not listed:\n{stdout}"));
            assert!(line.starts_with("keep"), "{line}");
            assert!(line.contains("too large to be a cache file"), "{line}");
        }
    }
    assert!(token.exists());

    let doctor = limited(&["doctor"]);
    let report = text(&doctor.stdout);
    assert!(doctor.status.code().is_some(), "doctor died: {report}");
    assert!(report.contains("too large"), "{report}");

    let list = limited(&["list"]);
    let table = text(&list.stdout);
    assert_eq!(list.status.code(), Some(0), "{table}{}", text(&list.stderr));
    let row = table
        .lines()
        .find(|l| l.contains("prod-read"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(row.contains("too large"), "{row}");

    let json = limited(&["list", "--json"]);
    assert_eq!(json.status.code(), Some(0), "{}", text(&json.stderr));
    let doc: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let prod = doc["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "prod-read")
        .unwrap();
    assert_eq!(prod["token"]["status"], "too_large", "{prod}");
}

/// A kill between awsp's write of a cache file and its rename leaves the
/// staged `.awsp-*.tmp` (role credentials, maybe): once it is ten minutes
/// old nothing can still be writing it, and clean removes it.
#[test]
fn abandoned_staged_writes_are_stale_and_fresh_ones_kept() {
    let h = bare_home();
    let cli = h.aws().join("cli/cache");
    let old = cli.join(".awsp-Old123.tmp");
    let fresh = cli.join(".awsp-New456.tmp");
    let other = cli.join(".other-tool.tmp");
    for f in [&old, &fresh, &other] {
        std::fs::write(f, r#"{"Credentials": {"SecretAccessKey": "SECRET"}}"#).unwrap();
    }
    let day_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(86_400);
    for f in [&old, &other] {
        std::fs::File::options()
            .write(true)
            .open(f)
            .unwrap()
            .set_modified(day_ago)
            .unwrap();
    }
    let out = awsp_in(&h, &["clean", "--dry-run"]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        listed(&out, "stale "),
        BTreeSet::from(["cli/cache/.awsp-Old123.tmp".to_string()]),
        "{stdout}"
    );
    let line = |name: &str| {
        stdout
            .lines()
            .find(|l| l.contains(name))
            .unwrap()
            .to_string()
    };
    assert!(
        line(".awsp-Old123.tmp").contains("awsp's unfinished write"),
        "{stdout}"
    );
    assert!(
        line(".awsp-New456.tmp").contains("may still be in progress"),
        "{stdout}"
    );
    assert!(
        line(".other-tool.tmp").contains("not a .json file"),
        "{stdout}"
    );
    assert!(!stdout.contains("SECRET"), "{stdout}");

    let out = awsp_in(&h, &["clean", "--yes"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(!old.exists(), "{}", text(&out.stdout));
    assert!(fresh.exists() && other.exists());
}

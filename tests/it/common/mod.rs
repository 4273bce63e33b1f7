//! Shared set-up for the integration tests: a throwaway HOME with AWS
//! config and cache files, awsp run in a clean environment, and a real
//! shell in tmux for end-to-end tests.
// Each test file is a crate of its own and uses only part of this.
#![allow(dead_code)]

use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use awsp::aws::cache::cache_file_name;
use awsp::aws::py::dateutil;
use chrono::{DateTime, TimeDelta, Utc};

// ---- Cache-file bodies ---------------------------------------------------

/// Stand-ins for the secrets in SSO tokens, all containing "SECRET": a test
/// can look for that word to catch any of them leaking into output.
pub const ACCESS_TOKEN: &str = "SECRET-ACCESS-TOKEN-DO-NOT-PRINT";
pub const REFRESH_TOKEN: &str = "SECRET-REFRESH";
pub const CLIENT_SECRET: &str = "SECRET-CLIENT";

/// `now + offset` written the way the AWS CLI writes expiry times.
pub fn from_now(now: DateTime<Utc>, offset: TimeDelta) -> String {
    dateutil::format(&(now + offset))
}

/// An SSO access token as `aws sso login` caches it in `~/.aws/sso/cache`.
pub fn sso_token(expires_at: &str) -> String {
    format!(
        r#"{{"startUrl": "https://x.awsapps.com/start", "region": "us-east-1", "accessToken": "{ACCESS_TOKEN}", "expiresAt": "{expires_at}"}}"#
    )
}

/// An SSO access token that carries the client registration and refresh
/// token the CLI needs to renew it by itself after it expires.
pub fn refreshable_sso_token(expires_at: &str, registration_expires_at: &str) -> String {
    format!(
        r#"{{"startUrl": "https://acme.awsapps.com/start", "region": "us-east-1", "accessToken": "{ACCESS_TOKEN}", "expiresAt": "{expires_at}", "clientId": "c", "clientSecret": "{CLIENT_SECRET}", "registrationExpiresAt": "{registration_expires_at}", "refreshToken": "{REFRESH_TOKEN}"}}"#
    )
}

/// A client registration (`botocore-client-id-<region>.json`) in
/// `~/.aws/sso/cache`.
pub fn client_registration(expires_at: &str) -> String {
    format!(
        r#"{{"clientId": "c", "clientSecret": "s", "expiresAt": "{expires_at}", "scopes": ["sso:account:access"]}}"#
    )
}

/// Role credentials as the CLI caches them in `~/.aws/cli/cache`.
pub fn role_credentials(expiration: &str) -> String {
    format!(
        r#"{{"ProviderType": "sso", "Credentials": {{"AccessKeyId": "ASIA", "SecretAccessKey": "s", "SessionToken": "t", "Expiration": "{expiration}"}}}}"#
    )
}

// ---- A temporary HOME ----------------------------------------------------

/// A throwaway HOME for one test, at `<temp>/home`: `<temp>` itself holds
/// what must stay outside HOME (stub programs, records). Gone on drop.
pub struct TestHome {
    dir: tempfile::TempDir,
    home: PathBuf,
}

impl TestHome {
    /// An empty HOME: not even `~/.aws` exists until something is written.
    pub fn new() -> TestHome {
        let dir = tempfile::tempdir().unwrap();
        let home = dir.path().join("home");
        std::fs::create_dir(&home).unwrap();
        TestHome { dir, home }
    }

    /// HOME itself.
    pub fn path(&self) -> &Path {
        &self.home
    }

    /// The temporary folder HOME is in.
    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `~/.aws`.
    pub fn aws(&self) -> PathBuf {
        self.home.join(".aws")
    }

    /// Creates the folder `~/.aws/<rel>`: an empty cache folder is not the
    /// same case as a missing one.
    pub fn aws_dir(&self, rel: &str) {
        std::fs::create_dir_all(self.aws().join(rel)).unwrap();
    }

    /// Writes `~/.aws/<rel>`, creating the folders it needs.
    pub fn write_aws(&self, rel: impl AsRef<Path>, body: impl AsRef<[u8]>) {
        let path = self.aws().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, body).unwrap();
    }

    pub fn write_config(&self, text: &str) {
        self.write_aws("config", text);
    }

    pub fn write_credentials(&self, text: &str) {
        self.write_aws("credentials", text);
    }

    /// Writes the cached token of `key` (an sso-session name, or a legacy
    /// profile's start URL) under the name the CLI looks it up by.
    pub fn write_sso_token(&self, key: &str, body: &str) {
        self.write_aws(Path::new("sso/cache").join(cache_file_name(key)), body);
    }

    /// The folder for stub programs: put it on PATH to have awsp run them.
    pub fn bin(&self) -> PathBuf {
        self.root().join("bin")
    }

    /// Writes `script` as the executable `bin/<name>`.
    pub fn stub(&self, name: &str, script: &str) {
        std::fs::create_dir_all(self.bin()).unwrap();
        let path = self.bin().join(name);
        std::fs::write(&path, script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }

    /// Links the test's own `tools` into `bin/`, for a PATH of `bin` alone.
    /// A tool that cannot be linked is left out.
    pub fn link_tools(&self, tools: &[&str]) {
        std::fs::create_dir_all(self.bin()).unwrap();
        for tool in tools {
            let _ = std::os::unix::fs::symlink(which(tool), self.bin().join(tool));
        }
    }

    /// awsp with this HOME and nothing else from the test's environment.
    pub fn awsp(&self) -> Command {
        let mut cmd = awsp();
        cmd.env("HOME", &self.home);
        cmd
    }
}

// ---- Running awsp --------------------------------------------------------

/// The built awsp with an empty environment: only what a test sets reaches
/// it, never the AWS_* variables or config of whoever runs the tests.
pub fn awsp() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_awsp"));
    cmd.env_clear();
    cmd
}

/// Runs `cmd` in a new session, so it has no controlling terminal: awsp
/// cannot ask anything and must act on its flags alone.
pub fn without_terminal(cmd: &mut Command) -> &mut Command {
    // SAFETY: setsid is async-signal-safe and touches no memory.
    unsafe {
        cmd.pre_exec(|| {
            libc::setsid();
            Ok(())
        });
    }
    cmd
}

/// Runs `cmd` to the end: its stdout and stderr (which must be UTF-8) and
/// its exit code.
pub fn run(cmd: &mut Command) -> (String, String, i32) {
    let out = cmd.output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

/// Output bytes as text, for assertions and their messages.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

// ---- Shells --------------------------------------------------------------

/// Whether `bin` is on the test's PATH.
pub fn have(bin: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {bin} >/dev/null"))
        .status()
        .is_ok_and(|s| s.success())
}

/// The absolute path of a program on the test's PATH.
pub fn which(bin: &str) -> PathBuf {
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {bin}"))
        .output()
        .unwrap();
    PathBuf::from(String::from_utf8_lossy(&out.stdout).trim())
}

// ---- What a test needs ----------------------------------------------------
//
// One rule for every test that needs a tool the machine may lack (a shell,
// tmux, the AWS CLI, botocore): a plain `cargo test` skips it and prints
// `SKIPPED: <test>: <why>`; with `AWSP_REQUIRE_ALL=1` (set by scripts/test,
// hence CI) the same test fails instead, so CI runs everything or nothing.

/// Skips the calling test with a printed reason, or fails it when
/// `AWSP_REQUIRE_ALL=1`. Call it, then `return`.
pub fn skip(why: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("test");
    assert!(
        std::env::var("AWSP_REQUIRE_ALL").as_deref() != Ok("1"),
        "{test}: {why} (AWSP_REQUIRE_ALL=1 makes a skip a failure; scripts/test installs every tool)"
    );
    // Written to fd 2 directly: libtest captures `eprintln!` of a passing
    // test, and a skip must be seen.
    let line = format!("SKIPPED: {test}: {why} (scripts/test installs it)\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr(), line.as_bytes());
}

/// Whether `bin` is on PATH; skips the test (see `skip`) when it is not.
pub fn require(bin: &str) -> bool {
    if have(bin) {
        return true;
    }
    skip(&format!("`{bin}` is not on PATH"));
    false
}

/// The repository's root, for the oracle scripts and fixtures.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A python that imports every module of `modules` (`$AWSP_ORACLE_PYTHON`,
/// else the repository's `.venv`); skips the test (see `skip`) when there
/// is none.
pub fn oracle_python(modules: &[&str]) -> Option<PathBuf> {
    let python = std::env::var_os("AWSP_ORACLE_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join(".venv/bin/python"));
    let imports = Command::new(&python)
        .arg("-c")
        .arg(format!("import {}", modules.join(", ")))
        .output();
    match imports {
        Ok(out) if out.status.success() => Some(python),
        _ => {
            skip(&format!(
                "{} cannot import {} (set AWSP_ORACLE_PYTHON, see tests/oracle/README.md)",
                python.display(),
                modules.join(", ")
            ));
            None
        }
    }
}

/// The AWS CLI v2 (`$AWSP_AWS_CLI`, else Debian's `/usr/bin/aws`); skips
/// the test (see `skip`) when it is missing or not version 2.
pub fn aws_cli() -> Option<PathBuf> {
    let aws = std::env::var_os("AWSP_AWS_CLI")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/usr/bin/aws"));
    let version = Command::new(&aws).arg("--version").output();
    match version {
        Ok(out) if text(&out.stdout).starts_with("aws-cli/2") => Some(aws),
        _ => {
            skip(&format!(
                "{} is not the AWS CLI v2 (set AWSP_AWS_CLI or apt-get install awscli)",
                aws.display()
            ));
            None
        }
    }
}

/// How long a shell may take to show what a test waits for.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// How often `wait_for`, `wait_closed` and `wait_for_line` look at the
/// screen (the other waits look every 30 ms).
const SLOW_POLL: Duration = Duration::from_millis(50);

/// The line that loads awsp's shell function from `$AWSP_BIN`.
pub fn init_line(shell: &str) -> String {
    match shell {
        "fish" => "\"$AWSP_BIN\" init fish | source".to_string(),
        s => format!("eval \"$(\"$AWSP_BIN\" init {s})\""),
    }
}

/// The line that sets the `READY> ` prompt `Tmux::wait_prompt` looks for.
pub fn prompt_line(shell: &str) -> &'static str {
    if shell == "fish" {
        "function fish_prompt; echo -n 'READY> '; end"
    } else {
        "PS1='READY> '"
    }
}

/// The last non-empty line of a screen, without its trailing blanks.
pub fn last_line(screen: &str) -> &str {
    screen
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim_end()
}

/// The terminal tmux runs a shell in.
pub struct Terminal<'a> {
    /// The shell's only PATH (e.g. with a stub `aws` first).
    pub path: &'a str,
    pub width: u16,
    pub term: &'a str,
    /// LANG, when the line editor must treat non-ASCII letters as text.
    pub lang: Option<&'a str>,
}

impl Default for Terminal<'_> {
    fn default() -> Self {
        Terminal {
            path: "/usr/local/bin:/usr/bin:/bin",
            width: 100,
            term: "xterm-256color",
            lang: None,
        }
    }
}

/// A real shell in a tmux server of its own: type, read the screen, wait
/// for the prompt.
pub struct Tmux {
    socket: String,
    shell: String,
    pub cwd: PathBuf,
}

impl Tmux {
    /// Starts `shell` with awsp's function loaded and the `READY> ` prompt.
    pub fn start(shell: &str, home: &Path) -> Tmux {
        Tmux::start_with_path(shell, home, Terminal::default().path)
    }

    /// Starts `shell` with only `path` as PATH (e.g. to put a stub `aws` first).
    pub fn start_with_path(shell: &str, home: &Path, path: &str) -> Tmux {
        let terminal = Terminal {
            path,
            ..Terminal::default()
        };
        let t = Tmux::launch(shell, home, &terminal);
        t.type_line(&init_line(shell));
        t.type_line(prompt_line(shell));
        t.type_line("clear");
        t.wait_prompt();
        t
    }

    /// Starts `shell` without its startup files in `home/work`, the built
    /// awsp as `$AWSP_BIN` but not loaded yet, at the shell's own prompt.
    pub fn launch(shell: &str, home: &Path, terminal: &Terminal) -> Tmux {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let socket = format!(
            "awsp-e2e-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let cwd = home.join("work");
        std::fs::create_dir_all(&cwd).unwrap();
        let flags = match shell {
            "bash" => "--norc --noprofile",
            "zsh" => "-f",
            "fish" => "--no-config",
            other => panic!("{other}"),
        };
        // By absolute path: the shell's own PATH may be a test's narrow one.
        let shell_cmd = format!("{} {flags}", which(shell).display());
        let lang = terminal
            .lang
            .map(|l| format!("LANG={l} "))
            .unwrap_or_default();
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", &terminal.width.to_string(), "-y", "30", "-c"])
            .arg(&cwd)
            .arg(format!(
                "env -i PATH={} TERM={} {lang}HOME='{}' AWSP_BIN='{}' NO_COLOR=1 {shell_cmd}",
                terminal.path,
                terminal.term,
                home.display(),
                env!("CARGO_BIN_EXE_awsp"),
            ))
            .status()
            .unwrap();
        assert!(status.success());
        Tmux {
            socket,
            shell: shell.to_string(),
            cwd,
        }
    }

    /// The shell's name, for messages.
    pub fn shell(&self) -> &str {
        &self.shell
    }

    /// A tmux command addressed to this test's server.
    fn tmux(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &self.socket]);
        cmd
    }

    /// Resizes the terminal window.
    pub fn resize(&self, width: u16, height: u16) {
        let ok = self
            .tmux()
            .args(["resize-window", "-t", "0"])
            .args(["-x", &width.to_string(), "-y", &height.to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    pub fn keys(&self, keys: &[&str]) {
        let ok = self
            .tmux()
            .args(["send-keys", "-t", "0"])
            .args(keys)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    pub fn literal(&self, text: &str) {
        let ok = self
            .tmux()
            .args(["send-keys", "-t", "0", "-l", text])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    /// Types a command once the shell shows its prompt: keys typed while a
    /// program is still reading the tty would go to that program.
    pub fn type_line(&self, line: &str) {
        self.wait_prompt();
        self.literal(line);
        self.keys(&["Enter"]);
    }

    /// Runs `line` and waits until it has finished: it is followed by a
    /// printf whose output (not its echo) is a line of its own.
    pub fn run_line(&self, line: &str) {
        static NONCE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NONCE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.type_line(&format!("{line}; printf 'DONE%s\\n' {n}"));
        let done = format!("DONE{n}");
        self.wait_until(&format!("{line:?} to finish"), |s| {
            s.lines().any(|l| l.trim_end() == done)
        });
        self.wait_prompt();
    }

    pub fn screen(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", "0"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// The cursor's column, counted from 0.
    pub fn cursor_x(&self) -> usize {
        let out = self
            .tmux()
            .args(["display-message", "-p", "-t", "0", "#{cursor_x}"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
    }

    /// Polls the screen until `done` holds, and returns that screen; fails
    /// the test after `TIMEOUT`, saying it was waiting for `what`.
    pub fn wait_until(&self, what: &str, done: impl Fn(&str) -> bool) -> String {
        self.poll(what, Duration::from_millis(30), done)
    }

    fn poll(&self, what: &str, every: Duration, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if done(&s) {
                return s;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "{}: timed out waiting for {what}; screen:\n{s}",
                self.shell
            );
            std::thread::sleep(every);
        }
    }

    /// Waits until the screen contains `needle`, and returns that screen.
    pub fn wait_for(&self, needle: &str) -> String {
        // At the pace the picker tests were written for: they check more
        // than `needle` on the screen returned, and a screen caught in the
        // middle of a redraw is likelier the more often it is read.
        self.poll(&format!("{needle:?}"), SLOW_POLL, |s| s.contains(needle))
    }

    /// Waits until the last non-empty line is an idle prompt.
    pub fn wait_prompt(&self) {
        self.wait_until("a prompt", |s| {
            let last = last_line(s);
            // Before the prompt is set, any shell prompt ends in '#', '$' or '>'.
            last.ends_with("READY>") || !s.contains("READY>") && last.ends_with(['#', '$', '>'])
        });
    }

    /// Waits until the picker has left the screen.
    pub fn wait_closed(&self) {
        self.poll("the picker to close", SLOW_POLL, |s| !s.contains(" quit"));
    }

    /// Abandons the command line and clears the screen: afterwards the
    /// screen holds nothing but an empty prompt. C-a C-k empties the line in
    /// all three shells (and closes a menu); C-c would flush keys typed
    /// right after it.
    pub fn clear(&self) {
        self.keys(&["C-a", "C-k"]);
        self.wait_until("an empty command line", |s| last_line(s) == "READY>");
        self.type_line("clear");
        self.wait_until("a cleared screen", |s| s.trim() == "READY>");
    }

    /// The last command's status and a variable, as `RC=<status><<value>>`.
    pub fn var(&self, shell: &str, name: &str) -> String {
        static NONCE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NONCE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let status = if shell == "fish" { "$status" } else { "$?" };
        // \105 is E: the typed command line itself never contains ">END".
        self.type_line(&format!(
            "printf '{n}:RC=%s<%s>\\105ND\\n' {status} \"${name}\""
        ));
        let marker = format!("{n}:RC=");
        let s = self.wait_for_line(&marker);
        self.type_line("clear");
        s
    }

    /// Waits for an output line starting with `prefix` and ending with `>END`.
    pub fn wait_for_line(&self, prefix: &str) -> String {
        let found = |screen: &str| {
            // Lines may wrap at the window's width: join the screen first.
            let joined: String = screen
                .lines()
                .map(|l| l.trim_end())
                .collect::<Vec<_>>()
                .join("\n");
            let rest = &joined[joined.rfind(prefix)? + prefix.len()..];
            let end = rest.find(">END")?;
            Some(format!("RC={}", rest[..end + 1].replace('\n', "")))
        };
        let screen = self.poll(&format!("{prefix:?}"), SLOW_POLL, |s| found(s).is_some());
        found(&screen).unwrap()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}

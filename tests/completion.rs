//! Tab completion from the `awsp init` scripts, end to end: tmux runs a real
//! bash, zsh and fish with the init script loaded (the cargo-built binary as
//! $AWSP_BIN), keys are typed, Tab is pressed, and the command line on the
//! screen is checked. Names with a space, a quote, `$`, backticks and
//! non-ASCII letters are completed and then run: the shell's AWS_PROFILE must
//! be the exact name and nothing in the name may have run. Needs tmux, bash,
//! zsh and fish; a missing one fails the test unless AWSP_SKIP_MISSING_SHELLS=1.

mod common;

use common::require;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(10);
const SPACE_QUOTE: &str = "team a's box";
const DOLLAR: &str = "cost$HOME";
const BACKTICK: &str = "run`touch PWNED`";
const UNICODE: &str = "ünï";

/// A temporary HOME whose config holds ordinary and awkward profile names.
fn home() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let aws = dir.path().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    let mut config = String::new();
    for name in ["prod-admin", "prod-read", "dev-admin"] {
        config.push_str(&format!("[profile {name}]\nregion = us-east-1\n\n"));
    }
    for name in [SPACE_QUOTE, DOLLAR, BACKTICK, UNICODE] {
        config.push_str(&format!("[profile \"{name}\"]\nregion = eu-west-1\n\n"));
    }
    std::fs::write(aws.join("config"), config).unwrap();
    // The names must reach the shells as written here.
    let out = Command::new(env!("CARGO_BIN_EXE_awsp"))
        .args(["list", "--names"])
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let names = String::from_utf8(out.stdout).unwrap();
    for name in [SPACE_QUOTE, DOLLAR, BACKTICK, UNICODE] {
        assert!(
            names.lines().any(|l| l == name),
            "awsp list --names lacks {name:?}:\n{names}"
        );
    }
    dir
}

struct Tmux {
    socket: String,
    shell: &'static str,
    cwd: PathBuf,
}

impl Tmux {
    fn start(shell: &'static str, home: &Path) -> Tmux {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let socket = format!(
            "awsp-complete-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let cwd = home.join("work");
        std::fs::create_dir_all(&cwd).unwrap();
        let bin = env!("CARGO_BIN_EXE_awsp");
        let shell_cmd = match shell {
            "bash" => "bash --norc --noprofile",
            "zsh" => "zsh -f",
            "fish" => "fish --no-config",
            other => panic!("{other}"),
        };
        // LANG: a UTF-8 terminal, so that line editors handle "ünï" as text.
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", "120", "-y", "30", "-c"])
            .arg(&cwd)
            .arg(format!(
                "env -i PATH=/usr/local/bin:/usr/bin:/bin HOME='{}' TERM=xterm LANG=C.UTF-8 AWSP_BIN='{bin}' NO_COLOR=1 {shell_cmd}",
                home.display()
            ))
            .status()
            .unwrap();
        assert!(status.success());
        let t = Tmux { socket, shell, cwd };
        t.run_line(if shell == "fish" {
            "function fish_prompt; echo -n 'READY> '; end"
        } else {
            "PS1='READY> '"
        });
        match shell {
            "fish" => t.run_line("\"$AWSP_BIN\" init fish | source"),
            "zsh" => {
                t.run_line("autoload -U compinit && compinit -u");
                t.run_line("eval \"$(\"$AWSP_BIN\" init zsh)\"");
            }
            _ => t.run_line("eval \"$(\"$AWSP_BIN\" init bash)\""),
        }
        t.clear();
        t
    }

    fn tmux(&self) -> Command {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &self.socket]);
        cmd
    }

    fn keys(&self, keys: &[&str]) {
        let ok = self
            .tmux()
            .args(["send-keys", "-t", "0"])
            .args(keys)
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    fn literal(&self, text: &str) {
        let ok = self
            .tmux()
            .args(["send-keys", "-t", "0", "-l", text])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    fn screen(&self) -> String {
        let out = self
            .tmux()
            .args(["capture-pane", "-p", "-t", "0"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn last_line(screen: &str) -> String {
        screen
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim_end()
            .to_string()
    }

    /// Polls the screen until `ok` holds (or panics after 10 s).
    fn wait(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "{}: timed out waiting for {what}; screen:\n{s}",
                self.shell
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Waits until the last non-empty line is an idle prompt.
    fn wait_prompt(&self) {
        self.wait("a prompt", |s| {
            let last = Self::last_line(s);
            // Before the prompt is set, any shell prompt ends in '#', '$' or '>'.
            last.ends_with("READY>") || !s.contains("READY>") && last.ends_with(['#', '$', '>'])
        });
    }

    fn type_line(&self, line: &str) {
        self.wait_prompt();
        self.literal(line);
        self.keys(&["Enter"]);
    }

    /// Runs `line` and waits until it has finished: it is followed by a
    /// printf whose output (not its echo) is a line of its own.
    fn run_line(&self, line: &str) {
        static NONCE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NONCE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        self.type_line(&format!("{line}; printf 'DONE%s\\n' {n}"));
        let done = format!("DONE{n}");
        self.wait(&format!("{line:?} to finish"), |s| {
            s.lines().any(|l| l.trim_end() == done)
        });
        self.wait_prompt();
    }

    /// Abandons the command line and clears the screen: afterwards the
    /// screen holds nothing but an empty prompt. C-a C-k empties the line in
    /// all three shells (and closes a menu); C-c would flush keys typed
    /// right after it.
    fn clear(&self) {
        self.keys(&["C-a", "C-k"]);
        self.wait("an empty command line", |s| Self::last_line(s) == "READY>");
        self.type_line("clear");
        self.wait("a cleared screen", |s| s.trim() == "READY>");
    }

    /// Types `typed`, presses Tab, and waits for the command line to read
    /// `want` (trailing blanks aside).
    fn complete(&self, typed: &str, want: &str) {
        self.wait_prompt();
        self.literal(typed);
        let echoed = format!("READY> {typed}");
        self.wait("the typed text", |s| {
            Self::last_line(s) == echoed.trim_end()
        });
        self.keys(&["Tab"]);
        let line = format!("READY> {want}");
        self.wait(&format!("{typed:?} + Tab to give {want:?}"), |s| {
            Self::last_line(s) == line
        });
    }

    /// Like `complete`, then the word must be finished (the shell added a
    /// space after it or closed it): the cursor is past the line's end.
    fn complete_word(&self, typed: &str, want: &str) {
        self.complete(typed, want);
        let want_x = "READY> ".len() + want.chars().count() + 1;
        let start = Instant::now();
        loop {
            let out = self
                .tmux()
                .args(["display-message", "-p", "-t", "0", "#{cursor_x}"])
                .output()
                .unwrap();
            let x: usize = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
            if x == want_x {
                return;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "{}: after {typed:?} + Tab the cursor is at column {x}, not {want_x} (no space after the word?); screen:\n{}",
                self.shell,
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Types `typed`, presses Tab (up to three times: bash lists the
    /// choices only on a later Tab) until a line other than a command line
    /// (the list under it, or zsh's and fish's menu) shows every one of `want`.
    fn lists(&self, typed: &str, want: &[&str]) {
        self.wait_prompt();
        self.literal(typed);
        let shows = |s: &str| {
            s.lines()
                .filter(|l| !l.starts_with("READY>"))
                .any(|l| want.iter().all(|w| l.contains(w)))
        };
        for attempt in 0..3 {
            self.keys(&["Tab"]);
            let start = Instant::now();
            while start.elapsed() < Duration::from_millis(1500) {
                if shows(&self.screen()) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(30));
            }
            assert!(
                attempt < 2,
                "{}: {typed:?} + Tab did not list {want:?}; screen:\n{}",
                self.shell,
                self.screen()
            );
        }
    }

    /// Runs the completed command line and checks that it switched to
    /// exactly `name` (status 0).
    fn run_switches_to(&self, name: &str) {
        self.keys(&["Enter"]);
        static NONCE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NONCE.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let status = if self.shell == "fish" {
            "$status"
        } else {
            "$?"
        };
        // \105 is E: the typed command line itself never contains ">END".
        self.type_line(&format!(
            "printf '{n}:RC=%s<%s>\\105ND\\n' {status} \"$AWS_PROFILE\""
        ));
        let prefix = format!("{n}:RC=");
        let s = self.wait("the printed AWS_PROFILE", |s| {
            s.lines()
                .any(|l| l.starts_with(&prefix) && l.trim_end().ends_with(">END"))
        });
        let got = s
            .lines()
            .find(|l| l.starts_with(&prefix))
            .unwrap()
            .trim_end()
            .trim_start_matches(&prefix)
            .trim_end_matches("END")
            .to_string();
        assert_eq!(got, format!("0<{name}>"), "{}: switched to", self.shell);
        self.wait_prompt();
        self.clear();
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux().arg("kill-server").status();
    }
}

fn run(shell: &'static str) {
    let home = home();
    let t = Tmux::start(shell, home.path());

    // Profile names, subcommands, flags, shells, regions.
    t.complete_word("awsp prod-a", "awsp prod-admin");
    t.clear();
    t.lists("awsp pro", &["prod-admin", "prod-read"]);
    t.clear();
    t.complete_word("awsp li", "awsp list");
    t.clear();
    t.complete_word("awsp init f", "awsp init fish");
    t.clear();
    t.complete_word("awsp list --j", "awsp list --json");
    t.clear();
    t.complete_word("awsp clean --dr", "awsp clean --dry-run");
    t.clear();
    t.complete_word("awsp status --f", "awsp status --format");
    t.clear();
    t.complete_word("awsp --cl", "awsp --clear-keys");
    t.clear();
    t.complete_word("awsp --region ca-c", "awsp --region ca-central-1");
    t.clear();
    t.complete_word("awsp --region=ca-c", "awsp --region=ca-central-1");
    t.clear();
    t.complete_word("awsp login dev", "awsp login dev-admin");
    t.clear();
    t.complete_word("awsp -- dev", "awsp -- dev-admin");
    t.clear();
    // A finished query takes no subcommand; init takes one shell.
    t.lists("awsp init ", &["bash", "zsh", "fish", "powershell", "nu"]);
    t.clear();

    // Awkward names: escaped on the line, and running the line switches to
    // exactly that name.
    t.complete_word("awsp team", r"awsp team\ a\'s\ box");
    t.run_switches_to(SPACE_QUOTE);
    t.complete_word("awsp cost", r"awsp cost\$HOME");
    t.run_switches_to(DOLLAR);
    t.complete_word("awsp ü", "awsp ünï");
    t.run_switches_to(UNICODE);
    let in_single = match shell {
        "fish" => r"awsp 'team a\'s box'",
        _ => r"awsp 'team a'\''s box'",
    };
    t.complete_word("awsp 'team a", in_single);
    t.run_switches_to(SPACE_QUOTE);
    t.complete_word("awsp \"cost", r#"awsp "cost\$HOME""#);
    t.run_switches_to(DOLLAR);
    let tick = match shell {
        "fish" => r"awsp run`touch\ PWNED`",
        _ => r"awsp run\`touch\ PWNED\`",
    };
    t.complete_word("awsp run", tick);
    t.run_switches_to(BACKTICK);
    assert!(
        !t.cwd.join("PWNED").exists() && !home.path().join("PWNED").exists(),
        "{shell}: a backtick in a name ran a command"
    );
}

#[test]
fn bash_completion() {
    if require("tmux") && require("bash") {
        run("bash");
    }
}

#[test]
fn zsh_completion() {
    if require("tmux") && require("zsh") {
        run("zsh");
    }
}

#[test]
fn fish_completion() {
    if require("tmux") && require("fish") {
        run("fish");
    }
}

/// The bash script is also what a POSIX sh gets: its completion part must
/// not stop dash from loading the function (dash parses the whole block).
#[test]
fn bash_script_still_loads_in_dash() {
    if !require("dash") {
        return;
    }
    let home = home();
    let out = Command::new("dash")
        .arg("-c")
        .arg(
            "eval \"$(\"$AWSP_BIN\" init bash)\" && command -v awsp && ! command -v _awsp_complete",
        )
        .env("AWSP_BIN", env!("CARGO_BIN_EXE_awsp"))
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "dash: {:?}\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

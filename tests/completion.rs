//! Tab completion from the `awsp init` scripts, end to end: tmux runs a real
//! bash, zsh and fish with the init script loaded (the cargo-built binary as
//! $AWSP_BIN), keys are typed, Tab is pressed, and the command line on the
//! screen is checked. Names with a space, a quote, `$`, backticks and
//! non-ASCII letters are completed and then run: the shell's AWS_PROFILE must
//! be the exact name and nothing in the name may have run. Needs tmux, bash,
//! zsh and fish; a missing one fails the test unless AWSP_SKIP_MISSING_SHELLS=1.

mod common;

use common::{init_line, last_line, prompt_line, require, Terminal, TestHome, Tmux, TIMEOUT};
use std::process::Command;
use std::time::{Duration, Instant};

const SPACE_QUOTE: &str = "team a's box";
const DOLLAR: &str = "cost$HOME";
const BACKTICK: &str = "run`touch PWNED`";
const UNICODE: &str = "ünï";

/// A temporary HOME whose config holds ordinary and awkward profile names.
fn home() -> TestHome {
    let home = TestHome::new();
    let mut config = String::new();
    for name in ["prod-admin", "prod-read", "dev-admin"] {
        config.push_str(&format!("[profile {name}]\nregion = us-east-1\n\n"));
    }
    for name in [SPACE_QUOTE, DOLLAR, BACKTICK, UNICODE] {
        config.push_str(&format!("[profile \"{name}\"]\nregion = eu-west-1\n\n"));
    }
    home.write_config(&config);
    // The names must reach the shells as written here.
    let out = Command::new(env!("CARGO_BIN_EXE_awsp"))
        .args(["list", "--names"])
        .env("HOME", home.path())
        .output()
        .unwrap();
    let names = String::from_utf8(out.stdout).unwrap();
    for name in [SPACE_QUOTE, DOLLAR, BACKTICK, UNICODE] {
        assert!(
            names.lines().any(|l| l == name),
            "awsp list --names lacks {name:?}:\n{names}"
        );
    }
    home
}

/// Starts `shell` with awsp's function and completion loaded, at an empty
/// `READY> ` prompt.
fn start(shell: &str, home: &TestHome) -> Tmux {
    let terminal = Terminal {
        // Wider than the picker tests: a list of choices is checked on one line.
        width: 120,
        term: "xterm",
        // A UTF-8 terminal, so that line editors handle "ünï" as text.
        lang: Some("C.UTF-8"),
        ..Terminal::default()
    };
    let t = Tmux::launch(shell, home.path(), &terminal);
    t.run_line(prompt_line(shell));
    if shell == "zsh" {
        // The completion system first: awsp's init script registers with it.
        t.run_line("autoload -U compinit && compinit -u");
    }
    t.run_line(&init_line(shell));
    t.clear();
    t
}

/// Tab completion on the command line of a started shell.
trait Completion {
    fn complete(&self, typed: &str, want: &str);
    fn complete_word(&self, typed: &str, want: &str);
    fn lists(&self, typed: &str, want: &[&str]);
    fn run_switches_to(&self, name: &str);
}

impl Completion for Tmux {
    /// Types `typed`, presses Tab, and waits for the command line to read
    /// `want` (trailing blanks aside).
    fn complete(&self, typed: &str, want: &str) {
        self.wait_prompt();
        self.literal(typed);
        let echoed = format!("READY> {typed}");
        self.wait_until("the typed text", |s| last_line(s) == echoed.trim_end());
        self.keys(&["Tab"]);
        let line = format!("READY> {want}");
        self.wait_until(&format!("{typed:?} + Tab to give {want:?}"), |s| {
            last_line(s) == line
        });
    }

    /// Like `complete`, then the word must be finished (the shell added a
    /// space after it or closed it): the cursor is past the line's end.
    fn complete_word(&self, typed: &str, want: &str) {
        self.complete(typed, want);
        let want_x = "READY> ".len() + want.chars().count() + 1;
        let start = Instant::now();
        loop {
            let x = self.cursor_x();
            if x == want_x {
                return;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "{}: after {typed:?} + Tab the cursor is at column {x}, not {want_x} (no space after the word?); screen:\n{}",
                self.shell(),
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Types `typed`, presses Tab (up to three times: bash lists the
    /// choices only on a later Tab) until the lines other than a command
    /// line (the list under it, or zsh's and fish's menu, one choice a line
    /// when they carry descriptions) show every one of `want`.
    fn lists(&self, typed: &str, want: &[&str]) {
        self.wait_prompt();
        self.literal(typed);
        let shows = |s: &str| {
            let listed: Vec<&str> = s.lines().filter(|l| !l.starts_with("READY>")).collect();
            want.iter().all(|w| listed.iter().any(|l| l.contains(w)))
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
                self.shell(),
                self.screen()
            );
        }
    }

    /// Runs the completed command line and checks that it switched to
    /// exactly `name` (status 0).
    fn run_switches_to(&self, name: &str) {
        self.keys(&["Enter"]);
        assert_eq!(
            self.var(self.shell(), "AWS_PROFILE"),
            format!("RC=0<{name}>"),
            "{}: switched to",
            self.shell()
        );
        self.wait_prompt();
        self.clear();
    }
}

fn run(shell: &'static str) {
    let home = home();
    let t = start(shell, &home);

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
    t.lists(
        "awsp init ",
        &["bash", "zsh", "fish", "powershell", "nu", "sh"],
    );
    t.clear();
    t.complete_word("awsp list --co", "awsp list --color");
    t.clear();
    t.complete_word("awsp --color alw", "awsp --color always");
    t.clear();
    t.complete_word("awsp login --login-a", "awsp login --login-args");
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

//! Tab completion from the `awsp init` scripts, end to end: tmux runs a real
//! bash, zsh and fish with the init script loaded (the cargo-built binary as
//! $AWSP_BIN), keys are typed, Tab is pressed, and the command line on the
//! screen is checked. Names with a space, a quote, `$`, backticks and
//! non-ASCII letters are completed and then run: the shell's AWS_PROFILE must
//! be the exact name and nothing in the name may have run. Needs tmux, bash,
//! zsh and fish; without one the test is skipped (`common::skip`).

use crate::common::{
    init_line, last_line, prompt_line, require, text, Terminal, TestHome, Tmux, TIMEOUT,
};
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

/// Every visible subcommand, flag and flag value clap knows, at every level,
/// as (the line typed before the word, the word it must offer).
fn every_word_of_the_command_line() -> Vec<(String, String)> {
    use clap::CommandFactory;
    fn walk(cmd: &clap::Command, line: &str, out: &mut Vec<(String, String)>) {
        for arg in cmd
            .get_arguments()
            .filter(|a| !a.is_positional() && !a.is_hide_set())
        {
            let Some(long) = arg.get_long() else { continue };
            out.push((line.to_string(), format!("--{long}")));
            for v in arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
            {
                out.push((format!("{line}--{long} "), v.get_name().to_string()));
            }
        }
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            out.push((line.to_string(), sub.get_name().to_string()));
            walk(sub, &format!("{line}{} ", sub.get_name()), out);
        }
    }
    let mut cmd = awsp::cli::Cli::command();
    cmd.build();
    let mut out = Vec::new();
    walk(&cmd, "awsp ", &mut out);
    out
}

/// The candidates bash's completion function gives for each line (the
/// cursor at its end), in one bash: COMP_LINE/COMP_POINT as readline sets
/// them, COMPREPLY read back.
fn bash_candidates(home: &TestHome, lines: &[String]) -> Vec<Vec<String>> {
    let mut script = String::from("eval \"$(\"$AWSP_BIN\" init bash)\"\n");
    for line in lines {
        let word = line.rsplit(' ').next().unwrap();
        script.push_str(&format!(
            "COMP_LINE={line:?}; COMP_POINT=${{#COMP_LINE}}; _awsp_complete awsp {word:?} x; printf '%s\\n' \"${{COMPREPLY[@]}}\"; echo '<end>'\n"
        ));
    }
    let out = Command::new("bash")
        .args(["--norc", "-c", &script])
        .env("AWSP_BIN", env!("CARGO_BIN_EXE_awsp"))
        // bash quotes non-ASCII names as $'\303...' in the C locale; a
        // person's terminal is UTF-8 (CI machines often have no LANG).
        .env("LC_ALL", "C.UTF-8")
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    split_answers(&String::from_utf8(out.stdout).unwrap(), lines.len())
}

/// The same from fish's `complete -C` (values only, descriptions apart).
fn fish_candidates(home: &TestHome, lines: &[String]) -> Vec<Vec<String>> {
    let mut script = String::from("\"$AWSP_BIN\" init fish | source\n");
    for line in lines {
        let quoted = line.replace('\\', "\\\\").replace('\'', "\\'");
        script.push_str(&format!("complete -C '{quoted}'; echo '<end>'\n"));
    }
    let out = Command::new("fish")
        .args(["--no-config", "-c", &script])
        .env("AWSP_BIN", env!("CARGO_BIN_EXE_awsp"))
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answers = split_answers(&String::from_utf8(out.stdout).unwrap(), lines.len());
    answers
        .into_iter()
        .map(|a| {
            a.into_iter()
                .map(|l| l.split('\t').next().unwrap().to_string())
                .collect()
        })
        .collect()
}

fn split_answers(text: &str, n: usize) -> Vec<Vec<String>> {
    let answers: Vec<Vec<String>> = text
        .split("<end>\n")
        .take(n)
        .map(|a| {
            a.lines()
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .collect();
    assert_eq!(answers.len(), n, "{text}");
    answers
}

/// Adding a flag or subcommand to cli.rs makes it complete in the real
/// shells with no script change: every one clap knows is offered (bash
/// through its completion function, fish through `complete -C`; zsh reads
/// the same binary output, checked in tmux above).
#[test]
fn every_flag_and_subcommand_completes() {
    let home = home();
    let cases = every_word_of_the_command_line();
    assert!(cases.len() > 40, "{cases:?}");
    // Typed: the line and the word's first letter (`--j` for `--json`).
    let typed: Vec<String> = cases
        .iter()
        .map(|(line, word)| {
            let stem: String = word
                .chars()
                .take(if word.starts_with("--") { 3 } else { 1 })
                .collect();
            format!("{line}{stem}")
        })
        .collect();
    let mut shells: Vec<(&str, Vec<Vec<String>>)> = Vec::new();
    if require("bash") {
        shells.push(("bash", bash_candidates(&home, &typed)));
    }
    if require("fish") {
        shells.push(("fish", fish_candidates(&home, &typed)));
    }
    for (shell, answers) in &shells {
        for ((line, word), got) in cases.iter().zip(answers) {
            assert!(
                got.contains(word),
                "{shell}: {line:?} does not offer {word:?}: {got:?}"
            );
        }
    }
    // Profile names, awkward ones exactly (bash inserts them quoted).
    let lines = [
        "awsp cost".to_string(),
        "awsp login team".to_string(),
        "awsp -- ü".to_string(),
    ];
    if require("bash") {
        let got = bash_candidates(&home, &lines);
        assert_eq!(
            got,
            [vec![r"cost\$HOME"], vec![r"team\ a\'s\ box"], vec!["ünï"]]
        );
    }
    if require("fish") {
        let got = fish_candidates(&home, &lines);
        assert_eq!(got, [vec![DOLLAR], vec![SPACE_QUOTE], vec![UNICODE]]);
    }
}

/// `awsp completions SHELL`, installed where a package would put it, completes
/// without the init script (no shell function, no fd 3).
#[test]
fn packaged_completion_scripts_work_alone() {
    let home = home();
    let bin = home.root().join("pkgbin");
    std::fs::create_dir_all(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_awsp"), bin.join("awsp")).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let script = |shell: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_awsp"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    if require("bash") {
        let file = home.root().join("awsp.bash");
        std::fs::write(&file, script("bash")).unwrap();
        let out = Command::new("bash")
            .args(["--norc", "-c"])
            .arg(format!(
                ". {}; ! declare -F awsp >/dev/null && COMP_LINE='awsp prod-r' COMP_POINT=11 && _awsp_complete awsp prod-r awsp && printf '%s\\n' \"${{COMPREPLY[@]}}\"",
                file.display()
            ))
            .env("PATH", &path)
            .env("HOME", home.path())
            .output()
            .unwrap();
        assert_eq!(text(&out.stdout), "prod-read\n", "{}", text(&out.stderr));
    }
    if require("fish") {
        let dir = home.root().join("fish-completions");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("awsp.fish"), script("fish")).unwrap();
        let out = Command::new("fish")
            .args(["--no-config", "-c"])
            .arg(format!(
                "set -p fish_complete_path {}; not functions -q awsp; and complete -C 'awsp login prod-r'",
                dir.display()
            ))
            .env("PATH", &path)
            .env("HOME", home.path())
            .output()
            .unwrap();
        assert_eq!(
            text(&out.stdout),
            "prod-read\tus-east-1\n",
            "{}",
            text(&out.stderr)
        );
    }
    if require("zsh") {
        let dir = home.root().join("zfunc");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("_awsp"), script("zsh")).unwrap();
        // zsh completes only in zle: check that compinit picks the file up
        // for awsp and that it loads without error.
        let out = Command::new("zsh")
            .args(["-f", "-c"])
            .arg(format!(
                "fpath=({} $fpath); autoload -U compinit && compinit -u -d {}/zcd && print -r -- $_comps[awsp] && autoload +X _awsp && print ok",
                dir.display(),
                home.root().display()
            ))
            .env("PATH", &path)
            .env("HOME", home.path())
            .output()
            .unwrap();
        assert_eq!(text(&out.stdout), "_awsp\nok\n", "{}", text(&out.stderr));
    }
}

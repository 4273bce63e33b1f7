//! End to end in a real terminal: tmux runs a real shell with the function
//! from `awsp init`, keys are typed into the picker, and the shell's
//! `AWS_PROFILE` afterwards is checked. Needs tmux, bash, zsh and fish
//! (scripts/test installs them); a missing one fails the test unless
//! AWSP_SKIP_MISSING_SHELLS=1.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const HOSTILE: &str = "it's;$(touch PWNED) `touch PWNED` & | \\ \"q\" ünï";

fn have(bin: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {bin} >/dev/null"))
        .status()
        .is_ok_and(|s| s.success())
}

fn require(bin: &str) -> bool {
    if have(bin) {
        return true;
    }
    assert!(
        std::env::var_os("AWSP_SKIP_MISSING_SHELLS").is_some(),
        "{bin} is not installed: run scripts/test (or apt-get install -y {bin}), or set AWSP_SKIP_MISSING_SHELLS=1"
    );
    false
}

/// A temporary HOME with a config holding ordinary and hostile names.
fn home() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let aws = dir.path().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    // In a section header, shlex keeps everything inside double quotes
    // except that \" and \\ are escapes.
    let quoted = HOSTILE.replace('\\', "\\\\").replace('"', "\\\"");
    let config = format!(
        "[sso-session main]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n\n\
         [profile prod-admin]\nsso_session = main\nsso_account_id = 111111111111\nsso_role_name = Admin\n\n\
         [profile prod-read]\nsso_session = main\nsso_account_id = 111111111111\nsso_role_name = Read\n\n\
         [profile \"{quoted}\"]\nregion = eu-west-1\n\n\
         [profile -dash]\nregion = us-east-1\n"
    );
    std::fs::write(aws.join("config"), config).unwrap();
    dir
}

struct Tmux {
    socket: String,
    cwd: PathBuf,
}

impl Tmux {
    fn start(shell: &str, home: &Path) -> Tmux {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let socket = format!(
            "awsp-e2e-{}-{}",
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
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "-c"])
            .arg(&cwd)
            .arg(format!(
                "env -i PATH=/usr/local/bin:/usr/bin:/bin TERM=xterm-256color HOME={} AWSP_BIN={bin} NO_COLOR=1 {shell_cmd}",
                home.display()
            ))
            .status()
            .unwrap();
        assert!(status.success());
        let t = Tmux { socket, cwd };
        let init = match shell {
            "fish" => "\"$AWSP_BIN\" init fish | source".to_string(),
            s => format!("eval \"$(\"$AWSP_BIN\" init {s})\""),
        };
        t.type_line(&init);
        t.type_line(if shell == "fish" {
            "function fish_prompt; echo -n 'READY> '; end"
        } else {
            "PS1='READY> '"
        });
        t.type_line("clear");
        t.wait_prompt();
        t
    }

    fn keys(&self, keys: &[&str]) {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &self.socket, "send-keys", "-t", "0"]);
        cmd.args(keys);
        assert!(cmd.status().unwrap().success());
    }

    fn literal(&self, text: &str) {
        assert!(Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "0", "-l", text])
            .status()
            .unwrap()
            .success());
    }

    /// Types a command once the shell shows its prompt: keys typed while a
    /// program is still reading the tty would go to that program.
    fn type_line(&self, line: &str) {
        self.wait_prompt();
        self.literal(line);
        self.keys(&["Enter"]);
    }

    fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "0"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits (up to 10 s) until the screen contains `needle`.
    fn wait_for(&self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "timed out waiting for {needle:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Waits (up to 10 s) until the last non-empty line is an idle prompt.
    fn wait_prompt(&self) {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            let last = screen
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            // Before the prompt is set, any shell prompt ends in '#', '$' or '>'.
            let idle = last.trim_end().ends_with("READY>")
                || !screen.contains("READY>") && last.trim_end().ends_with(['#', '$', '>']);
            if idle {
                return;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "no prompt; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(30));
        }
    }

    /// Waits (up to 10 s) until the picker has left the screen.
    fn wait_closed(&self) {
        let start = Instant::now();
        while self.screen().contains(" quit") {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "the picker did not close:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The last command's status and a variable, as `RC=<status><<value>>`.
    fn var(&self, shell: &str, name: &str) -> String {
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
    fn wait_for_line(&self, prefix: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            // Lines may wrap at 100 columns: join the screen first.
            let joined: String = screen
                .lines()
                .map(|l| l.trim_end())
                .collect::<Vec<_>>()
                .join("\n");
            if let Some(at) = joined.rfind(prefix) {
                let rest = &joined[at + prefix.len()..];
                if let Some(end) = rest.find(">END") {
                    return format!("RC={}", rest[..end + 1].replace('\n', ""));
                }
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "timed out waiting for {prefix:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

fn run_flow(shell: &str) {
    let home = home();
    let t = Tmux::start(shell, home.path());

    // Open the picker, filter, Enter.
    t.type_line("awsp");
    t.wait_for("PROFILE");
    t.literal("/prod-read");
    t.wait_for("1/4");
    t.keys(&["Enter"]);
    t.wait_closed();
    assert_eq!(
        t.var(shell, "AWS_PROFILE"),
        "RC=0<prod-read>",
        "{shell}: pick with filter"
    );

    // A direct switch keeps the previous profile; `awsp -` goes back.
    t.type_line("awsp prod-admin");
    assert_eq!(t.var(shell, "AWS_PROFILE"), "RC=0<prod-admin>");
    assert_eq!(t.var(shell, "AWSP_PREVIOUS"), "RC=0<prod-read>");
    t.type_line("awsp -");
    assert_eq!(
        t.var(shell, "AWS_PROFILE"),
        "RC=0<prod-read>",
        "{shell}: awsp -"
    );

    // Cancel with q: status 1, nothing changes. Ctrl-C: 130.
    t.type_line("awsp");
    t.wait_for("PROFILE");
    t.keys(&["q"]);
    t.wait_closed();
    assert_eq!(
        t.var(shell, "AWS_PROFILE"),
        "RC=1<prod-read>",
        "{shell}: cancel"
    );
    t.type_line("awsp");
    t.wait_for("PROFILE");
    // Seen once under load in fish: a Ctrl-C right at start-up got status 0.
    // Let the picker settle into its key loop first.
    std::thread::sleep(Duration::from_millis(150));
    t.keys(&["C-c"]);
    t.wait_closed();
    assert_eq!(
        t.var(shell, "AWS_PROFILE"),
        "RC=130<prod-read>",
        "{shell}: ctrl-c"
    );

    // A query that is not a name opens the picker filtered; j moves in normal
    // mode. prod-admin and prod-read score the same for "prod": frecency
    // breaks the tie, and prod-read was used more (2 switches to 1).
    t.type_line("awsp prod");
    let screen = t.wait_for("2/4");
    let row = |name: &str| screen.find(&format!("{name:<10} 111111111111")).unwrap();
    let (read, admin) = (row("prod-read"), row("prod-admin"));
    assert!(
        read < admin,
        "{shell}: frecency puts prod-read first:\n{screen}"
    );
    t.keys(&["Escape"]);
    t.wait_for("l login");
    t.keys(&["j", "Enter"]);
    t.wait_closed();
    assert_eq!(
        t.var(shell, "AWS_PROFILE"),
        "RC=0<prod-admin>",
        "{shell}: query + j"
    );

    // A hostile name, picked in the picker: exact value, nothing ran.
    t.type_line("awsp");
    t.wait_for("PROFILE");
    t.literal("/ünï");
    t.wait_for("1/4");
    t.keys(&["Enter"]);
    t.wait_closed();
    assert_eq!(
        t.var(shell, "AWS_PROFILE"),
        format!("RC=0<{HOSTILE}>"),
        "{shell}: hostile name"
    );
    assert!(
        !t.cwd.join("PWNED").exists(),
        "{shell}: the hostile name ran code"
    );

    // A name beginning with '-'.
    t.type_line("awsp -- -dash");
    assert_eq!(
        t.var(shell, "AWS_PROFILE"),
        "RC=0<-dash>",
        "{shell}: -- -dash"
    );
    t.type_line("awsp --unset");
    assert_eq!(t.var(shell, "AWS_PROFILE"), "RC=0<>", "{shell}: --unset");
}

#[test]
fn bash_picker_end_to_end() {
    if require("tmux") && require("bash") {
        run_flow("bash");
    }
}

#[test]
fn zsh_picker_end_to_end() {
    if require("tmux") && require("zsh") {
        run_flow("zsh");
    }
}

#[test]
fn fish_picker_end_to_end() {
    if require("tmux") && require("fish") {
        run_flow("fish");
    }
}

//! A real shell in tmux for end-to-end tests: start it with the init
//! function installed, type, read the screen, wait for the prompt.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

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

pub fn require(bin: &str) -> bool {
    if have(bin) {
        return true;
    }
    assert!(
        std::env::var_os("AWSP_SKIP_MISSING_SHELLS").is_some(),
        "{bin} is not installed: run scripts/test (or apt-get install -y {bin}), or set AWSP_SKIP_MISSING_SHELLS=1"
    );
    false
}

pub struct Tmux {
    socket: String,
    pub cwd: PathBuf,
}

impl Tmux {
    pub fn start(shell: &str, home: &Path) -> Tmux {
        Tmux::start_with_path(shell, home, "/usr/local/bin:/usr/bin:/bin")
    }

    /// Starts `shell` with only `path` as PATH (e.g. to put a stub `aws` first).
    pub fn start_with_path(shell: &str, home: &Path, path: &str) -> Tmux {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let socket = format!(
            "awsp-e2e-{}-{}",
            std::process::id(),
            N.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        let cwd = home.join("work");
        std::fs::create_dir_all(&cwd).unwrap();
        let bin = env!("CARGO_BIN_EXE_awsp");
        let flags = match shell {
            "bash" => "--norc --noprofile",
            "zsh" => "-f",
            "fish" => "--no-config",
            other => panic!("{other}"),
        };
        // By absolute path: the shell's own PATH may be a test's narrow one.
        let shell_cmd = format!("{} {flags}", which(shell).display());
        let status = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d", "-x", "100", "-y", "30", "-c"])
            .arg(&cwd)
            .arg(format!(
                "env -i PATH={path} TERM=xterm-256color HOME={} AWSP_BIN={bin} NO_COLOR=1 {shell_cmd}",
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

    /// Resizes the terminal window.
    pub fn resize(&self, width: u16, height: u16) {
        let ok = Command::new("tmux")
            .args([
                "-L",
                &self.socket,
                "resize-window",
                "-t",
                "0",
                "-x",
                &width.to_string(),
                "-y",
                &height.to_string(),
            ])
            .status()
            .unwrap()
            .success();
        assert!(ok);
    }

    pub fn keys(&self, keys: &[&str]) {
        let mut cmd = Command::new("tmux");
        cmd.args(["-L", &self.socket, "send-keys", "-t", "0"]);
        cmd.args(keys);
        assert!(cmd.status().unwrap().success());
    }

    pub fn literal(&self, text: &str) {
        assert!(Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "0", "-l", text])
            .status()
            .unwrap()
            .success());
    }

    /// Types a command once the shell shows its prompt: keys typed while a
    /// program is still reading the tty would go to that program.
    pub fn type_line(&self, line: &str) {
        self.wait_prompt();
        self.literal(line);
        self.keys(&["Enter"]);
    }

    pub fn screen(&self) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "0"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits (up to 10 s) until the screen contains `needle`.
    pub fn wait_for(&self, needle: &str) -> String {
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
    pub fn wait_prompt(&self) {
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
    pub fn wait_closed(&self) {
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

//! End to end in a real terminal: tmux runs a real shell with the function
//! from `awsp init`, keys are typed into the picker, and the shell's
//! `AWS_PROFILE` afterwards is checked. Needs tmux, bash, zsh and fish
//! (scripts/test installs them); without one the test is skipped
//! (`common::skip`).

use crate::common;
use crate::common::{require, TestHome, Tmux};
use std::time::Duration;

const HOSTILE: &str = "it's;$(touch PWNED) `touch PWNED` & | \\ \"q\" ünï";

/// A temporary HOME with a config holding ordinary and hostile names.
fn home() -> TestHome {
    let home = TestHome::new();
    // In a section header, shlex keeps everything inside double quotes
    // except that \" and \\ are escapes.
    let quoted = HOSTILE.replace('\\', "\\\\").replace('"', "\\\"");
    home.write_config(&format!(
        "[sso-session main]\nsso_start_url = https://x.awsapps.com/start\nsso_region = us-east-1\n\n\
         [profile prod-admin]\nsso_session = main\nsso_account_id = 111111111111\nsso_role_name = Admin\n\n\
         [profile prod-read]\nsso_session = main\nsso_account_id = 111111111111\nsso_role_name = Read\n\n\
         [profile \"{quoted}\"]\nregion = eu-west-1\n\n\
         [profile -dash]\nregion = us-east-1\n"
    ));
    home
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
    t.wait_for("2/4");
    // A capture can land between the count and the rows of one frame:
    // wait until both rows are drawn.
    t.wait_for("prod-read  111111111111");
    let screen = t.wait_for("prod-admin 111111111111");
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

/// Closing the terminal window under an open picker ends awsp (crossterm
/// alone would read end-of-file forever and spin).
fn hangup_ends_the_picker(shell: &str) {
    let home = home();
    let t = Tmux::start(shell, home.path());
    let tag = format!("hangup{}", std::process::id());
    t.type_line(&format!("awsp {tag}"));
    t.wait_for("0/4");
    let running = || {
        std::process::Command::new("pgrep")
            .args(["-f", &format!("awsp {tag}")])
            .output()
            .map(|o| !o.stdout.is_empty())
            .unwrap_or(false)
    };
    assert!(running(), "{shell}: the picker should be running");
    drop(t); // kills the tmux server: the terminal hangs up
    let start = std::time::Instant::now();
    while running() {
        assert!(
            start.elapsed() < Duration::from_secs(5),
            "{shell}: awsp still runs 5 s after the hang-up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn hangup_ends_the_picker_in_fish_and_bash() {
    if require("tmux") && require("fish") && require("bash") && require("pgrep") {
        hangup_ends_the_picker("fish");
        hangup_ends_the_picker("bash");
    }
}

/// A panic with the picker on screen leaves a usable terminal: the normal
/// screen, cooked mode with echo, the cursor shown, and the panic message.
#[test]
fn a_panic_restores_the_terminal() {
    if !(require("tmux") && require("bash")) {
        return;
    }
    let home = home();
    let t = Tmux::start("bash", home.path());
    t.type_line("AWSP_PANIC_AFTER_FIRST_FRAME=1 awsp; echo \"rc=$?\"");
    let screen = t.wait_for("rc=101");
    assert!(
        screen.contains("a panic with the picker on screen"),
        "{screen}"
    );
    assert!(
        !screen.contains("PROFILE"),
        "the alternate screen was left:\n{screen}"
    );
    t.type_line(
        "stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo EN''D",
    );
    let screen = t.wait_for("END");
    assert!(
        screen.contains("icanon echo END"),
        "cooked mode with echo:\n{screen}"
    );
}

/// Resizing redraws at once: columns drop out when narrow, a too-small
/// window says so, and growing back restores the table.
#[test]
fn resizing_redraws() {
    if !(require("tmux") && require("bash")) {
        return;
    }
    let home = home();
    let t = Tmux::start("bash", home.path());
    t.type_line("awsp");
    t.wait_for("SESSION");
    t.resize(40, 10);
    let narrow = t.wait_for("TOKEN");
    assert!(
        !narrow.contains("SESSION") && !narrow.contains("ACCOUNT"),
        "{narrow}"
    );
    t.resize(30, 6);
    t.wait_for("awsp needs 40x10");
    t.resize(120, 30);
    t.wait_for("SESSION");
    t.keys(&["q"]);
    t.wait_closed();
}

/// The pid of the one process whose command line contains `tag`.
fn pid_of(tag: &str) -> String {
    let out = std::process::Command::new("pgrep")
        .args(["-f", tag])
        .output()
        .unwrap();
    let pids = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        !pids.is_empty() && !pids.contains('\n'),
        "one process for {tag}: {pids:?}"
    );
    pids
}

/// What is left in the folder a `--demo` run was given as TMPDIR.
fn left_in(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// Checks the terminal is cooked with echo after a signal ended awsp.
fn assert_tty_sane(t: &Tmux, what: &str) {
    t.type_line(
        "stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo EN''D",
    );
    let screen = t.wait_for("END");
    assert!(
        screen.contains("icanon echo END"),
        "{what}: cooked mode with echo:\n{screen}"
    );
    t.type_line("clear");
}

/// SIGTERM, SIGHUP and SIGQUIT from outside (a closed window, `kill`) end
/// the picker as Ctrl-C does: the terminal restored, the demo home
/// removed, and the status 128+N.
#[test]
fn signals_restore_the_terminal_and_remove_the_demo_home() {
    if !(require("tmux") && require("bash") && require("pgrep")) {
        return;
    }
    let home = home();
    let tmp = home.root().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let t = Tmux::start("bash", home.path());
    for (sig, code) in [("TERM", 143), ("HUP", 129), ("QUIT", 131)] {
        let tag = format!("sig{sig}{}", std::process::id());
        t.type_line(&format!(
            "TMPDIR='{}' awsp --demo {tag}; echo \"rc=$?\"",
            tmp.display()
        ));
        t.wait_for("0/13");
        assert_eq!(left_in(&tmp).len(), 1, "the demo home exists while it runs");
        let pid = pid_of(&tag);
        let ok = std::process::Command::new("kill")
            .args(["-s", sig, &pid])
            .status()
            .unwrap()
            .success();
        assert!(ok);
        let screen = t.wait_for(&format!("rc={code}"));
        assert!(
            !screen.contains("PROFILE"),
            "SIG{sig}: still on the alternate screen:\n{screen}"
        );
        assert!(left_in(&tmp).is_empty(), "SIG{sig}: {:?}", left_in(&tmp));
        assert_tty_sane(&t, &format!("SIG{sig}"));
    }
}

/// A command other than the picker, run with --demo and stopped by a
/// signal while it waits for an answer, leaves no demo home behind.
#[test]
fn signals_remove_the_demo_home_of_other_commands() {
    if !(require("tmux") && require("bash") && require("pgrep")) {
        return;
    }
    let home = home();
    let tmp = home.root().join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    let t = Tmux::start("bash", home.path());
    for (sig, code) in [("TERM", 143), ("INT", 130)] {
        // awsp under a name of its own, for pgrep to find.
        let tag = format!("awsp-sigclean{sig}{}", std::process::id());
        let tagged = home.root().join(&tag);
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_awsp"), &tagged).unwrap();
        t.type_line(&format!(
            "TMPDIR='{}' '{}' --demo clean; echo \"rc=$?\"",
            tmp.display(),
            tagged.display()
        ));
        t.wait_for("[y/N]");
        assert_eq!(left_in(&tmp).len(), 1, "the demo home exists while it runs");
        if sig == "INT" {
            t.keys(&["C-c"]);
        } else {
            let pid = pid_of(&tag);
            assert!(std::process::Command::new("kill")
                .args(["-s", sig, &pid])
                .status()
                .unwrap()
                .success());
        }
        t.wait_for(&format!("rc={code}"));
        assert!(left_in(&tmp).is_empty(), "SIG{sig}: {:?}", left_in(&tmp));
        t.type_line("clear");
    }
}

/// A FIFO at the history path made a switch hang for ever after the export
/// line was written (reading it waited for a writer). Now it is neither
/// read nor replaced, and the switch ends at once.
#[test]
fn a_fifo_at_the_history_path_does_not_hang_a_switch() {
    let home = home();
    let state = home.root().join("state");
    std::fs::create_dir_all(&state).unwrap();
    let fifo = state.join("history.json");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
    let mut child = home
        .awsp()
        .env("AWSP_STATE_DIR", &state)
        .arg("prod-admin")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > Duration::from_secs(10) {
            child.kill().unwrap();
            child.wait().unwrap();
            panic!("awsp prod-admin hangs on a FIFO at {}", fifo.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().unwrap();
    assert!(status.success(), "{}", common::text(&out.stderr));
    assert!(common::text(&out.stdout).contains("prod-admin"));
    use std::os::unix::fs::FileTypeExt;
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO is left alone");
}

//! The shell handoff, run in real shells.
//!
//! 1. Hostile values: `awsp::shell::render` output is applied by bash, zsh,
//!    sh (dash), fish and nu exactly as the init functions apply it, and each
//!    variable must come out byte for byte, exported, with nothing else run
//!    (no `PWNED` file in the working directory).
//! 2. The init functions themselves (`awsp::shell::init_script`), with
//!    `AWSP_BIN` pointing at a stub. The stub records its arguments, writes a
//!    line on stdout and one on stderr, then execs this very test binary in
//!    "child" mode (`child_process_deliver` below), which calls the real
//!    `awsp::shell::deliver` and exits with the status the test asked for.
//!    So the chain function -> fd 3 / AWSP_OUT -> deliver() -> apply is the
//!    real one; only the picker is missing.
//!
//! A shell that is not on PATH skips its test (`common::skip`; a failure
//! under scripts/test, which installs bash, zsh, fish and nu; pwsh cannot
//! be installed here, its script is reviewed by reading).

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use awsp::shell::{deliver, init_script, render, EnvChange, Shell};

// ---------------------------------------------------------------- shells

/// One shell under test: its label, the `Shell` whose code/script it gets,
/// and the program run.
#[derive(Clone, Copy)]
struct Sh {
    label: &'static str,
    program: &'static str,
    shell: Shell,
}

const BASH: Sh = Sh {
    label: "bash",
    program: "bash",
    shell: Shell::Bash,
};
const ZSH: Sh = Sh {
    label: "zsh",
    program: "zsh",
    shell: Shell::Zsh,
};
const DASH: Sh = Sh {
    label: "sh (dash)",
    program: "dash",
    shell: Shell::Posix,
};
const KSH: Sh = Sh {
    label: "sh (ksh)",
    program: "ksh",
    shell: Shell::Posix,
};
/// Run as `busybox sh`.
const BUSYBOX: Sh = Sh {
    label: "sh (busybox)",
    program: "busybox",
    shell: Shell::Posix,
};
const FISH: Sh = Sh {
    label: "fish",
    program: "fish",
    shell: Shell::Fish,
};
const NU: Sh = Sh {
    label: "nu",
    program: "nu",
    shell: Shell::Nu,
};

fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
}

/// The shell's path, or None after a skip (see `common::skip`).
fn require(sh: Sh) -> Option<PathBuf> {
    if let Some(p) = on_path(sh.program) {
        return Some(p);
    }
    crate::common::skip(&format!("`{}` ({}) is not on PATH", sh.program, sh.label));
    None
}

/// Runs `script` (a file in `dir`) with the shell, cwd = `dir`, a private
/// TMPDIR, `stdin` on standard input. Returns (status, stdout, stderr).
fn run_script(
    sh: Sh,
    program: &Path,
    dir: &Path,
    script: &str,
    envs: &[(&str, &str)],
    stdin: &str,
) -> (i32, String, String) {
    let file = dir.join("script");
    fs::write(&file, script).unwrap();
    let tmpdir = dir.join("tmp");
    fs::create_dir_all(&tmpdir).unwrap();
    let mut cmd = Command::new(program);
    match sh.shell {
        // No user config: plain shells.
        Shell::Fish => {
            cmd.arg("--no-config");
        }
        Shell::Nu => {
            cmd.arg("--no-config-file");
        }
        Shell::Zsh => {
            cmd.arg("-f");
        }
        Shell::Bash => {
            cmd.arg("--norc").arg("--noprofile");
        }
        _ if sh.program == "busybox" => {
            cmd.arg("sh");
        }
        _ => {}
    }
    cmd.arg(&file)
        .current_dir(dir)
        .env("TMPDIR", &tmpdir)
        .env("HOME", dir)
        .env_remove("AWSP_SHELL")
        .env_remove("AWSP_OUT")
        .env_remove("AWSP_BIN")
        .env_remove("AWS_PROFILE")
        .env_remove("AWSP_PREVIOUS")
        .env_remove("AWS_DEFAULT_PROFILE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn shell");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("reading {name}: {e}"))
}

fn read_or_empty(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap_or_default()
}

// ---------------------------------------------------------------- 1. hostile values

fn hostile_values() -> Vec<String> {
    let mut v: Vec<String> = [
        "it's",
        "a\"b",
        "$(touch PWNED)",
        "`touch PWNED`",
        "a\\b",
        "x;touch PWNED",
        "a&b|c",
        "with space",
        "-n",
        "--",
        "ünï €",
        "tab\there",
        "new\nline",
        "%s",
        "!event",
        "*",
        "~root",
        "{a,b}",
        "$HOME",
        "",
        "'",
        "''",
        "\\'",
        "\\",
        "\\\\",
        "a\\nb",
        "\"",
        "'\"'\"'",
        "'; touch PWNED; '",
        "\\'; touch PWNED; echo \\'",
        "\"; touch PWNED; echo \"",
        "(touch PWNED)",
        "{touch,PWNED}",
        "${HOME}",
        "$'x\\n'",
        "$x[1]",
        "=ls",
        " leading and trailing ",
        "trailing newline\n",
        "\n",
        "\r\n",
        "bell\u{7}esc\u{1b}[31m",
        "\u{2018}curly\u{2019} \u{201c}quotes\u{201d}",
        "🦀 emoji",
        "#not a comment",
        "a#b",
        "AWS_PROFILE=x",
        "-e",
        "-gx",
        "--help",
        "!!",
        "^x",
        "x\u{7f}",
        "\u{85}\u{2028}",
        "$(New-Item PWNED)",
        "'}; touch PWNED; {'",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    v.push("long-".repeat(400));
    v
}

/// Code in the shell's own language that applies `code_i` the way the init
/// function does, then writes the results to files (`val_i`: the shell's
/// value, `env_i`: the exported value as printenv sees it, `adp_i`: whether
/// AWS_DEFAULT_PROFILE, which the change unsets, is still set), then sets
/// AWS_DEFAULT_PROFILE again for the next value.
fn apply_and_record(shell: Shell, i: usize) -> String {
    match shell {
        Shell::Bash | Shell::Zsh | Shell::Posix => format!(
            "__c=$(cat ./code_{i})\n\
             eval \"$__c\"\n\
             printf '%s' \"$AWS_PROFILE\" > val_{i}\n\
             printf '%s' \"$AWSP_PREVIOUS\" > prev_{i}\n\
             printenv AWS_PROFILE > env_{i}\n\
             printf '%s' \"${{AWS_DEFAULT_PROFILE+still-set}}\" > adp_{i}\n\
             export AWS_DEFAULT_PROFILE=again\n"
        ),
        Shell::Fish => format!(
            "read -z __c < ./code_{i}\n\
             printf '%s\\n' $__c | source\n\
             printf '%s' \"$AWS_PROFILE\" > val_{i}\n\
             printf '%s' \"$AWSP_PREVIOUS\" > prev_{i}\n\
             printenv AWS_PROFILE > env_{i}\n\
             set -q AWS_DEFAULT_PROFILE; and printf still-set > adp_{i}\n\
             set -gx AWS_DEFAULT_PROFILE again\n"
        ),
        Shell::Nu => format!(
            "__awsp_apply (open --raw ./code_{i} | into string | from json)\n\
             $env.AWS_PROFILE | save -f val_{i}\n\
             $env.AWSP_PREVIOUS | save -f prev_{i}\n\
             ^printenv AWS_PROFILE | save -f env_{i}\n\
             if $env.AWS_DEFAULT_PROFILE? != null {{ 'still-set' | save -f adp_{i} }}\n\
             ^sh -c 'printf %s \"${{AWS_DEFAULT_PROFILE+still-set}}\"' | save -f -a adp_{i}\n\
             $env.AWS_DEFAULT_PROFILE = 'again'\n"
        ),
        Shell::PowerShell => unreachable!("pwsh is not run here"),
    }
}

fn check_hostile(sh: Sh) {
    let Some(program) = require(sh) else { return };
    let dir = tempfile::tempdir().unwrap();
    let values = hostile_values();
    let mut script = String::new();
    if sh.shell == Shell::Zsh {
        // `''` inside single quotes is a quote under RC_QUOTES: must not matter.
        script.push_str("setopt rc_quotes\n");
    }
    if sh.shell == Shell::Nu {
        // The function's own apply command (`__awsp_apply`), as the function uses it.
        script.push_str(init_script(Shell::Nu));
        script.push('\n');
    }
    for (i, value) in values.iter().enumerate() {
        let change = EnvChange {
            set: vec![
                ("AWS_PROFILE".into(), value.clone()),
                ("AWSP_PREVIOUS".into(), format!("prev:{value}")),
            ],
            unset: vec!["AWS_DEFAULT_PROFILE".into()],
        };
        fs::write(
            dir.path().join(format!("code_{i}")),
            render(sh.shell, &change),
        )
        .unwrap();
        script.push_str(&apply_and_record(sh.shell, i));
    }
    script.push_str(match sh.shell {
        Shell::Nu => "'done' | save -f finished\n",
        _ => "printf done > finished\n",
    });
    let (status, stdout, stderr) = run_script(
        sh,
        &program,
        dir.path(),
        &script,
        &[("AWS_DEFAULT_PROFILE", "initial")],
        "",
    );
    assert_eq!(
        read_or_empty(dir.path(), "finished"),
        "done",
        "{}: script did not finish (status {status})\nstdout: {stdout}\nstderr: {stderr}",
        sh.label
    );
    let mut failures = Vec::new();
    for (i, value) in values.iter().enumerate() {
        let shown: String = value.chars().take(60).collect();
        let got = read(dir.path(), &format!("val_{i}"));
        let prev = read(dir.path(), &format!("prev_{i}"));
        let env = read(dir.path(), &format!("env_{i}"));
        let adp = read_or_empty(dir.path(), &format!("adp_{i}"));
        if got != *value {
            failures.push(format!("value {shown:?}: shell variable is {got:?}"));
        }
        if prev != format!("prev:{value}") {
            failures.push(format!("value {shown:?}: AWSP_PREVIOUS is {prev:?}"));
        }
        if env != format!("{value}\n") {
            failures.push(format!("value {shown:?}: exported as {env:?}"));
        }
        if !adp.is_empty() {
            failures.push(format!(
                "value {shown:?}: AWS_DEFAULT_PROFILE was not unset"
            ));
        }
    }
    assert!(
        !dir.path().join("PWNED").exists(),
        "{}: a hostile value ran a command (PWNED exists)",
        sh.label
    );
    assert!(
        failures.is_empty(),
        "{}: {} problems:\n{}\nstderr: {stderr}",
        sh.label,
        failures.len(),
        failures.join("\n")
    );
    assert!(
        stderr.is_empty(),
        "{}: the shell complained: {stderr}",
        sh.label
    );
}

#[test]
fn bash_applies_hostile_values_exactly() {
    check_hostile(BASH);
}

#[test]
fn zsh_applies_hostile_values_exactly() {
    check_hostile(ZSH);
}

#[test]
fn dash_applies_hostile_values_exactly() {
    check_hostile(DASH);
}

#[test]
fn ksh_applies_hostile_values_exactly() {
    check_hostile(KSH);
}

#[test]
fn busybox_sh_applies_hostile_values_exactly() {
    check_hostile(BUSYBOX);
}

#[test]
fn fish_applies_hostile_values_exactly() {
    check_hostile(FISH);
}

#[test]
fn nu_applies_hostile_values_exactly() {
    check_hostile(NU);
}

// ---------------------------------------------------------------- 2. the init functions

/// What the stub hands back through deliver(): odd on purpose.
const STUB_VALUE: &str = "it's $(touch PWNED) \"q\" \\ `x` ü\nline2 -n";

/// The arguments every shell script passes, written identically in every
/// shell's syntax (see `ARGS_SRC`).
const ARGS: &[&str] = &["a b", "it's", "\"q\"", "", "-x", "--", "$HOME", "*"];
const ARGS_SRC: &str = r#""a b" "it's" '"q"' '' -x -- '$HOME' '*'"#;

/// The stub named by AWSP_BIN: a POSIX sh script.
const STUB: &str = r#"#!/bin/sh
# Test stand-in for the awsp binary (see tests/handoff_shells.rs).
d=$STUB_DIR
t=${STUB_TAG:-call}
: > "$d/args_$t"
for a in "$@"; do printf '%s\0' "$a" >> "$d/args_$t"; done
printf '%s' "${AWSP_SHELL-<unset>}" > "$d/awsp_shell_$t"
if [ "$t" = success ]; then
    IFS= read -r line || :
    printf '%s' "$line" > "$d/stdin_$t"
fi
echo "stub-stdout-$t"
echo "stub-stderr-$t" >&2
AWSP_TEST_CHILD=1 STUB_DELIVERY_FILE="$d/delivery_$t" \
    exec "$STUB_TEST_BIN" --exact handoff_shells::child_process_deliver --nocapture --test-threads=1 \
    > "$d/child_stdout_$t"
"#;

/// Not a test of its own: the entry point of the child process that the
/// stub execs. Without AWSP_TEST_CHILD it does nothing.
#[test]
fn child_process_deliver() {
    if std::env::var_os("AWSP_TEST_CHILD").is_none() {
        return;
    }
    let change = EnvChange {
        set: vec![
            (
                "AWS_PROFILE".into(),
                std::env::var("STUB_VALUE").unwrap_or_default(),
            ),
            ("AWSP_PREVIOUS".into(), "previous one".into()),
        ],
        unset: vec!["AWS_DEFAULT_PROFILE".into()],
    };
    let result = deliver(&change);
    let status: i32 = std::env::var("STUB_EXIT")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if let Ok(file) = std::env::var("STUB_DELIVERY_FILE") {
        let text = match &result {
            Ok(d) => format!("{d:?}"),
            Err(e) => format!("error: {e}"),
        };
        fs::write(file, text).unwrap();
    }
    std::process::exit(if result.is_ok() { status } else { 70 });
}

fn set_stub(dir: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let stub = dir.join("stub-awsp");
    fs::write(&stub, STUB).unwrap();
    fs::set_permissions(&stub, fs::Permissions::from_mode(0o755)).unwrap();
    stub
}

/// The script that exercises the installed function; writes its findings
/// to files in the cwd.
fn function_script(shell: Shell) -> String {
    match shell {
        Shell::Bash | Shell::Zsh | Shell::Posix => format!(
            r#"# Options a user may have on must not matter.
set -u
if [ -n "${{ZSH_VERSION-}}" ]; then setopt rc_quotes sh_word_split ksh_arrays; fi
. ./init
for n in 3 4 5 6 7 8 9; do if [ -e /proc/$$/fd/$n ]; then printf "%s " $n; fi; done > fds_before
export AWS_DEFAULT_PROFILE=old
export STUB_EXIT=0 STUB_TAG=success
awsp {ARGS_SRC} > out_success
echo $? > st_success
printf '%s' "${{AWS_PROFILE-<unset>}}" > val_success
printf '%s' "${{AWSP_PREVIOUS-<unset>}}" > prev_success
printenv AWS_PROFILE > env_success
printf '%s' "${{AWS_DEFAULT_PROFILE-<unset>}}" > adp_success
sh -c 'printf %s "${{AWS_DEFAULT_PROFILE-<unset>}}"' > adp_child_success
unset AWS_PROFILE AWSP_PREVIOUS
export AWS_DEFAULT_PROFILE=old
export STUB_EXIT=1 STUB_TAG=fail
awsp x > out_fail
echo $? > st_fail
printf '%s' "${{AWS_PROFILE-<unset>}}" > val_fail
printf '%s' "${{AWS_DEFAULT_PROFILE-<unset>}}" > adp_fail
export STUB_EXIT=0 STUB_TAG=pipe
awsp list | tr a-z A-Z > out_pipe
for n in 3 4 5 6 7 8 9; do if [ -e /proc/$$/fd/$n ]; then printf "%s " $n; fi; done > fds_after
ls -l /proc/$$/fd/ > fd_links_after
printf '%s' "${{__awsp_code+leak}}${{__awsp_status+leak}}" > leak
printf done > finished
"#
        ),
        Shell::Fish => format!(
            r#"source ./init
for n in 3 4 5 6 7 8 9; if test -e /proc/$fish_pid/fd/$n; printf "%s " $n; end; end > fds_before
set -gx AWS_DEFAULT_PROFILE old
set -gx STUB_EXIT 0; set -gx STUB_TAG success
awsp {ARGS_SRC} > out_success
echo $status > st_success
if set -q AWS_PROFILE; printf '%s' "$AWS_PROFILE" > val_success; else; printf '<unset>' > val_success; end
if set -q AWSP_PREVIOUS; printf '%s' "$AWSP_PREVIOUS" > prev_success; else; printf '<unset>' > prev_success; end
printenv AWS_PROFILE > env_success
if set -q AWS_DEFAULT_PROFILE; printf '%s' "$AWS_DEFAULT_PROFILE" > adp_success; else; printf '<unset>' > adp_success; end
sh -c 'printf %s "${{AWS_DEFAULT_PROFILE-<unset>}}"' > adp_child_success
set -e AWS_PROFILE; set -e AWSP_PREVIOUS
set -gx AWS_DEFAULT_PROFILE old
set -gx STUB_EXIT 1; set -gx STUB_TAG fail
awsp x > out_fail
echo $status > st_fail
if set -q AWS_PROFILE; printf '%s' "$AWS_PROFILE" > val_fail; else; printf '<unset>' > val_fail; end
if set -q AWS_DEFAULT_PROFILE; printf '%s' "$AWS_DEFAULT_PROFILE" > adp_fail; else; printf '<unset>' > adp_fail; end
set -gx STUB_EXIT 0; set -gx STUB_TAG pipe
awsp list | tr a-z A-Z > out_pipe
for n in 3 4 5 6 7 8 9; if test -e /proc/$fish_pid/fd/$n; printf "%s " $n; end; end > fds_after
ls -l /proc/$fish_pid/fd/ > fd_links_after
set -n | string match -r '^__awsp' > leak
printf done > finished
"#
        ),
        Shell::Nu => format!(
            r#"source ./init
^ls $"/proc/($nu.pid)/fd" | save -f fds_before
$env.AWS_DEFAULT_PROFILE = 'old'
$env.STUB_EXIT = '0'
$env.STUB_TAG = 'success'
awsp {ARGS_SRC} | save -f out_success
$env.LAST_EXIT_CODE | into string | save -f st_success
$env.AWS_PROFILE? | default '<unset>' | save -f val_success
$env.AWSP_PREVIOUS? | default '<unset>' | save -f prev_success
^printenv AWS_PROFILE | save -f env_success
$env.AWS_DEFAULT_PROFILE? | default '<unset>' | save -f adp_success
^sh -c 'printf %s "${{AWS_DEFAULT_PROFILE-<unset>}}"' | save -f adp_child_success
hide-env AWS_PROFILE AWSP_PREVIOUS
$env.AWS_DEFAULT_PROFILE = 'old'
$env.STUB_EXIT = '1'
$env.STUB_TAG = 'fail'
awsp x | save -f out_fail
$env.LAST_EXIT_CODE | into string | save -f st_fail
$env.AWS_PROFILE? | default '<unset>' | save -f val_fail
$env.AWS_DEFAULT_PROFILE? | default '<unset>' | save -f adp_fail
$env.STUB_EXIT = '0'
$env.STUB_TAG = 'pipe'
awsp list | str upcase | save -f out_pipe
^ls $"/proc/($nu.pid)/fd" | save -f fds_after
^ls -l $"/proc/($nu.pid)/fd/" | save -f fd_links_after
'' | save -f leak
'done' | save -f finished
"#
        ),
        Shell::PowerShell => unreachable!("pwsh is not run here"),
    }
}

fn fd_set(text: &str) -> BTreeSet<String> {
    text.split_whitespace().map(str::to_owned).collect()
}

fn check_function(sh: Sh) {
    let Some(program) = require(sh) else { return };
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let stub = set_stub(d);
    fs::write(d.join("init"), init_script(sh.shell)).unwrap();
    let test_bin = std::env::current_exe().unwrap();
    let (status, stdout, stderr) = run_script(
        sh,
        &program,
        d,
        &function_script(sh.shell),
        &[
            ("AWSP_BIN", stub.to_str().unwrap()),
            ("STUB_DIR", d.to_str().unwrap()),
            ("STUB_TEST_BIN", test_bin.to_str().unwrap()),
            ("STUB_VALUE", STUB_VALUE),
            // Inherited from the parent process, then reassigned in the
            // script: the case where nu's hide-env alone falls short.
            ("AWS_DEFAULT_PROFILE", "from-parent"),
        ],
        "line-from-stdin\nsecond line\n",
    );
    let ctx = format!(
        "{} (status {status})\nstdout: {stdout}\nstderr: {stderr}",
        sh.label
    );
    assert_eq!(
        read_or_empty(d, "finished"),
        "done",
        "did not finish: {ctx}"
    );

    // Which shell the binary was told, and where deliver() wrote.
    let expect_shell = sh.shell.name();
    assert_eq!(read(d, "awsp_shell_success"), expect_shell, "{ctx}");
    let expect_delivery = match sh.shell {
        Shell::Nu => "File(",
        _ => "Fd3",
    };
    for tag in ["success", "fail", "pipe"] {
        let delivery = read(d, &format!("delivery_{tag}"));
        assert!(
            delivery.starts_with(expect_delivery),
            "{tag}: delivered {delivery:?}: {ctx}"
        );
        if sh.shell == Shell::Nu {
            // The temp file is made in TMPDIR, which is checked for leftovers below.
            let tmp = d.join("tmp").join("awsp.");
            assert!(
                delivery.contains(tmp.to_str().unwrap()),
                "{tag}: {delivery} not under {}",
                tmp.display()
            );
        }
        // Nothing of the code on the binary's stdout.
        let child_out = read(d, &format!("child_stdout_{tag}"));
        assert!(!child_out.contains("AWS_PROFILE"), "{tag}: {child_out:?}");
    }

    // Exit 0: the variables are set (exactly, exported), the unset applied.
    assert_eq!(read(d, "st_success").trim(), "0", "{ctx}");
    assert_eq!(read(d, "val_success"), STUB_VALUE, "{ctx}");
    assert_eq!(read(d, "prev_success"), "previous one", "{ctx}");
    assert_eq!(read(d, "env_success"), format!("{STUB_VALUE}\n"), "{ctx}");
    assert_eq!(read(d, "adp_success"), "<unset>", "{ctx}");
    assert_eq!(read(d, "adp_child_success"), "<unset>", "{ctx}");

    // Arguments pass through unchanged; stdin is the caller's.
    let args = read(d, "args_success");
    let got: Vec<&str> = args.split_terminator('\0').collect();
    assert_eq!(got, ARGS, "{ctx}");
    assert_eq!(read(d, "stdin_success"), "line-from-stdin", "{ctx}");

    // The binary's stdout reaches the caller's stdout, its stderr the caller's stderr.
    assert_eq!(read(d, "out_success"), "stub-stdout-success\n", "{ctx}");
    assert!(stderr.contains("stub-stderr-success"), "{ctx}");
    assert_eq!(read(d, "out_pipe"), "STUB-STDOUT-PIPE\n", "{ctx}");

    // Exit 1: status passes through, nothing applied.
    assert_eq!(read(d, "st_fail").trim(), "1", "{ctx}");
    assert_eq!(read(d, "val_fail"), "<unset>", "{ctx}");
    assert_eq!(read(d, "adp_fail"), "old", "{ctx}");
    assert_eq!(read(d, "out_fail"), "stub-stdout-fail\n", "{ctx}");

    // Nothing left behind: no variables, no temp files, no open fds, no PWNED.
    assert_eq!(read(d, "leak"), "", "leftover variables: {ctx}");
    let leftovers: Vec<_> = fs::read_dir(d.join("tmp"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
    let links = read(d, "fd_links_after");
    assert!(
        !links.contains(d.join("tmp").to_str().unwrap()),
        "the shell still holds a temp file open:\n{links}\n{ctx}"
    );
    if sh.shell != Shell::Nu {
        // Descriptors 3-9 (tested with builtins, so no child or redirection
        // of the listing itself interferes) are as they were before. nu's
        // runtime opens and closes low descriptors of its own over time.
        let before = fd_set(&read(d, "fds_before"));
        let after = fd_set(&read(d, "fds_after"));
        assert_eq!(before, after, "open fds changed: {ctx}");
    }
    assert!(!d.join("PWNED").exists(), "{ctx}");
}

#[test]
fn bash_function_hands_off() {
    check_function(BASH);
}

#[test]
fn zsh_function_hands_off() {
    check_function(ZSH);
}

#[test]
fn dash_function_hands_off() {
    check_function(DASH);
}

#[test]
fn ksh_function_hands_off() {
    check_function(KSH);
}

#[test]
fn busybox_sh_function_hands_off() {
    check_function(BUSYBOX);
}

#[test]
fn fish_function_hands_off() {
    check_function(FISH);
}

#[test]
fn nu_function_hands_off() {
    check_function(NU);
}

// ---------------------------------------------------------------- 3. deliver() without a function

/// Runs this test binary in child mode under `sh -c PRELUDE`, with `envs`.
/// Returns (exit status, stdout, the delivery file's text).
fn run_child(prelude: &str, envs: &[(&str, &str)]) -> (i32, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let delivery = dir.path().join("delivery");
    let test_bin = std::env::current_exe().unwrap();
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!(
            "{prelude}\nexec \"$0\" --exact handoff_shells::child_process_deliver --nocapture --test-threads=1"
        ))
        .arg(&test_bin)
        .current_dir(dir.path())
        .env("AWSP_TEST_CHILD", "1")
        .env("STUB_DELIVERY_FILE", &delivery)
        .env("STUB_VALUE", "it's")
        .env_remove("AWSP_SHELL")
        .env_remove("AWSP_OUT")
        .env("SHELL", "/bin/bash");
    for (k, v) in envs {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        fs::read_to_string(&delivery).unwrap_or_default(),
    )
}

#[test]
fn deliver_without_function_prints_on_stdout() {
    // fd 3 open but no AWSP_SHELL: not the function's fd, so stdout.
    let (st, out, delivery) = run_child("exec 3>/dev/null", &[]);
    assert_eq!((st, delivery.as_str()), (0, "Stdout"));
    assert!(out.contains("export AWS_PROFILE='it'\\''s'\n"), "{out}");

    // AWSP_SHELL set but fd 3 closed: stdout, in that shell's syntax.
    let (st, out, delivery) = run_child("exec 3>&-", &[("AWSP_SHELL", "fish")]);
    assert_eq!((st, delivery.as_str()), (0, "Stdout"));
    assert!(out.contains("set -gx -- AWS_PROFILE 'it\\'s'\n"), "{out}");

    // fd 3 open read-only: cannot be the function's pipe.
    let (st, out, delivery) = run_child("exec 3</dev/null", &[("AWSP_SHELL", "bash")]);
    assert_eq!((st, delivery.as_str()), (0, "Stdout"));
    assert!(out.contains("export AWS_PROFILE="), "{out}");
}

#[test]
fn deliver_writes_fd3_when_the_function_asks() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("fd3");
    let (st, out, delivery) = run_child(
        &format!("exec 3>'{}'", f.display()),
        &[("AWSP_SHELL", "zsh"), ("STUB_EXIT", "0")],
    );
    assert_eq!((st, delivery.as_str()), (0, "Fd3"));
    assert!(!out.contains("AWS_PROFILE"), "{out}");
    assert_eq!(
        fs::read_to_string(&f).unwrap(),
        "unset AWS_DEFAULT_PROFILE\nexport AWS_PROFILE='it'\\''s'\nexport AWSP_PREVIOUS='previous one'\n"
    );
}

#[test]
fn deliver_writes_awsp_out_file() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("out.json");
    fs::write(
        &f,
        "stale content that is longer than the document ...............",
    )
    .unwrap();
    let (st, out, delivery) = run_child(
        "exec 3>&-",
        &[("AWSP_SHELL", "nu"), ("AWSP_OUT", f.to_str().unwrap())],
    );
    assert_eq!(st, 0);
    assert_eq!(delivery, format!("File({:?})", f));
    assert!(!out.contains("AWS_PROFILE"), "{out}");
    let doc: serde_json::Value = serde_json::from_str(&fs::read_to_string(&f).unwrap()).unwrap();
    assert_eq!(doc["set"]["AWS_PROFILE"], "it's");
    assert_eq!(doc["unset"][0], "AWS_DEFAULT_PROFILE");

    // A stale AWSP_OUT naming a missing file is an error, not a new file.
    let missing = dir.path().join("missing");
    let (st, _, delivery) = run_child(
        "",
        &[
            ("AWSP_SHELL", "nu"),
            ("AWSP_OUT", missing.to_str().unwrap()),
        ],
    );
    assert_eq!(st, 70);
    assert!(
        delivery.starts_with("error: cannot write to AWSP_OUT="),
        "{delivery}"
    );
    assert!(!missing.exists());
}

// ---------------------------------------------------------------- 4. the README's install lines

/// The nushell row of the README's install table: its two commands.
fn readme_nu_lines() -> (String, String) {
    let readme = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let row = readme
        .lines()
        .find(|l| l.starts_with("| nushell |"))
        .expect("a nushell row in README.md");
    let code: Vec<&str> = row.split('`').skip(1).step_by(2).collect();
    assert!(code.len() >= 2, "{row}");
    (code[0].replace("\\|", "|"), code[1].replace("\\|", "|"))
}

#[test]
fn readme_nu_install_works_on_a_fresh_home() {
    let Some(nu) = require(NU) else { return };
    let (install, source) = readme_nu_lines();
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join("bin");
    fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_awsp"), bin.join("awsp")).unwrap();
    let path = format!("{}:/usr/bin:/bin", bin.display());
    let nu_run = |code: &str| {
        Command::new(&nu)
            .args(["--no-config-file", "-c", code])
            .env_clear()
            .env("HOME", home.path())
            .env("PATH", &path)
            .output()
            .unwrap()
    };
    let out = nu_run(&install);
    assert!(
        out.status.success(),
        "{install}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Twice: it is also the line to run again after an upgrade.
    assert!(nu_run(&install).status.success(), "{install} again");
    let out = nu_run(&format!(
        "{source}; $env.AWS_PROFILE = 'x'; awsp --unset; print ($env.AWS_PROFILE? | default 'gone')"
    ));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "gone",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

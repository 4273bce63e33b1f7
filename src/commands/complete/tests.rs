use super::*;
use crate::cli::Cli;
use clap::CommandFactory;

fn built() -> Command {
    let mut cmd = Cli::command();
    cmd.build();
    cmd
}

fn plan_of(line: &[&str]) -> Plan {
    let words: Vec<String> = line.iter().map(|w| w.to_string()).collect();
    plan(&built(), &words)
}

fn values(plan: &Plan) -> Vec<&str> {
    plan.fixed.iter().map(|c| c.value.as_str()).collect()
}

/// Every visible subcommand, flag and possible value of the command line,
/// at every level, is offered where clap would take it: a flag added to
/// cli.rs completes with no other change.
#[test]
fn every_flag_subcommand_and_value_is_offered() {
    fn check(cmd: &Command, path: &mut Vec<String>) {
        let at = |current: &str| {
            let mut words = vec!["awsp".to_string()];
            words.extend(path.iter().cloned());
            words.push(current.to_string());
            words
        };
        let root = built();
        let flags = plan(&root, &at("-"));
        for arg in cmd
            .get_arguments()
            .filter(|a| !a.is_positional() && !a.is_hide_set())
        {
            let want = match arg.get_long() {
                Some(long) => format!("--{long}"),
                None => format!("-{}", arg.get_short().unwrap()),
            };
            assert!(
                values(&flags).contains(&want.as_str()),
                "{path:?}: {want} missing from {:?}",
                values(&flags)
            );
            let mut after = at("");
            after.insert(after.len() - 1, want.clone());
            let taken = plan(&root, &after);
            for v in arg
                .get_possible_values()
                .iter()
                .filter(|v| !v.is_hide_set())
            {
                assert!(
                    values(&taken).contains(&v.get_name()),
                    "{path:?} {want}: {} missing",
                    v.get_name()
                );
            }
        }
        let first = plan(&root, &at(""));
        let mut visible = 0;
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            visible += 1;
            assert!(
                values(&first).contains(&sub.get_name()),
                "{path:?}: {} missing",
                sub.get_name()
            );
            path.push(sub.get_name().to_string());
            check(sub, path);
            path.pop();
        }
        assert!(
            first
                .fixed
                .iter()
                .filter(|c| c.group == Group::Command)
                .count()
                == visible,
            "{path:?}: hidden commands offered: {:?}",
            values(&first)
        );
    }
    let cmd = built();
    assert!(cmd.get_subcommands().count() > 5);
    check(&cmd, &mut Vec::new());
}

#[test]
fn first_word_offers_commands_and_profiles() {
    let p = plan_of(&["awsp", "li"]);
    assert!(values(&p).contains(&"list") && values(&p).contains(&"completions"));
    assert!(!values(&p).contains(&"__complete"));
    assert!(p.profiles && !p.demo && p.current == "li");
    let list = p.fixed.iter().find(|c| c.value == "list").unwrap();
    assert_eq!(
        list.help,
        "Print every profile and sso-session with token and credential state"
    );
}

#[test]
fn a_finished_query_takes_nothing_more() {
    let p = plan_of(&["awsp", "prod", ""]);
    assert!(p.fixed.is_empty() && !p.profiles, "{p:?}");
}

#[test]
fn after_double_dash_only_profiles() {
    let p = plan_of(&["awsp", "--", "li"]);
    assert!(p.fixed.is_empty() && p.profiles, "{p:?}");
    // `--` itself is a word: a name after it is not a flag.
    let p = plan_of(&["awsp", "--", "-x"]);
    assert!(p.fixed.is_empty() && p.profiles, "{p:?}");
}

#[test]
fn flag_values() {
    let p = plan_of(&["awsp", "--region", "ca-c"]);
    assert!(values(&p).contains(&"ca-central-1") && values(&p).contains(&"us-gov-west-1"));
    assert!(!p.profiles);
    let p = plan_of(&["awsp", "--region=ca-c"]);
    assert!(values(&p).contains(&"--region=ca-central-1"), "{p:?}");
    assert_eq!(p.prefix, "--region=");
    let p = plan_of(&["awsp", "list", "--color", ""]);
    assert_eq!(values(&p), ["auto", "always", "never"]);
    // A value that looks like a flag is the flag's value.
    let p = plan_of(&["awsp", "--login-args", "--no-browser", ""]);
    assert!(p.profiles && values(&p).contains(&"list"), "{p:?}");
    // Free text: nothing to offer.
    let p = plan_of(&["awsp", "status", "--format", ""]);
    assert!(p.fixed.is_empty() && !p.profiles);
    // A flag with its value in the word needs no next word.
    let p = plan_of(&["awsp", "--region=eu-west-1", ""]);
    assert!(p.profiles && values(&p).contains(&"list"));
}

#[test]
fn subcommand_positionals() {
    let p = plan_of(&["awsp", "init", ""]);
    assert_eq!(
        values(&p),
        ["bash", "zsh", "fish", "powershell", "nu", "sh"]
    );
    assert!(!p.profiles);
    let p = plan_of(&["awsp", "login", "dev"]);
    assert!(p.profiles && p.fixed.is_empty());
    let p = plan_of(&["awsp", "completions", ""]);
    assert_eq!(values(&p), ["bash", "zsh", "fish"]);
    let p = plan_of(&["awsp", "list", "--j"]);
    assert!(values(&p).contains(&"--json") && values(&p).contains(&"--demo"));
    assert!(!values(&p).contains(&"--login-args"), "{:?}", values(&p));
    let p = plan_of(&["awsp", "clean", "-y", "--"]);
    assert!(values(&p).contains(&"--dry-run"));
}

#[test]
fn demo_anywhere_before_selects_the_demo_home() {
    assert!(plan_of(&["awsp", "--demo", ""]).demo);
    assert!(plan_of(&["awsp", "login", "--demo", ""]).demo);
    assert!(!plan_of(&["awsp", "--", "--demo", ""]).demo);
}

#[test]
fn help_is_one_short_line() {
    assert_eq!(one_line("Unset X.\n\nMore text."), "Unset X");
    assert_eq!(
        one_line("Also unset A,\nB and C. Which override"),
        "Also unset A, B and C"
    );
    assert_eq!(
        one_line("Print it, e.g. `awsp man`."),
        "Print it, e.g. `awsp man`"
    );
    let long = one_line(&"word ".repeat(40));
    assert_eq!(long.chars().count(), 80);
    assert!(long.ends_with('…'));
}

fn candidate(value: &str, help: &str, group: Group) -> Candidate {
    Candidate {
        value: value.into(),
        help: help.into(),
        group,
    }
}

#[test]
fn output_per_shell() {
    let plan = Plan {
        current: "pr".into(),
        fixed: vec![candidate("print", "Print it", Group::Command)],
        profiles: true,
        ..Plan::default()
    };
    let names = [
        candidate("prod-admin", "sso 1/Admin", Group::Profile),
        candidate("team a's $x", "", Group::Profile),
        candidate("pré\tx", "static", Group::Profile),
        candidate("dev", "static", Group::Profile),
    ];
    let text = |shell| {
        let mut out = Vec::new();
        write(&mut out, shell, &plan, &names).unwrap();
        String::from_utf8(out).unwrap()
    };
    assert_eq!(text(CompletionShell::Bash), "print\nprod-admin\npré\tx\n");
    assert_eq!(
        text(CompletionShell::Fish),
        "print\tPrint it\nprod-admin\tsso 1/Admin\nteam a's $x\ndev\tstatic\n"
    );
    assert_eq!(
        text(CompletionShell::Zsh),
        "commands\n1\nprint\nprint  -- Print it\n\
         profiles\n4\nprod-admin\nteam a's $x\npré\tx\ndev\n\
         prod-admin   -- sso 1/Admin\nteam a's $x\npré\\tx       -- static\ndev          -- static\n"
    );
}

#[test]
fn profile_descriptions() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        "[profile sso]\nsso_session = s\nsso_account_id = 111111111111\nsso_role_name = Admin\nregion = eu-west-1\n\
         [sso-session s]\nsso_start_url = https://x\nsso_region = us-east-1\n\
         [profile role]\nrole_arn = arn:aws:iam::222222222222:role/path/Deploy\nsource_profile = sso\n\
         [profile \"odd\u{1b}name\"]\nregion = x\u{7}y\n",
    )
    .unwrap();
    let paths = AwsPaths {
        config,
        credentials: dir.path().join("credentials"),
        ..AwsPaths::from_process_env()
    };
    let got: Vec<(String, String)> = profiles(&paths, true)
        .into_iter()
        .map(|c| (c.value, c.help))
        .collect();
    assert_eq!(
        got,
        [
            ("sso".into(), "111111111111/Admin eu-west-1".into()),
            ("role".into(), "222222222222/Deploy".into()),
            ("odd\u{1b}name".into(), "x\\x07y".into()),
        ]
    );
    let names: Vec<String> = profiles(&paths, false)
        .into_iter()
        .map(|c| c.value)
        .collect();
    assert_eq!(names, ["sso", "role", "odd\u{1b}name"]);
    std::fs::write(&paths.config, "[profile broken\n").unwrap();
    assert!(profiles(&paths, true).is_empty());
}

#[test]
fn packaged_scripts_are_the_completion_part() {
    for (shell, registers) in [
        (CompletionShell::Bash, "complete -F _awsp_complete awsp"),
        (CompletionShell::Zsh, "compdef _awsp awsp"),
        (CompletionShell::Fish, "complete -c awsp -f -a"),
    ] {
        let text = script(shell);
        assert!(
            text.contains(registers) && text.contains("__complete"),
            "{shell:?}:\n{text}"
        );
        // Not the shell function (fd 3): only completion.
        assert!(!text.contains("3>"), "{shell:?}:\n{text}");
    }
    assert!(script(CompletionShell::Zsh).starts_with("#compdef awsp\n"));
}

#[test]
fn man_page_names_every_subcommand() {
    let mut out = Vec::new();
    man_page(&mut out).unwrap();
    let roff = String::from_utf8(out).unwrap();
    assert!(
        roff.starts_with(".ie \\n(.g .ds Aq") || roff.contains(".TH awsp"),
        "{roff}"
    );
    for sub in Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
    {
        // Named in awsp(1)'s SUBCOMMANDS, and a page of its own.
        let name = format!("awsp\\-{}", sub.get_name());
        assert!(roff.contains(&format!("{name}(1)")), "{name}");
        assert!(
            roff.contains(&format!(".TH awsp-{} 1", sub.get_name())),
            "{name}"
        );
    }
    assert!(!roff.contains("__complete"));
    for flag in ["\\-\\-region", "\\-\\-unset", "\\-\\-demo"] {
        assert!(roff.contains(flag), "{flag}:\n{roff}");
    }
}

/// The region table is botocore's: regenerate it with regions.py when
/// this fails (needs AWSP_ORACLE_PYTHON, a Python with botocore).
#[test]
fn regions_match_botocore() {
    let Some(python) = crate::aws::cache::oracle_tests::oracle_python() else {
        return;
    };
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src/commands/complete/regions.py"
    );
    let out = std::process::Command::new(python)
        .arg(script)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        include_str!("regions.rs"),
        "stale: run regions.py > src/commands/complete/regions.rs"
    );
    assert!(REGIONS.iter().any(|(code, _)| *code == "us-east-1"));
}

#[test]
fn many_profiles_come_without_descriptions() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let paths = AwsPaths {
        config: config.clone(),
        credentials: dir.path().join("credentials"),
        ..AwsPaths::from_process_env()
    };
    let home = |n: usize| {
        let text: String = (0..n)
            .map(|i| format!("[profile p{i}]\nregion = r{i}\n"))
            .collect();
        std::fs::write(&config, text).unwrap();
    };
    home(DESCRIBED_UP_TO);
    let got = profiles(&paths, true);
    assert_eq!(got.len(), DESCRIBED_UP_TO);
    assert!(got.iter().all(|c| c.help.starts_with('r')));
    home(DESCRIBED_UP_TO + 1);
    let got = profiles(&paths, true);
    assert_eq!(got.len(), DESCRIBED_UP_TO + 1);
    assert!(got.iter().all(|c| c.help.is_empty()));
}

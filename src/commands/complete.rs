//! Shell completion from the binary: `awsp __complete SHELL -- WORDS...`
//! (hidden) prints the candidates for the last of WORDS, so the scripts in
//! `shell/` only split the line and insert what they get back. Subcommands,
//! flags and their values are read from clap's `Command` (a flag added to
//! `cli.rs` completes everywhere with no script change), regions from
//! botocore's partitions (`regions.rs`, generated), profile names from the
//! config as `awsp list --names` reads them.
//!
//! Also `awsp completions SHELL` (the scripts' completion part alone, for
//! packagers) and `awsp man` (the man page, from clap).

mod regions;

use std::io::{self, Write};

use clap::{Arg, Command};
use unicode_width::UnicodeWidthStr;

use crate::aws::config::Config;
use crate::aws::ini;
use crate::aws::paths::AwsPaths;
use crate::aws::snapshot::split_role_arn;
use crate::cli::CompletionShell;
use crate::output::human::printable;

pub use regions::REGIONS;

/// Positionals whose values are profile names (by clap id).
const PROFILE_ARGS: &[&str] = &["query", "name", "profile"];
/// Flags whose values are AWS regions (by clap id).
const REGION_ARGS: &[&str] = &["region"];
/// Profiles are described (which needs their settings parsed) up to this
/// many: past it the names alone, as fast as `awsp list --names` (a menu
/// of thousands is searched by name, not read).
pub const DESCRIBED_UP_TO: usize = 2_000;
/// The flag whose presence means "the demo home's profiles" (by clap id).
const DEMO_ARG: &str = "demo";

/// What kind of word a candidate is; zsh lists each kind as a group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Command,
    Option,
    Profile,
    Value,
}

impl Group {
    fn tag(self) -> &'static str {
        match self {
            Group::Command => "commands",
            Group::Option => "options",
            Group::Profile => "profiles",
            Group::Value => "values",
        }
    }
}

/// One word the shell may insert, and the line that explains it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub value: String,
    pub help: String,
    pub group: Group,
}

/// What the word being completed can be, decided from the words before it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// The word as typed so far (unquoted).
    pub current: String,
    /// Subcommands, flags and fixed values, each already starting with `prefix`.
    pub fixed: Vec<Candidate>,
    /// Profile names are wanted too.
    pub profiles: bool,
    /// `--demo` was given: names come from the demo home.
    pub demo: bool,
    /// Put before each value (`--region=` when the value shares the word).
    pub prefix: String,
}

/// Reads `words` (the program name, the words before the cursor, and the
/// word being completed, all unquoted) against `cmd` as clap would parse
/// them. `cmd` must be built (`Command::build`), so global flags and
/// `--help` are in every subcommand.
pub fn plan(cmd: &Command, words: &[String]) -> Plan {
    let (current, before) = match words.split_last() {
        Some((current, rest)) => (current.as_str(), rest.get(1..).unwrap_or_default()),
        None => ("", &[][..]),
    };
    let mut walk = Walk::new(cmd);
    for word in before {
        walk.step(word);
    }
    walk.finish(current)
}

/// Where the parse of the words before the cursor stands.
struct Walk<'c> {
    cmd: &'c Command,
    /// Positionals given to `cmd` so far.
    positionals: usize,
    after_double_dash: bool,
    /// A flag that takes the next word as its value.
    pending: Option<&'c Arg>,
    demo: bool,
}

impl<'c> Walk<'c> {
    fn new(cmd: &'c Command) -> Walk<'c> {
        Walk {
            cmd,
            positionals: 0,
            after_double_dash: false,
            pending: None,
            demo: false,
        }
    }

    fn step(&mut self, word: &str) {
        if self.pending.take().is_some() {
            return;
        }
        if self.after_double_dash {
            self.positionals += 1;
        } else if word == "--" {
            self.after_double_dash = true;
        } else if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((name, _)) => (name, true),
                None => (long, false),
            };
            if let Some(arg) = find_long(self.cmd, name) {
                self.flag_given(arg, inline);
            }
        } else if word.len() > 1 && word.starts_with('-') {
            self.shorts_given(&word[1..]);
        } else if let Some(sub) = self.subcommand(word) {
            self.cmd = sub;
            self.positionals = 0;
        } else {
            self.positionals += 1;
        }
    }

    /// A cluster of short flags, `-y` or `-hy`: a flag taking a value
    /// takes the rest of the word, or the next word when it is last.
    fn shorts_given(&mut self, cluster: &str) {
        for (i, c) in cluster.char_indices() {
            let Some(arg) = self.cmd.get_arguments().find(|a| a.get_short() == Some(c)) else {
                continue;
            };
            let rest_is_value = i + c.len_utf8() < cluster.len();
            self.flag_given(arg, rest_is_value);
            if takes_value(arg) {
                return;
            }
        }
    }

    fn flag_given(&mut self, arg: &'c Arg, value_in_word: bool) {
        if arg.get_id() == DEMO_ARG {
            self.demo = true;
        }
        if takes_value(arg) && !value_in_word {
            self.pending = Some(arg);
        }
    }

    /// The subcommand `word` names, where one may stand: first, before
    /// any positional and any `--`.
    fn subcommand(&self, word: &str) -> Option<&'c Command> {
        if self.positionals > 0 {
            return None;
        }
        self.cmd.find_subcommand(word)
    }

    fn finish(self, current: &str) -> Plan {
        let mut plan = Plan {
            current: current.to_string(),
            demo: self.demo,
            ..Plan::default()
        };
        if let Some(arg) = self.pending {
            add_values(&mut plan, arg);
            return plan;
        }
        if !self.after_double_dash {
            if let Some((flag, _)) = current.strip_prefix("--").and_then(|l| l.split_once('=')) {
                if let Some(arg) = find_long(self.cmd, flag).filter(|a| takes_value(a)) {
                    plan.prefix = format!("--{flag}=");
                    add_values(&mut plan, arg);
                }
                return plan;
            }
            if current.starts_with('-') {
                plan.fixed = flags(self.cmd);
                return plan;
            }
            if self.positionals == 0 {
                plan.fixed = subcommands(self.cmd);
            }
        }
        if let Some(arg) = positional(self.cmd, self.positionals) {
            add_values(&mut plan, arg);
        }
        plan
    }
}

fn find_long<'c>(cmd: &'c Command, name: &str) -> Option<&'c Arg> {
    cmd.get_arguments().find(|a| {
        a.get_long() == Some(name)
            || a.get_all_aliases()
                .is_some_and(|aliases| aliases.contains(&name))
    })
}

fn takes_value(arg: &Arg) -> bool {
    arg.get_action().takes_values()
}

/// The positional at 0-based `index`: only its first value completes (the
/// picker's QUERY is several words, but only its first can be a name).
fn positional(cmd: &Command, index: usize) -> Option<&Arg> {
    cmd.get_positionals()
        .filter(|a| !a.is_hide_set())
        .nth(index)
}

/// The values `arg` takes: profile names, regions, or clap's possible values.
fn add_values(plan: &mut Plan, arg: &Arg) {
    let id = arg.get_id().as_str();
    if PROFILE_ARGS.contains(&id) {
        plan.profiles = true;
    } else if REGION_ARGS.contains(&id) {
        plan.fixed = REGIONS
            .iter()
            .map(|(code, description)| Candidate {
                value: format!("{}{code}", plan.prefix),
                help: description.to_string(),
                group: Group::Value,
            })
            .collect();
    } else {
        plan.fixed = arg
            .get_possible_values()
            .into_iter()
            .filter(|v| !v.is_hide_set())
            .map(|v| Candidate {
                value: format!("{}{}", plan.prefix, v.get_name()),
                help: v
                    .get_help()
                    .map(|h| one_line(&h.to_string()))
                    .unwrap_or_default(),
                group: Group::Value,
            })
            .collect();
    }
}

fn flags(cmd: &Command) -> Vec<Candidate> {
    cmd.get_arguments()
        .filter(|a| !a.is_positional() && !a.is_hide_set())
        .filter_map(|a| {
            let value = match (a.get_long(), a.get_short()) {
                (Some(long), _) => format!("--{long}"),
                (None, Some(short)) => format!("-{short}"),
                (None, None) => return None,
            };
            Some(Candidate {
                value,
                help: a
                    .get_help()
                    .map(|h| one_line(&h.to_string()))
                    .unwrap_or_default(),
                group: Group::Option,
            })
        })
        .collect()
}

fn subcommands(cmd: &Command) -> Vec<Candidate> {
    cmd.get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| Candidate {
            value: s.get_name().to_string(),
            help: s
                .get_about()
                .map(|h| one_line(&h.to_string()))
                .unwrap_or_default(),
            group: Group::Command,
        })
        .collect()
}

/// Help text as one short line: its first sentence, at most 80 columns.
fn one_line(help: &str) -> String {
    let flat = help.split_whitespace().collect::<Vec<_>>().join(" ");
    // A sentence ends at a full stop before a capital ("e.g. `awsp`" goes on).
    let end = flat
        .match_indices(". ")
        .map(|(i, _)| i)
        .find(|&i| flat[i + 2..].starts_with(|c: char| c.is_uppercase()));
    let first = match end {
        Some(end) => &flat[..end],
        None => flat.trim_end_matches('.'),
    };
    if first.chars().count() <= 80 {
        return first.to_string();
    }
    let cut: String = first.chars().take(79).collect();
    format!("{cut}…")
}

// ---- Profiles --------------------------------------------------------------

/// The profile names for completion, with a description when the shell
/// shows one (`account/role`, the credential kind, the region). A file
/// that does not parse gives no names: completion stays quiet
/// (`awsp doctor` explains).
pub fn profiles(paths: &AwsPaths, described: bool) -> Vec<Candidate> {
    // `list --names`'s load first: section names only, no settings.
    let Ok(mut config) = Config::load_names(&paths.config, &paths.credentials) else {
        return Vec::new();
    };
    let described = described && config.profiles.len() <= DESCRIBED_UP_TO;
    if described {
        match Config::load(&paths.config, &paths.credentials) {
            Ok(full) => config = full,
            Err(_) => return Vec::new(),
        }
    }
    let candidates = config
        .profiles
        .iter()
        .map(|p| Candidate {
            value: p.name.clone(),
            help: if described {
                profile_help(p)
            } else {
                String::new()
            },
            group: Group::Profile,
        })
        .collect();
    // The process ends next: freeing 10,000 profiles one by one is waste.
    std::mem::forget(config);
    candidates
}

/// `111111111111/AdministratorAccess us-east-1`, as far as the profile's
/// own settings say (the account and role of `role_arn`, else of
/// `sso_account_id`/`sso_role_name`). No credential resolution: at
/// 10,000 profiles it would cost more than the rest of the completion.
fn profile_help(p: &crate::aws::config::Profile) -> String {
    let setting = |key| ini::get_str(&p.settings, key);
    let (account, role) = match setting("role_arn").and_then(split_role_arn) {
        Some((account, role)) => (Some(account), Some(role)),
        None => (setting("sso_account_id"), setting("sso_role_name")),
    };
    let account_role = match (account, role) {
        (Some(a), Some(r)) => Some(format!("{a}/{r}")),
        (a, r) => a.or(r).map(str::to_string),
    };
    let help = [account_role.as_deref(), setting("region")]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    printable(&help).into_owned()
}

// ---- Output ------------------------------------------------------------------

/// Prints the candidates for `shell`:
/// - bash: the values starting with the current word, one a line (bash
///   shows no descriptions and matches by prefix);
/// - fish: `value<TAB>description` a line; fish does its own matching;
/// - zsh: per group, its tag, the count N, N values, then N display lines
///   (`value  -- description`, aligned), for `compadd -d`.
///
/// A name holding a line break cannot travel one a line and is left out
/// (INI section headers cannot hold one); fish also loses names holding a
/// tab, which it would read as the start of the description.
pub fn write(
    out: &mut dyn Write,
    shell: CompletionShell,
    plan: &Plan,
    profiles: &[Candidate],
) -> io::Result<()> {
    let all = plan
        .fixed
        .iter()
        .chain(profiles)
        .filter(|c| !c.value.contains(['\n', '\r']));
    match shell {
        CompletionShell::Bash => {
            for c in all.filter(|c| c.value.starts_with(&plan.current)) {
                writeln!(out, "{}", c.value)?;
            }
        }
        CompletionShell::Fish => {
            for c in all.filter(|c| !c.value.contains('\t')) {
                if c.help.is_empty() {
                    writeln!(out, "{}", c.value)?;
                } else {
                    writeln!(out, "{}\t{}", c.value, c.help)?;
                }
            }
        }
        CompletionShell::Zsh => {
            let all: Vec<&Candidate> = all.collect();
            for group in [Group::Command, Group::Option, Group::Profile, Group::Value] {
                let members: Vec<&Candidate> =
                    all.iter().copied().filter(|c| c.group == group).collect();
                write_zsh_group(out, group, &members)?;
            }
        }
    }
    Ok(())
}

fn write_zsh_group(out: &mut dyn Write, group: Group, members: &[&Candidate]) -> io::Result<()> {
    if members.is_empty() {
        return Ok(());
    }
    writeln!(out, "{}\n{}", group.tag(), members.len())?;
    for c in members {
        writeln!(out, "{}", c.value)?;
    }
    let shown: Vec<_> = members.iter().map(|c| printable(&c.value)).collect();
    let width = shown.iter().map(|s| s.width()).max().unwrap_or(0);
    for (c, shown) in members.iter().zip(&shown) {
        if c.help.is_empty() {
            writeln!(out, "{shown}")?;
        } else {
            let pad = width - shown.width();
            writeln!(out, "{shown}{:pad$}  -- {}", "", c.help)?;
        }
    }
    Ok(())
}

/// `awsp __complete SHELL -- WORDS...`: always exit 0, and nothing on
/// stderr, whatever the files hold: this runs on every Tab.
pub fn run(
    shell: CompletionShell,
    words: &[String],
    paths: &AwsPaths,
    out: &mut dyn Write,
) -> io::Result<u8> {
    let mut cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    cmd.build();
    let plan = plan(&cmd, words);
    let names = if !plan.profiles {
        Vec::new()
    } else if plan.demo {
        demo_profiles(shell)
    } else {
        profiles(paths, shell != CompletionShell::Bash)
    };
    write(out, shell, &plan, &names)?;
    Ok(0)
}

fn demo_profiles(shell: CompletionShell) -> Vec<Candidate> {
    match crate::home::demo::DemoHome::create(chrono::Utc::now()) {
        Ok(home) => profiles(&home.paths, shell != CompletionShell::Bash),
        Err(_) => Vec::new(),
    }
}

// ---- Scripts and the man page ------------------------------------------------

const BASH: &str = include_str!("../../shell/awsp.bash");
const ZSH: &str = include_str!("../../shell/awsp.zsh");
const FISH: &str = include_str!("../../shell/awsp.fish");
const BEGIN: &str = "# --- completion ---\n";
const END: &str = "# --- end completion ---\n";

/// The completion part of `awsp init SHELL`'s script, alone, as a file a
/// package installs (bash-completion's `completions/awsp`, zsh's `_awsp`
/// in `$fpath`, fish's `vendor_completions.d/awsp.fish`). It asks the
/// installed binary for candidates, like the init script does.
pub fn script(shell: CompletionShell) -> String {
    let (text, install) = match shell {
        CompletionShell::Bash => (
            BASH,
            "# bash completion for awsp: install as bash-completion's completions/awsp\n",
        ),
        CompletionShell::Zsh => (
            ZSH,
            "#compdef awsp\n# zsh completion for awsp: install as _awsp in a directory of $fpath\n",
        ),
        CompletionShell::Fish => (
            FISH,
            "# fish completion for awsp: install as vendor_completions.d/awsp.fish\n",
        ),
    };
    let part = text
        .split_once(BEGIN)
        .and_then(|(_, rest)| rest.split_once(END))
        .map_or("", |(part, _)| part);
    format!("{install}{BEGIN}{part}{END}")
}

/// The man page, in roff, from clap's description of the command line:
/// awsp(1), then a page for each subcommand (awsp-list(1), ...), which
/// the first one's SUBCOMMANDS section names.
pub fn man_page(out: &mut dyn Write) -> io::Result<()> {
    let mut cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    cmd.build();
    clap_mangen::Man::new(cmd.clone()).render(out)?;
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        let name = format!("awsp-{}", sub.get_name());
        let page = sub.clone().name(name).version(env!("CARGO_PKG_VERSION"));
        clap_mangen::Man::new(page).render(out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;

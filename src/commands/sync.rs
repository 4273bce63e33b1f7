//! `awsp sync [SESSION...] [--json | --print] [--write] [--name T] [--region R]`:
//! asks the Identity Center portal what each session's token can reach,
//! keeps it in the state folder, and prints a plan (NEW assignments no
//! profile covers, STALE profiles, the number covered); `--print` gives the
//! config text of the new profiles, `--write` puts them in awsp's block.
//!
//! The portal is one function passed in ([`Fetch`]), so everything here
//! runs in tests on inventories built by hand, with no network.
//!
//! Exit status: 0 synced (and written); 1 a portal error, a session named
//! on the command line without a valid token, nothing synced at all, or a
//! config changed before the write (sessions merely not logged in are
//! reported with `awsp login SESSION`); 2 bad input (unknown session, bad
//! `--name`, a config that does not parse, a malformed awsp block): then
//! nothing is written.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _};
use chrono::{DateTime, Utc};

use crate::aws::cache::Status;
use crate::aws::config::{self, Config, FileError};
use crate::aws::ini;
use crate::aws::paths::AwsPaths;
use crate::aws::snapshot::Snapshot;
use crate::output::human::printable;
use crate::portal::types::Inventory;
use crate::sync::block::{self, find_blocks, plain_value};
use crate::sync::naming::Template;
use crate::sync::plan::{plan_session, PlanOpts, SessionPlan};
use crate::sync::{store, write, SyncError};

/// What the portal client needs to list one session's accounts and roles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub name: String,
    /// `sso_region`: the portal's host is `portal.sso.{region}.amazonaws.com`.
    pub region: String,
    pub start_url: String,
    /// The cached token file (`~/.aws/sso/cache/<sha1>.json`); its access
    /// token goes in the request header and nowhere else.
    pub token_file: PathBuf,
    /// The config file's endpoint settings of the profile the AWS CLI would
    /// use now (`AWS_DEFAULT_PROFILE`, `AWS_PROFILE`, else `default`), as a
    /// botocore session would apply them.
    pub endpoint: crate::portal::ConfigEndpoint,
}

/// Lists one session's inventory; the error is for people and holds no token.
pub type Fetch<'f> = dyn FnMut(&Session) -> Result<Inventory, SyncError> + 'f;

/// The command line of `awsp sync`.
#[derive(Clone, Debug, Default)]
pub struct SyncOpts {
    pub sessions: Vec<String>,
    pub json: bool,
    pub print: bool,
    pub write: bool,
    pub name: Option<String>,
    pub region: Option<String>,
}

impl From<&crate::cli::SyncArgs> for SyncOpts {
    fn from(args: &crate::cli::SyncArgs) -> SyncOpts {
        SyncOpts {
            sessions: args.sessions.clone(),
            json: args.json,
            print: args.print,
            write: args.write,
            name: args.name.clone(),
            region: args.region.clone(),
        }
    }
}

pub const EXIT_OK: u8 = 0;
pub const EXIT_PARTIAL: u8 = 1;

/// One session's outcome.
enum Outcome {
    Planned(Box<SessionPlan>),
    /// Not synced. `no_token`: skipped before any request (no valid token).
    Failed {
        session: String,
        error: SyncError,
        no_token: bool,
    },
}

/// The config as read for this run: text, parsed, blocks.
struct Loaded {
    read: Option<write::ReadConfig>,
    text: String,
    snap: Snapshot,
    blocks: Vec<block::Block>,
}

fn load(paths: &AwsPaths) -> anyhow::Result<Loaded> {
    let read = write::read(&paths.config)?;
    let bytes = read.as_ref().map_or(&[][..], |r| r.bytes.as_slice());
    let file_error = |e: ini::ParseError| FileError {
        path: paths.config.clone(),
        line: e.line,
        reason: e.reason,
    };
    // Parsed from the very bytes a write will compare against.
    let text = ini::decode(bytes).map_err(file_error)?.to_string();
    let parsed = ini::parse(&text).map_err(file_error)?;
    let credentials = config::load_file(&paths.credentials)?;
    let config = Config::build(&paths.config, Some(parsed), &paths.credentials, credentials);
    let blocks = find_blocks(&text).map_err(|e| {
        anyhow::anyhow!(
            "{}:{}: {} (awsp writes nothing while its block is malformed)",
            paths.config.display(),
            e.line,
            e.reason
        )
    })?;
    Ok(Loaded {
        read,
        text,
        snap: Snapshot::from_config(paths, config),
        blocks,
    })
}

/// The sessions to sync, in config order: the named ones (each must
/// exist), else all of them.
fn chosen_sessions(
    snap: &Snapshot,
    names: &[String],
    config_path: &Path,
) -> anyhow::Result<Vec<usize>> {
    let config = &snap.config;
    if config.sso_sessions.is_empty() {
        bail!(
            "{}: no [sso-session NAME] section; awsp sync lists the accounts of an sso-session \
             (create one with `aws configure sso-session`)",
            config_path.display()
        );
    }
    if names.is_empty() {
        return Ok((0..config.sso_sessions.len()).collect());
    }
    let mut chosen = Vec::new();
    for name in names {
        let Some(i) = config.sso_session_position(name) else {
            let known: Vec<String> = config
                .sso_sessions
                .iter()
                .map(|s| printable(&s.name).into_owned())
                .collect();
            bail!(
                "no sso-session '{}' in {}; sessions: {}",
                printable(name),
                config_path.display(),
                known.join(", ")
            );
        };
        if !chosen.contains(&i) {
            chosen.push(i);
        }
    }
    chosen.sort_unstable();
    Ok(chosen)
}

/// What to hand the portal client for session `i`, or why no request is
/// made (no token, an expired one, settings missing).
fn session_request(snap: &Snapshot, i: usize, now: DateTime<Utc>) -> Result<Session, SyncError> {
    let info = &snap.sessions[i];
    let s = snap.session(info);
    let name = &s.name;
    let (Some(url), Some(region), Some(file)) = (
        ini::get_str(&s.settings, "sso_start_url"),
        ini::get_str(&s.settings, "sso_region"),
        info.token.file.as_ref(),
    ) else {
        return Err(SyncError::MissingSettings);
    };
    let state = snap.token_state(&info.token, now);
    // A refreshable token is still usable until it expires; awsp does not
    // refresh tokens itself (the AWS CLI does, on its next call).
    let usable = match state.status {
        Status::Valid => true,
        Status::Refreshable => state.expires_at.is_some_and(|at| at > now),
        _ => false,
    };
    if !usable {
        let session = name.clone();
        return Err(match state.status {
            Status::Missing => SyncError::NoToken { session },
            _ => SyncError::TokenUnusable {
                session,
                state: crate::output::human::state_text(&state, now),
            },
        });
    }
    Ok(Session {
        name: name.clone(),
        region: region.to_string(),
        start_url: url.to_string(),
        token_file: snap.paths.sso_cache.join(file),
        endpoint: active_profile_endpoint(snap),
    })
}

fn active_profile_endpoint(snap: &Snapshot) -> crate::portal::ConfigEndpoint {
    let env = crate::shell::switch::ShellEnv::from_process();
    let name = env.active().unwrap_or("default");
    match snap.config.profile(name) {
        Some(p) => crate::portal::ConfigEndpoint::of_profile(&snap.config, p),
        None => crate::portal::ConfigEndpoint::none(),
    }
}

/// Where a run's inventories come from.
enum Source<'s, 'f> {
    /// The portal, through `fetch`; each inventory is kept in the state
    /// folder (when there is one).
    Portal(&'s mut Fetch<'f>),
    /// The inventories the last sync kept in this state folder: no network,
    /// no token needed (the picker's "add this assignment").
    Stored(&'s Path),
}

/// Runs `awsp sync`. `state_dir` is where inventories are kept (none: not kept).
pub fn run(
    paths: &AwsPaths,
    state_dir: Option<&Path>,
    opts: &SyncOpts,
    now: DateTime<Utc>,
    fetch: &mut Fetch<'_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<u8> {
    let keep = state_dir;
    run_from(paths, keep, opts, now, Source::Portal(fetch), out, err)
}

/// `awsp sync SESSION --write` from the inventory the last sync of
/// `session` kept, without a request: what the picker runs when the user
/// adds an assignment that has no profile. The plan goes nowhere; the
/// write's report (added, removed, the backup) goes to `err`.
pub fn write_stored(
    paths: &AwsPaths,
    state_dir: &Path,
    session: &str,
    now: DateTime<Utc>,
    err: &mut dyn Write,
) -> anyhow::Result<u8> {
    let opts = SyncOpts {
        sessions: vec![session.to_string()],
        write: true,
        ..SyncOpts::default()
    };
    let source = Source::Stored(state_dir);
    run_from(paths, None, &opts, now, source, &mut std::io::sink(), err)
}

fn run_from(
    paths: &AwsPaths,
    state_dir: Option<&Path>,
    opts: &SyncOpts,
    now: DateTime<Utc>,
    mut source: Source<'_, '_>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> anyhow::Result<u8> {
    let template = match &opts.name {
        Some(t) => Template::parse(t)?,
        None => Template::default_template(),
    };
    if let Some(r) = &opts.region {
        if !plain_value(r) {
            bail!("--region '{}' is not a plain value", printable(r));
        }
    }
    let loaded = load(paths)?;
    let snap = &loaded.snap;
    let chosen = chosen_sessions(snap, &opts.sessions, &paths.config)?;
    // Names given in this run: a later session never reuses them.
    let mut given: HashSet<String> = HashSet::new();
    let mut outcomes = Vec::new();
    for i in chosen {
        let session = &snap.config.sso_sessions[i];
        let failed = |error: SyncError| Outcome::Failed {
            session: session.name.clone(),
            error,
            no_token: false,
        };
        if !plain_value(&session.name) {
            outcomes.push(failed(SyncError::UnwritableName));
            continue;
        }
        let fetch = match &mut source {
            Source::Portal(fetch) => fetch,
            Source::Stored(dir) => {
                match store::load(dir, &session.name) {
                    Some(stored) => {
                        outcomes.push(Outcome::Planned(Box::new(plan_session(
                            &snap.config,
                            &loaded.blocks,
                            session,
                            &stored.inventory,
                            &PlanOpts {
                                template: &template,
                                region: opts.region.as_deref(),
                                also_taken: &given,
                            },
                        ))));
                    }
                    None => outcomes.push(failed(SyncError::NeverSynced {
                        session: session.name.clone(),
                    })),
                }
                continue;
            }
        };
        let request = match session_request(snap, i, now) {
            Ok(r) => r,
            Err(error) => {
                outcomes.push(Outcome::Failed {
                    session: session.name.clone(),
                    error,
                    no_token: true,
                });
                continue;
            }
        };
        let inventory = match fetch(&request) {
            Ok(inv) => inv,
            Err(e) => {
                outcomes.push(failed(e));
                continue;
            }
        };
        if let Some(dir) = state_dir {
            if let Err(e) = store::save(dir, &session.name, &inventory, now) {
                writeln!(
                    err,
                    "awsp: could not keep the inventory in {}: {e}",
                    dir.display()
                )?;
            }
        }
        let plan_opts = PlanOpts {
            template: &template,
            region: opts.region.as_deref(),
            also_taken: &given,
        };
        let plan = plan_session(
            &snap.config,
            &loaded.blocks,
            session,
            &inventory,
            &plan_opts,
        );
        given.extend(plan.new.iter().map(|n| n.profile.clone()));
        outcomes.push(Outcome::Planned(Box::new(plan)));
    }

    if opts.json {
        write_json(out, &outcomes)?;
    } else if opts.print {
        write_config_text(out, &outcomes)?;
        write_failures(err, &outcomes)?;
    } else {
        write_plan(out, &outcomes, opts.write)?;
    }
    let mut code = exit_code(&outcomes, !opts.sessions.is_empty());
    if opts.write {
        code = code.max(apply(&loaded, paths, &outcomes, err)?);
    }
    Ok(code)
}

/// 1 when a session failed at the portal, when a session named on the
/// command line has no valid token, or when nothing was synced at all; a
/// session merely not logged in is reported but not a failure by default
/// (one rarely used session must not fail every `awsp sync`).
fn exit_code(outcomes: &[Outcome], named: bool) -> u8 {
    let synced = outcomes.iter().any(|o| matches!(o, Outcome::Planned(_)));
    let failed = outcomes.iter().any(|o| match o {
        Outcome::Planned(_) => false,
        Outcome::Failed { no_token, .. } => named || !no_token,
    });
    if synced && !failed {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    }
}

/// `--write`: every planned session's block replaced in one atomic write.
fn apply(
    loaded: &Loaded,
    paths: &AwsPaths,
    outcomes: &[Outcome],
    err: &mut dyn Write,
) -> anyhow::Result<u8> {
    let plans: Vec<&SessionPlan> = outcomes
        .iter()
        .filter_map(|o| match o {
            Outcome::Planned(p) => Some(p.as_ref()),
            Outcome::Failed { .. } => None,
        })
        .collect();
    let mut text = loaded.text.clone();
    for plan in plans.iter().filter(|p| p.changes_block) {
        text = block::with_block(&text, &plan.session, &plan.block)
            .map_err(|e| anyhow::anyhow!("{}:{}: {}", paths.config.display(), e.line, e.reason))?;
    }
    for plan in &plans {
        for s in plan.stale.iter().filter(|s| !s.generated) {
            writeln!(
                err,
                "awsp: hand-written profile '{}' ({}/{}) is no longer assigned; left as is",
                printable(&s.profile),
                printable(&s.account_id),
                printable(&s.role)
            )?;
        }
    }
    let config = paths.config.display();
    let Some(read) = &loaded.read else {
        writeln!(err, "awsp: {config}: nothing to change")?;
        return Ok(EXIT_OK);
    };
    match write::write(read, text.as_bytes()) {
        Ok(write::WriteOutcome::Unchanged) => {
            writeln!(err, "awsp: {config}: nothing to change")?;
            Ok(EXIT_OK)
        }
        Ok(write::WriteOutcome::Written { backup }) => {
            let added: usize = plans.iter().map(|p| p.new.len()).sum();
            let removed: Vec<&str> = plans
                .iter()
                .flat_map(|p| p.stale.iter().filter(|s| s.generated))
                .map(|s| s.profile.as_str())
                .collect();
            write!(
                err,
                "awsp: {config}: added {added} profile{}",
                plural(added)
            )?;
            if !removed.is_empty() {
                let shown: Vec<String> =
                    removed.iter().map(|n| printable(n).into_owned()).collect();
                write!(
                    err,
                    ", removed {} no longer assigned ({})",
                    removed.len(),
                    shown.join(", ")
                )?;
            }
            writeln!(err, "; the previous file is {}", backup.display())?;
            Ok(EXIT_OK)
        }
        Err(write::WriteError::Changed(path)) => {
            writeln!(
                err,
                "awsp: {}: changed since awsp read it; nothing written (run awsp sync --write again)",
                path.display()
            )?;
            Ok(EXIT_PARTIAL)
        }
        Err(e) => Err(e).context("writing the config"),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The human plan, one short paragraph per session.
fn write_plan(out: &mut dyn Write, outcomes: &[Outcome], writing: bool) -> std::io::Result<()> {
    let mut any_new = false;
    for o in outcomes {
        match o {
            Outcome::Failed { session, error, .. } => {
                writeln!(
                    out,
                    "session {}: not synced: {}",
                    printable(session),
                    printable(&error.to_string())
                )?;
            }
            Outcome::Planned(p) => {
                writeln!(
                    out,
                    "session {}: {} account{}, {} assignment{}, {} covered by a profile, {} new, {} stale",
                    printable(&p.session),
                    p.accounts,
                    plural(p.accounts),
                    p.assignments,
                    plural(p.assignments),
                    p.covered,
                    p.new.len(),
                    p.stale.len()
                )?;
                let width = p
                    .new
                    .iter()
                    .map(|n| n.profile.len())
                    .chain(
                        p.stale
                            .iter()
                            .map(|s| printable(&s.profile).chars().count()),
                    )
                    .max()
                    .unwrap_or(0);
                for n in &p.new {
                    any_new = true;
                    writeln!(
                        out,
                        "  new    {:width$}  {} {} ({})",
                        n.profile,
                        n.account_id,
                        printable(&n.role),
                        printable(&n.account_name)
                    )?;
                }
                for s in &p.stale {
                    let what = if s.generated {
                        "generated: --write removes it"
                    } else {
                        "hand-written: left as is"
                    };
                    writeln!(
                        out,
                        "  stale  {:width$}  {} {} ({what})",
                        printable(&s.profile),
                        printable(&s.account_id),
                        printable(&s.role)
                    )?;
                }
                for f in &p.failures {
                    writeln!(
                        out,
                        "  roles unknown for {}: {}",
                        printable(&f.account_id),
                        printable(&f.reason)
                    )?;
                }
                for u in &p.unwritable {
                    writeln!(out, "  left out (cannot be written as a config value): {u}")?;
                }
            }
        }
    }
    if any_new && !writing {
        writeln!(
            out,
            "`awsp sync --print` shows the profiles' config text; `awsp sync --write` adds them to awsp's block in the config"
        )?;
    }
    Ok(())
}

/// Failed sessions on stderr, for `--print` (whose stdout is config text).
fn write_failures(err: &mut dyn Write, outcomes: &[Outcome]) -> std::io::Result<()> {
    for o in outcomes {
        if let Outcome::Failed { session, error, .. } = o {
            writeln!(
                err,
                "awsp: session {}: not synced: {}",
                printable(session),
                printable(&error.to_string())
            )?;
        }
    }
    Ok(())
}

/// `--print`: the new profiles' config text in the guide's style.
fn write_config_text(out: &mut dyn Write, outcomes: &[Outcome]) -> std::io::Result<()> {
    let mut first = true;
    for o in outcomes {
        let Outcome::Planned(p) = o else { continue };
        for b in p
            .block
            .iter()
            .filter(|b| p.new.iter().any(|n| n.profile == b.name))
        {
            if !first {
                writeln!(out)?;
            }
            first = false;
            out.write_all(block::render_profile(b, "\n").as_bytes())?;
        }
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct JsonSession<'a> {
    name: &'a str,
    ok: bool,
    error: Option<String>,
    accounts: usize,
    assignments: usize,
    covered: usize,
    new: &'a [crate::sync::plan::NewProfile],
    stale: &'a [crate::sync::plan::StaleProfile],
    failures: &'a [crate::portal::types::AccountFailure],
}

/// `--json`: `{"sessions":[...]}`, one line.
fn write_json(out: &mut dyn Write, outcomes: &[Outcome]) -> std::io::Result<()> {
    let sessions: Vec<JsonSession> = outcomes
        .iter()
        .map(|o| match o {
            Outcome::Planned(p) => JsonSession {
                name: &p.session,
                ok: true,
                error: None,
                accounts: p.accounts,
                assignments: p.assignments,
                covered: p.covered,
                new: &p.new,
                stale: &p.stale,
                failures: &p.failures,
            },
            Outcome::Failed { session, error, .. } => JsonSession {
                name: session,
                ok: false,
                error: Some(error.to_string()),
                accounts: 0,
                assignments: 0,
                covered: 0,
                new: &[],
                stale: &[],
                failures: &[],
            },
        })
        .collect();
    serde_json::to_writer(&mut *out, &serde_json::json!({ "sessions": sessions }))?;
    writeln!(out)
}

/// The real fetch: the session's cached access token, the portal of its
/// `sso_region` (or `AWS_ENDPOINT_URL_SSO` / `AWS_ENDPOINT_URL`), proxies
/// and `AWS_CA_BUNDLE` from the environment. With `show_progress`, one
/// line on stderr is rewritten as pages and accounts come in.
pub fn portal_fetch(session: &Session, show_progress: bool) -> Result<Inventory, SyncError> {
    use crate::portal::{self, AccessToken, Endpoint, FetchOpts, NetOpts, Progress};
    let token = read_access_token(&session.token_file)?;
    let endpoint = Endpoint::resolve(&session.region, &portal::process_env, &session.endpoint)?;
    let opts = FetchOpts {
        net: NetOpts::from_env(&portal::process_env, None),
        ..FetchOpts::default()
    };
    let name = crate::output::human::printable(&session.name).into_owned();
    let progress = |p: Progress| {
        if !show_progress {
            return;
        }
        let line = match p {
            Progress::Accounts { accounts, .. } => format!("{name}: {accounts} accounts"),
            Progress::Roles { done, total, .. } => {
                format!("{name}: roles of {done}/{total} accounts")
            }
            #[allow(unreachable_patterns)]
            _ => return,
        };
        eprint!("\r\x1b[2K{line}");
    };
    let result = portal::fetch_inventory(&endpoint, &AccessToken::new(token), &opts, &progress);
    if show_progress {
        eprint!("\r\x1b[2K");
    }
    result.map_err(|e| match e {
        portal::PortalError::Unauthorized => SyncError::Unauthorized {
            session: session.name.clone(),
        },
        e => e.into(),
    })
}

/// The `accessToken` of a token file, read as `list` reads the file; the
/// error never holds the file's text.
fn read_access_token(path: &std::path::Path) -> Result<String, SyncError> {
    use crate::aws::cache::{read_token_and_secret, Content};
    let dir = path.parent().unwrap_or(std::path::Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    match read_token_and_secret(dir, name) {
        (_, Some(token)) => Ok(token),
        (Content::Missing | Content::Unreadable | Content::TooLarge, None) => {
            Err(SyncError::TokenFile {
                path: path.to_path_buf(),
            })
        }
        (_, None) => Err(SyncError::NoAccessToken {
            path: path.to_path_buf(),
        }),
    }
}

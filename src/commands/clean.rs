//! `awsp clean`: list the stale cache files, ask on the terminal (or not,
//! with `--yes`), remove them, and say what was removed, kept and failed.
//!
//! The report goes to stdout (the shell function leaves it to the user);
//! the question is asked on `/dev/tty`.

use std::io::{self, Write};

use chrono::{DateTime, Utc};

use crate::aws::clean::{
    self, CacheFileVerdict, CleanPlan, Decision, Folder, RemoveOutcome, RemoveResult,
};
use crate::aws::snapshot::Snapshot;
use crate::exit;
use crate::output::clean::owners_text;
use crate::output::human::{printable, short_duration};
use crate::tui::terminal::ask_yes_no;

#[derive(Clone, Copy, Debug, Default)]
pub struct CleanOpts {
    pub dry_run: bool,
    pub yes: bool,
}

/// `expired 3d ago` (or `expires in ...` for a clock that moved back).
pub fn expired_text(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    if at <= now {
        format!("expired {} ago", short_duration(now - at))
    } else {
        format!("expires in {}", short_duration(at - now))
    }
}

/// One line per entry: `stale` or `keep`, the file, its owner, and when it
/// expired or why it is kept. Columns aligned.
pub fn write_plan(
    out: &mut dyn Write,
    plan: &CleanPlan,
    include_kept: bool,
    now: DateTime<Utc>,
) -> io::Result<()> {
    let rows: Vec<&CacheFileVerdict> = plan
        .stale()
        .chain(plan.kept().filter(|_| include_kept))
        .collect();
    let label = |v: &CacheFileVerdict| file_label(v.folder, &v.name, false);
    let file_w = rows.iter().map(|v| label(v).len()).max().unwrap_or(0);
    let owners: Vec<String> = rows
        .iter()
        .map(|v| printable(&owners_text(&v.owner)).into_owned())
        .collect();
    // A long owner (a legacy start URL) pushes its own line, not every line.
    let owner_w = owners
        .iter()
        .map(|o| o.chars().count())
        .filter(|&w| w <= 36)
        .max()
        .unwrap_or(0);
    for (v, owner) in rows.iter().zip(&owners) {
        let word = if v.decision.is_stale() {
            "stale"
        } else {
            "keep "
        };
        writeln!(
            out,
            "{word}  {:file_w$}  {:owner_w$}  {}",
            label(v),
            owner,
            decision_text(&v.decision, now)
        )?;
    }
    for note in &plan.notes {
        writeln!(out, "note: {}", printable(&note.to_string()))?;
    }
    Ok(())
}

/// When a file expired, or why it is kept: the detail of its line in
/// `awsp clean` and in the picker's question.
pub fn decision_text(decision: &Decision, now: DateTime<Utc>) -> String {
    match decision {
        Decision::Stale { expired_at } => expired_text(*expired_at, now),
        Decision::Keep { reason } => printable(&reason.to_string()).into_owned(),
    }
}

/// Names longer than this are cut in the picker's question.
const SHORT_NAME_CHARS: usize = 24;

/// `sso/cache/NAME`, the name escaped: any program can name a file there.
/// `short` (the picker's popup, which must not wrap) cuts a long name (a
/// 40-hex-digit cache key) to its first ten characters.
pub fn file_label(folder: Folder, name: &str, short: bool) -> String {
    let name = printable(name);
    if short && name.chars().count() > SHORT_NAME_CHARS {
        let head: String = name.chars().take(10).collect();
        format!("{}/{head}….json", folder.display())
    } else {
        format!("{}/{name}", folder.display())
    }
}

/// One short line per stale file, for the picker's question: file, when
/// it expired, owner.
pub fn short_lines(plan: &CleanPlan, now: DateTime<Utc>) -> Vec<String> {
    plan.stale()
        .map(|v| {
            format!(
                "{}  {}  {}",
                file_label(v.folder, &v.name, true),
                decision_text(&v.decision, now),
                printable(&owners_text(&v.owner))
            )
        })
        .collect()
}

/// `s` for a count other than one.
fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The picker's question for `stale` files.
pub fn question(stale: usize) -> String {
    format!("Remove {stale} stale cache file{}?", plural(stale))
}

/// Why the picker's clean did not fully work.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CleanError {
    /// The confirmation came with no plan kept.
    #[error("nothing to clean")]
    NothingPlanned,
    /// `done` says what was removed; `failed` is `NAME: error` for each file that was not.
    #[error("{done}; failed: {}", failed.join("; "))]
    Failed { done: String, failed: Vec<String> },
}

/// What a removal did, counted once for `awsp clean`'s last line and the
/// picker's message.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Removal {
    pub removed: usize,
    /// Changed since the scan and left alone.
    pub skipped: usize,
    /// `NAME: error` for each file that could not be removed.
    pub failed: Vec<String>,
}

impl Removal {
    pub fn of(outcomes: &[RemoveOutcome]) -> Removal {
        let mut tally = Removal::default();
        for o in outcomes {
            match &o.result {
                RemoveResult::Removed => tally.removed += 1,
                RemoveResult::Skipped { .. } => tally.skipped += 1,
                RemoveResult::Failed { error } => tally.failed.push(format!(
                    "{}: {}",
                    printable(&o.name),
                    printable(&error.to_string())
                )),
            }
        }
        tally
    }

    /// `awsp clean`'s last line; `kept` is what the scan kept.
    pub fn totals_line(&self, kept: usize) -> String {
        format!(
            "Removed {}, kept {}, failed {}.",
            self.removed,
            kept + self.skipped,
            self.failed.len()
        )
    }

    /// The picker's message: `removed 2 stale cache files, 1 changed since
    /// and kept`, then what failed. `Err` when anything failed.
    pub fn summary(&self) -> Result<String, CleanError> {
        let mut msg = format!(
            "removed {} stale cache file{}",
            self.removed,
            plural(self.removed)
        );
        if self.skipped > 0 {
            msg.push_str(&format!(", {} changed since and kept", self.skipped));
        }
        if self.failed.is_empty() {
            Ok(msg)
        } else {
            Err(CleanError::Failed {
                done: msg,
                failed: self.failed.clone(),
            })
        }
    }
}

/// `awsp clean`'s line for one removal: removed, kept (with why) or failed.
fn outcome_line(o: &RemoveOutcome) -> String {
    let label = file_label(o.folder, &o.name, false);
    match &o.result {
        RemoveResult::Removed => format!("removed  {label}"),
        // Re-checked at removal and left alone: kept, with why.
        RemoveResult::Skipped { reason } => {
            format!("kept     {label}: {}", printable(&reason.to_string()))
        }
        RemoveResult::Failed { error } => {
            format!("failed   {label}: {}", printable(&error.to_string()))
        }
    }
}

/// Runs `awsp clean`; returns the exit status.
pub fn run(
    snap: &Snapshot,
    opts: CleanOpts,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    run_with(snap, opts, now, out, &mut ask_yes_no)
}

/// [`run`] with the question injected (tests).
pub fn run_with(
    snap: &Snapshot,
    opts: CleanOpts,
    now: DateTime<Utc>,
    out: &mut dyn Write,
    ask: &mut dyn FnMut(&str) -> Option<bool>,
) -> anyhow::Result<u8> {
    let plan = clean::scan(snap, now);
    let (stale, kept) = (plan.stale_count(), plan.kept_count());
    if opts.dry_run {
        write_plan(out, &plan, true, now)?;
        writeln!(out, "{stale} stale, {kept} kept (dry run: nothing removed)")?;
        return Ok(exit::OK);
    }
    if stale == 0 {
        write_plan(out, &plan, false, now)?;
        writeln!(out, "Nothing stale: {kept} kept, nothing removed.")?;
        return Ok(exit::OK);
    }
    write_plan(out, &plan, false, now)?;
    out.flush()?;
    if !opts.yes {
        let files = if stale == 1 { "file" } else { "files" };
        match ask(&format!("Remove {stale} {files}?")) {
            Some(true) => {}
            Some(false) => {
                writeln!(out, "Nothing removed: {stale} stale, {kept} kept.")?;
                return Ok(exit::DECLINED);
            }
            None => anyhow::bail!(
                "no terminal to ask on: pass --yes to remove the {stale} stale files, \
                 or --dry-run to only list them"
            ),
        }
    }
    let outcomes = clean::remove(&plan, now);
    for o in &outcomes {
        writeln!(out, "{}", outcome_line(o))?;
    }
    let removal = Removal::of(&outcomes);
    writeln!(out, "{}", removal.totals_line(kept))?;
    Ok(if removal.failed.is_empty() {
        exit::OK
    } else {
        exit::NOT_REMOVED
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn expired_texts() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        assert_eq!(expired_text(now - Duration::days(3), now), "expired 3d ago");
        assert_eq!(
            expired_text(now - Duration::hours(2), now),
            "expired 2h ago"
        );
        assert_eq!(expired_text(now + Duration::hours(2), now), "expires in 2h");
    }

    #[test]
    fn the_question_decides() {
        let now = Utc::now();
        let demo = crate::home::demo::DemoHome::create(now).unwrap();
        let snap = Snapshot::load(&demo.paths).unwrap();
        let count = || std::fs::read_dir(&demo.paths.cli_cache).unwrap().count();
        let before = count();
        let opts = CleanOpts::default();
        let mut out = Vec::new();
        let mut asked = String::new();
        let mut no = |q: &str| {
            asked = q.to_string();
            Some(false)
        };
        let code = run_with(&snap, opts, now, &mut out, &mut no).unwrap();
        assert_eq!(code, exit::DECLINED);
        assert_eq!(asked, "Remove 5 files?");
        assert_eq!(count(), before);
        assert!(run_with(&snap, opts, now, &mut out, &mut |_| None).is_err());
        assert_eq!(count(), before);
        let mut out = Vec::new();
        let code = run_with(&snap, opts, now, &mut out, &mut |_| Some(true)).unwrap();
        assert_eq!(code, exit::OK);
        assert_eq!(count(), before - 2);
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("Removed 5, kept 5, failed 0.\n"), "{text}");
    }

    fn outcome(name: &str, result: RemoveResult) -> RemoveOutcome {
        RemoveOutcome {
            path: std::path::PathBuf::from(name),
            name: name.into(),
            folder: Folder::Sso,
            result,
        }
    }

    #[test]
    fn one_tally_serves_the_command_and_the_picker() {
        let outcomes = [
            outcome("a.json", RemoveResult::Removed),
            outcome("b.json", RemoveResult::Removed),
            outcome(
                "c.json",
                RemoveResult::Skipped {
                    reason: crate::aws::clean::SkipReason::ChangedSinceListed,
                },
            ),
        ];
        let removal = Removal::of(&outcomes);
        assert_eq!((removal.removed, removal.skipped), (2, 1));
        assert_eq!(removal.totals_line(4), "Removed 2, kept 5, failed 0.");
        assert_eq!(
            removal.summary(),
            Ok("removed 2 stale cache files, 1 changed since and kept".into())
        );
        let one = Removal::of(&outcomes[..1]);
        assert_eq!(one.summary(), Ok("removed 1 stale cache file".into()));
        let failed = Removal::of(&[
            outcome("d\u{1b}.json", RemoveResult::Removed),
            outcome(
                "e\u{1b}.json",
                RemoveResult::Failed {
                    error: crate::aws::clean::RemoveError::Io("denied\u{1b}".into()),
                },
            ),
        ]);
        assert_eq!(failed.totals_line(0), "Removed 1, kept 0, failed 1.");
        assert_eq!(
            failed.summary().unwrap_err().to_string(),
            "removed 1 stale cache file; failed: e\\e.json: denied\\e"
        );
    }

    #[test]
    fn the_popup_cuts_long_names_and_escapes_them() {
        let key = "0123456789abcdef0123456789abcdef01234567.json";
        assert_eq!(
            file_label(Folder::Cli, key, true),
            "cli/cache/0123456789….json"
        );
        assert_eq!(
            file_label(Folder::Cli, key, false),
            format!("cli/cache/{key}")
        );
        assert_eq!(
            file_label(Folder::Sso, "x\u{1b}.json", true),
            "sso/cache/x\\e.json"
        );
        let now = Utc::now();
        let demo = crate::home::demo::DemoHome::create(now).unwrap();
        let plan = clean::scan(&Snapshot::load(&demo.paths).unwrap(), now);
        let lines = short_lines(&plan, now);
        assert_eq!(lines.len(), plan.stale_count());
        assert!(lines.iter().all(|l| l.contains("  expired ")), "{lines:?}");
        assert_eq!(question(1), "Remove 1 stale cache file?");
        assert_eq!(question(5), "Remove 5 stale cache files?");
    }
}

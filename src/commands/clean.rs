//! `awsp clean`: list the stale cache files, ask on the terminal (or not,
//! with `--yes`), remove them, and say what was removed, kept and failed.
//!
//! The report goes to stdout (the shell function leaves it to the user);
//! the question is asked on `/dev/tty`.

use std::io::{self, BufRead, Write};

use chrono::{DateTime, Utc};

use crate::aws::clean::{self, CacheFileVerdict, CleanPlan, Decision, RemoveResult};
use crate::aws::snapshot::Snapshot;
use crate::output::clean::owners_text;
use crate::output::human::{printable, short_duration};

pub const EXIT_OK: u8 = 0;
pub const EXIT_DECLINED: u8 = 1;
pub const EXIT_FAILED: u8 = 2;

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
    let file_w = rows.iter().map(|v| file_label(v).len()).max().unwrap_or(0);
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
    for (v, owner) in rows.into_iter().zip(&owners) {
        let (word, detail) = match &v.decision {
            Decision::Stale { expired_at } => ("stale", expired_text(*expired_at, now)),
            Decision::Keep { reason } => ("keep ", printable(&reason.to_string()).into_owned()),
        };
        writeln!(
            out,
            "{word}  {:file_w$}  {owner:owner_w$}  {detail}",
            file_label(v)
        )?;
    }
    for note in &plan.notes {
        writeln!(out, "note: {}", printable(&note.to_string()))?;
    }
    Ok(())
}

/// `sso/cache/NAME`, the name escaped: any program can name a file there.
fn file_label(v: &CacheFileVerdict) -> String {
    format!("{}/{}", v.folder.display(), printable(&v.name))
}

/// Asks `question` on the terminal. `None` when there is no terminal.
fn ask_on_tty(question: &str) -> Option<bool> {
    let tty = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/tty")
        .ok()?;
    let mut writer = tty.try_clone().ok()?;
    write!(writer, "{question} [y/N] ").ok()?;
    writer.flush().ok()?;
    let mut line = String::new();
    io::BufReader::new(tty).read_line(&mut line).ok()?;
    let answer = line.trim();
    Some(answer.eq_ignore_ascii_case("y") || answer.eq_ignore_ascii_case("yes"))
}

/// Runs `awsp clean`; returns the exit status.
pub fn run(
    snap: &Snapshot,
    opts: CleanOpts,
    now: DateTime<Utc>,
    out: &mut dyn Write,
) -> anyhow::Result<u8> {
    run_with(snap, opts, now, out, &mut ask_on_tty)
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
        return Ok(EXIT_OK);
    }
    if stale == 0 {
        write_plan(out, &plan, false, now)?;
        writeln!(out, "Nothing stale: {kept} kept, nothing removed.")?;
        return Ok(EXIT_OK);
    }
    write_plan(out, &plan, false, now)?;
    out.flush()?;
    if !opts.yes {
        let files = if stale == 1 { "file" } else { "files" };
        match ask(&format!("Remove {stale} {files}?")) {
            Some(true) => {}
            Some(false) => {
                writeln!(out, "Nothing removed: {stale} stale, {kept} kept.")?;
                return Ok(EXIT_DECLINED);
            }
            None => anyhow::bail!(
                "no terminal to ask on: pass --yes to remove the {stale} stale files, \
                 or --dry-run to only list them"
            ),
        }
    }
    let outcomes = clean::remove(&plan, now);
    let (mut removed, mut skipped, mut failed) = (0, 0, 0);
    for o in &outcomes {
        let label = format!("{}/{}", o.folder.display(), printable(&o.name));
        match &o.result {
            RemoveResult::Removed => {
                removed += 1;
                writeln!(out, "removed  {label}")?;
            }
            // Re-checked at removal and left alone: kept, with why.
            RemoveResult::Skipped { reason } => {
                skipped += 1;
                writeln!(out, "kept     {label}: {}", printable(&reason.to_string()))?;
            }
            RemoveResult::Failed { error } => {
                failed += 1;
                writeln!(out, "failed   {label}: {}", printable(&error.to_string()))?;
            }
        }
    }
    writeln!(
        out,
        "Removed {removed}, kept {}, failed {failed}.",
        kept + skipped
    )?;
    Ok(if failed > 0 { EXIT_FAILED } else { EXIT_OK })
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
        assert_eq!(code, EXIT_DECLINED);
        assert_eq!(asked, "Remove 5 files?");
        assert_eq!(count(), before);
        assert!(run_with(&snap, opts, now, &mut out, &mut |_| None).is_err());
        assert_eq!(count(), before);
        let mut out = Vec::new();
        let code = run_with(&snap, opts, now, &mut out, &mut |_| Some(true)).unwrap();
        assert_eq!(code, EXIT_OK);
        assert_eq!(count(), before - 2);
        let text = String::from_utf8(out).unwrap();
        assert!(text.ends_with("Removed 5, kept 5, failed 0.\n"), "{text}");
    }
}

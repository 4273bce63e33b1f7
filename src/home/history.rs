//! Which profiles were switched to, and when: the state behind recent-first
//! ordering, kept in a small JSON file in the platform's state folder
//! (`$AWSP_STATE_DIR`, else e.g. `~/.local/state/awsp`). Written
//! atomically; a corrupt or foreign file is ignored and replaced on the
//! next switch, never an error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

const FILE_NAME: &str = "history.json";
const FORMAT: &str = "awsp-history-1";
/// Enough for anyone's working set; the least used are dropped past it.
const MAX_ENTRIES: usize = 1000;

/// How the picker orders profiles when the filter is empty.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Recently and frequently used first, then the rest in file order.
    #[default]
    Recent,
    /// Alphabetical.
    Alpha,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Use {
    pub count: u32,
    /// Seconds since the epoch of the last switch.
    pub last: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct History {
    #[serde(default)]
    pub order: Order,
    #[serde(default)]
    pub profiles: HashMap<String, Use>,
}

#[derive(Serialize, Deserialize)]
struct OnDisk {
    format: String,
    #[serde(flatten)]
    history: History,
}

/// The folder for awsp's state.
pub fn state_dir() -> Option<PathBuf> {
    match std::env::var_os("AWSP_STATE_DIR").filter(|v| !v.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir)),
        None => dirs::state_dir()
            .or_else(dirs::data_local_dir)
            .map(|d| d.join("awsp")),
    }
}

impl History {
    /// Reads the file in `dir`; anything unreadable or foreign gives an empty history.
    pub fn load(dir: &Path) -> History {
        read_regular_file(&dir.join(FILE_NAME), MAX_STATE_FILE_BYTES)
            .and_then(|bytes| serde_json::from_slice::<OnDisk>(&bytes).ok())
            .filter(|d| d.format == FORMAT)
            .map(|d| d.history)
            .unwrap_or_default()
    }

    /// Writes to a temporary file in `dir` and renames it over the old one.
    /// Something other than a regular file at the path (a FIFO, a device, a
    /// folder, a link to one) is left alone: it is not ours to replace.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let doc = OnDisk {
            format: FORMAT.into(),
            history: self.clone(),
        };
        write_state_file(&dir.join(FILE_NAME), &doc)
    }

    pub fn record(&mut self, profile: &str, now: DateTime<Utc>) {
        let entry = self
            .profiles
            .entry(profile.to_string())
            .or_insert(Use { count: 0, last: 0 });
        entry.count = entry.count.saturating_add(1);
        entry.last = now.timestamp();
        if self.profiles.len() > MAX_ENTRIES {
            let weakest = self
                .profiles
                .iter()
                .min_by(|a, b| frecency(a.1, now).total_cmp(&frecency(b.1, now)))
                .map(|(k, _)| k.clone());
            if let Some(k) = weakest {
                self.profiles.remove(&k);
            }
        }
    }

    /// For each of `names`, its place when sorted by frecency (most used and
    /// recent first); unused names follow in their given order.
    pub fn ranks(&self, names: &[&str], now: DateTime<Utc>) -> Vec<u32> {
        let mut order: Vec<(usize, f64)> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (i, self.profiles.get(*n).map_or(0.0, |u| frecency(u, now))))
            .collect();
        order.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let mut ranks = vec![0u32; names.len()];
        for (rank, (i, _)) in order.into_iter().enumerate() {
            ranks[i] = rank as u32;
        }
        ranks
    }
}

/// Writes `doc` as one line of JSON to a temporary file beside `path`,
/// synced, then renamed over it: a reader sees the old file or the new one.
/// Something other than a regular file at the path (a FIFO, a device, a
/// folder, a link) is left alone: it is not ours to replace. Every state
/// file awsp writes goes through here.
pub(crate) fn write_state_file(path: &Path, doc: &impl Serialize) -> std::io::Result<()> {
    if let Ok(meta) = std::fs::symlink_metadata(path) {
        if !meta.is_file() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("{} is not a regular file; left alone", path.display()),
            ));
        }
    }
    let mut text = serde_json::to_vec(doc)?;
    text.push(b'\n');
    super::replace::replace(path, &text, 0o600)
}

/// Larger than any history awsp writes (1000 entries of long names).
const MAX_STATE_FILE_BYTES: u64 = 4 << 20;

/// The bytes of a regular file of at most `cap` bytes, or `None`. Opened
/// without blocking (a FIFO would otherwise wait for a writer for ever) and
/// checked on the opened file itself, so a swap between check and read
/// changes nothing. Every state file awsp reads comes through here.
pub(crate) fn read_regular_file(path: &Path, cap: u64) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > cap {
        return None;
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow after the check: never read past the cap.
    file.take(cap + 1).read_to_end(&mut bytes).ok()?;
    (bytes.len() as u64 <= cap).then_some(bytes)
}

/// zoxide-style: use count weighted by how recent the last use was.
pub fn frecency(u: &Use, now: DateTime<Utc>) -> f64 {
    let age = now.timestamp() - u.last;
    let weight = match age {
        a if a < 3600 => 4.0,
        a if a < 86_400 => 2.0,
        a if a < 7 * 86_400 => 0.5,
        _ => 0.25,
    };
    f64::from(u.count) * weight
}

/// Places of `names` in alphabetical order (case-insensitive, then exact).
pub fn alpha_ranks(names: &[&str]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| {
        names[a]
            .to_lowercase()
            .cmp(&names[b].to_lowercase())
            .then(names[a].cmp(names[b]))
    });
    let mut ranks = vec![0u32; names.len()];
    for (rank, i) in order.into_iter().enumerate() {
        ranks[i] = rank as u32;
    }
    ranks
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, 12, 0, 0).unwrap()
    }

    #[test]
    fn recent_and_frequent_first_then_file_order() {
        let mut h = History::default();
        h.record("b", now() - Duration::days(30));
        h.record("b", now() - Duration::days(30));
        h.record("c", now() - Duration::minutes(5));
        assert_eq!(h.ranks(&["a", "b", "c", "d"], now()), vec![2, 1, 0, 3]);
    }

    #[test]
    fn alphabetical() {
        assert_eq!(alpha_ranks(&["b", "A", "a", "c"]), vec![2, 0, 1, 3]);
    }

    #[test]
    fn round_trip_and_corruption_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = History {
            order: Order::Alpha,
            ..History::default()
        };
        h.record("x", now());
        h.save(dir.path()).unwrap();
        assert_eq!(History::load(dir.path()), h);
        for junk in [
            "",
            "{",
            "[]",
            "{\"format\":\"other\",\"profiles\":{}}",
            "\u{feff}{}",
            "{\"format\":\"awsp-history-1\",\"profiles\":5}",
        ] {
            std::fs::write(dir.path().join(FILE_NAME), junk).unwrap();
            assert_eq!(History::load(dir.path()), History::default(), "{junk:?}");
        }
        // A corrupt file is replaced by the next save.
        h.save(dir.path()).unwrap();
        assert_eq!(History::load(dir.path()), h);
        assert_eq!(
            History::load(&dir.path().join("missing")),
            History::default()
        );
    }

    /// Runs `f` on a thread; fails the test if it takes over 5 seconds.
    fn within_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || tx.send(f()));
        rx.recv_timeout(std::time::Duration::from_secs(5))
            .expect("hung on a non-regular history file")
    }

    #[test]
    fn a_fifo_or_folder_at_the_path_is_neither_read_nor_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        let d = dir.path().to_path_buf();
        assert_eq!(
            within_seconds(move || History::load(&d)),
            History::default()
        );
        let mut h = History::default();
        h.record("x", now());
        let d = dir.path().to_path_buf();
        let saved = within_seconds(move || h.save(&d));
        assert!(saved
            .unwrap_err()
            .to_string()
            .contains("not a regular file"));
        use std::os::unix::fs::FileTypeExt;
        let kind = std::fs::symlink_metadata(&path).unwrap().file_type();
        assert!(kind.is_fifo(), "the FIFO is still there");
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        assert_eq!(History::load(dir.path()), History::default());
        assert!(History::default().save(dir.path()).is_err());
    }

    #[test]
    fn an_oversized_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let mut h = History::default();
        h.record("x", now());
        h.save(dir.path()).unwrap();
        let path = dir.path().join(FILE_NAME);
        let mut text = std::fs::read(&path).unwrap();
        text.pop(); // the newline
        text.extend(vec![b' '; MAX_STATE_FILE_BYTES as usize]);
        std::fs::write(&path, text).unwrap();
        assert_eq!(History::load(dir.path()), History::default());
    }

    #[test]
    fn bounded() {
        let mut h = History::default();
        for i in 0..(MAX_ENTRIES + 5) {
            h.record(&format!("p{i}"), now());
        }
        assert_eq!(h.profiles.len(), MAX_ENTRIES);
    }
}

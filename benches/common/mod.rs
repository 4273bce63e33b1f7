//! The benchmark home, shared by the criterion benches.
//!
//! `scripts/gen-home.py` is the one generator (it computes the cache file
//! names with Python's hashlib/json, independently of awsp). The benches run
//! it into a temporary directory, or use `$AWSP_BENCH_HOME` when that names
//! an already generated home.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A generated home; the temporary directory lives as long as this value.
pub struct BenchHome {
    pub path: PathBuf,
    _dir: Option<tempfile::TempDir>,
}

impl BenchHome {
    /// The 10,000-profile home of the README's figures.
    pub fn ten_thousand() -> BenchHome {
        if let Some(path) = std::env::var_os("AWSP_BENCH_HOME") {
            let path = PathBuf::from(path);
            assert!(
                path.join(".aws/config").is_file(),
                "AWSP_BENCH_HOME={} has no .aws/config; run scripts/gen-home.py on it",
                path.display()
            );
            return BenchHome { path, _dir: None };
        }
        let dir = tempfile::tempdir().expect("creating a temporary directory");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/gen-home.py");
        let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
        let status = Command::new(&python)
            .arg(&script)
            .arg(dir.path())
            .status()
            .unwrap_or_else(|e| panic!("running {python} {}: {e}", script.display()));
        assert!(status.success(), "{} failed: {status}", script.display());
        BenchHome {
            path: dir.path().to_path_buf(),
            _dir: Some(dir),
        }
    }
}

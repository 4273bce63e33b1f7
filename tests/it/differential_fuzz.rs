//! Randomised differential test: 600 small config + credentials pairs built
//! from tricky lines (headers, continuations, comments, [DEFAULT],
//! sub-sections, odd names, CR/CRLF) with a fixed seed; the profile names
//! `awsp list --names` prints (or its exit 2) must equal botocore's
//! `Session().available_profiles` (or its error) for every one.
//! Needs the oracle venv like differential.rs; skipped without it (`common::skip`).

use std::process::Command;

const CASES: usize = 600;

const CONFIG_LINES: &[&str] = &[
    "[profile a]",
    "[profile b]",
    "[default]",
    "[profile default]",
    "[DEFAULT]",
    "[sso-session s]",
    "[profile 'x y']",
    "[profile \"q\"]",
    "[profile a b]",
    "[profiles z]",
    "[ default]",
    "[profile it's]",
    "  [profile c]",
    "[services x]",
    "[]",
    "[x]",
    "[profile a] # [b]",
    "region = us-east-1",
    "REGION: eu",
    "  continued",
    "\tcontinued",
    "",
    "   ",
    "# comment",
    "; c",
    "  # indented comment",
    "s3 =",
    "  k = v",
    "  bad",
    "key=",
    "=v",
    "novalue",
    "sso_session = s",
    "output = json # x",
    "a = b = c",
    "ü = 1",
    "Key = 2",
    "key = 3",
    "[profile \u{e9}quipe]",
    "[profile back\\slash]",
    "[profile \"un closed]",
];

const CREDENTIAL_LINES: &[&str] = &[
    "[a]",
    "[b]",
    "[default]",
    "[profile a]",
    "[DEFAULT]",
    "[c d]",
    "aws_access_key_id = K",
    "aws_secret_access_key = S",
    "region = x",
    "  more",
    "",
    "# c",
    "k = 1",
    "K = 2",
];

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

fn file(rng: &mut Rng, lines: &[&str], first: &[&str], max: usize) -> String {
    let mut out: Vec<&str> = Vec::new();
    if rng.below(10) < 7 {
        out.push(rng.pick(first));
    }
    for _ in 0..=rng.below(max) {
        out.push(rng.pick(lines));
    }
    let newline = ["\n", "\n", "\r\n", "\r"][rng.below(4)];
    let mut text = out.join(newline);
    text.push_str(newline);
    text
}

#[test]
fn profile_names_match_botocore_on_random_files() {
    let Some(python) = crate::common::oracle_python(&["botocore"]) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x5eed_a575);
    for i in 0..CASES {
        let case = dir.path().join(format!("{i:04}"));
        std::fs::create_dir_all(&case).unwrap();
        let config = file(
            &mut rng,
            CONFIG_LINES,
            &["[profile a]", "[default]", "[DEFAULT]"],
            9,
        );
        std::fs::write(case.join("config"), config).unwrap();
        if rng.below(2) == 0 {
            let creds = file(&mut rng, CREDENTIAL_LINES, &["[a]", "[default]"], 5);
            std::fs::write(case.join("credentials"), creds).unwrap();
        }
    }
    let oracle = Command::new(&python)
        .arg(crate::common::repo().join("tests/oracle/names_oracle.py"))
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        oracle.status.success(),
        "{}",
        String::from_utf8_lossy(&oracle.stderr)
    );
    let want: serde_json::Value = serde_json::from_slice(&oracle.stdout).unwrap();
    let mut mismatches = Vec::new();
    let mut errors = 0;
    for i in 0..CASES {
        let name = format!("{i:04}");
        let case = dir.path().join(&name);
        let out = Command::new(env!("CARGO_BIN_EXE_awsp"))
            .args(["list", "--names"])
            .env_clear()
            .env("HOME", dir.path())
            .env("AWS_CONFIG_FILE", case.join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", case.join("credentials"))
            .output()
            .unwrap();
        let got = match out.status.code() {
            Some(2) => serde_json::json!("ERROR"),
            Some(0) => serde_json::json!(String::from_utf8_lossy(&out.stdout)
                .lines()
                .collect::<Vec<_>>()),
            other => panic!(
                "case {name}: exit {other:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            ),
        };
        errors += usize::from(got == "ERROR");
        if got != want[&name] {
            let config = std::fs::read_to_string(case.join("config")).unwrap_or_default();
            let creds = std::fs::read_to_string(case.join("credentials")).unwrap_or_default();
            mismatches.push(format!(
                "case {name}: awsp {got} botocore {}\n  config {config:?}\n  credentials {creds:?}",
                want[&name]
            ));
        }
    }
    // The generator must exercise both outcomes to mean anything.
    assert!(
        errors > CASES / 10 && errors < CASES * 9 / 10,
        "{errors} of {CASES} cases were errors"
    );
    assert!(
        mismatches.is_empty(),
        "{} mismatches:\n{}",
        mismatches.len(),
        mismatches.join("\n")
    );
}

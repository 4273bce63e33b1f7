//! Text for people, shared by the commands and the picker: durations,
//! states, escaping, colour.

pub mod cell;
pub mod clean;
pub mod human;
pub mod shown;
pub mod style;

/// The layers the folders promise, checked on the source text: the model
/// (`aws/`) words nothing for people and draws nothing, and neither the
/// picker's model and view nor `awscli/` reach into a subcommand.
#[cfg(test)]
mod layering {
    use std::path::Path;

    /// `path:line: text` for each code line (comments skipped) under
    /// `dir` that contains one of `banned`, except in `allowed` files.
    fn offending(dir: &Path, banned: &[&str], allowed: &[&str]) -> Vec<String> {
        let mut found = Vec::new();
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
        entries.sort_by_key(|e| e.path());
        for entry in entries {
            let path = entry.path();
            if path.is_dir() {
                found.extend(offending(&path, banned, allowed));
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if !name.ends_with(".rs") || allowed.contains(&name.as_str()) {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (n, line) in text.lines().enumerate() {
                let code = line.trim_start();
                if !code.starts_with("//") && banned.iter().any(|b| code.contains(b)) {
                    found.push(format!("{}:{}: {code}", path.display(), n + 1));
                }
            }
        }
        found
    }

    fn src(sub: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(sub)
    }

    #[test]
    fn the_model_has_no_terminal_colour_or_wording_imports() {
        // ini.rs escapes section names inside its parse errors (a domain
        // error naming what is wrong in a file), the one allowed use.
        let banned = ["output::", "crossterm", "ratatui", "tui::", "commands::"];
        let found = offending(&src("aws"), &banned, &["ini.rs"]);
        assert!(found.is_empty(), "{found:#?}");
        let ini = std::fs::read_to_string(src("aws/ini.rs")).unwrap();
        let uses: Vec<&str> = ini.lines().filter(|l| l.contains("output::")).collect();
        assert!(
            uses.iter().all(|l| l.contains("output::human::printable(")),
            "{uses:#?}"
        );
    }

    #[test]
    fn the_picker_and_awscli_import_nothing_from_commands() {
        // output/mod.rs holds this test, which names what it looks for.
        for (dir, allowed) in [
            ("tui/ui", &[][..]),
            ("tui/app", &[]),
            ("awscli", &[]),
            ("output", &["mod.rs"]),
        ] {
            let found = offending(&src(dir), &["commands::"], allowed);
            assert!(found.is_empty(), "{dir}: {found:#?}");
        }
    }
}

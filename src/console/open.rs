//! Opening the sign-in URL: the URL goes in a browser's argv, never
//! through a shell, and the opener's output is discarded (a browser may
//! echo what it was given).

use std::process::{Command, Stdio};

use super::ConsoleError;

/// Opens `url` with `$BROWSER` (its first word; `%s` is replaced), else
/// `xdg-open`, else `open`. The URL goes in argv, not through a shell.
pub fn open_url(url: &str) -> Result<String, ConsoleError> {
    let mut candidates: Vec<(String, Vec<String>)> = Vec::new();
    if let Ok(browser) = std::env::var("BROWSER") {
        // $BROWSER may list several, separated by `:`.
        for entry in browser.split(':').filter(|e| !e.trim().is_empty()) {
            let mut words = entry.split_whitespace().map(str::to_string);
            if let Some(program) = words.next() {
                let mut args: Vec<String> = words.collect();
                if args.iter().any(|a| a.contains("%s")) {
                    args = args.iter().map(|a| a.replace("%s", url)).collect();
                } else {
                    args.push(url.to_string());
                }
                candidates.push((program, args));
            }
        }
    }
    candidates.push(("xdg-open".into(), vec![url.to_string()]));
    candidates.push(("open".into(), vec![url.to_string()]));
    for (program, args) in candidates {
        let status = Command::new(&program)
            .args(&args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        match status {
            Ok(s) if s.success() => {
                return Ok(crate::output::human::printable(&program).into_owned())
            }
            Ok(_) | Err(_) => continue,
        }
    }
    Err(ConsoleError::NoBrowser)
}

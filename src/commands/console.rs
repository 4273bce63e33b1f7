//! `awsp console [PROFILE] [--service S | --destination URL] [--region R]
//! [--print]`: the AWS console, signed in as the profile. The login URL is
//! a credential: opened with `$BROWSER`, `xdg-open` or `open`, printed on
//! stdout only with `--print`, never written anywhere else.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::console::{console_destination, federation_url, get_signin_token, login_url};
use crate::exit;
use crate::home::Home;
use crate::output::human::printable;

use super::creds::{obtain, Want};

/// The issuer shown on the console's sign-out page.
pub const ISSUER: &str = "awsp";

#[derive(Debug)]
pub struct ConsoleOpts<'a> {
    pub want: Want<'a>,
    pub service: Option<&'a str>,
    pub destination: Option<&'a str>,
    pub region: Option<&'a str>,
    pub print: bool,
}

pub fn run(home: &Home, opts: &ConsoleOpts, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let resolved = match obtain(home, &opts.want, err) {
        Ok(r) => r,
        Err(code) => return code,
    };
    if resolved.creds.session_token.is_none() {
        let _ = writeln!(
            err,
            "awsp: profile {}: long-term keys cannot sign in to the console (federation needs temporary credentials)",
            printable(opts.want.profile)
        );
        return exit::NO_CREDENTIALS;
    }
    let region = opts
        .region
        .map(str::to_string)
        .or(resolved.region.clone())
        .unwrap_or_else(|| "us-east-1".to_string());
    let federation = federation_url(
        &region,
        std::env::var("AWSP_FEDERATION_URL").ok().as_deref(),
    );
    let token = match get_signin_token(&federation, &resolved.creds) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "awsp: console: {}", printable(&e.to_string()));
            return exit::NO_CREDENTIALS;
        }
    };
    let destination = console_destination(&region, opts.service, opts.destination);
    let url = login_url(&federation, ISSUER, &destination, &token);
    if opts.print {
        let _ = writeln!(out, "{url}");
        return exit::OK;
    }
    match open(&url) {
        Ok(opener) => {
            let _ = writeln!(
                err,
                "awsp: console for {} opened with {opener} ({})",
                printable(opts.want.profile),
                printable(&destination)
            );
            exit::OK
        }
        Err(why) => {
            let _ = writeln!(err, "awsp: console: {why} (use --print to get the URL)");
            exit::NOT_INSTALLED
        }
    }
}

/// Opens `url` with `$BROWSER` (its first word; `%s` is replaced), else
/// `xdg-open`, else `open`. The URL goes in argv, not through a shell.
fn open(url: &str) -> Result<String, String> {
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
            Ok(s) if s.success() => return Ok(printable(&program).into_owned()),
            Ok(_) | Err(_) => continue,
        }
    }
    Err("no browser could be started ($BROWSER, xdg-open, open)".into())
}

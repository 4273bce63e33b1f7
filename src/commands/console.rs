//! `awsp console [PROFILE] [--service S | --destination URL] [--region R]
//! [--print]`: the AWS console, signed in as the profile. The login URL is
//! a credential: opened with `$BROWSER`, `xdg-open` or `open`, printed on
//! stdout only with `--print`, never written anywhere else.

use std::io::Write;

use crate::console::{open_url, sign_in_url};
use crate::exit;
use crate::home::Home;
use crate::output::human::printable;

use super::creds::{obtain, Want};

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
    let (url, destination) =
        match sign_in_url(&resolved.creds, &region, opts.service, opts.destination) {
            Ok(signed) => signed,
            Err(e) => {
                let _ = writeln!(err, "awsp: console: {}", printable(&e.to_string()));
                return exit::NO_CREDENTIALS;
            }
        };
    if opts.print {
        let _ = writeln!(out, "{url}");
        return exit::OK;
    }
    match open_url(&url) {
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

//! `awsp console [PROFILE] [--service S | --destination URL] [--region R]
//! [--print]`: the AWS console, signed in as the profile. The login URL is
//! a credential: opened with `$BROWSER`, `xdg-open` or `open`, printed on
//! stdout only with `--print`, never written anywhere else.

use std::io::Write;

use crate::console::{open_url, sign_in_url_for};
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
    let resolved = match obtain(home, &opts.want, None, err) {
        Ok(r) => r,
        Err(code) => return code,
    };
    let signed = sign_in_url_for(
        &resolved,
        opts.want.profile,
        opts.region,
        opts.service,
        opts.destination,
    );
    let (url, destination) = match signed {
        Ok(signed) => signed,
        Err(e) => {
            let _ = writeln!(err, "awsp: {}", printable(&e.to_string()));
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

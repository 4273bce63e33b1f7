//! awsp's `fetch_inventory` as a process, for `scripts/bench-sync` (until
//! `awsp sync --json` stands in for it): the portal from
//! AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL (else us-east-1's), the token
//! from AWSP_PORTAL_TOKEN, the proxies and AWS_CA_BUNDLE from the
//! environment. Prints `{"accounts":N,"assignments":N,"failures":N,"seconds":S}`.
//!
//! AWSP_PORTAL_TOKEN=T AWS_ENDPOINT_URL_SSO=http://127.0.0.1:PORT \
//!     cargo run --example portal_fetch -- [--concurrency N] [--page-size N]

use awsp::portal::{fetch_inventory, process_env, AccessToken, Endpoint, FetchOpts, NetOpts};

fn main() {
    let mut opts = FetchOpts {
        net: NetOpts::from_env(&process_env, None),
        ..FetchOpts::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value: u32 = args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
            eprintln!("portal_fetch: {flag} needs a number");
            std::process::exit(2)
        });
        match flag.as_str() {
            "--concurrency" => opts.concurrency = value as usize,
            "--page-size" => opts.page_size = Some(value),
            _ => {
                eprintln!("portal_fetch: unknown flag {flag}");
                std::process::exit(2)
            }
        }
    }
    let Some(token) = std::env::var("AWSP_PORTAL_TOKEN").ok() else {
        eprintln!("portal_fetch: set AWSP_PORTAL_TOKEN");
        std::process::exit(2)
    };
    let started = std::time::Instant::now();
    let result = Endpoint::for_region("us-east-1", &process_env)
        .and_then(|endpoint| fetch_inventory(&endpoint, &AccessToken::new(token), &opts, &|_| {}));
    match result {
        Ok(inv) => println!(
            "{{\"accounts\":{},\"assignments\":{},\"failures\":{},\"seconds\":{:.3}}}",
            inv.accounts.len(),
            inv.assignments.len(),
            inv.failures.len(),
            started.elapsed().as_secs_f64()
        ),
        Err(e) => {
            eprintln!("portal_fetch: {e}");
            std::process::exit(1)
        }
    }
}

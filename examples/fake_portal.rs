//! The fake Identity Center portal as a process, for boto3, aws-sso-util
//! and `scripts/bench-sync`. Prints its base URL on the first line of
//! stdout, then serves on 127.0.0.1 until killed. `GET /__stats` answers
//! the request counters as JSON (not counted itself).
//!
//! cargo run --example fake_portal -- --accounts 200 --roles 3 --page-size 20 \
//!     --latency-ms 20 --throttle-every 7 --token T [--forbid ID] [--not-found ID] [--port P]

#[path = "../tests/it/support/fake_portal.rs"]
mod fake_portal;

use std::time::Duration;

fn main() {
    let mut config = fake_portal::FakeConfig::default();
    let mut port = 0;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next().unwrap_or_else(|| {
                eprintln!("fake_portal: {flag} needs a value");
                std::process::exit(2)
            })
        };
        let number = |v: String| -> u64 {
            v.parse().unwrap_or_else(|_| {
                eprintln!("fake_portal: not a number: {v}");
                std::process::exit(2)
            })
        };
        match flag.as_str() {
            "--accounts" => config.accounts = number(value()) as usize,
            "--roles" => config.roles_per_account = number(value()) as usize,
            "--page-size" => config.page_size = number(value()) as usize,
            "--latency-ms" => config.latency = Duration::from_millis(number(value())),
            "--throttle-every" => config.throttle_every = number(value()),
            "--server-error-every" => config.server_error_every = number(value()),
            "--token" => config.token = value(),
            "--forbid" => config.forbidden.push(value()),
            "--not-found" => config.not_found.push(value()),
            "--port" => port = number(value()) as u16,
            _ => {
                eprintln!("fake_portal: unknown flag {flag}");
                std::process::exit(2)
            }
        }
    }
    let portal = fake_portal::FakePortal::start_on(config, port);
    println!("{}", portal.url());
    loop {
        std::thread::park();
    }
}

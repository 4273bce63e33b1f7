//! When to try a call again: 429 `TooManyRequestsException` and 5xx, with
//! "full jitter" exponential backoff (a random sleep below a doubling
//! ceiling, as botocore's standard mode does) so that a pool of workers
//! throttled together does not retry together.

use std::time::Duration;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries of one call, the first included.
    pub max_tries: u32,
    /// The ceiling of the first sleep; it doubles on each retry.
    pub base: Duration,
    /// No single sleep is longer.
    pub max_sleep: Duration,
    /// No call goes on retrying past this much time since its first try.
    pub budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_tries: 8,
            base: Duration::from_millis(50),
            max_sleep: Duration::from_secs(5),
            budget: Duration::from_secs(20),
        }
    }
}

/// Statuses worth another try: throttling and the server's own failures.
pub fn is_retryable(status: u16) -> bool {
    status == 429 || (500..600).contains(&status)
}

impl RetryPolicy {
    /// The sleep before try number `next_try` (2 for the first retry), or
    /// `None` when the tries or the time budget are used up.
    pub fn sleep_before(
        &self,
        next_try: u32,
        elapsed: Duration,
        rng: &mut Jitter,
    ) -> Option<Duration> {
        if next_try > self.max_tries {
            return None;
        }
        let doublings = next_try.saturating_sub(2).min(20);
        let ceiling = self.base.saturating_mul(1 << doublings).min(self.max_sleep);
        let sleep = ceiling.mul_f64(rng.next_unit());
        if elapsed + sleep >= self.budget {
            return None;
        }
        Some(sleep)
    }
}

/// A tiny xorshift generator: jitter needs spread, not secrecy, and this
/// keeps a random-number crate out of the build.
pub struct Jitter(u64);

impl Jitter {
    pub fn seeded(seed: u64) -> Jitter {
        Jitter(seed | 1)
    }

    /// Seeded from the clock and a per-worker number.
    pub fn for_worker(worker: usize) -> Jitter {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64);
        Jitter::seeded(
            nanos
                ^ ((worker as u64)
                    .wrapping_add(1)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)),
        )
    }

    /// A number in [0, 1).
    pub fn next_unit(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_429_and_5xx_only() {
        for s in [429, 500, 502, 503, 599] {
            assert!(is_retryable(s), "{s}");
        }
        for s in [200, 400, 401, 403, 404, 600] {
            assert!(!is_retryable(s), "{s}");
        }
    }

    #[test]
    fn sleeps_are_jittered_below_a_doubling_capped_ceiling() {
        let p = RetryPolicy::default();
        let mut rng = Jitter::seeded(42);
        let mut seen = std::collections::HashSet::new();
        for next_try in 2..=8 {
            let ceiling = (p.base * (1 << (next_try - 2))).min(p.max_sleep);
            for _ in 0..50 {
                let s = p.sleep_before(next_try, Duration::ZERO, &mut rng).unwrap();
                assert!(s <= ceiling, "try {next_try}: {s:?} > {ceiling:?}");
                seen.insert(s);
            }
        }
        assert!(
            seen.len() > 300,
            "jitter should spread sleeps: {}",
            seen.len()
        );
    }

    #[test]
    fn gives_up_after_max_tries_or_the_budget() {
        let p = RetryPolicy::default();
        let mut rng = Jitter::seeded(7);
        assert!(p.sleep_before(9, Duration::ZERO, &mut rng).is_none());
        assert!(p
            .sleep_before(3, Duration::from_secs(20), &mut rng)
            .is_none());
    }
}

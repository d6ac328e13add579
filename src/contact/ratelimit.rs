//! Per-address rate limit for form posts (governor's GCRA), keyed by the address hash, pruned on a timer
//! so the map cannot grow without bound.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use std::num::NonZeroU32;
use std::time::Duration;

/// Allows `per_hour` posts an hour per key, in a burst or spread out.
pub struct RateLimit {
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl RateLimit {
    /// A limiter for `per_hour` posts per key.
    pub fn new(per_hour: NonZeroU32) -> RateLimit {
        RateLimit {
            limiter: DefaultKeyedRateLimiter::keyed(Quota::per_hour(per_hour)),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one post for `key`; `Err(wait)` says how long until the next is allowed.
    pub fn check(&self, key: &str) -> Result<(), Duration> {
        self.limiter
            .check_key(&key.to_owned())
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()))
    }

    /// Forgets keys whose allowance is fully restored; call periodically.
    pub fn prune(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }

    /// Keys currently tracked.
    pub fn len(&self) -> usize {
        self.limiter.len()
    }

    /// True when no key is tracked.
    pub fn is_empty(&self) -> bool {
        self.limiter.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_applies_per_key() {
        let r = RateLimit::new(NonZeroU32::new(2).unwrap());
        assert!(r.check("a").is_ok());
        assert!(r.check("a").is_ok());
        let wait = r.check("a").unwrap_err();
        assert!(wait > Duration::from_secs(60), "{wait:?}");
        assert!(r.check("b").is_ok());
        assert_eq!(r.len(), 2);
    }
}

//! Password hashing: argon2id with at least OWASP's minimum (m = 19456 KiB, t = 2, p = 1), stored as a
//! PHC string so the parameters can be raised later without breaking old hashes.

use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use argon2::{Algorithm, Argon2, Params, Version};

/// Shortest password accepted, in characters.
pub const MIN_CHARS: usize = 12;
/// Longest password accepted, in bytes (hashing a huge one would be a cheap denial of service).
pub const MAX_BYTES: usize = 1024;

const M_COST_KIB: u32 = 19_456;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

fn hasher() -> Argon2<'static> {
    let params =
        Params::new(M_COST_KIB, T_COST, P_COST, None).expect("the constants are valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Why a new password is refused.
pub fn policy_problem(password: &str) -> Option<String> {
    if password.chars().count() < MIN_CHARS {
        Some(format!("A password needs at least {MIN_CHARS} characters."))
    } else if password.len() > MAX_BYTES {
        Some(format!("A password can have at most {MAX_BYTES} bytes."))
    } else {
        None
    }
}

/// A bound on password checks running at once: each argon2 run holds its memory (19 MiB) until it
/// ends, so without one a burst of sign-ins can exhaust the server's memory.
#[derive(Debug)]
pub struct Slots {
    busy: std::sync::atomic::AtomicU32,
    max: u32,
}

/// One taken slot; freed when dropped.
#[derive(Debug)]
pub struct Slot<'a>(&'a Slots);

impl Slots {
    /// At most `max` at once.
    pub fn new(max: std::num::NonZeroU32) -> Slots {
        Slots { busy: std::sync::atomic::AtomicU32::new(0), max: max.get() }
    }

    /// A slot, or `None` when all are taken (the caller answers "busy, try again").
    pub fn try_take(&self) -> Option<Slot<'_>> {
        use std::sync::atomic::Ordering;
        self.busy
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| (n < self.max).then_some(n + 1))
            .ok()
            .map(|_| Slot(self))
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.busy.fetch_sub(1, std::sync::atomic::Ordering::AcqRel);
    }
}

/// Hashes `password` with a fresh random salt.
pub fn hash(password: &str) -> Result<String, String> {
    hasher().hash_password(password.as_bytes()).map(|h| h.to_string()).map_err(|e| e.to_string())
}

/// True when `password` matches the PHC string `phc` (its own parameters are used).
pub fn verify(password: &str, phc: &str) -> bool {
    if password.len() > MAX_BYTES {
        return false;
    }
    match PasswordHash::new(phc) {
        Ok(parsed) => hasher().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_bounded_and_come_back_when_dropped() {
        let slots = Slots::new(std::num::NonZeroU32::new(2).unwrap());
        let a = slots.try_take().unwrap();
        let _b = slots.try_take().unwrap();
        assert!(slots.try_take().is_none());
        drop(a);
        assert!(slots.try_take().is_some());
    }

    #[test]
    fn a_hash_verifies_its_password_only_and_records_the_parameters() {
        let h = hash("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("correct horse battery", &h));
        assert!(!verify("correct horse batterY", &h));
        assert!(!verify("x", "not a hash"));
        assert_ne!(h, hash("correct horse battery").unwrap(), "salted");
    }

    #[test]
    fn short_and_huge_passwords_are_refused() {
        assert!(policy_problem("short").is_some());
        assert!(policy_problem(&"x".repeat(2000)).is_some());
        assert!(policy_problem("twelve chars").is_none());
    }
}

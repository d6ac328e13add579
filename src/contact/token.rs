//! Signed form tokens: `ISSUED.NONCE.MAC`. They prove the form came from us, say how long the reader
//! took (bots post at once), expire, and their nonce makes a resent form count once.

use super::secrets::{SecretKey, hex};

/// What a submitted token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenCheck {
    /// Signed by us and within the time window; the nonce identifies the form instance.
    Valid {
        /// Unique id of this form instance.
        nonce: String,
    },
    /// Sent sooner after issue than a person could have written it.
    TooFresh {
        /// The nonce, so the held message is still stored once.
        nonce: String,
        /// Seconds between issue and submission.
        secs: i64,
    },
    /// Older than the allowed age.
    Expired,
    /// Missing, malformed or not signed by us.
    Forged,
}

/// Issues a token at unix time `now` with a fresh random nonce.
pub fn issue(key: &SecretKey, now: i64) -> String {
    let mut n = [0u8; 16];
    if getrandom::fill(&mut n).is_err() {
        // No entropy source: fall back to a MAC of the time, still unique per second and unforgeable.
        n.copy_from_slice(&key.mac(&[b"nonce", now.to_string().as_bytes()])[..16]);
    }
    let nonce = hex(&n);
    let mac = key.mac(&[b"form", now.to_string().as_bytes(), nonce.as_bytes()]);
    format!("{now}.{nonce}.{}", hex(&mac))
}

/// Checks `token` at `now` against the fill-time window.
pub fn check(key: &SecretKey, token: &str, now: i64, min_secs: u64, max_secs: u64) -> TokenCheck {
    let mut parts = token.trim().split('.');
    let (Some(issued), Some(nonce), Some(mac), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return TokenCheck::Forged;
    };
    let Ok(issued_at) = issued.parse::<i64>() else {
        return TokenCheck::Forged;
    };
    if nonce.len() != 32 || !nonce.bytes().all(|b| b.is_ascii_hexdigit()) {
        return TokenCheck::Forged;
    }
    let expected = hex(&key.mac(&[b"form", issued.as_bytes(), nonce.as_bytes()]));
    if !constant_time_eq(expected.as_bytes(), mac.as_bytes()) {
        return TokenCheck::Forged;
    }
    let age = now - issued_at;
    if age < min_secs as i64 {
        return TokenCheck::TooFresh { nonce: nonce.to_owned(), secs: age };
    }
    if age > max_secs as i64 {
        return TokenCheck::Expired;
    }
    TokenCheck::Valid { nonce: nonce.to_owned() }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_valid_inside_its_window() {
        let k = SecretKey::random().unwrap();
        let t = issue(&k, 1000);
        assert!(matches!(check(&k, &t, 1005, 3, 60), TokenCheck::Valid { .. }));
    }

    #[test]
    fn too_fresh_expired_and_forged_tokens_are_told_apart() {
        let k = SecretKey::random().unwrap();
        let t = issue(&k, 1000);
        assert!(matches!(check(&k, &t, 1001, 3, 60), TokenCheck::TooFresh { secs: 1, .. }));
        assert_eq!(check(&k, &t, 2000, 3, 60), TokenCheck::Expired);
        let other = SecretKey::random().unwrap();
        assert_eq!(check(&other, &t, 1005, 3, 60), TokenCheck::Forged);
        let tampered = t.replacen("1000", "999", 1);
        assert_eq!(check(&k, &tampered, 1005, 3, 60), TokenCheck::Forged);
        assert_eq!(check(&k, "", 1005, 3, 60), TokenCheck::Forged);
        assert_eq!(check(&k, "a.b.c.d", 1005, 3, 60), TokenCheck::Forged);
    }

    #[test]
    fn each_token_has_its_own_nonce() {
        let k = SecretKey::random().unwrap();
        assert_ne!(issue(&k, 1), issue(&k, 1));
    }
}

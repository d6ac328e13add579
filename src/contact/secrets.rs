//! The site's secret key: `secret_key_file`, else `secret.key` in the data dir (mode 0600), created
//! on first start. Never in the database, so a copy of the database cannot forge form tokens.
//!
//! It signs form tokens and derives the daily key for address hashes; deleting it only invalidates
//! open forms and makes today's hashes incomparable with yesterday's.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use std::io::Write;
use std::path::Path;

/// 32 random bytes.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    /// Loads the key file at `path`, creating it (mode 0600) with fresh random bytes if missing.
    /// Instances that share a file system and start together agree on one key: the file is
    /// created with `create_new`, and the losers of the race read the winner's.
    pub fn load_or_create(path: &Path) -> std::io::Result<SecretKey> {
        match std::fs::read(path) {
            Ok(bytes) if bytes.len() == 32 => {
                let mut k = [0u8; 32];
                k.copy_from_slice(&bytes);
                return Ok(SecretKey(k));
            }
            Ok(_) => {
                return Err(std::io::Error::other(format!("{} must hold exactly 32 bytes", path.display())));
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        let key = SecretKey::random()?;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
        match opts.open(path) {
            Ok(mut f) => {
                f.write_all(&key.0)?;
                f.sync_all()?;
                Ok(key)
            }
            // Another process created it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => SecretKey::load_or_create(path),
            Err(e) => Err(e),
        }
    }

    /// A fresh random key (tests, first start).
    pub fn random() -> std::io::Result<SecretKey> {
        let mut k = [0u8; 32];
        getrandom::fill(&mut k).map_err(|e| std::io::Error::other(e.to_string()))?;
        Ok(SecretKey(k))
    }

    /// HMAC-SHA256 of `parts` joined by NUL, under this key.
    pub fn mac(&self, parts: &[&[u8]]) -> [u8; 32] {
        let mut m = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).expect("HMAC takes any key length");
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                m.update(&[0]);
            }
            m.update(p);
        }
        m.finalize().into_bytes().into()
    }

    /// A keyed hash of a client address that changes every UTC day, so stored hashes cannot be
    /// linked across days nor reversed by trying every address without the key.
    pub fn address_hash(&self, ip: std::net::IpAddr, day: time::Date) -> String {
        let day_key = self.mac(&[b"address-day", day.to_string().as_bytes()]);
        // An IPv6 host has a whole /64 to pick addresses from: the /64 is the address.
        let ip = match ip.to_canonical() {
            std::net::IpAddr::V6(v6) => {
                let s = v6.segments();
                std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0).to_string() + "/64"
            }
            v4 => v4.to_string(),
        };
        let h = SecretKey(day_key).mac(&[ip.as_bytes()]);
        hex(&h[..16])
    }
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_slash_64_is_one_address_and_v4_addresses_stay_apart() {
        let k = SecretKey([7; 32]);
        let day = time::macros::date!(2026 - 12 - 03);
        let h = |s: &str| k.address_hash(s.parse().unwrap(), day);
        assert_eq!(h("2001:db8:1:2::1"), h("2001:db8:1:2:ffff:1:2:3"));
        assert_ne!(h("2001:db8:1:2::1"), h("2001:db8:1:3::1"));
        assert_ne!(h("192.0.2.1"), h("192.0.2.2"));
        assert_eq!(h("::ffff:192.0.2.1"), h("192.0.2.1"));
    }

    #[test]
    fn the_key_file_is_created_once_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let a = SecretKey::load_or_create(&dir.path().join("secret.key")).unwrap();
        let b = SecretKey::load_or_create(&dir.path().join("secret.key")).unwrap();
        assert_eq!(a.0, b.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join("secret.key")).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn address_hashes_rotate_daily_and_hide_the_address() {
        let k = SecretKey::random().unwrap();
        let ip: std::net::IpAddr = "192.0.2.7".parse().unwrap();
        let d1 = time::macros::date!(2026 - 12 - 01);
        let d2 = time::macros::date!(2026 - 12 - 02);
        assert_eq!(k.address_hash(ip, d1), k.address_hash(ip, d1));
        assert_ne!(k.address_hash(ip, d1), k.address_hash(ip, d2));
        assert!(!k.address_hash(ip, d1).contains("192"));
    }
}

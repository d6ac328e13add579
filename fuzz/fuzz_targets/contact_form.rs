//! A posted Contact Us body (`application/x-www-form-urlencoded`) as `POST /contact` reads it: decoded
//! into the form, its token checked, then validated into a message and its links counted.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use zeroopposite::contact::form::{ContactForm, MAX_NAME};
use zeroopposite::contact::secrets::SecretKey;
use zeroopposite::contact::{spam, token};

/// The configured default limit.
const MAX_MESSAGE_CHARS: usize = 10_000;

fn key() -> &'static SecretKey {
    static KEY: OnceLock<SecretKey> = OnceLock::new();
    KEY.get_or_init(|| SecretKey::random().unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok(form) = serde_urlencoded::from_bytes::<ContactForm>(data) else { return };
    // Nobody can sign a token without the key, so whatever was posted is a forgery.
    let check = token::check(key(), &form.token, 1_780_000_000, 3, 86_400);
    assert_eq!(check, token::TokenCheck::Forged, "token {:?}", form.token);
    if let Ok(message) = form.to_message(MAX_MESSAGE_CHARS) {
        assert_eq!(message.body, form.message, "the message is kept exactly");
        assert!(message.body.chars().count() <= MAX_MESSAGE_CHARS);
        assert!(message.name.as_ref().is_none_or(|n| n.chars().count() <= MAX_NAME));
        let _ = spam::link_count(&message.body);
    }
});

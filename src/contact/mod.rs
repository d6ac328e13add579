//! Contact Us without third parties: signed form tokens, spam rules, a per-address rate limit,
//! keyed address hashes, and the e-mail notification outbox.
//!
//! Everything here but [`outbox`] is pure or in-memory; storing messages is the store's job.

pub mod form;
pub mod outbox;
pub mod ratelimit;
pub mod secrets;
pub mod spam;
pub mod token;

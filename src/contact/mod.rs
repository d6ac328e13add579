//! Contact Us without third parties: signed form tokens, spam rules, keyed address hashes and the
//! e-mail notification outbox. The per-address rate limit is counted in the store, shared by
//! every instance.
//!
//! Everything here but [`outbox`] is pure or in-memory; storing messages is the store's job.

pub mod form;
pub mod outbox;
pub mod secrets;
pub mod spam;
pub mod token;

//! The client's address: the connection's peer, or, when the peer is a trusted proxy
//! (`trusted_proxies`), the rightmost address in `X-Forwarded-For` that is not one.
//!
//! Only the rightmost hops can be believed: a client can write anything at the left of the header,
//! but each trusted proxy appends the address it received the request from. Without trusted
//! proxies the header is ignored, so a client cannot pick its own address to dodge throttling.

use super::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use ipnet::IpNet;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The address login throttling and the contact rate limit count by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        let trusted = &app.config().trusted_proxies;
        if trusted.is_empty() {
            return Ok(ClientIp(peer));
        }
        let forwarded: Vec<&str> =
            parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        Ok(ClientIp(client_address(peer, &forwarded, trusted)))
    }
}

/// The client behind `peer`, given the `X-Forwarded-For` header lines and the trusted networks.
pub fn client_address(peer: IpAddr, forwarded: &[&str], trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(&ip.to_canonical()));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut client = peer;
    // Several header lines are one list, in order.
    let hops = forwarded.iter().flat_map(|line| line.split(',')).map(str::trim).collect::<Vec<_>>();
    for hop in hops.iter().rev() {
        let Ok(ip) = hop.parse::<IpAddr>() else {
            // Garbage at this hop: nothing further left can be believed.
            return client;
        };
        client = ip.to_canonical();
        if !is_trusted(&client) {
            return client;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(n: &[&str]) -> Vec<IpNet> {
        n.iter().map(|s| s.parse().unwrap()).collect()
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_header_is_ignored_unless_the_peer_is_trusted() {
        let t = nets(&["10.0.0.0/8"]);
        assert_eq!(client_address(ip("203.0.113.9"), &["1.2.3.4"], &t), ip("203.0.113.9"));
        assert_eq!(client_address(ip("10.0.0.2"), &["1.2.3.4"], &[]), ip("10.0.0.2"));
    }

    #[test]
    fn the_rightmost_untrusted_hop_is_the_client() {
        let t = nets(&["10.0.0.0/8", "127.0.0.1/32"]);
        // The client forged "6.6.6.6" at the left; the proxies appended the real hops.
        let got = client_address(ip("127.0.0.1"), &["6.6.6.6, 198.51.100.7, 10.0.0.5"], &t);
        assert_eq!(got, ip("198.51.100.7"));
        let got = client_address(ip("127.0.0.1"), &["6.6.6.6", "198.51.100.7"], &t);
        assert_eq!(got, ip("198.51.100.7"), "several header lines are one list");
    }

    #[test]
    fn garbage_or_only_trusted_hops_stop_at_the_last_believable_address() {
        let t = nets(&["10.0.0.0/8"]);
        assert_eq!(client_address(ip("10.0.0.1"), &["not-an-ip, 10.0.0.9"], &t), ip("10.0.0.9"));
        assert_eq!(client_address(ip("10.0.0.1"), &[], &t), ip("10.0.0.1"));
        assert_eq!(client_address(ip("10.0.0.1"), &["::ffff:192.0.2.1"], &t), ip("192.0.2.1"));
    }
}

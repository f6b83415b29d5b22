//! Which IP addresses the ownership fetcher may connect to: public unicast only.
//!
//! `std`'s `IpAddr::is_global` would say this, but it is still unstable, so the rule is written
//! here by hand from the IANA special-purpose address registries. A refused address is one
//! where a fetch made on a creator's say-so could reach Obole's own network (loopback, private
//! ranges, the cloud metadata services at 169.254.169.254 and fd00:ec2::254) or no real site.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// IPv4 ranges that are never a public site, as (network, prefix length).
const REFUSED_V4: [(Ipv4Addr, u32); 14] = [
    (Ipv4Addr::new(0, 0, 0, 0), 8),     // "this network", includes 0.0.0.0
    (Ipv4Addr::new(10, 0, 0, 0), 8),    // private
    (Ipv4Addr::new(100, 64, 0, 0), 10), // carrier-grade NAT
    (Ipv4Addr::new(127, 0, 0, 0), 8),   // loopback
    (Ipv4Addr::new(169, 254, 0, 0), 16), // link-local, cloud metadata
    (Ipv4Addr::new(172, 16, 0, 0), 12), // private
    (Ipv4Addr::new(192, 0, 0, 0), 24),  // IETF protocol assignments
    (Ipv4Addr::new(192, 0, 2, 0), 24),  // documentation (TEST-NET-1)
    (Ipv4Addr::new(192, 168, 0, 0), 16), // private
    (Ipv4Addr::new(198, 18, 0, 0), 15), // benchmarking
    (Ipv4Addr::new(198, 51, 100, 0), 24), // documentation (TEST-NET-2)
    (Ipv4Addr::new(203, 0, 113, 0), 24), // documentation (TEST-NET-3)
    (Ipv4Addr::new(224, 0, 0, 0), 4),   // multicast
    (Ipv4Addr::new(240, 0, 0, 0), 4),   // reserved, includes broadcast
];

/// Global unicast, 2000::/3: the only IPv6 space allocated for public sites.
const GLOBAL_UNICAST: (Ipv6Addr, u32) = (Ipv6Addr::new(0x2000, 0, 0, 0, 0, 0, 0, 0), 3);

/// Ranges inside global unicast that are still not a public site.
const REFUSED_V6_GLOBAL: [(Ipv6Addr, u32); 4] = [
    (Ipv6Addr::new(0x2001, 0, 0, 0, 0, 0, 0, 0), 32), // Teredo: a tunnel to anywhere
    (Ipv6Addr::new(0x2001, 2, 0, 0, 0, 0, 0, 0), 48), // benchmarking
    (Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0), 32), // documentation
    (Ipv6Addr::new(0x3fff, 0, 0, 0, 0, 0, 0, 0), 20), // documentation (RFC 9637)
];

/// IPv4-compatible addresses, ::/96 (deprecated, but a stack may still route them).
const V4_COMPATIBLE: (Ipv6Addr, u32) = (Ipv6Addr::UNSPECIFIED, 96);
/// The well-known NAT64 prefix, which a NAT64 gateway turns into the embedded IPv4 address.
const NAT64: (Ipv6Addr, u32) = (Ipv6Addr::new(0x64, 0xff9b, 0, 0, 0, 0, 0, 0), 96);
/// 6to4, which carries an IPv4 address in bits 16 to 48.
const SIX_TO_FOUR: (Ipv6Addr, u32) = (Ipv6Addr::new(0x2002, 0, 0, 0, 0, 0, 0, 0), 16);

/// True when `ip` is a public unicast address that a fetch may connect to.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    !REFUSED_V4.iter().any(|&(net, len)| in_v4(ip, net, len))
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let [_, s1, s2, _, _, _, s6, s7] = ip.segments();
    // Forms that carry an IPv4 address lead to that address: judge them by it. The
    // IPv4-compatible range also holds :: and ::1, refused as 0.0.0.0 and 0.0.0.1.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    if in_v6(ip, V4_COMPATIBLE) || in_v6(ip, NAT64) {
        return is_public_v4(embedded_v4(s6, s7));
    }
    if in_v6(ip, SIX_TO_FOUR) {
        return is_public_v4(embedded_v4(s1, s2));
    }
    // Everything outside 2000::/3 is refused as a whole: ULA fc00::/7, link-local fe80::/10,
    // site-local fec0::/10, multicast ff00::/8, local NAT64 64:ff9b:1::/48, discard 100::/64
    // and space not yet allocated.
    in_v6(ip, GLOBAL_UNICAST) && !REFUSED_V6_GLOBAL.iter().any(|&range| in_v6(ip, range))
}

fn embedded_v4(high: u16, low: u16) -> Ipv4Addr {
    Ipv4Addr::from((u32::from(high) << 16) | u32::from(low))
}

fn in_v4(ip: Ipv4Addr, net: Ipv4Addr, prefix_len: u32) -> bool {
    // A shift by the whole width (a /0 network) leaves no bits to compare.
    (u32::from(ip) ^ u32::from(net))
        .checked_shr(32 - prefix_len)
        .unwrap_or(0)
        == 0
}

fn in_v6(ip: Ipv6Addr, (net, prefix_len): (Ipv6Addr, u32)) -> bool {
    (u128::from(ip) ^ u128::from(net))
        .checked_shr(128 - prefix_len)
        .unwrap_or(0)
        == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn public(text: &str) -> bool {
        is_public(text.parse().expect("a test address"))
    }

    #[test]
    fn public_addresses_are_allowed() {
        for ip in [
            "8.8.8.8",
            "93.184.216.34",
            "1.1.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "2a00:1450::1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert!(public(ip), "{ip} should be public");
        }
    }

    #[test]
    fn special_ipv4_ranges_are_refused() {
        for ip in [
            "0.0.0.0",
            "0.1.2.3",
            "127.0.0.1",
            "127.255.255.254",
            "10.0.0.1",
            "10.255.255.255",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "169.254.169.254",
            "169.254.0.1",
            "192.0.0.8",
            "192.0.2.1",
            "198.51.100.7",
            "203.0.113.9",
            "198.18.0.1",
            "198.19.255.255",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
        ] {
            assert!(!public(ip), "{ip} should be refused");
        }
    }

    #[test]
    fn special_ipv6_ranges_are_refused() {
        for ip in [
            "::",
            "::1",
            "fc00::1",
            "fd12:3456::1",
            "fd00:ec2::254",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
            "ff0e::1",
            "2001:db8::1",
            "3fff::1",
            "2001::1",
            "2001:0:4136:e378::1",
            "2001:2::1",
            "100::1",
            "64:ff9b:1::1",
            "4000::1",
        ] {
            assert!(!public(ip), "{ip} should be refused");
        }
    }

    #[test]
    fn ipv6_forms_carrying_ipv4_are_judged_by_it() {
        for ip in [
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.1",
            "::127.0.0.1",
            "::10.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::1",
            "2002:c0a8:101::1",
            "2002:a9fe:a9fe::",
        ] {
            assert!(!public(ip), "{ip} should be refused");
        }
    }
}

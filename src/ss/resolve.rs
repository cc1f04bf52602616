//! `nlwire ss -r` (`--resolve`): host names instead of addresses.
//!
//! iproute2 `ss -r` asks the C library (`getnameinfo`, so NSS: `/etc/hosts`,
//! DNS, …). The Rust standard library has no reverse lookup, and `nlwire`
//! adds no resolver: names come from `/etc/hosts` only (the first name of
//! the first line listing the address, as glibc's `files` backend answers).
//! An address it does not list stays numeric, where ss might have found a
//! name through DNS or another NSS source. Unspecified addresses (`0.0.0.0`,
//! `::`) are never resolved, as in ss. Service names are shown without `-n`
//! already (`/etc/services`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::OnceLock;

/// `address -> first name` from the text of a hosts file.
fn parse_hosts(text: &str) -> HashMap<IpAddr, String> {
    let mut map = HashMap::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or_default();
        let mut words = line.split_whitespace();
        let (Some(addr), Some(name)) = (words.next(), words.next()) else {
            continue;
        };
        // A zone (`fe80::1%eth0`) is not part of the address.
        let addr = addr.split('%').next().unwrap_or(addr);
        if let Ok(ip) = addr.parse::<IpAddr>() {
            map.entry(ip).or_insert_with(|| name.to_string());
        }
    }
    map
}

/// The name of `addr` in `/etc/hosts`, if it lists it.
pub fn host_name(addr: IpAddr) -> Option<String> {
    static HOSTS: OnceLock<HashMap<IpAddr, String>> = OnceLock::new();
    HOSTS
        .get_or_init(|| parse_hosts(&std::fs::read_to_string("/etc/hosts").unwrap_or_default()))
        .get(&addr)
        .cloned()
}

/// The resolved text of an address column (`NAME`, `NAME%IFNAME` when
/// bound to a device), or `None` to print the address as usual.
pub fn host(addr: Option<IpAddr>, ifindex: u32, on: bool) -> Option<String> {
    let addr = addr.filter(|a| on && !a.is_unspecified())?;
    let mut name = host_name(addr)?;
    if ifindex != 0 {
        let dev = super::names::ifname_of(ifindex).unwrap_or_else(|| ifindex.to_string());
        name = format!("{name}%{dev}");
    }
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_file_first_name_wins() {
        let m = parse_hosts(
            "# comment\n127.0.0.1 localhost loopback\n127.0.0.1 other\n\
             ::1 ip6-localhost ip6-loopback # trailing\nfe80::1%lo0 linklocal\nbogus line\n",
        );
        assert_eq!(m[&IpAddr::from([127, 0, 0, 1])], "localhost");
        assert_eq!(m[&"::1".parse::<IpAddr>().unwrap()], "ip6-localhost");
        assert_eq!(m[&"fe80::1".parse::<IpAddr>().unwrap()], "linklocal");
        assert_eq!(m.len(), 3);
        assert_eq!(host(Some(IpAddr::from([0, 0, 0, 0])), 0, true), None);
        assert_eq!(host(Some(IpAddr::from([127, 0, 0, 1])), 0, false), None);
    }
}

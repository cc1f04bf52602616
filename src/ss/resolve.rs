//! `nlwire ss -r` (`--resolve`): host names instead of addresses.
//!
//! As iproute2 `ss -r`, names come from the C library's resolver
//! (`getnameinfo` through the `dns-lookup` crate, so NSS in the order
//! `/etc/nsswitch.conf` gives: `/etc/hosts`, DNS, …). Each address is
//! looked up once per run. An address without a name stays numeric;
//! unspecified addresses (`0.0.0.0`, `::`) are never resolved, as in ss.
//! Service names are shown without `-n` already (`/etc/services`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::net::IpAddr;

/// The name of `addr`, if the resolver has one (each address asked once).
pub fn host_name(addr: IpAddr) -> Option<String> {
    thread_local! {
        static CACHE: RefCell<HashMap<IpAddr, Option<String>>> = RefCell::new(HashMap::new());
    }
    CACHE.with(|c| {
        c.borrow_mut()
            .entry(addr)
            // `getnameinfo` with `NI_NAMEREQD`: an error when there is no
            // name, not the address as text.
            .or_insert_with(|| dns_lookup::lookup_addr(&addr).ok())
            .clone()
    })
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

    /// The resolver's answer is glibc's (`getent hosts` asks the same NSS
    /// sources); unspecified addresses and `-r` off give nothing.
    #[test]
    fn names_are_the_resolvers() {
        let lo = IpAddr::from([127, 0, 0, 1]);
        if let Ok(o) = std::process::Command::new("getent")
            .args(["hosts", "127.0.0.1"])
            .output()
        {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            let want = text.split_whitespace().nth(1).map(str::to_string);
            assert_eq!(host_name(lo), want, "getent: {text}");
        }
        assert_eq!(host(Some(IpAddr::from([0, 0, 0, 0])), 0, true), None);
        assert_eq!(host(Some(lo), 0, false), None);
    }
}

//! The operand of a host condition (`INET_DIAG_BC_S_COND` /
//! `D_COND`), decoded.

use core::net::IpAddr;

use super::ops::{AF_INET, AF_INET6, AF_UNSPEC};

/// The operand of `INET_DIAG_BC_S_COND` / `D_COND` (`struct
/// inet_diag_hostcond` and its address), decoded.
///
/// `addr: None` is `AF_UNSPEC`: any address, only the port is compared.
/// The address is kept as sent: the kernel compares only its first
/// `prefix_len` bits, and iproute2 `ss` does not mask it
/// (`src 127.0.0.1/8` carries `127.0.0.1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct HostCond {
    /// The address (`AF_INET`/`AF_INET6`), or `None` for `AF_UNSPEC`.
    pub addr: Option<IpAddr>,
    /// `prefix_len`: leading bits of `addr` that must match.
    pub prefix_len: u8,
    /// `port`: the port to match, -1 for any (an `int` on the wire).
    pub port: i32,
}

impl HostCond {
    /// Any address, any port (`AF_UNSPEC`, prefix 0, port -1).
    pub const fn any() -> Self {
        HostCond {
            addr: None,
            prefix_len: 0,
            port: -1,
        }
    }
    /// Any address, this port — what `ss` sends for `sport = :22`.
    pub const fn port(port: u16) -> Self {
        HostCond {
            addr: None,
            prefix_len: 0,
            port: port as i32,
        }
    }
    /// One host (the full-length prefix), any port — `ss`'s `dst [::1]`.
    pub const fn host(addr: IpAddr) -> Self {
        let prefix_len = match addr {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        HostCond {
            addr: Some(addr),
            prefix_len,
            port: -1,
        }
    }
    /// A prefix, any port — `ss`'s `src 127.0.0.1/8`.
    pub const fn prefix(addr: IpAddr, prefix_len: u8) -> Self {
        HostCond {
            addr: Some(addr),
            prefix_len,
            port: -1,
        }
    }
    /// The same condition on one port.
    #[must_use]
    pub const fn with_port(mut self, port: u16) -> Self {
        self.port = port as i32;
        self
    }
    /// The `family` byte: `AF_UNSPEC`, `AF_INET` or `AF_INET6`.
    pub const fn family(&self) -> u8 {
        match self.addr {
            None => AF_UNSPEC,
            Some(IpAddr::V4(_)) => AF_INET,
            Some(IpAddr::V6(_)) => AF_INET6,
        }
    }
    /// Bytes of address the kernel reads (0, 4 or 16).
    pub const fn addr_len(&self) -> usize {
        match self.addr {
            None => 0,
            Some(IpAddr::V4(_)) => 4,
            Some(IpAddr::V6(_)) => 16,
        }
    }
    /// `true` if the kernel's `valid_hostcond` accepts the prefix length
    /// (`prefix_len <= 8 * address length`).
    pub const fn is_valid(&self) -> bool {
        (self.prefix_len as usize) <= self.addr_len().saturating_mul(8)
    }
}

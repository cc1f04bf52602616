//! `struct __kernel_sockaddr_storage` (`<linux/socket.h>`): the 128-byte
//! address slots of `INET_DIAG_LOCALS` / `INET_DIAG_PEERS` (SCTP), each
//! holding a `struct sockaddr_in` or `sockaddr_in6` (`<linux/in.h>`,
//! `<linux/in6.h>`) zero-padded to 128 bytes.

use core::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use zerocopy::byteorder::U16;
use zerocopy::NativeEndian as NE;

use super::AddressFamily;
use crate::nl_struct;
use crate::value::{Value, Visitor, Walk};

/// `struct __kernel_sockaddr_storage` (`<linux/socket.h>`, `_K_SS_MAXSIZE`
/// 128 bytes).
///
/// ```c
/// struct __kernel_sockaddr_storage {
///     __kernel_sa_family_t ss_family;
///     char __data[_K_SS_MAXSIZE - sizeof(unsigned short)];
/// };
/// ```
///
/// Walked as the address it holds (`sin_port`/`sin_addr`,
/// `sin6_port`/`sin6_flowinfo`/`sin6_addr`/`sin6_scope_id`) when the family
/// is `AF_INET`/`AF_INET6`, as bytes otherwise.
#[nl_struct(name = "__kernel_sockaddr_storage", custom_walk)]
pub struct KernelSockaddrStorage {
    /// `ss_family`: `AF_*`, host order.
    pub ss_family: U16<NE>,
    /// `__data`: the rest of the address.
    #[nl(name = "__data")]
    pub data: [u8; 126],
}

fn be16(b: &[u8], at: usize) -> u16 {
    let mut a = [0u8; 2];
    crate::payload::copy_into(&mut a, b.get(at..).unwrap_or_default());
    u16::from_be_bytes(a)
}

fn ne32(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    crate::payload::copy_into(&mut a, b.get(at..).unwrap_or_default());
    u32::from_ne_bytes(a)
}

fn be32(b: &[u8], at: usize) -> u32 {
    let mut a = [0u8; 4];
    crate::payload::copy_into(&mut a, b.get(at..).unwrap_or_default());
    u32::from_be_bytes(a)
}

fn v6(b: &[u8], at: usize) -> Ipv6Addr {
    let mut a = [0u8; 16];
    crate::payload::copy_into(&mut a, b.get(at..).unwrap_or_default());
    Ipv6Addr::from(a)
}

impl KernelSockaddrStorage {
    /// `ss_family`.
    pub fn family(&self) -> AddressFamily {
        match u8::try_from(self.ss_family.get()) {
            Ok(f) => AddressFamily::from(f),
            Err(_) => AddressFamily::Unknown(u8::MAX),
        }
    }

    /// The address, for `AF_INET` (`struct sockaddr_in`: port at 2, address
    /// at 4) and `AF_INET6` (`struct sockaddr_in6`: port 2, flowinfo 4,
    /// address 8, scope id 24); `None` for other families.
    pub fn socket_addr(&self) -> Option<SocketAddr> {
        // Offsets below are relative to __data, which starts at byte 2.
        let d = self.data.as_slice();
        match self.family() {
            AddressFamily::Inet => Some(SocketAddr::V4(SocketAddrV4::new(
                Ipv4Addr::from(be32(d, 2)),
                be16(d, 0),
            ))),
            AddressFamily::Inet6 => Some(SocketAddr::V6(SocketAddrV6::new(
                v6(d, 6),
                be16(d, 0),
                be32(d, 2),
                ne32(d, 22),
            ))),
            _ => None,
        }
    }
}

impl Walk for KernelSockaddrStorage {
    fn walk(&self, v: &mut dyn Visitor) {
        let family = self.ss_family.get();
        v.field(
            "ss_family",
            Value::Enum {
                raw: u64::from(family),
                name: u8::try_from(family)
                    .ok()
                    .and_then(|f| AddressFamily::from(f).name()),
            },
        );
        match self.socket_addr() {
            Some(SocketAddr::V4(a)) => {
                v.field("sin_port", Value::U64(u64::from(a.port())));
                v.field("sin_addr", Value::Ipv4(*a.ip()));
            }
            Some(SocketAddr::V6(a)) => {
                v.field("sin6_port", Value::U64(u64::from(a.port())));
                v.field("sin6_flowinfo", Value::U64(u64::from(a.flowinfo())));
                v.field("sin6_addr", Value::Ipv6(*a.ip()));
                v.field("sin6_scope_id", Value::U64(u64::from(a.scope_id())));
            }
            None => v.field("__data", Value::Bytes(&self.data)),
        }
    }
}

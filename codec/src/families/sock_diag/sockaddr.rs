//! `struct __kernel_sockaddr_storage` (`<linux/socket.h>`): the 128-byte
//! address slots of `INET_DIAG_LOCALS` / `INET_DIAG_PEERS` (SCTP), each
//! holding a `struct sockaddr_in` or `sockaddr_in6` (`<linux/in.h>`,
//! `<linux/in6.h>`) zero-padded to 128 bytes. Both are declared, so their
//! fields are in the metadata (the byte-order swap converts `sin6_scope_id`,
//! a host-order `__u32`) and their addresses are walked as addresses.

use core::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use zerocopy::byteorder::{U16, U32};
use zerocopy::{BigEndian as BE, FromBytes, NativeEndian as NE};

use super::ids::AddressFamily;
use crate::nl_struct;
use crate::value::{Value, Visitor, Walk};
use crate::wire::{swap_fields, WireStruct};

/// `struct sockaddr_in` (`<linux/in.h>`).
///
/// ```c
/// struct sockaddr_in {
///     __kernel_sa_family_t sin_family; /* AF_INET */
///     __be16               sin_port;
///     struct in_addr       sin_addr;
///     unsigned char        __pad[8];   /* sin_zero */
/// };
/// ```
#[nl_struct(name = "sockaddr_in")]
pub struct SockaddrIn {
    /// `sin_family`: `AF_INET`, host order.
    #[nl(enum = AddressFamily)]
    pub sin_family: U16<NE>,
    /// `sin_port`: network order.
    pub sin_port: U16<BE>,
    /// `sin_addr`: the IPv4 address.
    #[nl(display = ipv4)]
    pub sin_addr: [u8; 4],
    /// `__pad` (`sin_zero`): zero.
    #[nl(name = "__pad")]
    pub sin_zero: [u8; 8],
}

/// `struct sockaddr_in6` (`<linux/in6.h>`).
///
/// ```c
/// struct sockaddr_in6 {
///     unsigned short int sin6_family;   /* AF_INET6 */
///     __be16             sin6_port;
///     __be32             sin6_flowinfo;
///     struct in6_addr    sin6_addr;
///     __u32              sin6_scope_id; /* host order */
/// };
/// ```
#[nl_struct(name = "sockaddr_in6")]
pub struct SockaddrIn6 {
    /// `sin6_family`: `AF_INET6`, host order.
    #[nl(enum = AddressFamily)]
    pub sin6_family: U16<NE>,
    /// `sin6_port`: network order.
    pub sin6_port: U16<BE>,
    /// `sin6_flowinfo`: flow label, network order.
    pub sin6_flowinfo: U32<BE>,
    /// `sin6_addr`: the IPv6 address.
    #[nl(display = ipv6)]
    pub sin6_addr: [u8; 16],
    /// `sin6_scope_id`: interface of a link-local address, host order.
    pub sin6_scope_id: U32<NE>,
}

impl SockaddrIn {
    /// The address and port.
    pub fn socket_addr(&self) -> SocketAddrV4 {
        SocketAddrV4::new(Ipv4Addr::from(self.sin_addr), self.sin_port.get())
    }
}

impl SockaddrIn6 {
    /// The address, port, flow label and scope.
    pub fn socket_addr(&self) -> SocketAddrV6 {
        SocketAddrV6::new(
            Ipv6Addr::from(self.sin6_addr),
            self.sin6_port.get(),
            self.sin6_flowinfo.get(),
            self.sin6_scope_id.get(),
        )
    }
}

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
/// Walked as the address it holds ([`SockaddrIn`]: `sin_port`/`sin_addr`,
/// [`SockaddrIn6`]: `sin6_port`/`sin6_flowinfo`/`sin6_addr`/`sin6_scope_id`)
/// when the family is `AF_INET`/`AF_INET6`, as bytes otherwise; converted
/// between byte orders as that structure.
#[nl_struct(
    name = "__kernel_sockaddr_storage",
    custom_walk,
    swap_with = Self::swap_by_family
)]
pub struct KernelSockaddrStorage {
    /// `ss_family`: `AF_*`, host order.
    pub ss_family: U16<NE>,
    /// `__data`: the rest of the address.
    #[nl(name = "__data")]
    pub data: [u8; 126],
}

impl KernelSockaddrStorage {
    /// `ss_family`.
    pub fn family(&self) -> AddressFamily {
        match u8::try_from(self.ss_family.get()) {
            Ok(f) => AddressFamily::from(f),
            Err(_) => AddressFamily::Unknown(u8::MAX),
        }
    }

    /// The slot read as a `struct sockaddr_in`.
    pub fn as_in(&self) -> &SockaddrIn {
        let bytes = zerocopy::IntoBytes::as_bytes(self);
        match SockaddrIn::ref_from_prefix(bytes) {
            Ok((s, _)) => s,
            // The storage is larger than sockaddr_in: unreachable.
            Err(_) => &ZERO_IN,
        }
    }

    /// The slot read as a `struct sockaddr_in6`.
    pub fn as_in6(&self) -> &SockaddrIn6 {
        let bytes = zerocopy::IntoBytes::as_bytes(self);
        match SockaddrIn6::ref_from_prefix(bytes) {
            Ok((s, _)) => s,
            // The storage is larger than sockaddr_in6: unreachable.
            Err(_) => &ZERO_IN6,
        }
    }

    /// The address, for `AF_INET` ([`SockaddrIn`]) and `AF_INET6`
    /// ([`SockaddrIn6`]); `None` for other families.
    pub fn socket_addr(&self) -> Option<SocketAddr> {
        match self.family() {
            AddressFamily::Inet => Some(SocketAddr::V4(self.as_in().socket_addr())),
            AddressFamily::Inet6 => Some(SocketAddr::V6(self.as_in6().socket_addr())),
            _ => None,
        }
    }

    /// Convert a slot between byte orders: as a `sockaddr_in6` or
    /// `sockaddr_in` by its family (read in either order, so the conversion
    /// works both ways), as `ss_family` alone otherwise.
    fn swap_by_family(bytes: &mut [u8]) {
        let raw = match bytes.get(..2) {
            Some(&[a, b]) => u16::from_ne_bytes([a, b]),
            _ => return,
        };
        let is = |af: AddressFamily| {
            let af = u16::from(af.raw());
            raw == af || raw.swap_bytes() == af
        };
        if is(AddressFamily::Inet6) {
            swap_fields(SockaddrIn6::FIELDS, bytes);
        } else if is(AddressFamily::Inet) {
            swap_fields(SockaddrIn::FIELDS, bytes);
        } else {
            swap_fields(Self::FIELDS, bytes);
        }
    }
}

static ZERO_IN: SockaddrIn = SockaddrIn {
    sin_family: U16::ZERO,
    sin_port: U16::ZERO,
    sin_addr: [0; 4],
    sin_zero: [0; 8],
};

static ZERO_IN6: SockaddrIn6 = SockaddrIn6 {
    sin6_family: U16::ZERO,
    sin6_port: U16::ZERO,
    sin6_flowinfo: U32::ZERO,
    sin6_addr: [0; 16],
    sin6_scope_id: U32::ZERO,
};

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
        // The address's fields as its declaration walks them, without the
        // family (shown above) and the zero padding.
        struct Address<'v>(&'v mut dyn Visitor);
        impl Visitor for Address<'_> {
            fn field(&mut self, name: &str, value: Value<'_>) {
                if !matches!(name, "sin_family" | "sin6_family" | "__pad") {
                    self.0.field(name, value);
                }
            }
            fn begin(&mut self, name: &str) {
                self.0.begin(name);
            }
            fn end(&mut self) {
                self.0.end();
            }
            fn depth(&self) -> usize {
                self.0.depth()
            }
            fn error(&mut self, error: crate::Error) {
                self.0.error(error);
            }
        }
        match self.family() {
            AddressFamily::Inet => self.as_in().walk(&mut Address(v)),
            AddressFamily::Inet6 => self.as_in6().walk(&mut Address(v)),
            _ => v.field("__data", Value::Bytes(&self.data)),
        }
    }
}

//! What follows an `inet_diag_bc_op` on the wire, by kind: each
//! [`BcCode`](super::BcCode) declares its [`Operand`] (`operand = ...` in its
//! `#[open_enum]` declaration, read back with
//! [`BcCode::operand`](super::BcCode::operand)), and decoding, encoding,
//! auditing, byte-order swapping, walking and the text form all go through
//! that one declaration.

use core::mem::size_of;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use zerocopy::FromBytes;

use super::hostcond::HostCond;
pub use super::operand_kind::Operand;
use super::ops::{HostFamilyNames, InetDiagBcOp, InetDiagHostcond, InetDiagMarkcond};
use super::reason;
use crate::value::{OpenEnum, Value, Visitor};
use crate::wire::WireStruct;

impl Operand {
    /// Every kind, in declaration order.
    pub const ALL: [Operand; 6] = [
        Operand::None,
        Operand::PortOp,
        Operand::HostCond,
        Operand::Dev,
        Operand::Mark,
        Operand::Cgroup,
    ];

    /// Bytes the kernel's audit requires after the op (`min_len -
    /// sizeof(struct inet_diag_bc_op)`): `sizeof` the declared C type, a
    /// host condition's address not included.
    pub const fn fixed_len(self) -> usize {
        match self {
            Operand::None => 0,
            Operand::PortOp => size_of::<InetDiagBcOp>(),
            Operand::HostCond => size_of::<InetDiagHostcond>(),
            Operand::Dev => size_of::<u32>(),
            Operand::Mark => size_of::<InetDiagMarkcond>(),
            Operand::Cgroup => size_of::<u64>(),
        }
    }

    /// The C type of the operand (`inet_diag_hostcond`, `__u32`, …);
    /// `None` for [`Operand::None`].
    pub const fn c_type(self) -> Option<&'static str> {
        Some(match self {
            Operand::None => return None,
            Operand::PortOp => <InetDiagBcOp as WireStruct>::NAME,
            Operand::HostCond => <InetDiagHostcond as WireStruct>::NAME,
            Operand::Dev => "__u32",
            Operand::Mark => <InetDiagMarkcond as WireStruct>::NAME,
            Operand::Cgroup => "__u64",
        })
    }

    /// The [`reason`] [`audit`](super::audit()) gives when the operand
    /// does not fit; `None` for [`Operand::None`].
    pub const fn short_reason(self) -> Option<&'static str> {
        Some(match self {
            Operand::None => return None,
            Operand::PortOp => reason::PORT_SHORT,
            Operand::HostCond => reason::HOSTCOND_SHORT,
            Operand::Dev => reason::DEV_SHORT,
            Operand::Mark => reason::MARK_SHORT,
            Operand::Cgroup => reason::CGROUP_SHORT,
        })
    }

    /// Swap the host-order fields of the operand at the start of `bytes`
    /// between little- and big-endian, as its C type declares them.
    pub(super) fn swap_order(self, bytes: &mut [u8]) {
        let n = self.fixed_len();
        let Some(b) = bytes.get_mut(..n) else {
            return;
        };
        match self {
            Operand::None => {}
            Operand::PortOp => <InetDiagBcOp as WireStruct>::swap_order(b),
            Operand::HostCond => <InetDiagHostcond as WireStruct>::swap_order(b),
            Operand::Mark => <InetDiagMarkcond as WireStruct>::swap_order(b),
            Operand::Dev | Operand::Cgroup => b.reverse(),
        }
    }
}

fn ne<const N: usize>(b: &[u8], at: usize) -> Option<[u8; N]> {
    b.get(at..at.checked_add(N)?)?.try_into().ok()
}

/// A decoded operand, with the bytes the kernel ignores kept so the text
/// form round-trips.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum OperandValue {
    /// [`Operand::None`].
    None,
    /// [`Operand::PortOp`]: the follow-on op's `no`, and its `code` and
    /// `yes` as sent (`ss` writes 0, the kernel ignores them).
    Port { port: u16, arg: [u8; 2] },
    /// [`Operand::HostCond`], with the 2 padding bytes as sent.
    Host { cond: HostCond, pad: [u8; 2] },
    /// [`Operand::Dev`].
    Dev(u32),
    /// [`Operand::Mark`].
    Mark { mark: u32, mask: u32 },
    /// [`Operand::Cgroup`].
    Cgroup(u64),
}

impl OperandValue {
    /// Decode an operand of `kind` from `body` (the bytes after the op);
    /// `None` if it does not fit or a host condition's family is unknown.
    pub(crate) fn decode(kind: Operand, body: &[u8]) -> Option<Self> {
        Some(match kind {
            Operand::None => OperandValue::None,
            Operand::PortOp => {
                let (op, _) = InetDiagBcOp::read_from_prefix(body).ok()?;
                OperandValue::Port {
                    port: op.no.get(),
                    arg: [op.code, op.yes],
                }
            }
            Operand::HostCond => {
                let (hc, rest) = InetDiagHostcond::ref_from_prefix(body).ok()?;
                let alen = InetDiagHostcond::addr_len(hc.family)?;
                let a = rest.get(..alen)?;
                let addr = match alen {
                    4 => Some(IpAddr::V4(Ipv4Addr::from(<[u8; 4]>::try_from(a).ok()?))),
                    16 => Some(IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(a).ok()?))),
                    _ => None,
                };
                OperandValue::Host {
                    cond: HostCond {
                        addr,
                        prefix_len: hc.prefix_len,
                        port: hc.port.get(),
                    },
                    pad: hc.pad,
                }
            }
            Operand::Dev => OperandValue::Dev(u32::from_ne_bytes(ne(body, 0)?)),
            Operand::Mark => {
                let (mc, _) = InetDiagMarkcond::read_from_prefix(body).ok()?;
                OperandValue::Mark {
                    mark: mc.mark.get(),
                    mask: mc.mask.get(),
                }
            }
            Operand::Cgroup => OperandValue::Cgroup(u64::from_ne_bytes(ne(body, 0)?)),
        })
    }

    /// The kind.
    pub(crate) const fn kind(&self) -> Operand {
        match self {
            OperandValue::None => Operand::None,
            OperandValue::Port { .. } => Operand::PortOp,
            OperandValue::Host { .. } => Operand::HostCond,
            OperandValue::Dev(_) => Operand::Dev,
            OperandValue::Mark { .. } => Operand::Mark,
            OperandValue::Cgroup(_) => Operand::Cgroup,
        }
    }

    /// Bytes the operand takes: its kind's [`Operand::fixed_len`], plus
    /// the address of a host condition.
    pub(crate) const fn len(&self) -> usize {
        let fixed = self.kind().fixed_len();
        match self {
            OperandValue::Host { cond, .. } => fixed.saturating_add(cond.addr_len()),
            _ => fixed,
        }
    }

    /// Write the operand into the start of `dst` (at least
    /// [`OperandValue::len`] bytes; what does not fit is left out).
    pub(crate) fn write(&self, dst: &mut [u8]) {
        let mut put = |at: usize, b: &[u8]| {
            if let Some(d) = dst.get_mut(at..at.saturating_add(b.len())) {
                d.copy_from_slice(b);
            }
        };
        match *self {
            OperandValue::None => {}
            OperandValue::Port { port, arg } => {
                put(0, &arg);
                put(2, &port.to_ne_bytes());
            }
            OperandValue::Host { cond, pad } => {
                put(0, &[cond.family(), cond.prefix_len]);
                put(2, &pad);
                put(4, &cond.port.to_ne_bytes());
                match cond.addr {
                    Some(IpAddr::V4(a)) => put(8, &a.octets()),
                    Some(IpAddr::V6(a)) => put(8, &a.octets()),
                    None => {}
                }
            }
            OperandValue::Dev(ifindex) => put(0, &ifindex.to_ne_bytes()),
            OperandValue::Mark { mark, mask } => {
                put(0, &mark.to_ne_bytes());
                put(4, &mask.to_ne_bytes());
            }
            OperandValue::Cgroup(id) => put(0, &id.to_ne_bytes()),
        }
    }

    /// The operand's fields, under their kernel names.
    pub(crate) fn walk(&self, v: &mut dyn Visitor) {
        match *self {
            OperandValue::None => {}
            OperandValue::Port { port, .. } => v.field("port", Value::U64(u64::from(port))),
            OperandValue::Host { cond, .. } => {
                v.begin(<InetDiagHostcond as WireStruct>::NAME);
                let family = u64::from(cond.family());
                v.field(
                    "family",
                    Value::Enum {
                        raw: family,
                        name: HostFamilyNames::name_of(family),
                    },
                );
                v.field("prefix_len", Value::U64(u64::from(cond.prefix_len)));
                v.field("port", Value::I64(i64::from(cond.port)));
                match cond.addr {
                    Some(IpAddr::V4(a)) => v.field("addr", Value::Ipv4(a)),
                    Some(IpAddr::V6(a)) => v.field("addr", Value::Ipv6(a)),
                    None => {}
                }
                v.end();
            }
            OperandValue::Dev(ifindex) => v.field("ifindex", Value::U64(u64::from(ifindex))),
            OperandValue::Mark { mark, mask } => {
                v.begin(<InetDiagMarkcond as WireStruct>::NAME);
                v.field("mark", Value::U64(u64::from(mark)));
                v.field("mask", Value::U64(u64::from(mask)));
                v.end();
            }
            OperandValue::Cgroup(id) => v.field("cgroup_id", Value::U64(id)),
        }
    }
}

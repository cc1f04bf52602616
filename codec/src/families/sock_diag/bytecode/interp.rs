//! The kernel's interpreter (`inet_diag_bc_run` of
//! `net/ipv4/inet_diag.c`): what a program says about one socket.

use core::net::IpAddr;

use zerocopy::FromBytes;

use super::hostcond::HostCond;
use super::insn::{Insn, PortOp, Side};
use super::instruction::decode_operands;
use super::ops::{BcCode, InetDiagBcOp, AF_INET, AF_INET6, AF_UNSPEC, OP_LEN, SOCK_BINDPORT_LOCK};
use super::program::Program;
use crate::payload::copy_into;

/// The socket facts a bytecode program looks at (the kernel's `struct
/// inet_diag_entry`, filled by `inet_diag_bc_sk`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SockEntry {
    /// Local address; its kind is the socket family (`AF_INET6` sockets
    /// may hold v4-mapped addresses).
    pub src: IpAddr,
    /// Remote address (same family as `src`; a v4 address with a v6
    /// `src` is taken as v4-mapped).
    pub dst: IpAddr,
    /// Local port (`inet_num`).
    pub sport: u16,
    /// Remote port.
    pub dport: u16,
    /// `sk_bound_dev_if`.
    pub ifindex: u32,
    /// `sk_userlocks` (`SOCK_BINDPORT_LOCK` = 8 is what `AUTO` tests).
    pub userlocks: u16,
    /// `sk_mark`.
    pub mark: u32,
    /// The cgroup v2 id.
    pub cgroup_id: u64,
}

/// The entry's address as the kernel's `__be32` words would hold it.
fn entry_addr(entry: &SockEntry, side: Side) -> ([u8; 16], usize) {
    let a = match side {
        Side::Src => entry.src,
        Side::Dst => entry.dst,
    };
    let mut out = [0u8; 16];
    match (entry.src, a) {
        (IpAddr::V4(_), IpAddr::V4(v4)) => {
            copy_into(&mut out, &v4.octets());
            (out, 4)
        }
        (IpAddr::V4(_), IpAddr::V6(v6)) => {
            // A v6 address on a v4 socket: the kernel would see its first
            // 4 bytes.
            copy_into(&mut out, &v6.octets());
            (out, 4)
        }
        (IpAddr::V6(_), IpAddr::V4(v4)) => (v4.to_ipv6_mapped().octets(), 16),
        (IpAddr::V6(_), IpAddr::V6(v6)) => (v6.octets(), 16),
    }
}

/// The kernel's `bitstring_match`: the first `bits` bits of `a` and `b`
/// are equal. `false` if either is shorter than `bits`.
fn bitstring_match(a: &[u8], b: &[u8], bits: usize) -> bool {
    let full = bits / 8;
    let part = bits % 8;
    let (Some(fa), Some(fb)) = (a.get(..full), b.get(..full)) else {
        return false;
    };
    if fa != fb {
        return false;
    }
    if part == 0 {
        return true;
    }
    let (Some(&x), Some(&y)) = (a.get(full), b.get(full)) else {
        return false;
    };
    let mask = 0xffu8 << 8usize.saturating_sub(part);
    (x ^ y) & mask == 0
}

/// One host condition, as `inet_diag_bc_run` evaluates it.
pub(crate) fn host_matches(side: Side, cond: &HostCond, entry: &SockEntry) -> bool {
    let port = match side {
        Side::Src => entry.sport,
        Side::Dst => entry.dport,
    };
    if cond.port != -1 && cond.port != i32::from(port) {
        return false;
    }
    let (addr, alen) = entry_addr(entry, side);
    let entry_family = if alen == 16 { AF_INET6 } else { AF_INET };
    let bits = usize::from(cond.prefix_len);
    let fam = cond.family();
    let mut cbuf = [0u8; 16];
    let clen = cond.addr_len();
    match cond.addr {
        Some(IpAddr::V4(v4)) => copy_into(&mut cbuf, &v4.octets()),
        Some(IpAddr::V6(v6)) => copy_into(&mut cbuf, &v6.octets()),
        None => {}
    }
    let caddr = cbuf.get(..clen).unwrap_or_default();
    if fam != AF_UNSPEC && fam != entry_family {
        if entry_family == AF_INET6 && fam == AF_INET {
            let a = addr.get(..alen).unwrap_or_default();
            let mapped = a.get(..12) == Some(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff][..]);
            return mapped && bitstring_match(a.get(12..).unwrap_or_default(), caddr, bits);
        }
        return false;
    }
    if bits == 0 {
        return true;
    }
    // An AF_UNSPEC condition with a prefix (never valid) compares bytes the
    // condition does not have: no match.
    bitstring_match(addr.get(..alen).unwrap_or_default(), caddr, bits)
}

/// One command's condition, as `inet_diag_bc_run` evaluates it (`Raw`:
/// `None`).
pub(crate) fn insn_matches(insn: &Insn, e: &SockEntry) -> Option<bool> {
    Some(match *insn {
        Insn::Nop => true,
        Insn::Jmp => false,
        Insn::Auto => e.userlocks & SOCK_BINDPORT_LOCK == 0,
        Insn::Port { side, op, port } => {
            let p = match side {
                Side::Src => e.sport,
                Side::Dst => e.dport,
            };
            match op {
                PortOp::Ge => p >= port,
                PortOp::Le => p <= port,
                PortOp::Eq => p == port,
            }
        }
        Insn::Host { side, cond } => host_matches(side, &cond, e),
        Insn::Dev { ifindex } => ifindex == e.ifindex,
        Insn::Mark { mark, mask } => e.mark & mask == mark,
        Insn::Cgroup { id } => id == e.cgroup_id,
        Insn::Raw => return None,
    })
}

impl Program<'_> {
    /// Run the program on one socket as the kernel's `inet_diag_bc_run`
    /// does: `true` if the socket is reported. Meaningful for programs that
    /// pass [`Program::audit`]. For others it still ends and never panics:
    /// an unknown code counts as true (the kernel's switch has no case for
    /// it), while operands that cannot be read, or a jump of 0 (where the
    /// kernel would read out of bounds or loop forever), give `false`.
    pub fn run(&self, entry: &SockEntry) -> bool {
        let bytes = self.as_bytes();
        let total = bytes.len();
        let mut off = 0usize;
        loop {
            if off == total {
                return true;
            }
            if off > total {
                return false;
            }
            let Some((op, _)) = bytes
                .get(off..)
                .and_then(|r| InetDiagBcOp::read_from_prefix(r).ok())
            else {
                return false;
            };
            // The kernel reads operands right after the op, whatever `yes` says.
            let body = bytes.get(off.saturating_add(OP_LEN)..).unwrap_or_default();
            let yes = match op.bc_code() {
                // The kernel's switch has no case for unknown codes: true.
                BcCode::Unknown(_) => true,
                code => {
                    match decode_operands(code, body).and_then(|(i, _)| insn_matches(&i, entry)) {
                        Some(y) => y,
                        None => return false,
                    }
                }
            };
            let step = if yes {
                usize::from(op.yes)
            } else {
                usize::from(op.no.get())
            };
            if step == 0 {
                return false;
            }
            off = off.saturating_add(step);
        }
    }
}

//! [`Program`]: a borrowed view over `INET_DIAG_REQ_BYTECODE`, its typed
//! instructions, and the kernel's interpreter (`inet_diag_bc_run`).

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use zerocopy::FromBytes;

use super::audit::{audit, audit_with, AuditConfig};
pub use super::ops::OP_LEN;
use super::ops::{
    BcCode, HostFamilyNames, InetDiagBcOp, InetDiagHostcond, AF_INET, AF_INET6, AF_UNSPEC,
    SOCK_BINDPORT_LOCK,
};
use crate::payload::{copy_into, Payload};
use crate::value::{OpenEnum, Value, Visitor, Walk};
use crate::{Mode, Result};

/// Which end of the socket a condition looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The local end (`S_*` codes: `sport`, source address).
    Src,
    /// The remote end (`D_*` codes: `dport`, destination address).
    Dst,
}

/// How a port comparison compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PortOp {
    /// `INET_DIAG_BC_S_GE` / `D_GE`: port ≥ operand.
    Ge,
    /// `INET_DIAG_BC_S_LE` / `D_LE`: port ≤ operand.
    Le,
    /// `INET_DIAG_BC_S_EQ` / `D_EQ`: port == operand.
    Eq,
}

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

/// One decoded bytecode command.
///
/// Jump offsets are not part of it: they are in the [`Instruction`] that
/// carries it ([`Instruction::yes`], [`Instruction::no`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Insn {
    /// `INET_DIAG_BC_NOP`: always true.
    Nop,
    /// `INET_DIAG_BC_JMP`: always false — jumps by `no`.
    Jmp,
    /// `INET_DIAG_BC_AUTO`: the local port was chosen by the kernel.
    Auto,
    /// `INET_DIAG_BC_{S,D}_{GE,LE,EQ}`: a port comparison; the port is the
    /// `no` field of the `inet_diag_bc_op` that follows the command.
    Port {
        /// `S_*` (local port) or `D_*` (remote port).
        side: Side,
        /// The comparison.
        op: PortOp,
        /// The port compared with.
        port: u16,
    },
    /// `INET_DIAG_BC_S_COND` / `D_COND`: address prefix and/or port.
    Host {
        /// `S_COND` or `D_COND`.
        side: Side,
        /// The condition.
        cond: HostCond,
    },
    /// `INET_DIAG_BC_DEV_COND`: the socket is bound to this ifindex.
    Dev {
        /// The interface index (`u32`, host order).
        ifindex: u32,
    },
    /// `INET_DIAG_BC_MARK_COND`: `(sk_mark & mask) == mark`.
    Mark {
        /// `inet_diag_markcond.mark`.
        mark: u32,
        /// `inet_diag_markcond.mask`.
        mask: u32,
    },
    /// `INET_DIAG_BC_CGROUP_COND`: the socket's cgroup v2 id.
    Cgroup {
        /// The cgroup id (`u64`, host order).
        id: u64,
    },
    /// A command this codec cannot decode: an unknown code, a `yes` that is
    /// not a usable length, operands that do not fit in `yes`, or a host
    /// condition of an unknown family. Its bytes are
    /// [`Instruction::operand_bytes`].
    Raw,
}

impl Insn {
    /// The op code this command is written with.
    pub const fn code(&self) -> Option<BcCode> {
        Some(match *self {
            Insn::Nop => BcCode::Nop,
            Insn::Jmp => BcCode::Jmp,
            Insn::Auto => BcCode::Auto,
            Insn::Port { side, op, .. } => match (side, op) {
                (Side::Src, PortOp::Ge) => BcCode::SGe,
                (Side::Src, PortOp::Le) => BcCode::SLe,
                (Side::Src, PortOp::Eq) => BcCode::SEq,
                (Side::Dst, PortOp::Ge) => BcCode::DGe,
                (Side::Dst, PortOp::Le) => BcCode::DLe,
                (Side::Dst, PortOp::Eq) => BcCode::DEq,
            },
            Insn::Host {
                side: Side::Src, ..
            } => BcCode::SCond,
            Insn::Host {
                side: Side::Dst, ..
            } => BcCode::DCond,
            Insn::Dev { .. } => BcCode::DevCond,
            Insn::Mark { .. } => BcCode::MarkCond,
            Insn::Cgroup { .. } => BcCode::CgroupCond,
            Insn::Raw => return None,
        })
    }

    /// The length iproute2 `ss` gives this command (its `yes`): 4 for
    /// NOP/JMP/AUTO, 8 for port comparisons and `DEV_COND`, 12 for
    /// `MARK_COND` and `CGROUP_COND`, 16 for an `AF_UNSPEC` or `AF_INET` host
    /// condition (`ss` writes 4 address bytes even for `AF_UNSPEC`), 28 for
    /// `AF_INET6`. `None` for [`Insn::Raw`].
    pub const fn encoded_len(&self) -> Option<usize> {
        Some(match self {
            Insn::Nop | Insn::Jmp | Insn::Auto => OP_LEN,
            Insn::Port { .. } | Insn::Dev { .. } => OP_LEN + 4,
            Insn::Mark { .. } | Insn::Cgroup { .. } => OP_LEN + 8,
            Insn::Host { cond, .. } => match cond.addr {
                Some(IpAddr::V6(_)) => OP_LEN + 8 + 16,
                _ => OP_LEN + 8 + 4,
            },
            Insn::Raw => return None,
        })
    }

    /// Write the command as `ss` lays it out — op `{code, yes, no}`, then
    /// the operands, padding and unused address bytes zeroed — into `dst`,
    /// which must be [`Insn::encoded_len`] bytes. Returns `false` (and
    /// writes nothing) for [`Insn::Raw`] or a wrong-sized `dst`.
    pub fn encode(&self, no: u16, dst: &mut [u8]) -> bool {
        let (Some(code), Some(len)) = (self.code(), self.encoded_len()) else {
            return false;
        };
        if dst.len() != len {
            return false;
        }
        dst.fill(0);
        // `len` is at most 28: it fits `yes`.
        let head = InetDiagBcOp::new(code, len as u8, no);
        copy_into(dst, zerocopy::IntoBytes::as_bytes(&head));
        let body = dst.get_mut(OP_LEN..).unwrap_or_default();
        match *self {
            Insn::Nop | Insn::Jmp | Insn::Auto | Insn::Raw => {}
            Insn::Port { port, .. } => {
                // The follow-on op is `{ 0, 0, port }`.
                if let Some(b) = body.get_mut(2..4) {
                    b.copy_from_slice(&port.to_ne_bytes());
                }
            }
            Insn::Host { cond, .. } => {
                let hc = InetDiagHostcond {
                    family: cond.family(),
                    prefix_len: cond.prefix_len,
                    pad: [0; 2],
                    port: zerocopy::byteorder::I32::new(cond.port),
                };
                copy_into(body, zerocopy::IntoBytes::as_bytes(&hc));
                if let Some(a) = body.get_mut(8..) {
                    match cond.addr {
                        Some(IpAddr::V4(v4)) => copy_into(a, &v4.octets()),
                        Some(IpAddr::V6(v6)) => copy_into(a, &v6.octets()),
                        None => {}
                    }
                }
            }
            Insn::Dev { ifindex } => copy_into(body, &ifindex.to_ne_bytes()),
            Insn::Mark { mark, mask } => {
                copy_into(body, &mark.to_ne_bytes());
                if let Some(b) = body.get_mut(4..) {
                    copy_into(b, &mask.to_ne_bytes());
                }
            }
            Insn::Cgroup { id } => copy_into(body, &id.to_ne_bytes()),
        }
        true
    }
}

/// One command of a [`Program`] where it lies, with its raw op and bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Instruction<'a> {
    /// Byte offset of the command from the start of the program.
    pub offset: usize,
    /// The command's `inet_diag_bc_op` as sent.
    pub op: InetDiagBcOp,
    /// The decoded command.
    pub insn: Insn,
    /// The command's bytes: `yes` bytes when `yes` is a usable length
    /// (at least 4 and not past the end), else everything to the end of
    /// the program.
    pub bytes: &'a [u8],
    /// How many bytes after the op the decoded operands take.
    operand_len: usize,
}

impl<'a> Instruction<'a> {
    /// The op code.
    pub fn code(&self) -> BcCode {
        self.op.bc_code()
    }
    /// `yes`: where to go when the condition holds (and the command length).
    pub fn yes(&self) -> u8 {
        self.op.yes
    }
    /// `no`: where to go when it does not.
    pub fn no(&self) -> u16 {
        self.op.no.get()
    }
    /// Offset `yes` leads to.
    pub fn yes_target(&self) -> usize {
        self.offset.saturating_add(usize::from(self.op.yes))
    }
    /// Offset `no` leads to (one op past the end of the program means
    /// "reject"; the end itself means "accept").
    pub fn no_target(&self) -> usize {
        self.offset.saturating_add(usize::from(self.op.no.get()))
    }
    /// The kernel name of the op code, or `"inet_diag_bc_op"` for an
    /// unknown code.
    pub fn name(&self) -> &'static str {
        self.code().name().unwrap_or("inet_diag_bc_op")
    }
    /// Length of the command in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }
    /// Never true: a command has at least its 4-byte op.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
    /// Everything after the 4-byte op.
    pub fn operand_bytes(&self) -> &'a [u8] {
        self.bytes.get(OP_LEN..).unwrap_or_default()
    }
    /// Bytes inside the command (`yes`) after the decoded operands: unused
    /// address bytes (`ss` sends 4 zero bytes with an `AF_UNSPEC` host
    /// condition) or anything else the kernel skips. For [`Insn::Raw`], all
    /// of [`Instruction::operand_bytes`].
    pub fn extra(&self) -> &'a [u8] {
        self.operand_bytes()
            .get(self.operand_len..)
            .unwrap_or_default()
    }
    /// The follow-on `inet_diag_bc_op` of a port comparison (its `no` is
    /// the port; `ss` sets `code` and `yes` to 0, the kernel ignores them).
    pub fn port_arg(&self) -> Option<&'a InetDiagBcOp> {
        match self.insn {
            Insn::Port { .. } => InetDiagBcOp::ref_from_prefix(self.operand_bytes())
                .ok()
                .map(|(a, _)| a),
            _ => None,
        }
    }
    /// The fixed part of a host condition as sent (with its padding bytes).
    pub fn hostcond(&self) -> Option<&'a InetDiagHostcond> {
        match self.insn {
            Insn::Host { .. } => InetDiagHostcond::ref_from_prefix(self.operand_bytes())
                .ok()
                .map(|(h, _)| h),
            _ => None,
        }
    }
}

fn ne_u16(b: &[u8], at: usize) -> Option<u16> {
    let a: [u8; 2] = b.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(u16::from_ne_bytes(a))
}
fn ne_u32(b: &[u8], at: usize) -> Option<u32> {
    let a: [u8; 4] = b.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_ne_bytes(a))
}
fn ne_u64(b: &[u8], at: usize) -> Option<u64> {
    let a: [u8; 8] = b.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(u64::from_ne_bytes(a))
}

/// Decode the operands of `code` from `body` (the bytes after the op, up to
/// `yes`): the command and how many bytes it used.
fn decode_operands(code: BcCode, body: &[u8]) -> Option<(Insn, usize)> {
    let port = |side, op| {
        Some((
            Insn::Port {
                side,
                op,
                port: ne_u16(body, 2)?,
            },
            4,
        ))
    };
    match code {
        BcCode::Nop => Some((Insn::Nop, 0)),
        BcCode::Jmp => Some((Insn::Jmp, 0)),
        BcCode::Auto => Some((Insn::Auto, 0)),
        BcCode::SGe => port(Side::Src, PortOp::Ge),
        BcCode::SLe => port(Side::Src, PortOp::Le),
        BcCode::SEq => port(Side::Src, PortOp::Eq),
        BcCode::DGe => port(Side::Dst, PortOp::Ge),
        BcCode::DLe => port(Side::Dst, PortOp::Le),
        BcCode::DEq => port(Side::Dst, PortOp::Eq),
        BcCode::SCond | BcCode::DCond => {
            let side = if code == BcCode::SCond {
                Side::Src
            } else {
                Side::Dst
            };
            let (hc, rest) = InetDiagHostcond::ref_from_prefix(body).ok()?;
            let alen = InetDiagHostcond::addr_len(hc.family)?;
            let a = rest.get(..alen)?;
            let addr = match alen {
                4 => Some(IpAddr::V4(Ipv4Addr::from(<[u8; 4]>::try_from(a).ok()?))),
                16 => Some(IpAddr::V6(Ipv6Addr::from(<[u8; 16]>::try_from(a).ok()?))),
                _ => None,
            };
            let cond = HostCond {
                addr,
                prefix_len: hc.prefix_len,
                port: hc.port.get(),
            };
            Some((Insn::Host { side, cond }, alen.saturating_add(8)))
        }
        BcCode::DevCond => Some((
            Insn::Dev {
                ifindex: ne_u32(body, 0)?,
            },
            4,
        )),
        BcCode::MarkCond => Some((
            Insn::Mark {
                mark: ne_u32(body, 0)?,
                mask: ne_u32(body, 4)?,
            },
            8,
        )),
        BcCode::CgroupCond => Some((
            Insn::Cgroup {
                id: ne_u64(body, 0)?,
            },
            8,
        )),
        BcCode::Unknown(_) => None,
    }
}

/// Decode the command at `off` (at least [`OP_LEN`] bytes must remain).
fn decode_at(bytes: &[u8], off: usize) -> Option<Instruction<'_>> {
    let rest = bytes.get(off..)?;
    let (op, _) = InetDiagBcOp::read_from_prefix(rest).ok()?;
    let yes = usize::from(op.yes);
    let usable = yes >= OP_LEN && yes <= rest.len();
    let len = if usable { yes } else { rest.len() };
    let whole = rest.get(..len)?;
    let body = whole.get(OP_LEN..).unwrap_or_default();
    let (insn, operand_len) = if usable {
        decode_operands(op.bc_code(), body).unwrap_or((Insn::Raw, 0))
    } else {
        (Insn::Raw, 0)
    };
    Some(Instruction {
        offset: off,
        op,
        insn,
        bytes: whole,
        operand_len,
    })
}

/// Iterator over the commands of a [`Program`], following `yes` from the
/// start as the kernel's audit does. Never panics, always ends: a command
/// whose `yes` is not a usable length takes the rest of the program.
#[derive(Clone, Debug)]
pub struct Instructions<'a> {
    bytes: &'a [u8],
    off: usize,
}

impl<'a> Instructions<'a> {
    /// The bytes not yet iterated; after the iterator ends, the 1 to 3
    /// bytes too short for an op (usually none).
    pub fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.off..).unwrap_or_default()
    }
}

impl<'a> Iterator for Instructions<'a> {
    type Item = Instruction<'a>;
    fn next(&mut self) -> Option<Instruction<'a>> {
        if self.bytes.len().saturating_sub(self.off) < OP_LEN {
            return None;
        }
        let ins = decode_at(self.bytes, self.off)?;
        self.off = self.off.saturating_add(ins.bytes.len());
        Some(ins)
    }
}

impl core::iter::FusedIterator for Instructions<'_> {}

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

/// A borrowed view over the payload of `INET_DIAG_REQ_BYTECODE`: a
/// sequence of `inet_diag_bc_op` commands with their operands.
///
/// Any bytes make a `Program`; [`Program::audit`] says whether the kernel
/// would take it. Iterating, walking, printing and running never panic.
///
/// ```
/// use nlwire::families::sock_diag::bytecode::{Insn, PortOp, Program, Side};
/// // What iproute2 `ss` sends for `dport >= :1024 and dport <= :2048`.
/// let bytes = [0x04, 0x08, 0x14, 0x00, 0x00, 0x00, 0x00, 0x04,
///              0x05, 0x08, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x08];
/// let p = Program::new(&bytes);
/// p.audit().unwrap();
/// let first = p.iter().next().unwrap();
/// assert_eq!(first.insn, Insn::Port { side: Side::Dst, op: PortOp::Ge, port: 1024 });
/// # #[cfg(target_endian = "little")]
/// assert_eq!(p.to_string(), "   0: INET_DIAG_BC_D_GE 1024 yes +8 no +20
///    8: INET_DIAG_BC_D_LE 2048 yes +8 no +12
/// ");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Program<'a> {
    bytes: &'a [u8],
}

impl<'a> Program<'a> {
    /// A view over `bytes` (not checked; see [`Program::audit`]).
    pub const fn new(bytes: &'a [u8]) -> Self {
        Program { bytes }
    }
    /// A view over `bytes` that the kernel's audit accepts.
    pub fn parse(bytes: &'a [u8]) -> Result<Self> {
        audit(bytes)?;
        Ok(Program { bytes })
    }
    /// The bytes.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }
    /// Length in bytes.
    pub const fn len(&self) -> usize {
        self.bytes.len()
    }
    /// `true` for an empty program (which the kernel rejects).
    pub const fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
    /// The commands, in `yes` order from the start.
    pub fn iter(&self) -> Instructions<'a> {
        Instructions {
            bytes: self.bytes,
            off: 0,
        }
    }
    /// The 1 to 3 bytes after the last command that are too short for an
    /// op (empty for any program the kernel accepts).
    pub fn trailing(&self) -> &'a [u8] {
        let mut it = self.iter();
        for _ in it.by_ref() {}
        it.rest()
    }
    /// Check the program as the kernel's `inet_diag_bc_audit` does, for a
    /// caller with `CAP_NET_ADMIN` on a kernel with `CONFIG_SOCK_CGROUP_DATA`.
    pub fn audit(&self) -> Result<()> {
        audit(self.bytes)
    }
    /// [`Program::audit`] for another caller or kernel.
    pub fn audit_with(&self, config: AuditConfig) -> Result<()> {
        audit_with(self.bytes, config)
    }

    /// Run the program on one socket as the kernel's `inet_diag_bc_run`
    /// does: `true` if the socket is reported. Meaningful for programs that
    /// pass [`Program::audit`]. For others it still ends and never panics:
    /// an unknown code counts as true (the kernel's switch has no case for
    /// it), while operands that cannot be read, or a jump of 0 (where the
    /// kernel would read out of bounds or loop forever), give `false`.
    pub fn run(&self, entry: &SockEntry) -> bool {
        let total = self.bytes.len();
        let mut off = 0usize;
        loop {
            if off == total {
                return true;
            }
            if off > total {
                return false;
            }
            let Some((op, _)) = self
                .bytes
                .get(off..)
                .and_then(|r| InetDiagBcOp::read_from_prefix(r).ok())
            else {
                return false;
            };
            // The kernel reads operands right after the op, whatever `yes` says.
            let body = self
                .bytes
                .get(off.saturating_add(OP_LEN)..)
                .unwrap_or_default();
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

    /// Swap every host-order field of a program held in `bytes` between
    /// little- and big-endian (`no`, ports, `int port`, ifindex, mark,
    /// mask, cgroup id), for captures made on a host of the other order.
    /// The walk depends only on byte-sized fields, so swapping twice gives
    /// the bytes back.
    pub fn swap_order(bytes: &mut [u8]) {
        let mut off = 0usize;
        while bytes.len().saturating_sub(off) >= OP_LEN {
            let Some(ins) = decode_at(bytes, off) else {
                return;
            };
            let (len, insn) = (ins.bytes.len(), ins.insn);
            let mut swap = |at: usize, n: usize| {
                let from = off.saturating_add(at);
                if let Some(b) = bytes.get_mut(from..from.saturating_add(n)) {
                    b.reverse();
                }
            };
            swap(2, 2);
            match insn {
                Insn::Port { .. } => swap(6, 2),
                Insn::Host { .. } => swap(8, 4),
                Insn::Dev { .. } => swap(4, 4),
                Insn::Mark { .. } => {
                    swap(4, 4);
                    swap(8, 4);
                }
                Insn::Cgroup { .. } => swap(4, 8),
                Insn::Nop | Insn::Jmp | Insn::Auto | Insn::Raw => {}
            }
            off = off.saturating_add(len);
        }
    }
}

impl<'a> IntoIterator for Program<'a> {
    type Item = Instruction<'a>;
    type IntoIter = Instructions<'a>;
    fn into_iter(self) -> Instructions<'a> {
        self.iter()
    }
}

impl Walk for Instruction<'_> {
    fn walk(&self, v: &mut dyn Visitor) {
        let code = u64::from(self.op.code);
        v.field("offset", Value::U64(self.offset as u64));
        v.field(
            "code",
            Value::Enum {
                raw: code,
                name: BcCode::name_of(code),
            },
        );
        v.field("yes", Value::U64(u64::from(self.op.yes)));
        v.field("no", Value::U64(u64::from(self.op.no.get())));
        match self.insn {
            Insn::Nop | Insn::Jmp | Insn::Auto | Insn::Raw => {}
            Insn::Port { port, .. } => v.field("port", Value::U64(u64::from(port))),
            Insn::Host { cond, .. } => {
                v.begin("inet_diag_hostcond");
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
            Insn::Dev { ifindex } => v.field("ifindex", Value::U64(u64::from(ifindex))),
            Insn::Mark { mark, mask } => {
                v.begin("inet_diag_markcond");
                v.field("mark", Value::U64(u64::from(mark)));
                v.field("mask", Value::U64(u64::from(mask)));
                v.end();
            }
            Insn::Cgroup { id } => v.field("cgroup_id", Value::U64(id)),
        }
        let extra = self.extra();
        if !extra.is_empty() {
            let name = if self.insn == Insn::Raw {
                "raw"
            } else {
                "extra"
            };
            v.field(name, Value::Bytes(extra));
        }
    }
}

impl Walk for Program<'_> {
    /// Each command as a group named by its kernel op name
    /// (`INET_DIAG_BC_S_GE`), with `offset`, `code`, `yes`, `no` and its
    /// operands; the audit's verdict, if it rejects the program, is
    /// reported first as an error.
    fn walk(&self, v: &mut dyn Visitor) {
        if let Err(e) = self.audit() {
            v.error(e);
        }
        let mut it = self.iter();
        for ins in it.by_ref() {
            v.begin(ins.name());
            ins.walk(v);
            v.end();
        }
        let rest = it.rest();
        if !rest.is_empty() {
            v.field("trailing", Value::Bytes(rest));
        }
    }
}

/// The structs a program is made of: `struct inet_diag_bc_op`, `struct
/// inet_diag_hostcond`, `struct inet_diag_markcond`.
impl crate::registry::Describe for Program<'_> {
    fn describe(v: &mut dyn crate::registry::DeclVisitor) {
        <InetDiagBcOp as crate::registry::Describe>::describe(v);
        <InetDiagHostcond as crate::registry::Describe>::describe(v);
        <super::ops::InetDiagMarkcond as crate::registry::Describe>::describe(v);
    }
}

impl<'a> Payload<'a> for Program<'a> {
    /// Lenient: any bytes (the view keeps them all). Strict: only what the
    /// kernel's audit accepts.
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        if mode.is_strict() {
            Program::parse(bytes)
        } else {
            Ok(Program::new(bytes))
        }
    }
    fn len(&self) -> usize {
        self.bytes.len()
    }
    fn write(&self, buf: &mut [u8]) {
        copy_into(buf, self.bytes);
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.begin(name);
        self.walk(v);
        v.end();
    }
    fn swap_order(bytes: &mut [u8]) {
        Program::swap_order(bytes);
    }
}

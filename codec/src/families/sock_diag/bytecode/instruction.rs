//! Reading instructions out of `INET_DIAG_REQ_BYTECODE` bytes: one
//! `inet_diag_bc_op` and its operands at a time.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use zerocopy::FromBytes;

use super::insn::{HostCond, Insn, PortOp, Side};
use super::ops::{BcCode, InetDiagBcOp, InetDiagHostcond, OP_LEN};

/// One command of a [`Program`](super::Program) where it lies, with its raw op and bytes.
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
    /// of [`Instruction::operand_bytes`](super::Instruction::operand_bytes).
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
pub(super) fn decode_operands(code: BcCode, body: &[u8]) -> Option<(Insn, usize)> {
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
pub(super) fn decode_at(bytes: &[u8], off: usize) -> Option<Instruction<'_>> {
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

/// Iterator over the commands of a [`Program`](super::Program), following `yes` from the
/// start as the kernel's audit does. Never panics, always ends: a command
/// whose `yes` is not a usable length takes the rest of the program.
#[derive(Clone, Debug)]
pub struct Instructions<'a> {
    pub(super) bytes: &'a [u8],
    pub(super) off: usize,
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

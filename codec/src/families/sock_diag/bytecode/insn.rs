//! The typed instructions of a bytecode program: what each
//! `inet_diag_bc_op` code means with its operands.

use super::hostcond::HostCond;
use super::operand::OperandValue;
use super::ops::{BcCode, InetDiagBcOp, OP_LEN};
use crate::payload::copy_into;

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

/// One decoded bytecode command.
///
/// Jump offsets are not part of it: they are in the [`Instruction`](super::Instruction) that
/// carries it ([`Instruction::yes`](super::Instruction::yes), [`Instruction::no`](super::Instruction::no)).
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
    /// [`Instruction::operand_bytes`](super::Instruction::operand_bytes).
    Raw,
}

impl Insn {
    /// The meaning of `code` with these operands — the reverse of
    /// [`Insn::parts`]; `None` when the operand is not the kind `code`
    /// declares ([`BcCode::operand`]) or `code` is unknown.
    pub(crate) fn from_parts(code: BcCode, operand: OperandValue) -> Option<Insn> {
        use OperandValue as V;
        let port = |side, op| match operand {
            V::Port { port, .. } => Some(Insn::Port { side, op, port }),
            _ => None,
        };
        let host = |side| match operand {
            V::Host { cond, .. } => Some(Insn::Host { side, cond }),
            _ => None,
        };
        match (code, operand) {
            (BcCode::Nop, V::None) => Some(Insn::Nop),
            (BcCode::Jmp, V::None) => Some(Insn::Jmp),
            (BcCode::Auto, V::None) => Some(Insn::Auto),
            (BcCode::SGe, _) => port(Side::Src, PortOp::Ge),
            (BcCode::SLe, _) => port(Side::Src, PortOp::Le),
            (BcCode::SEq, _) => port(Side::Src, PortOp::Eq),
            (BcCode::DGe, _) => port(Side::Dst, PortOp::Ge),
            (BcCode::DLe, _) => port(Side::Dst, PortOp::Le),
            (BcCode::DEq, _) => port(Side::Dst, PortOp::Eq),
            (BcCode::SCond, _) => host(Side::Src),
            (BcCode::DCond, _) => host(Side::Dst),
            (BcCode::DevCond, V::Dev(ifindex)) => Some(Insn::Dev { ifindex }),
            (BcCode::MarkCond, V::Mark { mark, mask }) => Some(Insn::Mark { mark, mask }),
            (BcCode::CgroupCond, V::Cgroup(id)) => Some(Insn::Cgroup { id }),
            _ => None,
        }
    }

    /// The op code this command is written with and its operand as `ss`
    /// writes it (padding and a port comparison's follow-on `code` and
    /// `yes` zero); `None` for [`Insn::Raw`].
    pub(crate) const fn parts(&self) -> Option<(BcCode, OperandValue)> {
        use OperandValue as V;
        Some(match *self {
            Insn::Nop => (BcCode::Nop, V::None),
            Insn::Jmp => (BcCode::Jmp, V::None),
            Insn::Auto => (BcCode::Auto, V::None),
            Insn::Port { side, op, port } => {
                let code = match (side, op) {
                    (Side::Src, PortOp::Ge) => BcCode::SGe,
                    (Side::Src, PortOp::Le) => BcCode::SLe,
                    (Side::Src, PortOp::Eq) => BcCode::SEq,
                    (Side::Dst, PortOp::Ge) => BcCode::DGe,
                    (Side::Dst, PortOp::Le) => BcCode::DLe,
                    (Side::Dst, PortOp::Eq) => BcCode::DEq,
                };
                (code, V::Port { port, arg: [0; 2] })
            }
            Insn::Host { side, cond } => {
                let code = match side {
                    Side::Src => BcCode::SCond,
                    Side::Dst => BcCode::DCond,
                };
                (code, V::Host { cond, pad: [0; 2] })
            }
            Insn::Dev { ifindex } => (BcCode::DevCond, V::Dev(ifindex)),
            Insn::Mark { mark, mask } => (BcCode::MarkCond, V::Mark { mark, mask }),
            Insn::Cgroup { id } => (BcCode::CgroupCond, V::Cgroup(id)),
            Insn::Raw => return None,
        })
    }

    /// The op code this command is written with.
    pub const fn code(&self) -> Option<BcCode> {
        match self.parts() {
            Some((code, _)) => Some(code),
            None => None,
        }
    }

    /// The length iproute2 `ss` gives this command (its `yes`): 4 for
    /// NOP/JMP/AUTO, 8 for port comparisons and `DEV_COND`, 12 for
    /// `MARK_COND` and `CGROUP_COND`, 16 for an `AF_UNSPEC` or `AF_INET` host
    /// condition (`ss` writes 4 address bytes even for `AF_UNSPEC`), 28 for
    /// `AF_INET6`. `None` for [`Insn::Raw`].
    pub const fn encoded_len(&self) -> Option<usize> {
        let Some((_, operand)) = self.parts() else {
            return None;
        };
        let ss_slack = match operand {
            // `ss` always writes at least an IPv4 address.
            OperandValue::Host {
                cond: HostCond { addr: None, .. },
                ..
            } => 4,
            _ => 0,
        };
        Some(
            OP_LEN
                .saturating_add(operand.len())
                .saturating_add(ss_slack),
        )
    }

    /// Write the command as `ss` lays it out — op `{code, yes, no}`, then
    /// the operands, padding and unused address bytes zeroed — into `dst`,
    /// which must be [`Insn::encoded_len`] bytes. Returns `false` (and
    /// writes nothing) for [`Insn::Raw`] or a wrong-sized `dst`.
    pub fn encode(&self, no: u16, dst: &mut [u8]) -> bool {
        let (Some((code, operand)), Some(len)) = (self.parts(), self.encoded_len()) else {
            return false;
        };
        if dst.len() != len {
            return false;
        }
        dst.fill(0);
        // `len` is at most 28: it fits `yes`.
        let head = InetDiagBcOp::new(code, len as u8, no);
        copy_into(dst, zerocopy::IntoBytes::as_bytes(&head));
        operand.write(dst.get_mut(OP_LEN..).unwrap_or_default());
        true
    }
}

//! [`Program`]: a borrowed view over `INET_DIAG_REQ_BYTECODE`, iterated,
//! audited, swapped and carried as an attribute payload (run in `interp`,
//! walked in `walk`, printed in `text`).

use super::audit::{audit, audit_with, AuditConfig};
pub use super::hostcond::HostCond;
pub use super::insn::{Insn, PortOp, Side};
use super::instruction::decode_at;
pub use super::instruction::{Instruction, Instructions};
pub use super::ops::OP_LEN;
use super::ops::{InetDiagBcOp, InetDiagHostcond};
use crate::payload::{copy_into, Payload};
use crate::value::{Visitor, Walk};
use crate::{Mode, Result};

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
            let (len, insn, code) = (ins.bytes.len(), ins.insn, ins.code());
            // `no`, then the operand's host-order fields as its C type
            // declares them (none for a command that did not decode).
            if let Some(no) = bytes.get_mut(off.saturating_add(2)..off.saturating_add(4)) {
                no.reverse();
            }
            if let (false, Some(kind)) = (insn == Insn::Raw, code.operand()) {
                let body = off.saturating_add(OP_LEN);
                kind.swap_order(bytes.get_mut(body..).unwrap_or_default());
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
    // `len` is the bytes kept, all copied.
    const WRITES_ALL: bool = true;
    #[inline]
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

//! Reading instructions out of `INET_DIAG_REQ_BYTECODE` bytes: one
//! `inet_diag_bc_op` and its operands at a time.

use zerocopy::FromBytes;

use super::insn::Insn;
use super::operand::OperandValue;
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
    /// The decoded operand ([`OperandValue::None`] for [`Insn::Raw`]).
    operand: OperandValue,
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
            .get(self.operand.len()..)
            .unwrap_or_default()
    }
    /// The decoded operand, with the bytes the kernel ignores.
    pub(crate) fn operand(&self) -> OperandValue {
        self.operand
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

/// Decode the operands of `code` from `body` (the bytes after the op, up to
/// `yes`) as its declaration says ([`BcCode::operand`]): the command and
/// its operand.
pub(super) fn decode_operands(code: BcCode, body: &[u8]) -> Option<(Insn, OperandValue)> {
    let operand = OperandValue::decode(code.operand()?, body)?;
    Some((Insn::from_parts(code, operand)?, operand))
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
    let decoded = if usable {
        decode_operands(op.bc_code(), body)
    } else {
        None
    };
    let (insn, operand) = decoded.unwrap_or((Insn::Raw, OperandValue::None));
    Some(Instruction {
        offset: off,
        op,
        insn,
        bytes: whole,
        operand,
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

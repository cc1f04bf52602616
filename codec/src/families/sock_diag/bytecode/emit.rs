//! [`Emitter`]: writes a bytecode program from commands and symbolic jump
//! targets, computing every `yes` and `no` itself.

use super::audit::audit;
use super::program::{Insn, OP_LEN};
use crate::netlink::Sink;
use crate::{Error, ErrorKind, Result};

/// A jump target of an [`Emitter`]: a user label, or one of the two ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Label(u16);

impl Label {
    /// The end of the program: the socket is reported.
    pub const ACCEPT: Label = Label(u16::MAX);
    /// One op past the end of the program: the socket is not reported (the
    /// kernel's interpreter ends with a negative length).
    pub const REJECT: Label = Label(u16::MAX - 1);
}

const UNBOUND: usize = usize::MAX;

/// Writes a bytecode program into a [`Sink`] (a caller's slice or a `Vec`).
///
/// Every command falls through to the next one when its condition holds
/// (`yes` is its length) and jumps to a [`Label`] when it does not (`no`).
/// Labels are created with [`Emitter::label`], placed with
/// [`Emitter::bind`], and resolved by [`Emitter::finish`], which also runs
/// the kernel's audit on the result. At most `L` user labels (default 16);
/// jumps go forward only, as the kernel requires.
///
/// ```
/// use nlwire::netlink::{Sink, SliceSink};
/// use nlwire::families::sock_diag::bytecode::{Emitter, Insn, Label, PortOp, Program, Side};
/// // sport in 1000..=2000 or dport == 22
/// let mut buf = [0xa5u8; 64];
/// let mut e = Emitter::new(SliceSink::new(&mut buf));
/// let other = e.label().unwrap();
/// e.insn(Insn::Port { side: Side::Src, op: PortOp::Ge, port: 1000 }, other).unwrap();
/// e.insn(Insn::Port { side: Side::Src, op: PortOp::Le, port: 2000 }, other).unwrap();
/// e.jmp(Label::ACCEPT).unwrap();
/// e.bind(other).unwrap();
/// e.insn(Insn::Port { side: Side::Dst, op: PortOp::Eq, port: 22 }, Label::REJECT).unwrap();
/// let n = e.finish().unwrap().len();
/// assert_eq!(n, 28);
/// let p = Program::new(&buf[..n]);
/// p.audit().unwrap();
/// let no: Vec<usize> = p.iter().map(|i| i.no_target()).collect();
/// assert_eq!(no, [20, 20, 28, 32]);
/// ```
#[derive(Debug)]
pub struct Emitter<S, const L: usize = 16> {
    sink: S,
    start: usize,
    labels: [usize; L],
    used: usize,
}

impl<S: Sink> Emitter<S> {
    /// Write after whatever `sink` already holds (offsets are relative to
    /// that point), with room for 16 labels.
    pub fn new(sink: S) -> Self {
        Self::with_labels(sink)
    }
}

impl<S: Sink, const L: usize> Emitter<S, L> {
    /// [`Emitter::new`] with room for `L` labels:
    /// `Emitter::<_, 64>::with_labels(sink)`.
    pub fn with_labels(sink: S) -> Self {
        let start = sink.len();
        Emitter {
            sink,
            start,
            labels: [UNBOUND; L],
            used: 0,
        }
    }

    /// Bytes of program written so far.
    pub fn len(&self) -> usize {
        self.sink.len().saturating_sub(self.start)
    }

    /// `true` if no command was written yet.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A new, unplaced label.
    pub fn label(&mut self) -> Result<Label> {
        if self.used >= L || self.used >= usize::from(Label::REJECT.0) {
            return Err(Error::new(
                ErrorKind::TooLong,
                "bytecode labels",
                self.used.saturating_add(1),
                L,
            ));
        }
        let l = Label(self.used as u16);
        self.used = self.used.saturating_add(1);
        Ok(l)
    }

    /// Place `label` here: jumps to it land on the next command written (or
    /// on the end of the program).
    pub fn bind(&mut self, label: Label) -> Result<()> {
        let here = self.len();
        match self.labels.get_mut(usize::from(label.0)) {
            Some(slot) if usize::from(label.0) < self.used && *slot == UNBOUND => {
                *slot = here;
                Ok(())
            }
            _ => Err(Error::invalid(
                "bytecode label: unknown, special or already bound",
            )),
        }
    }

    /// Write one command: it falls through when its condition holds and
    /// jumps to `else_to` when it does not. [`Insn::Raw`] cannot be written.
    pub fn insn(&mut self, insn: Insn, else_to: Label) -> Result<()> {
        let len = insn
            .encoded_len()
            .ok_or_else(|| Error::invalid("Insn::Raw cannot be emitted").at(self.len()))?;
        let at = self.len();
        let dst = self.sink.grow(len, "inet_diag_bc_op")?;
        // The label is parked in `no` until `finish` resolves it.
        if !insn.encode(else_to.0, dst) {
            return Err(Error::invalid("inet_diag_bc_op").at(at));
        }
        Ok(())
    }

    /// `INET_DIAG_BC_JMP` to `to`.
    pub fn jmp(&mut self, to: Label) -> Result<()> {
        self.insn(Insn::Jmp, to)
    }

    /// `INET_DIAG_BC_NOP` (its `no`, which the kernel never reads, is
    /// written as one op past the end, as `ss` writes its leaves).
    pub fn nop(&mut self) -> Result<()> {
        self.insn(Insn::Nop, Label::REJECT)
    }

    fn resolve(&self, label: u16, end: usize) -> Option<usize> {
        match Label(label) {
            Label::ACCEPT => Some(end),
            Label::REJECT => end.checked_add(OP_LEN),
            Label(n) => self
                .labels
                .get(usize::from(n))
                .copied()
                .filter(|&p| p != UNBOUND),
        }
    }

    /// Resolve every jump, check the program with the kernel's audit, and
    /// give the sink back.
    pub fn finish(mut self) -> Result<S> {
        let end = self.len();
        let start = self.start;
        let mut off = 0usize;
        while off < end {
            let base = start.saturating_add(off);
            let written = self.sink.written();
            let (Some(&yes), Some(lab)) = (
                written.get(base.saturating_add(1)),
                written
                    .get(base.saturating_add(2)..base.saturating_add(4))
                    .and_then(|b| <[u8; 2]>::try_from(b).ok()),
            ) else {
                return Err(Error::invalid("inet_diag_bc_op").at(off));
            };
            let yes = usize::from(yes);
            let target = self.resolve(u16::from_ne_bytes(lab), end).ok_or_else(|| {
                Error::invalid("bytecode label: jump to a label never bound").at(off)
            })?;
            if target < off.saturating_add(yes) {
                return Err(Error::invalid("bytecode label: jumps go forward only").at(off));
            }
            let no = u16::try_from(target.saturating_sub(off)).map_err(|_| {
                Error::new(
                    ErrorKind::TooLong,
                    "inet_diag_bc_op.no",
                    target.saturating_sub(off),
                    usize::from(u16::MAX),
                )
                .at(off)
            })?;
            if let Some(b) = self
                .sink
                .written_mut()
                .get_mut(base.saturating_add(2)..base.saturating_add(4))
            {
                b.copy_from_slice(&no.to_ne_bytes());
            }
            off = off.saturating_add(yes.max(OP_LEN));
        }
        audit(self.sink.written().get(start..).unwrap_or_default())?;
        Ok(self.sink)
    }
}

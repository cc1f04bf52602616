//! The text form of a bytecode program, printed: `Display` for
//! [`Program`] and [`Instruction`]; [`assemble`](super::assemble) reads the
//! same text back, byte for byte.
//!
//! The grammar is in the [module documentation](super).

use core::fmt;
use core::net::IpAddr;

use super::operand::OperandValue;
use super::program::{Insn, Instruction, Program};

/// Lower-case hex without separators.
struct Hex<'a>(&'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// `*`, `a.b.c.d` or `[v6]`.
struct Addr(Option<IpAddr>);

impl fmt::Display for Addr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("*"),
            Some(IpAddr::V4(a)) => write!(f, "{a}"),
            Some(IpAddr::V6(a)) => write!(f, "[{a}]"),
        }
    }
}

/// The operands of a line, each with its leading space (nothing for none).
struct Operands(OperandValue);

impl fmt::Display for Operands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            OperandValue::None => Ok(()),
            OperandValue::Port { port, arg } => {
                write!(f, " {port}")?;
                if arg != [0, 0] {
                    write!(f, " arg {} {}", arg[0], arg[1])?;
                }
                Ok(())
            }
            OperandValue::Host { cond, pad } => {
                write!(
                    f,
                    " {}/{} port {}",
                    Addr(cond.addr),
                    cond.prefix_len,
                    cond.port
                )?;
                if pad != [0, 0] {
                    write!(f, " pad {}", Hex(&pad))?;
                }
                Ok(())
            }
            OperandValue::Dev(ifindex) => write!(f, " {ifindex}"),
            OperandValue::Mark { mark, mask } => write!(f, " {mark:#x}/{mask:#x}"),
            OperandValue::Cgroup(id) => write!(f, " {id}"),
        }
    }
}

impl fmt::Display for Instruction<'_> {
    /// One line of the text form, without the newline:
    /// `   0: INET_DIAG_BC_S_GE 1024 yes +8 no +12`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:4}: ", self.offset)?;
        match self.code().name() {
            Some(n) => f.write_str(n)?,
            None => write!(f, "{}", self.op.code)?,
        }
        write!(f, "{}", Operands(self.operand()))?;
        write!(f, " yes +{} no +{}", self.op.yes, self.op.no.get())?;
        let extra = self.extra();
        if self.insn == Insn::Raw {
            f.write_str(" raw")?;
            if !extra.is_empty() {
                write!(f, " {}", Hex(extra))?;
            }
        } else if !extra.is_empty() {
            write!(f, " extra {}", Hex(extra))?;
        }
        Ok(())
    }
}

impl fmt::Display for Program<'_> {
    /// The disassembly: one line per command, each ending in a newline;
    /// [`assemble`](super::assemble) reads it back to the same bytes.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut it = self.iter();
        for ins in it.by_ref() {
            writeln!(f, "{ins}")?;
        }
        let rest = it.rest();
        if !rest.is_empty() {
            writeln!(
                f,
                "{:4}: .bytes {}",
                self.len().saturating_sub(rest.len()),
                Hex(rest)
            )?;
        }
        Ok(())
    }
}

//! inet_diag bytecode filters: the payload of `INET_DIAG_REQ_BYTECODE`
//! (`<linux/inet_diag.h>`, checked by `inet_diag_bc_audit` and run by
//! `inet_diag_bc_run` in the kernel's `net/ipv4/inet_diag.c`).
//!
//! A program is a sequence of commands, each a 4-byte `struct
//! inet_diag_bc_op { code, yes, no }` followed by its operands. Every
//! command is a conditional forward jump: by `yes` (which is also the
//! command's length) when its condition holds, by `no` when it does not.
//! Running off the end exactly means "report this socket"; anything else
//! (a jump one op past the end) means "skip it".
//!
//! | piece | what it does |
//! |---|---|
//! | [`InetDiagBcOp`], [`InetDiagHostcond`], [`InetDiagMarkcond`], [`BcCode`] | the wire declarations |
//! | [`Operand`] ([`BcCode::operand`]) | what follows each op, declared once per code |
//! | [`Program`], [`Instruction`], [`Insn`] | a borrowed view, its commands with offsets, decoded |
//! | [`audit`], [`AuditConfig`] | exactly what the kernel's audit accepts |
//! | [`Emitter`], [`Label`] | write a program from commands and labels (no allocation) |
//! | `Display` for [`Program`], [`assemble`] | a text form and its assembler, byte-exact both ways |
//! | [`Filter`] (feature `alloc`) | `ss`'s expression tree, compiled as `ss` compiles it |
//! | [`Program::run`], [`SockEntry`] | the kernel's interpreter, for tests and offline analysis |
//!
//! [`Program`] implements [`Payload`](crate::payload::Payload), so an
//! attribute set can hold `INET_DIAG_REQ_BYTECODE` typed, and
//! [`Walk`](crate::value::Walk), so generic printers show each command
//! under its kernel name.
//!
//! ## Text form
//!
//! One command per line:
//!
//! ```text
//! OFFSET: MNEMONIC [OPERANDS] yes +YES no +NO [extra HEX | raw [HEX]]
//! ```
//!
//! - `OFFSET:` (decimal) is optional when assembling; if given it must be
//!   where the command lands.
//! - `MNEMONIC` is the kernel name (`INET_DIAG_BC_S_GE`), the same without
//!   `INET_DIAG_BC_` (`S_GE`), or the code as a number.
//! - `OPERANDS` by code: none for `NOP`, `JMP`, `AUTO`; `PORT [arg CODE
//!   YES]` for port comparisons (the follow-on op's `code` and `yes`, shown
//!   only when not 0); `ADDR/PREFIX port PORT [pad HEX]` for host conditions,
//!   `ADDR` being `*` (`AF_UNSPEC`), a dotted IPv4 address or a bracketed
//!   IPv6 address, `PORT` an `int` (-1: any), `pad` the 2 padding bytes when
//!   not zero; `IFINDEX` for `DEV_COND`; `MARK/MASK` for `MARK_COND`; `ID`
//!   for `CGROUP_COND`. Numbers are decimal or `0x` hex.
//! - `extra HEX`: bytes inside `yes` after the operands (`ss` sends 4 zero
//!   address bytes with an `AF_UNSPEC` host condition).
//! - `raw [HEX]`: a command that does not decode (unknown code, unusable
//!   `yes`, operands that do not fit): no operands, the bytes after the op
//!   as they are, and `yes` written as given.
//! - `.bytes HEX`: 1 to 3 bytes after the last command.
//! - `#` or `;` starts a comment; blank lines are skipped.
//!
//! With decoded operands, `yes` must equal the bytes the line produces.
//!
//! ## Example
//!
//! ```
//! # #[cfg(feature = "alloc")] {
//! use nlwire::families::sock_diag::bytecode::{Filter, HostCond, Program};
//! // ss -tn 'not src 127.0.0.1/8'
//! let f = !Filter::Src(HostCond::prefix("127.0.0.1".parse().unwrap(), 8));
//! let bytes = f.compile().unwrap();
//! let p = Program::new(&bytes);
//! p.audit().unwrap();
//! assert_eq!(p.to_string(), "   0: INET_DIAG_BC_S_COND 127.0.0.1/8 port -1 yes +16 no +20
//!   16: INET_DIAG_BC_JMP yes +4 no +8
//! ");
//! # }
//! ```

mod asm;
mod audit;
mod emit;
#[cfg(feature = "alloc")]
mod filter;
mod hostcond;
mod insn;
mod instruction;
mod interp;
mod operand;
mod operand_kind;
mod ops;
mod program;
pub mod reason;
mod text;
mod walk;

#[cfg(feature = "alloc")]
pub use asm::assemble_vec;
pub use asm::{asm_reason, assemble};
pub use audit::{audit, audit_with, AuditConfig};
pub use emit::{Emitter, Label};
#[cfg(feature = "alloc")]
pub use filter::Filter;
pub use interp::SockEntry;
pub use operand::Operand;
pub use ops::{
    BcCode, InetDiagBcOp, InetDiagHostcond, InetDiagMarkcond, AF_INET, AF_INET6, AF_UNSPEC,
    SOCK_BINDPORT_LOCK,
};
pub use program::{HostCond, Insn, Instruction, Instructions, PortOp, Program, Side, OP_LEN};

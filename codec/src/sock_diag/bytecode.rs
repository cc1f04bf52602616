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
//! ```
//! # #[cfg(feature = "alloc")] {
//! use nlwire::sock_diag::bytecode::{Filter, HostCond, Program};
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

mod audit;
mod emit;
#[cfg(feature = "alloc")]
mod filter;
mod ops;
mod program;
mod text;

pub use audit::{audit, audit_with, reason, AuditConfig};
pub use emit::{Emitter, Label};
#[cfg(feature = "alloc")]
pub use filter::Filter;
pub use ops::{
    BcCode, InetDiagBcOp, InetDiagHostcond, InetDiagMarkcond, AF_INET, AF_INET6, AF_UNSPEC,
    SOCK_BINDPORT_LOCK,
};
pub use program::{
    HostCond, Insn, Instruction, Instructions, PortOp, Program, Side, SockEntry, OP_LEN,
};
#[cfg(feature = "alloc")]
pub use text::assemble_vec;
pub use text::{asm_reason, assemble};

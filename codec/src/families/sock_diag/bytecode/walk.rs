//! Generic walks ([`Walk`]) of a [`Program`] and its [`Instruction`]s: each
//! command under its kernel op name, its operand under its C field names.

use super::insn::Insn;
use super::instruction::Instruction;
use super::ops::BcCode;
use super::program::Program;
use crate::value::{OpenEnum, Value, Visitor, Walk};

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
        self.operand().walk(v);
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

//! The kinds of operand an `inet_diag_bc_op` code declares (`operand =
//! ...` in [`BcCode`](super::BcCode)'s declaration); what each kind
//! means on the wire is in `operand`.

/// The kind of operand an op code takes (`inet_diag_bc_audit`'s per-code
/// `valid_*` check, and what `inet_diag_bc_run` reads after the op).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operand {
    /// Nothing: the command is its 4-byte op (`NOP`, `JMP`, `AUTO`).
    None,
    /// A second `struct inet_diag_bc_op` whose `no` is the port
    /// (`valid_port_comparison`: `S_GE`, `S_LE`, `D_GE`, `D_LE`, `S_EQ`, `D_EQ`).
    PortOp,
    /// `struct inet_diag_hostcond` then 0, 4 or 16 address bytes by family
    /// (`valid_hostcond`: `S_COND`, `D_COND`).
    HostCond,
    /// A `__u32` ifindex (`valid_devcond`: `DEV_COND`).
    Dev,
    /// `struct inet_diag_markcond` (`valid_markcond`: `MARK_COND`).
    Mark,
    /// A `__u64` cgroup v2 id (`valid_cgroupcond`: `CGROUP_COND`).
    Cgroup,
}

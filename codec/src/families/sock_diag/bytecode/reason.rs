//! Why [`audit`](super::audit()) refused a program: the `what` of its
//! error, one constant per check of the kernel's `inet_diag_bc_audit`.

/// The program is shorter than one `inet_diag_bc_op` (the kernel checks
/// `nla_len(attr) < sizeof(struct inet_diag_bc_op)`).
pub const EMPTY: &str = "INET_DIAG_REQ_BYTECODE shorter than inet_diag_bc_op";
/// Fewer than 4 bytes left where a command should start (the program
/// length is not a multiple of 4).
pub const TRUNCATED_OP: &str = "inet_diag_bc_op truncated";
/// An op code the kernel does not know.
pub const UNKNOWN_CODE: &str = "inet_diag_bc_op.code unknown";
/// `INET_DIAG_BC_CGROUP_COND` on a kernel without
/// `CONFIG_SOCK_CGROUP_DATA` (see [`AuditConfig`](super::AuditConfig)).
pub const NO_CGROUP: &str = "INET_DIAG_BC_CGROUP_COND without CONFIG_SOCK_CGROUP_DATA";
/// `INET_DIAG_BC_MARK_COND` from a caller without `CAP_NET_ADMIN` (the
/// kernel answers `EPERM`, not `EINVAL`).
pub const MARK_EPERM: &str = "INET_DIAG_BC_MARK_COND needs CAP_NET_ADMIN";
/// A host condition's `inet_diag_hostcond` or address runs past the end
/// (`valid_hostcond`).
pub const HOSTCOND_SHORT: &str = "inet_diag_hostcond truncated";
/// A host condition's family is not `AF_UNSPEC`, `AF_INET` or `AF_INET6`.
pub const HOSTCOND_FAMILY: &str = "inet_diag_hostcond.family not AF_UNSPEC/AF_INET/AF_INET6";
/// `prefix_len` is longer than the address (`prefix_len > 8 * addr_len`).
pub const HOSTCOND_PREFIX: &str = "inet_diag_hostcond.prefix_len longer than the address";
/// A port comparison without its follow-on op (`valid_port_comparison`).
pub const PORT_SHORT: &str = "port comparison without its follow-on inet_diag_bc_op";
/// `INET_DIAG_BC_DEV_COND` without its `u32` ifindex (`valid_devcond`).
pub const DEV_SHORT: &str = "INET_DIAG_BC_DEV_COND ifindex truncated";
/// `INET_DIAG_BC_MARK_COND` without its `inet_diag_markcond` (`valid_markcond`).
pub const MARK_SHORT: &str = "inet_diag_markcond truncated";
/// `INET_DIAG_BC_CGROUP_COND` without its `u64` id (`valid_cgroupcond`).
pub const CGROUP_SHORT: &str = "INET_DIAG_BC_CGROUP_COND id truncated";
/// `no` is shorter than the command, not a multiple of 4, or more than
/// one op past the end.
pub const NO_RANGE: &str = "inet_diag_bc_op.no below the command length, unaligned or past the end";
/// `no` lands inside the program but not on a command boundary (`valid_cc`).
pub const NO_BOUNDARY: &str = "inet_diag_bc_op.no not on a command boundary";
/// `yes` is shorter than the command, not a multiple of 4, or past the end.
pub const YES_RANGE: &str =
    "inet_diag_bc_op.yes below the command length, unaligned or past the end";
/// The program does not fit in one attribute.
pub const TOO_LONG: &str = "INET_DIAG_REQ_BYTECODE longer than an attribute can carry";

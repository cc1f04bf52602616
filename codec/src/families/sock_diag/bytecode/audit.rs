//! The kernel's `inet_diag_bc_audit` (`net/ipv4/inet_diag.c`), check for
//! check: what it accepts, [`audit`] accepts; what it refuses, [`audit`]
//! refuses with an [`ErrorKind::Invalid`] error at the offending command's
//! offset (the reason is the error's `what`, one of the [`reason`] strings).

use super::operand::Operand;
use super::ops::{BcCode, InetDiagHostcond, OP_LEN};
use super::reason;
use crate::netlink::NLA_MAX_PAYLOAD;
use crate::{Error, ErrorKind, Result};

/// What the kernel's audit depends on besides the bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AuditConfig {
    /// The caller has `CAP_NET_ADMIN` in the socket's network namespace
    /// (needed for `INET_DIAG_BC_MARK_COND`, else `EPERM`).
    pub net_admin: bool,
    /// The kernel is built with `CONFIG_SOCK_CGROUP_DATA` (needed for
    /// `INET_DIAG_BC_CGROUP_COND`, else it is an unknown code).
    pub sock_cgroup_data: bool,
}

impl Default for AuditConfig {
    /// Root on a distribution kernel: both `true`.
    fn default() -> Self {
        AuditConfig {
            net_admin: true,
            sock_cgroup_data: true,
        }
    }
}

fn fail(what: &'static str, offset: usize, needed: usize, present: usize) -> Error {
    Error::new(ErrorKind::Invalid, what, needed, present).at(offset)
}

/// `valid_cc`: does the `yes` chain, started at the command at `from` (on
/// the chain already), reach `target` exactly? Every `yes` on the way must
/// be at least 4 and a multiple of 4.
///
/// The kernel walks from the start of the program; the commands before
/// `from` are the ones its main loop has already checked, so starting at
/// `from` gives the same answer without the quadratic walk.
fn valid_cc(bytes: &[u8], from: usize, target: usize) -> bool {
    let mut pos = from;
    loop {
        if pos > target {
            return false;
        }
        if pos == target {
            return true;
        }
        // pos < target < len: an op starts here (if 1..3 bytes remain the
        // program length is not a multiple of 4 and is refused anyway).
        let Some(&yes) = bytes.get(pos.saturating_add(1)) else {
            return false;
        };
        if yes < 4 || yes & 3 != 0 {
            return false;
        }
        pos = pos.saturating_add(usize::from(yes));
    }
}

/// Check `bytes` as `inet_diag_bc_audit` does for a caller with
/// `CAP_NET_ADMIN` on a kernel with `CONFIG_SOCK_CGROUP_DATA` (the
/// [`AuditConfig::default`]).
///
/// The rules, from `net/ipv4/inet_diag.c`:
/// - the program has at least one 4-byte op; commands follow each other by
///   their `yes`, which must be at least the command's minimum length, a
///   multiple of 4, and end exactly at the end of the program;
/// - each code's operands must fit: a follow-on op for port comparisons, an
///   `inet_diag_hostcond` plus 0/4/16 address bytes by family (`AF_UNSPEC`,
///   `AF_INET`, `AF_INET6`, nothing else) with `prefix_len` at most the
///   address length in bits, a `u32` ifindex, an `inet_diag_markcond`, a
///   `u64` cgroup id;
/// - every command but `NOP` has a `no` at least the minimum length, a
///   multiple of 4, at most one op past the end (`len + 4`, which the
///   interpreter reads as "reject"; the end itself is "accept"), and, when it
///   lands inside the program, landing on a command boundary (`valid_cc`).
///
/// ```
/// use nlwire::families::sock_diag::bytecode::audit;
/// use nlwire::ErrorKind;
/// // `INET_DIAG_BC_AUTO`, yes +4, no +8 (one past the end: reject).
/// assert!(audit(&[6, 4, 8, 0]).is_ok());
/// // yes +0 never moves forward.
/// assert_eq!(audit(&[6, 0, 8, 0]).unwrap_err().kind, ErrorKind::Invalid);
/// ```
pub fn audit(bytes: &[u8]) -> Result<()> {
    audit_with(bytes, AuditConfig::default())
}

/// [`audit`] for another caller or kernel configuration.
pub fn audit_with(bytes: &[u8], config: AuditConfig) -> Result<()> {
    let total = bytes.len();
    if total < OP_LEN {
        return Err(fail(reason::EMPTY, 0, OP_LEN, total));
    }
    if total > NLA_MAX_PAYLOAD {
        return Err(Error::new(
            ErrorKind::TooLong,
            reason::TOO_LONG,
            total,
            NLA_MAX_PAYLOAD,
        ));
    }
    let mut off = 0usize;
    while off < total {
        let len = total.saturating_sub(off);
        let (Some(&code), Some(&yes), Some(no)) = (
            bytes.get(off),
            bytes.get(off.saturating_add(1)),
            bytes
                .get(off.saturating_add(2)..off.saturating_add(4))
                .and_then(|b| <[u8; 2]>::try_from(b).ok()),
        ) else {
            return Err(fail(reason::TRUNCATED_OP, off, OP_LEN, len));
        };
        let yes = usize::from(yes);
        let no = usize::from(u16::from_ne_bytes(no));
        let mut min_len = OP_LEN;
        let code = BcCode::from(code);
        let need = |min_len: usize, what| {
            if len < min_len {
                Err(fail(what, off, min_len, len))
            } else {
                Ok(min_len)
            }
        };
        // The kernel's switch over `code`: which `valid_*` check runs is
        // what the code declares as its operand.
        let Some(kind) = code.operand() else {
            return Err(fail(reason::UNKNOWN_CODE, off, 0, usize::from(code.raw())));
        };
        if code == BcCode::MarkCond && !config.net_admin {
            return Err(fail(reason::MARK_EPERM, off, 0, 0));
        }
        if code == BcCode::CgroupCond && !config.sock_cgroup_data {
            return Err(fail(reason::NO_CGROUP, off, 0, usize::from(code.raw())));
        }
        if let Some(short) = kind.short_reason() {
            min_len = need(min_len.saturating_add(kind.fixed_len()), short)?;
        }
        if kind == Operand::HostCond {
            // `valid_hostcond`: the address by family, and the prefix.
            let family = bytes
                .get(off.saturating_add(4))
                .copied()
                .unwrap_or_default();
            let prefix_len = bytes
                .get(off.saturating_add(5))
                .copied()
                .unwrap_or_default();
            let Some(alen) = InetDiagHostcond::addr_len(family) else {
                return Err(fail(reason::HOSTCOND_FAMILY, off, 0, usize::from(family)));
            };
            min_len = need(min_len.saturating_add(alen), reason::HOSTCOND_SHORT)?;
            if usize::from(prefix_len) > alen.saturating_mul(8) {
                return Err(fail(
                    reason::HOSTCOND_PREFIX,
                    off,
                    alen.saturating_mul(8),
                    usize::from(prefix_len),
                ));
            }
        }
        if code != BcCode::Nop {
            if no < min_len || no > len.saturating_add(4) || no & 3 != 0 {
                return Err(fail(reason::NO_RANGE, off, min_len, no));
            }
            if no < len && !valid_cc(bytes, off, off.saturating_add(no)) {
                return Err(fail(
                    reason::NO_BOUNDARY,
                    off,
                    off.saturating_add(no),
                    total,
                ));
            }
        }
        // The kernel allows `yes` up to `len + 4` here, but a `yes` past the
        // end leaves its length negative and the final `len == 0` fails.
        if yes < min_len || yes > len || yes & 3 != 0 {
            return Err(fail(reason::YES_RANGE, off, min_len, yes));
        }
        off = off.saturating_add(yes);
    }
    Ok(())
}

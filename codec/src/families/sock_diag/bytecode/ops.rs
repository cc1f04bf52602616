//! The wire declarations of `<linux/inet_diag.h>` for bytecode filters:
//! `struct inet_diag_bc_op`, `enum INET_DIAG_BC_*`, `struct
//! inet_diag_hostcond`, `struct inet_diag_markcond`.

use zerocopy::byteorder::{I32, U16, U32};
use zerocopy::NativeEndian as NE;

use super::operand_kind::Operand;
use crate::value::OpenEnum;
use crate::{nl_struct, open_enum};

/// Size of `struct inet_diag_bc_op`.
pub const OP_LEN: usize = 4;

/// `AF_UNSPEC` (`<linux/socket.h>`): a host condition on the port only.
pub const AF_UNSPEC: u8 = 0;
/// `AF_INET` (`<linux/socket.h>`): a host condition on an IPv4 prefix.
pub const AF_INET: u8 = 2;
/// `AF_INET6` (`<linux/socket.h>`): a host condition on an IPv6 prefix.
pub const AF_INET6: u8 = 10;

/// `SOCK_BINDPORT_LOCK` (`<net/sock.h>`, `sk_userlocks`): the port was bound
/// by the user. `INET_DIAG_BC_AUTO` matches sockets *without* it.
pub const SOCK_BINDPORT_LOCK: u16 = 8;

/// The op codes of `<linux/inet_diag.h>` (`enum { INET_DIAG_BC_NOP, … }`).
///
/// All numbers are from the header. `INET_DIAG_BC_S_EQ`/`D_EQ` (11, 12) and
/// `INET_DIAG_BC_CGROUP_COND` (13) are later additions that older kernels
/// reject in their audit; the 6.1 header on this machine has all three, and
/// iproute2 `ss` never emits `S_EQ`/`D_EQ` (it matches one port with a host
/// condition instead).
///
/// Each code declares its operand (`operand = ...`, an [`Operand`]): what
/// follows the op on the wire, read back with [`BcCode::operand`]. Adding a
/// code is its line here plus its meaning ([`Insn`](super::Insn) and the
/// interpreter).
#[open_enum(u8, operand = Operand)]
pub enum BcCode {
    /// `INET_DIAG_BC_NOP`: always true; its `no` is never checked.
    #[nl(name = "INET_DIAG_BC_NOP", operand = None)]
    Nop = 0,
    /// `INET_DIAG_BC_JMP`: always false, so it always jumps by `no`.
    #[nl(name = "INET_DIAG_BC_JMP", operand = None)]
    Jmp = 1,
    /// `INET_DIAG_BC_S_GE`: source port ≥ the next op's `no`.
    #[nl(name = "INET_DIAG_BC_S_GE", operand = PortOp)]
    SGe = 2,
    /// `INET_DIAG_BC_S_LE`: source port ≤ the next op's `no`.
    #[nl(name = "INET_DIAG_BC_S_LE", operand = PortOp)]
    SLe = 3,
    /// `INET_DIAG_BC_D_GE`: destination port ≥ the next op's `no`.
    #[nl(name = "INET_DIAG_BC_D_GE", operand = PortOp)]
    DGe = 4,
    /// `INET_DIAG_BC_D_LE`: destination port ≤ the next op's `no`.
    #[nl(name = "INET_DIAG_BC_D_LE", operand = PortOp)]
    DLe = 5,
    /// `INET_DIAG_BC_AUTO`: the local port was chosen by the kernel
    /// (`SOCK_BINDPORT_LOCK` not set).
    #[nl(name = "INET_DIAG_BC_AUTO", operand = None)]
    Auto = 6,
    /// `INET_DIAG_BC_S_COND`: source address/port, an `inet_diag_hostcond` follows.
    #[nl(name = "INET_DIAG_BC_S_COND", operand = HostCond)]
    SCond = 7,
    /// `INET_DIAG_BC_D_COND`: destination address/port, an `inet_diag_hostcond` follows.
    #[nl(name = "INET_DIAG_BC_D_COND", operand = HostCond)]
    DCond = 8,
    /// `INET_DIAG_BC_DEV_COND`: bound device, a `u32` ifindex follows.
    #[nl(name = "INET_DIAG_BC_DEV_COND", operand = Dev)]
    DevCond = 9,
    /// `INET_DIAG_BC_MARK_COND`: `(sk_mark & mask) == mark`, an
    /// `inet_diag_markcond` follows. Needs `CAP_NET_ADMIN`.
    #[nl(name = "INET_DIAG_BC_MARK_COND", operand = Mark)]
    MarkCond = 10,
    /// `INET_DIAG_BC_S_EQ`: source port == the next op's `no`.
    #[nl(name = "INET_DIAG_BC_S_EQ", operand = PortOp)]
    SEq = 11,
    /// `INET_DIAG_BC_D_EQ`: destination port == the next op's `no`.
    #[nl(name = "INET_DIAG_BC_D_EQ", operand = PortOp)]
    DEq = 12,
    /// `INET_DIAG_BC_CGROUP_COND`: cgroup v2 id, a `u64` follows
    /// (kernels built with `CONFIG_SOCK_CGROUP_DATA`).
    #[nl(name = "INET_DIAG_BC_CGROUP_COND", operand = Cgroup)]
    CgroupCond = 13,
}

impl BcCode {
    /// Bytes of operands the kernel's audit requires after the 4-byte op
    /// (`min_len - sizeof(struct inet_diag_bc_op)` in `inet_diag_bc_audit`),
    /// for a host condition without its address: the declared
    /// [`BcCode::operand`]'s [`Operand::fixed_len`]. `None` for unknown codes.
    pub const fn operand_len(self) -> Option<usize> {
        match self.operand() {
            Some(kind) => Some(kind.fixed_len()),
            None => None,
        }
    }
}

/// `struct inet_diag_bc_op` — one bytecode command (host byte order).
///
/// ```c
/// struct inet_diag_bc_op {
///     unsigned char  code;
///     unsigned char  yes;
///     unsigned short no;
/// };
/// ```
///
/// Every command is a conditional forward jump: to `offset + yes` when its
/// condition holds (`yes` is also the length of the command and its
/// operands), to `offset + no` when it does not. Port comparisons carry their
/// port in the `no` field of a second `inet_diag_bc_op` that follows.
#[nl_struct(name = "inet_diag_bc_op")]
pub struct InetDiagBcOp {
    /// `code`: `INET_DIAG_BC_*`.
    #[nl(enum = BcCode)]
    pub code: u8,
    /// `yes`: jump when the condition holds; the command's length.
    pub yes: u8,
    /// `no`: jump when it does not.
    pub no: U16<NE>,
}

impl InetDiagBcOp {
    /// An op with every field given.
    pub fn new(code: BcCode, yes: u8, no: u16) -> Self {
        InetDiagBcOp {
            code: code.raw(),
            yes,
            no: U16::new(no),
        }
    }
    /// The op code.
    pub fn bc_code(&self) -> BcCode {
        BcCode::from(self.code)
    }
}

/// Names of the address families a host condition accepts (for walks).
pub(crate) struct HostFamilyNames;

impl OpenEnum for HostFamilyNames {
    fn name_of(raw: u64) -> Option<&'static str> {
        match raw {
            0 => Some("AF_UNSPEC"),
            2 => Some("AF_INET"),
            10 => Some("AF_INET6"),
            _ => None,
        }
    }
}

/// `struct inet_diag_hostcond` without its flexible `__be32 addr[]`: the
/// fixed 8 bytes of a host condition (host byte order, `port` is an `int`).
///
/// ```c
/// struct inet_diag_hostcond {
///     __u8   family;      /* AF_UNSPEC, AF_INET or AF_INET6 */
///     __u8   prefix_len;  /* in bits */
///     int    port;        /* -1 for any port */
///     __be32 addr[];      /* 0, 4 or 16 bytes by family */
/// };
/// ```
///
/// The two bytes between `prefix_len` and `port` are C padding, not a kernel
/// field: the kernel never reads them and iproute2 `ss` leaves them
/// uninitialised (a real `ss` request here carried `02 00`). They are kept in
/// [`InetDiagHostcond::pad`] so bytes round-trip, and are not walked.
#[nl_struct(name = "inet_diag_hostcond")]
pub struct InetDiagHostcond {
    /// `family`: `AF_UNSPEC` (port only), `AF_INET` or `AF_INET6`.
    #[nl(enum = HostFamilyNames)]
    pub family: u8,
    /// `prefix_len`: how many leading bits of `addr` must match.
    pub prefix_len: u8,
    /// Implicit C padding (offset 2, 2 bytes); not a kernel field (no C
    /// name: `__hole_pad` in the metadata), not walked.
    #[nl(hidden, name = "__hole_pad")]
    pub pad: [u8; 2],
    /// `port`: the port to match, or -1 for any.
    pub port: I32<NE>,
}

const _: () = assert!(core::mem::size_of::<InetDiagHostcond>() == 8);

impl InetDiagHostcond {
    /// The address length the kernel's `valid_hostcond` expects for `family`:
    /// 0 for `AF_UNSPEC`, 4 for `AF_INET`, 16 for `AF_INET6`, `None` for any
    /// other family (which the kernel rejects).
    pub const fn addr_len(family: u8) -> Option<usize> {
        match family {
            AF_UNSPEC => Some(0),
            AF_INET => Some(4),
            AF_INET6 => Some(16),
            _ => None,
        }
    }
}

/// `struct inet_diag_markcond` — the operand of `INET_DIAG_BC_MARK_COND`
/// (host byte order): matches when `(sk_mark & mask) == mark`.
///
/// ```c
/// struct inet_diag_markcond {
///     __u32 mark;
///     __u32 mask;
/// };
/// ```
#[nl_struct(name = "inet_diag_markcond")]
pub struct InetDiagMarkcond {
    /// `mark`: the value the masked mark must equal.
    pub mark: U32<NE>,
    /// `mask`: the bits of `sk_mark` compared.
    pub mask: U32<NE>,
}

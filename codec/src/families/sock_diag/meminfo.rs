//! Socket memory: `struct inet_diag_meminfo` (`INET_DIAG_MEMINFO`,
//! `<linux/inet_diag.h>`) and the `SK_MEMINFO_*` array
//! (`INET_DIAG_SKMEMINFO`, `UNIX_DIAG_MEMINFO`, `<linux/sock_diag.h>`),
//! filled by the kernel's `sock_diag_put_meminfo()`.

use zerocopy::byteorder::U32;
use zerocopy::NativeEndian as NE;

use crate::nl_struct;

/// `struct inet_diag_meminfo` (`<linux/inet_diag.h>`): `INET_DIAG_MEMINFO`.
///
/// ```c
/// struct inet_diag_meminfo {
///     __u32 idiag_rmem;
///     __u32 idiag_wmem;
///     __u32 idiag_fmem;
///     __u32 idiag_tmem;
/// };
/// ```
#[nl_struct(name = "inet_diag_meminfo")]
pub struct InetDiagMeminfo {
    /// `idiag_rmem`: `sk_rmem_alloc` (bytes in the receive queue).
    pub idiag_rmem: U32<NE>,
    /// `idiag_wmem`: `sk_wmem_queued` (bytes queued for sending).
    pub idiag_wmem: U32<NE>,
    /// `idiag_fmem`: `sk_forward_alloc`.
    pub idiag_fmem: U32<NE>,
    /// `idiag_tmem`: `sk_wmem_alloc` (bytes in transmit).
    pub idiag_tmem: U32<NE>,
}

/// `SK_MEMINFO_RMEM_ALLOC` (`<linux/sock_diag.h>`): index 0.
pub const SK_MEMINFO_RMEM_ALLOC: usize = 0;
/// `SK_MEMINFO_RCVBUF`: index 1.
pub const SK_MEMINFO_RCVBUF: usize = 1;
/// `SK_MEMINFO_WMEM_ALLOC`: index 2.
pub const SK_MEMINFO_WMEM_ALLOC: usize = 2;
/// `SK_MEMINFO_SNDBUF`: index 3.
pub const SK_MEMINFO_SNDBUF: usize = 3;
/// `SK_MEMINFO_FWD_ALLOC`: index 4.
pub const SK_MEMINFO_FWD_ALLOC: usize = 4;
/// `SK_MEMINFO_WMEM_QUEUED`: index 5.
pub const SK_MEMINFO_WMEM_QUEUED: usize = 5;
/// `SK_MEMINFO_OPTMEM`: index 6.
pub const SK_MEMINFO_OPTMEM: usize = 6;
/// `SK_MEMINFO_BACKLOG`: index 7.
pub const SK_MEMINFO_BACKLOG: usize = 7;
/// `SK_MEMINFO_DROPS`: index 8.
pub const SK_MEMINFO_DROPS: usize = 8;
/// `SK_MEMINFO_VARS`: the number of entries today's kernels send (9).
pub const SK_MEMINFO_VARS: usize = 9;

/// `__u32 mem[SK_MEMINFO_VARS]` (`<linux/sock_diag.h>`): the payload of
/// `INET_DIAG_SKMEMINFO` and `UNIX_DIAG_MEMINFO`, declared as a struct
/// whose fields are the `SK_MEMINFO_*` indices. The kernel has appended
/// entries over time (`SK_MEMINFO_BACKLOG` in 3.x, `SK_MEMINFO_DROPS` in
/// 4.x), so it is parsed as an extensible struct: [`SkMeminfoView`].
/// iproute2 `ss` prints it as `skmem:(r,rb,t,tb,f,w,o,bl,d)`.
#[nl_struct(
    name = "sk_meminfo",
    c_type = "__u32[SK_MEMINFO_VARS]",
    extensible(view = SkMeminfoView)
)]
pub struct SkMeminfo {
    /// `SK_MEMINFO_RMEM_ALLOC` (`ss` `r`): `sk_rmem_alloc`.
    #[nl(name = "SK_MEMINFO_RMEM_ALLOC")]
    pub rmem_alloc: U32<NE>,
    /// `SK_MEMINFO_RCVBUF` (`rb`): `sk_rcvbuf`.
    #[nl(name = "SK_MEMINFO_RCVBUF")]
    pub rcvbuf: U32<NE>,
    /// `SK_MEMINFO_WMEM_ALLOC` (`t`): `sk_wmem_alloc`.
    #[nl(name = "SK_MEMINFO_WMEM_ALLOC")]
    pub wmem_alloc: U32<NE>,
    /// `SK_MEMINFO_SNDBUF` (`tb`): `sk_sndbuf`.
    #[nl(name = "SK_MEMINFO_SNDBUF")]
    pub sndbuf: U32<NE>,
    /// `SK_MEMINFO_FWD_ALLOC` (`f`): `sk_forward_alloc`.
    #[nl(name = "SK_MEMINFO_FWD_ALLOC")]
    pub fwd_alloc: U32<NE>,
    /// `SK_MEMINFO_WMEM_QUEUED` (`w`): `sk_wmem_queued`.
    #[nl(name = "SK_MEMINFO_WMEM_QUEUED")]
    pub wmem_queued: U32<NE>,
    /// `SK_MEMINFO_OPTMEM` (`o`): `sk_omem_alloc`.
    #[nl(name = "SK_MEMINFO_OPTMEM")]
    pub optmem: U32<NE>,
    /// `SK_MEMINFO_BACKLOG` (`bl`): backlog length.
    #[nl(name = "SK_MEMINFO_BACKLOG")]
    pub backlog: U32<NE>,
    /// `SK_MEMINFO_DROPS` (`d`): `sk_drops`.
    #[nl(name = "SK_MEMINFO_DROPS")]
    pub drops: U32<NE>,
}

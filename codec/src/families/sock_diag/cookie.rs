//! Socket cookies: the `__u32[2]` of `idiag_cookie` / `udiag_cookie` /
//! `ndiag_cookie` / `pdiag_cookie` (`<linux/inet_diag.h>`).

use zerocopy::byteorder::U32;
use zerocopy::NativeEndian as NE;

/// The socket cookie of `idiag_cookie` / `udiag_cookie` (`__u32[2]`, host
/// order, low word first, as `sock_diag_save_cookie()` stores it) as one
/// number.
pub fn cookie_of(cookie: &[U32<NE>; 2]) -> u64 {
    let [lo, hi] = cookie;
    u64::from(lo.get()) | (u64::from(hi.get()) << 32)
}

/// The `__u32[2]` form of a socket cookie (see [`cookie_of`]).
pub fn cookie_words(cookie: u64) -> [U32<NE>; 2] {
    [U32::new(cookie as u32), U32::new((cookie >> 32) as u32)]
}

/// `INET_DIAG_NOCOOKIE` (`<linux/inet_diag.h>`): "no cookie" in both words.
pub const INET_DIAG_NOCOOKIE: u32 = !0;

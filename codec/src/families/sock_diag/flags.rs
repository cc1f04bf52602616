//! `sk_shutdown` bit names (`INET_DIAG_SHUTDOWN`, `UNIX_DIAG_SHUTDOWN`).
//! The generic flag payload, [`FlagBits`], lives in [`crate::flags`].

use crate::nl_flags;

pub use crate::flags::{FlagBits, FlagNames};

/// Bit names of `sk_shutdown` (`<net/sock.h>`), the payload of
/// `INET_DIAG_SHUTDOWN` and `UNIX_DIAG_SHUTDOWN`.
#[nl_flags(u8)]
pub enum ShutdownNames {
    /// `RCV_SHUTDOWN` (`<net/sock.h>`): the receive side is shut down.
    RCV_SHUTDOWN = 1,
    /// `SEND_SHUTDOWN` (`<net/sock.h>`): the send side is shut down.
    SEND_SHUTDOWN = 2,
}

/// `sk->sk_shutdown` as sent in `INET_DIAG_SHUTDOWN` / `UNIX_DIAG_SHUTDOWN`
/// (`nla_put_u8`): `RCV_SHUTDOWN | SEND_SHUTDOWN` bits.
pub type Shutdown = FlagBits<u8, ShutdownNames>;

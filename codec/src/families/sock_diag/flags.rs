//! A host-order integer attribute whose bits have kernel names
//! (`INET_DIAG_SHUTDOWN`, `UNIX_DIAG_SHUTDOWN`, `MPTCP_SUBFLOW_ATTR_FLAGS`):
//! parsed and emitted as the integer, walked as [`Value::Flags`].

use core::marker::PhantomData;

use crate::payload::Payload;
use crate::value::{Scalar, Value, Visitor};
use crate::{nl_flags, Mode, Result};

/// The table of bit names of a [`FlagBits`] payload (declared with
/// [`nl_flags`](crate::nl_flags)).
pub use crate::value::FlagNames;

/// An integer payload of type `T` (`u8`, `u32`, …) whose bits are named by
/// `N`. Unknown bits are kept (and shown as a number by printers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct FlagBits<T, N> {
    /// The integer as received.
    pub bits: T,
    _names: PhantomData<N>,
}

impl<T: Scalar + Copy, N: FlagNames> FlagBits<T, N> {
    /// Flags with these bits.
    pub const fn new(bits: T) -> Self {
        FlagBits {
            bits,
            _names: PhantomData,
        }
    }
    /// `true` if every bit of `mask` is set.
    pub fn contains(&self, mask: u64) -> bool {
        self.bits.to_u64() & mask == mask
    }
}

impl<'a, T, N> Payload<'a> for FlagBits<T, N>
where
    T: Payload<'a> + Scalar + Copy,
    N: FlagNames,
{
    const FIXED_SIZE: Option<usize> = T::FIXED_SIZE;
    fn parse(bytes: &'a [u8], mode: Mode) -> Result<Self> {
        T::parse(bytes, mode).map(Self::new)
    }
    fn len(&self) -> usize {
        self.bits.len()
    }
    fn write(&self, buf: &mut [u8]) {
        self.bits.write(buf);
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.field(
            name,
            Value::Flags {
                raw: self.bits.to_u64(),
                names: N::NAMES,
            },
        );
    }
    fn swap_order(bytes: &mut [u8]) {
        T::swap_order(bytes);
    }
}

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

//! `struct nla_bitfield32` (`<linux/netlink.h>`): the payload of YNL
//! `bitfield32` attributes (the kernel's `NLA_BITFIELD32`:
//! `TCA_ACT_FLAGS`, `RTA_*` flag masks, devlink, …).

use zerocopy::byteorder::U32;
use zerocopy::NativeEndian as NE;

use crate::nl_struct;

/// `struct nla_bitfield32`: the bits to set and which of them the sender
/// means (`selector`); bits outside `selector` are ignored by the kernel.
/// An attribute holds it as `&'a NlaBitfield32` (exactly 8 bytes in strict
/// mode).
///
/// ```c
/// struct nla_bitfield32 {
///     __u32 value;
///     __u32 selector;
/// };
/// ```
#[nl_struct(name = "nla_bitfield32")]
pub struct NlaBitfield32 {
    /// `value`: the bits.
    pub value: U32<NE>,
    /// `selector`: which bits of `value` are meant.
    pub selector: U32<NE>,
}

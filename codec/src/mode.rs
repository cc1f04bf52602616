//! Lenient and strict parsing.

/// How strictly to parse.
///
/// * **Lenient** (the default, what the kernel and iproute2 `ss` accept):
///   unknown attributes and message types are kept as `Unknown`, trailing bytes
///   after the last element are tolerated, padding is not checked. Tolerated
///   is not hidden: bytes the kernel skips stay reachable (after the last
///   message: `Messages::remaining()`; after an `NLMSG_DONE` or
///   `NLMSG_ERROR` without `NLM_F_ACK_TLVS`: their `trailing`, which the
///   walk shows and reports as an `ErrorKind::Trailing` error).
/// * **Strict** (for validation and the fuzzer's round-trip target): unknown
///   kinds, trailing bytes and non-zero padding are errors, and so are
///   attribute flag bits (`NLA_F_NESTED`, `NLA_F_NET_BYTEORDER`) other than
///   the declared ones and nested sets deeper than [`crate::MAX_NEST_DEPTH`]
///   (validated up front, with bounded recursion). What strict mode accepts,
///   the builder writes back byte for byte (except an unpadded last
///   attribute, which it pads).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Accept what the kernel accepts.
    #[default]
    Lenient,
    /// Reject anything not canonical.
    Strict,
}

impl Mode {
    /// `true` for [`Mode::Strict`].
    pub const fn is_strict(self) -> bool {
        matches!(self, Mode::Strict)
    }
}

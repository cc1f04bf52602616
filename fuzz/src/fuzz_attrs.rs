//! `FuzzAttr`: a test attribute set with one kind per payload type,
//! nesting itself.

#[allow(unused_imports)]
use super::*;

/// A test attribute set with one kind per payload type, nesting itself.
#[attribute_set(name = "fuzz_attrs")]
pub enum FuzzAttr<'a> {
    /// Nested, recursively.
    #[nl(kind = 1, name = "FUZZ_NEST", flags = NLA_F_NESTED)]
    Nest(Nested<'a, FuzzAttr<'a>>),
    /// `u8`.
    #[nl(kind = 2, name = "FUZZ_U8")]
    U8(u8),
    /// `u16`.
    #[nl(kind = 3, name = "FUZZ_U16")]
    U16(u16),
    /// `u32`.
    #[nl(kind = 4, name = "FUZZ_U32")]
    U32(u32),
    /// `u64`.
    #[nl(kind = 5, name = "FUZZ_U64")]
    U64(u64),
    /// `i32`.
    #[nl(kind = 6, name = "FUZZ_I32")]
    I32(i32),
    /// `i64`.
    #[nl(kind = 7, name = "FUZZ_I64")]
    I64(i64),
    /// `__be16`.
    #[nl(kind = 8, name = "FUZZ_BE16")]
    Be16(U16<BigEndian>),
    /// `__be32`.
    #[nl(kind = 9, name = "FUZZ_BE32")]
    Be32(U32<BigEndian>),
    /// A C string.
    #[nl(kind = 10, name = "FUZZ_STR")]
    Str(NulStr<'a>),
    /// Bytes.
    #[nl(kind = 11, name = "FUZZ_BYTES")]
    Bytes(Bytes<'a>),
    /// A flag.
    #[nl(kind = 12, name = "FUZZ_FLAG")]
    Flag(Flag),
    /// `__u32[]`.
    #[nl(kind = 13, name = "FUZZ_ARRAY")]
    Array(Array<'a, U32<NativeEndian>>),
    /// A wire struct.
    #[nl(kind = 14, name = "FUZZ_HDR")]
    Hdr(&'a NlMsgHdr),
    /// Another declared set, nested.
    #[nl(kind = 15, name = "FUZZ_EXT_ACK", flags = NLA_F_NESTED)]
    ExtAck(Nested<'a, ExtAckAttr<'a>>),
    /// `i32` in host order, zerocopy.
    #[nl(kind = 16, name = "FUZZ_ZC_I32")]
    ZcI32(I32<NativeEndian>),
}

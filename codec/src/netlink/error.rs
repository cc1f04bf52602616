//! `struct nlmsgerr` (`NLMSG_ERROR`, also the ACK) and `NLMSG_DONE`, with the
//! extended ACK of `<linux/netlink.h>` (`enum nlmsgerr_attrs`).
//!
//! ```c
//! struct nlmsgerr {
//!     int error;              /* negative errno or 0 for an ACK */
//!     struct nlmsghdr msg;    /* the request's header */
//!     /* followed by the request's payload unless NLM_F_CAPPED,
//!      * then extended-ACK TLVs if NLM_F_ACK_TLVS */
//! };
//! ```

use zerocopy::byteorder::I32;
use zerocopy::NativeEndian as NE;

use super::attr::{Attrs, Nested};
use super::builder::{Builder, Sink};
use super::header::{nlmsg_align, NlMsgHdr, NLM_F_ACK_TLVS, NLM_F_CAPPED};
use crate::payload::NulStr;
use crate::value::{Value, Visitor, Walk};
use crate::wire::WireStruct;
use crate::{attribute_set, nl_struct, open_enum, Error, ErrorKind, Mode, Result};

/// The fixed part of `struct nlmsgerr`: `int error` and the echoed header.
#[nl_struct(name = "nlmsgerr")]
pub struct NlMsgErrHdr {
    /// `error`: a negative errno, or 0 for an ACK.
    pub error: I32<NE>,
    /// `msg`: the header of the request that caused it.
    pub msg: NlMsgHdr,
}

/// Extended-ACK attributes (`enum nlmsgerr_attrs`).
#[attribute_set(name = "nlmsgerr_attrs")]
pub enum ExtAckAttr<'a> {
    /// `NLMSGERR_ATTR_MSG`: error message string.
    #[nl(kind = 1, name = "NLMSGERR_ATTR_MSG")]
    Msg(NulStr<'a>),
    /// `NLMSGERR_ATTR_OFFS`: offset of the invalid attribute in the original
    /// message, counting from the start of its `nlmsghdr`.
    #[nl(kind = 2, name = "NLMSGERR_ATTR_OFFS")]
    Offs(u32),
    /// `NLMSGERR_ATTR_COOKIE`: arbitrary subsystem-specific cookie.
    #[nl(kind = 3, name = "NLMSGERR_ATTR_COOKIE")]
    Cookie(crate::payload::Bytes<'a>),
    /// `NLMSGERR_ATTR_POLICY`: policy for a rejected attribute (nested).
    #[nl(kind = 4, name = "NLMSGERR_ATTR_POLICY", flags = super::attr::NLA_F_NESTED)]
    Policy(Nested<'a, PolicyAttr<'a>>),
    /// `NLMSGERR_ATTR_MISS_TYPE`: type of a missing required attribute.
    #[nl(kind = 5, name = "NLMSGERR_ATTR_MISS_TYPE")]
    MissType(u32),
    /// `NLMSGERR_ATTR_MISS_NEST`: offset of the nest where an attribute was missing.
    #[nl(kind = 6, name = "NLMSGERR_ATTR_MISS_NEST")]
    MissNest(u32),
}

/// `enum netlink_attribute_type` (`<linux/netlink.h>`): what kind of
/// attribute a policy describes (`NL_POLICY_TYPE_ATTR_TYPE`, in an extended
/// ACK's `NLMSGERR_ATTR_POLICY` and in the controller's policy dumps).
/// `NL_ATTR_TYPE_SINT` and `NL_ATTR_TYPE_UINT` are Linux 6.8.
#[open_enum(u32)]
pub enum NlAttrType {
    /// `NL_ATTR_TYPE_INVALID`: unused.
    #[nl(name = "NL_ATTR_TYPE_INVALID")]
    Invalid = 0,
    /// `NL_ATTR_TYPE_FLAG`: present or not.
    #[nl(name = "NL_ATTR_TYPE_FLAG")]
    Flag = 1,
    /// `NL_ATTR_TYPE_U8`.
    #[nl(name = "NL_ATTR_TYPE_U8")]
    U8 = 2,
    /// `NL_ATTR_TYPE_U16`.
    #[nl(name = "NL_ATTR_TYPE_U16")]
    U16 = 3,
    /// `NL_ATTR_TYPE_U32`.
    #[nl(name = "NL_ATTR_TYPE_U32")]
    U32 = 4,
    /// `NL_ATTR_TYPE_U64`.
    #[nl(name = "NL_ATTR_TYPE_U64")]
    U64 = 5,
    /// `NL_ATTR_TYPE_S8`.
    #[nl(name = "NL_ATTR_TYPE_S8")]
    S8 = 6,
    /// `NL_ATTR_TYPE_S16`.
    #[nl(name = "NL_ATTR_TYPE_S16")]
    S16 = 7,
    /// `NL_ATTR_TYPE_S32`.
    #[nl(name = "NL_ATTR_TYPE_S32")]
    S32 = 8,
    /// `NL_ATTR_TYPE_S64`.
    #[nl(name = "NL_ATTR_TYPE_S64")]
    S64 = 9,
    /// `NL_ATTR_TYPE_BINARY`: bytes, with length limits.
    #[nl(name = "NL_ATTR_TYPE_BINARY")]
    Binary = 10,
    /// `NL_ATTR_TYPE_STRING`: a string, with length limits.
    #[nl(name = "NL_ATTR_TYPE_STRING")]
    String = 11,
    /// `NL_ATTR_TYPE_NUL_STRING`: a NUL-terminated string.
    #[nl(name = "NL_ATTR_TYPE_NUL_STRING")]
    NulString = 12,
    /// `NL_ATTR_TYPE_NESTED`: attributes of one policy.
    #[nl(name = "NL_ATTR_TYPE_NESTED")]
    Nested = 13,
    /// `NL_ATTR_TYPE_NESTED_ARRAY`: an array of nests of one policy.
    #[nl(name = "NL_ATTR_TYPE_NESTED_ARRAY")]
    NestedArray = 14,
    /// `NL_ATTR_TYPE_BITFIELD32`: `struct nla_bitfield32`.
    #[nl(name = "NL_ATTR_TYPE_BITFIELD32")]
    Bitfield32 = 15,
    /// `NL_ATTR_TYPE_SINT`: a signed integer of 4 or 8 bytes.
    #[nl(name = "NL_ATTR_TYPE_SINT")]
    Sint = 16,
    /// `NL_ATTR_TYPE_UINT`: an unsigned integer of 4 or 8 bytes.
    #[nl(name = "NL_ATTR_TYPE_UINT")]
    Uint = 17,
}

/// Policy description attributes (`enum netlink_policy_type_attr`), the
/// contents of `NLMSGERR_ATTR_POLICY`.
#[attribute_set(name = "netlink_policy_type_attr")]
pub enum PolicyAttr<'a> {
    /// `NL_POLICY_TYPE_ATTR_TYPE`: `enum netlink_attribute_type` (u32).
    #[nl(kind = 1, name = "NL_POLICY_TYPE_ATTR_TYPE")]
    Type(crate::flags::EnumVal<u32, NlAttrType>),
    /// `NL_POLICY_TYPE_ATTR_MIN_VALUE_S`.
    #[nl(kind = 2, name = "NL_POLICY_TYPE_ATTR_MIN_VALUE_S")]
    MinValueS(i64),
    /// `NL_POLICY_TYPE_ATTR_MAX_VALUE_S`.
    #[nl(kind = 3, name = "NL_POLICY_TYPE_ATTR_MAX_VALUE_S")]
    MaxValueS(i64),
    /// `NL_POLICY_TYPE_ATTR_MIN_VALUE_U`.
    #[nl(kind = 4, name = "NL_POLICY_TYPE_ATTR_MIN_VALUE_U")]
    MinValueU(u64),
    /// `NL_POLICY_TYPE_ATTR_MAX_VALUE_U`.
    #[nl(kind = 5, name = "NL_POLICY_TYPE_ATTR_MAX_VALUE_U")]
    MaxValueU(u64),
    /// `NL_POLICY_TYPE_ATTR_MIN_LENGTH`.
    #[nl(kind = 6, name = "NL_POLICY_TYPE_ATTR_MIN_LENGTH")]
    MinLength(u32),
    /// `NL_POLICY_TYPE_ATTR_MAX_LENGTH`.
    #[nl(kind = 7, name = "NL_POLICY_TYPE_ATTR_MAX_LENGTH")]
    MaxLength(u32),
    /// `NL_POLICY_TYPE_ATTR_POLICY_IDX`.
    #[nl(kind = 8, name = "NL_POLICY_TYPE_ATTR_POLICY_IDX")]
    PolicyIdx(u32),
    /// `NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE`.
    #[nl(kind = 9, name = "NL_POLICY_TYPE_ATTR_POLICY_MAXTYPE")]
    PolicyMaxtype(u32),
    /// `NL_POLICY_TYPE_ATTR_BITFIELD32_MASK`.
    #[nl(kind = 10, name = "NL_POLICY_TYPE_ATTR_BITFIELD32_MASK")]
    Bitfield32Mask(u32),
    /// `NL_POLICY_TYPE_ATTR_PAD`.
    #[nl(kind = 11, name = "NL_POLICY_TYPE_ATTR_PAD")]
    Pad(crate::payload::Bytes<'a>),
    /// `NL_POLICY_TYPE_ATTR_MASK`.
    #[nl(kind = 12, name = "NL_POLICY_TYPE_ATTR_MASK")]
    Mask(u64),
}

/// A decoded `NLMSG_ERROR` message (error or ACK).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NlMsgErr<'a> {
    /// `error`: negative errno, 0 for an ACK.
    pub error: i32,
    /// The echoed request header.
    pub request: &'a NlMsgHdr,
    /// The echoed request payload (empty when `NLM_F_CAPPED`); may be shorter
    /// than the request's `nlmsg_len` says if the sender truncated it.
    pub request_payload: &'a [u8],
    /// `NLM_F_CAPPED` was set.
    pub capped: bool,
    /// The extended-ACK attributes (empty unless `NLM_F_ACK_TLVS`).
    pub ext_ack: &'a [u8],
    /// Lenient mode: bytes after the (padded) echo of a message without
    /// `NLM_F_ACK_TLVS`, which the kernel never sends and readers skip.
    /// Never hidden: the walk shows them as `trailing` and reports them as
    /// an [`ErrorKind::Trailing`] error; strict parsing refuses them.
    pub trailing: &'a [u8],
    ext_ack_offset: usize,
    /// Offset of `ext_ack` / `trailing` in the payload.
    tlv_start: usize,
    mode: Mode,
}

impl<'a> NlMsgErr<'a> {
    /// Decode the payload of an `NLMSG_ERROR` whose header had `nlmsg_flags`.
    /// Error offsets (returned, and reported by the walk) count from the
    /// start of `payload`; see [`NlMsgErr::parse_at`].
    pub fn parse(payload: &'a [u8], nlmsg_flags: u16, mode: Mode) -> Result<Self> {
        Self::parse_at(payload, 0, nlmsg_flags, mode)
    }

    /// As [`NlMsgErr::parse`], for a payload found at offset `base` of the
    /// outermost buffer (a frame): every error offset, the walk's included,
    /// counts from there.
    pub fn parse_at(payload: &'a [u8], base: usize, nlmsg_flags: u16, mode: Mode) -> Result<Self> {
        Self::parse_rel(payload, nlmsg_flags, mode)
            .map(|mut e| {
                e.ext_ack_offset = e.ext_ack_offset.saturating_add(base);
                e
            })
            .map_err(|e| e.at(base))
    }

    fn parse_rel(payload: &'a [u8], nlmsg_flags: u16, mode: Mode) -> Result<Self> {
        let (fixed, _) = NlMsgErrHdr::parse(payload)?;
        let capped = nlmsg_flags & NLM_F_CAPPED != 0;
        let after = NlMsgErrHdr::SIZE;
        let req_len = fixed.msg.nlmsg_len.get() as usize;
        let echo_payload_len = if capped {
            0
        } else {
            req_len.saturating_sub(16)
        };
        let avail = payload.len().saturating_sub(after);
        let has_tlvs = nlmsg_flags & NLM_F_ACK_TLVS != 0;
        let echo_len = if echo_payload_len > avail {
            if mode.is_strict() || has_tlvs {
                return Err(Error::new(
                    ErrorKind::LengthPastEnd,
                    "nlmsgerr.msg.nlmsg_len",
                    req_len,
                    avail.saturating_add(16),
                )
                .at(4));
            }
            // Lenient: the echo was cut short; keep what is there.
            avail
        } else {
            echo_payload_len
        };
        let request_payload = payload
            .get(after..after.saturating_add(echo_len))
            .unwrap_or_default();
        let echo_end = after.saturating_add(echo_len);
        let tlv_start = nlmsg_align(echo_end).min(payload.len());
        if mode.is_strict() {
            let pad = payload.get(echo_end..tlv_start).unwrap_or_default();
            if pad.iter().any(|&b| b != 0) {
                return Err(
                    Error::new(ErrorKind::NonZeroPad, "nlmsgerr padding", 0, pad.len())
                        .at(echo_end),
                );
            }
        }
        let rest = payload.get(tlv_start..).unwrap_or_default();
        let (ext_ack, trailing) = if has_tlvs {
            (rest, &[][..])
        } else {
            (&[][..], rest)
        };
        if !has_tlvs && mode.is_strict() && !rest.is_empty() {
            return Err(
                Error::new(ErrorKind::Trailing, "nlmsgerr", tlv_start, payload.len()).at(tlv_start),
            );
        }
        Ok(NlMsgErr {
            error: fixed.error.get(),
            request: &fixed.msg,
            request_payload,
            capped,
            ext_ack,
            trailing,
            ext_ack_offset: tlv_start,
            tlv_start,
            mode,
        })
    }

    /// `true` for an ACK (error 0).
    pub const fn is_ack(&self) -> bool {
        self.error == 0
    }

    /// The extended-ACK attributes.
    pub fn ext_ack(&self) -> Attrs<'a, ExtAckAttr<'a>> {
        Attrs::with(self.ext_ack, self.ext_ack_offset, self.mode)
    }

    /// Write the payload back into an open message of `b`: `error`, the
    /// echoed header and payload (zero padding as received), then the
    /// extended ACK and any lenient-mode trailing bytes as received (the
    /// attributes are kept as bytes, as a nest is: they are decoded lazily,
    /// and parsing, even strict, does not validate them). For a payload that
    /// decodes in strict mode the bytes are the ones decoded.
    pub fn emit<S: Sink>(&self, b: &mut Builder<S>) -> Result<()> {
        b.put_struct(&NlMsgErrHdr {
            error: I32::new(self.error),
            msg: *self.request,
        })?;
        b.put_bytes(self.request_payload)?;
        // The padding as received: up to the 4-byte boundary, or to the end
        // of a payload that stops before it.
        let echo_end = NlMsgErrHdr::SIZE.saturating_add(self.request_payload.len());
        let pad = self.tlv_start.saturating_sub(echo_end);
        b.put_bytes([0u8; 3].get(..pad).unwrap_or_default())?;
        b.put_bytes(self.ext_ack)?;
        b.put_bytes(self.trailing)
    }

    /// `NLMSGERR_ATTR_MSG`, if present.
    pub fn message(&self) -> Option<&'a [u8]> {
        self.ext_ack().find_map(|a| match a {
            Ok(ExtAckAttr::Msg(s)) => Some(s.to_bytes()),
            _ => None,
        })
    }
}

impl Walk for NlMsgErr<'_> {
    fn walk(&self, v: &mut dyn Visitor) {
        v.field(
            "error",
            Value::Enum {
                raw: i64::from(self.error) as u64,
                name: errno_name(self.error),
            },
        );
        v.begin("msg");
        self.request.walk(v);
        v.end();
        if !self.request_payload.is_empty() {
            v.field("payload", Value::Bytes(self.request_payload));
        }
        if !self.ext_ack.is_empty() {
            v.begin("ext_ack");
            super::attr::walk_attrs(self.ext_ack(), v);
            v.end();
        }
        walk_trailing(
            "nlmsgerr",
            self.trailing,
            self.ext_ack_offset,
            self.tlv_start,
            v,
        );
    }
}

/// Report bytes the kernel would skip: as a `trailing` field and as an
/// [`ErrorKind::Trailing`] error at `offset`, the error strict parsing
/// returns (`needed`: the payload bytes up to them, `present`: the payload's
/// length), so nothing is hidden and the message counts as malformed.
fn walk_trailing(
    what: &'static str,
    trailing: &[u8],
    offset: usize,
    needed: usize,
    v: &mut dyn Visitor,
) {
    if trailing.is_empty() {
        return;
    }
    v.field("trailing", Value::Bytes(trailing));
    let present = needed.saturating_add(trailing.len());
    v.error(Error::new(ErrorKind::Trailing, what, needed, present).at(offset));
}

/// A decoded `NLMSG_DONE`: `int` error (absent in 16-byte DONE messages) and
/// optional extended ACK.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NlMsgDone<'a> {
    /// The `int` after the header (0, or a negative errno if the dump failed);
    /// `None` if the message had no payload.
    pub error: Option<i32>,
    /// Extended-ACK attributes (when `NLM_F_ACK_TLVS`).
    pub ext_ack: &'a [u8],
    /// Lenient mode: bytes after the `int` of a message without
    /// `NLM_F_ACK_TLVS` (the kernel never sends them). Never hidden: the
    /// walk shows them as `trailing` and reports them as an
    /// [`ErrorKind::Trailing`] error; strict parsing refuses them.
    pub trailing: &'a [u8],
    ext_ack_offset: usize,
    mode: Mode,
}

impl<'a> NlMsgDone<'a> {
    /// Decode the payload of an `NLMSG_DONE` whose header had `nlmsg_flags`.
    /// Error offsets (returned, and reported by the walk) count from the
    /// start of `payload`; see [`NlMsgDone::parse_at`].
    pub fn parse(payload: &'a [u8], nlmsg_flags: u16, mode: Mode) -> Result<Self> {
        Self::parse_at(payload, 0, nlmsg_flags, mode)
    }

    /// As [`NlMsgDone::parse`], for a payload found at offset `base` of the
    /// outermost buffer (a frame): every error offset, the walk's included,
    /// counts from there.
    pub fn parse_at(payload: &'a [u8], base: usize, nlmsg_flags: u16, mode: Mode) -> Result<Self> {
        if payload.is_empty() {
            return Ok(NlMsgDone {
                error: None,
                ext_ack: &[],
                trailing: &[],
                ext_ack_offset: base,
                mode,
            });
        }
        let (err, rest) = <I32<NE> as zerocopy::FromBytes>::read_from_prefix(payload)
            .map_err(|_| Error::short("NLMSG_DONE error", 4, payload.len()).at(base))?;
        let has_tlvs = nlmsg_flags & NLM_F_ACK_TLVS != 0;
        if !has_tlvs && mode.is_strict() && !rest.is_empty() {
            return Err(
                Error::new(ErrorKind::Trailing, "NLMSG_DONE", 4, payload.len())
                    .at(base.saturating_add(4)),
            );
        }
        let (ext_ack, trailing) = if has_tlvs {
            (rest, &[][..])
        } else {
            (&[][..], rest)
        };
        Ok(NlMsgDone {
            error: Some(err.get()),
            ext_ack,
            trailing,
            ext_ack_offset: base.saturating_add(4),
            mode,
        })
    }
    /// The extended-ACK attributes.
    pub fn ext_ack(&self) -> Attrs<'a, ExtAckAttr<'a>> {
        Attrs::with(self.ext_ack, self.ext_ack_offset, self.mode)
    }

    /// Write the payload back into an open message of `b`: the `int`
    /// (nothing for a 16-byte `NLMSG_DONE`), then the extended ACK and any
    /// lenient-mode trailing bytes as received.
    pub fn emit<S: Sink>(&self, b: &mut Builder<S>) -> Result<()> {
        if let Some(e) = self.error {
            b.put_bytes(&e.to_ne_bytes())?;
        }
        b.put_bytes(self.ext_ack)?;
        b.put_bytes(self.trailing)
    }
}

impl Walk for NlMsgDone<'_> {
    fn walk(&self, v: &mut dyn Visitor) {
        if let Some(e) = self.error {
            v.field(
                "error",
                Value::Enum {
                    raw: i64::from(e) as u64,
                    name: errno_name(e),
                },
            );
        }
        if !self.ext_ack.is_empty() {
            v.begin("ext_ack");
            super::attr::walk_attrs(self.ext_ack(), v);
            v.end();
        }
        walk_trailing("NLMSG_DONE", self.trailing, self.ext_ack_offset, 4, v);
    }
}

/// The symbolic name of a (negative or positive) errno, Linux numbering.
pub fn errno_name(err: i32) -> Option<&'static str> {
    let n = err.unsigned_abs();
    ERRNO_NAMES.iter().find(|(v, _)| *v == n).map(|(_, s)| *s)
}

/// Linux errno numbers (asm-generic/errno-base.h, errno.h) with names.
pub const ERRNO_NAMES: &[(u32, &str)] = &[
    (0, "OK"),
    (1, "EPERM"),
    (2, "ENOENT"),
    (3, "ESRCH"),
    (4, "EINTR"),
    (5, "EIO"),
    (6, "ENXIO"),
    (7, "E2BIG"),
    (8, "ENOEXEC"),
    (9, "EBADF"),
    (10, "ECHILD"),
    (11, "EAGAIN"),
    (12, "ENOMEM"),
    (13, "EACCES"),
    (14, "EFAULT"),
    (15, "ENOTBLK"),
    (16, "EBUSY"),
    (17, "EEXIST"),
    (18, "EXDEV"),
    (19, "ENODEV"),
    (20, "ENOTDIR"),
    (21, "EISDIR"),
    (22, "EINVAL"),
    (23, "ENFILE"),
    (24, "EMFILE"),
    (25, "ENOTTY"),
    (26, "ETXTBSY"),
    (27, "EFBIG"),
    (28, "ENOSPC"),
    (29, "ESPIPE"),
    (30, "EROFS"),
    (31, "EMLINK"),
    (32, "EPIPE"),
    (33, "EDOM"),
    (34, "ERANGE"),
    (35, "EDEADLK"),
    (36, "ENAMETOOLONG"),
    (37, "ENOLCK"),
    (38, "ENOSYS"),
    (39, "ENOTEMPTY"),
    (40, "ELOOP"),
    (42, "ENOMSG"),
    (43, "EIDRM"),
    (61, "ENODATA"),
    (62, "ETIME"),
    (71, "EPROTO"),
    (74, "EBADMSG"),
    (75, "EOVERFLOW"),
    (84, "EILSEQ"),
    (88, "ENOTSOCK"),
    (89, "EDESTADDRREQ"),
    (90, "EMSGSIZE"),
    (91, "EPROTOTYPE"),
    (92, "ENOPROTOOPT"),
    (93, "EPROTONOSUPPORT"),
    (94, "ESOCKTNOSUPPORT"),
    (95, "EOPNOTSUPP"),
    (96, "EPFNOSUPPORT"),
    (97, "EAFNOSUPPORT"),
    (98, "EADDRINUSE"),
    (99, "EADDRNOTAVAIL"),
    (100, "ENETDOWN"),
    (101, "ENETUNREACH"),
    (102, "ENETRESET"),
    (103, "ECONNABORTED"),
    (104, "ECONNRESET"),
    (105, "ENOBUFS"),
    (106, "EISCONN"),
    (107, "ENOTCONN"),
    (108, "ESHUTDOWN"),
    (110, "ETIMEDOUT"),
    (111, "ECONNREFUSED"),
    (112, "EHOSTDOWN"),
    (113, "EHOSTUNREACH"),
    (114, "EALREADY"),
    (115, "EINPROGRESS"),
    (116, "ESTALE"),
    (122, "EDQUOT"),
    (125, "ECANCELED"),
    (524, "ENOTSUPP"),
];

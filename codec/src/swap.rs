//! Netlink bytes from a host of the other byte order.
//!
//! Netlink carries host-order integers (`__u32 nlmsg_len`, `__u16 nla_len`,
//! `__u32 idiag_inode`, …) and a capture file does not record which order the
//! capturing host used (see [`crate::nlmon`]). [`detect_order`] guesses it
//! from the lengths, as the kernel's `NLMSG_OK` would judge them, and
//! [`swap_message`] converts a buffer of messages in the other order into this
//! host's order in place, so the ordinary zero-copy parsers can read it:
//!
//! * every `nlmsghdr`;
//! * `NLMSG_ERROR`: `error`, the echoed `nlmsghdr`, the echoed request's
//!   payload (as a message of the same family) and the extended-ACK TLVs;
//!   `NLMSG_DONE`: the `int` and its extended-ACK TLVs;
//! * every attribute header (`nla_len`, `nla_type`), and the payloads of
//!   attributes whose kind the family's declared set knows (through
//!   [`AttributeSet::swap_payload`](crate::netlink::AttributeSet::swap_payload), [`Payload::swap_order`](crate::payload::Payload::swap_order));
//! * every other message by its family's message table in the
//!   [`Registry`]: the body its row picks
//!   converts its fixed header through [`WireStruct::swap_order`] and its
//!   attributes through their declarations (a payload type with its own
//!   layout, such as a bytecode program, converts itself).
//!
//! The conversions of the built-in families are tested in
//! `codec/tests/swap_families.rs`.
//!
//! Payloads the codec does not know (unknown attribute kinds, unknown
//! families) are left as captured: there is no telling which of their bytes
//! are integers. Network-order (`__be16`) fields are never touched.
//!
//! ```
//! use nlwire::swap::{detect_order, swap_message, ByteOrder};
//! // NLMSG_DONE (type 3) captured on a big-endian host.
//! let mut b = [0, 0, 0, 0x14, 0, 3, 0, 2, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 0];
//! assert_eq!(detect_order(&b), ByteOrder::Big);
//! if ByteOrder::HOST != ByteOrder::Big {
//!     swap_message(4, &mut b);
//!     assert_eq!(u32::from_ne_bytes([b[0], b[1], b[2], b[3]]), 20);
//! }
//! ```

use byteorder::{ByteOrder as _, NativeEndian};

use crate::family_ids::FamilyIds;
use crate::netlink::{
    nlmsg_align, swap_attr_stream, ExtAckAttr, NlMsgErrHdr, NlMsgHdr, NlMsgType, Selectors,
    NLMSG_HDRLEN, NLM_F_ACK_TLVS, NLM_F_CAPPED, NLM_F_REQUEST,
};
use crate::registry::Registry;
use crate::wire::WireStruct;

/// The byte order of a buffer of netlink messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ByteOrder {
    /// Little-endian (x86, most ARM).
    Little,
    /// Big-endian (s390x, some PowerPC and MIPS).
    Big,
}

impl ByteOrder {
    /// This host's byte order.
    pub const HOST: ByteOrder = if cfg!(target_endian = "big") {
        ByteOrder::Big
    } else {
        ByteOrder::Little
    };

    /// The other order.
    pub const fn other(self) -> ByteOrder {
        match self {
            ByteOrder::Little => ByteOrder::Big,
            ByteOrder::Big => ByteOrder::Little,
        }
    }

    /// `"little"` or `"big"`.
    pub const fn name(self) -> &'static str {
        match self {
            ByteOrder::Little => "little",
            ByteOrder::Big => "big",
        }
    }

    fn read_u32(self, b: &[u8]) -> Option<u32> {
        let a: [u8; 4] = b.get(..4)?.try_into().ok()?;
        Some(match self {
            ByteOrder::Little => u32::from_le_bytes(a),
            ByteOrder::Big => u32::from_be_bytes(a),
        })
    }
}

/// How well the message lengths of a buffer read in one byte order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Fit {
    /// Every byte is covered by valid messages (the last may be unpadded).
    complete: bool,
    /// Bytes covered by valid messages.
    covered: usize,
}

fn fit(bytes: &[u8], order: ByteOrder) -> Fit {
    let mut pos = 0usize;
    loop {
        let rest = bytes.get(pos..).unwrap_or_default();
        if rest.is_empty() {
            return Fit {
                complete: true,
                covered: pos,
            };
        }
        let len = order.read_u32(rest).map_or(0, |l| l as usize);
        if rest.len() < NLMSG_HDRLEN || len < NLMSG_HDRLEN || len > rest.len() {
            return Fit {
                complete: false,
                covered: pos,
            };
        }
        pos = pos.saturating_add(nlmsg_align(len).min(rest.len()));
    }
}

/// Guess the byte order of a buffer of netlink messages: the order in which
/// the `nlmsg_len` fields walk the whole buffer as the kernel's `NLMSG_OK` /
/// `NLMSG_NEXT` would; failing that, the order that walks further. Ties go
/// to this host's order ([`ByteOrder::HOST`]).
pub fn detect_order(bytes: &[u8]) -> ByteOrder {
    let host = fit(bytes, ByteOrder::HOST);
    let other = fit(bytes, ByteOrder::HOST.other());
    if other > host {
        ByteOrder::HOST.other()
    } else {
        ByteOrder::HOST
    }
}

/// Convert a buffer of netlink messages of `family` (`NETLINK_*`) captured
/// on a host of the *other* byte order into this host's order, in place.
///
/// Walks the messages reading each `nlmsg_len` in the other order; a message
/// whose length is invalid has its header converted (so a decoder reports
/// the length as the sender meant it) and ends the walk. Never panics, for
/// any input.
pub fn swap_message(family: u16, bytes: &mut [u8]) {
    swap_message_with(&Registry::DEFAULT, family, bytes);
}

/// [`swap_message`] with the families of `registry`.
pub fn swap_message_with(registry: &Registry, family: u16, bytes: &mut [u8]) {
    swap_message_ids(registry, None, family, bytes);
}

/// [`swap_message_with`], knowing the run-time message types learned
/// before these bytes ([`FamilyIds`]): a message of a learned and declared
/// sub-family (a generic netlink family) converts as that family's table
/// says, not as the protocol's fixed entry's default. Ids announced within
/// `bytes` are not learned here (learn them from the converted bytes).
pub fn swap_message_ids(
    registry: &Registry,
    ids: Option<&FamilyIds>,
    family: u16,
    bytes: &mut [u8],
) {
    swap_message_in(registry, ids, family, bytes, &|_| Selectors::EMPTY);
}

/// [`swap_message_ids`], knowing what the requests of the replies in
/// `bytes` said: `context(nlmsg_seq)` gives the sub-message selectors of
/// the request a reply answers ([`FamilyEntry::context`] of that request,
/// as [`crate::decode::Decoded::request_context`] gives it), so that a
/// payload the reply does not describe itself converts as the variant the
/// request picked, not as the sub-message's default variant. Requests
/// convert without context.
///
/// [`FamilyEntry::context`]: crate::registry::FamilyEntry::context
pub fn swap_message_in(
    registry: &Registry,
    ids: Option<&FamilyIds>,
    family: u16,
    bytes: &mut [u8],
    context: &dyn Fn(u32) -> Selectors<'static>,
) {
    let cx = Swap {
        registry,
        ids,
        context,
    };
    let mut pos = 0usize;
    loop {
        let Some(rest) = bytes.get_mut(pos..) else {
            return;
        };
        if rest.len() < NLMSG_HDRLEN {
            return;
        }
        let len = ByteOrder::HOST
            .other()
            .read_u32(rest)
            .map_or(0, |l| l as usize);
        let (hdr, _) = rest.split_at_mut(NLMSG_HDRLEN);
        NlMsgHdr::swap_order(hdr);
        if len < NLMSG_HDRLEN || len > rest.len() {
            return;
        }
        let typ = NativeEndian::read_u16(rest.get(4..6).unwrap_or_default());
        let flags = NativeEndian::read_u16(rest.get(6..8).unwrap_or_default());
        let seq = NativeEndian::read_u32(rest.get(8..12).unwrap_or_default());
        let context = if flags & NLM_F_REQUEST != 0 {
            Selectors::EMPTY
        } else {
            (cx.context)(seq)
        };
        if let Some(payload) = rest.get_mut(NLMSG_HDRLEN..len) {
            swap_body(&cx, family, typ, flags, payload, 0, &context);
        }
        pos = pos.saturating_add(nlmsg_align(len));
    }
}

/// Swap the payload of one message (everything after its `nlmsghdr`).
/// `depth` is 1 inside an `NLMSG_ERROR` echo (which is not followed further).
/// What a conversion knows: the registry and the learned ids.
struct Swap<'r> {
    registry: &'r Registry,
    ids: Option<&'r FamilyIds>,
    /// The request context of a reply by `nlmsg_seq`.
    context: &'r dyn Fn(u32) -> Selectors<'static>,
}

fn swap_body(
    cx: &Swap<'_>,
    family: u16,
    typ: u16,
    flags: u16,
    payload: &mut [u8],
    depth: usize,
    context: &Selectors<'_>,
) {
    let entry = match cx.ids {
        Some(ids) => ids.entry(cx.registry, family, typ),
        None => cx.registry.find(family),
    };
    // A control type the family claims (`FamilyEntry::claims_control`) is
    // the family's data: its own declarations convert it.
    let claimed = entry.is_some_and(|e| e.claims(typ));
    match NlMsgType::from(if claimed { 0 } else { typ }) {
        NlMsgType::Noop | NlMsgType::Overrun => return,
        NlMsgType::Done => {
            if let Some(err) = payload.get_mut(..4) {
                err.reverse();
            }
            if flags & NLM_F_ACK_TLVS != 0 {
                if let Some(tlvs) = payload.get_mut(4..) {
                    swap_attr_stream::<ExtAckAttr>(tlvs, 0);
                }
            }
            return;
        }
        NlMsgType::Error => {
            swap_error(cx, family, flags, payload, depth);
            return;
        }
        NlMsgType::Unknown(_) => {}
    }
    if let Some(entry) = entry {
        (entry.swap)(typ, flags & NLM_F_REQUEST != 0, payload, context);
    }
}

/// `NLMSG_ERROR`: `struct nlmsgerr` (error + echoed header), the echoed
/// request payload unless `NLM_F_CAPPED`, then extended-ACK TLVs if
/// `NLM_F_ACK_TLVS`. Mirrors [`crate::netlink::NlMsgErr::parse`].
fn swap_error(cx: &Swap<'_>, family: u16, flags: u16, payload: &mut [u8], depth: usize) {
    NlMsgErrHdr::swap_order(payload);
    let fixed = NlMsgErrHdr::SIZE;
    let Some(echo_hdr) = payload.get(4..fixed) else {
        return;
    };
    let req_len = NativeEndian::read_u32(echo_hdr) as usize;
    let req_type = NativeEndian::read_u16(echo_hdr.get(4..6).unwrap_or_default());
    let req_flags = NativeEndian::read_u16(echo_hdr.get(6..8).unwrap_or_default());
    let avail = payload.len().saturating_sub(fixed);
    let echo_len = if flags & NLM_F_CAPPED != 0 {
        0
    } else {
        req_len.saturating_sub(NLMSG_HDRLEN).min(avail)
    };
    if depth == 0 && echo_len > 0 {
        if let Some(echo) = payload.get_mut(fixed..fixed.saturating_add(echo_len)) {
            swap_body(
                cx,
                family,
                req_type,
                req_flags,
                echo,
                depth.saturating_add(1),
                &Selectors::EMPTY,
            );
        }
    }
    if flags & NLM_F_ACK_TLVS != 0 {
        let start = nlmsg_align(fixed.saturating_add(echo_len));
        if let Some(tlvs) = payload.get_mut(start..) {
            swap_attr_stream::<ExtAckAttr>(tlvs, 0);
        }
    }
}

//! One entry point that decodes any netlink message of any family as far as
//! the codec knows it: control messages (`NLMSG_NOOP`, `NLMSG_ERROR` with
//! extended ACK, `NLMSG_DONE`, `NLMSG_OVERRUN`), sock_diag fully typed,
//! rtnetlink and generic netlink at the attribute level, anything else as
//! framing plus payload bytes.
//!
//! ```
//! use nlwire::decode::{decode, Body};
//! use nlwire::netlink::Messages;
//! let bytes = [0x14, 0, 0, 0, 0x12, 0, 0x01, 0x03, 0xfd, 0xfe, 0x38, 0x5c,
//!              0, 0, 0, 0, 0, 0, 0, 0];
//! let m = Messages::new(&bytes).next().unwrap().unwrap();
//! let d = decode(0 /* NETLINK_ROUTE */, m, nlwire::Mode::Lenient);
//! assert!(matches!(d.body, Ok(Body::Route { .. })));
//! ```

use crate::family::NetlinkFamily;
use crate::generic::{CtrlAttr, CtrlCmd, GenlMsgHdr, GENL_ID_CTRL};
use crate::netlink::{
    errno_name, flag_names, walk_attrs, Attrs, FlagReading, NlMsgDone, NlMsgErr, NlMsgType,
    RawMessage,
};
use crate::route::{RtHeader, RtmType};
use crate::value::{OpenEnum, Value, Visitor, Walk};
use crate::wire::WireStruct;
use crate::{attribute_set, Mode, Result};

/// An attribute set with no known kinds: every attribute is kept as
/// `Unknown` (kind, flags, payload). Used for families and nests the codec
/// has not declared.
#[attribute_set(name = "attrs")]
pub enum AnyAttr<'a> {}

/// The decoded body of one message.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Body<'a> {
    /// `NLMSG_NOOP`.
    Noop,
    /// `NLMSG_ERROR` (an ACK when `error` is 0).
    Error(NlMsgErr<'a>),
    /// `NLMSG_DONE`.
    Done(NlMsgDone<'a>),
    /// `NLMSG_OVERRUN`.
    Overrun(&'a [u8]),
    /// rtnetlink: the type's fixed header (if known) and attributes.
    Route {
        /// The fixed header, `None` for types this codec does not know.
        header: Option<RtHeader<'a>>,
        /// The attributes after the header (empty if the header is unknown).
        attrs: Attrs<'a, AnyAttr<'a>>,
        /// The payload, when the header is unknown.
        rest: &'a [u8],
    },
    /// Generic netlink: `genlmsghdr` and attributes.
    Generic {
        /// The 4-byte header.
        header: &'a GenlMsgHdr,
        /// `true` when `nlmsg_type` is `GENL_ID_CTRL` (attributes are
        /// `CTRL_ATTR_*`).
        ctrl: bool,
        /// The attribute bytes.
        attrs: &'a [u8],
        /// Offset of the attributes in the message buffer.
        attrs_offset: usize,
        /// Parse mode.
        mode: Mode,
    },
    /// `NETLINK_SOCK_DIAG`, fully typed.
    SockDiag(crate::sock_diag::SockDiagMessage<'a>),
    /// A family this codec does not know: payload bytes.
    Raw(&'a [u8]),
}

/// One decoded message: the framing, and the body or the error that stopped
/// its decoding.
#[derive(Clone, Debug)]
pub struct Decoded<'a> {
    /// The netlink protocol family (`NETLINK_*`).
    pub family: u16,
    /// The message as framed.
    pub msg: RawMessage<'a>,
    /// The body, or why it could not be decoded.
    pub body: Result<Body<'a>>,
    /// The mode it was decoded in.
    pub mode: Mode,
}

/// Decode one message of netlink `family`.
pub fn decode<'a>(family: u16, msg: RawMessage<'a>, mode: Mode) -> Decoded<'a> {
    let is_control = !matches!(
        NlMsgType::from(msg.header.nlmsg_type.get()),
        NlMsgType::Unknown(_)
    );
    let body = if !is_control && NetlinkFamily::from(family) == NetlinkFamily::SockDiag {
        // sock_diag reports offsets from the start of the message buffer itself.
        crate::sock_diag::decode(&msg, mode).map(Body::SockDiag)
    } else {
        decode_body(family, &msg, mode)
    };
    Decoded {
        family,
        msg,
        body,
        mode,
    }
}

/// Decode a body; error offsets (returned and walked) in the buffer `msg`
/// was walked from.
fn decode_body<'a>(family: u16, msg: &RawMessage<'a>, mode: Mode) -> Result<Body<'a>> {
    let flags = msg.header.nlmsg_flags.get();
    let payload = msg.payload;
    let base = msg.payload_offset();
    match NlMsgType::from(msg.header.nlmsg_type.get()) {
        NlMsgType::Noop => return Ok(Body::Noop),
        NlMsgType::Error => return NlMsgErr::parse_at(payload, base, flags, mode).map(Body::Error),
        NlMsgType::Done => return NlMsgDone::parse_at(payload, base, flags, mode).map(Body::Done),
        NlMsgType::Overrun => return Ok(Body::Overrun(payload)),
        NlMsgType::Unknown(_) => {}
    }
    decode_family(family, msg, mode).map_err(|e| e.at(base))
}

/// A family message's body; error offsets relative to its payload.
fn decode_family<'a>(family: u16, msg: &RawMessage<'a>, mode: Mode) -> Result<Body<'a>> {
    let payload = msg.payload;
    match NetlinkFamily::from(family) {
        NetlinkFamily::Route => {
            let typ = msg.header.nlmsg_type.get();
            match crate::route::parse_header(typ, payload)? {
                Some((header, at)) => {
                    let rest = payload.get(at..).unwrap_or_default();
                    Ok(Body::Route {
                        header: Some(header),
                        attrs: Attrs::with(rest, msg.payload_offset().saturating_add(at), mode),
                        rest: &[],
                    })
                }
                None => Ok(Body::Route {
                    header: None,
                    attrs: Attrs::with(&[], 0, mode),
                    rest: payload,
                }),
            }
        }
        NetlinkFamily::Generic => {
            let (header, _) = GenlMsgHdr::parse(payload)?;
            let at = GenlMsgHdr::SIZE;
            Ok(Body::Generic {
                header,
                ctrl: msg.header.nlmsg_type.get() == GENL_ID_CTRL,
                attrs: payload.get(at..).unwrap_or_default(),
                attrs_offset: msg.payload_offset().saturating_add(at),
                mode,
            })
        }
        _ => Ok(Body::Raw(payload)),
    }
}

impl Decoded<'_> {
    /// `NLM_F_REQUEST` is set: the message goes to the kernel.
    pub fn is_request(&self) -> bool {
        self.msg.header.is_request()
    }

    /// The kernel name of `nlmsg_type` in this family, if known.
    pub fn type_name(&self) -> Option<&'static str> {
        let t = self.msg.header.nlmsg_type.get();
        if let Some(n) = NlMsgType::from(t).name() {
            return Some(n);
        }
        match NetlinkFamily::from(self.family) {
            NetlinkFamily::Route => RtmType::from(t).name(),
            NetlinkFamily::Generic if t == GENL_ID_CTRL => Some("GENL_ID_CTRL"),
            NetlinkFamily::SockDiag => crate::sock_diag::SockDiagType::from(t).name(),
            _ => None,
        }
    }

    /// How the context-dependent flag bits read for this message.
    pub fn flag_reading(&self) -> FlagReading {
        let t = self.msg.header.nlmsg_type.get();
        if matches!(NlMsgType::from(t), NlMsgType::Error | NlMsgType::Done) {
            return FlagReading::Ack;
        }
        if !self.is_request() {
            return FlagReading::Other;
        }
        match NetlinkFamily::from(self.family) {
            NetlinkFamily::Route => crate::route::flag_reading(t),
            NetlinkFamily::SockDiag => FlagReading::Get,
            _ => FlagReading::Other,
        }
    }
}

impl Walk for Decoded<'_> {
    fn walk(&self, v: &mut dyn Visitor) {
        let h = self.msg.header;
        v.begin("nlmsghdr");
        v.field("nlmsg_len", Value::U64(u64::from(h.nlmsg_len.get())));
        v.field(
            "nlmsg_type",
            Value::Enum {
                raw: u64::from(h.nlmsg_type.get()),
                name: self.type_name(),
            },
        );
        v.field(
            "nlmsg_flags",
            Value::Flags {
                raw: u64::from(h.nlmsg_flags.get()),
                names: flag_names(self.flag_reading()),
            },
        );
        v.field("nlmsg_seq", Value::U64(u64::from(h.nlmsg_seq.get())));
        v.field("nlmsg_pid", Value::U64(u64::from(h.nlmsg_pid.get())));
        v.end();
        match &self.body {
            Ok(b) => b.walk(v),
            Err(e) => match self.truncated_errno() {
                // An NLMSG_ERROR of 4 to 19 payload bytes (an old kernel, a
                // user-space sender): the errno is there, the echoed
                // header is not. Show the errno (as for NLMSG_DONE) and
                // whatever is left of the header, then the error.
                Some(errno) => {
                    v.begin("nlmsgerr");
                    v.field(
                        "error",
                        Value::Enum {
                            raw: i64::from(errno) as u64,
                            name: errno_name(errno),
                        },
                    );
                    let partial = self.msg.payload.get(4..).unwrap_or_default();
                    if !partial.is_empty() {
                        v.field("truncated", Value::Bytes(partial));
                    }
                    v.error(*e);
                    v.end();
                }
                None => v.error(*e),
            },
        }
        if let Some(echo) = self.echoed_request() {
            // The request the error answers, decoded as a message of the
            // same family (what `nlmsgerr.msg` and its payload hold).
            // An echo can hold an NLMSG_ERROR with an echo of its own:
            // stop at MAX_NEST_DEPTH open groups, as nested attributes do,
            // so crafted bytes cannot recurse without bound.
            v.begin("echoed_request");
            let depth = v.depth();
            if depth > crate::MAX_NEST_DEPTH {
                v.error(
                    crate::Error::new(
                        crate::ErrorKind::TooDeep,
                        "echoed_request",
                        crate::MAX_NEST_DEPTH,
                        depth,
                    )
                    .at(echo.offset),
                );
            } else {
                decode(self.family, echo, self.mode).walk(v);
            }
            v.end();
        }
    }
}

impl<'a> Decoded<'a> {
    /// The `int error` of an `NLMSG_ERROR` or `NLMSG_DONE`, even when the
    /// rest of the message is malformed (an `NLMSG_ERROR` too short for its
    /// echoed `nlmsghdr` still carries its errno in its first 4 bytes).
    /// `None` for other messages and for payloads shorter than 4 bytes.
    pub fn errno(&self) -> Option<i32> {
        match &self.body {
            Ok(Body::Error(e)) => Some(e.error),
            Ok(Body::Done(d)) => d.error,
            Ok(_) => None,
            Err(_) => self.truncated_errno(),
        }
    }

    /// `NLMSG_ERROR` whose payload (4 to 19 bytes) holds the errno but not
    /// the whole echoed header: the errno.
    fn truncated_errno(&self) -> Option<i32> {
        if !matches!(
            NlMsgType::from(self.msg.header.nlmsg_type.get()),
            NlMsgType::Error
        ) {
            return None;
        }
        let p = self.msg.payload;
        if p.len() >= crate::netlink::NlMsgErrHdr::SIZE {
            return None;
        }
        let w: [u8; 4] = p.get(..4)?.try_into().ok()?;
        Some(i32::from_ne_bytes(w))
    }

    /// For an uncapped `NLMSG_ERROR`: the echoed request (header and
    /// payload) as a message of this family.
    pub fn echoed_request(&self) -> Option<RawMessage<'a>> {
        let Ok(Body::Error(e)) = &self.body else {
            return None;
        };
        if e.request_payload.is_empty() {
            return None;
        }
        // `nlmsgerr` is `int error; struct nlmsghdr msg;` then the payload,
        // contiguous in the message.
        let at = 4usize;
        let len = crate::netlink::NLMSG_HDRLEN.saturating_add(e.request_payload.len());
        let bytes = self.msg.payload.get(at..at.saturating_add(len))?;
        Some(RawMessage {
            header: e.request,
            payload: e.request_payload,
            offset: self.msg.payload_offset().saturating_add(at),
            bytes,
        })
    }
}

impl Walk for Body<'_> {
    fn walk(&self, v: &mut dyn Visitor) {
        match self {
            Body::Noop => {}
            Body::Error(e) => {
                v.begin("nlmsgerr");
                e.walk(v);
                v.end();
            }
            Body::Done(d) => {
                v.begin("NLMSG_DONE");
                d.walk(v);
                v.end();
            }
            Body::SockDiag(m) => m.walk(v),
            Body::Overrun(b) | Body::Raw(b) => {
                if !b.is_empty() {
                    v.field("payload", Value::Bytes(b));
                }
            }
            Body::Route {
                header,
                attrs,
                rest,
            } => {
                if let Some(h) = header {
                    h.walk(v);
                }
                if !rest.is_empty() {
                    v.field("payload", Value::Bytes(rest));
                }
                walk_attrs(attrs.clone(), v);
            }
            Body::Generic {
                header,
                ctrl,
                attrs,
                attrs_offset,
                mode,
            } => {
                v.begin("genlmsghdr");
                if *ctrl {
                    v.field(
                        "cmd",
                        Value::Enum {
                            raw: u64::from(header.cmd),
                            name: CtrlCmd::name_of(u64::from(header.cmd)),
                        },
                    );
                } else {
                    v.field("cmd", Value::U64(u64::from(header.cmd)));
                }
                v.field("version", Value::U64(u64::from(header.version)));
                v.field("reserved", Value::U64(u64::from(header.reserved.get())));
                v.end();
                if *ctrl {
                    walk_attrs(Attrs::<CtrlAttr>::with(attrs, *attrs_offset, *mode), v);
                } else {
                    walk_attrs(Attrs::<AnyAttr>::with(attrs, *attrs_offset, *mode), v);
                }
            }
        }
    }
}

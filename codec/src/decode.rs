//! One entry point that decodes any netlink message of any family as far as
//! the codec knows it: control messages (`NLMSG_NOOP`, `NLMSG_ERROR` with
//! extended ACK, `NLMSG_DONE`, `NLMSG_OVERRUN`) here, every other message
//! by its family's message table, found in a [`Registry`] (the default one
//! holds every family this crate declares); a protocol without one is
//! framing plus payload bytes.
//!
//! ```
//! use nlwire::decode::{decode, Body};
//! use nlwire::netlink::Messages;
//! use nlwire::registry::Registry;
//! // A message of type 18 with NLM_F_REQUEST|NLM_F_DUMP, 4 payload bytes.
//! let bytes = [0x14, 0, 0, 0, 0x12, 0, 0x01, 0x03, 0xfd, 0xfe, 0x38, 0x5c,
//!              0, 0, 0, 0, 0, 0, 0, 0];
//! let m = Messages::new(&bytes).next().unwrap().unwrap();
//! for entry in Registry::DEFAULT.protocols() {
//!     // Every registered protocol reads it by its own (fixed) message table.
//!     let d = decode(entry.protocol, m, nlwire::Mode::Lenient);
//!     if let Ok(Body::Family(f)) = &d.body {
//!         assert_eq!(f.entry.name, entry.name);
//!         assert_eq!(d.type_name(), (entry.type_name)(18));
//!     }
//! }
//! // A protocol without one: framing and payload bytes.
//! let d = decode(30, m, nlwire::Mode::Lenient);
//! assert!(matches!(d.body, Ok(Body::Raw(p)) if p.len() == 4));
//! ```

use crate::family_ids::{FamilyIds, FamilyName};
use crate::netlink::{
    errno_name, flag_names, FlagReading, NlMsgDone, NlMsgErr, NlMsgType, RawMessage,
};
use crate::netlink::{with_selectors, Selectors};
use crate::registry::{FamilyEntry, Registry};
use crate::value::{Value, Visitor, Walk};
use crate::{Mode, Result};

pub use crate::netlink::AnyAttr;

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
    /// A message of a family in the registry, decoded by its message
    /// table (walking it decodes it again: nothing is kept but the bytes).
    Family(FamilyMessage<'a>),
    /// A family this codec does not know: payload bytes.
    Raw(&'a [u8]),
}

/// One decoded message: the framing, and the body or the error that stopped
/// its decoding.
#[derive(Clone, Debug)]
pub struct Decoded<'a> {
    /// The netlink protocol family (`NETLINK_*`).
    pub family: u16,
    /// The family's registry entry, if the registry has one: the entry of
    /// the sub-family the message type was learned as, if the registry
    /// declares it, else the protocol's fixed entry.
    pub entry: Option<&'static FamilyEntry>,
    /// The sub-family name the message type was learned as
    /// ([`Context::ids`]; a generic netlink family's name), whether or not
    /// the registry declares that sub-family.
    pub sub_family: Option<FamilyName>,
    /// For an `NLMSG_ERROR`: the sub-family of the echoed request's type.
    echo_sub_family: Option<FamilyName>,
    /// The registry it was decoded with (echoed requests use it too).
    pub registry: Registry,
    /// The message as framed.
    pub msg: RawMessage<'a>,
    /// The body, or why it could not be decoded.
    pub body: Result<Body<'a>>,
    /// The mode it was decoded in.
    pub mode: Mode,
}

/// A message of a registered family: its entry and the message.
#[derive(Clone, Copy, Debug)]
pub struct FamilyMessage<'a> {
    /// The family's registry entry.
    pub entry: &'static FamilyEntry,
    /// The message.
    pub msg: RawMessage<'a>,
    /// The mode it decoded in.
    pub mode: Mode,
    /// Sub-message selectors its walk knows (from the request of its dump).
    pub context: Selectors<'static>,
}

impl Walk for FamilyMessage<'_> {
    fn walk(&self, v: &mut dyn Visitor) {
        with_selectors(&self.context, v, |v| {
            if let Err(e) = (self.entry.walk)(&self.msg, self.mode, v) {
                v.error(e);
            }
        });
    }
}

/// What a decoder knows beyond one message
/// ([`decode_ctx`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'t> {
    /// Sub-message selectors from the request of its dump
    /// ([`Decoded::request_context`]).
    pub selectors: Selectors<'static>,
    /// Run-time message types learned so far (generic netlink family ids;
    /// [`FamilyIds::learn`]).
    pub ids: Option<&'t FamilyIds>,
}

/// Decode one message of netlink `family` with the families of
/// [`Registry::DEFAULT`].
pub fn decode<'a>(family: u16, msg: RawMessage<'a>, mode: Mode) -> Decoded<'a> {
    decode_with(&Registry::DEFAULT, family, msg, mode)
}

/// Decode one message of netlink `family` with the families of `registry`.
pub fn decode_with<'a>(
    registry: &Registry,
    family: u16,
    msg: RawMessage<'a>,
    mode: Mode,
) -> Decoded<'a> {
    decode_in(registry, family, msg, mode, Selectors::EMPTY)
}

/// Decode one message of netlink `family` with the families of `registry`,
/// knowing the sub-message selectors `context` (what the request of its
/// dump said: [`Decoded::request_context`] of that request). A message
/// decoded without context reads each sub-message as its default.
pub fn decode_in<'a>(
    registry: &Registry,
    family: u16,
    msg: RawMessage<'a>,
    mode: Mode,
    context: Selectors<'static>,
) -> Decoded<'a> {
    decode_ctx(
        registry,
        family,
        msg,
        mode,
        &Context {
            selectors: context,
            ids: None,
        },
    )
}

/// Decode one message of netlink `family` with the families of `registry`
/// and what the decoder knows ([`Context`]): the sub-message selectors of
/// its dump's request, and the run-time message types learned so far. A
/// message type that the protocol's fixed entry does not name
/// ([`FamilyEntry::type_name`]) and that was learned as sub-family `name`
/// is decoded by [`Registry::find_named`]`(family, name)` if the registry
/// declares it; otherwise as without `ids` (for generic netlink: the
/// controller's table, `genlmsghdr` and `AnyAttr`), [`Decoded::sub_family`]
/// still naming it.
pub fn decode_ctx<'a>(
    registry: &Registry,
    family: u16,
    msg: RawMessage<'a>,
    mode: Mode,
    ctx: &Context<'_>,
) -> Decoded<'a> {
    let sub = sub_family_of(registry, family, msg.header.nlmsg_type.get(), ctx.ids);
    let mut d = decode_resolved(registry, family, msg, mode, ctx.selectors, sub);
    if let Some(echo) = d.echoed_request() {
        d.echo_sub_family = sub_family_of(registry, family, echo.header.nlmsg_type.get(), ctx.ids);
    }
    d
}

/// The learned sub-family of message type `typ` of `family`
/// ([`FamilyIds::sub_family`]).
fn sub_family_of(
    registry: &Registry,
    family: u16,
    typ: u16,
    ids: Option<&FamilyIds>,
) -> Option<FamilyName> {
    ids?.sub_family(registry, family, typ)
}

fn decode_resolved<'a>(
    registry: &Registry,
    family: u16,
    msg: RawMessage<'a>,
    mode: Mode,
    context: Selectors<'static>,
    sub_family: Option<FamilyName>,
) -> Decoded<'a> {
    let entry = sub_family
        .and_then(|n| registry.find_named(family, n.as_str()))
        .or_else(|| registry.find(family));
    let body = decode_body(entry, &msg, mode, context);
    Decoded {
        family,
        entry,
        sub_family,
        echo_sub_family: None,
        registry: *registry,
        msg,
        body,
        mode,
    }
}

fn decode_body<'a>(
    entry: Option<&'static FamilyEntry>,
    msg: &RawMessage<'a>,
    mode: Mode,
    context: Selectors<'static>,
) -> Result<Body<'a>> {
    let flags = msg.header.nlmsg_flags.get();
    let payload = msg.payload;
    let at = msg.payload_offset();
    let typ = msg.header.nlmsg_type.get();
    // A family may take control types as its own data
    // (`FamilyEntry::claims_control`: `NETLINK_CONNECTOR`'s `NLMSG_DONE`).
    let claimed = entry.is_some_and(|e| e.claims(typ));
    match NlMsgType::from(if claimed { 0 } else { typ }) {
        NlMsgType::Noop => return Ok(Body::Noop),
        NlMsgType::Error => return NlMsgErr::parse_at(payload, at, flags, mode).map(Body::Error),
        NlMsgType::Done => return NlMsgDone::parse_at(payload, at, flags, mode).map(Body::Done),
        NlMsgType::Overrun => return Ok(Body::Overrun(payload)),
        NlMsgType::Unknown(_) => {}
    }
    match entry {
        Some(entry) => {
            (entry.check)(msg, mode)?;
            Ok(Body::Family(FamilyMessage {
                entry,
                msg: *msg,
                mode,
                context,
            }))
        }
        None => Ok(Body::Raw(payload)),
    }
}

impl Decoded<'_> {
    /// For a request of a registered family: the sub-message selectors its
    /// replies need (pass them to [`decode_in`] for the replies with its
    /// `nlmsg_seq`). Empty otherwise.
    pub fn request_context(&self) -> Selectors<'static> {
        match (&self.body, self.is_request()) {
            (Ok(Body::Family(f)), true) => (f.entry.context)(&f.msg, f.mode),
            _ => Selectors::EMPTY,
        }
    }

    /// `NLM_F_REQUEST` is set: the message goes to the kernel.
    pub fn is_request(&self) -> bool {
        self.msg.header.is_request()
    }

    /// The kernel name of this message: of its `nlmsg_type` in this
    /// family, or, for a message of a declared sub-family (a generic
    /// netlink family whose id was learned), of its command
    /// ([`FamilyEntry::message_name`]: `"ETHTOOL_MSG_STRSET_GET"`).
    pub fn type_name(&self) -> Option<&'static str> {
        let t = self.msg.header.nlmsg_type.get();
        if let Some(n) = NlMsgType::from(t).name() {
            return Some(n);
        }
        self.entry.and_then(|e| (e.message_name)(&self.msg))
    }

    /// The name of `nlmsg_type` itself: a fixed type's kernel name, or the
    /// declared sub-family's name (`"ethtool"`) for a learned type.
    pub fn nlmsg_type_name(&self) -> Option<&'static str> {
        let t = self.msg.header.nlmsg_type.get();
        if let Some(n) = NlMsgType::from(t).name() {
            return Some(n);
        }
        let e = self.entry?;
        match e.sub_family {
            Some(_) => Some(e.name),
            None => (e.type_name)(t),
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
        self.entry
            .map_or(FlagReading::Other, |e| (e.flag_reading)(t))
    }
}

impl Walk for Decoded<'_> {
    fn walk(&self, v: &mut dyn Visitor) {
        let h = self.msg.header;
        // Five distinct plain names, nothing else: a structure's group.
        v.begin_struct("nlmsghdr");
        v.field("nlmsg_len", Value::U64(u64::from(h.nlmsg_len.get())));
        v.field(
            "nlmsg_type",
            Value::Enum {
                raw: u64::from(h.nlmsg_type.get()),
                name: self.nlmsg_type_name(),
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
                decode_resolved(
                    &self.registry,
                    self.family,
                    echo,
                    self.mode,
                    Selectors::EMPTY,
                    self.echo_sub_family,
                )
                .walk(v);
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
        if p.len() >= <crate::netlink::NlMsgErrHdr as crate::wire::WireStruct>::SIZE {
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
            Body::Family(m) => m.walk(v),
            Body::Overrun(b) | Body::Raw(b) => {
                if !b.is_empty() {
                    v.field("payload", Value::Bytes(b));
                }
            }
        }
    }
}

/// Write a decoded message back whole into `b`: its `nlmsghdr` (type,
/// flags, sequence and port as received, `nlmsg_len` computed) and its
/// body, whatever it is: control messages (`NLMSG_NOOP`, `NLMSG_ERROR`,
/// `NLMSG_DONE`, `NLMSG_OVERRUN`), a registered family's message (through
/// its entry's `emit`) or the payload bytes of an unknown family. A message
/// that decoded in strict mode re-emits byte for byte; a body that did not
/// decode is its error.
pub fn emit_decoded(
    d: &Decoded<'_>,
    b: &mut crate::netlink::Builder<crate::netlink::SliceSink<'_>>,
) -> Result<()> {
    let body = d.body.as_ref().map_err(|e| *e)?;
    let h = d.msg.header;
    let mark = b.begin_message(
        h.nlmsg_type.get(),
        h.nlmsg_flags.get(),
        h.nlmsg_seq.get(),
        h.nlmsg_pid.get(),
    )?;
    match body {
        Body::Noop => b.put_bytes(d.msg.payload)?,
        Body::Error(e) => e.emit(b)?,
        Body::Done(done) => done.emit(b)?,
        Body::Overrun(p) | Body::Raw(p) => b.put_bytes(p)?,
        Body::Family(f) => (f.entry.emit)(&f.msg, f.mode, b)?,
    }
    b.end_message(mark)
}

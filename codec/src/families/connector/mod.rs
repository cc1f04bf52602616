//! `NETLINK_CONNECTOR`: the kernel connector (`<linux/connector.h>`,
//! Documentation/driver-api/connector.rst, drivers/connector/), and the
//! process events connector on it (`<linux/cn_proc.h>`, [`proc`](self)).
//!
//! Every message carries one `struct cn_msg` ([`CnMsg`]: `struct cb_id id
//! {idx, val}`, `seq`, `ack`, `len`, `flags`) followed by `len` bytes of
//! `data`, whose meaning the callback registered for `id` gives. Its
//! `nlmsg_type` is `NLMSG_DONE` for every message, both ways:
//! `cn_netlink_send_mult()` builds it with `nlmsg_put(skb, 0, msg->seq,
//! NLMSG_DONE, …)` and listeners send theirs the same way. The family
//! therefore claims `NLMSG_DONE` from the generic decoder
//! (`claims_control = [NLMSG_DONE]`, [`FamilyEntry::claims_control`]):
//! on this protocol type 3 is a `struct cn_msg`, not the end of a dump.
//!
//! `data` is declared for the process events connector (`CN_IDX_PROC`,
//! `CN_VAL_PROC`): `struct proc_input` (or, before Linux 6.6, a bare `enum
//! proc_cn_mcast_op`) from a listener, `struct proc_event` from the kernel;
//! `cn_proc_mcast_ctl()` tells the requests by `cn_msg.len` and so does
//! the declaration of [`CnData`] (`when(id.idx, id.val)` and `len`, read by
//! [`TaggedBody`]). Other ids keep `data` as bytes.
//!
//! [`TaggedBody`]: crate::netlink::TaggedBody
//!
//! [`FamilyEntry::claims_control`]: crate::registry::FamilyEntry::claims_control
//!
//! ```
//! use nlwire::families::connector::*;
//! use nlwire::netlink::{Builder, Messages};
//! use nlwire::Mode;
//! // A listener subscribes to the process events.
//! let mut buf = [0u8; 64];
//! let mut b = Builder::new(&mut buf[..]);
//! b.message(NLMSG_DONE, 0, 1, 0, |b| {
//!     CnMessage::write(b, CN_IDX_PROC, CN_VAL_PROC, 1, 0,
//!                      &[PROC_CN_MCAST_LISTEN.to_ne_bytes(), PROC_EVENT_ALL.to_ne_bytes()].concat())
//! }).unwrap();
//! let n = b.len();
//! let msg = Messages::new(&buf[..n]).next().unwrap().unwrap();
//! let ConnectorMessage::Cn(m) = ConnectorMessage::parse(&msg, Mode::Strict).unwrap() else { panic!() };
//! let CnData::ProcInput(p) = m.data else { panic!("{m:?}") };
//! assert_eq!(p.mcast_op.get(), PROC_CN_MCAST_LISTEN);
//! ```

mod member;
pub mod proc;

pub use member::Member;
pub use proc::*;

use zerocopy::byteorder::{NativeEndian as NE, U16, U32};

use crate::netlink::{Builder, Sink, TaggedBody};
use crate::wire::WireStruct;
use crate::{nl_family, nl_struct, open_enum, sub_message, Error, ErrorKind, Result};

/// `CN_IDX_PROC` (`<linux/connector.h>`): the process events connector.
pub const CN_IDX_PROC: u32 = 0x1;
/// `CN_VAL_PROC` (`<linux/connector.h>`).
pub const CN_VAL_PROC: u32 = 0x1;

/// `struct cn_msg` (`<linux/connector.h>`): the header of every connector
/// message; `data[len]` follows.
#[nl_struct(name = "cn_msg")]
pub struct CnMsg {
    /// `id.idx` (`struct cb_id`): the callback's index (`CN_IDX_*`).
    #[nl(name = "id.idx")]
    pub idx: U32<NE>,
    /// `id.val` (`struct cb_id`): the callback's value (`CN_VAL_*`).
    #[nl(name = "id.val")]
    pub val: U32<NE>,
    /// `seq`.
    pub seq: U32<NE>,
    /// `ack`.
    pub ack: U32<NE>,
    /// `len`: the length of `data`.
    pub len: U16<NE>,
    /// `flags`.
    pub flags: U16<NE>,
}

/// The message types of `NETLINK_CONNECTOR`: only `NLMSG_DONE`
/// (`<linux/netlink.h>`; also declared here as [`NLMSG_DONE`]).
#[open_enum(u16, consts)]
pub enum ConnectorType {
    /// `NLMSG_DONE`: every connector message (`cn_netlink_send_mult()`).
    #[nl(name = "NLMSG_DONE")]
    Done = 3,
}

/// `data` of a `struct cn_msg`, by `id` and `len`: the kernel's own test in
/// `cn_proc_mcast_ctl()` (drivers/connector/cn_proc.c) for `CN_IDX_PROC`
/// (`len` of a `struct proc_input` or of an `enum proc_cn_mcast_op` is a
/// request, an event otherwise); nothing known for other ids (bytes, shown
/// as `data`).
#[sub_message(name = "data", length = "cn_msg.len")]
pub enum CnData<'a> {
    /// `CN_IDX_PROC`/`CN_VAL_PROC`, `len == sizeof(struct proc_input)`.
    #[nl(when("id.idx" = CN_IDX_PROC, "id.val" = CN_VAL_PROC), len = ProcInput::SIZE)]
    ProcInput(&'a ProcInput),
    /// `CN_IDX_PROC`/`CN_VAL_PROC`, `len == sizeof(enum
    /// proc_cn_mcast_op)` (listeners before Linux 6.6).
    #[nl(when("id.idx" = CN_IDX_PROC, "id.val" = CN_VAL_PROC), len = ProcCnMcastOpMsg::SIZE,
         member = "proc_cn_mcast_op")]
    ProcMcastOp(&'a ProcCnMcastOpMsg),
    /// `CN_IDX_PROC`/`CN_VAL_PROC`, any other length: `struct proc_event`.
    #[nl(when("id.idx" = CN_IDX_PROC, "id.val" = CN_VAL_PROC))]
    ProcEvent(ProcEvent<'a>),
}

/// One connector message: `struct cn_msg`, its `data` (`len` bytes, by
/// [`CnData`]) and any bytes after them in the netlink payload (the
/// padding to `NLMSG_ALIGN`, kept and emitted again).
pub type CnMessage<'a> = TaggedBody<'a, CnMsg, CnData<'a>>;

impl CnMessage<'_> {
    /// Write a `struct cn_msg` (`len` from `data`) and `data` into an open
    /// message of `b`.
    pub fn write<S: Sink>(
        b: &mut Builder<S>,
        idx: u32,
        val: u32,
        seq: u32,
        ack: u32,
        data: &[u8],
    ) -> Result<()> {
        let len = u16::try_from(data.len()).map_err(|_| {
            Error::new(
                ErrorKind::Invalid,
                "cn_msg.len",
                data.len(),
                usize::from(u16::MAX),
            )
        })?;
        let h = CnMsg {
            idx: U32::new(idx),
            val: U32::new(val),
            seq: U32::new(seq),
            ack: U32::new(ack),
            len: U16::new(len),
            flags: U16::new(0),
        };
        b.put_struct(&h)?;
        b.put_bytes(data)
    }
}

/// The message table of `NETLINK_CONNECTOR`: one body, `struct cn_msg` and
/// its `data`, under `NLMSG_DONE` in both directions. `declares` lists the
/// structs the body reaches (its shape is not a `Message`).
#[nl_family(protocol = crate::family::NETLINK_CONNECTOR, name = "NETLINK_CONNECTOR",
            types = ConnectorType, claims_control = [NLMSG_DONE],
            declares(CnMsg, ProcInput, ProcCnMcastOpMsg, ProcEventHdr, ProcAck, ForkProcEvent,
                     ExecProcEvent, UidProcEvent, GidProcEvent, SidProcEvent, PtraceProcEvent,
                     CommProcEvent, CoredumpProcEvent, ExitProcEvent))]
pub enum ConnectorMessage<'a> {
    /// A `struct cn_msg` and its `data`.
    #[nl(types = NLMSG_DONE)]
    Cn(CnMessage<'a>),
}

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
//! [`cn_data_selector`]. Other ids keep `data` as bytes.
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

use crate::netlink::{Builder, MessageBody, Sink, SubMessage};
use crate::value::{SelectorValue, Visitor, Walk};
use crate::wire::WireStruct;
use crate::{nl_family, nl_struct, open_enum, sub_message, Error, ErrorKind, Mode, Result};

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

/// The selector of [`CnData`]: which payload `cn_msg.data` is, from `id`
/// and `len` ([`cn_data_selector`]).
pub const CN_DATA_SELECTOR: &str = "cn_data";

/// `data` of a `struct cn_msg`, by [`cn_data_selector`].
#[sub_message(name = "cn_data", selector = "cn_data")]
pub enum CnData<'a> {
    /// `CN_IDX_PROC`/`CN_VAL_PROC`, `len == sizeof(struct proc_input)`.
    #[nl(select = "proc_input")]
    ProcInput(&'a ProcInput),
    /// `CN_IDX_PROC`/`CN_VAL_PROC`, `len == sizeof(enum
    /// proc_cn_mcast_op)` (listeners before Linux 6.6).
    #[nl(select = "proc_cn_mcast_op")]
    ProcMcastOp(&'a ProcCnMcastOpMsg),
    /// `CN_IDX_PROC`/`CN_VAL_PROC`, any other length: `struct proc_event`.
    #[nl(select = "proc_event")]
    ProcEvent(ProcEvent<'a>),
}

/// What `data` of a `cn_msg` is: the kernel's own test in
/// `cn_proc_mcast_ctl()` (drivers/connector/cn_proc.c) for `CN_IDX_PROC`
/// (`len` of a `struct proc_input` or of an `enum proc_cn_mcast_op` is a
/// request, an event otherwise), nothing known for other ids (bytes).
pub fn cn_data_selector(h: &CnMsg) -> Option<SelectorValue<'static>> {
    if (h.idx.get(), h.val.get()) != (CN_IDX_PROC, CN_VAL_PROC) {
        return None;
    }
    let s: &'static [u8] = match usize::from(h.len.get()) {
        n if n == ProcInput::SIZE => b"proc_input",
        n if n == ProcCnMcastOpMsg::SIZE => b"proc_cn_mcast_op",
        _ => b"proc_event",
    };
    Some(SelectorValue::Str(s))
}

/// One connector message: `struct cn_msg`, its `data` (`len` bytes) and
/// any bytes after them in the netlink payload (the padding to
/// `NLMSG_ALIGN`, kept and emitted again).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CnMessage<'a> {
    /// `struct cn_msg`.
    pub header: &'a CnMsg,
    /// `data`, decoded.
    pub data: CnData<'a>,
    data_bytes: &'a [u8],
    trailing: &'a [u8],
}

impl<'a> CnMessage<'a> {
    /// `data` as received.
    pub const fn data_bytes(&self) -> &'a [u8] {
        self.data_bytes
    }

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

impl<'a> MessageBody<'a> for CnMessage<'a> {
    /// `cn_msg.len` larger than the bytes left is an error in strict mode;
    /// lenient mode keeps what there is (as bytes if it does not decode).
    fn parse_body(payload: &'a [u8], base: usize, mode: Mode) -> Result<Self> {
        let (header, rest) = CnMsg::parse(payload).map_err(|e| e.at(base))?;
        let len = usize::from(header.len.get());
        let data_at = base.saturating_add(CnMsg::SIZE);
        if len > rest.len() && mode.is_strict() {
            return Err(Error::short("cn_msg.len", len, rest.len()).at(data_at));
        }
        let (data_bytes, trailing) = rest.split_at(len.min(rest.len()));
        if mode.is_strict() && trailing.iter().any(|&b| b != 0) {
            return Err(Error::new(ErrorKind::Trailing, "cn_msg", len, rest.len())
                .at(data_at.saturating_add(len)));
        }
        // Lenient mode keeps `data` that does not decode (cut short by
        // `len`, say) as bytes, with the header.
        let data = match CnData::select(cn_data_selector(header), data_bytes, mode, 0) {
            Ok(d) => d,
            Err(_) if !mode.is_strict() => CnData::Unselected(data_bytes),
            Err(e) => return Err(e.at(data_at)),
        };
        Ok(CnMessage {
            header,
            data,
            data_bytes,
            trailing,
        })
    }

    fn emit_body<S: Sink>(&self, b: &mut Builder<S>) -> Result<()> {
        b.put_struct(self.header)?;
        // Every decoded part borrows the input: `data` goes back as received.
        b.put_bytes(self.data_bytes)?;
        b.put_bytes(self.trailing)
    }

    fn swap_body(payload: &mut [u8]) {
        let n = CnMsg::SIZE.min(payload.len());
        let (head, rest) = payload.split_at_mut(n);
        CnMsg::swap_order(head);
        if let Ok((h, _)) = CnMsg::parse(head) {
            let len = usize::from(h.len.get()).min(rest.len());
            if let Some(data) = rest.get_mut(..len) {
                CnData::swap_as(cn_data_selector(h), data);
            }
        }
    }
}

impl Walk for CnMessage<'_> {
    /// `cn_msg`, then `data` (`proc_event`, `proc_input`, or bytes).
    fn walk(&self, v: &mut dyn Visitor) {
        v.begin(CnMsg::NAME);
        self.header.walk(v);
        v.end();
        let name = match self.data {
            CnData::ProcInput(_) => "proc_input",
            CnData::ProcMcastOp(_) => "proc_cn_mcast_op",
            CnData::ProcEvent(_) => "proc_event",
            CnData::Unselected(_) => "data",
        };
        self.data.walk_as(name, v);
        if !self.trailing.is_empty() {
            v.field("trailing", crate::value::Value::Bytes(self.trailing));
        }
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

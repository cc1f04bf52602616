//! `struct nlmsghdr` and its flags and standard types (`<linux/netlink.h>`,
//! netlink(7)).

use zerocopy::byteorder::{U16, U32};
use zerocopy::NativeEndian as NE;

use crate::{nl_flags, nl_struct, open_enum};

/// `struct nlmsghdr` — the 16-byte header of every netlink message.
///
/// ```c
/// struct nlmsghdr {
///     __u32 nlmsg_len;   /* Length of message including header */
///     __u16 nlmsg_type;  /* Message content */
///     __u16 nlmsg_flags; /* Additional flags */
///     __u32 nlmsg_seq;   /* Sequence number */
///     __u32 nlmsg_pid;   /* Sending process port ID */
/// };
/// ```
#[nl_struct(name = "nlmsghdr")]
pub struct NlMsgHdr {
    /// `nlmsg_len`: length of the message including this header.
    pub nlmsg_len: U32<NE>,
    /// `nlmsg_type`: message content (family-specific above `NLMSG_MIN_TYPE`).
    pub nlmsg_type: U16<NE>,
    /// `nlmsg_flags`: `NLM_F_*`.
    #[nl(flags = NLM_F_NAMES)]
    pub nlmsg_flags: U16<NE>,
    /// `nlmsg_seq`: sequence number.
    pub nlmsg_seq: U32<NE>,
    /// `nlmsg_pid`: sending process port ID.
    pub nlmsg_pid: U32<NE>,
}

impl NlMsgHdr {
    /// A header with every field given.
    pub fn new(
        nlmsg_len: u32,
        nlmsg_type: u16,
        nlmsg_flags: u16,
        nlmsg_seq: u32,
        nlmsg_pid: u32,
    ) -> Self {
        NlMsgHdr {
            nlmsg_len: U32::new(nlmsg_len),
            nlmsg_type: U16::new(nlmsg_type),
            nlmsg_flags: U16::new(nlmsg_flags),
            nlmsg_seq: U32::new(nlmsg_seq),
            nlmsg_pid: U32::new(nlmsg_pid),
        }
    }
    /// `nlmsg_flags & NLM_F_REQUEST`: the message goes to the kernel.
    pub fn is_request(&self) -> bool {
        self.nlmsg_flags.get() & NLM_F_REQUEST != 0
    }
    /// The standard type, if it is one (`NLMSG_NOOP` … `NLMSG_OVERRUN`).
    pub fn standard_type(&self) -> NlMsgType {
        NlMsgType::from(self.nlmsg_type.get())
    }
}

/// `NLMSG_HDRLEN`.
pub const NLMSG_HDRLEN: usize = 16;
/// `NLMSG_ALIGNTO`.
pub const NLMSG_ALIGNTO: usize = 4;
/// `NLMSG_MIN_TYPE`: types below are reserved for control messages.
pub const NLMSG_MIN_TYPE: u16 = 0x10;

/// `NLMSG_ALIGN(len)`, computed without wrapping (saturates).
pub const fn nlmsg_align(len: usize) -> usize {
    match len.checked_add(NLMSG_ALIGNTO - 1) {
        Some(n) => n & !(NLMSG_ALIGNTO - 1),
        None => usize::MAX & !(NLMSG_ALIGNTO - 1),
    }
}

/// The standard control message types of `<linux/netlink.h>`.
#[open_enum(u16)]
pub enum NlMsgType {
    /// `NLMSG_NOOP`: nothing.
    #[nl(name = "NLMSG_NOOP")]
    Noop = 1,
    /// `NLMSG_ERROR`: error, or ACK when the error is 0.
    #[nl(name = "NLMSG_ERROR")]
    Error = 2,
    /// `NLMSG_DONE`: end of a multipart message.
    #[nl(name = "NLMSG_DONE")]
    Done = 3,
    /// `NLMSG_OVERRUN`: data lost.
    #[nl(name = "NLMSG_OVERRUN")]
    Overrun = 4,
}

/// How to read the context-dependent bits 0x100–0x800 of `nlmsg_flags`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FlagReading {
    /// A GET request (`NLM_F_ROOT`, `MATCH`, `ATOMIC`, `DUMP`).
    Get,
    /// A NEW request (`NLM_F_REPLACE`, `EXCL`, `CREATE`, `APPEND`).
    New,
    /// A DELETE request (`NLM_F_NONREC`, `BULK`).
    Delete,
    /// An `NLMSG_ERROR`/ACK (`NLM_F_CAPPED`, `ACK_TLVS`).
    Ack,
    /// Anything else: bits shown as numbers.
    Other,
}

/// The `NLM_F_*` bits common to every message (their names are
/// [`NLM_F_COMMON_NAMES`]).
#[nl_flags(u16, table = NLM_F_COMMON_NAMES)]
pub enum NlmFCommon {
    /// `NLM_F_REQUEST`: it is a request message.
    NLM_F_REQUEST = 0x01,
    /// `NLM_F_MULTI`: multipart message, terminated by `NLMSG_DONE`.
    NLM_F_MULTI = 0x02,
    /// `NLM_F_ACK`: reply with an ACK (zero error code) on success.
    NLM_F_ACK = 0x04,
    /// `NLM_F_ECHO`: echo this request.
    NLM_F_ECHO = 0x08,
    /// `NLM_F_DUMP_INTR`: the dump was inconsistent due to a sequence change.
    NLM_F_DUMP_INTR = 0x10,
    /// `NLM_F_DUMP_FILTERED`: the dump was filtered as requested.
    NLM_F_DUMP_FILTERED = 0x20,
}

/// The `NLM_F_*` bits of a GET request, after the common ones (the reading
/// used when nothing else is known about a request, as sock_diag requests
/// are all GETs; names: [`NLM_F_GET_NAMES`]).
#[nl_flags(u16, extends = NlmFCommon, table = NLM_F_GET_NAMES)]
pub enum NlmFGet {
    /// GET requests: `NLM_F_DUMP` = `NLM_F_ROOT | NLM_F_MATCH`.
    NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH,
    /// GET requests: `NLM_F_ROOT`, return the complete table.
    NLM_F_ROOT = 0x100,
    /// GET requests: `NLM_F_MATCH`, return all entries matching the criteria.
    NLM_F_MATCH = 0x200,
    /// GET requests: `NLM_F_ATOMIC`, return an atomic snapshot.
    NLM_F_ATOMIC = 0x400,
}

/// The `NLM_F_*` bits of a NEW request, after the common ones (names:
/// [`NLM_F_NEW_NAMES`]).
#[nl_flags(u16, extends = NlmFCommon, table = NLM_F_NEW_NAMES)]
pub enum NlmFNew {
    /// NEW requests: `NLM_F_REPLACE`, replace an existing object.
    NLM_F_REPLACE = 0x100,
    /// NEW requests: `NLM_F_EXCL`, do not touch it if it exists.
    NLM_F_EXCL = 0x200,
    /// NEW requests: `NLM_F_CREATE`, create it if it does not exist.
    NLM_F_CREATE = 0x400,
    /// NEW requests: `NLM_F_APPEND`, add to the end of the list.
    NLM_F_APPEND = 0x800,
}

/// The `NLM_F_*` bits of a DELETE request, after the common ones (names:
/// [`NLM_F_DELETE_NAMES`]).
#[nl_flags(u16, extends = NlmFCommon, table = NLM_F_DELETE_NAMES)]
pub enum NlmFDelete {
    /// DELETE requests: `NLM_F_NONREC`, do not delete recursively.
    NLM_F_NONREC = 0x100,
    /// DELETE requests: `NLM_F_BULK`, delete multiple objects.
    NLM_F_BULK = 0x200,
}

/// The `NLM_F_*` bits of an `NLMSG_ERROR`/`NLMSG_DONE`, after the common
/// ones (names: [`NLM_F_ACK_NAMES`]).
#[nl_flags(u16, extends = NlmFCommon, table = NLM_F_ACK_NAMES)]
pub enum NlmFAck {
    /// ACK messages: `NLM_F_CAPPED`, the request was capped (payload not echoed).
    NLM_F_CAPPED = 0x100,
    /// ACK messages: `NLM_F_ACK_TLVS`, extended-ACK TLVs follow.
    NLM_F_ACK_TLVS = 0x200,
}

/// The flag-name table used when the header is walked on its own: the GET
/// reading for requests is the common case; decoders that know better call
/// [`flag_names`].
pub const NLM_F_NAMES: &[(u64, &str)] = NLM_F_COMMON_NAMES;

/// The flag-name table for a reading.
pub const fn flag_names(reading: FlagReading) -> &'static [(u64, &'static str)] {
    match reading {
        FlagReading::Get => NLM_F_GET_NAMES,
        FlagReading::New => NLM_F_NEW_NAMES,
        FlagReading::Delete => NLM_F_DELETE_NAMES,
        FlagReading::Ack => NLM_F_ACK_NAMES,
        FlagReading::Other => NLM_F_COMMON_NAMES,
    }
}

//! SCTP in inet_diag (`net/sctp/diag.c`): `struct sctp_info`
//! (`<linux/sctp.h>`), the payload of `INET_DIAG_INFO` for `IPPROTO_SCTP`
//! sockets, and the address lists `INET_DIAG_LOCALS` / `INET_DIAG_PEERS`.
//!
//! `inet_sctp_diag_fill` sends `sizeof(struct sctp_info)` (368 bytes on
//! x86_64 since the struct appeared in 4.7; this machine's 6.1 headers have
//! the same layout) filled by `sctp_get_sctp_info`: for a listening or
//! unassociated socket only the `sctpi_s_*` part is set, the rest is zero.
//! [`SctpInfoView`] reads any length like the other `INET_DIAG_INFO`
//! payloads.
//!
//! The address lists are `struct sockaddr_storage[]`: each local
//! (`bind_addr.address_list`) or peer (`transport_addr_list`) address is
//! copied into a 128-byte slot and zero-filled
//! (`inet_diag_msg_sctpladdrs_fill`, `inet_diag_msg_sctpaddrs_fill`), read
//! here as [`SctpAddrs`].

use zerocopy::byteorder::{I32, U16, U32, U64};
use zerocopy::NativeEndian as NE;

use super::sockaddr::KernelSockaddrStorage;
use crate::payload::Array;
use crate::wire::Native;
use crate::{nl_struct, open_enum};

/// The payload of `INET_DIAG_LOCALS` and `INET_DIAG_PEERS` for SCTP
/// sockets: `struct sockaddr_storage[]`, 128 bytes per address
/// (`AF_INET` or `AF_INET6` in the slot's `ss_family`).
pub type SctpAddrs<'a> = Array<'a, KernelSockaddrStorage>;

/// The state of an SCTP association as in `sctpi_state` (`asoc->state`:
/// `enum sctp_state` of the kernel's `include/net/sctp/constants.h`, not in
/// the uapi headers; numbered from 0, unlike the uapi `enum
/// sctp_sstat_state`).
#[open_enum(u32)]
pub enum SctpState {
    /// `SCTP_STATE_CLOSED` (0).
    #[nl(name = "SCTP_STATE_CLOSED")]
    Closed = 0,
    /// `SCTP_STATE_COOKIE_WAIT` (1).
    #[nl(name = "SCTP_STATE_COOKIE_WAIT")]
    CookieWait = 1,
    /// `SCTP_STATE_COOKIE_ECHOED` (2).
    #[nl(name = "SCTP_STATE_COOKIE_ECHOED")]
    CookieEchoed = 2,
    /// `SCTP_STATE_ESTABLISHED` (3).
    #[nl(name = "SCTP_STATE_ESTABLISHED")]
    Established = 3,
    /// `SCTP_STATE_SHUTDOWN_PENDING` (4).
    #[nl(name = "SCTP_STATE_SHUTDOWN_PENDING")]
    ShutdownPending = 4,
    /// `SCTP_STATE_SHUTDOWN_SENT` (5).
    #[nl(name = "SCTP_STATE_SHUTDOWN_SENT")]
    ShutdownSent = 5,
    /// `SCTP_STATE_SHUTDOWN_RECEIVED` (6).
    #[nl(name = "SCTP_STATE_SHUTDOWN_RECEIVED")]
    ShutdownReceived = 6,
    /// `SCTP_STATE_SHUTDOWN_ACK_SENT` (7).
    #[nl(name = "SCTP_STATE_SHUTDOWN_ACK_SENT")]
    ShutdownAckSent = 7,
}

/// The state of the primary path as in `sctpi_p_state` (`enum
/// sctp_spinfo_state` of `<linux/sctp.h>`).
#[open_enum(u32)]
pub enum SctpSpinfoState {
    /// `SCTP_INACTIVE` (0).
    #[nl(name = "SCTP_INACTIVE")]
    Inactive = 0,
    /// `SCTP_PF` (1): potentially failed.
    #[nl(name = "SCTP_PF")]
    Pf = 1,
    /// `SCTP_ACTIVE` (2).
    #[nl(name = "SCTP_ACTIVE")]
    Active = 2,
    /// `SCTP_UNCONFIRMED` (3).
    #[nl(name = "SCTP_UNCONFIRMED")]
    Unconfirmed = 3,
    /// `SCTP_UNKNOWN` (0xffff).
    #[nl(name = "SCTP_UNKNOWN")]
    StateUnknown = 0xffff,
}

// A nested struct in an extensible view is read whole.
impl Native for KernelSockaddrStorage {
    type Out = KernelSockaddrStorage;
    fn native(&self) -> KernelSockaddrStorage {
        *self
    }
}

/// `struct sctp_info` (`<linux/sctp.h>`, 368 bytes). Parse it with
/// [`SctpInfoView`]; this full struct is what [`SctpInfoView::to_full`]
/// returns.
///
/// ```c
/// struct sctp_info {
///     __u32 sctpi_tag;
///     __u32 sctpi_state;
///     __u32 sctpi_rwnd;
///     __u16 sctpi_unackdata;
///     __u16 sctpi_penddata;
///     __u16 sctpi_instrms;
///     __u16 sctpi_outstrms;
///     __u32 sctpi_fragmentation_point;
///     __u32 sctpi_inqueue;
///     __u32 sctpi_outqueue;
///     __u32 sctpi_overall_error;
///     __u32 sctpi_max_burst;
///     __u32 sctpi_maxseg;
///     __u32 sctpi_peer_rwnd;
///     __u32 sctpi_peer_tag;
///     __u8  sctpi_peer_capable;
///     __u8  sctpi_peer_sack;
///     __u16 __reserved1;
///
///     /* assoc status info */
///     __u64 sctpi_isacks;
///     __u64 sctpi_osacks;
///     __u64 sctpi_opackets;
///     __u64 sctpi_ipackets;
///     __u64 sctpi_rtxchunks;
///     __u64 sctpi_outofseqtsns;
///     __u64 sctpi_idupchunks;
///     __u64 sctpi_gapcnt;
///     __u64 sctpi_ouodchunks;
///     __u64 sctpi_iuodchunks;
///     __u64 sctpi_oodchunks;
///     __u64 sctpi_iodchunks;
///     __u64 sctpi_octrlchunks;
///     __u64 sctpi_ictrlchunks;
///
///     /* primary transport info */
///     struct sockaddr_storage sctpi_p_address;
///     __s32 sctpi_p_state;
///     __u32 sctpi_p_cwnd;
///     __u32 sctpi_p_srtt;
///     __u32 sctpi_p_rto;
///     __u32 sctpi_p_hbinterval;
///     __u32 sctpi_p_pathmaxrxt;
///     __u32 sctpi_p_sackdelay;
///     __u32 sctpi_p_sackfreq;
///     __u32 sctpi_p_ssthresh;
///     __u32 sctpi_p_partial_bytes_acked;
///     __u32 sctpi_p_flight_size;
///     __u16 sctpi_p_error;
///     __u16 __reserved2;
///
///     /* sctp sock info */
///     __u32 sctpi_s_autoclose;
///     __u32 sctpi_s_adaptation_ind;
///     __u32 sctpi_s_pd_point;
///     __u8  sctpi_s_nodelay;
///     __u8  sctpi_s_disable_fragments;
///     __u8  sctpi_s_v4mapped;
///     __u8  sctpi_s_frag_interleave;
///     __u32 sctpi_s_type;
///     __u32 __reserved3;
/// };
/// ```
#[nl_struct(name = "sctp_info", extensible(view = SctpInfoView))]
pub struct SctpInfo {
    /// `sctpi_tag`: our verification tag (`asoc->c.my_vtag`).
    pub sctpi_tag: U32<NE>,
    /// `sctpi_state`: `SCTP_STATE_*` (`asoc->state`).
    #[nl(enum = SctpState)]
    pub sctpi_state: U32<NE>,
    /// `sctpi_rwnd`: our receive window.
    pub sctpi_rwnd: U32<NE>,
    /// `sctpi_unackdata`: unacknowledged DATA chunks.
    pub sctpi_unackdata: U16<NE>,
    /// `sctpi_penddata`: DATA chunks pending delivery.
    pub sctpi_penddata: U16<NE>,
    /// `sctpi_instrms`: inbound streams.
    pub sctpi_instrms: U16<NE>,
    /// `sctpi_outstrms`: outbound streams.
    pub sctpi_outstrms: U16<NE>,
    /// `sctpi_fragmentation_point`: fragmentation point.
    pub sctpi_fragmentation_point: U32<NE>,
    /// `sctpi_inqueue`: chunks in the input queue.
    pub sctpi_inqueue: U32<NE>,
    /// `sctpi_outqueue`: chunks in the output queue.
    pub sctpi_outqueue: U32<NE>,
    /// `sctpi_overall_error`: association error count.
    pub sctpi_overall_error: U32<NE>,
    /// `sctpi_max_burst`: `SCTP_MAX_BURST`.
    pub sctpi_max_burst: U32<NE>,
    /// `sctpi_maxseg`: `SCTP_MAXSEG`.
    pub sctpi_maxseg: U32<NE>,
    /// `sctpi_peer_rwnd`: the peer's receive window.
    pub sctpi_peer_rwnd: U32<NE>,
    /// `sctpi_peer_tag`: the peer's verification tag.
    pub sctpi_peer_tag: U32<NE>,
    /// `sctpi_peer_capable`: peer capabilities (asconf, prsctp, auth,
    /// reconf, intl bits).
    pub sctpi_peer_capable: u8,
    /// `sctpi_peer_sack`: the peer's SACK setting.
    pub sctpi_peer_sack: u8,
    /// `__reserved1`.
    #[nl(name = "__reserved1")]
    pub reserved1: U16<NE>,
    /// `sctpi_isacks`: SACKs received.
    pub sctpi_isacks: U64<NE>,
    /// `sctpi_osacks`: SACKs sent.
    pub sctpi_osacks: U64<NE>,
    /// `sctpi_opackets`: packets sent.
    pub sctpi_opackets: U64<NE>,
    /// `sctpi_ipackets`: packets received.
    pub sctpi_ipackets: U64<NE>,
    /// `sctpi_rtxchunks`: retransmitted chunks.
    pub sctpi_rtxchunks: U64<NE>,
    /// `sctpi_outofseqtsns`: out-of-sequence TSNs received.
    pub sctpi_outofseqtsns: U64<NE>,
    /// `sctpi_idupchunks`: duplicate chunks received.
    pub sctpi_idupchunks: U64<NE>,
    /// `sctpi_gapcnt`: gap reports received.
    pub sctpi_gapcnt: U64<NE>,
    /// `sctpi_ouodchunks`: unordered DATA chunks sent.
    pub sctpi_ouodchunks: U64<NE>,
    /// `sctpi_iuodchunks`: unordered DATA chunks received.
    pub sctpi_iuodchunks: U64<NE>,
    /// `sctpi_oodchunks`: ordered DATA chunks sent.
    pub sctpi_oodchunks: U64<NE>,
    /// `sctpi_iodchunks`: ordered DATA chunks received.
    pub sctpi_iodchunks: U64<NE>,
    /// `sctpi_octrlchunks`: control chunks sent.
    pub sctpi_octrlchunks: U64<NE>,
    /// `sctpi_ictrlchunks`: control chunks received.
    pub sctpi_ictrlchunks: U64<NE>,
    /// `sctpi_p_address`: the primary path's peer address (`struct
    /// sockaddr_storage`, 128 bytes).
    pub sctpi_p_address: KernelSockaddrStorage,
    /// `sctpi_p_state`: `SCTP_INACTIVE`, `SCTP_PF`, `SCTP_ACTIVE`, …
    #[nl(enum = SctpSpinfoState)]
    pub sctpi_p_state: I32<NE>,
    /// `sctpi_p_cwnd`: congestion window of the primary path.
    pub sctpi_p_cwnd: U32<NE>,
    /// `sctpi_p_srtt`: smoothed RTT (ms).
    pub sctpi_p_srtt: U32<NE>,
    /// `sctpi_p_rto`: retransmission timeout (ms).
    pub sctpi_p_rto: U32<NE>,
    /// `sctpi_p_hbinterval`: heartbeat interval (ms).
    pub sctpi_p_hbinterval: U32<NE>,
    /// `sctpi_p_pathmaxrxt`: path max retransmissions.
    pub sctpi_p_pathmaxrxt: U32<NE>,
    /// `sctpi_p_sackdelay`: SACK delay (ms).
    pub sctpi_p_sackdelay: U32<NE>,
    /// `sctpi_p_sackfreq`: SACK frequency.
    pub sctpi_p_sackfreq: U32<NE>,
    /// `sctpi_p_ssthresh`: slow start threshold.
    pub sctpi_p_ssthresh: U32<NE>,
    /// `sctpi_p_partial_bytes_acked`: partial bytes acked.
    pub sctpi_p_partial_bytes_acked: U32<NE>,
    /// `sctpi_p_flight_size`: bytes in flight.
    pub sctpi_p_flight_size: U32<NE>,
    /// `sctpi_p_error`: the primary path's error count.
    pub sctpi_p_error: U16<NE>,
    /// `__reserved2`.
    #[nl(name = "__reserved2")]
    pub reserved2: U16<NE>,
    /// `sctpi_s_autoclose`: `SCTP_AUTOCLOSE` (s).
    pub sctpi_s_autoclose: U32<NE>,
    /// `sctpi_s_adaptation_ind`: adaptation layer indication.
    pub sctpi_s_adaptation_ind: U32<NE>,
    /// `sctpi_s_pd_point`: partial delivery point.
    pub sctpi_s_pd_point: U32<NE>,
    /// `sctpi_s_nodelay`: `SCTP_NODELAY`.
    pub sctpi_s_nodelay: u8,
    /// `sctpi_s_disable_fragments`: `SCTP_DISABLE_FRAGMENTS`.
    pub sctpi_s_disable_fragments: u8,
    /// `sctpi_s_v4mapped`: `SCTP_I_WANT_MAPPED_V4_ADDR`.
    pub sctpi_s_v4mapped: u8,
    /// `sctpi_s_frag_interleave`: `SCTP_FRAGMENT_INTERLEAVE`.
    pub sctpi_s_frag_interleave: u8,
    /// `sctpi_s_type`: socket style (`SCTP_SOCKET_UDP` 0,
    /// `SCTP_SOCKET_UDP_HIGH_BANDWIDTH` 1, `SCTP_SOCKET_TCP` 2; kernel
    /// `enum sctp_socket_type`).
    pub sctpi_s_type: U32<NE>,
    /// `__reserved3`.
    #[nl(name = "__reserved3")]
    pub reserved3: U32<NE>,
}

//! `struct mptcp_info` (`<linux/mptcp.h>`): the payload of `INET_DIAG_INFO`
//! for `IPPROTO_MPTCP` sockets (and of `getsockopt(SOL_MPTCP, MPTCP_INFO)`).
//!
//! The kernel appends fields and sends its own `sizeof(struct mptcp_info)`
//! (`idiag_info_size` of `mptcp_diag_handler`), so [`MptcpInfoView`] parses
//! any length: fields the kernel did not send are `None`, bytes past the
//! fields below are kept ([`MptcpInfoView::extra`]). The struct has natural
//! C alignment, so `sizeof` is rounded up to 8 bytes:
//!
//! | bytes | last field | kernels |
//! |---|---|---|
//! | 40 | `mptcpi_rcv_nxt` | the earliest |
//! | 48 | `mptcpi_local_addr_used`, `mptcpi_local_addr_max`, then `mptcpi_csum_enabled` (+ tail padding) | … 6.1 (this machine's headers) |
//! | 80 | `mptcpi_bytes_acked` (`mptcpi_retransmits` … ) | |
//! | 88 | `mptcpi_subflows_total`, `reserved[3]` | |
//! | 96 | `mptcpi_last_ack_recv` (`mptcpi_last_data_sent` …) | 6.18 (running kernel, its BTF) |
//!
//! The 96-byte layout is the one of the running 6.18 kernel, read from its
//! BTF (`/sys/kernel/btf/vmlinux`): `mptcpi_endp_laminar_max` at 81 and
//! `reserved[2]` at 82 (later kernels name byte 82
//! `mptcpi_endp_fullmesh_max`, leaving `reserved` one byte). The
//! intermediate sizes follow from the field list; which release introduced
//! each was not checked here.
//!
//! Two holes "that can no longer be filled" (the kernel header's words) have
//! no C name: 2 bytes after `mptcpi_add_addr_accepted_max` and 1 byte after
//! `mptcpi_csum_enabled`; they are declared as `__hole1` and `__hole2`.

use zerocopy::byteorder::{U32, U64};
use zerocopy::NativeEndian as NE;

use crate::{nl_flags, nl_struct};

/// The `mptcpi_flags` bits (`<linux/mptcp.h>`; names:
/// [`MPTCP_INFO_FLAG_NAMES`]).
#[nl_flags(u32, table = MPTCP_INFO_FLAG_NAMES)]
pub enum MptcpInfoFlag {
    /// `MPTCP_INFO_FLAG_FALLBACK`: the connection fell back to plain TCP.
    MPTCP_INFO_FLAG_FALLBACK = 1 << 0,
    /// `MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED`: the peer's key was received.
    MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED = 1 << 1,
}

/// `struct mptcp_info` of the running 6.18 kernel (96 bytes;
/// `<linux/mptcp.h>`, the tail past 48 bytes from kernels newer than this
/// machine's 6.1 headers). Parse it with [`MptcpInfoView`]; this full struct
/// is what [`MptcpInfoView::to_full`] returns.
///
/// ```c
/// struct mptcp_info {
///     __u8  mptcpi_subflows;
///     __u8  mptcpi_add_addr_signal;
///     __u8  mptcpi_add_addr_accepted;
///     __u8  mptcpi_subflows_max;
///     __u8  mptcpi_add_addr_signal_max;
///     __u8  mptcpi_add_addr_accepted_max;
///     /* 16-bit hole that can no longer be filled */
///     __u32 mptcpi_flags;
///     __u32 mptcpi_token;
///     __u64 mptcpi_write_seq;
///     __u64 mptcpi_snd_una;
///     __u64 mptcpi_rcv_nxt;
///     __u8  mptcpi_local_addr_used;
///     __u8  mptcpi_local_addr_max;
///     __u8  mptcpi_csum_enabled;
///     /* 8-bit hole that can no longer be filled */
///     __u32 mptcpi_retransmits;
///     __u64 mptcpi_bytes_retrans;
///     __u64 mptcpi_bytes_sent;
///     __u64 mptcpi_bytes_received;
///     __u64 mptcpi_bytes_acked;
///     __u8  mptcpi_subflows_total;
///     __u8  mptcpi_endp_laminar_max;
///     __u8  reserved[2];
///     __u32 mptcpi_last_data_sent;
///     __u32 mptcpi_last_data_recv;
///     __u32 mptcpi_last_ack_recv;
/// };
/// ```
#[nl_struct(name = "mptcp_info", extensible(view = MptcpInfoView))]
pub struct MptcpInfo {
    /// `mptcpi_subflows`: additional subflows (the initial one not counted;
    /// newer headers alias it `mptcpi_extra_subflows`).
    pub mptcpi_subflows: u8,
    /// `mptcpi_add_addr_signal`: addresses announced (`ADD_ADDR` sent).
    pub mptcpi_add_addr_signal: u8,
    /// `mptcpi_add_addr_accepted`: announced addresses accepted.
    pub mptcpi_add_addr_accepted: u8,
    /// `mptcpi_subflows_max`: limit of additional subflows.
    pub mptcpi_subflows_max: u8,
    /// `mptcpi_add_addr_signal_max`: signal endpoints configured.
    pub mptcpi_add_addr_signal_max: u8,
    /// `mptcpi_add_addr_accepted_max`: limit of accepted `ADD_ADDR`s.
    pub mptcpi_add_addr_accepted_max: u8,
    /// The 16-bit hole before `mptcpi_flags` (no C name).
    #[nl(name = "__hole1")]
    pub hole1: [u8; 2],
    /// `mptcpi_flags`: `MPTCP_INFO_FLAG_*`.
    #[nl(flags = MPTCP_INFO_FLAG_NAMES)]
    pub mptcpi_flags: U32<NE>,
    /// `mptcpi_token`: the connection token.
    pub mptcpi_token: U32<NE>,
    /// `mptcpi_write_seq`: next data sequence number to write.
    pub mptcpi_write_seq: U64<NE>,
    /// `mptcpi_snd_una`: oldest unacknowledged data sequence number.
    pub mptcpi_snd_una: U64<NE>,
    /// `mptcpi_rcv_nxt`: next data sequence number expected.
    pub mptcpi_rcv_nxt: U64<NE>,
    /// `mptcpi_local_addr_used`: local addresses in use by subflows.
    pub mptcpi_local_addr_used: u8,
    /// `mptcpi_local_addr_max`: subflow endpoints configured (newer headers
    /// alias it `mptcpi_endp_subflow_max`).
    pub mptcpi_local_addr_max: u8,
    /// `mptcpi_csum_enabled`: DSS checksums in use.
    pub mptcpi_csum_enabled: u8,
    /// The 8-bit hole before `mptcpi_retransmits` (no C name; on 48-byte
    /// kernels part of the tail padding).
    #[nl(name = "__hole2")]
    pub hole2: u8,
    /// `mptcpi_retransmits`: MPTCP-level retransmissions.
    pub mptcpi_retransmits: U32<NE>,
    /// `mptcpi_bytes_retrans`: bytes retransmitted at the MPTCP level.
    pub mptcpi_bytes_retrans: U64<NE>,
    /// `mptcpi_bytes_sent`: bytes sent (all subflows).
    pub mptcpi_bytes_sent: U64<NE>,
    /// `mptcpi_bytes_received`: bytes received.
    pub mptcpi_bytes_received: U64<NE>,
    /// `mptcpi_bytes_acked`: bytes acknowledged.
    pub mptcpi_bytes_acked: U64<NE>,
    /// `mptcpi_subflows_total`: subflows, the initial one included.
    pub mptcpi_subflows_total: u8,
    /// `mptcpi_endp_laminar_max`: laminar endpoints configured (6.18).
    pub mptcpi_endp_laminar_max: u8,
    /// `reserved` (6.18: two bytes; later kernels use the first as
    /// `mptcpi_endp_fullmesh_max`).
    pub reserved: [u8; 2],
    /// `mptcpi_last_data_sent`: ms since data was last sent.
    pub mptcpi_last_data_sent: U32<NE>,
    /// `mptcpi_last_data_recv`: ms since data was last received.
    pub mptcpi_last_data_recv: U32<NE>,
    /// `mptcpi_last_ack_recv`: ms since an ack was last received.
    pub mptcpi_last_ack_recv: U32<NE>,
}

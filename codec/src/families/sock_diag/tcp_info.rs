//! `struct tcp_info` (`<linux/tcp.h>`): the payload of `INET_DIAG_INFO` for
//! TCP sockets (and of `getsockopt(TCP_INFO)`).
//!
//! The kernel appends fields and sends its own `sizeof(struct tcp_info)`,
//! so [`TcpInfoView`] parses any length: fields the kernel did not send are
//! `None`, bytes past the fields below are kept ([`TcpInfoView::extra`]).
//! Lengths seen in the wild:
//!
//! | bytes | last field | kernels |
//! |---|---|---|
//! | 104 | `tcpi_total_retrans` | 2.6 – 3.14 |
//! | 144 | `tcpi_segs_in` | 4.2 – 4.5 |
//! | 224 | `tcpi_reord_seen` | 4.19 |
//! | 232 | `tcpi_snd_wnd` | 5.4 – 6.1 (this machine's headers) |
//! | 240 | `tcpi_rehash` | 6.2 – 6.6 |
//! | 248 | `tcpi_total_rto_time` | 6.7 – 6.17 |
//! | 280 | `tcpi_ecn_mode`… bit-fields (AccECN) | 6.18+ |
//!
//! Bit-fields are declared with their bit ranges (GCC's little-endian
//! layout: first declared lowest): byte 6 `tcpi_snd_wscale:4,
//! tcpi_rcv_wscale:4`; byte 7 `tcpi_delivery_rate_app_limited:1,
//! tcpi_fastopen_client_fail:2`; the last `__u32` `tcpi_ecn_mode:2,
//! tcpi_accecn_opt_seen:2, tcpi_accecn_fail_mode:4, tcpi_options2:24`. The
//! bytes holding them have no kernel name; this codec calls them
//! `tcpi_wscale_bits`, `tcpi_rate_bits` and `tcpi_ecn_bits`.

use zerocopy::byteorder::{U16, U32, U64};
use zerocopy::NativeEndian as NE;

use super::states::TcpState;
use crate::{nl_flags, nl_struct, open_enum};

/// The `tcpi_options` bits of `struct tcp_info` (`<linux/tcp.h>`).
#[nl_flags(u8, table = TCPI_OPT_NAMES)]
pub enum TcpiOptNames {
    /// `TCPI_OPT_TIMESTAMPS` (`<linux/tcp.h>`).
    TCPI_OPT_TIMESTAMPS = 1,
    /// `TCPI_OPT_SACK`.
    TCPI_OPT_SACK = 2,
    /// `TCPI_OPT_WSCALE`.
    TCPI_OPT_WSCALE = 4,
    /// `TCPI_OPT_ECN`: ECN was negotiated at TCP session init.
    TCPI_OPT_ECN = 8,
    /// `TCPI_OPT_ECN_SEEN`: at least one packet with ECT was received.
    TCPI_OPT_ECN_SEEN = 16,
    /// `TCPI_OPT_SYN_DATA`: SYN-ACK acked data in SYN sent or received.
    TCPI_OPT_SYN_DATA = 32,
    /// `TCPI_OPT_USEC_TS`: timestamps in microseconds (kernel 6.7+).
    TCPI_OPT_USEC_TS = 64,
    /// `TCPI_OPT_TFO_CHILD`: a child socket of a TCP Fast Open server (6.10+).
    TCPI_OPT_TFO_CHILD = 128,
}

/// The sender's congestion state (`enum tcp_ca_state` of `<linux/tcp.h>`),
/// as in `tcpi_ca_state`.
#[open_enum(u8)]
pub enum TcpCaState {
    /// `TCP_CA_Open`: nothing bad observed recently.
    #[nl(name = "TCP_CA_Open")]
    Open = 0,
    /// `TCP_CA_Disorder`: DUPACKs or SACKs seen.
    #[nl(name = "TCP_CA_Disorder")]
    Disorder = 1,
    /// `TCP_CA_CWR`: congestion window reduction (ECN, local congestion).
    #[nl(name = "TCP_CA_CWR")]
    Cwr = 2,
    /// `TCP_CA_Recovery`: fast recovery.
    #[nl(name = "TCP_CA_Recovery")]
    Recovery = 3,
    /// `TCP_CA_Loss`: loss recovery after a retransmission timeout.
    #[nl(name = "TCP_CA_Loss")]
    Loss = 4,
}

/// `struct tcp_info` of today's kernel (280 bytes; `<linux/tcp.h>`, the
/// tail past 232 bytes from kernels newer than this machine's 6.1 headers).
/// Parse it with [`TcpInfoView`]; this full struct is what
/// [`TcpInfoView::to_full`] returns.
#[nl_struct(name = "tcp_info", extensible(view = TcpInfoView))]
pub struct TcpInfo {
    /// `tcpi_state`: `TCP_*`.
    #[nl(enum = TcpState)]
    pub tcpi_state: u8,
    /// `tcpi_ca_state`: `TCP_CA_*`.
    #[nl(enum = TcpCaState)]
    pub tcpi_ca_state: u8,
    /// `tcpi_retransmits`: unrecovered RTO timeouts.
    pub tcpi_retransmits: u8,
    /// `tcpi_probes`: unanswered zero window probes.
    pub tcpi_probes: u8,
    /// `tcpi_backoff`: RTO backoff exponent.
    pub tcpi_backoff: u8,
    /// `tcpi_options`: `TCPI_OPT_*`.
    #[nl(flags = TCPI_OPT_NAMES)]
    pub tcpi_options: u8,
    /// Byte 6: `tcpi_snd_wscale:4, tcpi_rcv_wscale:4`.
    #[nl(bits(tcpi_snd_wscale = 0..4, tcpi_rcv_wscale = 4..8))]
    pub tcpi_wscale_bits: u8,
    /// Byte 7: `tcpi_delivery_rate_app_limited:1, tcpi_fastopen_client_fail:2`.
    #[nl(bits(tcpi_delivery_rate_app_limited = 0..1, tcpi_fastopen_client_fail = 1..3))]
    pub tcpi_rate_bits: u8,

    /// `tcpi_rto`: retransmission timeout (µs).
    pub tcpi_rto: U32<NE>,
    /// `tcpi_ato`: delayed ACK timeout (µs).
    pub tcpi_ato: U32<NE>,
    /// `tcpi_snd_mss`: send MSS.
    pub tcpi_snd_mss: U32<NE>,
    /// `tcpi_rcv_mss`: receive MSS estimate.
    pub tcpi_rcv_mss: U32<NE>,

    /// `tcpi_unacked`: packets out.
    pub tcpi_unacked: U32<NE>,
    /// `tcpi_sacked`: SACKed packets (listeners: max backlog).
    pub tcpi_sacked: U32<NE>,
    /// `tcpi_lost`: lost packets.
    pub tcpi_lost: U32<NE>,
    /// `tcpi_retrans`: retransmitted packets out.
    pub tcpi_retrans: U32<NE>,
    /// `tcpi_fackets`: unused (0).
    pub tcpi_fackets: U32<NE>,

    /// `tcpi_last_data_sent`: ms since the last data sent.
    pub tcpi_last_data_sent: U32<NE>,
    /// `tcpi_last_ack_sent`: not remembered (0).
    pub tcpi_last_ack_sent: U32<NE>,
    /// `tcpi_last_data_recv`: ms since the last data received.
    pub tcpi_last_data_recv: U32<NE>,
    /// `tcpi_last_ack_recv`: ms since the last ACK received.
    pub tcpi_last_ack_recv: U32<NE>,

    /// `tcpi_pmtu`: path MTU.
    pub tcpi_pmtu: U32<NE>,
    /// `tcpi_rcv_ssthresh`: receive window clamp.
    pub tcpi_rcv_ssthresh: U32<NE>,
    /// `tcpi_rtt`: smoothed RTT (µs).
    pub tcpi_rtt: U32<NE>,
    /// `tcpi_rttvar`: RTT variance (µs).
    pub tcpi_rttvar: U32<NE>,
    /// `tcpi_snd_ssthresh`: slow start threshold.
    pub tcpi_snd_ssthresh: U32<NE>,
    /// `tcpi_snd_cwnd`: congestion window (packets).
    pub tcpi_snd_cwnd: U32<NE>,
    /// `tcpi_advmss`: advertised MSS.
    pub tcpi_advmss: U32<NE>,
    /// `tcpi_reordering`: reordering metric.
    pub tcpi_reordering: U32<NE>,

    /// `tcpi_rcv_rtt`: receiver-side RTT estimate (µs).
    pub tcpi_rcv_rtt: U32<NE>,
    /// `tcpi_rcv_space`: receive buffer auto-tuning space.
    pub tcpi_rcv_space: U32<NE>,

    /// `tcpi_total_retrans`: total retransmitted segments (end of the
    /// 104-byte struct).
    pub tcpi_total_retrans: U32<NE>,

    /// `tcpi_pacing_rate`: bytes per second (3.15+).
    pub tcpi_pacing_rate: U64<NE>,
    /// `tcpi_max_pacing_rate`: `SO_MAX_PACING_RATE`.
    pub tcpi_max_pacing_rate: U64<NE>,
    /// `tcpi_bytes_acked`: RFC 4898 tcpEStatsAppHCThruOctetsAcked (4.1+).
    pub tcpi_bytes_acked: U64<NE>,
    /// `tcpi_bytes_received`: RFC 4898 tcpEStatsAppHCThruOctetsReceived.
    pub tcpi_bytes_received: U64<NE>,
    /// `tcpi_segs_out`: RFC 4898 tcpEStatsPerfSegsOut (4.2+).
    pub tcpi_segs_out: U32<NE>,
    /// `tcpi_segs_in`: RFC 4898 tcpEStatsPerfSegsIn (end of 144 bytes).
    pub tcpi_segs_in: U32<NE>,

    /// `tcpi_notsent_bytes`: bytes not yet sent (4.6+).
    pub tcpi_notsent_bytes: U32<NE>,
    /// `tcpi_min_rtt`: minimum RTT (µs).
    pub tcpi_min_rtt: U32<NE>,
    /// `tcpi_data_segs_in`: RFC 4898 tcpEStatsDataSegsIn.
    pub tcpi_data_segs_in: U32<NE>,
    /// `tcpi_data_segs_out`: RFC 4898 tcpEStatsDataSegsOut.
    pub tcpi_data_segs_out: U32<NE>,

    /// `tcpi_delivery_rate`: bytes per second (4.9+).
    pub tcpi_delivery_rate: U64<NE>,

    /// `tcpi_busy_time`: µs busy sending data (4.10+).
    pub tcpi_busy_time: U64<NE>,
    /// `tcpi_rwnd_limited`: µs limited by the receive window.
    pub tcpi_rwnd_limited: U64<NE>,
    /// `tcpi_sndbuf_limited`: µs limited by the send buffer.
    pub tcpi_sndbuf_limited: U64<NE>,

    /// `tcpi_delivered`: packets delivered (4.18+).
    pub tcpi_delivered: U32<NE>,
    /// `tcpi_delivered_ce`: packets delivered with CE marks.
    pub tcpi_delivered_ce: U32<NE>,

    /// `tcpi_bytes_sent`: RFC 4898 tcpEStatsPerfHCDataOctetsOut (4.19+).
    pub tcpi_bytes_sent: U64<NE>,
    /// `tcpi_bytes_retrans`: RFC 4898 tcpEStatsPerfOctetsRetrans.
    pub tcpi_bytes_retrans: U64<NE>,
    /// `tcpi_dsack_dups`: RFC 4898 tcpEStatsStackDSACKDups.
    pub tcpi_dsack_dups: U32<NE>,
    /// `tcpi_reord_seen`: reordering events seen (end of 224 bytes).
    pub tcpi_reord_seen: U32<NE>,

    /// `tcpi_rcv_ooopack`: out-of-order packets received (5.4+).
    pub tcpi_rcv_ooopack: U32<NE>,

    /// `tcpi_snd_wnd`: peer's advertised receive window after scaling
    /// (bytes; end of 232 bytes).
    pub tcpi_snd_wnd: U32<NE>,

    /// `tcpi_rcv_wnd`: local advertised receive window after scaling
    /// (bytes; 6.2+).
    pub tcpi_rcv_wnd: U32<NE>,
    /// `tcpi_rehash`: PLB or timeout triggered rehash attempts (end of 240).
    pub tcpi_rehash: U32<NE>,

    /// `tcpi_total_rto`: total RTO timeouts, including SYN/SYN-ACK and
    /// recurring timeouts (6.7+).
    pub tcpi_total_rto: U16<NE>,
    /// `tcpi_total_rto_recoveries`: total RTO recoveries, including any
    /// unfinished one.
    pub tcpi_total_rto_recoveries: U16<NE>,
    /// `tcpi_total_rto_time`: ms spent in RTO recoveries (end of 248).
    pub tcpi_total_rto_time: U32<NE>,

    /// `tcpi_received_ce`: CE marks received (AccECN, 6.18+).
    pub tcpi_received_ce: U32<NE>,
    /// `tcpi_delivered_e1_bytes`: AccECN byte counter.
    pub tcpi_delivered_e1_bytes: U32<NE>,
    /// `tcpi_delivered_e0_bytes`: AccECN byte counter.
    pub tcpi_delivered_e0_bytes: U32<NE>,
    /// `tcpi_delivered_ce_bytes`: AccECN byte counter.
    pub tcpi_delivered_ce_bytes: U32<NE>,
    /// `tcpi_received_e1_bytes`: AccECN byte counter.
    pub tcpi_received_e1_bytes: U32<NE>,
    /// `tcpi_received_e0_bytes`: AccECN byte counter.
    pub tcpi_received_e0_bytes: U32<NE>,
    /// `tcpi_received_ce_bytes`: AccECN byte counter.
    pub tcpi_received_ce_bytes: U32<NE>,
    /// The last `__u32`: `tcpi_ecn_mode:2, tcpi_accecn_opt_seen:2,
    /// tcpi_accecn_fail_mode:4, tcpi_options2:24` (end of 280).
    #[nl(bits(tcpi_ecn_mode = 0..2, tcpi_accecn_opt_seen = 2..4, tcpi_accecn_fail_mode = 4..8, tcpi_options2 = 8..32))]
    pub tcpi_ecn_bits: U32<NE>,
}

impl TcpInfoView<'_> {
    /// `tcpi_state` as a [`TcpState`].
    pub fn state(&self) -> Option<TcpState> {
        self.tcpi_state().map(TcpState::from)
    }
    /// `tcpi_ca_state` as a [`TcpCaState`].
    pub fn ca_state(&self) -> Option<TcpCaState> {
        self.tcpi_ca_state().map(TcpCaState::from)
    }
}

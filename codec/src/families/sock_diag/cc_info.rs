//! Congestion control information (`union tcp_cc_info` of
//! `<linux/inet_diag.h>`): the payloads of `INET_DIAG_VEGASINFO`,
//! `INET_DIAG_DCTCPINFO` and `INET_DIAG_BBRINFO`, filled by the congestion
//! control module's `get_info` when the request has the VEGASINFO bit (or
//! `INET_DIAG_INFO`).

use zerocopy::byteorder::{U16, U32};
use zerocopy::NativeEndian as NE;

use crate::nl_struct;

/// `struct tcpvegas_info` (`<linux/inet_diag.h>`): `INET_DIAG_VEGASINFO`,
/// sent by vegas, veno, illinois, …
///
/// ```c
/// struct tcpvegas_info {
///     __u32 tcpv_enabled;
///     __u32 tcpv_rttcnt;
///     __u32 tcpv_rtt;
///     __u32 tcpv_minrtt;
/// };
/// ```
#[nl_struct(name = "tcpvegas_info")]
pub struct TcpvegasInfo {
    /// `tcpv_enabled`: vegas is active.
    pub tcpv_enabled: U32<NE>,
    /// `tcpv_rttcnt`: RTT samples in the last RTT.
    pub tcpv_rttcnt: U32<NE>,
    /// `tcpv_rtt`: base RTT (µs).
    pub tcpv_rtt: U32<NE>,
    /// `tcpv_minrtt`: minimum RTT of the last RTT (µs).
    pub tcpv_minrtt: U32<NE>,
}

/// `struct tcp_dctcp_info` (`<linux/inet_diag.h>`): `INET_DIAG_DCTCPINFO`.
///
/// ```c
/// struct tcp_dctcp_info {
///     __u16 dctcp_enabled;
///     __u16 dctcp_ce_state;
///     __u32 dctcp_alpha;
///     __u32 dctcp_ab_ecn;
///     __u32 dctcp_ab_tot;
/// };
/// ```
#[nl_struct(name = "tcp_dctcp_info")]
pub struct TcpDctcpInfo {
    /// `dctcp_enabled`.
    pub dctcp_enabled: U16<NE>,
    /// `dctcp_ce_state`: CE state of the last segment.
    pub dctcp_ce_state: U16<NE>,
    /// `dctcp_alpha`: the alpha estimate, scaled by 1024.
    pub dctcp_alpha: U32<NE>,
    /// `dctcp_ab_ecn`: bytes acked with ECE.
    pub dctcp_ab_ecn: U32<NE>,
    /// `dctcp_ab_tot`: bytes acked.
    pub dctcp_ab_tot: U32<NE>,
}

/// `struct tcp_bbr_info` (`<linux/inet_diag.h>`): `INET_DIAG_BBRINFO`.
///
/// ```c
/// struct tcp_bbr_info {
///     /* u64 bw: max-filtered BW (app throughput) estimate in Byte per sec: */
///     __u32 bbr_bw_lo;       /* lower 32 bits of bw */
///     __u32 bbr_bw_hi;       /* upper 32 bits of bw */
///     __u32 bbr_min_rtt;     /* min-filtered RTT in uSec */
///     __u32 bbr_pacing_gain; /* pacing gain shifted left 8 bits */
///     __u32 bbr_cwnd_gain;   /* cwnd gain shifted left 8 bits */
/// };
/// ```
#[nl_struct(name = "tcp_bbr_info")]
pub struct TcpBbrInfo {
    /// `bbr_bw_lo`: lower 32 bits of the bandwidth estimate (bytes/s).
    pub bbr_bw_lo: U32<NE>,
    /// `bbr_bw_hi`: upper 32 bits of the bandwidth estimate.
    pub bbr_bw_hi: U32<NE>,
    /// `bbr_min_rtt`: min-filtered RTT (µs).
    pub bbr_min_rtt: U32<NE>,
    /// `bbr_pacing_gain`: pacing gain << 8.
    pub bbr_pacing_gain: U32<NE>,
    /// `bbr_cwnd_gain`: cwnd gain << 8.
    pub bbr_cwnd_gain: U32<NE>,
}

impl TcpBbrInfo {
    /// The bandwidth estimate in bytes per second (`bbr_bw_hi << 32 | bbr_bw_lo`).
    pub fn bw(&self) -> u64 {
        (u64::from(self.bbr_bw_hi.get()) << 32) | u64::from(self.bbr_bw_lo.get())
    }
}

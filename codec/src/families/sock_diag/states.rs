//! TCP states (`<net/tcp_states.h>`, mirrored by iproute2 `ss`), the
//! `idiag_states` / `udiag_states` bit masks built from them, and the
//! `idiag_timer` codes of `struct inet_diag_msg` (`<linux/inet_diag.h>`).
//!
//! The state numbers are shared by every socket family that sock_diag
//! reports: inet sockets use all of them, unix sockets only
//! `TCP_ESTABLISHED`, `TCP_CLOSE` and `TCP_LISTEN` (see [`UnixState`](super::UnixState)).

use crate::{nl_flags, open_enum};

/// A TCP state (`enum { TCP_ESTABLISHED = 1, ... }` of `<net/tcp_states.h>`),
/// as carried in `idiag_state` and `tcpi_state`.
#[open_enum(u8)]
pub enum TcpState {
    /// `TCP_ESTABLISHED`.
    #[nl(name = "TCP_ESTABLISHED")]
    Established = 1,
    /// `TCP_SYN_SENT`.
    #[nl(name = "TCP_SYN_SENT")]
    SynSent = 2,
    /// `TCP_SYN_RECV`.
    #[nl(name = "TCP_SYN_RECV")]
    SynRecv = 3,
    /// `TCP_FIN_WAIT1`.
    #[nl(name = "TCP_FIN_WAIT1")]
    FinWait1 = 4,
    /// `TCP_FIN_WAIT2`.
    #[nl(name = "TCP_FIN_WAIT2")]
    FinWait2 = 5,
    /// `TCP_TIME_WAIT`.
    #[nl(name = "TCP_TIME_WAIT")]
    TimeWait = 6,
    /// `TCP_CLOSE`.
    #[nl(name = "TCP_CLOSE")]
    Close = 7,
    /// `TCP_CLOSE_WAIT`.
    #[nl(name = "TCP_CLOSE_WAIT")]
    CloseWait = 8,
    /// `TCP_LAST_ACK`.
    #[nl(name = "TCP_LAST_ACK")]
    LastAck = 9,
    /// `TCP_LISTEN`.
    #[nl(name = "TCP_LISTEN")]
    Listen = 10,
    /// `TCP_CLOSING`: now a valid state.
    #[nl(name = "TCP_CLOSING")]
    Closing = 11,
    /// `TCP_NEW_SYN_RECV`: a request socket (kernel 4.4+).
    #[nl(name = "TCP_NEW_SYN_RECV")]
    NewSynRecv = 12,
    /// `TCP_BOUND_INACTIVE`: bound, not listening (kernel 6.7+).
    #[nl(name = "TCP_BOUND_INACTIVE")]
    BoundInactive = 13,
}

impl TcpState {
    /// `TCPF_<state>`: this state's bit in an `idiag_states` mask
    /// (`1 << state`). Values of 32 and above have no bit (0).
    pub const fn mask(self) -> u32 {
        state_mask(self.raw())
    }
}

/// `1 << state` for a state number; 0 for numbers that do not fit a `u32`
/// mask.
pub const fn state_mask(state: u8) -> u32 {
    if state < 32 {
        1u32 << state
    } else {
        0
    }
}

/// The state bits of `idiag_states` / `udiag_states` (`TCPF_x = 1 <<
/// TCP_x`, `<net/tcp_states.h>`); names: [`TCPF_NAMES`].
#[nl_flags(u32, table = TCPF_NAMES)]
pub enum TcpfNames {
    /// `TCPF_ESTABLISHED` (`<net/tcp_states.h>`).
    TCPF_ESTABLISHED = 1 << 1,
    /// `TCPF_SYN_SENT`.
    TCPF_SYN_SENT = 1 << 2,
    /// `TCPF_SYN_RECV`.
    TCPF_SYN_RECV = 1 << 3,
    /// `TCPF_FIN_WAIT1`.
    TCPF_FIN_WAIT1 = 1 << 4,
    /// `TCPF_FIN_WAIT2`.
    TCPF_FIN_WAIT2 = 1 << 5,
    /// `TCPF_TIME_WAIT`.
    TCPF_TIME_WAIT = 1 << 6,
    /// `TCPF_CLOSE`.
    TCPF_CLOSE = 1 << 7,
    /// `TCPF_CLOSE_WAIT`.
    TCPF_CLOSE_WAIT = 1 << 8,
    /// `TCPF_LAST_ACK`.
    TCPF_LAST_ACK = 1 << 9,
    /// `TCPF_LISTEN`.
    TCPF_LISTEN = 1 << 10,
    /// `TCPF_CLOSING`.
    TCPF_CLOSING = 1 << 11,
    /// `TCPF_NEW_SYN_RECV`.
    TCPF_NEW_SYN_RECV = 1 << 12,
    /// `TCPF_BOUND_INACTIVE`.
    TCPF_BOUND_INACTIVE = 1 << 13,
}

/// Every state: the mask iproute2 `ss -a` sends (`SS_ALL = (1 << SS_MAX) - 1`,
/// bits 0–13; bit 0 is no state and is ignored by the kernel).
pub const TCPF_ALL: u32 = (1 << 14) - 1;

/// A state mask from a list of states (`TCPF_x | TCPF_y`).
pub const fn states_mask(states: &[TcpState]) -> u32 {
    let mut m = 0;
    let mut rest = states;
    while let [first, tail @ ..] = rest {
        m |= first.mask();
        rest = tail;
    }
    m
}

/// `true` if `mask` selects `state`.
pub const fn mask_has(mask: u32, state: TcpState) -> bool {
    mask & state.mask() != 0
}

/// The `idiag_timer` code of `struct inet_diag_msg` (set in the kernel's
/// `inet_sk_diag_fill`, `inet_twsk_diag_fill` and `inet_req_diag_fill`).
/// The kernel has no names for these numbers; iproute2 `ss` prints them as
/// `off`, `on`, `keepalive`, `timewait` and `persist`.
#[open_enum(u8)]
pub enum InetDiagTimer {
    /// 0: no timer pending.
    #[nl(name = "none")]
    None = 0,
    /// 1: retransmit timer (also RACK reorder timeout and tail loss probe;
    /// `idiag_retrans` is `icsk_retransmits`). Request sockets also report 1.
    #[nl(name = "retransmit")]
    Retransmit = 1,
    /// 2: keepalive timer (`sk_timer`; `idiag_retrans` is `icsk_probes_out`).
    #[nl(name = "keepalive")]
    Keepalive = 2,
    /// 3: TIME_WAIT timer of a timewait socket.
    #[nl(name = "time_wait")]
    TimeWait = 3,
    /// 4: zero window probe timer (`ICSK_TIME_PROBE0`; `idiag_retrans` is
    /// `icsk_probes_out`).
    #[nl(name = "zero_window_probe")]
    ZeroWindowProbe = 4,
}

//! `INET_DIAG_INFO` of a TCP socket (`struct tcp_info`, `<linux/tcp.h>`)
//! for `nlwire ss --json`, written from the reply's bytes
//! ([`TcpInfoView`]) in one pass: the keys in byte order from a template
//! made once, each value read at its offset, no walk of the fields, no key
//! matched or reordered. It writes what the general path
//! ([`super::json::JsonWriter`] walking the view) writes: the same keys
//! (a field the kernel did not send is left out, as the walk leaves it),
//! enums and flags as `{"name", "value"}` and `{"names", …, "value"}`
//! (tested against it below, at every length).

use nlwire::families::sock_diag::{TcpCaState, TcpInfo, TcpInfoView, TcpState, TCPI_OPT_NAMES};
use nlwire::value::{OpenEnum, Value};
use nlwire::wire::WireStruct;
use nlwire_cli::output::json::put_json_key;

use super::json::put_value_outlined;

/// How a key's value is read and written.
#[derive(Clone, Copy)]
enum How {
    /// An integer field (or bit-field) read by the view's accessor.
    Int(fn(&TcpInfoView<'_>) -> Option<u64>),
    /// `tcpi_state`: `enum TcpState`.
    State,
    /// `tcpi_ca_state`: `enum tcp_ca_state`.
    CaState,
    /// `tcpi_options`: `TCPI_OPT_*` flags.
    Options,
}

/// The fields as the walk of `struct tcp_info` names them, bit-fields by
/// their own names (`tcpi_snd_wscale`, …), in declaration order.
fn fields() -> Vec<(&'static str, How)> {
    macro_rules! ints {
        ($($f:ident),* $(,)?) => {
            [$((stringify!($f), How::Int(|v: &TcpInfoView<'_>| v.$f().map(u64::from)))),*]
        };
    }
    let mut f = vec![
        ("tcpi_state", How::State),
        ("tcpi_ca_state", How::CaState),
        ("tcpi_options", How::Options),
    ];
    f.extend(ints!(
        tcpi_retransmits,
        tcpi_probes,
        tcpi_backoff,
        tcpi_snd_wscale,
        tcpi_rcv_wscale,
        tcpi_delivery_rate_app_limited,
        tcpi_fastopen_client_fail,
        tcpi_rto,
        tcpi_ato,
        tcpi_snd_mss,
        tcpi_rcv_mss,
        tcpi_unacked,
        tcpi_sacked,
        tcpi_lost,
        tcpi_retrans,
        tcpi_fackets,
        tcpi_last_data_sent,
        tcpi_last_ack_sent,
        tcpi_last_data_recv,
        tcpi_last_ack_recv,
        tcpi_pmtu,
        tcpi_rcv_ssthresh,
        tcpi_rtt,
        tcpi_rttvar,
        tcpi_snd_ssthresh,
        tcpi_snd_cwnd,
        tcpi_advmss,
        tcpi_reordering,
        tcpi_rcv_rtt,
        tcpi_rcv_space,
        tcpi_total_retrans,
        tcpi_pacing_rate,
        tcpi_max_pacing_rate,
        tcpi_bytes_acked,
        tcpi_bytes_received,
        tcpi_segs_out,
        tcpi_segs_in,
        tcpi_notsent_bytes,
        tcpi_min_rtt,
        tcpi_data_segs_in,
        tcpi_data_segs_out,
        tcpi_delivery_rate,
        tcpi_busy_time,
        tcpi_rwnd_limited,
        tcpi_sndbuf_limited,
        tcpi_delivered,
        tcpi_delivered_ce,
        tcpi_bytes_sent,
        tcpi_bytes_retrans,
        tcpi_dsack_dups,
        tcpi_reord_seen,
        tcpi_rcv_ooopack,
        tcpi_snd_wnd,
        tcpi_rcv_wnd,
        tcpi_rehash,
        tcpi_total_rto,
        tcpi_total_rto_recoveries,
        tcpi_total_rto_time,
        tcpi_received_ce,
        tcpi_delivered_e1_bytes,
        tcpi_delivered_e0_bytes,
        tcpi_delivered_ce_bytes,
        tcpi_received_e1_bytes,
        tcpi_received_e0_bytes,
        tcpi_received_ce_bytes,
        tcpi_ecn_mode,
        tcpi_accecn_opt_seen,
        tcpi_accecn_fail_mode,
        tcpi_options2,
    ));
    f
}

/// The keys in byte order, each with its `,"key":` text.
#[derive(Default)]
pub(super) struct TcpJson {
    keys: Vec<(String, How)>,
}

impl std::fmt::Debug for TcpJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpJson")
            .field("keys", &self.keys.len())
            .finish()
    }
}

impl TcpJson {
    /// Whether [`TcpJson::write`] writes `t` as the walk would: no bytes
    /// past the fields known (the walk adds them as `extra`).
    pub(super) fn fits(t: &TcpInfoView<'_>) -> bool {
        t.len() <= TcpInfo::SIZE
    }

    /// Whether the template was made: [`TcpJson::write`] was used.
    #[cfg(test)]
    pub(super) fn made(&self) -> bool {
        !self.keys.is_empty()
    }

    /// `t` as a JSON object appended to `s` (see [`TcpJson::fits`]).
    pub(super) fn write(&mut self, t: &TcpInfoView<'_>, s: &mut String) {
        if self.keys.is_empty() {
            let mut f = fields();
            f.sort_by(|a, b| a.0.cmp(b.0));
            self.keys = f
                .into_iter()
                .map(|(k, how)| {
                    let mut pre = String::from(",");
                    put_json_key(k, &mut pre);
                    (pre, how)
                })
                .collect();
        }
        let mut num = itoa::Buffer::new();
        // Keys and values of a whole `tcp_info` fit (about 2.5 KB).
        s.reserve(4096);
        s.push('{');
        let mut first = true;
        for (pre, how) in &self.keys {
            let value = match *how {
                How::Int(get) => match get(t) {
                    Some(n) => Ok(n),
                    None => continue,
                },
                How::State => match t.tcpi_state() {
                    Some(raw) => {
                        let raw = u64::from(raw);
                        Err(Value::Enum {
                            raw,
                            name: <TcpState as OpenEnum>::name_of(raw),
                        })
                    }
                    None => continue,
                },
                How::CaState => match t.tcpi_ca_state() {
                    Some(raw) => {
                        let raw = u64::from(raw);
                        Err(Value::Enum {
                            raw,
                            name: <TcpCaState as OpenEnum>::name_of(raw),
                        })
                    }
                    None => continue,
                },
                How::Options => match t.tcpi_options() {
                    Some(raw) => Err(Value::Flags {
                        raw: u64::from(raw),
                        names: TCPI_OPT_NAMES,
                    }),
                    None => continue,
                },
            };
            s.push_str(if first {
                pre.get(1..).unwrap_or_default()
            } else {
                pre
            });
            first = false;
            match value {
                // Most values are 0: one digit without `itoa`.
                Ok(n) => match u8::try_from(n).ok().filter(|d| *d < 10) {
                    Some(d) => s.push(char::from(b'0' + d)),
                    None => s.push_str(num.format(n)),
                },
                Err(v) => put_value_outlined(&v, s),
            }
        }
        s.push('}');
    }
}

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
use super::json_memo::ByteTexts;

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

/// The longest `,"key":` text, padded (a fixed-size copy, no call).
const PRE: usize = 48;

/// One key of the template: its `,"key":` text padded to [`PRE`] bytes,
/// that text's length, how its value is written.
#[derive(Clone, Copy)]
struct Key {
    pre: [u8; PRE],
    len: usize,
    how: How,
}

/// The keys in byte order ([`Key`]), the texts of the byte-valued enums
/// and flags by value, and the buffer a `tcp_info`'s text is made in.
#[derive(Default)]
pub(super) struct TcpJson {
    keys: Vec<Key>,
    state: ByteTexts,
    ca_state: ByteTexts,
    options: ByteTexts,
    buf: Vec<u8>,
}

impl std::fmt::Debug for TcpJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpJson")
            .field("keys", &self.keys.len())
            .finish()
    }
}

/// Room in the buffer for a key and a number (or an enum's text of up to
/// this much).
const ROOM: usize = PRE + 128;

/// "00" to "99": two digits at a time.
const PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// The decimal digits of `n` written at `at` of `buf` (room checked by the
/// caller); the position after them.
#[inline]
fn put_digits(buf: &mut [u8], at: usize, mut n: u64) -> usize {
    if n < 10 {
        if let Some(b) = buf.get_mut(at) {
            *b = b'0' + n as u8;
        }
        return at + 1;
    }
    let len = n.ilog10() as usize + 1;
    let Some(d) = buf.get_mut(at..at + len) else {
        return at;
    };
    let mut end = len;
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        if let (Some(o), Some(p)) = (d.get_mut(end - 2..end), PAIRS.get(pair..pair + 2)) {
            o.copy_from_slice(p);
        }
        end -= 2;
    }
    if n >= 10 {
        let pair = n as usize * 2;
        if let (Some(o), Some(p)) = (d.get_mut(..2), PAIRS.get(pair..pair + 2)) {
            o.copy_from_slice(p);
        }
    } else if let Some(o) = d.first_mut() {
        *o = b'0' + n as u8;
    }
    at + len
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

    fn make(&mut self) {
        let mut f = fields();
        f.sort_by(|a, b| a.0.cmp(b.0));
        self.keys = f
            .into_iter()
            .filter_map(|(k, how)| {
                let mut text = String::from(",");
                put_json_key(k, &mut text);
                let mut pre = [b' '; PRE];
                pre.get_mut(..text.len())?.copy_from_slice(text.as_bytes());
                Some(Key {
                    pre,
                    len: text.len(),
                    how,
                })
            })
            .collect();
        self.buf = vec![0; 8192];
    }

    /// `t` as a JSON object appended to `s` (see [`TcpJson::fits`]).
    pub(super) fn write(&mut self, t: &TcpInfoView<'_>, s: &mut String) {
        let body = self.fill(t);
        s.push('{');
        s.push_str(std::str::from_utf8(body).unwrap_or_default());
        s.push('}');
    }

    /// [`TcpJson::write`] into bytes.
    pub(super) fn write_bytes(&mut self, t: &TcpInfoView<'_>, out: &mut Vec<u8>) {
        let body = self.fill(t);
        out.push(b'{');
        out.extend_from_slice(body);
        out.push(b'}');
    }

    /// The text of `t`'s keys and values (without the braces) in the
    /// buffer.
    fn fill(&mut self, t: &TcpInfoView<'_>) -> &[u8] {
        if self.keys.is_empty() {
            self.make();
        }
        let buf = &mut self.buf;
        let mut at = 0;
        for k in &self.keys {
            let n = match k.how {
                How::Int(get) => match get(t) {
                    Some(n) => Ok(n),
                    None => continue,
                },
                How::State => match t.tcpi_state() {
                    Some(raw) => Err((raw, &mut self.state, Kind::State)),
                    None => continue,
                },
                How::CaState => match t.tcpi_ca_state() {
                    Some(raw) => Err((raw, &mut self.ca_state, Kind::CaState)),
                    None => continue,
                },
                How::Options => match t.tcpi_options() {
                    Some(raw) => Err((raw, &mut self.options, Kind::Options)),
                    None => continue,
                },
            };
            if buf.len() < at + ROOM {
                buf.resize(at + ROOM, 0);
            }
            if let Some(d) = buf.get_mut(at..at + PRE) {
                d.copy_from_slice(&k.pre);
            }
            at += k.len;
            match n {
                Ok(n) => at = put_digits(buf, at, n),
                Err((raw, texts, kind)) => {
                    let text = texts.text(raw, |s| put_value_outlined(&kind.value(raw), s));
                    let end = at + text.len();
                    if buf.len() < end {
                        buf.resize(end, 0);
                    }
                    if let Some(d) = buf.get_mut(at..end) {
                        d.copy_from_slice(text.as_bytes());
                    }
                    at = end;
                }
            }
        }
        // The first key without its `,`.
        buf.get(1..at).unwrap_or_default()
    }
}

/// The byte-valued fields written through the general value writer.
#[derive(Clone, Copy)]
enum Kind {
    State,
    CaState,
    Options,
}

impl Kind {
    fn value(self, raw: u8) -> Value<'static> {
        let raw = u64::from(raw);
        match self {
            Kind::State => Value::Enum {
                raw,
                name: <TcpState as OpenEnum>::name_of(raw),
            },
            Kind::CaState => Value::Enum {
                raw,
                name: <TcpCaState as OpenEnum>::name_of(raw),
            },
            Kind::Options => Value::Flags {
                raw,
                names: TCPI_OPT_NAMES,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::put_digits;

    #[test]
    fn digits_as_itoa_writes_them() {
        let mut buf = [b'x'; 24];
        let mut num = itoa::Buffer::new();
        let mut ns: Vec<u64> = vec![0, 9, 10, 99, 100, 101, 999, 1000, u64::MAX, u64::MAX - 1];
        ns.extend((0..64).map(|i| 1u64 << i));
        ns.extend((0..20).map(|i| 10u64.pow(i)));
        ns.extend((1..20).map(|i| 10u64.pow(i) - 1));
        for n in ns {
            let end = put_digits(&mut buf, 2, n);
            assert_eq!(&buf[2..end], num.format(n).as_bytes(), "{n}");
        }
    }
}

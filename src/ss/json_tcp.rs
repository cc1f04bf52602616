//! `INET_DIAG_INFO` of a TCP socket (`struct tcp_info`, `<linux/tcp.h>`)
//! for `nlwire ss --json`, written from the reply's bytes
//! ([`TcpInfoView`]) in one pass: straight-line code made by a macro from
//! the fields listed in the byte order of their keys, each `,"key":` a
//! copy of a size known when compiled, each value read by the view's
//! accessor (inlined), no walk of the fields, no key matched or
//! reordered. It writes what the general path
//! ([`super::json::JsonWriter`] walking the view) writes: the same keys
//! (a field the kernel did not send is left out, as the walk leaves it),
//! enums and flags as `{"name", "value"}` and `{"names", …, "value"}`
//! (tested against it below, at every length).

use nlwire::families::sock_diag::{TcpCaState, TcpInfo, TcpInfoView, TcpState, TCPI_OPT_NAMES};
use nlwire::value::{OpenEnum, Value};
use nlwire::wire::WireStruct;
use nlwire_cli::output::DIGIT_PAIRS;

use super::json::put_value_outlined;
use super::json_memo::ByteTexts;

/// The texts of the byte-valued enums and flags by value, and the buffer
/// a `tcp_info`'s text is made in.
#[derive(Default)]
pub(super) struct TcpJson {
    state: ByteTexts,
    ca_state: ByteTexts,
    options: ByteTexts,
    buf: Vec<u8>,
}

impl std::fmt::Debug for TcpJson {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TcpJson")
            .field("buf", &self.buf.len())
            .finish()
    }
}

/// Room in the buffer for a key and a number.
const ROOM: usize = 128;

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
        if let (Some(o), Some(p)) = (d.get_mut(end - 2..end), DIGIT_PAIRS.get(pair..pair + 2)) {
            o.copy_from_slice(p);
        }
        end -= 2;
    }
    if n >= 10 {
        let pair = n as usize * 2;
        if let (Some(o), Some(p)) = (d.get_mut(..2), DIGIT_PAIRS.get(pair..pair + 2)) {
            o.copy_from_slice(p);
        }
    } else if let Some(o) = d.first_mut() {
        *o = b'0' + n as u8;
    }
    at + len
}

/// `,"key":` as bytes, known when compiled.
macro_rules! key {
    ($f:ident) => {
        concat!(",\"", stringify!($f), "\":").as_bytes()
    };
}

/// Straight-line code writing the fields in the order given (byte order
/// of their keys, as the walk's object is sorted; checked against the
/// walk in the tests): each key a copy of a known size, each integer by
/// [`put_digits`], enums and flags by their kept texts.
macro_rules! fields_sorted {
    ($t:ident, $buf:ident, $at:ident, $texts:ident; $($how:ident $f:ident),* $(,)?) => {
        $(fields_sorted!(@one $how $t $buf $at $texts $f);)*
    };
    (@one int $t:ident $buf:ident $at:ident $texts:ident $f:ident) => {
        if let Some(n) = $t.$f() {
            put_key(&mut $buf, &mut $at, key!($f));
            $at = put_digits(&mut $buf, $at, u64::from(n));
        }
    };
    (@one $how:ident $t:ident $buf:ident $at:ident $texts:ident $f:ident) => {
        if let Some(raw) = $t.$f() {
            put_key(&mut $buf, &mut $at, key!($f));
            let text = $texts.$how.text(raw, |s| put_value_outlined(&Kind::$how.value(raw), s));
            put_text(&mut $buf, &mut $at, text.as_bytes());
        }
    };
}

/// `key` at `at` of `buf` (grown when short of [`ROOM`]), `at` moved past.
#[inline(always)]
fn put_key(buf: &mut Vec<u8>, at: &mut usize, key: &[u8]) {
    if buf.len() < *at + ROOM {
        buf.resize(*at + ROOM, 0);
    }
    if let Some(d) = buf.get_mut(*at..*at + key.len()) {
        d.copy_from_slice(key);
    }
    *at += key.len();
}

/// `text` at `at` of `buf` (grown as needed, with [`ROOM`] after it).
fn put_text(buf: &mut Vec<u8>, at: &mut usize, text: &[u8]) {
    let end = *at + text.len();
    if buf.len() < end + ROOM {
        buf.resize(end + ROOM, 0);
    }
    if let Some(d) = buf.get_mut(*at..end) {
        d.copy_from_slice(text);
    }
    *at = end;
}

impl TcpJson {
    /// Whether [`TcpJson::write`] writes `t` as the walk would: no bytes
    /// past the fields known (the walk adds them as `extra`).
    pub(super) fn fits(t: &TcpInfoView<'_>) -> bool {
        t.len() <= TcpInfo::SIZE
    }

    /// Whether [`TcpJson::write`] was used.
    #[cfg(test)]
    pub(super) fn made(&self) -> bool {
        !self.buf.is_empty()
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
        let mut buf = std::mem::take(&mut self.buf);
        if buf.len() < 8192 {
            buf.resize(8192, 0);
        }
        let mut at = 0;
        let texts = &mut *self;
        fields_sorted!(t, buf, at, texts;
            int tcpi_accecn_fail_mode,
            int tcpi_accecn_opt_seen,
            int tcpi_advmss,
            int tcpi_ato,
            int tcpi_backoff,
            int tcpi_busy_time,
            int tcpi_bytes_acked,
            int tcpi_bytes_received,
            int tcpi_bytes_retrans,
            int tcpi_bytes_sent,
            ca_state tcpi_ca_state,
            int tcpi_data_segs_in,
            int tcpi_data_segs_out,
            int tcpi_delivered,
            int tcpi_delivered_ce,
            int tcpi_delivered_ce_bytes,
            int tcpi_delivered_e0_bytes,
            int tcpi_delivered_e1_bytes,
            int tcpi_delivery_rate,
            int tcpi_delivery_rate_app_limited,
            int tcpi_dsack_dups,
            int tcpi_ecn_mode,
            int tcpi_fackets,
            int tcpi_fastopen_client_fail,
            int tcpi_last_ack_recv,
            int tcpi_last_ack_sent,
            int tcpi_last_data_recv,
            int tcpi_last_data_sent,
            int tcpi_lost,
            int tcpi_max_pacing_rate,
            int tcpi_min_rtt,
            int tcpi_notsent_bytes,
            options tcpi_options,
            int tcpi_options2,
            int tcpi_pacing_rate,
            int tcpi_pmtu,
            int tcpi_probes,
            int tcpi_rcv_mss,
            int tcpi_rcv_ooopack,
            int tcpi_rcv_rtt,
            int tcpi_rcv_space,
            int tcpi_rcv_ssthresh,
            int tcpi_rcv_wnd,
            int tcpi_rcv_wscale,
            int tcpi_received_ce,
            int tcpi_received_ce_bytes,
            int tcpi_received_e0_bytes,
            int tcpi_received_e1_bytes,
            int tcpi_rehash,
            int tcpi_reord_seen,
            int tcpi_reordering,
            int tcpi_retrans,
            int tcpi_retransmits,
            int tcpi_rto,
            int tcpi_rtt,
            int tcpi_rttvar,
            int tcpi_rwnd_limited,
            int tcpi_sacked,
            int tcpi_segs_in,
            int tcpi_segs_out,
            int tcpi_snd_cwnd,
            int tcpi_snd_mss,
            int tcpi_snd_ssthresh,
            int tcpi_snd_wnd,
            int tcpi_snd_wscale,
            int tcpi_sndbuf_limited,
            state tcpi_state,
            int tcpi_total_retrans,
            int tcpi_total_rto,
            int tcpi_total_rto_recoveries,
            int tcpi_total_rto_time,
            int tcpi_unacked
        );
        self.buf = buf;
        // The first key without its `,`.
        self.buf.get(1..at).unwrap_or_default()
    }
}

/// The byte-valued fields written through the general value writer.
#[derive(Clone, Copy)]
#[allow(non_camel_case_types)]
enum Kind {
    state,
    ca_state,
    options,
}

impl Kind {
    fn value(self, raw: u8) -> Value<'static> {
        let raw = u64::from(raw);
        match self {
            Kind::state => Value::Enum {
                raw,
                name: <TcpState as OpenEnum>::name_of(raw),
            },
            Kind::ca_state => Value::Enum {
                raw,
                name: <TcpCaState as OpenEnum>::name_of(raw),
            },
            Kind::options => Value::Flags {
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

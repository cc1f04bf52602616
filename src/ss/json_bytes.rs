//! Pieces of the `ss --json` text written into bytes (`Vec<u8>`) by the
//! writers from the replies' bytes ([`super::json_inet`],
//! [`super::json_unix`]): no UTF-8 check of the whole text at the end, a
//! `String` only for values the general value writer writes.

use nlwire::families::sock_diag::{FlagNames, ShutdownNames};
use nlwire::value::{OpenEnum, Value};
use nlwire_cli::output::json::put_json_str;

use super::json::put_value_outlined;
use super::json_memo::ByteTexts;

/// An integer as the walk writes it (one digit without `itoa`).
#[inline]
pub(super) fn put_int(n: u64, num: &mut itoa::Buffer, out: &mut Vec<u8>) {
    match u8::try_from(n).ok().filter(|d| *d < 10) {
        Some(d) => out.push(b'0' + d),
        None => out.extend_from_slice(num.format(n).as_bytes()),
    }
}

/// Text written by `f` (into `scratch`, emptied first) appended to `out`.
#[inline]
pub(super) fn put_via(out: &mut Vec<u8>, scratch: &mut String, f: impl FnOnce(&mut String)) {
    scratch.clear();
    f(scratch);
    out.extend_from_slice(scratch.as_bytes());
}

/// A value as the general value writer writes it.
pub(super) fn put_value(v: &Value<'_>, out: &mut Vec<u8>, scratch: &mut String) {
    put_via(out, scratch, |s| put_value_outlined(v, s));
}

/// An enum field as the walk gives it (its text made once per value).
#[inline]
pub(super) fn put_enum<E: OpenEnum>(texts: &mut ByteTexts, raw: u8, out: &mut Vec<u8>) {
    let text = texts.text(raw, |s| {
        let raw = u64::from(raw);
        put_value_outlined(
            &Value::Enum {
                raw,
                name: E::name_of(raw),
            },
            s,
        );
    });
    out.extend_from_slice(text.as_bytes());
}

/// `netid` (ss's `tcp`, `u_str`, …) as a JSON string: as is between
/// quotes when it needs no escape (always, for ss's names).
#[inline]
pub(super) fn put_netid(netid: &str, out: &mut Vec<u8>, scratch: &mut String) {
    if netid
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
    {
        out.push(b'"');
        out.extend_from_slice(netid.as_bytes());
        out.push(b'"');
    } else {
        put_via(out, scratch, |s| put_json_str(netid, s));
    }
}

/// A `SHUTDOWN` attribute's byte (`INET_DIAG_SHUTDOWN`,
/// `UNIX_DIAG_SHUTDOWN`: `RCV_SHUTDOWN`, `SEND_SHUTDOWN`) as the walk writes
/// it: its value and the names of its bits.
#[inline]
pub(super) fn put_shutdown(p: &[u8], out: &mut Vec<u8>, scratch: &mut String) {
    let raw = p.first().copied().unwrap_or(0);
    if raw == 0 {
        out.extend_from_slice(b"{\"names\":[],\"value\":0}");
    } else {
        put_value(
            &Value::Flags {
                raw: u64::from(raw),
                names: ShutdownNames::NAMES,
            },
            out,
            scratch,
        );
    }
}

/// A native-endian `u32` at `at` of `b` (0 past its end: the writers
/// check an attribute's size before they read it).
#[inline]
pub(super) fn u32_at(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 4)
        .and_then(|w| <[u8; 4]>::try_from(w).ok())
        .map_or(0, |w| u64::from(u32::from_ne_bytes(w)))
}

/// A sock_diag reply for the writers' tests: `nlmsghdr` (type
/// `SOCK_DIAG_BY_FAMILY`), the fixed header `head`, then the attributes
/// (kind with flags, payload), each padded to 4.
#[cfg(test)]
pub(super) fn test_reply(head: &[u8], attrs: &[(u16, &[u8])]) -> Vec<u8> {
    let mut m = vec![0u8; 16];
    m.extend_from_slice(head);
    for (kind, p) in attrs {
        let len = u16::try_from(4 + p.len()).unwrap();
        m.extend_from_slice(&len.to_ne_bytes());
        m.extend_from_slice(&kind.to_ne_bytes());
        m.extend_from_slice(p);
        while m.len() % 4 != 0 {
            m.push(0);
        }
    }
    let len = u32::try_from(m.len()).unwrap();
    m[..4].copy_from_slice(&len.to_ne_bytes());
    m[4..6].copy_from_slice(&20u16.to_ne_bytes()); // SOCK_DIAG_BY_FAMILY
    m
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ss::query::Netid;

    #[test]
    fn netid_as_put_json_str_writes_it() {
        let mut s = String::new();
        for n in [Netid::Tcp, Netid::UStr, Netid::Nl] {
            let mut out = Vec::new();
            put_netid(n.name(), &mut out, &mut s);
            let mut want = String::new();
            put_json_str(n.name(), &mut want);
            assert_eq!(out, want.as_bytes());
        }
        let mut out = Vec::new();
        put_netid("a\"b", &mut out, &mut s);
        assert_eq!(out, b"\"a\\\"b\"");
    }
}

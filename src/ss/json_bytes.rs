//! Pieces of the `ss --json` text written into bytes (`Vec<u8>`) by the
//! writers from the replies' bytes ([`super::json_inet`],
//! [`super::json_unix`]): no UTF-8 check of the whole text at the end, a
//! `String` only for values the general value writer writes.

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

/// `ss --json`'s output kept as it is made, as the replies arrive, in
/// pieces of about 64 KiB (nothing copied as it grows), written out once
/// every dump has succeeded (as the text table is).
#[derive(Debug, Default)]
pub(super) struct Pieces {
    done: Vec<Vec<u8>>,
    open: Vec<u8>,
}

impl Pieces {
    /// The piece to append the next socket to.
    pub(super) fn room(&mut self) -> &mut Vec<u8> {
        if self.open.len() >= 1 << 16 {
            let full = std::mem::replace(&mut self.open, Vec::with_capacity(1 << 17));
            self.done.push(full);
        }
        &mut self.open
    }

    /// Every piece, in order.
    pub(super) fn write_to(&self, w: &mut impl std::io::Write) -> std::io::Result<()> {
        self.done
            .iter()
            .chain([&self.open])
            .try_for_each(|p| w.write_all(p))
    }
}

//! A unix_diag reply (`struct unix_diag_msg` and its `UNIX_DIAG_*`
//! attributes, `<linux/unix_diag.h>`) as the whole `nlwire ss --json`
//! object, written from the reply's bytes in one pass: the keys in byte
//! order as fixed texts, each value read at its offset, no walk, no key
//! matched or reordered. It writes what the general path
//! ([`super::json::JsonWriter`] walking the reply) writes, for the replies
//! it takes: each attribute at most once, without flags, of the exact size
//! of its payload, and none of `UNIX_DIAG_ICONS` or `UNIX_DIAG_MEMINFO`
//! (arrays: left to the walk). Anything else is refused and walked.

use nlwire::families::sock_diag::{
    AddressFamily, SockType, SunPath, UnixName, UnixResponse, UnixState, UNIX_DIAG_ICONS,
    UNIX_DIAG_MEMINFO, UNIX_DIAG_NAME, UNIX_DIAG_PEER, UNIX_DIAG_RQLEN, UNIX_DIAG_SHUTDOWN,
    UNIX_DIAG_UID, UNIX_DIAG_VFS,
};
use nlwire::value::Value;

use super::json_bytes::{put_enum, put_int, put_netid, put_shutdown, put_value, u32_at};
use super::json_memo::ByteTexts;

/// The attributes taken, by kind (`UNIX_DIAG_NAME` is 0, `UNIX_DIAG_UID` 7).
const KINDS: usize = 8;

/// The payload of each attribute taken, by kind; `None` when the reply
/// is not one [`write`] takes.
fn attrs_of<'a>(m: &UnixResponse<'a>) -> Option<[Option<&'a [u8]>; KINDS]> {
    let mut seen: [Option<&'a [u8]>; KINDS] = [None; KINDS];
    for a in m.attrs().raw() {
        let a = a.ok()?;
        if a.flags != 0 {
            return None;
        }
        let size = match a.kind {
            UNIX_DIAG_NAME => a.payload.len(),
            UNIX_DIAG_PEER | UNIX_DIAG_UID => 4,
            UNIX_DIAG_RQLEN | UNIX_DIAG_VFS => 8,
            UNIX_DIAG_SHUTDOWN => 1,
            UNIX_DIAG_ICONS | UNIX_DIAG_MEMINFO => return None,
            _ => return None,
        };
        let slot = seen.get_mut(usize::from(a.kind))?;
        if slot.is_some() || a.payload.len() != size {
            return None;
        }
        *slot = Some(a.payload);
    }
    Some(seen)
}

/// The texts of the header's enums, by value, and room for other values' text.
#[derive(Debug, Default)]
pub(super) struct Texts {
    scratch: String,
    family: ByteTexts,
    state: ByteTexts,
    ty: ByteTexts,
}

/// `m` as one line of JSON (newline included) appended to `out`, with
/// `netid` and, when given, `users` (a JSON value) as keys; false (nothing
/// written) when `m` is not a reply this writer takes.
pub(super) fn write(
    m: &UnixResponse<'_>,
    texts: &mut Texts,
    netid: &str,
    users: Option<&str>,
    out: &mut Vec<u8>,
) -> bool {
    let Some(a) = attrs_of(m) else {
        return false;
    };
    let at = |k: u16| a.get(usize::from(k)).copied().flatten();
    let h = m.header;
    let mut num = itoa::Buffer::new();
    out.reserve(512);
    // Keys in byte order: the attributes (upper case) first.
    let mut sep = b'{';
    if let Some(p) = at(UNIX_DIAG_NAME) {
        out.push(sep);
        out.extend_from_slice(b"\"UNIX_DIAG_NAME\":{");
        let v = match SunPath(p).name() {
            UnixName::Pathname(p) => {
                out.extend_from_slice(b"\"pathname\":");
                Value::Str(p)
            }
            UnixName::Abstract(a) => {
                out.extend_from_slice(b"\"abstract\":");
                Value::Str(a)
            }
            UnixName::Unnamed => {
                out.extend_from_slice(b"\"unnamed\":");
                Value::Bool(true)
            }
        };
        put_value(&v, out, &mut texts.scratch);
        out.push(b'}');
        sep = b',';
    }
    if let Some(p) = at(UNIX_DIAG_PEER) {
        out.push(sep);
        out.extend_from_slice(b"\"UNIX_DIAG_PEER\":");
        put_int(u32_at(p, 0), &mut num, out);
        sep = b',';
    }
    if let Some(p) = at(UNIX_DIAG_RQLEN) {
        out.push(sep);
        out.extend_from_slice(b"\"UNIX_DIAG_RQLEN\":{\"udiag_rqueue\":");
        put_int(u32_at(p, 0), &mut num, out);
        out.extend_from_slice(b",\"udiag_wqueue\":");
        put_int(u32_at(p, 4), &mut num, out);
        out.push(b'}');
        sep = b',';
    }
    if let Some(p) = at(UNIX_DIAG_SHUTDOWN) {
        out.push(sep);
        out.extend_from_slice(b"\"UNIX_DIAG_SHUTDOWN\":");
        put_shutdown(p, out, &mut texts.scratch);
        sep = b',';
    }
    if let Some(p) = at(UNIX_DIAG_UID) {
        out.push(sep);
        out.extend_from_slice(b"\"UNIX_DIAG_UID\":");
        put_int(u32_at(p, 0), &mut num, out);
        sep = b',';
    }
    if let Some(p) = at(UNIX_DIAG_VFS) {
        out.push(sep);
        out.extend_from_slice(b"\"UNIX_DIAG_VFS\":{\"udiag_vfs_dev\":");
        put_int(u32_at(p, 4), &mut num, out);
        out.extend_from_slice(b",\"udiag_vfs_ino\":");
        put_int(u32_at(p, 0), &mut num, out);
        out.push(b'}');
        sep = b',';
    }
    out.push(sep);
    out.extend_from_slice(b"\"netid\":");
    put_netid(netid, out, &mut texts.scratch);
    out.extend_from_slice(b",\"pad\":");
    put_int(u64::from(h.pad), &mut num, out);
    out.extend_from_slice(b",\"udiag_cookie\":");
    put_int(h.cookie(), &mut num, out);
    out.extend_from_slice(b",\"udiag_family\":");
    put_enum::<AddressFamily>(&mut texts.family, h.udiag_family, out);
    out.extend_from_slice(b",\"udiag_ino\":");
    put_int(u64::from(h.udiag_ino.get()), &mut num, out);
    out.extend_from_slice(b",\"udiag_state\":");
    put_enum::<UnixState>(&mut texts.state, h.udiag_state, out);
    out.extend_from_slice(b",\"udiag_type\":");
    put_enum::<SockType>(&mut texts.ty, h.udiag_type, out);
    if let Some(u) = users {
        out.extend_from_slice(b",\"users\":");
        out.extend_from_slice(u.as_bytes());
    }
    out.extend_from_slice(b"}\n");
    true
}

#[cfg(test)]
mod tests {
    use super::super::json::JsonWriter;
    use super::super::json_bytes::test_reply;
    use super::super::query::{decode_reply, Netid, Sock};
    use super::*;
    use nlwire::families::sock_diag::SockDiagMessage;

    /// The line of the general path (the walk) and that of the writer as
    /// used (from the bytes when it takes the reply), and whether
    /// [`write`] took it.
    fn both(msg: &[u8], users: Option<&str>) -> (String, String, bool) {
        let sock = Sock {
            netid: Netid::UStr,
            msg: msg.to_vec(),
        };
        let mut walked = String::new();
        let mut w = JsonWriter::new();
        w.walk_only = true;
        w.socket(&sock, users, &mut walked);
        let mut fast = String::new();
        JsonWriter::new().socket(&sock, users, &mut fast);
        let took = match decode_reply(msg) {
            Some(SockDiagMessage::UnixResponse(m)) => {
                write(&m, &mut Texts::default(), "u_str", users, &mut Vec::new())
            }
            _ => false,
        };
        (walked, fast, took)
    }

    fn head(family: u8, ty: u8, state: u8, pad: u8, ino: u32, cookie: u64) -> [u8; 16] {
        let mut h = [0u8; 16];
        h[..4].copy_from_slice(&[family, ty, state, pad]);
        h[4..8].copy_from_slice(&ino.to_ne_bytes());
        h[8..12].copy_from_slice(&(cookie as u32).to_ne_bytes());
        h[12..].copy_from_slice(&((cookie >> 32) as u32).to_ne_bytes());
        h
    }

    #[test]
    fn unix_reply_from_its_bytes_matches_the_walk() {
        let names: [&[u8]; 6] = [
            b"",
            b"\0nlwire-bench-1",
            b"/run/x.sock\0",
            b"/no/nul",
            b"\0a\0b\"\\\x01\xff",
            b"\xc3\x28/bad\0tail",
        ];
        let numbers = [0u32, 1, 9, 10, 255, 65_536, u32::MAX];
        let mut taken = 0;
        for (i, &n) in numbers.iter().enumerate() {
            let m = numbers[(i + 3) % numbers.len()];
            let (ty, state) = ([1u8, 2, 5, 0, 9, 255, 3][i], [1u8, 7, 10, 0, 2, 255, 8][i]);
            let cookie = (u64::from(m) << 32) | u64::from(n);
            let h = head(1, ty, state, (n & 0xff) as u8, m, cookie);
            let (peer, uid) = (n.to_ne_bytes(), m.to_ne_bytes());
            let mut q = n.to_ne_bytes().to_vec();
            q.extend_from_slice(&m.to_ne_bytes());
            let shut = [(n & 0xff) as u8];
            let name = names[i % names.len()];
            let sets: Vec<Vec<(u16, &[u8])>> = vec![
                vec![],
                vec![
                    (UNIX_DIAG_PEER, &peer),
                    (UNIX_DIAG_RQLEN, &q),
                    (UNIX_DIAG_SHUTDOWN, &shut),
                ],
                vec![
                    (UNIX_DIAG_SHUTDOWN, &shut),
                    (UNIX_DIAG_NAME, name),
                    (UNIX_DIAG_VFS, &q),
                    (UNIX_DIAG_UID, &uid),
                    (UNIX_DIAG_RQLEN, &q),
                    (UNIX_DIAG_PEER, &peer),
                ],
                // Refused: walked.
                vec![(UNIX_DIAG_PEER, &peer), (UNIX_DIAG_PEER, &uid)],
                vec![(UNIX_DIAG_PEER, &q)],
                vec![(UNIX_DIAG_RQLEN, &peer)],
                vec![(UNIX_DIAG_ICONS, &q)],
                vec![(UNIX_DIAG_MEMINFO, &q)],
                vec![(UNIX_DIAG_PEER | 0x8000, &peer)],
                vec![(9, &peer)],
            ];
            for (j, set) in sets.iter().enumerate() {
                let msg = test_reply(&h, set);
                for users in [None, Some("[{\"pid\":1}]")] {
                    let (walked, fast, took) = both(&msg, users);
                    assert_eq!(fast, walked, "set {j}, numbers {i}, users {users:?}");
                    assert_eq!(took, j < 3, "set {j}");
                    taken += usize::from(took);
                }
                // Cut anywhere: refused or the same.
                for cut in 16..msg.len() {
                    let mut c = msg[..cut].to_vec();
                    let len = u32::try_from(cut).unwrap();
                    c[..4].copy_from_slice(&len.to_ne_bytes());
                    let (walked, fast, _) = both(&c, None);
                    assert_eq!(fast, walked, "set {j} cut at {cut}");
                }
            }
        }
        assert_eq!(taken, 2 * 3 * numbers.len());
    }
}

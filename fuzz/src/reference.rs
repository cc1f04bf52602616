//! Reference walkers written from the kernel's `NLMSG_OK` / `nla_ok`, and
//! the checked walks of nlwire's `Messages` / `RawAttrs` against them.

#[allow(unused_imports)]
use super::*;

/// One step of a walk: an element at `offset` of `len` bytes (its length
/// field), or an error of `kind` at `offset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// A valid element.
    Ok {
        /// Offset of its header.
        offset: usize,
        /// Its length field.
        len: usize,
    },
    /// The walk stopped with an error.
    Err {
        /// Where.
        offset: usize,
        /// Why.
        kind: ErrorKind,
    },
}

/// The kernel's loop, in signed arithmetic: valid while `remaining >= hdr &&
/// len >= hdr && len <= remaining`, advance by the aligned length. Strict
/// adds: trailing bytes and non-zero padding are errors. Returns the steps
/// and the number of bytes left over (lenient) .
pub fn reference_walk(buf: &[u8], hdr: usize, wide: bool, strict: bool) -> (Vec<Step>, usize) {
    let mut out = Vec::new();
    let mut rem = buf.len() as i128;
    let mut pos = 0usize;
    while rem >= hdr as i128 {
        let len = if wide {
            u32::from_ne_bytes([buf[pos], buf[pos + 1], buf[pos + 2], buf[pos + 3]]) as i128
        } else {
            u16::from_ne_bytes([buf[pos], buf[pos + 1]]) as i128
        };
        if len < hdr as i128 {
            out.push(Step::Err {
                offset: pos,
                kind: ErrorKind::LengthTooSmall,
            });
            return (out, 0);
        }
        if len > rem {
            out.push(Step::Err {
                offset: pos,
                kind: ErrorKind::LengthPastEnd,
            });
            return (out, 0);
        }
        let adv = (len + 3) & !3;
        let end = pos + len as usize;
        let padded = (pos as i128 + adv).min(buf.len() as i128) as usize;
        if strict && buf[end..padded].iter().any(|&b| b != 0) {
            out.push(Step::Err {
                offset: end,
                kind: ErrorKind::NonZeroPad,
            });
            return (out, 0);
        }
        out.push(Step::Ok {
            offset: pos,
            len: len as usize,
        });
        rem -= adv;
        pos = padded;
    }
    let left = rem.max(0) as usize;
    if strict && left > 0 {
        out.push(Step::Err {
            offset: pos,
            kind: ErrorKind::Trailing,
        });
        return (out, 0);
    }
    (out, left)
}

/// Offset of `inner` inside `outer`, if it is a sub-slice (empty slices are
/// accepted anywhere).
pub fn offset_in(outer: &[u8], inner: &[u8]) -> Option<usize> {
    if inner.is_empty() {
        return Some(0);
    }
    let o = outer.as_ptr() as usize;
    let i = inner.as_ptr() as usize;
    let off = i.checked_sub(o)?;
    (off.checked_add(inner.len())? <= outer.len()).then_some(off)
}

pub(crate) fn read_u32_ne(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[..4]);
    u32::from_ne_bytes(a)
}

/// Walk `buf` with [`Messages`] in `mode`, check every step against the
/// reference walker, and return the messages.
pub fn checked_messages(buf: &[u8], mode: Mode) -> Vec<RawMessage<'_>> {
    let (want, left) = reference_walk(buf, 16, true, mode.is_strict());
    let mut it = Messages::with_mode(buf, mode);
    let mut got = Vec::new();
    let mut msgs = Vec::new();
    for item in it.by_ref() {
        match item {
            Ok(m) => {
                assert_eq!(
                    offset_in(buf, m.bytes),
                    Some(m.offset),
                    "message bytes not at its offset"
                );
                assert_eq!(m.bytes.len(), m.header.nlmsg_len.get() as usize);
                assert_eq!(m.payload.len() + 16, m.bytes.len());
                if !m.payload.is_empty() {
                    assert_eq!(offset_in(buf, m.payload), Some(m.payload_offset()));
                }
                got.push(Step::Ok {
                    offset: m.offset,
                    len: m.bytes.len(),
                });
                msgs.push(m);
            }
            Err(e) => {
                check_error(&e, buf.len());
                got.push(Step::Err {
                    offset: e.offset(),
                    kind: e.kind,
                });
            }
        }
        assert!(
            got.len() <= buf.len() / 16 + 1,
            "more messages than the buffer can hold"
        );
    }
    assert!(it.next().is_none(), "Messages is not fused");
    assert_eq!(
        got, want,
        "Messages disagrees with NLMSG_OK/NLMSG_NEXT ({mode:?})"
    );
    if !matches!(want.last(), Some(Step::Err { .. })) {
        assert_eq!(it.remaining().len(), left, "remaining() after the walk");
    }
    msgs
}

/// Walk `buf` (an attribute stream at `base` of the outermost buffer of
/// `limit` bytes) with [`RawAttrs`] in `mode`, check against the reference
/// walker, and return the attributes.
pub fn checked_attrs(buf: &[u8], base: usize, mode: Mode, limit: usize) -> Vec<RawAttr<'_>> {
    let (want, left) = reference_walk(buf, 4, false, mode.is_strict());
    let want: Vec<Step> = want
        .into_iter()
        .map(|s| match s {
            Step::Ok { offset, len } => Step::Ok {
                offset: offset + base,
                len,
            },
            Step::Err { offset, kind } => Step::Err {
                offset: offset + base,
                kind,
            },
        })
        .collect();
    let mut it = RawAttrs::with(buf, base, mode);
    let mut got = Vec::new();
    let mut attrs = Vec::new();
    for item in it.by_ref() {
        match item {
            Ok(a) => {
                assert_eq!(a.kind & !NLA_TYPE_MASK, 0, "kind has flag bits");
                assert_eq!(a.flags & NLA_TYPE_MASK, 0, "flags have kind bits");
                let off = a.offset - base;
                let at = offset_in(buf, a.payload);
                if !a.payload.is_empty() {
                    assert_eq!(at, Some(off + 4), "payload not after its header");
                }
                assert_eq!(a.payload_offset(), a.offset + 4);
                let raw_type = u16::from_ne_bytes([buf[off + 2], buf[off + 3]]);
                assert_eq!(a.kind | a.flags, raw_type);
                assert_eq!(a.is_nested(), raw_type & NLA_F_NESTED != 0);
                assert_eq!(a.is_net_byteorder(), raw_type & NLA_F_NET_BYTEORDER != 0);
                got.push(Step::Ok {
                    offset: a.offset,
                    len: a.payload.len() + 4,
                });
                attrs.push(a);
            }
            Err(e) => {
                check_error(&e, limit);
                got.push(Step::Err {
                    offset: e.offset(),
                    kind: e.kind,
                });
            }
        }
        assert!(
            got.len() <= buf.len() / 4 + 1,
            "more attributes than the buffer can hold"
        );
    }
    assert!(it.next().is_none(), "RawAttrs is not fused");
    assert_eq!(
        got, want,
        "RawAttrs disagrees with nla_ok/nla_next ({mode:?})"
    );
    if !matches!(want.last(), Some(Step::Err { .. })) {
        assert_eq!(it.remaining().len(), left, "remaining() after the walk");
    }
    attrs
}

/// A generic walk of an untyped attribute stream: every payload that looks
/// like an attribute stream is walked as one, at most [`MAX_NEST_DEPTH`]
/// deep (deeper is reported as `TooDeep`, as the typed walkers do).
pub fn walk_raw(buf: &[u8], base: usize, mode: Mode, v: &mut CheckVisitor) {
    for a in checked_attrs(buf, base, mode, v.limit) {
        v.begin("nlattr");
        v.field("nla_type", Value::U64(u64::from(a.kind)));
        v.field(
            "nla_flags",
            Value::Flags {
                raw: u64::from(a.flags),
                names: nlwire::netlink::NLA_FLAG_NAMES,
            },
        );
        let looks_nested = a.is_nested()
            || (a.payload.len() >= 4 && {
                let l = usize::from(u16::from_ne_bytes([a.payload[0], a.payload[1]]));
                (4..=a.payload.len()).contains(&l)
            });
        if looks_nested {
            if v.depth() > MAX_NEST_DEPTH {
                v.error(
                    Error::new(ErrorKind::TooDeep, "nlattr", MAX_NEST_DEPTH, v.depth())
                        .at(a.payload_offset()),
                );
            } else {
                walk_raw(a.payload, a.payload_offset(), Mode::Lenient, v);
            }
        } else {
            v.field("payload", Value::Bytes(a.payload));
        }
        v.end();
    }
}

//! The builder reserves an attribute's bytes without zeroing them when its
//! payload type promises to write all of them (`Payload::WRITES_ALL`,
//! `Sink::reserve`), and zeroes only the padding. These tests check that
//! promise: whatever the caller's buffer held before (here every byte
//! `0xAA`), what is emitted is byte for byte what is emitted into a zeroed
//! buffer, and no byte after the end is touched.
//!
//! * every kind of the inet_diag reply (`InetDiagAttr`) and request
//!   (`InetDiagReqAttr`) sets, with payloads of the declared size or of odd
//!   lengths (so that the padding is exercised), one attribute at a time
//!   and all of them in one message;
//! * every row of every family of the registry, with generated canonical
//!   payloads, decoded and re-emitted whole (`emit_decoded`).

use nlwire::families::sock_diag::{
    InetDiagAttr, InetDiagMsg, InetDiagReqAttr, InetDiagReqV2, InetRequest, InetResponse,
};
use nlwire::netlink::{AttributeSet, Builder, RawAttrs, NLM_F_REQUEST};
use nlwire::registry::{FamilyEntry, Registry};
use nlwire::strategy::{encode_attr, message_rows, payload_of};
use nlwire::Mode;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

mod registry_common;
use registry_common::{decode_entry, emit_into};

const FILL: u8 = 0xAA;

/// Run `emit` into a zeroed buffer and into one filled with `FILL`; both
/// must write the same bytes and leave the rest alone.
fn same_both_ways(what: &str, emit: impl Fn(&mut [u8]) -> usize) -> Vec<u8> {
    let mut zeroed = vec![0u8; 4096];
    let mut filled = vec![FILL; 4096];
    let n = emit(&mut zeroed);
    let m = emit(&mut filled);
    assert_eq!(n, m, "{what}: lengths differ");
    assert_eq!(
        &filled[..n],
        &zeroed[..n],
        "{what}: a reserved byte was not overwritten"
    );
    assert!(
        filled[n..].iter().all(|&b| b == FILL),
        "{what}: a byte after the end was written"
    );
    zeroed.truncate(n);
    zeroed
}

/// Payloads for `kind`: its declared size (several byte patterns) or, for
/// variable-length kinds, lengths 0 to 9 (every padding amount).
fn payloads<'a, A: AttributeSet<'a>>(kind: u16) -> Vec<Vec<u8>> {
    let lens: Vec<usize> = match A::payload_size(kind) {
        Some(n) => vec![n],
        None => (0..10).collect(),
    };
    let mut out = Vec::new();
    for len in lens {
        for seed in [0x00u8, 0x01, 0x5c, 0xff] {
            out.push(
                (0..len)
                    .map(|i| seed.wrapping_add(i as u8).wrapping_mul(7))
                    .collect(),
            );
        }
    }
    if A::is_nested_kind(kind) {
        // A nested stream of one unknown attribute of each length mod 4.
        out.push(
            [1usize, 2, 3, 4]
                .iter()
                .flat_map(|&n| encode_attr(100 + n as u16, &vec![0x11; n]))
                .collect(),
        );
    }
    out
}

/// Every kind of `A`, decoded (lenient) from the payloads above, then each
/// attribute emitted alone and all of them together into both buffers.
/// Returns how many attributes of known kinds were checked.
fn every_kind<A: AttributeSet<'static>>(
    stream: &'static mut Vec<u8>,
    whole: impl Fn(&mut [u8], &[A]) -> usize,
) -> usize {
    for &(kind, _) in A::KINDS {
        for p in payloads::<A>(kind) {
            stream.extend(encode_attr(kind | A::emit_flags(kind), &p));
        }
    }
    // An unknown kind too, every padding amount.
    for n in 0..5 {
        stream.extend(encode_attr(0x3ff0, &vec![0x22; n]));
    }
    let stream: &'static [u8] = stream;
    let mut attrs = Vec::new();
    let mut kinds = std::collections::BTreeSet::new();
    for raw in RawAttrs::new(stream) {
        let raw = raw.expect("well-formed stream");
        if let Ok(a) = A::from_raw(raw, Mode::Lenient) {
            if A::kind_name(a.kind()).is_some() {
                kinds.insert(a.kind());
            }
            attrs.push(a);
        }
    }
    for &(kind, name) in A::KINDS {
        assert!(kinds.contains(&kind), "{name}: no payload decoded");
    }
    for a in &attrs {
        same_both_ways(a.name(), |buf| {
            let mut b = Builder::new(buf);
            // An odd start, so that the attribute is padded to begin.
            b.put_bytes(&[7; 3]).unwrap();
            b.attr_set(a).unwrap();
            b.len()
        });
    }
    same_both_ways(A::NAME, |buf| whole(buf, &attrs));
    kinds.len()
}

/// Named in the task: the non-zeroing reservation is always fully
/// overwritten, for every attribute kind of the inet_diag reply.
#[test]
fn reserved_bytes_fully_overwritten_inet_diag_reply() {
    let stream = Box::leak(Box::new(Vec::new()));
    let n = every_kind::<InetDiagAttr<'static>>(stream, |buf, attrs| {
        let mut b = Builder::new(buf);
        let hdr: InetDiagMsg = zerocopy::FromZeros::new_zeroed();
        b.message(20, 2, 1, 2, |b| InetResponse::write(b, &hdr, attrs))
            .unwrap();
        b.len()
    });
    assert!(n >= 20, "{n} kinds");
}

/// The same for every attribute kind of the inet_diag dump request
/// (`INET_DIAG_REQ_BYTECODE`, …).
#[test]
fn reserved_bytes_fully_overwritten_inet_diag_request() {
    let stream = Box::leak(Box::new(Vec::new()));
    let n = every_kind::<InetDiagReqAttr<'static>>(stream, |buf, attrs| {
        let mut b = Builder::new(buf);
        let req: InetDiagReqV2 = zerocopy::FromZeros::new_zeroed();
        b.message(20, NLM_F_REQUEST, 1, 0, |b| {
            InetRequest::write(b, &req, attrs)
        })
        .unwrap();
        b.len()
    });
    assert!(n >= 1, "{n} kinds");
}

/// Decode one message of `entry` and re-emit it into `buf`.
fn reemit(entry: &FamilyEntry, bytes: &[u8], buf: &mut [u8]) -> usize {
    // A message that does not re-emit (lenient decode of what strict
    // refuses) writes nothing comparable: count it as empty.
    decode_entry(entry, bytes, Mode::Lenient)
        .and_then(|d| emit_into(&d, buf))
        .unwrap_or(0)
}

/// Every row of every family of the registry: generated canonical
/// messages, decoded and re-emitted into a `0xAA` buffer and a zeroed one,
/// give the same bytes.
#[test]
fn reserved_bytes_fully_overwritten_every_family() {
    let mut rows = 0;
    for entry in Registry::DEFAULT.entries() {
        for (i, row) in entry.rows.iter().enumerate() {
            if (row.shape)().is_none() {
                continue;
            }
            let mut takes = message_rows(entry, i, 8);
            if entry.sub_family.is_some() {
                let fixed = Registry::DEFAULT.find(entry.protocol);
                takes.retain(|(t, ..)| fixed.is_none_or(|f| (f.type_name)(*t).is_none()));
            }
            if takes.is_empty() {
                continue;
            }
            let sample = proptest::sample::select(takes).prop_flat_map(move |(t, r, s)| {
                let p = payload_of(entry, &entry.rows[i], s, 6).expect("shape");
                (Just(t), Just(r), p)
            });
            let mut runner = TestRunner::new(Config {
                cases: 16,
                failure_persistence: None,
                ..Config::default()
            });
            runner
                .run(&sample, |(t, r, p)| {
                    let flags = if r { NLM_F_REQUEST } else { 0 };
                    let mut b = Builder::new_vec();
                    b.message(t, flags, 0x1234, 77, |b| b.put_bytes(&p))
                        .unwrap();
                    let bytes = b.into_vec();
                    let mut zeroed = vec![0u8; bytes.len() + 256];
                    let mut filled = vec![FILL; bytes.len() + 256];
                    let n = reemit(entry, &bytes, &mut zeroed);
                    let m = reemit(entry, &bytes, &mut filled);
                    prop_assert_eq!(n, m);
                    prop_assert_eq!(
                        &filled[..n],
                        &zeroed[..n],
                        "{} type {}: a reserved byte was not overwritten",
                        entry.name,
                        t
                    );
                    prop_assert!(filled[n..].iter().all(|&b| b == FILL));
                    Ok(())
                })
                .unwrap_or_else(|e| panic!("{} row {}: {e}", entry.name, row.variant));
            rows += 1;
        }
    }
    assert!(rows >= 17, "{rows} rows checked");
}

/// A payload of 5 bytes whose `write` leaves them all alone, with or
/// without the promise to write every byte.
#[derive(Clone, Copy)]
struct Lazy<const PROMISE: bool>;

impl<'a, const PROMISE: bool> nlwire::payload::Payload<'a> for Lazy<PROMISE> {
    const WRITES_ALL: bool = PROMISE;
    fn parse(_bytes: &'a [u8], _mode: Mode) -> nlwire::Result<Self> {
        Ok(Lazy)
    }
    fn len(&self) -> usize {
        5
    }
    fn write(&self, _buf: &mut [u8]) {}
    fn walk_payload(&self, _name: &str, _v: &mut dyn nlwire::value::Visitor) {}
}

/// The attribute `Lazy` makes, emitted into a zeroed and a `0xAA` buffer.
fn lazy_both_ways<const PROMISE: bool>() -> (Vec<u8>, Vec<u8>) {
    let emit = |buf: &mut [u8]| {
        let mut b = Builder::new(buf);
        b.attr(1, &Lazy::<PROMISE>).unwrap();
        b.len()
    };
    let (mut zeroed, mut filled) = (vec![0u8; 64], vec![FILL; 64]);
    let n = emit(&mut zeroed);
    let m = emit(&mut filled);
    zeroed.truncate(n);
    filled.truncate(m);
    (zeroed, filled)
}

/// The comparison above would catch a payload that breaks its promise
/// (the bytes it leaves keep the buffer's `0xAA`, except in the last 4-byte
/// word, which the builder zeroes whole before the header and payload are
/// written, to zero the padding in one store), and a payload that makes
/// none still gets a zeroed buffer (the old contract of `grow`).
#[test]
fn reserve_contract_payload_without_promise_is_zeroed() {
    let (zeroed, filled) = lazy_both_ways::<false>();
    assert_eq!(zeroed, [9, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(filled, zeroed, "no promise: the payload is zeroed first");
    let (zeroed, filled) = lazy_both_ways::<true>();
    assert_eq!(&filled[..4], &zeroed[..4], "the header is written whole");
    assert_eq!(&filled[4..8], &[FILL; 4], "a broken promise shows");
    assert_eq!(
        &filled[8..],
        &[0, 0, 0, 0],
        "the last word (payload byte 5, padding) is zeroed first"
    );
}

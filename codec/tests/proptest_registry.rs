//! Round-trip properties for every row of every family's message table,
//! driven by the registry ([`Registry::DEFAULT`]) instead of a hand list:
//! for canonical payloads of each row (`nlwire::strategy::payload_of`: the
//! row's fixed header, zero padding, canonical attributes of its set),
//!
//! * the whole message decodes (lenient) and re-emits
//!   (`decode::emit_decoded`, i.e. the entry's `emit`); what it emits is
//!   a fixed point (decodes and re-emits to the same bytes), and when the
//!   input is canonical — it decodes in strict mode — it re-emits byte for
//!   byte, in either mode (lenient mode may drop what it tolerates, such as
//!   a partial element of an array attribute);
//! * the entry's byte-order conversion (`swap`) applied twice is the
//!   identity, and decoding the converted payload neither panics nor
//!   loops.

use nlwire::netlink::{Builder, Messages, NLM_F_REQUEST};
use nlwire::registry::{FamilyEntry, Registry};
use nlwire::strategy::{message_rows, payload_of};
use nlwire::value::{Value, Visitor};
use nlwire::Mode;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use std::sync::atomic::{AtomicUsize, Ordering};

mod registry_common;
use registry_common::{decode_entry, emit_into};

/// How many generated messages were canonical (decoded in strict mode).
static STRICT_CASES: AtomicUsize = AtomicUsize::new(0);

/// A whole message of `typ` around `payload`.
fn message(typ: u16, request: bool, payload: &[u8]) -> Vec<u8> {
    let flags = if request { NLM_F_REQUEST } else { 0 };
    let mut b = Builder::new_vec();
    b.message(typ, flags, 0x1234, 77, |b| b.put_bytes(payload))
        .unwrap();
    b.into_vec()
}

/// Decode `bytes` (one message of `entry`'s protocol) and write it back.
fn reemit(entry: &FamilyEntry, bytes: &[u8], mode: Mode) -> Result<Vec<u8>, String> {
    let d = decode_entry(entry, bytes, mode)?;
    let mut out = vec![0u8; bytes.len() + 64];
    let n = emit_into(&d, &mut out)?;
    out.truncate(n);
    Ok(out)
}

/// Counts what a walk reports (a walk must end).
struct Count(usize, usize);
impl Visitor for Count {
    fn begin(&mut self, _: &str) {
        self.0 += 1;
        self.1 += 1;
    }
    fn end(&mut self) {
        self.1 = self.1.saturating_sub(1);
    }
    fn field(&mut self, _: &str, _: Value<'_>) {
        self.0 += 1;
    }
    fn depth(&self) -> usize {
        self.1
    }
    fn error(&mut self, _: nlwire::Error) {
        self.0 += 1;
    }
}

fn check(
    entry: &FamilyEntry,
    typ: u16,
    request: bool,
    payload: &[u8],
) -> Result<(), TestCaseError> {
    let bytes = message(typ, request, payload);
    let out = reemit(entry, &bytes, Mode::Lenient).map_err(TestCaseError::fail)?;
    let again = reemit(entry, &out, Mode::Lenient).map_err(TestCaseError::fail)?;
    prop_assert_eq!(
        &again,
        &out,
        "{} type {} request {}",
        entry.name,
        typ,
        request
    );
    if let Ok(strict) = reemit(entry, &bytes, Mode::Strict) {
        STRICT_CASES.fetch_add(1, Ordering::Relaxed);
        prop_assert_eq!(&strict, &bytes, "{} type {} (strict)", entry.name, typ);
        prop_assert_eq!(&out, &bytes, "{} type {} (lenient)", entry.name, typ);
    }

    let mut swapped = payload.to_vec();
    (entry.swap)(
        typ,
        request,
        &mut swapped,
        &nlwire::netlink::Selectors::EMPTY,
    );
    let foreign = message(typ, request, &swapped);
    let msg = Messages::new(&foreign).next().unwrap().unwrap();
    for mode in [Mode::Lenient, Mode::Strict] {
        let mut c = Count(0, 0);
        let _ = (entry.walk)(&msg, mode, &mut c);
    }
    (entry.swap)(
        typ,
        request,
        &mut swapped,
        &nlwire::netlink::Selectors::EMPTY,
    );
    prop_assert_eq!(&swapped, payload, "swap twice, {} type {}", entry.name, typ);
    Ok(())
}

/// Every row of every table is reachable (no earlier row shadows it all)
/// and, where its body is a header and attributes, round-trips.
#[test]
fn every_row_of_every_family_roundtrips() {
    let mut rows_checked = 0;
    for entry in Registry::DEFAULT.entries() {
        for (i, row) in entry.rows.iter().enumerate() {
            let mut takes = message_rows(entry, i, usize::MAX);
            if entry.sub_family.is_some() {
                // A sub-family's type is any type its protocol's fixed
                // entry does not own (generic netlink: not GENL_ID_CTRL).
                let fixed = Registry::DEFAULT.find(entry.protocol);
                takes.retain(|(t, ..)| fixed.is_none_or(|f| (f.type_name)(*t).is_none()));
            }
            assert!(
                !takes.is_empty(),
                "{}: row {} ({}) takes no message",
                entry.name,
                i,
                row.variant
            );
            // Every type the row takes, each direction, each selector.
            let sample = proptest::sample::select(takes).prop_flat_map(move |(t, r, s)| {
                let p = payload_of(entry, &entry.rows[i], s, 6).expect("shape");
                (Just(t), Just(r), p)
            });
            if (row.shape)().is_none() {
                continue;
            }
            let mut runner = TestRunner::new(Config {
                cases: 64,
                failure_persistence: None,
                ..Config::default()
            });
            runner
                .run(&sample, |(t, r, p)| check(entry, t, r, &p))
                .unwrap_or_else(|e| panic!("{} row {}: {e}", entry.name, row.variant));
            rows_checked += 1;
        }
    }
    // sock_diag (9 variants, 10 rows), rtnetlink (5), genetlink (2).
    assert!(rows_checked >= 17, "{rows_checked} rows checked");
    // The byte-for-byte branch ran for a good share of the cases.
    let strict = STRICT_CASES.load(Ordering::Relaxed);
    eprintln!("{strict} of {} cases canonical", rows_checked * 64);
    assert!(strict >= rows_checked * 4, "only {strict} canonical cases");
}

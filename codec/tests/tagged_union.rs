//! A structure followed by a C union one of its fields picks, declared with
//! the derive only (`#[nl_struct]` + `#[sub_message(selector = "field")]`,
//! carried as `Tagged`): a toy of two members, one with a big-endian
//! selector field, and the connector's `struct proc_event` (`what` picks a
//! member of `event_data`), which used to be a hand-written `Payload`.

mod walk_lines;
use walk_lines::*;

use nlwire::families::connector::{EventData, ProcEvent, PROC_EVENT_FORK};
use nlwire::netlink::{SubMessage, Tagged};
use nlwire::payload::Payload;
use nlwire::value::Walk;
use nlwire::wire::WireStruct;
use nlwire::{nl_struct, sub_message, ErrorKind, Mode};
use zerocopy::byteorder::{BigEndian as BE, NativeEndian as NE, U16, U32};

/// The toy's fixed part: a host-order `kind` picks the union member.
#[nl_struct(name = "toy_event")]
pub struct ToyHdr {
    /// `kind`.
    pub kind: U32<NE>,
    /// `flags`.
    pub flags: U16<NE>,
    /// `code`: a network-order field, readable as a selector too.
    pub code: U16<BE>,
}

/// One member of the toy union.
#[nl_struct(name = "toy_open")]
pub struct ToyOpen {
    /// `fd`.
    pub fd: U32<NE>,
}

/// Another member.
#[nl_struct(name = "toy_move")]
pub struct ToyMove {
    /// `from`.
    pub from: U32<NE>,
    /// `to`.
    pub to: U32<NE>,
}

/// The toy union, picked by `kind`.
#[sub_message(name = "data", selector = "kind")]
pub enum ToyData<'a> {
    /// Kind 1.
    #[nl(select = 1)]
    Open(&'a ToyOpen),
    /// Kind 2, shown as the union member `mv`.
    #[nl(select = 2, member = "mv")]
    MoveTo(&'a ToyMove),
}

type Toy<'a> = Tagged<'a, ToyHdr, ToyData<'a>>;

fn toy(kind: u32, words: &[u32]) -> Vec<u8> {
    let mut b = kind.to_ne_bytes().to_vec();
    b.extend_from_slice(&7u16.to_ne_bytes());
    b.extend_from_slice(&0x0102u16.to_be_bytes());
    for w in words {
        b.extend_from_slice(&w.to_ne_bytes());
    }
    b
}

struct Named<'p, P>(&'p P);
impl<'a, P: Payload<'a>> Walk for Named<'_, P> {
    fn walk(&self, v: &mut dyn nlwire::value::Visitor) {
        self.0.walk_payload("toy", v);
    }
}

#[test]
fn a_field_of_the_structure_picks_the_union_member() {
    let bytes = toy(2, &[10, 20]);
    let t = Toy::parse(&bytes, Mode::Strict).unwrap();
    let ToyData::MoveTo(m) = t.union else {
        panic!("kind 2 is MoveTo: {:?}", t.union)
    };
    assert_eq!((m.from.get(), m.to.get()), (10, 20));
    assert_eq!(t.union.member(), "mv");
    assert_clean_lines(
        &walk(&Named(&t)),
        &[
            "toy.kind=2",
            "toy.flags=7",
            "toy.data.mv.from=10",
            "toy.data.mv.to=20",
        ],
    );
    let open = toy(1, &[3]);
    let t = Toy::parse(&open, Mode::Strict).unwrap();
    assert_eq!(t.union.member(), "open", "snake case of the variant");
    assert!(matches!(t.union, ToyData::Open(o) if o.fd.get() == 3));
    // Emit gives the bytes back.
    let mut out = vec![0u8; t.len()];
    t.write(&mut out);
    assert_eq!(out, toy(1, &[3]));
}

#[test]
fn field_value_reads_each_declared_byte_order() {
    let bytes = toy(5, &[]);
    let (h, _) = ToyHdr::parse(&bytes).unwrap();
    assert_eq!(h.field_value("kind"), Some(5));
    assert_eq!(h.field_value("flags"), Some(7));
    assert_eq!(h.field_value("code"), Some(0x0102));
    assert_eq!(h.field_value("nope"), None);
}

#[test]
fn a_value_no_member_takes_is_refused_when_strict_and_kept_when_lenient() {
    let bytes = toy(9, &[1, 2]);
    let e = Toy::parse(&bytes, Mode::Strict).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unknown);
    let t = Toy::parse(&bytes, Mode::Lenient).unwrap();
    assert!(matches!(t.union, ToyData::Unselected(b) if b.len() == 8));
    assert_eq!(t.union.member(), "unknown");
    // A short structure is an error, not a panic.
    assert!(Toy::parse(&bytes[..5], Mode::Lenient).is_err());
}

#[test]
fn swap_converts_the_member_the_foreign_field_picks() {
    let mut foreign = toy(2, &[10, 20]);
    // Make it the other host's bytes: every host-order field reversed.
    for r in [0..4, 4..6, 8..12, 12..16] {
        foreign[r].reverse();
    }
    Toy::swap_order(&mut foreign);
    assert_eq!(foreign, toy(2, &[10, 20]));
}

#[test]
fn proc_event_is_the_declared_tagged_union() {
    let mut e = PROC_EVENT_FORK.to_ne_bytes().to_vec();
    e.extend_from_slice(&0u32.to_ne_bytes());
    e.extend_from_slice(&0u64.to_ne_bytes());
    for w in [100u32, 100, 4242, 4242, 0, 0] {
        e.extend_from_slice(&w.to_ne_bytes());
    }
    let ev: ProcEvent<'_> = Tagged::parse(&e, Mode::Strict).unwrap();
    assert!(matches!(ev.union, EventData::Fork(_)));
    assert_eq!(<EventData<'_> as SubMessage<'_>>::SELECTOR, "what");
    let mut bad = e.clone();
    bad[..4].copy_from_slice(&0x1234u32.to_ne_bytes());
    assert_eq!(
        ProcEvent::parse(&bad, Mode::Strict).unwrap_err().kind,
        ErrorKind::Unknown
    );
}

/// Round-trip properties of `Tagged` (and of the connector's
/// `TaggedBody`): whatever decodes writes back the same bytes, which
/// decode to the same value and walk; the other host's bytes of any input
/// convert back to it (`to_foreign` says why that, and not
/// "converting twice is the identity"); nothing panics.
mod roundtrip {
    use super::*;
    use nlwire::families::connector::{
        CnData, CnMessage, CnMsg, ProcCnMcastOpMsg, ProcEventHdr, ProcInput, CN_IDX_PROC,
        CN_VAL_PROC, PROC_EVENT_NAMES,
    };
    use nlwire::netlink::{Builder, MessageBody};
    use proptest::prelude::*;

    /// Parse → write → parse: the same value, the same walk, the same
    /// bytes; then swap twice is the identity.
    macro_rules! check_payload {
        ($ty:ty, $h:ty, $s:ty, $bytes:expr) => {{
            let bytes: &[u8] = $bytes;
            for mode in [Mode::Strict, Mode::Lenient] {
                let Ok(p) = <$ty>::parse(bytes, mode) else {
                    continue;
                };
                let mut out = vec![0u8; p.len()];
                p.write(&mut out);
                prop_assert_eq!(&out[..], bytes);
                let again = <$ty>::parse(&out, mode).expect("its own output decodes");
                prop_assert_eq!(&again, &p);
                prop_assert_eq!(walk(&Named(&again)).lines, walk(&Named(&p)).lines);
            }
            // The other host's bytes convert back to these.
            let mut f = to_foreign::<$h, $s>($bytes, |_, rest| rest);
            <$ty>::swap_order(&mut f);
            prop_assert_eq!(&f[..], bytes);
        }};
    }

    /// `native` as a host of the other order wrote it: the member our
    /// structure picks converted (its first `len(header, rest)` bytes),
    /// then the structure's fields. The codec's conversion reads the
    /// selector *after* converting the structure (its input is the other
    /// host's bytes), so applying it twice is not the identity when the
    /// selector field reads differently in the two orders (a `what` of
    /// `PROC_EVENT_EXIT`, 0x80000000, reversed is `PROC_EVENT_SID`, 0x80):
    /// the property is that the other host's bytes convert back to ours.
    fn to_foreign<H: WireStruct, S: SubMessage<'static>>(
        native: &[u8],
        len: impl Fn(&H, usize) -> usize,
    ) -> Vec<u8> {
        let mut f = native.to_vec();
        let n = H::SIZE.min(f.len());
        let (head, rest) = f.split_at_mut(n);
        if let Ok((h, _)) = H::parse(native) {
            let l = len(h, rest.len());
            let m = l.min(rest.len());
            S::swap_by(&|k| h.field_value(k), l, &mut rest[..m]);
        }
        H::swap_order(head);
        f
    }

    /// A connector body as a host of the other order wrote it: `cn_msg`,
    /// and `data` as ours picks it by `id` and `len` (a `proc_event` by
    /// [`to_foreign`] of its own, whose member `what` picks, whether or not
    /// the member is whole: a truncated one is picked all the same, so
    /// converting our bytes as if they were the other host's would read
    /// `what` in the wrong order).
    fn cn_to_foreign(native: &[u8]) -> Vec<u8> {
        let mut f = native.to_vec();
        let Ok((h, rest)) = CnMsg::parse(native) else {
            CnMsg::swap_order(&mut f);
            return f;
        };
        let len = usize::from(h.len.get());
        let data = &rest[..len.min(rest.len())];
        let fields = |k: &str| h.field_value(k);
        let proc_event = h.idx.get() == CN_IDX_PROC
            && h.val.get() == CN_VAL_PROC
            && len != ProcInput::SIZE
            && len != ProcCnMcastOpMsg::SIZE;
        let converted = if proc_event {
            to_foreign::<ProcEventHdr, EventData<'static>>(data, |_, rest| rest)
        } else {
            let mut d = data.to_vec();
            CnData::swap_by(&fields, len, &mut d);
            d
        };
        f[CnMsg::SIZE..CnMsg::SIZE + data.len()].copy_from_slice(&converted);
        CnMsg::swap_order(&mut f);
        f
    }

    /// A `struct proc_event`: `what` one of the declared events (or any
    /// value), the 24-byte union mostly zero after its member.
    fn proc_event() -> impl Strategy<Value = Vec<u8>> {
        let what = prop_oneof![
            3 => prop::sample::select(
                PROC_EVENT_NAMES.iter().map(|(v, _)| *v as u32).chain([0]).collect::<Vec<u32>>()
            ),
            1 => any::<u32>(),
        ];
        let union = prop_oneof![
            3 => prop::collection::vec(any::<u32>(), 0..=4).prop_map(|w| {
                let mut u: Vec<u8> = w.iter().flat_map(|x| x.to_ne_bytes()).collect();
                u.resize(24, 0);
                u
            }),
            1 => prop::collection::vec(any::<u8>(), 0..32),
        ];
        (what, any::<u32>(), any::<u64>(), union).prop_map(|(what, cpu, ts, union)| {
            let mut e = what.to_ne_bytes().to_vec();
            e.extend_from_slice(&cpu.to_ne_bytes());
            e.extend_from_slice(&ts.to_ne_bytes());
            e.extend(union);
            e
        })
    }

    proptest! {
        #[test]
        fn tagged_toy_round_trips_and_swaps_back(
            kind in prop_oneof![Just(1u32), Just(2), any::<u32>()],
            words in prop::collection::vec(any::<u32>(), 0..4),
            tail in prop::collection::vec(any::<u8>(), 0..3),
        ) {
            let mut bytes = toy(kind, &words);
            bytes.extend(tail);
            check_payload!(Toy<'_>, ToyHdr, ToyData<'static>, &bytes);
        }

        #[test]
        fn tagged_proc_event_round_trips_and_swaps_back(e in proc_event()) {
            check_payload!(ProcEvent<'_>, ProcEventHdr, EventData<'static>, &e);
        }

        /// The connector's body (`TaggedBody`: `cn_msg`, `data` by `id`
        /// and `len`, then padding).
        #[test]
        fn tagged_body_connector_round_trips_and_swaps_back(
            idx in prop_oneof![Just(1u32), any::<u32>()],
            val in prop_oneof![Just(1u32), any::<u32>()],
            data in prop_oneof![
                proc_event(),
                prop::collection::vec(any::<u8>(), 0..12),
            ],
            len_delta in prop_oneof![3 => Just(0i32), 1 => -8i32..8],
            pad in prop::collection::vec(prop_oneof![Just(0u8), any::<u8>()], 0..4),
        ) {
            let len = (data.len() as i32 + len_delta).clamp(0, 0xffff) as u16;
            let mut p: Vec<u8> = [idx, val, 5, 0].iter().flat_map(|x| x.to_ne_bytes()).collect();
            p.extend_from_slice(&len.to_ne_bytes());
            p.extend_from_slice(&0u16.to_ne_bytes());
            p.extend(data);
            p.extend(pad);
            for mode in [Mode::Strict, Mode::Lenient] {
                let Ok(m) = CnMessage::parse_body(&p, 0, mode) else {
                    continue;
                };
                let mut out = vec![0u8; p.len() + 16];
                let mut b = Builder::new(&mut out[..]);
                b.message(3, 0, 1, 0, |b| m.emit_body(b)).unwrap();
                let n = b.len();
                prop_assert_eq!(&out[16..n], &p[..]);
                let again = CnMessage::parse_body(&out[16..n], 0, mode).unwrap();
                prop_assert_eq!(&again, &m);
                prop_assert_eq!(walk(&again).lines, walk(&m).lines);
            }
            let mut f = cn_to_foreign(&p);
            CnMessage::swap_body(&mut f);
            prop_assert_eq!(f, p);
        }
    }
}

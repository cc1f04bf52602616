//! `#[nl_struct]` opens the group of a structure with
//! `Visitor::begin_struct` only when its walk reports distinct plain names
//! at its own level (a printer then skips its check for repeated names);
//! otherwise with `Visitor::begin`, as every other group.

use nlwire::nl_struct;
use nlwire::payload::{Payload, Struct};
use nlwire::value::{Value, Visitor, WalkField};
use nlwire::wire::{NativeEndian, WireStruct, U32};
use nlwire::Mode;

/// Which call opened each group.
#[derive(Default)]
struct Opens(Vec<String>);

impl Visitor for Opens {
    fn field(&mut self, _: &str, _: Value<'_>) {}
    fn begin(&mut self, name: &str) {
        self.0.push(format!("begin {name}"));
    }
    fn begin_struct(&mut self, name: &str) {
        self.0.push(format!("begin_struct {name}"));
    }
    fn end(&mut self) {}
    fn depth(&self) -> usize {
        0
    }
    fn error(&mut self, _: nlwire::Error) {}
}

#[nl_struct(name = "plain")]
struct Plain {
    a: u8,
    #[nl(bits(lo = 0..4, hi = 4..8))]
    b: u8,
    #[nl(name = "KERNEL_C")]
    c: U32<NativeEndian>,
}

/// A bit-field named as another field.
#[nl_struct(name = "bits_clash")]
struct BitsClash {
    #[nl(bits(a = 0..4, z = 4..8))]
    f: u8,
    a: u8,
}

/// An address slot reports `addr_extra` besides `addr`.
#[nl_struct(name = "extra_clash")]
struct ExtraClash {
    family: u8,
    #[nl(display = addr_by(family))]
    addr: [u8; 16],
    addr_extra: u8,
}

/// A name JSON escapes.
#[nl_struct(name = "quoted")]
struct Quoted {
    #[nl(name = "a\"b")]
    a: u8,
}

/// A name that reads as an array index.
#[nl_struct(name = "index")]
struct Index {
    #[nl(name = "0")]
    a: u8,
}

/// A field given by `value_with` is one field under its own name; one
/// walked by `walk_with` may report any names.
#[nl_struct(name = "valued")]
struct Valued {
    a: u8,
    #[nl(value_with = Self::both)]
    b: u8,
}

impl Valued {
    fn both(&self) -> Value<'static> {
        Value::U64(u64::from(self.a) << 8 | u64::from(self.b))
    }
}

/// A `value_with` field named as another field.
#[nl_struct(name = "valued_clash")]
struct ValuedClash {
    a: u8,
    #[nl(value_with = Self::one, name = "a")]
    b: u8,
}

impl ValuedClash {
    fn one(&self) -> Value<'static> {
        Value::U64(1)
    }
}

#[nl_struct(name = "walked")]
struct Walked {
    a: u8,
    #[nl(walk_with = Self::walk_b)]
    b: u8,
}

impl Walked {
    fn walk_b(&self, name: &str, v: &mut dyn Visitor) {
        v.field(name, Value::U64(u64::from(self.b)));
    }
}

/// `extra` is what a struct payload reports for bytes beyond its fields.
#[nl_struct(name = "extra")]
struct Extra {
    extra: u8,
}

fn opened(w: &dyn WalkField) -> String {
    let mut v = Opens::default();
    w.walk_field("S", &mut v);
    v.0.join(";")
}

#[test]
fn only_distinct_plain_names_open_a_struct_group() {
    let z = |n| vec![0u8; n];
    let plain: Plain = zerocopy_read(&z(6));
    assert_eq!(opened(&plain), "begin_struct S");
    assert_eq!(opened(&zerocopy_read::<BitsClash>(&z(2))), "begin S");
    assert_eq!(opened(&zerocopy_read::<ExtraClash>(&z(18))), "begin S");
    assert_eq!(opened(&zerocopy_read::<Quoted>(&z(1))), "begin S");
    assert_eq!(opened(&zerocopy_read::<Index>(&z(1))), "begin S");
    assert_eq!(opened(&zerocopy_read::<Extra>(&z(1))), "begin S");
    assert_eq!(opened(&zerocopy_read::<Valued>(&z(2))), "begin_struct S");
    assert_eq!(opened(&zerocopy_read::<ValuedClash>(&z(2))), "begin S");
    assert_eq!(opened(&zerocopy_read::<Walked>(&z(2))), "begin S");
    let distinct = [
        <Plain as WireStruct>::WALK_DISTINCT,
        <BitsClash as WireStruct>::WALK_DISTINCT,
        <Extra as WireStruct>::WALK_DISTINCT,
    ];
    assert_eq!(distinct, [true, false, false]);
}

/// A structure as an attribute payload (`&W`, `Struct<W>`) opens its group
/// as its own walk does.
#[test]
fn struct_payloads_open_their_group_as_the_struct_does() {
    let bytes = [0u8; 6];
    let mut v = Opens::default();
    <&Plain as Payload>::parse(&bytes, Mode::Strict)
        .unwrap()
        .walk_payload("P", &mut v);
    Struct::<Plain>::parse(&bytes, Mode::Strict)
        .unwrap()
        .walk_payload("Q", &mut v);
    <&Quoted as Payload>::parse(&bytes[..1], Mode::Strict)
        .unwrap()
        .walk_payload("R", &mut v);
    assert_eq!(v.0, ["begin_struct P", "begin_struct Q", "begin R"]);
}

fn zerocopy_read<T: WireStruct + Copy>(b: &[u8]) -> T {
    *T::parse(b).unwrap().0
}

/// A `value_with` field reports the function's value under the field's
/// name, where the field is.
#[test]
fn value_with_reports_its_value_under_the_field_s_name() {
    #[derive(Default)]
    struct Fields(Vec<(String, Value<'static>)>);
    impl Visitor for Fields {
        fn field(&mut self, name: &str, value: Value<'_>) {
            if let Value::U64(n) = value {
                self.0.push((name.to_string(), Value::U64(n)));
            }
        }
        fn begin(&mut self, _: &str) {}
        fn end(&mut self) {}
        fn depth(&self) -> usize {
            0
        }
        fn error(&mut self, _: nlwire::Error) {}
    }
    let mut v = Fields::default();
    zerocopy_read::<Valued>(&[2, 3]).walk_field("S", &mut v);
    assert_eq!(
        v.0,
        [
            ("a".to_string(), Value::U64(2)),
            ("b".to_string(), Value::U64(0x203))
        ]
    );
}

/// The default of `begin_struct` is `begin`, so a visitor that does not
/// know it sees a plain group.
#[test]
fn the_default_begin_struct_is_begin() {
    #[derive(Default)]
    struct Plain(Vec<String>);
    impl Visitor for Plain {
        fn field(&mut self, _: &str, _: Value<'_>) {}
        fn begin(&mut self, name: &str) {
            self.0.push(name.to_string());
        }
        fn end(&mut self) {}
        fn depth(&self) -> usize {
            0
        }
        fn error(&mut self, _: nlwire::Error) {}
    }
    let mut v = Plain::default();
    v.begin_struct("S");
    assert_eq!(v.0, ["S"]);
}

//! `#[nl(nested_optional)]`: strict decoding accepts a nest's flag bits as
//! declared with `NLA_F_NESTED` set or clear, as nfnetlink's kernel side does
//! (`nla_parse_nested_deprecated()`, no `NL_VALIDATE_NESTED`), and still
//! refuses any other bit; emit writes the declared bits.

use nlwire::netlink::{
    AttributeSet, Attrs, Builder, Nested, RawAttrs, NLA_F_NESTED, NLA_F_NET_BYTEORDER,
};
use nlwire::{attribute_set, ErrorKind, Mode};

/// Shaped like nftables' `NFTA_RULE_*`: the expression list is a nest the
/// kernel dumps without `NLA_F_NESTED` and libnftnl sends with it.
#[attribute_set(name = "toy-rule")]
pub enum ToyRule<'a> {
    /// A nest, either form accepted.
    #[nl(kind = 4, name = "TOY_RULE_EXPRESSIONS", nested_optional)]
    Expressions(Nested<'a, ToyExpr<'a>>),
    /// The same nest without the option: the declared bits only.
    #[nl(kind = 5, name = "TOY_RULE_PLAIN")]
    Plain(Nested<'a, ToyExpr<'a>>),
    /// Declared with `NLA_F_NESTED` and optional: emitted with the flag,
    /// accepted without it too (ctnetlink's dumps carry the flag).
    #[nl(kind = 6, name = "TOY_RULE_FLAGGED", flags = NLA_F_NESTED, nested_optional)]
    Flagged(Nested<'a, ToyExpr<'a>>),
}

/// The nest's members.
#[attribute_set(name = "toy-expr")]
pub enum ToyExpr<'a> {
    /// A number.
    #[nl(kind = 1, name = "TOY_EXPR_VALUE")]
    Value(u32),
}

fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    let len = u16::try_from(4 + payload.len()).unwrap();
    v.extend_from_slice(&len.to_ne_bytes());
    v.extend_from_slice(&kind.to_ne_bytes());
    v.extend_from_slice(payload);
    while v.len() % 4 != 0 {
        v.push(0);
    }
    v
}

fn nest(kind: u16) -> Vec<u8> {
    attr(kind, &attr(1, &7u32.to_ne_bytes()))
}

fn strict(bytes: &[u8]) -> nlwire::Result<ToyRule<'_>> {
    let raw = RawAttrs::with(bytes, 0, Mode::Strict).next().unwrap()?;
    ToyRule::from_raw(raw, Mode::Strict)
}

#[test]
fn strict_accepts_the_nest_with_or_without_nla_f_nested() {
    for bytes in [nest(4), nest(4 | NLA_F_NESTED)] {
        match strict(&bytes) {
            Ok(ToyRule::Expressions(n)) => {
                let inner: Vec<_> = n.iter().collect::<nlwire::Result<_>>().unwrap();
                assert!(matches!(inner[..], [ToyExpr::Value(7)]), "{inner:?}");
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn strict_still_refuses_any_other_bit() {
    for flags in [NLA_F_NET_BYTEORDER, NLA_F_NESTED | NLA_F_NET_BYTEORDER] {
        let bytes = nest(4 | flags);
        let e = strict(&bytes).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid, "{flags:#x}: {e}");
    }
}

#[test]
fn without_the_option_strict_demands_the_declared_bits() {
    let bytes = nest(5 | NLA_F_NESTED);
    assert_eq!(strict(&bytes).unwrap_err().kind, ErrorKind::Invalid);
    assert!(matches!(strict(&nest(5)), Ok(ToyRule::Plain(_))));
}

#[test]
fn declared_with_the_flag_strict_accepts_it_absent_too() {
    for bytes in [nest(6), nest(6 | NLA_F_NESTED)] {
        assert!(matches!(strict(&bytes), Ok(ToyRule::Flagged(_))));
    }
    let bytes = nest(6 | NLA_F_NESTED | NLA_F_NET_BYTEORDER);
    assert_eq!(strict(&bytes).unwrap_err().kind, ErrorKind::Invalid);
    assert_eq!(
        <ToyRule<'_> as AttributeSet<'_>>::emit_flags(6),
        NLA_F_NESTED
    );
}

#[test]
fn lenient_accepts_both_and_emit_writes_the_declared_bits() {
    for bytes in [nest(4), nest(4 | NLA_F_NESTED)] {
        let a: Vec<_> = Attrs::<ToyRule>::with(&bytes, 0, Mode::Lenient)
            .collect::<nlwire::Result<_>>()
            .unwrap();
        assert_eq!(a[0].nla_flags(), 0);
        let mut b = Builder::new_vec();
        b.attr_set(&a[0]).unwrap();
        assert_eq!(b.into_vec(), nest(4));
    }
    assert_eq!(<ToyRule<'_> as AttributeSet<'_>>::emit_flags(4), 0);
}

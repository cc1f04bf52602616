//! `#[nl(multi)]` (YNL `multi-attr: true`): attributes that may repeat are
//! declared as data (`AttributeSet::MULTI`, `SetDecl::multi`), every
//! occurrence is kept (`Attrs::all_of`), and a repeat of any kind is
//! accepted in strict mode too, as the kernel's `nla_parse` accepts it (the
//! last one wins there).

use nlwire::netlink::{AttributeSet, Attrs, Builder, Nested};
use nlwire::payload::{NulStr, Payload};
use nlwire::registry::{Decl, Describe, SetDecl};
use nlwire::{attribute_set, Mode};

/// Shaped like YNL `rt-link`'s `prop-list-link-attrs`: `alt-ifname` is a
/// `multi-attr`.
#[attribute_set(name = "prop_list")]
pub enum PropList<'a> {
    /// An alternative name; may repeat.
    #[nl(kind = 53, name = "IFLA_ALT_IFNAME", multi)]
    AltIfname(NulStr<'a>),
    /// Not declared `multi`.
    #[nl(kind = 4, name = "IFLA_MTU")]
    Mtu(u32),
}

fn stream() -> Vec<u8> {
    let mut b = Builder::new_vec();
    b.attr(53, &NulStr(b"one\0")).unwrap();
    b.attr(4, &1500u32).unwrap();
    b.attr(53, &NulStr(b"two\0")).unwrap();
    b.attr(4, &9000u32).unwrap();
    b.into_vec()
}

#[test]
fn multi_kinds_are_declared_as_data() {
    assert_eq!(<PropList<'_> as AttributeSet<'_>>::MULTI, &[53]);
    assert_eq!(SetDecl::of::<PropList<'_>>().multi, &[53]);
    // Through the registry's description, too.
    let mut multi = None;
    <PropList<'_> as Describe>::describe(&mut |d: Decl| {
        if let Decl::AttributeSet(s) = d {
            multi = Some(s.multi);
        }
        true
    });
    assert_eq!(multi, Some(&[53u16][..]));
    // A set without `multi` declares none.
    assert!(<nlwire::netlink::AnyAttr<'_> as AttributeSet<'_>>::MULTI.is_empty());
}

#[test]
fn all_of_collects_every_value_of_a_multi_attribute() {
    let bytes = stream();
    let names: Vec<&[u8]> = Attrs::<PropList>::new(&bytes)
        .all_of(53)
        .map(|a| match a.unwrap() {
            PropList::AltIfname(n) => n.to_bytes(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(names, [&b"one"[..], b"two"]);
    assert_eq!(Attrs::<PropList>::new(&bytes).all_of(4).count(), 2);
    assert_eq!(Attrs::<PropList>::new(&bytes).all_of(99).count(), 0);
}

#[test]
fn repeats_are_accepted_in_strict_mode_like_nla_parse() {
    // nla_parse keeps the last IFLA_MTU and refuses nothing: strict
    // validation does not refuse a repeated attribute not declared multi.
    let bytes = stream();
    let n = Nested::<PropList>::parse(&bytes, Mode::Strict).unwrap();
    assert_eq!(n.iter().filter(Result::is_ok).count(), 4);
}

//! What a registry entry says about its family's declarations
//! (`FamilyEntry::{declarations, rows}`, `nlwire::registry::Describe`).

use nlwire::netlink::{Message, Nested};
use nlwire::payload::NulStr;
use nlwire::registry::{Decl, Declarations, Describe, Registry};
use nlwire::{attribute_set, nl_struct};

/// A set that nests itself (directly and through a second set).
#[attribute_set(name = "self_nesting")]
pub enum SelfNesting<'a> {
    #[nl(kind = 1, name = "SN_NAME")]
    Name(NulStr<'a>),
    #[nl(kind = 2, name = "SN_NEST", flags = nlwire::netlink::NLA_F_NESTED)]
    Nest(Nested<'a, SelfNesting<'a>>),
    #[nl(kind = 3, name = "SN_OTHER", flags = nlwire::netlink::NLA_F_NESTED)]
    Other(Nested<'a, Other<'a>>),
    #[nl(kind = 4, name = "SN_HDR")]
    Hdr(&'a Hdr),
}

#[attribute_set(name = "other")]
pub enum Other<'a> {
    #[nl(kind = 1, name = "OTHER_BACK", flags = nlwire::netlink::NLA_F_NESTED)]
    Back(Nested<'a, SelfNesting<'a>>),
}

#[nl_struct(name = "demo_hdr", c_type = "struct demo_header")]
pub struct Hdr {
    pub a: u8,
}

#[nl_struct(name = "demo_msg")]
pub struct Msg {
    pub inner: Hdr,
    pub b: u8,
}

fn names(d: &[Decl]) -> Vec<&'static str> {
    d.iter().map(Decl::name).collect()
}

#[test]
fn self_nesting_sets_are_described_once() {
    let mut d = Declarations::default();
    <Message<'_, Msg, SelfNesting<'_>> as Describe>::describe(&mut d);
    assert_eq!(
        names(&d.decls),
        ["demo_msg", "demo_hdr", "self_nesting", "other"]
    );
    let Decl::Struct(h) = d.decls[1] else {
        panic!("{:?}", d.decls[1])
    };
    assert_eq!(h.c_type, "struct demo_header");
    let Decl::Struct(m) = d.decls[0] else {
        panic!("{:?}", d.decls[0])
    };
    assert_eq!((m.c_type, m.size), ("struct demo_msg", 2));
    let shape = <Message<'_, Msg, SelfNesting<'_>> as Describe>::shape().unwrap();
    assert_eq!(
        (shape.header.name, shape.attrs.name),
        ("demo_msg", "self_nesting")
    );
    assert_eq!(shape.attrs.kinds.len(), 4);
    assert!((shape.attrs.is_nested)(2));
    assert_eq!((shape.attrs.payload_size)(4), Some(1));
}

/// Every row's body is among its family's declarations, and every family
/// declares something.
#[test]
fn rows_are_part_of_their_familys_declarations() {
    for e in Registry::DEFAULT.entries() {
        let all = names(&e.collect_declarations());
        assert!(!all.is_empty(), "{}", e.name);
        for r in e.rows {
            let mut d = Declarations::default();
            (r.describe)(&mut d);
            for n in names(&d.decls) {
                assert!(all.contains(&n), "{}: {} not declared", e.name, n);
            }
            if let Some(s) = (r.shape)() {
                assert!(all.contains(&s.header.name) && all.contains(&s.attrs.name));
            }
        }
    }
    let sd = Registry::DEFAULT
        .find(nlwire::family::NETLINK_SOCK_DIAG)
        .unwrap();
    let all = names(&sd.collect_declarations());
    // declares(...): not reached by a row, declared with the family.
    for n in [
        "sock_diag_req",
        "sctp_info",
        "mptcp_info",
        "inet_diag_bc_op",
    ] {
        assert!(all.contains(&n), "{n}");
    }
    assert_eq!(sd.selector, Some((0, "sdiag_family")));
}

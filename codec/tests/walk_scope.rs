//! A visitor that keeps the walk's [`Scope`] (`Visitor::scope`) is walked
//! without the codec's wrappers; it must see exactly what a visitor without
//! one (the default) sees: the same fields, groups, errors with the same
//! offsets, and the same sub-messages selected, for nested
//! attributes with errors, sub-messages selected by a sibling attribute or
//! by the dump request, and string selectors too long for the scope (the
//! wrapper again, inside a scoped walk).

use std::cell::RefCell;

use nlwire::decode::decode_in;
use nlwire::netlink::{Builder, Messages, Scope, Selectors, SCOPE_STR_MAX};
use nlwire::registry::Registry;
use nlwire::value::{Value, Visitor, Walk};
use nlwire::{Error, Mode};

/// Records every call; keeps a scope when `scoped`.
struct Log {
    scoped: bool,
    scope: Scope,
    depth: usize,
    events: RefCell<Vec<String>>,
}

impl Log {
    fn new(scoped: bool) -> Self {
        Log {
            scoped,
            scope: Scope::new(),
            depth: 0,
            events: RefCell::new(Vec::new()),
        }
    }
    fn push(&self, e: String) {
        self.events.borrow_mut().push(e);
    }
}

impl Visitor for Log {
    fn field(&mut self, name: &str, value: Value<'_>) {
        self.push(format!("field {name}={value:?}"));
    }
    fn begin(&mut self, name: &str) {
        self.push(format!("begin {name}"));
        self.depth += 1;
    }
    fn end(&mut self) {
        self.push("end".into());
        self.depth = self.depth.saturating_sub(1);
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, error: Error) {
        let error = if self.scoped {
            self.scope.rebase(error)
        } else {
            error
        };
        self.push(format!("error at {}: {error}", error.offset()));
    }
    // `selector` is the trait's default: it answers from `scope()`, so
    // from `self.scope` when scoped; without a scope the wrappers answer
    // before asking here. The answers show in the fields the sub-messages
    // walk.
    fn scope(&mut self) -> Option<&mut Scope> {
        self.scoped.then_some(&mut self.scope)
    }
}

/// An attribute: header, payload, padding.
fn attr(kind: u16, payload: &[u8]) -> Vec<u8> {
    let len = 4 + payload.len();
    let mut a = Vec::new();
    a.extend_from_slice(&u16::try_from(len).unwrap().to_ne_bytes());
    a.extend_from_slice(&kind.to_ne_bytes());
    a.extend_from_slice(payload);
    a.resize(len.div_ceil(4) * 4, 0);
    a
}

fn message(nlmsg_type: u16, payload: &[u8]) -> Vec<u8> {
    let mut b = Builder::new_vec();
    b.message(nlmsg_type, 0, 1, 0, |b| b.put_bytes(payload))
        .unwrap();
    b.into_vec()
}

/// The events of a walk of `bytes` (one message of `family`) by a scoped
/// and an unscoped visitor, which must be equal; returns them.
fn both(family: u16, bytes: &[u8], mode: Mode, ctx: Selectors<'static>) -> Vec<String> {
    let m = Messages::new(bytes).next().unwrap().unwrap();
    let d = decode_in(&Registry::DEFAULT, family, m, mode, ctx);
    let mut plain = Log::new(false);
    d.walk(&mut plain);
    let mut scoped = Log::new(true);
    d.walk(&mut scoped);
    let (plain, scoped_events) = (plain.events.into_inner(), scoped.events.into_inner());
    assert_eq!(plain, scoped_events);
    // Everything the scope was given was taken back.
    assert_eq!(scoped.scope.base(), 0);
    assert_eq!(scoped.scope.selector("kind"), None);
    assert_eq!(scoped.scope.selector("protocol"), None);
    scoped_events
}

fn has(events: &[String], prefix: &str) -> bool {
    events.iter().any(|e| e.starts_with(prefix))
}

/// `RTM_NEWLINK` with `IFLA_LINKINFO` { `IFLA_INFO_DATA` before
/// `IFLA_INFO_KIND` `kind` }, the data holding a good `IFLA_VXLAN_ID` and,
/// if `bad`, a short `IFLA_VXLAN_LINK` and a header past the end.
fn link(kind: &[u8], bad: bool) -> Vec<u8> {
    let mut data = attr(1, &42u32.to_ne_bytes());
    if bad {
        data.extend(attr(3, &[7, 0]));
        data.extend_from_slice(&[200, 0, 9, 0]);
    }
    let mut info = attr(2, &data);
    let mut k = kind.to_vec();
    k.push(0);
    info.extend(attr(1, &k));
    let mut p = vec![0u8; 16]; // ifinfomsg
    p.extend(attr(3, b"vx0\0"));
    p.extend(attr(18, &info));
    message(16, &p)
}

#[test]
fn nested_errors_and_a_sibling_string_selector_are_the_same_with_a_scope() {
    for mode in [Mode::Lenient, Mode::Strict] {
        let e = both(0, &link(b"vxlan", false), mode, Selectors::EMPTY);
        assert!(has(&e, "field IFLA_VXLAN_ID=U64(42)"), "{e:?}");
        let bad = both(0, &link(b"vxlan", true), mode, Selectors::EMPTY);
        assert!(has(&bad, "error at 60: IFLA_VXLAN_LINK"), "{bad:?}");
        // With an outer layer (a request's context) below the stream's.
        let ctx = Selectors::EMPTY.with("protocol", 6);
        assert_eq!(both(0, &link(b"vxlan", false), mode, ctx), e);
        assert_eq!(both(0, &link(b"vxlan", true), mode, ctx), bad);
    }
}

#[test]
fn a_string_selector_too_long_for_the_scope_is_answered_by_the_wrapper() {
    let long = [b'k'; SCOPE_STR_MAX + 4];
    let ctx = Selectors::EMPTY.with("protocol", 6);
    for mode in [Mode::Lenient, Mode::Strict] {
        let e = both(0, &link(&long, true), mode, ctx);
        assert!(has(&e, "field IFLA_INFO_DATA="), "{e:?}");
    }
}

/// An `AF_INET` `SOCK_DIAG_BY_FAMILY` reply: `INET_DIAG_INFO` (120 bytes)
/// before `protocol`'s `INET_DIAG_PROTOCOL` if any.
fn inet_reply(protocol: Option<u8>) -> Vec<u8> {
    let mut p = vec![0u8; 72];
    p[0] = 2; // AF_INET
    p[1] = 1;
    p.extend(attr(2, &[0x11; 120])); // INET_DIAG_INFO
    if let Some(proto) = protocol {
        p.extend(attr(10, &[proto]));
    }
    message(20, &p)
}

#[test]
fn sub_messages_by_sibling_and_by_request_are_the_same_with_a_scope() {
    for mode in [Mode::Lenient, Mode::Strict] {
        // By the sibling (SCTP), over a request that says TCP.
        let ctx = Selectors::EMPTY.with("protocol", 6);
        let e = both(4, &inet_reply(Some(132)), mode, ctx);
        assert!(has(&e, "field sctpi_tag="), "{e:?}");
        // By the request alone (MPTCP), and by nothing.
        let ctx = Selectors::EMPTY.with("protocol", 262);
        let e = both(4, &inet_reply(None), mode, ctx);
        assert!(has(&e, "field mptcpi_"), "{e:?}");
        let e = both(4, &inet_reply(None), mode, Selectors::EMPTY);
        assert!(has(&e, "field tcpi_"), "{e:?}");
    }
}

//! Generic netlink families declared by name: a toy family (`"toy"`) whose
//! message type is assigned at run time, learned from the controller's
//! `CTRL_CMD_NEWFAMILY` (`CTRL_ATTR_FAMILY_ID` 0x25, `CTRL_ATTR_FAMILY_NAME`
//! "toy"), then decoded through its own table; forgotten on
//! `CTRL_CMD_DELFAMILY`; the learned-id table stays bounded.

mod walk_lines;
use walk_lines::*;

use nlwire::decode::{decode_ctx, emit_decoded, Body, Context, Decoded};
use nlwire::family::NETLINK_GENERIC;
use nlwire::family_ids::{Announcement, FamilyIds, FamilyName, NAME_MAX};
use nlwire::netlink::{Builder, FlagReading, Message, Messages, RawMessage, NLM_F_REQUEST};
use nlwire::payload::NulStr;
use nlwire::registry::{FamilyEntry, Registry};
use nlwire::{attribute_set, nl_family, nl_struct, open_enum};
use nlwire::{ErrorKind, Mode};
use zerocopy::byteorder::U16;
use zerocopy::NativeEndian as NE;

// -- toy generic netlink family ---------------------------------------

/// Toy commands (`TOY_CMD_*`), the `genlmsghdr` `cmd` byte.
#[open_enum(u8)]
pub enum ToyCmd {
    /// `TOY_CMD_GET`.
    #[nl(name = "TOY_CMD_GET")]
    Get = 1,
    /// `TOY_CMD_NEW`.
    #[nl(name = "TOY_CMD_NEW")]
    New = 2,
}

/// The toy family's view of `struct genlmsghdr`.
#[nl_struct(name = "genlmsghdr")]
pub struct ToyHdr {
    /// `cmd`: `TOY_CMD_*`.
    #[nl(enum = ToyCmd)]
    pub cmd: u8,
    /// `version`.
    pub version: u8,
    /// `reserved`.
    pub reserved: U16<NE>,
}

/// Toy attributes (`TOY_A_*`).
#[attribute_set(name = "toy_attrs")]
pub enum ToyAttr<'a> {
    /// `TOY_A_NAME`.
    #[nl(kind = 1, name = "TOY_A_NAME")]
    Name(NulStr<'a>),
    /// `TOY_A_SIZE`.
    #[nl(kind = 2, name = "TOY_A_SIZE")]
    Size(u32),
}

/// The toy family: rows without `types` (its id is dynamic), selected by
/// `cmd`.
#[nl_family(protocol = nlwire::family::NETLINK_GENERIC, name = "toy", genl = "toy",
            selector(offset = 0, name = "cmd", enum = ToyCmd))]
pub enum ToyMessage<'a> {
    /// `TOY_CMD_GET` request.
    #[nl(select = ToyCmd::Get, request, name = "TOY_CMD_GET")]
    GetRequest(Message<'a, ToyHdr, ToyAttr<'a>>),
    /// `TOY_CMD_GET` reply, named by a row of its own.
    #[nl(select = ToyCmd::Get, reply, name = "TOY_CMD_GET_REPLY")]
    GetReply(Message<'a, ToyHdr, ToyAttr<'a>>),
    /// `TOY_CMD_NEW`, either direction, named by its selector value.
    #[nl(select = ToyCmd::New)]
    New(Message<'a, ToyHdr, ToyAttr<'a>>),
}

// -- helpers -----------------------------------------------------------

static TOYS: Registry = Registry::DEFAULT.with(&[&ToyMessage::ENTRY]);

const TOY_ID: u16 = 0x25;
const CTRL_CMD_NEWFAMILY: u8 = 1;
const CTRL_CMD_DELFAMILY: u8 = 2;
const CTRL_CMD_GETFAMILY: u8 = 3;
const CTRL_ATTR_FAMILY_ID: u16 = 1;
const CTRL_ATTR_FAMILY_NAME: u16 = 2;

/// One generic netlink message: `genlmsghdr` (`cmd`, version 1), attributes.
fn genl(typ: u16, flags: u16, cmd: u8, attrs: &[(u16, &[u8])]) -> Vec<u8> {
    let mut b = Builder::new_vec();
    b.message(typ, flags, 9, 0, |b| {
        b.put_bytes(&[cmd, 1, 0, 0])?;
        for (k, p) in attrs {
            b.attr_raw(*k, p)?;
        }
        Ok(())
    })
    .unwrap();
    b.into_vec()
}

/// The controller announcing (`CTRL_CMD_NEWFAMILY`) or removing a family.
fn ctrl(cmd: u8, flags: u16, id: u16, name: &[u8]) -> Vec<u8> {
    genl(
        16,
        flags,
        cmd,
        &[
            (CTRL_ATTR_FAMILY_ID, &id.to_ne_bytes()),
            (CTRL_ATTR_FAMILY_NAME, name),
        ],
    )
}

fn toy_get_reply(typ: u16) -> Vec<u8> {
    genl(
        typ,
        0,
        ToyCmd::Get.raw(),
        &[(1, b"duck\0"), (2, &7u32.to_ne_bytes())],
    )
}

fn first(bytes: &[u8]) -> RawMessage<'_> {
    Messages::new(bytes).next().unwrap().unwrap()
}

fn dec<'a>(ids: &FamilyIds, bytes: &'a [u8], mode: Mode) -> Decoded<'a> {
    decode_ctx(
        &TOYS,
        NETLINK_GENERIC,
        first(bytes),
        mode,
        &Context {
            ids: Some(ids),
            ..Context::default()
        },
    )
}

fn lines(d: &Decoded<'_>) -> Vec<String> {
    let l = walk(d);
    assert!(l.errors.is_empty(), "{:?}", l.lines);
    l.lines
}

fn has(lines: &[String], want: &str) -> bool {
    lines.iter().any(|l| l.ends_with(want))
}

// -- tests -------------------------------------------------------------

#[test]
fn toy_entry_is_a_named_sub_family_of_netlink_generic() {
    let e: &FamilyEntry = &ToyMessage::ENTRY;
    assert_eq!(e.protocol, NETLINK_GENERIC);
    assert_eq!(e.sub_family, Some("toy"));
    assert_eq!(e.name, "toy");
    // Its types are dynamic: none is named by number.
    assert_eq!((e.type_name)(TOY_ID), None);
    // The fixed entry of the protocol stays the controller's.
    assert_eq!(TOYS.find(NETLINK_GENERIC).unwrap().name, "NETLINK_GENERIC");
    assert!(TOYS.find(NETLINK_GENERIC).unwrap().sub_family.is_none());
    assert_eq!(TOYS.find_named(NETLINK_GENERIC, "toy").unwrap().name, "toy");
    assert!(TOYS.find_named(NETLINK_GENERIC, "acme").is_none());
    // Generated from the YNL specs: found by name in the default registry.
    assert_eq!(
        TOYS.find_named(NETLINK_GENERIC, "ethtool").unwrap().name,
        "ethtool"
    );
    assert!(TOYS
        .find_named(nlwire::family::NETLINK_ROUTE, "toy")
        .is_none());
    assert!(Registry::DEFAULT
        .find_named(NETLINK_GENERIC, "toy")
        .is_none());
}

#[test]
fn several_entries_per_protocol_count_each_protocol_once() {
    static TWICE: &[&FamilyEntry] = &[&ToyMessage::ENTRY, &ToyMessage::ENTRY];
    let r = Registry::DEFAULT.with(TWICE);
    let fixed: Vec<u16> = r.protocols().map(|e| e.protocol).collect();
    let default: Vec<u16> = Registry::DEFAULT.protocols().map(|e| e.protocol).collect();
    assert_eq!(fixed, default);
    assert_eq!(
        fixed.iter().filter(|&&p| p == NETLINK_GENERIC).count(),
        1,
        "{fixed:?}"
    );
    assert_eq!(r.entries().count(), Registry::DEFAULT.entries().count() + 2);
}

#[test]
fn before_learning_a_toy_message_decodes_as_the_generic_default() {
    let ids = FamilyIds::new();
    let bytes = toy_get_reply(TOY_ID);
    let d = dec(&ids, &bytes, Mode::Lenient);
    assert_eq!(d.entry.unwrap().name, "NETLINK_GENERIC");
    assert_eq!(d.sub_family, None);
    assert_eq!(d.type_name(), None);
    let l = lines(&d);
    assert!(!l.iter().any(|x| x.contains("TOY_A_NAME")), "{l:?}");
    assert!(has(&l, "nlmsg_type=37"), "{l:?}");
}

#[test]
fn newfamily_teaches_the_id_and_the_toy_table_decodes() {
    let mut ids = FamilyIds::new();
    let announce = ctrl(CTRL_CMD_NEWFAMILY, 0, TOY_ID, b"toy\0");
    let got = ids.learn(&TOYS, NETLINK_GENERIC, &first(&announce), Mode::Lenient);
    assert_eq!(
        got,
        Some(Announcement::New {
            id: TOY_ID,
            name: b"toy"
        })
    );
    assert_eq!(ids.name(NETLINK_GENERIC, TOY_ID).unwrap().as_str(), "toy");
    assert_eq!(ids.id_of(NETLINK_GENERIC, "toy"), Some(TOY_ID));

    let bytes = toy_get_reply(TOY_ID);
    let d = dec(&ids, &bytes, Mode::Strict);
    assert_eq!(d.entry.unwrap().name, "toy");
    assert_eq!(d.sub_family.map(|n| n.to_string()), Some("toy".into()));
    assert!(matches!(d.body, Ok(Body::Family(_))));
    // The message is named by its row, its type by the sub-family.
    assert_eq!(d.type_name(), Some("TOY_CMD_GET_REPLY"));
    assert_eq!(d.nlmsg_type_name(), Some("toy"));
    let l = lines(&d);
    assert!(has(&l, "nlmsg_type=toy"), "{l:?}");
    assert!(has(&l, "cmd=TOY_CMD_GET"), "{l:?}");
    assert!(has(&l, "TOY_A_NAME=duck"), "{l:?}");
    assert!(has(&l, "TOY_A_SIZE=7"), "{l:?}");

    // The request row names it too; a row without `name` uses the cmd.
    let req = genl(TOY_ID, NLM_F_REQUEST, ToyCmd::Get.raw(), &[]);
    assert_eq!(
        dec(&ids, &req, Mode::Strict).type_name(),
        Some("TOY_CMD_GET")
    );
    let new = genl(TOY_ID, 0, ToyCmd::New.raw(), &[(1, b"x\0")]);
    assert_eq!(
        dec(&ids, &new, Mode::Strict).type_name(),
        Some("TOY_CMD_NEW")
    );

    // Decoded in strict mode, it re-emits byte for byte through the toy entry.
    let mut out = vec![0u8; bytes.len() + 16];
    let mut b = Builder::new(&mut out[..]);
    emit_decoded(&d, &mut b).unwrap();
    let n = b.len();
    assert_eq!(&out[..n], &bytes[..]);

    // Another id stays generic.
    let other = toy_get_reply(TOY_ID + 1);
    assert_eq!(
        dec(&ids, &other, Mode::Lenient).entry.unwrap().name,
        "NETLINK_GENERIC"
    );
}

#[test]
fn an_unknown_cmd_of_a_learned_family_is_unselected_or_strictly_refused() {
    let mut ids = FamilyIds::new();
    assert!(ids.insert(NETLINK_GENERIC, TOY_ID, b"toy"));
    let bytes = genl(TOY_ID, 0, 99, &[]);
    let d = dec(&ids, &bytes, Mode::Lenient);
    assert_eq!(d.entry.unwrap().name, "toy");
    assert!(d.body.is_ok());
    assert_eq!(d.type_name(), None);
    let e = dec(&ids, &bytes, Mode::Strict).body.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Unknown);
    assert_eq!(e.what, "cmd");
}

#[test]
fn an_undeclared_learned_family_is_named_and_decoded_generically() {
    let mut ids = FamilyIds::new();
    let announce = ctrl(CTRL_CMD_NEWFAMILY, 0, 0x30, b"acme\0");
    assert!(ids
        .learn(&TOYS, NETLINK_GENERIC, &first(&announce), Mode::Lenient)
        .is_some());
    let bytes = toy_get_reply(0x30);
    let d = dec(&ids, &bytes, Mode::Lenient);
    assert_eq!(d.entry.unwrap().name, "NETLINK_GENERIC");
    assert_eq!(d.sub_family.unwrap().as_str(), "acme");
    assert_eq!(d.nlmsg_type_name(), None);
}

#[test]
fn the_controller_keeps_its_fixed_id_even_when_announced() {
    let mut ids = FamilyIds::new();
    let announce = ctrl(CTRL_CMD_NEWFAMILY, 0, 16, b"nlctrl\0");
    assert!(ids
        .learn(&TOYS, NETLINK_GENERIC, &first(&announce), Mode::Lenient)
        .is_some());
    let d = dec(&ids, &announce, Mode::Strict);
    assert_eq!(d.entry.unwrap().name, "NETLINK_GENERIC");
    assert_eq!(d.sub_family, None);
    assert_eq!(d.type_name(), Some("GENL_ID_CTRL"));
}

#[test]
fn delfamily_forgets_and_requests_announce_nothing() {
    let mut ids = FamilyIds::new();
    let new = ctrl(CTRL_CMD_NEWFAMILY, 0, TOY_ID, b"toy\0");
    ids.learn(&TOYS, NETLINK_GENERIC, &first(&new), Mode::Lenient);
    assert_eq!(ids.len(), 1);
    // A GETFAMILY request (by name) and a NEWFAMILY sent as a request
    // assign nothing.
    let get = genl(
        16,
        NLM_F_REQUEST,
        CTRL_CMD_GETFAMILY,
        &[(CTRL_ATTR_FAMILY_NAME, b"other\0")],
    );
    assert_eq!(
        ids.learn(&TOYS, NETLINK_GENERIC, &first(&get), Mode::Lenient),
        None
    );
    let spoof = ctrl(CTRL_CMD_NEWFAMILY, NLM_F_REQUEST, 0x31, b"other\0");
    assert_eq!(
        ids.learn(&TOYS, NETLINK_GENERIC, &first(&spoof), Mode::Lenient),
        None
    );
    // Another protocol's messages announce nothing either.
    assert_eq!(
        ids.learn(
            &TOYS,
            nlwire::family::NETLINK_ROUTE,
            &first(&new),
            Mode::Lenient
        ),
        None
    );
    assert_eq!(ids.len(), 1);

    let del = ctrl(CTRL_CMD_DELFAMILY, 0, TOY_ID, b"toy\0");
    assert_eq!(
        ids.learn(&TOYS, NETLINK_GENERIC, &first(&del), Mode::Lenient),
        Some(Announcement::Gone { id: TOY_ID })
    );
    assert!(ids.is_empty());
    let bytes = toy_get_reply(TOY_ID);
    assert_eq!(
        dec(&ids, &bytes, Mode::Lenient).entry.unwrap().name,
        "NETLINK_GENERIC"
    );
}

#[test]
fn an_error_echoing_a_toy_request_decodes_the_echo_as_toy() {
    let mut ids = FamilyIds::new();
    ids.insert(NETLINK_GENERIC, TOY_ID, b"toy\0");
    let req = genl(TOY_ID, NLM_F_REQUEST, ToyCmd::Get.raw(), &[(1, b"duck\0")]);
    let mut payload = (-22i32).to_ne_bytes().to_vec();
    payload.extend_from_slice(&req);
    let mut b = Builder::new_vec();
    b.message(2, 0, 9, 0, |b| b.put_bytes(&payload)).unwrap();
    let err = b.into_vec();
    let d = dec(&ids, &err, Mode::Lenient);
    let l = lines(&d);
    assert!(has(&l, "echoed_request.nlmsghdr.nlmsg_type=toy"), "{l:?}");
    assert!(
        l.iter()
            .any(|x| x.contains("echoed_request") && x.ends_with("TOY_A_NAME=duck")),
        "{l:?}"
    );
}

#[test]
fn names_are_kept_up_to_genl_namsiz() {
    assert_eq!(FamilyName::new(b"toy\0junk").unwrap().as_str(), "toy");
    assert!(FamilyName::new(b"").is_none());
    assert!(FamilyName::new(b"\0").is_none());
    assert!(FamilyName::new(&[b'a'; NAME_MAX]).is_some());
    assert!(FamilyName::new(&[b'a'; NAME_MAX + 1]).is_none());
    assert!(FamilyName::new(&[0xff, 0xfe]).is_none());
    let mut ids = FamilyIds::new();
    assert!(!ids.insert(NETLINK_GENERIC, 40, &[b'a'; 40]));
    assert!(ids.is_empty());
}

#[test]
fn table_overflow_stays_bounded_and_forgets_the_oldest() {
    // A fixed array: no allocation, its size known up front.
    assert!(std::mem::size_of::<FamilyIds>() <= 10 * 1024 + 16);
    let mut ids = FamilyIds::new();
    let n = FamilyIds::CAPACITY as u16 * 4;
    for i in 0..n {
        let name = format!("f{i}");
        assert!(ids.insert(NETLINK_GENERIC, 100 + i, name.as_bytes()));
        assert!(ids.len() <= FamilyIds::CAPACITY);
    }
    assert_eq!(ids.len(), FamilyIds::CAPACITY);
    // The newest are kept, the oldest forgotten.
    assert_eq!(
        ids.name(NETLINK_GENERIC, 100 + n - 1).unwrap().as_str(),
        format!("f{}", n - 1)
    );
    let oldest_kept = n - FamilyIds::CAPACITY as u16;
    assert!(ids.name(NETLINK_GENERIC, 100 + oldest_kept).is_some());
    assert!(ids.name(NETLINK_GENERIC, 100 + oldest_kept - 1).is_none());
    assert!(ids.name(NETLINK_GENERIC, 100).is_none());
    // Learning a known id again replaces it in place.
    ids.insert(NETLINK_GENERIC, 100 + n - 1, b"renamed");
    assert_eq!(ids.len(), FamilyIds::CAPACITY);
    assert_eq!(
        ids.name(NETLINK_GENERIC, 100 + n - 1).unwrap().as_str(),
        "renamed"
    );
    // Ids are per protocol.
    assert!(ids
        .name(nlwire::family::NETLINK_ROUTE, 100 + n - 1)
        .is_none());
}

#[test]
fn the_toy_entry_works_through_the_generic_machinery() {
    // What the registry-iterating tests do with every entry, for a
    // sub-family entry: check, walk, emit, swap twice.
    let e = &ToyMessage::ENTRY;
    let bytes = toy_get_reply(TOY_ID);
    let m = first(&bytes);
    (e.check)(&m, Mode::Strict).unwrap();
    let mut l = Lines::default();
    (e.walk)(&m, Mode::Strict, &mut l).unwrap();
    assert!(has(&l.lines, "TOY_A_NAME=duck"), "{:?}", l.lines);
    // The same payload as written on a host of the other byte order:
    // `nla_len`, `nla_type` and `TOY_A_SIZE` reversed.
    let mut p = m.payload.to_vec();
    p[4..6].reverse();
    p[6..8].reverse();
    p[16..18].reverse();
    p[18..20].reverse();
    p[20..24].reverse();
    (e.swap)(TOY_ID, false, &mut p, &nlwire::netlink::Selectors::EMPTY);
    assert_eq!(&p[..], m.payload);
    assert!((e.announces)(&m, Mode::Lenient).is_none());
    assert!(e
        .collect_declarations()
        .iter()
        .any(|d| d.name() == "toy_attrs"));
}

#[test]
fn every_toy_row_round_trips_once_its_id_is_learned() {
    use nlwire::strategy::{message_rows, payload_of};
    use proptest::prelude::*;
    use proptest::test_runner::{Config, TestRunner};
    let e = &ToyMessage::ENTRY;
    let fixed = TOYS.find(NETLINK_GENERIC).unwrap();
    for (i, row) in e.rows.iter().enumerate() {
        let mut takes = message_rows(e, i, usize::MAX);
        takes.retain(|(t, ..)| (fixed.type_name)(*t).is_none());
        assert!(!takes.is_empty(), "row {} takes nothing", row.variant);
        let sample = proptest::sample::select(takes).prop_flat_map(move |(t, r, s)| {
            (Just(t), Just(r), payload_of(e, &e.rows[i], s, 4).unwrap())
        });
        let mut runner = TestRunner::new(Config {
            cases: 64,
            failure_persistence: None,
            ..Config::default()
        });
        runner
            .run(&sample, |(t, r, p)| {
                let mut ids = FamilyIds::new();
                ids.insert(NETLINK_GENERIC, t, b"toy");
                let mut b = Builder::new_vec();
                let flags = if r { NLM_F_REQUEST } else { 0 };
                b.message(t, flags, 1, 2, |b| b.put_bytes(&p)).unwrap();
                let bytes = b.into_vec();
                let d = dec(&ids, &bytes, Mode::Lenient);
                prop_assert_eq!(d.entry.unwrap().name, "toy");
                let Ok(Body::Family(f)) = &d.body else {
                    return Err(TestCaseError::fail(format!("{:?}", d.body)));
                };
                prop_assert_eq!(f.entry.sub_family, Some("toy"));
                if dec(&ids, &bytes, Mode::Strict).body.is_ok() {
                    let mut out = vec![0u8; bytes.len() + 16];
                    let mut w = Builder::new(&mut out[..]);
                    emit_decoded(&d, &mut w).unwrap();
                    let n = w.len();
                    prop_assert_eq!(&out[..n], &bytes[..]);
                }
                Ok(())
            })
            .unwrap_or_else(|err| panic!("row {}: {err}", row.variant));
    }
}

#[test]
fn a_foreign_order_toy_message_converts_by_the_toy_table_once_learned() {
    use nlwire::swap::{swap_message_ids, swap_message_with};
    let native = toy_get_reply(TOY_ID);
    // The same message from a host of the other byte order: nlmsghdr
    // fields, nla_len/nla_type and TOY_A_SIZE reversed.
    let mut foreign = native.clone();
    for r in [0..4, 4..6, 6..8, 8..12, 12..16] {
        foreign[r].reverse();
    }
    for r in [20..22, 22..24, 32..34, 34..36, 36..40] {
        foreign[r].reverse();
    }
    let mut ids = FamilyIds::new();
    ids.insert(NETLINK_GENERIC, TOY_ID, b"toy");
    let mut converted = foreign.clone();
    swap_message_ids(&TOYS, Some(&ids), NETLINK_GENERIC, &mut converted);
    assert_eq!(converted, native);
    // Without the id, the controller's default converts the attribute
    // headers only: TOY_A_SIZE's payload stays as it came.
    let mut generic = foreign.clone();
    swap_message_with(&TOYS, NETLINK_GENERIC, &mut generic);
    assert_eq!(generic[..36], native[..36]);
    assert_ne!(generic[36..40], native[36..40]);
}

/// Generic netlink reads `NLM_F_ROOT | NLM_F_MATCH` (0x300) as
/// `NLM_F_DUMP` for every command (net/netlink/genetlink.c,
/// `genl_family_rcv_msg`): a request of a named family, and of the
/// controller, reads its flags as a GET's; a reply's stay common.
#[test]
fn genl_requests_read_their_flags_as_get() {
    let mut ids = FamilyIds::new();
    let announce = ctrl(CTRL_CMD_NEWFAMILY, 0, TOY_ID, b"toy\0");
    ids.learn(&TOYS, NETLINK_GENERIC, &first(&announce), Mode::Lenient);
    let dump = NLM_F_REQUEST | 0x300;
    for (what, bytes) in [
        ("toy", genl(TOY_ID, dump, ToyCmd::Get.raw(), &[])),
        ("nlctrl", genl(16, dump, 3, &[])),
    ] {
        let d = dec(&ids, &bytes, Mode::Strict);
        assert_eq!(d.flag_reading(), FlagReading::Get, "{what}");
        let l = lines(&d);
        assert!(
            l.iter()
                .any(|x| x.starts_with("nlmsghdr.nlmsg_flags=") && x.contains("NLM_F_DUMP")),
            "{what}: {l:?}"
        );
    }
    let reply = toy_get_reply(TOY_ID);
    assert_eq!(
        dec(&ids, &reply, Mode::Strict).flag_reading(),
        FlagReading::Other
    );
}

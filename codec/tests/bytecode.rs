//! inet_diag bytecode: declarations, the view, the audit, the emitter, the
//! text form and the `ss` filter compiler, on byte arrays.
//!
//! The `SS_*` arrays are the `INET_DIAG_REQ_BYTECODE` payloads that iproute2
//! `ss` 6.1 sent on this x86_64 machine (recorded with `strace -e
//! trace=sendmsg -e write=3 ss -tn FILTER`); they are in little-endian host
//! order, so the tests that compare raw bytes are for little-endian hosts.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nlwire::families::sock_diag::bytecode::*;
use nlwire::netlink::{Sink, SliceSink};
use nlwire::value::{Value, Visitor, Walk};
use nlwire::wire::WireStruct;
use nlwire::{Error, ErrorKind};

/// `ss -tn 'sport = :22'` (the AF_INET request).
const SS_SPORT_EQ_22: [u8; 16] = [
    0x07, 0x10, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];
/// The same filter in the AF_INET6 request of the same run: `ss` leaves the
/// two padding bytes of `inet_diag_hostcond` uninitialised (`02 00`).
const SS_SPORT_EQ_22_PAD: [u8; 16] = [
    0x07, 0x10, 0x14, 0x00, 0x00, 0x00, 0x02, 0x00, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
];
/// `ss -tn 'dport >= :1024 and dport <= :2048'`.
const SS_DPORT_RANGE: [u8; 16] = [
    0x04, 0x08, 0x14, 0x00, 0x00, 0x00, 0x00, 0x04, 0x05, 0x08, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x08,
];
/// `ss -tn 'not src 127.0.0.1/8'`.
const SS_NOT_SRC_LOOPBACK: [u8; 20] = [
    0x07, 0x10, 0x14, 0x00, 0x02, 0x08, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00, 0x00, 0x01,
    0x01, 0x04, 0x08, 0x00,
];
/// `ss -tn 'dst [::1]'`.
const SS_DST_V6_LOOPBACK: [u8; 28] = [
    0x08, 0x1c, 0x20, 0x00, 0x0a, 0x80, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 1,
];
/// `ss -tn 'sport = :22 or sport = :80'`.
const SS_SPORT_22_OR_80: [u8; 36] = [
    0x07, 0x10, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x14, 0x00, 0x07, 0x10, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x50, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
];
/// `ss -tn 'fwmark = 0x10/0xff'`.
const SS_FWMARK: [u8; 12] = [
    0x0a, 0x0c, 0x10, 0x00, 0x10, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00,
];
/// `ss -tn 'dport != :22'`.
const SS_DPORT_NE_22: [u8; 20] = [
    0x08, 0x10, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x08, 0x00,
];
/// `ss -tn 'autobound'`.
const SS_AUTOBOUND: [u8; 4] = [0x06, 0x04, 0x08, 0x00];
/// `ss -tn 'sport > :1024'` (`ss` writes it as `not sport <= :1024`).
const SS_SPORT_GT_1024: [u8; 12] = [
    0x03, 0x08, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x04, 0x01, 0x04, 0x08, 0x00,
];
/// `ss -tn 'cgroup /'` (the id came out 0 on this host).
const SS_CGROUP: [u8; 12] = [0x0d, 0x0c, 0x10, 0x00, 0, 0, 0, 0, 0, 0, 0, 0];
/// `ss -tn '( sport = :22 or dport >= :1024 ) and not dst 10.0.0.0/8'`.
const SS_COMPOUND: [u8; 48] = [
    0x07, 0x10, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, // S_COND :22
    0x01, 0x04, 0x0c, 0x00, // JMP +12
    0x04, 0x08, 0x20, 0x00, 0x00, 0x00, 0x00, 0x04, // D_GE 1024, no patched 12 -> 32
    0x08, 0x10, 0x14, 0x00, 0x02, 0x08, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0a, 0x00, 0x00,
    0x00, // D_COND 10/8
    0x01, 0x04, 0x08, 0x00, // JMP +8 (not)
];
/// `ss -tn 'not ( sport = :1 and dport = :2 )'`.
const SS_NOT_AND: [u8; 36] = [
    0x07, 0x10, 0x24, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x08, 0x10, 0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x04, 0x08, 0x00,
];
/// `ss -tn 'src 192.168.1.0/24:443'`.
const SS_SRC_PREFIX_PORT: [u8; 16] = [
    0x07, 0x10, 0x14, 0x00, 0x02, 0x18, 0x00, 0x00, 0xbb, 0x01, 0x00, 0x00, 0xc0, 0xa8, 0x01, 0x00,
];
/// `ss -tn 'sport = :1 and sport = :2 and sport = :3'` (left-associative).
const SS_AND3: [u8; 48] = [
    0x07, 0x10, 0x34, 0x00, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x07, 0x10, 0x24, 0x00, 0, 0, 0,
    0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x07, 0x10, 0x14, 0x00, 0, 0, 0, 0, 0x03, 0, 0, 0, 0, 0, 0, 0,
];
/// `ss -tn 'sport = :1 or sport = :2 or sport = :3'` (left-associative).
const SS_OR3: [u8; 56] = [
    0x07, 0x10, 0x14, 0x00, 0, 0, 0, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x04, 0x14, 0x00, 0x07,
    0x10, 0x14, 0x00, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x04, 0x14, 0x00, 0x07, 0x10,
    0x14, 0x00, 0, 0, 0, 0, 0x03, 0, 0, 0, 0, 0, 0, 0,
];

fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

fn all_ss_vectors() -> Vec<(&'static str, &'static [u8])> {
    vec![
        ("sport = :22", &SS_SPORT_EQ_22[..]),
        ("sport = :22 (uninitialised pad)", &SS_SPORT_EQ_22_PAD[..]),
        ("dport range", &SS_DPORT_RANGE[..]),
        ("not src 127.0.0.1/8", &SS_NOT_SRC_LOOPBACK[..]),
        ("dst [::1]", &SS_DST_V6_LOOPBACK[..]),
        ("sport 22 or 80", &SS_SPORT_22_OR_80[..]),
        ("fwmark", &SS_FWMARK[..]),
        ("dport != :22", &SS_DPORT_NE_22[..]),
        ("autobound", &SS_AUTOBOUND[..]),
        ("sport > :1024", &SS_SPORT_GT_1024[..]),
        ("cgroup", &SS_CGROUP[..]),
        ("compound", &SS_COMPOUND[..]),
        ("not and", &SS_NOT_AND[..]),
        ("src prefix:port", &SS_SRC_PREFIX_PORT[..]),
        ("and3", &SS_AND3[..]),
        ("or3", &SS_OR3[..]),
    ]
}

// ---------------------------------------------------------------------------
// Declarations

#[test]
fn declarations_match_the_header() {
    assert_eq!(InetDiagBcOp::SIZE, 4);
    assert_eq!(InetDiagBcOp::NAME, "inet_diag_bc_op");
    let f: Vec<_> = InetDiagBcOp::FIELDS
        .iter()
        .map(|f| (f.name, f.offset, f.size))
        .collect();
    assert_eq!(f, [("code", 0, 1), ("yes", 1, 1), ("no", 2, 2)]);

    // The fixed part of inet_diag_hostcond: port at offsetof 4, sizeof 8;
    // `pad` is the C padding the derive needs a field for.
    assert_eq!(InetDiagHostcond::SIZE, 8);
    assert_eq!(InetDiagHostcond::field("family").unwrap().offset, 0);
    assert_eq!(InetDiagHostcond::field("prefix_len").unwrap().offset, 1);
    assert_eq!(InetDiagHostcond::field("port").unwrap().offset, 4);

    assert_eq!(InetDiagMarkcond::SIZE, 8);
    let f: Vec<_> = InetDiagMarkcond::FIELDS
        .iter()
        .map(|f| (f.name, f.offset, f.size))
        .collect();
    assert_eq!(f, [("mark", 0, 4), ("mask", 4, 4)]);
}

#[test]
fn op_codes_are_numbered_as_in_the_header() {
    let want = [
        (0, "INET_DIAG_BC_NOP"),
        (1, "INET_DIAG_BC_JMP"),
        (2, "INET_DIAG_BC_S_GE"),
        (3, "INET_DIAG_BC_S_LE"),
        (4, "INET_DIAG_BC_D_GE"),
        (5, "INET_DIAG_BC_D_LE"),
        (6, "INET_DIAG_BC_AUTO"),
        (7, "INET_DIAG_BC_S_COND"),
        (8, "INET_DIAG_BC_D_COND"),
        (9, "INET_DIAG_BC_DEV_COND"),
        (10, "INET_DIAG_BC_MARK_COND"),
        (11, "INET_DIAG_BC_S_EQ"),
        (12, "INET_DIAG_BC_D_EQ"),
        (13, "INET_DIAG_BC_CGROUP_COND"),
    ];
    assert_eq!(BcCode::ALL, want);
    assert_eq!(BcCode::from(14), BcCode::Unknown(14));
    assert_eq!(BcCode::Unknown(200).name(), None);
}

// ---------------------------------------------------------------------------
// The view

#[test]
fn iterates_ss_dport_range() {
    let p = Program::new(&SS_DPORT_RANGE[..]);
    let v: Vec<_> = p.iter().collect();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].offset, 0);
    assert_eq!(v[0].code(), BcCode::DGe);
    assert_eq!((v[0].yes(), v[0].no()), (8, 20));
    assert_eq!(
        v[0].insn,
        Insn::Port {
            side: Side::Dst,
            op: PortOp::Ge,
            port: 1024
        }
    );
    assert_eq!((v[0].yes_target(), v[0].no_target()), (8, 20));
    assert_eq!(v[1].offset, 8);
    assert_eq!(
        v[1].insn,
        Insn::Port {
            side: Side::Dst,
            op: PortOp::Le,
            port: 2048
        }
    );
    assert_eq!(v[1].no_target(), 20, "one op past the end: reject");
    assert!(v[1].extra().is_empty());
    assert_eq!(v[1].port_arg().unwrap().no.get(), 2048);
    assert!(p.trailing().is_empty());
}

#[test]
fn decodes_host_conditions_with_core_net_types() {
    let p = Program::new(&SS_NOT_SRC_LOOPBACK[..]);
    let v: Vec<_> = p.iter().collect();
    assert_eq!(
        v[0].insn,
        Insn::Host {
            side: Side::Src,
            cond: HostCond {
                addr: Some(v4(127, 0, 0, 1)),
                prefix_len: 8,
                port: -1
            }
        }
    );
    assert_eq!(v[1].insn, Insn::Jmp);
    assert_eq!(v[1].offset, 16);

    let p = Program::new(&SS_DST_V6_LOOPBACK[..]);
    let i = p.iter().next().unwrap();
    assert_eq!(
        i.insn,
        Insn::Host {
            side: Side::Dst,
            cond: HostCond::host(IpAddr::V6(Ipv6Addr::LOCALHOST))
        }
    );
    assert_eq!(i.len(), 28);

    // AF_UNSPEC: no address; ss's 4 unused address bytes are `extra`.
    let p = Program::new(&SS_SPORT_EQ_22[..]);
    let i = p.iter().next().unwrap();
    assert_eq!(
        i.insn,
        Insn::Host {
            side: Side::Src,
            cond: HostCond::port(22)
        }
    );
    assert_eq!(i.extra(), &[0, 0, 0, 0]);
    assert_eq!(i.hostcond().unwrap().pad, [0, 0]);
    let p = Program::new(&SS_SPORT_EQ_22_PAD[..]);
    assert_eq!(
        p.iter().next().unwrap().hostcond().unwrap().pad,
        [0x02, 0x00]
    );

    let p = Program::new(&SS_SRC_PREFIX_PORT[..]);
    assert_eq!(
        p.iter().next().unwrap().insn,
        Insn::Host {
            side: Side::Src,
            cond: HostCond::prefix(v4(192, 168, 1, 0), 24).with_port(443)
        }
    );
}

#[test]
fn decodes_dev_mark_cgroup() {
    assert_eq!(
        Program::new(&SS_FWMARK[..]).iter().next().unwrap().insn,
        Insn::Mark {
            mark: 0x10,
            mask: 0xff
        }
    );
    assert_eq!(
        Program::new(&SS_CGROUP[..]).iter().next().unwrap().insn,
        Insn::Cgroup { id: 0 }
    );
    let mut cg = SS_CGROUP;
    cg[4..12].copy_from_slice(&0x0102_0304_0506_0708u64.to_ne_bytes());
    assert_eq!(
        Program::new(&cg).iter().next().unwrap().insn,
        Insn::Cgroup {
            id: 0x0102_0304_0506_0708
        }
    );
    let mut dev = [9, 8, 12, 0, 0, 0, 0, 0];
    dev[4..].copy_from_slice(&7u32.to_ne_bytes());
    let p = Program::new(&dev);
    assert_eq!(p.iter().next().unwrap().insn, Insn::Dev { ifindex: 7 });
    p.audit().unwrap();
}

#[test]
fn undecodable_commands_are_raw_and_iteration_ends() {
    // Unknown code 42 with a usable yes: one raw command of 8 bytes.
    let b = [42, 8, 12, 0, 1, 2, 3, 4, 6, 4, 8, 0];
    let v: Vec<_> = Program::new(&b).iter().collect();
    assert_eq!(v.len(), 2);
    assert_eq!(
        (v[0].insn, v[0].len(), v[0].extra()),
        (Insn::Raw, 8, &[1u8, 2, 3, 4][..])
    );
    assert_eq!(v[0].name(), "inet_diag_bc_op");
    assert_eq!(v[1].insn, Insn::Auto);

    // yes 0: the command takes the rest (no infinite loop).
    let b = [6, 0, 8, 0, 6, 4, 8, 0];
    let v: Vec<_> = Program::new(&b).iter().collect();
    assert_eq!(v.len(), 1);
    assert_eq!((v[0].insn, v[0].len()), (Insn::Raw, 8));

    // A host condition of family AF_UNIX (1) does not decode.
    let b = [7, 12, 16, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff];
    assert_eq!(Program::new(&b).iter().next().unwrap().insn, Insn::Raw);

    // S_GE whose yes (4) leaves no room for the port.
    let b = [2, 4, 8, 0, 6, 4, 8, 0];
    let v: Vec<_> = Program::new(&b).iter().collect();
    assert_eq!(
        v.iter().map(|i| i.insn).collect::<Vec<_>>(),
        [Insn::Raw, Insn::Auto]
    );

    // 1 to 3 bytes after the last command.
    let b = [6, 4, 8, 0, 0xaa, 0xbb];
    let p = Program::new(&b);
    assert_eq!(p.iter().count(), 1);
    assert_eq!(p.trailing(), &[0xaa, 0xbb]);
}

// ---------------------------------------------------------------------------
// Audit

fn audit_err(b: &[u8]) -> Error {
    audit(b).expect_err("audit accepted a program the kernel refuses")
}

#[test]
fn audit_accepts_every_ss_program() {
    for (name, b) in all_ss_vectors() {
        audit(b).unwrap_or_else(|e| panic!("{name}: {e}"));
        Program::parse(b).unwrap();
    }
}

#[test]
fn audit_rejects_empty_and_truncated() {
    let e = audit_err(&[]);
    assert_eq!(
        (e.kind, e.what, e.offset),
        (ErrorKind::Invalid, reason::EMPTY, 0)
    );
    assert_eq!(audit_err(&[6, 4, 8]).what, reason::EMPTY);
    // Length not a multiple of 4: 1 byte after a good command.
    let e = audit_err(&[6, 4, 8, 0, 0]);
    assert_eq!((e.what, e.offset), (reason::TRUNCATED_OP, 4));
    // A port comparison cut before its follow-on op.
    let e = audit_err(&[2, 8, 12, 0]);
    assert_eq!((e.what, e.offset), (reason::PORT_SHORT, 0));
    // A hostcond cut inside its address.
    let e = audit_err(&[7, 16, 20, 0, 2, 8, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    assert_eq!((e.what, e.offset), (reason::HOSTCOND_SHORT, 0));
    let e = audit_err(&[10, 12, 16, 0, 0, 0, 0, 0]);
    assert_eq!(e.what, reason::MARK_SHORT);
    let e = audit_err(&[13, 12, 16, 0, 0, 0, 0, 0]);
    assert_eq!(e.what, reason::CGROUP_SHORT);
    let e = audit_err(&[9, 8, 12, 0]);
    assert_eq!(e.what, reason::DEV_SHORT);
}

#[test]
fn audit_rejects_bad_yes() {
    // Zero-length yes.
    let e = audit_err(&[6, 0, 8, 0]);
    assert_eq!((e.what, e.offset), (reason::YES_RANGE, 0));
    // Misaligned yes.
    let e = audit_err(&[6, 6, 8, 0, 0, 0, 0, 0]);
    assert_eq!(e.what, reason::YES_RANGE);
    // yes past the end (the kernel allows len + 4 here, then fails at the end).
    let e = audit_err(&[6, 8, 8, 0]);
    assert_eq!(e.what, reason::YES_RANGE);
    // yes shorter than the command: S_GE needs 8.
    let e = audit_err(&[2, 4, 12, 0, 0, 0, 0, 4]);
    assert_eq!(e.what, reason::YES_RANGE);
    // Second command at offset 4 is the bad one.
    let e = audit_err(&[6, 4, 12, 0, 6, 0, 4, 0]);
    assert_eq!((e.what, e.offset), (reason::YES_RANGE, 4));
}

#[test]
fn audit_checks_no_like_the_kernel() {
    // no = len (accept) and len + 4 (reject) are both fine.
    audit(&[6, 4, 4, 0]).unwrap();
    audit(&[6, 4, 8, 0]).unwrap();
    // Jump past end + 4.
    let e = audit_err(&[6, 4, 12, 0]);
    assert_eq!((e.what, e.offset), (reason::NO_RANGE, 0));
    // Misaligned no.
    assert_eq!(audit_err(&[6, 4, 6, 0]).what, reason::NO_RANGE);
    // no 0 (and below the command's length).
    assert_eq!(audit_err(&[1, 4, 0, 0]).what, reason::NO_RANGE);
    assert_eq!(audit_err(&[2, 8, 4, 0, 0, 0, 0, 4]).what, reason::NO_RANGE);
    // no into the middle of a port comparison (its follow-on op).
    let b = [1, 4, 8, 0, 4, 8, 12, 0, 0, 0, 0, 4, 6, 4, 8, 0];
    let e = audit_err(&b);
    assert_eq!((e.what, e.offset, e.needed), (reason::NO_BOUNDARY, 0, 8));
    // The same jump to a command boundary passes.
    let b = [1, 4, 12, 0, 4, 8, 12, 0, 0, 0, 0, 4, 6, 4, 8, 0];
    audit(&b).unwrap();
    // valid_cc follows yes: a later command with a bad yes on the way.
    let b = [1, 4, 12, 0, 6, 2, 8, 0, 0, 0, 0, 0, 6, 4, 8, 0];
    assert_eq!(audit_err(&b).what, reason::NO_BOUNDARY);
    // NOP's no is never checked.
    audit(&[0, 4, 0xff, 0xff]).unwrap();
}

#[test]
fn audit_checks_hostcond() {
    let cond = |family: u8, prefix: u8, alen: usize| {
        let len = 12 + alen;
        let mut b = vec![
            7,
            len as u8,
            (len + 4) as u8,
            0,
            family,
            prefix,
            0,
            0,
            0xff,
            0xff,
            0xff,
            0xff,
        ];
        b.resize(len, 0);
        b
    };
    audit(&cond(AF_INET, 32, 4)).unwrap();
    audit(&cond(AF_INET6, 128, 16)).unwrap();
    audit(&cond(AF_UNSPEC, 0, 0)).unwrap();
    let e = audit_err(&cond(AF_INET, 33, 4));
    assert_eq!(
        (e.what, e.needed, e.present),
        (reason::HOSTCOND_PREFIX, 32, 33)
    );
    assert_eq!(
        audit_err(&cond(AF_INET6, 129, 16)).what,
        reason::HOSTCOND_PREFIX
    );
    assert_eq!(
        audit_err(&cond(AF_UNSPEC, 1, 0)).what,
        reason::HOSTCOND_PREFIX
    );
    assert_eq!(audit_err(&cond(1, 0, 4)).what, reason::HOSTCOND_FAMILY);
    // AF_INET6 with only 4 address bytes.
    assert_eq!(
        audit_err(&cond(AF_INET6, 0, 4)).what,
        reason::HOSTCOND_SHORT
    );
}

#[test]
fn audit_codes_and_config() {
    let e = audit_err(&[14, 4, 8, 0]);
    assert_eq!((e.what, e.present), (reason::UNKNOWN_CODE, 14));
    let no_admin = AuditConfig {
        net_admin: false,
        ..AuditConfig::default()
    };
    assert_eq!(
        audit_with(&SS_FWMARK[..], no_admin).unwrap_err().what,
        reason::MARK_EPERM
    );
    audit_with(&SS_CGROUP[..], no_admin).unwrap();
    let no_cg = AuditConfig {
        sock_cgroup_data: false,
        ..AuditConfig::default()
    };
    assert_eq!(
        audit_with(&SS_CGROUP[..], no_cg).unwrap_err().what,
        reason::NO_CGROUP
    );
    // Too long for one attribute.
    let mut big = Vec::new();
    for _ in 0..(65532 / 4) {
        big.extend_from_slice(&[0, 4, 0, 0]);
    }
    assert_eq!(audit(&big).unwrap_err().kind, ErrorKind::TooLong);
    big.truncate(65528);
    audit(&big).unwrap();
}

// ---------------------------------------------------------------------------
// The ss compiler

#[cfg(target_endian = "little")]
#[test]
fn compiles_exactly_like_ss() {
    let lo8 = HostCond::prefix(v4(127, 0, 0, 1), 8);
    let cases: Vec<(Filter, &[u8])> = vec![
        (Filter::SportEq(22), &SS_SPORT_EQ_22[..]),
        (
            Filter::DportGe(1024).and(Filter::DportLe(2048)),
            &SS_DPORT_RANGE[..],
        ),
        (!Filter::Src(lo8), &SS_NOT_SRC_LOOPBACK[..]),
        (
            Filter::Dst(HostCond::host(IpAddr::V6(Ipv6Addr::LOCALHOST))),
            &SS_DST_V6_LOOPBACK[..],
        ),
        (
            Filter::SportEq(22).or(Filter::SportEq(80)),
            &SS_SPORT_22_OR_80[..],
        ),
        (
            Filter::Mark {
                mark: 0x10,
                mask: 0xff,
            },
            &SS_FWMARK[..],
        ),
        (Filter::dport_ne(22), &SS_DPORT_NE_22[..]),
        (Filter::Auto, &SS_AUTOBOUND[..]),
        (Filter::sport_gt(1024), &SS_SPORT_GT_1024[..]),
        (Filter::Cgroup(0), &SS_CGROUP[..]),
        (
            Filter::SportEq(22)
                .or(Filter::DportGe(1024))
                .and(!Filter::Dst(HostCond::prefix(v4(10, 0, 0, 0), 8))),
            &SS_COMPOUND,
        ),
        (!Filter::SportEq(1).and(Filter::DportEq(2)), &SS_NOT_AND[..]),
        (
            Filter::Src(HostCond::prefix(v4(192, 168, 1, 0), 24).with_port(443)),
            &SS_SRC_PREFIX_PORT[..],
        ),
        (
            Filter::SportEq(1)
                .and(Filter::SportEq(2))
                .and(Filter::SportEq(3)),
            &SS_AND3[..],
        ),
        (
            Filter::SportEq(1)
                .or(Filter::SportEq(2))
                .or(Filter::SportEq(3)),
            &SS_OR3[..],
        ),
    ];
    for (f, want) in cases {
        assert_eq!(f.compile().unwrap(), want, "{f:?}");
        assert!(f.iproute2_compiles());
    }
}

#[test]
fn not_of_and_binds_as_written() {
    // `!a.and(b)` is `Not(a) and b` in Rust; the ss vector is not(a and b).
    let f = Filter::Not(Box::new(Filter::SportEq(1).and(Filter::DportEq(2))));
    assert_eq!(f.compile().unwrap().len(), 36);
    assert_ne!(
        (!Filter::SportEq(1))
            .and(Filter::DportEq(2))
            .compile()
            .unwrap(),
        f.compile().unwrap()
    );
}

#[cfg(target_endian = "little")]
#[test]
fn compiles_leaves_iproute2_does_not() {
    // DEV_COND {8, 12} + ifindex, like ss's MARK/CGROUP leaves.
    let f = Filter::Dev(3);
    assert!(!f.iproute2_compiles());
    assert!(!f.clone().and(Filter::Auto).iproute2_compiles());
    assert_eq!(f.compile().unwrap(), [9, 8, 12, 0, 3, 0, 0, 0]);
    assert_eq!(Filter::True.compile().unwrap(), [0, 4, 8, 0]);
}

#[test]
fn compile_errors() {
    let bad = Filter::Src(HostCond::prefix(v4(10, 0, 0, 0), 33));
    let e = bad.compile().unwrap_err();
    assert_eq!(
        (e.kind, e.what),
        (ErrorKind::Invalid, reason::HOSTCOND_PREFIX)
    );
    let e = Filter::Dst(HostCond {
        addr: None,
        prefix_len: 1,
        port: -1,
    })
    .compile()
    .unwrap_err();
    assert_eq!(e.what, reason::HOSTCOND_PREFIX);

    // Too long for `no`: 4096 leaves of 16 bytes, in a balanced tree (not
    // too deep).
    fn balanced(n: u16) -> Filter {
        if n == 1 {
            Filter::SportEq(n)
        } else {
            balanced(n / 2).and(balanced(n - n / 2))
        }
    }
    assert_eq!(balanced(4000).compile().unwrap().len(), 64000);
    let e = balanced(4096).compile().unwrap_err();
    assert_eq!((e.kind, e.what), (ErrorKind::TooLong, "inet_diag_bc_op.no"));

    // A slice sink too small.
    let mut buf = [0xa5u8; 10];
    let e = Filter::SportEq(22)
        .compile_into(&mut SliceSink::new(&mut buf))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::BufferTooSmall);
}

#[test]
fn deep_trees_compile_and_evaluate_without_recursion() {
    // `sport = :1 or sport = :2 or ...`: a left-deep tree 2000 levels deep.
    let mut f = Filter::SportEq(1);
    for p in 2..=2000 {
        f = f.or(Filter::SportEq(p));
    }
    let bytes = f.compile().unwrap();
    assert_eq!(bytes.len(), 2000 * 16 + 1999 * 4);
    let p = Program::new(&bytes);
    for port in [1, 2, 1000, 2000, 2001, 0] {
        let e = entry(v4(127, 0, 0, 1), port, v4(127, 0, 0, 1), 9);
        assert_eq!(p.run(&e), (1..=2000).contains(&port), "{port}");
        assert_eq!(f.eval(&e), p.run(&e));
    }
    let mut n = Filter::Auto;
    for _ in 0..3001 {
        n = !n;
    }
    assert_eq!(n.compile().unwrap().len(), 4 + 3001 * 4);
    assert!(!n.eval(&entry(v4(1, 1, 1, 1), 1, v4(1, 1, 1, 1), 1)));
}

#[cfg(target_endian = "little")]
#[test]
fn compile_into_a_prefilled_slice_after_existing_bytes() {
    let mut buf = [0xa5u8; 40];
    let mut sink = SliceSink::new(&mut buf);
    sink.grow(4, "header")
        .unwrap()
        .copy_from_slice(&[1, 2, 3, 4]);
    let n = Filter::DportGe(1024)
        .and(Filter::DportLe(2048))
        .compile_into(&mut sink)
        .unwrap();
    assert_eq!(n, 16);
    assert_eq!(&buf[..4], &[1, 2, 3, 4]);
    assert_eq!(&buf[4..20], &SS_DPORT_RANGE[..]);
    assert!(buf[20..].iter().all(|&b| b == 0xa5));
}

fn entry(src: IpAddr, sport: u16, dst: IpAddr, dport: u16) -> SockEntry {
    SockEntry {
        src,
        dst,
        sport,
        dport,
        ifindex: 0,
        userlocks: 0,
        mark: 0,
        cgroup_id: 0,
    }
}

#[test]
fn run_follows_the_kernel_interpreter() {
    let lo = v4(127, 0, 0, 1);
    let other = v4(192, 0, 2, 1);
    let p = Program::new(&SS_DPORT_RANGE[..]);
    assert!(p.run(&entry(lo, 5, lo, 1024)));
    assert!(p.run(&entry(lo, 5, lo, 2048)));
    assert!(!p.run(&entry(lo, 5, lo, 1023)));
    assert!(!p.run(&entry(lo, 5, lo, 2049)));

    let p = Program::new(&SS_NOT_SRC_LOOPBACK[..]);
    assert!(!p.run(&entry(v4(127, 9, 9, 9), 1, other, 2)));
    assert!(p.run(&entry(other, 1, lo, 2)));

    // An AF_INET condition matches a v4-mapped address of an AF_INET6 socket.
    let mapped = IpAddr::V6(Ipv4Addr::new(127, 0, 0, 7).to_ipv6_mapped());
    assert!(!p.run(&entry(mapped, 1, IpAddr::V6(Ipv6Addr::LOCALHOST), 2)));
    assert!(p.run(&entry(
        IpAddr::V6(Ipv6Addr::LOCALHOST),
        1,
        IpAddr::V6(Ipv6Addr::LOCALHOST),
        2
    )));

    let p = Program::new(&SS_DST_V6_LOOPBACK[..]);
    assert!(p.run(&entry(
        IpAddr::V6(Ipv6Addr::LOCALHOST),
        1,
        IpAddr::V6(Ipv6Addr::LOCALHOST),
        2
    )));
    assert!(
        !p.run(&entry(lo, 1, lo, 2)),
        "an AF_INET6 condition never matches an AF_INET socket"
    );

    let p = Program::new(&SS_AUTOBOUND[..]);
    let mut e = entry(lo, 1, lo, 2);
    assert!(p.run(&e));
    e.userlocks = SOCK_BINDPORT_LOCK;
    assert!(!p.run(&e));

    let p = Program::new(&SS_FWMARK[..]);
    e.mark = 0x1210;
    assert!(p.run(&e));
    e.mark = 0x11;
    assert!(!p.run(&e));

    // Never panics or loops on junk.
    for b in [
        &[6u8, 0, 0, 0][..],
        &[1, 4, 0, 0],
        &[7, 16, 20, 0],
        &[2, 8, 0, 0, 0],
    ] {
        assert!(!Program::new(b).run(&e));
    }
}

// ---------------------------------------------------------------------------
// Emitter

#[test]
fn emitter_resolves_labels_into_a_prefilled_buffer() {
    // (sport >= 1000 and sport <= 2000) or dev == 2
    let mut buf = [0xa5u8; 64];
    let mut e = Emitter::new(SliceSink::new(&mut buf));
    let other = e.label().unwrap();
    e.insn(
        Insn::Port {
            side: Side::Src,
            op: PortOp::Ge,
            port: 1000,
        },
        other,
    )
    .unwrap();
    e.insn(
        Insn::Port {
            side: Side::Src,
            op: PortOp::Le,
            port: 2000,
        },
        other,
    )
    .unwrap();
    e.jmp(Label::ACCEPT).unwrap();
    e.bind(other).unwrap();
    e.insn(Insn::Dev { ifindex: 2 }, Label::REJECT).unwrap();
    let n = e.finish().unwrap().len();
    assert_eq!(n, 28);
    assert!(buf[n..].iter().all(|&b| b == 0xa5));
    let p = Program::new(&buf[..n]);
    p.audit().unwrap();
    let got: Vec<_> = p
        .iter()
        .map(|i| (i.offset, i.code(), i.yes(), i.no()))
        .collect();
    assert_eq!(
        got,
        [
            (0, BcCode::SGe, 8, 20),
            (8, BcCode::SLe, 8, 12),
            (16, BcCode::Jmp, 4, 12),
            (20, BcCode::DevCond, 8, 12)
        ]
    );
    let mut s = entry(v4(1, 1, 1, 1), 1500, v4(2, 2, 2, 2), 1);
    assert!(p.run(&s));
    s.sport = 999;
    assert!(!p.run(&s));
    s.ifindex = 2;
    assert!(p.run(&s));
}

#[test]
fn emitter_errors() {
    // A label never bound.
    let mut e = Emitter::new(Vec::new());
    let l = e.label().unwrap();
    e.insn(Insn::Auto, l).unwrap();
    assert_eq!(e.finish().unwrap_err().kind, ErrorKind::Invalid);

    // A backward jump.
    let mut e = Emitter::new(Vec::new());
    let l = e.label().unwrap();
    e.bind(l).unwrap();
    e.insn(Insn::Auto, l).unwrap();
    assert_eq!(e.finish().unwrap_err().kind, ErrorKind::Invalid);

    // Binding twice, binding a special label.
    let mut e = Emitter::new(Vec::new());
    let l = e.label().unwrap();
    e.bind(l).unwrap();
    assert!(e.bind(l).is_err());
    assert!(e.bind(Label::ACCEPT).is_err());

    // Out of labels.
    let mut e = Emitter::<_, 1>::with_labels(Vec::new());
    e.label().unwrap();
    assert_eq!(e.label().unwrap_err().kind, ErrorKind::TooLong);

    // Raw cannot be emitted; the audit runs at the end (prefix too long).
    let mut e = Emitter::new(Vec::new());
    assert!(e.insn(Insn::Raw, Label::REJECT).is_err());
    e.insn(
        Insn::Host {
            side: Side::Dst,
            cond: HostCond::prefix(v4(1, 2, 3, 4), 40),
        },
        Label::REJECT,
    )
    .unwrap();
    assert_eq!(e.finish().unwrap_err().what, reason::HOSTCOND_PREFIX);

    // An empty program is not one the kernel takes.
    let e = Emitter::new(Vec::new());
    assert_eq!(e.finish().unwrap_err().what, reason::EMPTY);
}

// ---------------------------------------------------------------------------
// Text form

#[cfg(target_endian = "little")]
#[test]
fn disassembles_ss_programs() {
    let cases: [(&[u8], &str); 7] = [
        (
            &SS_SPORT_EQ_22[..],
            "   0: INET_DIAG_BC_S_COND */0 port 22 yes +16 no +20 extra 00000000\n",
        ),
        (
            &SS_SPORT_EQ_22_PAD[..],
            "   0: INET_DIAG_BC_S_COND */0 port 22 pad 0200 yes +16 no +20 extra 00000000\n",
        ),
        (
            &SS_DST_V6_LOOPBACK,
            "   0: INET_DIAG_BC_D_COND [::1]/128 port -1 yes +28 no +32\n",
        ),
        (
            &SS_FWMARK[..],
            "   0: INET_DIAG_BC_MARK_COND 0x10/0xff yes +12 no +16\n",
        ),
        (
            &SS_CGROUP[..],
            "   0: INET_DIAG_BC_CGROUP_COND 0 yes +12 no +16\n",
        ),
        (&SS_AUTOBOUND[..], "   0: INET_DIAG_BC_AUTO yes +4 no +8\n"),
        (
            &SS_COMPOUND,
            "   0: INET_DIAG_BC_S_COND */0 port 22 yes +16 no +20 extra 00000000
  16: INET_DIAG_BC_JMP yes +4 no +12
  20: INET_DIAG_BC_D_GE 1024 yes +8 no +32
  28: INET_DIAG_BC_D_COND 10.0.0.0/8 port -1 yes +16 no +20
  44: INET_DIAG_BC_JMP yes +4 no +8
",
        ),
    ];
    for (b, want) in cases {
        assert_eq!(Program::new(b).to_string(), want);
    }
    let raw = [42, 8, 12, 0, 1, 2, 3, 4, 6, 4, 8, 0, 0xee];
    assert_eq!(
        Program::new(&raw).to_string(),
        "   0: 42 yes +8 no +12 raw 01020304\n   8: INET_DIAG_BC_AUTO yes +4 no +8\n  12: .bytes ee\n"
    );
    let arg = [2, 8, 12, 0, 5, 6, 0x16, 0];
    assert_eq!(
        Program::new(&arg).to_string(),
        "   0: INET_DIAG_BC_S_GE 22 arg 5 6 yes +8 no +12\n"
    );
    let header_only = [0, 0, 0, 0];
    assert_eq!(
        Program::new(&header_only).to_string(),
        "   0: INET_DIAG_BC_NOP yes +0 no +0 raw\n"
    );
}

#[test]
fn every_ss_program_round_trips_through_text() {
    for (name, b) in all_ss_vectors() {
        let text = Program::new(b).to_string();
        assert_eq!(assemble_vec(&text).unwrap(), b, "{name}:\n{text}");
    }
}

#[cfg(target_endian = "little")]
#[test]
fn assembles_hand_written_text() {
    let text = "
        # dport in 1024..=2048, written by hand
        D_GE 1024 yes +8 no +0x14   ; short mnemonic, hex number
        8: INET_DIAG_BC_D_LE 2048 yes +8 no +12
    ";
    assert_eq!(assemble_vec(text).unwrap(), SS_DPORT_RANGE);
    assert_eq!(
        assemble_vec("7 */0 port 22 yes +16 no +20 extra 00000000").unwrap(),
        SS_SPORT_EQ_22
    );
    assert_eq!(
        assemble_vec("INET_DIAG_BC_S_COND yes +16 no +20 raw 000002001600000000000000").unwrap(),
        SS_SPORT_EQ_22_PAD
    );

    let mut buf = [0xa5u8; 8];
    let n = assemble("AUTO yes +4 no +8", &mut SliceSink::new(&mut buf)).unwrap();
    assert_eq!(n, 4);
    assert_eq!(buf, [6, 4, 8, 0, 0xa5, 0xa5, 0xa5, 0xa5]);
}

#[test]
fn assembler_errors_name_the_problem_and_place() {
    let e = assemble_vec("AUTO yes +4 no +8\nFROB yes +4 no +8").unwrap_err();
    assert_eq!(
        (e.kind, e.what, e.offset),
        (ErrorKind::Invalid, asm_reason::MNEMONIC, 18)
    );
    let e = assemble_vec("AUTO yes +8 no +8").unwrap_err();
    assert_eq!(
        (e.what, e.needed, e.present),
        (asm_reason::YES_LENGTH, 4, 8)
    );
    let e = assemble_vec("AUTO yes +4 no +8\n0: AUTO yes +4 no +8").unwrap_err();
    assert_eq!((e.what, e.offset), (asm_reason::OFFSET, 18));
    assert_eq!(
        assemble_vec("S_GE yes +8 no +12").unwrap_err().what,
        asm_reason::OPERANDS
    );
    assert_eq!(
        assemble_vec("42 yes +4 no +8").unwrap_err().what,
        asm_reason::OPERANDS
    );
    assert_eq!(
        assemble_vec("AUTO yes +4 no +8 extra 123")
            .unwrap_err()
            .what,
        asm_reason::HEX
    );
    assert_eq!(
        assemble_vec(".bytes abc").unwrap_err().what,
        asm_reason::HEX
    );
    let e = assemble_vec("S_GE 70000 yes +8 no +12").unwrap_err();
    assert_eq!((e.what, e.offset), (asm_reason::SYNTAX, 5));
    let e = assemble_vec("S_COND 1.2.3.4/8 port x yes +16 no +20").unwrap_err();
    assert_eq!(e.what, asm_reason::SYNTAX);
    assert_eq!(assemble_vec("").unwrap(), Vec::<u8>::new());
}

// ---------------------------------------------------------------------------
// Walk and Payload

#[derive(Default)]
struct Recorder {
    lines: Vec<String>,
    depth: usize,
    errors: Vec<Error>,
}

impl Visitor for Recorder {
    fn field(&mut self, name: &str, value: Value<'_>) {
        let v = match value {
            Value::U64(n) => n.to_string(),
            Value::I64(n) => n.to_string(),
            Value::Enum { raw, name: Some(n) } => format!("{n}({raw})"),
            Value::Enum { raw, name: None } => format!("?({raw})"),
            Value::Ipv4(a) => a.to_string(),
            Value::Ipv6(a) => a.to_string(),
            Value::Bytes(b) => format!("{b:02x?}"),
            Value::Mac(b) => nlwire::value::MacFmt(b).to_string(),
            other => format!("{other:?}"),
        };
        self.lines
            .push(format!("{}{name}={v}", "  ".repeat(self.depth)));
    }
    fn begin(&mut self, name: &str) {
        self.lines
            .push(format!("{}{name}", "  ".repeat(self.depth)));
        self.depth += 1;
    }
    fn end(&mut self) {
        self.depth -= 1;
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, error: Error) {
        self.errors.push(error);
    }
}

#[cfg(target_endian = "little")]
#[test]
fn walk_shows_kernel_names() {
    let mut r = Recorder::default();
    Program::new(&SS_NOT_SRC_LOOPBACK[..]).walk(&mut r);
    assert!(r.errors.is_empty());
    assert_eq!(
        r.lines,
        [
            "INET_DIAG_BC_S_COND",
            "  offset=0",
            "  code=INET_DIAG_BC_S_COND(7)",
            "  yes=16",
            "  no=20",
            "  inet_diag_hostcond",
            "    family=AF_INET(2)",
            "    prefix_len=8",
            "    port=-1",
            "    addr=127.0.0.1",
            "INET_DIAG_BC_JMP",
            "  offset=16",
            "  code=INET_DIAG_BC_JMP(1)",
            "  yes=4",
            "  no=8",
        ]
    );

    let mut r = Recorder::default();
    Program::new(&[42, 4, 8, 0, 9]).walk(&mut r);
    assert_eq!(r.errors.len(), 1);
    assert_eq!(r.errors[0].what, reason::UNKNOWN_CODE);
    assert_eq!(r.lines[0], "inet_diag_bc_op");
    assert_eq!(r.lines[2], "  code=?(42)");
    assert_eq!(r.lines.last().unwrap(), "trailing=[09]");
}

#[test]
fn payload_parse_write_and_strictness() {
    use nlwire::payload::Payload;
    use nlwire::Mode;
    let p = <Program as Payload>::parse(&SS_COMPOUND[..], Mode::Strict).unwrap();
    assert_eq!(Payload::len(&p), 48);
    let mut out = [0xa5u8; 48];
    p.write(&mut out);
    assert_eq!(out, SS_COMPOUND);
    let junk = [6u8, 0, 8, 0];
    assert!(<Program as Payload>::parse(&junk, Mode::Lenient).is_ok());
    assert_eq!(
        <Program as Payload>::parse(&junk, Mode::Strict)
            .unwrap_err()
            .what,
        reason::YES_RANGE
    );
}

#[cfg(target_endian = "little")]
#[test]
fn swap_order_swaps_host_order_fields_only() {
    let mut b = SS_COMPOUND.to_vec();
    <Program as nlwire::payload::Payload>::swap_order(&mut b);
    // S_COND: no 20 -> 00 14; port 22 -> 00 00 00 16; the address is big-endian already.
    assert_eq!(
        &b[0..12],
        &[0x07, 0x10, 0x00, 0x14, 0, 0, 0, 0, 0, 0, 0, 0x16]
    );
    // D_GE's follow-on port 1024 (00 04) -> 04 00.
    assert_eq!(&b[20..28], &[0x04, 0x08, 0x00, 0x20, 0, 0, 0x04, 0x00]);
    assert_eq!(&b[40..44], &[0x0a, 0, 0, 0]);
    Program::swap_order(&mut b);
    assert_eq!(b, SS_COMPOUND);
    let mut m = SS_FWMARK;
    Program::swap_order(&mut m);
    assert_eq!(m, [0x0a, 0x0c, 0x00, 0x10, 0, 0, 0, 0x10, 0, 0, 0, 0xff]);
}

#[test]
fn filter_eval_matches_compiled_run_on_ss_filters() {
    let f = Filter::SportEq(22)
        .or(Filter::DportGe(1024))
        .and(!Filter::Dst(HostCond::prefix(v4(10, 0, 0, 0), 8)));
    let bytes = f.compile().unwrap();
    let p = Program::new(&bytes);
    for (sport, dport, dst) in [
        (22, 1, v4(1, 1, 1, 1)),
        (22, 1, v4(10, 1, 1, 1)),
        (5, 2000, v4(8, 8, 8, 8)),
        (5, 5, v4(8, 8, 8, 8)),
    ] {
        let e = entry(v4(127, 0, 0, 1), sport, dst, dport);
        assert_eq!(p.run(&e), f.eval(&e), "{sport} {dport} {dst}");
    }
    assert!(p.run(&entry(v4(127, 0, 0, 1), 22, v4(1, 1, 1, 1), 1)));
    assert!(!p.run(&entry(v4(127, 0, 0, 1), 22, v4(10, 1, 1, 1), 1)));
}

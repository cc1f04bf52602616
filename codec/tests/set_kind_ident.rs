//! `#[attribute_set]` kinds given as the kernel's constant: `kind = NAME`
//! takes the kernel name from the identifier, `kind = NAME = N` also
//! declares `pub const NAME: u16 = N`.

use nlwire::families::sock_diag as sd;
use nlwire::netlink::{AttributeSet, Attrs, Builder};
use nlwire::{attribute_set, Mode};

fn check<'a, S: AttributeSet<'a>>(want: &[(u16, &str)]) {
    assert_eq!(S::KINDS, want, "{}", S::NAME);
}

/// The sock_diag sets converted to `kind = NAME = N` keep their kinds and
/// kernel names, in order (as written by hand before).
#[test]
fn sock_diag_sets_keep_kinds_and_names() {
    check::<sd::InetDiagAttr>(&[
        (1, "INET_DIAG_MEMINFO"),
        (2, "INET_DIAG_INFO"),
        (3, "INET_DIAG_VEGASINFO"),
        (4, "INET_DIAG_CONG"),
        (5, "INET_DIAG_TOS"),
        (6, "INET_DIAG_TCLASS"),
        (7, "INET_DIAG_SKMEMINFO"),
        (8, "INET_DIAG_SHUTDOWN"),
        (9, "INET_DIAG_DCTCPINFO"),
        (10, "INET_DIAG_PROTOCOL"),
        (11, "INET_DIAG_SKV6ONLY"),
        (12, "INET_DIAG_LOCALS"),
        (13, "INET_DIAG_PEERS"),
        (14, "INET_DIAG_PAD"),
        (15, "INET_DIAG_MARK"),
        (16, "INET_DIAG_BBRINFO"),
        (17, "INET_DIAG_CLASS_ID"),
        (18, "INET_DIAG_MD5SIG"),
        (19, "INET_DIAG_ULP_INFO"),
        (20, "INET_DIAG_SK_BPF_STORAGES"),
        (21, "INET_DIAG_CGROUP_ID"),
        (22, "INET_DIAG_SOCKOPT"),
    ]);
    check::<sd::InetDiagReqAttr>(&[
        (1, "INET_DIAG_REQ_BYTECODE"),
        (2, "INET_DIAG_REQ_SK_BPF_STORAGES"),
        (3, "INET_DIAG_REQ_PROTOCOL"),
    ]);
    check::<sd::UnixDiagAttr>(&[
        (0, "UNIX_DIAG_NAME"),
        (1, "UNIX_DIAG_VFS"),
        (2, "UNIX_DIAG_PEER"),
        (3, "UNIX_DIAG_ICONS"),
        (4, "UNIX_DIAG_RQLEN"),
        (5, "UNIX_DIAG_MEMINFO"),
        (6, "UNIX_DIAG_SHUTDOWN"),
        (7, "UNIX_DIAG_UID"),
    ]);
    check::<sd::NetlinkDiagAttr>(&[
        (0, "NETLINK_DIAG_MEMINFO"),
        (1, "NETLINK_DIAG_GROUPS"),
        (2, "NETLINK_DIAG_RX_RING"),
        (3, "NETLINK_DIAG_TX_RING"),
        (4, "NETLINK_DIAG_FLAGS"),
    ]);
    check::<sd::PacketDiagAttr>(&[
        (0, "PACKET_DIAG_INFO"),
        (1, "PACKET_DIAG_MCLIST"),
        (2, "PACKET_DIAG_RX_RING"),
        (3, "PACKET_DIAG_TX_RING"),
        (4, "PACKET_DIAG_FANOUT"),
        (5, "PACKET_DIAG_UID"),
        (6, "PACKET_DIAG_MEMINFO"),
        (7, "PACKET_DIAG_FILTER"),
    ]);
}

/// The constants the sets now declare keep their names, type and values.
#[test]
fn declared_kind_constants() {
    let _: u16 = sd::INET_DIAG_SOCKOPT;
    assert_eq!(
        (
            sd::INET_DIAG_MEMINFO,
            sd::INET_DIAG_INFO,
            sd::INET_DIAG_SHUTDOWN
        ),
        (1, 2, 8)
    );
    assert_eq!(sd::INET_DIAG_REQ_PROTOCOL, 3);
    assert_eq!(sd::UNIX_DIAG_UID, 7);
    assert_eq!(sd::NETLINK_DIAG_MEMINFO, 0);
    assert_eq!(sd::PACKET_DIAG_FILTER, 7);
}

mod demo {
    use super::attribute_set;

    /// `DEMO_A_OLD`, declared by hand.
    pub const DEMO_A_OLD: u16 = 9;

    #[attribute_set(name = "demo")]
    pub enum DemoAttr<'a> {
        /// `DEMO_A_MTU`: the MTU.
        #[nl(kind = DEMO_A_MTU = 1)]
        Mtu(u32),
        /// `DEMO_A_NAME`: a name.
        #[nl(kind = DEMO_A_NAME = 2 + 1)]
        Name(nlwire::payload::NulStr<'a>),
        /// An existing constant, named after itself.
        #[nl(kind = DEMO_A_OLD)]
        Old(u8),
        /// The explicit form still works.
        #[nl(kind = 4, name = "DEMO_A_EXPLICIT")]
        Explicit(u16),
    }
}

#[test]
fn kind_as_identifier_declares_and_names() {
    use demo::*;
    assert_eq!((DEMO_A_MTU, DEMO_A_NAME), (1u16, 3u16));
    check::<DemoAttr>(&[
        (1, "DEMO_A_MTU"),
        (3, "DEMO_A_NAME"),
        (9, "DEMO_A_OLD"),
        (4, "DEMO_A_EXPLICIT"),
    ]);
    let mut b = Builder::new_vec();
    b.attr_set(&DemoAttr::Mtu(1500)).unwrap();
    b.attr_set(&DemoAttr::Old(5)).unwrap();
    let bytes = b.into_vec();
    let got: Vec<_> = Attrs::<DemoAttr>::with(&bytes, 0, Mode::Strict)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(got, [DemoAttr::Mtu(1500), DemoAttr::Old(5)]);
    assert_eq!(got[0].name(), "DEMO_A_MTU");
    assert_eq!(got[1].kind(), DEMO_A_OLD);
}

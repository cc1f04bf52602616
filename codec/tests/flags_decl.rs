//! `#[nl_flags]`: flag sets declared once (kernel name and value per row)
//! produce the same constants and name tables the hand-written code had.

use nlwire::nl_flags;
use nlwire::value::FlagNames;

fn check(got: &[(u64, &str)], want: &[(u64, &str)]) {
    assert_eq!(got, want);
}

/// The tables, names and order exactly as they were written by hand before
/// `#[nl_flags]` (what walks and printers show must not change).
#[test]
fn converted_tables_are_unchanged() {
    check(
        nlwire::netlink::NLM_F_COMMON_NAMES,
        &[
            (0x1, "NLM_F_REQUEST"),
            (0x2, "NLM_F_MULTI"),
            (0x4, "NLM_F_ACK"),
            (0x8, "NLM_F_ECHO"),
            (0x10, "NLM_F_DUMP_INTR"),
            (0x20, "NLM_F_DUMP_FILTERED"),
        ],
    );
    check(
        nlwire::netlink::NLM_F_GET_NAMES,
        &[
            (0x1, "NLM_F_REQUEST"),
            (0x2, "NLM_F_MULTI"),
            (0x4, "NLM_F_ACK"),
            (0x8, "NLM_F_ECHO"),
            (0x10, "NLM_F_DUMP_INTR"),
            (0x20, "NLM_F_DUMP_FILTERED"),
            (0x300, "NLM_F_DUMP"),
            (0x100, "NLM_F_ROOT"),
            (0x200, "NLM_F_MATCH"),
            (0x400, "NLM_F_ATOMIC"),
        ],
    );
    check(
        nlwire::netlink::NLM_F_NEW_NAMES,
        &[
            (0x1, "NLM_F_REQUEST"),
            (0x2, "NLM_F_MULTI"),
            (0x4, "NLM_F_ACK"),
            (0x8, "NLM_F_ECHO"),
            (0x10, "NLM_F_DUMP_INTR"),
            (0x20, "NLM_F_DUMP_FILTERED"),
            (0x100, "NLM_F_REPLACE"),
            (0x200, "NLM_F_EXCL"),
            (0x400, "NLM_F_CREATE"),
            (0x800, "NLM_F_APPEND"),
        ],
    );
    check(
        nlwire::netlink::NLM_F_DELETE_NAMES,
        &[
            (0x1, "NLM_F_REQUEST"),
            (0x2, "NLM_F_MULTI"),
            (0x4, "NLM_F_ACK"),
            (0x8, "NLM_F_ECHO"),
            (0x10, "NLM_F_DUMP_INTR"),
            (0x20, "NLM_F_DUMP_FILTERED"),
            (0x100, "NLM_F_NONREC"),
            (0x200, "NLM_F_BULK"),
        ],
    );
    check(
        nlwire::netlink::NLM_F_ACK_NAMES,
        &[
            (0x1, "NLM_F_REQUEST"),
            (0x2, "NLM_F_MULTI"),
            (0x4, "NLM_F_ACK"),
            (0x8, "NLM_F_ECHO"),
            (0x10, "NLM_F_DUMP_INTR"),
            (0x20, "NLM_F_DUMP_FILTERED"),
            (0x100, "NLM_F_CAPPED"),
            (0x200, "NLM_F_ACK_TLVS"),
        ],
    );
    check(
        nlwire::families::sock_diag::TCPF_NAMES,
        &[
            (0x2, "TCPF_ESTABLISHED"),
            (0x4, "TCPF_SYN_SENT"),
            (0x8, "TCPF_SYN_RECV"),
            (0x10, "TCPF_FIN_WAIT1"),
            (0x20, "TCPF_FIN_WAIT2"),
            (0x40, "TCPF_TIME_WAIT"),
            (0x80, "TCPF_CLOSE"),
            (0x100, "TCPF_CLOSE_WAIT"),
            (0x200, "TCPF_LAST_ACK"),
            (0x400, "TCPF_LISTEN"),
            (0x800, "TCPF_CLOSING"),
            (0x1000, "TCPF_NEW_SYN_RECV"),
            (0x2000, "TCPF_BOUND_INACTIVE"),
        ],
    );
    check(
        nlwire::families::sock_diag::UDIAG_SHOW_NAMES,
        &[
            (0x1, "UDIAG_SHOW_NAME"),
            (0x2, "UDIAG_SHOW_VFS"),
            (0x4, "UDIAG_SHOW_PEER"),
            (0x8, "UDIAG_SHOW_ICONS"),
            (0x10, "UDIAG_SHOW_RQLEN"),
            (0x20, "UDIAG_SHOW_MEMINFO"),
            (0x40, "UDIAG_SHOW_UID"),
        ],
    );
    check(
        nlwire::families::sock_diag::NDIAG_SHOW_NAMES,
        &[
            (0x1, "NDIAG_SHOW_MEMINFO"),
            (0x2, "NDIAG_SHOW_GROUPS"),
            (0x4, "NDIAG_SHOW_RING_CFG"),
            (0x8, "NDIAG_SHOW_FLAGS"),
        ],
    );
    check(
        nlwire::families::sock_diag::NDIAG_FLAG_NAMES,
        &[
            (0x1, "NDIAG_FLAG_CB_RUNNING"),
            (0x2, "NDIAG_FLAG_PKTINFO"),
            (0x4, "NDIAG_FLAG_BROADCAST_ERROR"),
            (0x8, "NDIAG_FLAG_NO_ENOBUFS"),
            (0x10, "NDIAG_FLAG_LISTEN_ALL_NSID"),
            (0x20, "NDIAG_FLAG_CAP_ACK"),
        ],
    );
    check(
        nlwire::families::sock_diag::PACKET_SHOW_NAMES,
        &[
            (0x1, "PACKET_SHOW_INFO"),
            (0x2, "PACKET_SHOW_MCLIST"),
            (0x4, "PACKET_SHOW_RING_CFG"),
            (0x8, "PACKET_SHOW_FANOUT"),
            (0x10, "PACKET_SHOW_MEMINFO"),
            (0x20, "PACKET_SHOW_FILTER"),
        ],
    );
    check(
        nlwire::families::sock_diag::PDI_NAMES,
        &[
            (0x1, "PDI_RUNNING"),
            (0x2, "PDI_AUXDATA"),
            (0x4, "PDI_ORIGDEV"),
            (0x8, "PDI_VNETHDR"),
            (0x10, "PDI_LOSS"),
        ],
    );
    check(
        nlwire::families::sock_diag::TP_FT_NAMES,
        &[(0x1, "TP_FT_REQ_FILL_RXHASH")],
    );
    check(
        nlwire::families::sock_diag::TCPI_OPT_NAMES,
        &[
            (0x1, "TCPI_OPT_TIMESTAMPS"),
            (0x2, "TCPI_OPT_SACK"),
            (0x4, "TCPI_OPT_WSCALE"),
            (0x8, "TCPI_OPT_ECN"),
            (0x10, "TCPI_OPT_ECN_SEEN"),
            (0x20, "TCPI_OPT_SYN_DATA"),
            (0x40, "TCPI_OPT_USEC_TS"),
            (0x80, "TCPI_OPT_TFO_CHILD"),
        ],
    );
    check(
        nlwire::families::sock_diag::IDIAG_EXT_NAMES,
        &[
            (0x1, "INET_DIAG_MEMINFO"),
            (0x2, "INET_DIAG_INFO"),
            (0x4, "INET_DIAG_VEGASINFO"),
            (0x8, "INET_DIAG_CONG"),
            (0x10, "INET_DIAG_TOS"),
            (0x20, "INET_DIAG_TCLASS"),
            (0x40, "INET_DIAG_SKMEMINFO"),
            (0x80, "INET_DIAG_SHUTDOWN"),
        ],
    );
    check(
        <nlwire::families::sock_diag::ShutdownNames as FlagNames>::NAMES,
        &[(0x1, "RCV_SHUTDOWN"), (0x2, "SEND_SHUTDOWN")],
    );
    check(
        nlwire::netlink::NLM_F_NAMES,
        nlwire::netlink::NLM_F_COMMON_NAMES,
    );
}

/// The public constants keep their names, types and values.
#[test]
fn converted_constants_keep_type_and_value() {
    use nlwire::families::sock_diag as sd;
    use nlwire::netlink::*;
    let _: [u16; 3] = [NLM_F_REQUEST, NLM_F_DUMP, NLM_F_ACK_TLVS];
    assert_eq!(NLM_F_DUMP, NLM_F_ROOT | NLM_F_MATCH);
    assert_eq!(
        (NLM_F_REPLACE, NLM_F_NONREC, NLM_F_CAPPED),
        (0x100, 0x100, 0x100)
    );
    let _: u8 = sd::RCV_SHUTDOWN;
    let _: u8 = sd::TCPI_OPT_TFO_CHILD;
    let _: u32 = sd::TCPF_BOUND_INACTIVE;
    assert_eq!(sd::TCPF_ALL, 0x3fff);
    assert_eq!(sd::UDIAG_SHOW_UID, 0x40u32);
    assert_eq!(sd::NDIAG_FLAG_CAP_ACK, 0x20u32);
    assert_eq!(sd::PACKET_SHOW_FILTER, 0x20u32);
    assert_eq!(sd::TP_FT_REQ_FILL_RXHASH, 1u32);
    // `names_only`: the `idiag_ext` rows name bits, the constants stay the
    // attribute kinds.
    assert_eq!(sd::INET_DIAG_SHUTDOWN, 8u16);
}

mod demo {
    use super::nl_flags;

    /// A base set.
    #[nl_flags(u16, table = DEMO_BASE_NAMES)]
    pub enum DemoBase {
        /// `DEMO_A`.
        DEMO_A = 0x1,
        DEMO_B = 0x2,
    }

    /// A reading that extends the base.
    #[nl_flags(u16, extends = DemoBase)]
    pub enum DemoMore {
        DEMO_BOTH = DEMO_X | DEMO_Y,
        DEMO_X = 0x10,
        DEMO_Y = 0x20,
    }

    /// Names only: no constants.
    #[nl_flags(u8, names_only)]
    pub enum DemoNamesOnly {
        DEMO_A = 1 << (super::demo::DEMO_A + 1),
    }
}

#[test]
fn extends_and_names_only() {
    assert_eq!(demo::DEMO_BOTH, 0x30u16);
    check(demo::DEMO_BASE_NAMES, &[(1, "DEMO_A"), (2, "DEMO_B")]);
    check(
        <demo::DemoMore as FlagNames>::NAMES,
        &[
            (1, "DEMO_A"),
            (2, "DEMO_B"),
            (0x30, "DEMO_BOTH"),
            (0x10, "DEMO_X"),
            (0x20, "DEMO_Y"),
        ],
    );
    check(<demo::DemoNamesOnly as FlagNames>::NAMES, &[(4, "DEMO_A")]);
}

/// A walk of a flag field shows the declared table.
#[test]
fn flag_bits_walk_uses_declared_names() {
    use nlwire::families::sock_diag::Shutdown;
    use nlwire::payload::Payload;
    use nlwire::value::{Value, Visitor};
    struct V(Option<(u64, &'static [(u64, &'static str)])>);
    impl Visitor for V {
        fn field(&mut self, _: &str, value: Value<'_>) {
            if let Value::Flags { raw, names } = value {
                self.0 = Some((raw, names));
            }
        }
        fn begin(&mut self, _: &str) {}
        fn end(&mut self) {}
        fn depth(&self) -> usize {
            0
        }
        fn error(&mut self, _: nlwire::Error) {}
    }
    let mut v = V(None);
    Shutdown::new(3).walk_payload("INET_DIAG_SHUTDOWN", &mut v);
    assert_eq!(
        v.0,
        Some((3, &[(1, "RCV_SHUTDOWN"), (2, "SEND_SHUTDOWN")][..]))
    );
}

//! Layout conformance: a C program generated from the declarations'
//! metadata (`WireStruct::NAME`/`SIZE`/`FIELDS`, attribute-set kinds, open
//! enum values, flag tables) is compiled with `cc` against this machine's
//! `<linux/*.h>` and run; everything it prints must equal what the Rust
//! declarations say.
//!
//! * every struct: `sizeof`, and `offsetof`/`sizeof` of every field
//!   (nested ones by path, `id.idiag_sport`); fields that are only storage
//!   for bit-fields have no C name and are checked bit by bit instead: each
//!   bit-field is set to all ones in a zeroed struct and the storage unit
//!   must show exactly the declared bits;
//! * fields newer than the headers (the 6.2+/6.7+/AccECN tail of
//!   `tcp_info` on 6.1 headers) are found by compiling a probe per field;
//!   those the headers lack are checked against KERNEL-NOTES.md instead;
//! * every attribute kind and every open-enum / flag value that has a C name
//!   in the headers, listed below or reached by the families' declarations
//!   (`Decl::Enum`: the controller's `CTRL_CMD_*`, `GENL_ID_CTRL`).
//!
//! Without `cc` the test is skipped with a message, or fails under `CI=true`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

mod layout_common;
use layout_common::*;

use nlwire::families::sock_diag::*;
use nlwire::registry::{self, Decl, Declarations, Registry, SetDecl, StructDecl};
use nlwire::wire::{FieldMeta, WireStruct};

/// Every declaration the checks cover: the netlink core (`nlmsghdr`,
/// `nlmsgerr`, extended ACK) and everything the families declared by hand
/// reach from their message tables. The families generated from the YNL
/// specs are newer than this machine's headers in places and have their
/// own, tolerant check (`layout_ynl.rs`).
fn declarations() -> Vec<Decl> {
    let hand = [
        &nlwire::families::sock_diag::SockDiagMessage::ENTRY,
        &nlwire::families::genl::GenlMessage::ENTRY,
    ];
    let mut d = Declarations::default();
    registry::core_declarations(&mut d);
    for e in Registry::DEFAULT.entries() {
        if hand
            .iter()
            .any(|h| h.name == e.name && h.protocol == e.protocol)
        {
            (e.declarations)(&mut d);
        }
    }
    d.decls
}

/// Every declared struct (each kernel name once).
fn structs() -> Vec<StructDecl> {
    declarations()
        .into_iter()
        .filter_map(|d| match d {
            Decl::Struct(s) => Some(s),
            Decl::AttributeSet(_) | Decl::Enum(_) => None,
        })
        .collect()
}

/// Every declared attribute set.
fn sets() -> Vec<SetDecl> {
    declarations()
        .into_iter()
        .filter_map(|d| match d {
            Decl::AttributeSet(s) => Some(s),
            Decl::Struct(_) | Decl::Enum(_) => None,
        })
        .collect()
}

/// KERNEL-NOTES.md: the `tcp_info` tail past the 232 bytes of 6.1 headers
/// (6.2+: rcv_wnd, rehash; 6.7+: RTO counters; AccECN: 280 bytes).
const TCP_INFO_TAIL: &[(&str, usize, usize)] = &[
    ("tcpi_rcv_wnd", 232, 4),
    ("tcpi_rehash", 236, 4),
    ("tcpi_total_rto", 240, 2),
    ("tcpi_total_rto_recoveries", 242, 2),
    ("tcpi_total_rto_time", 244, 4),
    ("tcpi_received_ce", 248, 4),
    ("tcpi_delivered_e1_bytes", 252, 4),
    ("tcpi_delivered_e0_bytes", 256, 4),
    ("tcpi_delivered_ce_bytes", 260, 4),
    ("tcpi_received_e1_bytes", 264, 4),
    ("tcpi_received_e0_bytes", 268, 4),
    ("tcpi_received_ce_bytes", 272, 4),
    ("tcpi_ecn_bits", 276, 4),
];
const TCP_INFO_TODAY: usize = 280;

/// A struct's fields newer than some headers: (name, offset, size).
type Tail = &'static [(&'static str, usize, usize)];

/// The `mptcp_info` tail past the 48 bytes of 6.1 headers, as the running
/// 6.18 kernel's BTF (`/sys/kernel/btf/vmlinux`) lays it out.
const MPTCP_INFO_TAIL: &[(&str, usize, usize)] = &[
    ("mptcpi_retransmits", 44, 4),
    ("mptcpi_bytes_retrans", 48, 8),
    ("mptcpi_bytes_sent", 56, 8),
    ("mptcpi_bytes_received", 64, 8),
    ("mptcpi_bytes_acked", 72, 8),
    ("mptcpi_subflows_total", 80, 1),
    ("mptcpi_endp_laminar_max", 81, 1),
    ("reserved", 82, 2),
    ("mptcpi_last_data_sent", 84, 4),
    ("mptcpi_last_data_recv", 88, 4),
    ("mptcpi_last_ack_recv", 92, 4),
];
const MPTCP_INFO_TODAY: usize = 96;

/// Structs whose tail may be newer than the headers: (kernel name, the
/// tail as KERNEL-NOTES.md / the running kernel's BTF give it, C
/// alignment of the struct: `sizeof` in older headers is where the tail
/// starts, rounded up to it).
const TAILS: &[(&str, Tail, usize)] = &[
    ("tcp_info", TCP_INFO_TAIL, 8),
    ("mptcp_info", MPTCP_INFO_TAIL, 8),
];

/// Nested fields not walked into: `sctp_info.sctpi_p_address` is glibc's
/// `struct sockaddr_storage` in userspace headers (members `__ss_padding`,
/// `__ss_align`), declared here as the kernel's
/// `struct __kernel_sockaddr_storage` (checked on its own); its size and
/// offset are still checked.
const NO_DESCEND: &[&str] = &["sctpi_p_address"];

const INCLUDES: &str = "#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/netlink.h>
#include <linux/socket.h>
#include <linux/sock_diag.h>
#include <linux/inet_diag.h>
#include <linux/unix_diag.h>
#include <linux/tcp.h>
#include <linux/tls.h>
#include <linux/mptcp.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/if_packet.h>
#include <linux/filter.h>
#include <linux/sctp.h>
#include <linux/rtnetlink.h>
#include <linux/genetlink.h>
";

/// Which members of `c_type` the headers have: one probe for all of them,
/// then (only if that fails) one per member. A member is a field path
/// (`offsetof`) or, with `bit = true`, a bit-field (assigned to).
fn header_has(dir: &Path, c_type: &str, members: &[(String, bool)]) -> Vec<bool> {
    let probe = |ms: &[&(String, bool)]| {
        let mut src = format!("{INCLUDES}\nint main(void) {{\n    {c_type} s;\n    memset(&s, 0, sizeof s);\n    size_t n = 0;\n");
        for (m, bit) in ms {
            if *bit {
                let _ = writeln!(src, "    s.{m} = 1; n += s.{m};");
            } else {
                let _ = writeln!(src, "    n += offsetof({c_type}, {m});");
            }
        }
        src.push_str("    return (int)n;\n}\n");
        compile(dir, "probe", &src).is_ok()
    };
    let all: Vec<&(String, bool)> = members.iter().collect();
    if probe(&all) {
        return vec![true; members.len()];
    }
    members.iter().map(|m| probe(&[m])).collect()
}

/// A field the headers do not have: (struct.path, offset, metadata).
type Missing = (String, usize, &'static FieldMeta);

/// Generate the C program and the values the Rust side expects from it.
/// Fields the headers lack are returned separately.
fn generate(dir: &Path) -> (String, BTreeMap<String, u64>, Vec<Missing>) {
    let mut c = String::from(INCLUDES);
    c.push_str("\n#define P(k, v) printf(\"%s %llu\\n\", k, (unsigned long long)(v))\n");
    c.push_str("static unsigned long long unit(const void *p, size_t off, size_t n) {\n    unsigned long long v = 0;\n    memcpy(&v, (const char *)p + off, n);\n    return v;\n}\n");
    c.push_str("int main(void) {\n");
    let mut want = BTreeMap::new();
    let mut missing = Vec::new();
    for d in structs() {
        if let Some((elem, count)) = indexed_array(d.c_type) {
            // `__u32[SK_MEMINFO_VARS]` indexed by `SK_MEMINFO_*`.
            for f in d.fields {
                let key = format!("offsetof {}.{}", d.name, f.name);
                let _ = writeln!(c, "    P(\"{key}\", {} * sizeof({elem}));", f.name);
                want.insert(key, f.offset as u64);
            }
            let key = format!("sizeof {}", d.name);
            let _ = writeln!(c, "    P(\"{key}\", {count} * sizeof({elem}));");
            want.insert(key, d.size as u64);
            continue;
        }
        let mut fields = Vec::new();
        flatten(d.fields, 0, "", NO_DESCEND, &mut fields);
        let members: Vec<(String, bool)> = fields
            .iter()
            .map(|(path, _, f)| match f.bits.first() {
                Some((b, ..)) => (b.to_string(), true),
                None => (path.clone(), false),
            })
            .collect();
        let present = header_has(dir, d.c_type, &members);
        let mut all_there = true;
        for ((path, off, f), there) in fields.into_iter().zip(present) {
            if !f.bits.is_empty() {
                // Storage of bit-fields: no C name. Check each bit-field.
                if !there {
                    all_there = false;
                    missing.push((format!("{}.{path}", d.name), off, f));
                    continue;
                }
                for &(bname, lo, width) in f.bits {
                    let key = format!("bits {}.{bname}", d.name);
                    let _ = writeln!(
                        c,
                        "    {{ {} s; memset(&s, 0, sizeof s); s.{bname} = (1ULL << {width}) - 1; P(\"{key}\", unit(&s, {off}, {})); }}",
                        d.c_type, f.size
                    );
                    want.insert(key, ((1u64 << width) - 1) << lo);
                }
                continue;
            }
            if !there {
                all_there = false;
                missing.push((format!("{}.{path}", d.name), off, f));
                continue;
            }
            let key = format!("offsetof {}.{path}", d.name);
            let _ = writeln!(c, "    P(\"{key}\", offsetof({}, {path}));", d.c_type);
            want.insert(key, off as u64);
            let key = format!("sizeof {}.{path}", d.name);
            let _ = writeln!(c, "    P(\"{key}\", sizeof((({} *)0)->{path}));", d.c_type);
            want.insert(key, f.size as u64);
        }
        let key = format!("sizeof {}", d.name);
        let _ = writeln!(c, "    P(\"{key}\", sizeof({}));", d.c_type);
        // A struct whose tail the headers lack ends where that tail starts
        // (rounded up to its alignment).
        let c_size = if all_there {
            d.size
        } else {
            let start = missing
                .iter()
                .filter(|m| m.0.starts_with(&format!("{}.", d.name)))
                .map(|m| m.1)
                .min()
                .unwrap();
            let align = TAILS.iter().find(|t| t.0 == d.name).map_or(1, |t| t.2);
            start.div_ceil(align) * align
        };
        want.insert(key, c_size as u64);
    }

    // Attribute kinds: every one is an enum constant of the headers.
    let mut consts: Vec<(&str, u64, bool)> = Vec::new();
    for set in sets() {
        consts.extend(set.kinds.iter().map(|&(k, n)| (n, u64::from(k), false)));
    }
    // Open enums and flags that are macros (checked when defined) or
    // enum constants of these headers (always there).
    consts.extend(
        SockDiagType::ALL
            .iter()
            .map(|&(v, n)| (n, u64::from(v), true)),
    );
    consts.extend(
        AddressFamily::ALL
            .iter()
            .map(|&(v, n)| (n, u64::from(v), true)),
    );
    consts.extend(IpProto::ALL.iter().map(|&(v, n)| (n, u64::from(v), true)));
    consts.extend(SockType::ALL.iter().map(|&(v, n)| (n, u64::from(v), true)));
    consts.extend(
        TlsVersion::ALL
            .iter()
            .map(|&(v, n)| (n, u64::from(v), true)),
    );
    consts.extend(TlsCipher::ALL.iter().map(|&(v, n)| (n, u64::from(v), true)));
    consts.extend(TlsConf::ALL.iter().map(|&(v, n)| (n, u64::from(v), true)));
    consts.extend(
        TcpCaState::ALL
            .iter()
            .map(|&(v, n)| (n, u64::from(v), false)),
    );
    consts.extend(TCPI_OPT_NAMES.iter().map(|&(v, n)| (n, v, true)));
    consts.extend(UDIAG_SHOW_NAMES.iter().map(|&(v, n)| (n, v, true)));
    for names in [
        NDIAG_SHOW_NAMES,
        NDIAG_FLAG_NAMES,
        PACKET_SHOW_NAMES,
        PDI_NAMES,
        TP_FT_NAMES,
        MPTCP_INFO_FLAG_NAMES,
    ] {
        consts.extend(names.iter().map(|&(v, n)| (n, v, true)));
    }
    consts.extend(
        TpacketVersion::ALL
            .iter()
            .map(|&(v, n)| (n, u64::from(v), false)),
    );
    consts.extend(
        PacketMrType::ALL
            .iter()
            .map(|&(v, n)| (n, u64::from(v), true)),
    );
    consts.extend(
        SctpSpinfoState::ALL
            .iter()
            .map(|&(v, n)| (n, u64::from(v), false)),
    );
    consts.push(("NDIAG_PROTO_ALL", u64::from(NDIAG_PROTO_ALL), true));
    consts.extend(
        nlwire::families::genl::GENL_OP_FLAG_NAMES
            .iter()
            .map(|&(v, n)| (n, v, true)),
    );
    consts.extend(
        <MptcpSubflowFlagNames as FlagNames>::NAMES
            .iter()
            .map(|&(v, n)| (n, v, true)),
    );
    consts.push(("TCP_MD5SIG_MAXKEYLEN", TCP_MD5SIG_MAXKEYLEN as u64, true));
    consts.push(("SK_MEMINFO_VARS", SK_MEMINFO_VARS as u64, false));
    consts.push(("INET_DIAG_NOCOOKIE", u64::from(INET_DIAG_NOCOOKIE), true));
    // Every other enum and flag set the families' declarations reach
    // (`Decl::Enum`: the genetlink controller's `CTRL_CMD_*`, …): its
    // names are enum constants or macros of these headers, so each one
    // must be there.
    for d in declarations() {
        if let Decl::Enum(en) = d {
            for &(v, n) in en.entries {
                if !consts.iter().any(|c| c.0 == n) {
                    consts.push((n, v, false));
                }
            }
        }
    }
    for (name, value, is_macro) in &consts {
        let key = format!("const {name}");
        if *is_macro {
            let _ = writeln!(c, "#ifdef {name}\n    P(\"{key}\", {name});\n#endif");
        } else {
            let _ = writeln!(c, "    P(\"{key}\", {name});");
        }
        want.insert(key, *value);
    }
    c.push_str("    return 0;\n}\n");
    (c, want, missing)
}

#[test]
fn layouts_match_linux_headers() {
    if !have_cc() {
        return;
    }
    let dir = work_dir("structs");
    let (src, want, missing) = generate(&dir);
    let bin = compile(&dir, "layout", &src)
        .unwrap_or_else(|e| panic!("generated program does not compile: {e}"));
    let got = run(&bin);

    let mut bad = Vec::new();
    let mut checked = 0;
    for (k, v) in &want {
        match got.get(k) {
            Some(g) if g == v => checked += 1,
            Some(g) => bad.push(format!("{k}: C says {g}, Rust says {v}")),
            // Only macros may be absent (#ifdef); structs and enums must print.
            None if k.starts_with("const ") => {}
            None => bad.push(format!("{k}: not printed")),
        }
    }
    assert!(
        bad.is_empty(),
        "layout mismatches (program: {}):\n{}",
        dir.join("layout.c").display(),
        bad.join("\n")
    );

    // Everything the declarations have was checked: every field of every
    // struct either against the headers or (below) against KERNEL-NOTES.
    let n_fields: usize = structs()
        .iter()
        .filter(|d| indexed_array(d.c_type).is_none())
        .map(|d| {
            let mut f = Vec::new();
            flatten(d.fields, 0, "", NO_DESCEND, &mut f);
            f.len()
        })
        .sum();
    assert!(
        checked > n_fields,
        "only {checked} values checked for {n_fields} fields"
    );
    for k in [
        "const AF_INET6",
        "const IPPROTO_TCP",
        "const SOCK_SEQPACKET",
        "const SOCK_DIAG_BY_FAMILY",
        "const TLS_1_3_VERSION",
        "const UDIAG_SHOW_UID",
        "const INET_DIAG_SOCKOPT",
        "const UNIX_DIAG_NAME",
        "const NETLINK_DIAG_FLAGS",
        "const NDIAG_SHOW_FLAGS",
        "const NDIAG_FLAG_CAP_ACK",
        "const NDIAG_PROTO_ALL",
        "const PACKET_DIAG_FILTER",
        "const PACKET_SHOW_FILTER",
        "const PDI_LOSS",
        "const TP_FT_REQ_FILL_RXHASH",
        "const PACKET_MR_UNICAST",
        "const TPACKET_V3",
        "const MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED",
        "const SCTP_UNKNOWN",
        "sizeof sock_filter",
        "sizeof sctp_info",
        "offsetof sctp_info.sctpi_p_address",
        // Everything the hand list of declarations had, now found in the
        // registry: it must stay found.
        "sizeof nlmsghdr",
        "sizeof nlmsgerr",
        "sizeof sock_diag_req",
        "sizeof inet_diag_sockid",
        "sizeof inet_diag_req",
        "sizeof inet_diag_req_v2",
        "sizeof inet_diag_msg",
        "sizeof inet_diag_meminfo",
        "sizeof inet_diag_sockopt",
        "sizeof tcpvegas_info",
        "sizeof tcp_dctcp_info",
        "sizeof tcp_bbr_info",
        "sizeof tcp_diag_md5sig",
        "sizeof __kernel_sockaddr_storage",
        "sizeof tcp_info",
        "sizeof unix_diag_req",
        "sizeof unix_diag_msg",
        "sizeof unix_diag_vfs",
        "sizeof unix_diag_rqlen",
        "sizeof netlink_diag_req",
        "sizeof netlink_diag_msg",
        "sizeof netlink_diag_ring",
        "sizeof packet_diag_req",
        "sizeof packet_diag_msg",
        "sizeof packet_diag_info",
        "sizeof packet_diag_mclist",
        "sizeof packet_diag_ring",
        "sizeof mptcp_info",
        "sizeof sk_meminfo",
        "offsetof sk_meminfo.SK_MEMINFO_DROPS",
        "const INET_DIAG_REQ_BYTECODE",
        "const INET_ULP_INFO_TLS",
        "const TLS_INFO_CIPHER",
        "const MPTCP_SUBFLOW_ATTR_FLAGS",
        "const SK_DIAG_BPF_STORAGE_MAP_ID",
        "const SK_DIAG_BPF_STORAGE_REQ_MAP_FD",
        "const NLMSGERR_ATTR_MSG",
        "const NL_POLICY_TYPE_ATTR_TYPE",
        // New with the registry: the genetlink header, the bytecode
        // structs, the controller's attributes (rtnetlink's headers: in
        // layout_ynl.rs).
        "sizeof genlmsghdr",
        "sizeof inet_diag_bc_op",
        "sizeof inet_diag_hostcond",
        "sizeof inet_diag_markcond",
        "const CTRL_ATTR_FAMILY_ID",
        "const CTRL_ATTR_OP",
        // The controller's nested sets (indexed-array entries).
        "const CTRL_ATTR_OP_ID",
        "const CTRL_ATTR_OP_FLAGS",
        "const CTRL_ATTR_MCAST_GRP_NAME",
        "const CTRL_ATTR_MCAST_GRP_ID",
        "const CTRL_ATTR_POLICY_DUMP",
        "const GENL_ADMIN_PERM",
        "const GENL_UNS_ADMIN_PERM",
    ] {
        assert!(got.contains_key(k), "{k} not printed");
    }

    // Fields newer than these headers: only the tails of TAILS may be
    // missing, at the offsets KERNEL-NOTES.md / the running kernel give.
    for (path, off, f) in &missing {
        let (st, name) = path.split_once('.').unwrap();
        let tail = TAILS
            .iter()
            .find(|t| t.0 == st)
            .unwrap_or_else(|| panic!("{path} missing from the headers"))
            .1;
        let &(_, want_off, want_size) = tail
            .iter()
            .find(|(n, ..)| *n == name)
            .unwrap_or_else(|| panic!("{path}: not in the known tail of {st}"));
        assert_eq!((*off, f.size), (want_off, want_size), "{path}");
    }
    if missing.iter().any(|m| m.0.starts_with("tcp_info.")) {
        assert_eq!(
            got["sizeof tcp_info"], 232,
            "the tail starts where these headers end"
        );
    }
    if missing.iter().any(|m| m.0.starts_with("mptcp_info.")) {
        // 6.1 headers: up to mptcpi_csum_enabled (43 bytes), padded to 48.
        assert_eq!(got["sizeof mptcp_info"], 48);
    }
    assert_eq!(MptcpInfo::SIZE, MPTCP_INFO_TODAY);
    let last = MptcpInfo::FIELDS.last().unwrap();
    assert_eq!(last.offset + last.size, MPTCP_INFO_TODAY);
    assert_eq!(TcpInfo::SIZE, TCP_INFO_TODAY);
    let last = TcpInfo::FIELDS.last().unwrap();
    assert_eq!(last.offset + last.size, TCP_INFO_TODAY);
    // The AccECN bit-fields of the last __u32 (no header here has them).
    assert_eq!(
        last.bits,
        &[
            ("tcpi_ecn_mode", 0, 2),
            ("tcpi_accecn_opt_seen", 2, 2),
            ("tcpi_accecn_fail_mode", 4, 4),
            ("tcpi_options2", 8, 24)
        ]
    );
    // Kept on failure for inspection, removed when everything matched.
    let _ = std::fs::remove_dir_all(&dir);
}

/// TCP states are not in the uapi headers; glibc's `<netinet/tcp.h>` has
/// those up to `TCP_CLOSING` (it clashes with `<linux/tcp.h>`, hence a
/// program of its own). `TCP_NEW_SYN_RECV` (12) and `TCP_BOUND_INACTIVE`
/// (13) are from the kernel's `<net/tcp_states.h>`.
#[test]
fn tcp_states_match_glibc() {
    if !have_cc() {
        return;
    }
    let dir = work_dir("states");
    let mut c = String::from("#include <stdio.h>\n#include <netinet/tcp.h>\nint main(void) {\n");
    let mut want = BTreeMap::new();
    for &(v, n) in TcpState::ALL.iter().chain(UnixState::ALL) {
        if v <= 11 {
            let _ = writeln!(c, "    printf(\"{n} %d\\n\", {n});");
            want.insert(n.to_string(), u64::from(v));
        }
    }
    c.push_str("    return 0;\n}\n");
    let bin = compile(&dir, "states", &c).unwrap();
    assert_eq!(run(&bin), want);
    assert_eq!(want.len(), 11);
    assert_eq!(TcpState::NewSynRecv.raw(), 12);
    assert_eq!(TcpState::BoundInactive.raw(), 13);
    let _ = std::fs::remove_dir_all(&dir);
}

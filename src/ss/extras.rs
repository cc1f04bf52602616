//! The per-socket extras of `nlwire ss` options added on top of the
//! columns: `-p` (`users:(…)`), `--tos` (`tos:`, `tclass:`, `class_id:`),
//! `--cgroup` (`cgroup:PATH`) and `-O` (one line per socket), in ss 6.x's
//! order and spelling (`misc/ss.c`: `proc_ctx_print`, `inet_show_sock`).

use std::fmt::Write as _;

use nlwire::families::sock_diag::SockDiagMessage;
use nlwire::families::sock_diag::{
    idiag_ext_bit, InetDiagAttr, InetDiagInfo, InetResponse, MptcpInfoView, INET_DIAG_TCLASS,
    INET_DIAG_TOS, IPPROTO_MPTCP, MPTCP_INFO_FLAG_FALLBACK, MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED,
};
use nlwire::netlink::Sub;

use super::names;
use super::processes::Users;
use super::query::Sock;

/// Extras that need more than the reply: the process map of `-p`.
#[derive(Debug, Default)]
pub struct Extra<'a> {
    /// `-p`: the socket inode → processes map, built once per run.
    pub users: Option<&'a Users>,
    /// `-O`: everything of a socket on one line.
    pub oneline: bool,
}

/// The socket's inode (`idiag_inode`, `udiag_ino`, `ndiag_ino`,
/// `pdiag_ino`; 0 if none).
pub fn inode(s: &Sock) -> u64 {
    s.decoded().as_ref().map_or(0, inode_of)
}

/// [`inode`] of a decoded reply.
pub fn inode_of(d: &SockDiagMessage<'_>) -> u64 {
    match d {
        SockDiagMessage::InetResponse(m) => u64::from(m.header.idiag_inode.get()),
        SockDiagMessage::UnixResponse(m) => u64::from(m.header.udiag_ino.get()),
        SockDiagMessage::NetlinkResponse(m) => u64::from(m.header.ndiag_ino.get()),
        SockDiagMessage::PacketResponse(m) => u64::from(m.header.pdiag_ino.get()),
        _ => 0,
    }
}

/// ` users:((…))` for `-p`, printed right after the address columns as ss
/// does (before `timer:` and the `-e` details). ss prints none for netlink
/// sockets (their "port" already names the process).
pub fn users_text(d: &SockDiagMessage<'_>, extra: &Extra<'_>) -> String {
    match extra.users {
        Some(u) if !matches!(d, SockDiagMessage::NetlinkResponse(_)) => u.text(inode_of(d)),
        _ => String::new(),
    }
}

/// `--json` with `-p`: the text of the `users` key, an array of `{"comm",
/// "pid", "fd"}` objects, one per holder (absent when none was found, and
/// for netlink sockets, as in the text output).
pub fn users_json(s: &Sock, extra: &Extra<'_>) -> Option<String> {
    let users = extra.users.filter(|_| s.netlink().is_none())?;
    serde_json::to_string(&users.json(inode(s))?).ok()
}

/// `idiag_ext` bits for `--tos` (what ss sets): `INET_DIAG_TOS` and
/// `INET_DIAG_TCLASS` (the kernel adds `INET_DIAG_CLASS_ID` with them).
pub fn tos_ext(tos: bool) -> u8 {
    if tos {
        idiag_ext_bit(INET_DIAG_TOS) | idiag_ext_bit(INET_DIAG_TCLASS)
    } else {
        0
    }
}

/// `-i` for an MPTCP socket: ss's `mptcp_stats_print` of `struct
/// mptcp_info` (every field that is not 0).
pub fn mptcp_info_text(v: &MptcpInfoView<'_>) -> String {
    let mut s = String::new();
    let u8s = [
        ("subflows", v.mptcpi_subflows()),
        ("add_addr_signal", v.mptcpi_add_addr_signal()),
        ("add_addr_accepted", v.mptcpi_add_addr_accepted()),
        ("subflows_max", v.mptcpi_subflows_max()),
        ("add_addr_signal_max", v.mptcpi_add_addr_signal_max()),
        ("add_addr_accepted_max", v.mptcpi_add_addr_accepted_max()),
    ];
    for (name, x) in u8s {
        if let Some(x) = x.filter(|&x| x != 0) {
            let _ = write!(s, " {name}:{x}");
        }
    }
    let flags = v.mptcpi_flags().unwrap_or(0);
    if flags & MPTCP_INFO_FLAG_FALLBACK != 0 {
        s.push_str(" fallback");
    }
    if flags & MPTCP_INFO_FLAG_REMOTE_KEY_RECEIVED != 0 {
        s.push_str(" remote_key");
    }
    if let Some(t) = v.mptcpi_token().filter(|&t| t != 0) {
        let _ = write!(s, " token:{t:x}");
    }
    for (name, x) in [
        ("write_seq", v.mptcpi_write_seq()),
        ("snd_una", v.mptcpi_snd_una()),
        ("rcv_nxt", v.mptcpi_rcv_nxt()),
    ] {
        if let Some(x) = x.filter(|&x| x != 0) {
            let _ = write!(s, " {name}:{x:x}");
        }
    }
    for (name, x) in [
        ("local_addr_used", v.mptcpi_local_addr_used()),
        ("local_addr_max", v.mptcpi_local_addr_max()),
        ("csum_enabled", v.mptcpi_csum_enabled()),
    ] {
        if let Some(x) = x.filter(|&x| x != 0) {
            let _ = write!(s, " {name}:{x}");
        }
    }
    s
}

/// The `-i` text of an MPTCP socket's `INET_DIAG_INFO`.
pub fn mptcp_info(i: &Sub<'_, InetDiagInfo<'_>>) -> Option<String> {
    match i.select_int(u64::from(IPPROTO_MPTCP)) {
        Ok(InetDiagInfo::Mptcp(v)) => Some(mptcp_info_text(&v)),
        _ => None,
    }
}

/// C's `%#x`: `0` for zero, else `0x…`.
fn hash_x(v: u32) -> String {
    if v == 0 {
        "0".into()
    } else {
        format!("{v:#x}")
    }
}

/// `--tos` (` tos:0x10 tclass:0 class_id:0`, from `INET_DIAG_TOS`,
/// `INET_DIAG_TCLASS` and `INET_DIAG_CLASS_ID`) and `--cgroup`
/// (` cgroup:/PATH` from `INET_DIAG_CGROUP_ID`) for an inet socket.
pub fn inet_tos_cgroup(m: &InetResponse<'_>, tos: bool, cgroup: bool) -> String {
    let mut s = String::new();
    let (mut t, mut tc, mut cls, mut cg) = (None, None, None, None);
    for a in m.attrs().flatten() {
        match a {
            InetDiagAttr::Tos(v) => t = Some(v),
            InetDiagAttr::Tclass(v) => tc = Some(v),
            InetDiagAttr::ClassId(v) => cls = Some(v),
            InetDiagAttr::CgroupId(v) => cg = Some(v),
            _ => {}
        }
    }
    if tos {
        if let Some(v) = t {
            let _ = write!(s, " tos:{}", hash_x(u32::from(v)));
        }
        if let Some(v) = tc {
            let _ = write!(s, " tclass:{}", hash_x(u32::from(v)));
        }
        if let Some(v) = cls {
            let _ = write!(s, " class_id:{}", hash_x(v));
        }
    }
    if cgroup {
        if let Some(c) = cg {
            let path = names::cgroup_path(c).unwrap_or_else(|| format!("unreachable:{c:x}"));
            let _ = write!(s, " cgroup:{path}");
        }
    }
    s
}

/// `-O`: the continuation lines of a socket joined to its first line (ss
/// prints them without the `\n\t` it puts before each).
pub fn oneline(more: &str) -> String {
    let joined = more.replace("\n\t", " ");
    if joined.starts_with(' ') || joined.is_empty() {
        joined
    } else {
        format!(" {joined}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_hash_x() {
        assert_eq!(hash_x(0), "0");
        assert_eq!(hash_x(0x10), "0x10");
    }

    #[test]
    fn oneline_joins() {
        assert_eq!(oneline(" skmem:(r0)"), " skmem:(r0)");
        assert_eq!(oneline("ver:2\n\tring_rx(…)"), " ver:2 ring_rx(…)");
    }
}

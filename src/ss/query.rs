//! The sock_diag exchanges of `nlwire ss`: which dumps to send (as
//! iproute2 `ss` sends them: netlink first, then packet, unix, raw, UDP,
//! TCP; `AF_INET` before `AF_INET6`), collecting the replies, and
//! `SOCK_DESTROY` for `-K`.
//!
//! Every request is built from the codec's declarations (`struct
//! inet_diag_req_v2`, `struct unix_diag_req`, `struct netlink_diag_req`,
//! `struct packet_diag_req`) and every reply decoded through
//! [`SockDiagMessage`].

use std::ops::ControlFlow;

use nlwire::families::sock_diag::{
    decode, idiag_ext_bit, AddressFamily, InetDiagReq, InetDiagReqV2, InetDiagSockId, InetResponse,
    IpProto, NetlinkDiagAttr, NetlinkDiagReq, NetlinkDiagRequest, NetlinkDiagResponse,
    PacketDiagAttr, PacketDiagReq, PacketDiagRequest, PacketDiagResponse, SockDiagMessage,
    SockType, UnixDiagAttr, UnixDiagReq, UnixName, UnixResponse, INET_DIAG_CONG, INET_DIAG_INFO,
    INET_DIAG_MEMINFO, INET_DIAG_REQ_BYTECODE, INET_DIAG_REQ_PROTOCOL, INET_DIAG_SKMEMINFO,
    INET_DIAG_VEGASINFO, IPPROTO_MPTCP, NDIAG_PROTO_ALL, NDIAG_SHOW_GROUPS, NDIAG_SHOW_MEMINFO,
    PACKET_SHOW_FANOUT, PACKET_SHOW_FILTER, PACKET_SHOW_INFO, PACKET_SHOW_MEMINFO,
    PACKET_SHOW_RING_CFG, SOCK_DESTROY, SOCK_DIAG_BY_FAMILY, TCPDIAG_GETSOCK, UDIAG_SHOW_ICONS,
    UDIAG_SHOW_MEMINFO, UDIAG_SHOW_NAME, UDIAG_SHOW_PEER, UDIAG_SHOW_RQLEN, UDIAG_SHOW_VFS,
};
use nlwire::netlink::{Messages, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};
use nlwire::Mode;
use nlwire_io::Socket;
use zerocopy::byteorder::U32;

use super::filter_lang::{Expr, CLOSE};

/// ss's "Netid" of a socket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Netid {
    /// `tcp`.
    Tcp,
    /// `udp`.
    Udp,
    /// `raw`.
    Raw,
    /// `u_str`: `SOCK_STREAM` unix socket.
    UStr,
    /// `u_dgr`: `SOCK_DGRAM` unix socket.
    UDgr,
    /// `u_seq`: `SOCK_SEQPACKET` unix socket.
    USeq,
    /// `nl`: netlink socket.
    Nl,
    /// `p_raw`: `SOCK_RAW` packet socket.
    PRaw,
    /// `p_dgr`: `SOCK_DGRAM` (or `SOCK_PACKET`) packet socket.
    PDgr,
    /// `mptcp`: an MPTCP socket (`IPPROTO_MPTCP`, asked for with
    /// `INET_DIAG_REQ_PROTOCOL`).
    Mptcp,
}

impl Netid {
    /// As `ss` prints it.
    pub fn name(self) -> &'static str {
        match self {
            Netid::Tcp => "tcp",
            Netid::Udp => "udp",
            Netid::Raw => "raw",
            Netid::UStr => "u_str",
            Netid::UDgr => "u_dgr",
            Netid::USeq => "u_seq",
            Netid::Nl => "nl",
            Netid::PRaw => "p_raw",
            Netid::PDgr => "p_dgr",
            Netid::Mptcp => "mptcp",
        }
    }
    /// A unix socket kind.
    pub fn is_unix(self) -> bool {
        matches!(self, Netid::UStr | Netid::UDgr | Netid::USeq)
    }
    /// A packet socket kind.
    pub fn is_packet(self) -> bool {
        matches!(self, Netid::PRaw | Netid::PDgr)
    }
    /// The protocol for service names (getservbyport(3)).
    pub fn proto(self) -> &'static str {
        match self {
            Netid::Udp => "udp",
            Netid::Raw => "raw",
            _ => "tcp",
        }
    }
    fn ip_proto(self) -> Option<IpProto> {
        match self {
            // `sdiag_protocol` is a `u8`: ss puts `IPPROTO_MPTCP` (262)
            // truncated there (6, TCP) and the real one in
            // `INET_DIAG_REQ_PROTOCOL`.
            Netid::Tcp | Netid::Mptcp => Some(IpProto::Tcp),
            Netid::Udp => Some(IpProto::Udp),
            Netid::Raw => Some(IpProto::Raw),
            _ => None,
        }
    }
}

/// What to ask the kernel for.
#[derive(Clone, Debug)]
pub struct Plan {
    /// Socket kinds, in `ss`'s order of dumping.
    pub kinds: Vec<Netid>,
    /// `AF_INET` wanted.
    pub v4: bool,
    /// `AF_INET6` wanted.
    pub v6: bool,
    /// `idiag_states` / `udiag_states`.
    pub states: u32,
    /// `idiag_ext`.
    pub ext: u8,
    /// `udiag_show`.
    pub show: u32,
    /// `INET_DIAG_REQ_BYTECODE`, audited.
    pub bytecode: Option<Vec<u8>>,
    /// The expression, for unix sockets (evaluated here, as `ss` does).
    pub expr: Option<Expr>,
    /// TCP over both families in one dump (`TCPDIAG_GETSOCK`, replies under
    /// that type) rather than one `SOCK_DIAG_BY_FAMILY` dump per family.
    /// Off for `-D`, whose file holds `SOCK_DIAG_BY_FAMILY` replies as
    /// iproute2's does.
    pub tcp_one_walk: bool,
}

impl Plan {
    /// `idiag_ext` for `-m` / `-i` (what `ss` sets).
    pub fn ext_for(memory: bool, info: bool) -> u8 {
        let mut ext = 0;
        if memory {
            ext |= idiag_ext_bit(INET_DIAG_MEMINFO) | idiag_ext_bit(INET_DIAG_SKMEMINFO);
        }
        if info {
            ext |= idiag_ext_bit(INET_DIAG_INFO)
                | idiag_ext_bit(INET_DIAG_VEGASINFO)
                | idiag_ext_bit(INET_DIAG_CONG);
        }
        ext
    }
    /// `udiag_show`, what iproute2 `ss` 6.x sets (`unix_show_netlink` in
    /// `misc/ss.c`): `UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN`,
    /// `UDIAG_SHOW_VFS | UDIAG_SHOW_ICONS` with `-e` (the `ino:`/`dev:` and
    /// `peers:` it prints), `UDIAG_SHOW_MEMINFO` with `-m`. The kernel
    /// fills only what is asked for, so the plain `-xa` asks for no more.
    pub fn show_for(memory: bool, extended: bool) -> u32 {
        let mut show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN;
        if extended {
            show |= UDIAG_SHOW_VFS | UDIAG_SHOW_ICONS;
        }
        if memory {
            show |= UDIAG_SHOW_MEMINFO;
        }
        show
    }
}

/// One socket: its kind and the reply message (`nlmsghdr` included), kept
/// as bytes and decoded again when printed.
#[derive(Clone, Debug)]
pub struct Sock {
    /// ss's Netid.
    pub netid: Netid,
    /// The whole netlink message.
    pub msg: Vec<u8>,
}

impl Sock {
    /// The message, decoded (lenient, as `ss` reads it).
    pub fn decoded(&self) -> Option<SockDiagMessage<'_>> {
        decode_reply(&self.msg)
    }
    /// The inet reply, if it is one.
    pub fn inet(&self) -> Option<InetResponse<'_>> {
        match self.decoded()? {
            SockDiagMessage::InetResponse(m) => Some(m),
            _ => None,
        }
    }
    /// The netlink_diag reply, if it is one.
    pub fn netlink(&self) -> Option<NetlinkDiagResponse<'_>> {
        match self.decoded()? {
            SockDiagMessage::NetlinkResponse(m) => Some(m),
            _ => None,
        }
    }
}

/// One reply message (`nlmsghdr` included), decoded leniently as `ss`
/// reads it.
pub fn decode_reply(msg: &[u8]) -> Option<SockDiagMessage<'_>> {
    let raw = Messages::new(msg).next()?.ok()?;
    decode(&raw, Mode::Lenient).ok()
}

/// `NDIAG_SHOW_*` as ss asks for them: the groups (`-e`) and the queues.
pub const NETLINK_SHOW: u32 = NDIAG_SHOW_GROUPS | NDIAG_SHOW_MEMINFO;

/// `PACKET_SHOW_*` as ss asks for them (`packet_show_netlink`).
pub const PACKET_SHOW: u32 = PACKET_SHOW_INFO
    | PACKET_SHOW_MEMINFO
    | PACKET_SHOW_FILTER
    | PACKET_SHOW_RING_CFG
    | PACKET_SHOW_FANOUT;

/// The queues of a netlink socket as ss shows them: `SK_MEMINFO_RMEM_ALLOC`
/// and `SK_MEMINFO_WMEM_ALLOC` of `NETLINK_DIAG_MEMINFO` (0 without it).
pub fn netlink_queues(m: &NetlinkDiagResponse<'_>) -> (u32, u32) {
    m.attrs()
        .flatten()
        .find_map(|a| match a {
            NetlinkDiagAttr::Meminfo(v) => {
                Some((v.rmem_alloc().unwrap_or(0), v.wmem_alloc().unwrap_or(0)))
            }
            _ => None,
        })
        .unwrap_or((0, 0))
}

/// The bound interface of a packet socket (`pdi_index` of
/// `PACKET_DIAG_INFO`; 0: any).
pub fn packet_ifindex(m: &PacketDiagResponse<'_>) -> u32 {
    m.attrs()
        .flatten()
        .find_map(|a| match a {
            PacketDiagAttr::Info(i) => Some(i.pdi_index.get()),
            _ => None,
        })
        .unwrap_or(0)
}

/// ss's `rport` of a netlink socket in filters: -1 (no remote port).
const NO_PORT: i64 = -1;

/// The local "port" of a netlink socket in filters: `ndiag_portid` as the C
/// `int` ss keeps it in.
pub fn netlink_lport(m: &NetlinkDiagResponse<'_>) -> i64 {
    i64::from(m.header.ndiag_portid.get() as i32)
}

/// A dump the kernel refused or that failed.
#[derive(Debug)]
pub struct DumpError {
    /// What was asked (`tcp/AF_INET`, `unix`).
    pub what: String,
    /// Why.
    pub error: nlwire_io::Error,
}

/// `UNIX_DIAG_PEER` of a unix reply (0 if none).
pub fn unix_peer(m: &UnixResponse<'_>) -> u32 {
    m.attrs()
        .flatten()
        .find_map(|a| match a {
            UnixDiagAttr::Peer(p) => Some(p),
            _ => None,
        })
        .unwrap_or(0)
}

/// The name of a unix reply as ss's filter sees it (`unix_show_sock`):
/// the path up to its first NUL, or `@` and the abstract name with every
/// NUL as `@`, or empty when unnamed.
pub fn unix_filter_name(m: &UnixResponse<'_>) -> Vec<u8> {
    let name = m.attrs().flatten().find_map(|a| match a {
        UnixDiagAttr::Name(n) => Some(n.name()),
        _ => None,
    });
    match name {
        Some(UnixName::Pathname(p)) => p.to_vec(),
        Some(UnixName::Abstract(a)) => std::iter::once(b'@')
            .chain(a.iter().map(|&b| if b == 0 { b'@' } else { b }))
            .collect(),
        _ => Vec::new(),
    }
}

/// Run every dump of `plan` on `sock` and keep the sockets it lists (their
/// reply messages copied), as [`dump_each`] reports them.
pub fn dump_all(
    sock: &mut Socket,
    plan: &Plan,
    skipped: &mut Vec<DumpError>,
) -> Result<Vec<Sock>, DumpError> {
    let mut out = Vec::new();
    dump_each(sock, plan, skipped, &mut |netid, msg| {
        out.push(Sock {
            netid,
            msg: msg.to_vec(),
        });
    })?;
    Ok(out)
}

/// Run every dump of `plan` on `sock`, handing each socket it keeps (its
/// Netid and its whole reply message, `nlmsghdr` included) to `each` as it
/// is received, nothing copied. A dump the kernel has no handler for
/// (`ENOENT`: e.g. `raw_diag` not loaded) is reported in `skipped` and the
/// others go on, as `ss` does; any other error stops.
pub fn dump_each(
    sock: &mut Socket,
    plan: &Plan,
    skipped: &mut Vec<DumpError>,
    each: &mut dyn FnMut(Netid, &[u8]),
) -> Result<(), DumpError> {
    // ss lists netlink and packet sockets only when `SS_CLOSE` (their only
    // state, `UNCONN`) is asked for (`netlink_show`, `packet_show`).
    let closed = plan.states & CLOSE != 0;
    if closed && plan.kinds.contains(&Netid::Nl) {
        let req = NetlinkDiagReq::dump(NDIAG_PROTO_ALL, NETLINK_SHOW);
        let res = sock.dump_with(
            |b, seq| {
                b.message(
                    SOCK_DIAG_BY_FAMILY,
                    NLM_F_REQUEST | NLM_F_DUMP,
                    seq,
                    0,
                    |b| NetlinkDiagRequest::write(b, &req, &[]),
                )
            },
            |raw| {
                if let Ok(SockDiagMessage::NetlinkResponse(m)) = decode(&raw, Mode::Lenient) {
                    let keep = plan
                        .expr
                        .as_ref()
                        .is_none_or(|e| e.eval_ports(netlink_lport(&m), NO_PORT, Some(0)));
                    if keep {
                        each(Netid::Nl, raw.bytes);
                    }
                }
                ControlFlow::Continue(())
            },
        );
        skip_if_absent(res, || "netlink".into(), skipped)?;
    }
    let want_packet: Vec<Netid> = plan
        .kinds
        .iter()
        .copied()
        .filter(|k| k.is_packet())
        .collect();
    if closed && !want_packet.is_empty() {
        let req = PacketDiagReq::dump(PACKET_SHOW);
        let res = sock.dump_with(
            |b, seq| {
                b.message(
                    SOCK_DIAG_BY_FAMILY,
                    NLM_F_REQUEST | NLM_F_DUMP,
                    seq,
                    0,
                    |b| PacketDiagRequest::write(b, &req, &[]),
                )
            },
            |raw| {
                if let Ok(SockDiagMessage::PacketResponse(m)) = decode(&raw, Mode::Lenient) {
                    // As ss names them: `p_raw` for SOCK_RAW, `p_dgr` else.
                    let netid = if m.header.sock_type() == SockType::Raw {
                        Netid::PRaw
                    } else {
                        Netid::PDgr
                    };
                    let ifindex = packet_ifindex(&m);
                    let keep = want_packet.contains(&netid)
                        && plan
                            .expr
                            .as_ref()
                            .is_none_or(|e| e.eval_ports(i64::from(ifindex), 0, Some(ifindex)));
                    if keep {
                        each(netid, raw.bytes);
                    }
                }
                ControlFlow::Continue(())
            },
        );
        skip_if_absent(res, || "packet".into(), skipped)?;
    }
    let want_unix: Vec<Netid> = plan.kinds.iter().copied().filter(|k| k.is_unix()).collect();
    if !want_unix.is_empty() {
        let req = UnixDiagReq::dump(plan.states, plan.show);
        let res = sock.dump_with(
            |b, seq| {
                b.message(
                    SOCK_DIAG_BY_FAMILY,
                    NLM_F_REQUEST | NLM_F_DUMP,
                    seq,
                    0,
                    |b| b.put_struct(&req),
                )
            },
            |raw| {
                if let Ok(SockDiagMessage::UnixResponse(m)) = decode(&raw, Mode::Lenient) {
                    let netid = match m.header.sock_type() {
                        SockType::Stream => Netid::UStr,
                        SockType::Dgram => Netid::UDgr,
                        SockType::Seqpacket => Netid::USeq,
                        _ => return ControlFlow::Continue(()),
                    };
                    let ino = m.header.udiag_ino.get();
                    let keep = want_unix.contains(&netid)
                        && plan
                            .expr
                            .as_ref()
                            .is_none_or(|e| e.eval_unix(ino, unix_peer(&m), &unix_filter_name(&m)));
                    if keep {
                        each(netid, raw.bytes);
                    }
                }
                ControlFlow::Continue(())
            },
        );
        if let Err(error) = res {
            return Err(DumpError {
                what: "unix".into(),
                error,
            });
        }
    }
    for &kind in &plan.kinds {
        let Some(proto) = kind.ip_proto() else {
            continue;
        };
        if kind == Netid::Tcp
            && plan.tcp_one_walk
            && plan.v4
            && plan.v6
            && tcp_in_one_walk(sock, plan, each)?
        {
            continue;
        }
        for (on, family) in [
            (plan.v4, AddressFamily::Inet),
            (plan.v6, AddressFamily::Inet6),
        ] {
            if !on {
                continue;
            }
            let mut req = InetDiagReqV2::dump(family, proto, plan.ext, plan.states);
            if kind == Netid::Raw {
                // `sdiag_raw_protocol`: IPPROTO_RAW is "every protocol".
                req.pad = IpProto::Raw.raw();
            }
            let res = sock.dump_with(
                |b, seq| {
                    b.message(
                        SOCK_DIAG_BY_FAMILY,
                        NLM_F_REQUEST | NLM_F_DUMP,
                        seq,
                        0,
                        |b| {
                            b.put_struct(&req)?;
                            if kind == Netid::Mptcp {
                                b.attr_raw(INET_DIAG_REQ_PROTOCOL, &IPPROTO_MPTCP.to_ne_bytes())?;
                            }
                            if let Some(bc) = &plan.bytecode {
                                b.attr_raw(INET_DIAG_REQ_BYTECODE, bc)?;
                            }
                            Ok(())
                        },
                    )
                },
                |raw| {
                    if let Ok(SockDiagMessage::InetResponse(_)) = decode(&raw, Mode::Lenient) {
                        each(kind, raw.bytes);
                    }
                    ControlFlow::Continue(())
                },
            );
            let what = || format!("{}/{}", kind.name(), family.name().unwrap_or("AF_?"));
            skip_if_absent(res, what, skipped)?;
        }
    }
    Ok(())
}

/// TCP over IPv4 and IPv6 in one walk of the kernel's tables: the legacy
/// `TCPDIAG_GETSOCK` dump (`struct inet_diag_req`), which the kernel
/// answers for every family (`inet_diag_dump_compat` asks with
/// `AF_UNSPEC`), with `struct inet_diag_msg` replies under the same type.
/// One walk instead of two halves the kernel's work of skipping the other
/// family's sockets and empty buckets. Each family's replies come in the
/// order of that family's own dump; IPv4 goes to `each` as received and
/// IPv6 after the dump, as ss prints them (its `AF_INET` dump first).
/// `Ok(false)`: the kernel refused the request before any reply, and the
/// caller dumps each family instead.
fn tcp_in_one_walk(
    sock: &mut Socket,
    plan: &Plan,
    each: &mut dyn FnMut(Netid, &[u8]),
) -> Result<bool, DumpError> {
    let req = InetDiagReq {
        idiag_family: AddressFamily::Inet.raw(),
        idiag_src_len: 0,
        idiag_dst_len: 0,
        idiag_ext: plan.ext,
        id: InetDiagSockId::zeroed(),
        idiag_states: U32::new(plan.states),
        idiag_dbs: U32::new(0),
    };
    let inet6 = AddressFamily::Inet6.raw();
    let mut later = Vec::new();
    let mut any = false;
    let res = sock.dump_with(
        |b, seq| {
            b.message(TCPDIAG_GETSOCK, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| {
                b.put_struct(&req)?;
                if let Some(bc) = &plan.bytecode {
                    b.attr_raw(INET_DIAG_REQ_BYTECODE, bc)?;
                }
                Ok(())
            })
        },
        |raw| {
            any = true;
            if let Ok(SockDiagMessage::InetResponse(m)) = decode(&raw, Mode::Lenient) {
                if m.header.idiag_family == inet6 {
                    later.extend_from_slice(raw.bytes);
                } else {
                    each(Netid::Tcp, raw.bytes);
                }
            }
            ControlFlow::Continue(())
        },
    );
    match res {
        Ok(_) => {}
        Err(_) if !any => return Ok(false),
        Err(error) => {
            return Err(DumpError {
                what: "tcp".into(),
                error,
            })
        }
    }
    for msg in Messages::new(&later).flatten() {
        each(Netid::Tcp, msg.bytes);
    }
    Ok(true)
}

/// `ENOENT`.
const fn libc_enoent() -> i32 {
    2
}

/// The outcome of one dump: a table the kernel does not have (`ENOENT`: no
/// diag module for it) is noted in `skipped` and the query goes on; any
/// other error ends it.
fn skip_if_absent<T>(
    res: Result<T, nlwire_io::Error>,
    what: impl FnOnce() -> String,
    skipped: &mut Vec<DumpError>,
) -> Result<(), DumpError> {
    let Err(error) = res else {
        return Ok(());
    };
    let e = DumpError {
        what: what(),
        error,
    };
    if e.error.errno() == Some(libc_enoent()) {
        skipped.push(e);
        Ok(())
    } else {
        Err(e)
    }
}

/// `SOCK_DESTROY` one inet socket (`ss -K`): `struct inet_diag_req_v2`
/// with the socket's identity (cookie included), `NLM_F_ACK`.
pub fn destroy(sock: &mut Socket, s: &Sock) -> Result<(), nlwire_io::Error> {
    let Some(m) = s.inet() else {
        return Ok(());
    };
    let Some(proto) = s.netid.ip_proto() else {
        return Ok(());
    };
    let family = AddressFamily::from(m.header.idiag_family);
    let mut req = InetDiagReqV2::dump(family, proto, 0, u32::MAX);
    req.id = m.header.id;
    if s.netid == Netid::Raw {
        // raw_diag looks the socket up by its protocol (the local "port").
        req.pad = u8::try_from(m.header.id.sport()).unwrap_or(IpProto::Raw.raw());
    }
    sock.dump_with(
        |b, seq| {
            b.message(SOCK_DESTROY, NLM_F_REQUEST | NLM_F_ACK, seq, 0, |b| {
                b.put_struct(&req)
            })
        },
        |_| ControlFlow::Continue(()),
    )
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::Plan;

    /// The `udiag_show` values iproute2 `ss` 6.1 sends, read with
    /// `strace -X raw ss -xa` (`0x15`), `ss -xae` (`0x1f`), `ss -xam` (`0x35`).
    #[test]
    fn udiag_show_is_what_ss_asks_for() {
        assert_eq!(Plan::show_for(false, false), 0x15);
        assert_eq!(Plan::show_for(false, true), 0x1f);
        assert_eq!(Plan::show_for(true, false), 0x35);
        assert_eq!(Plan::show_for(true, true), 0x3f);
    }
}

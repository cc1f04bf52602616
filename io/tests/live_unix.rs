//! Live unix_diag tests: make our own unix sockets, dump them through the
//! shim, and check what the kernel reports for each (filtered to our inodes,
//! in the current network namespace).

mod common;
use common::{inode, sock_diag};

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::net::Shutdown as Sd;
use std::ops::ControlFlow;
use std::os::fd::OwnedFd;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::fs::MetadataExt;
use std::os::unix::net::{SocketAddr, UnixDatagram, UnixListener, UnixStream};
use std::path::Path;

use nlwire::families::sock_diag::{
    decode, SockDiagMessage, SockType, UnixDiagAttr, UnixDiagReq, UnixName, UnixState,
    RCV_SHUTDOWN, SEND_SHUTDOWN, SOCK_DIAG_BY_FAMILY, UDIAG_SHOW_ICONS, UDIAG_SHOW_NAME,
    UDIAG_SHOW_PEER, UDIAG_SHOW_RQLEN, UDIAG_SHOW_UID, UDIAG_SHOW_VFS,
};
use nlwire::netlink::{NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST};
use nlwire::Mode;
use nlwire_io::DumpSummary;
use rustix::net::{AddressFamily, SocketAddrUnix, SocketFlags, SocketType};

const SHOW_ALL: u32 = UDIAG_SHOW_NAME
    | UDIAG_SHOW_VFS
    | UDIAG_SHOW_PEER
    | UDIAG_SHOW_ICONS
    | UDIAG_SHOW_RQLEN
    | UDIAG_SHOW_UID;

/// What one `unix_diag_msg` said, owned.
#[derive(Debug, Default, Clone)]
struct Seen {
    typ: u8,
    state: u8,
    cookie: u64,
    name: Option<Vec<u8>>,
    peer: Option<u32>,
    icons: Option<Vec<u32>>,
    rqlen: Option<(u32, u32)>,
    vfs: Option<(u32, u32)>,
    uid: Option<u32>,
    shutdown: Option<u8>,
}

/// glibc's `major()`/`minor()` of a `st_dev`.
fn dev_major_minor(dev: u64) -> (u32, u32) {
    let major = ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff);
    let minor = (dev & 0xff) | ((dev >> 12) & !0xff);
    (major as u32, minor as u32)
}

fn my_uid() -> u32 {
    std::fs::metadata("/proc/self").unwrap().uid()
}

/// Dump every unix socket with `show` and keep the ones in `want`.
fn dump(want: &[u32], show: u32) -> (HashMap<u32, Seen>, DumpSummary) {
    let mut s = sock_diag();
    let req = UnixDiagReq::dump(u32::MAX, show);
    let mut out = HashMap::new();
    let sum = s
        .dump_with(
            |b, seq| {
                b.message(
                    SOCK_DIAG_BY_FAMILY,
                    NLM_F_REQUEST | NLM_F_DUMP,
                    seq,
                    0,
                    |b| b.put_struct(&req),
                )
            },
            |m| {
                let Ok(SockDiagMessage::UnixResponse(r)) = decode(&m, Mode::Strict) else {
                    panic!("not a strict unix_diag reply: {m:?}");
                };
                let ino = r.header.udiag_ino.get();
                if want.contains(&ino) {
                    assert!(out.insert(ino, seen(&r)).is_none(), "inode {ino} twice");
                }
                ControlFlow::Continue(())
            },
        )
        .unwrap();
    (out, sum)
}

fn seen(r: &nlwire::families::sock_diag::UnixResponse<'_>) -> Seen {
    let h = r.header;
    let mut s = Seen {
        typ: h.udiag_type,
        state: h.udiag_state,
        cookie: h.cookie(),
        ..Seen::default()
    };
    assert_eq!(h.udiag_family, 1, "AF_UNIX");
    for a in r.attrs() {
        match a.unwrap() {
            UnixDiagAttr::Name(p) => s.name = Some(p.0.to_vec()),
            UnixDiagAttr::Peer(p) => s.peer = Some(p),
            UnixDiagAttr::Icons(i) => s.icons = Some(i.0.iter().map(|x| x.get()).collect()),
            UnixDiagAttr::Rqlen(q) => s.rqlen = Some((q.udiag_rqueue.get(), q.udiag_wqueue.get())),
            UnixDiagAttr::Vfs(v) => s.vfs = Some((v.udiag_vfs_ino.get(), v.udiag_vfs_dev.get())),
            UnixDiagAttr::Uid(u) => s.uid = Some(u),
            UnixDiagAttr::Shutdown(b) => s.shutdown = Some(b.bits),
            other => panic!("unexpected attribute {other:?}"),
        }
    }
    s
}

/// `sun_path` bytes as the kernel sends them for a pathname: with the NUL.
fn path_bytes(p: &Path) -> Vec<u8> {
    let mut v = p.as_os_str().as_encoded_bytes().to_vec();
    v.push(0);
    v
}

fn listener(typ: SocketType, path: &Path, backlog: i32) -> OwnedFd {
    let fd =
        rustix::net::socket_with(AddressFamily::UNIX, typ, SocketFlags::CLOEXEC, None).unwrap();
    rustix::net::bind(&fd, &SocketAddrUnix::new(path).unwrap()).unwrap();
    rustix::net::listen(&fd, backlog).unwrap();
    fd
}

fn connect(typ: SocketType, path: &Path) -> OwnedFd {
    let fd =
        rustix::net::socket_with(AddressFamily::UNIX, typ, SocketFlags::CLOEXEC, None).unwrap();
    rustix::net::connect(&fd, &SocketAddrUnix::new(path).unwrap()).unwrap();
    fd
}

#[test]
fn stream_listener_reports_pending_connections_in_icons_and_rqlen() {
    if !common::have_sock_diag(1, 0, "unix_diag (CONFIG_UNIX_DIAG)") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("listener.sock");
    let l = listener(SocketType::STREAM, &path, 5);
    let c1 = connect(SocketType::STREAM, &path);
    let c2 = connect(SocketType::STREAM, &path);
    let (li, i1, i2) = (inode(&l), inode(&c1), inode(&c2));

    let (seen, sum) = dump(&[li, i1, i2], SHOW_ALL);
    assert!(sum.messages >= 3 && !sum.stopped, "{sum:?}");
    let l_seen = &seen[&li];
    assert_eq!(
        (l_seen.typ, l_seen.state),
        (SockType::Stream.raw(), UnixState::Listen.raw())
    );
    assert_eq!(l_seen.name.as_deref(), Some(&path_bytes(&path)[..]));
    // A listener: pending connections and the backlog limit.
    assert_eq!(l_seen.rqlen, Some((2, 5)));
    // UNIX_DIAG_ICONS lists the connecting sockets' inodes.
    let icons: BTreeSet<u32> = l_seen.icons.clone().unwrap().into_iter().collect();
    assert_eq!(icons, BTreeSet::from([i1, i2]));
    let meta = std::fs::metadata(&path).unwrap();
    let (vfs_ino, vfs_dev) = l_seen.vfs.unwrap();
    assert_eq!(vfs_ino, meta.ino() as u32);
    // `udiag_vfs_dev` is the kernel's internal dev_t (`s_dev`: major << 20 |
    // minor), not stat's encoding.
    assert_eq!(
        (vfs_dev >> 20, vfs_dev & 0xf_ffff),
        dev_major_minor(meta.dev())
    );
    assert_eq!(l_seen.uid, Some(my_uid()));
    assert_eq!(l_seen.peer, None, "a listener has no peer");
    assert_eq!(l_seen.shutdown, Some(0));
    assert_ne!(l_seen.cookie, 0);

    for ci in [i1, i2] {
        let c = &seen[&ci];
        assert_eq!(
            (c.typ, c.state),
            (SockType::Stream.raw(), UnixState::Established.raw())
        );
        assert_eq!(c.name, None, "an unbound client has no UNIX_DIAG_NAME");
        assert_eq!(c.vfs, None);
        // The peer is the embryo socket the listener queued; it has no
        // inode until accept() gives it a struct socket.
        assert_eq!(c.peer, Some(0), "{c:?}");
        assert_eq!(c.icons, None, "ICONS only for listeners");
    }

    // Accept one: one connection left pending, and the accepted socket is
    // the client's peer.
    let accepted = rustix::net::accept(&l).unwrap();
    let ai = inode(&accepted);
    let (seen, _) = dump(&[li, i1, i2, ai], SHOW_ALL);
    assert_eq!(seen[&li].rqlen, Some((1, 5)));
    assert_eq!(seen[&li].icons.as_ref().map(Vec::len), Some(1));
    let a = &seen[&ai];
    assert_eq!(a.state, UnixState::Established.raw());
    let client_of_a = if seen[&i1].peer == Some(ai) { i1 } else { i2 };
    assert_eq!(a.peer, Some(client_of_a));
    let other = if client_of_a == i1 { i2 } else { i1 };
    assert_eq!(seen[&other].peer, Some(0), "still pending");
    // The accepted socket shares the listener's name.
    assert_eq!(a.name.as_deref(), Some(&path_bytes(&path)[..]));
}

#[test]
fn connected_pair_reports_peers_queue_and_shutdown() {
    if !common::have_sock_diag(1, 0, "unix_diag (CONFIG_UNIX_DIAG)") {
        return;
    }
    let (mut a, b) = UnixStream::pair().unwrap();
    let (ia, ib) = (inode(&a), inode(&b));
    a.write_all(b"hello world").unwrap();
    a.shutdown(Sd::Write).unwrap();

    let (seen, _) = dump(&[ia, ib], SHOW_ALL);
    let (sa, sb) = (&seen[&ia], &seen[&ib]);
    assert_eq!((sa.peer, sb.peer), (Some(ib), Some(ia)));
    assert_eq!(sa.state, UnixState::Established.raw());
    assert_eq!(sa.name, None);
    // Unread bytes are in b's receive queue.
    assert_eq!(sb.rqlen.map(|q| q.0), Some(11));
    assert_eq!(sa.rqlen.map(|q| q.0), Some(0));
    assert_eq!(sa.shutdown, Some(SEND_SHUTDOWN));
    assert_eq!(sb.shutdown, Some(RCV_SHUTDOWN));

    // Without UDIAG_SHOW_* only UNIX_DIAG_SHUTDOWN (always sent) comes.
    let (bare, _) = dump(&[ia, ib], 0);
    let s = &bare[&ia];
    assert_eq!(
        (s.peer, s.name.as_ref(), s.rqlen, s.uid),
        (None, None, None, None)
    );
    assert_eq!(s.shutdown, Some(SEND_SHUTDOWN));
}

#[test]
fn datagram_sockets_with_abstract_pathname_and_no_name() {
    if !common::have_sock_diag(1, 0, "unix_diag (CONFIG_UNIX_DIAG)") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dgram.sock");
    let abstract_name = format!("nlwire-test-{}-\0-dgram", std::process::id());
    let abs =
        UnixDatagram::bind_addr(&SocketAddr::from_abstract_name(abstract_name.as_bytes()).unwrap())
            .unwrap();
    let named = UnixDatagram::bind(&path).unwrap();
    let unnamed = UnixDatagram::unbound().unwrap();
    let client = UnixDatagram::unbound().unwrap();
    client.connect(&path).unwrap();
    client.send(b"0123456789").unwrap();
    let ids @ [i_abs, i_named, i_unnamed, i_client] =
        [inode(&abs), inode(&named), inode(&unnamed), inode(&client)];

    let (seen, _) = dump(&ids, SHOW_ALL);
    assert_eq!(seen.len(), 4, "{seen:?}");
    for s in seen.values() {
        assert_eq!(s.typ, SockType::Dgram.raw());
    }
    // Abstract: a leading NUL, then the name (NULs inside kept), no VFS.
    let mut want = vec![0u8];
    want.extend_from_slice(abstract_name.as_bytes());
    assert_eq!(seen[&i_abs].name.as_deref(), Some(&want[..]));
    let name = nlwire::families::sock_diag::SunPath(&want).name();
    assert_eq!(name, UnixName::Abstract(abstract_name.as_bytes()));
    assert_eq!(
        name.to_string(),
        format!("@nlwire-test-{}-@-dgram", std::process::id())
    );
    assert_eq!(seen[&i_abs].vfs, None);
    assert_eq!(seen[&i_abs].state, UnixState::Close.raw());

    let n = &seen[&i_named];
    assert_eq!(n.name.as_deref(), Some(&path_bytes(&path)[..]));
    assert_eq!(
        n.vfs.map(|v| v.0),
        Some(std::fs::metadata(&path).unwrap().ino() as u32)
    );
    // The datagram waits in the bound socket's queue (length of the skb data).
    assert_eq!(n.rqlen.map(|q| q.0), Some(10));

    let u = &seen[&i_unnamed];
    assert_eq!(
        (u.name.as_ref(), u.peer, u.state),
        (None, None, UnixState::Close.raw())
    );

    let c = &seen[&i_client];
    assert_eq!(
        c.peer,
        Some(i_named),
        "a connected datagram socket reports its peer"
    );
    assert_eq!(c.name, None);
}

#[test]
fn seqpacket_listener_and_client() {
    if !common::have_sock_diag(1, 0, "unix_diag (CONFIG_UNIX_DIAG)") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seqpacket.sock");
    let l = listener(SocketType::SEQPACKET, &path, 3);
    let c = connect(SocketType::SEQPACKET, &path);
    let (li, ci) = (inode(&l), inode(&c));
    let (seen, _) = dump(&[li, ci], SHOW_ALL);
    let ls = &seen[&li];
    assert_eq!(
        (ls.typ, ls.state),
        (SockType::Seqpacket.raw(), UnixState::Listen.raw())
    );
    assert_eq!(ls.icons, Some(vec![ci]));
    assert_eq!(ls.rqlen, Some((1, 3)));
    assert_eq!(seen[&ci].typ, SockType::Seqpacket.raw());
    assert_eq!(seen[&ci].state, UnixState::Established.raw());
}

#[test]
fn listener_without_pending_connections_has_empty_icons() {
    if !common::have_sock_diag(1, 0, "unix_diag (CONFIG_UNIX_DIAG)") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("idle.sock");
    let l = UnixListener::bind(&path).unwrap();
    let li = inode(&l);
    let (seen, _) = dump(&[li], SHOW_ALL);
    assert_eq!(
        seen[&li].icons,
        Some(vec![]),
        "UNIX_DIAG_ICONS with an empty payload"
    );
    assert_eq!(seen[&li].rqlen.map(|q| q.0), Some(0));
}

#[test]
fn exact_request_gets_one_reply_without_multi() {
    if !common::have_sock_diag(1, 0, "unix_diag (CONFIG_UNIX_DIAG)") {
        return;
    }
    let (a, _b) = UnixStream::pair().unwrap();
    let ia = inode(&a);
    let mut s = sock_diag();
    let req = UnixDiagReq::exact(ia, None, UDIAG_SHOW_PEER);
    let mut flags = Vec::new();
    let mut inodes = Vec::new();
    let sum = s
        .dump_with(
            |b, seq| {
                b.message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, seq, 0, |b| {
                    b.put_struct(&req)
                })
            },
            |m| {
                flags.push(m.header.nlmsg_flags.get());
                if let Ok(SockDiagMessage::UnixResponse(r)) = decode(&m, Mode::Strict) {
                    inodes.push(r.header.udiag_ino.get());
                }
                ControlFlow::Continue(())
            },
        )
        .unwrap();
    assert_eq!(sum.messages, 1);
    assert_eq!(inodes, vec![ia]);
    assert_eq!(flags[0] & NLM_F_MULTI, 0);

    // The same lookup with the socket's cookie; then a wrong cookie and a
    // missing inode are refused by the kernel.
    let (seen, _) = dump(&[ia], 0);
    let cookie = seen[&ia].cookie;
    let req = UnixDiagReq::exact(ia, Some(cookie), 0);
    let sum = s
        .dump_with(
            |b, seq| {
                b.message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, seq, 0, |b| {
                    b.put_struct(&req)
                })
            },
            |_| ControlFlow::Continue(()),
        )
        .unwrap();
    assert_eq!(sum.messages, 1);
    for req in [
        UnixDiagReq::exact(ia, Some(cookie ^ 1), 0),
        UnixDiagReq::exact(u32::MAX - 7, None, 0),
    ] {
        let e = s
            .dump_with(
                |b, seq| {
                    b.message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, seq, 0, |b| {
                        b.put_struct(&req)
                    })
                },
                |_| ControlFlow::Continue(()),
            )
            .unwrap_err();
        assert!(
            matches!(e.errno(), Some(2) | Some(116)),
            "ENOENT or ESTALE, got {e}"
        );
    }
}

#[test]
fn every_socket_this_process_holds_is_in_the_dump() {
    if !common::have_sock_diag(1, 0, "unix_diag (CONFIG_UNIX_DIAG)") {
        return;
    }
    // Cross-check the other way round: every unix socket in /proc/self/fd
    // is reported with that inode.
    let _keep = (UnixStream::pair().unwrap(), UnixDatagram::pair().unwrap());
    let mine: Vec<u32> = std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .filter_map(|e| std::fs::read_link(e.ok()?.path()).ok())
        .filter_map(|l| {
            let s = l
                .to_str()?
                .strip_prefix("socket:[")?
                .strip_suffix(']')?
                .to_owned();
            s.parse().ok()
        })
        .collect();
    let (seen, _) = dump(&mine, 0);
    for ino in [
        inode(&_keep.0 .0),
        inode(&_keep.0 .1),
        inode(&_keep.1 .0),
        inode(&_keep.1 .1),
    ] {
        assert!(seen.contains_key(&ino), "inode {ino} missing from the dump");
    }
}

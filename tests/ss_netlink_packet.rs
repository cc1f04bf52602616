//! Differential test of `nlwire ss` on netlink and packet sockets: the test
//! opens netlink sockets of several protocols (one bound with multicast
//! groups, one connected) and `AF_PACKET` sockets, then `nlwire ss -A
//! netlink` / `-0` and iproute2 `ss` must print the same lines for them,
//! word by word (protocol, port id, queues, peer; with `-e` the groups of
//! netlink sockets and the inode, cookie and `ver:… flags(…)` line of packet
//! sockets). Needs root (`AF_PACKET`, sock_diag) and iproute2 `ss`: without
//! them it fails under `CI=true` and is skipped otherwise. The usage errors
//! of `-A` need neither.

mod ss_common;

use std::os::fd::{AsFd, OwnedFd};
use std::process::Command;

use nix::sys::socket::{socket, AddressFamily, SockFlag, SockProtocol, SockType};
use nlwire::family::NetlinkFamily;
use nlwire_io::Socket;
use ss_common::*;

fn iproute2(args: &[&str]) -> String {
    let o = Command::new("ss").args(args).output().expect("run ss");
    assert!(o.status.success(), "ss {args:?}: {}", stderr(&o));
    stdout(&o)
}

fn ours(args: &[&str]) -> String {
    let mut full = vec!["ss"];
    full.extend_from_slice(args);
    let o = nlwire(&full);
    assert!(o.status.success(), "nlwire ss {args:?}: {}", stderr(&o));
    stdout(&o)
}

/// One socket's output: its line and its continuation lines (`\t…`), as
/// words.
fn records(text: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for line in text.lines() {
        let words = line.split_whitespace().map(str::to_string);
        match out.last_mut() {
            Some(r) if line.starts_with('\t') => r.extend(words),
            _ => out.push(words.collect()),
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

/// The records having one of `keys` as a word, sorted (a socket bound to a
/// port and in a multicast group is dumped twice: it stays twice).
fn pick(text: &str, keys: &[String]) -> Vec<Vec<String>> {
    let mut r: Vec<Vec<String>> = records(text)
        .into_iter()
        .filter(|r| r.iter().any(|w| keys.contains(w)))
        .collect();
    r.sort();
    r
}

/// Netlink sockets of three protocols: `NETLINK_ROUTE` bound with groups
/// `RTMGRP_LINK | RTMGRP_IPV4_IFADDR`, `NETLINK_GENERIC` bound, and
/// `NETLINK_USERSOCK` bound and connected to port 4242. Returns them with
/// `PROTO:PORTID` as `ss -n` prints it (the port id as a C `int`).
fn netlink_sockets() -> Vec<(Socket, String)> {
    let mut out = Vec::new();
    for (family, proto, groups) in [
        (NetlinkFamily::Route, 0u8, 0x1 | 0x10),
        (NetlinkFamily::Generic, 16, 0),
        (NetlinkFamily::Usersock, 2, 0),
    ] {
        let mut s = Socket::new(family).expect("netlink socket");
        s.bind(0, groups).expect("bind");
        if proto == 2 {
            s.connect(4242, 0).expect("connect");
        }
        // ss prints the port id as a C int: the ids the kernel picks after
        // the first (the pid) are negative.
        let port = s.port_id().expect("port id") as i32;
        out.push((s, format!("{proto}:{port}")));
    }
    out
}

/// `AF_PACKET` sockets: `SOCK_RAW` for `ETH_P_ALL`, `SOCK_DGRAM` for
/// `ETH_P_LOOP`, `SOCK_DGRAM` without a protocol. `None` (after saying
/// why) if the kernel refuses them.
fn packet_sockets() -> Option<Vec<OwnedFd>> {
    let mut out = Vec::new();
    for (ty, proto) in [
        (SockType::Raw, Some(SockProtocol::EthAll)),
        (SockType::Datagram, Some(SockProtocol::EthLoop)),
        (SockType::Datagram, None),
    ] {
        match socket(AddressFamily::Packet, ty, SockFlag::SOCK_CLOEXEC, proto) {
            Ok(fd) => out.push(fd),
            Err(e) => {
                skip(&format!("cannot open an AF_PACKET socket: {e}"));
                return None;
            }
        }
    }
    Some(out)
}

fn live() -> bool {
    !(cannot_run() || (!have_iproute2_ss() && skip("iproute2 ss is not installed")))
}

#[test]
fn netlink_sockets_as_iproute2_ss_lists_them() {
    if !live() {
        return;
    }
    let socks = netlink_sockets();
    let keys: Vec<String> = socks.iter().map(|(_, k)| k.clone()).collect();
    for opts in [
        &["-A", "netlink", "-a", "-n", "-H"][..],
        &["-A", "netlink", "-a", "-n", "-e", "-H"],
        &["-A", "netlink", "-l", "-n", "-e", "-m", "-H"],
        &["--query=netlink", "-a", "-n", "-H"],
    ] {
        let theirs_args: Vec<&str> = opts
            .iter()
            .map(|o| {
                if *o == "--query=netlink" {
                    "-Anetlink"
                } else {
                    o
                }
            })
            .collect();
        let mine = pick(&ours(opts), &keys);
        let theirs = pick(&iproute2(&theirs_args), &keys);
        // The route socket is listed twice (bound, and in groups).
        assert_eq!(mine.len(), 4, "{opts:?}: {mine:?}");
        assert_eq!(mine, theirs, "{opts:?}");
    }
    // -e: the first 32 groups, as ss prints them.
    let e = pick(
        &ours(&["-A", "netlink", "-a", "-n", "-e", "-H"]),
        &keys[..1],
    );
    assert!(
        e.iter()
            .all(|r| r.contains(&"groups=0x00000011".to_string())),
        "{e:?}"
    );
    // The connected one shows its peer, `GROUP:PORT`.
    let c = pick(&ours(&["-A", "netlink", "-a", "-n", "-H"]), &keys[2..]);
    assert!(c[0].contains(&"0:4242".to_string()), "{c:?}");
    // Names (rtnl, genl, usersock; `COMM/PID` for the port id that is this
    // process's pid, else the port id as a C int): the same words as ss.
    let pid = std::process::id();
    let stat = std::fs::read_to_string("/proc/self/stat").expect("stat");
    let comm = stat
        .split_once(" (")
        .and_then(|(_, r)| r.split(')').next())
        .unwrap_or_default()
        .to_string();
    let named: Vec<String> = socks
        .iter()
        .zip(["rtnl", "genl", "usersock"])
        .map(|((_, k), name)| {
            let port: i64 = k.split(':').nth(1).unwrap_or_default().parse().unwrap_or(0);
            if port == i64::from(pid) {
                format!("{name}:{comm}/{pid}")
            } else {
                format!("{name}:{port}")
            }
        })
        .collect();
    for opts in [
        &["-A", "netlink", "-a", "-H"][..],
        &["-A", "netlink", "-a", "-e", "-H"],
    ] {
        let mine = pick(&ours(opts), &named);
        let theirs = pick(&iproute2(opts), &named);
        assert_eq!(mine.len(), 4, "{opts:?}: {mine:?}");
        assert_eq!(mine, theirs, "{opts:?}");
    }
    // Port filters, evaluated on the port id (a C int) as ss does: the
    // kernel's sockets and the negative port ids are `<= :0`, the pid one
    // `>= :1`.
    let mut total = 0;
    for filter in [
        "sport <= :0",
        "sport >= :1",
        "( sport >= :1 or dport = :4242 )",
    ] {
        let mine = pick(&ours(&["-A", "netlink", "-a", "-n", "-H", filter]), &keys);
        let theirs = pick(
            &iproute2(&["-A", "netlink", "-a", "-n", "-H", filter]),
            &keys,
        );
        assert_eq!(mine, theirs, "{filter}");
        total += mine.len();
    }
    assert!(total >= 4, "the filters matched none of ours");
    // Without -a, -A lists connected sockets only: netlink sockets are not.
    assert!(pick(&ours(&["-A", "netlink", "-n", "-H"]), &keys).is_empty());
    // --netlink lists them like `ss -f netlink`.
    let mine = pick(&ours(&["--netlink", "-n", "-H"]), &keys);
    let theirs = pick(&iproute2(&["-f", "netlink", "-n", "-H"]), &keys);
    assert_eq!(mine, theirs);
    drop(socks);
}

#[test]
fn packet_sockets_as_iproute2_ss_lists_them() {
    if !live() {
        return;
    }
    let Some(socks) = packet_sockets() else {
        return;
    };
    let keys: Vec<String> = socks
        .iter()
        .map(|s| format!("ino:{}", inode_of(s)))
        .collect();
    for opts in [
        &["-0", "-n", "-e", "-H"][..],
        &["-0", "-e", "-H"],
        &["-0", "-e", "-m", "-H"],
        &["-A", "packet", "-a", "-n", "-e", "-H"],
        &["-A", "packet", "-l", "-e", "-H"],
    ] {
        let mine = pick(&ours(opts), &keys);
        let theirs = pick(&iproute2(opts), &keys);
        assert_eq!(mine.len(), 3, "{opts:?}: {mine:?}");
        assert_eq!(mine, theirs, "{opts:?}");
    }
    // `-A p_raw` / `-A packet_dgram`: iproute2 6.1 lists every packet
    // socket for either (its netlink path does not look at the type);
    // nlwire lists only the type asked for, each line as ss prints it.
    for (table, wanted) in [("p_raw", &keys[..1]), ("packet_dgram", &keys[1..])] {
        let opts = ["-A", table, "-a", "-n", "-e", "-H"];
        let mine = pick(&ours(&opts), &keys);
        let theirs = pick(&iproute2(&opts), wanted);
        assert_eq!(mine, theirs, "{opts:?}");
    }
    let all = pick(&ours(&["-0", "-n", "-e", "-H"]), &keys);
    assert_eq!(all.len(), 3, "{all:?}");
    // The protocols: ETH_P_ALL is `*`, ETH_P_LOOP `[96]` with -n, `loop`
    // without; none is `[0]`.
    let words: Vec<&str> = all.iter().map(|r| r[3].as_str()).collect();
    for want in ["*:*", "[96]:*", "[0]:*"] {
        assert!(words.contains(&want), "{want}: {words:?}");
    }
    // --json: one object per socket with the packet_diag_msg fields.
    let json = ours(&["-0", "--json"]);
    let ino = inode_of(&socks[0]);
    let line = json
        .lines()
        .find(|l| l.contains(&format!("\"pdiag_ino\":{ino}")))
        .unwrap_or_else(|| panic!("inode {ino} not in {json}"));
    let v: serde_json::Value = serde_json::from_str(line).expect("JSON");
    assert_eq!(v["netid"], "p_raw");
    assert!(v.get("PACKET_DIAG_INFO").is_some(), "{v}");
}

#[test]
fn netlink_json_has_the_netlink_diag_msg_fields() {
    if cannot_run() {
        return;
    }
    let socks = netlink_sockets();
    let ino = inode_of(&socks[0].0.as_fd());
    let json = ours(&["-A", "netlink", "-a", "--json"]);
    let line = json
        .lines()
        .find(|l| l.contains(&format!("\"ndiag_ino\":{ino}")))
        .unwrap_or_else(|| panic!("inode {ino} not in {json}"));
    let v: serde_json::Value = serde_json::from_str(line).expect("JSON");
    assert_eq!(v["netid"], "nl");
    let port: i32 = socks[0].1.split(':').nth(1).unwrap().parse().unwrap();
    assert_eq!(v["ndiag_portid"], port as u32);
    assert!(v.get("NETLINK_DIAG_GROUPS").is_some(), "{v}");
}

/// `-A` with a table ss does not know is a usage error naming it (exit 2,
/// nothing on stdout); a table ss knows that nlwire cannot list is one too,
/// saying so. No root needed.
#[test]
fn query_with_an_unknown_table_is_a_usage_error() {
    let o = nlwire(&["ss", "-A", "bogus"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("\"bogus\" is illegal socket table id"),
        "{}",
        stderr(&o)
    );
    let o = nlwire(&["ss", "--query=tcp,bogus2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("\"bogus2\""), "{}", stderr(&o));
    let o = nlwire(&["ss", "-A", "sctp"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("not supported"), "{}", stderr(&o));
}

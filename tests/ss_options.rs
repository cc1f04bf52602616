//! The `nlwire ss` options of issue 13 compared with iproute2 `ss` on
//! sockets the test makes: `-p` (processes), `-s` (summary), `-O`, `--tos`,
//! `--cgroup`, the `cgroup` filter keyword, `-D`, `-F`, `-M`, `-f`, `-r`.
//! Needs root, sock_diag and iproute2 `ss`: without them each test fails
//! under `CI=true` and is skipped (saying why) otherwise.

mod ss_common;

use std::os::fd::AsRawFd;
use std::process::Command;

use serde_json::Value as Json;
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

/// Lines with runs of blanks squeezed to one space (column widths differ
/// when the sets of listed sockets differ).
fn squeeze(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// Whether the live tests can run. The tests of this file run one at a
/// time (the returned guard): a process another test thread forks holds
/// copies of every descriptor until it execs, and `-p` would list it.
fn live() -> Option<std::sync::MutexGuard<'static, ()>> {
    static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let guard = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let can = !(cannot_run() || (!have_iproute2_ss() && skip("iproute2 ss is not installed")));
    can.then_some(guard)
}

/// This process's name as /proc/PID/stat has it (what ss prints).
fn own_comm() -> String {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("stat");
    let (_, rest) = stat.split_once('(').expect("(");
    rest[..rest.find(')').expect(")")].to_string()
}

/// `-p`: a listening TCP socket of the test process shows
/// `users:(("<test binary>",pid=<own pid>,fd=<fd>))`, the same line as
/// iproute2 `ss -tlnp`; a unix socket too; `--json` has the `users` array.
#[test]
fn processes_like_iproute2() {
    let Some(_serial) = live() else {
        return;
    };
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    let fd = l.as_raw_fd();
    let me = std::process::id();
    let want = format!("users:((\"{}\",pid={me},fd={fd}))", own_comm());
    let filter = format!("sport = :{port}");
    for opts in ["-tlnpH", "-tlnpHe", "-tlnpHo"] {
        let mine = squeeze(&ours(&[opts, &filter]));
        let theirs = squeeze(&iproute2(&[opts, &filter]));
        assert_eq!(mine.len(), 1, "{opts}: {mine:?}");
        assert!(mine[0].contains(&want), "{opts}: {mine:?} lacks {want}");
        // With -e: `users:` before `ino:`, `sk:`, `cgroup:` as ss has it.
        assert_eq!(mine, theirs, "{opts}");
    }
    // The long name, and the option is visible in --help.
    assert_eq!(
        squeeze(&ours(&["-tlnH", "--processes", &filter])),
        squeeze(&iproute2(&["-tlnHp", &filter]))
    );
    let help = stdout(&nlwire(&["ss", "--help"]));
    assert!(help.contains("--processes"), "{help}");

    // A unix socket: the same users text as ss.
    let set = unix_set("proc");
    let ino = inode_of(&set.path_listener);
    // (iproute2 ss 6.1 filters unix sockets by path, not by inode: pick
    // the line by its inode.)
    let pick = |text: &str| -> Vec<String> {
        squeeze(text)
            .into_iter()
            .filter(|l| l.contains(&format!(" {ino} ")))
            .collect()
    };
    let mine = pick(&ours(&["-xlpH"]));
    let theirs = pick(&iproute2(&["-xlpH"]));
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert!(
        mine[0].contains(&format!(
            "users:((\"{}\",pid={me},fd={}))",
            own_comm(),
            set.path_listener.as_raw_fd()
        )),
        "{mine:?}"
    );
    assert_eq!(mine, theirs);

    // --json: a `users` array of objects.
    let out = ours(&["-tlnp", "--json", &filter]);
    let v: Json = serde_json::from_str(out.lines().next().expect("a line")).expect("json");
    assert_eq!(
        v["users"],
        serde_json::json!([{"comm": own_comm(), "pid": me, "fd": fd}]),
        "{v}"
    );
    drop(l);
}

/// Run `f` on a thread of its own in a new network namespace (children it
/// spawns are in it too), loopback up. `None` (after saying why) if the
/// namespace cannot be made.
fn in_new_netns<T: Send>(f: impl FnOnce() -> T + Send) -> Option<T> {
    std::thread::scope(|s| {
        s.spawn(|| {
            if let Err(e) = nix::sched::unshare(nix::sched::CloneFlags::CLONE_NEWNET) {
                skip(&format!("cannot unshare(CLONE_NEWNET): {e}"));
                return None;
            }
            let up = Command::new("ip")
                .args(["link", "set", "lo", "up"])
                .output();
            if !up.is_ok_and(|o| o.status.success()) {
                skip("cannot bring lo up in the new namespace (`ip` missing?)");
                return None;
            }
            Some(f())
        })
        .join()
        .expect("namespace thread")
    })
}

/// The numbers of a summary line, in order.
fn numbers(line: &str) -> Vec<i64> {
    line.split(|c: char| !c.is_ascii_digit() && c != '-')
        .filter_map(|w| w.parse().ok())
        .collect()
}

/// `-s`: in a fresh network namespace (so no other process's sockets move
/// the counts between the two runs) with TCP listeners (v4, v6),
/// established, CLOSE-WAIT, FIN-WAIT-2 and TIME-WAIT connections, UDP
/// sockets (v4, v6) and a raw socket, `nlwire ss -s` prints what iproute2
/// `ss -s` prints: the same layout and the same numbers, except the TCP
/// total, `closed` and `orphaned`, which come from kernel-wide counters
/// (`TCP: alloc`, `orphan` of /proc/net/sockstat are not per namespace) that
/// other processes move between the runs: those are only checked to be
/// present and consistent.
#[test]
fn summary_like_iproute2() {
    let Some(_serial) = live() else {
        return;
    };
    let got = in_new_netns(|| {
        use std::net::{Shutdown, TcpListener, TcpStream, UdpSocket};
        let l4 = TcpListener::bind("127.0.0.1:0").expect("bind");
        let _l6 = TcpListener::bind("[::1]:0").expect("bind v6");
        // Established (both ends count as estab).
        let _c1 = TcpStream::connect(l4.local_addr().unwrap()).unwrap();
        let (_s1, _) = l4.accept().unwrap();
        // Client closes, server does not: FIN-WAIT-2 / CLOSE-WAIT.
        let c2 = TcpStream::connect(l4.local_addr().unwrap()).unwrap();
        let (_s2, _) = l4.accept().unwrap();
        c2.shutdown(Shutdown::Both).unwrap();
        // Both closed, the client first: TIME-WAIT.
        let c3 = TcpStream::connect(l4.local_addr().unwrap()).unwrap();
        let (s3, _) = l4.accept().unwrap();
        c3.shutdown(Shutdown::Both).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(50));
        drop(s3);
        drop(c3);
        let _u4 = UdpSocket::bind("127.0.0.1:0").unwrap();
        let _u6 = UdpSocket::bind("[::1]:0").unwrap();
        let _raw = nix::sys::socket::socket(
            nix::sys::socket::AddressFamily::Inet,
            nix::sys::socket::SockType::Raw,
            nix::sys::socket::SockFlag::empty(),
            nix::sys::socket::SockProtocol::Icmp,
        )
        .expect("raw socket");
        std::thread::sleep(std::time::Duration::from_millis(100));
        // iproute2 first: it opens no socket for -s, while the netlink
        // socket of a finished `nlwire ss` is freed after an RCU grace
        // period and may still count in `sockets: used` just after.
        let theirs = iproute2(&["-s"]);
        (ours(&["-s"]), theirs, ours(&["-s", "--json"]))
    });
    let Some((mine, theirs, json)) = got else {
        return;
    };
    let (m, t): (Vec<&str>, Vec<&str>) = (mine.lines().collect(), theirs.lines().collect());
    assert_eq!(m.len(), t.len(), "{mine}\n---\n{theirs}");
    for (a, b) in m.iter().zip(&t) {
        if a.starts_with("TCP:") {
            // TCP:   ALLOC (estab E, closed C, orphaned O, timewait W)
            let (na, nb) = (numbers(a), numbers(b));
            assert_eq!(na.len(), 5, "{a}");
            assert_eq!((na[1], na[4]), (nb[1], nb[4]), "estab, timewait: {a} / {b}");
            assert_eq!(na[1], 3, "two established ends and one CLOSE-WAIT: {a}");
            assert_eq!(na[4], 1, "one TIME-WAIT: {a}");
        } else {
            assert_eq!(a, b, "{mine}\n---\n{theirs}");
        }
    }
    // Listener, 2 established, FIN-WAIT-2, CLOSE-WAIT; the v6 listener.
    assert!(
        mine.contains("TCP\t  6         5         1        \n"),
        "{mine}"
    );
    assert!(
        mine.contains("UDP\t  2         1         1        \n"),
        "{mine}"
    );
    assert!(
        mine.contains("RAW\t  1         1         0        \n"),
        "{mine}"
    );
    let v: Json = serde_json::from_str(json.trim()).expect("json");
    assert_eq!(v["tcp"]["estab"], 3, "{v}");
    assert_eq!(v["udp"]["ipv6"], 1, "{v}");
}

/// `-O`: the `-e -m` extras of a listener on one line, as iproute2 `ss -O`
/// prints them (the listener's skmem does not move between the runs); and
/// `-p` with `-O`.
#[test]
fn oneline_like_iproute2() {
    let Some(_serial) = live() else {
        return;
    };
    let set = tcp_set("127.0.0.1", 3);
    let filter = format!("sport = :{}", set.port);
    for opts in ["-tlnHemO", "-tlnHmO", "-tlnHpO", "-tlnHeO"] {
        let mine = squeeze(&ours(&[opts, &filter]));
        let theirs = squeeze(&iproute2(&[opts, &filter]));
        assert_eq!(mine.len(), 1, "{opts}: one line: {mine:?}");
        assert_eq!(mine, theirs, "{opts}");
    }
    // Without -O, -m puts skmem on a second line; --oneline is the long name.
    assert_eq!(ours(&["-tlnHm", &filter]).lines().count(), 2);
    assert_eq!(ours(&["-tlnHm", "--oneline", &filter]).lines().count(), 1);
}

/// `--tos` (`tos:`, `tclass:` for IPv6, `class_id:`) and `--cgroup`
/// (`cgroup:PATH`) on v4 and v6 sockets, line for line as iproute2 prints
/// them.
#[test]
fn tos_and_cgroup_like_iproute2() {
    let Some(_serial) = live() else {
        return;
    };
    let v4 = tcp_set("127.0.0.1", 2);
    let v6 = tcp_set("::1", 2);
    let filter = port_filter(&[v4.port, v6.port]);
    for opts in [
        &["-tanH", "--tos"][..],
        &["-tanH", "--cgroup"],
        &["-tanH", "--tos", "--cgroup", "-e"],
    ] {
        let mut args = opts.to_vec();
        args.push(&filter);
        let mut mine = squeeze(&ours(&args));
        let mut theirs = squeeze(&iproute2(&args));
        mine.sort();
        theirs.sort();
        assert_eq!(mine.len(), 6, "{opts:?}: {mine:?}");
        assert_eq!(mine, theirs, "{opts:?}");
        if opts.contains(&"--tos") {
            assert!(mine.iter().all(|l| l.contains(" tos:")), "{mine:?}");
            assert!(mine.iter().any(|l| l.contains(" tclass:")), "{mine:?}");
        }
        if opts.contains(&"--cgroup") {
            assert!(mine.iter().all(|l| l.contains(" cgroup:/")), "{mine:?}");
        }
    }
}

/// The `cgroup PATH` filter keyword (`INET_DIAG_BC_CGROUP_COND`): the
/// test's own cgroup (from /proc/self/cgroup) selects its listener, `!=`
/// leaves it out, as with iproute2 given the full path under the cgroup2
/// mount (iproute2 6.1 reads any other absolute path as a file system
/// path); the path relative to the mount, as `--cgroup` prints it, selects
/// the same; an unknown cgroup is a usage error.
#[test]
fn cgroup_filter_like_iproute2() {
    let Some(_serial) = live() else {
        return;
    };
    let cg = std::fs::read_to_string("/proc/self/cgroup").unwrap_or_default();
    let Some(path) = cg.lines().find_map(|l| l.strip_prefix("0::")) else {
        skip("no cgroup v2 entry in /proc/self/cgroup");
        return;
    };
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    let Some(mount) = mounts.lines().find_map(|l| {
        let w: Vec<&str> = l.split_whitespace().collect();
        (w.get(2) == Some(&"cgroup2")).then(|| w[1].to_string())
    }) else {
        skip("no cgroup2 mount");
        return;
    };
    let full = format!("{mount}{}", if path == "/" { "" } else { path });
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    for (f, n) in [
        (format!("cgroup {full} and sport = :{port}"), 1),
        (format!("cgroup = {full} and sport = :{port}"), 1),
        (format!("cgroup != {full} and sport = :{port}"), 0),
    ] {
        let mine = squeeze(&ours(&["-tlnH", &f]));
        let theirs = squeeze(&iproute2(&["-tlnH", &f]));
        assert_eq!(mine.len(), n, "{f}: {mine:?}");
        assert_eq!(mine, theirs, "{f}");
    }
    let rel = squeeze(&ours(&[
        "-tlnH",
        &format!("cgroup {path} and sport = :{port}"),
    ]));
    assert_eq!(rel.len(), 1, "{path}: {rel:?}");
    let o = nlwire(&["ss", "-tln", "cgroup /no/such/cgroup"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("cannot find cgroup2 directory"));
}

/// `(family, state, sport, dport, src, dst, cookie)` of a reply.
type DiagId = (u8, u8, u16, u16, Vec<u8>, Vec<u8>, Vec<u8>);

/// The [`DiagId`] of each `SOCK_DIAG_BY_FAMILY` reply in a `-D` file
/// (`NLMSG_DONE` skipped).
fn diag_file_sockets(bytes: &[u8]) -> Vec<DiagId> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 16 <= bytes.len() {
        let len = u32::from_ne_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
        let ty = u16::from_ne_bytes(bytes[i + 4..i + 6].try_into().unwrap());
        assert!(
            len >= 16 && i + len <= bytes.len(),
            "bad nlmsg_len {len} at {i}"
        );
        if ty == 20 {
            let m = &bytes[i + 16..i + len];
            out.push((
                m[0],
                m[1],
                u16::from_be_bytes([m[4], m[5]]),
                u16::from_be_bytes([m[6], m[7]]),
                m[8..24].to_vec(),
                m[24..40].to_vec(),
                m[44..52].to_vec(),
            ));
        }
        i += (len + 3) & !3;
    }
    out
}

/// `-D FILE`: the raw TCP replies, the same sockets (identity, state,
/// cookie) as iproute2's `-D` file; `-D -` writes them to stdout; without
/// TCP it is refused. (iproute2 6.1 ignores the filter with -D: its file
/// is narrowed to the test's ports before comparing.)
#[test]
fn diag_file_like_iproute2() {
    let Some(_serial) = live() else {
        return;
    };
    let set = tcp_set("127.0.0.1", 1);
    let v6 = tcp_set("::1", 1);
    let filter = port_filter(&[set.port, v6.port]);
    let dir = std::env::temp_dir();
    let (mine_f, theirs_f) = (
        dir.join(format!("nlwire-ss-D-{}.bin", std::process::id())),
        dir.join(format!("iproute2-ss-D-{}.bin", std::process::id())),
    );
    ours(&["-ta", "-D", mine_f.to_str().unwrap(), &filter]);
    iproute2(&["-ta", "-D", theirs_f.to_str().unwrap(), &filter]);
    let mine = diag_file_sockets(&std::fs::read(&mine_f).unwrap());
    let ports = [set.port, v6.port];
    let mut theirs: Vec<_> = diag_file_sockets(&std::fs::read(&theirs_f).unwrap())
        .into_iter()
        .filter(|s| ports.contains(&s.2) || ports.contains(&s.3))
        .collect();
    let _ = std::fs::remove_file(&mine_f);
    let _ = std::fs::remove_file(&theirs_f);
    let mut sorted = mine.clone();
    sorted.sort();
    theirs.sort();
    assert_eq!(
        mine.len(),
        6,
        "two listeners, four connection ends: {mine:?}"
    );
    assert_eq!(sorted, theirs);
    // AF_INET before AF_INET6, as the kernel answered the two dumps.
    assert!(mine[..3].iter().all(|s| s.0 == 2) && mine[3..].iter().all(|s| s.0 == 10));
    // `-D -`: the same bytes on stdout, nothing else.
    let o = nlwire(&["ss", "-ta", "-D", "-", &filter]);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut again = diag_file_sockets(&o.stdout);
    again.sort();
    assert_eq!(again, sorted);
    let o = nlwire(&["ss", "-u", "-D", "-"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no tcp"), "{}", stderr(&o));
}

/// `-F FILE`: the filter from a file (comments and blank lines left out,
/// lines joined), the same lines as iproute2 `ss -F`; `-F -` reads stdin.
#[test]
fn filter_file_like_iproute2() {
    let Some(_serial) = live() else {
        return;
    };
    let set = tcp_set("127.0.0.1", 1);
    let other = tcp_set("127.0.0.1", 1);
    let path = std::env::temp_dir().join(format!("nlwire-ss-F-{}.txt", std::process::id()));
    std::fs::write(
        &path,
        format!(
            "# our ports\nsport = :{p}\n\n  or dport = :{p}\n",
            p = set.port
        ),
    )
    .unwrap();
    let f = path.to_str().unwrap();
    let mut mine = squeeze(&ours(&["-tanH", "-F", f]));
    let mut theirs = squeeze(&iproute2(&["-tanH", "-F", f]));
    mine.sort();
    theirs.sort();
    assert_eq!(mine.len(), 3, "{mine:?}");
    assert!(!mine
        .iter()
        .any(|l| l.contains(&format!(":{} ", other.port))));
    assert_eq!(mine, theirs);
    let mut child = Command::new(env!("CARGO_BIN_EXE_nlwire"))
        .args(["ss", "-tanH", "--filter=-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(&path).unwrap())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let mut stdin_lines = squeeze(&stdout(&o));
    stdin_lines.sort();
    assert_eq!(stdin_lines, mine);
    let o = nlwire(&["ss", "-tan", "-F", f, "sport = :1"]);
    assert_eq!(o.status.code(), Some(2));
    let _ = std::fs::remove_file(&path);
}

/// `-f inet`, `-f inet6`, `-f unix` (and `-t -f inet6`) list what iproute2
/// lists with the same options; an unknown family is refused. (Not
/// compared: `-f inet -f inet6` with a port filter, where iproute2 6.1
/// parses `sport = :P` for the last family given only — its
/// `preferred_family` — and so drops the IPv4 sockets; here both are
/// listed.)
#[test]
fn family_like_iproute2() {
    let Some(_serial) = live() else {
        return;
    };
    let v4 = tcp_set("127.0.0.1", 1);
    let v6 = tcp_set("::1", 1);
    let (_u4, p4) = udp_with_datagram("127.0.0.1");
    let (_u6, p6) = udp_with_datagram("::1");
    let filter = port_filter(&[v4.port, v6.port, p4, p6]);
    for opts in [
        &["-anH", "-f", "inet"][..],
        &["-anH", "-f", "inet6"],
        &["-tanH", "--family=inet6"],
        &["-uanH", "-f", "inet"],
    ] {
        let mut args = opts.to_vec();
        args.push(&filter);
        let mut mine = squeeze(&ours(&args));
        let mut theirs = squeeze(&iproute2(&args));
        mine.sort();
        theirs.sort();
        assert!(!mine.is_empty(), "{opts:?}");
        assert_eq!(mine, theirs, "{opts:?}");
    }
    let set = unix_set("family");
    let ino = inode_of(&set.path_listener).to_string();
    let pick = |text: &str| -> Vec<String> {
        squeeze(text)
            .into_iter()
            .filter(|l| l.split(' ').any(|w| w == ino))
            .collect()
    };
    let mine = pick(&ours(&["-f", "unix", "-aH"]));
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine, pick(&iproute2(&["-f", "unix", "-aH"])));
    let o = nlwire(&["ss", "-f", "bogus"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("\"bogus\" is invalid family"));
}

/// `-M`: MPTCP sockets (a listener and a connection made by a python3
/// child, as std cannot open `IPPROTO_MPTCP` sockets), with `-i`'s
/// `mptcp_info` and `-e`, as iproute2 lists them; `-A mptcp` the same.
#[test]
fn mptcp_like_iproute2() {
    let Some(_serial) = live() else {
        return;
    };
    if std::fs::read_to_string("/proc/sys/net/mptcp/enabled").map_or(true, |v| v.trim() != "1") {
        skip("MPTCP is not enabled (net.mptcp.enabled)");
        return;
    }
    let script = "import socket,sys\n\
        s=socket.socket(socket.AF_INET,socket.SOCK_STREAM,262)\n\
        s.bind(('127.0.0.1',0));s.listen()\n\
        c=socket.socket(socket.AF_INET,socket.SOCK_STREAM,262)\n\
        c.connect(s.getsockname());a,_=s.accept();c.send(b'hello')\n\
        print(s.getsockname()[1],flush=True)\n\
        sys.stdin.read()\n";
    let child = Command::new("python3")
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        skip("python3 is needed to open MPTCP sockets");
        return;
    };
    let mut line = String::new();
    use std::io::BufRead as _;
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let Ok(port) = line.trim().parse::<u16>() else {
        let _ = child.kill();
        let _ = child.wait();
        skip(&format!("the python3 MPTCP helper failed: {line:?}"));
        return;
    };
    std::thread::sleep(std::time::Duration::from_millis(100));
    let filter = format!("sport = :{port} or dport = :{port}");
    for opts in [
        &["-ManH"][..],
        &["-ManiH"],
        &["-ManeH"],
        &["-MnH"],
        &["-A", "mptcp", "-anH"],
    ] {
        let mut args = opts.to_vec();
        args.push(&filter);
        let mine = squeeze(&ours(&args));
        let theirs = squeeze(&iproute2(&args));
        assert!(!mine.is_empty(), "{opts:?}");
        assert_eq!(mine, theirs, "{opts:?}");
    }
    let info = ours(&["-Mani", &filter]);
    assert!(info.contains(" token:"), "{info}");
    // The same connection is not in the TCP table under this name.
    drop(child.stdin.take());
    let _ = child.wait();
}

/// `-r`: addresses are printed by the names the C library's resolver gives
/// them, as iproute2 prints them (`localhost:PORT`); unspecified addresses
/// stay numeric. Both ask the same NSS sources, so the listings are equal
/// for 127.0.0.1 and ::1 whether or not /etc/hosts names them.
#[test]
fn resolve_like_iproute2() {
    let Some(_serial) = live() else {
        return;
    };
    let v4 = tcp_set("127.0.0.1", 1);
    let v6 = tcp_set("::1", 1);
    for (set, addr) in [(&v4, "127.0.0.1"), (&v6, "::1")] {
        let filter = port_filter(&[set.port]);
        let mut mine = squeeze(&ours(&["-tanrH", &filter]));
        mine.sort();
        assert_eq!(mine.len(), 3, "{mine:?}");
        let mut theirs = squeeze(&iproute2(&["-tanrH", &filter]));
        theirs.sort();
        assert_eq!(mine, theirs, "{addr}");
    }
}

//! `nlwire ss -N NAME` / `--net`, `--all-namespaces` and `-E` against the
//! live kernel, in a network namespace made by the test (`ip netns add`,
//! deleted on drop) with sockets made inside it by the test: `-N` is
//! compared with iproute2 `ip netns exec NAME ss -tan`, and `-E` must
//! report a TCP connection closed during the run (and not one its filter
//! excludes).

mod live_common;
mod ss_common;

use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use live_common::Netns;
use ss_common::{cannot_run, have_iproute2_ss, nlwire, skip, stderr, stdout};

/// Sockets made inside `ns`: a listener on 127.0.0.1 with one accepted
/// connection, and a listener on ::1.
struct Made {
    _keep: Vec<Box<dyn Send>>,
    port: u16,
    port6: u16,
}

fn make_sockets(ns: &Netns) -> Made {
    ns.ip("link set lo up");
    ns.enter(|| {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let c = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let (a, _) = l.accept().unwrap();
        let l6 = TcpListener::bind("[::1]:0").unwrap();
        let port6 = l6.local_addr().unwrap().port();
        Made {
            _keep: vec![Box::new(l), Box::new(c), Box::new(a), Box::new(l6)],
            port,
            port6,
        }
    })
}

/// `State Recv-Q Send-Q Local Peer` rows of `ss -tan`-style text, sorted.
fn rows(text: &str) -> Vec<Vec<String>> {
    let mut v: Vec<Vec<String>> = text
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().take(5).map(str::to_owned).collect())
        .filter(|r: &Vec<String>| r.len() == 5)
        .collect();
    v.sort();
    v
}

/// What every test here needs: root and a working `nlwire ss`
/// ([`cannot_run`]), iproute2 `ss` when the test compares with it
/// (`with_ss`), and a namespace of its own. `None` (after a printed reason,
/// or a failure under `CI=true`) when one is missing.
fn namespace(with_ss: bool) -> Option<Netns> {
    if cannot_run() {
        return None;
    }
    if with_ss && !have_iproute2_ss() {
        skip("iproute2 ss is not installed");
        return None;
    }
    Netns::new()
}

#[test]
fn ss_net_lists_the_namespace_as_iproute2_does_there() {
    let Some(ns) = namespace(true) else { return };
    let made = make_sockets(&ns);
    let ours = nlwire(&["ss", "-tan", "-N", &ns.name]);
    assert!(ours.status.success(), "{}", stderr(&ours));
    let theirs = Command::new("ip")
        .args(["netns", "exec", &ns.name, "ss", "-tan"])
        .output()
        .unwrap();
    assert!(theirs.status.success());
    let (a, b) = (
        rows(&stdout(&ours)),
        rows(&String::from_utf8_lossy(&theirs.stdout)),
    );
    assert_eq!(a, b, "nlwire ss -N:\n{}", stdout(&ours));
    // Four sockets, and they are the namespace's own.
    assert_eq!(a.len(), 4, "{a:?}");
    let text = stdout(&ours);
    assert!(text.contains(&format!("127.0.0.1:{}", made.port)), "{text}");
    assert!(text.contains(&format!("[::1]:{}", made.port6)), "{text}");

    // --net=PATH names the same namespace by its file.
    let by_path = nlwire(&["ss", "-tan", &format!("--net=/var/run/netns/{}", ns.name)]);
    assert_eq!(rows(&stdout(&by_path)), a);

    // An unknown name is an error naming it, exit 1.
    let bad = nlwire(&["ss", "-tan", "-N", "nlwire-no-such-netns"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        stderr(&bad).contains("nlwire-no-such-netns"),
        "{}",
        stderr(&bad)
    );
}

/// The numbers of a line of `ss -s` (`TCP:   4 (estab 2, closed 0, …)`).
fn numbers(line: &str) -> Vec<u64> {
    line.split(|c: char| !c.is_ascii_digit())
        .filter_map(|w| w.parse().ok())
        .collect()
}

/// `-s -N NAME` summarises the namespace, sockstat numbers included, as
/// `ip netns exec NAME ss -s` does (it used to read the caller's
/// /proc/net/sockstat and dump the caller's sockets).
#[test]
fn summary_with_net_is_the_namespace_summary() {
    let Some(ns) = namespace(true) else { return };
    let _made = make_sockets(&ns);
    // A socket here, in the caller's namespace, that must not count.
    let _here = TcpListener::bind("127.0.0.1:0").unwrap();
    std::thread::sleep(Duration::from_millis(50));
    // iproute2 first: nlwire reads sockstat before it opens its socket.
    let theirs = Command::new("ip")
        .args(["netns", "exec", &ns.name, "ss", "-s"])
        .output()
        .unwrap();
    assert!(theirs.status.success());
    let ours = nlwire(&["ss", "-s", "-N", &ns.name]);
    assert!(ours.status.success(), "{}", stderr(&ours));
    let (mine, theirs) = (
        stdout(&ours),
        String::from_utf8_lossy(&theirs.stdout).into_owned(),
    );
    let (m, t): (Vec<&str>, Vec<&str>) = (mine.lines().collect(), theirs.lines().collect());
    assert_eq!(m.len(), t.len(), "{mine}\n---\n{theirs}");
    for (a, b) in m.iter().zip(&t) {
        if a.starts_with("TCP:") {
            // TCP:   ALLOC (estab E, closed C, orphaned O, timewait W); the
            // allocation count is the kernel's, for every namespace.
            let (na, nb) = (numbers(a), numbers(b));
            assert_eq!(na.get(1..), nb.get(1..), "{a} / {b}");
            assert_eq!(na.get(1), Some(&2), "one connection, two estab ends: {a}");
        } else {
            assert_eq!(a, b, "{mine}\n---\n{theirs}");
        }
    }
    // Two listeners and two established ends, one of them over IPv6.
    assert!(mine.contains("TCP\t  4         3         1"), "{mine}");
}

/// `-N`: interface names are the namespace's. A veth link made there
/// (whose index names another interface, or none, here) carries an IPv6
/// link-local listener: its address shows `%NAME` as `ip netns exec NAME
/// ss` shows it, and the filter `dev = NAME` finds it (both used to look
/// the name up in this namespace's /sys/class/net).
#[test]
fn net_names_interfaces_of_the_namespace() {
    let Some(ns) = namespace(true) else { return };
    ns.ip("link set lo up");
    ns.ip("link add nlwdum0 type veth peer name nlwdum1");
    ns.ip("link set nlwdum1 up");
    ns.ip("link set nlwdum0 up");
    ns.ip("-6 addr add fe80::4e:1/64 dev nlwdum0 nodad");
    let link = ns.ip_json("link show dev nlwdum0");
    let index = link[0]["ifindex"].as_u64().expect("ifindex") as u32;
    let l = ns.enter(|| {
        let a = std::net::SocketAddrV6::new("fe80::4e:1".parse().unwrap(), 0, 0, index);
        TcpListener::bind(a).expect("bind fe80::4e:1%nlwdum0")
    });
    let port = l.local_addr().unwrap().port();
    let filter = format!("sport = :{port}");
    let theirs = Command::new("ip")
        .args(["netns", "exec", &ns.name, "ss", "-tln", &filter])
        .output()
        .unwrap();
    assert!(theirs.status.success());
    let ours = nlwire(&["ss", "-tln", "-N", &ns.name, &filter]);
    assert!(ours.status.success(), "{}", stderr(&ours));
    let want = format!("[fe80::4e:1]%nlwdum0:{port}");
    let theirs = String::from_utf8_lossy(&theirs.stdout).into_owned();
    assert!(theirs.contains(&want), "{theirs}");
    assert_eq!(rows(&stdout(&ours)), rows(&theirs), "{}", stdout(&ours));
    let by_dev = nlwire(&["ss", "-tln", "-N", &ns.name, "dev", "=", "nlwdum0"]);
    assert!(by_dev.status.success(), "{}", stderr(&by_dev));
    assert!(stdout(&by_dev).contains(&want), "{}", stdout(&by_dev));
    drop(l);
}

#[test]
fn all_namespaces_labels_each_socket_with_its_namespace() {
    let Some(ns) = namespace(false) else { return };
    let made = make_sockets(&ns);
    let filter = format!("sport = :{}", made.port);
    let o = nlwire(&["ss", "-tan", "--all-namespaces", "--json", &filter]);
    assert!(o.status.success(), "{}", stderr(&o));
    let objs: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(objs.iter().all(|v| v.get("netns").is_some()), "{objs:?}");
    let mine: Vec<_> = objs
        .iter()
        .filter(|v| v["netns"] == ns.name.as_str())
        .collect();
    // The listener and the accepted connection, both local port `port`.
    assert_eq!(mine.len(), 2, "{objs:?}");
    assert!(mine.iter().all(|v| v["idiag_sport"] == made.port));

    let o = nlwire(&["ss", "-tan", "--all-namespaces", &filter]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let head = format!("netns {}:", ns.name);
    let at = text
        .find(&head)
        .unwrap_or_else(|| panic!("no `{head}` line:\n{text}"));
    // After the `netns NAME:` line: ss's header, then the rows.
    let section: String = text[at + head.len()..]
        .lines()
        .skip(2)
        .take_while(|l| !l.starts_with("netns "))
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(rows(&format!("header\n{section}")).len(), 2, "{text}");

    // --record and -D keep every namespace's dump in the one file each
    // (they used to hold only the last namespace's).
    let dir = std::env::temp_dir().join(format!("nlwire-allns-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (pcap, diag) = (dir.join("all.pcap"), dir.join("all.diag"));
    let here = TcpListener::bind("127.0.0.1:0").unwrap();
    let both = format!(
        "( sport = :{} or sport = :{} )",
        made.port,
        here.local_addr().unwrap().port()
    );
    let o = nlwire(&[
        "ss",
        "-tan",
        "--all-namespaces",
        "--record",
        pcap.to_str().unwrap(),
        "-D",
        diag.to_str().unwrap(),
        &both,
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let decoded = nlwire(&["decode", "--json", pcap.to_str().unwrap()]);
    assert!(decoded.status.success(), "{}", stderr(&decoded));
    let json = stdout(&decoded);
    for port in [made.port, here.local_addr().unwrap().port()] {
        assert!(
            json.contains(&format!("\"idiag_sport\":{port}")),
            "port {port} not in the recorded dump"
        );
    }
    // -D: the listener and the connection there, the listener here: three
    // inet_diag replies of the same length, one after the other.
    let raw = std::fs::read(&diag).unwrap();
    let first = u32::from_ne_bytes(raw[..4].try_into().unwrap()) as usize;
    assert_eq!(raw.len(), 3 * first, "{} bytes of -D", raw.len());
    drop(here);
    let _ = std::fs::remove_dir_all(&dir);

    // -N with --all-namespaces is a usage error.
    let o = nlwire(&["ss", "--all-namespaces", "-N", &ns.name]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn events_report_a_connection_closed_during_the_run() {
    let Some(ns) = namespace(false) else { return };
    ns.ip("link set lo up");
    let (wanted, other) = ns.enter(|| {
        let a = TcpListener::bind("127.0.0.1:0").unwrap();
        let b = TcpListener::bind("127.0.0.1:0").unwrap();
        (a, b)
    });
    let (wport, oport) = (
        wanted.local_addr().unwrap().port(),
        other.local_addr().unwrap().port(),
    );
    let filter = format!("sport = :{wport} or dport = :{wport}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_nlwire"))
        .args(["ss", "-E", "-tn", "--json", "-N", &ns.name, &filter])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    // One connection on each listener, closed; the filter keeps `wanted`'s.
    let close_one = |l: &TcpListener, port: u16| {
        ns.enter(|| {
            let c = TcpStream::connect(("127.0.0.1", port)).unwrap();
            let (a, _) = l.accept().unwrap();
            let cport = c.local_addr().unwrap().port();
            drop((c, a));
            cport
        })
    };
    // The child may not have joined the groups yet: try a few times.
    let mut events = Vec::new();
    let mut got = None;
    for _ in 0..10 {
        close_one(&other, oport);
        let cport = close_one(&wanted, wport);
        let until = Instant::now() + Duration::from_millis(1000);
        while let Ok(line) = rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            events.push(v.clone());
            if v["idiag_sport"] == cport && v["idiag_dport"] == wport {
                got = Some(v);
            }
        }
        if got.is_some() {
            break;
        }
        if child.try_wait().unwrap().is_some() {
            break;
        }
    }
    let _ = child.kill();
    let status = child.wait().unwrap();
    let mut err = String::new();
    let _ = std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err);
    let v = got.unwrap_or_else(|| {
        panic!("no event for the closed connection ({status}): {err}\n{events:?}")
    });
    assert_eq!(v["netid"], "tcp");
    assert_eq!(v["idiag_state"]["name"], "TCP_CLOSE", "{v}");
    // Every event printed passed the filter.
    for e in &events {
        assert!(
            e["idiag_sport"] == wport || e["idiag_dport"] == wport,
            "an event the filter excludes was printed: {e}"
        );
        assert_ne!(e["idiag_sport"], oport);
    }
}

//! Differential test: iproute2 `ss` and `nlwire ss` on the same sockets
//! (made by the test) must list the same set, with the same ports, states,
//! queues, and for unix sockets the same names, inodes and peers; and the
//! `-i`, `-m`, `-o`, `-e` text of connections that carried traffic, word by
//! word. Needs
//! root, sock_diag and iproute2 `ss`: without them it fails under `CI=true`
//! and is skipped otherwise.

mod ss_common;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::time::Duration;

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

#[test]
fn same_inet_sockets_as_iproute2_ss() {
    if cannot_run() || (!have_iproute2_ss() && skip("iproute2 ss is not installed")) {
        return;
    }
    let v4 = tcp_set("127.0.0.1", 9);
    let v6 = tcp_set("::1", 4);
    let (_u4, p4) = udp_with_datagram("127.0.0.1");
    let (_u6, p6) = udp_with_datagram("::1");
    let filter = port_filter(&[v4.port, v6.port, p4, p6]);
    for opts in ["-tuanH", "-tuaH", "-tunH", "-tlnH", "-ulnH"] {
        // -n off: service names; our ports are ephemeral, so both print
        // numbers unless /etc/services names one (then both name it).
        let theirs: BTreeSet<Line> = parse_lines(&add_netid(&iproute2(&[opts, &filter]), opts))
            .into_iter()
            .collect();
        let mine: BTreeSet<Line> = parse_lines(&add_netid(&ours(&[opts, &filter]), opts))
            .into_iter()
            .collect();
        assert!(!mine.is_empty(), "{opts}: nothing listed");
        assert_eq!(mine, theirs, "{opts}");
    }
    // With the header: the same header words.
    let head = |s: &str| {
        s.lines()
            .next()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        head(&ours(&["-tuan", &filter])),
        head(&iproute2(&["-tuan", &filter]))
    );
    assert_eq!(
        head(&ours(&["-tln", &filter])),
        head(&iproute2(&["-tln", &filter]))
    );
}

/// `ss` drops the Netid column when one kind is listed and the State column
/// when one state is: put placeholders back so [`parse_lines`] can read
/// every line the same way.
fn add_netid(text: &str, opts: &str) -> String {
    let kinds = ["t", "u", "x", "w"]
        .iter()
        .filter(|k| opts.contains(*k))
        .count();
    text.lines()
        .map(|l| {
            if kinds == 1 && !l.starts_with('\t') {
                format!("- {l}")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn same_unix_sockets_as_iproute2_ss() {
    if cannot_run() || (!have_iproute2_ss() && skip("iproute2 ss is not installed")) {
        return;
    }
    let u = unix_set("diff");
    let ours_inodes: BTreeSet<String> = [
        inode_of(&u.path_listener),
        inode_of(&u.abstract_listener),
        inode_of(&u.client),
        inode_of(&u.server),
    ]
    .iter()
    .map(u64::to_string)
    .collect();
    let pick = |text: &str| -> BTreeSet<Line> {
        parse_lines(text)
            .into_iter()
            .filter(|l| {
                l.local
                    .rsplit(' ')
                    .next()
                    .is_some_and(|ino| ours_inodes.contains(ino))
            })
            .collect()
    };
    for opts in ["-xanH", "-xaH", "-xlH", "-xH"] {
        let theirs = pick(&iproute2(&[opts]));
        let mine = pick(&ours(&[opts]));
        assert!(!mine.is_empty(), "{opts}: none of ours listed");
        assert_eq!(mine, theirs, "{opts}");
    }
    // Both lists together with TCP: same lines for our unix sockets.
    let theirs = pick(&iproute2(&["-tuxanH"]));
    let mine = pick(&ours(&["-tuxanH"]));
    assert_eq!(mine.len(), 4);
    assert_eq!(mine, theirs);
}

#[test]
fn same_extras_as_iproute2_ss() {
    if cannot_run() || (!have_iproute2_ss() && skip("iproute2 ss is not installed")) {
        return;
    }
    let v4 = tcp_set("127.0.0.1", 3);
    let filter = port_filter(&[v4.port]);
    // -e: everything after the columns is identical (uid, ino, sk, cgroup,
    // shutdown); -m: the skmem line of the listener (it does not move).
    let words = |s: &str| -> BTreeSet<String> {
        s.split_whitespace()
            .filter(|w| {
                w.starts_with("ino:")
                    || w.starts_with("sk:")
                    || w.starts_with("cgroup:")
                    || *w == "<->"
            })
            .map(str::to_string)
            .collect()
    };
    let theirs = iproute2(&["-tanHe", &filter]);
    let mine = ours(&["-tanHe", &filter]);
    assert_eq!(words(&mine), words(&theirs));
    let skmem = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .filter(|w| w.starts_with("skmem:"))
            .map(str::to_string)
            .collect()
    };
    let lfilter = format!("sport = :{}", v4.port);
    let theirs = iproute2(&["-tlnHm", &lfilter]);
    let mine = ours(&["-tlnHm", &lfilter]);
    assert_eq!(skmem(&mine), skmem(&theirs));
    assert_eq!(skmem(&mine).len(), 1);
}

/// One socket's record of `ss -H` output: its line and continuation lines,
/// as words.
fn records(text: &str) -> Vec<Vec<String>> {
    let mut out: Vec<Vec<String>> = Vec::new();
    for l in text.lines() {
        let words = l.split_whitespace().map(str::to_string);
        match out.last_mut() {
            Some(r) if l.starts_with('\t') => r.extend(words),
            _ if l.trim().is_empty() => {}
            _ => out.push(words.collect()),
        }
    }
    out
}

/// `ms_timer` text: `1min5sec`, `12sec`, `1.500ms`, `200ms` (or empty).
fn timer_text(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii_digit() || "minsec.".contains(c))
}

/// Two words that may differ between two runs a few milliseconds apart:
/// the time since the last send/receive/ack, and a timer's expiry (and its
/// retransmit/probe count); everything else in the word must agree.
fn same_but_for_time(mine: &str, theirs: &str) -> bool {
    for key in ["lastsnd:", "lastrcv:", "lastack:"] {
        if let (Some(a), Some(b)) = (mine.strip_prefix(key), theirs.strip_prefix(key)) {
            return a.parse::<u64>().is_ok() && b.parse::<u64>().is_ok();
        }
    }
    let timer = |w: &str| -> Option<(String, String, String)> {
        let inner = w.strip_prefix("timer:(")?.strip_suffix(')')?;
        let mut f = inner.split(',').map(str::to_string);
        Some((f.next()?, f.next()?, f.next()?))
    };
    if let (Some((na, ea, ra)), Some((nb, eb, rb))) = (timer(mine), timer(theirs)) {
        return na == nb
            && timer_text(&ea)
            && timer_text(&eb)
            && ra.parse::<u32>().is_ok()
            && rb.parse::<u32>().is_ok();
    }
    false
}

/// Compare `nlwire ss OPTS FILTER` and `ss OPTS FILTER` word by word, socket
/// by socket (keyed by local and peer address; `OPTS` must give the State
/// column: `-a`, one kind, `-H`).
fn same_words(opts: &str, filter: &str, want_sockets: usize) -> String {
    let theirs = iproute2(&[opts, filter]);
    let mine = ours(&[opts, filter]);
    let key = |r: &Vec<String>| (r.get(3).cloned(), r.get(4).cloned());
    let (a, b) = (records(&mine), records(&theirs));
    assert_eq!(
        a.len(),
        want_sockets,
        "{opts}: ours\n{mine}\ntheirs\n{theirs}"
    );
    assert_eq!(b.len(), want_sockets, "{opts}: theirs\n{theirs}");
    for r in &a {
        let t = b
            .iter()
            .find(|t| key(t) == key(r))
            .unwrap_or_else(|| panic!("{opts}: {:?} not in ss's\n{theirs}", key(r)));
        assert_eq!(
            r.len(),
            t.len(),
            "{opts}: word count\nours   {r:?}\ntheirs {t:?}"
        );
        for (x, y) in r.iter().zip(t) {
            assert!(
                x == y || same_but_for_time(x, y),
                "{opts}: `{x}` (ours) vs `{y}` (ss)\nours   {r:?}\ntheirs {t:?}"
            );
        }
    }
    mine
}

/// Send `n` bytes from `from` to `to` (read on another thread).
fn traffic(from: &TcpStream, to: &TcpStream, n: usize) {
    let mut rx = to.try_clone().expect("clone");
    let reader = std::thread::spawn(move || {
        let mut buf = vec![0u8; 1 << 16];
        let mut got = 0;
        while got < n {
            match rx.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(k) => got += k,
            }
        }
        got
    });
    let chunk = vec![b'x'; 1 << 16];
    let mut tx = from;
    let mut left = n;
    while left > 0 {
        let k = left.min(chunk.len());
        tx.write_all(&chunk[..k]).expect("write");
        left -= k;
    }
    assert_eq!(reader.join().expect("reader"), n);
}

#[test]
fn same_info_memory_timer_and_extended_words_as_iproute2_ss_on_busy_connections() {
    if cannot_run() || (!have_iproute2_ss() && skip("iproute2 ss is not installed")) {
        return;
    }
    // A connection that carried traffic both ways (so tcp_info has rates,
    // byte and segment counters, rtt, busy time), then went quiet: its
    // values no longer move, except the times since the last activity.
    let busy = tcp_set("127.0.0.1", 0);
    traffic(&busy.client, &busy.server, 8 << 20);
    traffic(&busy.server, &busy.client, 300_000);
    std::thread::sleep(Duration::from_millis(300));
    let f = set_filter(&[&busy]);
    for opts in ["-tanHi", "-taHi", "-tanHm", "-tanHe", "-tanHo", "-tanHiemo"] {
        same_words(opts, &f, 3);
    }
    let text = same_words("-tanHi", &f, 3);
    for word in [
        "pacing_rate",
        "delivery_rate",
        "send",
        "bytes_acked:",
        "rtt:",
    ] {
        assert!(text.contains(word), "{word} missing: {text}");
    }

    // Timers for -o: a zero window (the reader stopped: persist timer on
    // the sender), and a TIME-WAIT socket (the client closed first).
    let stuck = tcp_set("127.0.0.1", 0);
    stuck.client.set_nonblocking(true).expect("nonblocking");
    let chunk = vec![b'z'; 1 << 16];
    let mut tx = &stuck.client;
    let mut sent = 0usize;
    while sent < (256 << 20) {
        match tx.write(&chunk) {
            Ok(k) => sent += k,
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
            Err(e) => panic!("write: {e}"),
        }
    }
    std::thread::sleep(Duration::from_millis(300));
    let f = set_filter(&[&stuck]);
    let text = same_words("-tanHo", &f, 3);
    assert!(text.contains("timer:(persist,"), "{text}");
    same_words("-tanHoem", &f, 3);

    let tw = tcp_set("127.0.0.1", 0);
    let (port, client_port) = (tw.port, tw.client_port);
    close_gracefully(&tw.client);
    close_gracefully(&tw.server);
    drop(tw.client);
    std::thread::sleep(Duration::from_millis(100));
    drop(tw.server);
    std::thread::sleep(Duration::from_millis(100));
    let f = format!("sport = :{client_port} and dport = :{port}");
    let text = same_words("-tanHo", &f, 1);
    assert!(text.contains("TIME-WAIT"), "{text}");
    assert!(text.contains("timer:(timewait,"), "{text}");
    same_words("-tanHoe", &f, 1);
    drop(tw.listener);
}

/// TCP sockets in iproute2's order, not only the same set: its `AF_INET`
/// dump first, then `AF_INET6`, each in the kernel's table order (nlwire
/// walks the TCP tables once for both families and prints IPv6 after).
#[test]
fn tcp_sockets_in_the_order_of_iproute2_ss() {
    if cannot_run() || (!have_iproute2_ss() && skip("iproute2 ss is not installed")) {
        return;
    }
    // Made alternately, so creation order is not the order printed.
    let sets: Vec<TcpSet> = (0..6)
        .flat_map(|_| [tcp_set("::1", 0), tcp_set("127.0.0.1", 0)])
        .collect();
    let filter = set_filter(&sets.iter().collect::<Vec<_>>());
    // Local and peer address of each line (-H, one kind: no Netid column).
    let ends = |text: &str| -> Vec<String> {
        text.lines()
            .map(|l| {
                l.split_whitespace()
                    .skip(3)
                    .take(2)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect()
    };
    let theirs = ends(&iproute2(&["-tanH", &filter]));
    let mine = ends(&ours(&["-tanH", &filter]));
    assert_eq!(mine.len(), 36, "{mine:#?}");
    let first_v6 = mine.iter().position(|l| l.starts_with('[')).unwrap_or(0);
    assert_eq!(first_v6, 18, "IPv4 first: {mine:#?}");
    assert_eq!(mine, theirs);
}

/// Byte for byte what iproute2 `ss` prints, spaces included: the column
/// widths (without the header, the header's words do not count), ss's
/// last column `Process` padded to its widest cell (seven spaces when
/// empty, the width of its header word; the last row's cell not
/// measured, as ss leaves it), `-p`'s and `-e`'s text in that column,
/// service names only outside the ephemeral port range (`-a` without
/// `-n`). The sockets are idle, so both see the same values.
#[test]
fn same_bytes_as_iproute2_ss() {
    if cannot_run() || (!have_iproute2_ss() && skip("iproute2 ss is not installed")) {
        return;
    }
    let sets = [
        tcp_set("127.0.0.1", 7),
        tcp_set("::1", 0),
        tcp_set("127.0.0.1", 0),
    ];
    let ports: Vec<u16> = sets.iter().map(|s| s.port).collect();
    let filter = port_filter(&ports);
    for opts in ["-tan", "-tanH", "-ta", "-tane", "-tanp", "-tanpe", "-tuan"] {
        let theirs = iproute2(&[opts, &filter]);
        let mine = ours(&[opts, &filter]);
        assert_eq!(mine.lines().count(), theirs.lines().count(), "{opts}");
        assert!(mine.lines().count() >= 9, "{opts}: {mine}");
        assert_eq!(
            mine,
            theirs,
            "{opts}: spaces shown as '.':\n{}\n{}",
            dots(&mine),
            dots(&theirs)
        );
    }
}

fn dots(s: &str) -> String {
    s.replace(' ', ".")
}

/// `src PATTERN` on unix sockets: a pattern of the socket's name
/// (fnmatch(3), case folded), as iproute2 6.1 reads it when only unix
/// tables are listed or the word starts with `unix:`; `dst PATTERN` sees
/// an empty name in both. Byte for byte the same lines as iproute2's.
#[test]
fn same_unix_name_filters_as_iproute2_ss() {
    if cannot_run() || (!have_iproute2_ss() && skip("iproute2 ss is not installed")) {
        return;
    }
    let u = unix_set("glob");
    let path = u.path.to_string_lossy().into_owned();
    let upper_glob = format!("{}*", path.trim_end_matches(".sock").to_uppercase());
    let abstract_glob = format!("@{}", u.abstract_name.replacen("glob", "gl?b", 1));
    let cases: Vec<(&str, Vec<String>, usize)> = vec![
        ("-xa", vec!["src".into(), path.clone()], 2),
        ("-xa", vec!["src".into(), upper_glob.clone()], 2),
        ("-xa", vec!["src".into(), abstract_glob.clone()], 1),
        ("-xaH", vec!["src".into(), format!("{path}:1")], 0),
        ("-xa", vec!["dst".into(), path.clone()], 0),
        ("-xa", vec!["src".into(), format!("unix:{upper_glob}")], 2),
        (
            "-xa",
            vec![
                "src".into(),
                path.clone(),
                "or".into(),
                "src".into(),
                abstract_glob.clone(),
            ],
            3,
        ),
    ];
    for (opts, filter, want) in cases {
        let mut args = vec![opts];
        args.extend(filter.iter().map(String::as_str));
        let theirs = iproute2(&args);
        let mine = ours(&args);
        let rows = mine.lines().filter(|l| !l.starts_with("Netid")).count();
        assert_eq!(rows, want, "{args:?}: {mine}");
        assert_eq!(mine, theirs, "{args:?}");
    }
}

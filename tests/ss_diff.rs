//! Differential test: iproute2 `ss` and `nlwire ss` on the same sockets
//! (made by the test) must list the same set, with the same ports, states,
//! queues, and for unix sockets the same names, inodes and peers. Needs
//! root, sock_diag and iproute2 `ss`: without them it fails under `CI=true`
//! and is skipped otherwise.

mod ss_common;

use std::collections::BTreeSet;
use std::process::Command;

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

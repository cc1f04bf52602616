//! `nlwire ss` filters: the kernel returns exactly the sockets that match
//! (the expression travels as `INET_DIAG_REQ_BYTECODE`, checked in the
//! recorded request), states go into `idiag_states`, filters the kernel
//! would reject are refused before anything is sent, bad filters are
//! one-line errors with exit status 2, and `-K` closes a socket (or says
//! clearly why the kernel refused). Needs root and sock_diag: without them
//! it fails under `CI=true` and is skipped otherwise.

mod ss_common;

use std::collections::BTreeSet;
use std::io::Read;
use std::time::Duration;

use ss_common::*;

/// `(local, peer)` of every listed socket (`-H -n`, one kind: no Netid).
fn endpoints(args: &[&str]) -> BTreeSet<(String, String)> {
    let mut full = vec!["ss", "-H", "-n"];
    full.extend_from_slice(args);
    let o = nlwire(&full);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
        .lines()
        .filter(|l| !l.starts_with('\t'))
        .filter_map(|l| {
            let t: Vec<&str> = l.split_whitespace().collect();
            // State Recv-Q Send-Q Local Peer (State may be missing).
            let n = t.len();
            let (local, peer) = (t.get(n.checked_sub(2)?)?, t.get(n.checked_sub(1)?)?);
            Some((local.to_string(), peer.to_string()))
        })
        .collect()
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_string(), b.to_string())
}

#[test]
fn kernel_returns_exactly_the_matching_sockets() {
    if cannot_run() {
        return;
    }
    let a = tcp_set("127.0.0.1", 0);
    let b = tcp_set("127.0.0.1", 0);
    let c6 = tcp_set("::1", 0);
    let (pa, pb) = (a.port, b.port);
    let lo = "127.0.0.1";

    // sport = :P1 or dport = :P2 (P1's listener and server end, P2's client end).
    let f = format!("sport = :{pa} or dport = :{pb}");
    let got = endpoints(&["-ta", &f]);
    let want = BTreeSet::from([
        pair(&format!("{lo}:{pa}"), "0.0.0.0:*"),
        pair(&format!("{lo}:{pa}"), &format!("{lo}:{}", a.client_port)),
        pair(&format!("{lo}:{}", b.client_port), &format!("{lo}:{pb}")),
    ]);
    assert_eq!(got, want);

    // state listening: only the listeners among ours.
    let ours = port_filter(&[pa, pb, c6.port]);
    let got = endpoints(&["-t", "state", "listening", &ours]);
    let want = BTreeSet::from([
        pair(&format!("{lo}:{pa}"), "0.0.0.0:*"),
        pair(&format!("{lo}:{pb}"), "0.0.0.0:*"),
        pair(&format!("[::1]:{}", c6.port), "[::]:*"),
    ]);
    assert_eq!(got, want);
    // exclude listening (with -a otherwise): only the established ends.
    let got = endpoints(&["-t", "exclude", "listening", &ours]);
    assert_eq!(got.len(), 6, "{got:?}");
    assert!(got.iter().all(|(_, p)| !p.ends_with(":*")));

    // not src 127.0.0.1 among ours: only the ::1 sockets.
    let f = format!("{ours} and not src 127.0.0.1");
    let got = endpoints(&["-ta", &f]);
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(got.iter().all(|(l, _)| l.starts_with("[::1]:")), "{got:?}");
    // dst [::1] and sport > :0: the two v6 ends of the connection.
    let f = format!("{ours} and dst [::1] and sport > :0");
    assert_eq!(endpoints(&["-ta", &f]).len(), 2);
    // Port ranges: dport >= :P and dport <= :P is dport = :P.
    let f = format!("dport >= :{pa} and dport <= :{pa}");
    assert_eq!(
        endpoints(&["-t", &f]),
        BTreeSet::from([pair(
            &format!("{lo}:{}", a.client_port),
            &format!("{lo}:{pa}")
        )])
    );
    // -4 / -6 pick the family.
    let got = endpoints(&["-ta6", &ours]);
    assert!(!got.is_empty() && got.iter().all(|(l, _)| l.starts_with('[')));
    let got = endpoints(&["-ta4", &ours]);
    assert!(!got.is_empty() && got.iter().all(|(l, _)| !l.starts_with('[')));
}

#[test]
fn the_expression_is_sent_as_bytecode() {
    if cannot_run() {
        return;
    }
    let a = tcp_set("127.0.0.1", 0);
    let dir = std::env::temp_dir().join(format!("nlwire-ss-bc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let pcap = dir.join("f.pcap").display().to_string();
    let f = format!("sport = :{}", a.port);
    let o = nlwire(&["ss", "-t4", "-H", "--record", &pcap, &f]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 1);
    let d = nlwire(&["decode", &pcap]);
    let text = stdout(&d);
    assert!(text.contains("INET_DIAG_REQ_BYTECODE"), "{text}");
    assert!(text.contains("INET_DIAG_BC_S_COND"), "{text}");
    assert!(text.contains(&format!("port: {}", a.port)), "{text}");
    // Exactly one reply socket came back: the kernel did the filtering.
    assert_eq!(text.matches("inet_diag_msg").count(), 1, "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn programs_the_kernel_would_reject_are_refused_before_sending() {
    // Needs no kernel: nothing is sent. The pcap is never created.
    let dir = std::env::temp_dir().join(format!("nlwire-ss-rej-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let pcap = dir.join("never.pcap");
    let pcap_s = pcap.display().to_string();
    // From the language: a prefix longer than the address.
    let o = nlwire(&["ss", "-t", "--record", &pcap_s, "src 127.0.0.1/33"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("refused before sending"), "{err}");
    assert!(err.contains("prefix_len"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(!pcap.exists(), "nothing may be sent");
    // Through the bytecode text form: `no` not a multiple of 4 (the
    // assembler takes it, inet_diag_bc_audit would not).
    let o = nlwire(&[
        "ss",
        "-t",
        "--record",
        &pcap_s,
        "--bytecode",
        "0: INET_DIAG_BC_S_GE 1024 yes +8 no +10",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("refused before sending"), "{err}");
    assert!(err.contains("inet_diag_bc_audit"), "{err}");
    assert!(!pcap.exists(), "nothing may be sent");
    // A jump past the end: assembled, then refused by the audit.
    let o = nlwire(&[
        "ss",
        "-t",
        "--record",
        &pcap_s,
        "--bytecode",
        "0: INET_DIAG_BC_S_GE 1024 yes +8 no +16",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("inet_diag_bc_audit"), "{}", stderr(&o));
    assert!(!pcap.exists(), "nothing may be sent");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_filters_are_one_line_errors() {
    for f in [
        "sport = ",
        "( sport = :1",
        "sport = :1 )",
        "bogus 1",
        "state nonsense",
        "src 1.2.3.4.5",
        "sport = :1 and",
    ] {
        let o = nlwire(&["ss", "-t", f]);
        assert_eq!(o.status.code(), Some(2), "{f:?}");
        let err = stderr(&o);
        assert_eq!(err.trim_end().lines().count(), 1, "{f:?}: {err}");
        assert!(err.starts_with("nlwire ss: "), "{f:?}: {err}");
        assert!(stdout(&o).is_empty(), "{f:?}");
    }
}

#[test]
fn kill_closes_the_socket_or_says_why() {
    if cannot_run() {
        return;
    }
    let a = tcp_set("127.0.0.1", 0);
    let f = format!("sport = :{} and dport = :{}", a.client_port, a.port);
    let o = nlwire(&["ss", "-K", "-tn", "-H", &f]);
    if o.status.success() {
        let listed = endpoints(&["-tn", &f]);
        assert!(listed.is_empty(), "still there after -K: {listed:?}");
        assert!(stdout(&o).contains(&format!(":{}", a.client_port)));
        // The client sees the abort.
        a.client
            .set_read_timeout(Some(Duration::from_secs(2)))
            .expect("timeout");
        let err = (&a.client).read(&mut [0u8; 1]).expect_err("aborted");
        assert_eq!(err.raw_os_error(), Some(103), "ECONNABORTED: {err}");
    } else {
        let err = stderr(&o);
        assert!(err.contains("SOCK_DESTROY"), "{err}");
        assert!(
            err.contains("CONFIG_INET_DIAG_DESTROY") || err.contains("CAP_NET_ADMIN"),
            "{err}"
        );
    }
}

//! The project's own sample captures (`samples/`, made by `cargo run
//! --example make_samples`) and the built-in default sample.

mod decode_common;
use decode_common::*;

const SAMPLES: &[&str] = &[
    "tcp_info.pcap",
    "unix.pcap",
    "bytecode.pcap",
    "ext_ack.pcap",
];

#[test]
fn default_sample_decodes_from_any_directory() {
    let d = scratch("default");
    let o = nlwire_in(&d, &["decode"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("==> <built-in sample: samples/tcp_info.pcap> <==\nFrame 1: "),
        "{out}"
    );
    assert!(out.contains("NETLINK_SOCK_DIAG (4)"));
    assert!(out.contains("nlmsg_flags: 0x0301 (NLM_F_REQUEST|NLM_F_DUMP)"));
    assert!(out.contains("NLMSG_DONE (3), response"));
    // The same bytes as the file in samples/.
    let o2 = nlwire(&["decode", sample("tcp_info.pcap").to_str().unwrap()]);
    let strip = |s: &str| s.lines().skip(1).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(strip(&out), strip(&stdout(&o2)));
}

#[test]
fn every_sample_decodes_cleanly_in_every_format() {
    for s in SAMPLES {
        let p = sample(s);
        let p = p.to_str().unwrap();
        for fmt in [&[][..], &["--json"], &["--summary"]] {
            let mut args = vec!["decode"];
            args.extend_from_slice(fmt);
            args.push(p);
            let o = nlwire(&args);
            assert_eq!(code(&o), 0, "{s} {fmt:?}: {}", stderr(&o));
            assert!(stderr(&o).is_empty(), "{s}: {}", stderr(&o));
        }
        let o = nlwire(&["decode", "--json", p]);
        for m in json_lines(&stdout(&o)) {
            assert_eq!(m["nlmon"]["hatype"]["value"], 824);
            assert_eq!(m["nlmon"]["protocol"]["value"], m["family"]["value"]);
            assert_eq!(m["byte_order"], "little");
        }
    }
}

#[test]
fn ext_ack_sample_shows_the_kernel_messages() {
    let o = nlwire(&["decode", "--json", sample("ext_ack.pcap").to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let l = json_lines(&stdout(&o));
    // RTM_GETLINK dump naming a device: refused in NLMSG_DONE.
    let done = l
        .iter()
        .find(|m| m.get("NLMSG_DONE").is_some())
        .expect("an NLMSG_DONE");
    assert_eq!(done["NLMSG_DONE"]["error"]["name"], "EINVAL");
    assert_eq!(
        done["NLMSG_DONE"]["ext_ack"]["NLMSGERR_ATTR_MSG"],
        "Filter by device index not supported for link dumps"
    );
    // RTM_NEWLINK with a name longer than IFNAMSIZ: policy error (or EPERM
    // when the samples were made without CAP_NET_ADMIN).
    let errors: Vec<_> = l.iter().filter(|m| m.get("nlmsgerr").is_some()).collect();
    assert_eq!(errors.len(), 2);
    let route = errors[0];
    assert_eq!(route["family"]["name"], "NETLINK_ROUTE");
    if route["nlmsgerr"]["error"]["name"] == "ERANGE" {
        let ack = &route["nlmsgerr"]["ext_ack"];
        assert_eq!(
            ack["NLMSGERR_ATTR_MSG"],
            "Attribute failed policy validation"
        );
        assert_eq!(ack["NLMSGERR_ATTR_OFFS"], 32);
        assert_eq!(
            ack["NLMSGERR_ATTR_POLICY"]["NL_POLICY_TYPE_ATTR_MAX_LENGTH"],
            15
        );
    } else {
        assert_eq!(route["nlmsgerr"]["error"]["name"], "EPERM");
    }
    // sock_diag request for address family 255.
    let diag = errors[1];
    assert_eq!(diag["family"]["name"], "NETLINK_SOCK_DIAG");
    assert_eq!(diag["nlmsgerr"]["error"]["value"], -22);
    let echoed = &diag["nlmsgerr"]["msg"]["nlmsg_type"];
    assert!(echoed == 20 || echoed["value"] == 20, "{echoed}");

    let o = nlwire(&[
        "decode",
        "--summary",
        sample("ext_ack.pcap").to_str().unwrap(),
    ]);
    assert!(
        stdout(&o).contains("NLMSG_ERROR: 0 ACKs, 2 errors"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn summary_counts_requests_and_responses() {
    let o = nlwire(&[
        "decode",
        "--summary",
        sample("tcp_info.pcap").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0);
    let s = stdout(&o);
    assert!(s.contains("NETLINK_SOCK_DIAG (4):"), "{s}");
    // Two dump requests (IPv4, IPv6), each ended by one NLMSG_DONE.
    let done = s.lines().find(|l| l.contains("NLMSG_DONE (3)")).unwrap();
    assert!(done.trim_end().ends_with("responses        2"), "{done}");
    assert!(s.contains("malformed: 0 problems in 0 frames"));
}

#[test]
fn tcp_info_sample_is_fully_typed() {
    let o = nlwire(&[
        "decode",
        "--json",
        sample("tcp_info.pcap").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let l = json_lines(&stdout(&o));
    // Two requests (IPv4, IPv6) with every idiag_ext bit and a port filter.
    let reqs: Vec<_> = l.iter().filter(|m| m["direction"] == "request").collect();
    assert_eq!(reqs.len(), 2);
    for (r, fam) in reqs.iter().zip(["AF_INET", "AF_INET6"]) {
        let h = &r["inet_diag_req_v2"];
        assert_eq!(h["sdiag_family"]["name"], fam);
        assert_eq!(h["sdiag_protocol"]["name"], "IPPROTO_TCP");
        assert_eq!(h["idiag_ext"]["value"], 255);
        assert!(r["INET_DIAG_REQ_BYTECODE"].is_object(), "{r}");
    }
    // Replies: sockets of both families, each with tcp_info.
    let replies: Vec<_> = l
        .iter()
        .filter(|m| m.get("inet_diag_msg").is_some())
        .collect();
    assert!(replies.len() >= 8, "{}", replies.len());
    for fam in ["AF_INET", "AF_INET6"] {
        assert!(replies
            .iter()
            .any(|m| m["inet_diag_msg"]["idiag_family"]["name"] == fam));
    }
    for m in &replies {
        let info = &m["INET_DIAG_INFO"];
        assert_eq!(
            info["tcpi_state"]["value"], m["inet_diag_msg"]["idiag_state"]["value"],
            "{m}"
        );
        assert!(info.get("tcpi_rtt").is_some());
        assert!(m["INET_DIAG_CONG"].is_string());
        assert!(
            m["INET_DIAG_SKMEMINFO"]["SK_MEMINFO_RCVBUF"]
                .as_u64()
                .unwrap()
                > 0
        );
        let id = &m["inet_diag_msg"]["id"];
        assert!(
            id["idiag_src"] == "127.0.0.1" || id["idiag_src"] == "::1",
            "{id}"
        );
    }
    assert!(replies
        .iter()
        .any(|m| m["inet_diag_msg"]["idiag_state"]["name"] == "TCP_LISTEN"));
    assert!(replies
        .iter()
        .any(|m| m["inet_diag_msg"]["idiag_state"]["name"] == "TCP_ESTABLISHED"));

    // The summary counts the distinct sockets by cookie.
    let mut cookies: Vec<u64> = replies
        .iter()
        .map(|m| m["inet_diag_msg"]["id"]["idiag_cookie"].as_u64().unwrap())
        .collect();
    cookies.sort_unstable();
    cookies.dedup();
    let o = nlwire(&[
        "decode",
        "--summary",
        sample("tcp_info.pcap").to_str().unwrap(),
    ]);
    assert!(
        stdout(&o).contains(&format!(
            "sock_diag responses: {}; distinct sockets (by idiag_cookie/udiag_cookie): {}",
            replies.len(),
            cookies.len()
        )),
        "{}",
        stdout(&o)
    );
}

#[test]
fn unix_sample_names_peers_and_queues() {
    let o = nlwire(&["decode", "--json", sample("unix.pcap").to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let l = json_lines(&stdout(&o));
    let req = &l[0]["unix_diag_req"];
    assert_eq!(req["udiag_show"]["value"], 0x7f);
    let names: Vec<&serde_json::Value> = l.iter().filter_map(|m| m.get("UNIX_DIAG_NAME")).collect();
    assert!(names.iter().any(|n| n["pathname"]
        .as_str()
        .is_some_and(|p| p.ends_with("nlwire-sample.sock"))));
    assert!(names.iter().any(|n| n["abstract"] == "nlwire-sample"));
    // The client wrote "queued" (6 bytes) that nobody read; one datagram
    // ("datagram", 8 bytes) waits in the datagram pair.
    let rqueues: Vec<u64> = l
        .iter()
        .filter_map(|m| m["UNIX_DIAG_RQLEN"]["udiag_rqueue"].as_u64())
        .collect();
    assert!(rqueues.contains(&6) && rqueues.contains(&8), "{rqueues:?}");
    // Listeners report their backlog limit as udiag_wqueue.
    assert!(l.iter().any(
        |m| m["unix_diag_msg"]["udiag_state"]["name"] == "TCP_LISTEN"
            && m["UNIX_DIAG_RQLEN"]["udiag_wqueue"].as_u64() > Some(0)
    ));
    // Both ends of each pair name each other.
    let peer_of = |ino: u64| {
        l.iter()
            .find(|m| m["unix_diag_msg"]["udiag_ino"] == ino)
            .and_then(|m| m["UNIX_DIAG_PEER"].as_u64())
    };
    let mut pairs = 0;
    for m in &l {
        if let (Some(ino), Some(peer)) = (
            m["unix_diag_msg"]["udiag_ino"].as_u64(),
            m["UNIX_DIAG_PEER"].as_u64(),
        ) {
            if peer_of(peer) == Some(ino) {
                pairs += 1;
            }
        }
    }
    assert!(pairs >= 4, "{pairs}");
}

#[test]
fn bytecode_sample_shows_the_program() {
    let o = nlwire(&["decode", sample("bytecode.pcap").to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    for want in [
        "INET_DIAG_REQ_BYTECODE",
        "code: 7 (INET_DIAG_BC_S_COND)",
        "code: 8 (INET_DIAG_BC_D_COND)",
        "family: 2 (AF_INET)",
        "prefix_len: 8",
        "addr: 10.0.0.0",
    ] {
        assert!(out.contains(want), "missing {want:?}");
    }
}

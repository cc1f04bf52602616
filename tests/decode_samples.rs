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

//! `nlwire decode` of a `NETLINK_CONNECTOR` capture: the proc connector's
//! events (every one `NLMSG_DONE`, `cn_netlink_send_mult()`) print as
//! `cn_msg` + `proc_event`, not as an `NLMSG_DONE` with error `EPERM`.

mod decode_common;
use decode_common::*;

const T: u32 = 1_709_210_096;

fn u32s(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_ne_bytes()).collect()
}

/// `nlmsghdr` (type `NLMSG_DONE`) + `struct cn_msg` (`CN_IDX_PROC`,
/// `CN_VAL_PROC`) + `data`, host order, nlmon pseudo-header for protocol 11.
fn connector_frame(data: &[u8]) -> Vec<u8> {
    let mut m = u32s(&[16 + 20 + data.len() as u32]);
    m.extend_from_slice(&3u16.to_ne_bytes());
    m.extend_from_slice(&0u16.to_ne_bytes());
    m.extend(u32s(&[7, 0, 1, 1, 7, 0]));
    m.extend_from_slice(&(data.len() as u16).to_ne_bytes());
    m.extend_from_slice(&0u16.to_ne_bytes());
    m.extend_from_slice(data);
    let mut f = nlmon(11);
    f.extend(m);
    f
}

/// `struct proc_event`: `PROC_EVENT_FORK`, parent 100, child 4242.
fn fork_event() -> Vec<u8> {
    let mut e = u32s(&[1, 1]);
    e.extend_from_slice(&123_456_789u64.to_ne_bytes());
    e.extend(u32s(&[100, 100, 4242, 4242, 0, 0]));
    e
}

#[test]
fn decode_prints_the_connector_fork_event_not_nlmsg_done() {
    let d = scratch("connector");
    let listen = connector_frame(&u32s(&[1, 0x8000_0001]));
    let recs = [
        Rec::new(T, 0, listen),
        Rec::new(T, 1, connector_frame(&fork_event())),
    ];
    let p = d.join("cn.pcap");
    std::fs::write(&p, pcap(253, &recs, cfg!(target_endian = "big"), false)).unwrap();
    let o = nlwire(&["decode", p.to_str().unwrap()]);
    let out = stdout(&o);
    assert_eq!(code(&o), 0, "{out}\n{}", stderr(&o));
    assert!(!out.contains("EPERM"), "{out}");
    for want in [
        "NETLINK_CONNECTOR",
        "cn_msg",
        "PROC_CN_MCAST_LISTEN",
        "PROC_EVENT_FORK",
        "parent_pid",
        "4242",
    ] {
        assert!(out.contains(want), "missing {want:?} in:\n{out}");
    }
    let o = nlwire(&["decode", "--json", p.to_str().unwrap()]);
    let l = json_lines(&stdout(&o));
    assert_eq!(l.len(), 2, "{}", stdout(&o));
    let s = l[1].to_string();
    assert!(
        s.contains("PROC_EVENT_FORK") && s.contains("child_pid"),
        "{s}"
    );
}

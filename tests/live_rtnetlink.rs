//! The generated rtnetlink declarations (`nlwire::families::route`, from
//! the kernel's rt-link, rt-addr, rt-route, rt-neigh, rt-rule and tc YNL
//! specs) against the running kernel and iproute2: in a network namespace
//! the test makes (veth pair, bridge with a port, macvlan, vxlan, IPv4 and
//! IPv6 addresses, routes, neighbours, a rule, qdiscs), links, addresses,
//! routes, neighbours, rules and qdiscs are dumped through `nlwire-io`,
//! recorded, decoded in strict mode (no error, no `UNKNOWN` attribute),
//! and `nlwire decode --json` of the recording agrees field by field with
//! `ip -j` and `tc -j`.

mod live_common;

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::time::Duration;

use live_common::{decode_json, enum_name, strict_problems, Netns};
use nlwire::decode::decode_in;
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{Builder, Messages, NLM_F_DUMP, NLM_F_REQUEST};
use nlwire::registry::Registry;
use nlwire::Mode;
use nlwire_io::{Recorder, Socket};
use serde_json::Value as J;

const NETLINK_ROUTE: u16 = 0;

/// (request type, fixed header size, name) of each dump.
const DUMPS: [(u16, usize, &str); 6] = [
    (18, 16, "RTM_GETLINK"),  // struct ifinfomsg
    (22, 8, "RTM_GETADDR"),   // struct ifaddrmsg
    (26, 12, "RTM_GETROUTE"), // struct rtmsg
    (30, 12, "RTM_GETNEIGH"), // struct ndmsg
    (34, 12, "RTM_GETRULE"),  // struct fib_rule_hdr
    (38, 20, "RTM_GETQDISC"), // struct tcmsg
];

/// Build the test network in `ns`; returns the qdisc kind put on `v0`.
fn build(ns: &Netns) -> String {
    ns.ip("link add v0 address 02:00:00:00:00:01 type veth peer name v1 address 02:00:00:00:00:02");
    ns.ip("link add br0 type bridge stp_state 0 forward_delay 400");
    ns.ip("link set v1 master br0");
    ns.ip("link add link v0 name mv0 type macvlan mode bridge");
    ns.ip("link add vx0 type vxlan id 42 dstport 4789 dev v0");
    // 8021q may be missing; the vlan is a bonus.
    ns.try_ip("link add link v0 name v0.10 type vlan id 10");
    for l in ["lo", "v0", "v1", "br0", "mv0"] {
        ns.ip(&format!("link set {l} up"));
    }
    ns.ip("addr add 10.9.0.1/24 dev v0");
    ns.ip("addr add fd00:9::1/64 dev v0 nodad");
    ns.ip("route add 10.99.0.0/16 via 10.9.0.2 dev v0");
    ns.ip("route add 10.98.0.0/16 dev v0 table 100");
    ns.ip("-6 route add fd00:99::/48 via fd00:9::2 dev v0");
    ns.ip("neigh add 10.9.0.2 lladdr 02:00:00:00:00:02 dev v0 nud permanent");
    ns.ip("-6 neigh add fd00:9::2 lladdr 02:00:00:00:00:02 dev v0 nud permanent");
    ns.ip("rule add from 10.9.0.0/24 table 100 priority 1000");
    let mut kind = String::new();
    for (k, args) in [
        ("fq_codel", "root fq_codel"),
        ("netem", "root netem delay 1ms"),
        ("htb", "root handle 1: htb default 10"),
        ("pfifo", "root pfifo limit 100"),
    ] {
        if ns.try_tc(&format!("qdisc add dev v0 {args}")) {
            kind = k.to_owned();
            break;
        }
    }
    assert!(!kind.is_empty(), "no qdisc kind could be added to v0");
    ns.try_tc("qdisc add dev v1 root pfifo limit 77");
    kind
}

/// Every dump of [`DUMPS`], recorded into `pcap`; each reply decoded in
/// strict mode with its request's context. Returns the problems.
fn dump_all(pcap: &std::path::Path) -> (Vec<String>, BTreeMap<&'static str, usize>) {
    let mut s = Socket::new(NetlinkFamily::Route).unwrap();
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_recorder(Recorder::create(pcap).unwrap());
    let mut problems = Vec::new();
    let mut counts = BTreeMap::new();
    for (typ, hdr, name) in DUMPS {
        let mut req = Builder::new_vec();
        req.message(typ, NLM_F_REQUEST | NLM_F_DUMP, 0, 0, |b| {
            b.put_bytes(&[0u8; 20][..hdr])
        })
        .unwrap();
        let req = req.into_vec();
        let rm = Messages::new(&req).next().unwrap().unwrap();
        let rd = nlwire::decode::decode(NETLINK_ROUTE, rm, Mode::Strict);
        problems.extend(strict_problems(&rd));
        let ctx = rd.request_context();
        let mut n = 0;
        s.dump(&req, |m| {
            n += 1;
            let d = decode_in(&Registry::DEFAULT, NETLINK_ROUTE, m, Mode::Strict, ctx);
            problems.extend(
                strict_problems(&d)
                    .into_iter()
                    .map(|p| format!("{name}: {p}")),
            );
            ControlFlow::Continue(())
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        counts.insert(name, n);
    }
    s.take_recorder().unwrap().finish().unwrap();
    (problems, counts)
}

/// The JSON replies of type `name`.
fn replies<'a>(all: &'a [J], name: &str) -> Vec<&'a J> {
    all.iter()
        .filter(|m| m["direction"] == "response" && enum_name(&m["nlmsghdr"]["nlmsg_type"]) == name)
        .collect()
}

#[track_caller]
fn as_u64(v: &J) -> u64 {
    v.as_u64()
        .or_else(|| v["value"].as_u64())
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn rtnetlink_dumps_decode_strictly_and_agree_with_iproute2() {
    let Some(ns) = Netns::new() else { return };
    let qdisc = build(&ns);
    let dir = tempfile_dir();
    let pcap = dir.join("rtnetlink.pcap");
    let (problems, counts) = ns.enter(|| dump_all(&pcap));
    eprintln!("messages per dump: {counts:?}");
    assert!(
        problems.is_empty(),
        "strict decode problems:\n{}",
        problems.join("\n")
    );
    for (name, n) in &counts {
        assert!(*n > 0, "{name} answered nothing");
    }
    let all = decode_json(&[pcap.to_str().unwrap()]);
    let errs: Vec<_> = all.iter().filter(|m| m.get("errors").is_some()).collect();
    assert!(errs.is_empty(), "nlwire decode --json errors: {errs:?}");

    check_links(&ns, &all);
    check_addrs(&ns, &all);
    check_routes(&ns, &all);
    check_neighs(&ns, &all);
    check_rules(&ns, &all);
    check_qdiscs(&ns, &all, &qdisc);
    let _ = std::fs::remove_dir_all(&dir);
}

fn tempfile_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "nlwire-live-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn check_links(ns: &Netns, all: &[J]) {
    let ours = replies(all, "RTM_NEWLINK");
    let theirs = ns.ip_json("-d link show");
    let theirs = theirs.as_array().unwrap();
    assert_eq!(ours.len(), theirs.len(), "links: {ours:?}");
    let mut kinds = Vec::new();
    for t in theirs {
        let name = t["ifname"].as_str().unwrap();
        let o = ours
            .iter()
            .find(|o| o["IFLA_IFNAME"] == name)
            .unwrap_or_else(|| panic!("link {name} not in our dump"));
        assert_eq!(
            as_u64(&o["ifinfomsg"]["ifi_index"]),
            t["ifindex"].as_u64().unwrap(),
            "{name}"
        );
        assert_eq!(as_u64(&o["IFLA_MTU"]), t["mtu"].as_u64().unwrap(), "{name}");
        if let Some(mac) = t.get("address") {
            assert_eq!(&o["IFLA_ADDRESS"], mac, "{name}");
        }
        if let Some(info) = t.get("linkinfo") {
            let kind = info["info_kind"].as_str().unwrap();
            assert_eq!(o["IFLA_LINKINFO"]["IFLA_INFO_KIND"], kind, "{name}");
            kinds.push(kind.to_owned());
            let data = &o["IFLA_LINKINFO"]["IFLA_INFO_DATA"];
            let td = &info["info_data"];
            match kind {
                // Neither has a format in the rt-link spec's
                // `linkinfo-data-msg`: the generator's overrides add them.
                "vxlan" => {
                    assert_eq!(td["id"].as_u64(), Some(42));
                    assert_eq!(as_u64(&data["IFLA_VXLAN_ID"]), 42, "{data}");
                    assert_eq!(
                        as_u64(&data["IFLA_VXLAN_PORT"]),
                        td["port"].as_u64().unwrap(),
                        "{data}"
                    );
                    assert_eq!(
                        as_u64(&data["IFLA_VXLAN_AGEING"]),
                        td["ageing"].as_u64().unwrap(),
                        "{data}"
                    );
                }
                "vlan" => assert_eq!(as_u64(&data["IFLA_VLAN_ID"]), td["id"].as_u64().unwrap()),
                "bridge" => {
                    assert_eq!(
                        as_u64(&data["IFLA_BR_FORWARD_DELAY"]),
                        td["forward_delay"].as_u64().unwrap()
                    );
                    // `struct ifla_bridge_id`: prio in network order
                    // (`ip` prints it as the `8000.` of `bridge_id`).
                    assert_eq!(
                        as_u64(&data["IFLA_BR_BRIDGE_ID"]["prio"]),
                        td["priority"].as_u64().unwrap(),
                        "{data}"
                    );
                }
                "macvlan" => assert_eq!(
                    enum_name(&data["IFLA_MACVLAN_MODE"]),
                    format!(
                        "MACVLAN_MODE_{}",
                        td["mode"].as_str().unwrap().to_uppercase()
                    ),
                    "{data}"
                ),
                _ => {}
            }
            if let Some(slave) = info.get("info_slave_kind") {
                assert_eq!(o["IFLA_LINKINFO"]["IFLA_INFO_SLAVE_KIND"], *slave, "{name}");
                if slave == "bridge" {
                    assert_eq!(
                        as_u64(&o["IFLA_LINKINFO"]["IFLA_INFO_SLAVE_DATA"]["IFLA_BRPORT_COST"]),
                        info["info_slave_data"]["cost"].as_u64().unwrap(),
                        "{name}"
                    );
                }
            }
        }
    }
    for k in ["veth", "bridge", "macvlan", "vxlan"] {
        assert!(kinds.iter().any(|x| x == k), "no {k} link: {kinds:?}");
    }
}

fn check_addrs(ns: &Netns, all: &[J]) {
    let ours = replies(all, "RTM_NEWADDR");
    let mut want = Vec::new();
    for link in ns.ip_json("addr").as_array().unwrap() {
        for a in link["addr_info"].as_array().unwrap() {
            want.push((
                link["ifindex"].as_u64().unwrap(),
                a["local"].as_str().unwrap().to_owned(),
                a["prefixlen"].as_u64().unwrap(),
            ));
        }
    }
    let mut got: Vec<_> = ours
        .iter()
        .map(|o| {
            (
                as_u64(&o["ifaddrmsg"]["ifa_index"]),
                o["IFA_LOCAL"]
                    .as_str()
                    .or(o["IFA_ADDRESS"].as_str())
                    .unwrap()
                    .to_owned(),
                as_u64(&o["ifaddrmsg"]["ifa_prefixlen"]),
            )
        })
        .collect();
    want.sort();
    got.sort();
    assert_eq!(got, want);
    assert!(got.iter().any(|g| g.1 == "10.9.0.1" && g.2 == 24));
    assert!(got.iter().any(|g| g.1 == "fd00:9::1" && g.2 == 64));
}

/// `dst` as `ip -j route` prints it.
fn route_dst(o: &J) -> String {
    let len = as_u64(&o["rtmsg"]["rtm_dst_len"]);
    match o.get("RTA_DST").and_then(J::as_str) {
        None => "default".to_owned(),
        Some(d) if (d.contains(':') && len == 128) || (!d.contains(':') && len == 32) => {
            d.to_owned()
        }
        Some(d) => format!("{d}/{len}"),
    }
}

fn check_routes(ns: &Netns, all: &[J]) {
    let ours = replies(all, "RTM_NEWROUTE");
    let names: BTreeMap<u64, String> = ns
        .ip_json("link")
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["ifindex"].as_u64().unwrap(),
                l["ifname"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let mut got = Vec::new();
    for o in &ours {
        let table = o
            .get("RTA_TABLE")
            .map(as_u64)
            .unwrap_or_else(|| as_u64(&o["rtmsg"]["rtm_table"]));
        let dev = o.get("RTA_OIF").map(|i| names[&as_u64(i)].clone());
        got.push((table, route_dst(o), dev));
    }
    let check = |args: &str| {
        for r in ns.ip_json(args).as_array().unwrap() {
            let table = match r.get("table").and_then(J::as_str) {
                None | Some("main") => 254,
                Some("local") => 255,
                Some(t) => t.parse().unwrap(),
            };
            let want = (
                table,
                r["dst"].as_str().unwrap().to_owned(),
                r.get("dev").and_then(J::as_str).map(str::to_owned),
            );
            assert!(got.contains(&want), "{want:?} not in {got:?}");
        }
    };
    check("-4 route show table all");
    check("-6 route show table all");
    assert!(got.contains(&(254, "10.99.0.0/16".into(), Some("v0".into()))));
    assert!(got.contains(&(100, "10.98.0.0/16".into(), Some("v0".into()))));
    let gw = ours
        .iter()
        .find(|o| route_dst(o) == "fd00:99::/48")
        .expect("fd00:99::/48");
    assert_eq!(gw["RTA_GATEWAY"], "fd00:9::2");
}

fn check_neighs(ns: &Netns, all: &[J]) {
    let ours = replies(all, "RTM_NEWNEIGH");
    // Only the permanent entries: others (multicast, IPv6 solicited-node)
    // come and go between the two dumps.
    for n in ns.ip_json("neigh show nud permanent").as_array().unwrap() {
        let dst = n["dst"].as_str().unwrap();
        let o = ours
            .iter()
            .find(|o| o["NDA_DST"] == dst)
            .unwrap_or_else(|| panic!("neighbour {dst} not in {ours:?}"));
        if let Some(ll) = n.get("lladdr") {
            assert_eq!(&o["NDA_LLADDR"], ll, "{dst}");
        }
    }
    let p = ours
        .iter()
        .find(|o| o["NDA_DST"] == "10.9.0.2")
        .expect("10.9.0.2");
    assert_eq!(p["NDA_LLADDR"], "02:00:00:00:00:02");
}

fn check_rules(ns: &Netns, all: &[J]) {
    let ours = replies(all, "RTM_NEWRULE");
    // `ip -4 rule` and `ip -6 rule` leave out the multicast routing
    // families' rules (`RTNL_FAMILY_IPMR`, `RTNL_FAMILY_IP6MR`).
    let mut got: Vec<(u64, u64)> = ours
        .iter()
        .filter(|o| matches!(as_u64(&o["fib_rule_hdr"]["family"]), 2 | 10))
        .map(|o| {
            let table = o
                .get("FRA_TABLE")
                .map(as_u64)
                .unwrap_or_else(|| as_u64(&o["fib_rule_hdr"]["table"]));
            (o.get("FRA_PRIORITY").map(as_u64).unwrap_or(0), table)
        })
        .collect();
    let mut want = Vec::new();
    for fam in ["-4", "-6"] {
        for r in ns.ip_json(&format!("{fam} rule")).as_array().unwrap() {
            let table = match r["table"].as_str().unwrap() {
                "main" => 254,
                "local" => 255,
                "default" => 253,
                t => t.parse().unwrap(),
            };
            want.push((r["priority"].as_u64().unwrap(), table));
        }
    }
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert!(got.contains(&(1000, 100)));
}

fn check_qdiscs(ns: &Netns, all: &[J], kind: &str) {
    // Type 36, `RTM_NEWQDISC` (the tc spec's copy has no prefix for its
    // operations; `ynlgen/overrides.yaml` gives the kernel's).
    let ours = replies(all, "RTM_NEWQDISC");
    let mut a = vec!["-n", &ns.name, "-j", "qdisc", "show"];
    a.truncate(5);
    let theirs = live_common::json("tc", &a);
    let theirs = theirs.as_array().unwrap();
    assert_eq!(ours.len(), theirs.len(), "{ours:?}\n{theirs:?}");
    let fmt_handle = |h: u64| format!("{:x}:", h >> 16);
    for t in theirs {
        let handle = t["handle"].as_str().unwrap();
        let k = t["kind"].as_str().unwrap();
        let o = ours
            .iter()
            .find(|o| o["TCA_KIND"] == k && fmt_handle(as_u64(&o["tcmsg"]["handle"])) == handle)
            .unwrap_or_else(|| panic!("qdisc {k} {handle} not in {ours:?}"));
        if k == "pfifo" {
            assert_eq!(
                as_u64(&o["TCA_OPTIONS"]["limit"]),
                t["options"]["limit"].as_u64().unwrap()
            );
        }
    }
    assert!(ours.iter().any(|o| o["TCA_KIND"] == kind), "{kind}");
}

/// `VETH_INFO_PEER` (<linux/veth.h>): an `RTM_NEWLINK` request for a veth
/// pair, written with the codec's `Builder` as `ip link add … type veth
/// peer name …` writes it. The kernel must accept it (both ends exist
/// afterwards, as `ip -j link` shows), and `nlwire decode` must read the
/// peer's `struct ifinfomsg` and `IFLA_IFNAME` inside `IFLA_INFO_DATA`,
/// strictly.
#[test]
fn veth_request_peer_decodes_as_ifinfomsg_and_link_attributes() {
    let Some(ns) = Netns::new() else { return };
    const RTM_NEWLINK: u16 = 16;
    const NLM_F_ACK: u16 = 0x4;
    const NLM_F_EXCL: u16 = 0x200;
    const NLM_F_CREATE: u16 = 0x400;
    const IFLA_IFNAME: u16 = 3;
    const IFLA_LINKINFO: u16 = 18;
    const IFLA_INFO_KIND: u16 = 1;
    const IFLA_INFO_DATA: u16 = 2;
    const VETH_INFO_PEER: u16 = 1;
    let mut b = Builder::new_vec();
    b.message(
        RTM_NEWLINK,
        NLM_F_REQUEST | NLM_F_ACK | NLM_F_EXCL | NLM_F_CREATE,
        1,
        0,
        |b| {
            b.put_bytes(&[0; 16])?; // struct ifinfomsg
            b.attr_raw(IFLA_IFNAME, b"nlwv0\0")?;
            b.nested(IFLA_LINKINFO, false, |b| {
                b.attr_raw(IFLA_INFO_KIND, b"veth")?;
                b.nested(IFLA_INFO_DATA, false, |b| {
                    b.nested(VETH_INFO_PEER, false, |b| {
                        b.put_bytes(&[0; 16])?; // the peer's struct ifinfomsg
                        b.attr_raw(IFLA_IFNAME, b"nlwv1\0")
                    })
                })
            })
        },
    )
    .unwrap();
    let request = b.as_bytes().to_vec();
    let mut s =
        Socket::new_in_netns(NetlinkFamily::Route, format!("/var/run/netns/{}", ns.name)).unwrap();
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    let sum = s.dump(&request, |_| ControlFlow::Continue(())).unwrap();
    assert!(sum.acked, "{sum:?}");
    let peer = ns.ip_json("link show dev nlwv1");
    assert_eq!(peer[0]["ifname"], "nlwv1", "{peer}");

    // Strict decode of the request, then `nlwire decode --json`.
    let msg = Messages::new(&request).next().unwrap().unwrap();
    let d = nlwire::decode::decode(NETLINK_ROUTE, msg, Mode::Strict);
    assert!(strict_problems(&d).is_empty(), "{:?}", strict_problems(&d));
    let dir = tempfile_dir();
    let pcap = dir.join("veth.pcap");
    let mut rec = Recorder::create(&pcap).unwrap();
    rec.record(NETLINK_ROUTE, &request, request.len());
    rec.finish().unwrap();
    let all = decode_json(&[pcap.to_str().unwrap()]);
    let m = all
        .iter()
        .find(|m| m["nlmsghdr"]["nlmsg_type"]["name"] == "RTM_NEWLINK")
        .unwrap_or_else(|| panic!("{all:?}"));
    let found = serde_json::to_string(m).unwrap();
    let peer = &m["IFLA_LINKINFO"]["IFLA_INFO_DATA"]["VETH_INFO_PEER"];
    assert_eq!(peer["IFLA_IFNAME"], "nlwv1", "{found}");
    assert!(peer.get("ifinfomsg").is_some(), "{found}");
    let _ = std::fs::remove_dir_all(&dir);
}

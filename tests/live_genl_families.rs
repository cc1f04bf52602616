//! The generated generic netlink declarations (`nlwire::families::<family>`,
//! from the kernel's YNL specs) against the running kernel, in a network
//! namespace the test makes: the controller's `CTRL_CMD_GETFAMILY` dump,
//! ethtool (`ETHTOOL_MSG_*_GET` dumps), netdev (`NETDEV_CMD_DEV_GET`),
//! mptcp_pm (`MPTCP_PM_CMD_GET_ADDR`) and tcp_metrics
//! (`TCP_METRICS_CMD_GET`) replies decode in strict mode (no error, no
//! `UNKNOWN` attribute) by the family id learned at run time, agree with
//! iproute2, and a recorded capture of the `CTRL_CMD_GETFAMILY` exchange
//! then an ethtool dump decodes by the learned name in
//! `nlwire decode --json`. (These are the families of the YNL specs this
//! kernel registers; the others need modules it does not have.)

mod live_common;

use std::ops::ControlFlow;
use std::time::Duration;

use live_common::{decode_json, enum_name, fields_named, strict_problems, Netns};
use nlwire::decode::{decode_ctx, Context, Decoded};
use nlwire::family::NetlinkFamily;
use nlwire::family_ids::FamilyIds;
use nlwire::netlink::{Builder, NLM_F_DUMP, NLM_F_REQUEST};
use nlwire::registry::Registry;
use nlwire::Mode;
use nlwire_io::{Recorder, Socket};

const NETLINK_GENERIC: u16 = 16;
const GENL_ID_CTRL: u16 = 16;
const CTRL_CMD_GETFAMILY: u8 = 3;

fn socket() -> Socket {
    let s = Socket::new(NetlinkFamily::Generic).unwrap();
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    s
}

/// Dump command `cmd` (version `version`) of family `id`; every reply
/// decoded strictly with `ids`; `check` sees each decoded reply. Returns
/// the strict problems.
fn dump(
    s: &mut Socket,
    ids: &FamilyIds,
    id: u16,
    cmd: u8,
    version: u8,
    mut check: impl FnMut(&Decoded<'_>),
) -> (Vec<String>, usize) {
    let mut problems = Vec::new();
    let mut n = 0;
    let ctx = Context {
        ids: Some(ids),
        ..Context::default()
    };
    s.dump_with(
        |b: &mut Builder<Vec<u8>>, seq| {
            b.message(id, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| {
                b.put_bytes(&[cmd, version, 0, 0])
            })
        },
        |m| {
            n += 1;
            let d = decode_ctx(&Registry::DEFAULT, NETLINK_GENERIC, m, Mode::Strict, &ctx);
            problems.extend(strict_problems(&d));
            check(&d);
            ControlFlow::Continue(())
        },
    )
    .unwrap_or_else(|e| panic!("dump of family {id} cmd {cmd}: {e}"));
    (problems, n)
}

/// The link names of the namespace, as `ip -j link` gives them.
fn link_names(ns: &Netns) -> Vec<(u64, String)> {
    let mut v: Vec<_> = ns
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
    v.sort();
    v
}

fn veth(ns: &Netns) {
    ns.ip("link add v0 type veth peer name v1");
    ns.ip("link set v0 up");
    ns.ip("link set v1 up");
    ns.ip("addr add 10.9.0.1/24 dev v0");
}

#[test]
fn nlctrl_dump_decodes_strictly_and_names_every_family() {
    let Some(ns) = Netns::new() else { return };
    let (problems, names) = ns.enter(|| {
        let mut s = socket();
        let ids = FamilyIds::new();
        let mut names = Vec::new();
        let (p, n) = dump(&mut s, &ids, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, |d| {
            names.extend(fields_named(d, "CTRL_ATTR_FAMILY_NAME"));
        });
        assert_eq!(n, names.len());
        (p, names)
    });
    assert!(
        problems.is_empty(),
        "strict decode problems:\n{}",
        problems.join("\n")
    );
    for f in ["nlctrl", "ethtool", "netdev"] {
        assert!(names.iter().any(|n| n == f), "{f} not in {names:?}");
    }
}

#[test]
fn ethtool_netdev_and_mptcp_pm_dumps_decode_strictly_by_learned_id() {
    let Some(ns) = Netns::new() else { return };
    veth(&ns);
    let mptcp = ns.try_ip("mptcp endpoint add 10.9.0.1 id 7 dev v0 signal");
    let links = link_names(&ns);
    let (problems, ethtool_devs, netdev_idx, mptcp_addrs) = ns.enter(|| {
        let mut s = socket();
        let mut ids = FamilyIds::new();
        let mut problems = Vec::new();
        let mut resolve = |s: &mut Socket, name: &str| -> Option<u16> {
            match s.resolve_genl_family(name) {
                Ok(f) => {
                    ids.insert(NETLINK_GENERIC, f.id, name.as_bytes());
                    Some(f.id)
                }
                Err(e) => {
                    live_common::skip(&format!("generic netlink family {name}: {e}"));
                    None
                }
            }
        };
        let eth = resolve(&mut s, "ethtool");
        let nd = resolve(&mut s, "netdev");
        let mp = resolve(&mut s, "mptcp_pm");
        let mut ethtool_devs = Vec::new();
        if let Some(id) = eth {
            // ETHTOOL_MSG_LINKINFO_GET, _LINKMODES_GET, _LINKSTATE_GET,
            // _FEATURES_GET, _CHANNELS_GET.
            for cmd in [2, 4, 6, 11, 17] {
                let (p, _) = dump(&mut s, &ids, id, cmd, 1, |d| {
                    assert_eq!(
                        d.sub_family.map(|f| f.as_str().to_owned()).as_deref(),
                        Some("ethtool")
                    );
                    if cmd == 2 {
                        ethtool_devs.extend(fields_named(d, "ETHTOOL_A_HEADER_DEV_NAME"));
                    }
                });
                problems.extend(p.into_iter().map(|p| format!("ethtool cmd {cmd}: {p}")));
            }
        }
        let mut netdev_idx = Vec::new();
        if let Some(id) = nd {
            let (p, n) = dump(&mut s, &ids, id, 1, 1, |d| {
                netdev_idx.extend(fields_named(d, "NETDEV_A_DEV_IFINDEX"));
            });
            assert!(n > 0, "NETDEV_CMD_DEV_GET answered nothing");
            problems.extend(p.into_iter().map(|p| format!("netdev: {p}")));
        }
        let mut mptcp_addrs = Vec::new();
        if let (Some(id), true) = (mp, mptcp) {
            let (p, _) = dump(&mut s, &ids, id, 3, 1, |d| {
                let a = fields_named(d, "MPTCP_PM_ADDR_ATTR_ADDR4");
                let i = fields_named(d, "MPTCP_PM_ADDR_ATTR_ID");
                mptcp_addrs.push((a.join(","), i.join(",")));
            });
            problems.extend(p.into_iter().map(|p| format!("mptcp_pm: {p}")));
        }
        (problems, ethtool_devs, netdev_idx, mptcp_addrs)
    });
    assert!(
        problems.is_empty(),
        "strict decode problems:\n{}",
        problems.join("\n")
    );
    // ethtool answers for the veth pair (a dump skips `lo`, whose driver
    // has no link info: `EOPNOTSUPP`), each a link of the namespace.
    let mut got = ethtool_devs.clone();
    got.sort();
    if !got.is_empty() {
        assert_eq!(got, ["v0", "v1"], "ETHTOOL_MSG_LINKINFO_GET dump");
        for n in &got {
            assert!(links.iter().any(|(_, l)| l == n), "{n} not in {links:?}");
        }
    }
    if !netdev_idx.is_empty() {
        let mut got: Vec<u64> = netdev_idx.iter().map(|i| i.parse().unwrap()).collect();
        got.sort();
        // Every device the dump names is a link of the namespace. (This
        // kernel's dump answered `lo` only; the veth pair is not required.)
        for i in &got {
            assert!(links.iter().any(|(l, _)| l == i), "{i} not in {links:?}");
        }
        assert!(got.contains(&1), "lo: {got:?}");
    }
    if mptcp {
        let theirs = ns.ip_json("mptcp endpoint show");
        let theirs: Vec<(String, String)> = theirs
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["address"].as_str().unwrap().to_owned(),
                    e["id"].as_u64().unwrap().to_string(),
                )
            })
            .collect();
        assert_eq!(mptcp_addrs, theirs, "MPTCP_PM_CMD_GET_ADDR vs ip mptcp");
        assert_eq!(mptcp_addrs, [("10.9.0.1".to_owned(), "7".to_owned())]);
    }
}

#[test]
fn a_recorded_getfamily_then_ethtool_dump_decodes_by_the_learned_name() {
    let Some(ns) = Netns::new() else { return };
    veth(&ns);
    let dir = std::env::temp_dir().join(format!("nlwire-live-genl-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pcap = dir.join("ethtool.pcap");
    let id = ns.enter(|| {
        let mut s = socket();
        s.set_recorder(Recorder::create(&pcap).unwrap());
        let id = match s.resolve_genl_family("ethtool") {
            Ok(f) => f.id,
            Err(e) => {
                live_common::skip(&format!("generic netlink family ethtool: {e}"));
                return None;
            }
        };
        // ETHTOOL_MSG_LINKINFO_GET dump.
        s.dump_with(
            |b: &mut Builder<Vec<u8>>, seq| {
                b.message(id, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| {
                    b.put_bytes(&[2, 1, 0, 0])
                })
            },
            |_| ControlFlow::Continue(()),
        )
        .unwrap();
        s.take_recorder().unwrap().finish().unwrap();
        Some(id)
    });
    let Some(id) = id else { return };
    let all = decode_json(&[pcap.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    let errs: Vec<_> = all.iter().filter(|m| m.get("errors").is_some()).collect();
    assert!(errs.is_empty(), "{errs:?}");
    // The controller's answer names the family.
    assert!(all.iter().any(|m| {
        enum_name(&m["nlmsghdr"]["nlmsg_type"]) == "GENL_ID_CTRL"
            && m["CTRL_ATTR_FAMILY_NAME"] == "ethtool"
    }));
    let eth: Vec<_> = all
        .iter()
        .filter(|m| m["nlmsghdr"]["nlmsg_type"]["value"] == id)
        .collect();
    assert!(eth.len() >= 3, "request, replies: {eth:?}");
    for m in &eth {
        assert_eq!(m["sub_family"], "ethtool", "{m}");
        assert!(m.get("UNKNOWN").is_none(), "{m}");
    }
    let mut names: Vec<&str> = eth
        .iter()
        .filter(|m| m["direction"] == "response")
        .filter_map(|m| m["ETHTOOL_A_LINKINFO_HEADER"]["ETHTOOL_A_HEADER_DEV_NAME"].as_str())
        .collect();
    names.sort();
    // `lo` has no link info (`EOPNOTSUPP`): the dump skips it.
    assert_eq!(names, ["v0", "v1"], "{eth:?}");
}

#[test]
fn tcp_metrics_dump_decodes_strictly_and_agrees_with_ip() {
    // A TCP connection over the veth pair leaves its metrics (the kernel
    // saves them when a connection with RTT samples closes); the
    // TCP_METRICS_CMD_GET dump must decode strictly by the learned id
    // (TCP_METRICS_ATTR_VALS is sent as the kernel sends it) and name the
    // same destinations as `ip tcp_metrics show`.
    let Some(ns) = Netns::new() else { return };
    veth(&ns);
    ns.ip("link set lo up");
    ns.ip("addr add 10.9.0.2/24 dev v1");
    let (problems, dsts) = ns.enter(|| {
        use std::io::{Read, Write};
        let l = std::net::TcpListener::bind("10.9.0.2:0").unwrap();
        let to = l.local_addr().unwrap();
        let mut c = std::net::TcpStream::connect(to).unwrap();
        let (mut a, _) = l.accept().unwrap();
        c.write_all(&[7u8; 65536]).unwrap();
        let mut buf = vec![0u8; 65536];
        a.read_exact(&mut buf).unwrap();
        a.write_all(b"y").unwrap();
        c.read_exact(&mut buf[..1]).unwrap();
        drop(c);
        drop(a);
        std::thread::sleep(Duration::from_millis(200));
        let mut s = socket();
        let mut ids = FamilyIds::new();
        let Ok(f) = s.resolve_genl_family("tcp_metrics") else {
            live_common::skip("generic netlink family tcp_metrics");
            return (Vec::new(), Vec::new());
        };
        ids.insert(NETLINK_GENERIC, f.id, b"tcp_metrics");
        let mut dsts = Vec::new();
        // TCP_METRICS_CMD_GET (1), version 1.
        let (p, _) = dump(&mut s, &ids, f.id, 1, 1, |d| {
            assert_eq!(
                d.sub_family.map(|f| f.as_str().to_owned()).as_deref(),
                Some("tcp_metrics")
            );
            dsts.extend(fields_named(d, "TCP_METRICS_ATTR_ADDR_IPV4"));
        });
        (p, dsts)
    });
    assert!(
        problems.is_empty(),
        "strict decode problems:\n{}",
        problems.join("\n")
    );
    let mut theirs: Vec<String> = ns
        .ip_json("tcp_metrics show")
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["dst"].as_str().unwrap().to_owned())
        .collect();
    theirs.sort();
    let mut ours = dsts;
    ours.sort();
    assert_eq!(ours, theirs, "TCP_METRICS_ATTR_ADDR_IPV4 vs ip tcp_metrics");
    assert!(ours.iter().any(|d| d == "10.9.0.2"), "{ours:?}");
}

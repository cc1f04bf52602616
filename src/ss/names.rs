//! Names `ss` shows instead of numbers: services (`/etc/services`, as
//! getservbyport(3) would read it), interfaces (`/sys/class/net`) and cgroup
//! v2 paths (a cgroup's id is its directory's inode under `/sys/fs/cgroup`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::OnceLock;

/// `(port, protocol) -> name` and `name -> port` from `/etc/services`.
struct Services {
    by_port: HashMap<(u16, String), String>,
    by_name: HashMap<String, u16>,
}

fn services() -> &'static Services {
    static S: OnceLock<Services> = OnceLock::new();
    S.get_or_init(|| {
        let mut s = Services {
            by_port: HashMap::new(),
            by_name: HashMap::new(),
        };
        let text = std::fs::read_to_string("/etc/services").unwrap_or_default();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default();
            let mut words = line.split_whitespace();
            let (Some(name), Some(pp)) = (words.next(), words.next()) else {
                continue;
            };
            let Some((port, proto)) = pp.split_once('/') else {
                continue;
            };
            let Ok(port) = port.parse::<u16>() else {
                continue;
            };
            s.by_port
                .entry((port, proto.to_string()))
                .or_insert_with(|| name.to_string());
            s.by_name.entry(name.to_string()).or_insert(port);
            for alias in words {
                s.by_name.entry(alias.to_string()).or_insert(port);
            }
        }
        s
    })
}

/// The service name of `port` for `proto` (`"tcp"`, `"udp"`), as ss's
/// `resolve_service` gives it: none for a port in the local ephemeral
/// range ([`is_ephemeral`]), where a name would only be a coincidence.
pub fn service_name(port: u16, proto: &str) -> Option<&'static str> {
    if is_ephemeral(port) {
        return None;
    }
    services()
        .by_port
        .get(&(port, proto.to_string()))
        .map(String::as_str)
}

/// The local ephemeral port range, `/proc/sys/net/ipv4/ip_local_port_range`
/// (ss's `is_ephemeral`; 1024–4999, ss's fallback, when it cannot be read).
fn ephemeral_range() -> (u16, u16) {
    static R: OnceLock<(u16, u16)> = OnceLock::new();
    *R.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/net/ipv4/ip_local_port_range")
            .ok()
            .and_then(|t| parse_port_range(&t))
            .unwrap_or((1024, 4999))
    })
}

/// `"32768\t60999\n"` as two ports.
fn parse_port_range(text: &str) -> Option<(u16, u16)> {
    let mut w = text.split_whitespace().map(str::parse::<u16>);
    match (w.next(), w.next()) {
        (Some(Ok(lo)), Some(Ok(hi))) => Some((lo, hi)),
        _ => None,
    }
}

/// `port` is in the local ephemeral range: ss prints it as a number even
/// when `/etc/services` names it.
pub fn is_ephemeral(port: u16) -> bool {
    let (lo, hi) = ephemeral_range();
    (lo..=hi).contains(&port)
}

/// The port of a service name.
pub fn service_port(name: &str) -> Option<u16> {
    services().by_name.get(name).copied()
}

/// `-N`: the interfaces of the namespace being listed (index, name), read
/// there by an `RTM_GETLINK` dump. `/sys/class/net` shows the namespace
/// sysfs was mounted in, not the one `-N` names, so once this is set the
/// lookups below use it instead.
static NETNS_LINKS: std::sync::OnceLock<Vec<(u32, String)>> = std::sync::OnceLock::new();

/// Read the interfaces of the network namespace at `path` (an `RTM_GETLINK`
/// dump from a `NETLINK_ROUTE` socket opened there, each reply decoded by
/// the codec's rtnetlink declarations: `ifi_index`, `IFLA_IFNAME`), for
/// every later name lookup of this run.
pub fn use_links_of_netns(path: &Path) -> Result<(), String> {
    use nlwire::families::route::{link::LinkAttrs, RouteMessage};
    use nlwire::netlink::{OrShort, NLM_F_DUMP, NLM_F_REQUEST};
    const RTM_GETLINK: u16 = 18;
    let mut sock = nlwire_io::Socket::new_in_netns(nlwire::family::NetlinkFamily::Route, path)
        .map_err(|e| {
            format!(
                "cannot open a NETLINK_ROUTE socket in {}: {e}",
                path.display()
            )
        })?;
    let mut links = Vec::new();
    sock.dump_with(
        |b, seq| {
            b.message(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| {
                // `struct ifinfomsg`, all zero: every link.
                b.put_bytes(&[0; 16])
            })
        },
        |m| {
            if let Ok(RouteMessage::Link(OrShort::Full(l))) =
                RouteMessage::parse(&m, nlwire::Mode::Lenient)
            {
                let name = l.attrs().flatten().find_map(|a| match a {
                    LinkAttrs::Ifname(n) => {
                        Some(String::from_utf8_lossy(n.to_bytes()).into_owned())
                    }
                    _ => None,
                });
                if let (Ok(index), Some(name)) = (u32::try_from(l.header.ifi_index.get()), name) {
                    links.push((index, name));
                }
            }
            std::ops::ControlFlow::Continue(())
        },
    )
    .map_err(|e| format!("RTM_GETLINK dump in {}: {e}", path.display()))?;
    let _ = NETNS_LINKS.set(links);
    Ok(())
}

/// The interface index of `name` (`/sys/class/net/NAME/ifindex`, or the
/// `-N` namespace's links).
pub fn ifindex_of(name: &str) -> Option<u32> {
    if let Some(links) = NETNS_LINKS.get() {
        return links.iter().find(|(_, n)| n == name).map(|(i, _)| *i);
    }
    if name.contains('/') || name.is_empty() {
        return None;
    }
    let text =
        std::fs::read_to_string(Path::new("/sys/class/net").join(name).join("ifindex")).ok()?;
    text.trim().parse().ok()
}

/// The name of interface `index` (`/sys/class/net`, or the `-N`
/// namespace's links).
pub fn ifname_of(index: u32) -> Option<String> {
    if let Some(links) = NETNS_LINKS.get() {
        return links
            .iter()
            .find(|(i, _)| *i == index)
            .map(|(_, n)| n.clone());
    }
    for entry in std::fs::read_dir("/sys/class/net").ok()?.flatten() {
        let idx = std::fs::read_to_string(entry.path().join("ifindex")).ok();
        if idx.and_then(|t| t.trim().parse::<u32>().ok()) == Some(index) {
            return Some(entry.file_name().to_string_lossy().into_owned());
        }
    }
    None
}

/// Where cgroup2 is mounted (from /proc/self/mounts; `/sys/fs/cgroup` if
/// none is listed).
fn cgroup2_mount() -> String {
    let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
    mounts
        .lines()
        .find_map(|l| {
            let mut w = l.split_whitespace();
            let (_, dir, fstype) = (w.next(), w.next()?, w.next()?);
            (fstype == "cgroup2").then(|| dir.to_string())
        })
        .unwrap_or_else(|| "/sys/fs/cgroup".into())
}

/// The id of cgroup `path`: the inode of its directory (kernfs gives each
/// cgroup directory its 64-bit id as inode number). A path under the
/// cgroup2 mount (`/sys/fs/cgroup/user.slice`) is taken as is, any other
/// path relative to the mount (`user.slice`, and `/user.slice` as
/// `--cgroup` prints it). iproute2 6.1's `get_cgroup2_id` takes every
/// absolute path as a file system path, so there `cgroup /` is not the root
/// cgroup and matches nothing; here it is the root cgroup.
pub fn cgroup_id(path: &str) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    let mount = cgroup2_mount();
    let full = if Path::new(path).starts_with(&mount) {
        Path::new(path).to_path_buf()
    } else {
        Path::new(&mount).join(path.trim_start_matches('/'))
    };
    let md = std::fs::metadata(full).ok()?;
    md.is_dir().then(|| md.ino())
}

/// The cgroup v2 path of cgroup `id` (`/` for the root), found by walking
/// the cgroup2 mount (from /proc/self/mounts; `/sys/fs/cgroup` if none is
/// listed) once, as `ss` does (`cg_id_to_path`).
pub fn cgroup_path(id: u64) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    static MAP: OnceLock<HashMap<u64, String>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mount = cgroup2_mount();
        let root = Path::new(&mount);
        let mut map = HashMap::new();
        let mut todo = vec![root.to_path_buf()];
        while let Some(dir) = todo.pop() {
            if let Ok(md) = std::fs::metadata(&dir) {
                let rel = dir.strip_prefix(root).map(|r| format!("/{}", r.display()));
                if let Ok(rel) = rel {
                    map.insert(md.ino(), rel);
                }
            }
            if let Ok(rd) = std::fs::read_dir(&dir) {
                for e in rd.flatten() {
                    if e.file_type().map(|t| t.is_dir()).unwrap_or(false) {
                        todo.push(e.path());
                    }
                }
            }
        }
        map
    });
    map.get(&id).cloned()
}

/// iproute2's built-in `nl_proto_tab` (`lib/rt_names.c`): netlink protocol
/// names, as `ss -A netlink` shows them without `-n`.
const NL_PROTOS: &[(u8, &str)] = &[
    (0, "rtnl"),
    (1, "unused"),
    (2, "usersock"),
    (3, "fw"),
    (4, "tcpdiag"),
    (5, "nflog"),
    (6, "xfrm"),
    (7, "selinux"),
    (8, "iscsi"),
    (9, "audit"),
    (10, "fiblookup"),
    (11, "connector"),
    (12, "nft"),
    (13, "ip6fw"),
    (14, "dec-rt"),
    (15, "uevent"),
    (16, "genl"),
    (18, "scsi-trans"),
    (19, "ecryptfs"),
    (20, "rdma"),
    (21, "crypto"),
];

/// The name of netlink protocol `proto` (`nl_proto_n2a`): from
/// `/etc/iproute2/nl_protos` (`NUMBER NAME` lines, `#` comments) when it
/// names it, else iproute2's built-in table, else the number.
pub fn netlink_proto_name(proto: u8) -> String {
    static FILE: OnceLock<HashMap<u8, String>> = OnceLock::new();
    let file = FILE.get_or_init(|| {
        let text = std::fs::read_to_string("/etc/iproute2/nl_protos").unwrap_or_default();
        text.lines()
            .filter_map(|l| {
                let l = l.split('#').next().unwrap_or_default();
                let mut w = l.split_whitespace();
                let id = w.next()?.parse::<u8>().ok()?;
                Some((id, w.next()?.to_string()))
            })
            .collect()
    });
    if let Some(n) = file.get(&proto) {
        return n.clone();
    }
    NL_PROTOS
        .iter()
        .find(|(id, _)| *id == proto)
        .map_or_else(|| proto.to_string(), |(_, n)| (*n).to_string())
}

/// iproute2's `llproto_names` (`lib/ll_proto.c`): `ETH_P_*` names as
/// `ss -0` shows a packet socket's protocol without `-n` (the first entry
/// for a number wins).
const LL_PROTOS: &[(u16, &str)] = &[
    (0x0060, "loop"),
    (0x0200, "pup"),
    (0x0201, "pupat"),
    (0x0800, "ip"),
    (0x0805, "x25"),
    (0x0806, "arp"),
    (0x08ff, "bpq"),
    (0x0a00, "ieeepup"),
    (0x0a01, "ieeepupat"),
    (0x6000, "dec"),
    (0x6001, "dna_dl"),
    (0x6002, "dna_rc"),
    (0x6003, "dna_rt"),
    (0x6004, "lat"),
    (0x6005, "diag"),
    (0x6006, "cust"),
    (0x6007, "sca"),
    (0x8035, "rarp"),
    (0x809b, "atalk"),
    (0x80f3, "aarp"),
    (0x8137, "ipx"),
    (0x86dd, "ipv6"),
    (0x8863, "ppp_disc"),
    (0x8864, "ppp_ses"),
    (0x884c, "atmmpoa"),
    (0x8884, "atmfate"),
    (0x0001, "802_3"),
    (0x0002, "ax25"),
    (0x0003, "all"),
    (0x0004, "802_2"),
    (0x0005, "snap"),
    (0x0006, "ddcmp"),
    (0x0007, "wan_ppp"),
    (0x0008, "ppp_mp"),
    (0x0009, "localtalk"),
    (0x000c, "can"),
    (0x0010, "ppptalk"),
    (0x0011, "tr_802_2"),
    (0x0015, "mobitex"),
    (0x0016, "control"),
    (0x0017, "irda"),
    (0x0018, "econet"),
    (0x88ca, "tipc"),
    (0x8892, "profinet"),
    (0x88a2, "aoe"),
    (0x88a4, "ethercat"),
    (0x8100, "802.1Q"),
    (0x88a8, "802.1ad"),
    (0x8847, "mpls_uc"),
    (0x8848, "mpls_mc"),
    (0x6558, "teb"),
    (0x8902, "cfm"),
    (0x88cc, "LLDP"),
];

/// A packet socket's protocol as ss prints it (`ll_proto_n2a`): the name
/// unless `numeric`, else (or without a name) `[NUMBER]`.
pub fn ll_proto_name(proto: u16, numeric: bool) -> String {
    LL_PROTOS
        .iter()
        .find(|(id, _)| !numeric && *id == proto)
        .map_or_else(|| format!("[{proto}]"), |(_, n)| (*n).to_string())
}

/// The "port" of a netlink socket as ss prints it without `-n`
/// (`netlink_show_one`): `kernel` for port id 0, `COMM/PID` when a process
/// with that pid exists (`/proc/PID/stat`), else the port id as a C `int`
/// (`*` for -1).
pub fn netlink_port_name(portid: u32) -> String {
    let pid = portid as i32;
    if pid == -1 {
        return "*".into();
    }
    if pid == 0 {
        return "kernel".into();
    }
    if pid > 0 {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // `%*d (%[^)])`: the command up to the first `)`.
        if let Some(comm) = stat
            .split_once(" (")
            .and_then(|(_, rest)| rest.split(')').next())
            .filter(|c| !c.is_empty())
        {
            return format!("{comm}/{pid}");
        }
    }
    pid.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_layer_protocols_like_ll_proto_n2a() {
        assert_eq!(ll_proto_name(0x0806, false), "arp");
        assert_eq!(ll_proto_name(0x0806, true), "[2054]");
        assert_eq!(ll_proto_name(0x88cc, false), "LLDP");
        assert_eq!(ll_proto_name(0, false), "[0]");
    }

    #[test]
    fn netlink_ports_like_netlink_show_one() {
        assert_eq!(netlink_port_name(0), "kernel");
        assert_eq!(netlink_port_name(u32::MAX), "*");
        assert_eq!(netlink_port_name(-4097i32 as u32), "-4097");
        let me = std::process::id();
        assert!(netlink_port_name(me).ends_with(&format!("/{me}")));
        assert_eq!(netlink_proto_name(200), "200");
    }

    /// A port in the local ephemeral range is not named, though
    /// `/etc/services` names it (ss's `resolve_service`); one outside it
    /// is, when the file has it.
    #[test]
    fn ports_in_the_ephemeral_range_are_not_named() {
        assert_eq!(parse_port_range("32768\t60999\n"), Some((32768, 60999)));
        assert_eq!(parse_port_range("1024 4999"), Some((1024, 4999)));
        assert_eq!(parse_port_range("32768"), None);
        assert_eq!(parse_port_range("a b"), None);
        let (lo, hi) = ephemeral_range();
        assert!(is_ephemeral(lo) && is_ephemeral(hi));
        assert!(lo.checked_sub(1).is_none_or(|p| !is_ephemeral(p)));
        for (port, name) in &services().by_port {
            if port.1 == "tcp" && is_ephemeral(port.0) {
                assert_eq!(service_name(port.0, "tcp"), None, "{name}");
            }
        }
        for (port, name) in &services().by_port {
            if port.1 == "tcp" && !is_ephemeral(port.0) {
                assert_eq!(service_name(port.0, "tcp"), Some(name.as_str()));
            }
        }
    }
}

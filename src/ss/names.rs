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

/// The service name of `port` for `proto` (`"tcp"`, `"udp"`).
pub fn service_name(port: u16, proto: &str) -> Option<&'static str> {
    services()
        .by_port
        .get(&(port, proto.to_string()))
        .map(String::as_str)
}

/// The port of a service name.
pub fn service_port(name: &str) -> Option<u16> {
    services().by_name.get(name).copied()
}

/// The interface index of `name` (`/sys/class/net/NAME/ifindex`).
pub fn ifindex_of(name: &str) -> Option<u32> {
    if name.contains('/') || name.is_empty() {
        return None;
    }
    let text =
        std::fs::read_to_string(Path::new("/sys/class/net").join(name).join("ifindex")).ok()?;
    text.trim().parse().ok()
}

/// The name of interface `index`.
pub fn ifname_of(index: u32) -> Option<String> {
    for entry in std::fs::read_dir("/sys/class/net").ok()?.flatten() {
        let idx = std::fs::read_to_string(entry.path().join("ifindex")).ok();
        if idx.and_then(|t| t.trim().parse::<u32>().ok()) == Some(index) {
            return Some(entry.file_name().to_string_lossy().into_owned());
        }
    }
    None
}

/// The cgroup v2 path of cgroup `id` (`/` for the root), found by walking
/// the cgroup2 mount (from /proc/self/mounts; `/sys/fs/cgroup` if none is
/// listed) once, as `ss` does (`cg_id_to_path`).
pub fn cgroup_path(id: u64) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    static MAP: OnceLock<HashMap<u64, String>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        let mounts = std::fs::read_to_string("/proc/self/mounts").unwrap_or_default();
        let mount = mounts
            .lines()
            .find_map(|l| {
                let mut w = l.split_whitespace();
                let (_, dir, fstype) = (w.next(), w.next()?, w.next()?);
                (fstype == "cgroup2").then(|| dir.to_string())
            })
            .unwrap_or_else(|| "/sys/fs/cgroup".into());
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

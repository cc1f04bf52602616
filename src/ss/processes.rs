//! `nlwire ss -p`: the processes that hold each socket, as iproute2 `ss`
//! finds them (`user_ent_hash_build`): every `/proc/PID/fd/FD` whose link
//! reads `socket:[INODE]` names a user of the socket with that inode (the
//! `idiag_inode`, `udiag_ino`, `ndiag_ino` or `pdiag_ino` of the reply); the
//! process name is the `comm` field of `/proc/PID/stat` (up to its first
//! `)`, as ss's `fscanf("%*d (%[^)])")` reads it).
//!
//! Built once per run, only with `-p`, in one pass over `/proc` after the
//! dump: one `readlink` per open file descriptor of every process, one read
//! of `/proc/PID/stat` per process holding a listed socket, and only the
//! inodes of the listed sockets are kept (memory bounded by the dump, not
//! by the machine). Processes and descriptors that vanish or cannot be read
//! during the pass are skipped, as ss skips them. Without root only the
//! caller's own processes can be read (as with ss).

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use super::selinux::{self, Contexts};

/// One holder of a socket: a process and one of its descriptors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// The process name (`comm`).
    pub comm: String,
    /// The process id.
    pub pid: u32,
    /// The file descriptor.
    pub fd: u32,
    /// `-Z`/`-z`: the process's SELinux context (`proc_ctx=`).
    pub proc_ctx: Option<String>,
    /// `-z`: the socket's SELinux context (`sock_ctx=`).
    pub sock_ctx: Option<String>,
}

/// Socket inode → its users, in ss's order (the last found first: ss
/// prepends each entry to its hash chain, so it prints descending pid,
/// then descending fd).
#[derive(Debug, Default)]
pub struct Users {
    map: HashMap<u64, Vec<User>>,
}

/// The inode in a `socket:[INODE]` link.
fn socket_inode(link: &Path) -> Option<u64> {
    link.to_str()?
        .strip_prefix("socket:[")?
        .strip_suffix(']')?
        .parse()
        .ok()
}

/// The name in `/proc/PID/stat`: between the first `(` and the first `)`
/// after it (ss's `%*d (%[^)])`).
fn stat_comm(stat: &str) -> Option<String> {
    let (_, rest) = stat.split_once('(')?;
    let end = rest.find(')').unwrap_or(rest.len());
    Some(rest.get(..end)?.to_string())
}

fn numeric_entries(dir: &Path) -> Vec<u32> {
    let mut out: Vec<u32> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    out.sort_unstable();
    out
}

impl Users {
    /// Scan `proc` (normally `/proc`) for the holders of the sockets whose
    /// inodes are in `wanted`, also reading the SELinux `contexts` asked
    /// for (`-Z`, `-z`): once per process, and once per listed socket
    /// descriptor.
    pub fn scan_with(proc: &Path, wanted: &HashSet<u64>, contexts: Contexts) -> Users {
        let mut map: HashMap<u64, Vec<User>> = HashMap::new();
        if wanted.is_empty() {
            return Users { map };
        }
        for pid in numeric_entries(proc) {
            let pid_dir = proc.join(pid.to_string());
            let mut comm: Option<String> = None;
            let mut proc_ctx: Option<String> = None;
            for fd in numeric_entries(&pid_dir.join("fd")) {
                let Ok(link) = std::fs::read_link(pid_dir.join("fd").join(fd.to_string())) else {
                    continue;
                };
                let Some(ino) = socket_inode(&link).filter(|i| wanted.contains(i)) else {
                    continue;
                };
                let name = comm.get_or_insert_with(|| {
                    std::fs::read_to_string(pid_dir.join("stat"))
                        .ok()
                        .and_then(|s| stat_comm(&s))
                        .unwrap_or_default()
                });
                let name = name.clone();
                let (proc_ctx, sock_ctx) = match contexts {
                    Contexts::None => (None, None),
                    Contexts::Process | Contexts::ProcessAndSocket => {
                        let p = proc_ctx
                            .get_or_insert_with(|| selinux::process(proc, pid))
                            .clone();
                        let s = (contexts == Contexts::ProcessAndSocket)
                            .then(|| selinux::file(&pid_dir.join("fd").join(fd.to_string())));
                        (Some(p), s)
                    }
                };
                map.entry(ino).or_default().push(User {
                    comm: name,
                    pid,
                    fd,
                    proc_ctx,
                    sock_ctx,
                });
            }
        }
        for users in map.values_mut() {
            users.reverse();
        }
        Users { map }
    }

    /// The users of socket `ino` (empty if none was found).
    pub fn of(&self, ino: u64) -> &[User] {
        self.map.get(&ino).map_or(&[], Vec::as_slice)
    }

    /// ` users:(("name",pid=…,fd=…),…)` as ss prints it, or nothing; with
    /// `-Z` each entry is `("name",pid=…,proc_ctx=…,fd=…)`, with `-z`
    /// `("name",pid=…,proc_ctx=…,fd=…,sock_ctx=…)` (ss's `find_entry`).
    pub fn text(&self, ino: u64) -> String {
        let users = self.of(ino);
        if ino == 0 || users.is_empty() {
            return String::new();
        }
        let mut s = String::from(" users:(");
        for (i, u) in users.iter().enumerate() {
            if i > 0 {
                s.push(',');
            }
            let _ = match (&u.proc_ctx, &u.sock_ctx) {
                (Some(p), Some(k)) => write!(
                    s,
                    "(\"{}\",pid={},proc_ctx={p},fd={},sock_ctx={k})",
                    u.comm, u.pid, u.fd
                ),
                (Some(p), None) => {
                    write!(s, "(\"{}\",pid={},proc_ctx={p},fd={})", u.comm, u.pid, u.fd)
                }
                _ => write!(s, "(\"{}\",pid={},fd={})", u.comm, u.pid, u.fd),
            };
        }
        s.push(')');
        s
    }

    /// The `users` key of `--json`: an array of `{"comm", "pid", "fd"}`
    /// objects, with `"proc_ctx"` (`-Z`, `-z`) and `"sock_ctx"` (`-z`)
    /// (absent when no process was found).
    pub fn json(&self, ino: u64) -> Option<serde_json::Value> {
        let users = self.of(ino);
        if ino == 0 || users.is_empty() {
            return None;
        }
        Some(serde_json::Value::Array(
            users
                .iter()
                .map(|u| {
                    let mut o = serde_json::json!({"comm": u.comm, "pid": u.pid, "fd": u.fd});
                    if let serde_json::Value::Object(m) = &mut o {
                        if let Some(p) = &u.proc_ctx {
                            m.insert("proc_ctx".into(), p.clone().into());
                        }
                        if let Some(k) = &u.sock_ctx {
                            m.insert("sock_ctx".into(), k.clone().into());
                        }
                    }
                    o
                })
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_stat_names() {
        assert_eq!(socket_inode(Path::new("socket:[1234]")), Some(1234));
        assert_eq!(socket_inode(Path::new("pipe:[1234]")), None);
        assert_eq!(socket_inode(Path::new("socket:[12x]")), None);
        assert_eq!(
            stat_comm("42 (my prog) S 1 2 3").as_deref(),
            Some("my prog")
        );
        // ss stops at the first `)`.
        assert_eq!(stat_comm("42 (a)b) S").as_deref(), Some("a"));
    }

    /// `-Z` and `-z` on a fabricated /proc tree (this host has no SELinux):
    /// the process context from `attr/current`, the socket's unreadable
    /// (a dangling `socket:[…]` link has no `security.selinux`), in ss's
    /// order of keys.
    #[test]
    fn contexts_in_ss_order() {
        let root = std::env::temp_dir().join(format!("nlwire-proc-{}", std::process::id()));
        let pid = root.join("42");
        std::fs::create_dir_all(pid.join("fd")).unwrap();
        std::fs::create_dir_all(pid.join("attr")).unwrap();
        std::fs::write(pid.join("stat"), "42 (srv) S 1").unwrap();
        std::fs::write(pid.join("attr/current"), "system_u:system_r:httpd_t:s0\0").unwrap();
        std::os::unix::fs::symlink("socket:[777]", pid.join("fd/3")).unwrap();
        let wanted = HashSet::from([777]);
        let z = Users::scan_with(&root, &wanted, Contexts::Process);
        assert_eq!(
            z.text(777),
            " users:((\"srv\",pid=42,proc_ctx=system_u:system_r:httpd_t:s0,fd=3))"
        );
        let zz = Users::scan_with(&root, &wanted, Contexts::ProcessAndSocket);
        assert_eq!(
            zz.text(777),
            " users:((\"srv\",pid=42,proc_ctx=system_u:system_r:httpd_t:s0,fd=3,sock_ctx=unavailable))"
        );
        let j = zz.json(777).unwrap();
        assert_eq!(j[0]["proc_ctx"], "system_u:system_r:httpd_t:s0");
        assert_eq!(j[0]["sock_ctx"], "unavailable");
        let p = Users::scan_with(&root, &wanted, Contexts::None);
        assert_eq!(p.text(777), " users:((\"srv\",pid=42,fd=3))");
        assert!(p.json(777).unwrap()[0].get("proc_ctx").is_none());
        let _ = std::fs::remove_dir_all(&root);
    }

    /// The test process's own socket is found, with its pid and fd, and
    /// printed as ss prints it.
    #[test]
    fn finds_own_socket() {
        use std::os::fd::AsRawFd;
        use std::os::unix::fs::MetadataExt;
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let fd = l.as_raw_fd();
        let ino = std::fs::metadata(format!("/proc/self/fd/{fd}"))
            .unwrap()
            .ino();
        let users = Users::scan_with(Path::new("/proc"), &HashSet::from([ino]), Contexts::None);
        let me = std::process::id();
        let found = users.of(ino);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].pid, found[0].fd), (me, fd as u32));
        assert_eq!(
            users.text(ino),
            format!(" users:((\"{}\",pid={me},fd={fd}))", found[0].comm)
        );
        assert!(users.text(ino + 1).is_empty());
    }
}

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

/// One holder of a socket: a process and one of its descriptors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// The process name (`comm`).
    pub comm: String,
    /// The process id.
    pub pid: u32,
    /// The file descriptor.
    pub fd: u32,
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
    /// inodes are in `wanted`.
    pub fn scan(proc: &Path, wanted: &HashSet<u64>) -> Users {
        let mut map: HashMap<u64, Vec<User>> = HashMap::new();
        if wanted.is_empty() {
            return Users { map };
        }
        for pid in numeric_entries(proc) {
            let pid_dir = proc.join(pid.to_string());
            let mut comm: Option<String> = None;
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
                map.entry(ino).or_default().push(User {
                    comm: name.clone(),
                    pid,
                    fd,
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

    /// ` users:(("name",pid=…,fd=…),…)` as ss prints it, or nothing.
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
            let _ = write!(s, "(\"{}\",pid={},fd={})", u.comm, u.pid, u.fd);
        }
        s.push(')');
        s
    }

    /// The `users` key of `--json`: an array of `{"comm", "pid", "fd"}`
    /// objects (absent when no process was found).
    pub fn json(&self, ino: u64) -> Option<serde_json::Value> {
        let users = self.of(ino);
        if ino == 0 || users.is_empty() {
            return None;
        }
        Some(serde_json::Value::Array(
            users
                .iter()
                .map(|u| serde_json::json!({"comm": u.comm, "pid": u.pid, "fd": u.fd}))
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
        let users = Users::scan(Path::new("/proc"), &HashSet::from([ino]));
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

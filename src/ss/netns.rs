//! `-N NAME` / `--net NAME` and `--all-namespaces`: sockets of other network
//! namespaces.
//!
//! `-N` opens the `NETLINK_SOCK_DIAG` socket in the namespace
//! (`nlwire_io::Socket::new_in_netns`: a short-lived thread `setns`es and
//! opens it; nlwire's own threads never move), so every dump and
//! `SOCK_DESTROY` of the run talks to that namespace's tables. iproute2 `ss
//! -N` moves the whole process instead, so it also resolves interface names
//! there; `nlwire ss -N` resolves them in its own namespace.
//!
//! `--all-namespaces` lists every named namespace (`/var/run/netns/*`) and
//! every other distinct network namespace a running process is in
//! (`/proc/PID/ns/net`, told apart by the nsfs inode), and runs `nlwire ss`
//! again for each with `--net PATH` and every other option as given. Text
//! output puts each namespace's listing under a `netns LABEL:` line; JSON
//! adds a `"netns"` key to every object. A named namespace is labelled by
//! its name, another by `net:[INODE]` (what `readlink /proc/PID/ns/net`
//! shows).

use std::collections::HashSet;
use std::ffi::OsString;
use std::io::Write as _;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use nlwire::family::NetlinkFamily;
use nlwire_io::{Socket, NETNS_RUN_DIR};

use super::{fail, SsArgs, USAGE};

/// The namespace file `-N` names: a path as given if it has a `/`, else a
/// name under `/var/run/netns`.
pub fn netns_path(name: &str) -> PathBuf {
    if name.contains('/') {
        PathBuf::from(name)
    } else {
        PathBuf::from(NETNS_RUN_DIR).join(name)
    }
}

/// The `NETLINK_SOCK_DIAG` socket of the run: in the `-N` namespace if one
/// was given.
pub fn open(a: &SsArgs) -> Result<Socket, String> {
    match &a.net {
        None => Socket::new(NetlinkFamily::SockDiag)
            .map_err(|e| format!("cannot open a NETLINK_SOCK_DIAG socket: {e}")),
        Some(name) => {
            let path = netns_path(name);
            Socket::new_in_netns(NetlinkFamily::SockDiag, &path).map_err(|e| {
                let hint = match e.errno() {
                    Some(2) => " (no such namespace; `ip netns list` shows the named ones)",
                    Some(1) => " (setns needs CAP_SYS_ADMIN)",
                    Some(22) => " (not a network namespace file)",
                    _ => "",
                };
                format!(
                    "cannot open a NETLINK_SOCK_DIAG socket in network namespace \"{name}\" ({}): {e}{hint}",
                    path.display()
                )
            })
        }
    }
}

/// One namespace to list: its label and a file naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    pub label: String,
    pub path: PathBuf,
}

/// Every named namespace (sorted by name), then every other distinct
/// namespace of a running process (by first pid); each namespace once.
pub fn all_namespaces() -> Vec<Namespace> {
    let mut seen: HashSet<(u64, u64)> = HashSet::new();
    let mut out = Vec::new();
    let mut named: Vec<(String, PathBuf)> = std::fs::read_dir(NETNS_RUN_DIR)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .collect();
    named.sort();
    for (name, path) in named {
        // A name whose bind mount is gone stats as a plain file: the
        // namespace inode is what counts, so such a name is skipped below
        // only if it duplicates one; `-N` on it fails with a message.
        if let Ok(m) = std::fs::metadata(&path) {
            if seen.insert((m.dev(), m.ino())) {
                out.push(Namespace { label: name, path });
            }
        }
    }
    let mut pids: Vec<u32> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse().ok())
        .collect();
    pids.sort_unstable();
    for pid in pids {
        let path = PathBuf::from(format!("/proc/{pid}/ns/net"));
        // Processes may end meanwhile, or be kernel threads: skip them.
        let Ok(m) = std::fs::metadata(&path) else {
            continue;
        };
        if seen.insert((m.dev(), m.ino())) {
            out.push(Namespace {
                label: format!("net:[{}]", m.ino()),
                path,
            });
        }
    }
    out
}

/// The files one child writes its parts of `--record` and `-D` into, and
/// their merge into the files the user named: one pcap (the first part's
/// global header, then every part's packets in namespace order) and one
/// `-D` file (the parts one after the other). Without this every child
/// would overwrite the same file and only the last namespace would be left.
struct Parts {
    record: Option<(PathBuf, PathBuf)>,
    diag: Option<(PathBuf, PathBuf)>,
    started: (bool, bool),
}

impl Parts {
    fn new(a: &SsArgs) -> Parts {
        let tmp = |what: &str| {
            std::env::temp_dir().join(format!("nlwire-ss-{}-{what}.part", std::process::id()))
        };
        Parts {
            record: a.record.clone().map(|f| (f, tmp("record"))),
            // `-D -` goes to each child's stdout, which the parent passes on.
            diag: a
                .diag
                .clone()
                .filter(|f| f.as_os_str() != "-")
                .map(|f| (f, tmp("diag"))),
            started: (false, false),
        }
    }

    /// The options that send a child's parts to the part files.
    fn args(&self) -> Vec<OsString> {
        let mut out = Vec::new();
        for (opt, part) in [
            ("--record-part=", &self.record),
            ("--diag-part=", &self.diag),
        ] {
            if let Some((_, p)) = part {
                let mut o = OsString::from(opt);
                o.push(p.as_os_str());
                out.push(o);
            }
        }
        out
    }

    /// Add what a child wrote to the merged files, and remove its parts.
    fn take(&mut self) -> std::io::Result<()> {
        if let Some((file, part)) = &self.record {
            if let Ok(bytes) = std::fs::read(part) {
                let _ = std::fs::remove_file(part);
                append(file, merge_pcap(&bytes, self.started.0), self.started.0)?;
                self.started.0 = true;
            }
        }
        if let Some((file, part)) = &self.diag {
            if let Ok(bytes) = std::fs::read(part) {
                let _ = std::fs::remove_file(part);
                append(file, &bytes, self.started.1)?;
                self.started.1 = true;
            }
        }
        Ok(())
    }
}

impl Drop for Parts {
    fn drop(&mut self) {
        for (_, part) in self.record.iter().chain(&self.diag) {
            let _ = std::fs::remove_file(part);
        }
    }
}

/// The bytes of a child's pcap to add: all of it for the first, its
/// packets only (after the 24-byte global header) for the others.
fn merge_pcap(part: &[u8], started: bool) -> &[u8] {
    if started {
        part.get(24..).unwrap_or_default()
    } else {
        part
    }
}

/// Write `bytes` to `file`, creating it (truncated) unless `append`.
fn append(file: &std::path::Path, bytes: &[u8], append: bool) -> std::io::Result<()> {
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .write(true)
        .append(append)
        .truncate(!append)
        .open(file)?;
    f.write_all(bytes)
}

/// This run's arguments for one namespace: `--all-namespaces` dropped (up
/// to `--`), `--net=PATH` added right after the `ss` subcommand.
fn child_args(args: &[OsString], path: &std::path::Path) -> Vec<OsString> {
    let mut out = Vec::new();
    let mut after_ss = false;
    let mut options_over = false;
    for a in args.iter().skip(1) {
        if after_ss && !options_over && a == "--" {
            options_over = true;
        }
        if after_ss && !options_over && a == "--all-namespaces" {
            continue;
        }
        out.push(a.clone());
        if !after_ss && a == "ss" {
            after_ss = true;
            let mut net = OsString::from("--net=");
            net.push(path.as_os_str());
            out.push(net);
        }
    }
    out
}

/// `--all-namespaces`: run `nlwire ss --net PATH …` for each namespace and
/// label its output.
pub fn run_all(a: &SsArgs) -> ExitCode {
    let exe = match std::env::current_exe() {
        Ok(e) => e,
        Err(e) => {
            return fail(
                1,
                &format!("--all-namespaces: cannot find nlwire itself: {e}"),
            )
        }
    };
    let args: Vec<OsString> = std::env::args_os().collect();
    let mut status = ExitCode::SUCCESS;
    let mut out = std::io::stdout().lock();
    let mut parts = Parts::new(a);
    for ns in all_namespaces() {
        let mut child = child_args(&args, &ns.path);
        // Right after `ss --net=PATH`, before any `--`.
        let at = child.iter().position(|x| x == "ss").map_or(0, |i| i + 2);
        for (k, p) in parts.args().into_iter().enumerate() {
            child.insert(at + k, p);
        }
        let o = match Command::new(&exe)
            .args(child)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
        {
            Ok(o) => o,
            Err(e) => {
                return fail(
                    1,
                    &format!("--all-namespaces: cannot run {}: {e}", exe.display()),
                )
            }
        };
        if let Err(e) = parts.take() {
            return fail(
                1,
                &format!("--all-namespaces: cannot write --record/-D: {e}"),
            );
        }
        match o.status.code() {
            Some(0) => {}
            // A usage error is the same in every namespace: stop at once.
            Some(2) => return ExitCode::from(USAGE),
            _ => {
                // The process may have ended: not worth failing the run.
                if ns.path.starts_with(NETNS_RUN_DIR) {
                    status = ExitCode::FAILURE;
                }
                continue;
            }
        }
        let text = String::from_utf8_lossy(&o.stdout);
        let written = if a.json {
            text.lines().try_for_each(|line| {
                let labelled = match serde_json::from_str::<serde_json::Value>(line) {
                    Ok(serde_json::Value::Object(mut m)) => {
                        m.insert("netns".into(), ns.label.clone().into());
                        serde_json::Value::Object(m).to_string()
                    }
                    _ => line.to_string(),
                };
                writeln!(out, "{labelled}")
            })
        } else {
            writeln!(out, "netns {}:", ns.label).and_then(|()| out.write_all(text.as_bytes()))
        };
        match written.and_then(|()| out.flush()) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => return status,
            Err(e) => return fail(1, &format!("cannot write the output: {e}")),
        }
    }
    status
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(v: &[&str]) -> Vec<OsString> {
        v.iter().map(OsString::from).collect()
    }

    #[test]
    fn child_args_replace_all_namespaces_with_net() {
        let p = std::path::Path::new("/proc/1/ns/net");
        assert_eq!(
            child_args(
                &os(&["nlwire", "ss", "-tan", "--all-namespaces", "--json"]),
                p
            ),
            os(&["ss", "--net=/proc/1/ns/net", "-tan", "--json"])
        );
        // After `--` it is a filter word (and stays one).
        assert_eq!(
            child_args(
                &os(&["nlwire", "ss", "--all-namespaces", "--", "--all-namespaces"]),
                p
            ),
            os(&["ss", "--net=/proc/1/ns/net", "--", "--all-namespaces"])
        );
    }

    /// The first part's pcap whole, the others without their global
    /// header: one capture.
    #[test]
    fn pcap_parts_merge_into_one_capture() {
        let part = |n: u8| {
            let mut v = vec![0xd4, 0xc3, 0xb2, 0xa1];
            v.extend([0u8; 20]);
            v.extend([n; 5]);
            v
        };
        let (a, b) = (part(1), part(2));
        let mut merged = merge_pcap(&a, false).to_vec();
        merged.extend_from_slice(merge_pcap(&b, true));
        assert_eq!(merged.len(), 24 + 5 + 5);
        assert_eq!(&merged[..24], &a[..24]);
        assert_eq!(&merged[24..], &[1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
        assert!(merge_pcap(&[0; 10], true).is_empty());
    }

    #[test]
    fn names_and_paths() {
        assert_eq!(netns_path("blue"), PathBuf::from("/var/run/netns/blue"));
        assert_eq!(
            netns_path("/proc/7/ns/net"),
            PathBuf::from("/proc/7/ns/net")
        );
    }
}

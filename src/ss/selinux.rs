//! `nlwire ss -Z` / `-z`: the SELinux security contexts of the processes
//! that hold each socket, and (`-z`) of the sockets themselves, as
//! iproute2 `ss` shows them (`misc/ss.c`: `user_ent_hash_build` with
//! libselinux's `getpidcon` and `getfilecon`).
//!
//! * A process's context is `/proc/PID/attr/current` (what `getpidcon`
//!   reads), without its trailing NUL or newline.
//! * A socket's context is the `security.selinux` extended attribute of
//!   `/proc/PID/fd/FD`, following the link to the socket inode (what
//!   `getfilecon` reads).
//!
//! Either is `unavailable` when it cannot be read, as in ss. On a host
//! without SELinux (no selinuxfs at `/sys/fs/selinux`), ss refuses both
//! options with "SELinux is not enabled." and exit status 1, and so does
//! nlwire.

use std::path::Path;

/// What ss prints for a context it cannot read.
pub const UNAVAILABLE: &str = "unavailable";

/// Which contexts to look up with the processes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Contexts {
    /// `-p` alone: none.
    #[default]
    None,
    /// `-Z`: each process's context (`proc_ctx=`).
    Process,
    /// `-z`: the process's and the socket's (`proc_ctx=`, `sock_ctx=`).
    ProcessAndSocket,
}

/// Whether SELinux is enabled here: its filesystem is mounted at
/// `/sys/fs/selinux` (libselinux's `is_selinux_enabled` looks for the same
/// mount).
pub fn enabled() -> bool {
    Path::new("/sys/fs/selinux/enforce").exists()
}

/// A context as the kernel gives it, without the trailing NUL and newline;
/// `unavailable` when empty or unreadable.
fn tidy(raw: Option<Vec<u8>>) -> String {
    let Some(raw) = raw else {
        return UNAVAILABLE.to_string();
    };
    let s = String::from_utf8_lossy(&raw);
    let s = s.trim_end_matches(['\0', '\n']);
    if s.is_empty() {
        UNAVAILABLE.to_string()
    } else {
        s.to_string()
    }
}

/// The context of process `pid` under `proc` (normally `/proc`).
pub fn process(proc: &Path, pid: u32) -> String {
    tidy(std::fs::read(proc.join(pid.to_string()).join("attr/current")).ok())
}

/// The context of the file `path` leads to (`security.selinux`).
pub fn file(path: &Path) -> String {
    let mut buf = [0u8; 256];
    let r = rustix::fs::getxattr(path, "security.selinux", &mut buf[..]);
    tidy(r.ok().and_then(|n| buf.get(..n).map(<[u8]>::to_vec)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contexts_lose_trailing_nul_and_newline_or_read_unavailable() {
        assert_eq!(
            tidy(Some(b"system_u:system_r:sshd_t:s0-s0:c0.c1023\0".to_vec())),
            "system_u:system_r:sshd_t:s0-s0:c0.c1023"
        );
        assert_eq!(
            tidy(Some(
                b"unconfined_u:unconfined_r:unconfined_t:s0\n".to_vec()
            )),
            "unconfined_u:unconfined_r:unconfined_t:s0"
        );
        assert_eq!(tidy(Some(b"\0".to_vec())), UNAVAILABLE);
        assert_eq!(tidy(None), UNAVAILABLE);
    }

    /// A process whose `attr/current` cannot be read (no such pid in this
    /// tree) and a file without the attribute read `unavailable`.
    #[test]
    fn unreadable_contexts_are_unavailable() {
        let dir = std::env::temp_dir().join(format!("nlwire-selinux-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        assert_eq!(process(&dir, 4_000_000), UNAVAILABLE);
        let f = dir.join("f");
        std::fs::write(&f, b"").unwrap();
        // Without SELinux nothing sets `security.selinux`.
        if !enabled() {
            assert_eq!(file(&f), UNAVAILABLE);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

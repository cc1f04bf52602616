//! Helpers shared by the live-kernel tests.
#![allow(dead_code)]

use std::fmt::Display;

/// A test needs something this machine may lack: under `CI=true` that is a
/// failure; elsewhere the test prints why and is skipped (returns `false`).
pub fn available<T, E: Display>(what: &str, r: Result<T, E>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("{what} is required under CI=true: {e}");
            }
            eprintln!("SKIPPED: {what} is not available here: {e}");
            None
        }
    }
}

/// Whether the kernel answers `SOCK_DIAG_BY_FAMILY` dumps for address
/// family `family` (`sock_diag` answers `ENOENT` when the family's diag
/// module, e.g. `CONFIG_UNIX_DIAG` or `CONFIG_INET_DIAG`, is missing). The
/// request header is `struct sock_diag_req` followed by zeros, which every
/// family's handler accepts as "dump everything" (`proto` is
/// `sdiag_protocol`: 0 for unix, the IP protocol for inet).
pub fn have_sock_diag(family: u8, proto: u8, what: &str) -> bool {
    use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
    let mut s = nlwire_io::Socket::new(nlwire::family::NetlinkFamily::SockDiag).unwrap();
    s.set_recv_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let mut body = [0u8; 56];
    body[0] = family;
    body[1] = proto;
    let r = s.dump_with(
        |b, seq| {
            b.message(20, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| {
                b.put_bytes(&body)
            })
        },
        |_| std::ops::ControlFlow::Break(()),
    );
    match r {
        Err(e) if e.errno() == Some(2) => available::<(), _>(what, Err(e)).is_some(),
        Err(e) => panic!("probing {what}: {e}"),
        Ok(_) => true,
    }
}

/// The inode of a socket, as /proc/self/fd shows it (`socket:[N]`).
pub fn inode(fd: impl std::os::fd::AsFd) -> u32 {
    use std::os::fd::AsRawFd;
    let link = std::fs::read_link(format!("/proc/self/fd/{}", fd.as_fd().as_raw_fd())).unwrap();
    let s = link.to_str().unwrap();
    s.strip_prefix("socket:[")
        .and_then(|r| r.strip_suffix(']'))
        .unwrap()
        .parse()
        .unwrap()
}

/// A `NETLINK_SOCK_DIAG` socket that gives up after 5 s without a reply.
pub fn sock_diag() -> nlwire_io::Socket {
    let s = nlwire_io::Socket::new(nlwire::family::NetlinkFamily::SockDiag).unwrap();
    s.set_recv_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    s
}

/// A visitor that keeps only the errors of a walk.
#[derive(Default)]
pub struct Errors {
    depth: usize,
    /// Every error the walk reported, in order.
    pub errors: Vec<nlwire::Error>,
}

impl nlwire::value::Visitor for Errors {
    fn field(&mut self, _: &str, _: nlwire::value::Value<'_>) {}
    fn begin(&mut self, _: &str) {
        self.depth += 1;
    }
    fn end(&mut self) {
        self.depth -= 1;
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, e: nlwire::Error) {
        self.errors.push(e);
    }
}

/// Through the registry, as `nlwire decode` reads a message of netlink
/// protocol `protocol`: a strict walk reports nothing wrong and the emit
/// gives back the kernel's bytes.
pub fn registry_round_trip(protocol: u16, m: &nlwire::netlink::RawMessage<'_>) {
    use nlwire::Mode;
    let entry = nlwire::registry::Registry::DEFAULT
        .find(protocol)
        .unwrap_or_else(|| panic!("netlink protocol {protocol} is registered"));
    let mut walked = Errors::default();
    (entry.walk)(m, Mode::Strict, &mut walked).unwrap();
    assert!(walked.errors.is_empty(), "{:?}", walked.errors);
    let mut buf = vec![0u8; m.bytes.len()];
    let mut b = nlwire::netlink::Builder::new(&mut buf);
    let h = m.header;
    let mark = b
        .begin_message(
            h.nlmsg_type.get(),
            h.nlmsg_flags.get(),
            h.nlmsg_seq.get(),
            h.nlmsg_pid.get(),
        )
        .unwrap();
    (entry.emit)(m, Mode::Strict, &mut b).unwrap();
    b.end_message(mark).unwrap();
    assert_eq!(b.as_bytes(), m.bytes, "re-emitted message differs");
}

/// A namespace made with `ip netns add`, deleted on drop; `None` (after
/// [`available`]'s report) where this machine cannot make one.
pub struct Netns {
    /// The name given to `ip netns`.
    pub name: String,
}

impl Netns {
    pub fn new(tag: &str) -> Option<Netns> {
        let name = format!("nlwire-io-{tag}-{}", std::process::id());
        let r = std::process::Command::new("ip")
            .args(["netns", "add", &name])
            .output()
            .map_err(|e| e.to_string())
            .and_then(|o| {
                if o.status.success() {
                    Ok(())
                } else {
                    Err(String::from_utf8_lossy(&o.stderr).into_owned())
                }
            });
        available("`ip netns add` (root, iproute2)", r)?;
        Some(Netns { name })
    }

    /// The namespace's file, as `ip netns` mounts it.
    pub fn path(&self) -> String {
        format!("/var/run/netns/{}", self.name)
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = std::process::Command::new("ip")
            .args(["netns", "del", &self.name])
            .output();
    }
}

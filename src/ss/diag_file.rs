//! `nlwire ss -D FILE` (`--diag=FILE`) and `-F FILE` (`--filter=FILE`), as
//! iproute2 `ss` has them.
//!
//! * `-D`: the TCP dump's replies, raw: every `SOCK_DIAG_BY_FAMILY` reply
//!   message (`nlmsghdr` and `struct inet_diag_msg` with its attributes,
//!   each padded to `NLMSG_ALIGN`), `AF_INET` then `AF_INET6`, in the order
//!   the kernel sent them, written to FILE (`-` for stdout); nothing else is
//!   printed. As in ss only TCP is dumped (states and `-m`/`-i` extensions
//!   apply), and asking for it without TCP among the tables is refused. The
//!   file reads back with any netlink parser (the codec's `Messages`).
//!   Two differences from iproute2 6.1, whose `-D` writes the receive
//!   buffers whole: the file has no `NLMSG_DONE` messages (ss's has one
//!   after each family's replies), and the filter expression applies (ss
//!   dumps before parsing it, so its file holds every TCP socket in the
//!   states asked for).
//! * `-F`: the filter read from FILE (`-` for stdin): its lines joined,
//!   blank lines and lines starting with `#` left out. A filter on the
//!   command line as well is refused (ss silently ignores it).

use std::io::{Read as _, Write as _};
use std::path::Path;

use super::query::{Netid, Sock};

/// The filter words of `-F FILE`.
pub fn read_filter(path: &Path, on_command_line: &[String]) -> Result<Vec<String>, String> {
    if !on_command_line.is_empty() {
        return Err(format!(
            "-F {} and a filter on the command line ({}): give one or the other",
            path.display(),
            on_command_line.join(" ")
        ));
    }
    let mut text = String::new();
    let res = if path == Path::new("-") {
        std::io::stdin().read_to_string(&mut text).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_string(&mut text).map(|_| ()))
    };
    res.map_err(|e| format!("cannot read the filter file {}: {e}", path.display()))?;
    Ok(filter_words(&text))
}

/// The lines of a filter file that count (not blank, not `#` comments).
fn filter_words(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// The bytes `-D` writes: each TCP reply, `NLMSG_ALIGN`ed.
pub fn raw_replies(socks: &[Sock]) -> Vec<u8> {
    let mut out = Vec::new();
    for s in socks.iter().filter(|s| s.netid == Netid::Tcp) {
        out.extend_from_slice(&s.msg);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    out
}

/// Write `-D`'s bytes to `path` (`-`: stdout).
pub fn write(path: &Path, socks: &[Sock]) -> Result<(), String> {
    let bytes = raw_replies(socks);
    let res = if path == Path::new("-") {
        let mut out = std::io::stdout().lock();
        out.write_all(&bytes).and_then(|()| out.flush())
    } else {
        std::fs::write(path, &bytes)
    };
    res.map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_file_lines() {
        let w = filter_words("# ports\n  sport = :22\n\n\tor dport = :80  \n#end\n");
        assert_eq!(w, ["sport = :22", "or dport = :80"]);
    }

    #[test]
    fn both_filters_refused() {
        let e = read_filter(Path::new("/nonexistent"), &["sport".into()]).unwrap_err();
        assert!(e.contains("give one or the other"), "{e}");
        let e = read_filter(Path::new("/nonexistent/f"), &[]).unwrap_err();
        assert!(e.contains("cannot read the filter file"), "{e}");
    }

    #[test]
    fn replies_are_aligned() {
        let socks = [
            Sock {
                netid: Netid::Tcp,
                msg: vec![1; 6],
            },
            Sock {
                netid: Netid::Udp,
                msg: vec![2; 4],
            },
            Sock {
                netid: Netid::Tcp,
                msg: vec![3; 4],
            },
        ];
        assert_eq!(raw_replies(&socks), [1, 1, 1, 1, 1, 1, 0, 0, 3, 3, 3, 3]);
    }
}

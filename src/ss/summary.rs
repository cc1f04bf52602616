//! `nlwire ss -s`: the summary iproute2 `ss` prints (`print_summary`), in
//! its layout:
//!
//! ```text
//! Total: 180
//! TCP:   12 (estab 3, closed 2, orphaned 0, timewait 1)
//!
//! Transport Total     IP        IPv6
//! RAW      0         0         0
//! UDP      5         3         2
//! …
//! ```
//!
//! Where the numbers come from. iproute2 reads them all from
//! `/proc/net/sockstat`, `/proc/net/sockstat6` and `/proc/net/snmp`;
//! `nlwire ss` counts what a sock_diag dump can count and reads the rest
//! from the same files as ss:
//!
//! * from sock_diag (one dump of TCP, UDP and raw sockets, `AF_INET` and
//!   `AF_INET6`, every state): the `RAW`, `UDP`, `TCP` and `INET` rows (TCP:
//!   sockets in the kernel's hash tables, i.e. every state but `TIME-WAIT`,
//!   `SYN-RECV` — request sockets — and `CLOSE`, which is what sockstat's
//!   `inuse` counts), `estab` (`ESTABLISHED` and `CLOSE-WAIT`, what
//!   `/proc/net/snmp`'s `CurrEstab` counts since Linux 6.10; older kernels
//!   leave `CLOSE-WAIT` out of `CurrEstab`) and `timewait`;
//! * from `/proc/net/sockstat` (no sock_diag equivalent): `Total` (`sockets:
//!   used`, every socket of every family), the TCP total (`TCP: alloc`,
//!   every TCP socket allocated, hashed or not), `orphaned` (`TCP: orphan`)
//!   and the `FRAG` row (`FRAG:`/`FRAG6: inuse`, IP reassembly queues, not
//!   sockets); `closed` is computed from them as ss does (`alloc - (hashed -
//!   timewait)`).
//!
//! The files are read before the sock_diag socket is opened, so `Total`
//! does not count `nlwire ss`'s own socket (ss opens none for `-s`). When
//! the kernel cannot dump raw sockets (`raw_diag` not loaded: `ENOENT`), the
//! `RAW` row comes from sockstat's `RAW:`/`RAW6: inuse` instead.

use std::path::Path;

use super::filter_lang::SS_ALL;
use super::query::{self, Netid, Plan, Sock};
use super::SsArgs;

/// The numbers of `/proc/net/sockstat` and `/proc/net/sockstat6` ss uses
/// and sock_diag cannot give.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sockstat {
    /// `sockets: used`.
    pub socks: u64,
    /// `TCP: alloc`.
    pub tcp_alloc: u64,
    /// `TCP: orphan`.
    pub tcp_orphan: u64,
    /// `FRAG: inuse`.
    pub frag4: u64,
    /// `RAW: inuse`, `RAW6: inuse` (used only without `raw_diag`).
    pub raw: [u64; 2],
    /// `FRAG6: inuse`.
    pub frag6: u64,
}

/// The value after `key` in a `NAME: key value key value` line.
fn field(line: &str, key: &str) -> Option<u64> {
    let mut words = line.split_whitespace();
    while let Some(w) = words.next() {
        if w == key {
            return words.next()?.parse().ok();
        }
    }
    None
}

impl Sockstat {
    /// Parse the text of `sockstat` and `sockstat6` (missing lines and
    /// fields count 0).
    pub fn parse(v4: &str, v6: &str) -> Sockstat {
        let mut s = Sockstat::default();
        for line in v4.lines().chain(v6.lines()) {
            let Some((name, _)) = line.split_once(':') else {
                continue;
            };
            let get = |key| field(line, key).unwrap_or(0);
            match name {
                "sockets" => s.socks = get("used"),
                "TCP" => {
                    s.tcp_alloc = get("alloc");
                    s.tcp_orphan = get("orphan");
                }
                "FRAG" => s.frag4 = get("inuse"),
                "FRAG6" => s.frag6 = get("inuse"),
                "RAW" => s.raw[0] = get("inuse"),
                "RAW6" => s.raw[1] = get("inuse"),
                _ => {}
            }
        }
        s
    }

    /// Read `dir/sockstat` and `dir/sockstat6` (`dir` is `/proc/net`).
    pub fn read(dir: &Path) -> Sockstat {
        let text = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        Sockstat::parse(&text("sockstat"), &text("sockstat6"))
    }
}

/// What the sock_diag dump counts, `[AF_INET, AF_INET6]` each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Raw sockets.
    pub raw: [u64; 2],
    /// UDP sockets.
    pub udp: [u64; 2],
    /// Hashed TCP sockets (not `TIME-WAIT`, `SYN-RECV` or `CLOSE`).
    pub tcp: [u64; 2],
    /// TCP `ESTABLISHED` and `CLOSE-WAIT`.
    pub estab: u64,
    /// TCP `TIME-WAIT`.
    pub timewait: u64,
}

// TCP states (`TCP_*`, `<net/tcp_states.h>`).
const ESTABLISHED: u8 = 1;
const SYN_RECV: u8 = 3;
const TIME_WAIT: u8 = 6;
const CLOSE: u8 = 7;
const CLOSE_WAIT: u8 = 8;
const NEW_SYN_RECV: u8 = 12;

impl Counts {
    /// Count the inet sockets of a dump.
    pub fn of(socks: &[Sock]) -> Counts {
        let mut c = Counts::default();
        for s in socks {
            let Some(m) = s.inet() else { continue };
            let h = m.header;
            let v = usize::from(h.idiag_family == nlwire::families::sock_diag::bytecode::AF_INET6);
            match s.netid {
                Netid::Raw => c.raw[v] += 1,
                Netid::Udp => c.udp[v] += 1,
                Netid::Tcp => match h.idiag_state {
                    TIME_WAIT => c.timewait += 1,
                    SYN_RECV | NEW_SYN_RECV | CLOSE => {}
                    st => {
                        c.tcp[v] += 1;
                        if st == ESTABLISHED || st == CLOSE_WAIT {
                            c.estab += 1;
                        }
                    }
                },
                _ => {}
            }
        }
        c
    }
}

/// The dump to count: TCP, UDP and raw, both families, every state.
pub fn plan() -> Plan {
    Plan {
        kinds: vec![Netid::Raw, Netid::Udp, Netid::Tcp],
        v4: true,
        v6: true,
        states: SS_ALL,
        ext: 0,
        show: 0,
        bytecode: None,
        expr: None,
        tcp_one_walk: true,
    }
}

/// ss's "closed": `alloc - (hashed4 + hashed6 - timewait)`, as a C `int`.
fn closed(st: &Sockstat, c: &Counts) -> i64 {
    let hashed = (c.tcp[0] + c.tcp[1]) as i64;
    st.tcp_alloc as i64 - (hashed - c.timewait as i64)
}

/// The summary as ss prints it.
pub fn text(st: &Sockstat, c: &Counts) -> String {
    let row = |name: &str, v4: u64, v6: u64| format!("{name}\t  {:<9} {v4:<9} {v6:<9}\n", v4 + v6);
    let mut s = format!(
        "Total: {}\nTCP:   {} (estab {}, closed {}, orphaned {}, timewait {})\n\n\
         Transport Total     IP        IPv6\n",
        st.socks,
        st.tcp_alloc,
        c.estab,
        closed(st, c),
        st.tcp_orphan,
        c.timewait
    );
    s.push_str(&row("RAW", c.raw[0], c.raw[1]));
    s.push_str(&row("UDP", c.udp[0], c.udp[1]));
    s.push_str(&row("TCP", c.tcp[0], c.tcp[1]));
    s.push_str(&row(
        "INET",
        c.raw[0] + c.udp[0] + c.tcp[0],
        c.raw[1] + c.udp[1] + c.tcp[1],
    ));
    s.push_str(&row("FRAG", st.frag4, st.frag6));
    s.push('\n');
    s
}

/// `-s --json`: one object, `{"total", "tcp": {"total", "estab", "closed",
/// "orphaned", "timewait"}, "raw"|"udp"|"tcp_hashed"|"inet"|"frag":
/// {"total", "ipv4", "ipv6"}}`.
pub fn json(st: &Sockstat, c: &Counts) -> serde_json::Value {
    let row = |v4: u64, v6: u64| serde_json::json!({"total": v4 + v6, "ipv4": v4, "ipv6": v6});
    serde_json::json!({
        "total": st.socks,
        "tcp": {
            "total": st.tcp_alloc,
            "estab": c.estab,
            "closed": closed(st, c),
            "orphaned": st.tcp_orphan,
            "timewait": c.timewait,
        },
        "raw": row(c.raw[0], c.raw[1]),
        "udp": row(c.udp[0], c.udp[1]),
        "tcp_hashed": row(c.tcp[0], c.tcp[1]),
        "inet": row(c.raw[0] + c.udp[0] + c.tcp[0], c.raw[1] + c.udp[1] + c.tcp[1]),
        "frag": row(st.frag4, st.frag6),
    })
}

/// Print the summary on stdout (`--json`: one object); `Err` says why the
/// dump failed.
///
/// With `-N`, both the dump and the sockstat numbers are the namespace's:
/// `/proc/thread-self/net` read on a thread that has joined it (what ss
/// reads after its own `setns`), not the caller's `/proc/net`.
pub fn print(a: &SsArgs) -> Result<(), String> {
    use std::io::Write as _;
    let json_out = a.json;
    let st = match &a.net {
        None => Sockstat::read(Path::new("/proc/net")),
        Some(name) => {
            let path = super::netns::netns_path(name);
            let fd = nlwire_io::open_netns(&path)
                .map_err(|e| format!("cannot open network namespace \"{name}\": {e}"))?;
            nlwire_io::run_in_netns(std::os::fd::AsFd::as_fd(&fd), || {
                Sockstat::read(Path::new("/proc/thread-self/net"))
            })
            .map_err(|e| format!("cannot enter network namespace \"{name}\": {e}"))?
        }
    };
    let mut sock = super::netns::open(a)?;
    let mut skipped = Vec::new();
    let socks = query::dump_all(&mut sock, &plan(), &mut skipped)
        .map_err(|e| format!("{} dump failed: {}", e.what, e.error))?;
    let mut c = Counts::of(&socks);
    for (i, af) in ["AF_INET", "AF_INET6"].iter().enumerate() {
        if skipped.iter().any(|e| e.what == format!("raw/{af}")) {
            c.raw[i] = st.raw[i];
        }
    }
    let out = if json_out {
        format!("{}\n", json(&st, &c))
    } else {
        text(&st, &c)
    };
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the output: {e}"))
        }
        _ => Ok(()),
    }
}

/// `-s` alone (no table, family or filter asked for) prints only the
/// summary, as ss does; otherwise the listing follows it.
pub fn only(a: &SsArgs) -> bool {
    !(a.tcp
        || a.udp
        || a.unix
        || a.raw
        || a.packet
        || a.netlink
        || a.mptcp
        || !a.query.is_empty()
        || !a.family.is_empty()
        || !a.filter.is_empty()
        || a.filter_file.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `-s` alone is the summary only; a table, `-f` or a filter adds the
    /// listing (ss's `do_default` is cleared by each).
    #[test]
    fn summary_alone_or_with_listing() {
        use clap::Parser;
        #[derive(Parser)]
        struct Cli {
            #[command(flatten)]
            ss: SsArgs,
        }
        let only_of = |args: &[&str]| {
            only(&Cli::parse_from(std::iter::once("ss").chain(args.iter().copied())).ss)
        };
        assert!(only_of(&["-s"]));
        assert!(only_of(&["-s", "-a", "-n"]));
        assert!(!only_of(&["-s", "-t"]));
        assert!(!only_of(&["-s", "-f", "inet"]));
        assert!(!only_of(&["-s", "sport = :22"]));
    }

    #[test]
    fn sockstat_parse_and_layout() {
        let st = Sockstat::parse(
            "sockets: used 16\nTCP: inuse 3 orphan 1 tw 2 alloc 7 mem 36\nUDP: inuse 0 mem 0\n\
             FRAG: inuse 4 memory 0\n",
            "TCP6: inuse 0\nFRAG6: inuse 5 memory 0\n",
        );
        assert_eq!(
            st,
            Sockstat {
                socks: 16,
                tcp_alloc: 7,
                tcp_orphan: 1,
                frag4: 4,
                frag6: 5,
                raw: [0, 0],
            }
        );
        let c = Counts {
            raw: [0, 1],
            udp: [2, 0],
            tcp: [3, 0],
            estab: 1,
            timewait: 2,
        };
        let t = text(&st, &c);
        assert!(t.starts_with(
            "Total: 16\nTCP:   7 (estab 1, closed 6, orphaned 1, timewait 2)\n\n\
             Transport Total     IP        IPv6\nRAW\t  1         0         1        \n"
        ));
        assert!(
            t.ends_with("FRAG\t  9         4         5        \n\n"),
            "{t}"
        );
    }
}

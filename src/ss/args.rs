//! The command line of `nlwire ss`: iproute2 `ss` options (ss(8)) and the
//! state filter and expression.
//!
//! As with iproute2 `ss`, options may come anywhere, before, between or
//! after the filter words (`nlwire ss -tan 'sport = :80' --json`); the
//! filter is every argument that is not an option, joined. After `--`
//! everything is filter. An option `nlwire ss` does not know is a usage
//! error naming it (exit 2), never a filter word.

use std::path::PathBuf;

use clap::Args;

/// `nlwire ss`: list sockets from the live kernel through `NETLINK_SOCK_DIAG`
/// with iproute2 `ss` conventions (ss(8), sock_diag(7)).
#[derive(Clone, Debug, Args)]
#[command(
    args_override_self = true,
    about = "List sockets like iproute2 ss (sock_diag)",
    long_about = "List sockets from the live kernel (NETLINK_SOCK_DIAG) with the \
                  options, filter language and output of iproute2 ss(8).\n\n\
                  FILTER is `[ state STATE | exclude STATE ]... [ EXPRESSION ]`: states \
                  (established, syn-sent, syn-recv, fin-wait-1, fin-wait-2, time-wait, \
                  closed, close-wait, last-ack, listening, closing; groups all, connected, \
                  synchronized, bucket, big) go into idiag_states; the expression \
                  (sport/dport OP :PORT, src/dst ADDR[/PREFIX][:PORT], autobound, \
                  dev = NAME, fwmark = MARK[/MASK], cgroup PATH, and/or/not/!, \
                  parentheses) is \
                  compiled to INET_DIAG_REQ_BYTECODE so the kernel filters.\n\n\
                  Options may come before or after the filter words (`--` ends \
                  the options).\n\n\
                  Tables: -t -u -w -x -M, -0 (packet), --netlink, -A QUERY[,QUERY] \
                  (all, inet, tcp, udp, raw, unix, unix_stream, unix_dgram, \
                  unix_seqpacket, packet, packet_raw, packet_dgram, netlink, mptcp), \
                  -f FAMILY (unix, inet, inet6, link, netlink).\n\n\
                  Exit status: 0 success, 1 kernel or I/O error, 2 usage or bad filter."
)]
pub struct SsArgs {
    /// Display TCP sockets.
    #[arg(short = 't', long = "tcp")]
    pub tcp: bool,
    /// Display UDP sockets.
    #[arg(short = 'u', long = "udp")]
    pub udp: bool,
    /// Display unix domain sockets.
    #[arg(short = 'x', long = "unix")]
    pub unix: bool,
    /// Display raw sockets.
    #[arg(short = 'w', long = "raw")]
    pub raw: bool,
    /// Display packet sockets (`AF_PACKET`, packet_diag): `p_raw` and
    /// `p_dgr`. Alone, lists them without `-a` (their only state is
    /// `UNCONN`), as ss's `-0` does.
    #[arg(short = '0', long = "packet")]
    pub packet: bool,
    /// Display MPTCP sockets (`IPPROTO_MPTCP`, asked for with
    /// `INET_DIAG_REQ_PROTOCOL`; `-i` shows `mptcp_info`).
    #[arg(short = 'M', long = "mptcp")]
    pub mptcp: bool,
    /// Socket families to list (may repeat, or comma-separated): unix,
    /// inet, inet6, link (packet sockets), netlink; as ss, each adds its
    /// tables unless a table of that family was asked for (`-t -f inet`:
    /// TCP over IPv4).
    #[arg(short = 'f', long = "family", value_name = "FAMILY")]
    pub family: Vec<String>,
    /// Display netlink sockets (`AF_NETLINK`, netlink_diag): the netlink
    /// table of `-A netlink`, listed without `-a` like `-0` lists packet
    /// sockets (ss's `-f netlink`).
    #[arg(long = "netlink")]
    pub netlink: bool,
    /// Socket tables to list, comma-separated (may repeat): all, inet, tcp,
    /// udp, raw, unix, unix_stream (u_str), unix_dgram (u_dgr),
    /// unix_seqpacket (u_seq), packet, packet_raw (p_raw), packet_dgram
    /// (p_dgr), netlink, mptcp. As with ss, without `-a`, `-l` or a state filter
    /// only connected sockets are listed.
    #[arg(
        short = 'A',
        long = "query",
        visible_alias = "socket",
        value_name = "QUERY"
    )]
    pub query: Vec<String>,
    /// Display only listening sockets (ss: states LISTEN and CLOSE).
    #[arg(short = 'l', long = "listening")]
    pub listening: bool,
    /// Display all sockets, listening and not.
    #[arg(short = 'a', long = "all")]
    pub all: bool,
    /// Do not resolve service names.
    #[arg(short = 'n', long = "numeric")]
    pub numeric: bool,
    /// Resolve addresses to host names through the C library's resolver
    /// (`getnameinfo`: /etc/hosts, DNS, … as /etc/nsswitch.conf says), as
    /// ss does.
    #[arg(short = 'r', long = "resolve")]
    pub resolve: bool,
    /// Only IPv4 sockets (`-f inet`).
    #[arg(short = '4', long = "ipv4")]
    pub ipv4: bool,
    /// Only IPv6 sockets (`-f inet6`).
    #[arg(short = '6', long = "ipv6")]
    pub ipv6: bool,
    /// Detailed socket information (uid, inode, cookie, cgroup, shutdown).
    #[arg(short = 'e', long = "extended")]
    pub extended: bool,
    /// Socket memory usage (`skmem:(…)`).
    #[arg(short = 'm', long = "memory")]
    pub memory: bool,
    /// Internal TCP information (`tcp_info`).
    #[arg(short = 'i', long = "info")]
    pub info: bool,
    /// Timer information (`timer:(…)`).
    #[arg(short = 'o', long = "options")]
    pub options: bool,
    /// Close the selected sockets (`SOCK_DESTROY`, needs CAP_NET_ADMIN and
    /// CONFIG_INET_DIAG_DESTROY).
    #[arg(short = 'K', long = "kill")]
    pub kill: bool,
    /// Do not print the header line.
    #[arg(short = 'H', long = "no-header")]
    pub no_header: bool,
    /// Show the processes using each socket (`users:(("name",pid=…,fd=…))`,
    /// found by matching socket inodes with the `socket:[INODE]` links of
    /// /proc/*/fd, once per run; netlink sockets excepted, as in ss). With
    /// --json, a `users` array of `{"comm", "pid", "fd"}` objects.
    #[arg(short = 'p', long = "processes")]
    pub processes: bool,
    /// Like -p, with each process's SELinux security context
    /// (`proc_ctx=`). Refused when SELinux is not enabled, as ss does.
    #[arg(short = 'Z', long = "context")]
    pub context: bool,
    /// Like -Z, with each socket's SELinux security context too
    /// (`sock_ctx=`).
    #[arg(short = 'z', long = "contexts")]
    pub contexts: bool,
    /// Print the summary ss prints (`Total:`, `TCP:` with estab, closed,
    /// orphaned, timewait; RAW/UDP/TCP/INET/FRAG per family). The RAW, UDP,
    /// TCP, INET rows, estab and timewait are counted from a sock_diag
    /// dump; Total, the TCP total, orphaned and FRAG come from
    /// /proc/net/sockstat{,6} as in ss (sock_diag has no equivalent), and
    /// so does RAW when the kernel has no raw_diag. Alone
    /// it prints only the summary; with a table or filter the listing
    /// follows. With --json, one object.
    #[arg(short = 's', long = "summary")]
    pub summary: bool,
    /// Print each socket's information on one line (the `-m`, `-i`, `-e`
    /// continuation lines joined to the first).
    #[arg(short = 'O', long = "oneline")]
    pub oneline: bool,
    /// Show the TOS of inet sockets (`tos:`, `tclass:` for IPv6,
    /// `class_id:`; asks for INET_DIAG_TOS and INET_DIAG_TCLASS).
    #[arg(long = "tos")]
    pub tos: bool,
    /// Show the cgroup v2 path of inet sockets (`cgroup:`, from
    /// INET_DIAG_CGROUP_ID).
    #[arg(long = "cgroup")]
    pub cgroup: bool,
    /// Write the raw netlink replies of the TCP dump to FILE (`-`: stdout)
    /// instead of listing: each `SOCK_DIAG_BY_FAMILY` reply message as the
    /// kernel sent it (NLMSG_ALIGNed, no NLMSG_DONE), as ss's -D does.
    #[arg(short = 'D', long = "diag", value_name = "FILE")]
    pub diag: Option<PathBuf>,
    /// Read the filter from FILE (`-`: stdin): its lines joined, blank
    /// lines and `#` comments left out (not together with a filter on the
    /// command line).
    #[arg(short = 'F', long = "filter", value_name = "FILE")]
    pub filter_file: Option<PathBuf>,
    /// One JSON object per socket (keys are kernel field names).
    #[arg(long)]
    pub json: bool,
    /// Record the netlink exchange as an nlmon-style pcap.
    #[arg(long, value_name = "FILE.pcap")]
    pub record: Option<PathBuf>,
    /// Internal to `--all-namespaces`: where this child writes its part of
    /// `--record` (the parent merges the parts into one pcap).
    #[arg(long = "record-part", hide = true, value_name = "FILE")]
    pub record_part: Option<PathBuf>,
    /// Internal to `--all-namespaces`: where this child writes its part of
    /// `-D` (the parent concatenates the parts).
    #[arg(long = "diag-part", hide = true, value_name = "FILE")]
    pub diag_part: Option<PathBuf>,
    /// Send this bytecode program (the codec's text form, e.g.
    /// `0: INET_DIAG_BC_S_GE 1024 yes +8 no +12`, lines separated by
    /// newlines or `;`) instead of compiling the expression. It is audited
    /// like a compiled one and refused before sending if the kernel would
    /// reject it.
    #[arg(long, value_name = "PROGRAM")]
    pub bytecode: Option<String>,
    /// Switch to the network namespace NAME (under /var/run/netns) or the
    /// one of a path such as /proc/PID/ns/net: the sockets are dumped
    /// there (by a socket opened from a short-lived thread; nlwire itself
    /// does not move).
    #[arg(short = 'N', long = "net", value_name = "NAME")]
    pub net: Option<String>,
    /// List the sockets of every named network namespace (/var/run/netns)
    /// and of every other network namespace a running process is in, each
    /// under a `netns NAME:` line (text) or with a "netns" key (JSON).
    #[arg(long = "all-namespaces", conflicts_with_all = ["net", "events"])]
    pub all_namespaces: bool,
    /// Listen for socket destroy events (sock_diag multicast groups
    /// SKNLGRP_INET_TCP_DESTROY, …_UDP_…, …INET6…) and print each as it
    /// arrives, with the filter applied, until interrupted.
    #[arg(short = 'E', long = "events")]
    pub events: bool,
    /// State filter and expression, as ss(8) takes them (options may come
    /// before, between or after its words).
    #[arg(value_name = "FILTER")]
    pub filter: Vec<String>,
}

//! `-E` / `--events`: socket destroy events, as iproute2 `ss -E` prints them.
//!
//! The `NETLINK_SOCK_DIAG` socket (in the `-N` namespace if given) joins the
//! sock_diag multicast groups of the kinds asked for
//! (`SKNLGRP_INET_TCP_DESTROY` and `SKNLGRP_INET6_TCP_DESTROY` for `-t`,
//! the `…_UDP_…` ones for `-u`, all four by default; `-4`/`-6` keep one
//! family), which needs `CAP_NET_ADMIN`. Each event is the destroyed
//! socket's `inet_diag_msg` with attributes, printed as it arrives (text
//! rows, the header once; `--json` one object per event) until the process
//! is interrupted. The kernel does not filter multicast, so the expression
//! is compiled to bytecode as for a dump and run here on each event with
//! the codec's interpreter (`Program::run`, the kernel's
//! `inet_diag_bc_run`); the state filter is not applied (every destroyed
//! socket is `UNCONN`, as iproute2 shows it). `autobound` cannot be
//! decided from an event (`sk_userlocks` is not in it) and counts as false.

use std::io::Write as _;
use std::ops::ControlFlow;
use std::process::ExitCode;

use nlwire::families::sock_diag::bytecode::{Program, SockEntry};
use nlwire::families::sock_diag::{decode, InetDiagAttr, InetResponse, SockDiagMessage};
use nlwire::Mode;
use nlwire_io::{
    SKNLGRP_INET6_TCP_DESTROY, SKNLGRP_INET6_UDP_DESTROY, SKNLGRP_INET_TCP_DESTROY,
    SKNLGRP_INET_UDP_DESTROY,
};

use super::columns::{self, Show};
use super::filter_lang::Parsed;
use super::query::{Netid, Sock};
use super::{fail, json, netns, SsArgs, USAGE};

/// The groups to join for the options: (group, socket kind).
fn groups(a: &SsArgs) -> Vec<(u32, Netid)> {
    let (tcp, udp) = match (a.tcp, a.udp) {
        (false, false) => (true, true),
        other => other,
    };
    let (v4, v6) = match (a.ipv4, a.ipv6) {
        (false, false) => (true, true),
        other => other,
    };
    [
        (tcp && v4, SKNLGRP_INET_TCP_DESTROY, Netid::Tcp),
        (udp && v4, SKNLGRP_INET_UDP_DESTROY, Netid::Udp),
        (tcp && v6, SKNLGRP_INET6_TCP_DESTROY, Netid::Tcp),
        (udp && v6, SKNLGRP_INET6_UDP_DESTROY, Netid::Udp),
    ]
    .into_iter()
    .filter(|(on, ..)| *on)
    .map(|(_, g, k)| (g, k))
    .collect()
}

/// What the bytecode interpreter needs of an event.
fn entry(m: &InetResponse<'_>) -> Option<SockEntry> {
    let h = m.header;
    let (src, dst) = (h.local()?, h.remote()?);
    let mut e = SockEntry {
        src: src.ip(),
        dst: dst.ip(),
        sport: src.port(),
        dport: dst.port(),
        ifindex: h.id.idiag_if.get(),
        userlocks: 0,
        mark: 0,
        cgroup_id: 0,
    };
    for a in m.attrs().flatten() {
        match a {
            InetDiagAttr::Mark(x) => e.mark = x,
            InetDiagAttr::CgroupId(c) => e.cgroup_id = c,
            _ => {}
        }
    }
    Some(e)
}

/// Run `nlwire ss -E`.
pub fn run(a: &SsArgs, parsed: &Parsed) -> ExitCode {
    if a.unix || a.raw || a.packet || a.netlink || !a.query.is_empty() || a.kill {
        return fail(
            USAGE,
            "-E (--events) reports destroyed TCP and UDP sockets only: use it with -t, -u, \
             -4, -6 and a filter (not -x, -w, -0, --netlink, -A or -K)",
        );
    }
    let program = match super::bytecode(a, parsed.expr.as_ref()) {
        Ok(p) => p,
        Err(e) => return fail(USAGE, &e),
    };
    let groups = groups(a);
    let mut sock = match netns::open(a) {
        Ok(s) => s,
        Err(e) => return fail(1, &e),
    };
    let joined = sock.join_sock_diag_destroy(&groups.iter().map(|g| g.0).collect::<Vec<_>>());
    if let Err(e) = joined {
        let hint = if e.errno() == Some(1) {
            " (needs CAP_NET_ADMIN)"
        } else {
            ""
        };
        return fail(
            1,
            &format!("cannot join the sock_diag destroy groups: {e}{hint}"),
        );
    }
    let netid =
        groups.iter().any(|g| g.1 == Netid::Tcp) && groups.iter().any(|g| g.1 == Netid::Udp);
    let mut show = Show::of(a, netid, true);
    let out = std::io::stdout();
    let mut writer = json::JsonWriter::new();
    let mut write_error = None;
    let r = sock.listen(|m, from| {
        let Ok(SockDiagMessage::InetResponse(r)) = decode(&m, Mode::Lenient) else {
            return ControlFlow::Continue(());
        };
        let netid = from
            .group
            .and_then(|g| groups.iter().find(|x| x.0 == g))
            .map_or(Netid::Tcp, |x| x.1);
        if let Some(p) = &program {
            if !entry(&r).is_some_and(|e| Program::new(p).run(&e)) {
                return ControlFlow::Continue(());
            }
        }
        let s = Sock {
            netid,
            msg: m.bytes.to_vec(),
        };
        let text = if a.json {
            let mut line = String::new();
            writer.socket(&s, None, &mut line);
            line
        } else {
            let t = columns::render(std::slice::from_ref(&s), &show);
            show.header_widths |= !show.no_header;
            show.no_header = true;
            t
        };
        let mut lock = out.lock();
        match lock.write_all(text.as_bytes()).and_then(|()| lock.flush()) {
            Ok(()) => ControlFlow::Continue(()),
            Err(e) => {
                write_error = Some(e);
                ControlFlow::Break(())
            }
        }
    });
    if let Some(e) = write_error {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            return ExitCode::SUCCESS;
        }
        return fail(1, &format!("cannot write the output: {e}"));
    }
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(1, &format!("receiving destroy events failed: {e}")),
    }
}

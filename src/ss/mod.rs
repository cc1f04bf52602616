//! `nlwire ss`: a live socket lister with iproute2 `ss` conventions (ss(8)),
//! on the codec (`nlwire`) and the socket shim (`nlwire-io`).
//!
//! * [`args`]: the options;
//! * [`filter_lang`]: the state filter and expression language;
//! * [`glob`]: fnmatch(3) patterns for unix socket names in the filter;
//! * [`query`]: the dumps (`SOCK_DIAG_BY_FAMILY`) and `SOCK_DESTROY`;
//! * [`columns`]: `ss`'s text output, aligned by [`table`];
//! * [`json`]: one JSON object per socket, from the codec's walk;
//! * [`names`]: services, interfaces and cgroup paths;
//! * [`processes`]: `-p`, socket inode → processes from /proc/*/fd;
//! * [`selinux`]: `-Z`/`-z`, the SELinux contexts of those processes and sockets;
//! * [`extras`]: `-p`, `-O`, `--tos`, `--cgroup` and `-M -i` text;
//! * [`summary`]: the summary of `-s`;
//! * [`diag_file`]: `-D` and `-F`;
//! * [`family`]: the families of `-f`;
//! * [`resolve`]: `-r` (/etc/hosts).
//!
//! The port/address part of the filter is compiled with
//! `nlwire::families::sock_diag::bytecode::Filter` into `INET_DIAG_REQ_BYTECODE` and
//! audited (the kernel's `inet_diag_bc_audit`) before anything is sent.

mod args;
mod columns;
mod diag_file;
mod events;
mod extras;
mod family;
mod filter_lang;
mod glob;
mod json;
mod json_bytes;
mod json_inet;
mod json_memo;
mod json_out;
mod json_plan;
mod json_tcp;
mod json_unix;
mod names;
mod netns;
mod percent_g;
mod processes;
mod query;
mod rate;
mod resolve;
mod selinux;
mod summary;
mod table;

use std::io::Write as _;
use std::process::ExitCode;

use nlwire::families::sock_diag::bytecode::{
    asm_reason, assemble_vec, audit_with, AuditConfig, Filter,
};
use nlwire_cli::output::describe_error;
use nlwire_io::{Recorder, Socket};

pub use args::SsArgs;
use columns::Show;
use query::{Netid, Plan, Sock};

/// Exit status for usage errors and refused filters.
const USAGE: u8 = 2;

fn fail(code: u8, msg: &str) -> ExitCode {
    let _ = nlwire_cli::diag!("nlwire ss: {msg}");
    ExitCode::from(code)
}

/// `CAP_NET_ADMIN` (12) in this process's effective set (`CapEff` of
/// /proc/self/status): decides whether the audit accepts fwmark conditions.
///
/// The kernel checks the capability in the user namespace that owns the
/// socket's network namespace (`netlink_net_capable`), which a process
/// cannot read without `ioctl(NS_GET_USERNS)`: inside a user namespace
/// (`unshare -Ur`) `CapEff` is full, yet the kernel may still answer
/// `EPERM`. That answer is caught after the dump ([`kernel_refusal`]) and
/// reported with the audit's own message.
fn has_net_admin() -> bool {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("CapEff:"))
        .and_then(|h| u64::from_str_radix(h.trim(), 16).ok())
        .is_some_and(|caps| caps & (1 << 12) != 0)
}

/// The tables `-A` knows (iproute2 `ss`'s `filter_db_parse`), as socket
/// kinds; `Err` names a table ss knows that `nlwire ss` cannot list yet.
fn query_table(word: &str) -> Option<Result<&'static [Netid], ()>> {
    use Netid::*;
    Some(Ok(match word {
        "all" => &[UStr, UDgr, USeq, Nl, PRaw, PDgr, Raw, Udp, Tcp],
        "inet" => &[Raw, Udp, Tcp],
        "tcp" => &[Tcp],
        "udp" => &[Udp],
        "raw" => &[Raw],
        "unix" => &[UStr, UDgr, USeq],
        "unix_stream" | "u_str" => &[UStr],
        "unix_dgram" | "u_dgr" => &[UDgr],
        "unix_seqpacket" | "u_seq" => &[USeq],
        "packet" => &[PRaw, PDgr],
        "packet_raw" | "p_raw" => &[PRaw],
        "packet_dgram" | "p_dgr" => &[PDgr],
        "netlink" => &[Nl],
        "mptcp" => &[Mptcp],
        "dccp" | "sctp" | "vsock_stream" | "v_str" | "vsock_dgram" | "v_dgr" | "tipc" | "xdp" => {
            return Some(Err(()))
        }
        _ => return None,
    }))
}

/// The socket kinds asked for (`-t -u -x -w -0 --netlink -A`; with none of
/// them, every kind, without unix, packet and netlink if `-4`/`-6` restrict
/// the families, as `-f inet` does) and the states to list when no `-a`,
/// `-l` or state filter says: `SS_CONN` for the inet and unix kinds and
/// with `-A` (ss sets that for a query), `SS_CLOSE` (`UNCONN`) for `-0` and
/// `--netlink` alone, as ss's `-0` / `-f netlink` do.
fn kinds(a: &SsArgs) -> Result<(Vec<Netid>, u32), String> {
    let mut chosen: Vec<Netid> = Vec::new();
    let mut add = |ks: &[Netid]| {
        for k in ks {
            if !chosen.contains(k) {
                chosen.push(*k);
            }
        }
    };
    for word in a.query.iter().flat_map(|q| q.split(',')) {
        match query_table(word) {
            Some(Ok(ks)) => add(ks),
            Some(Err(())) => {
                return Err(format!(
                    "socket table \"{word}\" is not supported by nlwire ss (supported: all, \
                     inet, tcp, udp, raw, unix, unix_stream, unix_dgram, unix_seqpacket, \
                     packet, packet_raw, packet_dgram, netlink, mptcp)"
                ))
            }
            None => return Err(format!("\"{word}\" is illegal socket table id")),
        }
    }
    let (mut default_states, mut any) = (0, !a.query.is_empty());
    if a.query.is_empty() {
        for (on, ks) in [
            (a.unix, &[Netid::UStr, Netid::UDgr, Netid::USeq][..]),
            (a.raw, &[Netid::Raw]),
            (a.udp, &[Netid::Udp]),
            (a.tcp, &[Netid::Tcp]),
            (a.mptcp, &[Netid::Mptcp]),
        ] {
            if on {
                add(ks);
                default_states |= filter_lang::SS_CONN;
                any = true;
            }
        }
    } else {
        default_states = filter_lang::SS_CONN;
        for (on, ks) in [
            (a.unix, &[Netid::UStr, Netid::UDgr, Netid::USeq][..]),
            (a.raw, &[Netid::Raw]),
            (a.udp, &[Netid::Udp]),
            (a.tcp, &[Netid::Tcp]),
            (a.mptcp, &[Netid::Mptcp]),
        ] {
            if on {
                add(ks);
            }
        }
    }
    for (on, ks) in [
        (a.packet, &[Netid::PRaw, Netid::PDgr][..]),
        (a.netlink, &[Netid::Nl]),
    ] {
        if on {
            add(ks);
            if a.query.is_empty() {
                default_states |= filter_lang::CLOSE;
            }
            any = true;
        }
    }
    if !any {
        let inet_only = a.ipv4 || a.ipv6;
        if !inet_only {
            add(&[
                Netid::Nl,
                Netid::PRaw,
                Netid::PDgr,
                Netid::UStr,
                Netid::UDgr,
                Netid::USeq,
            ]);
        }
        add(&[Netid::Raw, Netid::Udp, Netid::Tcp]);
        default_states = filter_lang::SS_CONN;
    }
    Ok((chosen, default_states))
}

/// The bytecode to send: `--bytecode` assembled, or the expression
/// compiled; either way audited as the kernel would, for this caller.
fn bytecode(a: &SsArgs, expr: Option<&filter_lang::Expr>) -> Result<Option<Vec<u8>>, String> {
    let config = AuditConfig {
        net_admin: has_net_admin(),
        ..AuditConfig::default()
    };
    let program = if let Some(text) = &a.bytecode {
        // `;` separates commands like a newline (byte for byte, so error
        // offsets stay those of the text as given).
        let lines = text.replace(';', "\n");
        assemble_vec(&lines).map_err(|e| {
            let (line, column) = asm_reason::line_col(text, e.offset());
            // The command (between separators) the error is in.
            let cut = (0..=e.offset().min(lines.len()))
                .rev()
                .find(|&i| lines.is_char_boundary(i))
                .unwrap_or(0);
            let (before, after) = lines.split_at(cut);
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            let command = format!(
                "{}{}",
                before.get(start..).unwrap_or_default(),
                after.lines().next().unwrap_or_default()
            );
            let command = command.trim();
            format!(
                "bad --bytecode at line {line}, column {column} (`{command}`): {}",
                describe_error(&e)
            )
        })?
    } else if let Some(e) = expr {
        let f: Filter = e.to_filter()?;
        f.compile().map_err(|e| {
            format!(
                "bad filter: refused before sending (the kernel would reject it): {}",
                describe_error(&e)
            )
        })?
    } else {
        return Ok(None);
    };
    audit_with(&program, config).map_err(|e| {
        format!(
            "bytecode refused before sending (inet_diag_bc_audit would reject it at byte {}): {}",
            e.offset,
            describe_error(&e)
        )
    })?;
    Ok(Some(program))
}

/// A dump failed with `EPERM` although the audit, believing `CapEff`,
/// accepted `program`: if the audit without `CAP_NET_ADMIN` refuses it, the
/// kernel refused the bytecode for that reason (the capability does not
/// count in this network namespace). The message says so, like the
/// pre-send one.
fn kernel_refusal(program: &[u8]) -> Option<String> {
    let config = AuditConfig {
        net_admin: false,
        ..AuditConfig::default()
    };
    let e = audit_with(program, config).err()?;
    Some(format!(
        "bytecode refused by the kernel (inet_diag_bc_audit, EPERM, at byte {}): {}: \
         CAP_NET_ADMIN counts only in the user namespace that owns this network \
         namespace (not inside `unshare -U` of the host's)",
        e.offset,
        describe_error(&e)
    ))
}

/// Run `nlwire ss`.
pub fn run(a: &SsArgs) -> ExitCode {
    if a.all_namespaces {
        // Each namespace is listed by a child `nlwire ss --net=PATH` with
        // the same arguments, so every option applies per namespace.
        return netns::run_all(a);
    }
    if (a.context || a.contexts) && !selinux::enabled() {
        // ss's words and status (`main`, options -Z/-z).
        return fail(1, "SELinux is not enabled.");
    }
    let resolved = match family::resolve(a) {
        Ok(r) => r,
        Err(e) => return fail(USAGE, &e),
    };
    let a = &resolved;
    if a.summary {
        if let Err(e) = summary::print(a) {
            return fail(1, &e);
        }
        if summary::only(a) {
            return ExitCode::SUCCESS;
        }
    }
    if let Some(name) = &a.net {
        // Interface names (`%dev` in addresses, `dev = NAME` in the
        // filter) are the namespace's, not this one's. After `-s`, which
        // reads sockstat before any socket of ours is open there.
        if let Err(e) = names::use_links_of_netns(&netns::netns_path(name)) {
            // The sock_diag socket's error says best what is wrong with a
            // name that leads nowhere.
            return fail(1, &netns::open(a).err().unwrap_or(e));
        }
    }
    let words = match &a.filter_file {
        Some(f) => match diag_file::read_filter(f, &a.filter) {
            Ok(w) => w,
            Err(e) => return fail(USAGE, &e),
        },
        None => a.filter.clone(),
    };
    // Only unix tables listed: `src`/`dst` name unix sockets (patterns),
    // as iproute2 reads them when its preferred family is `AF_UNIX`.
    let unix_only = kinds(a).is_ok_and(|(k, _)| {
        !k.is_empty()
            && k.iter()
                .all(|n| matches!(n, Netid::UStr | Netid::UDgr | Netid::USeq))
    });
    let parsed = match filter_lang::parse(&words, unix_only) {
        Ok(p) => p,
        Err(e) => return fail(USAGE, &format!("bad filter: {e}")),
    };
    if a.events {
        return events::run(a, &parsed);
    }
    let (kinds, default_states) = match kinds(a) {
        Ok(k) => k,
        Err(e) => return fail(USAGE, &e),
    };
    // -D dumps TCP only, as ss does.
    let kinds = match &a.diag {
        Some(_) if !kinds.contains(&Netid::Tcp) => {
            return fail(
                USAGE,
                "-D (--diag) writes the TCP dump: no tcp among the tables asked for",
            )
        }
        Some(_) => vec![Netid::Tcp],
        None => kinds,
    };
    let states = parsed.states.unwrap_or(if a.all {
        filter_lang::SS_ALL
    } else if a.listening {
        filter_lang::SS_LISTENING
    } else {
        default_states
    });
    let inet_wanted = kinds
        .iter()
        .any(|k| matches!(k, Netid::Tcp | Netid::Udp | Netid::Raw | Netid::Mptcp));
    let bc = if inet_wanted {
        match bytecode(a, parsed.expr.as_ref()) {
            Ok(b) => b,
            Err(e) => return fail(USAGE, &e),
        }
    } else {
        None
    };
    let (v4, v6) = match (a.ipv4, a.ipv6) {
        (false, false) => (true, true),
        other => other,
    };
    let plan = Plan {
        kinds: kinds.clone(),
        v4,
        v6,
        states,
        ext: Plan::ext_for(a.memory, a.info) | extras::tos_ext(a.tos),
        show: Plan::show_for(a.memory, a.extended),
        bytecode: bc,
        expr: parsed.expr.clone(),
        tcp_one_walk: a.diag.is_none(),
    };

    let mut sock = match netns::open(a) {
        Ok(s) => s,
        Err(e) => return fail(1, &e),
    };
    if let Some(path) = &a.record {
        match Recorder::create(path) {
            Ok(r) => sock.set_recorder(r),
            Err(e) => return fail(1, &format!("cannot create {}: {e}", path.display())),
        }
    }
    let contexts = if a.contexts {
        selinux::Contexts::ProcessAndSocket
    } else if a.context {
        selinux::Contexts::Process
    } else {
        selinux::Contexts::None
    };
    let show = Show::of(a, kinds.len() > 1, states.count_ones() > 1);
    // The plain text table is made as the replies arrive, as ss makes it,
    // none of them kept; everything else needs the replies themselves.
    let streamed = !a.json && streamed_if_text(a, contexts);
    let plain = extras::Extra {
        users: None,
        oneline: a.oneline,
    };
    let mut rows = columns::Rows::new(&show, &plain);
    let mut skipped = Vec::new();
    // So is `--json` when nothing needs the replies kept.
    let json_streamed = a.json && streamed_if_text(a, contexts);
    let mut json_w = json::JsonWriter::new();
    let mut json_out = json_out::JsonOut::new(std::io::stdout());
    let dumped = if streamed {
        query::dump_each(&mut sock, &plan, &mut skipped, &mut |netid, msg| {
            rows.push(netid, msg);
        })
        .map(|()| Vec::new())
    } else if json_streamed {
        query::dump_each(&mut sock, &plan, &mut skipped, &mut |netid, msg| {
            json_w.reply(netid, msg, None, json_out.room());
        })
        .map(|()| Vec::new())
    } else {
        query::dump_all(&mut sock, &plan, &mut skipped)
    };
    let mut socks = match dumped {
        Ok(s) => s,
        Err(e) => {
            finish_recording(&mut sock);
            if json_streamed {
                // The whole lines made before the failure, as ss leaves
                // its rows.
                let _ = json_out.finish();
            }
            let refusal = plan
                .bytecode
                .as_deref()
                .filter(|_| e.error.errno() == Some(1))
                .and_then(kernel_refusal);
            if let Some(msg) = refusal {
                return fail(USAGE, &msg);
            }
            return fail(1, &format!("{} dump failed: {}", e.what, e.error));
        }
    };
    // Like ss, stay quiet about kinds that were not asked for by name.
    let named = a.tcp || a.udp || a.raw || a.packet || a.netlink || a.mptcp || !a.query.is_empty();
    for s in skipped.iter().filter(|_| named) {
        let _ = nlwire_cli::diag!(
            "nlwire ss: warning: no {} sockets: the kernel has no sock_diag handler for them ({})",
            s.what,
            s.error
        );
    }

    if let Some(path) = &a.diag {
        let recorded = finish_recording(&mut sock);
        return match diag_file::write(path, &socks) {
            Ok(()) if recorded => ExitCode::SUCCESS,
            Ok(()) => ExitCode::FAILURE,
            Err(e) => fail(1, &e),
        };
    }
    let mut status = ExitCode::SUCCESS;
    if a.kill {
        let (killed, failed) = kill(&mut sock, socks);
        socks = killed;
        if failed {
            status = ExitCode::FAILURE;
        }
    }
    if !finish_recording(&mut sock) {
        status = ExitCode::FAILURE;
    }

    let users = (a.processes || contexts != selinux::Contexts::None).then(|| {
        let inodes = socks.iter().map(extras::inode).collect();
        processes::Users::scan_with(std::path::Path::new("/proc"), &inodes, contexts)
    });
    let extra = extras::Extra {
        users: users.as_ref(),
        oneline: a.oneline,
    };
    let mut out = std::io::stdout().lock();
    let written = if json_streamed {
        json_out.finish()
    } else if a.json {
        // The replies kept (for -p, -Z, -K), through the same writer.
        let mut w = json::JsonWriter::new();
        let mut o = json_out::JsonOut::new(&mut out);
        for s in &socks {
            let users = extras::users_json(s, &extra);
            w.socket_bytes(s, users.as_deref(), o.room());
        }
        o.finish()
    } else if streamed {
        rows.write_to(&mut out)
    } else {
        let mut rows = columns::Rows::new(&show, &extra);
        for s in &socks {
            rows.push(s.netid, &s.msg);
        }
        rows.write_to(&mut out)
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => status,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => status,
        Err(e) => fail(1, &format!("cannot write the output: {e}")),
    }
}

/// Whether the output can be made as the replies arrive, none of them
/// kept: no diag file, no kill, no process or SELinux context to look up.
fn streamed_if_text(a: &SsArgs, contexts: selinux::Contexts) -> bool {
    a.diag.is_none() && !a.kill && !a.processes && contexts == selinux::Contexts::None
}

/// Flush the recorder, if any; `false` (after saying why) if writing failed.
fn finish_recording(sock: &mut Socket) -> bool {
    let Some(rec) = sock.take_recorder() else {
        return true;
    };
    match rec.finish() {
        Ok(_) => true,
        Err(e) => {
            let _ = nlwire_cli::diag!("nlwire ss: recording failed: {e}");
            false
        }
    }
}

/// `-K`: `SOCK_DESTROY` every inet socket listed; returns the sockets the
/// kernel closed (what `ss -K` prints) and whether any refusal happened.
/// Unix, netlink and packet sockets cannot be destroyed and are dropped
/// from the list.
fn kill(sock: &mut Socket, socks: Vec<Sock>) -> (Vec<Sock>, bool) {
    let mut killed = Vec::new();
    let mut failed = false;
    for s in socks {
        if s.inet().is_none() {
            continue;
        }
        match query::destroy(sock, &s) {
            Ok(()) => killed.push(s),
            Err(e) => {
                failed = true;
                let hint = match e.errno() {
                    Some(95) => " (the kernel refuses SOCK_DESTROY: CONFIG_INET_DIAG_DESTROY off?)",
                    Some(1) => " (needs CAP_NET_ADMIN)",
                    Some(2) => " (the socket is already gone)",
                    _ => "",
                };
                let what = s
                    .inet()
                    .and_then(|m| m.header.local().zip(m.header.remote()))
                    .map(|(l, r)| format!("{} {l} -> {r}", s.netid.name()))
                    .unwrap_or_else(|| s.netid.name().to_string());
                let _ = nlwire_cli::diag!("nlwire ss: SOCK_DESTROY {what}: {e}{hint}");
            }
        }
    }
    (killed, failed)
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        ss: SsArgs,
    }

    fn kinds_of(args: &[&str]) -> Result<(Vec<Netid>, u32), String> {
        let cli = Cli::try_parse_from(std::iter::once("ss").chain(args.iter().copied()))
            .map_err(|e| e.to_string())?;
        kinds(&cli.ss)
    }

    /// `-0` and `--netlink` alone list `UNCONN` sockets without `-a` (ss's
    /// `-0`, `-f netlink`); `-A` asks for connected ones unless told.
    #[test]
    fn tables_and_their_default_states() {
        let (k, st) = kinds_of(&["-0"]).unwrap();
        assert_eq!(k, [Netid::PRaw, Netid::PDgr]);
        assert_eq!(st, filter_lang::CLOSE);
        let (k, st) = kinds_of(&["--netlink"]).unwrap();
        assert_eq!(k, [Netid::Nl]);
        assert_eq!(st, filter_lang::CLOSE);
        let (k, st) = kinds_of(&["-A", "netlink,p_dgr", "--socket=u_str"]).unwrap();
        assert_eq!(k, [Netid::Nl, Netid::PDgr, Netid::UStr]);
        assert_eq!(st, filter_lang::SS_CONN);
        let (k, _) = kinds_of(&["--query=inet"]).unwrap();
        assert_eq!(k, [Netid::Raw, Netid::Udp, Netid::Tcp]);
        let (k, st) = kinds_of(&["-t", "-0"]).unwrap();
        assert_eq!(k, [Netid::Tcp, Netid::PRaw, Netid::PDgr]);
        assert_eq!(st, filter_lang::SS_CONN | filter_lang::CLOSE);
        // No table named: every kind (ss dumps netlink and packet too, and
        // lists them with -a); -4 leaves out all but inet.
        let (k, _) = kinds_of(&[]).unwrap();
        assert_eq!(k.len(), 9);
        let (k, _) = kinds_of(&["-4"]).unwrap();
        assert_eq!(k, [Netid::Raw, Netid::Udp, Netid::Tcp]);
        let (k, _) = kinds_of(&["-A", "all"]).unwrap();
        assert_eq!(k.len(), 9);
    }

    #[test]
    fn unknown_and_unsupported_tables_are_named() {
        let e = kinds_of(&["-A", "tcp,bogus"]).unwrap_err();
        assert_eq!(e, "\"bogus\" is illegal socket table id");
        let e = kinds_of(&["-A", "vsock_stream"]).unwrap_err();
        assert!(e.contains("\"vsock_stream\" is not supported"), "{e}");
    }
}

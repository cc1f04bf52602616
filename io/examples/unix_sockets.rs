//! The example program of sock_diag(7), on nlwire and nlwire-io: dump every
//! unix socket of this network namespace with `UDIAG_SHOW_NAME |
//! UDIAG_SHOW_PEER` and print its inode, its peer's inode and its name
//! (abstract names start with `@`).
//!
//! ```text
//! cargo run -p nlwire-io --example unix_sockets [-- capture.pcap]
//! ```
//!
//! With a file name, the exchange is also recorded there as an nlmon-style
//! pcap (`LINKTYPE_NETLINK`).

use std::ops::ControlFlow;
use std::process::ExitCode;

use nlwire::families::sock_diag::{
    decode, SockDiagMessage, UnixDiagAttr, UnixDiagReq, UnixName, UnixResponse,
    SOCK_DIAG_BY_FAMILY, UDIAG_SHOW_NAME, UDIAG_SHOW_PEER,
};
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nlwire::Mode;
use nlwire_io::{Recorder, Socket};

/// `print_diag()` of the man page.
fn print_diag(msg: &UnixResponse<'_>) -> Result<(), nlwire::Error> {
    let mut peer = 0;
    let mut name = None;
    for attr in msg.attrs() {
        match attr? {
            UnixDiagAttr::Name(path) if name.is_none() => name = Some(path.name()),
            UnixDiagAttr::Peer(p) => peer = p,
            _ => {}
        }
    }
    print!("inode={}", msg.header.udiag_ino.get());
    if peer != 0 {
        print!(", peer={peer}");
    }
    match name {
        // Shown as ss does: `@` for the leading NUL of an abstract name.
        Some(n @ (UnixName::Pathname(_) | UnixName::Abstract(_))) => println!(", name={n}"),
        _ => println!(),
    }
    Ok(())
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut sock = Socket::new(NetlinkFamily::SockDiag)?;
    let record_to = std::env::args_os().nth(1);
    if let Some(path) = &record_to {
        sock.set_recorder(Recorder::create(path)?);
    }

    // `send_query()`: every state (`udiag_states = -1`), names and peers.
    let req = UnixDiagReq::dump(u32::MAX, UDIAG_SHOW_NAME | UDIAG_SHOW_PEER);
    let mut failure: Option<Box<dyn std::error::Error>> = None;
    sock.dump_with(
        |b, seq| {
            b.message(
                SOCK_DIAG_BY_FAMILY,
                NLM_F_REQUEST | NLM_F_DUMP,
                seq,
                0,
                |b| b.put_struct(&req),
            )
        },
        // `receive_responses()`: NLMSG_DONE and NLMSG_ERROR are handled by
        // the shim; every other message is a `struct unix_diag_msg`.
        |msg| {
            let outcome = match decode(&msg, Mode::Lenient) {
                Ok(SockDiagMessage::UnixResponse(m)) => print_diag(&m).map_err(Into::into),
                Ok(other) => Err(format!("unexpected family {:?}", other.family()).into()),
                Err(e) => Err(e.into()),
            };
            match outcome {
                Ok(()) => ControlFlow::Continue(()),
                Err(e) => {
                    failure = Some(e);
                    ControlFlow::Break(())
                }
            }
        },
    )?;
    if let Some(e) = failure {
        return Err(e);
    }
    if let Some(rec) = sock.take_recorder() {
        let packets = rec.packets();
        rec.finish()?;
        eprintln!("recorded {packets} packets");
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("unix_sockets: {e}");
            ExitCode::FAILURE
        }
    }
}

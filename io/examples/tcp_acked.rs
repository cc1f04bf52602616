//! Feature `tokio`: poll every TCP socket (IPv4 and IPv6) once a second
//! with an async sock_diag dump (`INET_DIAG_INFO`) and print those whose
//! `tcpi_bytes_acked` grew since the previous poll.
//!
//! ```text
//! cargo run -p nlwire-io --features tokio --example tcp_acked [SECONDS]
//! ```
//!
//! Runs for SECONDS (default: until interrupted). Sockets are told apart by
//! their `idiag_cookie`, which the kernel never reuses while it runs.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::time::Duration;

use nlwire::families::sock_diag::{
    decode, AddressFamily, InetDiagAttr, InetDiagReqV2, IpProto, SockDiagMessage, INET_DIAG_INFO,
    SOCK_DIAG_BY_FAMILY,
};
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
use nlwire::Mode;
use nlwire_io::{AsyncSocket, Socket};

/// One poll: cookie → (local -> remote, tcpi_bytes_acked).
async fn poll(s: &mut AsyncSocket) -> nlwire_io::Result<HashMap<u64, (String, u64)>> {
    let mut now = HashMap::new();
    for family in [AddressFamily::Inet, AddressFamily::Inet6] {
        // `idiag_ext` bit INET_DIAG_INFO - 1 asks for struct tcp_info.
        let req = InetDiagReqV2::dump(family, IpProto::Tcp, 1 << (INET_DIAG_INFO - 1), u32::MAX);
        s.dump_with(
            |b, seq| {
                b.message(
                    SOCK_DIAG_BY_FAMILY,
                    NLM_F_REQUEST | NLM_F_DUMP,
                    seq,
                    0,
                    |b| b.put_struct(&req),
                )
            },
            |m| {
                let Ok(SockDiagMessage::InetResponse(r)) = decode(&m, Mode::Lenient) else {
                    return ControlFlow::Continue(());
                };
                let acked = r.attrs().flatten().find_map(|a| match a {
                    InetDiagAttr::Info(i) => i.as_tcp_info().tcpi_bytes_acked(),
                    _ => None,
                });
                if let (Some(acked), Some(l), Some(p)) =
                    (acked, r.header.local(), r.header.remote())
                {
                    now.insert(r.header.id.cookie(), (format!("{l} -> {p}"), acked));
                }
                ControlFlow::Continue(())
            },
        )
        .await?;
    }
    Ok(now)
}

fn main() -> nlwire_io::Result<()> {
    let seconds: Option<u64> = std::env::args().nth(1).and_then(|a| a.parse().ok());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .build()
        .map_err(|e| nlwire_io::Error::Io {
            call: "tokio runtime",
            source: e,
        })?;
    rt.block_on(async {
        let mut s = AsyncSocket::new(Socket::new(NetlinkFamily::SockDiag)?)?;
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        let mut before: HashMap<u64, (String, u64)> = HashMap::new();
        let mut polls = 0u64;
        loop {
            tick.tick().await;
            let now = poll(&mut s).await?;
            for (cookie, (conn, acked)) in &now {
                if let Some((_, old)) = before.get(cookie) {
                    if acked > old {
                        println!(
                            "{conn}: tcpi_bytes_acked {old} -> {acked} (+{})",
                            acked - old
                        );
                    }
                }
            }
            before = now;
            polls += 1;
            if seconds.is_some_and(|s| polls > s) {
                return Ok(());
            }
        }
    })
}

//! Feature `tokio`: `AsyncSocket` dumps and the dump stream on a
//! current-thread runtime, against the live kernel (`cargo test -p
//! nlwire-io --features tokio`; `.ci/run` runs it).

mod common;
use common::inode;

use std::collections::HashSet;
use std::net::TcpListener;
use std::ops::ControlFlow;

use nlwire::families::sock_diag::{
    decode, AddressFamily, InetDiagReqV2, IpProto, SockDiagMessage, SOCK_DIAG_BY_FAMILY,
};
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{Builder, Messages, NLM_F_DUMP, NLM_F_REQUEST};
use nlwire::Mode;
use nlwire_io::{AsyncSocket, Socket};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .unwrap()
}

fn tcp_request() -> Vec<u8> {
    let req = InetDiagReqV2::dump(AddressFamily::Inet, IpProto::Tcp, 0, u32::MAX);
    let mut b = Builder::new_vec();
    b.message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 0, 0, |b| {
        b.put_struct(&req)
    })
    .unwrap();
    b.into_vec()
}

fn inode_of(bytes: &[u8]) -> Option<u32> {
    let m = Messages::new(bytes).next()?.ok()?;
    match decode(&m, Mode::Lenient) {
        Ok(SockDiagMessage::InetResponse(r)) => Some(r.header.idiag_inode.get()),
        _ => None,
    }
}

#[test]
fn async_dump_and_dump_stream_see_every_socket() {
    let listeners: Vec<TcpListener> = (0..300)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    let ours: HashSet<u32> = listeners.iter().map(inode).collect();
    runtime().block_on(async {
        let mut s = AsyncSocket::new(Socket::new(NetlinkFamily::SockDiag).unwrap()).unwrap();
        assert!(s.get_ref().is_non_blocking().unwrap());

        let mut seen = HashSet::new();
        let sum = s
            .dump(&tcp_request(), |m| {
                if let Ok(SockDiagMessage::InetResponse(r)) = decode(&m, Mode::Lenient) {
                    seen.insert(r.header.idiag_inode.get());
                }
                ControlFlow::Continue(())
            })
            .await
            .unwrap();
        assert!(ours.is_subset(&seen), "async dump missed our listeners");
        assert!(sum.datagrams > 1, "{sum:?}");

        // The same through the stream, twice on the one socket.
        for _ in 0..2 {
            let mut stream = s.dump_stream(&tcp_request()).unwrap();
            let mut streamed = HashSet::new();
            let mut n = 0;
            while let Some(m) = stream.next().await {
                let bytes = m.unwrap();
                n += 1;
                streamed.insert(inode_of(&bytes).expect("an inet_diag_msg"));
            }
            let sum = stream.summary().expect("ended well").clone();
            assert_eq!(sum.messages, n);
            assert!(ours.is_subset(&streamed), "the stream missed our listeners");
        }
    });
}

#[test]
fn a_failed_async_request_reports_the_kernel_error_once() {
    runtime().block_on(async {
        let mut s = AsyncSocket::new(Socket::new(NetlinkFamily::SockDiag).unwrap()).unwrap();
        // sdiag_family 0 has no sock_diag handler: EINVAL.
        let mut b = Builder::new_vec();
        b.message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 0, 0, |b| {
            b.put_bytes(&[0u8; 56])
        })
        .unwrap();
        let req = b.into_vec();
        let mut stream = s.dump_stream(&req).unwrap();
        let e = stream.next().await.expect("an error").unwrap_err();
        assert!(e.errno().is_some(), "{e}");
        assert!(stream.next().await.is_none());
        assert!(stream.summary().is_none());
    });
}

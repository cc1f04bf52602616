//! Dumps on a non-blocking socket: `EAGAIN` in the middle of an exchange
//! loses nothing. A scripted peer (a second `NETLINK_USERSOCK` socket, as in
//! `live_exchange.rs`) sends the reply in two parts with a pause between,
//! so the client meets `EAGAIN` after the first part for certain; then a
//! live sock_diag dump of many sockets through the same resumable API.

mod common;
use common::inode;

use std::collections::HashSet;
use std::net::TcpListener;
use std::ops::ControlFlow;
use std::time::Duration;

use nlwire::families::sock_diag::{
    decode, AddressFamily, InetDiagReqV2, IpProto, SockDiagMessage, SOCK_DIAG_BY_FAMILY,
};
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{Builder, NLM_F_DUMP, NLM_F_MULTI, NLM_F_REQUEST};
use nlwire::Mode;
use nlwire_io::Socket;

const USERSOCK: u16 = 2;
const SEQ: u32 = 42;
const DATA: u16 = 0x100;
const DONE: u16 = 3;

/// (client, scripted kernel, client port)
fn pair() -> (Socket, Socket, u32) {
    let client = Socket::new(USERSOCK).unwrap();
    let mut kernel = Socket::new(USERSOCK).unwrap();
    let kport = kernel.bind_auto().unwrap();
    let mut client = client;
    let port = client.bind_auto().unwrap();
    client.connect(kport, 0).unwrap();
    client.set_non_blocking(true).unwrap();
    (client, kernel, port)
}

fn part(kernel: &mut Socket, port: u32, tags: &[u8], done: bool) {
    let mut b = Builder::new_vec();
    for &t in tags {
        b.message(DATA, NLM_F_MULTI, SEQ, port, |b| b.put_bytes(&[t, 0, 0, 0]))
            .unwrap();
    }
    if done {
        b.message(DONE, NLM_F_MULTI, SEQ, port, |b| {
            b.put_bytes(&0i32.to_ne_bytes())
        })
        .unwrap();
    }
    kernel.send_to(&b.into_vec(), port, 0).unwrap();
}

fn request() -> Vec<u8> {
    let mut req = Builder::new_vec();
    req.message(DATA, NLM_F_REQUEST | NLM_F_DUMP, SEQ, 0, |b| {
        b.put_bytes(&[0; 4])
    })
    .unwrap();
    req.into_vec()
}

#[test]
fn resume_dump_returns_at_eagain_and_goes_on_where_it_stopped() {
    let (mut client, mut kernel, port) = pair();
    let mut got = Vec::new();
    let mut state = client.start_dump(&request()).unwrap();
    // Nothing queued yet: would block, nothing delivered.
    let r = client
        .resume_dump(&mut state, |m| {
            got.push(m.payload[0]);
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!((r, got.len()), (None, 0));
    part(&mut kernel, port, &[1, 2], false);
    part(&mut kernel, port, &[3], false);
    let r = client
        .resume_dump(&mut state, |m| {
            got.push(m.payload[0]);
            ControlFlow::Continue(())
        })
        .unwrap();
    // Both queued datagrams read, then EAGAIN mid-exchange: not an error.
    assert_eq!(r, None);
    assert_eq!(got, [1, 2, 3]);
    assert!(!state.is_ended());
    part(&mut kernel, port, &[4], true);
    let sum = client
        .resume_dump(&mut state, |m| {
            got.push(m.payload[0]);
            ControlFlow::Continue(())
        })
        .unwrap()
        .expect("ended at NLMSG_DONE");
    assert_eq!(got, [1, 2, 3, 4]);
    assert_eq!((sum.messages, sum.datagrams, sum.seq), (4, 3, SEQ));
}

/// `Socket::dump` on a non-blocking socket used to fail with `EAGAIN` as
/// soon as the next datagram was not there yet, losing the part received.
/// It now waits (`poll(2)`) and goes on.
#[test]
fn dump_on_a_non_blocking_socket_waits_for_the_rest() {
    let (mut client, mut kernel, port) = pair();
    part(&mut kernel, port, &[1, 2], false);
    let late = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(200));
        part(&mut kernel, port, &[3], true);
        kernel
    });
    let mut got = Vec::new();
    let sum = client
        .dump(&request(), |m| {
            got.push(m.payload[0]);
            ControlFlow::Continue(())
        })
        .unwrap();
    late.join().unwrap();
    assert_eq!(got, [1, 2, 3]);
    assert_eq!(sum.messages, 3);
}

/// A blocking socket's `EAGAIN` is its receive timeout: still an error.
#[test]
fn a_receive_timeout_still_fails_a_blocking_dump() {
    let (mut client, mut kernel, port) = pair();
    client.set_non_blocking(false).unwrap();
    client
        .set_recv_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    part(&mut kernel, port, &[1], false);
    let e = client
        .dump(&request(), |_| ControlFlow::Continue(()))
        .unwrap_err();
    assert!(e.is_would_block(), "{e}");
}

#[test]
fn a_live_dump_of_many_sockets_on_a_non_blocking_socket_is_whole() {
    let listeners: Vec<TcpListener> = (0..600)
        .map(|_| TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    let ours: HashSet<u32> = listeners.iter().map(inode).collect();
    let mut s = Socket::new(NetlinkFamily::SockDiag).unwrap();
    s.set_non_blocking(true).unwrap();
    let req = InetDiagReqV2::dump(AddressFamily::Inet, IpProto::Tcp, 0, u32::MAX);
    let mut seen = HashSet::new();
    let mut state = s
        .start_dump_with(|b, seq| {
            b.message(
                SOCK_DIAG_BY_FAMILY,
                NLM_F_REQUEST | NLM_F_DUMP,
                seq,
                0,
                |b| b.put_struct(&req),
            )
        })
        .unwrap();
    let mut waits = 0;
    let mut delivered = 0;
    let sum = loop {
        let r = s
            .resume_dump(&mut state, |m| {
                if let Ok(SockDiagMessage::InetResponse(r)) = decode(&m, Mode::Lenient) {
                    seen.insert(r.header.idiag_inode.get());
                    delivered += 1;
                }
                ControlFlow::Continue(())
            })
            .unwrap();
        match r {
            Some(sum) => break sum,
            None => {
                waits += 1;
                s.wait_readable().unwrap();
            }
        }
    };
    let missing: Vec<_> = ours.difference(&seen).collect();
    assert!(
        missing.is_empty(),
        "{} of our listeners missing",
        missing.len()
    );
    assert!(sum.datagrams > 1, "600 sockets fit one datagram? {sum:?}");
    // (Not `seen.len()`: TIME_WAIT sockets of other tests all have inode 0.)
    assert_eq!(sum.messages, delivered);
    eprintln!("{} datagrams, {waits} waits", sum.datagrams);
}

//! Address display hints of `#[nl_struct]` (`#[nl(display = ipv4 | ipv6 |
//! addr | addr_by(field))]`) and the byte-order swap of `sockaddr`s.

mod sock_diag_util;

use nlwire::families::sock_diag::{KernelSockaddrStorage, SockaddrIn, SockaddrIn6, TcpDiagMd5sig};
use nlwire::nl_struct;
use nlwire::payload::{Array, Payload};
use nlwire::wire::{BigEndian, NativeEndian, WireStruct, U16, U32};
use sock_diag_util::{assert_line, lines, Recorder};

fn storage_v6(scope_id: u32) -> Vec<u8> {
    let mut b = vec![0u8; 128];
    b[0..2].copy_from_slice(&10u16.to_ne_bytes()); // AF_INET6
    b[2..4].copy_from_slice(&443u16.to_be_bytes());
    b[4..8].copy_from_slice(&0x12345u32.to_be_bytes());
    b[8..24].copy_from_slice(&"fe80::1".parse::<std::net::Ipv6Addr>().unwrap().octets());
    b[24..28].copy_from_slice(&scope_id.to_ne_bytes());
    b
}

/// `sin6_scope_id` is a host-order `__u32` inside `__kernel_sockaddr_storage`:
/// converting a capture from the other byte order must swap it (it was read
/// at a hand offset the field metadata did not describe, so it stayed
/// reversed), and must leave the network-order port, flow label and address
/// alone.
#[test]
fn sockaddr_in6_scope_id_is_swapped() {
    let host = storage_v6(3);
    // The same bytes as a host of the other order would send them.
    let mut foreign = host.clone();
    foreign[0..2].reverse();
    foreign[24..28].reverse();
    <Array<KernelSockaddrStorage> as Payload>::swap_order(&mut foreign);
    assert_eq!(foreign, host);
    // And the structure alone.
    let mut foreign = host.clone();
    foreign[0..2].reverse();
    foreign[24..28].reverse();
    <KernelSockaddrStorage as WireStruct>::swap_order(&mut foreign);
    assert_eq!(foreign, host);
    // Swapping is its own inverse (host to foreign as well).
    let mut twice = host.clone();
    <KernelSockaddrStorage as WireStruct>::swap_order(&mut twice);
    assert_eq!(&twice[24..28], &3u32.swap_bytes().to_ne_bytes());
    <KernelSockaddrStorage as WireStruct>::swap_order(&mut twice);
    assert_eq!(twice, host);
}

/// `AF_INET`: only `sin_family` is host order.
#[test]
fn sockaddr_in_swap_touches_only_the_family() {
    let mut host = vec![0u8; 128];
    host[0..2].copy_from_slice(&2u16.to_ne_bytes());
    host[2..4].copy_from_slice(&80u16.to_be_bytes());
    host[4..8].copy_from_slice(&[10, 0, 0, 1]);
    host[24..28].copy_from_slice(&[1, 2, 3, 4]); // beyond sockaddr_in: not a field
    let mut foreign = host.clone();
    foreign[0..2].reverse();
    <KernelSockaddrStorage as WireStruct>::swap_order(&mut foreign);
    assert_eq!(foreign, host);
}

/// The walk of a storage slot is unchanged: `ss_family` and the address's
/// fields, now read through the declared `sockaddr_in6`.
#[test]
fn sockaddr_storage_walk_unchanged() {
    let b = storage_v6(3);
    let s = <KernelSockaddrStorage as zerocopy::FromBytes>::ref_from_prefix(&b)
        .unwrap()
        .0;
    let l = lines(s);
    assert_eq!(
        l,
        [
            "ss_family=AF_INET6",
            "sin6_port=443",
            "sin6_flowinfo=74565",
            "sin6_addr=fe80::1",
            "sin6_scope_id=3",
        ]
    );
    assert_eq!(s.socket_addr().unwrap().to_string(), "[fe80::1%3]:443");
}

/// `sockaddr_in` / `sockaddr_in6` declared with `display = ipv4 / ipv6`:
/// every field in the metadata, addresses walked as addresses.
#[test]
fn sockaddr_in_declared_with_display_hints() {
    assert_eq!(SockaddrIn::SIZE, 16);
    assert_eq!(SockaddrIn6::SIZE, 28);
    let f = SockaddrIn6::field("sin6_scope_id").unwrap();
    assert_eq!((f.offset, f.size), (24, 4));
    let b = storage_v6(7);
    let s6 = <SockaddrIn6 as zerocopy::FromBytes>::ref_from_prefix(&b)
        .unwrap()
        .0;
    let l = lines(s6);
    assert_line(&l, "sin6_family=AF_INET6");
    assert_line(&l, "sin6_addr=fe80::1");
    assert_line(&l, "sin6_scope_id=7");
}

mod demo {
    use super::*;

    /// A structure whose address takes its family from a sibling field.
    #[nl_struct(name = "demo_addr")]
    pub struct DemoAddr {
        pub family: u8,
        pub pad: [u8; 3],
        #[nl(display = addr_by(family))]
        pub addr: [U32<BigEndian>; 4],
        #[nl(display = ipv4)]
        pub gw: [u8; 4],
        #[nl(display = ipv6)]
        pub gw6: [u8; 16],
    }

    /// A structure whose addresses take the family of their container.
    #[nl_struct(name = "demo_id")]
    pub struct DemoId {
        pub port: U16<BigEndian>,
        #[nl(display = addr)]
        pub src: [u8; 16],
        pub ifindex: U32<NativeEndian>,
    }

    #[nl_struct(name = "demo_msg")]
    pub struct DemoMsg {
        pub family: u8,
        #[nl(display = addr_by(family))]
        pub id: DemoId,
    }
}

#[test]
fn display_hints_walk_addresses() {
    use demo::*;
    let mut d: DemoAddr = zerocopy::FromZeros::new_zeroed();
    d.family = 2;
    d.addr[0] = U32::new(0x7f00_0001);
    d.addr[3] = U32::new(5);
    d.gw = [192, 0, 2, 1];
    d.gw6[15] = 1;
    let l = lines(&d);
    assert_line(&l, "addr=127.0.0.1");
    assert_line(&l, "addr_extra=0x000000000000000000000005");
    assert_line(&l, "gw=192.0.2.1");
    assert_line(&l, "gw6=::1");
    d.family = 10;
    assert_line(&lines(&d), "addr=7f00:1::5");
    d.family = 1;
    assert_line(&lines(&d), "addr=0x7f000001000000000000000000000005");

    let mut m: DemoMsg = zerocopy::FromZeros::new_zeroed();
    m.family = 2;
    m.id.port = U16::new(80);
    m.id.src[..4].copy_from_slice(&[10, 1, 2, 3]);
    let l = lines(&m);
    assert_eq!(
        l,
        ["family=2", "id.port=80", "id.src=10.1.2.3", "id.ifindex=0"]
    );
    // On its own, without a family: all 16 bytes, as IPv6.
    assert_line(&lines(&m.id), "src=a01:203::");
}

/// `tcp_diag_md5sig.tcpm_addr` is shown by `tcpm_family` (IPv4 from the
/// first word), as before, now through the display hint.
#[test]
fn md5sig_addr_by_family() {
    let mut m: TcpDiagMd5sig = zerocopy::FromZeros::new_zeroed();
    m.tcpm_family = 2;
    m.tcpm_addr[0] = U32::new(0x0a00_0001);
    m.tcpm_keylen = U16::new(2);
    m.tcpm_key[..2].copy_from_slice(b"ab");
    let mut r = Recorder::default();
    nlwire::value::Walk::walk(&m, &mut r);
    assert_line(&r.lines, "tcpm_addr=10.0.0.1");
    assert_line(&r.lines, "tcpm_key=0x6162");
}

/// `inet_diag_hostcond` walks through the declaration: `family` by name,
/// `port` signed, the C padding (`#[nl(hidden)]`) in the metadata but not
/// walked.
#[test]
fn hostcond_walk_from_declaration() {
    use nlwire::families::sock_diag::bytecode::InetDiagHostcond;
    let hc = InetDiagHostcond {
        family: 2,
        prefix_len: 24,
        pad: [2, 0],
        port: zerocopy::byteorder::I32::new(-1),
    };
    assert_eq!(lines(&hc), ["family=AF_INET", "prefix_len=24", "port=-1"]);
    // In the metadata under the no-C-name convention of the layout test.
    assert!(InetDiagHostcond::field("__hole_pad").is_some());
}

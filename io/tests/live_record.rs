//! Recording a live dump to a pcap file and checking its bytes.

mod common;

use std::ops::ControlFlow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use nlwire::families::route::link::Ifinfomsg as IfInfoMsg;
use nlwire::family::NetlinkFamily;
use nlwire::netlink::{Builder, Messages, NlMsgType, NLM_F_DUMP, NLM_F_REQUEST};
use nlwire_io::{Recorder, Socket};
use pcap_parser::{Linktype, PcapCapture};
use zerocopy::FromZeros;

const RTM_GETLINK: u16 = 18;

/// One pcap record: (record header, data).
type Packet<'a> = (&'a [u8], &'a [u8]);

/// Split a classic pcap into (global header, records).
fn split(bytes: &[u8]) -> (&[u8], Vec<Packet<'_>>) {
    let (global, mut rest) = bytes.split_at(24);
    let mut out = Vec::new();
    while !rest.is_empty() {
        let (hdr, tail) = rest.split_at(16);
        let incl = u32::from_ne_bytes(hdr[8..12].try_into().unwrap()) as usize;
        let (data, tail) = tail.split_at(incl);
        out.push((hdr, data));
        rest = tail;
    }
    (global, out)
}

#[test]
fn a_recorded_route_dump_is_an_nlmon_pcap_of_the_exchange() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dump.pcap");
    let mut s = Socket::new(NetlinkFamily::Route).unwrap();
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_recorder(Recorder::create(&path).unwrap());

    let mut req = Builder::new_vec();
    req.message(RTM_GETLINK, NLM_F_REQUEST | NLM_F_DUMP, 0, 0, |b| {
        b.put_struct(&IfInfoMsg::new_zeroed())
    })
    .unwrap();
    let req = req.into_vec();
    let before = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
    let mut delivered: Vec<Vec<u8>> = Vec::new();
    let sum = s
        .dump(&req, |m| {
            delivered.push(m.bytes.to_vec());
            ControlFlow::Continue(())
        })
        .unwrap();
    let rec = s.take_recorder().unwrap();
    assert_eq!(rec.packets(), 1 + sum.datagrams as u64);
    rec.finish().unwrap();

    let bytes = std::fs::read(&path).unwrap();
    let (global, packets) = split(&bytes);
    // Global header: magic (host order), 2.4, zone 0, sigfigs 0, snaplen, 253.
    assert_eq!(&global[0..4], &0xa1b2_c3d4u32.to_ne_bytes());
    assert_eq!(
        &global[4..8],
        &[2u16.to_ne_bytes(), 4u16.to_ne_bytes()].concat()[..]
    );
    assert_eq!(&global[8..16], &[0; 8]);
    assert_eq!(&global[16..20], &262_144u32.to_ne_bytes());
    assert_eq!(&global[20..24], &253u32.to_ne_bytes());
    assert_eq!(packets.len(), 1 + sum.datagrams);

    let pseudo = [0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    let mut replayed: Vec<Vec<u8>> = Vec::new();
    let mut saw_done = false;
    for (i, (hdr, data)) in packets.iter().enumerate() {
        let ts = Duration::new(
            u32::from_ne_bytes(hdr[0..4].try_into().unwrap()).into(),
            u32::from_ne_bytes(hdr[4..8].try_into().unwrap()) * 1000,
        );
        assert!(ts.as_micros() >= before.as_micros() && ts < before + Duration::from_secs(60));
        assert_eq!(hdr[8..12], hdr[12..16], "nothing was cut");
        assert_eq!(data[..16], pseudo, "nlmon pseudo-header, NETLINK_ROUTE");
        let nl = &data[16..];
        if i == 0 {
            // The request as sent: the zero sequence number replaced.
            assert_eq!(nl.len(), req.len());
            assert_eq!(nl[..8], req[..8]);
            assert_eq!(u32::from_ne_bytes(nl[8..12].try_into().unwrap()), sum.seq);
            assert_eq!(nl[12..], req[12..]);
            continue;
        }
        for m in Messages::new(nl) {
            let m = m.unwrap();
            assert_eq!(m.header.nlmsg_seq.get(), sum.seq);
            if m.header.standard_type() == NlMsgType::Done {
                saw_done = true;
            } else {
                replayed.push(m.bytes.to_vec());
            }
        }
    }
    assert!(saw_done);
    assert_eq!(
        replayed, delivered,
        "the pcap holds exactly what the dump delivered"
    );

    // An independent reader agrees.
    let cap = PcapCapture::from_file(&bytes).unwrap();
    assert_eq!(cap.header.network, Linktype(253));
    assert_eq!(cap.blocks.len(), packets.len());
    for (b, (_, data)) in cap.blocks.iter().zip(&packets) {
        assert_eq!(
            (b.caplen as usize, b.origlen as usize),
            (data.len(), data.len())
        );
        assert_eq!(b.data, *data);
    }
}

#[test]
fn a_recorded_unix_diag_dump_decodes_back_to_the_same_sockets() {
    use nlwire::families::sock_diag::{
        decode, SockDiagMessage, UnixDiagReq, SOCK_DIAG_BY_FAMILY, UDIAG_SHOW_NAME,
    };
    use nlwire::Mode;
    use std::os::unix::net::UnixStream;

    let _pair = UnixStream::pair().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("unix.pcap");
    let mut s = Socket::new(NetlinkFamily::SockDiag).unwrap();
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_recorder(Recorder::create(&path).unwrap());
    let req = UnixDiagReq::dump(u32::MAX, UDIAG_SHOW_NAME);
    let mut live = Vec::new();
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
            live.push(m.bytes.to_vec());
            ControlFlow::Continue(())
        },
    )
    .unwrap();
    assert!(live.len() >= 2, "at least our pair");
    s.take_recorder().unwrap().finish().unwrap();

    let bytes = std::fs::read(&path).unwrap();
    let (_, packets) = split(&bytes);
    let mut requests = 0;
    let mut replies = Vec::new();
    for (_, data) in &packets {
        assert_eq!(
            data[..16],
            [0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4],
            "NETLINK_SOCK_DIAG"
        );
        for m in Messages::new(&data[16..]) {
            let m = m.unwrap();
            if m.header.nlmsg_type.get() != SOCK_DIAG_BY_FAMILY {
                continue;
            }
            match decode(&m, Mode::Strict).unwrap() {
                SockDiagMessage::UnixRequest(r) => {
                    requests += 1;
                    assert_eq!(r.header.udiag_show.get(), UDIAG_SHOW_NAME);
                }
                SockDiagMessage::UnixResponse(_) => replies.push(m.bytes.to_vec()),
                other => panic!("unexpected {other:?}"),
            }
        }
    }
    assert_eq!(requests, 1);
    assert_eq!(replies, live);
}

//! Live `NETLINK_CONNECTOR`: subscribe to the process events connector
//! (`CN_IDX_PROC`, `<linux/cn_proc.h>`), run a child, and decode its
//! `PROC_EVENT_FORK`/`EXEC`/`EXIT` events. Needs root (`CAP_NET_ADMIN`)
//! and `CONFIG_PROC_EVENTS`: skipped with a reason otherwise, a failure
//! under `CI=true`.

mod common;

use std::time::{Duration, Instant};

use nlwire::decode::{decode, Body};
use nlwire::families::connector::*;
use nlwire::family::{NetlinkFamily, NETLINK_CONNECTOR};
use nlwire::netlink::{Builder, Messages};
use nlwire::Mode;

#[test]
fn live_connector_proc_events_of_a_child() {
    let Some(mut s) = common::available(
        "a NETLINK_CONNECTOR socket",
        nlwire_io::Socket::new(NetlinkFamily::Connector),
    ) else {
        return;
    };
    // Group CN_IDX_PROC (bit idx - 1 of nl_groups).
    if common::available(
        "bind to group CN_IDX_PROC (root)",
        s.bind(0, 1 << (CN_IDX_PROC - 1)),
    )
    .is_none()
    {
        return;
    }
    s.set_recv_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let mut buf = [0u8; 64];
    let mut b = Builder::new(&mut buf[..]);
    let input: Vec<u8> = [PROC_CN_MCAST_LISTEN, PROC_EVENT_ALL]
        .iter()
        .flat_map(|x| x.to_ne_bytes())
        .collect();
    b.message(NLMSG_DONE, 0, 1, 0, |b| {
        CnMessage::write(b, CN_IDX_PROC, CN_VAL_PROC, 1, 0, &input)
    })
    .unwrap();
    let n = b.len();
    if common::available("PROC_CN_MCAST_LISTEN (root)", s.send(&buf[..n])).is_none() {
        return;
    }
    let child = std::process::Command::new("true").spawn().unwrap();
    let pid = child.id() as i32;
    let mut child = child;
    child.wait().unwrap();
    let (mut fork, mut exit) = (false, false);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut rbuf = vec![0u8; 65536];
    while !(fork && exit) && Instant::now() < deadline {
        let Ok(len) = s.recv(&mut rbuf, nlwire_io::RecvFlags::empty()) else {
            continue;
        };
        for m in Messages::new(&rbuf[..len]) {
            let m = m.unwrap();
            let d = decode(NETLINK_CONNECTOR, m, Mode::Strict);
            let Ok(Body::Family(f)) = d.body else {
                panic!("not a connector message: {:?}", d.body)
            };
            let ConnectorMessage::Cn(cn) = ConnectorMessage::parse(&f.msg, Mode::Strict).unwrap()
            else {
                panic!()
            };
            let CnData::ProcEvent(ev) = cn.data else {
                continue;
            };
            match ev.union {
                EventData::Fork(e) if e.value.child_pid.get() == pid => fork = true,
                EventData::Exit(e) if e.value.process_pid.get() == pid => exit = true,
                _ => {}
            }
        }
    }
    if !(fork || exit)
        && common::available::<(), _>(
            "process events (CONFIG_PROC_EVENTS)",
            Err("no event for the child"),
        )
        .is_none()
    {
        return;
    }
    assert!(fork && exit, "fork {fork} exit {exit} of {pid}");
}

//! What the requests of a capture tell about their replies.
//!
//! Some replies cannot be read alone: `INET_DIAG_INFO` is `struct
//! tcp_info`, `struct mptcp_info` or `struct sctp_info` by the protocol the
//! dump asked for, and no reply repeats it. The codec's families say what a
//! request tells ([`Decoded::request_context`]); this keeps it for the
//! replies with the same netlink protocol and `nlmsg_seq`, as a kernel
//! dump answers a request under its sequence number. Bounded: the most
//! recent [`REMEMBERED`] requests are kept.

use std::collections::VecDeque;

use nlwire::decode::Decoded;
use nlwire::netlink::Selectors;

/// How many requests with a context are remembered.
pub const REMEMBERED: usize = 256;

/// Contexts of recent requests by (netlink protocol, `nlmsg_seq`).
#[derive(Default)]
pub struct Contexts {
    recent: VecDeque<((u16, u32), Selectors<'static>)>,
}

impl Contexts {
    /// Remember what a decoded request tells its replies (nothing for
    /// replies and for requests without a context).
    pub fn learn(&mut self, d: &Decoded<'_>) {
        let ctx = d.request_context();
        if ctx.is_empty() {
            return;
        }
        let key = (d.family, d.msg.header.nlmsg_seq.get());
        self.recent.retain(|(k, _)| *k != key);
        if self.recent.len() == REMEMBERED {
            self.recent.pop_front();
        }
        self.recent.push_back((key, ctx));
    }

    /// The context for a reply of `family` with sequence number `seq`.
    pub fn for_reply(&self, family: u16, seq: u32) -> Selectors<'static> {
        self.recent
            .iter()
            .rev()
            .find(|(k, _)| *k == (family, seq))
            .map_or(Selectors::EMPTY, |(_, c)| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use nlwire::decode::decode;
    use nlwire::families::sock_diag::*;
    use nlwire::netlink::{Builder, Messages, NLM_F_DUMP, NLM_F_REQUEST};

    fn request(seq: u32, protocol: u32) -> Vec<u8> {
        let req = InetDiagReqV2::dump(AddressFamily::Inet, IpProto::Tcp, 0, TCPF_ALL);
        let mut b = Builder::new_vec();
        b.message(
            SOCK_DIAG_BY_FAMILY,
            NLM_F_REQUEST | NLM_F_DUMP,
            seq,
            0,
            |b| InetRequest::write(b, &req, &[InetDiagReqAttr::Protocol(protocol)]),
        )
        .unwrap();
        b.into_vec()
    }

    #[test]
    fn a_request_protocol_reaches_replies_of_its_sequence_number_only() {
        let mut c = Contexts::default();
        let bytes = request(7, IPPROTO_MPTCP);
        let m = Messages::new(&bytes).next().unwrap().unwrap();
        c.learn(&decode(4, m, nlwire::Mode::Lenient));
        let got = c.for_reply(4, 7).get(PROTOCOL_SELECTOR);
        assert_eq!(
            got,
            Some(nlwire::value::SelectorValue::Int(u64::from(IPPROTO_MPTCP)))
        );
        assert!(c.for_reply(4, 8).is_empty());
        assert!(c.for_reply(0, 7).is_empty());
    }

    #[test]
    fn memory_is_bounded() {
        let mut c = Contexts::default();
        for seq in 0..(REMEMBERED as u32 * 4) {
            let bytes = request(seq, 6);
            let m = Messages::new(&bytes).next().unwrap().unwrap();
            c.learn(&decode(4, m, nlwire::Mode::Lenient));
        }
        assert_eq!(c.recent.len(), REMEMBERED);
        assert!(c.for_reply(4, 0).is_empty());
        assert!(!c.for_reply(4, REMEMBERED as u32 * 4 - 1).is_empty());
    }
}

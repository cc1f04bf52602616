//! Request/response exchanges: send one request built by the codec, then
//! receive every reply datagram into the socket's reusable buffer and hand
//! each message, zero-copy, to a callback.
//!
//! The exchange ends the way netlink(7) says it does: at `NLMSG_DONE` for a
//! multipart reply (`NLM_F_MULTI`), at an `NLMSG_ERROR` (an error, or the ACK
//! that `NLM_F_ACK` asked for), or after a single reply without
//! `NLM_F_MULTI` when no ACK was asked for. Only messages carrying the
//! request's sequence number are taken; others (replies to an abandoned
//! request, multicast notifications) are skipped and counted.

use std::ops::ControlFlow;

use nlwire::netlink::{
    Attrs, Builder, ExtAckAttr, Messages, NlMsgDone, NlMsgErr, NlMsgType, PolicyAttr, RawMessage,
    NLM_F_ACK, NLM_F_DUMP_INTR, NLM_F_MULTI, NLM_F_REQUEST,
};
use nlwire::Mode;

use crate::error::{Error, ErrorPolicy, KernelError, Result};
use crate::socket::Socket;

/// How an exchange went, when it went well.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DumpSummary {
    /// The request's sequence number.
    pub seq: u32,
    /// Data messages handed to the callback (control messages not counted).
    pub messages: usize,
    /// Datagrams read.
    pub datagrams: usize,
    /// Messages skipped because their sequence number was another's.
    pub skipped: usize,
    /// The callback returned `Break`: the rest of the reply was left unread
    /// (it will be skipped by the next exchange).
    pub stopped: bool,
    /// The exchange ended with an ACK (`NLMSG_ERROR` with error 0).
    pub acked: bool,
    /// `NLMSGERR_ATTR_MSG` sent with a successful `NLMSG_DONE` or ACK (a
    /// kernel warning).
    pub warning: Option<String>,
}

/// `NLMSGERR_ATTR_MSG` of an extended ACK (a warning on success); of
/// several, the last, as [`ext_ack_into`] keeps it.
fn ext_ack_message(attrs: Attrs<'_, ExtAckAttr<'_>>) -> Option<String> {
    attrs
        .flatten()
        .filter_map(|a| match a {
            ExtAckAttr::Msg(s) => Some(String::from_utf8_lossy(s.to_bytes()).into_owned()),
            _ => None,
        })
        .last()
}

/// Every attribute of an extended ACK (`NLMSGERR_ATTR_*`), into `k`.
fn ext_ack_into(k: &mut KernelError, attrs: Attrs<'_, ExtAckAttr<'_>>) {
    for a in attrs.flatten() {
        match a {
            ExtAckAttr::Msg(s) => {
                k.message = Some(String::from_utf8_lossy(s.to_bytes()).into_owned())
            }
            ExtAckAttr::Offs(o) => k.offset = Some(o),
            ExtAckAttr::Cookie(c) => k.cookie = Some(c.0.to_vec()),
            ExtAckAttr::Policy(nest) => {
                let mut p = ErrorPolicy::default();
                for a in nest.iter().flatten() {
                    match a {
                        PolicyAttr::Type(v) => p.attr_type = Some(v.value),
                        PolicyAttr::MinValueS(v) => p.min_value_s = Some(v),
                        PolicyAttr::MaxValueS(v) => p.max_value_s = Some(v),
                        PolicyAttr::MinValueU(v) => p.min_value_u = Some(v),
                        PolicyAttr::MaxValueU(v) => p.max_value_u = Some(v),
                        PolicyAttr::MinLength(v) => p.min_length = Some(v),
                        PolicyAttr::MaxLength(v) => p.max_length = Some(v),
                        PolicyAttr::PolicyIdx(v) => p.policy_idx = Some(v),
                        PolicyAttr::PolicyMaxtype(v) => p.policy_maxtype = Some(v),
                        PolicyAttr::Bitfield32Mask(v) => p.bitfield32_mask = Some(v),
                        PolicyAttr::Mask(v) => p.mask = Some(v),
                        _ => {}
                    }
                }
                k.policy = Some(Box::new(p));
            }
            ExtAckAttr::MissType(t) => k.missing_type = Some(t),
            ExtAckAttr::MissNest(n) => k.missing_nest = Some(n),
            _ => {}
        }
    }
}

fn kernel_error(errno: i32, attrs: Attrs<'_, ExtAckAttr<'_>>, in_done: bool) -> Error {
    let mut k = KernelError {
        errno: errno.saturating_abs(),
        in_done,
        ..KernelError::default()
    };
    ext_ack_into(&mut k, attrs);
    Error::Kernel(k)
}

/// The reply side of one exchange, as a state machine over the datagrams
/// received: no socket, no I/O. [`Socket::dump`] feeds it every datagram it
/// reads; tests and fuzz targets feed it recorded replies.
///
/// ```
/// use std::ops::ControlFlow;
/// use nlwire::netlink::{Builder, NlMsgType, NLM_F_MULTI};
/// use nlwire_io::DumpState;
/// // One datagram: a data message (type 20) then NLMSG_DONE, seq 7, port 42.
/// let done = u16::from(NlMsgType::Done);
/// let mut b = Builder::new_vec();
/// b.message(20, NLM_F_MULTI, 7, 42, |b| b.put_bytes(&[0; 4]))?;
/// b.message(done, NLM_F_MULTI, 7, 42, |b| b.put_bytes(&0i32.to_ne_bytes()))?;
/// let mut state = DumpState::new(7, 42, false);
/// let sum = state.feed(b.as_bytes(), &mut |_| ControlFlow::Continue(()))?.expect("ended");
/// assert_eq!((sum.messages, sum.datagrams), (1, 1));
/// # Ok::<(), nlwire_io::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct DumpState {
    port: u32,
    want_ack: bool,
    sum: DumpSummary,
    interrupted: bool,
    ended: bool,
}

impl DumpState {
    /// The state before the first reply to a request numbered `seq`, sent
    /// from port id `port`; `want_ack` says whether the request had
    /// `NLM_F_ACK` (then a single reply without `NLM_F_MULTI` does not end
    /// the exchange: the ACK does).
    pub fn new(seq: u32, port: u32, want_ack: bool) -> Self {
        DumpState {
            port,
            want_ack,
            sum: DumpSummary {
                seq,
                ..DumpSummary::default()
            },
            interrupted: false,
            ended: false,
        }
    }

    /// The counts so far.
    pub fn summary(&self) -> &DumpSummary {
        &self.sum
    }

    /// Whether the exchange has ended (a result or an error was returned).
    pub fn is_ended(&self) -> bool {
        self.ended
    }

    /// Take one received datagram. `Ok(None)`: the exchange goes on, feed
    /// the next datagram; `Ok(Some(summary))` or `Err`: it has ended (see
    /// the module docs), and any further call returns
    /// [`Error::BadRequest`]. Data messages of this exchange are handed to
    /// `each` in order.
    pub fn feed<F>(&mut self, datagram: &[u8], each: &mut F) -> Result<Option<DumpSummary>>
    where
        F: FnMut(RawMessage<'_>) -> ControlFlow<()>,
    {
        if self.ended {
            return Err(Error::BadRequest("the exchange has already ended"));
        }
        // Every way out of `step` but "go on" ends the exchange.
        let r = self.step(datagram, each);
        if !matches!(r, Ok(None)) {
            self.ended = true;
        }
        r
    }

    fn step<F>(&mut self, datagram: &[u8], each: &mut F) -> Result<Option<DumpSummary>>
    where
        F: FnMut(RawMessage<'_>) -> ControlFlow<()>,
    {
        let seq = self.sum.seq;
        self.sum.datagrams += 1;
        for m in Messages::new(datagram) {
            let m = m?;
            let h = m.header;
            if h.nlmsg_seq.get() != seq {
                self.sum.skipped += 1;
                continue;
            }
            if h.nlmsg_pid.get() != self.port {
                return Err(Error::WrongPort {
                    seq,
                    expected: self.port,
                    got: h.nlmsg_pid.get(),
                });
            }
            let flags = h.nlmsg_flags.get();
            self.interrupted |= flags & NLM_F_DUMP_INTR != 0;
            match h.standard_type() {
                NlMsgType::Done => {
                    let done = NlMsgDone::parse(m.payload, flags, Mode::Lenient)?;
                    match done.error {
                        Some(e) if e != 0 => return Err(kernel_error(e, done.ext_ack(), true)),
                        _ => self.sum.warning = ext_ack_message(done.ext_ack()),
                    }
                    return self.finish();
                }
                NlMsgType::Error => {
                    let err = NlMsgErr::parse(m.payload, flags, Mode::Lenient)?;
                    if err.error != 0 {
                        return Err(kernel_error(err.error, err.ext_ack(), false));
                    }
                    self.sum.acked = true;
                    self.sum.warning = ext_ack_message(err.ext_ack());
                    return self.finish();
                }
                NlMsgType::Noop => {}
                // Linux never sends it; if something does, data was lost.
                NlMsgType::Overrun => return Err(Error::NoBufs),
                _ => {
                    self.sum.messages += 1;
                    if each(m).is_break() {
                        self.sum.stopped = true;
                        return Ok(Some(self.sum.clone()));
                    }
                    if flags & NLM_F_MULTI == 0 && !self.want_ack {
                        return self.finish();
                    }
                }
            }
        }
        Ok(None)
    }

    /// The normal end: `NLM_F_DUMP_INTR` seen anywhere makes it an error.
    fn finish(&self) -> Result<Option<DumpSummary>> {
        if self.interrupted {
            return Err(Error::DumpInterrupted {
                messages: self.sum.messages,
            });
        }
        Ok(Some(self.sum.clone()))
    }
}

impl Socket {
    /// Send `request` (one netlink request message, as the codec's
    /// `Builder` writes it) and hand every reply message to `each` until the
    /// exchange ends (see the module docs). `each` returns
    /// `ControlFlow::Break(())` to stop early.
    ///
    /// A `nlmsg_seq` of 0 in the request is replaced by the socket's next
    /// sequence number; any other value is kept. Replies must then carry that
    /// number and this socket's port id.
    ///
    /// Errors: [`Error::Kernel`] for an `NLMSG_ERROR` or a failed
    /// `NLMSG_DONE` (with the extended-ACK message), [`Error::NoBufs`] when
    /// the receive buffer overran, [`Error::DumpInterrupted`] when a reply
    /// had `NLM_F_DUMP_INTR` (after the whole dump was read and delivered).
    pub fn dump<F>(&mut self, request: &[u8], each: F) -> Result<DumpSummary>
    where
        F: FnMut(RawMessage<'_>) -> ControlFlow<()>,
    {
        let mut out = std::mem::take(&mut self.send_buf);
        out.clear();
        out.extend_from_slice(request);
        self.send_buf = out;
        self.exchange(each)
    }

    /// Like [`Socket::dump`], with the request written by `build` into the
    /// socket's reusable send buffer; `build` gets the sequence number to
    /// put in `nlmsg_seq`.
    ///
    /// ```
    /// use std::ops::ControlFlow;
    /// use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
    /// use nlwire_io::Socket;
    /// let mut s = Socket::new(0u16)?; // NETLINK_ROUTE
    /// // RTM_GETLINK dump with an empty struct ifinfomsg.
    /// let sum = s.dump_with(
    ///     |b, seq| b.message(18, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| b.put_bytes(&[0; 16])),
    ///     |msg| { println!("{} bytes", msg.bytes.len()); ControlFlow::Continue(()) },
    /// )?;
    /// println!("{} links", sum.messages);
    /// # Ok::<(), nlwire_io::Error>(())
    /// ```
    pub fn dump_with<B, F>(&mut self, build: B, each: F) -> Result<DumpSummary>
    where
        B: FnOnce(&mut Builder<Vec<u8>>, u32) -> nlwire::Result<()>,
        F: FnMut(RawMessage<'_>) -> ControlFlow<()>,
    {
        let seq = self.next_seq();
        let mut out = std::mem::take(&mut self.send_buf);
        out.clear();
        let mut b = Builder::with_sink(out);
        let built = build(&mut b, seq);
        self.send_buf = b.into_sink();
        built?;
        self.exchange(each)
    }

    /// Check and number the request in `send_buf`, send it, and read the
    /// replies, feeding each datagram to a [`DumpState`]. On a non-blocking
    /// socket, `EAGAIN` between datagrams waits with `poll(2)` for the next
    /// one and the exchange goes on, nothing lost.
    fn exchange<F>(&mut self, mut each: F) -> Result<DumpSummary>
    where
        F: FnMut(RawMessage<'_>) -> ControlFlow<()>,
    {
        let mut state = self.send_request()?;
        loop {
            match self.resume_dump(&mut state, &mut each) {
                Ok(Some(sum)) => return Ok(sum),
                // A blocking socket's EAGAIN is its SO_RCVTIMEO expiring: an
                // error. A non-blocking one just has nothing yet.
                Ok(None) if self.is_non_blocking()? => self.wait_readable()?,
                Ok(None) => {
                    return Err(Error::os("recvfrom", rustix::io::Errno::AGAIN));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Send the request in `send_buf` (numbered) and return the state of
    /// its exchange.
    fn send_request(&mut self) -> Result<DumpState> {
        let (seq, want_ack) = self.prepare_request()?;
        let out = std::mem::take(&mut self.send_buf);
        let sent = self.send(&out);
        self.send_buf = out;
        sent?;
        let port = self.port_id()?;
        Ok(DumpState::new(seq, port, want_ack))
    }

    /// Start an exchange without waiting for its reply: send `request`
    /// (numbered as [`Socket::dump`] does) and return its [`DumpState`], to
    /// be driven by [`Socket::resume_dump`]. Meant for non-blocking sockets
    /// and event loops.
    pub fn start_dump(&mut self, request: &[u8]) -> Result<DumpState> {
        let mut out = std::mem::take(&mut self.send_buf);
        out.clear();
        out.extend_from_slice(request);
        self.send_buf = out;
        self.send_request()
    }

    /// Like [`Socket::start_dump`], with the request written by `build`
    /// (as in [`Socket::dump_with`]).
    pub fn start_dump_with<B>(&mut self, build: B) -> Result<DumpState>
    where
        B: FnOnce(&mut Builder<Vec<u8>>, u32) -> nlwire::Result<()>,
    {
        let seq = self.next_seq();
        let mut out = std::mem::take(&mut self.send_buf);
        out.clear();
        let mut b = Builder::with_sink(out);
        let built = build(&mut b, seq);
        self.send_buf = b.into_sink();
        built?;
        self.send_request()
    }

    /// Read the replies of the exchange `state` that are queued now and hand
    /// its data messages to `each`. `Ok(Some(summary))`: the exchange ended;
    /// `Ok(None)`: the socket would block (`EAGAIN` on a non-blocking socket,
    /// or an expired `SO_RCVTIMEO`) before the end. Every datagram read was
    /// fed whole to `state` and delivered, so nothing is lost: wait until
    /// the socket is readable (`poll(2)`, an event loop) and call again.
    /// Errors end the exchange as in [`Socket::dump`].
    ///
    /// ```
    /// use std::ops::ControlFlow;
    /// use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
    /// use nlwire_io::Socket;
    /// let mut s = Socket::new(0u16)?; // NETLINK_ROUTE
    /// s.set_non_blocking(true)?;
    /// let mut links = 0;
    /// let mut state = s.start_dump_with(|b, seq| {
    ///     b.message(18, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| b.put_bytes(&[0; 16]))
    /// })?;
    /// let sum = loop {
    ///     match s.resume_dump(&mut state, |_| { links += 1; ControlFlow::Continue(()) })? {
    ///         Some(sum) => break sum,
    ///         None => s.wait_readable()?, // or hand the fd to an event loop
    ///     }
    /// };
    /// assert_eq!(sum.messages, links);
    /// # Ok::<(), nlwire_io::Error>(())
    /// ```
    pub fn resume_dump<F>(
        &mut self,
        state: &mut DumpState,
        mut each: F,
    ) -> Result<Option<DumpSummary>>
    where
        F: FnMut(RawMessage<'_>) -> ControlFlow<()>,
    {
        loop {
            let n = match self.fill() {
                Ok((n, _)) => n,
                Err(e) if e.is_would_block() => return Ok(None),
                Err(e) => return Err(e),
            };
            let buf = self.buf.get(..n).unwrap_or_default();
            if let Some(sum) = state.feed(buf, &mut each)? {
                return Ok(Some(sum));
            }
        }
    }

    /// The request must be exactly one message with `NLM_F_REQUEST`; give it
    /// a sequence number if it has none. Returns (seq, `NLM_F_ACK` asked).
    fn prepare_request(&mut self) -> Result<(u32, bool)> {
        let (seq, flags) = {
            let mut msgs = Messages::with_mode(&self.send_buf, Mode::Strict);
            let first = match msgs.next() {
                Some(m) => m?,
                None => return Err(Error::BadRequest("empty request")),
            };
            if msgs.next().is_some() {
                return Err(Error::BadRequest("more than one message in the request"));
            }
            (first.header.nlmsg_seq.get(), first.header.nlmsg_flags.get())
        };
        if flags & NLM_F_REQUEST == 0 {
            return Err(Error::BadRequest("the message lacks NLM_F_REQUEST"));
        }
        let seq = if seq == 0 {
            let s = self.next_seq();
            if let Some(dst) = self.send_buf.get_mut(8..12) {
                dst.copy_from_slice(&s.to_ne_bytes());
            }
            s
        } else {
            seq
        };
        Ok((seq, flags & NLM_F_ACK != 0))
    }
}

//! Feature `tokio`: an async netlink socket on `tokio::io::unix::AsyncFd`.
//!
//! [`AsyncSocket`] wraps a [`Socket`] (switched to non-blocking) and drives
//! the same exchange state machine ([`DumpState`]) as the blocking calls:
//! it waits for readability with tokio, reads every queued datagram, and
//! goes back to waiting on `EAGAIN`, nothing lost. Only tokio's `net`
//! feature is needed (the caller brings the runtime, with I/O enabled).
//! The dump stream is an inherent `async fn next`, not a `futures::Stream`,
//! to keep the dependency to tokio alone.

use std::collections::VecDeque;
use std::ops::ControlFlow;

use nlwire::netlink::{Builder, Messages, RawMessage};
use tokio::io::unix::AsyncFd;
use tokio::io::Interest;

use crate::dump::{DumpState, DumpSummary};
use crate::error::{Error, Result};
use crate::listen::Notification;
use crate::socket::Socket;

/// A netlink socket registered with tokio's reactor.
///
/// ```no_run
/// # async fn f() -> nlwire_io::Result<()> {
/// use std::ops::ControlFlow;
/// use nlwire::netlink::{NLM_F_DUMP, NLM_F_REQUEST};
/// use nlwire_io::{AsyncSocket, Socket};
/// let mut s = AsyncSocket::new(Socket::new(0u16)?)?; // NETLINK_ROUTE
/// let sum = s
///     .dump_with(
///         |b, seq| b.message(18, NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| b.put_bytes(&[0; 16])),
///         |_link| ControlFlow::Continue(()),
///     )
///     .await?;
/// println!("{} links", sum.messages);
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct AsyncSocket {
    inner: AsyncFd<Socket>,
}

fn reactor(e: std::io::Error) -> Error {
    Error::Io {
        call: "tokio AsyncFd",
        source: e,
    }
}

impl AsyncSocket {
    /// Switch `sock` to non-blocking and register it with the current tokio
    /// runtime (which must have I/O enabled; called outside a runtime this
    /// is an [`Error::Io`]).
    pub fn new(sock: Socket) -> Result<Self> {
        sock.set_non_blocking(true)?;
        // tokio 1.54 deprecated the safe constructors in favour of the
        // `unsafe fn register`, whose contract is that `as_raw_fd` returns
        // the same open fd for the `AsyncFd`'s whole life. A `Socket` owns
        // its `OwnedFd` and never replaces it, so the contract holds; the
        // deprecated safe call keeps this crate `forbid(unsafe_code)` and
        // works with every tokio 1.x.
        #[allow(deprecated)]
        let inner = AsyncFd::with_interest(sock, Interest::READABLE).map_err(reactor)?;
        Ok(AsyncSocket { inner })
    }

    /// The socket, for its options and blocking-free calls.
    pub fn get_ref(&self) -> &Socket {
        self.inner.get_ref()
    }

    /// The socket, mutably (do not switch it back to blocking).
    pub fn get_mut(&mut self) -> &mut Socket {
        self.inner.get_mut()
    }

    /// Deregister and give the (still non-blocking) socket back.
    pub fn into_inner(self) -> Socket {
        self.inner.into_inner()
    }

    /// Drive the exchange `state` to its end.
    async fn drive<F>(&mut self, state: &mut DumpState, mut each: F) -> Result<DumpSummary>
    where
        F: FnMut(RawMessage<'_>) -> ControlFlow<()>,
    {
        loop {
            let mut guard = self.inner.readable_mut().await.map_err(reactor)?;
            match guard.get_inner_mut().resume_dump(state, &mut each)? {
                Some(sum) => return Ok(sum),
                None => guard.clear_ready(),
            }
        }
    }

    /// [`Socket::dump`], async: send `request` and hand every reply message
    /// to `each` until the exchange ends.
    pub async fn dump<F>(&mut self, request: &[u8], each: F) -> Result<DumpSummary>
    where
        F: FnMut(RawMessage<'_>) -> ControlFlow<()>,
    {
        let mut state = self.inner.get_mut().start_dump(request)?;
        self.drive(&mut state, each).await
    }

    /// [`Socket::dump_with`], async.
    pub async fn dump_with<B, F>(&mut self, build: B, each: F) -> Result<DumpSummary>
    where
        B: FnOnce(&mut Builder<Vec<u8>>, u32) -> nlwire::Result<()>,
        F: FnMut(RawMessage<'_>) -> ControlFlow<()>,
    {
        let mut state = self.inner.get_mut().start_dump_with(build)?;
        self.drive(&mut state, each).await
    }

    /// Send `request` and return the stream of its reply messages (owned
    /// copies: see [`DumpStream::next`]).
    pub fn dump_stream(&mut self, request: &[u8]) -> Result<DumpStream<'_>> {
        let state = self.inner.get_mut().start_dump(request)?;
        Ok(DumpStream {
            sock: self,
            state,
            queue: VecDeque::new(),
            end: None,
            failed: false,
        })
    }

    /// [`AsyncSocket::dump_stream`]'s builder form: the request written by
    /// `build` (as in [`Socket::dump_with`]).
    pub fn dump_stream_with<B>(&mut self, build: B) -> Result<DumpStream<'_>>
    where
        B: FnOnce(&mut Builder<Vec<u8>>, u32) -> nlwire::Result<()>,
    {
        let state = self.inner.get_mut().start_dump_with(build)?;
        Ok(DumpStream {
            sock: self,
            state,
            queue: VecDeque::new(),
            end: None,
            failed: false,
        })
    }

    /// [`Socket::listen`], async: hand every multicast (or unicast) message
    /// received to `each` until it returns `Break`.
    pub async fn listen<F>(&mut self, mut each: F) -> Result<()>
    where
        F: FnMut(RawMessage<'_>, &Notification) -> ControlFlow<()>,
    {
        loop {
            let mut guard = self.inner.readable_mut().await.map_err(reactor)?;
            let sock = guard.get_inner_mut();
            let r = match sock.recv_msg() {
                Ok(r) => r,
                Err(e) if e.is_would_block() => {
                    guard.clear_ready();
                    continue;
                }
                Err(e) => return Err(e),
            };
            let from = Notification {
                sender: r.sender,
                group: r.group,
                nsid: r.nsid,
            };
            for m in Messages::new(r.data) {
                if each(m?, &from).is_break() {
                    return Ok(());
                }
            }
        }
    }
}

/// The reply messages of one async exchange, one at a time
/// ([`AsyncSocket::dump_stream`]).
///
/// ```no_run
/// # async fn f(s: &mut nlwire_io::AsyncSocket, request: &[u8]) -> nlwire_io::Result<()> {
/// let mut stream = s.dump_stream(request)?;
/// while let Some(msg) = stream.next().await {
///     let bytes = msg?;
///     // One whole message, header included: decode it with the codec.
///     let raw = nlwire::netlink::Messages::new(&bytes).next();
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct DumpStream<'a> {
    sock: &'a mut AsyncSocket,
    state: DumpState,
    queue: VecDeque<Vec<u8>>,
    end: Option<Result<DumpSummary>>,
    failed: bool,
}

impl DumpStream<'_> {
    /// The next data message of the reply (its bytes from the `nlmsghdr`
    /// on, copied out of the socket's buffer), `Some(Err)` once if the
    /// exchange failed, and `None` after the end. Messages already received
    /// before a failure are all returned first.
    pub async fn next(&mut self) -> Option<Result<Vec<u8>>> {
        loop {
            if let Some(m) = self.queue.pop_front() {
                return Some(Ok(m));
            }
            match &self.end {
                Some(Ok(_)) => return None,
                Some(Err(_)) => {
                    // Report the error once, then end.
                    self.failed = true;
                    let e = self.end.replace(Ok(self.state.summary().clone()));
                    return e.and_then(|r| r.err()).map(Err);
                }
                None => {}
            }
            let queue = &mut self.queue;
            let mut guard = match self.sock.inner.readable_mut().await {
                Ok(g) => g,
                Err(e) => {
                    self.end = Some(Err(reactor(e)));
                    continue;
                }
            };
            let r = guard.get_inner_mut().resume_dump(&mut self.state, |m| {
                queue.push_back(m.bytes.to_vec());
                ControlFlow::Continue(())
            });
            match r {
                Ok(Some(sum)) => self.end = Some(Ok(sum)),
                Ok(None) => guard.clear_ready(),
                Err(e) => self.end = Some(Err(e)),
            }
        }
    }

    /// How the exchange ended, once [`DumpStream::next`] returned `None`
    /// (`None` before, or after a failure).
    pub fn summary(&self) -> Option<&DumpSummary> {
        match &self.end {
            Some(Ok(s)) if self.queue.is_empty() && !self.failed => Some(s),
            _ => None,
        }
    }
}

//! Walking a buffer of netlink messages, as the kernel's `NLMSG_OK` /
//! `NLMSG_NEXT` do.

use super::header::{nlmsg_align, NlMsgHdr, NLMSG_HDRLEN};
use crate::wire::WireStruct;
use crate::{Error, ErrorKind, Mode, Result};

/// One message: its header and payload (`nlmsg_len - 16` bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawMessage<'a> {
    /// The header, borrowed from the buffer.
    pub header: &'a NlMsgHdr,
    /// The payload after the header.
    pub payload: &'a [u8],
    /// Offset of the header from the start of the buffer.
    pub offset: usize,
    /// The whole message (header and payload, no padding).
    pub bytes: &'a [u8],
}

impl RawMessage<'_> {
    /// Offset of the payload from the start of the buffer.
    pub const fn payload_offset(&self) -> usize {
        self.offset.saturating_add(NLMSG_HDRLEN)
    }
}

/// Iterator over the messages in a buffer.
///
/// A message is valid while at least 16 bytes remain, `nlmsg_len >= 16` and
/// `nlmsg_len <= remaining`; the next one starts `NLMSG_ALIGN(nlmsg_len)`
/// later (an unpadded last message is accepted). A bad length yields one
/// `Err` and ends the walk: no loop, no panic, no out-of-bounds read.
///
/// ```
/// use nlwire::netlink::Messages;
/// // The netlink-sys `Socket` example: RTM_GETLINK dump request.
/// let bytes = [0x14, 0, 0, 0, 0x12, 0, 0x01, 0x03, 0xfd, 0xfe, 0x38, 0x5c,
///              0, 0, 0, 0, 0, 0, 0, 0];
/// let msg = Messages::new(&bytes).next().unwrap().unwrap();
/// assert_eq!(msg.header.nlmsg_len.get(), 20);
/// assert_eq!(msg.header.nlmsg_type.get(), 18);
/// assert_eq!(msg.payload.len(), 4);
/// ```
#[derive(Clone, Debug)]
pub struct Messages<'a> {
    buf: &'a [u8],
    pos: usize,
    mode: Mode,
    done: bool,
}

impl<'a> Messages<'a> {
    /// Walk `buf` in lenient mode.
    pub const fn new(buf: &'a [u8]) -> Self {
        Self::with_mode(buf, Mode::Lenient)
    }
    /// Walk `buf` in `mode` (strict: trailing bytes and non-zero padding between
    /// messages are errors).
    pub const fn with_mode(buf: &'a [u8], mode: Mode) -> Self {
        Messages {
            buf,
            pos: 0,
            mode,
            done: false,
        }
    }
    /// Bytes after the last valid message (fewer than 16 in lenient mode).
    ///
    /// The kernel's receive loop skips them; lenient mode ends the walk
    /// without an error and leaves them here for the caller to report
    /// (`nlwire decode` reports them as trailing bytes of the frame),
    /// strict mode yields an [`ErrorKind::Trailing`] error for them.
    pub fn remaining(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }
    /// Offset of the next message.
    pub const fn position(&self) -> usize {
        self.pos
    }

    fn fail(&mut self, e: Error) -> Option<Result<RawMessage<'a>>> {
        self.done = true;
        Some(Err(e.at(self.pos)))
    }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<RawMessage<'a>>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = self.buf.get(self.pos..).unwrap_or_default();
        if rest.is_empty() {
            self.done = true;
            return None;
        }
        if rest.len() < NLMSG_HDRLEN {
            if self.mode.is_strict() {
                return self.fail(Error::new(
                    ErrorKind::Trailing,
                    "nlmsghdr",
                    NLMSG_HDRLEN,
                    rest.len(),
                ));
            }
            self.done = true;
            return None;
        }
        let header = match NlMsgHdr::parse(rest) {
            Ok((h, _)) => h,
            Err(e) => return self.fail(e),
        };
        let len = header.nlmsg_len.get() as usize;
        if len < NLMSG_HDRLEN {
            return self.fail(Error::new(
                ErrorKind::LengthTooSmall,
                "nlmsg_len",
                NLMSG_HDRLEN,
                len,
            ));
        }
        if len > rest.len() {
            return self.fail(Error::new(
                ErrorKind::LengthPastEnd,
                "nlmsg_len",
                len,
                rest.len(),
            ));
        }
        let bytes = rest.get(..len).unwrap_or_default();
        let payload = bytes.get(NLMSG_HDRLEN..).unwrap_or_default();
        let aligned = nlmsg_align(len).min(rest.len());
        if self.mode.is_strict() {
            let pad = rest.get(len..aligned).unwrap_or_default();
            if pad.iter().any(|&b| b != 0) {
                return self.fail(
                    Error::new(ErrorKind::NonZeroPad, "nlmsghdr padding", 0, pad.len()).at(len),
                );
            }
        }
        let msg = RawMessage {
            header,
            payload,
            offset: self.pos,
            bytes,
        };
        self.pos = self.pos.saturating_add(aligned);
        Some(Ok(msg))
    }
}

impl core::iter::FusedIterator for Messages<'_> {}

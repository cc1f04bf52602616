//! `ss --json`'s output written out as it is made: one object per socket
//! per line, appended to one buffer that is written out (and reused) each
//! time it holds 64 KiB. Memory stays bounded however many sockets the
//! dumps list, and no page is touched twice: the output held whole (10 MB
//! for 4 000 TCP sockets with every `tcp_info` field) cost more in page
//! faults than the formatting itself. A dump that fails half-way leaves
//! the whole lines made before it written, as `ss` leaves its rows. The
//! replies kept for `-p`, `-Z` or `-K` are written through it too.

use std::io::{self, Write};

/// The buffer is written out once it holds this much.
const PIECE: usize = 1 << 16;

/// The output of `ss --json` as the replies arrive.
#[derive(Debug)]
pub(super) struct JsonOut<W: Write> {
    out: W,
    buf: Vec<u8>,
    /// The first write error; nothing more is written after it.
    error: Option<io::Error>,
}

impl<W: Write> JsonOut<W> {
    pub(super) fn new(out: W) -> Self {
        JsonOut {
            out,
            buf: Vec::new(),
            error: None,
        }
    }

    /// The buffer to append the next socket's line to (what it held is
    /// written out first once it is a piece).
    pub(super) fn room(&mut self) -> &mut Vec<u8> {
        if self.buf.len() >= PIECE {
            self.write_buf();
        } else if self.buf.capacity() == 0 {
            self.buf.reserve(2 * PIECE);
        }
        &mut self.buf
    }

    fn write_buf(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.out.write_all(&self.buf) {
                self.error = Some(e);
            }
        }
        self.buf.clear();
    }

    /// Write what is left and flush; the first write error, if any.
    pub(super) fn finish(mut self) -> io::Result<()> {
        self.write_buf();
        match self.error.take() {
            Some(e) => Err(e),
            None => self.out.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines come out whole and in order, the buffer is reused (its room
    /// bounded however much is written), and the first write error is
    /// the one reported, with nothing written after it.
    #[test]
    fn lines_are_written_as_made_through_one_buffer() {
        let mut out = JsonOut::new(Vec::new());
        let mut want = Vec::new();
        for i in 0..20_000u32 {
            let line = format!("{{\"socket\":{i}}}\n");
            out.room().extend_from_slice(line.as_bytes());
            want.extend_from_slice(line.as_bytes());
            assert!(out.buf.capacity() <= 2 * PIECE);
        }
        assert!(out.out.len() > 4 * PIECE, "written as made");
        let JsonOut { out: got, .. } = {
            let mut o = out;
            o.write_buf();
            o
        };
        assert_eq!(got, want);

        /// Takes `room` bytes, then fails.
        struct Short {
            room: usize,
            got: Vec<u8>,
            calls: usize,
        }
        impl Write for Short {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.calls += 1;
                if self.room == 0 {
                    return Err(io::Error::other("full"));
                }
                let n = b.len().min(self.room);
                self.room -= n;
                self.got.extend_from_slice(&b[..n]);
                Ok(n)
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = JsonOut::new(Short {
            room: 10,
            got: Vec::new(),
            calls: 0,
        });
        for _ in 0..3 {
            out.room().extend_from_slice(&[b'x'; PIECE]);
        }
        let calls = {
            out.write_buf();
            out.out.calls
        };
        assert_eq!(out.out.got.len(), 10);
        assert_eq!(calls, 2, "nothing written after the error");
        assert_eq!(out.finish().unwrap_err().to_string(), "full");
    }
}

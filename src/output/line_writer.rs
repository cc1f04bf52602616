//! A writer's own output buffer, filled a line at a time: one room check per
//! line, then the pieces (indentation, name, digits) stored straight into
//! it, mostly as fixed-size blocks. A `BufWriter` takes each piece as a separate `write_all`, each with
//! its own capacity check and a `memcpy` call; the text tree writes
//! hundreds of thousands of lines of a few short pieces each.

use std::io::{self, Write};

use super::{put_spaces, Sink};

/// How much is buffered before it is written out, at the end of a line:
/// at least a `BufWriter`'s 64 KiB, so that one passes it on without a copy.
pub const FLUSH_AT: usize = 64 * 1024;

/// The buffer: [`FLUSH_AT`] and room for the line that crosses it.
const CAPACITY: usize = FLUSH_AT + 4096;

/// The most indentation and the longest name [`LineWriter::indented_line`]
/// stores in fixed-size pieces (longer ones go piece by piece).
pub const FAST_PAD: usize = 64;
/// See [`FAST_PAD`].
pub const FAST_NAME: usize = 32;
/// The end of a line [`LineWriter::indented_line`] lets its caller write.
pub const LINE_END: usize = 32;
/// The longest end [`LineWriter::line_start_n`] gives (a value other than a
/// number: an enum's name, flags' names, an address, a short string).
pub const WIDE_END: usize = 64;

/// Buffers output for `W` and writes it out in pieces of at least
/// [`FLUSH_AT`] bytes. The first write error is kept (later output is
/// dropped) and returned by [`LineWriter::result`].
#[derive(Debug)]
pub struct LineWriter<W: Write> {
    w: W,
    buf: Box<[u8; CAPACITY]>,
    pos: usize,
    error: Option<io::Error>,
}

impl<W: Write> LineWriter<W> {
    /// Buffer output for `w`.
    pub fn new(w: W) -> Self {
        LineWriter {
            w,
            buf: Box::new([0; CAPACITY]),
            pos: 0,
            error: None,
        }
    }

    /// Writes out what is buffered; afterwards the whole buffer is free.
    pub fn flush_buffer(&mut self) {
        if self.pos > 0 && self.error.is_none() {
            if let Err(e) = self.w.write_all(&self.buf[..self.pos.min(CAPACITY)]) {
                self.error = Some(e);
            }
        }
        self.pos = 0;
    }

    /// The first write error, if any (taken: later calls see none).
    pub fn result(&mut self) -> io::Result<()> {
        self.error.take().map_or(Ok(()), Err)
    }

    /// The writer itself, for output written around the buffer (call
    /// [`LineWriter::flush_buffer`] first to keep the order).
    pub fn inner(&mut self) -> &mut W {
        &mut self.w
    }

    /// The writer, after writing out what is buffered.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.flush_buffer();
        self.result()?;
        Ok(self.w)
    }

    /// Writes out what is buffered if it is [`FLUSH_AT`] or more (call it at
    /// the end of a line).
    #[inline]
    pub fn line_done(&mut self) {
        if self.pos >= FLUSH_AT {
            self.flush_full();
        }
    }

    /// [`LineWriter::flush_buffer`] from the line paths: out of line.
    #[cold]
    #[inline(never)]
    fn flush_full(&mut self) {
        self.flush_buffer();
    }

    /// Stores `pad` spaces and `name`, then lets `end` write what follows
    /// into the next [`LINE_END`] bytes and keeps as many as it returns; the
    /// spaces and the end are stored as whole fixed-size blocks (bytes past
    /// the line are overwritten later). False, with nothing written, when
    /// `pad` is over [`FAST_PAD`] or `name` over [`FAST_NAME`] bytes or the
    /// buffer is too full (see [`LineWriter::line_start`]).
    #[inline(always)]
    pub fn indented_line(
        &mut self,
        pad: usize,
        name: &[u8],
        end: impl FnOnce(&mut [u8; LINE_END]) -> usize,
    ) -> bool {
        let Some((tail, at)) = self.line_start(pad, name) else {
            return false;
        };
        let n = end(tail);
        self.line_end(at, n);
        true
    }

    /// [`LineWriter::indented_line`] in two steps, for a caller whose end
    /// is too large to be inlined as a closure: stores `pad` spaces and
    /// `name` and returns the next [`LINE_END`] bytes and where they start;
    /// the caller writes the end of the line there and calls
    /// [`LineWriter::line_end`]. `None`, with nothing written, when `pad`
    /// is over [`FAST_PAD`] or `name` over [`FAST_NAME`] bytes.
    #[inline(always)]
    pub fn line_start(&mut self, pad: usize, name: &[u8]) -> Option<(&mut [u8; LINE_END], usize)> {
        self.line_start_n::<LINE_END>(pad, name)
    }

    /// [`LineWriter::line_start`] with an end of `N` bytes (at most
    /// [`WIDE_END`]; end it with [`LineWriter::line_end_n`]).
    #[inline(always)]
    pub fn line_start_n<const N: usize>(
        &mut self,
        pad: usize,
        name: &[u8],
    ) -> Option<(&mut [u8; N], usize)> {
        if pad > FAST_PAD || name.len() > FAST_NAME || N > WIDE_END {
            return None;
        }
        // When the buffer is nearly full the caller's fallback writes it
        // out: nothing is called from here.
        let pos = self.pos;
        if pos > CAPACITY - (FAST_PAD + FAST_NAME + WIDE_END) {
            return None;
        }
        let line = self.buf.get_mut(pos..pos + FAST_PAD + FAST_NAME + N)?;
        line[..FAST_PAD].copy_from_slice(&[b' '; FAST_PAD]);
        let at = pad + name.len();
        copy_small(&mut line[pad..at], name);
        let tail = line[at..].first_chunk_mut::<N>()?;
        Some((tail, pos + at))
    }

    /// Ends the line [`LineWriter::line_start`] began at `at`, keeping `n`
    /// bytes of its end (at most [`LINE_END`]).
    #[inline(always)]
    pub fn line_end(&mut self, at: usize, n: usize) {
        self.line_end_n::<LINE_END>(at, n);
    }

    /// [`LineWriter::line_end`] for [`LineWriter::line_start_n`].
    #[inline(always)]
    pub fn line_end_n<const N: usize>(&mut self, at: usize, n: usize) {
        self.pos = at + n.min(N);
    }

    /// [`LineWriter::indented_line`], or, when the indentation or the name
    /// is too long for it, the same bytes piece by piece.
    #[inline(always)]
    pub fn line(
        &mut self,
        pad: usize,
        name: &[u8],
        end: impl Fn(&mut [u8; LINE_END]) -> usize + Copy,
    ) {
        if !self.indented_line(pad, name, end) {
            self.long_line(pad, name, end);
        }
    }

    /// [`LineWriter::line`] for what `indented_line` does not take.
    #[cold]
    #[inline(never)]
    fn long_line(
        &mut self,
        pad: usize,
        name: &[u8],
        end: impl FnOnce(&mut [u8; LINE_END]) -> usize,
    ) {
        put_spaces(pad, self);
        self.put_ascii(name);
        let mut block = [0u8; LINE_END];
        let n = end(&mut block).min(LINE_END);
        self.put_ascii(&block[..n]);
    }

    /// Makes room for `n` more bytes (writing the buffer out if needed);
    /// false when `n` is more than the buffer holds.
    pub fn room(&mut self, n: usize) -> bool {
        if CAPACITY - self.pos >= n {
            return true;
        }
        self.flush_buffer();
        n <= CAPACITY
    }

    /// A piece that does not fit what is left of the buffer.
    #[inline(never)]
    fn put_long(&mut self, b: &[u8]) {
        if self.room(b.len()) {
            self.buf[self.pos..self.pos + b.len()].copy_from_slice(b);
            self.pos += b.len();
        } else if self.error.is_none() {
            // Longer than the buffer (which `room` emptied): written as is.
            if let Err(e) = self.w.write_all(b) {
                self.error = Some(e);
            }
        }
    }
}

/// Copies `src` into `dst` (of the same length), short ones as two
/// overlapping fixed-size moves without a call (names are mostly 4 to 32
/// bytes, values' pieces 1 to 3).
#[inline(always)]
pub fn copy_small(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    if dst.len() != n {
        return;
    }
    if n < 16 {
        if n >= 8 {
            dst[..8].copy_from_slice(&src[..8]);
            dst[n - 8..].copy_from_slice(&src[n - 8..]);
        } else if n >= 4 {
            dst[..4].copy_from_slice(&src[..4]);
            dst[n - 4..].copy_from_slice(&src[n - 4..]);
        } else if n >= 2 {
            dst[..2].copy_from_slice(&src[..2]);
            dst[n - 2..].copy_from_slice(&src[n - 2..]);
        } else if n == 1 {
            dst[0] = src[0];
        }
    } else if n <= 32 {
        dst[..16].copy_from_slice(&src[..16]);
        dst[n - 16..].copy_from_slice(&src[n - 16..]);
    } else {
        dst.copy_from_slice(src);
    }
}

/// The end of a line being built in a fixed-size block (from
/// [`LineWriter::line_start_n`]): pieces are stored while they fit; one that
/// does not marks the block as overflowed (the caller then writes the line
/// another way).
#[derive(Debug)]
pub struct Tail<'b, const N: usize> {
    buf: &'b mut [u8; N],
    n: usize,
    overflow: bool,
}

impl<'b, const N: usize> Tail<'b, N> {
    /// An empty end in `buf`.
    #[inline(always)]
    pub fn new(buf: &'b mut [u8; N]) -> Self {
        Tail {
            buf,
            n: 0,
            overflow: false,
        }
    }

    /// The bytes stored, or `None` if a piece did not fit.
    #[inline(always)]
    pub fn stored(&self) -> Option<usize> {
        (!self.overflow).then_some(self.n)
    }
}

impl<const N: usize> Sink for Tail<'_, N> {
    #[inline(always)]
    fn put(&mut self, s: &str) {
        self.put_ascii(s.as_bytes());
    }
    #[inline(always)]
    fn put_ascii(&mut self, b: &[u8]) {
        let n = self.n;
        match self.buf.get_mut(n..n + b.len()) {
            Some(dst) => {
                copy_small(dst, b);
                self.n = n + b.len();
            }
            None => self.overflow = true,
        }
    }
}

impl<W: Write> Sink for LineWriter<W> {
    #[inline]
    fn put(&mut self, s: &str) {
        self.put_ascii(s.as_bytes());
    }
    /// Bytes are written as given: callers pass only ASCII.
    #[inline]
    fn put_ascii(&mut self, b: &[u8]) {
        let pos = self.pos;
        match self.buf.get_mut(pos..pos + b.len()) {
            Some(dst) => {
                copy_small(dst, b);
                self.pos = pos + b.len();
            }
            None => self.put_long(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_of_every_length_arrive_in_order() {
        let mut lw = LineWriter::new(Vec::new());
        let mut want = Vec::new();
        // Lengths around each copy's size classes, and past the buffer.
        for n in (0..70).chain([CAPACITY - 1, CAPACITY, CAPACITY + 1, 3]) {
            let piece: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            lw.put_ascii(&piece);
            want.extend_from_slice(&piece);
            lw.put("|");
            want.push(b'|');
        }
        for (pad, name) in [(0, &b""[..]), (2, b"a"), (64, b"x"), (4, &[b'n'; 32])] {
            assert!(lw.indented_line(pad, name, |t| {
                t[..3].copy_from_slice(b": 1");
                3
            }));
            want.extend(std::iter::repeat_n(b' ', pad));
            want.extend_from_slice(name);
            want.extend_from_slice(b": 1");
            lw.line_done();
        }
        // Too deep or too long a name: left to the caller.
        assert!(!lw.indented_line(65, b"x", |_| 0));
        assert!(!lw.indented_line(0, &[b'n'; 33], |_| 0));
        // Many lines: written out in pieces, in order.
        for k in 0..5000u32 {
            assert!(lw.indented_line(2, b"name", |t| {
                t[..5].copy_from_slice(&[b':', b' ', b'0' + (k % 10) as u8, b'.', b'\n']);
                5
            }));
            want.extend_from_slice(b"  name: ");
            want.push(b'0' + (k % 10) as u8);
            want.extend_from_slice(b".\n");
            lw.line_done();
        }
        assert_eq!(lw.into_inner().unwrap(), want);
    }

    #[test]
    fn lines_too_long_for_the_blocks_are_written_piece_by_piece() {
        let mut lw = LineWriter::new(Vec::new());
        let mut want = Vec::new();
        for (pad, name) in [(2, 4), (FAST_PAD + 1, 4), (2, FAST_NAME + 1), (130, 70)] {
            let name = vec![b'n'; name];
            lw.line(pad, &name, |t| {
                t[..4].copy_from_slice(b": 7\n");
                4
            });
            want.extend(std::iter::repeat_n(b' ', pad));
            want.extend_from_slice(&name);
            want.extend_from_slice(b": 7\n");
        }
        // A buffer too full for the fixed-size blocks: piece by piece too.
        let fill = vec![b'f'; CAPACITY - 100 - lw.pos];
        lw.put_ascii(&fill);
        want.extend_from_slice(&fill);
        assert!(lw.line_start(2, b"x").is_none());
        lw.line(2, b"name", |t| {
            t[..4].copy_from_slice(b": 8\n");
            4
        });
        want.extend_from_slice(b"  name: 8\n");
        assert_eq!(lw.into_inner().unwrap(), want);
    }

    #[test]
    fn the_first_write_error_is_kept() {
        struct Fails(u32);
        impl Write for Fails {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                self.0 += 1;
                Err(io::Error::other(format!("failure {}", self.0)))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut lw = LineWriter::new(Fails(0));
        lw.put("x");
        lw.flush_buffer();
        lw.put("y");
        lw.flush_buffer();
        let e = lw.result().unwrap_err();
        assert_eq!(e.to_string(), "failure 1");
        assert_eq!(lw.inner().0, 1);
    }
}

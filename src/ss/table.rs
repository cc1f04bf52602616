//! The rows of `nlwire ss`'s text output, written one cell after another
//! into one buffer (cell ends kept per row), then aligned as iproute2 `ss`
//! aligns its columns (`render_calc_width` and `render` in `misc/ss.c`,
//! output not a terminal): each padded to its widest cell in bytes (the
//! header's words counted only when the header is printed), the address
//! columns to the right, the others to the left. The text after the
//! columns (ss's `Process` column: `-p`'s users, `-e`'s details, and the
//! continuation line of `-i`/`-m`, `\n\t` included) is one cell to ss,
//! padded on the right to the widest of them too: `ss -tan` ends each row
//! with seven spaces, the width of the word `Process`.

use super::columns::Show;
use super::extras;
use super::json_plan::to_u32;

// Cells of a row, in the order they are written: netid, state, Recv-Q,
// Send-Q, local address, local port, peer address, peer port, the tail
// (text after the columns, same line) and the continuation line (`\t…`,
// printed when the row says so).
/// Index of the tail cell.
const TAIL: usize = 8;
/// Index of the continuation line.
const MORE: usize = 9;
const CELLS: usize = 10;
/// The aligned columns (netid … rport).
const COLUMNS: usize = 8;
/// Least widths of the aligned columns (their header words).
const MIN_WIDTH: [usize; COLUMNS] = [5, 5, 6, 6, 13, 4, 12, 4];
/// The header word of ss's last column, which holds the tail and the
/// continuation line.
const PROCESS: &str = "Process";
/// Least widths without the header: ss writes the queues as `%-6d`, so
/// their cells are six bytes or more whatever is printed.
const MIN_WIDTH_NO_HEADER: [usize; COLUMNS] = [0, 0, 6, 6, 0, 0, 0, 0];

/// Where one row's cells end in [`Table::buf`], counted from the row's
/// start (a row is far shorter than 4 GiB; 32-bit ends halve the size of
/// a row, which is most of the memory `ss -xa` touches).
#[derive(Clone, Copy, Debug)]
struct Row {
    ends: [u32; CELLS],
    /// Between local address and port: `:` (inet, netlink, packet) or ` `
    /// (unix: name, inode).
    sep: char,
    /// Between peer address and port: as `sep`, or `*` alone (netlink and
    /// packet sockets without a peer: ss's `sock_addr_print("", "*", "")`).
    rsep: char,
    /// Whether the row has a continuation line (even an empty one).
    more: bool,
}

/// The rows, their cells in one buffer.
#[derive(Debug, Default)]
pub struct Table {
    /// The text of every cell. Write the current cell here, then call
    /// [`Table::end`].
    pub buf: String,
    rows: Vec<Row>,
    /// Cell ends of the row being written (offsets in `buf`).
    ends: [usize; CELLS],
    /// Where the row being written starts in `buf` (the end of the last
    /// finished row).
    start: usize,
    /// The cell being written.
    cell: usize,
    /// Widest cell of each aligned column so far (in bytes).
    width: [usize; COLUMNS],
    /// Longest tail of the rows before the last, with its continuation
    /// line and the `\n\t` before it (in bytes): ss's `Process` cell.
    /// ss measures a cell when it moves to the next one, and it never
    /// moves past the last cell of the last row, so that one is not
    /// measured (its `render` says so: "it wasn't necessarily flushed").
    tail_width: usize,
    /// The same length of the last row finished.
    last_tail: usize,
}

/// Bytes of cell text reserved up front. A reservation this large is
/// its own `mmap` in glibc's `malloc`: its pages are touched only as
/// rows are written, and growing past it is an `mremap`, not a copy.
/// Growing by doubling from empty instead copies every smaller buffer
/// into the next and touches the pages of each (`ss -xa` with 4 002
/// sockets: 35 `realloc` copies).
const TEXT_RESERVE: usize = 512 * 1024;
/// Rows reserved up front (52 bytes each), for the same reason.
const ROWS_RESERVE: usize = 8 * 1024;

impl Table {
    /// No rows yet; room for [`TEXT_RESERVE`] bytes of cells and
    /// [`ROWS_RESERVE`] rows reserved, not touched.
    pub fn reserved() -> Self {
        Table {
            buf: String::with_capacity(TEXT_RESERVE),
            rows: Vec::with_capacity(ROWS_RESERVE),
            ..Table::default()
        }
    }

    /// Start a row (what was written of an unfinished one is dropped).
    pub fn begin(&mut self) {
        self.buf.truncate(self.start);
        self.cell = 0;
    }

    /// End the current cell: it is what was written since the previous one.
    pub fn end(&mut self) {
        if let Some(e) = self.ends.get_mut(self.cell) {
            *e = self.buf.len();
            self.cell += 1;
        }
    }

    /// `s` as the current cell.
    pub fn cell(&mut self, s: &str) {
        self.buf.push_str(s);
        self.end();
    }

    /// A number as the current cell.
    pub fn num(&mut self, n: impl itoa::Integer) {
        self.buf.push_str(itoa::Buffer::new().format(n));
        self.end();
    }

    /// Start of cell `i` of the current row.
    fn start_of(&self, i: usize) -> usize {
        match i.checked_sub(1) {
            Some(p) => self.ends[p],
            None => self.start,
        }
    }

    /// Finish the row: cells not written are empty; `more` says whether
    /// the last cell is a continuation line. With `oneline`
    /// (`-O`) that line goes to the end of the tail instead.
    pub fn finish(&mut self, sep: char, rsep: char, more: bool, oneline: bool) {
        while self.cell < CELLS {
            self.end();
        }
        let mut more = more;
        if more && oneline {
            let (t, m) = (self.ends[TAIL], self.ends[MORE]);
            let joined = extras::oneline(self.buf.get(t..m).unwrap_or(""));
            self.buf.truncate(t);
            self.buf.push_str(&joined);
            self.ends[TAIL] = self.buf.len();
            self.ends[MORE] = self.buf.len();
            more = false;
        }
        // Widths in bytes, from the cell ends alone.
        let mut from = self.start;
        for (w, &end) in self.width.iter_mut().zip(&self.ends[..COLUMNS]) {
            *w = (*w).max(end.saturating_sub(from));
            from = end;
        }
        self.tail_width = self.tail_width.max(self.last_tail);
        self.last_tail = self.tail_len(more);
        let start = self.start;
        self.rows.push(Row {
            ends: self.ends.map(|e| to_u32(e.saturating_sub(start))),
            sep,
            rsep,
            more,
        });
        self.start = self.ends[CELLS - 1];
    }

    /// Bytes of ss's `Process` cell of the current row: the tail, and
    /// with `more` a `\n\t` and the continuation line.
    fn tail_len(&self, more: bool) -> usize {
        let (t, m) = (self.ends[TAIL], self.ends[MORE]);
        let tail = t.saturating_sub(self.start_of(TAIL));
        if more {
            tail + 2 + m.saturating_sub(t)
        } else {
            tail
        }
    }

    /// The aligned text (with the header unless `-H`).
    pub fn render(&self, show: &Show) -> String {
        let mut out = Vec::with_capacity(self.buf.len() + self.rows.len() * 64);
        // Nothing is taken out and nothing can fail: the whole text stays.
        let _ = self.render_in_pieces(show, &mut out, &mut |_| Ok(()));
        // Cells are cut from `buf` where they end, at whole characters,
        // and joined by ASCII: the bytes are UTF-8.
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }

    /// [`Table::render`] written to `w` in pieces of about 64 KiB, so the
    /// aligned text is never held whole.
    pub fn write_to(&self, show: &Show, w: &mut impl std::io::Write) -> std::io::Result<()> {
        let mut out = Vec::with_capacity(PIECE + 4096);
        self.render_in_pieces(show, &mut out, &mut |out| {
            if out.len() >= PIECE {
                w.write_all(out)?;
                out.clear();
            }
            Ok(())
        })?;
        w.write_all(&out)
    }

    /// The aligned text into `out`, `piece` called after each line (it may
    /// take the text out). Bytes, not `str`: the cells are cut from
    /// [`Table::buf`] at their recorded ends with no character-boundary
    /// checks, and padding is a fill, not a string copied.
    fn render_in_pieces(
        &self,
        show: &Show,
        out: &mut Vec<u8>,
        piece: &mut dyn FnMut(&mut Vec<u8>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        // The header's words count only when it is printed (or was, for
        // `-E`'s later events).
        let header_widths = !show.no_header || show.header_widths;
        let mut w = if header_widths {
            MIN_WIDTH
        } else {
            MIN_WIDTH_NO_HEADER
        };
        for (w, c) in w.iter_mut().zip(self.width) {
            *w = (*w).max(c);
        }
        let process = if header_widths {
            self.tail_width.max(PROCESS.len())
        } else {
            self.tail_width
        };
        let layout = Layout { show, w, process };
        if !show.no_header {
            // As ss aligns it: each header word in its column, "Process"
            // right after the peer port column.
            let words: [&[u8]; CELLS] = [
                b"Netid",
                b"State",
                b"Recv-Q",
                b"Send-Q",
                b"Local Address",
                b"Port",
                b"Peer Address",
                b"Port",
                PROCESS.as_bytes(),
                b"",
            ];
            layout.put(out, &words, b":", b":", false);
        }
        let buf = self.buf.as_bytes();
        let (mut sep, mut rsep) = ([0u8; 4], [0u8; 4]);
        let mut row: usize = 0;
        for r in &self.rows {
            let mut c: [&[u8]; CELLS] = [&[]; CELLS];
            let mut start = row;
            for (i, end) in r.ends.iter().enumerate() {
                let end = row.saturating_add(*end as usize);
                c[i] = buf.get(start..end).unwrap_or_default();
                start = end;
            }
            row = start;
            let sep = r.sep.encode_utf8(&mut sep).as_bytes();
            let rsep = r.rsep.encode_utf8(&mut rsep).as_bytes();
            layout.put(out, &c, sep, rsep, r.more);
            piece(out)?;
        }
        Ok(())
    }
}

/// How the lines are aligned: the columns shown, their widths, and the
/// width of ss's `Process` cell (the tail and continuation line).
struct Layout<'s> {
    show: &'s Show,
    w: [usize; COLUMNS],
    process: usize,
}

impl Layout<'_> {
    /// One line (the header's words or a row's cells) appended to `out`:
    /// its length first, filled with spaces, then each cell copied to its
    /// place. The address columns are padded on the left, the others on
    /// the right; `sep` and `rsep` go between address and port; with
    /// `more`, `\n\t` and the continuation line follow the tail. A cell
    /// wider than its column (the widths measured leave none) pushes the
    /// rest along.
    #[inline(always)]
    fn put(&self, out: &mut Vec<u8>, c: &[&[u8]; CELLS], sep: &[u8], rsep: &[u8], more: bool) {
        let (show, w) = (self.show, &self.w);
        let col = |i: usize| c[i].len().max(w[i]);
        let mut tail = c[TAIL].len();
        if more {
            tail += 2 + c[MORE].len();
        }
        let len = if show.netid { col(0) + 1 } else { 0 }
            + if show.state { col(1) + 1 } else { 0 }
            + col(2)
            + 1
            + col(3)
            + 1
            + col(4)
            + sep.len()
            + col(5)
            + 1
            + col(6)
            + rsep.len()
            + col(7)
            + tail.max(self.process)
            + 1;
        let at = out.len();
        out.resize(at + len, b' ');
        let mut line = Line {
            dst: out.get_mut(at..).unwrap_or_default(),
            at: 0,
        };
        if show.netid {
            line.left(c[0], w[0]);
            line.at += 1;
        }
        if show.state {
            line.left(c[1], w[1]);
            line.at += 1;
        }
        line.left(c[2], w[2]);
        line.at += 1;
        line.left(c[3], w[3]);
        line.at += 1;
        line.right(c[4], w[4]);
        line.put(sep);
        line.left(c[5], w[5]);
        line.at += 1;
        line.right(c[6], w[6]);
        line.put(rsep);
        line.left(c[7], w[7]);
        line.put(c[TAIL]);
        if more {
            line.put(b"\n\t");
            line.put(c[MORE]);
        }
        if let Some(end) = out.last_mut() {
            *end = b'\n';
        }
    }
}

/// A line of the table being filled in: spaces already, cells copied over
/// them at `at`.
struct Line<'a> {
    dst: &'a mut [u8],
    at: usize,
}

impl Line<'_> {
    /// `s` at `at`.
    fn put(&mut self, s: &[u8]) {
        let end = self.at + s.len();
        if let Some(d) = self.dst.get_mut(self.at..end) {
            d.copy_from_slice(s);
        }
        self.at = end;
    }
    /// `s` then spaces up to `width` bytes (ss counts a cell's bytes, not
    /// its characters: `print_right_spacing`).
    fn left(&mut self, s: &[u8], width: usize) {
        self.put(s);
        self.at += width.saturating_sub(s.len());
    }
    /// Spaces up to `width` bytes, then `s` (ss's `print_left_spacing`).
    fn right(&mut self, s: &[u8], width: usize) {
        self.at += width.saturating_sub(s.len());
        self.put(s);
    }
}

/// Bytes of aligned text written at a time by [`Table::write_to`].
const PIECE: usize = 64 * 1024;

#[cfg(test)]
mod tests {
    use super::*;

    /// `left` and `right` pad to a width in bytes, as ss does (its cells
    /// are byte buffers): for ASCII as `{:<w$}` and `{:>w$}`, a name of
    /// multi-byte characters gets fewer spaces than `format!` would give.
    #[test]
    fn padding_counts_bytes() {
        // A line of spaces as wide as the padded cell, the cell put in.
        let pad = |s: &[u8], w: usize, right: bool| -> Vec<u8> {
            let mut v = vec![b' '; s.len().max(w)];
            let mut line = Line { dst: &mut v, at: 0 };
            if right {
                line.right(s, w);
            } else {
                line.left(s, w);
            }
            v
        };
        let left = |l: &mut Vec<u8>, s: &[u8], w: usize| *l = pad(s, w, false);
        let right = |r: &mut Vec<u8>, s: &[u8], w: usize| *r = pad(s, w, true);
        for s in ["", "a", "[::1]", "0123456789"] {
            for w in [0, 1, 4, 13, 100] {
                let mut l = Vec::new();
                left(&mut l, s.as_bytes(), w);
                assert_eq!(l, format!("{s:<w$}").as_bytes());
                let mut r = Vec::new();
                right(&mut r, s.as_bytes(), w);
                assert_eq!(r, format!("{s:>w$}").as_bytes());
            }
        }
        // "é€x": 3 characters, 6 bytes.
        let mut l = Vec::new();
        left(&mut l, "é€x".as_bytes(), 8);
        assert_eq!(l, "é€x  ".as_bytes());
        let mut r = Vec::new();
        right(&mut r, "é€x".as_bytes(), 8);
        assert_eq!(r, "  é€x".as_bytes());
    }

    /// A table of `(tail, continuation)` rows, netid and state shown.
    fn rows(rows: &[(&str, Option<&str>)]) -> Table {
        let mut t = Table::default();
        for (i, (tail, more)) in rows.iter().enumerate() {
            t.begin();
            t.cell("tcp");
            t.cell("ESTAB");
            t.num(0);
            t.num(0);
            t.cell("127.0.0.1");
            t.num(40_000 + i);
            t.cell("127.0.0.1");
            t.num(80);
            t.cell(tail);
            t.cell(more.unwrap_or(""));
            t.finish(':', ':', more.is_some(), false);
        }
        t
    }

    /// As iproute2 6.1 prints them (its output on a pipe): ss's last
    /// column, `Process`, is padded to the widest of its cells; an empty
    /// one (no `-p`, `-e`) is seven spaces; a continuation line is part
    /// of the cell, so the spaces follow it; without the header its word
    /// does not count, nor do the other columns' header words.
    #[test]
    fn the_process_column_is_padded_as_ss_pads_it() {
        let show = Show {
            netid: true,
            state: true,
            ..Show::default()
        };
        let head = "Netid State Recv-Q Send-Q Local Address:Port  Peer Address:PortProcess";
        // Row `i` up to its peer port, padded to the column's four bytes.
        let row =
            |i: usize| format!("tcp   ESTAB 0      0          127.0.0.1:4000{i}    127.0.0.1:80  ");
        let sp = |n: usize| " ".repeat(n);
        let t = rows(&[("", None), ("", None)]);
        assert_eq!(
            t.render(&show),
            format!("{head}\n{}{}\n{}{}\n", row(0), sp(7), row(1), sp(7))
        );
        // Tails of 15 and 4 bytes, then one of 20 that ss does not
        // measure: the last row's.
        let t = rows(&[
            (" ino:1 sk:2 <->", None),
            (" <->", None),
            (" ino:10 sk:20 uid:30", None),
        ]);
        assert_eq!(
            t.render(&show),
            format!(
                "{head}{}\n{} ino:1 sk:2 <->\n{} <->{}\n{} ino:10 sk:20 uid:30\n",
                sp(8),
                row(0),
                row(1),
                sp(11),
                row(2)
            )
        );
        // Cells of 2 + 14 and 2 + 6 bytes (and a last one not measured).
        let t = rows(&[
            ("", Some(" cubic rto:204")),
            ("", Some(" cubic")),
            ("", None),
        ]);
        assert_eq!(
            t.render(&show),
            format!(
                "{head}{}\n{}\n\t cubic rto:204\n{}\n\t cubic{}\n{}{}\n",
                sp(9),
                row(0),
                row(1),
                sp(8),
                row(2),
                sp(16)
            )
        );
        let no_header = Show {
            no_header: true,
            ..show
        };
        let t = rows(&[("", None), ("", None)]);
        assert_eq!(
            t.render(&no_header),
            "tcp ESTAB 0      0      127.0.0.1:40000 127.0.0.1:80\n\
             tcp ESTAB 0      0      127.0.0.1:40001 127.0.0.1:80\n"
        );
        // `-E` after its first event: the header's widths stay.
        let later_event = Show {
            header_widths: true,
            ..no_header
        };
        assert_eq!(
            t.render(&later_event),
            format!("{}{}\n{}{}\n", row(0), sp(7), row(1), sp(7))
        );
    }

    /// A writer that counts its writes.
    struct Pieces {
        text: Vec<u8>,
        writes: usize,
    }

    impl std::io::Write for Pieces {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.text.extend_from_slice(b);
            self.writes += 1;
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// `write_to` writes what `render` returns, in more than one piece and
    /// none much larger than `PIECE`, whether or not a row has a
    /// continuation line.
    #[test]
    fn pieces_written_make_the_rendered_text() {
        let mut t = Table::default();
        for i in 0..5_000u32 {
            t.begin();
            t.cell("tcp");
            t.cell("ESTAB");
            t.num(i % 7);
            t.num(i);
            t.cell("127.0.0.1");
            t.num(40_000 + i % 1000);
            t.cell("[::ffff:127.0.0.1]");
            t.cell("*");
            t.buf.push_str(" cubic wscale:7,7 rto:204");
            t.end();
            t.buf
                .push_str(" skmem:(r0,rb131072,t0,tb2626560,f0,w0,o0,bl0,d0)");
            t.end();
            t.finish(':', ':', i % 3 == 0, false);
        }
        for no_header in [false, true] {
            let show = Show {
                netid: true,
                state: true,
                no_header,
                ..Show::default()
            };
            let whole = t.render(&show);
            let mut w = Pieces {
                text: Vec::new(),
                writes: 0,
            };
            t.write_to(&show, &mut w).unwrap();
            assert_eq!(String::from_utf8(w.text).unwrap(), whole);
            assert!(whole.len() > 4 * PIECE, "{}", whole.len());
            assert!(
                w.writes > whole.len() / (PIECE + 512),
                "{} writes",
                w.writes
            );
            assert!(w.writes <= whole.len() / PIECE + 1, "{} writes", w.writes);
        }
    }
}

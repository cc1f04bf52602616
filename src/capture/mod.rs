//! Reading pcap and pcapng captures as a stream of packets, in bounded
//! memory.
//!
//! The reader frames records and blocks itself, through one buffer that
//! starts at [`INITIAL_WINDOW`] bytes and grows only as far as the largest
//! record or block read needs, never beyond [`MAX_RECORD`]; a multi-gigabyte
//! capture never sits in memory, and neither does a block whose length field
//! claims gigabytes (it is streamed past, or the file ends inside it).
//!
//! * classic pcap, either file byte order, microsecond or nanosecond
//!   timestamps (the magic number says which); the link type is the low 16
//!   bits of the header's `LinkType` field, whose upper bits may carry the
//!   FCS length (pcap-savefile(5); tshark reads it the same way);
//! * pcapng, any number of sections and interfaces: each Enhanced Packet
//!   Block is read with the link type, `if_tsresol` and `if_tsoffset` of the
//!   interface it names; Simple Packet Blocks belong to interface 0 and carry
//!   no time. At most [`MAX_INTERFACES`] interfaces are kept per section:
//!   the Interface Description Blocks beyond are reported (the first one, and
//!   a count at the end of the section) and not kept; packets on them are
//!   still read, with the link type all dropped interfaces share (if they
//!   share one) and a [`PacketNote`].
//!
//! Input may be a file, a pipe, a FIFO or standard input (see
//! [`open_input`]): the reader keeps reading until it has what it needs,
//! whatever size each `read()` returns.
//!
//! Problems come back as [`CaptureError`]s from
//! [`CaptureReader::next_packet`]. After one, the next call goes on with the
//! next record or block when the stream can be followed (a block shorter
//! than its type's minimum, a packet block whose captured length overflows
//! it, a block whose trailing length differs, a record too large to buffer
//! are all skipped), and returns `Ok(None)` when it cannot (the file ends
//! inside a record, a block length below 12, a read error).
//!
//! Packets are numbered from 1 in file order, as Wireshark numbers frames.
//!
//! ```no_run
//! use nlwire_cli::capture::CaptureReader;
//! let file = std::fs::File::open("samples/tcp_info.pcap")?;
//! let mut reader = CaptureReader::new(file)?;
//! loop {
//!     match reader.next_packet() {
//!         Ok(Some(p)) => println!("{} {:?} {} bytes", p.number, p.linktype, p.data.len()),
//!         Ok(None) => break,
//!         Err(e) => eprintln!("{e}"),
//!     }
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::io::{self, Read};
use std::path::Path;

pub mod time;
pub use time::{Precision, Timestamp};

/// The reader's initial buffer.
pub const INITIAL_WINDOW: usize = 64 * 1024;
/// The largest record (pcap record or pcapng block, headers included) the
/// reader buffers, and so the most memory it ever holds for one; a longer
/// one is streamed past and reported.
pub const MAX_RECORD: usize = 16 * 1024 * 1024;
/// The most pcapng interfaces (Interface Description Blocks) kept per
/// section. Each costs a few bytes; beyond this cap the blocks are reported
/// and not kept, so an IDB flood cannot grow memory.
pub const MAX_INTERFACES: usize = 4096;

/// Why a capture cannot be read (further).
#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    /// The file could not be read.
    #[error("read error: {0}")]
    Io(#[from] io::Error),
    /// The file is empty.
    #[error("empty file")]
    Empty,
    /// The file does not start with a pcap or pcapng header.
    #[error("not a pcap or pcapng capture (unknown file header)")]
    NotCapture,
    /// The file ends inside its file header.
    #[error("truncated {format} header: the file ends after {got} of its {needed} bytes")]
    TruncatedHeader {
        /// `pcap`.
        format: &'static str,
        /// Bytes present.
        got: usize,
        /// Bytes the header has.
        needed: usize,
    },
    /// The file ends inside a record.
    #[error("file truncated: incomplete record at byte offset {offset}")]
    Truncated {
        /// Where the incomplete record starts.
        offset: u64,
    },
    /// A record or block is malformed.
    #[error("{what} at byte offset {offset}: {reason}; {}", if *.skipped { "skipped" } else { "cannot read further" })]
    Corrupt {
        /// Where the record starts.
        offset: u64,
        /// Which record: `record` (pcap) or the pcapng block's name and type.
        what: String,
        /// What is wrong.
        reason: String,
        /// The record was skipped and reading goes on after it.
        skipped: bool,
    },
    /// A record claims more than [`MAX_RECORD`] bytes: it was streamed past
    /// (not buffered) and reading goes on after it.
    #[error("{what} at byte offset {offset} claims more than {max} bytes (its length field says {declared}); skipped")]
    TooLarge {
        /// Where the record starts.
        offset: u64,
        /// Which record: `record` (pcap) or the pcapng block's name and type.
        what: String,
        /// The length it declares.
        declared: u64,
        /// The limit.
        max: usize,
    },
    /// Interface Description Blocks beyond [`MAX_INTERFACES`] in a section
    /// are not kept: reported for the first such block (`count` 0), and
    /// with their number at the end of the section.
    #[error("{}", interfaces_not_kept(*.offset, *.interface, *.count, *.max))]
    InterfacesNotKept {
        /// The first dropped block (or the section's start, for the count).
        offset: u64,
        /// The first interface not kept.
        interface: u64,
        /// How many blocks were not kept (0 for the first one's report).
        count: u64,
        /// [`MAX_INTERFACES`].
        max: usize,
    },
}

fn interfaces_not_kept(offset: u64, interface: u64, count: u64, max: usize) -> String {
    if count == 0 {
        format!(
            "{} at byte offset {offset}: interface {interface} is beyond the {max} interfaces \
             kept per section; not kept (nor any further one of this section; packets on them \
             are read with the link type they share, if they share one)",
            describe_block(IDB)
        )
    } else {
        format!(
            "{count} Interface Description Blocks of the section beyond the first {max} were \
             not kept (interfaces {interface} to {}; section at byte offset {offset})",
            interface.saturating_add(count - 1)
        )
    }
}

/// The file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Classic libpcap format.
    Pcap {
        /// The file header (and record headers) are big-endian.
        big_endian: bool,
        /// Timestamps count nanoseconds (magic `0xa1b23c4d`).
        nanosecond: bool,
        /// The file's link type (the low 16 bits of the header's field).
        linktype: u32,
    },
    /// pcapng.
    PcapNg,
}

/// Something the reader knows about a packet beyond its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PacketNote {
    /// The packet's interface was described, but its Interface Description
    /// Block was not kept (beyond [`MAX_INTERFACES`]).
    InterfaceNotKept {
        /// The interface id.
        interface: u32,
        /// The link type every interface not kept shares (the packet was
        /// read with it), `None` if they differ.
        assumed_linktype: Option<u32>,
    },
}

impl fmt::Display for PacketNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            PacketNote::InterfaceNotKept {
                interface,
                assumed_linktype,
            } => {
                write!(
                    f,
                    "packet names interface {interface} whose Interface Description Block was \
                     not kept (more than {MAX_INTERFACES} interfaces); "
                )?;
                match assumed_linktype {
                    Some(lt) => write!(
                        f,
                        "read with link type {lt}, the link type of every interface not kept"
                    ),
                    None => write!(f, "the interfaces not kept have different link types"),
                }
            }
        }
    }
}

/// One captured packet.
#[derive(Clone, Copy, Debug)]
pub struct Packet<'a> {
    /// Frame number, from 1, in file order.
    pub number: u64,
    /// Capture time (`None` for pcapng Simple Packet Blocks).
    pub time: Option<Timestamp>,
    /// The link type of the packet's interface; `None` if a pcapng packet
    /// names an interface no Interface Description Block described (or one
    /// not kept, see [`Packet::note`]).
    pub linktype: Option<u32>,
    /// The pcapng interface id (0 for classic pcap).
    pub interface: u32,
    /// The captured bytes (`caplen` of them).
    pub data: &'a [u8],
    /// The packet's length on the wire (`len`/`origlen`).
    pub origlen: u32,
    /// Byte offset of the record in the file.
    pub file_offset: u64,
    /// The file's format (for classic pcap, with the file's link type).
    pub format: Format,
    /// What the reader had to assume for this packet, if anything.
    pub note: Option<PacketNote>,
}

impl Packet<'_> {
    /// The capture kept fewer bytes than the packet had (snaplen).
    pub fn is_truncated(&self) -> bool {
        (self.data.len() as u64) < u64::from(self.origlen)
    }
}

/// Open a capture to read: a path, or `-` for standard input. Also returns
/// the size when it is a regular file (for progress).
pub fn open_input(path: &Path) -> io::Result<(Box<dyn Read>, Option<u64>)> {
    if path.as_os_str() == "-" {
        return Ok((Box::new(io::stdin().lock()), None));
    }
    let f = std::fs::File::open(path)?;
    let meta = f.metadata()?;
    if meta.is_dir() {
        return Err(io::Error::other("is a directory"));
    }
    Ok((Box::new(f), Some(meta.len()).filter(|_| meta.is_file())))
}

// pcapng block types.
const SHB: u32 = 0x0a0d_0d0a;
const IDB: u32 = 0x0000_0001;
const SPB: u32 = 0x0000_0003;
const EPB: u32 = 0x0000_0006;

/// The name of a pcapng block type.
fn block_name(t: u32) -> &'static str {
    match t {
        SHB => "Section Header Block",
        IDB => "Interface Description Block",
        0x0000_0002 => "Packet Block",
        SPB => "Simple Packet Block",
        0x0000_0004 => "Name Resolution Block",
        0x0000_0005 => "Interface Statistics Block",
        EPB => "Enhanced Packet Block",
        0x0000_0009 => "systemd Journal Export Block",
        0x0000_000a => "Decryption Secrets Block",
        0x0000_0bad | 0x4000_0bad => "Custom Block",
        0x8000_0001 => "Process Information Block",
        _ => "block",
    }
}

/// The smallest total length of a pcapng block of type `t` (as tshark
/// checks them): 12 bytes of framing plus the type's fixed fields.
fn min_block_len(t: u32) -> u32 {
    match t {
        SHB => 28,
        IDB => 20,
        0x0000_0002 => 32,
        SPB => 16,
        0x0000_0004 => 16, // at least opt_endofrecord
        0x0000_0005 => 24,
        EPB => 32,
        0x0000_000a => 20,
        0x0000_0bad | 0x4000_0bad => 16,
        _ => 12,
    }
}

fn describe_block(t: u32) -> String {
    format!("{} (block type 0x{t:08x})", block_name(t))
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Interface {
    linktype: u32,
    units_per_sec: u64,
    offset_secs: i64,
}

/// A value all items of a set share, if they do.
#[derive(Clone, Copy, Debug)]
enum Common<T> {
    Nothing,
    Same(T),
    Mixed,
}

impl<T: PartialEq + Copy> Common<T> {
    fn add(&mut self, v: T) {
        *self = match *self {
            Common::Nothing => Common::Same(v),
            Common::Same(x) if x == v => Common::Same(x),
            _ => Common::Mixed,
        }
    }
    fn get(&self) -> Option<T> {
        match *self {
            Common::Same(x) => Some(x),
            _ => None,
        }
    }
}

/// A pcapng section's state: bounded whatever the input.
#[derive(Debug)]
struct Section {
    offset: u64,
    big_endian: bool,
    interfaces: Vec<Interface>,
    /// Interface Description Blocks not kept (beyond [`MAX_INTERFACES`]).
    dropped: u64,
    dropped_linktype: Common<u32>,
    dropped_clock: Common<(u64, i64)>,
    /// The count of dropped blocks has been reported.
    dropped_reported: bool,
}

impl Section {
    fn new(offset: u64, big_endian: bool) -> Self {
        Section {
            offset,
            big_endian,
            interfaces: Vec::new(),
            dropped: 0,
            dropped_linktype: Common::Nothing,
            dropped_clock: Common::Nothing,
            dropped_reported: false,
        }
    }

    /// The count of dropped blocks, to report once at the section's end.
    fn dropped_summary(&mut self) -> Option<CaptureError> {
        if self.dropped == 0 || self.dropped_reported {
            return None;
        }
        self.dropped_reported = true;
        Some(CaptureError::InterfacesNotKept {
            offset: self.offset,
            interface: MAX_INTERFACES as u64,
            count: self.dropped,
            max: MAX_INTERFACES,
        })
    }

    fn u16(&self, b: &[u8], at: usize) -> u16 {
        let v = [b[at], b[at + 1]];
        if self.big_endian {
            u16::from_be_bytes(v)
        } else {
            u16::from_le_bytes(v)
        }
    }

    fn u32(&self, b: &[u8], at: usize) -> u32 {
        let v = [b[at], b[at + 1], b[at + 2], b[at + 3]];
        if self.big_endian {
            u32::from_be_bytes(v)
        } else {
            u32::from_le_bytes(v)
        }
    }
}

fn units_per_sec(tsresol: u8) -> Option<u64> {
    let n = u32::from(tsresol & 0x7f);
    if tsresol & 0x80 == 0 {
        10u64.checked_pow(n)
    } else {
        1u64.checked_shl(n)
    }
}

/// The buffered input: `buf[start..end]` holds the bytes from file offset
/// `offset` on. `buf` never grows beyond [`MAX_RECORD`].
struct Input<'r> {
    src: Box<dyn Read + 'r>,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    offset: u64,
    eof: bool,
}

impl Input<'_> {
    fn avail(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// Read until `n` bytes (at most [`MAX_RECORD`]) are buffered or the
    /// input ends; returns how many are (at most `n`).
    fn fill(&mut self, n: usize) -> io::Result<usize> {
        debug_assert!(n <= MAX_RECORD);
        while self.end - self.start < n && !self.eof {
            if self.buf.len() - self.start < n {
                self.buf.copy_within(self.start..self.end, 0);
                self.end -= self.start;
                self.start = 0;
            }
            if self.end == self.buf.len() {
                // Full and still short of `n`: double, up to `n`, so memory
                // follows the bytes that arrive, not what a length claims.
                let want = self.buf.len().saturating_mul(2).min(n);
                self.buf.resize(want, 0);
            }
            match self.src.read(&mut self.buf[self.end..]) {
                Ok(0) => self.eof = true,
                Ok(k) => self.end += k,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok((self.end - self.start).min(n))
    }

    fn consume(&mut self, n: usize) {
        debug_assert!(n <= self.end - self.start);
        self.start += n;
        self.offset += n as u64;
    }

    /// Pass over `n` bytes without keeping them; returns how many there were
    /// (fewer than `n` only at the end of the input).
    fn skip(&mut self, n: u64) -> io::Result<u64> {
        let have = (self.end - self.start).min(usize::try_from(n).unwrap_or(usize::MAX));
        self.consume(have);
        let mut left = n - have as u64;
        while left > 0 && !self.eof {
            self.start = 0;
            self.end = 0;
            let k = self
                .buf
                .len()
                .min(usize::try_from(left).unwrap_or(usize::MAX));
            match self.src.read(&mut self.buf[..k]) {
                Ok(0) => self.eof = true,
                Ok(r) => {
                    left -= r as u64;
                    self.offset += r as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(n - left)
    }
}

/// What one step of the reader found.
enum Step {
    /// A packet: its bytes are `buf[start + at .. start + at + len]`.
    Packet { at: usize, len: usize, meta: Meta },
    /// A record without a packet (consumed).
    Nothing,
    /// The end of the input.
    End,
}

/// What a record says about its packet.
struct Meta {
    time: Option<Timestamp>,
    linktype: Option<u32>,
    interface: u32,
    origlen: u32,
    note: Option<PacketNote>,
}

/// A streaming reader of pcap or pcapng packets.
pub struct CaptureReader<'r> {
    input: Input<'r>,
    format: Format,
    section: Section,
    count: u64,
    /// Bytes of the last packet's record, consumed at the next call.
    pending: usize,
    /// Bytes still to pass over of a record too large to buffer, and where
    /// that record started.
    skipping: Option<(u64, u64)>,
    /// The stream cannot be followed further.
    done: bool,
}

impl std::fmt::Debug for CaptureReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaptureReader")
            .field("format", &self.format)
            .field("packets", &self.count)
            .field("consumed", &self.input.offset)
            .finish_non_exhaustive()
    }
}

impl<'r> CaptureReader<'r> {
    /// Start reading a capture: reads the file header (as many `read()`
    /// calls as it takes) and recognises the format from it.
    pub fn new<R: Read + 'r>(reader: R) -> Result<Self, CaptureError> {
        let mut input = Input {
            src: Box::new(reader),
            buf: vec![0; INITIAL_WINDOW],
            start: 0,
            end: 0,
            offset: 0,
            eof: false,
        };
        let got = input.fill(4)?;
        if got == 0 {
            return Err(CaptureError::Empty);
        }
        if got < 4 {
            return Err(CaptureError::NotCapture);
        }
        let magic = <[u8; 4]>::try_from(&input.avail()[..4]).unwrap_or_default();
        let (big_endian, nanosecond) = match magic {
            [0xd4, 0xc3, 0xb2, 0xa1] => (false, false),
            [0xa1, 0xb2, 0xc3, 0xd4] => (true, false),
            [0x4d, 0x3c, 0xb2, 0xa1] => (false, true),
            [0xa1, 0xb2, 0x3c, 0x4d] => (true, true),
            [0x0a, 0x0d, 0x0d, 0x0a] => {
                return Ok(CaptureReader {
                    input,
                    format: Format::PcapNg,
                    section: Section::new(0, false),
                    count: 0,
                    pending: 0,
                    skipping: None,
                    done: false,
                })
            }
            _ => return Err(CaptureError::NotCapture),
        };
        let got = input.fill(24)?;
        if got < 24 {
            return Err(CaptureError::TruncatedHeader {
                format: "pcap",
                got,
                needed: 24,
            });
        }
        let section = Section::new(0, big_endian);
        // Link type and, in the upper bits, the FCS length (LT_FCS_LENGTH):
        // the link type is the low 16 bits (LT_LINKTYPE).
        let linktype = section.u32(input.avail(), 20) & 0xffff;
        input.consume(24);
        Ok(CaptureReader {
            input,
            format: Format::Pcap {
                big_endian,
                nanosecond,
                linktype,
            },
            section,
            count: 0,
            pending: 0,
            skipping: None,
            done: false,
        })
    }

    /// The file format and, for classic pcap, its link type.
    pub fn format(&self) -> Option<Format> {
        Some(self.format)
    }

    /// Link types of the pcapng interfaces kept so far in the current
    /// section (at most [`MAX_INTERFACES`]).
    pub fn interface_linktypes(&self) -> impl Iterator<Item = u32> + '_ {
        self.section.interfaces.iter().map(|i| i.linktype)
    }

    /// The size of the reader's buffer: at most [`MAX_RECORD`], and no more
    /// than twice the bytes a record actually brought (a length field alone
    /// never makes it grow).
    pub fn buffer_size(&self) -> usize {
        self.input.buf.len()
    }

    /// Bytes of the file consumed so far (for progress).
    pub fn consumed(&self) -> u64 {
        self.input.offset + self.pending as u64
    }

    /// The next packet, `None` at the end of the file. After an error the
    /// next call goes on with the next record if the stream can be
    /// followed, else returns `None`.
    pub fn next_packet(&mut self) -> Result<Option<Packet<'_>>, CaptureError> {
        loop {
            let offset = self.input.offset + self.pending as u64;
            match self.step() {
                Ok(Step::Packet { at, len, meta }) => {
                    self.count += 1;
                    let start = self.input.start + at;
                    return Ok(Some(Packet {
                        number: self.count,
                        time: meta.time,
                        linktype: meta.linktype,
                        interface: meta.interface,
                        data: &self.input.buf[start..start + len],
                        origlen: meta.origlen,
                        file_offset: offset,
                        format: self.format,
                        note: meta.note,
                    }));
                }
                Ok(Step::Nothing) => {}
                Ok(Step::End) => {
                    self.done = true;
                    return Ok(None);
                }
                Err(e) => {
                    if matches!(
                        e,
                        CaptureError::Io(_)
                            | CaptureError::Truncated { .. }
                            | CaptureError::Corrupt { skipped: false, .. }
                    ) {
                        self.done = true;
                    }
                    return Err(e);
                }
            }
        }
    }

    /// Read one record or block.
    fn step(&mut self) -> Result<Step, CaptureError> {
        if self.done {
            return Ok(Step::End);
        }
        let pending = std::mem::take(&mut self.pending);
        self.input.consume(pending);
        if let Some((left, offset)) = self.skipping.take() {
            if self.input.skip(left)? < left {
                return Err(CaptureError::Truncated { offset });
            }
        }
        match self.format {
            Format::Pcap { nanosecond, .. } => self.pcap_record(nanosecond),
            Format::PcapNg => self.pcapng_block(),
        }
    }

    /// Pass over a record of `len` > [`MAX_RECORD`] bytes: the first
    /// [`MAX_RECORD`] now (so a file that ends sooner reports a truncated
    /// record), the rest at the next call.
    fn too_large(&mut self, offset: u64, len: u64, what: String) -> Result<Step, CaptureError> {
        let max = MAX_RECORD as u64;
        if self.input.skip(max)? < max {
            return Err(CaptureError::Truncated { offset });
        }
        self.skipping = Some((len - max, offset));
        Err(CaptureError::TooLarge {
            offset,
            what,
            declared: len,
            max: MAX_RECORD,
        })
    }

    fn pcap_record(&mut self, nanosecond: bool) -> Result<Step, CaptureError> {
        let offset = self.input.offset;
        let got = self.input.fill(16)?;
        if got == 0 {
            return Ok(Step::End);
        }
        if got < 16 {
            return Err(CaptureError::Truncated { offset });
        }
        let h = self.input.avail();
        let ts_sec = self.section.u32(h, 0);
        let ts_frac = self.section.u32(h, 4);
        let caplen = self.section.u32(h, 8);
        let origlen = self.section.u32(h, 12);
        let total = 16 + u64::from(caplen);
        if total > MAX_RECORD as u64 {
            return self.too_large(offset, total, "record".into());
        }
        let total = total as usize;
        if self.input.fill(total)? < total {
            return Err(CaptureError::Truncated { offset });
        }
        let units = if nanosecond { 1_000_000_000 } else { 1_000_000 };
        let frac = u64::from(ts_frac);
        let secs = i64::from(ts_sec) + (frac / units) as i64;
        self.pending = total;
        Ok(Step::Packet {
            at: 16,
            len: caplen as usize,
            meta: Meta {
                time: Some(Timestamp::from_units(secs, frac % units, units)),
                linktype: Some(match self.format {
                    Format::Pcap { linktype, .. } => linktype,
                    Format::PcapNg => 0,
                }),
                interface: 0,
                origlen,
                note: None,
            },
        })
    }

    fn pcapng_block(&mut self) -> Result<Step, CaptureError> {
        let offset = self.input.offset;
        let got = self.input.fill(12)?;
        if got == 0 {
            return match self.section.dropped_summary() {
                Some(e) => Err(e),
                None => Ok(Step::End),
            };
        }
        if got < 12 {
            return Err(CaptureError::Truncated { offset });
        }
        let h = self.input.avail();
        if h[..4] == SHB.to_le_bytes() {
            if let Some(e) = self.section.dropped_summary() {
                return Err(e);
            }
            let big_endian = match h[8..12] {
                [0x4d, 0x3c, 0x2b, 0x1a] => false,
                [0x1a, 0x2b, 0x3c, 0x4d] => true,
                [a, b, c, d] => {
                    return Err(CaptureError::Corrupt {
                        offset,
                        what: describe_block(SHB),
                        reason: format!(
                            "byte-order magic {a:02x} {b:02x} {c:02x} {d:02x} is not 0x1a2b3c4d \
                             in either byte order"
                        ),
                        skipped: false,
                    })
                }
                _ => unreachable!("a slice of 4 bytes"),
            };
            self.section = Section::new(offset, big_endian);
        }
        let h = self.input.avail();
        let typ = self.section.u32(h, 0);
        let len = self.section.u32(h, 4);
        let corrupt = |reason: String, skipped| CaptureError::Corrupt {
            offset,
            what: describe_block(typ),
            reason,
            skipped,
        };
        if len < 12 {
            return Err(corrupt(
                format!("total block length {len} is less than 12, the size of any block"),
                false,
            ));
        }
        if len as usize > MAX_RECORD {
            return self.too_large(offset, u64::from(len), describe_block(typ));
        }
        let n = len as usize;
        let min = min_block_len(typ);
        if len < min {
            if self.input.skip(u64::from(len))? < u64::from(len) {
                return Err(CaptureError::Truncated { offset });
            }
            return Err(corrupt(
                format!(
                    "total block length {len} is less than the minimum {name} size {min}",
                    name = block_name(typ)
                ),
                true,
            ));
        }
        if self.input.fill(n)? < n {
            return Err(CaptureError::Truncated { offset });
        }
        self.pending = n;
        let b = &self.input.avail()[..n];
        let trailer = self.section.u32(b, n - 4);
        if trailer != len {
            return Err(corrupt(
                format!("trailing total block length {trailer} differs from the leading {len}"),
                true,
            ));
        }
        if len % 4 != 0 {
            return Err(corrupt(
                format!("total block length {len} is not a multiple of 4"),
                true,
            ));
        }
        match typ {
            SHB => {
                let major = self.section.u16(b, 12);
                if major != 1 {
                    self.pending = 0;
                    return Err(corrupt(
                        format!("pcapng major version {major} (only 1 is defined)"),
                        false,
                    ));
                }
                Ok(Step::Nothing)
            }
            IDB => self.interface(offset, n),
            EPB => {
                let s = &self.section;
                let if_id = s.u32(b, 8);
                let ts = (u64::from(s.u32(b, 12)) << 32) | u64::from(s.u32(b, 16));
                let caplen = s.u32(b, 20);
                let origlen = s.u32(b, 24);
                let room = n - 32;
                if caplen as usize > room {
                    return Err(corrupt(
                        format!(
                            "captured length {caplen} exceeds the {room} bytes of packet data \
                             the block holds"
                        ),
                        true,
                    ));
                }
                let (iface, note) = self.interface_of(if_id);
                // A clock of 0 units: unknown (interfaces not kept that
                // differ in if_tsresol/if_tsoffset).
                let time = iface.filter(|i| i.units_per_sec != 0).map(|i| {
                    let secs = i64::try_from(ts / i.units_per_sec).unwrap_or(i64::MAX);
                    Timestamp::from_units(
                        secs.saturating_add(i.offset_secs),
                        ts % i.units_per_sec,
                        i.units_per_sec,
                    )
                });
                Ok(Step::Packet {
                    at: 28,
                    len: caplen as usize,
                    meta: Meta {
                        time,
                        linktype: iface.map(|i| i.linktype),
                        interface: if_id,
                        origlen,
                        note,
                    },
                })
            }
            SPB => {
                let origlen = self.section.u32(b, 8);
                let caplen = (origlen as usize).min(n - 16);
                let (iface, note) = self.interface_of(0);
                Ok(Step::Packet {
                    at: 12,
                    len: caplen,
                    meta: Meta {
                        time: None,
                        linktype: iface.map(|i| i.linktype),
                        interface: 0,
                        origlen,
                        note,
                    },
                })
            }
            _ => Ok(Step::Nothing),
        }
    }

    /// An Interface Description Block of `n` bytes (buffered).
    fn interface(&mut self, offset: u64, n: usize) -> Result<Step, CaptureError> {
        let s = &self.section;
        let b = &self.input.avail()[..n];
        let linktype = u32::from(s.u16(b, 8));
        let mut units = 1_000_000;
        let mut offset_secs = 0i64;
        // Options: code, length, value padded to 4 bytes; up to the trailer.
        let end = n - 4;
        let mut p = 16;
        while p + 4 <= end {
            let code = s.u16(b, p);
            let olen = usize::from(s.u16(b, p + 2));
            p += 4;
            if code == 0 || olen > end - p {
                break;
            }
            let v = &b[p..p + olen];
            if code == 9 {
                // if_tsresol
                if let Some(u) = v.first().and_then(|&r| units_per_sec(r)) {
                    units = u;
                }
            } else if code == 14 {
                // if_tsoffset
                if let Ok(x) = <[u8; 8]>::try_from(v) {
                    offset_secs = if s.big_endian {
                        i64::from_be_bytes(x)
                    } else {
                        i64::from_le_bytes(x)
                    };
                }
            }
            p += (olen + 3) & !3;
        }
        let iface = Interface {
            linktype,
            units_per_sec: units,
            offset_secs,
        };
        let s = &mut self.section;
        if s.interfaces.len() < MAX_INTERFACES {
            s.interfaces.push(iface);
            return Ok(Step::Nothing);
        }
        s.dropped += 1;
        s.dropped_linktype.add(linktype);
        s.dropped_clock.add((units, offset_secs));
        if s.dropped == 1 {
            return Err(CaptureError::InterfacesNotKept {
                offset,
                interface: MAX_INTERFACES as u64,
                count: 0,
                max: MAX_INTERFACES,
            });
        }
        Ok(Step::Nothing)
    }

    /// The interface a packet names, and a note if its description was not
    /// kept (then with what the dropped interfaces share).
    fn interface_of(&self, id: u32) -> (Option<Interface>, Option<PacketNote>) {
        let s = &self.section;
        if let Some(i) = s.interfaces.get(id as usize) {
            return (Some(*i), None);
        }
        let beyond = (id as usize).saturating_sub(s.interfaces.len()) as u64;
        if s.interfaces.len() < MAX_INTERFACES || beyond >= s.dropped {
            return (None, None);
        }
        let linktype = s.dropped_linktype.get();
        let note = PacketNote::InterfaceNotKept {
            interface: id,
            assumed_linktype: linktype,
        };
        let iface = linktype.map(|linktype| {
            let (units_per_sec, offset_secs) = s.dropped_clock.get().unwrap_or((0, 0));
            Interface {
                linktype,
                units_per_sec,
                offset_secs,
            }
        });
        (iface, Some(note))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsresol_units() {
        assert_eq!(units_per_sec(6), Some(1_000_000));
        assert_eq!(units_per_sec(9), Some(1_000_000_000));
        assert_eq!(units_per_sec(0x80 | 20), Some(1 << 20));
        assert_eq!(units_per_sec(20), None);
        assert_eq!(units_per_sec(0x80 | 64), None);
    }

    /// A reader returning at most `n` bytes per `read()`.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let k = self.1.min(buf.len()).min(self.0.len());
            buf[..k].copy_from_slice(&self.0[..k]);
            self.0 = &self.0[k..];
            Ok(k)
        }
    }

    #[test]
    fn short_reads_are_completed() {
        let bytes = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/tcp_info.pcap"
        ))
        .unwrap();
        let mut whole = Vec::new();
        let mut r = CaptureReader::new(&bytes[..]).unwrap();
        while let Some(p) = r.next_packet().unwrap() {
            whole.push((p.number, p.time, p.data.to_vec()));
        }
        assert!(!whole.is_empty());
        for n in [1, 3, 7] {
            let mut got = Vec::new();
            let mut r = CaptureReader::new(Trickle(&bytes, n)).unwrap();
            while let Some(p) = r.next_packet().unwrap() {
                got.push((p.number, p.time, p.data.to_vec()));
            }
            assert_eq!(got, whole, "{n} bytes per read");
        }
    }

    #[test]
    fn skip_passes_over_without_buffering() {
        let data = vec![7u8; 3 * INITIAL_WINDOW + 5];
        let mut input = Input {
            src: Box::new(&data[..]),
            buf: vec![0; INITIAL_WINDOW],
            start: 0,
            end: 0,
            offset: 0,
            eof: false,
        };
        assert_eq!(input.fill(10).unwrap(), 10);
        assert_eq!(
            input.skip(2 * INITIAL_WINDOW as u64).unwrap(),
            2 * INITIAL_WINDOW as u64
        );
        assert_eq!(input.offset, 2 * INITIAL_WINDOW as u64);
        assert_eq!(input.buf.len(), INITIAL_WINDOW);
        assert_eq!(input.skip(u64::MAX).unwrap(), INITIAL_WINDOW as u64 + 5);
        assert_eq!(input.fill(1).unwrap(), 0);
    }
}

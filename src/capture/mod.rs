//! Reading pcap and pcapng captures as a stream of packets, in bounded
//! memory.
//!
//! Built on `pcap-parser`'s streaming readers: the file is read through a
//! 64 KiB window that grows only as far as the largest record needs (at most
//! [`MAX_RECORD`]), so a multi-gigabyte capture never sits in memory.
//!
//! * classic pcap, either file byte order, microsecond or nanosecond
//!   timestamps (the magic number says which);
//! * pcapng, any number of sections and interfaces: each Enhanced Packet
//!   Block is read with the link type, `if_tsresol` and `if_tsoffset` of the
//!   interface it names; Simple Packet Blocks belong to interface 0 and carry
//!   no time.
//!
//! Packets are numbered from 1 in file order, as Wireshark numbers frames.
//!
//! ```no_run
//! use nlwire_cli::capture::CaptureReader;
//! let file = std::fs::File::open("samples/tcp_info.pcap")?;
//! let mut reader = CaptureReader::new(file)?;
//! while let Some(p) = reader.next_packet()? {
//!     println!("{} {:?} {} bytes", p.number, p.linktype, p.data.len());
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::io::{self, Read};

use pcap_parser::pcapng::Block;
use pcap_parser::traits::{PcapNGPacketBlock, PcapReaderIterator};
use pcap_parser::{create_reader, OptionCode, PcapBlockOwned, PcapError};

pub mod time;
pub use time::{Precision, Timestamp};

/// The reader's initial window.
pub const INITIAL_WINDOW: usize = 64 * 1024;
/// The largest record (pcap record or pcapng block) the reader accepts; a
/// longer length field is treated as corruption rather than read into memory.
pub const MAX_RECORD: usize = 16 * 1024 * 1024;

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
    /// The file ends inside a record.
    #[error("file truncated: incomplete record at byte offset {offset}")]
    Truncated {
        /// Where the incomplete record starts.
        offset: u64,
    },
    /// A record's framing is invalid (the stream cannot be followed past it).
    #[error("corrupt record at byte offset {offset}: {reason}")]
    Corrupt {
        /// Where the record starts.
        offset: u64,
        /// What the parser refused.
        reason: String,
    },
    /// A record claims more than [`MAX_RECORD`] bytes.
    #[error("record at byte offset {offset} claims more than {max} bytes (corrupt length field?)")]
    TooLarge {
        /// Where the record starts.
        offset: u64,
        /// The limit.
        max: usize,
    },
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
        /// The file's link type.
        linktype: u32,
    },
    /// pcapng.
    PcapNg,
}

/// One captured packet.
#[derive(Clone, Copy, Debug)]
pub struct Packet<'a> {
    /// Frame number, from 1, in file order.
    pub number: u64,
    /// Capture time (`None` for pcapng Simple Packet Blocks).
    pub time: Option<Timestamp>,
    /// The link type of the packet's interface; `None` if a pcapng packet
    /// names an interface no Interface Description Block described.
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
}

impl Packet<'_> {
    /// The capture kept fewer bytes than the packet had (snaplen).
    pub fn is_truncated(&self) -> bool {
        (self.data.len() as u64) < u64::from(self.origlen)
    }
}

#[derive(Clone, Copy, Debug)]
struct Interface {
    linktype: u32,
    units_per_sec: u64,
    offset_secs: i64,
}

/// A streaming reader of pcap or pcapng packets.
pub struct CaptureReader<'r> {
    inner: Box<dyn PcapReaderIterator + 'r>,
    format: Option<Format>,
    interfaces: Vec<Interface>,
    section_big_endian: bool,
    frame: Vec<u8>,
    count: u64,
    window: usize,
}

impl std::fmt::Debug for CaptureReader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaptureReader")
            .field("format", &self.format)
            .field("packets", &self.count)
            .field("consumed", &self.inner.consumed())
            .finish_non_exhaustive()
    }
}

/// What a block contributed.
struct Meta {
    time: Option<Timestamp>,
    linktype: Option<u32>,
    interface: u32,
    origlen: u32,
}

fn units_per_sec(tsresol: u8) -> Option<u64> {
    let n = u32::from(tsresol & 0x7f);
    if tsresol & 0x80 == 0 {
        10u64.checked_pow(n)
    } else {
        1u64.checked_shl(n)
    }
}

impl<'r> CaptureReader<'r> {
    /// Start reading a capture (the format is recognised from its first bytes).
    pub fn new<R: Read + 'r>(reader: R) -> Result<Self, CaptureError> {
        let inner = match create_reader(INITIAL_WINDOW, reader) {
            Ok(r) => r,
            Err(PcapError::Eof) => return Err(CaptureError::Empty),
            Err(PcapError::ReadError) => {
                return Err(CaptureError::Io(io::Error::other("cannot read the file")))
            }
            Err(_) => return Err(CaptureError::NotCapture),
        };
        Ok(CaptureReader {
            inner,
            format: None,
            interfaces: Vec::new(),
            section_big_endian: false,
            frame: Vec::new(),
            count: 0,
            window: INITIAL_WINDOW,
        })
    }

    /// Make the window larger for a record that does not fit.
    fn grow(&mut self, offset: u64) -> Result<(), CaptureError> {
        let want = self.window.saturating_mul(2);
        if want > MAX_RECORD || !self.inner.grow(want) {
            return Err(CaptureError::TooLarge {
                offset,
                max: MAX_RECORD,
            });
        }
        self.window = want;
        Ok(())
    }

    fn refill(&mut self) -> Result<(), CaptureError> {
        self.inner
            .refill()
            .map_err(|_| CaptureError::Io(io::Error::other("cannot read the file")))
    }

    /// The file format and, for classic pcap, its link type (known once the
    /// first [`CaptureReader::next_packet`] call has read the file header).
    pub fn format(&self) -> Option<Format> {
        self.format
    }

    /// Link types of the pcapng interfaces described so far (in the current
    /// section).
    pub fn interface_linktypes(&self) -> impl Iterator<Item = u32> + '_ {
        self.interfaces.iter().map(|i| i.linktype)
    }

    /// Bytes of the file consumed so far (for progress).
    pub fn consumed(&self) -> u64 {
        self.inner.consumed() as u64
    }

    /// The next packet, `None` at the end of the file. After an error the
    /// stream cannot be followed further.
    pub fn next_packet(&mut self) -> Result<Option<Packet<'_>>, CaptureError> {
        loop {
            let offset = self.inner.consumed() as u64;
            let meta = match self.inner.next() {
                Ok((len, block)) => {
                    let meta = match block {
                        PcapBlockOwned::LegacyHeader(h) => {
                            self.format = Some(Format::Pcap {
                                big_endian: h.is_bigendian(),
                                nanosecond: h.is_nanosecond_precision(),
                                linktype: h.network.0 as u32,
                            });
                            None
                        }
                        PcapBlockOwned::Legacy(b) => {
                            let (linktype, units) = match self.format {
                                Some(Format::Pcap {
                                    linktype,
                                    nanosecond,
                                    ..
                                }) => (
                                    Some(linktype),
                                    if nanosecond { 1_000_000_000 } else { 1_000_000 },
                                ),
                                _ => (None, 1_000_000),
                            };
                            let frac = u64::from(b.ts_usec);
                            let secs = i64::from(b.ts_sec) + (frac / units) as i64;
                            self.frame.clear();
                            self.frame.extend_from_slice(b.data);
                            Some(Meta {
                                time: Some(Timestamp::from_units(secs, frac % units, units)),
                                linktype,
                                interface: 0,
                                origlen: b.origlen,
                            })
                        }
                        PcapBlockOwned::NG(Block::SectionHeader(shb)) => {
                            self.format = Some(Format::PcapNg);
                            self.interfaces.clear();
                            self.section_big_endian = shb.big_endian();
                            None
                        }
                        PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
                            let mut units = 1_000_000;
                            let mut offset_secs = 0i64;
                            for opt in &idb.options {
                                let v = opt.value();
                                if opt.code == OptionCode::IfTsresol {
                                    if let Some(u) = v.first().and_then(|&r| units_per_sec(r)) {
                                        units = u;
                                    }
                                } else if opt.code == OptionCode::IfTsoffset {
                                    if let Some(b) =
                                        v.get(..8).and_then(|b| <[u8; 8]>::try_from(b).ok())
                                    {
                                        offset_secs = if self.section_big_endian {
                                            i64::from_be_bytes(b)
                                        } else {
                                            i64::from_le_bytes(b)
                                        };
                                    }
                                }
                            }
                            self.interfaces.push(Interface {
                                linktype: idb.linktype.0 as u32,
                                units_per_sec: units,
                                offset_secs,
                            });
                            None
                        }
                        PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
                            let iface = self.interfaces.get(epb.if_id as usize).copied();
                            let time = iface.map(|i| {
                                let ts = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                                let secs = (ts / i.units_per_sec) as i64;
                                Timestamp::from_units(
                                    secs.saturating_add(i.offset_secs),
                                    ts % i.units_per_sec,
                                    i.units_per_sec,
                                )
                            });
                            self.frame.clear();
                            self.frame.extend_from_slice(epb.packet_data());
                            Some(Meta {
                                time,
                                linktype: iface.map(|i| i.linktype),
                                interface: epb.if_id,
                                origlen: epb.origlen,
                            })
                        }
                        PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
                            self.frame.clear();
                            self.frame.extend_from_slice(spb.packet_data());
                            Some(Meta {
                                time: None,
                                linktype: self.interfaces.first().map(|i| i.linktype),
                                interface: 0,
                                origlen: spb.origlen,
                            })
                        }
                        PcapBlockOwned::NG(_) => None,
                    };
                    self.inner.consume(len);
                    meta
                }
                Err(PcapError::Eof) => return Ok(None),
                Err(PcapError::Incomplete(_)) => {
                    let before = self.inner.data().len();
                    self.refill()?;
                    if self.inner.data().len() == before && !self.inner.reader_exhausted() {
                        // The window is full and the parser still wants more.
                        self.grow(offset)?;
                        self.refill()?;
                    }
                    None
                }
                Err(PcapError::BufferTooSmall) => {
                    self.grow(offset)?;
                    self.refill()?;
                    None
                }
                Err(PcapError::UnexpectedEof) => return Err(CaptureError::Truncated { offset }),
                Err(PcapError::ReadError) => {
                    return Err(CaptureError::Io(io::Error::other("cannot read the file")))
                }
                Err(PcapError::NomError(_, kind)) | Err(PcapError::OwnedNomError(_, kind)) => {
                    return Err(CaptureError::Corrupt {
                        offset,
                        reason: format!("invalid block or record ({kind:?})"),
                    })
                }
                Err(PcapError::HeaderNotRecognized) => {
                    return Err(CaptureError::Corrupt {
                        offset,
                        reason: "unrecognised header".into(),
                    })
                }
            };
            if let Some(m) = meta {
                self.count += 1;
                return Ok(Some(Packet {
                    number: self.count,
                    time: m.time,
                    linktype: m.linktype,
                    interface: m.interface,
                    data: &self.frame,
                    origlen: m.origlen,
                    file_offset: offset,
                    format: self.format.unwrap_or(Format::PcapNg),
                }));
            }
        }
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
}

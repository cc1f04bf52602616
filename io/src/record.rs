//! Recording netlink traffic as an nlmon-style pcap.
//!
//! The file is a classic pcap (microsecond timestamps, the writer's byte
//! order) with link type `LINKTYPE_NETLINK` (253). Each packet is the 16-byte
//! pseudo-header that the kernel's `nlmon` device puts in front of netlink
//! data (the `sll` "cooked" layout, all big-endian), then the netlink bytes
//! in host order exactly as sent or received:
//!
//! | offset | size | field | value |
//! |---|---|---|---|
//! | 0 | 2 | packet type | 4 (`PACKET_OUTGOING`; nlmon uses it for both directions) |
//! | 2 | 2 | ARPHRD type | 824 (`ARPHRD_NETLINK`) |
//! | 4 | 2 | link-layer address length | 0 |
//! | 6 | 8 | link-layer address | zero |
//! | 14 | 2 | protocol | the netlink family (`NETLINK_SOCK_DIAG` = 4, …) |
//!
//! The format is written here with `std::io` (24 + 16 bytes of headers) rather
//! than through a pcap crate: it is fixed, tiny, and keeping it here lets the
//! recorder choose the byte order and the pseudo-header exactly.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// `LINKTYPE_NETLINK`: Linux netlink with the nlmon pseudo-header.
pub const LINKTYPE_NETLINK: u32 = 253;
/// `ARPHRD_NETLINK` (`<linux/if_arp.h>`).
pub const ARPHRD_NETLINK: u16 = 824;
/// `PACKET_OUTGOING` (`<linux/if_packet.h>`): what nlmon stores for every packet.
pub const PACKET_OUTGOING: u16 = 4;
/// The pcap magic for microsecond timestamps.
pub const PCAP_MAGIC_USEC: u32 = 0xa1b2_c3d4;
/// Size of the nlmon pseudo-header.
pub const NLMON_HDRLEN: usize = 16;
/// The recorder's snapshot length: larger packets are cut (their
/// original length is kept in the record header).
pub const SNAPLEN: u32 = 262_144;

/// The 16-byte nlmon pseudo-header for a packet of netlink family `protocol`.
pub const fn nlmon_header(protocol: u16) -> [u8; NLMON_HDRLEN] {
    let t = PACKET_OUTGOING.to_be_bytes();
    let a = ARPHRD_NETLINK.to_be_bytes();
    let p = protocol.to_be_bytes();
    [
        t[0], t[1], a[0], a[1], 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, p[0], p[1],
    ]
}

/// The 24-byte pcap global header: version 2.4, `snaplen`, `LINKTYPE_NETLINK`,
/// in host byte order (readers detect the order from the magic).
pub fn pcap_global_header(snaplen: u32) -> [u8; 24] {
    let mut h = [0u8; 24];
    let fields: [&[u8]; 7] = [
        &PCAP_MAGIC_USEC.to_ne_bytes(),
        &2u16.to_ne_bytes(),
        &4u16.to_ne_bytes(),
        &0i32.to_ne_bytes(),
        &0u32.to_ne_bytes(),
        &snaplen.to_ne_bytes(),
        &LINKTYPE_NETLINK.to_ne_bytes(),
    ];
    let mut at = 0;
    for f in fields {
        h[at..at + f.len()].copy_from_slice(f);
        at += f.len();
    }
    h
}

/// Writes netlink packets to a pcap stream.
///
/// Errors are sticky: a socket never fails an exchange because its recording
/// failed; the first write error stops the recording and is returned by
/// [`Recorder::finish`] (and shown by [`Recorder::error`]).
///
/// ```
/// use nlwire_io::Recorder;
/// let mut rec = Recorder::new(Vec::new()).unwrap();
/// rec.record(4, &[0x14, 0, 0, 0, 3, 0, 2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 20);
/// let bytes = rec.finish().unwrap();
/// assert_eq!(bytes.len(), 24 + 16 + 16 + 20);
/// assert_eq!(&bytes[20..24], &253u32.to_ne_bytes());
/// ```
pub struct Recorder<W: Write = Box<dyn Write + Send>> {
    out: W,
    packets: u64,
    error: Option<io::Error>,
}

impl<W: Write> std::fmt::Debug for Recorder<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("packets", &self.packets)
            .field("error", &self.error)
            .finish()
    }
}

impl Recorder<BufWriter<File>> {
    /// Create (or truncate) the file at `path` and write the pcap header.
    pub fn create(path: impl AsRef<Path>) -> io::Result<Self> {
        Recorder::new(BufWriter::new(File::create(path)?))
    }
}

impl<W: Write> Recorder<W> {
    /// Start a pcap on `out`: writes the global header.
    pub fn new(mut out: W) -> io::Result<Self> {
        out.write_all(&pcap_global_header(SNAPLEN))?;
        Ok(Recorder {
            out,
            packets: 0,
            error: None,
        })
    }

    /// Record one packet of family `protocol` now. `data` is what was
    /// captured, `orig_len` the packet's real length (larger when a receive
    /// truncated it).
    pub fn record(&mut self, protocol: u16, data: &[u8], orig_len: usize) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        self.record_at(now, protocol, data, orig_len);
    }

    /// Record one packet with the timestamp `since_epoch`.
    pub fn record_at(
        &mut self,
        since_epoch: Duration,
        protocol: u16,
        data: &[u8],
        orig_len: usize,
    ) {
        if self.error.is_some() {
            return;
        }
        if let Err(e) = self.write_packet(since_epoch, protocol, data, orig_len) {
            self.error = Some(e);
        }
    }

    fn write_packet(
        &mut self,
        ts: Duration,
        protocol: u16,
        data: &[u8],
        orig_len: usize,
    ) -> io::Result<()> {
        let cap = data.len().min(SNAPLEN as usize - NLMON_HDRLEN);
        let incl = (cap + NLMON_HDRLEN) as u32;
        let orig = u32::try_from(orig_len.max(data.len()).saturating_add(NLMON_HDRLEN))
            .unwrap_or(u32::MAX);
        // The classic format has 32-bit seconds (good until 2106).
        let mut rec = [0u8; 16];
        rec[0..4].copy_from_slice(&(ts.as_secs() as u32).to_ne_bytes());
        rec[4..8].copy_from_slice(&ts.subsec_micros().to_ne_bytes());
        rec[8..12].copy_from_slice(&incl.to_ne_bytes());
        rec[12..16].copy_from_slice(&orig.to_ne_bytes());
        self.out.write_all(&rec)?;
        self.out.write_all(&nlmon_header(protocol))?;
        self.out.write_all(&data[..cap])?;
        self.packets += 1;
        Ok(())
    }

    /// Packets recorded so far.
    pub fn packets(&self) -> u64 {
        self.packets
    }

    /// The write error that stopped the recording, if any.
    pub fn error(&self) -> Option<&io::Error> {
        self.error.as_ref()
    }

    /// Flush and return the writer, or the first error met.
    pub fn finish(mut self) -> io::Result<W> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.out)
    }

    /// The same recorder writing through a boxed writer, as a
    /// [`crate::Socket`] keeps it.
    pub fn boxed(self) -> Recorder
    where
        W: Send + 'static,
    {
        Recorder {
            out: Box::new(self.out),
            packets: self.packets,
            error: self.error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pseudo_header_is_big_endian_sll_layout() {
        assert_eq!(
            nlmon_header(4),
            [0, 4, 0x03, 0x38, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]
        );
        assert_eq!(nlmon_header(0x1234)[14..], [0x12, 0x34]);
    }

    #[test]
    fn global_header_bytes() {
        let h = pcap_global_header(SNAPLEN);
        let mut want = Vec::new();
        want.extend_from_slice(&0xa1b2c3d4u32.to_ne_bytes());
        want.extend_from_slice(&2u16.to_ne_bytes());
        want.extend_from_slice(&4u16.to_ne_bytes());
        want.extend_from_slice(&[0; 8]);
        want.extend_from_slice(&262144u32.to_ne_bytes());
        want.extend_from_slice(&253u32.to_ne_bytes());
        assert_eq!(h.to_vec(), want);
    }

    #[test]
    fn packet_record_layout() {
        let mut rec = Recorder::new(Vec::new()).unwrap();
        let ts = Duration::new(1_700_000_000, 123_456_789);
        rec.record_at(ts, 4, &[0xde, 0xad, 0xbe], 3);
        rec.record_at(ts, 16, &[1, 2], 9000);
        assert_eq!(rec.packets(), 2);
        let out = rec.finish().unwrap();
        let p = &out[24..];
        assert_eq!(&p[0..4], &1_700_000_000u32.to_ne_bytes());
        assert_eq!(&p[4..8], &123_456u32.to_ne_bytes());
        assert_eq!(&p[8..12], &19u32.to_ne_bytes());
        assert_eq!(&p[12..16], &19u32.to_ne_bytes());
        assert_eq!(&p[16..32], &nlmon_header(4));
        assert_eq!(&p[32..35], &[0xde, 0xad, 0xbe]);
        let q = &p[35..];
        // A truncated receive: captured 2 of 9000 bytes.
        assert_eq!(&q[8..12], &18u32.to_ne_bytes());
        assert_eq!(&q[12..16], &9016u32.to_ne_bytes());
        assert_eq!(&q[30..32], &[0, 16]);
        assert_eq!(&q[32..], &[1, 2]);
    }

    #[derive(Debug)]
    struct Failing;
    impl Write for Failing {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::other("disk full"))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn errors_are_sticky_and_returned_by_finish() {
        assert!(Recorder::new(Failing).is_err());
        let mut rec = Recorder {
            out: Failing,
            packets: 0,
            error: None,
        };
        rec.record(0, &[1], 1);
        rec.record(0, &[1], 1);
        assert_eq!(rec.packets(), 0);
        assert!(rec.error().is_some());
        assert_eq!(rec.finish().unwrap_err().to_string(), "disk full");
    }
}

//! Capture files as the decoder reads them: one file (pcap, pcapng or the
//! built-in sample) frame by frame, each frame's nlmon pseudo-header,
//! frames that hold no netlink, and files that cannot be read.

use std::io;

use nlwire::nlmon::{is_netlink_linktype, parse_frame, FrameError};
use nlwire::swap::ByteOrder;

use super::decoder::Decoder;
use crate::capture::{CaptureError, CaptureReader, Format, Packet};
use crate::output::{FrameInfo, Problem};

impl Decoder<'_> {
    /// Decode one captured packet.
    fn packet(&mut self, file: &str, p: &Packet<'_>, skipped: &mut Skipped) -> io::Result<()> {
        let mut info = FrameInfo {
            file: Some(file),
            number: Some(p.number),
            time: p.time,
            family: 0,
            order: ByteOrder::HOST,
            link: None,
            caplen: p.data.len(),
            origlen: p.origlen as usize,
        };
        let Some(linktype) = p.linktype else {
            self.out.frame(&info)?;
            return self.problem(
                &info,
                Problem {
                    offset: None,
                    reason: match p.note {
                        Some(note) => note.to_string(),
                        None => format!(
                            "packet names interface {} but no Interface Description Block describes it",
                            p.interface
                        ),
                    },
                },
            );
        };
        match parse_frame(linktype, p.data) {
            Ok(frame) => {
                info.family = self.family.unwrap_or(frame.family);
                info.link = Some(frame.header);
                self.netlink(info, frame.payload)?;
                match p.note {
                    Some(note) => self.problem(
                        &info,
                        Problem {
                            offset: None,
                            reason: note.to_string(),
                        },
                    ),
                    None => Ok(()),
                }
            }
            Err(e @ (FrameError::LinkType(_) | FrameError::NotNetlink { .. })) => {
                self.out.skipped();
                skipped.count += 1;
                skipped.first.get_or_insert((p.number, e));
                Ok(())
            }
            Err(FrameError::Short(e)) => {
                self.out.frame(&info)?;
                self.problem(&info, Problem::from_error(&e, 0))
            }
        }
    }

    /// Decode one capture file (or the built-in sample).
    pub(super) fn file(
        &mut self,
        name: &str,
        reader: Box<dyn io::Read + '_>,
        size: Option<u64>,
    ) -> io::Result<()> {
        let mut r = match CaptureReader::new(reader) {
            Ok(r) => r,
            Err(e) => return self.file_error(name, &e.to_string()),
        };
        let mut skipped = Skipped::default();
        let mut netlink_frames = 0u64;
        loop {
            let done = r.consumed();
            let p = match r.next_packet() {
                Ok(Some(p)) => p,
                Ok(None) => break,
                Err(e) => {
                    self.progress.clear();
                    match e {
                        CaptureError::Io(_) | CaptureError::Empty | CaptureError::NotCapture => {
                            self.status.file_error = true;
                            self.out.file_error();
                        }
                        _ => self.status.malformed = true,
                    }
                    crate::diag!("nlwire: {name}: {e}")?;
                    // The reader goes on with the next block if it can.
                    continue;
                }
            };
            if let Some(lt) = p.linktype {
                if !is_netlink_linktype(lt) {
                    // A classic pcap has one link type for the whole file.
                    if let Format::Pcap { .. } = p.format {
                        return self.file_error(name, &FrameError::LinkType(lt).to_string());
                    }
                }
            }
            let before = skipped.count;
            self.packet(name, &p, &mut skipped)?;
            if skipped.count == before {
                netlink_frames += 1;
            }
            self.progress.tick(name, p.number, done, size);
        }
        self.progress.clear();
        if let Some((first, why)) = skipped.first {
            let what = format!(
                "{} frames are not netlink, skipped (first: frame {first}: {why})",
                skipped.count
            );
            if netlink_frames == 0 {
                self.file_error(name, &format!("no netlink frames: {what}"))?;
            } else {
                crate::diag!("nlwire: {name}: {what}")?;
            }
        }
        Ok(())
    }

    /// A file that cannot be read or is not a netlink capture. `Err` only
    /// when stderr is a closed pipe.
    pub(super) fn file_error(&mut self, name: &str, why: &str) -> io::Result<()> {
        self.progress.clear();
        self.status.file_error = true;
        self.out.file_error();
        crate::diag!("nlwire: {name}: {why}")
    }
}

/// Frames of a file that hold no netlink.
#[derive(Debug, Default)]
pub(super) struct Skipped {
    count: u64,
    first: Option<(u64, FrameError)>,
}

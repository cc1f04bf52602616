//! `nlwire decode`: decode netlink messages from pcap/pcapng captures or
//! from hex, as a text tree, JSON lines or a summary.
//!
//! Exit status: 0 when everything decoded; 1 when something was malformed
//! (each problem is reported on stderr with its frame number, offset and
//! reason, and decoding goes on); 2 for usage errors and files that cannot
//! be read or are not netlink captures.

use std::io;
use std::process::ExitCode;

use nlwire::decode::{decode_ctx, Context};
use nlwire::family_ids::FamilyIds;
use nlwire::netlink::Messages;
use nlwire::netlink::Selectors;
use nlwire::nlmon::{is_netlink_linktype, parse_frame, FrameError};
use nlwire::registry::Registry;
use nlwire::swap::{detect_order, swap_message_ids, ByteOrder};
use nlwire::value::{Value, Visitor, Walk};
use nlwire::Mode;

use crate::capture::{CaptureError, CaptureReader, Format, Packet};
use crate::output::json::JsonOutput;
use crate::output::summary::SummaryOutput;
use crate::output::text::TextOutput;
use crate::output::{FrameInfo, MsgInfo, Output, Problem, Tee};

mod args;
mod context;
pub mod hex;
mod progress;

pub use args::{parse_family, DecodeArgs, OrderArg};
use progress::{Progress, Status};

/// The built-in sample decoded when no file is given: a dump of TCP sockets
/// with `tcp_info`, recorded from a live kernel by `cargo run --example
/// make_samples` (see `samples/README.md`).
pub const DEFAULT_SAMPLE: &[u8] = include_bytes!("../../samples/tcp_info.pcap");
/// The name shown for [`DEFAULT_SAMPLE`].
pub const DEFAULT_SAMPLE_NAME: &str = "<built-in sample: samples/tcp_info.pcap>";

/// The decoder's state across frames.
struct Decoder<'o> {
    out: &'o mut dyn Output,
    mode: Mode,
    order: OrderArg,
    family: Option<u16>,
    scratch: Vec<u8>,
    status: Status,
    progress: Progress,
    contexts: context::Contexts,
    /// Generic netlink family ids: `--genl-family`, then every
    /// `CTRL_CMD_NEWFAMILY`/`CTRL_CMD_DELFAMILY` seen (bounded table).
    ids: Box<FamilyIds>,
}

impl Decoder<'_> {
    /// Report a problem on stderr and to the output. `Err` when stdout
    /// cannot be written or stderr is a closed pipe (decoding stops).
    fn problem(&mut self, f: &FrameInfo<'_>, p: Problem) -> io::Result<()> {
        self.status.malformed = true;
        self.progress.clear();
        let mut line = String::from("nlwire: ");
        if let Some(file) = f.file {
            line.push_str(file);
            line.push_str(": ");
        }
        if let Some(n) = f.number {
            line.push_str(&format!("frame {n}: "));
        }
        if let Some(o) = p.offset {
            line.push_str(&format!("offset {o}: "));
        }
        line.push_str(&p.reason);
        crate::diag!("{line}")?;
        self.out.problem(f, &p)
    }

    /// Decode the netlink bytes of one frame (after its pseudo-header).
    fn netlink(&mut self, mut info: FrameInfo<'_>, netlink: &[u8]) -> io::Result<()> {
        let order = match self.order {
            OrderArg::Auto => detect_order(netlink),
            OrderArg::Little => ByteOrder::Little,
            OrderArg::Big => ByteOrder::Big,
        };
        info.order = order;
        let mut scratch = std::mem::take(&mut self.scratch);
        let bytes: &[u8] = if order == ByteOrder::HOST {
            netlink
        } else {
            scratch.clear();
            scratch.extend_from_slice(netlink);
            // Generic netlink families learned in earlier frames convert
            // by their own tables.
            swap_message_ids(
                &Registry::DEFAULT,
                Some(&self.ids),
                info.family,
                &mut scratch,
            );
            &scratch
        };
        let r = self.messages(&info, bytes);
        self.scratch = scratch;
        r
    }

    fn messages(&mut self, info: &FrameInfo<'_>, bytes: &[u8]) -> io::Result<()> {
        self.out.frame(info)?;
        if info.origlen > info.caplen {
            self.problem(
                info,
                Problem {
                    offset: Some(info.caplen),
                    reason: format!(
                        "frame truncated by the capture: {} of {} bytes captured",
                        info.caplen, info.origlen
                    ),
                },
            )?;
        }
        let base = info.netlink_offset();
        let mut it = Messages::with_mode(bytes, self.mode);
        let mut failed = false;
        for (i, m) in it.by_ref().enumerate() {
            let m = match m {
                Ok(m) => m,
                Err(e) => {
                    failed = true;
                    self.problem(info, Problem::from_error(&e, base))?;
                    break;
                }
            };
            // A reply is read with what its request said (sub-message
            // selectors such as sock_diag's protocol).
            let context = if m.header.is_request() {
                Selectors::EMPTY
            } else {
                self.contexts
                    .for_reply(info.family, m.header.nlmsg_seq.get())
            };
            let ctx = Context {
                selectors: context,
                ids: Some(&self.ids),
            };
            let d = decode_ctx(&Registry::DEFAULT, info.family, m, self.mode, &ctx);
            self.contexts.learn(&d);
            // Family ids announced by the controller name later messages
            // of the capture (as Wireshark does).
            self.ids
                .learn(&Registry::DEFAULT, info.family, &m, self.mode);
            let error = d.errno();
            let msg = MsgInfo {
                index: i + 1,
                offset: base.saturating_add(m.offset),
                nlmsg_type: m.header.nlmsg_type.get(),
                type_name: d.type_name(),
                sub_family: d.sub_family,
                request: d.is_request(),
                error,
            };
            // The printer may run the walk more than once (JSON does);
            // count the errors of one run.
            let mut errors = 0u64;
            self.out.message(info, &msg, &mut |v| {
                let mut tee = Tee {
                    inner: v,
                    errors: 0,
                };
                d.walk(&mut tee);
                errors = tee.errors;
            })?;
            if errors > 0 {
                // Walk again to report them (keeping them would take memory
                // without bound).
                let mut r = ProblemVisitor {
                    decoder: self,
                    info,
                    base,
                    depth: 0,
                    result: Ok(()),
                };
                d.walk(&mut r);
                r.result?;
            }
        }
        let rest = it.remaining();
        if !failed && !rest.is_empty() {
            self.problem(
                info,
                Problem {
                    offset: Some(base + bytes.len() - rest.len()),
                    reason: format!(
                        "{} trailing bytes after the last message (shorter than nlmsghdr)",
                        rest.len()
                    ),
                },
            )?;
        }
        Ok(())
    }

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
    fn file(
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
    fn file_error(&mut self, name: &str, why: &str) -> io::Result<()> {
        self.progress.clear();
        self.status.file_error = true;
        self.out.file_error();
        crate::diag!("nlwire: {name}: {why}")
    }
}

/// Reports the decode errors of a walk as problems (the walk's second run).
struct ProblemVisitor<'d, 'o, 'f> {
    decoder: &'d mut Decoder<'o>,
    info: &'d FrameInfo<'f>,
    base: usize,
    depth: usize,
    result: io::Result<()>,
}

impl Visitor for ProblemVisitor<'_, '_, '_> {
    fn field(&mut self, _: &str, _: Value<'_>) {}
    fn begin(&mut self, _: &str) {
        self.depth += 1;
    }
    fn end(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, e: nlwire::Error) {
        if self.result.is_ok() {
            self.result = self
                .decoder
                .problem(self.info, Problem::from_error(&e, self.base));
        }
    }
}

/// Frames of a file that hold no netlink.
#[derive(Debug, Default)]
struct Skipped {
    count: u64,
    first: Option<(u64, FrameError)>,
}

fn read_hex_arg(arg: &str) -> io::Result<String> {
    if arg == "-" {
        io::read_to_string(io::stdin())
    } else {
        Ok(arg.to_string())
    }
}

/// Run `nlwire decode`.
pub fn run(args: &DecodeArgs) -> ExitCode {
    let stdout = io::stdout().lock();
    let stdout = io::BufWriter::with_capacity(64 * 1024, stdout);
    let mut out: Box<dyn Output> = if args.json {
        Box::new(JsonOutput::new(stdout))
    } else if args.summary {
        Box::new(SummaryOutput::new(stdout))
    } else {
        Box::new(TextOutput::new(stdout))
    };
    let mut d = Decoder {
        out: out.as_mut(),
        mode: if args.strict {
            Mode::Strict
        } else {
            Mode::Lenient
        },
        order: args.byte_order,
        family: args.family,
        scratch: Vec::new(),
        status: Status::default(),
        progress: Progress::new(),
        contexts: context::Contexts::default(),
        ids: Box::new(FamilyIds::new()),
    };
    for (id, name) in &args.genl_family {
        d.ids
            .insert(nlwire::family::NETLINK_GENERIC, *id, name.as_bytes());
    }
    let r = run_inner(args, &mut d);
    let status = d.status;
    let r = r.and_then(|()| out.finish());
    match r {
        Ok(()) => status.exit_code(),
        // A closed pipe (`nlwire decode | head`, or `2>&1 | head` when
        // stderr is closed) ends the run quietly, as SIGPIPE would; the
        // status says what was found until then.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => status.exit_code(),
        Err(e) => {
            let _ = crate::diag!("nlwire: cannot write output: {e}");
            ExitCode::from(2)
        }
    }
}

fn run_inner(args: &DecodeArgs, d: &mut Decoder<'_>) -> io::Result<()> {
    if let Some(h) = &args.hex {
        let text = match read_hex_arg(h) {
            Ok(t) => t,
            Err(e) => {
                d.status.file_error = true;
                return crate::diag!("nlwire: --hex -: cannot read stdin: {e}");
            }
        };
        let parsed = hex::parse_hex(&text);
        drop(text);
        let bytes = match parsed {
            Ok(b) => b,
            Err(e) => {
                d.status.file_error = true;
                return crate::diag!("nlwire: --hex: {e}");
            }
        };
        let info = FrameInfo {
            file: None,
            number: None,
            time: None,
            family: args.family.unwrap_or(0),
            order: ByteOrder::HOST,
            link: None,
            caplen: bytes.len(),
            origlen: bytes.len(),
        };
        return d.netlink(info, &bytes);
    }
    if args.files.is_empty() {
        return d.file(
            DEFAULT_SAMPLE_NAME,
            Box::new(DEFAULT_SAMPLE),
            Some(DEFAULT_SAMPLE.len() as u64),
        );
    }
    for path in &args.files {
        let name = path.display().to_string();
        match crate::capture::open_input(path) {
            Ok((f, size)) => d.file(&name, f, size)?,
            Err(e) => d.file_error(&name, &e.to_string())?,
        }
    }
    Ok(())
}

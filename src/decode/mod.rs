//! `nlwire decode`: decode netlink messages from pcap/pcapng captures or
//! from hex, as a text tree, JSON lines or a summary.
//!
//! Exit status: 0 when everything decoded; 1 when something was malformed
//! (each problem is reported on stderr with its frame number, offset and
//! reason, and decoding goes on); 2 for usage errors and files that cannot
//! be read or are not netlink captures.

//!
//! Files: `args` (the command line), `decoder` (one frame's netlink bytes:
//! byte order, messages, problems), `input` (capture files frame by frame),
//! `context` (what a request tells about its replies), `progress`, `hex`.

use std::io;
use std::process::ExitCode;

use nlwire::family_ids::FamilyIds;
use nlwire::swap::ByteOrder;
use nlwire::Mode;

use crate::output::json::JsonOutput;
use crate::output::summary::SummaryOutput;
use crate::output::text::TextOutput;
use crate::output::{FrameInfo, Output};
use decoder::Decoder;

mod args;
mod context;
mod decoder;
pub mod hex;
mod input;
mod progress;

pub use args::{parse_family, DecodeArgs, OrderArg};
use progress::{Progress, Status};

/// The built-in sample decoded when no file is given: a dump of TCP sockets
/// with `tcp_info`, recorded from a live kernel by `cargo run --example
/// make_samples` (see `samples/README.md`).
pub const DEFAULT_SAMPLE: &[u8] = include_bytes!("../../samples/tcp_info.pcap");
/// The name shown for [`DEFAULT_SAMPLE`].
pub const DEFAULT_SAMPLE_NAME: &str = "<built-in sample: samples/tcp_info.pcap>";
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

//! The decoder's state across frames, and what it does with the netlink
//! bytes of one frame: byte order, messages, the registry's decode and
//! walk, problems reported on stderr and to the output.

use std::io;

use nlwire::decode::{decode_ctx, Context};
use nlwire::family_ids::FamilyIds;
use nlwire::netlink::Messages;
use nlwire::netlink::{Scope, Selectors};
use nlwire::registry::Registry;
use nlwire::swap::{detect_order, swap_message_in, ByteOrder};
use nlwire::value::{Value, Visitor, Walk};
use nlwire::Mode;

use super::args::OrderArg;
use super::context;
use super::progress::{Progress, Status};
use crate::output::{FrameInfo, MsgInfo, Output, Problem, Tee};

/// The decoder's state across frames.
pub(super) struct Decoder<'o> {
    pub(super) out: &'o mut dyn Output,
    pub(super) mode: Mode,
    pub(super) order: OrderArg,
    pub(super) family: Option<u16>,
    pub(super) scratch: Vec<u8>,
    pub(super) status: Status,
    pub(super) progress: Progress,
    pub(super) contexts: context::Contexts,
    /// Generic netlink family ids: `--genl-family`, then every
    /// `CTRL_CMD_NEWFAMILY`/`CTRL_CMD_DELFAMILY` seen (bounded table).
    pub(super) ids: Box<FamilyIds>,
}

impl Decoder<'_> {
    /// Report a problem on stderr and to the output. `Err` when stdout
    /// cannot be written or stderr is a closed pipe (decoding stops).
    pub(super) fn problem(&mut self, f: &FrameInfo<'_>, p: Problem) -> io::Result<()> {
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
    pub(super) fn netlink(&mut self, mut info: FrameInfo<'_>, netlink: &[u8]) -> io::Result<()> {
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
            // by their own tables; a reply converts with what its request
            // said (an MPTCP dump's INET_DIAG_INFO is struct mptcp_info).
            let contexts = &self.contexts;
            let family = info.family;
            swap_message_in(
                &Registry::DEFAULT,
                Some(&self.ids),
                family,
                &mut scratch,
                &|seq| contexts.for_reply(family, seq),
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
            if self.out.counts_errors() {
                self.out.message(info, &msg, &mut |v| d.walk(v))?;
                errors = self.out.walk_errors();
            } else {
                self.out.message(info, &msg, &mut |v| {
                    let mut tee = Tee {
                        inner: v,
                        errors: 0,
                    };
                    d.walk(&mut tee);
                    errors = tee.errors;
                })?;
            }
            if errors > 0 {
                // Walk again to report them (keeping them would take memory
                // without bound).
                let mut r = ProblemVisitor {
                    decoder: self,
                    info,
                    base,
                    depth: 0,
                    result: Ok(()),
                    scope: Scope::new(),
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
}

/// Reports the decode errors of a walk as problems (the walk's second run).
struct ProblemVisitor<'d, 'o, 'f> {
    decoder: &'d mut Decoder<'o>,
    info: &'d FrameInfo<'f>,
    base: usize,
    depth: usize,
    result: io::Result<()>,
    scope: Scope,
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
        let e = self.scope.rebase(e);
        if self.result.is_ok() {
            self.result = self
                .decoder
                .problem(self.info, Problem::from_error(&e, self.base));
        }
    }
    fn scope(&mut self) -> Option<&mut Scope> {
        Some(&mut self.scope)
    }
}

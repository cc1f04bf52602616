//! The bytecode `Emitter` (labels, forward jumps, the audit in `finish`)
//! driven by a program of emitter calls read from the input, checked
//! against a model that knows where each label was bound.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nlwire::families::sock_diag::bytecode::{
    audit, Emitter, HostCond, Insn, Label, PortOp, Program, Side,
};
use nlwire::netlink::{Sink, SliceSink};
use nlwire::value::Walk;

use super::{check_error, CheckVisitor};

/// A byte reader that yields zeros once the input is used up.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }
    fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.u8(), self.u8()])
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
}

fn insn(b: &mut Bytes<'_>) -> Insn {
    let side = |x: u8| if x & 1 == 0 { Side::Src } else { Side::Dst };
    match b.u8() % 9 {
        0 => Insn::Nop,
        1 => Insn::Jmp,
        2 => Insn::Auto,
        3 => {
            let x = b.u8();
            let op = [PortOp::Ge, PortOp::Le, PortOp::Eq][usize::from(x >> 1) % 3];
            Insn::Port {
                side: side(x),
                op,
                port: b.u16(),
            }
        }
        4 => {
            let x = b.u8();
            let addr = match (x >> 1) % 3 {
                0 => None,
                1 => Some(IpAddr::V4(Ipv4Addr::from(b.u32()))),
                _ => Some(IpAddr::V6(Ipv6Addr::from(
                    (u128::from(b.u32()) << 96) | u128::from(b.u32()),
                ))),
            };
            Insn::Host {
                side: side(x),
                cond: HostCond {
                    addr,
                    prefix_len: b.u8(),
                    port: i32::from(b.u16() as i16),
                },
            }
        }
        5 => Insn::Dev { ifindex: b.u32() },
        6 => Insn::Mark {
            mark: b.u32(),
            mask: b.u32(),
        },
        7 => Insn::Cgroup {
            id: u64::from(b.u32()) << 32 | u64::from(b.u32()),
        },
        _ => Insn::Raw,
    }
}

/// Byte 0: the sink (bit 0: a slice of `byte 1 * 4` bytes, else a `Vec`);
/// then calls until the input ends: `label`, `bind`, `insn`, `jmp`, `nop`.
/// Whatever `finish` returns must be a program that passes the audit, whose
/// every `no` lands where the model says its label was bound.
pub fn target_bytecode_emit(data: &[u8]) {
    let mut b = Bytes(data);
    let slice = b.u8() & 1 != 0;
    let size = usize::from(b.u8()) * 4;
    let mut buf = vec![0xa5u8; size];
    // Model: for each emitted command, its offset, length and label.
    let mut cmds: Vec<(usize, usize, Label)> = Vec::new();
    let mut bound: Vec<Option<usize>> = Vec::new();
    let mut labels: Vec<Label> = Vec::new();
    let mut len = 0usize;
    let result = {
        macro_rules! drive {
            ($e:expr) => {{
                let mut e = $e;
                let mut failed = false;
                let mut steps = 0;
                while !b.0.is_empty() && steps < 256 {
                    steps += 1;
                    let pick = |b: &mut Bytes<'_>, labels: &[Label]| match b.u8() % 4 {
                        0 => Label::ACCEPT,
                        1 => Label::REJECT,
                        _ if labels.is_empty() => Label::ACCEPT,
                        _ => labels[usize::from(b.u8()) % labels.len()],
                    };
                    let r = match b.u8() % 5 {
                        0 => e.label().map(|l| {
                            labels.push(l);
                            bound.push(None);
                        }),
                        1 => {
                            let i = usize::from(b.u8());
                            let l = labels.get(i % labels.len().max(1)).copied();
                            let r = e.bind(l.unwrap_or(Label::ACCEPT));
                            if r.is_ok() {
                                let i = i % labels.len();
                                assert!(bound[i].is_none(), "label bound twice");
                                bound[i] = Some(len);
                            }
                            r
                        }
                        k => {
                            let ins = match k {
                                2 => insn(&mut b),
                                3 => Insn::Jmp,
                                _ => Insn::Nop,
                            };
                            let to = if k == 4 { Label::REJECT } else { pick(&mut b, &labels) };
                            let r = if k == 3 {
                                e.jmp(to)
                            } else if k == 4 {
                                e.nop()
                            } else {
                                e.insn(ins, to)
                            };
                            if r.is_ok() {
                                let n = ins.encoded_len().expect("emitted");
                                cmds.push((len, n, to));
                                len += n;
                            }
                            r
                        }
                    };
                    assert_eq!(e.len(), len, "Emitter::len and the model differ");
                    assert_eq!(e.is_empty(), len == 0);
                    if let Err(err) = r {
                        check_error(&err, usize::MAX);
                        failed = true;
                        break;
                    }
                }
                (failed, e.finish().map(|s| s.written().to_vec()))
            }};
        }
        if slice {
            drive!(Emitter::new(SliceSink::new(&mut buf)))
        } else {
            drive!(Emitter::new(Vec::new()))
        }
    };
    let (failed, finished) = result;
    let out = match finished {
        Ok(out) => out,
        Err(e) => {
            check_error(&e, usize::MAX);
            return;
        }
    };
    if failed {
        return;
    }
    let out = &out[..];
    assert_eq!(out.len(), len);
    audit(out).expect("Emitter::finish returned a program the audit refuses");
    let p = Program::new(out);
    let mut v = CheckVisitor::new(out.len());
    p.walk(&mut v);
    v.finish();
    let got: Vec<(usize, usize)> = p.iter().map(|i| (i.offset, i.no_target())).collect();
    let want: Vec<(usize, usize)> = cmds
        .iter()
        .map(|&(at, _, to)| {
            let target = if to == Label::ACCEPT {
                len
            } else if to == Label::REJECT {
                len + 4
            } else {
                let i = labels.iter().position(|&l| l == to).expect("known label");
                bound[i].expect("finish accepted an unbound label")
            };
            (at, target)
        })
        .collect();
    // NOP's `no` is never read by the kernel; compare the jumps that matter.
    for ((g, w), c) in got.iter().zip(&want).zip(&cmds) {
        assert_eq!(g.0, w.0, "command offsets differ");
        let nop = out.get(c.0).copied() == Some(0);
        if !nop {
            assert_eq!(g.1, w.1, "a jump does not land on its label");
        }
    }
    assert_eq!(got.len(), want.len());
}

/// Seeds: a few hand-written emitter programs (byte 0 sink, byte 1 size,
/// then calls: 0 label, 1 bind i, 2 insn KIND ARGS… LABEL, 3 jmp LABEL, 4 nop;
/// a label is 0 accept, 1 reject, 2/3 then an index).
pub fn emit_seeds() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        // The doc example: label; sport >= / <=, else other; jmp accept;
        // bind other; dport ==, else reject.
        (
            "range-or-port",
            vec![
                0, 0, 0, 2, 3, 0, 0xe8, 3, 2, 0, 2, 3, 2, 0xd0, 7, 2, 0, 3, 0, 1, 0, 2, 3, 5, 22,
                0, 1,
            ],
        ),
        // Every kind of command into a 64-byte slice.
        (
            "every-insn-slice",
            vec![
                1, 16, 0, 4, 2, 0, 0, 4, 2, 0, 2, 2, 0, 2, 3, 1, 80, 0, 0, 2, 4, 2, 127, 0, 0, 1,
                8, 0, 0, 0, 2, 4, 5, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 64, 0, 0, 0,
                2, 5, 1, 0, 0, 0, 0, 2, 6, 1, 0, 0, 0, 255, 0, 0, 0, 0, 2, 7, 1, 2, 3, 4, 5, 6, 7,
                8, 0, 1, 0, 4,
            ],
        ),
        // Too small a slice, an unbound label, a label bound twice, Raw.
        (
            "slice-too-small",
            vec![1, 1, 2, 6, 1, 0, 0, 0, 1, 0, 0, 0, 0],
        ),
        ("unbound-label", vec![0, 0, 0, 2, 2, 2, 2, 0]),
        ("bound-twice", vec![0, 0, 0, 2, 1, 0, 1, 0]),
        ("raw", vec![0, 0, 2, 8, 0]),
    ]
}

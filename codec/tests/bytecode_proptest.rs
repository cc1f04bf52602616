//! Property tests for inet_diag bytecode:
//!
//! - random `ss` filter trees compile to programs the audit accepts, that
//!   decode fully, round-trip through the text form, and, run by the
//!   kernel's interpreter, decide every socket as the tree does;
//! - random bytes and random structured programs never panic the audit,
//!   the iterator, the printer, the walk or the interpreter; their text form
//!   assembles back to the same bytes; the audit's verdict equals a literal
//!   transcription of the kernel's `inet_diag_bc_audit`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use nlwire::families::sock_diag::bytecode::*;
use nlwire::value::{Value, Visitor, Walk};
use nlwire::Error;
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Small pools, so that random conditions and random sockets often meet.

const PORTS: [u16; 6] = [0, 1, 22, 80, 1024, 65535];
const V4: [[u8; 4]; 4] = [
    [10, 0, 0, 1],
    [10, 0, 0, 2],
    [127, 0, 0, 1],
    [192, 168, 1, 1],
];

fn v6_pool() -> [Ipv6Addr; 4] {
    [
        Ipv6Addr::LOCALHOST,
        Ipv4Addr::new(10, 0, 0, 1).to_ipv6_mapped(),
        Ipv4Addr::new(127, 0, 0, 1).to_ipv6_mapped(),
        Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
    ]
}

fn port() -> impl Strategy<Value = u16> {
    prop_oneof![prop::sample::select(&PORTS[..]), any::<u16>()]
}

fn v4() -> impl Strategy<Value = Ipv4Addr> {
    prop::sample::select(&V4[..]).prop_map(Ipv4Addr::from)
}

fn v6() -> impl Strategy<Value = Ipv6Addr> {
    prop::sample::select(v6_pool().to_vec())
}

fn host_cond() -> impl Strategy<Value = HostCond> {
    let p = prop_oneof![Just(-1i32), port().prop_map(i32::from)];
    prop_oneof![
        p.clone().prop_map(|port| HostCond {
            addr: None,
            prefix_len: 0,
            port
        }),
        (v4(), 0u8..=32, p.clone()).prop_map(|(a, prefix_len, port)| HostCond {
            addr: Some(IpAddr::V4(a)),
            prefix_len,
            port
        }),
        (v6(), 0u8..=128, p).prop_map(|(a, prefix_len, port)| HostCond {
            addr: Some(IpAddr::V6(a)),
            prefix_len,
            port
        }),
    ]
}

fn leaf() -> impl Strategy<Value = Filter> {
    prop_oneof![
        Just(Filter::True),
        Just(Filter::Auto),
        port().prop_map(Filter::SportGe),
        port().prop_map(Filter::SportLe),
        port().prop_map(Filter::SportEq),
        port().prop_map(Filter::DportGe),
        port().prop_map(Filter::DportLe),
        port().prop_map(Filter::DportEq),
        host_cond().prop_map(Filter::Src),
        host_cond().prop_map(Filter::Dst),
        (0u32..3).prop_map(Filter::Dev),
        (0u32..4, prop_oneof![Just(u32::MAX), Just(0x3u32), Just(0)])
            .prop_map(|(mark, mask)| Filter::Mark { mark, mask }),
        (0u64..3).prop_map(Filter::Cgroup),
    ]
}

fn filter() -> impl Strategy<Value = Filter> {
    leaf().prop_recursive(6, 40, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a.and(b)),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| a.or(b)),
            inner.prop_map(|a| !a),
        ]
    })
}

fn entry() -> impl Strategy<Value = SockEntry> {
    let addrs = prop_oneof![
        (v4(), v4()).prop_map(|(s, d)| (IpAddr::V4(s), IpAddr::V4(d))),
        (v6(), v6()).prop_map(|(s, d)| (IpAddr::V6(s), IpAddr::V6(d))),
    ];
    (
        addrs,
        port(),
        port(),
        0u32..3,
        prop_oneof![Just(0u16), Just(SOCK_BINDPORT_LOCK), any::<u16>()],
        0u32..8,
        0u64..3,
    )
        .prop_map(
            |((src, dst), sport, dport, ifindex, userlocks, mark, cgroup_id)| SockEntry {
                src,
                dst,
                sport,
                dport,
                ifindex,
                userlocks,
                mark,
                cgroup_id,
            },
        )
}

// ---------------------------------------------------------------------------
// A literal transcription of the kernel's audit (net/ipv4/inet_diag.c), in
// the kernel's int arithmetic, walking valid_cc from the start. Reads the
// kernel would make past the attribute only happen when the length is not a
// multiple of 4, which it refuses whatever it reads; here they refuse.

fn k_valid_cc(bc: &[u8], mut len: i64, cc: i64) -> bool {
    let mut pos = 0usize;
    while len >= 0 {
        if cc > len {
            return false;
        }
        if cc == len {
            return true;
        }
        let Some(&yes) = bc.get(pos + 1) else {
            return false;
        };
        if yes < 4 || yes & 3 != 0 {
            return false;
        }
        len -= i64::from(yes);
        pos += usize::from(yes);
    }
    false
}

fn kernel_audit(bc: &[u8]) -> bool {
    let bytecode_len = bc.len() as i64;
    if bytecode_len < 4 {
        return false;
    }
    let mut pos = 0usize;
    let mut len = bytecode_len;
    while len > 0 {
        let (Some(&code), Some(&yes), Some(no)) =
            (bc.get(pos), bc.get(pos + 1), bc.get(pos + 2..pos + 4))
        else {
            return false;
        };
        let yes = i64::from(yes);
        let no = i64::from(u16::from_ne_bytes([no[0], no[1]]));
        let mut min_len: i64 = 4;
        match code {
            7 | 8 => {
                min_len += 8;
                if len < min_len {
                    return false;
                }
                let addr_len = match bc[pos + 4] {
                    0 => 0,
                    2 => 4,
                    10 => 16,
                    _ => return false,
                };
                min_len += addr_len;
                if len < min_len {
                    return false;
                }
                if i64::from(bc[pos + 5]) > 8 * addr_len {
                    return false;
                }
            }
            9 => {
                min_len += 4;
                if len < min_len {
                    return false;
                }
            }
            11 | 2 | 3 | 12 | 4 | 5 => {
                min_len += 4;
                if len < min_len {
                    return false;
                }
            }
            10 | 13 => {
                min_len += 8;
                if len < min_len {
                    return false;
                }
            }
            6 | 1 | 0 => {}
            _ => return false,
        }
        if code != 0 {
            if no < min_len || no > len + 4 || no & 3 != 0 {
                return false;
            }
            if no < len && !k_valid_cc(bc, bytecode_len, len - no) {
                return false;
            }
        }
        if yes < min_len || yes > len + 4 || yes & 3 != 0 {
            return false;
        }
        pos += yes as usize;
        len -= yes;
    }
    len == 0
}

/// One command of [`structured_program`]: code, operands, `yes` if not
/// its length, and `no` as a target index or a raw value.
type Cmd = (u8, Vec<u8>, Option<u8>, Result<prop::sample::Index, u16>);

/// Random programs with structure: a few commands with plausible
/// operands, `yes` mostly the command's length and `no` mostly a command
/// boundary, the end, or one past it — and some of everything else.
fn structured_program() -> impl Strategy<Value = Vec<u8>> {
    let one = (
        prop_oneof![8 => 0u8..14, 1 => 14u8..=255],
        prop_oneof![3 => Just(0u8), 3 => Just(2), 3 => Just(10), 1 => Just(1)],
        any::<u8>(),
        prop_oneof![4 => Just(vec![0x10, 0, 0x16, 0]), 1 => prop::collection::vec(any::<u8>(), 0..8)],
        prop_oneof![6 => Just(None), 1 => any::<u8>().prop_map(Some)],
        prop_oneof![6 => any::<prop::sample::Index>().prop_map(Ok), 1 => any::<u16>().prop_map(Err)],
    );
    (
        prop::collection::vec(one, 1..7),
        prop::bool::weighted(0.125),
    )
        .prop_map(|(ops, truncate)| {
            let mut cmds: Vec<Cmd> = Vec::new();
            for (code, family, prefix, junk, yes, no) in ops {
                let mut body = Vec::new();
                match code {
                    2..=5 | 11 | 12 | 9 => body.extend_from_slice(&junk[..junk.len().min(4)]),
                    7 | 8 => {
                        let alen = match family {
                            0 => 0,
                            10 => 16,
                            _ => 4,
                        };
                        let max = 8 * alen as u8;
                        body.extend_from_slice(&[
                            family,
                            if prefix % 4 != 0 {
                                prefix % (max + 1).max(1)
                            } else {
                                prefix
                            },
                            0,
                            0,
                        ]);
                        body.extend_from_slice(&[0xff; 4]);
                        body.resize(8 + alen, 0x0a);
                    }
                    10 | 13 => body.extend_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8]),
                    _ => {}
                }
                while body.len() % 4 != 0 {
                    body.push(0);
                }
                cmds.push((code, body, yes, no));
            }
            let lens: Vec<usize> = cmds.iter().map(|c| 4 + c.1.len()).collect();
            let total: usize = lens.iter().sum();
            let mut out = Vec::new();
            let mut off = 0;
            for (i, (code, body, yes, no)) in cmds.into_iter().enumerate() {
                let yes = yes.unwrap_or(lens[i] as u8);
                let no = match no {
                    Ok(ix) => {
                        // Boundaries (four times, to weigh them), the two ends, and
                        // every aligned offset, inside commands included.
                        let mut targets: Vec<usize> = vec![total, total + 4];
                        let mut o = off;
                        for l in &lens[i..] {
                            o += l;
                            targets.extend([o, o, o, o]);
                        }
                        targets.extend((off + 4..total).step_by(4));
                        (ix.get(&targets) - off) as u16
                    }
                    Err(n) => n,
                };
                out.push(code);
                out.push(yes);
                out.extend_from_slice(&no.to_ne_bytes());
                out.extend_from_slice(&body);
                off += lens[i];
            }
            if truncate && out.len() > 1 {
                out.pop();
            }
            out
        })
}

struct Null(usize);
impl Visitor for Null {
    fn field(&mut self, _: &str, _: Value<'_>) {}
    fn begin(&mut self, _: &str) {
        self.0 += 1;
    }
    fn end(&mut self) {
        self.0 -= 1;
    }
    fn depth(&self) -> usize {
        self.0
    }
    fn error(&mut self, _: Error) {}
}

/// Everything that reads a program, on any bytes.
fn exercise(bytes: &[u8], e: &SockEntry) -> Result<(), TestCaseError> {
    let p = Program::new(bytes);
    let verdict = audit(bytes);
    prop_assert_eq!(
        verdict.is_ok(),
        kernel_audit(bytes),
        "audit {:?} on {:02x?}",
        verdict,
        bytes
    );
    let mut covered = 0;
    for i in p.iter() {
        prop_assert_eq!(i.offset, covered);
        covered += i.len();
        if verdict.is_ok() {
            prop_assert!(i.insn != Insn::Raw, "an accepted program decodes fully");
        }
    }
    prop_assert_eq!(covered + p.trailing().len(), bytes.len());
    let text = p.to_string();
    prop_assert_eq!(
        assemble_vec(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?,
        bytes
    );
    let mut v = Null(0);
    p.walk(&mut v);
    prop_assert_eq!(v.0, 0);
    let _ = p.run(e);
    let mut swapped = bytes.to_vec();
    Program::swap_order(&mut swapped);
    Program::swap_order(&mut swapped);
    prop_assert_eq!(swapped, bytes);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn filters_compile_to_audited_programs_that_decide_as_the_tree(
        f in filter(),
        entries in prop::collection::vec(entry(), 8),
    ) {
        let bytes = f.compile().map_err(|e| TestCaseError::fail(format!("{e}: {f:?}")))?;
        prop_assert!(audit(&bytes).is_ok());
        prop_assert!(kernel_audit(&bytes));
        let p = Program::new(&bytes);
        for i in p.iter() {
            prop_assert!(i.insn != Insn::Raw);
        }
        prop_assert_eq!(assemble_vec(&p.to_string()).unwrap(), bytes.clone());
        for e in &entries {
            prop_assert_eq!(p.run(e), f.eval(e), "{:?} on {:?}\n{}", f, e, p);
        }
        exercise(&bytes, &entries[0])?;
    }

    #[test]
    fn random_bytes_never_panic_and_round_trip(bytes in prop::collection::vec(any::<u8>(), 0..96), e in entry()) {
        exercise(&bytes, &e)?;
    }

    #[test]
    fn structured_programs_match_the_kernel_audit(bytes in structured_program(), e in entry()) {
        exercise(&bytes, &e)?;
    }

    #[test]
    fn emitted_leaves_decode_to_themselves(f in leaf()) {
        let insn = f.leaf_insn().unwrap();
        let mut e = Emitter::new(Vec::new());
        e.insn(insn, Label::REJECT).unwrap();
        let bytes = e.finish().unwrap();
        prop_assert_eq!(&bytes, &f.compile().unwrap());
        let got = Program::new(&bytes).iter().next().unwrap();
        prop_assert_eq!(got.insn, insn);
        prop_assert_eq!(Some(got.len()), insn.encoded_len());
    }
}

//! [`Filter`]: the expression tree of an `ss` filter, compiled to bytecode
//! exactly as iproute2's `ssfilter_bytecompile` (`misc/ss.c`) does it.
//!
//! Each leaf compiles to one command whose `no` is its own length plus 4 —
//! one op past its end, "reject" when the leaf is the whole program — and
//! whose `yes` falls through. The combinators then work on those relative
//! "reject" jumps:
//!
//! - `And(a, b)`: `a` then `b`; every command of `a` whose `no` lands one op
//!   past `a`'s end is moved `len(b)` further (`ssfilter_patch`), so that a
//!   failure in `a` is still a failure of the whole.
//! - `Or(a, b)`: `a`, then `JMP {4, len(b) + 4}`, then `b`: a failure in `a`
//!   lands one op past `a`'s end, on `b`; success falls onto the `JMP`,
//!   which skips `b` to the end (accept).
//! - `Not(a)`: `a`, then `JMP {4, 8}`: a failure in `a` lands one op past
//!   `a`'s end, which is now the end (accept); success falls onto the `JMP`,
//!   which jumps one op past the end (reject).

use alloc::boxed::Box;
use alloc::vec::Vec;

use super::audit::audit;
use super::interp::host_matches;
use super::interp::insn_matches;
use super::interp::SockEntry;
use super::program::{HostCond, Insn, PortOp, Side, OP_LEN};
use super::reason;
use crate::netlink::{Sink, NLA_MAX_PAYLOAD};
use crate::{Error, ErrorKind, Result};

/// An `ss` filter expression (iproute2's `struct ssfilter`).
///
/// The leaves are what `ss`'s grammar (`misc/ssfilter.y`) produces;
/// comparisons it writes with negation are built the same way here:
/// `sport > :N` is `Not(SportLe(N))` ([`Filter::sport_gt`]), `sport < :N`
/// is `Not(SportGe(N))`, `sport != :N` is `Not(SportEq(N))`.
///
/// ```
/// use nlwire::families::sock_diag::bytecode::Filter;
/// // ss -tn 'dport >= :1024 and dport <= :2048'
/// let f = Filter::DportGe(1024).and(Filter::DportLe(2048));
/// # #[cfg(target_endian = "little")]
/// assert_eq!(f.compile().unwrap(), [0x04, 0x08, 0x14, 0x00, 0x00, 0x00, 0x00, 0x04,
///                                   0x05, 0x08, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x08]);
/// ```
///
/// Depth: compiling ([`Filter::compile_into`]), evaluating
/// ([`Filter::eval`]) and dropping are iterative, so a tree of any depth
/// (a parser's long `or` chain, thousands of `not`s) neither overflows the
/// stack nor compiles past what one attribute can carry. The derived
/// `Clone`, `PartialEq`, `Hash` and `Debug` do recurse: keep them for trees
/// of modest depth.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Filter {
    /// Every socket: `INET_DIAG_BC_NOP {4, 8}` (`ss` has no such leaf; an
    /// empty filter sends no bytecode at all).
    True,
    /// `autobound`: `INET_DIAG_BC_AUTO {4, 8}`.
    Auto,
    /// `sport >= :N`: `INET_DIAG_BC_S_GE {8, 12}` + `{0, 0, N}`.
    SportGe(u16),
    /// `sport <= :N`: `INET_DIAG_BC_S_LE {8, 12}` + `{0, 0, N}`.
    SportLe(u16),
    /// `sport = :N`: as `ss` sends it, a host condition on the port only
    /// (`INET_DIAG_BC_S_COND`, `AF_UNSPEC`), not `INET_DIAG_BC_S_EQ`.
    SportEq(u16),
    /// `dport >= :N`: `INET_DIAG_BC_D_GE {8, 12}` + `{0, 0, N}`.
    DportGe(u16),
    /// `dport <= :N`: `INET_DIAG_BC_D_LE {8, 12}` + `{0, 0, N}`.
    DportLe(u16),
    /// `dport = :N`: `INET_DIAG_BC_D_COND`, `AF_UNSPEC`, port N.
    DportEq(u16),
    /// `src PREFIX[:PORT]`: `INET_DIAG_BC_S_COND`. A name that resolves to
    /// several addresses is an `Or` chain of these (`ss` emits the same bytes
    /// for its address lists).
    Src(HostCond),
    /// `dst PREFIX[:PORT]`: `INET_DIAG_BC_D_COND`.
    Dst(HostCond),
    /// `dev = IFINDEX`: `INET_DIAG_BC_DEV_COND {8, 12}` + `u32`. iproute2
    /// does not compile device conditions (its `ssfilter_bytecompile`
    /// returns 0 and then sends no bytecode, filtering in user space); this
    /// compiles them the way it compiles its other leaves. See
    /// [`Filter::iproute2_compiles`].
    Dev(u32),
    /// `fwmark = MARK/MASK`: `INET_DIAG_BC_MARK_COND {12, 16}` +
    /// `inet_diag_markcond`.
    Mark {
        /// Value of the masked mark.
        mark: u32,
        /// Bits compared.
        mask: u32,
    },
    /// `cgroup PATH` (by id): `INET_DIAG_BC_CGROUP_COND {12, 16}` + `u64`.
    Cgroup(u64),
    /// Both.
    And(Box<Filter>, Box<Filter>),
    /// Either.
    Or(Box<Filter>, Box<Filter>),
    /// Not.
    Not(Box<Filter>),
}

impl Drop for Filter {
    /// Iterative: the compiler's default drop would recurse once per level
    /// and overflow the stack on a deep tree. Children are moved onto a
    /// heap stack (replaced by leaves) before their parent is dropped.
    fn drop(&mut self) {
        fn take(f: &mut Filter, todo: &mut Vec<Filter>) {
            match f {
                Filter::And(a, b) | Filter::Or(a, b) => {
                    for c in [a, b] {
                        if c.is_combinator() {
                            todo.push(core::mem::replace(&mut **c, Filter::True));
                        }
                    }
                }
                Filter::Not(a) if a.is_combinator() => {
                    todo.push(core::mem::replace(&mut **a, Filter::True));
                }
                _ => {}
            }
        }
        let mut todo = Vec::new();
        take(self, &mut todo);
        while let Some(mut f) = todo.pop() {
            take(&mut f, &mut todo);
            // `f` now has only leaf children: dropping it recurses once.
        }
    }
}

impl core::ops::Not for Filter {
    type Output = Filter;
    fn not(self) -> Filter {
        Filter::Not(Box::new(self))
    }
}

impl Filter {
    /// `self and other`.
    #[must_use]
    pub fn and(self, other: Filter) -> Filter {
        Filter::And(Box::new(self), Box::new(other))
    }
    /// `self or other`.
    #[must_use]
    pub fn or(self, other: Filter) -> Filter {
        Filter::Or(Box::new(self), Box::new(other))
    }
    /// `sport > :N`, as `ss` builds it: `not sport <= :N`.
    pub fn sport_gt(port: u16) -> Filter {
        !Filter::SportLe(port)
    }
    /// `sport < :N`, as `ss` builds it: `not sport >= :N`.
    pub fn sport_lt(port: u16) -> Filter {
        !Filter::SportGe(port)
    }
    /// `sport != :N`, as `ss` builds it: `not sport = :N`.
    pub fn sport_ne(port: u16) -> Filter {
        !Filter::SportEq(port)
    }
    /// `dport > :N`: `not dport <= :N`.
    pub fn dport_gt(port: u16) -> Filter {
        !Filter::DportLe(port)
    }
    /// `dport < :N`: `not dport >= :N`.
    pub fn dport_lt(port: u16) -> Filter {
        !Filter::DportGe(port)
    }
    /// `dport != :N`: `not dport = :N`.
    pub fn dport_ne(port: u16) -> Filter {
        !Filter::DportEq(port)
    }

    /// `true` for `And`, `Or` and `Not`.
    fn is_combinator(&self) -> bool {
        matches!(self, Filter::And(..) | Filter::Or(..) | Filter::Not(..))
    }

    /// The single command a leaf compiles to (`None` for combinators).
    pub fn leaf_insn(&self) -> Option<Insn> {
        let port = |side, op, port| Insn::Port { side, op, port };
        Some(match *self {
            Filter::True => Insn::Nop,
            Filter::Auto => Insn::Auto,
            Filter::SportGe(p) => port(Side::Src, PortOp::Ge, p),
            Filter::SportLe(p) => port(Side::Src, PortOp::Le, p),
            Filter::DportGe(p) => port(Side::Dst, PortOp::Ge, p),
            Filter::DportLe(p) => port(Side::Dst, PortOp::Le, p),
            Filter::SportEq(p) => Insn::Host {
                side: Side::Src,
                cond: HostCond::port(p),
            },
            Filter::DportEq(p) => Insn::Host {
                side: Side::Dst,
                cond: HostCond::port(p),
            },
            Filter::Src(cond) => Insn::Host {
                side: Side::Src,
                cond,
            },
            Filter::Dst(cond) => Insn::Host {
                side: Side::Dst,
                cond,
            },
            Filter::Dev(ifindex) => Insn::Dev { ifindex },
            Filter::Mark { mark, mask } => Insn::Mark { mark, mask },
            Filter::Cgroup(id) => Insn::Cgroup { id },
            Filter::And(..) | Filter::Or(..) | Filter::Not(..) => return None,
        })
    }

    /// `false` if iproute2's `ssfilter_bytecompile` would give up on this
    /// tree (it contains a [`Filter::Dev`]): `ss` then sends no bytecode and
    /// filters every socket in user space.
    pub fn iproute2_compiles(&self) -> bool {
        let mut todo = alloc::vec![self];
        while let Some(f) = todo.pop() {
            match f {
                Filter::Dev(_) => return false,
                Filter::And(a, b) | Filter::Or(a, b) => todo.extend([&**a, &**b]),
                Filter::Not(a) => todo.push(a),
                _ => {}
            }
        }
        true
    }

    /// Evaluate the expression on one socket, each leaf as the kernel's
    /// `inet_diag_bc_run` evaluates its command. A compiled program run on
    /// the same socket ([`super::Program::run`]) gives the same answer.
    /// Iterative: any depth of tree.
    pub fn eval(&self, e: &SockEntry) -> bool {
        enum Step<'f> {
            Visit(&'f Filter),
            And,
            Or,
            Not,
        }
        let mut todo = alloc::vec![Step::Visit(self)];
        let mut vals: Vec<bool> = Vec::new();
        while let Some(step) = todo.pop() {
            match step {
                Step::Visit(Filter::And(a, b)) => {
                    todo.extend([Step::And, Step::Visit(b), Step::Visit(a)])
                }
                Step::Visit(Filter::Or(a, b)) => {
                    todo.extend([Step::Or, Step::Visit(b), Step::Visit(a)])
                }
                Step::Visit(Filter::Not(a)) => todo.extend([Step::Not, Step::Visit(a)]),
                Step::Visit(Filter::Src(c)) => vals.push(host_matches(Side::Src, c, e)),
                Step::Visit(Filter::Dst(c)) => vals.push(host_matches(Side::Dst, c, e)),
                Step::Visit(leaf) => vals.push(
                    leaf.leaf_insn()
                        .and_then(|i| insn_matches(&i, e))
                        .unwrap_or(false),
                ),
                Step::And | Step::Or => {
                    let (b, a) = (vals.pop().unwrap_or(false), vals.pop().unwrap_or(false));
                    vals.push(if matches!(step, Step::And) {
                        a && b
                    } else {
                        a || b
                    });
                }
                Step::Not => {
                    let a = vals.pop().unwrap_or(false);
                    vals.push(!a);
                }
            }
        }
        vals.pop().unwrap_or(false)
    }

    /// Compile to a new vector.
    pub fn compile(&self) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.compile_into(&mut out)?;
        Ok(out)
    }

    /// Compile into `sink` (after what it already holds); returns the
    /// program's length. The program is checked with the kernel's audit
    /// before this returns. Errors: a host condition whose prefix is longer
    /// than its address ([`ErrorKind::Invalid`]), a jump or program too long
    /// for `no` or for one attribute ([`ErrorKind::TooLong`]; compiling
    /// stops as soon as the program outgrows what a `no` can jump, a little
    /// past `INET_DIAG_REQ_BYTECODE`'s [`NLA_MAX_PAYLOAD`], so time and
    /// memory stay bounded whatever the tree), or the sink's own error. Iterative: any depth of tree (long
    /// `or` chains from a parser are deep on one side).
    pub fn compile_into<S: Sink>(&self, sink: &mut S) -> Result<usize> {
        enum Step<'f> {
            Visit(&'f Filter),
            /// `a` of `And(a, b)` is written from `at`: write `b`.
            AndMid(&'f Filter, usize),
            /// `a` is `at..mid`, `b` is `mid..`: patch `a`.
            AndEnd(usize, usize),
            /// `a` of `Or(a, b)` is written: leave room for the JMP, write `b`.
            OrMid(&'f Filter),
            /// The JMP is at `jmp`, `b` follows it: write the JMP.
            OrEnd(usize),
            /// `a` of `Not(a)` is written: append `JMP {4, 8}`.
            NotEnd,
        }
        let start = sink.len();
        let mut todo = alloc::vec![Step::Visit(self)];
        while let Some(step) = todo.pop() {
            // Past what a `no` can jump (and so past NLA_MAX_PAYLOAD): no
            // step can make the program valid again, stop here.
            let written = sink.len().saturating_sub(start);
            if written > usize::from(u16::MAX).saturating_add(OP_LEN) {
                return Err(Error::new(
                    ErrorKind::TooLong,
                    reason::TOO_LONG,
                    written,
                    NLA_MAX_PAYLOAD,
                ));
            }
            match step {
                Step::Visit(Filter::And(a, b)) => {
                    todo.extend([Step::AndMid(b, sink.len()), Step::Visit(a)])
                }
                Step::Visit(Filter::Or(a, b)) => todo.extend([Step::OrMid(b), Step::Visit(a)]),
                Step::Visit(Filter::Not(a)) => todo.extend([Step::NotEnd, Step::Visit(a)]),
                Step::Visit(leaf) => emit_leaf(leaf, sink)?,
                Step::AndMid(b, at) => todo.extend([Step::AndEnd(at, sink.len()), Step::Visit(b)]),
                Step::AndEnd(at, mid) => {
                    let l2 = sink.len().saturating_sub(mid);
                    let region = sink.written_mut().get_mut(at..mid).unwrap_or_default();
                    patch(region, l2)?;
                }
                Step::OrMid(b) => {
                    let jmp = sink.len();
                    sink.grow(OP_LEN, "inet_diag_bc_op")?;
                    todo.extend([Step::OrEnd(jmp), Step::Visit(b)]);
                }
                Step::OrEnd(jmp) => {
                    let l2 = sink.len().saturating_sub(jmp).saturating_sub(OP_LEN);
                    let no = u16::try_from(l2.saturating_add(OP_LEN))
                        .map_err(|_| too_long(l2.saturating_add(OP_LEN)))?;
                    let dst = sink
                        .written_mut()
                        .get_mut(jmp..jmp.saturating_add(OP_LEN))
                        .unwrap_or_default();
                    Insn::Jmp.encode(no, dst);
                }
                Step::NotEnd => {
                    let dst = sink.grow(OP_LEN, "inet_diag_bc_op")?;
                    Insn::Jmp.encode((OP_LEN as u16).saturating_mul(2), dst);
                }
            }
        }
        let program = sink.written().get(start..).unwrap_or_default();
        audit(program)?;
        Ok(program.len())
    }
}

/// One leaf: its command with `yes` = its length, `no` = its length + 4.
fn emit_leaf<S: Sink>(leaf: &Filter, sink: &mut S) -> Result<()> {
    let insn = leaf.leaf_insn().ok_or_else(|| Error::invalid("ssfilter"))?;
    if let Insn::Host { cond, .. } = insn {
        if !cond.is_valid() {
            return Err(Error::new(
                ErrorKind::Invalid,
                super::reason::HOSTCOND_PREFIX,
                cond.addr_len().saturating_mul(8),
                usize::from(cond.prefix_len),
            ));
        }
    }
    let len = insn
        .encoded_len()
        .ok_or_else(|| Error::invalid("ssfilter"))?;
    let dst = sink.grow(len, "inet_diag_bc_op")?;
    // `len` is at most 28, so `len + 4` fits `no`.
    insn.encode(len.saturating_add(OP_LEN) as u16, dst);
    Ok(())
}

fn too_long(no: usize) -> Error {
    Error::new(
        ErrorKind::TooLong,
        "inet_diag_bc_op.no",
        no,
        usize::from(u16::MAX),
    )
}

/// `ssfilter_patch`: in the program `a`, move every jump that lands one op
/// past its end (`no == remaining + 4`) by `reloc` bytes.
fn patch(a: &mut [u8], reloc: usize) -> Result<()> {
    let mut pos = 0usize;
    while pos < a.len() {
        let len = a.len().saturating_sub(pos);
        let (Some(&yes), Some(no)) = (
            a.get(pos.saturating_add(1)),
            a.get(pos.saturating_add(2)..pos.saturating_add(4))
                .and_then(|b| <[u8; 2]>::try_from(b).ok()),
        ) else {
            return Err(Error::invalid("inet_diag_bc_op").at(pos));
        };
        let no = usize::from(u16::from_ne_bytes(no));
        if no == len.saturating_add(OP_LEN) {
            let new = u16::try_from(no.saturating_add(reloc))
                .map_err(|_| too_long(no.saturating_add(reloc)))?;
            if let Some(b) = a.get_mut(pos.saturating_add(2)..pos.saturating_add(4)) {
                b.copy_from_slice(&new.to_ne_bytes());
            }
        }
        let yes = usize::from(yes);
        if yes < OP_LEN || yes > len {
            // ss aborts here; our own commands always have a usable `yes`.
            return Err(Error::invalid("inet_diag_bc_op.yes").at(pos));
        }
        pos = pos.saturating_add(yes);
    }
    Ok(())
}

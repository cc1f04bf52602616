//! The assembler of the text form: [`assemble`] reads what `Display` for
//! [`Program`](super::Program) prints back to the same bytes.
//!
//! The grammar is in the [module documentation](super).

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use core::str::FromStr;

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::{char, digit1, hex_digit1, space0, space1};
use nom::combinator::{eof, map, map_opt, map_res, opt, peek, value};
use nom::sequence::{delimited, preceded, terminated};
use nom::{IResult, Parser};

use super::operand::{Operand, OperandValue};
use super::ops::BcCode;
use super::program::{HostCond, OP_LEN};
use crate::netlink::Sink;
use crate::payload::copy_into;
use crate::{Error, ErrorKind, Result};

/// Why the assembler refused a line: the `what` of its error (offsets are
/// byte offsets into the text).
pub mod asm_reason {
    /// The line does not follow the grammar.
    pub const SYNTAX: &str = "bytecode text: syntax error";
    /// The mnemonic is neither a kernel name nor a number 0-255.
    pub const MNEMONIC: &str = "bytecode text: unknown mnemonic";
    /// The operands are missing, or given where the code takes none, or an
    /// unknown code is written without `raw`.
    pub const OPERANDS: &str = "bytecode text: operands do not fit the code";
    /// `yes` differs from the length of the decoded command.
    pub const YES_LENGTH: &str = "bytecode text: yes does not match the command's length (use raw)";
    /// The `OFFSET:` prefix is not where the command lands.
    pub const OFFSET: &str = "bytecode text: offset does not match the position";
    /// A hex string with an odd number of digits, or a `pad` that is not 2 bytes.
    pub const HEX: &str = "bytecode text: bad hex bytes";

    /// Where an assembler error is, for people: the 1-based line and
    /// column (in characters) of byte `offset` of `text` — the `offset` of
    /// the error [`super::assemble`] returned for that `text`. An offset
    /// past the end is placed just after the last character; one inside a
    /// multi-byte character counts as that character.
    ///
    /// ```
    /// use nlwire::families::sock_diag::bytecode::{asm_reason, assemble_vec};
    /// let text = "AUTO yes +4 no +8\n  FROB yes +4 no +8";
    /// let e = assemble_vec(text).unwrap_err();
    /// assert_eq!(e.what, asm_reason::MNEMONIC);
    /// assert_eq!(asm_reason::line_col(text, e.offset()), (2, 3));
    /// ```
    pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end = end.saturating_sub(1);
        }
        let before = text.get(..end).unwrap_or_default();
        let line = before.matches('\n').count().saturating_add(1);
        let line_start = before.rfind('\n').map_or(0, |i| i.saturating_add(1));
        let column = before
            .get(line_start..)
            .unwrap_or_default()
            .chars()
            .count()
            .saturating_add(1);
        (line, column)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tail<'t> {
    None,
    Extra(&'t str),
    Raw(&'t str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Line<'t> {
    Bytes(&'t str),
    Op {
        code: u8,
        operands: OperandValue,
        yes: u8,
        no: u16,
        tail: Tail<'t>,
    },
}

type PResult<'t, O> = IResult<&'t str, O>;

fn num_u64(i: &str) -> PResult<'_, u64> {
    alt((
        preceded(
            alt((tag("0x"), tag("0X"))),
            map_res(hex_digit1, |s: &str| u64::from_str_radix(s, 16)),
        ),
        map_res(digit1, |s: &str| s.parse::<u64>()),
    ))
    .parse(i)
}

fn num<T: TryFrom<u64>>(i: &str) -> PResult<'_, T> {
    map_res(num_u64, T::try_from).parse(i)
}

fn int_i32(i: &str) -> PResult<'_, i32> {
    map_opt((opt(char('-')), num_u64), |(neg, n)| {
        let n = i64::try_from(n).ok()?;
        i32::try_from(if neg.is_some() { n.checked_neg()? } else { n }).ok()
    })
    .parse(i)
}

fn mnemonic(i: &str) -> PResult<'_, u8> {
    map_opt(
        take_while1(|c: char| c.is_ascii_alphanumeric() || c == '_'),
        |s: &str| {
            if s.bytes().all(|b| b.is_ascii_digit()) {
                return s.parse::<u8>().ok();
            }
            let short = s.strip_prefix("INET_DIAG_BC_").unwrap_or(s);
            BcCode::ALL
                .iter()
                .find(|(_, n)| n.strip_prefix("INET_DIAG_BC_") == Some(short))
                .map(|(v, _)| *v)
        },
    )
    .parse(i)
}

fn addr(i: &str) -> PResult<'_, Option<IpAddr>> {
    alt((
        value(None, char('*')),
        map(
            delimited(
                char('['),
                map_res(
                    take_while1(|c: char| c.is_ascii_hexdigit() || c == ':' || c == '.'),
                    Ipv6Addr::from_str,
                ),
                char(']'),
            ),
            |a| Some(IpAddr::V6(a)),
        ),
        map(
            map_res(
                take_while1(|c: char| c.is_ascii_digit() || c == '.'),
                Ipv4Addr::from_str,
            ),
            |a| Some(IpAddr::V4(a)),
        ),
    ))
    .parse(i)
}

fn hex_pad(i: &str) -> PResult<'_, [u8; 2]> {
    map_opt(hex_digit1, |s: &str| {
        let mut out = [0u8; 2];
        (decode_hex(s, &mut out) == Some(2)).then_some(out)
    })
    .parse(i)
}

fn host_operands(i: &str) -> PResult<'_, OperandValue> {
    map(
        (
            addr,
            char('/'),
            num::<u8>,
            space1,
            tag("port"),
            space1,
            int_i32,
            opt(preceded((space1, tag("pad"), space1), hex_pad)),
        ),
        |(addr, _, prefix_len, _, _, _, port, pad)| OperandValue::Host {
            cond: HostCond {
                addr,
                prefix_len,
                port,
            },
            pad: pad.unwrap_or([0, 0]),
        },
    )
    .parse(i)
}

fn port_operands(i: &str) -> PResult<'_, OperandValue> {
    map(
        (
            num::<u16>,
            opt(preceded(
                (space1, tag("arg"), space1),
                (num::<u8>, preceded(space1, num::<u8>)),
            )),
        ),
        |(port, arg)| OperandValue::Port {
            port,
            arg: arg.map_or([0, 0], |(c, y)| [c, y]),
        },
    )
    .parse(i)
}

/// The operand syntax of each kind an op code declares
/// ([`BcCode::operand`]); unknown codes and [`Operand::None`] take none.
fn operands_for(kind: Option<Operand>) -> impl Fn(&str) -> PResult<'_, OperandValue> {
    move |i: &str| match kind {
        Some(Operand::PortOp) => port_operands(i),
        Some(Operand::HostCond) => host_operands(i),
        Some(Operand::Dev) => map(num::<u32>, OperandValue::Dev).parse(i),
        Some(Operand::Mark) => map((num::<u32>, char('/'), num::<u32>), |(mark, _, mask)| {
            OperandValue::Mark { mark, mask }
        })
        .parse(i),
        Some(Operand::Cgroup) => map(num::<u64>, OperandValue::Cgroup).parse(i),
        Some(Operand::None) | None => Err(nom::Err::Error(nom::error::Error::new(
            i,
            nom::error::ErrorKind::Verify,
        ))),
    }
}

fn tail(i: &str) -> PResult<'_, Tail<'_>> {
    map(
        opt(alt((
            map(
                preceded((space1, tag("extra"), space1), hex_digit1),
                Tail::Extra,
            ),
            map(
                preceded((space1, tag("raw")), opt(preceded(space1, hex_digit1))),
                |h: Option<&str>| Tail::Raw(h.unwrap_or("")),
            ),
        ))),
        |t| t.unwrap_or(Tail::None),
    )
    .parse(i)
}

fn op_line(i: &str) -> PResult<'_, Line<'_>> {
    let (i, code) = mnemonic(i)?;
    let (i, operands) = if peek((space1::<&str, nom::error::Error<&str>>, tag("yes")))
        .parse(i)
        .is_ok()
    {
        (i, OperandValue::None)
    } else {
        preceded(space1, operands_for(BcCode::from(code).operand())).parse(i)?
    };
    let (i, (_, _, _, yes, _, _, _, no)) = (
        space1,
        tag("yes"),
        (space1, char('+')),
        num::<u8>,
        space1,
        tag("no"),
        (space1, char('+')),
        num::<u16>,
    )
        .parse(i)?;
    let (i, tail) = tail(i)?;
    Ok((
        i,
        Line::Op {
            code,
            operands,
            yes,
            no,
            tail,
        },
    ))
}

/// `[OFFSET:] body` then only blanks: the offset and the line.
fn line(i: &str) -> PResult<'_, (Option<usize>, Line<'_>)> {
    terminated(
        (
            preceded(
                space0,
                opt(terminated(num::<usize>, (space0, char(':'), space0))),
            ),
            alt((
                map(preceded((tag(".bytes"), space1), hex_digit1), Line::Bytes),
                op_line,
            )),
        ),
        (space0, eof),
    )
    .parse(i)
}

/// Decode `hex` into the start of `out`; `None` for an odd length or too
/// small `out`.
fn decode_hex(hex: &str, out: &mut [u8]) -> Option<usize> {
    let h = hex.as_bytes();
    if h.len() % 2 != 0 {
        return None;
    }
    let n = h.len() / 2;
    for (k, pair) in h.chunks_exact(2).enumerate() {
        let s = core::str::from_utf8(pair).ok()?;
        *out.get_mut(k)? = u8::from_str_radix(s, 16).ok()?;
    }
    Some(n)
}

fn hex_len(hex: &str) -> Option<usize> {
    (hex.len() % 2 == 0).then_some(hex.len() / 2)
}

/// A line that did not parse: blame the mnemonic if that is what failed,
/// and then point at its first character (`Some`: its offset in `body`).
fn syntax_reason(body: &str) -> (&'static str, Option<usize>) {
    let after_offset = preceded(
        space0,
        opt(terminated(num::<usize>, (space0, char(':'), space0))),
    )
    .parse(body)
    .map(|(rest, _)| rest)
    .unwrap_or(body);
    if !after_offset.starts_with('.') && mnemonic(after_offset).is_err() {
        let at = body.len().saturating_sub(after_offset.len());
        (asm_reason::MNEMONIC, Some(at))
    } else {
        (asm_reason::SYNTAX, None)
    }
}

fn err(what: &'static str, at: usize) -> Error {
    Error::new(ErrorKind::Invalid, what, 0, 0).at(at)
}

/// Assemble the text form into `sink` (after what it already holds);
/// returns the number of bytes written. Errors are
/// [`ErrorKind::Invalid`] with a byte offset into `text` (where the parse
/// failed, or the first character of the refused command) and one of the
/// [`asm_reason`] strings (or the sink's own error when it is full);
/// [`asm_reason::line_col`] turns the offset into a line and column.
///
/// The result is not audited: the text can describe any bytes, including
/// programs the kernel refuses (use [`Program::audit`](super::Program::audit)).
///
/// ```
/// use nlwire::netlink::SliceSink;
/// use nlwire::families::sock_diag::bytecode::{assemble, Program};
/// let text = "   0: INET_DIAG_BC_S_COND 127.0.0.1/8 port -1 yes +16 no +20
///   16: INET_DIAG_BC_JMP yes +4 no +8
/// ";
/// let mut buf = [0xa5u8; 32];
/// let mut sink = SliceSink::new(&mut buf);
/// let n = assemble(text, &mut sink).unwrap();
/// let p = Program::new(&buf[..n]);
/// p.audit().unwrap();
/// assert_eq!(p.to_string(), text);
/// ```
pub fn assemble<S: Sink>(text: &str, sink: &mut S) -> Result<usize> {
    let start = sink.len();
    let mut line_start = 0usize;
    for raw_line in text.split('\n') {
        let here = line_start;
        line_start = line_start.saturating_add(raw_line.len()).saturating_add(1);
        let body = raw_line.split(['#', ';']).next().unwrap_or_default();
        let body = body.strip_suffix('\r').unwrap_or(body);
        if body.trim().is_empty() {
            continue;
        }
        let line_start_of_body = here;
        // Errors about the whole command point at its first character.
        let here = here.saturating_add(body.len().saturating_sub(body.trim_start().len()));
        let (offset, parsed) = match line(body) {
            Ok((_, v)) => v,
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
                let (why, mnemonic_at) = syntax_reason(body);
                let at = mnemonic_at.unwrap_or(body.len().saturating_sub(e.input.len()));
                return Err(err(why, line_start_of_body.saturating_add(at)));
            }
            Err(nom::Err::Incomplete(_)) => return Err(err(asm_reason::SYNTAX, here)),
        };
        let pos = sink.len().saturating_sub(start);
        if let Some(o) = offset {
            if o != pos {
                return Err(Error::new(ErrorKind::Invalid, asm_reason::OFFSET, pos, o).at(here));
            }
        }
        match parsed {
            Line::Bytes(hex) => {
                let n = hex_len(hex).ok_or_else(|| err(asm_reason::HEX, here))?;
                let dst = sink.grow(n, "bytecode .bytes")?;
                decode_hex(hex, dst).ok_or_else(|| err(asm_reason::HEX, here))?;
            }
            Line::Op {
                code,
                operands,
                yes,
                no,
                tail,
            } => {
                let bc = BcCode::from(code);
                // Does the code take these operands (`raw` lines take none)?
                let fits = bc.operand() == Some(operands.kind());
                let (olen, hex) = match (tail, fits) {
                    (Tail::Raw(h), _) if operands == OperandValue::None => (0, h),
                    (Tail::Extra(h), true) => (operands.len(), h),
                    (Tail::None, true) => (operands.len(), ""),
                    _ => return Err(err(asm_reason::OPERANDS, here)),
                };
                let hlen = hex_len(hex).ok_or_else(|| err(asm_reason::HEX, here))?;
                let total = OP_LEN.saturating_add(olen).saturating_add(hlen);
                if !matches!(tail, Tail::Raw(_)) && total != usize::from(yes) {
                    return Err(Error::new(
                        ErrorKind::Invalid,
                        asm_reason::YES_LENGTH,
                        total,
                        usize::from(yes),
                    )
                    .at(here));
                }
                let dst = sink.grow(total, "inet_diag_bc_op")?;
                let [n0, n1] = no.to_ne_bytes();
                copy_into(dst, &[code, yes, n0, n1]);
                if let Some(o) = dst.get_mut(OP_LEN..OP_LEN.saturating_add(olen)) {
                    operands.write(o);
                }
                if let Some(x) = dst.get_mut(OP_LEN.saturating_add(olen)..) {
                    decode_hex(hex, x).ok_or_else(|| err(asm_reason::HEX, here))?;
                }
            }
        }
    }
    Ok(sink.len().saturating_sub(start))
}

/// [`assemble`] into a new vector.
#[cfg(feature = "alloc")]
pub fn assemble_vec(text: &str) -> Result<alloc::vec::Vec<u8>> {
    let mut out = alloc::vec::Vec::new();
    assemble(text, &mut out)?;
    Ok(out)
}

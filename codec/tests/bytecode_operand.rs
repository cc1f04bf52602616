//! The one operand declaration of `INET_DIAG_BC_*` (`operand = ...` in
//! `BcCode`'s `#[open_enum]`, read back with `BcCode::operand`) and every
//! reader that consults it: decoding, `ss`'s encoding, the kernel's audit
//! (`inet_diag_bc_audit`), the text form and the byte-order swap must all
//! agree with the declared size, for every code.

use nlwire::families::sock_diag::bytecode::*;
use nlwire::open_enum;

/// The kernel's `inet_diag_bc_audit` switch (net/ipv4/inet_diag.c, 6.1),
/// written out independently: each code, the `valid_*` check it runs and
/// the bytes it requires after the op (`min_len - sizeof(struct
/// inet_diag_bc_op)`, a host condition's address not included).
const KERNEL: [(u8, Operand, usize); 14] = [
    (0, Operand::None, 0),     // INET_DIAG_BC_NOP
    (1, Operand::None, 0),     // INET_DIAG_BC_JMP
    (2, Operand::PortOp, 4),   // S_GE: valid_port_comparison
    (3, Operand::PortOp, 4),   // S_LE
    (4, Operand::PortOp, 4),   // D_GE
    (5, Operand::PortOp, 4),   // D_LE
    (6, Operand::None, 0),     // AUTO
    (7, Operand::HostCond, 8), // S_COND: valid_hostcond
    (8, Operand::HostCond, 8), // D_COND
    (9, Operand::Dev, 4),      // DEV_COND: valid_devcond (u32)
    (10, Operand::Mark, 8),    // MARK_COND: valid_markcond
    (11, Operand::PortOp, 4),  // S_EQ
    (12, Operand::PortOp, 4),  // D_EQ
    (13, Operand::Cgroup, 8),  // CGROUP_COND: valid_cgroupcond (u64)
];

/// The generated `BcCode::operand` table covers every declared code, and
/// only those: an unknown code has no operand.
#[test]
fn operand_table_covers_every_bc_code() {
    assert_eq!(BcCode::ALL.len(), KERNEL.len());
    for raw in 0..=u8::MAX {
        let code = BcCode::from(raw);
        assert_eq!(
            code.operand().is_some(),
            code.name().is_some(),
            "{raw}: declared codes have an operand, unknown ones none"
        );
        assert_eq!(code.operand_len(), code.operand().map(Operand::fixed_len));
    }
    for &(raw, kind, len) in &KERNEL {
        let code = BcCode::from(raw);
        assert_eq!(code.operand(), Some(kind), "{code}");
        assert_eq!(code.operand_len(), Some(len), "{code}");
    }
    assert_eq!(BcCode::Unknown(14).operand(), None);
}

/// Each kind's size is `sizeof` its declared C type.
#[test]
fn operand_sizes_are_their_c_types() {
    let want = [
        (Operand::None, None, 0),
        (Operand::PortOp, Some("inet_diag_bc_op"), 4),
        (Operand::HostCond, Some("inet_diag_hostcond"), 8),
        (Operand::Dev, Some("__u32"), 4),
        (Operand::Mark, Some("inet_diag_markcond"), 8),
        (Operand::Cgroup, Some("__u64"), 8),
    ];
    assert_eq!(Operand::ALL.len(), want.len());
    for (kind, c_type, len) in want {
        assert_eq!(kind.c_type(), c_type, "{kind:?}");
        assert_eq!(kind.fixed_len(), len, "{kind:?}");
        assert_eq!(kind.short_reason().is_some(), len > 0, "{kind:?}");
    }
}

/// One command of `code` with its smallest operand (a host condition is
/// `AF_UNSPEC`, any port), `no` one op past the end (reject).
fn minimal(code: BcCode) -> Vec<u8> {
    let fixed = code.operand_len().unwrap();
    let yes = 4 + fixed;
    let mut b = vec![code.raw(), yes as u8];
    b.extend_from_slice(&((yes + 4) as u16).to_ne_bytes());
    b.resize(yes, 0);
    if code.operand() == Some(Operand::HostCond) {
        b[8..12].copy_from_slice(&(-1i32).to_ne_bytes());
    }
    b
}

/// For every code, walking all of them: the declared operand size is what
/// the audit requires (one op shorter is refused with the kind's reason),
/// what decoding consumes (no extra bytes), what `ss`'s encoding writes
/// (plus the 4 address bytes `ss` sends with `AF_UNSPEC`), what the text
/// form reads back, and what the byte-order swap stays inside.
#[test]
fn declared_operand_size_drives_decode_encode_audit() {
    for &(raw, _) in BcCode::ALL {
        let code = BcCode::from(raw);
        let kind = code.operand().unwrap();
        let fixed = kind.fixed_len();
        let bytes = minimal(code);

        // Audit: exactly the declared size passes, less is refused.
        audit(&bytes).unwrap_or_else(|e| panic!("{code}: {e:?}"));
        if let Some(why) = kind.short_reason() {
            let mut short = bytes[..bytes.len() - 4].to_vec();
            let n = short.len();
            short[1] = n as u8;
            short[2..4].copy_from_slice(&((n + 4) as u16).to_ne_bytes());
            let e = audit(&short).unwrap_err();
            assert_eq!(e.what, why, "{code}");
        }

        // Decode: the operand takes exactly the declared bytes.
        let p = Program::new(&bytes);
        let ins = p.iter().next().unwrap();
        assert_ne!(ins.insn, Insn::Raw, "{code}");
        assert_eq!(ins.insn.code(), Some(code));
        assert_eq!(ins.operand_bytes().len(), fixed, "{code}");
        assert!(ins.extra().is_empty(), "{code}: {:?}", ins.extra());

        // Encode: `ss`'s layout is the declared size (+4 for AF_UNSPEC).
        let slack = if kind == Operand::HostCond { 4 } else { 0 };
        let len = ins.insn.encoded_len().unwrap();
        assert_eq!(len, 4 + fixed + slack, "{code}");
        let mut out = vec![0xa5; len];
        assert!(ins.insn.encode(ins.no(), &mut out));
        assert_eq!((out[0], usize::from(out[1])), (raw, len), "{code}");
        assert_eq!(out[2..4 + fixed], bytes[2..4 + fixed], "{code}");
        let again = Program::new(&out);
        assert_eq!(again.iter().next().unwrap().insn, ins.insn, "{code}");
        again.audit().unwrap();

        // Text: what is printed assembles back to the same bytes.
        let text = p.to_string();
        assert_eq!(assemble_vec(&text).unwrap(), bytes, "{code}: {text}");

        // Swap: twice is the identity, and only `no` and the operand move.
        let mut swapped = bytes.clone();
        swapped.extend_from_slice(&[1, 2, 3]); // trailing, not an op
        Program::swap_order(&mut swapped);
        assert_eq!(&swapped[bytes.len()..], &[1, 2, 3]);
        Program::swap_order(&mut swapped);
        assert_eq!(&swapped[..bytes.len()], &bytes[..]);
    }
}

/// Declared operands of a demonstration enum: `#[open_enum(u8, operand =
/// Kind)]` generates `operand()` for every variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Empty,
    Word,
}

#[open_enum(u8, operand = Kind)]
enum Demo {
    #[nl(name = "DEMO_A", operand = Empty)]
    A = 1,
    #[nl(name = "DEMO_B", operand = Word)]
    B = 2,
}

#[test]
fn open_enum_generates_the_operand_table() {
    assert_eq!(Demo::A.operand(), Some(Kind::Empty));
    assert_eq!(Demo::from(2).operand(), Some(Kind::Word));
    assert_eq!(Demo::Unknown(3).operand(), None);
    const _: Option<Kind> = Demo::B.operand();
}

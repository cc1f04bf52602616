//! inet_diag bytecode (the `bytecode` and `bytecode_text` targets).

#[allow(unused_imports)]
use super::*;

pub(crate) fn sock_entries() -> [nlwire::families::sock_diag::bytecode::SockEntry; 2] {
    use nlwire::families::sock_diag::bytecode::SockEntry;
    [
        SockEntry {
            src: "127.0.0.1".parse().expect("addr"),
            dst: "10.1.2.3".parse().expect("addr"),
            sport: 22,
            dport: 40000,
            ifindex: 1,
            userlocks: 8,
            mark: 0x10,
            cgroup_id: 77,
        },
        SockEntry {
            src: "::1".parse().expect("addr"),
            dst: "::ffff:10.0.0.1".parse().expect("addr"),
            sport: 443,
            dport: 1024,
            ifindex: 0,
            userlocks: 0,
            mark: 0,
            cgroup_id: 0,
        },
    ]
}

/// inet_diag bytecode: iterate (offsets, lengths, walk), audit as the kernel
/// does, run the interpreter (it must end on any program), disassemble and
/// assemble back to the same bytes, swap byte order twice to the same bytes.
pub fn target_bytecode(data: &[u8]) {
    use nlwire::families::sock_diag::bytecode::{assemble_vec, audit, Program};
    let p = Program::new(data);
    let mut it = p.iter();
    let mut off = 0usize;
    for ins in it.by_ref() {
        assert_eq!(ins.offset, off, "instructions are not contiguous");
        assert!(!ins.is_empty());
        assert_eq!(
            offset_in(data, ins.bytes),
            Some(off),
            "instruction bytes not at its offset"
        );
        let _ = (
            ins.code(),
            ins.yes(),
            ins.no(),
            ins.yes_target(),
            ins.no_target(),
            ins.name(),
        );
        let _ = (ins.operand_bytes(), ins.extra(), ins.port_arg());
        if let Some(n) = ins.code().operand_len() {
            assert!(ins.len() >= 4 + n || ins.len() == ins.bytes.len());
        }
        if let Some(h) = ins.hostcond() {
            let mut c = CheckVisitor::new(data.len());
            h.walk(&mut c);
            c.finish();
        }
        let mut c = CheckVisitor::new(data.len());
        ins.walk(&mut c);
        c.finish();
        off += ins.len();
        assert!(off <= data.len());
    }
    assert_eq!(it.rest(), &data[off..]);
    assert!(
        it.rest().len() < 4,
        "iteration stopped with a whole op left"
    );
    assert_eq!(p.trailing(), &data[off..]);
    let mut c = CheckVisitor::new(data.len());
    p.walk(&mut c);
    c.finish();
    let audited = audit(data);
    if let Err(e) = &audited {
        check_error(e, data.len());
    }
    assert_eq!(Program::parse(data).is_ok(), audited.is_ok());
    for e in sock_entries() {
        let _ = p.run(&e);
    }
    let text = p.to_string();
    let back = assemble_vec(&text)
        .unwrap_or_else(|e| panic!("assembling the disassembly failed: {e}\n{text}"));
    assert_eq!(
        back, data,
        "disassemble -> assemble changed the bytes:\n{text}"
    );
    let mut swapped = data.to_vec();
    Program::swap_order(&mut swapped);
    Program::swap_order(&mut swapped);
    assert_eq!(swapped, data, "swapping a program twice changed it");
}

/// The bytecode assembler on arbitrary text: it refuses cleanly or produces
/// a program whose disassembly assembles to the same bytes.
pub fn target_bytecode_text(data: &[u8]) {
    use nlwire::families::sock_diag::bytecode::{assemble_vec, Program};
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    match assemble_vec(text) {
        Ok(bytes) => {
            let mut v = CheckVisitor::new(bytes.len());
            Program::new(&bytes).walk(&mut v);
            v.finish();
            let again = Program::new(&bytes).to_string();
            assert_eq!(
                assemble_vec(&again).as_deref(),
                Ok(&bytes[..]),
                "{text:?} -> {again:?}"
            );
        }
        Err(e) => check_error(&e, text.len()),
    }
}

//! The `ss` filter language of `nlwire ss` (`nlwire_cli::ss::filter_lang`):
//! text → state mask and expression → the codec's `Filter` → bytecode →
//! the kernel's audit.

use nlwire::families::sock_diag::bytecode::{
    assemble_vec, audit, audit_with, AuditConfig, Program,
};
use nlwire_cli::ss::filter_lang::{parse, Parsed, SS_ALL};

use nlwire::value::Walk;

use super::{check_error, CheckVisitor};

/// Filters `ss` accepts, one per seed (ss(8), the README, tests/ss_filter.rs).
/// Each must parse, and its inet part must compile and pass the audit.
pub const SS_FILTER_SEEDS: &[(&str, &str)] = &[
    ("sport-or-dport", "sport = :22 or dport = :443"),
    ("state-listening", "state listening"),
    ("exclude", "exclude listening sport >= :1024"),
    (
        "states-and-ops",
        "state established state syn-sent ( dport == :ssh or sport != :80 ) && ! dst 10.0.0.0/8",
    ),
    (
        "hosts",
        "src 127.0.0.1 or dst [::1] or src 192.168.0.0/16:8080 or dst [2001:db8::]/32:*",
    ),
    ("compare-words", "sport gt :1000 and sport lt :2000 or dport ge :5 and dport le :6 or sport eq :7 or dport neq :8"),
    ("ops", "sport > :0 & dport < :65535 | sport <= :9 || dport >= :10"),
    ("fwmark", "fwmark = 0x10/0xff or fwmark != 7"),
    ("autobound-dev", "autobound or not dev = 1 or dev != 2"),
    ("juxtaposed-and", "sport = :1 dport = :2 not src 0.0.0.0/0"),
    ("state-groups", "state connected exclude bucket excl big state synchronized state all"),
    ("nested", "((((sport = :1))) or !(!(dport = :2)))"),
    ("unix-names", "src unix:/run/*.sock or dst unix:@x[^a-c]? or sport = :5"),
];

/// One input: the text is split at `\n` into arguments (as the command
/// line gives them), parsed as for any tables and as for unix tables only
/// (`src`/`dst` then name patterns), each as follows; an expression is evaluated on unix sockets and
/// turned into the codec's filter; a filter the codec compiles must pass the
/// kernel's audit (`inet_diag_bc_audit`), parse, disassemble and assemble to
/// the same bytes, and the program run on sockets must answer as the filter
/// evaluated on them does.
pub fn target_ss_filter(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else {
        return;
    };
    let args: Vec<String> = text.split('\n').map(str::to_owned).collect();
    for unix_only in [false, true] {
        if let Ok(parsed) = parse(&args, unix_only) {
            check_parsed(parsed, text);
        }
    }
}

/// The checks of [`target_ss_filter`] on one parse.
fn check_parsed(Parsed { states, expr }: Parsed, text: &str) {
    if let Some(s) = states {
        assert_eq!(s & !SS_ALL, 0, "state mask {s:#x} outside SS_ALL");
    }
    let Some(expr) = expr else {
        return;
    };
    let names: [&[u8]; 4] = [b"", b"/run/x.sock", b"@abs@x", b"*"];
    for ((ino, peer), name) in [(0, 0), (1, 2), (22, 443), (u32::MAX, 7)]
        .into_iter()
        .zip(names)
    {
        let _ = expr.eval_unix(ino, peer, name);
    }
    let Ok(filter) = expr.to_filter() else {
        return;
    };
    let program = match filter.compile() {
        Ok(p) => p,
        Err(e) => {
            // Only a program too long for one attribute / jump, or a bad
            // prefix, may be refused.
            check_error(&e, usize::MAX);
            return;
        }
    };
    if let Err(e) = audit(&program) {
        panic!("compiled filter fails inet_diag_bc_audit: {e:?}\n{text:?}");
    }
    let admin = AuditConfig {
        net_admin: true,
        ..AuditConfig::default()
    };
    assert!(audit_with(&program, admin).is_ok());
    assert!(Program::parse(&program).is_ok());
    let p = Program::new(&program);
    let mut v = CheckVisitor::new(program.len());
    p.walk(&mut v);
    v.finish();
    let disasm = p.to_string();
    assert_eq!(
        assemble_vec(&disasm).as_deref(),
        Ok(&program[..]),
        "disassembly does not assemble back:\n{disasm}"
    );
    let _ = filter.iproute2_compiles();
    for e in super::sock_entries() {
        assert_eq!(
            p.run(&e),
            filter.eval(&e),
            "program and filter disagree on {e:?} for {text:?}\n{disasm}"
        );
    }
}

/// The seed files: `(name, bytes)`.
pub fn ss_filter_seeds() -> Vec<(&'static str, Vec<u8>)> {
    SS_FILTER_SEEDS
        .iter()
        .map(|(n, t)| (*n, t.as_bytes().to_vec()))
        .collect()
}

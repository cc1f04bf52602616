//! `nlwire ss` on hostile or everyday command lines, through the real
//! binary (its main thread has the default stack): filters of any depth and
//! length give a result or a clean "bad filter" (exit 2), never a crash;
//! options may come after the filter; unknown options are usage errors
//! naming the option; the kernel's `EPERM` for `fwmark` inside a
//! user namespace gets the audit's message; `--bytecode` errors name the
//! line and column. Tests that list sockets need root and sock_diag: without
//! them they fail under `CI=true` and are skipped otherwise; the refusals
//! need no kernel (nothing is sent).

mod ss_common;

use std::process::{Command, Output};

use ss_common::*;

/// `nlwire ss ARGS…` with the filter given as many words (one argument may
/// not exceed 128 KiB: `MAX_ARG_STRLEN`).
fn ss_words(opts: &[&str], filter: &str) -> Output {
    let mut args = vec!["ss"];
    args.extend_from_slice(opts);
    args.extend(filter.split(' ').filter(|w| !w.is_empty()));
    nlwire(&args)
}

/// Exited by itself (no signal, no abort) with `code`; no stack overflow.
fn exited(o: &Output, code: i32, what: &str) {
    let err = stderr(o);
    assert!(!err.contains("overflow"), "{what}: {err}");
    assert_eq!(o.status.code(), Some(code), "{what}: {err}");
}

/// A clean refusal: exit 2, one line naming a bad filter.
fn bad_filter(o: &Output, what: &str) {
    exited(o, 2, what);
    let err = stderr(o);
    assert!(err.starts_with("nlwire ss: bad filter"), "{what}: {err}");
    assert_eq!(err.lines().count(), 1, "{what}: {err}");
}

fn chain(op: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!("sport = :{}", i % 60_000 + 1))
        .collect::<Vec<_>>()
        .join(&format!(" {op} "))
}

#[test]
fn deep_and_long_filters_are_refused_cleanly_without_a_kernel() {
    // Each would compile past what INET_DIAG_REQ_BYTECODE can carry:
    // refused before anything is sent.
    let nots = format!("{}sport = :22", "not ".repeat(30_000));
    bad_filter(&ss_words(&["-ta"], &nots), "30 000 nots");
    bad_filter(&ss_words(&["-ta"], &chain("or", 30_000)), "or chain");
    bad_filter(&ss_words(&["-ta"], &chain("and", 30_000)), "and chain");
    bad_filter(&ss_words(&["-ta"], &chain("", 30_000)), "juxtaposed chain");
    // Unbalanced: a parse error, whatever the depth.
    let open = format!("{}sport = :22", "( ".repeat(13_400));
    bad_filter(&ss_words(&["-ta"], &open), "13 400 open parentheses");
    let close = format!("sport = :22{}", " )".repeat(13_400));
    bad_filter(&ss_words(&["-ta"], &close), "13 400 close parentheses");
}

#[test]
fn deep_and_long_filters_give_a_result() {
    if cannot_run() {
        return;
    }
    let set = tcp_set("127.0.0.1", 0);
    let p = set.port;
    // 13 400 nested parentheses around one condition: one leaf of bytecode.
    let parens = format!("{}sport = :{p}{}", "( ".repeat(13_400), " )".repeat(13_400));
    let o = ss_words(&["-tanH"], &parens);
    exited(&o, 0, "13 400 parentheses");
    let text = stdout(&o);
    assert!(
        text.contains(&format!("127.0.0.1:{p} ")),
        "our listener and server end: {text}"
    );
    // Unix sockets evaluate the expression here: any length works.
    let nots = format!("{}sport = :1", "not ".repeat(30_000));
    exited(&ss_words(&["-xaH"], &nots), 0, "30 000 nots, unix");
    exited(&ss_words(&["-xaH"], &chain("or", 30_000)), 0, "or, unix");
    exited(&ss_words(&["-xaH"], &chain("and", 30_000)), 0, "and, unix");
    // The longest `or` chain that still fits one attribute goes to the
    // kernel and selects our port among others.
    let fits = format!("{} or sport = :{p}", chain("or", 3000));
    let o = ss_words(&["-tlnH"], &fits);
    exited(&o, 0, "3001-term or chain");
    assert!(stdout(&o).contains(&format!("127.0.0.1:{p} ")));
}

#[test]
fn options_may_follow_the_filter() {
    if cannot_run() {
        return;
    }
    let set = tcp_set("127.0.0.1", 0);
    let f = format!("sport = :{}", set.port);
    let o = nlwire(&["ss", "-tan", &f, "--json"]);
    exited(&o, 0, "--json after the filter");
    let text = stdout(&o);
    assert!(
        text.lines().count() >= 2 && text.lines().all(|l| l.starts_with('{')),
        "JSON lines only: {text}"
    );
    // Options between filter words, and a cluster after them.
    let o = nlwire(&[
        "ss",
        "-t",
        "sport",
        "-H",
        "=",
        &format!(":{}", set.port),
        "-an",
    ]);
    exited(&o, 0, "options between filter words");
    let text = stdout(&o);
    assert!(!text.contains("Recv-Q"), "-H was taken: {text}");
    assert_eq!(text.lines().count(), 2, "listener and server end: {text}");
    // After `--`, everything is filter.
    let o = nlwire(&["ss", "-ta", "--", &f, "-H"]);
    exited(&o, 2, "-H after --");
    assert!(stderr(&o).contains("unknown filter keyword `-H`"));
}

#[test]
fn unknown_options_are_usage_errors_naming_the_option() {
    for (args, opt) in [
        (&["ss", "-tulYn"][..], "-Y"),
        (&["ss", "--frobnicate", "-t"][..], "--frobnicate"),
        (&["ss", "-t", "sport = :22", "-Q"][..], "-Q"),
    ] {
        let o = nlwire(args);
        exited(&o, 2, opt);
        let err = stderr(&o);
        assert!(err.contains(&format!("'{opt}'")), "{args:?}: {err}");
        assert!(!err.contains("filter keyword"), "{args:?}: {err}");
    }
}

#[test]
fn fwmark_in_a_user_namespace_gets_the_audit_message() {
    if cannot_run() {
        return;
    }
    let probe = Command::new("unshare").args(["-Ur", "true"]).output();
    if !probe.is_ok_and(|o| o.status.success()) && skip("`unshare -Ur` does not work here") {
        return;
    }
    // CapEff is full inside the new user namespace, but the network
    // namespace is still the host's: the kernel answers EPERM.
    let o = Command::new("unshare")
        .args([
            "-Ur",
            env!("CARGO_BIN_EXE_nlwire"),
            "ss",
            "-ta",
            "fwmark = 0x1",
        ])
        .output()
        .expect("run unshare");
    exited(&o, 2, "fwmark in a user namespace");
    let err = stderr(&o);
    assert!(
        err.contains("INET_DIAG_BC_MARK_COND needs CAP_NET_ADMIN"),
        "{err}"
    );
    assert!(err.contains("user namespace"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    // With its own network namespace the capability counts: a result.
    let o = Command::new("unshare")
        .args([
            "-Urn",
            env!("CARGO_BIN_EXE_nlwire"),
            "ss",
            "-taH",
            "fwmark = 0x1",
        ])
        .output()
        .expect("run unshare");
    exited(&o, 0, "fwmark in a user+network namespace");
}

#[test]
fn bytecode_assembler_errors_name_line_and_column() {
    let o = nlwire(&[
        "ss",
        "-t",
        "--bytecode",
        "AUTO yes +4 no +8; FROB yes +4 no +8",
    ]);
    exited(&o, 2, "unknown mnemonic");
    let err = stderr(&o);
    assert!(err.contains("line 1, column 20"), "{err}");
    assert!(err.contains("`FROB yes +4 no +8`"), "{err}");
    assert!(err.contains("unknown mnemonic"), "{err}");
    let text = "AUTO yes +4 no +8\n  S_GE 70000 yes +8 no +12";
    let o = nlwire(&["ss", "-t", "--bytecode", text]);
    exited(&o, 2, "port out of range");
    let err = stderr(&o);
    assert!(err.contains("line 2, column 8"), "{err}");
    assert!(err.contains("syntax error"), "{err}");
}

//! `nlwire ss -Z` / `-z` against iproute2 `ss` on this machine: the same
//! listener, the same options. Where SELinux is not enabled (this machine),
//! both refuse with "SELinux is not enabled." and exit status 1 and print
//! nothing; where it is, both print the listener's `users:` entry with
//! `proc_ctx=` (and `sock_ctx=` for `-z`) and the same contexts.

mod ss_common;
use ss_common::*;

use std::net::TcpListener;
use std::process::Command;

/// The `users:(…)` part of the first line that has one.
fn users(text: &str) -> Option<String> {
    text.lines()
        .find_map(|l| l.find("users:(").map(|i| l[i..].trim_end().to_string()))
}

#[test]
fn selinux_contexts_as_iproute2_ss_shows_them() {
    if cannot_run() || (!have_iproute2_ss() && skip("iproute2 ss is not installed")) {
        return;
    }
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let filter = format!("sport = :{port}");
    for opt in ["-Z", "-z"] {
        let ours = nlwire(&["ss", "-tln", opt, &filter]);
        let theirs = Command::new("ss")
            .args(["-tln", opt, &filter])
            .output()
            .unwrap();
        assert_eq!(
            ours.status.code(),
            theirs.status.code(),
            "{opt}: exit status; nlwire: {} / ss: {}",
            stderr(&ours),
            String::from_utf8_lossy(&theirs.stderr)
        );
        let theirs_err = String::from_utf8_lossy(&theirs.stderr).into_owned();
        if theirs_err.contains("SELinux is not enabled") {
            assert_eq!(ours.status.code(), Some(1));
            assert!(
                stderr(&ours).contains("SELinux is not enabled."),
                "{opt}: {}",
                stderr(&ours)
            );
            assert!(ours.stdout.is_empty(), "{opt}: {}", stdout(&ours));
            continue;
        }
        let theirs_out = String::from_utf8_lossy(&theirs.stdout).into_owned();
        let want = users(&theirs_out).expect("ss shows the listener's users");
        assert!(want.contains("proc_ctx="), "{want}");
        assert_eq!(users(&stdout(&ours)), Some(want), "{opt}");
    }
    drop(l);
}

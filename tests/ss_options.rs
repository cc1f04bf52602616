//! The `nlwire ss` options of issue 13 compared with iproute2 `ss` on
//! sockets the test makes: `-p` (processes), `-s` (summary), `-O`, `--tos`,
//! `--cgroup`, the `cgroup` filter keyword, `-D`, `-F`, `-M`, `-f`, `-r`.
//! Needs root, sock_diag and iproute2 `ss`: without them each test fails
//! under `CI=true` and is skipped (saying why) otherwise.

mod ss_common;

use std::os::fd::AsRawFd;
use std::process::Command;

use serde_json::Value as Json;
use ss_common::*;

fn iproute2(args: &[&str]) -> String {
    let o = Command::new("ss").args(args).output().expect("run ss");
    assert!(o.status.success(), "ss {args:?}: {}", stderr(&o));
    stdout(&o)
}

fn ours(args: &[&str]) -> String {
    let mut full = vec!["ss"];
    full.extend_from_slice(args);
    let o = nlwire(&full);
    assert!(o.status.success(), "nlwire ss {args:?}: {}", stderr(&o));
    stdout(&o)
}

/// Lines with runs of blanks squeezed to one space (column widths differ
/// when the sets of listed sockets differ).
fn squeeze(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

fn live() -> bool {
    !(cannot_run() || (!have_iproute2_ss() && skip("iproute2 ss is not installed")))
}

/// This process's name as /proc/PID/stat has it (what ss prints).
fn own_comm() -> String {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("stat");
    let (_, rest) = stat.split_once('(').expect("(");
    rest[..rest.find(')').expect(")")].to_string()
}

/// `-p`: a listening TCP socket of the test process shows
/// `users:(("<test binary>",pid=<own pid>,fd=<fd>))`, the same line as
/// iproute2 `ss -tlnp`; a unix socket too; `--json` has the `users` array.
#[test]
fn processes_like_iproute2() {
    if !live() {
        return;
    }
    let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = l.local_addr().expect("addr").port();
    let fd = l.as_raw_fd();
    let me = std::process::id();
    let want = format!("users:((\"{}\",pid={me},fd={fd}))", own_comm());
    let filter = format!("sport = :{port}");
    for opts in ["-tlnpH", "-tlnpHe", "-tlnpHo"] {
        let mine = squeeze(&ours(&[opts, &filter]));
        let theirs = squeeze(&iproute2(&[opts, &filter]));
        assert_eq!(mine.len(), 1, "{opts}: {mine:?}");
        assert!(mine[0].contains(&want), "{opts}: {mine:?} lacks {want}");
        // With -e: `users:` before `ino:`, `sk:`, `cgroup:` as ss has it.
        assert_eq!(mine, theirs, "{opts}");
    }
    // The long name, and the option is visible in --help.
    assert_eq!(
        squeeze(&ours(&["-tlnH", "--processes", &filter])),
        squeeze(&iproute2(&["-tlnHp", &filter]))
    );
    let help = stdout(&nlwire(&["ss", "--help"]));
    assert!(help.contains("--processes"), "{help}");

    // A unix socket: the same users text as ss.
    let set = unix_set("proc");
    let ino = inode_of(&set.path_listener);
    // (iproute2 ss 6.1 filters unix sockets by path, not by inode: pick
    // the line by its inode.)
    let pick = |text: &str| -> Vec<String> {
        squeeze(text)
            .into_iter()
            .filter(|l| l.contains(&format!(" {ino} ")))
            .collect()
    };
    let mine = pick(&ours(&["-xlpH"]));
    let theirs = pick(&iproute2(&["-xlpH"]));
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert!(
        mine[0].contains(&format!(
            "users:((\"{}\",pid={me},fd={}))",
            own_comm(),
            set.path_listener.as_raw_fd()
        )),
        "{mine:?}"
    );
    assert_eq!(mine, theirs);

    // --json: a `users` array of objects.
    let out = ours(&["-tlnp", "--json", &filter]);
    let v: Json = serde_json::from_str(out.lines().next().expect("a line")).expect("json");
    assert_eq!(
        v["users"],
        serde_json::json!([{"comm": own_comm(), "pid": me, "fd": fd}]),
        "{v}"
    );
    drop(l);
}

//! A stderr that cannot be written (a full device, a closed pipe) must not
//! make `nlwire` panic (exit 101): messages are lost, the exit status still
//! says what happened, and a closed pipe ends the run quietly as SIGPIPE
//! would (`nlwire decode bad.pcap 2>&1 | head -1`).

mod decode_common;
use decode_common::*;

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

/// `/dev/full` for writing (every write fails with `ENOSPC`); `None` with a
/// printed reason when the machine has none (a panic when `CI=true`).
fn dev_full() -> Option<File> {
    match OpenOptions::new().write(true).open("/dev/full") {
        Ok(f) => Some(f),
        Err(e) => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("CI=true but /dev/full cannot be opened: {e}");
            }
            eprintln!("skipping: /dev/full cannot be opened: {e}");
            None
        }
    }
}

fn run_with_stderr(args: &[&str], stderr: impl Into<Stdio>) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_nlwire"))
        .args(args)
        .stdin(Stdio::null())
        .stderr(stderr)
        .output()
        .expect("run nlwire")
}

/// A classic pcap of `n` LINKTYPE_NETLINK frames, each a 4-byte stub that
/// is not a message: one problem reported on stderr per frame.
fn malformed_capture(dir: &Path, n: u32) -> std::path::PathBuf {
    let recs: Vec<Rec> = (0..n)
        .map(|i| {
            let mut d = nlmon(0);
            d.extend_from_slice(&[0x14, 0, 0, 0]);
            Rec::new(i, 0, d)
        })
        .collect();
    let path = dir.join("bad.pcap");
    std::fs::write(&path, pcap(253, &recs, false, false)).expect("write pcap");
    path
}

#[test]
fn hex_with_stderr_on_a_full_device_exits_1_without_panic() {
    let Some(full) = dev_full() else { return };
    // One byte: "1 trailing bytes after the last message" → malformed.
    let o = run_with_stderr(&["decode", "--hex", "14"], full);
    assert_eq!(code(&o), 1, "stdout: {}", stdout(&o));
    assert!(stdout(&o).contains("! malformed at offset 0"));
}

#[test]
fn missing_file_with_stderr_on_a_full_device_exits_2_without_panic() {
    let Some(full) = dev_full() else { return };
    let o = run_with_stderr(&["decode", "/nonexistent/nlwire-no-such.pcap"], full);
    assert_eq!(code(&o), 2);
}

#[test]
fn malformed_capture_with_stderr_on_a_full_device_decodes_everything() {
    let Some(full) = dev_full() else { return };
    let dir = scratch("stderr_full_capture");
    let path = malformed_capture(&dir, 50);
    let p = path.to_str().unwrap();
    let o = run_with_stderr(&["decode", "--summary", p], full);
    assert_eq!(code(&o), 1);
    // Decoding went on after the lost messages: every frame was counted.
    assert!(
        stdout(&o).contains("malformed: 50 problems in 50 frames"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn stdout_and_stderr_on_a_full_device_exit_2_without_panic() {
    let Some(full) = dev_full() else { return };
    let full2 = full.try_clone().expect("dup");
    let o = Command::new(env!("CARGO_BIN_EXE_nlwire"))
        .args(["decode", "--json"])
        .stdout(full)
        .stderr(full2)
        .output()
        .expect("run nlwire");
    assert_eq!(code(&o), 2);
}

#[test]
fn ss_usage_error_with_stderr_on_a_full_device_exits_2_without_panic() {
    let Some(full) = dev_full() else { return };
    // The filter is refused before any socket is opened (no root needed).
    let o = run_with_stderr(&["ss", "-t", "sport = (("], full);
    assert_eq!(code(&o), 2);
}

#[test]
fn malformed_capture_with_stderr_a_closed_pipe_ends_quietly() {
    let dir = scratch("stderr_closed_pipe");
    let path = malformed_capture(&dir, 20_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_nlwire"))
        .args(["decode", "--summary", path.to_str().unwrap()])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn nlwire");
    // Close the reading end: writes to stderr fail with EPIPE.
    drop(child.stderr.take());
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let status = child.wait().unwrap();
    // Malformed input was found before stderr closed: status 1, not a panic.
    assert_eq!(status.code(), Some(1), "stdout: {out}");
    // It stopped at the closed pipe, as SIGPIPE would have stopped it.
    assert!(!out.contains("problems in 20000 frames"), "{out}");
}

#[test]
fn two_into_one_pipe_to_head_ends_quietly() {
    if Command::new("bash").arg("-c").arg("true").status().is_err() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true but bash is missing");
        }
        eprintln!("skipping: bash is missing");
        return;
    }
    let dir = scratch("stderr_head");
    let path = malformed_capture(&dir, 20_000);
    let script = format!(
        "set -o pipefail; '{}' decode --summary '{}' 2>&1 | head -1; echo \"status=${{PIPESTATUS[0]}}\"",
        env!("CARGO_BIN_EXE_nlwire"),
        path.display()
    );
    let o = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .output()
        .expect("bash");
    let out = stdout(&o);
    let mut lines = out.lines();
    let first = lines.next().unwrap_or_default();
    assert!(
        first.starts_with("nlwire: ") && first.contains("frame 1: offset 16"),
        "{out}"
    );
    assert_eq!(lines.next(), Some("status=1"), "{out}");
    assert!(
        !stderr(&o).contains("panicked"),
        "stderr of bash: {}",
        stderr(&o)
    );
}

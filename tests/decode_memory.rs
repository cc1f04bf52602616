//! Memory of `nlwire decode` does not grow with the input: the printers
//! write while the walk goes (no tree, no whole-message string), and
//! `--summary` counts sockets in bounded memory.
//!
//! Peak memory is the child's maximum resident set size, from
//! `getrusage(RUSAGE_CHILDREN)` (the largest child waited for so far: this
//! file holds one test, whose children are measured one after another).
//! A child started with `vfork` (as `std::process::Command` does) is
//! charged the parent's peak too, so this test keeps its own memory small:
//! captures are written and output is checked as streams.

mod decode_common;
use decode_common::*;

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use nix::sys::resource::{getrusage, UsageWho};

/// The limit of the issue: 64 MB.
const LIMIT_KB: i64 = 64 * 1024;

/// Largest resident set of the children waited for so far, in KiB.
fn children_max_rss_kb() -> i64 {
    getrusage(UsageWho::RUSAGE_CHILDREN)
        .expect("getrusage")
        .max_rss()
}

/// Run nlwire, streaming its stdout to `each` chunk by chunk (the test
/// does not hold 100 MB of output unless it wants to).
fn run_streamed(args: &[&str], mut each: impl FnMut(&[u8])) -> i32 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_nlwire"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn nlwire");
    let mut err = child.stderr.take().unwrap();
    let errs = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let mut out = child.stdout.take().unwrap();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = out.read(&mut buf).expect("read stdout");
        if n == 0 {
            break;
        }
        each(&buf[..n]);
    }
    let status = child.wait().unwrap();
    let errs = errs.join().unwrap();
    assert!(!errs.contains("panicked"), "{errs}");
    status.code().unwrap_or(-1)
}

/// `inet_diag_msg` reply header (`SOCK_DIAG_BY_FAMILY`, `NLM_F_MULTI`) of
/// `len` bytes, `AF_INET`, `TCP_ESTABLISHED`, socket cookie `cookie`.
fn inet_reply(len: usize, cookie: u64) -> Vec<u8> {
    let mut m = Vec::with_capacity(88);
    m.extend_from_slice(&(len as u32).to_ne_bytes());
    m.extend_from_slice(&20u16.to_ne_bytes());
    m.extend_from_slice(&2u16.to_ne_bytes());
    m.extend_from_slice(&1u32.to_ne_bytes());
    m.extend_from_slice(&0u32.to_ne_bytes());
    let mut body = [0u8; 72];
    body[0] = 2; // AF_INET
    body[1] = 1; // TCP_ESTABLISHED
    body[44..52].copy_from_slice(&cookie.to_ne_bytes()); // id.idiag_cookie
    m.extend_from_slice(&body);
    m
}

/// The largest frame the capture reader takes (its limit, 16 MiB, counts
/// the record header too).
const FRAME_MAX: usize = 16 * 1024 * 1024 - 64;

/// One ~16 MiB frame: an `inet_diag` reply followed by ~4M empty
/// attributes of kind 0 (shown as `UNKNOWN`), written as a stream.
fn huge_frame_capture(dir: &Path) -> (std::path::PathBuf, usize) {
    let frame_len = FRAME_MAX;
    let msg_len = frame_len - 16;
    let attrs = (msg_len - 88) / 4;
    let path = dir.join("huge.pcap");
    let mut w = BufWriter::new(std::fs::File::create(&path).unwrap());
    w.write_all(&pcap(253, &[], false, false)).unwrap();
    for v in [1, 0, frame_len as u32, frame_len as u32] {
        w.write_all(&v.to_le_bytes()).unwrap();
    }
    w.write_all(&nlmon(4)).unwrap();
    w.write_all(&inet_reply(msg_len, 1)).unwrap();
    let mut attr = 4u16.to_ne_bytes().to_vec();
    attr.extend_from_slice(&0u16.to_ne_bytes());
    for _ in 0..attrs {
        w.write_all(&attr).unwrap();
    }
    w.flush().unwrap();
    assert_eq!(
        std::fs::metadata(&path).unwrap().len() as usize,
        24 + 16 + frame_len
    );
    (path, attrs)
}

/// Counts the occurrences of a pattern and the bytes in what is read
/// through it.
struct Counting<R> {
    inner: R,
    pattern: &'static [u8],
    window: Vec<u8>,
    found: usize,
    newlines: usize,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let got = &buf[..n];
        self.newlines += got.iter().filter(|&&b| b == b'\n').count();
        self.window.extend_from_slice(got);
        let p = self.pattern.len();
        let mut i = 0;
        while i + p <= self.window.len() {
            if &self.window[i..i + p] == self.pattern {
                self.found += 1;
                i += p;
            } else {
                i += 1;
            }
        }
        self.window.drain(..i);
        Ok(n)
    }
}

/// Frames of ~16 MiB, each a multipart dump of `inet_diag` replies, with
/// `sockets` consecutive socket cookies in all.
fn many_sockets_capture(dir: &Path, sockets: u64) -> std::path::PathBuf {
    let path = dir.join("sockets.pcap");
    let mut w = BufWriter::new(std::fs::File::create(&path).unwrap());
    w.write_all(&pcap(253, &[], false, false)).unwrap();
    let per_frame = (FRAME_MAX - 16) / 88;
    let mut cookie = 0u64;
    let mut frame = 0u32;
    while cookie < sockets {
        let n = per_frame.min((sockets - cookie) as usize);
        let len = 16 + n * 88;
        for v in [frame, 0, len as u32, len as u32] {
            w.write_all(&v.to_le_bytes()).unwrap();
        }
        w.write_all(&nlmon(4)).unwrap();
        for _ in 0..n {
            cookie += 1;
            w.write_all(&inet_reply(88, cookie)).unwrap();
        }
        frame += 1;
    }
    w.flush().unwrap();
    path
}

#[test]
fn peak_memory_is_bounded_for_a_16_mib_frame_and_for_many_sockets() {
    let dir = scratch("memory");
    let (path, attrs) = huge_frame_capture(&dir);
    let p = path.to_str().unwrap();

    // JSON: one valid line (checked as it streams), every attribute in it.
    let mut child = Command::new(env!("CARGO_BIN_EXE_nlwire"))
        .args(["decode", "--json", p])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn nlwire");
    let mut counting = Counting {
        inner: child.stdout.take().unwrap(),
        pattern: b"{\"nla_type\":0,\"payload\":\"\"}",
        window: Vec::new(),
        found: 0,
        newlines: 0,
    };
    let mut values = 0;
    for v in serde_json::Deserializer::from_reader(BufReader::with_capacity(1 << 16, &mut counting))
        .into_iter::<serde::de::IgnoredAny>()
    {
        v.expect("valid JSON");
        values += 1;
    }
    assert_eq!(child.wait().unwrap().code(), Some(0));
    let rss = children_max_rss_kb();
    assert!(rss < LIMIT_KB, "--json peak RSS {rss} KiB");
    assert_eq!((values, counting.newlines), (1, 1));
    assert_eq!(counting.found, attrs);

    // Text: streamed, every attribute printed.
    let mut count = 0usize;
    let mut carry = Vec::new();
    let rc = run_streamed(&["decode", p], |b| {
        carry.extend_from_slice(b);
        let cut = carry.iter().rposition(|&c| c == b'\n').map_or(0, |i| i + 1);
        count += carry[..cut]
            .split(|&c| c == b'\n')
            .filter(|l| l == b"      nla_type: 0")
            .count();
        carry.drain(..cut);
    });
    assert_eq!(rc, 0);
    assert_eq!(count, attrs);
    let rss = children_max_rss_kb();
    assert!(rss < LIMIT_KB, "text peak RSS {rss} KiB");

    // --summary over 1M distinct sockets: bounded, estimated within 3 %.
    let sockets = 1_000_000u64;
    let path = many_sockets_capture(&dir, sockets);
    let mut out = Vec::new();
    let rc = run_streamed(&["decode", "--summary", path.to_str().unwrap()], |b| {
        out.extend_from_slice(b)
    });
    assert_eq!(rc, 0);
    let out = String::from_utf8(out).unwrap();
    let rss = children_max_rss_kb();
    assert!(rss < LIMIT_KB, "--summary peak RSS {rss} KiB");
    let line = out
        .lines()
        .find(|l| l.starts_with("sock_diag responses:"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        line.contains(&format!("sock_diag responses: {sockets};")),
        "{line}"
    );
    let est: f64 = line
        .split("about ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no estimate in {line:?}"));
    let err = (est - sockets as f64).abs() / sockets as f64;
    assert!(err < 0.03, "{line}");
}

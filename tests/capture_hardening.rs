//! Hardening of the pcap/pcapng reader of `nlwire decode`: bounded memory
//! whatever the input (an Interface Description Block flood, blocks of huge
//! declared length), captures read from pipes, FIFOs and standard input in
//! small pieces, pcapng blocks shorter than their type's minimum or whose
//! captured length overflows the block (reported with their real cause,
//! skipped, and everything after them still decoded, also far beyond 16 MiB),
//! and clear messages (block type and offset, truncated pcap header, link
//! types with the FCS-length bits set).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

mod decode_common;
use decode_common::*;

use nlwire_cli::capture::{
    CaptureError, CaptureReader, PacketNote, INITIAL_WINDOW, MAX_INTERFACES, MAX_RECORD,
};

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn frame(family: u16, netlink: &[u8]) -> Vec<u8> {
    let mut f = nlmon(family);
    f.extend_from_slice(netlink);
    f
}

fn decode_json(p: &Path) -> (i32, Vec<serde_json::Value>, String) {
    let o = nlwire(&["decode", "--json", p.to_str().unwrap()]);
    (code(&o), json_lines(&stdout(&o)), stderr(&o))
}

// ---- pcapng written block by block (little-endian) ----

fn block(typ: u32, body: &[u8]) -> Vec<u8> {
    let len = 12 + body.len() as u32;
    let mut out = Vec::new();
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(&len.to_le_bytes());
    out
}

/// A block whose header claims `len` bytes, with `body` after the header
/// (no trailer added).
fn raw_block(typ: u32, len: u32, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&typ.to_le_bytes());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(body);
    out
}

fn shb() -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
    b.extend_from_slice(&1u16.to_le_bytes());
    b.extend_from_slice(&0u16.to_le_bytes());
    b.extend_from_slice(&(-1i64).to_le_bytes());
    block(0x0a0d_0d0a, &b)
}

fn idb(linktype: u16) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&linktype.to_le_bytes());
    b.extend_from_slice(&0u16.to_le_bytes());
    b.extend_from_slice(&262_144u32.to_le_bytes());
    block(1, &b)
}

fn pad4(v: &mut Vec<u8>) {
    while v.len() % 4 != 0 {
        v.push(0);
    }
}

fn epb(iface: u32, ts: u64, data: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    for v in [
        iface,
        (ts >> 32) as u32,
        ts as u32,
        data.len() as u32,
        data.len() as u32,
    ] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(data);
    pad4(&mut b);
    block(6, &b)
}

fn spb(data: &[u8]) -> Vec<u8> {
    let mut b = (data.len() as u32).to_le_bytes().to_vec();
    b.extend_from_slice(data);
    pad4(&mut b);
    block(3, &b)
}

/// A netlink frame: `NLMSG_DONE` with sequence `seq`.
fn nl(seq: u32) -> Vec<u8> {
    frame(4, &done(seq))
}

/// Ethernet filler on interface 1 (skipped as not netlink): `n` bytes of
/// blocks, so the file grows past the reader's old 16 MiB window.
fn filler(n: usize) -> Vec<u8> {
    let one = epb(1, 0, &vec![0x45; 60_000]);
    let mut out = Vec::with_capacity(n + one.len());
    while out.len() < n {
        out.extend_from_slice(&one);
    }
    out
}

/// SHB, an nlmon interface 0 and an Ethernet interface 1, frame 1 (seq 1),
/// then `bad`, then `after` netlink frames (seq 100..), with `big` bytes of
/// Ethernet filler in the middle of them when set.
fn file_with(bad: &[u8], after: u32, big: bool) -> Vec<u8> {
    let mut f = shb();
    f.extend(idb(253));
    f.extend(idb(1));
    f.extend(epb(0, 1, &nl(1)));
    f.extend_from_slice(bad);
    for i in 0..after {
        if big && i == after / 2 {
            f.extend(filler(17 << 20));
        }
        f.extend(epb(0, 2 + u64::from(i), &nl(100 + i)));
    }
    f
}

/// The `nlmsg_seq` of each decoded message.
fn seqs(l: &[serde_json::Value]) -> Vec<u64> {
    l.iter()
        .map(|m| m["nlmsghdr"]["nlmsg_seq"].as_u64().unwrap())
        .collect()
}

fn expect_all_after(l: &[serde_json::Value], after: u32) {
    let want: Vec<u64> = std::iter::once(1)
        .chain((0..after).map(|i| 100 + u64::from(i)))
        .collect();
    assert_eq!(seqs(l), want);
}

// ---- item 6: blocks shorter than their type's minimum ----

fn short_block_case(name: &str, bad: &[u8], reason: &str) {
    let d = scratch(name);
    for big in [false, true] {
        let after = if big { 40 } else { 3 };
        let p = write(&d, "x.pcapng", &file_with(bad, after, big));
        let (c, l, e) = decode_json(&p);
        assert_eq!(c, 1, "{name} big={big}: {e}");
        assert!(e.contains(reason), "{name} big={big}: {e}");
        assert!(!e.contains("file truncated"), "{name} big={big}: {e}");
        expect_all_after(&l, after);
    }
}

/// The block starts after SHB (28), two IDBs (20 each) and EPB 1
/// (32 + 36) = 136.
const BAD_AT: u64 = 136;

#[test]
fn empty_name_resolution_block_is_reported_skipped_and_decoding_goes_on() {
    short_block_case(
        "nrb",
        &block(4, &[]),
        &format!(
            "Name Resolution Block (block type 0x00000004) at byte offset {BAD_AT}: \
             total block length 12 is less than the minimum Name Resolution Block size 16; skipped"
        ),
    );
}

#[test]
fn empty_simple_packet_block_is_reported_skipped_and_decoding_goes_on() {
    short_block_case(
        "spb",
        &block(3, &[]),
        &format!(
            "Simple Packet Block (block type 0x00000003) at byte offset {BAD_AT}: \
             total block length 12 is less than the minimum Simple Packet Block size 16; skipped"
        ),
    );
}

#[test]
fn packet_block_whose_caplen_exceeds_the_block_is_reported_skipped_and_decoding_goes_on() {
    // An EPB claiming 1000 captured bytes in a block with room for 36.
    let mut b = epb(0, 5, &nl(7));
    b[20..24].copy_from_slice(&1000u32.to_le_bytes());
    short_block_case(
        "caplen",
        &b,
        &format!(
            "Enhanced Packet Block (block type 0x00000006) at byte offset {BAD_AT}: \
             captured length 1000 exceeds the 36 bytes of packet data the block holds; skipped"
        ),
    );
}

#[test]
fn block_of_unknown_type_shorter_than_any_block_stops_with_a_clear_reason() {
    // A total block length below 12 cannot be skipped: the reader stops
    // there and says why (and what it had decoded stays decoded).
    let d = scratch("tiny");
    let p = write(&d, "x.pcapng", &file_with(&raw_block(6, 8, &[]), 2, false));
    let (c, l, e) = decode_json(&p);
    assert_eq!(c, 1, "{e}");
    assert_eq!(seqs(&l), [1]);
    assert!(
        e.contains(&format!(
            "Enhanced Packet Block (block type 0x00000006) at byte offset {BAD_AT}: \
             total block length 8 is less than 12, the size of any block"
        )),
        "{e}"
    );
}

// ---- item 14: clearer messages ----

#[test]
fn mismatched_trailing_length_names_the_block_type_and_offset() {
    // Used to be "corrupt record at byte offset 136: invalid block or record
    // (Verify)".
    let d = scratch("verify");
    let mut b = epb(0, 5, &nl(7));
    let n = b.len();
    b[n - 4..].copy_from_slice(&44u32.to_le_bytes());
    let p = write(&d, "x.pcapng", &file_with(&b, 2, false));
    let (c, l, e) = decode_json(&p);
    assert_eq!(c, 1, "{e}");
    assert!(
        e.contains(&format!(
            "Enhanced Packet Block (block type 0x00000006) at byte offset {BAD_AT}: \
             trailing total block length 44 differs from the leading 68; skipped"
        )),
        "{e}"
    );
    assert!(!e.contains("Verify"), "{e}");
    expect_all_after(&l, 2);
}

#[test]
fn pcap_header_of_23_bytes_is_a_truncated_pcap_header() {
    let d = scratch("hdr23");
    let mut bytes = pcap(253, &[], false, false);
    bytes.truncate(23);
    let p = write(&d, "x.pcap", &bytes);
    let o = nlwire(&["decode", p.to_str().unwrap()]);
    assert_eq!(code(&o), 2);
    assert!(
        stderr(&o).contains("truncated pcap header: the file ends after 23 of its 24 bytes"),
        "{}",
        stderr(&o)
    );
    // And a pcapng Section Header Block cut short likewise.
    let mut ng = shb();
    ng.truncate(10);
    let p = write(&d, "x.pcapng", &ng);
    let o = nlwire(&["decode", p.to_str().unwrap()]);
    assert!(stderr(&o).contains("file truncated"), "{}", stderr(&o));
}

#[test]
fn pcap_link_type_with_fcs_bits_is_read_as_its_low_16_bits() {
    // 0x500000FD: LINKTYPE_NETLINK (253) with FCS-length bits set in the
    // upper bits of the field (pcap-savefile(5)); tshark reads it as netlink.
    let d = scratch("fcs");
    let recs = [Rec::new(1, 0, nl(1)), Rec::new(1, 1, nl(2))];
    for be in [false, true] {
        let p = write(&d, "x.pcap", &pcap(0x5000_00fd, &recs, be, false));
        let (c, l, e) = decode_json(&p);
        assert_eq!(c, 0, "{e}");
        assert_eq!(seqs(&l), [1, 2]);
        let mut r = CaptureReader::new(std::fs::File::open(&p).unwrap()).unwrap();
        let pk = r.next_packet().unwrap().unwrap();
        assert_eq!(pk.linktype, Some(253));
    }
}

// ---- item 5: pipes, FIFOs, standard input ----

/// A small valid capture of each format (frames with seq 1..=4).
fn small_captures() -> [(&'static str, Vec<u8>); 2] {
    let recs: Vec<Rec> = (1..=4).map(|i| Rec::new(1, i, nl(i))).collect();
    let mut ng = shb();
    ng.extend(idb(253));
    for i in 1..=3 {
        ng.extend(epb(0, u64::from(i), &nl(i)));
    }
    ng.extend(spb(&nl(4)));
    [("pcap", pcap(253, &recs, false, false)), ("pcapng", ng)]
}

/// Write `bytes` 3 at a time with pauses, then close.
fn trickle(mut w: impl Write, bytes: &[u8]) {
    for c in bytes.chunks(3) {
        if w.write_all(c).and_then(|()| w.flush()).is_err() {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn finish(child: Child) -> (i32, Vec<serde_json::Value>, String) {
    let o = child.wait_with_output().unwrap();
    (code(&o), json_lines(&stdout(&o)), stderr(&o))
}

#[test]
fn capture_on_stdin_dash_in_3_byte_pieces() {
    for (what, bytes) in small_captures() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nlwire"))
            .args(["decode", "--json", "-"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || trickle(stdin, &bytes));
        let (c, l, e) = finish(child);
        writer.join().unwrap();
        assert_eq!(c, 0, "{what}: {e}");
        assert_eq!(seqs(&l), [1, 2, 3, 4], "{what}");
        assert_eq!(l[0]["file"], "-", "{what}");
    }
}

#[test]
fn capture_through_a_pipe_named_by_path_in_3_byte_pieces() {
    // The pipe is named by a path (/dev/stdin), not "-": the reader sees a
    // pipe whose first read() returns 3 bytes.
    if !Path::new("/dev/stdin").exists() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true but /dev/stdin is missing");
        }
        eprintln!("skipping: no /dev/stdin");
        return;
    }
    for (what, bytes) in small_captures() {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nlwire"))
            .args(["decode", "--json", "/dev/stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let writer = std::thread::spawn(move || trickle(stdin, &bytes));
        let (c, l, e) = finish(child);
        writer.join().unwrap();
        assert_eq!(c, 0, "{what}: {e}");
        assert_eq!(seqs(&l), [1, 2, 3, 4], "{what}");
    }
}

#[test]
fn capture_through_a_fifo_in_3_byte_pieces() {
    let d = scratch("fifo");
    for (what, bytes) in small_captures() {
        let fifo = d.join(format!("{what}.fifo"));
        let made = Command::new("mkfifo").arg(&fifo).status();
        if !matches!(made, Ok(s) if s.success()) {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("CI=true but mkfifo failed: {made:?}");
            }
            eprintln!("skipping: mkfifo unavailable ({made:?})");
            return;
        }
        let child = Command::new(env!("CARGO_BIN_EXE_nlwire"))
            .args(["decode", "--json", fifo.to_str().unwrap()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let path = fifo.clone();
        let writer = std::thread::spawn(move || {
            let f = std::fs::OpenOptions::new().write(true).open(path).unwrap();
            trickle(f, &bytes);
        });
        let (c, l, e) = finish(child);
        writer.join().unwrap();
        assert_eq!(c, 0, "{what}: {e}");
        assert_eq!(seqs(&l), [1, 2, 3, 4], "{what}");
    }
}

// ---- item 3: bounded memory ----

/// The peak resident memory of a running process, in bytes (`VmHWM`).
fn peak_rss(pid: u32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Stream `chunks()` into `nlwire decode --summary -`; once everything is
/// written (and before stdin closes, so the process is still alive and has
/// read all but a pipe buffer of it), return its peak memory, then its
/// outcome.
fn stream_and_measure(
    mut chunks: impl FnMut(&mut dyn FnMut(&[u8])),
) -> Option<(u64, i32, String, String)> {
    if !Path::new("/proc/self/status").exists() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("CI=true but /proc is missing");
        }
        eprintln!("skipping: no /proc to measure memory");
        return None;
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_nlwire"))
        .args(["decode", "--summary", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    // stderr may carry many lines: drain it while writing.
    let mut err = child.stderr.take().unwrap();
    let drain = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut err, &mut s).unwrap();
        s
    });
    chunks(&mut |b| stdin.write_all(b).unwrap());
    stdin.flush().unwrap();
    // Let it read what the pipe still holds.
    std::thread::sleep(Duration::from_millis(300));
    let peak = peak_rss(child.id());
    let Some(peak) = peak else {
        drop(stdin);
        let o = child.wait_with_output().unwrap();
        panic!(
            "nlwire exited early: {:?} {}",
            o.status,
            drain.join().unwrap()
        );
    };
    drop(stdin);
    let o = child.wait_with_output().unwrap();
    let e = drain.join().unwrap();
    Some((peak, code(&o), stdout(&o), e))
}

#[test]
fn interface_description_block_flood_of_256_mib_keeps_memory_bounded() {
    let netlink_idb = idb(253);
    let per_chunk = 1 << 20;
    let mut chunk = Vec::with_capacity(per_chunk);
    while chunk.len() + netlink_idb.len() <= per_chunk {
        chunk.extend_from_slice(&netlink_idb);
    }
    let idbs_per_chunk = (chunk.len() / netlink_idb.len()) as u64;
    let chunks = 256u64;
    let total_idbs = idbs_per_chunk * chunks;
    let Some((peak, c, out, e)) = stream_and_measure(|w| {
        w(&shb());
        for _ in 0..chunks {
            w(&chunk);
        }
        // A packet on the last interface (dropped): still decoded, with a note.
        let last = (total_idbs - 1) as u32;
        w(&epb(0, 1, &nl(1)));
        w(&epb(last, 2, &nl(2)));
        w(&epb(0, 3, &nl(3)));
    }) else {
        return;
    };
    assert!(
        peak < 64 << 20,
        "peak memory {} MiB for a flood of {total_idbs} IDBs",
        peak >> 20
    );
    assert_eq!(c, 1, "{e}");
    assert!(out.contains("frames: 3 netlink"), "{out}");
    assert!(
        e.contains(&format!(
            "Interface Description Block (block type 0x00000001) at byte offset {}: \
             interface {MAX_INTERFACES} is beyond the {MAX_INTERFACES} interfaces kept per section; \
             not kept",
            28 + 20 * MAX_INTERFACES as u64
        )),
        "{e}"
    );
    assert!(
        e.contains(&format!(
            "{} Interface Description Blocks of the section beyond the first {MAX_INTERFACES} \
             were not kept",
            total_idbs - MAX_INTERFACES as u64
        )),
        "{e}"
    );
    assert!(
        e.contains(&format!(
            "frame 2: packet names interface {} whose Interface Description Block was not kept \
             (more than {MAX_INTERFACES} interfaces); read with link type 253, the link type of \
             every interface not kept",
            total_idbs - 1
        )),
        "{e}"
    );
    // One line for the first dropped IDB, one summary, one per packet:
    // not one per block.
    assert!(e.lines().count() < 10, "{} lines", e.lines().count());
}

#[test]
fn dropped_interfaces_of_mixed_link_types_are_reported_per_packet() {
    let d = scratch("mixed");
    let mut f = shb();
    for i in 0..MAX_INTERFACES + 2 {
        f.extend(idb(if i == MAX_INTERFACES + 1 { 1 } else { 253 }));
    }
    let n = MAX_INTERFACES as u32;
    f.extend(epb(n, 1, &nl(1)));
    f.extend(epb(0, 2, &nl(2)));
    let p = write(&d, "x.pcapng", &f);
    let (c, l, e) = decode_json(&p);
    assert_eq!(c, 1, "{e}");
    assert_eq!(seqs(&l), [2]);
    assert!(
        e.contains(&format!(
            "frame 1: packet names interface {n} whose Interface Description Block was not kept \
             (more than {n} interfaces); the interfaces not kept have different link types"
        )),
        "{e}"
    );
    // The reader's own view: interfaces kept never exceed the cap.
    let mut r = CaptureReader::new(std::fs::File::open(&p).unwrap()).unwrap();
    let mut errors = 0;
    loop {
        match r.next_packet() {
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(CaptureError::InterfacesNotKept { .. }) => errors += 1,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(errors, 2, "the first dropped IDB and the summary");
    assert_eq!(r.interface_linktypes().count(), MAX_INTERFACES);
}

#[test]
fn dropped_interfaces_sharing_a_link_type_but_not_a_clock_give_no_time() {
    let mut f = shb();
    for i in 0..MAX_INTERFACES + 2 {
        let mut b = Vec::new();
        b.extend_from_slice(&253u16.to_le_bytes());
        b.extend_from_slice(&0u16.to_le_bytes());
        b.extend_from_slice(&262_144u32.to_le_bytes());
        // if_tsresol 6 or 9, then opt_endofopt.
        b.extend_from_slice(&9u16.to_le_bytes());
        b.extend_from_slice(&1u16.to_le_bytes());
        b.extend_from_slice(&[if i % 2 == 0 { 6 } else { 9 }, 0, 0, 0]);
        b.extend_from_slice(&[0; 4]);
        f.extend(block(1, &b));
    }
    f.extend(epb(0, 1_000_000, &nl(1)));
    f.extend(epb(MAX_INTERFACES as u32, 1_000_000, &nl(2)));
    let mut r = CaptureReader::new(&f[..]).unwrap();
    assert!(matches!(
        r.next_packet(),
        Err(CaptureError::InterfacesNotKept { count: 0, .. })
    ));
    let p = r.next_packet().unwrap().unwrap();
    assert_eq!(p.time.map(|t| t.secs), Some(1));
    assert_eq!(p.note, None);
    let p = r.next_packet().unwrap().unwrap();
    assert_eq!(p.linktype, Some(253));
    assert_eq!(p.time, None, "the clocks of the dropped interfaces differ");
    assert_eq!(
        p.note,
        Some(PacketNote::InterfaceNotKept {
            interface: MAX_INTERFACES as u32,
            assumed_linktype: Some(253)
        })
    );
    assert!(matches!(
        r.next_packet(),
        Err(CaptureError::InterfacesNotKept { count: 2, .. })
    ));
    assert!(matches!(r.next_packet(), Ok(None)));
}

#[test]
fn block_of_huge_declared_length_is_skipped_without_allocating_it() {
    // A 64 MiB custom block (allowed by the format, larger than the reader
    // buffers): streamed past in bounded memory, and the frames after it
    // decode.
    let size = 64u32 << 20;
    let Some((peak, c, out, e)) = stream_and_measure(|w| {
        let mut head = shb();
        head.extend(idb(253));
        head.extend(epb(0, 1, &nl(1)));
        head.extend(raw_block(0x0000_0bad, size, &[0; 4]));
        w(&head);
        let zeros = vec![0u8; 1 << 20];
        let mut left = size as usize - 16;
        while left > 0 {
            let k = left.min(zeros.len());
            w(&zeros[..k]);
            left -= k;
        }
        w(&size.to_le_bytes());
        w(&epb(0, 2, &nl(2)));
    }) else {
        return;
    };
    assert!(peak < 48 << 20, "peak memory {} MiB", peak >> 20);
    assert_eq!(c, 1, "{e}");
    assert!(out.contains("frames: 2 netlink"), "{out}");
    assert!(
        e.contains(&format!(
            "Custom Block (block type 0x00000bad) at byte offset {} \
             claims more than {MAX_RECORD} bytes (its length field says {size}); skipped",
            28 + 20 + 68
        )),
        "{e}"
    );
}

#[test]
fn a_length_field_alone_does_not_grow_the_buffer() {
    // A block claiming 15 MiB (under the limit) in a file of a few hundred
    // bytes: truncated, and the buffer stays at its initial size instead of
    // being sized by the claim.
    for (what, f) in [
        ("pcapng", {
            let mut f = shb();
            f.extend(idb(253));
            f.extend(raw_block(6, 15 << 20, &[0; 200]));
            f
        }),
        ("pcap", {
            let mut f = pcap(253, &[], false, false);
            for v in [1u32, 0, 15 << 20, 15 << 20] {
                f.extend_from_slice(&v.to_le_bytes());
            }
            f.extend_from_slice(&[0; 200]);
            f
        }),
    ] {
        let mut r = CaptureReader::new(&f[..]).unwrap();
        assert!(
            matches!(r.next_packet(), Err(CaptureError::Truncated { .. })),
            "{what}"
        );
        assert_eq!(r.buffer_size(), INITIAL_WINDOW, "{what}");
    }
}

#[test]
fn reader_buffer_never_exceeds_the_record_limit() {
    // Library level: a block claiming 4 GiB in a short file is reported as
    // truncated, and nothing of that size is allocated (the process would
    // abort otherwise).
    let mut f = shb();
    f.extend(idb(253));
    f.extend(raw_block(6, 0xffff_fff0, &[0; 64]));
    let mut r = CaptureReader::new(&f[..]).unwrap();
    match r.next_packet() {
        Err(CaptureError::Truncated { offset }) => assert_eq!(offset, 48),
        other => panic!("{other:?}"),
    }
    assert!(matches!(r.next_packet(), Ok(None)));
}

#[test]
fn random_corruptions_never_panic_loop_or_stop_early_without_a_reason() {
    // Deterministic mutations of valid captures: every call returns, the
    // number of calls is bounded by the file size, and a reader that stops
    // before the end of the bytes has said why.
    let mut ng = shb();
    ng.extend(idb(253));
    ng.extend(idb(1));
    for i in 0..6 {
        ng.extend(epb(i % 2, u64::from(i), &nl(i)));
    }
    ng.extend(spb(&nl(9)));
    ng.extend(block(4, &[0; 4]));
    let recs: Vec<Rec> = (0..6).map(|i| Rec::new(1, i, nl(i))).collect();
    let originals = [
        ng,
        pcap(253, &recs, false, false),
        pcap(253, &recs, true, true),
    ];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for round in 0..6000 {
        let mut f = originals[round % originals.len()].clone();
        for _ in 0..=(next() % 4) {
            let at = (next() as usize) % f.len();
            match next() % 3 {
                0 => f[at] = next() as u8,
                1 => f.truncate(at.max(1)),
                _ => {
                    let v = (next() as u32).to_le_bytes();
                    for (k, b) in v.iter().enumerate() {
                        if let Some(x) = f.get_mut(at + k) {
                            *x = *b;
                        }
                    }
                }
            }
        }
        let Ok(mut r) = CaptureReader::new(&f[..]) else {
            continue;
        };
        let mut calls = 0;
        loop {
            calls += 1;
            assert!(calls <= f.len() + 4, "round {round}: too many calls");
            match r.next_packet() {
                Ok(Some(p)) => assert!(p.data.len() <= f.len()),
                Ok(None) => break,
                Err(e) => assert!(!e.to_string().is_empty()),
            }
        }
    }
}

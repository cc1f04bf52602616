//! Decoding and walking a large dump performs zero heap allocations, and so
//! does emitting into a caller's buffer (a dump request with a bytecode
//! filter, every reply of the dump re-emitted from its decoded form).
//!
//! A counting `#[global_allocator]` counts the allocations made by the
//! thread under test while counting is switched on. The dump (thousands of
//! `inet_diag` and `unix_diag` replies with every attribute a live 6.18
//! kernel sends, an extended ACK and `NLMSG_DONE`) is built before counting
//! starts; then the messages are walked, decoded in both modes, every
//! attribute decoded and every value walked through a visitor that itself
//! does not allocate.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use nlwire::families::sock_diag::bytecode::{Filter, HostCond, Program};
use nlwire::families::sock_diag::{
    decode, AddressFamily, InetDiagAttr, InetDiagAttrs, InetDiagMsg, InetDiagReqAttr,
    InetDiagReqV2, InetRequest, IpProto, SockDiagMessage, UnixDiagAttr, UnixDiagMsg,
    INET_DIAG_EXT_ALL, SOCK_DIAG_BY_FAMILY,
};
use nlwire::netlink::*;
use nlwire::payload::NulStr;
use nlwire::value::{Value, Visitor, Walk};
use nlwire::{Error, Mode};
use zerocopy::{FromZeros, IntoBytes};

// ---------------------------------------------------------------------------
// The counting allocator
// ---------------------------------------------------------------------------

struct Counting;

// Per thread: the tests run side by side, and one thread's allocations
// (a failing assertion formats its message) must not count against
// another's.
thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
    static BYTES: Cell<usize> = const { Cell::new(0) };
}

fn counting() -> bool {
    COUNTING.try_with(Cell::get).unwrap_or(false)
}

/// Count one allocation of `size` bytes if this thread is counting.
fn note(size: usize) {
    if counting() {
        let _ = ALLOCS.try_with(|a| a.set(a.get() + 1));
        let _ = BYTES.try_with(|b| b.set(b.get() + size));
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// wrapper only increments counters.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Run `f` with counting on for this thread; return its result and the
/// number of allocations (and bytes) it made.
fn count<R>(f: impl FnOnce() -> R) -> (R, usize, usize) {
    let a0 = ALLOCS.with(Cell::get);
    let b0 = BYTES.with(Cell::get);
    COUNTING.with(|c| c.set(true));
    let r = f();
    COUNTING.with(|c| c.set(false));
    let a = ALLOCS.with(Cell::get) - a0;
    let b = BYTES.with(Cell::get) - b0;
    (r, a, b)
}

// ---------------------------------------------------------------------------
// A visitor that does not allocate
// ---------------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    fields: usize,
    groups: usize,
    errors: usize,
    depth: usize,
    sum: u64,
    bytes: usize,
    named: usize,
}

impl Visitor for Tally {
    fn field(&mut self, name: &str, value: Value<'_>) {
        self.fields += 1;
        self.bytes += name.len();
        match value {
            Value::U64(n) => self.sum = self.sum.wrapping_add(n),
            Value::I64(n) => self.sum = self.sum.wrapping_add(n as u64),
            Value::Bytes(b) | Value::Str(b) | Value::Mac(b) => self.bytes += b.len(),
            Value::Enum { raw, name } => {
                self.sum = self.sum.wrapping_add(raw);
                self.named += usize::from(name.is_some());
            }
            Value::Flags { raw, names } => {
                self.sum = self.sum.wrapping_add(raw);
                self.named += names.iter().filter(|(m, _)| raw & m == *m).count();
            }
            _ => {}
        }
    }
    fn begin(&mut self, _name: &str) {
        self.groups += 1;
        self.depth += 1;
    }
    fn end(&mut self) {
        self.depth -= 1;
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, _e: Error) {
        self.errors += 1;
    }
}

// ---------------------------------------------------------------------------
// The dump, built before counting
// ---------------------------------------------------------------------------

const INET: usize = 4000;
const UNIX: usize = 1000;

fn inet_reply(b: &mut Builder<Vec<u8>>, i: usize) -> nlwire::Result<()> {
    let mut msg = InetDiagMsg::new_zeroed();
    {
        let m = msg.as_mut_bytes();
        m[0] = if i % 2 == 0 { 2 } else { 10 }; // AF_INET / AF_INET6
        m[1] = 1; // TCP_ESTABLISHED
        m[4..6].copy_from_slice(&(1024 + (i as u16)).to_be_bytes());
        m[6..8].copy_from_slice(&443u16.to_be_bytes());
        m[8..12].copy_from_slice(&[127, 0, 0, 1]);
        m[24..28].copy_from_slice(&[10, 0, 0, (i % 250) as u8]);
        m[68..72].copy_from_slice(&(i as u32).to_ne_bytes());
    }
    let info: Vec<u8> = (0..280).map(|x| (x + i) as u8).collect();
    b.message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 7, 4242, |b| {
        b.put_struct(&msg)?;
        b.attr_raw(1, &[1; 16])?; // INET_DIAG_MEMINFO
        b.attr_raw(2, &info)?; // INET_DIAG_INFO (tcp_info, 280 bytes)
        b.attr(4, &NulStr(b"bbr\0"))?; // INET_DIAG_CONG
        b.attr(5, &0u8)?; // INET_DIAG_TOS
        b.attr_raw(7, &[2; 36])?; // INET_DIAG_SKMEMINFO
        b.attr(8, &0u8)?; // INET_DIAG_SHUTDOWN
        b.attr(15, &(i as u32))?; // INET_DIAG_MARK
        b.attr(17, &0u32)?; // INET_DIAG_CLASS_ID
        b.attr(21, &(i as u64))?; // INET_DIAG_CGROUP_ID
        b.attr_raw(22, &[0, 0]) // INET_DIAG_SOCKOPT
    })
}

fn unix_reply(b: &mut Builder<Vec<u8>>, i: usize) -> nlwire::Result<()> {
    let mut msg = UnixDiagMsg::new_zeroed();
    {
        let m = msg.as_mut_bytes();
        m[0] = 1; // AF_UNIX
        m[1] = 1; // SOCK_STREAM
        m[2] = 10; // TCP_LISTEN
        m[4..8].copy_from_slice(&(i as u32).to_ne_bytes());
    }
    b.message(SOCK_DIAG_BY_FAMILY, NLM_F_MULTI, 7, 4242, |b| {
        b.put_struct(&msg)?;
        b.attr_raw(0, b"/tmp/nlwire.sock\0")?; // UNIX_DIAG_NAME
        b.attr_raw(1, &[0; 8])?; // UNIX_DIAG_VFS
        b.attr(2, &(i as u32 + 1))?; // UNIX_DIAG_PEER
        b.attr_raw(3, &[])?; // UNIX_DIAG_ICONS, empty
        b.attr_raw(4, &[0; 8])?; // UNIX_DIAG_RQLEN
        b.attr_raw(5, &[3; 36])?; // UNIX_DIAG_MEMINFO
        b.attr(6, &0u8)?; // UNIX_DIAG_SHUTDOWN
        b.attr(7, &1000u32) // UNIX_DIAG_UID
    })
}

fn dump() -> Vec<u8> {
    let mut b = Builder::new_vec();
    for i in 0..INET {
        inet_reply(&mut b, i).unwrap();
    }
    for i in 0..UNIX {
        unix_reply(&mut b, i).unwrap();
    }
    // An error ACK with extended ACK, then NLMSG_DONE with its int.
    b.message(2, NLM_F_CAPPED | NLM_F_ACK_TLVS, 7, 4242, |b| {
        b.put_bytes(&(-22i32).to_ne_bytes())?;
        b.put_struct(&NlMsgHdr::new(64, 20, 0x301, 7, 4242))?;
        b.attr(1, &NulStr(b"bad filter\0"))?;
        b.attr(2, &20u32)
    })
    .unwrap();
    b.message(3, NLM_F_MULTI, 7, 4242, |b| {
        b.put_bytes(&0i32.to_ne_bytes())
    })
    .unwrap();
    b.into_vec()
}

/// Everything a dump consumer does, without allocating.
fn decode_and_walk(bytes: &[u8], mode: Mode) -> (usize, Tally) {
    let mut n = 0usize;
    let mut t = Tally::default();
    for m in Messages::with_mode(bytes, mode) {
        let m = m.expect("valid framing");
        n += 1;
        m.header.walk(&mut t);
        match m.header.standard_type() {
            NlMsgType::Error => {
                let e = NlMsgErr::parse(m.payload, m.header.nlmsg_flags.get(), mode).unwrap();
                assert_eq!(e.message(), Some(&b"bad filter"[..]));
                e.walk(&mut t);
            }
            NlMsgType::Done => {
                let d = NlMsgDone::parse(m.payload, m.header.nlmsg_flags.get(), mode).unwrap();
                d.walk(&mut t);
            }
            _ => {
                let d = decode(&m, mode).expect("sock_diag reply decodes");
                d.walk(&mut t);
                match d {
                    SockDiagMessage::InetResponse(r) => {
                        t.sum = t.sum.wrapping_add(u64::from(r.header.id.sport()));
                        for a in r.attrs() {
                            if let InetDiagAttr::Info(info) = a.unwrap() {
                                let info = info.as_tcp_info();
                                t.sum = t.sum.wrapping_add(u64::from(info.tcpi_rtt().unwrap()));
                                assert!(info.extra().is_empty());
                            }
                        }
                    }
                    SockDiagMessage::UnixResponse(r) => {
                        for a in r.attrs() {
                            if let UnixDiagAttr::Icons(i) = a.unwrap() {
                                assert!(i.0.is_empty());
                            }
                        }
                    }
                    other => panic!("unexpected {other:?}"),
                }
                // The generic decoder too.
                let g = nlwire::decode::decode(4, m, mode);
                g.walk(&mut t);
            }
        }
    }
    (n, t)
}

#[test]
fn decoding_and_walking_a_large_dump_allocates_nothing() {
    let bytes = dump();
    assert!(bytes.len() > 1_000_000, "{} bytes", bytes.len());
    // Warm up lazily initialised runtime state outside the count.
    let first = Messages::new(&bytes).next().unwrap().unwrap().bytes.len();
    let _ = decode_and_walk(&bytes[..first], Mode::Lenient);

    // The counter works: a Box made while counting is counted.
    let (_, a, _) = count(|| Box::new([0u8; 64]));
    assert_eq!(a, 1, "the counting allocator does not count");

    for mode in [Mode::Lenient, Mode::Strict] {
        let ((n, t), allocs, bytes_allocated) = count(|| decode_and_walk(&bytes, mode));
        assert_eq!(n, INET + UNIX + 2);
        assert_eq!(t.errors, 0);
        assert_eq!(t.depth, 0);
        assert!(t.fields > 100 * (INET + UNIX), "{} fields walked", t.fields);
        assert!(t.named > 0 && t.groups > 0 && t.bytes > 0 && t.sum > 0);
        assert_eq!(
            (allocs, bytes_allocated),
            (0, 0),
            "{mode:?}: {allocs} allocations ({bytes_allocated} bytes) while decoding {n} messages"
        );
    }
}

#[test]
fn bytecode_audit_iterate_and_run_allocate_nothing() {
    let f = Filter::SportEq(22)
        .or(Filter::DportEq(443))
        .and(!Filter::Dst(HostCond::prefix(
            "10.0.0.0".parse().unwrap(),
            8,
        )));
    let bytes = f.compile().unwrap();
    let entry = nlwire::families::sock_diag::bytecode::SockEntry {
        src: "127.0.0.1".parse().unwrap(),
        dst: "10.0.0.1".parse().unwrap(),
        sport: 22,
        dport: 5000,
        ifindex: 1,
        userlocks: 0,
        mark: 0,
        cgroup_id: 0,
    };
    let (yes, allocs, _) = count(|| {
        let p = Program::parse(&bytes).unwrap();
        let mut t = Tally::default();
        for _ in 0..1000 {
            p.walk(&mut t);
            for ins in p.iter() {
                ins.walk(&mut t);
            }
        }
        assert_eq!(t.errors, 0);
        p.run(&entry)
    });
    assert!(!yes, "dst 10.0.0.1 is excluded by the filter");
    assert_eq!(allocs, 0);
}

/// Emit into `buf` what `body` writes as one message like `m`'s (type,
/// flags, sequence, port); the number of bytes written.
fn emit_like(
    buf: &mut [u8],
    m: &RawMessage<'_>,
    body: impl FnOnce(&mut Builder<SliceSink<'_>>) -> nlwire::Result<()>,
) -> usize {
    let h = m.header;
    let mut b = Builder::new(buf);
    b.message(
        h.nlmsg_type.get(),
        h.nlmsg_flags.get(),
        h.nlmsg_seq.get(),
        h.nlmsg_pid.get(),
        body,
    )
    .expect("fits");
    b.len()
}

#[test]
fn emitting_into_a_callers_buffer_allocates_nothing() {
    let bytes = dump();
    let prog = Filter::SportEq(22)
        .or(Filter::SportEq(80))
        .or(Filter::DportEq(443))
        .and(!Filter::DportEq(9))
        .compile()
        .unwrap();
    let req = InetDiagReqV2::dump(AddressFamily::Inet, IpProto::Tcp, INET_DIAG_EXT_ALL, 0xfff);
    let mut buf = vec![0u8; 65536];

    let ((inet, unix), allocs, bytes_allocated) = count(|| {
        // The request, with its filter, into the caller's buffer.
        let mut b = Builder::new(&mut buf[..]);
        let attrs = [InetDiagReqAttr::Bytecode(Program::new(&prog))];
        b.message(SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0, |b| {
            InetRequest::write(b, &req, &attrs)
        })
        .unwrap();
        let n = b.len();
        let m = Messages::new(&buf[..n]).next().unwrap().unwrap();
        let Ok(SockDiagMessage::InetRequest(r)) = decode(&m, Mode::Strict) else {
            panic!("the request decodes");
        };
        assert_eq!(r.attrs().count(), 1);

        // Every reply of the dump, re-emitted from its decoded attributes
        // (and the inet ones from the struct of their attributes too),
        // byte for byte.
        let (mut inet, mut unix) = (0, 0);
        for m in Messages::new(&bytes) {
            let m = m.unwrap();
            let mut out = [0u8; 1024];
            match decode(&m, Mode::Strict) {
                Ok(SockDiagMessage::InetResponse(r)) => {
                    let n = emit_like(&mut out, &m, |b| r.emit(b));
                    assert_eq!(&out[..n], m.bytes);
                    let s = InetDiagAttrs::parse_at(r.attr_bytes(), r.attrs_offset(), Mode::Strict)
                        .unwrap();
                    let n = emit_like(&mut out, &m, |b| {
                        b.put_struct(r.header)?;
                        s.emit(b)
                    });
                    // The same attributes, in the kernel's order (this
                    // dump's are in kind order).
                    assert_eq!(n, m.bytes.len());
                    let again = Messages::new(&out[..n]).next().unwrap().unwrap();
                    let Ok(SockDiagMessage::InetResponse(again)) = decode(&again, Mode::Strict)
                    else {
                        panic!("the re-emitted reply decodes");
                    };
                    assert_eq!(again.header.as_bytes(), r.header.as_bytes());
                    let t = InetDiagAttrs::parse_at(
                        again.attr_bytes(),
                        again.attrs_offset(),
                        Mode::Strict,
                    )
                    .unwrap();
                    assert_eq!(t, s);
                    inet += 1;
                }
                Ok(SockDiagMessage::UnixResponse(r)) => {
                    let n = emit_like(&mut out, &m, |b| r.emit(b));
                    assert_eq!(&out[..n], m.bytes);
                    unix += 1;
                }
                _ => {}
            }
        }
        (inet, unix)
    });
    assert_eq!((inet, unix), (INET, UNIX));
    assert_eq!(
        (allocs, bytes_allocated),
        (0, 0),
        "{allocs} allocations ({bytes_allocated} bytes) while emitting"
    );
}

//! `nlwire ss --json`: one JSON object per socket, built by walking the
//! decoded reply with the codec's [`Walk`] — no field is listed by hand.
//!
//! The fixed header (`struct inet_diag_msg`, `struct unix_diag_msg`,
//! `struct netlink_diag_msg`, `struct packet_diag_msg`) and
//! its `id` (`struct inet_diag_sockid`) are flattened into the object, so
//! `idiag_sport`, `idiag_state`, `udiag_ino` are top-level keys; each
//! attribute is a key named by its kernel name (`INET_DIAG_INFO` holding
//! `tcpi_rtt`, …, `UNIX_DIAG_PEER`). Scalars are as `nlwire decode --json`
//! writes them (enums and flags as `{"value", "name(s)"}`); a repeated key
//! becomes an array; a group of keys `"0"`, `"1"`, … (a C array) an array.
//! `netid` is ss's `tcp`, `u_str`, `nl`, `p_raw`, ….
//!
//! Keys are written in byte order (as a sorted map would), a repeated
//! key's values in walk order. Each group's layout ([`Plan`]: sorted order,
//! repeats, each `"key":` text) is guessed at its `begin` (the last layout
//! of that name); while the walk gives the guessed keys, each child is
//! written at once as its `"key":` text and value into memory reused from
//! socket to socket ([`JsonWriter`]), and put in sorted order at the
//! group's end. When a key differs, the group's keys are recorded and its
//! layout looked up (by name and key count, compared for equality) or
//! made.

use std::collections::HashMap;
use std::rc::Rc;

use nlwire::families::sock_diag::{
    InetDiagMsg, InetResponse, NetlinkDiagMsg, PacketDiagMsg, SockDiagMessage, TcpInfoView,
    UnixDiagMsg, INET_DIAG_INFO, INET_DIAG_PROTOCOL, INET_DIAG_SOCKOPT,
};
use nlwire::netlink::Scope;
use nlwire::value::{Value, Visitor, Walk};
use nlwire::wire::WireStruct;
use nlwire::Error;
use nlwire_cli::output::json::{put_json_str, write_value};
use nlwire_cli::output::{describe_error, enum_digits, for_each_flag};

use super::json_inet;
use super::json_plan::{to_u32, Plan};
use super::json_tcp::TcpJson;
use super::json_unix;
use super::query::{decode_reply, Netid, Sock};

/// Groups whose fields go straight into the enclosing object.
fn flattened(name: &str, depth: usize) -> bool {
    (depth == 0
        && [
            InetDiagMsg::NAME,
            UnixDiagMsg::NAME,
            NetlinkDiagMsg::NAME,
            PacketDiagMsg::NAME,
        ]
        .contains(&name))
        || (depth == 1 && name == "id")
}

/// A value as `nlwire decode --json` writes it ([`write_value`]; integers
/// written here directly), but with the keys of enums and flags in byte order (`name`, `value`; `names`,
/// `unknown`, `value`) as a sorted map writes them.
#[inline(always)]
fn put_value(v: &Value<'_>, s: &mut String) {
    let mut num = itoa::Buffer::new();
    match *v {
        // The most common values (every `tcpi_*`), without the `Sink`.
        Value::U64(n) => s.push_str(num.format(n)),
        Value::I64(n) => s.push_str(num.format(n)),
        Value::Enum { raw, name } => {
            s.push_str("{\"name\":");
            match name {
                Some(n) => put_json_str(n, s),
                None => s.push_str("null"),
            }
            s.push_str(",\"value\":");
            s.push_str(enum_digits(raw, &mut num));
            s.push('}');
        }
        Value::Flags { raw, names } => {
            s.push_str("{\"names\":[");
            let mut first = true;
            let rest = for_each_flag(raw, names, |n| {
                if !first {
                    s.push(',');
                }
                first = false;
                put_json_str(n, s);
            });
            s.push(']');
            if rest != 0 {
                s.push_str(",\"unknown\":");
                s.push_str(num.format(rest));
            }
            s.push_str(",\"value\":");
            s.push_str(num.format(raw));
            s.push('}');
        }
        _ => write_value(v, s),
    }
}

/// [`put_value`], not inlined (for [`TcpJson`]'s enums and flags).
pub(super) fn put_value_outlined(v: &Value<'_>, s: &mut String) {
    put_value(v, s);
}

/// One child of a group: its text in [`JsonWriter::buf`].
#[derive(Clone, Copy, Debug)]
struct Kid {
    /// Where its text starts: the `"key":` text of the predicted layout
    /// (while the group matches it), then the value.
    seg: u32,
    /// Where its value starts.
    val: u32,
    /// Where its text ends.
    end: u32,
    /// Its key's range in [`JsonWriter::keys`], once the group is
    /// recorded rather than matched.
    key: (u32, u32),
}

/// An open (not flattened) group.
#[derive(Debug)]
struct Group {
    /// Its name (hash; 0 for the socket's object).
    name: u64,
    /// The layout it is expected to have: while `matching`, every child so
    /// far had this layout's key at its position.
    plan: Option<Rc<Plan>>,
    matching: bool,
    /// Its children start here in [`JsonWriter::kids`].
    mark: usize,
    /// Its own text (as a child of the enclosing group), from here in
    /// [`JsonWriter::buf`]; its value from `val`.
    seg: usize,
    val: usize,
    /// Its key's range in [`JsonWriter::keys`] (recorded enclosing group).
    key: (u32, u32),
}

/// Remembered key orders at most (a bound on memory; the table is emptied
/// when full).
const MAX_ORDERS: usize = 4096;

/// Object layouts remembered ([`Plan`]): by object name (hash) and child
/// count, and the last one used per name (the guess for the next socket).
#[derive(Debug, Default)]
struct Orders {
    known: HashMap<(u64, usize), Rc<Plan>, Fnv>,
    last: HashMap<u64, Rc<Plan>, Fnv>,
    /// Scratch: key ends of a group's keys lying one after another.
    ends: Vec<u32>,
}

impl Orders {
    /// The layout of `kids` (keys recorded in `keys`) of the group `name`
    /// (hash): the remembered one when its keys are theirs, else a new one,
    /// remembered; kept as the guess for `name`.
    fn plan(&mut self, keys: &str, name: u64, kids: &[Kid]) -> Rc<Plan> {
        let n = kids.len();
        let key = |k: &Kid| {
            keys.get(k.key.0 as usize..k.key.1 as usize)
                .unwrap_or_default()
        };
        let found =
            self.known
                .get(&(name, n))
                .filter(|p| match joined(keys, kids, &mut self.ends) {
                    Some(text) => p.matches_joined(text, self.ends.iter().copied()),
                    None => p.matches(n, kids.iter().map(key)),
                });
        let p = match found {
            Some(p) => Rc::clone(p),
            None => {
                let p = Rc::new(Plan::new(kids.iter().map(key)));
                if self.known.len() >= MAX_ORDERS {
                    self.known.clear();
                }
                self.known.insert((name, n), Rc::clone(&p));
                p
            }
        };
        if self.last.len() >= MAX_ORDERS {
            self.last.clear();
        }
        self.last.insert(name, Rc::clone(&p));
        p
    }
}

/// When the keys of `kids` lie one after another in `keys` (a group of
/// scalars, as `tcp_info`), their text and whether the `i`th ends at
/// `ends[i]`, counted from that text's start.
fn joined<'k>(keys: &'k str, kids: &[Kid], ends: &mut Vec<u32>) -> Option<&'k str> {
    ends.clear();
    let first = kids.first()?.key.0;
    let mut at = first;
    for k in kids {
        let (a, b) = k.key;
        if a != at || b < a {
            return None;
        }
        ends.push(b - first);
        at = b;
    }
    keys.get(first as usize..at as usize)
}

/// Writes sockets as JSON objects, one line each, with memory reused from
/// one socket to the next.
///
/// Each group's layout is guessed at its `begin` (the last layout of that
/// name); while the walk gives the guessed keys, each child is written at
/// once as its `"key":` text and value, and at the group's end the
/// children are put in sorted order. When a key differs, the group's keys
/// are recorded and its layout looked up or made at its end.
#[derive(Debug, Default)]
pub struct JsonWriter {
    /// The text of the children of the open groups.
    buf: String,
    /// Keys of the groups that did not match their guess.
    keys: String,
    /// The children of the open groups, each group's from its mark.
    kids: Vec<Kid>,
    /// The open groups; the first is the socket's object.
    groups: Vec<Group>,
    /// The walk's open groups: whether each is flattened.
    stack: Vec<bool>,
    /// A group's text in its output order.
    scratch: String,
    errors: Vec<String>,
    orders: Orders,
    /// `struct tcp_info` written from its bytes ([`TcpJson`]).
    tcp: TcpJson,
    /// The bytes of the socket's `INET_DIAG_INFO`, when [`TcpJson`]
    /// writes it (see [`tcp_info_of`]).
    tcp_raw: Vec<u8>,
    tcp_ready: bool,
    /// This socket's `INET_DIAG_SOCKOPT` bytes (see [`tcp_info_of`]).
    sockopt: Option<[u8; 2]>,
    /// The last `INET_DIAG_SOCKOPT` written by the walk: its bytes and its
    /// JSON text (a struct of bits: the same bytes, the same text).
    sockopt_memo: Option<[u8; 2]>,
    sockopt_text: String,
    /// Bytes of the `INET_DIAG_SOCKOPT` being walked, to remember.
    sockopt_pending: Option<[u8; 2]>,
    /// Groups open inside a group written from its bytes: the walk's
    /// calls in them are left out.
    skip: usize,
    /// The walk's scope (selectors, the base of error offsets): walked
    /// directly rather than through the walkers' wrappers.
    scope: Scope,
    /// Every socket through the walk (tests: the general path that the
    /// ones from the bytes are compared with).
    pub(super) walk_only: bool,
    /// [`JsonWriter::socket`]'s bytes before they are text.
    bytes: Vec<u8>,
    /// The header enums' texts of [`json_inet`] and [`json_unix`].
    inet_texts: json_inet::Texts,
    unix_texts: json_unix::Texts,
    /// Sockets written from their bytes (tests).
    #[cfg(test)]
    pub(super) from_bytes: usize,
}

/// What [`tcp_info_of`] finds in a reply's attributes.
#[derive(Default)]
struct Fixed<'a> {
    /// The `struct tcp_info` the walk will give as `INET_DIAG_INFO`.
    tcp: Option<TcpInfoView<'a>>,
    /// The two bytes of `struct inet_diag_sockopt` (`INET_DIAG_SOCKOPT`).
    sockopt: Option<[u8; 2]>,
}

/// The attributes of `m` that are written without their walk, when sure
/// to be walked as expected: every attribute read whole (else nothing),
/// each of them once and with no flag; `INET_DIAG_INFO` only without
/// `INET_DIAG_PROTOCOL` (without one the walk reads the payload as
/// `tcp_info`) and with no bytes past the fields known;
/// `INET_DIAG_SOCKOPT` of exactly two bytes.
fn tcp_info_of<'a>(m: &InetResponse<'a>) -> Fixed<'a> {
    let mut f = Fixed::default();
    let (mut infos, mut sockopts) = (0, 0);
    for a in m.attrs().raw() {
        let Ok(a) = a else {
            return Fixed::default();
        };
        match a.kind {
            INET_DIAG_INFO if a.flags == 0 => {
                infos += 1;
                f.tcp = Some(TcpInfoView::new(a.payload));
            }
            INET_DIAG_SOCKOPT if a.flags == 0 => {
                sockopts += 1;
                f.sockopt = <[u8; 2]>::try_from(a.payload).ok();
            }
            INET_DIAG_INFO | INET_DIAG_SOCKOPT => return Fixed::default(),
            INET_DIAG_PROTOCOL => infos = 2,
            _ => {}
        }
    }
    if infos != 1 {
        f.tcp = None;
    }
    if sockopts != 1 {
        f.sockopt = None;
    }
    f.tcp = f.tcp.filter(TcpJson::fits);
    f
}

/// The tables' hasher: keys are names already hashed ([`name_hash`]) and
/// counts, mixed as FNV-1a mixes bytes, a word at a time.
#[derive(Clone, Copy, Debug, Default)]
struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n).wrapping_mul(0x0100_0000_01b3);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type Fnv = std::hash::BuildHasherDefault<FnvHasher>;

/// A 64-bit FNV-1a hash of `s` (a guess at the key order, checked).
fn name_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn at(n: usize) -> u32 {
    to_u32(n)
}

impl JsonWriter {
    /// A writer with no memory yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Start a socket's object.
    fn reset(&mut self) {
        self.buf.clear();
        self.keys.clear();
        self.kids.clear();
        self.groups.clear();
        self.stack.clear();
        self.errors.clear();
        self.skip = 0;
        self.scope = Scope::new();
        self.tcp_ready = false;
        self.sockopt = None;
        self.sockopt_pending = None;
        self.open(0, (0, 0));
    }

    /// Open a group named `name` (hash) whose text starts at the end of
    /// [`JsonWriter::buf`], after its key's text (from `seg`).
    fn open(&mut self, name: u64, key: (u32, u32)) {
        let plan = self.orders.last.get(&name).cloned();
        let seg = self.buf.len();
        if let Some(p) = &plan {
            self.buf.push(p.brackets().0);
        }
        self.groups.push(Group {
            name,
            matching: plan.is_some(),
            plan,
            mark: self.kids.len(),
            seg,
            val: seg,
            key,
        });
    }

    /// The next child's key `name` in the innermost group: its `"key":`
    /// text written when the group still matches its guess, else the key
    /// recorded (its range returned).
    fn key(&mut self, name: &str) -> (u32, u32) {
        let n = self.kids.len();
        if let Some(g) = self.groups.last_mut() {
            let pos = n.saturating_sub(g.mark);
            if g.matching {
                if let Some(pre) = g.plan.as_deref().and_then(|p| p.expect(pos, name)) {
                    self.buf.push_str(pre);
                    return (0, 0);
                }
                self.record();
            }
        }
        let start = self.keys.len();
        self.keys.push_str(name);
        (at(start), at(self.keys.len()))
    }

    /// The innermost group no longer matches its guess: its children's keys
    /// so far (the guess's) recorded.
    fn record(&mut self) {
        let Some(g) = self.groups.last_mut() else {
            return;
        };
        g.matching = false;
        let Some(p) = g.plan.take() else {
            return;
        };
        for (i, k) in self.kids.iter_mut().skip(g.mark).enumerate() {
            let start = self.keys.len();
            self.keys.push_str(p.key_at(i));
            k.key = (at(start), at(self.keys.len()));
        }
    }

    /// Record a key holding JSON text written by `f`.
    fn text_field(&mut self, name: &str, f: impl FnOnce(&mut String)) {
        let seg = self.buf.len();
        let key = self.key(name);
        let val = self.buf.len();
        f(&mut self.buf);
        self.kids.push(Kid {
            seg: at(seg),
            val: at(val),
            end: at(self.buf.len()),
            key,
        });
    }

    /// Close the innermost group: its text, in output order, from its
    /// `val`; true when that text is [`JsonWriter::scratch`] rather than
    /// in place.
    fn close(&mut self) -> Option<Group> {
        let n = self.kids.len().saturating_sub(self.groups.last()?.mark);
        let g = self.groups.last()?;
        if !(g.matching && g.plan.as_ref().is_some_and(|p| p.len() == n)) {
            self.record();
        }
        let mut g = self.groups.pop()?;
        let kids = self.kids.get(g.mark..).unwrap_or_default();
        let plan = match g.plan.take() {
            Some(p) if g.matching => {
                if p.is_identity() {
                    self.buf.push(p.brackets().1);
                    return Some(g);
                }
                p
            }
            _ => self.orders.plan(&self.keys, g.name, kids),
        };
        let s = &mut self.scratch;
        s.clear();
        let (open, close) = plan.brackets();
        s.push(open);
        for (w, pre, closes) in plan.places() {
            let Some(k) = kids.get(w) else {
                continue;
            };
            let from = if g.matching {
                k.seg
            } else {
                s.push_str(pre);
                k.val
            };
            s.push_str(
                self.buf
                    .get(from as usize..k.end as usize)
                    .unwrap_or_default(),
            );
            if closes {
                s.push(']');
            }
        }
        s.push(close);
        g.matching = false;
        Some(g)
    }

    /// One socket as one line of JSON (a newline at the end) appended to
    /// `out`; with `users`, that text (a JSON value) as the `users` key
    /// (replacing any the walk gave).
    pub fn socket(&mut self, sock: &Sock, users: Option<&str>, out: &mut String) {
        let mut b = std::mem::take(&mut self.bytes);
        b.clear();
        self.reply(sock.netid, &sock.msg, users, &mut b);
        out.push_str(std::str::from_utf8(&b).unwrap_or_default());
        self.bytes = b;
    }

    /// [`JsonWriter::socket`] into bytes (the text is UTF-8).
    pub fn socket_bytes(&mut self, sock: &Sock, users: Option<&str>, out: &mut Vec<u8>) {
        self.reply(sock.netid, &sock.msg, users, out);
    }

    /// [`JsonWriter::socket`] of the reply `msg` (`nlmsghdr` included) of
    /// a socket of `netid`.
    pub fn reply(&mut self, netid: Netid, msg: &[u8], users: Option<&str>, out: &mut Vec<u8>) {
        let decoded = decode_reply(msg);
        if !self.walk_only {
            let done = match &decoded {
                Some(SockDiagMessage::UnixResponse(m)) => {
                    json_unix::write(m, &mut self.unix_texts, netid.name(), users, out)
                }
                Some(SockDiagMessage::InetResponse(m)) => {
                    let kept = self.sockopt_memo.map(|b| (b, self.sockopt_text.as_str()));
                    json_inet::write(
                        m,
                        &mut self.tcp,
                        &mut self.inet_texts,
                        kept,
                        netid.name(),
                        users,
                        out,
                    )
                }
                _ => false,
            };
            if done {
                #[cfg(test)]
                {
                    self.from_bytes += 1;
                }
                return;
            }
        }
        self.reset();
        let netid = netid.name();
        self.text_field("netid", |s| put_json_str(netid, s));
        match decoded {
            Some(m) => {
                if let SockDiagMessage::InetResponse(r) = &m {
                    let f = tcp_info_of(r);
                    if let Some(t) = f.tcp {
                        self.tcp_raw.clear();
                        self.tcp_raw.extend_from_slice(t.as_bytes());
                        self.tcp_ready = true;
                    }
                    self.sockopt = f.sockopt;
                }
                m.walk(self)
            }
            None => self.errors.push("undecodable reply".into()),
        }
        self.finish(users, out);
    }

    /// [`JsonWriter::finish`] into text (tests).
    #[cfg(test)]
    fn finish_text(&mut self, users: Option<&str>, out: &mut String) {
        let mut b = Vec::new();
        self.finish(users, &mut b);
        out.push_str(std::str::from_utf8(&b).unwrap());
    }

    /// Close what is open, add `errors` and `users`, write the object.
    fn finish(&mut self, users: Option<&str>, out: &mut Vec<u8>) {
        while !self.stack.is_empty() {
            self.end();
        }
        if !self.errors.is_empty() {
            let errors = std::mem::take(&mut self.errors);
            self.text_field("errors", |s| {
                s.push('[');
                for (i, e) in errors.iter().enumerate() {
                    if i > 0 {
                        s.push(',');
                    }
                    put_json_str(e, s);
                }
                s.push(']');
            });
            self.errors = errors;
        }
        if let Some(u) = users {
            if let Some(g) = self.groups.first() {
                let n = self.kids.len().saturating_sub(g.mark);
                let walked = match (&g.plan, g.matching) {
                    (Some(p), true) => p.users_at().is_some_and(|i| i < n),
                    _ => true,
                };
                if walked {
                    self.record();
                    let keys = &self.keys;
                    self.kids
                        .retain(|k| keys.get(k.key.0 as usize..k.key.1 as usize) != Some("users"));
                }
            }
            self.text_field("users", |s| s.push_str(u));
        }
        let in_place = match self.close() {
            Some(g) => g.matching,
            None => false,
        };
        let text = if in_place { &self.buf } else { &self.scratch };
        out.extend_from_slice(text.as_bytes());
        out.push(b'\n');
    }
}

impl Visitor for JsonWriter {
    fn field(&mut self, name: &str, value: Value<'_>) {
        if self.skip > 0 {
            return;
        }
        self.text_field(name, |s| put_value(&value, s));
    }
    fn begin_struct(&mut self, name: &str) {
        if self.skip == 0 && self.tcp_ready && self.stack.is_empty() && name == "INET_DIAG_INFO" {
            // Written from the bytes; the walk's fields of it left out.
            self.tcp_ready = false;
            let raw = std::mem::take(&mut self.tcp_raw);
            let mut tcp = std::mem::take(&mut self.tcp);
            self.text_field(name, |s| tcp.write(&TcpInfoView::new(&raw), s));
            self.tcp = tcp;
            self.tcp_raw = raw;
            self.skip = 1;
            return;
        }
        if self.skip == 0 && self.stack.is_empty() && name == "INET_DIAG_SOCKOPT" {
            if let Some(raw) = self.sockopt.take() {
                if self.sockopt_memo == Some(raw) {
                    let text = std::mem::take(&mut self.sockopt_text);
                    self.text_field(name, |s| s.push_str(&text));
                    self.sockopt_text = text;
                    self.skip = 1;
                    return;
                }
                self.sockopt_pending = Some(raw);
            }
        }
        self.begin(name);
    }
    fn begin(&mut self, name: &str) {
        if self.skip > 0 {
            self.skip += 1;
            return;
        }
        let flat = flattened(name, self.depth());
        self.stack.push(flat);
        if flat {
            return;
        }
        let seg = self.buf.len();
        let key = self.key(name);
        self.open(name_hash(name), key);
        if let Some(g) = self.groups.last_mut() {
            g.seg = seg;
        }
    }
    fn end(&mut self) {
        if self.skip > 0 {
            self.skip -= 1;
            return;
        }
        match self.stack.pop() {
            Some(false) => {}
            _ => return,
        }
        if self.groups.len() < 2 {
            return;
        }
        let Some(g) = self.close() else {
            return;
        };
        if !g.matching {
            self.buf.truncate(g.val);
            self.buf.push_str(&self.scratch);
        }
        self.kids.truncate(g.mark);
        self.kids.push(Kid {
            seg: at(g.seg),
            val: at(g.val),
            end: at(self.buf.len()),
            key: g.key,
        });
        if self.stack.is_empty() {
            if let Some(raw) = self.sockopt_pending.take() {
                self.sockopt_text.clear();
                self.sockopt_text
                    .push_str(self.buf.get(g.val..).unwrap_or_default());
                self.sockopt_memo = Some(raw);
            }
        }
    }
    fn depth(&self) -> usize {
        self.stack.len() + self.skip
    }
    fn error(&mut self, e: Error) {
        let e = self.scope.rebase(e);
        self.errors
            .push(format!("at {}: {}", e.offset, describe_error(&e)));
    }
    fn scope(&mut self) -> Option<&mut Scope> {
        Some(&mut self.scope)
    }
}

/// One socket as a JSON line (newline included), with a writer of its own.
#[cfg(test)]
fn socket_line(sock: &Sock, users: Option<&str>) -> String {
    let mut out = String::new();
    JsonWriter::new().socket(sock, users, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ss::query::Netid;
    use serde_json::Value as Json;

    /// The former builder (a `serde_json::Value` per socket, keys ordered
    /// by serde_json's `Map`): the oracle of the straight-out writer.
    mod oracle {
        use super::super::flattened;
        use nlwire::value::{Value, Visitor, Walk};
        use nlwire::Error;
        use nlwire_cli::output::json::value_json;
        use nlwire_cli::output::{describe_error, enum_number, for_each_flag};
        use serde_json::{Map, Value as Json};

        use crate::ss::query::Sock;

        type Group = (String, Vec<(String, Json)>, bool);

        pub struct JsonBuilder {
            stack: Vec<Group>,
            pub errors: Vec<Json>,
        }

        pub fn object(entries: Vec<(String, Json)>) -> Json {
            let is_array = !entries.is_empty()
                && entries
                    .iter()
                    .enumerate()
                    .all(|(i, (k, _))| k.parse::<usize>() == Ok(i));
            if is_array {
                return Json::Array(entries.into_iter().map(|(_, v)| v).collect());
            }
            let mut entries = entries;
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            let mut grouped: Vec<(String, Json)> = Vec::with_capacity(entries.len());
            let mut it = entries.into_iter().peekable();
            while let Some((k, v)) = it.next() {
                if it.peek().is_some_and(|(n, _)| *n == k) {
                    let mut vs = vec![v];
                    while let Some((_, v)) = it.next_if(|(n, _)| *n == k) {
                        vs.push(v);
                    }
                    grouped.push((k, Json::Array(vs)));
                } else {
                    grouped.push((k, v));
                }
            }
            let map: Map<String, Json> = grouped.into_iter().collect();
            Json::Object(map)
        }

        pub fn to_json(v: &Value<'_>) -> Json {
            match *v {
                Value::U64(n) => Json::from(n),
                Value::I64(n) => Json::from(n),
                Value::Bool(b) => Json::Bool(b),
                Value::Str(b) => match std::str::from_utf8(b) {
                    Ok(t) => Json::String(t.to_owned()),
                    Err(_) => parsed(v),
                },
                Value::Enum { raw, name } => {
                    let mut m = Map::new();
                    m.insert("value".into(), enum_json(raw));
                    m.insert(
                        "name".into(),
                        name.map_or(Json::Null, |n| Json::String(n.into())),
                    );
                    Json::Object(m)
                }
                Value::Flags { raw, names } => {
                    let mut list = Vec::new();
                    let rest = for_each_flag(raw, names, |n| list.push(Json::String(n.into())));
                    let mut m = Map::new();
                    m.insert("value".into(), Json::from(raw));
                    m.insert("names".into(), Json::Array(list));
                    if rest != 0 {
                        m.insert("unknown".into(), Json::from(rest));
                    }
                    Json::Object(m)
                }
                _ => parsed(v),
            }
        }

        fn enum_json(raw: u64) -> Json {
            match i64::try_from(enum_number(raw)) {
                Ok(n) => Json::from(n),
                Err(_) => Json::from(raw),
            }
        }

        pub fn parsed(v: &Value<'_>) -> Json {
            serde_json::from_str(&value_json(v)).unwrap_or(Json::Null)
        }

        impl JsonBuilder {
            pub fn new(netid: &str) -> Self {
                JsonBuilder {
                    stack: vec![(
                        String::new(),
                        vec![("netid".into(), Json::String(netid.into()))],
                        false,
                    )],
                    errors: Vec::new(),
                }
            }
            fn push(&mut self, name: &str, v: Json) {
                if let Some((_, entries, _)) = self.stack.last_mut() {
                    entries.push((name.to_string(), v));
                }
            }
            pub fn finish(mut self) -> Json {
                while self.stack.len() > 1 {
                    self.end();
                }
                let (_, mut root, _) = self.stack.pop().unwrap_or_default();
                if !self.errors.is_empty() {
                    root.push(("errors".into(), Json::Array(self.errors)));
                }
                object(root)
            }
        }

        impl Visitor for JsonBuilder {
            fn field(&mut self, name: &str, value: Value<'_>) {
                self.push(name, to_json(&value));
            }
            fn begin(&mut self, name: &str) {
                let flat = flattened(name, self.depth());
                self.stack.push((name.to_string(), Vec::new(), flat));
            }
            fn end(&mut self) {
                if self.stack.len() <= 1 {
                    return;
                }
                if let Some((name, entries, flat)) = self.stack.pop() {
                    if flat {
                        if let Some((_, parent, _)) = self.stack.last_mut() {
                            parent.extend(entries);
                        }
                    } else {
                        self.push(&name, object(entries));
                    }
                }
            }
            fn depth(&self) -> usize {
                self.stack.len().saturating_sub(1)
            }
            fn error(&mut self, e: Error) {
                self.errors.push(Json::String(format!(
                    "at {}: {}",
                    e.offset,
                    describe_error(&e)
                )));
            }
        }

        /// The former `socket_json` and `extras::add_json`, printed.
        pub fn socket_line(sock: &Sock, users: Option<&Json>) -> String {
            let mut b = JsonBuilder::new(sock.netid.name());
            match sock.decoded() {
                Some(m) => m.walk(&mut b),
                None => b.errors.push(Json::String("undecodable reply".into())),
            }
            let mut obj = b.finish();
            if let (Some(v), Json::Object(map)) = (users, &mut obj) {
                map.insert("users".into(), v.clone());
            }
            let mut line = serde_json::to_string(&obj).unwrap_or_default();
            line.push('\n');
            line
        }
    }

    /// Every netlink message of a classic pcap of `LINKTYPE_NETLINK`
    /// packets (16-byte cooked header before each).
    fn pcap_messages(file: &[u8]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut at = 24;
        while let Some(rec) = file.get(at..at + 16) {
            let caplen = u32::from_le_bytes([rec[8], rec[9], rec[10], rec[11]]) as usize;
            let Some(data) = file.get(at + 16..at + 16 + caplen) else {
                break;
            };
            for m in nlwire::netlink::Messages::new(data.get(16..).unwrap_or_default()).flatten() {
                out.push(m.bytes.to_vec());
            }
            at += 16 + caplen;
        }
        out
    }

    /// Replays a list of visitor calls into a visitor.
    enum Call<'a> {
        Field(&'a str, Value<'a>),
        Begin(&'a str),
        End,
    }

    fn replay(calls: &[Call<'_>], v: &mut dyn Visitor) {
        for c in calls {
            match c {
                Call::Field(n, x) => v.field(n, *x),
                Call::Begin(n) => v.begin(n),
                Call::End => v.end(),
            }
        }
    }

    /// The straight-out writer writes, byte for byte, what the former
    /// `serde_json::Value` builder printed: on every socket of
    /// benches/data/sockets.pcap (TCP over IPv4 and IPv6, unix), on those
    /// replies cut short (decode errors), with and without a `users` key, and
    /// twice over (the remembered key orders), and on constructed walks
    /// with repeated keys, arrays, flattened headers and every kind of
    /// value.
    #[test]
    fn straight_out_json_matches_the_serde_json_value_builder() {
        let pcap = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/data/sockets.pcap"
        ))
        .expect("benches/data/sockets.pcap");
        let msgs = pcap_messages(&pcap);
        assert!(msgs.len() > 8000, "{} messages", msgs.len());
        let users: Json = serde_json::json!([{"comm": "a\"b", "pid": 7, "fd": 3}]);
        let users_text = serde_json::to_string(&users).unwrap();
        let mut w = JsonWriter::new();
        let mut checked = 0;
        for round in 0..2 {
            for (i, msg) in msgs.iter().enumerate() {
                let netid = [Netid::Tcp, Netid::UStr, Netid::Nl][i % 3];
                let mut socks = vec![Sock {
                    netid,
                    msg: msg.clone(),
                }];
                if i % 97 == 0 {
                    // Cut short inside the attributes, `nlmsg_len` kept
                    // consistent: lenient decode reports errors.
                    for cut in [msg.len() / 2, msg.len().saturating_sub(3), 20] {
                        let mut m = msg.get(..cut).unwrap_or_default().to_vec();
                        if let Some(len) = m.get_mut(..4) {
                            len.copy_from_slice(&(cut as u32).to_ne_bytes());
                        }
                        socks.push(Sock { netid, msg: m });
                    }
                }
                for s in &socks {
                    let with_users = (i + round) % 2 == 0;
                    let mut new = String::new();
                    w.socket(s, with_users.then_some(users_text.as_str()), &mut new);
                    let old = oracle::socket_line(s, with_users.then_some(&users));
                    assert_eq!(new, old, "message {i}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 16000);

        let names = nlwire::netlink::NLM_F_GET_NAMES;
        let walks: Vec<Vec<Call<'_>>> = vec![
            vec![
                Call::Begin("inet_diag_msg"),
                Call::Field("idiag_state", Value::U64(1)),
                Call::Begin("id"),
                Call::Field("idiag_sport", Value::U64(22)),
                Call::Field("netid", Value::U64(9)),
                Call::End,
                Call::End,
                Call::Begin("INET_DIAG_INFO"),
                Call::Field("tcpi_rtt", Value::U64(5)),
                Call::Field("b", Value::Bool(true)),
                Call::Field("b", Value::I64(-3)),
                Call::Field("a", Value::Str(b"x\"\n\x01\x7f\xc3\xa9")),
                Call::Field("b", Value::Str(b"\xff")),
                Call::End,
                Call::Begin("users"),
                Call::End,
            ],
            vec![
                Call::Begin("X"),
                Call::Field("0", Value::U64(5)),
                Call::Field("1", Value::Bytes(&[1, 2])),
                Call::Begin("2"),
                Call::Field("0", Value::Ipv4([10, 0, 0, 1].into())),
                Call::Field("0", Value::Ipv6(std::net::Ipv6Addr::LOCALHOST)),
                Call::End,
                Call::End,
                Call::Begin("Y"),
                Call::Field("1", Value::U64(5)),
                Call::Field("0", Value::U64(6)),
                Call::Field("e\u{1}", Value::Mac(&[2, 0x42, 0xac])),
                Call::End,
                Call::Begin("Z"),
                Call::Field("00", Value::U64(1)),
                Call::End,
                Call::Begin("X"),
                Call::Field(
                    "v",
                    Value::Enum {
                        raw: (-22i64) as u64,
                        name: Some("EINVAL"),
                    },
                ),
                Call::Field(
                    "v",
                    Value::Enum {
                        raw: u64::MAX,
                        name: None,
                    },
                ),
                Call::Field("f", Value::Flags { raw: 0x1301, names }),
                Call::Field("f", Value::Flags { raw: 0, names }),
                Call::Field(
                    "f",
                    Value::Flags {
                        raw: u64::MAX,
                        names,
                    },
                ),
                Call::Begin("inet_diag_msg"),
                Call::Begin("id"),
                Call::Field("q", Value::U64(1)),
                Call::End,
                Call::End,
                Call::End,
                // Left open: closed at the end.
                Call::Begin("W"),
                Call::Begin("V"),
                Call::Field("u", Value::U64(2)),
            ],
        ];
        for calls in &walks {
            for users in [None, Some(&users)] {
                let mut old = oracle::JsonBuilder::new("u_str");
                replay(calls, &mut old);
                old.error(Error::short("nla_len", 4, 2));
                let mut old = old.finish();
                if let (Some(v), Json::Object(map)) = (users, &mut old) {
                    map.insert("users".into(), v.clone());
                }
                let old = format!("{}\n", serde_json::to_string(&old).unwrap());
                for _ in 0..2 {
                    w.reset();
                    w.text_field("netid", |s| put_json_str("u_str", s));
                    replay(calls, &mut w);
                    w.error(Error::short("nla_len", 4, 2));
                    let mut new = String::new();
                    w.finish_text(
                        users.map(|u| serde_json::to_string(u).unwrap()).as_deref(),
                        &mut new,
                    );
                    assert_eq!(new, old);
                }
            }
        }
    }

    /// `struct tcp_info` written from its bytes ([`TcpJson`]) is what the
    /// general path writes walking it, at every length (fields cut off,
    /// bytes past the known ones), with values that hit every enum and
    /// flag name and unknown ones.
    #[test]
    fn tcp_info_from_its_bytes_matches_the_walk() {
        use nlwire::families::sock_diag::TcpInfo;
        use nlwire::payload::Payload;
        use nlwire::wire::WireStruct;
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut typed = TcpJson::default();
        let mut checked = 0;
        for len in 0..=TcpInfo::SIZE + 9 {
            for round in 0..6u8 {
                let bytes: Vec<u8> = (0..len)
                    .map(|i| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        match (round, i) {
                            (0, _) => 0,
                            (1, 0..=1) => round.wrapping_mul(3) + (x % 12) as u8,
                            (2, 5) => (x % 32) as u8,
                            (3, _) => 0xff,
                            _ => x.to_le_bytes()[0],
                        }
                    })
                    .collect();
                let t = TcpInfoView::new(&bytes);
                let mut w = JsonWriter::new();
                w.reset();
                t.walk_payload("INET_DIAG_INFO", &mut w);
                let mut general = String::new();
                w.finish_text(None, &mut general);
                if TcpJson::fits(&t) {
                    let mut s = String::from("{\"INET_DIAG_INFO\":");
                    typed.write(&t, &mut s);
                    s.push_str("}\n");
                    assert_eq!(s, general, "length {len}, round {round}");
                    checked += 1;
                } else {
                    assert!(general.contains("\"extra\""), "{general}");
                }
            }
        }
        assert_eq!(checked, 6 * (TcpInfo::SIZE + 1));
    }

    /// Every TCP reply of `sockets.pcap` with `INET_DIAG_INFO` takes the
    /// path from the bytes (the oracle test above compares its output).
    #[test]
    fn pcap_replies_from_their_bytes_match_the_walk() {
        let pcap = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/data/sockets.pcap"
        ))
        .expect("benches/data/sockets.pcap");
        let (mut fast, mut walk) = (JsonWriter::new(), JsonWriter::new());
        walk.walk_only = true;
        // Each reply as it is (its `*MEMINFO` walked) and without the
        // attributes the writers from the bytes refuse.
        let strip = |m: &Vec<u8>| {
            let (head, keep): (usize, &[u16]) = match m.get(16) {
                Some(1) => (32, &[0, 1, 2, 4, 6, 7]),
                Some(2 | 10) => (88, &[2, 4, 8, 15, 16, 21, 22]),
                _ => return m.clone(),
            };
            let Some(h) = m.get(..head) else {
                return m.clone();
            };
            let mut out = h.to_vec();
            let mut at = head;
            while let Some(a) = m.get(at..at + 4) {
                let len = usize::from(u16::from_ne_bytes([a[0], a[1]]));
                let kind = u16::from_ne_bytes([a[2], a[3]]);
                let Some(attr) = m.get(at..at + len.max(4)) else {
                    break;
                };
                if keep.contains(&kind) {
                    out.extend_from_slice(attr);
                    out.resize(out.len().next_multiple_of(4), 0);
                }
                at += len.max(4).next_multiple_of(4);
            }
            let n = u32::try_from(out.len()).unwrap();
            out[..4].copy_from_slice(&n.to_ne_bytes());
            out
        };
        let msgs = pcap_messages(&pcap);
        let all = msgs.iter().cloned().chain(msgs.iter().map(strip));
        for (i, msg) in all.enumerate() {
            let s = Sock {
                netid: if msg.get(16) == Some(&1) {
                    Netid::UStr
                } else {
                    Netid::Tcp
                },
                msg,
            };
            let users = (i % 3 == 0).then_some("[{\"pid\":7}]");
            let (mut a, mut b) = (String::new(), String::new());
            fast.socket(&s, users, &mut a);
            walk.socket(&s, users, &mut b);
            assert_eq!(a, b, "reply {i}");
        }
        assert_eq!(walk.from_bytes, 0);
        assert!(fast.from_bytes > 7000, "{}", fast.from_bytes);
    }

    #[test]
    fn tcp_info_of_pcap_replies_is_written_from_its_bytes() {
        use nlwire::families::sock_diag::InetDiagAttr;
        let pcap = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/data/sockets.pcap"
        ))
        .expect("benches/data/sockets.pcap");
        let mut with_info = 0;
        for msg in pcap_messages(&pcap) {
            let s = Sock {
                netid: Netid::Tcp,
                msg,
            };
            let Some(SockDiagMessage::InetResponse(r)) = s.decoded() else {
                continue;
            };
            let info = r
                .attrs()
                .flatten()
                .any(|a| matches!(a, InetDiagAttr::Info(_)));
            let mut w = JsonWriter::new();
            let mut out = String::new();
            w.socket(&s, None, &mut out);
            assert_eq!(w.tcp.made(), info, "{out}");
            assert!(!info || out.contains("\"tcpi_rtt\":"), "{out}");
            with_info += usize::from(info);
        }
        assert!(with_info > 1000, "{with_info}");
    }

    /// `INET_DIAG_SOCKOPT` written from the text kept for its bytes is the
    /// oracle's, for every value of either byte, the second time from what
    /// the first kept.
    #[test]
    fn sockopt_kept_text_matches_the_oracle() {
        let pcap = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/data/sockets.pcap"
        ))
        .expect("benches/data/sockets.pcap");
        let found = pcap_messages(&pcap).into_iter().find_map(|msg| {
            let s = Sock {
                netid: Netid::Tcp,
                msg,
            };
            let Some(SockDiagMessage::InetResponse(r)) = s.decoded() else {
                return None;
            };
            let at = r
                .attrs()
                .raw()
                .flatten()
                .find(|a| a.kind == INET_DIAG_SOCKOPT && a.payload.len() == 2)?
                .payload_offset();
            Some((s.msg.clone(), at))
        });
        let (msg, at) = found.expect("a reply with INET_DIAG_SOCKOPT");
        let mut w = JsonWriter::new();
        let mut checked = 0;
        for v in 0..512u32 {
            let b = if v < 256 {
                [v as u8, 0]
            } else {
                [0x5a, v as u8]
            };
            let mut m = msg.clone();
            m.get_mut(at..at + 2)
                .expect("in the message")
                .copy_from_slice(&b);
            let s = Sock {
                netid: Netid::Tcp,
                msg: m,
            };
            let old = oracle::socket_line(&s, None);
            assert!(old.contains("\"INET_DIAG_SOCKOPT\":{"), "{old}");
            for _ in 0..2 {
                let mut new = String::new();
                w.socket(&s, None, &mut new);
                assert_eq!(new, old, "{b:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, 1024);
    }

    /// Keys and strings are escaped as serde_json escapes them.
    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("é€\u{10ffff}");
        for s in [all.as_str(), "", "plain", "\"", "\\", "\u{7f}"] {
            let mut ours = String::new();
            put_json_str(s, &mut ours);
            assert_eq!(ours, serde_json::to_string(s).unwrap());
        }
    }

    /// The values written directly are those the former builder made.
    #[test]
    fn direct_values_match_value_json() {
        let names = nlwire::netlink::NLM_F_GET_NAMES;
        let values = [
            Value::U64(0),
            Value::U64(u64::MAX),
            Value::I64(-5),
            Value::I64(i64::MAX),
            Value::I64(i64::MIN),
            Value::Bool(true),
            Value::Bool(false),
            Value::Str(b"lo\"\n\x01"),
            Value::Str(b"\xff"),
            Value::Enum {
                raw: (-22i64) as u64,
                name: Some("EINVAL"),
            },
            Value::Enum {
                raw: u64::MAX,
                name: None,
            },
            Value::Enum { raw: 7, name: None },
            Value::Flags { raw: 0x1301, names },
            Value::Flags { raw: 0, names },
            Value::Bytes(&[1, 2]),
            Value::Mac(&[]),
        ];
        for v in values {
            let mut ours = String::new();
            put_value(&v, &mut ours);
            assert_eq!(
                ours,
                serde_json::to_string(&oracle::to_json(&v)).unwrap(),
                "{v:?}"
            );
            assert_eq!(oracle::to_json(&v), oracle::parsed(&v), "{v:?}");
        }
    }

    #[test]
    fn repeated_keys_become_arrays_and_arrays_stay() {
        let mut w = JsonWriter::new();
        w.reset();
        w.text_field("netid", |s| s.push_str("\"x\""));
        w.field("a", Value::U64(1));
        w.begin("b");
        w.field("0", Value::U64(7));
        w.end();
        w.field("a", Value::U64(2));
        w.field("a", Value::U64(3));
        let mut out = String::new();
        w.finish_text(None, &mut out);
        assert_eq!(out, "{\"a\":[1,2,3],\"b\":[7],\"netid\":\"x\"}\n");
    }

    #[test]
    fn header_is_flattened() {
        let mut w = JsonWriter::new();
        w.reset();
        w.text_field("netid", |s| put_json_str("tcp", s));
        w.begin("inet_diag_msg");
        w.field("idiag_state", Value::U64(1));
        w.begin("id");
        w.field("idiag_sport", Value::U64(22));
        w.end();
        w.end();
        w.begin("INET_DIAG_INFO");
        w.field("tcpi_rtt", Value::U64(5));
        w.end();
        let mut out = String::new();
        w.finish_text(None, &mut out);
        let j: Json = serde_json::from_str(&out).unwrap();
        assert_eq!(
            j,
            serde_json::json!({"netid": "tcp", "idiag_state": 1, "idiag_sport": 22,
                               "INET_DIAG_INFO": {"tcpi_rtt": 5}})
        );
        let s = Sock {
            netid: Netid::Tcp,
            msg: vec![0; 3],
        };
        assert_eq!(
            socket_line(&s, None),
            "{\"errors\":[\"undecodable reply\"],\"netid\":\"tcp\"}\n"
        );
    }
}

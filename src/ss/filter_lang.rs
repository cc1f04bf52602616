//! The filter language of iproute2 `ss` (ss(8) "STATE-FILTER" and
//! "EXPRESSION", `misc/ssfilter.y`): leading `state` / `exclude` clauses
//! become the `idiag_states` / `udiag_states` mask, the expression becomes a
//! [`Filter`] that is compiled to `INET_DIAG_REQ_BYTECODE` for inet sockets
//! and evaluated here for unix sockets (whose "ports" are inode numbers, as
//! in `ss`).
//!
//! `src PATTERN` / `dst PATTERN` match a unix socket's name as iproute2
//! 6.1 matches it (`unix_match`: fnmatch(3) with `FNM_CASEFOLD`, see
//! [`super::glob`]) when only unix tables are listed (`-x`, `-f unix`,
//! `-A unix…`) or the pattern starts with `unix:`. The name is the path,
//! or `@` and the abstract name with each NUL as `@`, or empty (unnamed);
//! the peer's name is not known from the dump, so `dst` sees an empty one,
//! as in ss (`dst *` matches every socket, `dst /path` none). On other
//! sockets such a condition is false.
//!
//! `cgroup [=|!=] PATH` (ss 6.x) names a cgroup v2 directory: a path under
//! the cgroup2 mount, or one relative to it (`/user.slice` as `--cgroup`
//! prints it; see [`super::names::cgroup_id`] for how this differs from
//! iproute2 6.1); its id (the directory's inode) goes into
//! `INET_DIAG_BC_CGROUP_COND`.
//!
//! Precedence as in `ssfilter.y`: `!`/`not` binds tightest, then `and`
//! (`&`, `&&`, or nothing between two terms), then `or` (`|`, `||`).
//! Comparisons `ss` writes with negation are built the same way:
//! `sport > :N` is `not sport <= :N`, `sport != :N` is `not sport = :N`.

use std::net::IpAddr;

use nlwire::families::sock_diag::bytecode::{Filter, HostCond};

/// `SS_ALL` of `ss.c`: states 0 (`SS_UNKNOWN`) to 11 (`SS_CLOSING`).
pub const SS_ALL: u32 = (1 << 12) - 1;
const fn bit(state: u32) -> u32 {
    1 << state
}
const ESTABLISHED: u32 = bit(1);
const SYN_SENT: u32 = bit(2);
const SYN_RECV: u32 = bit(3);
const TIME_WAIT: u32 = bit(6);
/// `SS_CLOSE` (ss shows it as `UNCONN`): the only state of netlink and
/// packet sockets.
pub const CLOSE: u32 = bit(7);
const LISTEN: u32 = bit(10);
/// `SS_CONN` of `ss.c`: what `ss` lists without `-a`/`-l`.
pub const SS_CONN: u32 = SS_ALL & !(LISTEN | CLOSE | TIME_WAIT | SYN_RECV);
/// What `ss -l` asks for (`LISTEN` and `CLOSE`: unconnected UDP/raw too).
pub const SS_LISTENING: u32 = LISTEN | CLOSE;

/// A state name or group of ss(8) as a mask of `1 << TCP_*` bits.
pub fn state_mask(name: &str) -> Option<u32> {
    let n = name.to_ascii_lowercase();
    Some(match n.as_str() {
        "all" => SS_ALL,
        "connected" => SS_ALL & !(CLOSE | LISTEN),
        "synchronized" => SS_ALL & !(CLOSE | LISTEN | SYN_SENT),
        "bucket" => SYN_RECV | TIME_WAIT,
        "big" => SS_ALL & !(SYN_RECV | TIME_WAIT),
        "established" | "estab" => ESTABLISHED,
        "syn-sent" => SYN_SENT,
        "syn-recv" => SYN_RECV,
        "fin-wait-1" => bit(4),
        "fin-wait-2" => bit(5),
        "time-wait" => TIME_WAIT,
        "closed" | "unconnected" | "unconn" => CLOSE,
        "close-wait" => bit(8),
        "last-ack" => bit(9),
        "listening" | "listen" => LISTEN,
        "closing" => bit(11),
        _ => return None,
    })
}

/// Which end a condition looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// `sport`, `src`: the local end.
    Src,
    /// `dport`, `dst`: the remote end.
    Dst,
}

/// A port comparison as the kernel has it (`>`, `<` and `!=` are negations).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortCmp {
    /// `>=`.
    Ge,
    /// `<=`.
    Le,
    /// `=`.
    Eq,
}

/// One condition of the expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Leaf {
    /// `sport`/`dport` compared with a number (a port; an inode for unix
    /// sockets, as in `ss`).
    Port {
        /// Which port.
        side: Side,
        /// How it is compared.
        cmp: PortCmp,
        /// The number.
        port: u32,
    },
    /// `src`/`dst` with an address prefix and/or a port.
    Host {
        /// Which end.
        side: Side,
        /// Address, prefix length and port (-1: any).
        cond: HostCond,
    },
    /// `autobound`.
    Auto,
    /// `dev = IFINDEX`.
    Dev(u32),
    /// `cgroup PATH`: the cgroup v2 id (`INET_DIAG_BC_CGROUP_COND`).
    Cgroup(u64),
    /// `src`/`dst` with a pattern for a unix socket's name.
    UnixName {
        /// Which end.
        side: Side,
        /// The fnmatch(3) pattern (without `unix:`).
        pattern: Vec<u8>,
    },
    /// `fwmark = MARK/MASK`.
    Mark {
        /// Value after masking.
        mark: u32,
        /// Bits compared.
        mask: u32,
    },
}

/// One element of an expression in postfix order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// A condition: pushes its value.
    Leaf(Leaf),
    /// Pops two values, pushes both.
    And,
    /// Pops two values, pushes either.
    Or,
    /// Pops one value, pushes its negation.
    Not,
}

/// An expression, kept flat in postfix (reverse Polish) order so that no
/// walk over it — parsing, conversion to a [`Filter`], evaluation, cloning,
/// dropping — recurses: any nesting depth and any chain length is handled
/// in constant stack. Built only by [`parse`], so it always holds exactly
/// one value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    rpn: Vec<Node>,
}

/// A parsed filter: the state mask if the arguments had state clauses, and
/// the expression if they had one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// `state`/`exclude` result (`None`: no clause, the options decide).
    pub states: Option<u32>,
    /// The expression.
    pub expr: Option<Expr>,
}

/// Split the joined arguments into tokens: words, `(`, `)`, `!`, and the
/// operators `=`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `&`, `&&`, `|`, `||`.
fn tokenize(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut chars = text.chars().peekable();
    let flush = |word: &mut String, out: &mut Vec<String>| {
        if !word.is_empty() {
            out.push(std::mem::take(word));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => flush(&mut word, &mut out),
            '(' | ')' => {
                flush(&mut word, &mut out);
                out.push(c.to_string());
            }
            '!' | '=' | '<' | '>' | '&' | '|' => {
                flush(&mut word, &mut out);
                let mut op = c.to_string();
                if let Some(&n) = chars.peek() {
                    let two = matches!(
                        (c, n),
                        ('!' | '=' | '<' | '>', '=') | ('&', '&') | ('|', '|')
                    );
                    if two {
                        op.push(n);
                        chars.next();
                    }
                }
                out.push(op);
            }
            c => word.push(c),
        }
    }
    flush(&mut word, &mut out);
    out
}

/// Parse `ss`'s trailing arguments (state clauses, then an expression).
///
/// `unix_only`: only unix tables are listed (iproute2's
/// `preferred_family == AF_UNIX`), so `src`/`dst` take unix name patterns.
pub fn parse(args: &[String], unix_only: bool) -> Result<Parsed, String> {
    let toks = tokenize(&args.join(" "));
    let mut p = Parser {
        toks,
        pos: 0,
        unix_only,
    };
    let mut states: Option<u32> = None;
    loop {
        match p.peek() {
            Some("state") => {
                p.pos += 1;
                let name = p.next().ok_or("`state` needs a state name")?;
                let m = state_mask(&name).ok_or_else(|| format!("wrong state name: {name}"))?;
                states = Some(states.unwrap_or(0) | m);
            }
            Some("exclude" | "excl") => {
                p.pos += 1;
                let name = p.next().ok_or("`exclude` needs a state name")?;
                let m = state_mask(&name).ok_or_else(|| format!("wrong state name: {name}"))?;
                states = Some(states.unwrap_or(SS_ALL) & !m);
            }
            _ => break,
        }
    }
    if p.peek().is_none() {
        return Ok(Parsed { states, expr: None });
    }
    let expr = p.expression()?;
    Ok(Parsed {
        states,
        expr: Some(expr),
    })
}

struct Parser {
    toks: Vec<String>,
    pos: usize,
    /// `src`/`dst` operands are unix name patterns.
    unix_only: bool,
}

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.pos).map(String::as_str)
    }
    fn next(&mut self) -> Option<String> {
        let t = self.toks.get(self.pos).cloned();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }
    /// The expression, by operator precedence with explicit stacks (no
    /// recursion): `!`/`not` binds tightest, then `and` (or nothing between
    /// two terms), then `or`; both binary operators group to the left, as
    /// in `ssfilter.y`.
    fn expression(&mut self) -> Result<Expr, String> {
        #[derive(Clone, Copy, PartialEq, Eq)]
        enum Op {
            Not,
            And,
            Or,
            Open,
        }
        fn node(op: Op) -> Node {
            match op {
                Op::Not => Node::Not,
                Op::And => Node::And,
                _ => Node::Or,
            }
        }
        // Pop operators of at least `min`'s precedence onto the output.
        fn reduce(ops: &mut Vec<Op>, out: &mut Vec<Node>, min: Op) {
            let binds = |op: Op| match min {
                Op::Not => op == Op::Not,
                Op::And => matches!(op, Op::Not | Op::And),
                _ => matches!(op, Op::Not | Op::And | Op::Or),
            };
            while let Some(&op) = ops.last() {
                if !binds(op) {
                    break;
                }
                ops.pop();
                out.push(node(op));
            }
        }
        let mut out = Vec::new();
        let mut ops: Vec<Op> = Vec::new();
        let mut want_operand = true;
        loop {
            if want_operand {
                match self.next().as_deref() {
                    None => return Err("the filter ends where a condition was expected".into()),
                    Some("!" | "not") => ops.push(Op::Not),
                    Some("(") => ops.push(Op::Open),
                    Some(")") => return Err("`)` where a condition was expected".into()),
                    Some(word) => {
                        self.leaf(word, &mut out)?;
                        reduce(&mut ops, &mut out, Op::Not);
                        want_operand = false;
                    }
                }
                continue;
            }
            match self.peek() {
                None => break,
                Some("or" | "|" | "||") => {
                    self.pos += 1;
                    reduce(&mut ops, &mut out, Op::Or);
                    ops.push(Op::Or);
                    want_operand = true;
                }
                Some(")") => {
                    self.pos += 1;
                    reduce(&mut ops, &mut out, Op::Or);
                    if ops.pop() != Some(Op::Open) {
                        return Err("unexpected `)` in the filter".into());
                    }
                    reduce(&mut ops, &mut out, Op::Not);
                }
                // `and`, or juxtaposition (which is `and` too).
                Some(t) => {
                    if matches!(t, "and" | "&" | "&&") {
                        self.pos += 1;
                    }
                    reduce(&mut ops, &mut out, Op::And);
                    ops.push(Op::And);
                    want_operand = true;
                }
            }
        }
        reduce(&mut ops, &mut out, Op::Or);
        if !ops.is_empty() {
            return Err("missing `)`".into());
        }
        Ok(Expr { rpn: out })
    }

    /// An operator after `sport`/`dport`/`src`/`dst`/… (`None`: none given,
    /// equality).
    fn op(&mut self) -> Option<&'static str> {
        let op = match self.peek()? {
            "=" | "==" | "eq" => "=",
            "!=" | "ne" | "neq" => "!=",
            ">=" | "ge" | "geq" => ">=",
            "<=" | "le" | "leq" => "<=",
            ">" | "gt" => ">",
            "<" | "lt" => "<",
            _ => return None,
        };
        self.pos += 1;
        Some(op)
    }

    fn operand(&mut self, what: &str) -> Result<String, String> {
        match self.next() {
            Some(t) if !matches!(t.as_str(), "(" | ")" | "!") => Ok(t),
            _ => Err(format!("`{what}` needs an operand")),
        }
    }

    /// One condition, appended to `out` in postfix order (with a `Not`
    /// after it for the negated comparisons).
    fn leaf(&mut self, word: &str, out: &mut Vec<Node>) -> Result<(), String> {
        // `=` as is, `!=` negated; other operators refused.
        let eq_ne = |op: &str, leaf: Leaf, out: &mut Vec<Node>| match op {
            "=" => {
                out.push(Node::Leaf(leaf));
                Ok(())
            }
            "!=" => {
                out.extend([Node::Leaf(leaf), Node::Not]);
                Ok(())
            }
            o => Err(format!("`{word}` cannot be compared with `{o}`")),
        };
        match word {
            "sport" | "dport" => {
                let side = if word == "sport" {
                    Side::Src
                } else {
                    Side::Dst
                };
                let op = self.op().unwrap_or("=");
                let arg = self.operand(word)?;
                let port =
                    parse_port(&arg)?.ok_or_else(|| format!("`{word}` needs a port, not `*`"))?;
                let (cmp, not) = match op {
                    "=" => (PortCmp::Eq, false),
                    "!=" => (PortCmp::Eq, true),
                    ">=" => (PortCmp::Ge, false),
                    "<=" => (PortCmp::Le, false),
                    ">" => (PortCmp::Le, true),
                    _ => (PortCmp::Ge, true),
                };
                out.push(Node::Leaf(Leaf::Port { side, cmp, port }));
                if not {
                    out.push(Node::Not);
                }
                Ok(())
            }
            "src" | "dst" => {
                let side = if word == "src" { Side::Src } else { Side::Dst };
                let op = self.op().unwrap_or("=");
                let arg = self.operand(word)?;
                if let Some(pattern) = arg.strip_prefix("unix:") {
                    let pattern = pattern.as_bytes().to_vec();
                    return eq_ne(op, Leaf::UnixName { side, pattern }, out);
                }
                if self.unix_only {
                    let pattern = arg.into_bytes();
                    return eq_ne(op, Leaf::UnixName { side, pattern }, out);
                }
                let cond = parse_hostcond(&arg)?;
                eq_ne(op, Leaf::Host { side, cond }, out)
            }
            "autobound" => {
                out.push(Node::Leaf(Leaf::Auto));
                Ok(())
            }
            "dev" => {
                let op = self.op().unwrap_or("=");
                let arg = self.operand(word)?;
                let ifindex = parse_dev(&arg)?;
                eq_ne(op, Leaf::Dev(ifindex), out)
            }
            "fwmark" => {
                let op = self.op().unwrap_or("=");
                let arg = self.operand(word)?;
                let (m, k) = match arg.split_once('/') {
                    Some((m, k)) => (m, Some(k)),
                    None => (arg.as_str(), None),
                };
                let mark = parse_u32(m).ok_or_else(|| format!("bad fwmark `{arg}`"))?;
                let mask = match k {
                    Some(k) => parse_u32(k).ok_or_else(|| format!("bad fwmark mask `{arg}`"))?,
                    None => u32::MAX,
                };
                eq_ne(op, Leaf::Mark { mark, mask }, out)
            }
            "cgroup" => {
                let op = self.op().unwrap_or("=");
                let arg = self.operand(word)?;
                let id = super::names::cgroup_id(&arg)
                    .ok_or_else(|| format!("cannot find cgroup2 directory `{arg}`"))?;
                eq_ne(op, Leaf::Cgroup(id), out)
            }
            "state" | "exclude" | "excl" => Err(format!(
                "`{word}` must come before the expression (ss(8): [ STATE-FILTER ] [ EXPRESSION ])"
            )),
            other if other.starts_with('-') && other.len() > 1 => Err(format!(
                "unknown filter keyword `{other}` (options go before `--`; after it everything is filter)"
            )),
            other => Err(format!("unknown filter keyword `{other}`")),
        }
    }
}

fn parse_u32(s: &str) -> Option<u32> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(h) => u32::from_str_radix(h, 16).ok(),
        None => s.parse().ok(),
    }
}

/// `:PORT`, `PORT`, `:*`, `:SERVICE` (from /etc/services). `None` is `*`.
fn parse_port(s: &str) -> Result<Option<u32>, String> {
    let p = s.strip_prefix(':').unwrap_or(s);
    if p == "*" || p.is_empty() {
        return Ok(None);
    }
    if let Ok(n) = p.parse::<u32>() {
        return Ok(Some(n));
    }
    super::names::service_port(p)
        .map(|n| Some(u32::from(n)))
        .ok_or_else(|| format!("unknown port or service `{s}`"))
}

fn parse_ip(s: &str) -> Result<Option<IpAddr>, String> {
    if s == "*" || s.is_empty() {
        return Ok(None);
    }
    if s == "localhost" {
        return Ok(Some(IpAddr::from([127, 0, 0, 1])));
    }
    s.parse::<IpAddr>()
        .map(Some)
        .map_err(|_| format!("bad address `{s}` (names are not resolved; give an IP address)"))
}

/// `ADDR`, `ADDR/PREFIX`, `ADDR:PORT`, `ADDR/PREFIX:PORT`, `[V6]`,
/// `[V6]/PREFIX:PORT`, `[V6/PREFIX]:PORT`, `V6` (no port), `:PORT`, `*`.
fn parse_hostcond(s: &str) -> Result<HostCond, String> {
    let (addr_part, port_part) = if let Some(rest) = s.strip_prefix('[') {
        let (inside, after) = rest
            .split_once(']')
            .ok_or_else(|| format!("missing `]` in `{s}`"))?;
        match after.split_once(':') {
            Some((pfx, port)) => (format!("{inside}{pfx}"), Some(port)),
            None => (format!("{inside}{after}"), None),
        }
    } else if s.matches(':').count() > 1 {
        (s.to_string(), None)
    } else {
        match s.split_once(':') {
            Some((a, p)) => (a.to_string(), Some(p)),
            None => (s.to_string(), None),
        }
    };
    let (addr, prefix) = match addr_part.split_once('/') {
        Some((a, p)) => (
            a.to_string(),
            Some(
                p.parse::<u8>()
                    .map_err(|_| format!("bad prefix length in `{s}`"))?,
            ),
        ),
        None => (addr_part, None),
    };
    let addr = parse_ip(&addr)?;
    let mut cond = match (addr, prefix) {
        (None, _) => HostCond::any(),
        (Some(a), None) => HostCond::host(a),
        (Some(a), Some(p)) => HostCond::prefix(a, p),
    };
    if let Some(p) = port_part {
        if let Some(n) = parse_port(p)? {
            let n = u16::try_from(n).map_err(|_| format!("port {n} out of range in `{s}`"))?;
            cond = cond.with_port(n);
        }
    }
    Ok(cond)
}

/// `dev = NAME` or `dev = IFINDEX`.
fn parse_dev(s: &str) -> Result<u32, String> {
    if let Ok(n) = s.parse::<u32>() {
        return Ok(n);
    }
    super::names::ifindex_of(s).ok_or_else(|| format!("cannot find device `{s}`"))
}

fn port16(port: u32) -> Result<u16, String> {
    u16::try_from(port).map_err(|_| format!("port {port} out of range for an inet filter"))
}

/// The codec's [`Filter`] leaf for one condition.
fn leaf_filter(l: &Leaf) -> Result<Filter, String> {
    Ok(match *l {
        Leaf::Port { side, cmp, port } => {
            let p = port16(port)?;
            match (side, cmp) {
                (Side::Src, PortCmp::Ge) => Filter::SportGe(p),
                (Side::Src, PortCmp::Le) => Filter::SportLe(p),
                (Side::Src, PortCmp::Eq) => Filter::SportEq(p),
                (Side::Dst, PortCmp::Ge) => Filter::DportGe(p),
                (Side::Dst, PortCmp::Le) => Filter::DportLe(p),
                (Side::Dst, PortCmp::Eq) => Filter::DportEq(p),
            }
        }
        Leaf::Host {
            side: Side::Src,
            cond,
        } => Filter::Src(cond),
        Leaf::Host {
            side: Side::Dst,
            cond,
        } => Filter::Dst(cond),
        Leaf::Auto => Filter::Auto,
        Leaf::Dev(i) => Filter::Dev(i),
        Leaf::Mark { mark, mask } => Filter::Mark { mark, mask },
        Leaf::Cgroup(id) => Filter::Cgroup(id),
        // A unix name never matches an inet socket.
        Leaf::UnixName { .. } => !Filter::True,
    })
}

/// Evaluate postfix `rpn` with a value stack: `leaf` gives a leaf's value,
/// `not`/`and`/`or` combine. `None` if `rpn` is not one well-formed value
/// (never for an [`Expr`] from [`parse`]).
fn fold<T, E>(
    rpn: &[Node],
    mut leaf: impl FnMut(&Leaf) -> Result<T, E>,
    not: impl Fn(T) -> T,
    and: impl Fn(T, T) -> T,
    or: impl Fn(T, T) -> T,
) -> Result<Option<T>, E> {
    let mut vals: Vec<T> = Vec::new();
    for n in rpn {
        let v = match n {
            Node::Leaf(l) => leaf(l)?,
            Node::Not => match vals.pop() {
                Some(a) => not(a),
                None => return Ok(None),
            },
            Node::And | Node::Or => match (vals.pop(), vals.pop()) {
                (Some(b), Some(a)) if matches!(n, Node::And) => and(a, b),
                (Some(b), Some(a)) => or(a, b),
                _ => return Ok(None),
            },
        };
        vals.push(v);
    }
    Ok(vals.pop().filter(|_| vals.is_empty()))
}

impl Expr {
    /// The codec's [`Filter`] for inet sockets (compiled to bytecode).
    /// Iterative, like everything on an [`Expr`]; the codec's `Filter` drops
    /// and compiles iteratively too.
    pub fn to_filter(&self) -> Result<Filter, String> {
        fold(&self.rpn, leaf_filter, |a| !a, Filter::and, Filter::or)?
            .ok_or_else(|| "malformed expression".to_string())
    }

    /// Evaluate on a unix socket as `ss`'s `run_ssfilter` does: the local
    /// "port" is the inode, the remote one the peer's inode; address
    /// conditions never match a unix socket; name patterns are matched
    /// against `name` (as ss forms it: the path, `@` and the abstract name with NULs as `@`, or empty) for `src` and
    /// against an empty name for `dst`.
    pub fn eval_unix(&self, ino: u32, peer: u32, name: &[u8]) -> bool {
        self.eval_with(i64::from(ino), i64::from(peer), None, Some(name))
    }

    /// Evaluate on a socket without IP addresses as `ss`'s `run_ssfilter`
    /// does: `sport`/`dport` compare `local`/`remote` (the C `int`s ss
    /// keeps: the inodes of a unix socket, the port id and -1 of a netlink
    /// socket, the interface index and 0 of a packet socket); `src`/`dst`
    /// match only without an address; `dev` compares `dev` (`None`: never
    /// matches); `autobound` never matches; the mark is 0.
    pub fn eval_ports(&self, local: i64, remote: i64, dev: Option<u32>) -> bool {
        self.eval_with(local, remote, dev, None)
    }

    /// [`Expr::eval_ports`]; `name` is what `src` name patterns see (a
    /// unix socket's; `None` for the others, which no pattern matches).
    fn eval_with(&self, local: i64, remote: i64, dev: Option<u32>, name: Option<&[u8]>) -> bool {
        let port_of = |side| if side == Side::Src { local } else { remote };
        let leaf = |l: &Leaf| -> Result<bool, ()> {
            Ok(match *l {
                Leaf::Port { side, cmp, port } => {
                    let (p, port) = (port_of(side), i64::from(port));
                    match cmp {
                        PortCmp::Ge => p >= port,
                        PortCmp::Le => p <= port,
                        PortCmp::Eq => p == port,
                    }
                }
                Leaf::Host { side, cond } => {
                    cond.addr.is_none()
                        && (cond.port == -1 || i64::from(cond.port) == port_of(side))
                }
                Leaf::Dev(index) => dev == Some(index),
                // ss keeps a cgroup id only for inet sockets (0 here).
                Leaf::Cgroup(id) => id == 0,
                Leaf::Auto => false,
                // These sockets have no mark: 0.
                Leaf::Mark { mark, .. } => mark == 0,
                Leaf::UnixName { side, ref pattern } => name.is_some_and(|n| {
                    let seen: &[u8] = if side == Side::Src { n } else { b"" };
                    super::glob::matches(pattern, seen)
                }),
            })
        };
        fold(&self.rpn, leaf, |a| !a, |a, b| a && b, |a, b| a || b)
            .ok()
            .flatten()
            .unwrap_or(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Result<Parsed, String> {
        parse(&[s.to_string()], false)
    }

    #[test]
    fn states_and_groups() {
        assert_eq!(p("state listening").unwrap().states, Some(1 << 10));
        assert_eq!(
            p("state established state time-wait").unwrap().states,
            Some((1 << 1) | (1 << 6))
        );
        assert_eq!(
            p("exclude listening").unwrap().states,
            Some(SS_ALL & !(1 << 10))
        );
        assert_eq!(p("state bucket").unwrap().states, Some((1 << 3) | (1 << 6)));
        assert!(p("state nonsense").is_err());
    }

    #[test]
    fn precedence_and_negations() {
        let e = p("sport = :1 or dport = :2 and not src 127.0.0.1/8")
            .unwrap()
            .expr
            .unwrap();
        let f = e.to_filter().unwrap();
        let want = Filter::SportEq(1).or(Filter::DportEq(2).and(!Filter::Src(HostCond::prefix(
            IpAddr::from([127, 0, 0, 1]),
            8,
        ))));
        assert_eq!(f, want);
        let gt = p("( sport > :1000 )")
            .unwrap()
            .expr
            .unwrap()
            .to_filter()
            .unwrap();
        assert_eq!(gt, Filter::sport_gt(1000));
        let ne = p("!dport!=:5").unwrap().expr.unwrap().to_filter().unwrap();
        assert_eq!(ne, !Filter::dport_ne(5));
        let juxt = p("sport >= :1 dport <= :9")
            .unwrap()
            .expr
            .unwrap()
            .to_filter()
            .unwrap();
        assert_eq!(juxt, Filter::SportGe(1).and(Filter::DportLe(9)));
    }

    #[test]
    fn host_forms() {
        let h = |s: &str| parse_hostcond(s).unwrap();
        assert_eq!(h("[::1]"), HostCond::host("::1".parse().unwrap()));
        assert_eq!(h("::1"), HostCond::host("::1".parse().unwrap()));
        assert_eq!(
            h("[::1]:22"),
            HostCond::host("::1".parse().unwrap()).with_port(22)
        );
        assert_eq!(
            h("10.0.0.0/8:80"),
            HostCond::prefix(IpAddr::from([10, 0, 0, 0]), 8).with_port(80)
        );
        assert_eq!(h(":53"), HostCond::port(53));
        assert_eq!(h("*"), HostCond::any());
        assert!(parse_hostcond("[::1").is_err());
        assert!(parse_hostcond("1.2.3.4:70000").is_err());
    }

    #[test]
    fn errors() {
        assert!(p("sport =").is_err());
        assert!(p("( sport = :1").is_err());
        assert!(p("sport = :1 )").is_err());
        assert!(p("bogus 1").is_err());
        assert!(p("sport = :1 state listening").is_err());
        assert!(p("sport = :99999")
            .unwrap()
            .expr
            .unwrap()
            .to_filter()
            .is_err());
    }

    /// Parsing, converting, evaluating and dropping an expression use no
    /// recursion: on a 128 KiB stack, 200 000 nested parentheses, 200 000
    /// `not`s and 200 000-term `or`/`and` chains all parse; conversion gives
    /// a `Filter` whose compilation is refused as too long, not a crash.
    #[test]
    fn deep_and_long_filters_need_no_stack() {
        std::thread::Builder::new()
            .stack_size(128 * 1024)
            .spawn(|| {
                const N: usize = 200_000;
                let parens = format!("{}sport = :22{}", "( ".repeat(N), " )".repeat(N));
                let e = p(&parens).unwrap().expr.unwrap();
                assert_eq!(e.to_filter().unwrap(), Filter::SportEq(22));
                assert!(e.eval_unix(22, 0, b""));
                let nots = format!("{}sport = :22", "not ".repeat(N));
                let e = p(&nots).unwrap().expr.unwrap();
                assert!(e.eval_unix(22, 0, b""), "an even number of nots");
                assert!(e.to_filter().unwrap().compile().is_err());
                for op in ["or", "and", ""] {
                    let terms = vec!["sport = :22"; N].join(&format!(" {op} "));
                    let e = p(&terms).unwrap().expr.unwrap();
                    assert!(e.eval_unix(22, 0, b""), "{op}");
                    assert!(!e.eval_unix(23, 0, b""), "{op}");
                    let f = e.to_filter().unwrap();
                    assert!(f.compile().is_err(), "{op}: too long for one attribute");
                }
                let unbalanced = format!("{}sport = :22", "( ".repeat(N));
                assert_eq!(p(&unbalanced).unwrap_err(), "missing `)`");
                let closing = format!("sport = :22{}", " )".repeat(N));
                assert_eq!(p(&closing).unwrap_err(), "unexpected `)` in the filter");
            })
            .unwrap()
            .join()
            .expect("no stack overflow, no panic");
    }

    #[test]
    fn precedence_matches_ssfilter_y() {
        let f = |s: &str| p(s).unwrap().expr.unwrap().to_filter().unwrap();
        let (a, b, c) = (Filter::SportEq(1), Filter::SportEq(2), Filter::SportEq(3));
        assert_eq!(
            f("sport = :1 or sport = :2 or sport = :3"),
            a.clone().or(b.clone()).or(c.clone())
        );
        assert_eq!(
            f("not sport = :1 and sport = :2 or sport = :3"),
            (!a.clone()).and(b.clone()).or(c.clone())
        );
        assert_eq!(
            f("sport = :1 or sport = :2 sport = :3"),
            a.clone().or(b.clone().and(c.clone()))
        );
        assert_eq!(
            f("! ( sport = :1 or sport = :2 ) & sport = :3"),
            (!a.clone().or(b.clone())).and(c.clone())
        );
        assert_eq!(f("((sport = :1))"), a.clone());
        assert_eq!(f("not not sport = :1"), !!a);
        assert!(p("( )").is_err());
        assert!(p("sport = :1 or").is_err());
        assert!(p("not").is_err());
    }

    /// `cgroup PATH` is the bytecode's cgroup condition with the id of the
    /// directory (its inode); `!=` negates; an unknown path is an error.
    #[test]
    fn cgroup_keyword() {
        let Some(root) = super::super::names::cgroup_id("/") else {
            // No cgroup2 mount here: nothing to resolve (a failure in CI).
            assert_ne!(
                std::env::var("CI").as_deref(),
                Ok("true"),
                "no cgroup2 mount"
            );
            return;
        };
        let f = |s: &str| p(s).unwrap().expr.unwrap().to_filter().unwrap();
        assert_eq!(f("cgroup /"), Filter::Cgroup(root));
        assert_eq!(f("cgroup = /"), Filter::Cgroup(root));
        assert_eq!(f("cgroup != /"), !Filter::Cgroup(root));
        assert_ne!(root, 0);
        assert!(f("cgroup / and sport = :22").compile().is_ok());
        let e = p("cgroup /no/such/cgroup/here").unwrap_err();
        assert!(e.contains("cannot find cgroup2 directory"), "{e}");
        assert!(!p("cgroup /").unwrap().expr.unwrap().eval_unix(1, 2, b""));
    }

    #[test]
    fn unix_semantics() {
        let e = p("sport = :100 or dport >= :500").unwrap().expr.unwrap();
        assert!(e.eval_unix(100, 0, b""));
        assert!(e.eval_unix(1, 600, b""));
        assert!(!e.eval_unix(1, 2, b""));
        let a = p("src 127.0.0.1").unwrap().expr.unwrap();
        assert!(!a.eval_unix(1, 2, b""));
    }

    /// With only unix tables listed, `src`/`dst` take name patterns
    /// (iproute2 6.1: the whole word, case folded; `dst` sees an empty
    /// name); `unix:` makes one anywhere; a pattern matches no other
    /// socket, and no inet socket (its bytecode is "never").
    #[test]
    fn unix_name_patterns() {
        let unix = |s: &str| parse(&[s.to_string()], true).unwrap().expr.unwrap();
        let e = unix("src /tmp/nlw*");
        assert!(e.eval_unix(1, 0, b"/tmp/NLW-test.sock"));
        assert!(!e.eval_unix(1, 0, b"/tmp/other"));
        assert!(!e.eval_unix(1, 0, b""));
        assert!(!e.eval_ports(1, 0, Some(0)), "not a unix socket");
        // The colon is part of the pattern, not a port.
        assert!(!unix("src /tmp/x.sock:5").eval_unix(5, 0, b"/tmp/x.sock"));
        assert!(unix("src @nlw@abs").eval_unix(1, 0, b"@nlw@abs"));
        assert!(unix("dst *").eval_unix(1, 2, b"/tmp/x"));
        assert!(!unix("dst /tmp/*").eval_unix(1, 2, b"/tmp/x"));
        assert!(unix("src != /tmp/*").eval_unix(1, 2, b"/run/x"));
        assert!(unix("not src /tmp/*").eval_unix(1, 2, b""));
        // Without -x the word is an address, unless it says `unix:`.
        assert!(p("src /tmp/x").is_err());
        let any = p("src unix:/tmp/*").unwrap().expr.unwrap();
        assert!(any.eval_unix(1, 0, b"/tmp/x"));
        assert_eq!(any.to_filter().unwrap(), !Filter::True);
        let mixed = p("src unix:/tmp/* or sport = :22").unwrap().expr.unwrap();
        assert_eq!(
            mixed.to_filter().unwrap(),
            (!Filter::True).or(Filter::SportEq(22))
        );
    }
}

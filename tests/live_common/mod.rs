//! Shared helpers of the live declaration tests (`tests/live_*.rs`): a
//! network namespace made by the test (deleted on drop, even on panic),
//! running a closure inside it, running iproute2 there, decoding strictly
//! and walking for `UNKNOWN` attributes, and `nlwire decode --json`.
#![allow(dead_code)]

use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};

use nlwire::decode::{Body, Decoded};
use nlwire::value::{Value, Visitor, Walk};

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Fail under `CI=true`, else print why and tell the caller to skip.
pub fn skip(why: &str) -> bool {
    assert!(!ci(), "CI=true and the live test cannot run: {why}");
    eprintln!("SKIPPED: {why}");
    true
}

/// Run `prog args`; `None` if it cannot be started.
pub fn run(prog: &str, args: &[&str]) -> Option<std::process::Output> {
    Command::new(prog).args(args).output().ok()
}

/// Run `prog args` and require success; stdout as text.
pub fn must(prog: &str, args: &[&str]) -> String {
    let o = run(prog, args).unwrap_or_else(|| panic!("cannot run {prog}"));
    assert!(
        o.status.success(),
        "{prog} {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Run `prog args` and parse its stdout as JSON.
pub fn json(prog: &str, args: &[&str]) -> serde_json::Value {
    let out = must(prog, args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{prog} {args:?}: {e}: {out}"))
}

/// A network namespace `nlwire-t-<pid>-<n>`, deleted on drop.
pub struct Netns {
    pub name: String,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl Netns {
    /// Make one, or `None` (skipped) when this machine cannot: not root,
    /// no `ip`.
    pub fn new() -> Option<Netns> {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let euid = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|u| u.parse::<u32>().ok());
        if euid != Some(0) {
            skip("needs root (euid 0) to make a network namespace");
            return None;
        }
        let name = format!(
            "nlwire-t-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        match run("ip", &["netns", "add", &name]) {
            Some(o) if o.status.success() => Some(Netns { name }),
            Some(o) => {
                skip(&format!(
                    "ip netns add: {}",
                    String::from_utf8_lossy(&o.stderr).trim()
                ));
                None
            }
            None => {
                skip("iproute2 `ip` is not installed");
                None
            }
        }
    }

    /// `ip -n NAME args…`, required to succeed.
    pub fn ip(&self, args: &str) -> String {
        let mut a = vec!["-n", &self.name];
        a.extend(args.split_whitespace());
        must("ip", &a)
    }

    /// `ip -n NAME args…`: whether it succeeded.
    pub fn try_ip(&self, args: &str) -> bool {
        let mut a = vec!["-n", &self.name];
        a.extend(args.split_whitespace());
        run("ip", &a).is_some_and(|o| o.status.success())
    }

    /// `ip -n NAME -j args…` as JSON.
    pub fn ip_json(&self, args: &str) -> serde_json::Value {
        let mut a = vec!["-n", &self.name, "-j"];
        a.extend(args.split_whitespace());
        json("ip", &a)
    }

    /// `tc -n NAME args…`: whether it succeeded.
    pub fn try_tc(&self, args: &str) -> bool {
        let mut a = vec!["-n", &self.name];
        a.extend(args.split_whitespace());
        run("tc", &a).is_some_and(|o| o.status.success())
    }

    /// Run `f` on a thread that has entered the namespace (sockets it
    /// opens belong to it); a panic in `f` is this thread's panic.
    pub fn enter<T: Send>(&self, f: impl FnOnce() -> T + Send) -> T {
        let path = format!("/run/netns/{}", self.name);
        std::thread::scope(|s| {
            s.spawn(|| {
                let fd = std::fs::File::open(&path).expect("open /run/netns/NAME");
                nix::sched::setns(&fd, nix::sched::CloneFlags::CLONE_NEWNET).expect("setns");
                f()
            })
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p))
        })
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = run("ip", &["netns", "del", &self.name]);
    }
}

/// A visitor that collects the decode errors and the `UNKNOWN` attributes
/// of a walk, each with the path of groups it is in.
#[derive(Default)]
pub struct Strict {
    path: Vec<String>,
    pub problems: Vec<String>,
}

impl Visitor for Strict {
    fn field(&mut self, _name: &str, _value: Value<'_>) {}
    fn begin(&mut self, name: &str) {
        if name == "UNKNOWN" {
            self.problems
                .push(format!("UNKNOWN attribute in {}", self.path.join("/")));
        }
        self.path.push(name.to_owned());
    }
    fn end(&mut self) {
        self.path.pop();
    }
    fn depth(&self) -> usize {
        self.path.len()
    }
    fn error(&mut self, error: nlwire::Error) {
        self.problems
            .push(format!("{error} in {}", self.path.join("/")));
    }
}

/// Problems of one strictly decoded message: a body that does not decode,
/// a raw body (no declarations), decode errors and `UNKNOWN` attributes of
/// its walk.
pub fn strict_problems(d: &Decoded<'_>) -> Vec<String> {
    let typ = d.msg.header.nlmsg_type.get();
    let what = format!("{} ({typ})", d.type_name().unwrap_or("?"));
    match &d.body {
        Err(e) => return vec![format!("{what}: {e}")],
        Ok(Body::Raw(_)) => return vec![format!("{what}: no declarations")],
        Ok(_) => {}
    }
    let mut v = Strict::default();
    d.walk(&mut v);
    v.problems
        .into_iter()
        .map(|p| format!("{what}: {p}"))
        .collect()
}

/// `nlwire decode --json FILE`, one JSON object per message.
pub fn decode_json(args: &[&str]) -> Vec<serde_json::Value> {
    let o = Command::new(env!("CARGO_BIN_EXE_nlwire"))
        .arg("decode")
        .arg("--json")
        .args(args)
        .output()
        .expect("run nlwire");
    assert!(
        o.status.success(),
        "nlwire decode --json: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// The `name` of a JSON enum value (`{"value": n, "name": "X"}`).
pub fn enum_name(v: &serde_json::Value) -> &str {
    v["name"].as_str().unwrap_or("")
}

/// The values of every field called `name` in the walk of `d` (strings,
/// numbers, addresses and enum numbers as text), in walk order.
pub fn fields_named(d: &Decoded<'_>, name: &str) -> Vec<String> {
    struct Collect<'n> {
        name: &'n str,
        depth: usize,
        out: Vec<String>,
    }
    impl Visitor for Collect<'_> {
        fn field(&mut self, name: &str, value: Value<'_>) {
            if name != self.name {
                return;
            }
            self.out.push(match value {
                Value::U64(n) | Value::Enum { raw: n, .. } => n.to_string(),
                Value::I64(n) => n.to_string(),
                Value::Str(s) => String::from_utf8_lossy(s).into_owned(),
                Value::Ipv4(a) => a.to_string(),
                Value::Ipv6(a) => a.to_string(),
                other => format!("{other:?}"),
            });
        }
        fn begin(&mut self, _name: &str) {
            self.depth += 1;
        }
        fn end(&mut self) {
            self.depth -= 1;
        }
        fn depth(&self) -> usize {
            self.depth
        }
        fn error(&mut self, _error: nlwire::Error) {}
    }
    let mut c = Collect {
        name,
        depth: 0,
        out: Vec::new(),
    };
    d.walk(&mut c);
    c.out
}

//! The bodies of nlwire's fuzz targets, as plain functions of bytes.
//!
//! Each `target_<name>(data: &[u8])` is called by the libFuzzer target
//! `fuzz/fuzz_targets/<name>.rs` and, on stable, by the workspace test
//! `tests/fuzz_corpus.rs`, which replays every file of
//! `fuzz/corpus/<name>/` through it. A target panics (a crash for libFuzzer,
//! a failure for `cargo test`) only when nlwire broke a promise: it panicked
//! itself, disagreed with the kernel's walking rules (checked against a small
//! reference walker written here from `NLMSG_OK`/`nla_ok`), reported an error
//! outside the buffer, walked unbalanced or unboundedly deep, or failed to
//! round-trip.
//!
//! This file is compiled twice: as the root of the `nlwire-fuzz` crate and as
//! a module of the workspace test (`#[path = "../fuzz/src/lib.rs"] mod
//! targets;`), so it uses only crates both have (`nlwire`, `zerocopy`,
//! `arbitrary`) and no crate-level attributes but `forbid`.
//!
//! One module per concept: `check` (walk-checking visitors), `reference`
//! (the kernel's walks, and nlwire's checked against them), `fuzz_attrs`
//! (an attribute set of every payload type), `family` (any message of any
//! registered family, through its registry entry), then one module per
//! target group (`messages`, `attrs`, `control`, `roundtrip`, `sock_diag`,
//! `bytecode`, `decode`, `capture`, `dump`, `emit`, `ss_filter`) and
//! `seeds`. The imports below are shared: every module starts with
//! `use super::*`.
#![forbid(unsafe_code)]
#![allow(dead_code)]

use core::fmt::Write as _;

use arbitrary::{Arbitrary, Unstructured};
use nlwire::netlink::{
    nla_align, walk_attrs, AttributeSet, Attrs, Builder, ExtAckAttr, Messages, Nested, NlMsgDone,
    NlMsgErr, NlMsgErrHdr, NlMsgHdr, NlMsgType, PolicyAttr, RawAttr, RawAttrs, RawMessage,
    NLA_F_NESTED, NLA_F_NET_BYTEORDER, NLA_TYPE_MASK, NLM_F_ACK_TLVS, NLM_F_CAPPED,
};
use nlwire::payload::{Array, Bytes, Flag, NulStr};
use nlwire::value::{Value, Visitor, Walk};
use nlwire::wire::WireStruct;
use nlwire::{attribute_set, Error, ErrorKind, Mode, MAX_NEST_DEPTH};
use zerocopy::byteorder::{BigEndian, NativeEndian, I32, U16, U32};
use zerocopy::IntoBytes;

#[path = "attrs.rs"]
mod attrs;
#[path = "bytecode.rs"]
mod bytecode;
#[path = "capture.rs"]
mod capture;
#[path = "check.rs"]
mod check;
#[path = "control.rs"]
mod control;
#[path = "decode.rs"]
mod decode;
#[path = "dump.rs"]
pub mod dump;
#[path = "emit.rs"]
pub mod emit;
#[path = "family.rs"]
mod family;
#[path = "fuzz_attrs.rs"]
mod fuzz_attrs;
#[path = "messages.rs"]
mod messages;
#[path = "reference.rs"]
mod reference;
#[path = "roundtrip.rs"]
mod roundtrip;
#[path = "seeds.rs"]
mod seeds;
#[path = "sock_diag.rs"]
mod sock_diag;
#[path = "sock_diag_api.rs"]
pub mod sock_diag_api;
#[path = "ss_filter.rs"]
pub mod ss_filter;
pub use dump::target_dump;
pub use emit::target_bytecode_emit;
pub use ss_filter::target_ss_filter;

pub use attrs::*;
pub use bytecode::*;
pub use capture::*;
pub use check::*;
pub use control::*;
pub use decode::*;
pub use family::*;
pub use fuzz_attrs::*;
pub use messages::*;
pub use reference::*;
pub use roundtrip::*;
pub use seeds::*;
pub use sock_diag::*;

/// A target's body.
pub type Target = fn(&[u8]);

/// Every target: its name (`fuzz/fuzz_targets/<name>.rs`,
/// `fuzz/corpus/<name>/`) and its body.
pub const TARGETS: &[(&str, Target)] = &[
    ("messages", target_messages),
    ("messages_strict", target_messages_strict),
    ("attrs", target_attrs),
    ("nlmsgerr", target_nlmsgerr),
    ("roundtrip", target_roundtrip),
    ("inet_diag", target_inet_diag),
    ("unix_diag", target_unix_diag),
    ("tcp_info", target_tcp_info),
    ("bytecode", target_bytecode),
    ("bytecode_text", target_bytecode_text),
    ("decode", target_decode),
    ("nlmon", target_nlmon),
    ("capture", target_capture),
    ("ss_filter", target_ss_filter),
    ("dump", target_dump),
    ("bytecode_emit", target_bytecode_emit),
];

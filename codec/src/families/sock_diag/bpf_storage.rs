//! BPF socket-local storage in sock_diag (`<linux/sock_diag.h>`,
//! `bpf_sk_storage_diag_put()`): requests name maps with
//! `INET_DIAG_REQ_SK_BPF_STORAGES` → `SK_DIAG_BPF_STORAGE_REQ_MAP_FD`;
//! replies carry `INET_DIAG_SK_BPF_STORAGES` → `SK_DIAG_BPF_STORAGE` →
//! `SK_DIAG_BPF_STORAGE_MAP_ID` / `SK_DIAG_BPF_STORAGE_MAP_VALUE`, every nest
//! opened with `nla_nest_start` (`NLA_F_NESTED`).

use crate::attribute_set;
use crate::netlink::{Nested, NLA_F_NESTED};
use crate::payload::Bytes;

/// `SK_DIAG_BPF_STORAGE_REQ_*` (`<linux/sock_diag.h>`): the contents of
/// `INET_DIAG_REQ_SK_BPF_STORAGES` (repeated, one per map).
#[attribute_set(name = "sk_diag_bpf_storage_req")]
pub enum SkBpfStorageReqAttr<'a> {
    /// `SK_DIAG_BPF_STORAGE_REQ_MAP_FD`: a map file descriptor (`u32`).
    #[nl(kind = 1, name = "SK_DIAG_BPF_STORAGE_REQ_MAP_FD")]
    MapFd(u32),
}

/// `SK_DIAG_BPF_STORAGE_REP_*` (`<linux/sock_diag.h>`): the contents of
/// `INET_DIAG_SK_BPF_STORAGES` (repeated, one per map).
#[attribute_set(name = "sk_diag_bpf_storage_rep")]
pub enum SkBpfStoragesAttr<'a> {
    /// `SK_DIAG_BPF_STORAGE`: one map's storage, nested.
    #[nl(kind = 1, name = "SK_DIAG_BPF_STORAGE", flags = NLA_F_NESTED)]
    Storage(Nested<'a, SkBpfStorageAttr<'a>>),
}

/// `SK_DIAG_BPF_STORAGE_*` (`<linux/sock_diag.h>`): one map's storage.
#[attribute_set(name = "sk_diag_bpf_storage")]
pub enum SkBpfStorageAttr<'a> {
    /// `SK_DIAG_BPF_STORAGE_PAD`: padding before the 64-bit-aligned value.
    #[nl(kind = 1, name = "SK_DIAG_BPF_STORAGE_PAD")]
    Pad(Bytes<'a>),
    /// `SK_DIAG_BPF_STORAGE_MAP_ID`: the map id (`u32`).
    #[nl(kind = 2, name = "SK_DIAG_BPF_STORAGE_MAP_ID")]
    MapId(u32),
    /// `SK_DIAG_BPF_STORAGE_MAP_VALUE`: the value (`value_size` bytes).
    #[nl(kind = 3, name = "SK_DIAG_BPF_STORAGE_MAP_VALUE")]
    MapValue(Bytes<'a>),
}

//! Hand-built bytes of the hardening cases, shared by the codec's
//! `hardening.rs` and the CLI's `tests/decode_hardening.rs` (which reaches
//! this file by `#[path]`): messages and attributes with lengths as given,
//! and a `struct inet_diag_msg` (`<linux/inet_diag.h>`) whose `AF_INET`
//! socket id has chosen bytes in `idiag_src`.

#![allow(dead_code)]

/// `SOCK_DIAG_BY_FAMILY` (`<linux/sock_diag.h>`).
pub const SOCK_DIAG_BY_FAMILY: u16 = 20;

/// A message with a correct `nlmsg_len`.
pub fn msg(ty: u16, flags: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&(16 + payload.len() as u32).to_ne_bytes());
    v.extend_from_slice(&ty.to_ne_bytes());
    v.extend_from_slice(&flags.to_ne_bytes());
    v.extend_from_slice(&1u32.to_ne_bytes());
    v.extend_from_slice(&0u32.to_ne_bytes());
    v.extend_from_slice(payload);
    v
}

/// An attribute with `nla_len` as given (`None`: the truth), padded.
pub fn attr(kind: u16, payload: &[u8], len: Option<u16>) -> Vec<u8> {
    let l = len.unwrap_or(4 + payload.len() as u16);
    let mut v = Vec::new();
    v.extend_from_slice(&l.to_ne_bytes());
    v.extend_from_slice(&kind.to_ne_bytes());
    v.extend_from_slice(payload);
    while v.len() % 4 != 0 {
        v.push(0);
    }
    v
}

/// `struct inet_diag_sockid` with the given 16 bytes of `idiag_src`.
pub fn sockid(src: [u8; 16]) -> Vec<u8> {
    let mut v = Vec::new();
    v.extend_from_slice(&22u16.to_be_bytes());
    v.extend_from_slice(&0u16.to_be_bytes());
    v.extend_from_slice(&src);
    v.extend_from_slice(&[0; 16]);
    v.extend_from_slice(&0u32.to_ne_bytes());
    v.extend_from_slice(&1u32.to_ne_bytes());
    v.extend_from_slice(&0u32.to_ne_bytes());
    v
}

/// `idiag_src` of `127.0.0.1`, the unused words zero.
pub const V4_LOOPBACK: [u8; 16] = [127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

/// `struct inet_diag_msg` (72 bytes), `AF_INET`, `TCP_LISTEN`, inode 1234.
pub fn inet_diag_msg(src: [u8; 16]) -> Vec<u8> {
    let mut v = vec![2, 10, 0, 0];
    v.extend(sockid(src));
    for x in [0u32, 0, 0, 0, 1234] {
        v.extend_from_slice(&x.to_ne_bytes());
    }
    assert_eq!(v.len(), 72);
    v
}

/// A sock_diag response whose `INET_DIAG_ULP_INFO` (at 88, payload at 92)
/// holds a member attribute with `nla_len` 2.
pub fn ulp_info_with_bad_member() -> Vec<u8> {
    let mut p = inet_diag_msg(V4_LOOPBACK);
    p.extend(attr(19, &attr(1, &[0; 4], Some(2)), None));
    msg(SOCK_DIAG_BY_FAMILY, 2, &p)
}

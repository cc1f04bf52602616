//! `struct tcp_diag_md5sig` (`<linux/tcp.h>`): one TCP-MD5 key of a socket,
//! the elements of `INET_DIAG_MD5SIG` (sent only to `CAP_NET_ADMIN`).

use zerocopy::byteorder::{U16, U32};
use zerocopy::{BigEndian as BE, NativeEndian as NE};

use super::ids::AddressFamily;
use crate::nl_struct;
use crate::value::{Value, Visitor};

/// `TCP_MD5SIG_MAXKEYLEN` (`<linux/tcp.h>`).
pub const TCP_MD5SIG_MAXKEYLEN: usize = 80;

/// `struct tcp_diag_md5sig` (`<linux/tcp.h>`).
///
/// ```c
/// struct tcp_diag_md5sig {
///     __u8   tcpm_family;
///     __u8   tcpm_prefixlen;
///     __u16  tcpm_keylen;
///     __be32 tcpm_addr[4];
///     __u8   tcpm_key[TCP_MD5SIG_MAXKEYLEN];
/// };
/// ```
#[nl_struct(name = "tcp_diag_md5sig")]
pub struct TcpDiagMd5sig {
    /// `tcpm_family`: `AF_INET` / `AF_INET6`.
    #[nl(enum = AddressFamily)]
    pub tcpm_family: u8,
    /// `tcpm_prefixlen`: address prefix length.
    pub tcpm_prefixlen: u8,
    /// `tcpm_keylen`: key length in bytes.
    pub tcpm_keylen: U16<NE>,
    /// `tcpm_addr`: peer address (IPv4 in the first word).
    #[nl(display = addr_by(tcpm_family))]
    pub tcpm_addr: [U32<BE>; 4],
    /// `tcpm_key`: the key; the first `tcpm_keylen` bytes are meaningful.
    #[nl(walk_with = Self::walk_key)]
    pub tcpm_key: [u8; TCP_MD5SIG_MAXKEYLEN],
}

impl TcpDiagMd5sig {
    fn walk_key(&self, name: &str, v: &mut dyn Visitor) {
        v.field(name, Value::Bytes(self.key()));
    }
    /// The key: `tcpm_key[..tcpm_keylen]` (all 80 bytes if the length is
    /// larger).
    pub fn key(&self) -> &[u8] {
        let n = usize::from(self.tcpm_keylen.get()).min(TCP_MD5SIG_MAXKEYLEN);
        self.tcpm_key.get(..n).unwrap_or(&self.tcpm_key)
    }
}

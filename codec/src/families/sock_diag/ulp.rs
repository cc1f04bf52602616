//! Upper layer protocol information: `INET_DIAG_ULP_INFO` nests
//! `INET_ULP_INFO_*` (`<linux/inet_diag.h>`); the TLS ULP adds
//! `TLS_INFO_*` (`<linux/tls.h>`), the MPTCP subflow ULP
//! `MPTCP_SUBFLOW_ATTR_*` (`<linux/mptcp.h>`). The kernel opens these nests
//! with `nla_nest_start_noflag` (no `NLA_F_NESTED`).

use crate::netlink::Nested;
use crate::payload::{Bytes, Flag, NulStr};
use crate::{attribute_set, open_enum};

use crate::flags::{FlagBits, FlagNames};

/// `INET_ULP_INFO_*` (`<linux/inet_diag.h>`): the contents of
/// `INET_DIAG_ULP_INFO` (`tcp_diag_put_ulp()`).
#[attribute_set(name = "inet_ulp_info")]
pub enum UlpInfoAttr<'a> {
    /// `INET_ULP_INFO_NAME`: the ULP's name (`"tls"`, `"mptcp"`, …).
    #[nl(kind = 1, name = "INET_ULP_INFO_NAME")]
    Name(NulStr<'a>),
    /// `INET_ULP_INFO_TLS`: nested `TLS_INFO_*`.
    #[nl(kind = 2, name = "INET_ULP_INFO_TLS")]
    Tls(Nested<'a, TlsInfoAttr<'a>>),
    /// `INET_ULP_INFO_MPTCP`: nested `MPTCP_SUBFLOW_ATTR_*`.
    #[nl(kind = 3, name = "INET_ULP_INFO_MPTCP")]
    Mptcp(Nested<'a, MptcpSubflowAttr<'a>>),
}

/// `TLS_INFO_*` (`<linux/tls.h>`): kTLS state (`tls_get_info()`).
#[attribute_set(name = "tls_info")]
pub enum TlsInfoAttr<'a> {
    /// `TLS_INFO_VERSION`: `u16`, `TLS_1_2_VERSION` / `TLS_1_3_VERSION`.
    #[nl(kind = 1, name = "TLS_INFO_VERSION")]
    Version(TlsVersion),
    /// `TLS_INFO_CIPHER`: `u16`, `TLS_CIPHER_*`.
    #[nl(kind = 2, name = "TLS_INFO_CIPHER")]
    Cipher(TlsCipher),
    /// `TLS_INFO_TXCONF`: `u16`, `TLS_CONF_*` of the transmit side.
    #[nl(kind = 3, name = "TLS_INFO_TXCONF")]
    Txconf(TlsConf),
    /// `TLS_INFO_RXCONF`: `u16`, `TLS_CONF_*` of the receive side.
    #[nl(kind = 4, name = "TLS_INFO_RXCONF")]
    Rxconf(TlsConf),
    /// `TLS_INFO_ZC_RO_TX`: flag, zero-copy sendfile (`TLS_TX_ZEROCOPY_RO`).
    #[nl(kind = 5, name = "TLS_INFO_ZC_RO_TX")]
    ZcRoTx(Flag),
    /// `TLS_INFO_RX_NO_PAD`: flag, `TLS_RX_EXPECT_NO_PAD` is on.
    #[nl(kind = 6, name = "TLS_INFO_RX_NO_PAD")]
    RxNoPad(Flag),
}

/// A TLS protocol version (`TLS_VERSION_NUMBER()` of `<linux/tls.h>`:
/// major << 8 | minor).
#[open_enum(u16)]
pub enum TlsVersion {
    /// `TLS_1_2_VERSION` (0x0303).
    #[nl(name = "TLS_1_2_VERSION")]
    Tls12 = 0x0303,
    /// `TLS_1_3_VERSION` (0x0304).
    #[nl(name = "TLS_1_3_VERSION")]
    Tls13 = 0x0304,
}

/// A kTLS cipher (`TLS_CIPHER_*` of `<linux/tls.h>`).
#[open_enum(u16)]
pub enum TlsCipher {
    /// `TLS_CIPHER_AES_GCM_128`.
    #[nl(name = "TLS_CIPHER_AES_GCM_128")]
    AesGcm128 = 51,
    /// `TLS_CIPHER_AES_GCM_256`.
    #[nl(name = "TLS_CIPHER_AES_GCM_256")]
    AesGcm256 = 52,
    /// `TLS_CIPHER_AES_CCM_128`.
    #[nl(name = "TLS_CIPHER_AES_CCM_128")]
    AesCcm128 = 53,
    /// `TLS_CIPHER_CHACHA20_POLY1305`.
    #[nl(name = "TLS_CIPHER_CHACHA20_POLY1305")]
    Chacha20Poly1305 = 54,
    /// `TLS_CIPHER_SM4_GCM`.
    #[nl(name = "TLS_CIPHER_SM4_GCM")]
    Sm4Gcm = 55,
    /// `TLS_CIPHER_SM4_CCM`.
    #[nl(name = "TLS_CIPHER_SM4_CCM")]
    Sm4Ccm = 56,
    /// `TLS_CIPHER_ARIA_GCM_128`.
    #[nl(name = "TLS_CIPHER_ARIA_GCM_128")]
    AriaGcm128 = 57,
    /// `TLS_CIPHER_ARIA_GCM_256`.
    #[nl(name = "TLS_CIPHER_ARIA_GCM_256")]
    AriaGcm256 = 58,
}

/// Where a kTLS direction is processed (`TLS_CONF_*` of `<linux/tls.h>`).
#[open_enum(u16)]
pub enum TlsConf {
    /// `TLS_CONF_BASE`: not configured.
    #[nl(name = "TLS_CONF_BASE")]
    Base = 1,
    /// `TLS_CONF_SW`: software crypto.
    #[nl(name = "TLS_CONF_SW")]
    Sw = 2,
    /// `TLS_CONF_HW`: offloaded crypto.
    #[nl(name = "TLS_CONF_HW")]
    Hw = 3,
    /// `TLS_CONF_HW_RECORD`: offloaded records.
    #[nl(name = "TLS_CONF_HW_RECORD")]
    HwRecord = 4,
}

/// `MPTCP_SUBFLOW_ATTR_*` (`<linux/mptcp.h>`): one MPTCP subflow
/// (`subflow_get_info()`; the tokens only with `CAP_NET_ADMIN`).
#[attribute_set(name = "mptcp_subflow_attr")]
pub enum MptcpSubflowAttr<'a> {
    /// `MPTCP_SUBFLOW_ATTR_TOKEN_REM`: `u32`.
    #[nl(kind = 1, name = "MPTCP_SUBFLOW_ATTR_TOKEN_REM")]
    TokenRem(u32),
    /// `MPTCP_SUBFLOW_ATTR_TOKEN_LOC`: `u32`.
    #[nl(kind = 2, name = "MPTCP_SUBFLOW_ATTR_TOKEN_LOC")]
    TokenLoc(u32),
    /// `MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ`: `u32`.
    #[nl(kind = 3, name = "MPTCP_SUBFLOW_ATTR_RELWRITE_SEQ")]
    RelwriteSeq(u32),
    /// `MPTCP_SUBFLOW_ATTR_MAP_SEQ`: `u64`.
    #[nl(kind = 4, name = "MPTCP_SUBFLOW_ATTR_MAP_SEQ")]
    MapSeq(u64),
    /// `MPTCP_SUBFLOW_ATTR_MAP_SFSEQ`: `u32`.
    #[nl(kind = 5, name = "MPTCP_SUBFLOW_ATTR_MAP_SFSEQ")]
    MapSfseq(u32),
    /// `MPTCP_SUBFLOW_ATTR_SSN_OFFSET`: `u32`.
    #[nl(kind = 6, name = "MPTCP_SUBFLOW_ATTR_SSN_OFFSET")]
    SsnOffset(u32),
    /// `MPTCP_SUBFLOW_ATTR_MAP_DATALEN`: `u16`.
    #[nl(kind = 7, name = "MPTCP_SUBFLOW_ATTR_MAP_DATALEN")]
    MapDatalen(u16),
    /// `MPTCP_SUBFLOW_ATTR_FLAGS`: `u32`, `MPTCP_SUBFLOW_FLAG_*`.
    #[nl(kind = 8, name = "MPTCP_SUBFLOW_ATTR_FLAGS")]
    Flags(FlagBits<u32, MptcpSubflowFlagNames>),
    /// `MPTCP_SUBFLOW_ATTR_ID_REM`: `u8`.
    #[nl(kind = 9, name = "MPTCP_SUBFLOW_ATTR_ID_REM")]
    IdRem(u8),
    /// `MPTCP_SUBFLOW_ATTR_ID_LOC`: `u8`.
    #[nl(kind = 10, name = "MPTCP_SUBFLOW_ATTR_ID_LOC")]
    IdLoc(u8),
    /// `MPTCP_SUBFLOW_ATTR_PAD`: padding before `MAP_SEQ`.
    #[nl(kind = 11, name = "MPTCP_SUBFLOW_ATTR_PAD")]
    Pad(Bytes<'a>),
}

/// Bit names of `MPTCP_SUBFLOW_ATTR_FLAGS` (`MPTCP_SUBFLOW_FLAG_*` of
/// `<linux/mptcp.h>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MptcpSubflowFlagNames {}

impl FlagNames for MptcpSubflowFlagNames {
    const NAMES: &'static [(u64, &'static str)] = &[
        (1 << 0, "MPTCP_SUBFLOW_FLAG_MCAP_REM"),
        (1 << 1, "MPTCP_SUBFLOW_FLAG_MCAP_LOC"),
        (1 << 2, "MPTCP_SUBFLOW_FLAG_JOIN_REM"),
        (1 << 3, "MPTCP_SUBFLOW_FLAG_JOIN_LOC"),
        (1 << 4, "MPTCP_SUBFLOW_FLAG_BKUP_REM"),
        (1 << 5, "MPTCP_SUBFLOW_FLAG_BKUP_LOC"),
        (1 << 6, "MPTCP_SUBFLOW_FLAG_FULLY_ESTABLISHED"),
        (1 << 7, "MPTCP_SUBFLOW_FLAG_CONNECTED"),
        (1 << 8, "MPTCP_SUBFLOW_FLAG_MAPVALID"),
    ];
}

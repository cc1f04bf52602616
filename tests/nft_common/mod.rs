//! nftables numbers the `nlwire decode` tests build rules with, written
//! from the headers (not taken from the codec, so the tests check it).

#![allow(dead_code)]

/// `NETLINK_NETFILTER` (<linux/netlink.h>), as `--family` takes it.
pub const NETLINK_NETFILTER: &str = "12";
/// `NFT_MSG_NEWRULE` under `NFNL_SUBSYS_NFTABLES` (nf_tables.h, nfnetlink.h).
pub const NFT_MSG_NEWRULE: u16 = 0x0a06;
/// `NFTA_RULE_*`, `NFTA_LIST_ELEM`, `NFTA_EXPR_*`
/// (<linux/netfilter/nf_tables.h>).
pub const NFTA_RULE_TABLE: u16 = 1;
pub const NFTA_RULE_CHAIN: u16 = 2;
pub const NFTA_RULE_EXPRESSIONS: u16 = 4;
pub const NFTA_LIST_ELEM: u16 = 1;
pub const NFTA_EXPR_NAME: u16 = 1;
pub const NFTA_EXPR_DATA: u16 = 2;

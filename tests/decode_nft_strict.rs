//! `nlwire decode --strict` takes nfnetlink nests with or without
//! `NLA_F_NESTED`, as the kernel does: nfnetlink parses requests with
//! `nla_parse_nested_deprecated()` (no `NL_VALIDATE_NESTED`), libnftnl and
//! libnetfilter_conntrack open every nest with `mnl_attr_nest_start()` (the
//! flag set), and nf_tables dumps them with `nla_nest_start_noflag()`. Any
//! other flag bit on a nest is still refused.

mod decode_common;
use decode_common::*;
mod nft_common;
use nft_common::*;

use nlwire::netlink::{Builder, NLA_F_NET_BYTEORDER, NLM_F_CREATE, NLM_F_REQUEST};

/// `IPCTNL_MSG_CT_GET` under `NFNL_SUBSYS_CTNETLINK` (nfnetlink_conntrack.h).
const IPCTNL_MSG_CT_GET: u16 = 0x0101;

fn hex(b: Builder<Vec<u8>>) -> String {
    b.into_vec().iter().map(|x| format!("{x:02x}")).collect()
}

/// `ip daddr 10.0.0.1 accept` as `NFT_MSG_NEWRULE` (payload, cmp,
/// immediate), every nest opened with `NLA_F_NESTED` when `flag` (as
/// libnftnl's `mnl_attr_nest_start` does) and `expressions_extra` added to
/// `NFTA_RULE_EXPRESSIONS`'s flag bits.
fn rule(flag: bool, expressions_extra: u16) -> String {
    let be32 = |v: u32| v.to_be_bytes();
    let mut b = Builder::new_vec();
    b.message(NFT_MSG_NEWRULE, NLM_F_REQUEST | NLM_F_CREATE, 1, 0, |b| {
        b.put_bytes(&[2, 0, 0, 0])?; // nfgenmsg: NFPROTO_IPV4
        b.attr_raw(NFTA_RULE_TABLE, b"filter\0")?;
        b.attr_raw(NFTA_RULE_CHAIN, b"input\0")?;
        b.nested(NFTA_RULE_EXPRESSIONS | expressions_extra, flag, |b| {
            // payload: NFTA_PAYLOAD_DREG NFT_REG_1, BASE
            // NFT_PAYLOAD_NETWORK_HEADER, OFFSET 16, LEN 4.
            b.nested(NFTA_LIST_ELEM, flag, |b| {
                b.attr_raw(NFTA_EXPR_NAME, b"payload\0")?;
                b.nested(NFTA_EXPR_DATA, flag, |b| {
                    b.attr_raw(1, &be32(1))?;
                    b.attr_raw(2, &be32(1))?;
                    b.attr_raw(3, &be32(16))?;
                    b.attr_raw(4, &be32(4))
                })
            })?;
            // cmp: NFTA_CMP_SREG NFT_REG_1, OP NFT_CMP_EQ, DATA
            // (NFTA_DATA_VALUE 10.0.0.1).
            b.nested(NFTA_LIST_ELEM, flag, |b| {
                b.attr_raw(NFTA_EXPR_NAME, b"cmp\0")?;
                b.nested(NFTA_EXPR_DATA, flag, |b| {
                    b.attr_raw(1, &be32(1))?;
                    b.attr_raw(2, &be32(0))?;
                    b.nested(3, flag, |b| b.attr_raw(1, &[10, 0, 0, 1]))
                })
            })?;
            // immediate: NFTA_IMMEDIATE_DREG NFT_REG_VERDICT, DATA
            // (NFTA_DATA_VERDICT (NFTA_VERDICT_CODE NF_ACCEPT)).
            b.nested(NFTA_LIST_ELEM, flag, |b| {
                b.attr_raw(NFTA_EXPR_NAME, b"immediate\0")?;
                b.nested(NFTA_EXPR_DATA, flag, |b| {
                    b.attr_raw(1, &be32(0))?;
                    b.nested(2, flag, |b| b.nested(2, flag, |b| b.attr_raw(1, &be32(1))))
                })
            })
        })
    })
    .unwrap();
    hex(b)
}

/// `conntrack -G` of one flow as libnetfilter_conntrack builds it:
/// `CTA_TUPLE_ORIG` (`CTA_TUPLE_IP`, `CTA_TUPLE_PROTO`), nests flagged
/// when `flag`.
fn ct_get(flag: bool) -> String {
    let mut b = Builder::new_vec();
    b.message(IPCTNL_MSG_CT_GET, NLM_F_REQUEST, 1, 0, |b| {
        b.put_bytes(&[2, 0, 0, 0])?; // nfgenmsg: NFPROTO_IPV4
        b.nested(1, flag, |b| {
            b.nested(1, flag, |b| {
                b.attr_raw(1, &[10, 0, 0, 1])?;
                b.attr_raw(2, &[10, 0, 0, 2])
            })?;
            b.nested(2, flag, |b| {
                b.attr_raw(1, &[6])?;
                b.attr_raw(2, &80u16.to_be_bytes())?;
                b.attr_raw(3, &443u16.to_be_bytes())
            })
        })
    })
    .unwrap();
    hex(b)
}

fn strict(hex: &str) -> std::process::Output {
    nlwire(&[
        "decode",
        "--family",
        NETLINK_NETFILTER,
        "--strict",
        "--hex",
        hex,
    ])
}

#[test]
fn a_libnftnl_rule_with_nla_f_nested_decodes_strictly_and_fully_typed() {
    for flag in [true, false] {
        let o = strict(&rule(flag, 0));
        assert_eq!(code(&o), 0, "flag {flag}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(!out.contains("UNKNOWN"), "flag {flag}:\n{out}");
        for want in [
            "NFTA_RULE_EXPRESSIONS",
            "NFTA_LIST_ELEM",
            "NFTA_PAYLOAD_DREG",
            "NFTA_PAYLOAD_OFFSET: 16",
            "NFTA_CMP_DATA",
            "NFTA_DATA_VALUE",
            "NFTA_IMMEDIATE_DATA",
            "NFTA_DATA_VERDICT",
            "NFTA_VERDICT_CODE",
        ] {
            assert!(out.contains(want), "flag {flag}: {want} not in\n{out}");
        }
    }
}

#[test]
fn a_libnetfilter_conntrack_request_with_nla_f_nested_decodes_strictly() {
    for flag in [true, false] {
        let o = strict(&ct_get(flag));
        assert_eq!(code(&o), 0, "flag {flag}: {}", stderr(&o));
        let out = stdout(&o);
        assert!(!out.contains("UNKNOWN"), "flag {flag}:\n{out}");
        for want in [
            "CTA_TUPLE_ORIG",
            "CTA_TUPLE_IP",
            "CTA_IP_V4_SRC",
            "CTA_PROTO_DST_PORT",
        ] {
            assert!(out.contains(want), "flag {flag}: {want} not in\n{out}");
        }
    }
}

#[test]
fn another_flag_bit_on_a_nest_is_still_refused() {
    for flag in [true, false] {
        let hex = rule(flag, NLA_F_NET_BYTEORDER);
        let o = strict(&hex);
        assert_ne!(code(&o), 0, "flag {flag}: {}", stdout(&o));
        assert!(
            stderr(&o).contains("NFTA_RULE_EXPRESSIONS"),
            "flag {flag}: {}",
            stderr(&o)
        );
        // Lenient decoding still shows it.
        let o = nlwire(&["decode", "--family", NETLINK_NETFILTER, "--hex", &hex]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
    }
}

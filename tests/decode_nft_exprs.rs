//! `nlwire decode` reads the `NFTA_EXPR_DATA` of the nftables expressions
//! `bitwise`, `ct`, `lookup`, `log`, `limit` and `reject` by their
//! `NFTA_BITWISE_*`, `NFTA_CT_*`, `NFTA_LOOKUP_*`, `NFTA_LOG_*`,
//! `NFTA_LIMIT_*` and `NFTA_REJECT_*` attributes (<linux/netfilter/nf_tables.h>),
//! with their values named (`enum nft_registers`, `nft_ct_keys`, ...), in
//! text and JSON, strictly: not as bytes.

mod decode_common;
use decode_common::*;
mod nft_common;
use nft_common::*;

use nlwire::netlink::{Builder, NLM_F_CREATE, NLM_F_REQUEST};

/// `NFTA_DATA_VALUE` (<linux/netfilter/nf_tables.h>).
const NFTA_DATA_VALUE: u16 = 1;

fn be32(v: u32) -> [u8; 4] {
    v.to_be_bytes()
}

/// One `NFTA_LIST_ELEM`: `NFTA_EXPR_NAME` `name`, then `NFTA_EXPR_DATA`
/// holding `attrs` (kind, payload).
fn expr(b: &mut Builder<Vec<u8>>, name: &[u8], attrs: &[(u16, &[u8])]) -> nlwire::Result<()> {
    b.nested(NFTA_LIST_ELEM, false, |b| {
        b.attr_raw(NFTA_EXPR_NAME, name)?;
        b.nested(NFTA_EXPR_DATA, false, |b| {
            for (k, v) in attrs {
                b.attr_raw(*k, v)?;
            }
            Ok(())
        })
    })
}

/// An `NFT_MSG_NEWRULE` with one expression of each of the six kinds, as
/// hex. Nests without `NLA_F_NESTED`, as nf_tables puts them
/// (`nla_nest_start_noflag`), which `--strict` wants for this spec.
fn rule() -> String {
    let mut b = Builder::new_vec();
    b.message(NFT_MSG_NEWRULE, NLM_F_REQUEST | NLM_F_CREATE, 1, 0, |b| {
        b.put_bytes(&[1, 0, 0, 0])?; // nfgenmsg: NFPROTO_INET
        b.attr_raw(NFTA_RULE_TABLE, b"t\0")?;
        b.attr_raw(NFTA_RULE_CHAIN, b"c\0")?;
        b.nested(NFTA_RULE_EXPRESSIONS, false, |b| {
            // bitwise: NFTA_BITWISE_SREG/DREG NFT_REG32_00 (8), LEN 4,
            // MASK and XOR (NFTA_DATA_VALUE), OP NFT_BITWISE_MASK_XOR.
            b.nested(NFTA_LIST_ELEM, false, |b| {
                b.attr_raw(NFTA_EXPR_NAME, b"bitwise\0")?;
                b.nested(NFTA_EXPR_DATA, false, |b| {
                    b.attr_raw(1, &be32(8))?;
                    b.attr_raw(2, &be32(8))?;
                    b.attr_raw(3, &be32(4))?;
                    b.nested(4, false, |b| {
                        b.attr_raw(NFTA_DATA_VALUE, &[0xff, 0xff, 0, 0])
                    })?;
                    b.nested(5, false, |b| b.attr_raw(NFTA_DATA_VALUE, &[0, 0, 0, 0]))?;
                    b.attr_raw(6, &be32(0))
                })
            })?;
            // ct: NFTA_CT_DREG NFT_REG_1, KEY NFT_CT_STATE (0), DIRECTION 1.
            expr(b, b"ct\0", &[(1, &be32(1)), (2, &be32(0)), (3, &[1])])?;
            // lookup: NFTA_LOOKUP_SET, SREG NFT_REG_1, SET_ID 7, FLAGS
            // NFT_LOOKUP_F_INV.
            expr(
                b,
                b"lookup\0",
                &[(1, b"myset\0"), (2, &be32(1)), (4, &be32(7)), (5, &be32(1))],
            )?;
            // log: NFTA_LOG_GROUP 2 (be16), PREFIX, SNAPLEN 64, QTHRESHOLD
            // 3 (be16), LEVEL NFT_LOGLEVEL_WARNING (4), FLAGS NF_LOG_TCPSEQ
            // | NF_LOG_TCPOPT.
            expr(
                b,
                b"log\0",
                &[
                    (1, &2u16.to_be_bytes()),
                    (2, b"nlwire: \0"),
                    (3, &be32(64)),
                    (4, &3u16.to_be_bytes()),
                    (5, &be32(4)),
                    (6, &be32(3)),
                ],
            )?;
            // limit: NFTA_LIMIT_RATE 10, UNIT 60 (be64), BURST 5, TYPE
            // NFT_LIMIT_PKT_BYTES, FLAGS NFT_LIMIT_F_INV.
            expr(
                b,
                b"limit\0",
                &[
                    (1, &10u64.to_be_bytes()),
                    (2, &60u64.to_be_bytes()),
                    (3, &be32(5)),
                    (4, &be32(1)),
                    (5, &be32(1)),
                ],
            )?;
            // reject: NFTA_REJECT_TYPE NFT_REJECT_ICMPX_UNREACH, ICMP_CODE
            // 3 (NFT_REJECT_ICMPX_ADMIN_PROHIBITED).
            expr(b, b"reject\0", &[(1, &be32(2)), (2, &[3])])
        })
    })
    .unwrap();
    b.into_vec().iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn nft_expressions_bitwise_ct_lookup_log_limit_reject_decode_by_kernel_names() {
    let hex = rule();
    let o = nlwire(&[
        "decode",
        "--family",
        NETLINK_NETFILTER,
        "--strict",
        "--hex",
        &hex,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    for want in [
        "NFTA_BITWISE_SREG",
        "NFT_REG32_00",
        "NFTA_BITWISE_LEN: 4",
        "NFTA_BITWISE_MASK",
        "NFTA_BITWISE_OP",
        "NFT_BITWISE_MASK_XOR",
        "NFTA_CT_KEY",
        "NFT_CT_STATE",
        "NFTA_CT_DIRECTION: 1",
        "NFTA_LOOKUP_SET",
        "myset",
        "NFTA_LOOKUP_SET_ID: 7",
        "NFT_LOOKUP_F_INV",
        "NFTA_LOG_GROUP: 2",
        "nlwire: ",
        "NFTA_LOG_SNAPLEN: 64",
        "NFTA_LOG_QTHRESHOLD: 3",
        "NFT_LOGLEVEL_WARNING",
        "NF_LOG_TCPOPT",
        "NFTA_LIMIT_RATE: 10",
        "NFTA_LIMIT_UNIT: 60",
        "NFTA_LIMIT_BURST: 5",
        "NFT_LIMIT_PKT_BYTES",
        "NFT_LIMIT_F_INV",
        "NFT_REJECT_ICMPX_UNREACH",
        "NFTA_REJECT_ICMP_CODE: 3",
    ] {
        assert!(out.contains(want), "{want} not in\n{out}");
    }

    let o = nlwire(&[
        "decode",
        "--json",
        "--strict",
        "--family",
        NETLINK_NETFILTER,
        "--hex",
        &hex,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let l = json_lines(&stdout(&o));
    let j = &l[0];
    let find = |n: &str| json_find(j, n).unwrap_or_else(|| panic!("{n} not in {j}"));
    assert_eq!(find("NFTA_BITWISE_LEN"), 4);
    assert_eq!(find("NFTA_CT_DIRECTION"), 1);
    assert_eq!(find("NFTA_LOOKUP_SET"), "myset");
    assert_eq!(find("NFTA_LOOKUP_SET_ID"), 7);
    assert_eq!(find("NFTA_LOG_GROUP"), 2);
    assert_eq!(find("NFTA_LOG_PREFIX"), "nlwire: ");
    assert_eq!(find("NFTA_LOG_QTHRESHOLD"), 3);
    assert_eq!(find("NFTA_LIMIT_RATE"), 10);
    assert_eq!(find("NFTA_LIMIT_UNIT"), 60);
    assert_eq!(find("NFTA_REJECT_ICMP_CODE"), 3);
    for (n, v, name) in [
        ("NFTA_BITWISE_SREG", 8, "NFT_REG32_00"),
        ("NFTA_CT_KEY", 0, "NFT_CT_STATE"),
        ("NFTA_LOG_LEVEL", 4, "NFT_LOGLEVEL_WARNING"),
        ("NFTA_LIMIT_TYPE", 1, "NFT_LIMIT_PKT_BYTES"),
        ("NFTA_REJECT_TYPE", 2, "NFT_REJECT_ICMPX_UNREACH"),
    ] {
        let x = find(n);
        assert_eq!(x["value"], v, "{n}: {x}");
        assert_eq!(x["name"], name, "{n}: {x}");
    }
}

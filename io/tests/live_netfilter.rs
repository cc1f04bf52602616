//! Live `NETLINK_NETFILTER` (nfnetlink, <linux/netfilter/nfnetlink.h>),
//! decoded by the declarations generated from the kernel's `nftables.yaml`
//! and `conntrack.yaml`: in a namespace made with `ip netns add`, a batch
//! (`NFNL_MSG_BATCH_BEGIN`, `NFT_MSG_NEWTABLE`, `NFT_MSG_NEWCHAIN`,
//! `NFNL_MSG_BATCH_END`) makes a table and a chain; the `NFT_MSG_GETTABLE`
//! and `NFT_MSG_GETCHAIN` dumps must show them by their `NFTA_*` attributes,
//! and the per-CPU conntrack statistics (`IPCTNL_MSG_CT_GET_STATS_CPU`) must
//! decode with every `CTA_STATS_*` known. A second batch makes a base
//! chain, a set and a rule of the expressions `ct`, `bitwise`, `lookup`,
//! `limit`, `log` and `reject`, whose `NFTA_EXPR_DATA` must come back by
//! their own `NFTA_*` attributes. Every reply also goes through the
//! registry as `nlwire decode` uses it: strict walk without errors, and
//! re-emitted byte for byte. Needs root and `CONFIG_NF_TABLES`: skipped with
//! a reason otherwise, a failure under `CI=true`.

mod common;
use common::{available, registry_round_trip, Netns};

use std::ops::ControlFlow;
use std::time::Duration;

use nlwire::families::netfilter::conntrack::ConntrackStatsAttrs;
use nlwire::families::netfilter::nftables::{ChainAttrs, TableAttrs};
use nlwire::families::netfilter::{NetfilterMessage, NetfilterType};
use nlwire::family::{NetlinkFamily, NETLINK_NETFILTER};
use nlwire::netlink::{Builder, RawMessage, NLM_F_ACK, NLM_F_CREATE, NLM_F_DUMP, NLM_F_REQUEST};
use nlwire::value::Visitor;
use nlwire::Mode;
use nlwire_io::{DumpState, DumpSummary, Socket};

/// `NFNL_SUBSYS_NFTABLES` (<linux/netfilter/nfnetlink.h>).
const NFNL_SUBSYS_NFTABLES: u16 = 10;
/// `NFPROTO_INET` and `NFPROTO_UNSPEC` (<linux/netfilter.h>).
const NFPROTO_INET: u8 = 1;
const NFPROTO_UNSPEC: u8 = 0;
/// `NFTA_TABLE_NAME`, `NFTA_CHAIN_TABLE`, `NFTA_CHAIN_NAME` (nf_tables.h).
const NFTA_TABLE_NAME: u16 = 1;
const NFTA_CHAIN_TABLE: u16 = 1;
const NFTA_CHAIN_NAME: u16 = 3;

/// `NFTA_RULE_*`, `NFTA_LIST_ELEM`, `NFTA_EXPR_*` and the attributes of
/// the expressions in the test's rule (nf_tables.h).
const NFTA_RULE_TABLE: u16 = 1;
const NFTA_RULE_CHAIN: u16 = 2;
const NFTA_RULE_EXPRESSIONS: u16 = 4;
const NFTA_LIST_ELEM: u16 = 1;
const NFTA_EXPR_NAME: u16 = 1;
const NFTA_EXPR_DATA: u16 = 2;
const NFTA_META_DREG: u16 = 1;
const NFTA_META_KEY: u16 = 2;
const NFTA_CMP_SREG: u16 = 1;
const NFTA_CMP_OP: u16 = 2;
const NFTA_CMP_DATA: u16 = 3;
const NFTA_DATA_VALUE: u16 = 1;
const NFTA_DATA_VERDICT: u16 = 2;
const NFTA_VERDICT_CODE: u16 = 1;
const NFTA_COUNTER_BYTES: u16 = 1;
const NFTA_COUNTER_PACKETS: u16 = 2;
const NFTA_IMMEDIATE_DREG: u16 = 1;
const NFTA_IMMEDIATE_DATA: u16 = 2;
/// `NFT_REG_1`, `NFT_META_L4PROTO` (nf_tables.h), `NF_ACCEPT` (netfilter.h).
const NFT_REG_1: u32 = 1;
const NFT_META_L4PROTO: u32 = 16;
const NF_ACCEPT: u32 = 1;
/// `NLM_F_APPEND` (<linux/netlink.h>).
const NLM_F_APPEND: u16 = 0x800;

/// One expression of a rule: an `NFTA_LIST_ELEM` holding its
/// `NFTA_EXPR_NAME` and the `NFTA_EXPR_DATA` that `data` writes.
fn expr(
    b: &mut Builder<Vec<u8>>,
    name: &[u8],
    data: impl FnOnce(&mut Builder<Vec<u8>>) -> nlwire::Result<()>,
) -> nlwire::Result<()> {
    b.nested(NFTA_LIST_ELEM, true, |b| {
        b.attr_raw(NFTA_EXPR_NAME, name)?;
        b.nested(NFTA_EXPR_DATA, true, data)
    })
}

/// `struct nfgenmsg`: family, version (`NFNETLINK_V0`), `res_id` (big-endian).
fn nfgenmsg(family: u8, res_id: u16) -> [u8; 4] {
    let r = res_id.to_be_bytes();
    [family, 0, r[0], r[1]]
}

/// Every name a walk shows (fields and nests), in order.
#[derive(Default)]
struct Names {
    depth: usize,
    names: Vec<String>,
}

impl Visitor for Names {
    fn field(&mut self, name: &str, _: nlwire::value::Value<'_>) {
        self.names.push(name.to_string());
    }
    fn begin(&mut self, name: &str) {
        self.names.push(name.to_string());
        self.depth += 1;
    }
    fn end(&mut self) {
        self.depth -= 1;
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, e: nlwire::Error) {
        panic!("walk error {e}");
    }
}

/// Dump `typ` (an `NFT_MSG_GET*`, every family) and give `each` every
/// reply, after its registry round trip.
fn dump_nft(s: &mut Socket, typ: NetfilterType, mut each: impl FnMut(&RawMessage<'_>)) {
    s.dump_with(
        |b, seq| {
            b.message(typ.into(), NLM_F_REQUEST | NLM_F_DUMP, seq, 0, |b| {
                b.put_bytes(&nfgenmsg(NFPROTO_UNSPEC, 0))
            })
        },
        |m| {
            registry_round_trip(NETLINK_NETFILTER, &m);
            each(&m);
            ControlFlow::Continue(())
        },
    )
    .unwrap();
}

fn socket(ns: &Netns) -> Option<Socket> {
    let s = available(
        "a NETLINK_NETFILTER socket in a new namespace",
        Socket::new_in_netns(NetlinkFamily::Netfilter, ns.path()),
    )?;
    s.set_recv_timeout(Some(Duration::from_secs(5))).unwrap();
    Some(s)
}

#[test]
fn live_nftables_table_and_chain_decode_by_their_nfta_names() {
    let Some(ns) = Netns::new("nft") else {
        return;
    };
    let Some(mut s) = socket(&ns) else {
        return;
    };
    let (table, chain) = (&b"nlwire_t\0"[..], &b"nlwire_c\0"[..]);
    let batch = nfgenmsg(NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES);
    // A batch is several messages in one datagram, which `dump_with` (one
    // request message) refuses: send it whole and feed the replies to a
    // `DumpState`, which ends at the ACK of `NFT_MSG_NEWCHAIN`.
    let seq = s.next_seq();
    let mut b = Builder::new_vec();
    let built: nlwire::Result<()> = (|| {
        b.message(
            NetfilterType::BatchBegin.into(),
            NLM_F_REQUEST,
            seq,
            0,
            |b| b.put_bytes(&batch),
        )?;
        b.message(
            NetfilterType::Newtable.into(),
            NLM_F_REQUEST | NLM_F_CREATE,
            seq,
            0,
            |b| {
                b.put_bytes(&nfgenmsg(NFPROTO_INET, 0))?;
                b.attr_raw(NFTA_TABLE_NAME, table)
            },
        )?;
        b.message(
            NetfilterType::Newchain.into(),
            NLM_F_REQUEST | NLM_F_CREATE | NLM_F_ACK,
            seq,
            0,
            |b| {
                b.put_bytes(&nfgenmsg(NFPROTO_INET, 0))?;
                b.attr_raw(NFTA_CHAIN_TABLE, table)?;
                b.attr_raw(NFTA_CHAIN_NAME, chain)
            },
        )?;
        // `meta l4proto tcp counter accept`: four expressions, each an
        // NFTA_LIST_ELEM of NFTA_EXPR_NAME and NFTA_EXPR_DATA.
        b.message(
            NetfilterType::Newrule.into(),
            NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK,
            seq,
            0,
            |b| {
                b.put_bytes(&nfgenmsg(NFPROTO_INET, 0))?;
                b.attr_raw(NFTA_RULE_TABLE, table)?;
                b.attr_raw(NFTA_RULE_CHAIN, chain)?;
                b.nested(NFTA_RULE_EXPRESSIONS, true, |b| {
                    expr(b, b"meta\0", |b| {
                        b.attr_raw(NFTA_META_DREG, &NFT_REG_1.to_be_bytes())?;
                        b.attr_raw(NFTA_META_KEY, &NFT_META_L4PROTO.to_be_bytes())
                    })?;
                    expr(b, b"cmp\0", |b| {
                        b.attr_raw(NFTA_CMP_SREG, &NFT_REG_1.to_be_bytes())?;
                        b.attr_raw(NFTA_CMP_OP, &0u32.to_be_bytes())?; // NFT_CMP_EQ
                        b.nested(NFTA_CMP_DATA, true, |b| b.attr_raw(NFTA_DATA_VALUE, &[6]))
                    })?;
                    expr(b, b"counter\0", |b| {
                        b.attr_raw(NFTA_COUNTER_BYTES, &0u64.to_be_bytes())?;
                        b.attr_raw(NFTA_COUNTER_PACKETS, &0u64.to_be_bytes())
                    })?;
                    expr(b, b"immediate\0", |b| {
                        b.attr_raw(NFTA_IMMEDIATE_DREG, &0u32.to_be_bytes())?; // NFT_REG_VERDICT
                        b.nested(NFTA_IMMEDIATE_DATA, true, |b| {
                            b.nested(NFTA_DATA_VERDICT, true, |b| {
                                b.attr_raw(NFTA_VERDICT_CODE, &NF_ACCEPT.to_be_bytes())
                            })
                        })
                    })
                })
            },
        )?;
        b.message(NetfilterType::BatchEnd.into(), NLM_F_REQUEST, seq, 0, |b| {
            b.put_bytes(&batch)
        })
    })();
    built.unwrap();
    let made = (|| -> nlwire_io::Result<DumpSummary> {
        let port = s.bind_auto()?;
        s.send(b.as_bytes())?;
        let mut state = DumpState::new(seq, port, true);
        loop {
            let d = s.recv_full()?.to_vec();
            if let Some(sum) = state.feed(&d, &mut |_| ControlFlow::Continue(()))? {
                return Ok(sum);
            }
        }
    })();
    let Some(made) = available("an nftables batch (CONFIG_NF_TABLES, root)", made) else {
        return;
    };
    assert!(made.acked, "the batch was not acknowledged: {made:?}");

    // NFT_MSG_GETTABLE dump: the table, by NFTA_TABLE_NAME, with one chain
    // in use and a handle.
    let mut tables = Vec::new();
    dump_nft(&mut s, NetfilterType::Gettable, |m| {
        let NetfilterMessage::Table(t) = NetfilterMessage::parse(m, Mode::Strict).unwrap() else {
            panic!("NFT_MSG_NEWTABLE reply decoded as another body")
        };
        assert_eq!(t.header.nfgen_family, NFPROTO_INET);
        let (mut name, mut used, mut handle) = (None, None, None);
        for a in t.attrs() {
            match a.unwrap() {
                TableAttrs::Name(n) => name = Some(n.to_bytes().to_vec()),
                TableAttrs::Use(u) => used = Some(u.get()),
                TableAttrs::Handle(h) => handle = Some(h.get()),
                _ => {}
            }
        }
        tables.push((name, used, handle));
    });
    assert_eq!(tables.len(), 1, "{tables:?}");
    let (name, used, handle) = &tables[0];
    assert_eq!(name.as_deref(), Some(&table[..table.len() - 1]));
    assert_eq!(*used, Some(1), "NFTA_TABLE_USE: one chain");
    assert!(
        handle.is_some_and(|h| h > 0),
        "NFTA_TABLE_HANDLE {handle:?}"
    );

    // NFT_MSG_GETCHAIN dump: the chain, in its table.
    let mut chains = Vec::new();
    dump_nft(&mut s, NetfilterType::Getchain, |m| {
        let NetfilterMessage::Chain(c) = NetfilterMessage::parse(m, Mode::Strict).unwrap() else {
            panic!("NFT_MSG_NEWCHAIN reply decoded as another body")
        };
        let (mut t, mut n) = (None, None);
        for a in c.attrs() {
            match a.unwrap() {
                ChainAttrs::Table(x) => t = Some(x.to_bytes().to_vec()),
                ChainAttrs::Name(x) => n = Some(x.to_bytes().to_vec()),
                _ => {}
            }
        }
        chains.push((t, n));
    });
    assert_eq!(
        chains,
        vec![(
            Some(table[..table.len() - 1].to_vec()),
            Some(chain[..chain.len() - 1].to_vec())
        )]
    );

    // NFT_MSG_GETRULE dump: the rule's expressions, each NFTA_EXPR_DATA
    // read by its NFTA_EXPR_NAME (the sub-message `expr-ops`): in the
    // rule's order, each expression's own attributes by kernel name.
    assert_one_rule_in_order(
        &mut s,
        &[
            "NFTA_META_KEY",
            "NFTA_CMP_OP",
            "NFTA_DATA_VALUE",
            "NFTA_COUNTER_PACKETS",
            "NFTA_VERDICT_CODE",
        ],
        4,
    );
}

/// `NFTA_CHAIN_HOOK`, `NFTA_CHAIN_TYPE`, `NFTA_HOOK_*`, `NFTA_SET_*`
/// (nf_tables.h); `NF_INET_LOCAL_IN` (<linux/netfilter.h>).
const NFTA_CHAIN_HOOK: u16 = 4;
const NFTA_CHAIN_TYPE: u16 = 7;
const NFTA_HOOK_HOOKNUM: u16 = 1;
const NFTA_HOOK_PRIORITY: u16 = 2;
const NF_INET_LOCAL_IN: u32 = 1;
const NFTA_SET_TABLE: u16 = 1;
const NFTA_SET_NAME: u16 = 2;
const NFTA_SET_KEY_LEN: u16 = 5;
const NFTA_SET_ID: u16 = 10;

/// Dump the rules (`NFT_MSG_GETRULE`), walk them strictly, and check that
/// there is one rule whose attribute names hold `order` in that order, with
/// `exprs` expressions (`NFTA_EXPR_NAME`).
fn assert_one_rule_in_order(s: &mut Socket, order: &[&str], exprs: usize) {
    let mut rules = Vec::new();
    dump_nft(s, NetfilterType::Getrule, |m| {
        let entry = nlwire::registry::Registry::DEFAULT
            .find(NETLINK_NETFILTER)
            .unwrap();
        let mut names = Names::default();
        (entry.walk)(m, Mode::Strict, &mut names).unwrap();
        rules.push(names.names);
    });
    assert_eq!(rules.len(), 1, "{rules:?}");
    let rule = &rules[0];
    let pos = |n: &&str| {
        rule.iter()
            .position(|x| x == n)
            .unwrap_or_else(|| panic!("{n} not in {rule:?}"))
    };
    let order: Vec<usize> = order.iter().map(pos).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{rule:?}");
    assert_eq!(
        rule.iter().filter(|n| *n == "NFTA_EXPR_NAME").count(),
        exprs
    );
}

/// Send the batch `build` writes (between `NFNL_MSG_BATCH_BEGIN` and
/// `NFNL_MSG_BATCH_END`, every message of sequence number `seq`) in one
/// datagram, and read the replies until the ACK of its last message.
fn send_batch(
    s: &mut Socket,
    what: &str,
    build: impl FnOnce(&mut Builder<Vec<u8>>, u32) -> nlwire::Result<()>,
) -> Option<DumpSummary> {
    let batch = nfgenmsg(NFPROTO_UNSPEC, NFNL_SUBSYS_NFTABLES);
    let seq = s.next_seq();
    let mut b = Builder::new_vec();
    let built: nlwire::Result<()> = (|| {
        b.message(
            NetfilterType::BatchBegin.into(),
            NLM_F_REQUEST,
            seq,
            0,
            |b| b.put_bytes(&batch),
        )?;
        build(&mut b, seq)?;
        b.message(NetfilterType::BatchEnd.into(), NLM_F_REQUEST, seq, 0, |b| {
            b.put_bytes(&batch)
        })
    })();
    built.unwrap();
    let made = (|| -> nlwire_io::Result<DumpSummary> {
        let port = s.bind_auto()?;
        s.send(b.as_bytes())?;
        let mut state = DumpState::new(seq, port, true);
        loop {
            let d = s.recv_full()?.to_vec();
            if let Some(sum) = state.feed(&d, &mut |_| ControlFlow::Continue(()))? {
                return Ok(sum);
            }
        }
    })();
    available(what, made)
}

/// The expressions nftables' YNL spec leaves without attributes (`bitwise`,
/// `ct`, `lookup`) or out (`log`, `limit`, `reject`), declared from
/// <linux/netfilter/nf_tables.h> in ynlgen/overrides.yaml: a base chain's
/// rule `ct state & 0x6 → NFT_REG_1; lookup @s; limit; log; reject`, made
/// by one batch, must come back from `NFT_MSG_GETRULE` with each
/// expression's `NFTA_EXPR_DATA` walked strictly by its own `NFTA_*`
/// attributes (not as bytes), and round-trip through the registry.
#[test]
fn live_nftables_bitwise_ct_lookup_log_limit_reject_decode_typed() {
    let Some(ns) = Netns::new("nftx") else {
        return;
    };
    let Some(mut s) = socket(&ns) else {
        return;
    };
    let (table, chain, set) = (&b"nlwire_x\0"[..], &b"nlwire_in\0"[..], &b"nlwire_s\0"[..]);
    let be32 = |v: u32| v.to_be_bytes();
    let made = send_batch(
        &mut s,
        "an nftables batch with a base chain, a set and six expressions (CONFIG_NF_TABLES, root)",
        |b, seq| {
            let inet = nfgenmsg(NFPROTO_INET, 0);
            b.message(
                NetfilterType::Newtable.into(),
                NLM_F_REQUEST | NLM_F_CREATE,
                seq,
                0,
                |b| {
                    b.put_bytes(&inet)?;
                    b.attr_raw(NFTA_TABLE_NAME, table)
                },
            )?;
            // A base chain (filter, input): `reject` is only valid there.
            b.message(
                NetfilterType::Newchain.into(),
                NLM_F_REQUEST | NLM_F_CREATE,
                seq,
                0,
                |b| {
                    b.put_bytes(&inet)?;
                    b.attr_raw(NFTA_CHAIN_TABLE, table)?;
                    b.attr_raw(NFTA_CHAIN_NAME, chain)?;
                    b.nested(NFTA_CHAIN_HOOK, true, |b| {
                        b.attr_raw(NFTA_HOOK_HOOKNUM, &be32(NF_INET_LOCAL_IN))?;
                        b.attr_raw(NFTA_HOOK_PRIORITY, &be32(0))
                    })?;
                    b.attr_raw(NFTA_CHAIN_TYPE, b"filter\0")
                },
            )?;
            // A set of 4-byte keys for `lookup`.
            b.message(
                NetfilterType::Newset.into(),
                NLM_F_REQUEST | NLM_F_CREATE,
                seq,
                0,
                |b| {
                    b.put_bytes(&inet)?;
                    b.attr_raw(NFTA_SET_TABLE, table)?;
                    b.attr_raw(NFTA_SET_NAME, set)?;
                    b.attr_raw(NFTA_SET_KEY_LEN, &be32(4))?;
                    b.attr_raw(NFTA_SET_ID, &be32(1))
                },
            )?;
            b.message(
                NetfilterType::Newrule.into(),
                NLM_F_REQUEST | NLM_F_CREATE | NLM_F_APPEND | NLM_F_ACK,
                seq,
                0,
                |b| {
                    b.put_bytes(&inet)?;
                    b.attr_raw(NFTA_RULE_TABLE, table)?;
                    b.attr_raw(NFTA_RULE_CHAIN, chain)?;
                    b.nested(NFTA_RULE_EXPRESSIONS, true, |b| {
                        // NFTA_CT_DREG, NFTA_CT_KEY NFT_CT_STATE.
                        expr(b, b"ct\0", |b| {
                            b.attr_raw(1, &be32(NFT_REG_1))?;
                            b.attr_raw(2, &be32(0))
                        })?;
                        // NFTA_BITWISE_SREG, _DREG, _LEN, _MASK, _XOR.
                        expr(b, b"bitwise\0", |b| {
                            b.attr_raw(1, &be32(NFT_REG_1))?;
                            b.attr_raw(2, &be32(NFT_REG_1))?;
                            b.attr_raw(3, &be32(4))?;
                            b.nested(4, true, |b| b.attr_raw(NFTA_DATA_VALUE, &[6, 0, 0, 0]))?;
                            b.nested(5, true, |b| b.attr_raw(NFTA_DATA_VALUE, &[0, 0, 0, 0]))
                        })?;
                        // NFTA_LOOKUP_SET, _SREG, _SET_ID.
                        expr(b, b"lookup\0", |b| {
                            b.attr_raw(1, set)?;
                            b.attr_raw(2, &be32(NFT_REG_1))?;
                            b.attr_raw(4, &be32(1))
                        })?;
                        // NFTA_LIMIT_RATE 10 per NFTA_LIMIT_UNIT 1 s,
                        // _BURST 5, _TYPE NFT_LIMIT_PKTS.
                        expr(b, b"limit\0", |b| {
                            b.attr_raw(1, &10u64.to_be_bytes())?;
                            b.attr_raw(2, &1u64.to_be_bytes())?;
                            b.attr_raw(3, &be32(5))?;
                            b.attr_raw(4, &be32(0))
                        })?;
                        // NFTA_LOG_PREFIX, NFTA_LOG_LEVEL
                        // NFT_LOGLEVEL_AUDIT (no syslog logger needed).
                        expr(b, b"log\0", |b| {
                            b.attr_raw(2, b"nlwire \0")?;
                            b.attr_raw(5, &be32(8))
                        })?;
                        // NFTA_REJECT_TYPE NFT_REJECT_ICMPX_UNREACH,
                        // NFTA_REJECT_ICMP_CODE NFT_REJECT_ICMPX_PORT_UNREACH.
                        expr(b, b"reject\0", |b| {
                            b.attr_raw(1, &be32(2))?;
                            b.attr_raw(2, &[1])
                        })
                    })
                },
            )
        },
    );
    let Some(made) = made else {
        return;
    };
    assert!(made.acked, "the batch was not acknowledged: {made:?}");

    // Each expression's data by its own kernel names, in the rule's order.
    assert_one_rule_in_order(
        &mut s,
        &[
            "NFTA_CT_KEY",
            "NFTA_BITWISE_SREG",
            "NFTA_BITWISE_MASK",
            "NFTA_LOOKUP_SET",
            "NFTA_LIMIT_RATE",
            "NFTA_LIMIT_BURST",
            "NFTA_LOG_PREFIX",
            "NFTA_REJECT_TYPE",
            "NFTA_REJECT_ICMP_CODE",
        ],
        6,
    );
}

#[test]
fn live_conntrack_per_cpu_statistics_decode_every_cta_stats() {
    let Some(ns) = Netns::new("ct") else {
        return;
    };
    let Some(mut s) = socket(&ns) else {
        return;
    };
    let mut cpus = 0;
    let r = s.dump_with(
        |b, seq| {
            b.message(
                NetfilterType::CtGetStatsCpu.into(),
                NLM_F_REQUEST | NLM_F_DUMP,
                seq,
                0,
                |b| b.put_bytes(&nfgenmsg(NFPROTO_UNSPEC, 0)),
            )
        },
        |m| {
            registry_round_trip(NETLINK_NETFILTER, &m);
            let NetfilterMessage::ConntrackStats(st) =
                NetfilterMessage::parse(&m, Mode::Strict).unwrap()
            else {
                panic!("IPCTNL_MSG_CT_GET_STATS_CPU reply decoded as another body")
            };
            // res_id is the CPU the counters belong to.
            assert_eq!(usize::from(st.header.res_id.get()), cpus);
            let mut found = false;
            for a in st.attrs() {
                if let ConntrackStatsAttrs::Found(_) = a.unwrap() {
                    found = true;
                }
            }
            assert!(found, "no CTA_STATS_FOUND");
            cpus += 1;
            ControlFlow::Continue(())
        },
    );
    if available("conntrack statistics (CONFIG_NF_CONNTRACK_NETLINK)", r).is_none() {
        return;
    }
    let online = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert!(
        cpus >= online,
        "{cpus} CPUs in the dump, {online} available"
    );
}

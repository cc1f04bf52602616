//! Generated structs are as big as the kernel's `sizeof` (x86_64): YNL
//! members name only fields, so the generator adds the C compiler's
//! alignment padding (`__hole_pad*`, hidden), except for `__packed`
//! structs; and spec copies that get a struct wrong are corrected in
//! `ynlgen/overrides.yaml`. A live `RTM_GETLINK`/`RTM_GETROUTE`/
//! `RTM_GETQDISC` dump (tests/live_rtnetlink.rs) failed strict decoding on
//! the first three before.

use core::mem::size_of;

use nlwire::families::nl80211::Ieee80211HtCap;
use nlwire::families::ovs_flow::{OvsActionAddMpls, OvsKeyArp};
use nlwire::families::route::link::{IflaVfGuid, RtnlLinkIfmap};
use nlwire::families::route::route::RtaCacheinfo;
use nlwire::families::route::tc::{GnetStatsBasic, TcRatespec, TcStats};
use nlwire::payload::{Payload, Struct};
use nlwire::Mode;

#[test]
fn generated_structs_have_the_kernel_sizeof() {
    // `struct rtnl_link_ifmap`: 3 × __u64, __u16, 2 × __u8, 4 bytes of tail.
    assert_eq!(size_of::<RtnlLinkIfmap>(), 32);
    // `struct gnet_stats_basic`: __u64 bytes, __u32 packets, 4 of tail.
    assert_eq!(size_of::<GnetStatsBasic>(), 16);
    // `struct tc_stats`: __u64 then 7 × __u32.
    assert_eq!(size_of::<TcStats>(), 40);
    // `struct ifla_vf_guid`: __u32 vf, hole, __u64 guid.
    assert_eq!(size_of::<IflaVfGuid>(), 16);
    // `struct ovs_key_arp`: 2 × __be32, __be16, 2 × 6 bytes, 2 of tail.
    assert_eq!(size_of::<OvsKeyArp>(), 24);
    // Spec copies corrected by overrides: 8 × __u32; (u)shorts; __be16.
    assert_eq!(size_of::<RtaCacheinfo>(), 32);
    assert_eq!(size_of::<TcRatespec>(), 12);
    assert_eq!(size_of::<OvsActionAddMpls>(), 8);
    // `__packed` in include/linux/ieee80211.h: no padding.
    assert_eq!(size_of::<Ieee80211HtCap>(), 26);
}

#[test]
fn a_kernel_sized_ifla_map_and_rta_cacheinfo_decode_strictly() {
    assert!(<Struct<'_, RtnlLinkIfmap> as Payload<'_>>::parse(&[0; 32], Mode::Strict).is_ok());
    assert!(<Struct<'_, RtnlLinkIfmap> as Payload<'_>>::parse(&[0; 28], Mode::Strict).is_err());
    assert!(<Struct<'_, RtaCacheinfo> as Payload<'_>>::parse(&[0; 32], Mode::Strict).is_ok());
    assert!(<Struct<'_, GnetStatsBasic> as Payload<'_>>::parse(&[0; 16], Mode::Strict).is_ok());
}

//! rtnetlink names in decoded output are the kernel's constants even where
//! the YNL spec copies give no prefix (`ynlgen/overrides.yaml`): `RTM_*`
//! for tc's message types, `NUD_*`/`RTN_*` for neighbours, `FR_ACT_*`,
//! `ETH_P_*`, `TCA_CLS_FLAGS_*`.

use nlwire::families::route::{link, neigh, rule, tc, RouteType};
use nlwire::value::{FlagNames, OpenEnum};

#[test]
fn tc_message_types_are_rtm_names() {
    assert_eq!(RouteType::name_of(36), Some("RTM_NEWQDISC"));
    assert_eq!(RouteType::name_of(44), Some("RTM_NEWTFILTER"));
    assert_eq!(RouteType::name_of(102), Some("RTM_GETCHAIN"));
}

#[test]
fn enum_and_flag_values_carry_kernel_prefixes() {
    assert!(<neigh::NudState as FlagNames>::NAMES.contains(&(0x80, "NUD_PERMANENT")));
    assert_eq!(neigh::RtmType::name_of(1), Some("RTN_UNICAST"));
    assert_eq!(rule::FrAct::name_of(1), Some("FR_ACT_TO_TBL"));
    assert_eq!(link::VlanProtocols::name_of(0x8100), Some("ETH_P_8021Q"));
    assert!(<tc::TcClsFlags as FlagNames>::NAMES.contains(&(1, "TCA_CLS_FLAGS_SKIP_HW")));
}

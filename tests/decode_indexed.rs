//! `nlwire decode` of YNL indexed arrays (`CTRL_ATTR_OPS`,
//! `CTRL_ATTR_MCAST_GROUPS`): entries by index, in text and JSON.

mod decode_common;
use decode_common::*;

/// A `CTRL_CMD_NEWFAMILY` reply for `nlctrl` as `ctrl_fill_info()` builds
/// it: `CTRL_ATTR_OPS` (no `NLA_F_NESTED`) with entries 1 (op 3, flags
/// 0xe) and 2 (op 10, flags 0x4), `CTRL_ATTR_MCAST_GROUPS` with entry 1
/// (`notify`, id 16).
const NLCTRL: &str = "70000000100002000100000000000000010200000b0002006e6c6374726c000006000100100000002c00060014000100\
                      0800010003000000080002000e00000014000200080001000a00000008000200040000001c000700180001000b000100\
                      6e6f7469667900000800020010000000";

#[test]
fn indexed_array_entries_are_shown_by_index_in_text() {
    let o = nlwire(&["decode", "--family", "generic", "--hex", NLCTRL]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    for want in [
        "CTRL_ATTR_OPS\n      1\n        CTRL_ATTR_OP_ID: 3\n        CTRL_ATTR_OP_FLAGS: 0x000e (GENL_CMD_CAP_DO|GENL_CMD_CAP_DUMP|GENL_CMD_CAP_HASPOL)\n      2\n        CTRL_ATTR_OP_ID: 10",
        "CTRL_ATTR_MCAST_GROUPS\n      1\n        CTRL_ATTR_MCAST_GRP_NAME: \"notify\"\n        CTRL_ATTR_MCAST_GRP_ID: 16",
    ] {
        assert!(out.contains(want), "missing {want:?} in\n{out}");
    }
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn indexed_array_is_an_object_keyed_by_index_in_json() {
    let o = nlwire(&["decode", "--json", "--family", "generic", "--hex", NLCTRL]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines.len(), 1);
    let m = &lines[0];
    assert_eq!(m["CTRL_ATTR_OPS"]["1"]["CTRL_ATTR_OP_ID"], 3);
    assert_eq!(
        m["CTRL_ATTR_OPS"]["1"]["CTRL_ATTR_OP_FLAGS"]["names"][0],
        "GENL_CMD_CAP_DO"
    );
    assert_eq!(m["CTRL_ATTR_OPS"]["2"]["CTRL_ATTR_OP_ID"], 10);
    // One entry is still an object keyed by its index, not a bare value.
    assert_eq!(
        m["CTRL_ATTR_MCAST_GROUPS"]["1"]["CTRL_ATTR_MCAST_GRP_NAME"],
        "notify"
    );
    assert_eq!(
        m["CTRL_ATTR_MCAST_GROUPS"]["1"]["CTRL_ATTR_MCAST_GRP_ID"],
        16
    );
    assert!(m.get("errors").is_none(), "{m}");
}

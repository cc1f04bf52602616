//! `nlwire decode` names generic netlink families by their dynamic ids:
//! learned from a `CTRL_CMD_NEWFAMILY` earlier in the capture (as Wireshark
//! does), forgotten on `CTRL_CMD_DELFAMILY`, or given with
//! `--genl-family ID=NAME`; a family the codec does not declare is named
//! too (its body stays `genlmsghdr` and attributes by number).

mod decode_common;
use decode_common::*;

use nlwire::netlink::Builder;

const NETLINK_GENERIC: u16 = 16;
const CTRL_CMD_NEWFAMILY: u8 = 1;
const CTRL_CMD_DELFAMILY: u8 = 2;

/// One generic netlink message: `genlmsghdr` (`cmd`), then attributes.
fn genl(typ: u16, cmd: u8, attrs: &[(u16, &[u8])]) -> Vec<u8> {
    let mut b = Builder::new_vec();
    b.message(typ, 0, 1, 0, |b| {
        b.put_bytes(&[cmd, 1, 0, 0])?;
        for (k, p) in attrs {
            b.attr_raw(*k, p)?;
        }
        Ok(())
    })
    .unwrap();
    b.into_vec()
}

/// The controller announcing (or removing) family `name` with id `id`.
fn ctrl(cmd: u8, id: u16, name: &[u8]) -> Vec<u8> {
    genl(16, cmd, &[(1, &id.to_ne_bytes()), (2, name)])
}

/// A message of family id `id`: cmd 5 and one attribute.
fn member(id: u16) -> Vec<u8> {
    genl(id, 5, &[(1, &7u32.to_ne_bytes())])
}

/// A pcap of nlmon frames of NETLINK_GENERIC, one per message.
fn capture(msgs: &[Vec<u8>]) -> Vec<u8> {
    let recs: Vec<Rec> = msgs
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut d = nlmon(NETLINK_GENERIC);
            d.extend_from_slice(m);
            Rec::new(1_700_000_000 + i as u32, 0, d)
        })
        .collect();
    pcap(253, &recs, false, false)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|x| format!("{x:02x}")).collect()
}

#[test]
fn a_capture_learns_family_ids_from_newfamily_and_forgets_on_delfamily() {
    let s = scratch("genl_learn");
    let file = s.join("genl.pcap");
    std::fs::write(
        &file,
        capture(&[
            member(0x25),
            ctrl(CTRL_CMD_NEWFAMILY, 0x25, b"acme\0"),
            member(0x25),
            ctrl(CTRL_CMD_DELFAMILY, 0x25, b"acme\0"),
            member(0x25),
        ]),
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let o = nlwire(&["decode", "--json", f]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines.len(), 5);
    let sub: Vec<Option<&str>> = lines.iter().map(|l| l["sub_family"].as_str()).collect();
    assert_eq!(sub, [None, None, Some("acme"), None, None]);
    // Not declared: decoded as any generic netlink message.
    assert_eq!(lines[2]["genlmsghdr"]["cmd"], 5);
    assert_eq!(lines[2]["nlmsghdr"]["nlmsg_type"]["value"], 0x25);

    let o = nlwire(&["decode", f]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    let heads: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with("Message 1 at"))
        .collect();
    assert_eq!(heads.len(), 5, "{text}");
    assert!(heads[0].contains(": type 37,"), "{}", heads[0]);
    assert!(heads[1].contains(": GENL_ID_CTRL (16),"), "{}", heads[1]);
    assert!(heads[2].contains(": acme (37),"), "{}", heads[2]);
    assert!(heads[4].contains(": type 37,"), "{}", heads[4]);
}

#[test]
fn genl_family_option_names_an_id_by_hand() {
    let h = hex(&member(0x25));
    let o = nlwire(&[
        "decode",
        "--json",
        "--family",
        "generic",
        "--genl-family",
        "37=toy",
        "--genl-family",
        "0x26=other",
        "--hex",
        &h,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines[0]["sub_family"], "toy");
    // Without it the id has no name.
    let o = nlwire(&["decode", "--json", "--family", "generic", "--hex", &h]);
    assert!(json_lines(&stdout(&o))[0].get("sub_family").is_none());
    // Only for generic netlink.
    let o = nlwire(&[
        "decode",
        "--json",
        "--family",
        "route",
        "--genl-family",
        "37=toy",
        "--hex",
        &h,
    ]);
    assert!(json_lines(&stdout(&o))[0].get("sub_family").is_none());
    // A bad value is a usage error.
    let o = nlwire(&["decode", "--genl-family", "toy", "--hex", &h]);
    assert_eq!(code(&o), 2);
    assert!(stderr(&o).contains("ID=NAME"), "{}", stderr(&o));
}

#[test]
fn a_newfamily_in_the_same_frame_names_the_messages_after_it() {
    let mut bytes = ctrl(CTRL_CMD_NEWFAMILY, 0x30, b"acme\0");
    bytes.extend(member(0x30));
    let o = nlwire(&["decode", "--family", "generic", "--hex", &hex(&bytes)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("Message 2 at offset"), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(": acme (48), response"),
        "{}",
        stdout(&o)
    );
}

/// pyroute2's `nl0.pcap` (real traffic): a `CTRL_CMD_GETFAMILY` for "IPVS"
/// answered with id 37, then IPVS requests and replies of type 37. Before
/// the controller's reply, type 37 has no name; after it, it is "IPVS".
#[test]
fn a_real_capture_names_ipvs_after_the_controllers_reply() {
    let Some(dir) = captures_dir() else { return };
    let f = dir.join("pyroute2/nl0.pcap");
    let o = nlwire(&["decode", "--json", f.to_str().unwrap()]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let lines = json_lines(&stdout(&o));
    let ctrl_reply = lines
        .iter()
        .position(|l| {
            l["family"]["value"] == 16
                && l["nlmsghdr"]["nlmsg_type"]["value"] == 16
                && l["direction"] == "response"
        })
        .expect("the controller's reply");
    assert_eq!(lines[ctrl_reply]["CTRL_ATTR_FAMILY_NAME"], "IPVS");
    let of_37: Vec<(usize, Option<&str>)> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l["family"]["value"] == 16 && l["nlmsghdr"]["nlmsg_type"]["value"] == 37)
        .map(|(i, l)| (i, l["sub_family"].as_str()))
        .collect();
    assert!(of_37.len() >= 3, "{of_37:?}");
    for (i, name) in of_37 {
        let want = if i > ctrl_reply { Some("IPVS") } else { None };
        assert_eq!(name, want, "message line {i}");
    }
}

/// `--summary` counts a learned family's messages under its name and each
/// command's kernel name, not as "type 37".
#[test]
fn the_summary_names_a_learned_family_and_its_commands() {
    // ETHTOOL_A_HEADER (1) nest holding ETHTOOL_A_HEADER_DEV_INDEX (1) = 2.
    let header = [8u8, 0, 1, 0, 2, 0, 0, 0];
    let dir = std::env::temp_dir().join(format!("nlwire-genl-summary-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ethtool.pcap");
    std::fs::write(
        &path,
        capture(&[
            ctrl(CTRL_CMD_NEWFAMILY, 0x25, b"ethtool\0"),
            genl(0x25, 2, &[(1, &header)]),
        ]),
    )
    .unwrap();
    let o = nlwire(&["decode", "--summary", path.to_str().unwrap()]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("ethtool ETHTOOL_MSG_"), "{out}");
    assert!(!out.contains("type 37"), "{out}");
    assert!(out.contains("malformed: 0 problems"), "{out}");
}

/// A family whose header comes with the operation, not the family
/// (`ovs_vport`: every `OVS_VPORT_CMD_*` carries `struct ovs_header` after
/// `genlmsghdr`, which its spec gives on the operation): the header is
/// read as `ovs_header`, and the attributes after it by their names.
#[test]
fn an_operations_fixed_header_is_read_before_its_attributes() {
    const OVS_VPORT_CMD_GET: u8 = 3;
    const OVS_VPORT_ATTR_NAME: u16 = 3;
    let mut b = Builder::new_vec();
    b.message(0x30, 0, 1, 0, |b| {
        b.put_bytes(&[OVS_VPORT_CMD_GET, 2, 0, 0])?;
        b.put_bytes(&7u32.to_ne_bytes())?; // struct ovs_header: dp_ifindex
        b.attr_raw(OVS_VPORT_ATTR_NAME, b"vp0\0")
    })
    .unwrap();
    let h = hex(&b.into_vec());
    let o = nlwire(&[
        "decode",
        "--json",
        "--strict",
        "--family",
        "generic",
        "--genl-family",
        "0x30=ovs_vport",
        "--hex",
        &h,
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let m = &json_lines(&stdout(&o))[0];
    let text = m.to_string();
    assert_eq!(m["sub_family"], "ovs_vport", "{text}");
    assert_eq!(m["genlmsghdr"]["ovs_header"]["dp_ifindex"], 7, "{text}");
    assert_eq!(m["OVS_VPORT_ATTR_NAME"], "vp0", "{text}");
}

//! The README's table of families is `nlwire families`, made from the
//! codec's registry: adding a family without updating the README fails.

mod decode_common;
use decode_common::*;

#[test]
fn readme_lists_every_registered_family() {
    let o = nlwire(&["families"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let table = stdout(&o);
    assert!(table.contains("| `NETLINK_ROUTE` |"), "{table}");
    assert!(table.contains("| `ethtool` (generic netlink) |"), "{table}");
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let (_, rest) = readme
        .split_once("<!-- families:begin -->\n")
        .expect("begin marker");
    let (section, _) = rest
        .split_once("<!-- families:end -->")
        .expect("end marker");
    assert_eq!(
        section, table,
        "README's family table is stale: paste `cargo run -- families` between the markers"
    );
}

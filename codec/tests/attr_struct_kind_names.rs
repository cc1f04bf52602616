//! `#[attr_struct]` takes a field's kernel name from its `kind` path's last
//! segment (one segment or several), or from `name`; unlike
//! `#[attribute_set]`, which takes it from a one-segment path only (see
//! `attr_kind` in codec-derive's attrs.rs and `field` in attr_struct.rs;
//! the rejected forms are the derive_ui cases `attr_struct_kind_*` and
//! `set_kind_path_no_name`).

use nlwire::attr_struct;

mod demo {
    pub const DEMO_A_MTU: u16 = 1;
    pub mod nested {
        pub const DEMO_A_MARK: u16 = 3;
    }
}
use demo::DEMO_A_MTU;

#[attr_struct(name = "demo")]
#[derive(Debug, Default)]
pub struct Demo<'a> {
    /// One segment: named after itself.
    #[nl(kind = DEMO_A_MTU)]
    pub mtu: Option<u32>,
    /// Two segments: named after the last one.
    #[nl(kind = demo::DEMO_A_MTU)]
    pub mtu_again: Option<u32>,
    /// Three segments.
    #[nl(kind = demo::nested::DEMO_A_MARK)]
    pub mark: Option<u32>,
    /// Any constant expression with its name given.
    #[nl(kind = 2 + 2, name = "DEMO_A_NAME")]
    pub name: Option<nlwire::payload::Bytes<'a>>,
}

#[test]
fn kernel_names_from_the_kind_path_s_last_segment_or_name() {
    assert_eq!(Demo::NAME, "demo");
    assert_eq!(
        Demo::KINDS,
        &[
            (1, "DEMO_A_MTU"),
            (1, "DEMO_A_MTU"),
            (3, "DEMO_A_MARK"),
            (4, "DEMO_A_NAME"),
        ]
    );
}

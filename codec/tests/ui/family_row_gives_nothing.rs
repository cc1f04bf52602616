use nlwire::netlink::{AnyAttr, Message};
use nlwire::nl_family;

#[nlwire::nl_struct(name = "hdr")]
pub struct Hdr {
    pub cmd: u8,
    pub pad: [u8; 3],
}

// A row without `types`, `select`, `request` or `reply` must say `default`.
#[nl_family(protocol = 16, name = "toy", genl = "toy")]
pub enum Toy<'a> {
    #[nl()]
    Any(Message<'a, Hdr, AnyAttr<'a>>),
}

fn main() {}

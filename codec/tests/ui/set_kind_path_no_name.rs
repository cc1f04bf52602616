use nlwire::attribute_set;

mod demo {
    pub const DEMO_A_MTU: u16 = 1;
}

// A path of several segments names nothing in #[attribute_set] (it does
// in #[attr_struct]: its last segment).
#[attribute_set(name = "demo")]
pub enum DemoAttr<'a> {
    #[nl(kind = demo::DEMO_A_MTU)]
    Mtu(&'a [u8]),
}

fn main() {}

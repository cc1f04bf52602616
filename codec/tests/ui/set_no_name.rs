use nlwire::attribute_set;

#[attribute_set]
pub enum DemoAttr<'a> {
    #[nl(kind = 1, name = "DEMO_A_MTU")]
    Mtu(&'a [u8]),
}

fn main() {}

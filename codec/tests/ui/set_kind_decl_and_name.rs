use nlwire::attribute_set;

#[attribute_set(name = "demo")]
pub enum DemoAttr<'a> {
    #[nl(kind = DEMO_A_MTU = 1, name = "DEMO_A_MTU")]
    Mtu(nlwire::payload::Bytes<'a>),
}

fn main() {}

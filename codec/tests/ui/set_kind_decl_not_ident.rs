use nlwire::attribute_set;

#[attribute_set(name = "demo")]
pub enum DemoAttr<'a> {
    #[nl(kind = demo::DEMO_A_MTU = 1)]
    Mtu(nlwire::payload::Bytes<'a>),
}

fn main() {}

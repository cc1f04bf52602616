use nlwire::attribute_set;

#[attribute_set(name = "demo")]
pub enum DemoAttr<'a> {
    #[nl(kind = 1 + 1)]
    Mtu(&'a [u8]),
}

fn main() {}

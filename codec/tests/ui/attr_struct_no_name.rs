use nlwire::attr_struct;

#[attr_struct]
pub struct Demo<'a> {
    #[nl(kind = 1, name = "DEMO_A_MTU")]
    pub mtu: Option<&'a [u8]>,
}

fn main() {}

use nlwire::attr_struct;

#[attr_struct(name = "demo")]
pub struct Demo<'a> {
    #[nl(kind = 1 + 1)]
    pub mtu: Option<&'a [u8]>,
}

fn main() {}

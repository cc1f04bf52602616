use nlwire::nl_struct;

#[nl_struct(name = "opt")]
pub struct Opt {
    #[nl(endian = "big")]
    pub a: u8,
}

fn main() {}

use nlwire::nl_struct;

#[nl_struct(name = "repr")]
#[repr(C, packed)]
pub struct Repr {
    pub a: u8,
}

fn main() {}

use nlwire::nl_struct;

#[nl_struct(name = "bits")]
pub struct Bits {
    #[nl(bits(low = 4..2))]
    pub a: u8,
}

fn main() {}

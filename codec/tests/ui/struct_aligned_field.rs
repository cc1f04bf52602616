use nlwire::nl_struct;

// A plain u32 has alignment 4: wire structs must use alignment-free types.
#[nl_struct(name = "aligned")]
pub struct Aligned {
    pub a: u8,
    pub b: u32,
}

fn main() {}

use nlwire::nl_struct;

#[nl_struct(name = "tuple")]
pub struct Tuple(u8, u8);

fn main() {}

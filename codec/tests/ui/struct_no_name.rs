use nlwire::nl_struct;

#[nl_struct]
pub struct NoName {
    pub a: u8,
}

fn main() {}

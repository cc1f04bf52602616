use nlwire::open_enum;

#[open_enum(u8)]
pub enum E {
    #[nl(name = "A")]
    A = 1,
    #[nl(name = "B")]
    B = 1,
}

fn main() {}

use nlwire::open_enum;

#[open_enum(u8)]
pub enum E {
    #[nl(name = "A")]
    A,
}

fn main() {}

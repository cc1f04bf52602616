use nlwire::open_enum;

#[open_enum]
pub enum E {
    #[nl(name = "A")]
    A = 1,
}

fn main() {}

use nlwire::nl_struct;

#[nl_struct(name = "s")]
struct S {
    #[nl(value_with = S::v, enum = E)]
    a: u8,
}

fn main() {}

use nlwire::nl_struct;

#[nl_struct(name = "demo", c_type = demo_t)]
pub struct Demo {
    pub a: u8,
}

fn main() {}

use nlwire::nl_flags;

#[nl_flags(u16)]
pub enum Demo {
    DEMO_A(u16),
}

fn main() {}

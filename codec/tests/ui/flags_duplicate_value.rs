use nlwire::nl_flags;

#[nl_flags(u32)]
pub enum Demo {
    DEMO_A = 1,
    DEMO_B = 2,
    DEMO_C = 1,
}

fn main() {}

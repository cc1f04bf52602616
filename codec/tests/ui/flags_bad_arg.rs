use nlwire::nl_flags;

#[nl_flags(u16, consts)]
pub enum Demo {
    DEMO_A = 1,
}

fn main() {}

use nlwire::nl_flags;

#[nl_flags(table = DEMO_NAMES)]
pub enum Demo {
    DEMO_A = 1,
}

fn main() {}

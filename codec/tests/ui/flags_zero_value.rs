use nlwire::nl_flags;

#[nl_flags(u8)]
pub enum Demo {
    DEMO_NONE = 0,
}

fn main() {}

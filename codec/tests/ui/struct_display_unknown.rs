use nlwire::nl_struct;

#[nl_struct(name = "demo")]
pub struct Demo {
    #[nl(display = ipv5)]
    pub addr: [u8; 6],
}

fn main() {}

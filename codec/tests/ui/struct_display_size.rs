use nlwire::nl_struct;

#[nl_struct(name = "demo")]
pub struct Demo {
    #[nl(display = ipv4)]
    pub addr: [u8; 16],
}

fn main() {}

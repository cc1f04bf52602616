use nlwire::nl_struct;

#[nl_struct(name = "demo")]
pub struct Demo {
    pub family: u8,
    #[nl(display = addr_by(sa_family))]
    pub addr: [u8; 16],
}

fn main() {}

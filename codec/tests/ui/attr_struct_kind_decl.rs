use nlwire::attr_struct;

// `kind = KERNEL_NAME = N` declares a constant in #[attribute_set] only.
#[attr_struct(name = "demo")]
pub struct Demo<'a> {
    #[nl(kind = DEMO_A_MTU = 1)]
    pub mtu: Option<&'a [u8]>,
}

fn main() {}

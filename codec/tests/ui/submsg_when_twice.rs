use nlwire::sub_message;

#[sub_message(name = "data")]
pub enum Data<'a> {
    #[nl(when(dev = 1, "dev" = 2))]
    Req(&'a [u8]),
}

fn main() {}

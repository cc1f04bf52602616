use nlwire::sub_message;

#[sub_message(name = "data", length = "len")]
pub enum Data<'a> {
    #[nl(when(dev = 1), len = 4)]
    Req(&'a [u8]),
}

fn main() {}

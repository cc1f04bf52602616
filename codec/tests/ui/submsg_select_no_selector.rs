use nlwire::sub_message;

#[sub_message(name = "data")]
pub enum Data<'a> {
    #[nl(select = 1)]
    Req(&'a [u8]),
}

fn main() {}

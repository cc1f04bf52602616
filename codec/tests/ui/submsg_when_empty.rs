use nlwire::sub_message;

#[sub_message(name = "data", length = "hdr.len")]
pub enum Data<'a> {
    #[nl(when())]
    Req(&'a [u8]),
}

fn main() {}

use nlwire::attribute_set;

#[attribute_set(name = "set")]
pub enum Set<'a> {
    #[nl(kind = 1, name = "A")]
    Unknown(nlwire::payload::Bytes<'a>),
}

fn main() {}

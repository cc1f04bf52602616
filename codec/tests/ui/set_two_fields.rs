use nlwire::attribute_set;

#[attribute_set(name = "set")]
pub enum Set<'a> {
    #[nl(kind = 1, name = "A")]
    A(u32, nlwire::payload::Bytes<'a>),
}

fn main() {}

use nlwire::attribute_set;

#[attribute_set(name = "set")]
pub enum Set<'a> {
    #[nl(name = "X")]
    X(nlwire::payload::Bytes<'a>),
}

fn main() {}

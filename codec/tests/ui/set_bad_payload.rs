use nlwire::attribute_set;

// String is not an attribute payload type (it would allocate).
#[attribute_set(name = "set")]
pub enum Set<'a> {
    #[nl(kind = 1, name = "A")]
    A(String),
    #[nl(kind = 2, name = "B")]
    B(nlwire::payload::Bytes<'a>),
}

fn main() {}

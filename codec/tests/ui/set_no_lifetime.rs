use nlwire::attribute_set;

// Attribute sets borrow their payloads: they take exactly one lifetime.
#[attribute_set(name = "set")]
pub enum Set {
    #[nl(kind = 1, name = "A")]
    A(u32),
}

fn main() {}

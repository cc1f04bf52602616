//! The families this crate declares, each in its own module, and the list
//! the default [`Registry`](crate::registry::Registry) is made of. Adding a
//! family is one module of declarations and one line here.

use crate::registry::FamilyEntry;

/// Every declared family's registry entry.
pub static FAMILIES: &[&FamilyEntry] = &[
    &crate::sock_diag::SockDiagMessage::ENTRY,
    &crate::route::RouteMessage::ENTRY,
    &crate::generic::GenlMessage::ENTRY,
];

//! The families this crate declares, each in its own module, and the list
//! the default [`Registry`] is made of. Adding a
//! family is one module of declarations and one line here.

pub mod genl;
pub mod route;
pub mod sock_diag;

use crate::registry::{FamilyEntry, Registry};

/// Every declared family's registry entry.
pub static FAMILIES: &[&FamilyEntry] = &[
    &sock_diag::SockDiagMessage::ENTRY,
    &route::RouteMessage::ENTRY,
    &genl::GenlMessage::ENTRY,
];

impl Registry {
    /// The families this crate declares ([`FAMILIES`]).
    pub const DEFAULT: Registry = Registry::of(FAMILIES);
}

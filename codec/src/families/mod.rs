//! The families this crate declares, each in its own folder, and the list
//! the default [`Registry`] is made of.
//!
//! `sock_diag` and the generic netlink controller (`genl`) are declared by
//! hand; every other family is generated from the kernel's YNL specs by
//! `nlwire-ynlgen` (see `ynlgen/README.md`), which also writes `ynl.rs`:
//! the generated modules and [`FAMILIES`].

pub mod connector;
pub mod genl;
pub mod sock_diag;
mod ynl;

pub use ynl::*;

use crate::registry::Registry;

impl Registry {
    /// The families this crate declares ([`FAMILIES`]).
    pub const DEFAULT: Registry = Registry::of(FAMILIES);
}

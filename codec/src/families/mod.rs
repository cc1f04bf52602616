//! The families this crate declares, each in its own folder, and the list
//! the default [`Registry`] is made of.
//!
//! `sock_diag`, `connector` and the generic netlink table (`genl`) are
//! declared by hand; every other family is generated from the kernel's YNL
//! specs by `nlwire-ynlgen` (see `ynlgen/README.md`), and so are the
//! controller's declarations inside `genl` (`genl/nlctrl.rs`, from
//! `nlctrl.yaml`). The generator also writes `ynl.rs`: the generated
//! modules and [`FAMILIES`].

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

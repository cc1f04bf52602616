//! # nlwire — a pure, zero-copy codec for Linux netlink
//!
//! `nlwire` decodes and encodes netlink messages without doing any I/O:
//! framing (`nlmsghdr`), attributes (`rtattr`/`nlattr`), errors and ACKs with
//! extended ACK (`nlmsgerr`), and the `NETLINK_SOCK_DIAG` family.
//!
//! Every structure is *declared* once, in kernel order with kernel names,
//! with the macros of `nlwire-derive` ([`nl_struct`], [`attribute_set`],
//! [`open_enum`]); parse, emit, metadata and generic walking are generated.
//!
//! ## The no-panic contract
//!
//! Every parse entry point is a pure function of its input bytes. For any
//! input it returns `Ok` or an [`Error`]; it never panics, never loops
//! forever and never allocates (the parse path borrows from the input). After
//! a wire struct parsed successfully, no accessor can panic. Emitting into a
//! buffer that is too small returns [`ErrorKind::BufferTooSmall`].
//!
//! ```
//! use nlwire::netlink::{Messages, NLM_F_REQUEST, NLM_F_DUMP};
//! let bytes = [0x14, 0, 0, 0, 0x12, 0, 0x01, 0x03, 0xfd, 0xfe, 0x38, 0x5c,
//!              0, 0, 0, 0, 0, 0, 0, 0];
//! let m = Messages::new(&bytes).next().unwrap().unwrap();
//! assert_eq!(m.header.nlmsg_flags.get(), NLM_F_REQUEST | NLM_F_DUMP);
//! ```
#![no_std]
#![forbid(unsafe_code)]
#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(
        clippy::indexing_slicing,
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::arithmetic_side_effects
    )
)]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

extern crate self as nlwire;

pub mod decode;
pub mod error;
pub mod family;
pub mod generic;
pub mod mode;
pub mod netlink;
pub mod nlmon;
pub mod payload;
pub mod route;
pub mod sock_diag;
#[cfg(feature = "proptest")]
pub mod strategy;
pub mod swap;
pub mod value;
pub mod wire;

pub use error::{Error, ErrorKind, Result};
pub use mode::Mode;
pub use netlink::MAX_NEST_DEPTH;
pub use nlwire_derive::{attribute_set, nl_struct, open_enum};

/// Re-exports used by generated code. Not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use zerocopy;
}

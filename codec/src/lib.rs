//! # nlwire — a pure, zero-copy codec for Linux netlink
//!
//! `nlwire` decodes and encodes netlink messages without doing any I/O:
//! framing (`nlmsghdr`), attributes (`rtattr`/`nlattr`), errors and ACKs with
//! extended ACK (`nlmsgerr`), and the `NETLINK_SOCK_DIAG` family.
//!
//! Every structure is *declared* once, in kernel order with kernel names,
//! with the macros of `nlwire-derive` ([`nl_struct`], [`attribute_set`],
//! [`open_enum`], [`nl_flags`]); parse, emit, metadata and generic walking
//! are generated.
//!
//! ## Declaring a family
//!
//! A new netlink family is a file of declarations: a fixed header, an open
//! enum, an attribute set. Parse, emit, metadata and printing come from them.
//!
//! ```
//! use nlwire::{attribute_set, nl_flags, nl_struct, open_enum, Mode};
//! use nlwire::netlink::{Attrs, Builder, Nested};
//! use nlwire::payload::NulStr;
//! use nlwire::wire::{BigEndian, NativeEndian, WireStruct, U16, U32};
//!
//! /// Flag bits: a `pub const` per row and the names walks show.
//! #[nl_flags(u8, table = DEMO_F_NAMES)]
//! pub enum DemoFlags {
//!     /// `DEMO_F_UP`.
//!     DEMO_F_UP = 0x1,
//!     /// `DEMO_F_RUNNING`.
//!     DEMO_F_RUNNING = 0x2,
//! }
//!
//! #[open_enum(u8)]
//! pub enum Color {
//!     #[nl(name = "COLOR_RED")]
//!     Red = 1,
//!     #[nl(name = "COLOR_BLUE")]
//!     Blue = 2,
//! }
//!
//! /// `struct demo_hdr` — fixed header, kernel names, one big-endian field.
//! #[nl_struct(name = "demo_hdr")]
//! pub struct DemoHdr {
//!     #[nl(enum = Color)]
//!     pub color: u8,
//!     #[nl(bits(low = 0..4, high = 4..8))]
//!     pub nibbles: u8,
//!     #[nl(flags = DEMO_F_NAMES)]
//!     pub flags: u8,
//!     pub port: U16<BigEndian>,
//!     pub ifindex: U32<NativeEndian>,
//! }
//!
//! #[attribute_set(name = "demo_attrs")]
//! pub enum DemoAttr<'a> {
//!     #[nl(kind = 1, name = "DEMO_A_NAME")]
//!     Name(NulStr<'a>),
//!     #[nl(kind = 2, name = "DEMO_A_MTU")]
//!     Mtu(u32),
//!     #[nl(kind = 3, name = "DEMO_A_NEST", flags = nlwire::netlink::NLA_F_NESTED)]
//!     Nest(Nested<'a, DemoAttr<'a>>),
//! }
//!
//! assert_eq!(DemoHdr::SIZE, 9);
//! assert_eq!(DemoHdr::field("ifindex").unwrap().offset, 5);
//! assert_eq!(DEMO_F_UP | DEMO_F_RUNNING, 3);
//!
//! // Emit: lengths and padding are computed by the builder.
//! let mut b = Builder::new_vec();
//! b.attr_set(&DemoAttr::Name(NulStr(b"eth0\0"))).unwrap();
//! b.attr_set(&DemoAttr::Mtu(1500)).unwrap();
//! b.attr(99, &7u32).unwrap(); // a kind the set does not know
//! let bytes = b.into_vec();
//!
//! // Parse: views over the bytes; unknown kinds are kept.
//! let attrs: Vec<_> = Attrs::<DemoAttr>::with(&bytes, 0, Mode::Lenient)
//!     .collect::<Result<_, _>>()
//!     .unwrap();
//! assert_eq!(attrs[1], DemoAttr::Mtu(1500));
//! assert!(matches!(attrs[2], DemoAttr::Unknown(u) if u.kind == 99));
//! // Strict mode refuses the unknown kind.
//! assert!(Attrs::<DemoAttr>::with(&bytes, 0, Mode::Strict).any(|a| a.is_err()));
//! ```
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

mod announcement;
pub mod decode;
pub mod error;
pub mod families;
pub mod family;
pub mod family_ids;
pub mod flags;
pub mod mode;
pub mod netlink;
pub mod nlmon;
pub mod payload;
pub mod registry;
#[cfg(feature = "proptest")]
pub mod strategy;
pub mod swap;
pub mod value;
pub mod wire;

pub use error::{Error, ErrorKind, Result};
pub use mode::Mode;
pub use netlink::MAX_NEST_DEPTH;
pub use nlwire_derive::{
    attr_struct, attribute_set, nl_family, nl_flags, nl_struct, open_enum, sub_message,
};

/// Re-exports used by generated code. Not part of the public API.
#[doc(hidden)]
pub mod __private {
    pub use zerocopy;
}

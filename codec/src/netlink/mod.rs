//! Netlink framing: `nlmsghdr`, the message walk, `rtattr`/`nlattr`,
//! `nlmsgerr` with extended ACK, and the emit [`Builder`].
//!
//! Sources: netlink(7), `<linux/netlink.h>`, and the kernel's
//! `include/net/netlink.h` (`nlmsg_ok`, `nla_ok`).

mod attr;
mod bitfield;
mod body;
mod builder;
mod error;
mod header;
mod indexed;
mod message;
mod scope;
mod submsg;
mod tagged;
mod with_header;

pub use attr::*;
pub use bitfield::*;
pub use body::*;
pub use builder::*;
pub use error::*;
pub use header::*;
pub use indexed::*;
pub use message::*;
pub use scope::*;
pub use submsg::*;
pub use tagged::*;
pub use with_header::*;

//! `nlwire-cli`: the pieces of the `nlwire` command-line tool, reusable by
//! tests, fuzz targets and other tools.
//!
//! * [`capture`]: pcap/pcapng reading in bounded memory;
//! * [`output`]: printers (text tree, JSON lines, summary), each a
//!   [`nlwire::value::Visitor`];
//! * [`decode`]: the `nlwire decode` command (frames → byte order →
//!   messages → printers);
//! * [`families`]: the `nlwire families` table;
//! * [`mod@diag`]: messages on stderr that never panic (a full device, a
//!   closed pipe).
#![forbid(unsafe_code)]
#![warn(missing_docs)]
// Messages go through `diag` (a full or closed stderr must not panic).
#![warn(clippy::print_stderr)]

pub mod capture;
pub mod decode;
pub mod diag;
pub mod families;
pub mod output;

/// The filter language of `nlwire ss` (ss(8) state clauses and expressions)
/// and the name lookups it uses. The `nlwire` binary compiles the same files
/// in its `ss` module; they are exposed here for the fuzz targets and tests.
#[allow(missing_docs)]
pub mod ss {
    pub mod filter_lang;
    pub mod glob;
    pub mod names;
}

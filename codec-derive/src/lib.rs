//! Declarative netlink wire definitions for [`nlwire`](https://docs.rs/nlwire).
//!
//! Attribute macros, in the vocabulary of the kernel's YNL specs:
//!
//! * [`macro@nl_struct`] — a fixed-layout kernel *struct* (`nlmsghdr`,
//!   `inet_diag_msg`): zerocopy layout, parse/emit, size, kernel name and every
//!   field's name/offset/size/byte order as metadata, generic walking. With
//!   `extensible(view = Name)` it also generates a borrowed view that parses
//!   from any prefix length (`tcp_info`).
//! * [`macro@attribute_set`] — an *attribute-set*: an enum keyed by attribute
//!   kind, each variant typed (integers in host or network order, strings,
//!   bytes, structs, extensible structs, nested attribute sets), plus an
//!   `Unknown` arm that keeps kind and payload.
//! * [`macro@open_enum`] — an open *enum* of kernel constants with an
//!   `Unknown(n)` arm so unknown values round-trip.
//! * [`macro@nl_flags`] — *flags*: named bits, declared once (constants and
//!   the name table walks show).
//! * [`macro@nl_family`] — a protocol's message table (*operations*), and
//!   with `context = path` what a request tells its replies.
//! * [`macro@sub_message`] — a *sub-message*: the payload types of one
//!   attribute by the value of a selector (`INET_DIAG_INFO` by protocol),
//!   carried as `nlwire::netlink::Sub`; an attribute declared with
//!   `provides = "name"` in its set gives the selector its value.
//!
//! Field options of `#[nl_struct]` (`#[nl(...)]`): `enum = Type`, `flags =
//! TABLE`, `bits(name = lo..hi, ..)`, `name = "kernel_name"`, `walk_with =
//! path` (a function that reports the field), `value_with = path` (a
//! function that gives the field's one value), `hidden` (padding: in the metadata, not walked) and the YNL
//! `display-hint`s for addresses: `display = ipv4`, `ipv6`, `addr_by(field)`
//! (the family is in `field`: `AF_INET` reads IPv4 from the first word),
//! `addr` (the family comes from the containing structure). Struct option
//! `swap_with = path` converts a structure between byte orders when its
//! layout depends on a field (`__kernel_sockaddr_storage`).
//!
//! `#[attribute_set]` kinds: `kind = N, name = "KERNEL_NAME"`, `kind =
//! KERNEL_NAME` (a constant; its identifier is the name), or `kind =
//! KERNEL_NAME = N` (also declares `pub const KERNEL_NAME: u16 = N`).
//! Other variant options: `flags = BITS`, the `nla_type` flag bits the
//! attribute is emitted with and strict decoding demands (`NLA_F_NESTED`,
//! `<linux/netlink.h>`); `nested_optional`, strict accepts those bits with
//! `NLA_F_NESTED` set or clear (any other bit still refused) while emit
//! still writes the declared ones, for families whose kernel side parses
//! nests with `nla_parse_nested_deprecated()` and so takes either form
//! (nfnetlink);
//! `multi`, the attribute may repeat; `provides = "selector"`, its value
//! selects a sub-message.
//!
//! Mistakes in a declaration are compile errors with spans.
#![forbid(unsafe_code)]

use proc_macro::TokenStream;

mod attr_struct;
mod attrs;
mod describe;
mod family;
mod flags;
mod open_enum;
mod set;
mod structs;
mod submsg;
mod walk_keys;

/// Declare a fixed-layout kernel structure (`c_type = "..."` gives its C
/// type when it is not `struct NAME`). The crate docs of `nlwire` have
/// compiled examples of all three macros.
///
/// ```text
/// #[nl_struct(name = "nlmsghdr")]
/// pub struct NlMsgHdr {
///     pub nlmsg_len: U32<NativeEndian>,
///     pub nlmsg_type: U16<NativeEndian>,
///     #[nl(flags = NLM_F_NAMES)]
///     pub nlmsg_flags: U16<NativeEndian>,
///     pub nlmsg_seq: U32<NativeEndian>,
///     pub nlmsg_pid: U32<NativeEndian>,
/// }
/// ```
#[proc_macro_attribute]
pub fn nl_struct(args: TokenStream, input: TokenStream) -> TokenStream {
    structs::expand(args.into(), input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Declare an attribute set (an enum keyed by attribute kind).
///
/// The enum is given `#[repr(u8)]` unless it declares a `repr` of its own
/// (or has 256 or more variants): the tag is a byte of its own and every
/// payload sits at its own offset, which lets a decode inlined into the
/// caller's `match` take one jump per attribute.
#[proc_macro_attribute]
pub fn attribute_set(args: TokenStream, input: TokenStream) -> TokenStream {
    set::expand(args.into(), input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Declare a struct of optional attributes (`Option<Payload>` fields, one
/// per kind, `#[nl(kind = KERNEL_NAME, flags = ..)]`): generates `parse`,
/// `parse_at` (strict refuses unknown kinds, repeats and stray flag bits;
/// lenient skips unknown kinds, the last of a kind wins), `KINDS` in
/// declaration order and `emit`, which writes the present fields in
/// declaration order with one straight path per field (no dispatch on a
/// variant, unlike a list of an attribute set's values).
#[proc_macro_attribute]
pub fn attr_struct(args: TokenStream, input: TokenStream) -> TokenStream {
    attr_struct::expand(args.into(), input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Declare a netlink protocol's message table (YNL *operations*): which
/// body each `nlmsg_type` carries, per direction and selector. Generates
/// parse, emit, walk, type names, flag readings, byte-order conversion and
/// the protocol's registry entry (`ENTRY`, with every declaration the table
/// reaches; `declares(Type, ...)` adds ones it does not). The crate docs of
/// `nlwire` have a compiled example.
#[proc_macro_attribute]
pub fn nl_family(args: TokenStream, input: TokenStream) -> TokenStream {
    family::expand(args.into(), input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Declare an open enum of kernel constants. With `consts`
/// (`#[open_enum(u8, consts)]`) every variant's kernel name is also a
/// `pub const` of the wire type, so values are declared once.
#[proc_macro_attribute]
pub fn open_enum(args: TokenStream, input: TokenStream) -> TokenStream {
    open_enum::expand(args.into(), input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// An attribute payload whose type depends on a selector value (YNL
/// `sub-message`): one variant per value, see the `nlwire` crate's
/// `netlink::SubMessage`.
#[proc_macro_attribute]
pub fn sub_message(args: TokenStream, input: TokenStream) -> TokenStream {
    submsg::expand(args.into(), input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

/// Declare a set of kernel flag bits once: one row per bit, kernel name and
/// value (`NDIAG_SHOW_MEMINFO = 0x1`). Generates a `pub const` per row, the
/// name table walks show (`FlagNames`), and with `table = NAME` a `pub
/// const NAME` table; `extends = Other` puts another set's rows first,
/// `names_only` emits no constants. The crate docs of `nlwire` have a
/// compiled example.
#[proc_macro_attribute]
pub fn nl_flags(args: TokenStream, input: TokenStream) -> TokenStream {
    flags::expand(args.into(), input.into())
        .unwrap_or_else(syn::Error::into_compile_error)
        .into()
}

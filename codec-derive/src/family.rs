//! `#[nl_family]`: a netlink protocol's message table (YNL *operations*).
//!
//! ```text
//! #[nl_family(protocol = 4, name = "NETLINK_SOCK_DIAG", types = SockDiagType,
//!             reading = |_| FlagReading::Get,
//!             selector(offset = 0, name = "sdiag_family", enum = AddressFamily))]
//! pub enum SockDiagMessage<'a> {
//!     #[nl(types = TCPDIAG_GETSOCK | DCCPDIAG_GETSOCK, request)]
//!     InetRequestV1(InetRequestV1<'a>),
//!     #[nl(types = SOCK_DIAG_BY_FAMILY | SOCK_DESTROY, request,
//!          select = AddressFamily::Inet | AddressFamily::Inet6)]
//!     InetRequest(InetRequest<'a>),
//!     ...
//! }
//! ```
//!
//! Every variant holds one body type (`nlwire::netlink::MessageBody`) and has
//! one or more rows `#[nl(types = PATTERN, [request | reply], [select =
//! PATTERN])]` or `#[nl(default)]`: the `nlmsg_type` pattern, the direction
//! (`NLM_F_REQUEST` set or not; both when omitted) and, for families with a
//! selector, the pattern on the selector byte read as the selector's enum.
//! Rows are tried in declaration order. Two arms are added: `Unselected`
//! (a known type whose selector matches no row; only with a selector) and
//! `UnknownType` (a type no row takes).
//!
//! A sub-family whose message type is assigned at run time (a generic
//! netlink family, announced by the controller) is declared by name with
//! `genl = "NAME"`; its rows need no `types` (a row without `types` takes
//! any `nlmsg_type`) and usually select on the `genlmsghdr` `cmd` byte:
//!
//! ```text
//! #[nl_family(protocol = crate::family::NETLINK_GENERIC, name = "ethtool", genl = "ethtool",
//!             selector(offset = 0, name = "cmd", enum = EthtoolCmd))]
//! pub enum EthtoolMessage<'a> {
//!     #[nl(select = EthtoolCmd::StrsetGet, request, name = "ETHTOOL_MSG_STRSET_GET")]
//!     StrsetGetRequest(Message<'a, EthtoolHdr, EthtoolStrsetAttrs<'a>>),
//!     ...
//! }
//! ```
//!
//! A row's optional `name = "..."` is the message's kernel name (without it
//! a sub-family's message is named by its selector value).
//! `announces = f` (`fn(&Table<'_>, bool request) -> Option<Announcement>`)
//! makes a fixed entry read run-time type announcements
//! (`nlwire::family_ids`).
//!
//! `claims_control = [NLMSG_DONE]` lists control message types (below
//! `NLMSG_MIN_TYPE`: `NLMSG_NOOP`, `NLMSG_ERROR`, `NLMSG_DONE`,
//! `NLMSG_OVERRUN`) that this protocol uses for its own data, so that the
//! generic decoder hands them to the rows instead of decoding them as
//! control messages (`FamilyEntry::claims_control`). Only
//! `NETLINK_CONNECTOR` needs it: `cn_netlink_send()` sends every message as
//! `NLMSG_DONE`. The rows must then take those types (`types = NLMSG_DONE`).

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::Parser;
use syn::spanned::Spanned;
use syn::{Expr, Fields, ItemEnum, LitStr, Pat, Path, Result};

use crate::attrs::is_nl;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Any,
    Request,
    Reply,
}

struct Row {
    types: Option<Pat>,
    name: Option<LitStr>,
    direction: Direction,
    select: Option<Pat>,
}

struct Variant {
    ident: syn::Ident,
    ty: syn::Type,
    rows: Vec<Row>,
}

struct Selector {
    offset: Expr,
    name: LitStr,
    enum_ty: Path,
}

struct Args {
    protocol: Expr,
    name: LitStr,
    types: Option<Path>,
    reading: Option<Expr>,
    context: Option<Expr>,
    selector: Option<Selector>,
    genl: Option<LitStr>,
    announces: Option<Expr>,
    claims_control: Vec<Expr>,
}

fn parse_args(args: TokenStream, span: proc_macro2::Span) -> Result<Args> {
    let mut protocol = None;
    let mut name = None;
    let mut types = None;
    let mut reading = None;
    let mut context = None;
    let mut selector = None;
    let mut genl = None;
    let mut announces = None;
    let mut claims_control = Vec::new();
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("protocol") {
            protocol = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("name") {
            name = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("types") {
            types = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("reading") {
            reading = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("context") {
            context = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("genl") {
            genl = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("announces") {
            announces = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("claims_control") {
            let list: syn::ExprArray = meta.value()?.parse()?;
            if list.elems.is_empty() {
                return Err(
                    meta.error("`claims_control` lists at least one control type: [NLMSG_DONE]")
                );
            }
            claims_control = list.elems.into_iter().collect();
        } else if meta.path.is_ident("selector") {
            let mut offset = None;
            let mut sname = None;
            let mut enum_ty = None;
            meta.parse_nested_meta(|m| {
                if m.path.is_ident("offset") {
                    offset = Some(m.value()?.parse()?);
                } else if m.path.is_ident("name") {
                    sname = Some(m.value()?.parse()?);
                } else if m.path.is_ident("enum") {
                    enum_ty = Some(m.value()?.parse()?);
                } else {
                    return Err(m.error("expected `offset`, `name` or `enum`"));
                }
                Ok(())
            })?;
            let (Some(offset), Some(sname), Some(enum_ty)) = (offset, sname, enum_ty) else {
                return Err(meta.error(
                    "a selector needs `offset = N, name = \"kernel_name\", enum = OpenEnumU8`",
                ));
            };
            selector = Some(Selector {
                offset,
                name: sname,
                enum_ty,
            });
        } else {
            return Err(meta.error(
                "unknown argument; expected `protocol`, `name`, `types`, `reading`, `context`, `selector`, `genl`, `announces` or `claims_control`",
            ));
        }
        Ok(())
    });
    parser.parse2(args)?;
    let protocol = protocol.ok_or_else(|| {
        syn::Error::new(
            span,
            "#[nl_family] needs the netlink protocol: `protocol = N` (NETLINK_*)",
        )
    })?;
    let name = name.ok_or_else(|| {
        syn::Error::new(
            span,
            "#[nl_family] needs the kernel name: `name = \"NETLINK_...\"`",
        )
    })?;
    Ok(Args {
        protocol,
        name,
        types,
        reading,
        context,
        selector,
        genl,
        announces,
        claims_control,
    })
}

fn parse_rows(v: &syn::Variant, has_selector: bool) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for attr in v.attrs.iter().filter(|a| is_nl(a)) {
        let mut row = Row {
            types: None,
            name: None,
            direction: Direction::Any,
            select: None,
        };
        let mut default = false;
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("types") {
                let input = meta.value()?;
                row.types = Some(Pat::parse_multi_with_leading_vert(input)?);
            } else if meta.path.is_ident("select") {
                if !has_selector {
                    return Err(
                        meta.error("`select` needs a family selector: #[nl_family(selector(...))]")
                    );
                }
                let input = meta.value()?;
                row.select = Some(Pat::parse_multi_with_leading_vert(input)?);
            } else if meta.path.is_ident("request") {
                if row.direction != Direction::Any {
                    return Err(meta.error("one of `request` or `reply` per row"));
                }
                row.direction = Direction::Request;
            } else if meta.path.is_ident("reply") {
                if row.direction != Direction::Any {
                    return Err(meta.error("one of `request` or `reply` per row"));
                }
                row.direction = Direction::Reply;
            } else if meta.path.is_ident("default") {
                default = true;
            } else if meta.path.is_ident("name") {
                row.name = Some(meta.value()?.parse()?);
            } else {
                return Err(meta.error(
                    "unknown option; expected `types`, `request`, `reply`, `select`, `name` or `default`",
                ));
            }
            Ok(())
        })?;
        // A row without `types` takes any `nlmsg_type` (a sub-family's rows,
        // whose type is assigned at run time); one that gives nothing at
        // all must say so with `default`.
        let gives = row.types.is_some() || row.select.is_some() || row.direction != Direction::Any;
        if default == gives {
            return Err(syn::Error::new(
                attr.span(),
                "a row gives `types = PATTERN`, `select = PATTERN`, `request` or `reply`, or is `default`",
            ));
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(syn::Error::new(
            v.ident.span(),
            "message variant needs at least one row: #[nl(types = NLMSG_TYPE_PATTERN)]",
        ));
    }
    Ok(rows)
}

pub fn expand(args: TokenStream, input: TokenStream) -> Result<TokenStream> {
    let mut item: ItemEnum = syn::parse2(input)?;
    let (args, declares) = crate::describe::take_declares(args)?;
    let args = parse_args(args, item.ident.span())?;
    let lt = crate::attrs::one_lifetime(
        &item.generics,
        "a message table takes exactly one lifetime parameter: enum Name<'a>",
    )?;
    let has_sel = args.selector.is_some();

    let mut variants = Vec::new();
    for v in item.variants.iter_mut() {
        if v.ident == "Unselected" || v.ident == "UnknownType" {
            return Err(syn::Error::new(
                v.ident.span(),
                "`Unselected` and `UnknownType` are added by #[nl_family]; do not declare them",
            ));
        }
        let ty = match &v.fields {
            Fields::Unnamed(u) if u.unnamed.len() == 1 => u.unnamed[0].ty.clone(),
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "message variants hold exactly one body: Variant(Type)",
                ))
            }
        };
        let rows = parse_rows(v, has_sel)?;
        v.attrs.retain(|a| !is_nl(a));
        variants.push(Variant {
            ident: v.ident.clone(),
            ty,
            rows,
        });
    }
    let nl = quote!(::nlwire);
    if let Some(sel) = &args.selector {
        let e = &sel.enum_ty;
        item.variants.push(syn::parse_quote! {
            /// A known message type whose selector value no declaration takes
            /// (lenient mode only): the selector and the payload.
            Unselected(#nl::netlink::Unselected<#lt, #e>)
        });
    }
    item.variants.push(syn::parse_quote! {
        /// A message type this family does not declare (lenient mode only).
        UnknownType {
            /// `nlmsg_type`.
            nlmsg_type: u16,
            /// The payload.
            payload: &#lt [u8],
        }
    });

    let ident = &item.ident;
    let protocol = &args.protocol;
    let fam_name = &args.name;

    // The condition of each row, over `typ`, `request` and `sel`.
    let cond = |r: &Row| -> TokenStream {
        let t = match &r.types {
            Some(p) => quote!(::core::matches!(typ, #p)),
            None => quote!(true),
        };
        let d = match r.direction {
            Direction::Any => quote!(true),
            Direction::Request => quote!(request),
            Direction::Reply => quote!(!request),
        };
        let s = match (&r.select, &args.selector) {
            (Some(p), Some(sel)) => {
                let e = &sel.enum_ty;
                quote!(
                    ::core::matches!(sel.map(<#e as ::core::convert::From<u8>>::from), ::core::option::Option::Some(#p))
                )
            }
            _ => quote!(true),
        };
        quote!((#t && #d && #s))
    };
    let mut parse_rows = Vec::new();
    let mut swap_rows = Vec::new();
    for v in &variants {
        let vi = &v.ident;
        let ty = &v.ty;
        for r in &v.rows {
            let c = cond(r);
            parse_rows.push(quote! {
                if #c {
                    return <#ty as #nl::netlink::MessageBody<#lt>>::parse_body(payload, base, mode)
                        .map(Self::#vi);
                }
            });
            swap_rows.push(quote! {
                if #c {
                    return <#ty as #nl::netlink::MessageBody<'_>>::swap_body_in(payload, context);
                }
            });
        }
    }
    // Types taken by rows with a selector: known types whose selector did
    // not match become `Unselected`.
    let mut selected_types: Vec<&Pat> = Vec::new();
    let mut seen = Vec::new();
    let selects_any_type = variants
        .iter()
        .flat_map(|v| v.rows.iter())
        .any(|r| r.select.is_some() && r.types.is_none());
    for p in variants
        .iter()
        .flat_map(|v| v.rows.iter())
        .filter(|r| r.select.is_some())
        .filter_map(|r| r.types.as_ref())
    {
        let key = quote!(#p).to_string();
        if !seen.contains(&key) {
            seen.push(key);
            selected_types.push(p);
        }
    }
    let sel_read = match &args.selector {
        Some(sel) => {
            let off = &sel.offset;
            quote!(let sel: ::core::option::Option<u8> = payload.get(#off).copied();)
        }
        None => quote!(),
    };
    let unselected = match &args.selector {
        Some(sel) if !selected_types.is_empty() || selects_any_type => {
            let sname = &sel.name;
            let off = &sel.offset;
            let e = &sel.enum_ty;
            let selected = if selects_any_type {
                quote!(true)
            } else {
                quote!(::core::matches!(typ, #(#selected_types)|*))
            };
            quote! {
                // Rows may overlap (`A | B` in one, `A` in another).
                #[allow(unreachable_patterns)]
                let selected = #selected;
                if selected {
                    let ::core::option::Option::Some(raw) = sel else {
                        return ::core::result::Result::Err(
                            #nl::Error::short(#sname, (#off) + 1, payload.len()).at(base),
                        );
                    };
                    let selector = <#e as ::core::convert::From<u8>>::from(raw);
                    if mode.is_strict() {
                        return ::core::result::Result::Err(#nl::Error::new(
                            #nl::ErrorKind::Unknown,
                            #sname,
                            usize::from(raw),
                            payload.len(),
                        )
                        .at(base));
                    }
                    return ::core::result::Result::Ok(Self::Unselected(#nl::netlink::Unselected {
                        request,
                        name: #sname,
                        offset: #off,
                        selector,
                        payload,
                    }));
                }
            }
        }
        _ => quote!(),
    };
    let unselected_arms = if has_sel {
        quote! {
            Self::Unselected(u) => #nl::value::Walk::walk(u, v),
        }
    } else {
        quote!()
    };
    let unselected_emit = if has_sel {
        quote! { Self::Unselected(u) => b.put_bytes(u.payload), }
    } else {
        quote!()
    };
    let type_name = match &args.types {
        Some(t) => quote!(<#t as #nl::value::OpenEnum>::name_of(u64::from(nlmsg_type))),
        None => quote!({
            let _ = nlmsg_type;
            ::core::option::Option::None
        }),
    };
    let context = match &args.context {
        Some(c) => quote!(|m, mode| match #ident::parse_entry(m, mode) {
            ::core::result::Result::Ok(d) => {
                let f: fn(&#ident<'_>) -> #nl::netlink::Selectors<'static> = #c;
                f(&d)
            }
            ::core::result::Result::Err(_) => #nl::netlink::Selectors::EMPTY,
        }),
        None => quote!(|_, _| #nl::netlink::Selectors::EMPTY),
    };
    let reading = match &args.reading {
        Some(r) => quote!({
            let f: fn(u16) -> #nl::netlink::FlagReading = #r;
            f(nlmsg_type)
        }),
        // Generic netlink reads `NLM_F_ROOT | NLM_F_MATCH` as `NLM_F_DUMP`
        // for every command (net/netlink/genetlink.c, `genl_family_rcv_msg`):
        // a named family's requests read as GETs.
        None if args.genl.is_some() => quote!({
            let _ = nlmsg_type;
            #nl::netlink::FlagReading::Get
        }),
        None => quote!({
            let _ = nlmsg_type;
            #nl::netlink::FlagReading::Other
        }),
    };
    let sub_family = match &args.genl {
        Some(n) => quote!(::core::option::Option::Some(#n)),
        None => quote!(::core::option::Option::None),
    };
    let announces = match &args.announces {
        Some(a) => quote!(|m, mode| match #ident::parse_entry(m, mode) {
            ::core::result::Result::Ok(d) => {
                let f: for<'x> fn(&#ident<'x>, bool) -> ::core::option::Option<#nl::family_ids::Announcement<'x>> = #a;
                f(&d, m.header.is_request())
            }
            ::core::result::Result::Err(_) => ::core::option::Option::None,
        }),
        None => quote!(|_, _| ::core::option::Option::None),
    };
    // The name of one message: its row's `name`, else (a sub-family) its
    // selector value's name, else (a fixed entry) its type's name.
    let mut name_rows = Vec::new();
    for v in &variants {
        for r in &v.rows {
            if let Some(n) = &r.name {
                let c = cond(r);
                name_rows.push(quote! {
                    if #c {
                        return ::core::option::Option::Some(#n);
                    }
                });
            }
        }
    }
    let name_fallback = match (&args.genl, &args.selector) {
        (Some(_), Some(sel)) => {
            let e = &sel.enum_ty;
            quote!(sel.and_then(|b| <#e as #nl::value::OpenEnum>::name_of(u64::from(b))))
        }
        (Some(_), None) => quote!(::core::option::Option::None),
        (None, _) => quote!(Self::type_name(typ)),
    };
    let sel_touch = if has_sel {
        quote!(let _ = sel;)
    } else {
        quote!()
    };
    let message_name = quote!(|m| {
        let typ = m.header.nlmsg_type.get();
        let request = m.header.is_request();
        let payload = m.payload;
        let _ = (typ, request, payload);
        #sel_read
        #sel_touch
        #(#name_rows)*
        #name_fallback
    });
    let claims = &args.claims_control;
    let claims_control = quote!(0u16 #(| (1u16 << ({ let t: u16 = #claims; assert!(t < #nl::netlink::NLMSG_MIN_TYPE, "claims_control lists control types (below NLMSG_MIN_TYPE)"); t }))) *);
    let idents: Vec<_> = variants.iter().map(|v| &v.ident).collect();
    let described: Vec<_> = variants
        .iter()
        .flat_map(|v| v.rows.iter().map(|r| (&v.ident, &v.ty, cond(r))))
        .collect();
    let described = crate::describe::family_entry(
        &described,
        args.selector.as_ref().map(|s| (&s.offset, &s.name)),
        &declares,
    );

    Ok(quote! {
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug,
                 ::core::cmp::PartialEq, ::core::cmp::Eq)]
        #item

        impl<#lt> #ident<#lt> {
            /// The netlink protocol (`NETLINK_*`) this table belongs to.
            pub const PROTOCOL: u16 = #protocol;
            /// The protocol's kernel name.
            pub const NAME: &'static str = #fam_name;
            /// The control message types this protocol takes as its own
            /// data: bit `1 << t` for type `t` (`claims_control`).
            pub const CLAIMS_CONTROL: u16 = #claims_control;

            /// Decode the payload of one message of this protocol: the row
            /// whose type, direction (`NLM_F_REQUEST`) and selector match
            /// picks the body. Errors carry offsets in the buffer `msg` was
            /// walked from. Control messages (below `NLMSG_MIN_TYPE`) are
            /// refused: they are the framing's, unless this family claims
            /// them (`claims_control`).
            ///
            /// Always inlined: a caller's `match` on the result then sees
            /// which rows it does not take (the registry's entry goes
            /// through one out-of-line copy instead).
            #[inline(always)]
            pub fn parse(msg: &#nl::netlink::RawMessage<#lt>, mode: #nl::Mode) -> #nl::Result<Self> {
                let typ = msg.header.nlmsg_type.get();
                if typ < #nl::netlink::NLMSG_MIN_TYPE && Self::CLAIMS_CONTROL & (1u16 << typ) == 0 {
                    return ::core::result::Result::Err(#nl::Error::new(
                        #nl::ErrorKind::Invalid,
                        "nlmsg_type",
                        usize::from(typ),
                        usize::from(#nl::netlink::NLMSG_MIN_TYPE),
                    )
                    .at(msg.offset));
                }
                Self::parse_payload(typ, msg.header.is_request(), msg.payload, msg.payload_offset(), mode)
                    .map_err(|e| if e.what == "nlmsg_type" && e.kind == #nl::ErrorKind::Unknown { e.at(msg.offset) } else { e })
            }

            /// [`Self::parse`] out of line: the one copy the registry's
            /// entry (`ENTRY`) calls.
            #[inline(never)]
            fn parse_entry(msg: &#nl::netlink::RawMessage<#lt>, mode: #nl::Mode) -> #nl::Result<Self> {
                Self::parse(msg, mode)
            }

            /// Decode a payload of `nlmsg_type` in the given direction;
            /// `base` is the payload's offset in the outermost buffer.
            #[inline(always)]
            pub fn parse_payload(
                typ: u16,
                request: bool,
                payload: &#lt [u8],
                base: usize,
                mode: #nl::Mode,
            ) -> #nl::Result<Self> {
                #sel_read
                #(#parse_rows)*
                #unselected
                if mode.is_strict() {
                    return ::core::result::Result::Err(
                        #nl::Error::new(#nl::ErrorKind::Unknown, "nlmsg_type", usize::from(typ), 0),
                    );
                }
                ::core::result::Result::Ok(Self::UnknownType { nlmsg_type: typ, payload })
            }

            /// Write the payload back into an open message of `b`.
            pub fn emit<S: #nl::netlink::Sink>(&self, b: &mut #nl::netlink::Builder<S>) -> #nl::Result<()> {
                match self {
                    #(Self::#idents(m) => #nl::netlink::MessageBody::emit_body(m, b),)*
                    #unselected_emit
                    Self::UnknownType { payload, .. } => b.put_bytes(payload),
                }
            }

            /// The kernel name of a message type of this protocol.
            pub fn type_name(nlmsg_type: u16) -> ::core::option::Option<&'static str> {
                #type_name
            }

            /// How the context-dependent `NLM_F_*` bits of a request of
            /// this type read.
            pub fn flag_reading(nlmsg_type: u16) -> #nl::netlink::FlagReading {
                #reading
            }

            /// Convert the payload of one message of this protocol,
            /// captured on a host of the other byte order, in place (the
            /// body its row picks converts itself; unknown bodies stay).
            pub fn swap_payload(typ: u16, request: bool, payload: &mut [u8]) {
                Self::swap_payload_in(typ, request, payload, &#nl::netlink::Selectors::EMPTY)
            }

            /// [`Self::swap_payload`], knowing what the request of a reply
            /// said (`context`: sub-message selectors the reply does not
            /// repeat, such as sock_diag's `"protocol"`).
            pub fn swap_payload_in(
                typ: u16,
                request: bool,
                payload: &mut [u8],
                context: &#nl::netlink::Selectors<'_>,
            ) {
                #sel_read
                #(#swap_rows)*
                let _ = context;
            }

            /// This protocol's entry for a [`Registry`](::nlwire::registry::Registry).
            pub const ENTRY: #nl::registry::FamilyEntry = #nl::registry::FamilyEntry {
                protocol: #protocol,
                name: #fam_name,
                sub_family: #sub_family,
                type_name: Self::type_name,
                message_name: #message_name,
                announces: #announces,
                claims_control: Self::CLAIMS_CONTROL,
                flag_reading: Self::flag_reading,
                check: |m, mode| #ident::parse_entry(m, mode).map(|_| ()),
                walk: |m, mode, v| match #ident::parse_entry(m, mode) {
                    ::core::result::Result::Ok(d) => {
                        #nl::value::Walk::walk(&d, v);
                        ::core::result::Result::Ok(())
                    }
                    ::core::result::Result::Err(e) => ::core::result::Result::Err(e),
                },
                emit: |m, mode, b| #ident::parse_entry(m, mode)?.emit(b),
                swap: #ident::swap_payload_in,
                context: #context,
                #described
            };
        }

        impl<#lt> #nl::value::Walk for #ident<#lt> {
            fn walk(&self, v: &mut dyn #nl::value::Visitor) {
                match self {
                    #(Self::#idents(m) => #nl::value::Walk::walk(m, v),)*
                    #unselected_arms
                    Self::UnknownType { payload, .. } => {
                        if !payload.is_empty() {
                            v.field("payload", #nl::value::Value::Bytes(payload));
                        }
                    }
                }
            }
        }
    })
}

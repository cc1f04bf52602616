//! `#[sub_message]`: the payload types of one attribute by selector value
//! (YNL `sub-message`).
//!
//! ```text
//! #[sub_message(name = "inet_diag_info", selector = "protocol")]
//! pub enum InetDiagInfo<'a> {
//!     #[nl(select = IPPROTO_TCP | IPPROTO_DCCP, default)]
//!     Tcp(TcpInfoView<'a>),
//!     #[nl(select = IPPROTO_MPTCP)]
//!     Mptcp(MptcpInfoView<'a>),
//! }
//! ```
//!
//! `select` is one value or several joined by `|`: integer expressions
//! (compared as `u64`) or string literals (compared with a string
//! selector such as `IFLA_INFO_KIND`). `default` marks the variant taken
//! when no selector value is known. An `Unselected(&'a [u8])` variant is
//! added for a value no variant takes (kept in both modes).
//!
//! A sub-message that is a C union picked by a field of the structure
//! before it (`proc_event.event_data` by `what`, carried as
//! `nlwire::netlink::Tagged`) names each variant's union member:
//! `member = "id"`, or by default the variant's name in snake case
//! (`Fork` is `fork`); the bytes no variant takes are `unknown`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{BinOp, Expr, ExprLit, Fields, ItemEnum, Lit, LitStr, Result};

use crate::attrs::is_nl;

struct Variant {
    ident: syn::Ident,
    ty: syn::Type,
    values: Vec<Expr>,
    default: bool,
    /// The C union member this variant is (`member = "..."`, or the
    /// variant's name in snake case).
    member: String,
}

/// `ForkEvent` → `fork_event`.
fn snake(ident: &syn::Ident) -> String {
    let mut out = String::new();
    for (i, c) in ident.to_string().chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The leaves of `a | b | c`.
fn leaves(e: Expr, out: &mut Vec<Expr>) {
    match e {
        Expr::Binary(b) if matches!(b.op, BinOp::BitOr(_)) => {
            leaves(*b.left, out);
            leaves(*b.right, out);
        }
        Expr::Paren(p) => leaves(*p.expr, out),
        other => out.push(other),
    }
}

fn args(args: TokenStream) -> Result<(LitStr, LitStr)> {
    let mut name = None;
    let mut selector = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("name") {
            name = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("selector") {
            selector = Some(meta.value()?.parse()?);
        } else {
            return Err(meta.error("unknown argument; expected `name` or `selector`"));
        }
        Ok(())
    });
    syn::parse::Parser::parse2(parser, args.clone())?;
    match (name, selector) {
        (Some(n), Some(s)) => Ok((n, s)),
        _ => Err(syn::Error::new(
            args.span(),
            "#[sub_message] needs `name = \"...\", selector = \"...\"`",
        )),
    }
}

pub fn expand(attr: TokenStream, input: TokenStream) -> Result<TokenStream> {
    let (name, selector) = args(attr)?;
    let mut item: ItemEnum = syn::parse2(input)?;
    let lifetimes: Vec<_> = item.generics.lifetimes().collect();
    if lifetimes.len() != 1 || item.generics.params.len() != 1 {
        return Err(syn::Error::new(
            item.generics.span(),
            "a sub-message takes exactly one lifetime parameter: enum Name<'a>",
        ));
    }
    let lt = lifetimes[0].lifetime.clone();
    let mut variants = Vec::new();
    for v in item.variants.iter_mut() {
        if v.ident == "Unselected" {
            return Err(syn::Error::new(
                v.ident.span(),
                "`Unselected` is added by #[sub_message]; do not declare it",
            ));
        }
        let ty = match &v.fields {
            Fields::Unnamed(u) if u.unnamed.len() == 1 => u.unnamed[0].ty.clone(),
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "sub-message variants hold exactly one payload: Variant(Type)",
                ))
            }
        };
        let mut values = Vec::new();
        let mut default = false;
        let mut member = snake(&v.ident);
        for a in v.attrs.iter().filter(|a| is_nl(a)) {
            a.parse_nested_meta(|meta| {
                if meta.path.is_ident("select") {
                    leaves(meta.value()?.parse()?, &mut values);
                } else if meta.path.is_ident("default") {
                    default = true;
                } else if meta.path.is_ident("member") {
                    member = meta.value()?.parse::<LitStr>()?.value();
                } else {
                    return Err(
                        meta.error("unknown option; expected `select`, `default` or `member`")
                    );
                }
                Ok(())
            })?;
        }
        v.attrs.retain(|a| !is_nl(a));
        if values.is_empty() && !default {
            return Err(syn::Error::new(
                v.ident.span(),
                "a sub-message variant needs #[nl(select = VALUE)] or #[nl(default)]",
            ));
        }
        variants.push(Variant {
            ident: v.ident.clone(),
            ty,
            values,
            default,
            member,
        });
    }
    if variants.iter().filter(|v| v.default).count() > 1 {
        return Err(syn::Error::new(
            item.ident.span(),
            "at most one sub-message variant is the `default`",
        ));
    }
    let nl = quote!(::nlwire);
    item.variants.push(syn::parse_quote! {
        /// A payload whose selector value no variant takes (or, without a
        /// default, no selector value at all): the bytes.
        Unselected(&#lt [u8])
    });
    let ident = &item.ident;

    let mut arms = Vec::new();
    for v in &variants {
        let (id, ty) = (&v.ident, &v.ty);
        let decode = quote! {
            return <#ty as #nl::payload::Payload<#lt>>::parse_at_depth(bytes, mode, depth)
                .map(Self::#id);
        };
        for val in &v.values {
            let cond = match val {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => {
                    let b = syn::LitByteStr::new(s.value().as_bytes(), s.span());
                    quote!(
                        ::core::matches!(selector, ::core::option::Option::Some(#nl::value::SelectorValue::Str(s)) if s == #b)
                    )
                }
                e => {
                    quote!(
                        ::core::matches!(selector, ::core::option::Option::Some(#nl::value::SelectorValue::Int(n)) if n == (#e) as u64)
                    )
                }
            };
            arms.push(quote!(if #cond { #decode }));
        }
        if v.default {
            arms.push(quote!(if selector.is_none() { #decode }));
        }
    }
    let mut swap_arms = Vec::new();
    for v in &variants {
        let ty = &v.ty;
        let conv = quote!(return <#ty as #nl::payload::Payload<#lt>>::swap_order(bytes););
        for val in &v.values {
            let cond = match val {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => {
                    let b = syn::LitByteStr::new(s.value().as_bytes(), s.span());
                    quote!(
                        ::core::matches!(selector, ::core::option::Option::Some(#nl::value::SelectorValue::Str(s)) if s == #b)
                    )
                }
                e => {
                    quote!(
                        ::core::matches!(selector, ::core::option::Option::Some(#nl::value::SelectorValue::Int(n)) if n == (#e) as u64)
                    )
                }
            };
            swap_arms.push(quote!(if #cond { #conv }));
        }
        if v.default {
            swap_arms.push(quote!(if selector.is_none() { #conv }));
        }
    }
    let idents: Vec<_> = variants.iter().map(|v| &v.ident).collect();
    let members: Vec<_> = variants.iter().map(|v| &v.member).collect();
    let swap = match variants.iter().find(|v| v.default) {
        Some(v) => {
            let ty = &v.ty;
            quote!(<#ty as #nl::payload::Payload<#lt>>::swap_order(bytes))
        }
        None => quote!(let _ = bytes;),
    };

    let describe = crate::describe::sub_message(ident, &lt, variants.iter().map(|v| &v.ty));

    Ok(quote! {
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug,
                 ::core::cmp::PartialEq, ::core::cmp::Eq)]
        #item

        #describe

        impl<#lt> #nl::netlink::SubMessage<#lt> for #ident<#lt> {
            const NAME: &'static str = #name;
            const SELECTOR: &'static str = #selector;

            fn select(
                selector: ::core::option::Option<#nl::value::SelectorValue<'_>>,
                bytes: &#lt [u8],
                mode: #nl::Mode,
                depth: usize,
            ) -> #nl::Result<Self> {
                #(#arms)*
                // A value no variant takes (a protocol the codec does not
                // declare) keeps the bytes in both modes: the selector is
                // known only while walking, and strict parsing must not
                // pass what the walk would then refuse.
                let _ = (mode, depth);
                ::core::result::Result::Ok(Self::Unselected(bytes))
            }

            fn walk_as(&self, name: &str, v: &mut dyn #nl::value::Visitor) {
                match self {
                    #(Self::#idents(p) => #nl::payload::Payload::walk_payload(p, name, v),)*
                    Self::Unselected(b) => v.field(name, #nl::value::Value::Bytes(b)),
                }
            }

            fn member(&self) -> &'static str {
                match self {
                    #(Self::#idents(_) => #members,)*
                    Self::Unselected(_) => "unknown",
                }
            }

            fn is_selected(&self) -> bool {
                !::core::matches!(self, Self::Unselected(_))
            }

            fn swap_default(bytes: &mut [u8]) {
                #swap
            }

            fn swap_as(
                selector: ::core::option::Option<#nl::value::SelectorValue<'_>>,
                bytes: &mut [u8],
            ) {
                #(#swap_arms)*
                let _ = bytes;
            }
        }
    })
}

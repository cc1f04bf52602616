//! `#[nl_flags(uN)]`: a set of kernel flag bits declared once — one row per
//! bit, the kernel name and its value — from which the `pub const`s, the
//! name table used by walks ([`Value::Flags`]) and the `FlagNames` impl are
//! generated.
//!
//! ```text
//! #[nl_flags(u32, table = NDIAG_SHOW_NAMES)]
//! pub enum NdiagShowNames {
//!     /// `NDIAG_SHOW_MEMINFO`: send `NETLINK_DIAG_MEMINFO`.
//!     NDIAG_SHOW_MEMINFO = 0x1,
//!     ...
//! }
//! ```
//!
//! Arguments: the wire type (`u8` … `u64`, required); `table = NAME` also
//! emits `pub const NAME: &[(u64, &str)]`; `extends = Other` puts the rows
//! of another flag set first (context-dependent readings such as
//! `NLM_F_ROOT` / `NLM_F_REPLACE` share the common `NLM_F_*` bits);
//! `names_only` emits no constants (the rows name bits derived from values
//! declared elsewhere, such as the `idiag_ext` bits).
//!
//! [`Value::Flags`]: https://docs.rs/nlwire

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{Expr, Fields, Ident, ItemEnum, Path, Result};

struct Args {
    repr: Option<Ident>,
    table: Option<Ident>,
    extends: Option<Path>,
    names_only: bool,
}

fn parse_args(args: TokenStream) -> Result<Args> {
    let mut out = Args {
        repr: None,
        table: None,
        extends: None,
        names_only: false,
    };
    let parser = syn::meta::parser(|meta| {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        match key.as_str() {
            "u8" | "u16" | "u32" | "u64" => {
                if out.repr.is_some() {
                    return Err(meta.error("the wire type is given twice"));
                }
                out.repr = meta.path.get_ident().cloned();
            }
            "table" => out.table = Some(meta.value()?.parse()?),
            "extends" => out.extends = Some(meta.value()?.parse()?),
            "names_only" => out.names_only = true,
            _ => return Err(meta.error(
                "unknown argument; expected one of: u8, u16, u32, u64, table, extends, names_only",
            )),
        }
        Ok(())
    });
    syn::parse::Parser::parse2(parser, args)?;
    Ok(out)
}

pub fn expand(args: TokenStream, input: TokenStream) -> Result<TokenStream> {
    let args = parse_args(args)?;
    let item: ItemEnum = syn::parse2(input)?;
    let Some(repr) = args.repr else {
        return Err(syn::Error::new(
            item.ident.span(),
            "#[nl_flags] needs the wire type: #[nl_flags(u8)], u16, u32 or u64",
        ));
    };
    if !item.generics.params.is_empty() {
        return Err(syn::Error::new(
            item.generics.span(),
            "flag sets cannot be generic",
        ));
    }
    if item.variants.is_empty() && args.extends.is_none() {
        return Err(syn::Error::new(
            item.ident.span(),
            "a flag set needs at least one bit: KERNEL_NAME = value",
        ));
    }
    let mut rows: Vec<(Ident, Expr, Vec<syn::Attribute>)> = Vec::new();
    for v in &item.variants {
        if !matches!(v.fields, Fields::Unit) {
            return Err(syn::Error::new(
                v.fields.span(),
                "flag rows carry no data: KERNEL_NAME = value",
            ));
        }
        if let Some(a) = v.attrs.iter().find(|a| !a.path().is_ident("doc")) {
            return Err(syn::Error::new(
                a.span(),
                "flag rows take only doc comments",
            ));
        }
        let Some((_, value)) = v.discriminant.clone() else {
            return Err(syn::Error::new(
                v.ident.span(),
                "give each bit its value: KERNEL_NAME = 0x1",
            ));
        };
        rows.push((v.ident.clone(), value, v.attrs.clone()));
    }

    let nl = quote!(::nlwire);
    let ident = &item.ident;
    let vis = &item.vis;
    let attrs = &item.attrs;
    let n = rows.len();

    let consts = if args.names_only {
        Vec::new()
    } else {
        rows.iter()
            .map(|(name, value, docs)| {
                let default_doc = format!("`{name}` (a bit of [`{ident}`]).");
                let doc = if docs.is_empty() {
                    quote!(#[doc = #default_doc])
                } else {
                    quote!(#(#docs)*)
                };
                quote! {
                    #doc
                    #vis const #name: #repr = #value;
                }
            })
            .collect()
    };
    let values: Vec<TokenStream> = rows
        .iter()
        .map(|(name, value, _)| {
            if args.names_only {
                quote!({
                    const V: #repr = #value;
                    V
                })
            } else {
                quote!(#name)
            }
        })
        .collect();
    let names: Vec<String> = rows.iter().map(|(name, _, _)| name.to_string()).collect();
    let own = quote!([#(((#values) as u64, #names)),*]);

    let names_expr = match &args.extends {
        None => quote!(&#own),
        Some(base) => quote!({
            const BASE: &[(u64, &str)] = <#base as #nl::value::FlagNames>::NAMES;
            const OWN: [(u64, &str); #n] = #own;
            const ALL: [(u64, &str); BASE.len() + #n] =
                #nl::value::concat_flag_names::<{ BASE.len() + #n }>(BASE, &OWN);
            &ALL
        }),
    };

    let table = args.table.as_ref().map(|t| {
        let doc = format!("The bit names of [`{ident}`], for display.");
        quote! {
            #[doc = #doc]
            #vis const #t: &[(u64, &str)] = <#ident as #nl::value::FlagNames>::NAMES;
        }
    });

    let describe = crate::describe::enum_decl(
        ident,
        quote!(<#ident as #nl::value::FlagNames>::NAMES),
        true,
    );
    Ok(quote! {
        #(#attrs)*
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug,
                 ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        #vis enum #ident {}

        #(#consts)*

        #table

        const _: () = {
            let vals: [u64; #n] = [#((#values) as u64),*];
            let mut i = 0;
            while i < vals.len() {
                ::core::assert!(vals[i] != 0, "a flag bit cannot be 0");
                let mut j = i + 1;
                while j < vals.len() {
                    ::core::assert!(vals[i] != vals[j], "two flag rows share a value");
                    j += 1;
                }
                i += 1;
            }
        };

        impl #nl::value::FlagNames for #ident {
            const NAMES: &'static [(u64, &'static str)] = #names_expr;
        }

        #describe
    })
}

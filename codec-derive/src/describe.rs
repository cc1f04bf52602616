//! What the derives generate so that a family's declarations can be found
//! from its registry entry (`nlwire::registry::Describe`,
//! `FamilyEntry::{rows, declarations}`): every struct, attribute set and
//! body reports itself and then what it reaches.

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Expr, LitStr, Meta, Result, Token};

/// Remove `c_type = "..."` (the C type of a struct when it is not `struct
/// NAME`) from `#[nl_struct(...)]` arguments.
pub fn take_c_type(args: TokenStream) -> Result<(TokenStream, Option<LitStr>)> {
    let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args)?;
    let mut c_type = None;
    let mut rest = Vec::new();
    for m in metas {
        match &m {
            Meta::NameValue(nv) if nv.path.is_ident("c_type") => match &nv.value {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => c_type = Some(s.clone()),
                other => {
                    return Err(syn::Error::new_spanned(
                        other,
                        "`c_type` is a string: c_type = \"struct name\"",
                    ))
                }
            },
            _ => rest.push(m),
        }
    }
    Ok((quote!(#(#rest),*), c_type))
}

/// Remove `declares(Type, ...)` (declarations a family has outside its
/// message table, such as the selector's struct `sock_diag_req`) from
/// `#[nl_family(...)]` arguments.
pub fn take_declares(args: TokenStream) -> Result<(TokenStream, Vec<syn::Type>)> {
    let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args)?;
    let mut tys = Vec::new();
    let mut rest = Vec::new();
    for m in metas {
        match &m {
            Meta::List(l) if l.path.is_ident("declares") => {
                tys.extend(
                    l.parse_args_with(Punctuated::<syn::Type, Token![,]>::parse_terminated)?,
                );
            }
            _ => rest.push(m),
        }
    }
    Ok((quote!(#(#rest),*), tys))
}

/// Describe every type in `tys` that can describe itself.
fn probes<'t>(tys: impl IntoIterator<Item = &'t syn::Type>) -> TokenStream {
    let tys = tys.into_iter();
    quote! {{
        #[allow(unused_imports)]
        use ::nlwire::registry::__probe::{Probe, ViaDescribe as _, ViaNothing as _};
        #( (&Probe::<#tys>::NEW).describe_into(v); )*
    }}
}

/// `Describe` for an `#[nl_struct]` (and its extensible view).
pub fn wire_struct<'t>(
    ident: &syn::Ident,
    kname: &LitStr,
    c_type: Option<&LitStr>,
    view: Option<&syn::Ident>,
    field_tys: impl IntoIterator<Item = &'t syn::Type>,
) -> TokenStream {
    let nl = quote!(::nlwire);
    let c_type = match c_type {
        Some(c) => quote!(#c),
        None => quote!(::core::concat!("struct ", #kname)),
    };
    let probes = probes(field_tys);
    let view = view.map(|view| {
        quote! {
            impl<'a> #nl::registry::Describe for #view<'a> {
                fn describe(v: &mut dyn #nl::registry::DeclVisitor) {
                    <#ident as #nl::registry::Describe>::describe(v);
                }
            }
        }
    });
    quote! {
        impl #nl::registry::Describe for #ident {
            fn describe(v: &mut dyn #nl::registry::DeclVisitor) {
                let d = #nl::registry::StructDecl {
                    name: <#ident as #nl::wire::WireStruct>::NAME,
                    c_type: #c_type,
                    size: <#ident as #nl::wire::WireStruct>::SIZE,
                    fields: <#ident as #nl::wire::WireStruct>::FIELDS,
                };
                if v.decl(#nl::registry::Decl::Struct(d)) {
                    #probes
                }
            }
        }
        #view
    }
}

/// `Describe` for a `#[sub_message]`: every variant's payload type (a
/// sub-message is no declaration of its own).
pub fn sub_message<'t>(
    ident: &syn::Ident,
    lt: &syn::Lifetime,
    tys: impl IntoIterator<Item = &'t syn::Type>,
) -> TokenStream {
    let nl = quote!(::nlwire);
    let probes = probes(tys);
    quote! {
        impl<#lt> #nl::registry::Describe for #ident<#lt> {
            fn describe(v: &mut dyn #nl::registry::DeclVisitor) {
                #probes
            }
        }
    }
}

/// `Describe` for an `#[attribute_set]`.
pub fn attribute_set<'t>(
    ident: &syn::Ident,
    lt: &syn::Lifetime,
    tys: impl IntoIterator<Item = &'t syn::Type>,
) -> TokenStream {
    let nl = quote!(::nlwire);
    let probes = probes(tys);
    quote! {
        impl<#lt> #nl::registry::Describe for #ident<#lt> {
            fn describe(v: &mut dyn #nl::registry::DeclVisitor) {
                let d = #nl::registry::SetDecl::of::<#ident<#lt>>();
                if v.decl(#nl::registry::Decl::AttributeSet(d)) {
                    #probes
                }
            }
        }
    }
}

/// The fields `selector`, `rows` and `declarations` of a family's
/// `ENTRY`: one row per `(variant, body type, condition over typ, request
/// and sel)`.
pub fn family_entry(
    rows: &[(&syn::Ident, &syn::Type, TokenStream)],
    selector: Option<(&Expr, &LitStr)>,
    declares: &[syn::Type],
) -> TokenStream {
    let nl = quote!(::nlwire);
    let selector = match selector {
        Some((off, name)) => quote!(::core::option::Option::Some(((#off) as usize, #name))),
        None => quote!(::core::option::Option::None),
    };
    let rows_ts = rows.iter().map(|(vi, ty, cond)| {
        let vname = vi.to_string();
        let probe = probes([*ty]);
        quote! {
            #nl::registry::MessageRow {
                variant: #vname,
                matches: |typ: u16, request: bool, sel: ::core::option::Option<u8>| {
                    let _ = (typ, request, sel);
                    #cond
                },
                shape: || {
                    #[allow(unused_imports)]
                    use #nl::registry::__probe::{Probe, ViaDescribe as _, ViaNothing as _};
                    (&Probe::<#ty>::NEW).shape_of()
                },
                describe: |v| #probe,
            }
        }
    });
    let all = probes(rows.iter().map(|(_, ty, _)| *ty).chain(declares));
    quote! {
        selector: #selector,
        rows: &[#(#rows_ts),*],
        declarations: |v| #all,
    }
}

/// `Describe` for an `#[open_enum]` or `#[nl_flags]` type: its constants
/// (`entries`, a `&'static [(u64, &'static str)]` expression) as a
/// `Decl::Enum` named by the type's Rust path.
pub fn enum_decl(ident: &syn::Ident, entries: TokenStream, flags: bool) -> TokenStream {
    let nl = quote!(::nlwire);
    quote! {
        impl #nl::registry::Describe for #ident {
            fn describe(v: &mut dyn #nl::registry::DeclVisitor) {
                v.decl(#nl::registry::Decl::Enum(#nl::registry::EnumDecl {
                    name: ::core::concat!(::core::module_path!(), "::", ::core::stringify!(#ident)),
                    entries: #entries,
                    flags: #flags,
                }));
            }
        }
    }
}

//! `#[open_enum(uN)]`: kernel constants with an `Unknown(n)` arm.
//!
//! With `operand = Type` (`#[open_enum(u8, operand = Operand)]`) every
//! variant also declares what follows it on the wire
//! (`#[nl(name = "INET_DIAG_BC_S_COND", operand = HostCond)]` is
//! `Type::HostCond`), and the enum gets `const fn operand(self) ->
//! Option<Type>`: the one table every per-code reader consults.

use proc_macro2::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, Fields, Ident, ItemEnum, LitStr, Meta, Path, Result, Token};

use crate::attrs::{is_nl, macro_args};

/// Split `operand = Type` off the macro arguments: the type, and the rest
/// for [`macro_args`].
fn take_operand_arg(args: TokenStream) -> Result<(Option<Path>, TokenStream)> {
    let metas = syn::parse::Parser::parse2(Punctuated::<Meta, Token![,]>::parse_terminated, args)?;
    let mut operand = None;
    let mut rest = Punctuated::<Meta, Token![,]>::new();
    for m in metas {
        match m {
            Meta::NameValue(nv) if nv.path.is_ident("operand") => {
                let Expr::Path(p) = nv.value else {
                    return Err(syn::Error::new(
                        nv.value.span(),
                        "expected `operand = Type`",
                    ));
                };
                operand = Some(p.path);
            }
            other => rest.push(other),
        }
    }
    Ok((operand, quote!(#rest)))
}

pub fn expand(args: TokenStream, input: TokenStream) -> Result<TokenStream> {
    let (operand_ty, args) = take_operand_arg(args)?;
    let args = macro_args(args, &["u8", "u16", "u32", "u64", "consts"])?;
    let mut item: ItemEnum = syn::parse2(input)?;
    let Some(repr) = args.repr else {
        return Err(syn::Error::new(
            item.ident.span(),
            "#[open_enum] needs the wire type: #[open_enum(u8)], u16, u32 or u64",
        ));
    };
    if !item.generics.params.is_empty() {
        return Err(syn::Error::new(
            item.generics.span(),
            "open enums cannot be generic",
        ));
    }
    let mut idents = Vec::new();
    let mut values: Vec<Expr> = Vec::new();
    let mut names: Vec<LitStr> = Vec::new();
    let mut operands: Vec<Ident> = Vec::new();
    for v in item.variants.iter_mut() {
        if v.ident == "Unknown" {
            return Err(syn::Error::new(
                v.ident.span(),
                "`Unknown` is added by #[open_enum]; do not declare it",
            ));
        }
        if !matches!(v.fields, Fields::Unit) {
            return Err(syn::Error::new(
                v.fields.span(),
                "open enum variants carry no data",
            ));
        }
        let Some((_, value)) = v.discriminant.take() else {
            return Err(syn::Error::new(
                v.ident.span(),
                "give each variant its value: Variant = 1",
            ));
        };
        let mut name = None;
        let mut operand: Option<Ident> = None;
        for attr in v.attrs.iter().filter(|a| is_nl(a)) {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("name") {
                    name = Some(meta.value()?.parse()?);
                    Ok(())
                } else if meta.path.is_ident("operand") && operand_ty.is_some() {
                    operand = Some(meta.value()?.parse()?);
                    Ok(())
                } else if meta.path.is_ident("operand") {
                    Err(meta.error(
                        "`operand = ...` needs the operand type on the enum: #[open_enum(u8, operand = Type)]",
                    ))
                } else {
                    Err(meta.error("unknown option; expected `name` or `operand`"))
                }
            })?;
        }
        if operand_ty.is_some() {
            operands.push(operand.ok_or_else(|| {
                syn::Error::new(
                    v.ident.span(),
                    "every variant declares its operand: #[nl(name = \"...\", operand = Kind)]",
                )
            })?);
        }
        v.attrs.retain(|a| !is_nl(a));
        let name = name.ok_or_else(|| {
            syn::Error::new(
                v.ident.span(),
                "variant needs its kernel name: #[nl(name = \"...\")]",
            )
        })?;
        idents.push(v.ident.clone());
        values.push(value);
        names.push(name);
    }
    item.variants.push(syn::parse_quote! {
        /// A value this codec does not know, kept as is.
        Unknown(#repr)
    });
    let ident = &item.ident;
    let nl = quote!(::nlwire);
    let n = idents.len();
    let value_consts: Vec<Ident> = idents
        .iter()
        .map(|i| quote::format_ident!("__NLWIRE_VALUE_{}", i))
        .collect();
    let operand_fn = operand_ty.map(|ty| {
        quote! {
            impl #ident {
                /// What follows the value on the wire, as each variant
                /// declares it (`operand = ...`); `None` for unknown values.
                pub const fn operand(self) -> ::core::option::Option<#ty> {
                    match self {
                        #(Self::#idents => ::core::option::Option::Some(#ty::#operands),)*
                        Self::Unknown(_) => ::core::option::Option::None,
                    }
                }
            }
        }
    });
    let mut consts = Vec::new();
    if args.consts {
        for (name, value) in names.iter().zip(&values) {
            let c: syn::Ident = syn::parse_str(&name.value()).map_err(|_| {
                syn::Error::new(
                    name.span(),
                    "`consts` needs kernel names that are identifiers",
                )
            })?;
            let doc = format!("`{}` ({}).", name.value(), ident);
            consts.push(quote! {
                #[doc = #doc]
                pub const #c: #repr = #value;
            });
        }
    }
    let describe =
        crate::describe::enum_decl(ident, quote!(&[#(((#values) as u64, #names)),*]), false);
    Ok(quote! {
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug,
                 ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        #item

        #describe

        #(#consts)*

        #operand_fn

        const _: () = {
            let vals: [#repr; #n] = [#(#values),*];
            let mut i = 0;
            while i < vals.len() {
                let mut j = i + 1;
                while j < vals.len() {
                    ::core::assert!(vals[i] != vals[j], "two variants share a value");
                    j += 1;
                }
                i += 1;
            }
        };

        impl #ident {
            /// Every known value with its kernel name.
            pub const ALL: &'static [(#repr, &'static str)] = &[#((#values, #names)),*];

            /// The number on the wire.
            pub const fn raw(self) -> #repr {
                match self {
                    #(Self::#idents => #values,)*
                    Self::Unknown(n) => n,
                }
            }

            /// The kernel name, `None` for unknown values.
            pub const fn name(self) -> ::core::option::Option<&'static str> {
                match self {
                    #(Self::#idents => ::core::option::Option::Some(#names),)*
                    Self::Unknown(_) => ::core::option::Option::None,
                }
            }
        }

        impl ::core::convert::From<#repr> for #ident {
            #[inline]
            // Two variants with one value are refused by the check above
            // (a clear compile error); the `match` would only add a
            // warning about the second one.
            #[allow(non_upper_case_globals, unreachable_patterns)]
            fn from(n: #repr) -> Self {
                // Each value as a constant, so that one `match` (a jump
                // table or a few compares) whatever expression gives it.
                #(
                    const #value_consts: #repr = #values;
                )*
                match n {
                    #(#value_consts => Self::#idents,)*
                    _ => Self::Unknown(n),
                }
            }
        }

        impl ::core::convert::From<#ident> for #repr {
            fn from(v: #ident) -> #repr {
                v.raw()
            }
        }

        impl ::core::fmt::Display for #ident {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self.name() {
                    ::core::option::Option::Some(n) => f.write_str(n),
                    ::core::option::Option::None => ::core::write!(f, "{}", self.raw()),
                }
            }
        }

        /// An open enum is also an attribute payload: the value in host order,
        /// walked with its kernel name. Strict mode rejects unknown values.
        impl<'a> #nl::payload::Payload<'a> for #ident {
            const FIXED_SIZE: ::core::option::Option<usize> =
                ::core::option::Option::Some(::core::mem::size_of::<#repr>());
            fn parse(bytes: &'a [u8], mode: #nl::Mode) -> #nl::Result<Self> {
                let n = <#repr as #nl::payload::Payload<'a>>::parse(bytes, mode)?;
                let v = Self::from(n);
                if mode.is_strict() && v.name().is_none() {
                    return ::core::result::Result::Err(#nl::Error::new(
                        #nl::ErrorKind::Unknown, "", ::core::primitive::usize::try_from(n).unwrap_or(usize::MAX), bytes.len()));
                }
                ::core::result::Result::Ok(v)
            }
            fn len(&self) -> usize {
                ::core::mem::size_of::<#repr>()
            }
            const WRITES_ALL: bool = <#repr as #nl::payload::Payload<'a>>::WRITES_ALL;
            #[inline]
            fn write(&self, buf: &mut [u8]) {
                <#repr as #nl::payload::Payload<'a>>::write(&self.raw(), buf);
            }
            fn walk_payload(&self, name: &str, v: &mut dyn #nl::value::Visitor) {
                v.field(name, #nl::value::Value::Enum {
                    raw: ::core::primitive::u64::from(self.raw()),
                    name: self.name(),
                });
            }
            fn swap_order(bytes: &mut [u8]) {
                <#repr as #nl::payload::Payload<'a>>::swap_order(bytes);
            }
            fn selector_value(&self) -> ::core::option::Option<#nl::value::SelectorValue<'a>> {
                <#repr as #nl::payload::Payload<'a>>::selector_value(&self.raw())
            }
        }

        impl #nl::value::OpenEnum for #ident {
            fn name_of(raw: u64) -> ::core::option::Option<&'static str> {
                Self::ALL.iter().find(|(v, _)| u64::from(*v) == raw).map(|(_, n)| *n)
            }
        }
    })
}

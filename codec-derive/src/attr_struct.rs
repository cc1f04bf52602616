//! `#[attr_struct]`: a struct with one optional field per attribute kind,
//! emitted in declaration order without a dispatch per attribute.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Expr, Fields, ItemStruct, LitStr, Result, Type};

use crate::attrs::{is_nl, macro_args};

/// One field: its name, payload type (`T` of `Option<T>`), kind, kernel
/// name and emitted flag bits.
struct Field {
    ident: syn::Ident,
    ty: Type,
    kind: Expr,
    name: LitStr,
    flags: Expr,
}

/// `T` of a field typed `Option<T>` (also `core::option::Option<T>`).
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    if p.qself.is_some() {
        return None;
    }
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(syn::GenericArgument::Type(t)) if args.args.len() == 1 => Some(t),
        _ => None,
    }
}

fn field(f: &syn::Field) -> Result<Field> {
    let ident = f
        .ident
        .clone()
        .ok_or_else(|| syn::Error::new(f.span(), "attr_struct fields must be named"))?;
    let ty = option_inner(&f.ty).cloned().ok_or_else(|| {
        syn::Error::new(
            f.ty.span(),
            "an attr_struct field is `Option<Payload>` (absent or present once)",
        )
    })?;
    let mut kind: Option<Expr> = None;
    let mut name: Option<LitStr> = None;
    let mut flags: Option<Expr> = None;
    for attr in f.attrs.iter().filter(|a| is_nl(a)) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("kind") {
                kind = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("name") {
                name = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("flags") {
                flags = Some(meta.value()?.parse()?);
            } else {
                return Err(meta.error("unknown option; expected `kind`, `name` or `flags`"));
            }
            Ok(())
        })?;
    }
    let kind = kind.ok_or_else(|| {
        syn::Error::new(
            ident.span(),
            "attr_struct field needs its kind: #[nl(kind = KERNEL_NAME)]",
        )
    })?;
    // The kernel name: `name`, else the last segment of a path `kind`
    // (`kind = KERNEL_NAME`, `kind = module::KERNEL_NAME`). Not
    // `attrs::attr_kind`, #[attribute_set]'s rule: that one takes a
    // one-segment path only and reads `kind = KERNEL_NAME = N` as a
    // constant to declare, which a struct's fields do not (their kinds are
    // the set's constants, often named by path); sharing either rule would
    // change what one macro accepts. tests/attr_struct_kind_names.rs and
    // the derive_ui cases `attr_struct_kind_*` / `set_kind_path_no_name`
    // pin both.
    let name = match name {
        Some(n) => n,
        None => match &kind {
            Expr::Path(p) if p.qself.is_none() => match p.path.segments.last() {
                Some(s) => LitStr::new(&s.ident.to_string(), s.ident.span()),
                None => return Err(syn::Error::new(kind.span(), "expected a kind")),
            },
            _ => {
                return Err(syn::Error::new(
                    kind.span(),
                    "give the kernel name: #[nl(kind = N, name = \"KERNEL_NAME\")]",
                ))
            }
        },
    };
    let flags = flags.unwrap_or_else(|| syn::parse_quote!(0u16));
    Ok(Field {
        ident,
        ty,
        kind,
        name,
        flags,
    })
}

pub fn expand(args: TokenStream, input: TokenStream) -> Result<TokenStream> {
    let args = macro_args(args, &["name"])?;
    let mut item: ItemStruct = syn::parse2(input)?;
    let set_name = crate::attrs::required_name(
        args.name,
        item.ident.span(),
        "#[attr_struct] needs the set's name: #[attr_struct(name = \"...\")]",
    )?;
    let lt = crate::attrs::one_lifetime(
        &item.generics,
        "an attr_struct takes exactly one lifetime parameter: struct Name<'a>",
    )?;
    let Fields::Named(named) = &mut item.fields else {
        return Err(syn::Error::new(
            item.ident.span(),
            "an attr_struct has named fields, one per attribute kind",
        ));
    };
    let mut fields = Vec::new();
    for f in named.named.iter_mut() {
        fields.push(field(f)?);
        f.attrs.retain(|a| !is_nl(a));
    }
    let nl = quote!(::nlwire);
    let ident = &item.ident;
    let idents: Vec<_> = fields.iter().map(|f| &f.ident).collect();
    let tys: Vec<_> = fields.iter().map(|f| &f.ty).collect();
    let kinds: Vec<_> = fields.iter().map(|f| &f.kind).collect();
    let names: Vec<_> = fields.iter().map(|f| &f.name).collect();
    let flags: Vec<_> = fields.iter().map(|f| &f.flags).collect();
    let kind_idents: Vec<_> = fields
        .iter()
        .map(|f| format_ident!("__KIND_{}", f.ident.to_string().to_uppercase()))
        .collect();

    Ok(quote! {
        #item

        impl<#lt> #ident<#lt> {
            /// The set's name (YNL `attribute-set` name).
            pub const NAME: &'static str = #set_name;
            /// The kinds of the fields with their kernel names, in
            /// declaration order (the order [`Self::emit`] writes them).
            pub const KINDS: &'static [(u16, &'static str)] = &[
                #(((#kinds) as u16, #names),)*
            ];

            /// Decode an attribute stream (`bytes`, whose first byte is at
            /// `base` in the outermost buffer). Strict: an unknown kind, a
            /// kind given twice, or flag bits other than the declared ones
            /// are refused. Lenient: unknown kinds are skipped and the last
            /// attribute of a kind wins (as the kernel's `nla_parse`).
            pub fn parse_at(
                bytes: &#lt [u8],
                base: usize,
                mode: #nl::Mode,
            ) -> #nl::Result<Self> {
                #(
                    #[allow(non_upper_case_globals)]
                    const #kind_idents: u16 = (#kinds) as u16;
                )*
                let mut out = Self {
                    #(#idents: ::core::option::Option::None,)*
                };
                for raw in #nl::netlink::RawAttrs::with(bytes, base, mode) {
                    let raw = raw?;
                    match raw.kind {
                        #(
                            #kind_idents => {
                                if mode.is_strict()
                                    && (raw.flags != (#flags) || out.#idents.is_some())
                                {
                                    return ::core::result::Result::Err(#nl::Error::new(
                                        #nl::ErrorKind::Invalid,
                                        #names,
                                        usize::from(#flags),
                                        usize::from(raw.flags),
                                    )
                                    .at(raw.offset));
                                }
                                out.#idents = ::core::option::Option::Some(
                                    <#tys as #nl::payload::Payload<#lt>>::parse_at_depth(
                                        raw.payload,
                                        mode,
                                        0,
                                    )
                                    .map_err(|e| {
                                        #nl::payload::name_error(e, #names, raw.payload_offset())
                                    })?,
                                );
                            }
                        )*
                        _ => {
                            if mode.is_strict() {
                                return ::core::result::Result::Err(#nl::Error::new(
                                    #nl::ErrorKind::Unknown,
                                    #set_name,
                                    usize::from(raw.kind),
                                    raw.payload.len(),
                                )
                                .at(raw.offset));
                            }
                        }
                    }
                }
                ::core::result::Result::Ok(out)
            }

            /// [`Self::parse_at`] from offset 0.
            pub fn parse(bytes: &#lt [u8], mode: #nl::Mode) -> #nl::Result<Self> {
                Self::parse_at(bytes, 0, mode)
            }

            /// Append every present field as one attribute (`nlattr`,
            /// payload, padding), in declaration order: one straight path
            /// per field, no dispatch on a variant.
            #[inline]
            pub fn emit<__W: #nl::payload::AttrWriter>(&self, out: &mut __W) -> #nl::Result<()> {
                #(
                    if let ::core::option::Option::Some(p) = &self.#idents {
                        #nl::payload::AttrWriter::attr_payload(
                            out,
                            ((#kinds) as u16) | (#flags),
                            p,
                        )?;
                    }
                )*
                ::core::result::Result::Ok(())
            }
        }
    })
}

//! `#[attribute_set]`: an enum keyed by attribute kind.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Expr, Fields, ItemEnum, LitStr, Result};

use crate::attrs::{attr_kind, is_nl, macro_args};

struct Variant {
    ident: syn::Ident,
    ty: syn::Type,
    kind: Expr,
    name: LitStr,
    flags: Option<Expr>,
    provides: Option<LitStr>,
    multi: bool,
    nested_optional: bool,
}

/// Kind, kernel name, flags, the kind's `pub const` (when declared in
/// the variant), the selector it provides, whether it may repeat, and
/// whether strict leaves `NLA_F_NESTED` unchecked.
type VariantOpts = (
    Expr,
    LitStr,
    Option<Expr>,
    Option<TokenStream>,
    Option<LitStr>,
    bool,
    bool,
);

fn variant_opts(v: &syn::Variant, vis: &syn::Visibility) -> Result<VariantOpts> {
    let mut kind = None;
    let mut name = None;
    let mut flags = None;
    let mut provides = None;
    let mut multi = false;
    let mut nested_optional = false;
    for attr in v.attrs.iter().filter(|a| is_nl(a)) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("kind") {
                kind = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("name") {
                name = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("flags") {
                flags = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("provides") {
                provides = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("multi") {
                multi = true;
            } else if meta.path.is_ident("nested_optional") {
                nested_optional = true;
            } else {
                return Err(meta.error(
                    "unknown option; expected `kind`, `name`, `flags`, `provides`, `multi` or `nested_optional`",
                ));
            }
            Ok(())
        })?;
    }
    let (kind, name, decl) = attr_kind(v, vis, kind, name)?;
    Ok((kind, name, flags, decl, provides, multi, nested_optional))
}

pub fn expand(args: TokenStream, input: TokenStream) -> Result<TokenStream> {
    let args = macro_args(args, &["name"])?;
    let mut item: ItemEnum = syn::parse2(input)?;
    let set_name = crate::attrs::required_name(
        args.name,
        item.ident.span(),
        "#[attribute_set] needs the set's name: #[attribute_set(name = \"...\")]",
    )?;
    let lt = crate::attrs::one_lifetime(
        &item.generics,
        "an attribute set takes exactly one lifetime parameter: enum Name<'a>",
    )?;

    let mut variants = Vec::new();
    let mut kind_decls = Vec::new();
    let vis = item.vis.clone();
    for v in item.variants.iter_mut() {
        if v.ident == "Unknown" {
            return Err(syn::Error::new(
                v.ident.span(),
                "`Unknown` is added by #[attribute_set]; do not declare it",
            ));
        }
        if v.discriminant.is_some() {
            return Err(syn::Error::new(
                v.span(),
                "give the kind with #[nl(kind = N)], not a discriminant",
            ));
        }
        let ty = match &v.fields {
            Fields::Unnamed(u) if u.unnamed.len() == 1 => u.unnamed[0].ty.clone(),
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "attribute variants hold exactly one payload: Variant(Type)",
                ))
            }
        };
        let (kind, name, flags, decl, provides, multi, nested_optional) = variant_opts(v, &vis)?;
        kind_decls.extend(decl);
        v.attrs.retain(|a| !is_nl(a));
        variants.push(Variant {
            ident: v.ident.clone(),
            ty,
            kind,
            name,
            flags,
            provides,
            multi,
            nested_optional,
        });
    }
    let nl = quote!(::nlwire);
    item.variants.push(syn::parse_quote! {
        /// An attribute this codec does not know: kind, flags and payload kept.
        Unknown(#nl::netlink::UnknownAttr<#lt>)
    });
    // The tag in a byte of its own, before every payload (`repr(u8)`): each
    // variant's payload is at its own aligned offset (`u8` at 1, `u32` at
    // 4, words at 8), so a decode inlined into its caller carries one value
    // per offset instead of pieces of the niche layout reassembled with
    // shifts and the tag recomputed from a niche, and `Result`/`Option`
    // around it take the tag's unused values.
    if variants.len() < 256 && !item.attrs.iter().any(|a| a.path().is_ident("repr")) {
        item.attrs.push(syn::parse_quote!(#[repr(u8)]));
    }

    let ident = &item.ident;
    let kind_consts: Vec<_> = variants
        .iter()
        .map(|v| {
            let k = &v.kind;
            quote!(#k)
        })
        .collect();
    let idents: Vec<_> = variants.iter().map(|v| &v.ident).collect();
    let names: Vec<_> = variants.iter().map(|v| &v.name).collect();
    let tys: Vec<_> = variants.iter().map(|v| &v.ty).collect();
    let flags: Vec<_> = variants
        .iter()
        .map(|v| match &v.flags {
            Some(f) => quote!((#f) as u16),
            None => quote!(0u16),
        })
        .collect();
    // When strict refuses the flag bits: anything but the declared bits, or
    // for a `nested_optional` variant anything but the declared bits with
    // `NLA_F_NESTED` set or clear (no other bit).
    let flags_refused: Vec<_> = variants
        .iter()
        .zip(&flags)
        .map(|(v, f)| {
            if v.nested_optional {
                quote!((raw.flags | #nl::netlink::NLA_F_NESTED) != (#f | #nl::netlink::NLA_F_NESTED))
            } else {
                quote!(raw.flags != #f)
            }
        })
        .collect();

    // Attributes that provide a sub-message selector.
    let providers: Vec<_> = variants.iter().filter(|v| v.provides.is_some()).collect();
    let provider_kinds: Vec<_> = providers.iter().map(|v| &v.kind).collect();
    let provider_sels: Vec<_> = providers.iter().map(|v| &v.provides).collect();
    let provider_tys: Vec<_> = providers.iter().map(|v| &v.ty).collect();
    let provider_arms: Vec<_> = providers
        .iter()
        .map(|v| {
            let id = &v.ident;
            let sel = &v.provides;
            quote! {
                Self::#id(p) => #nl::payload::Payload::selector_value(p).map(|s| (#sel, s)),
            }
        })
        .collect();
    let provider_items = if providers.is_empty() {
        quote!()
    } else {
        quote! {
            const PROVIDERS: &'static [u16] = &[#((#provider_kinds) as u16),*];
            const PROVIDER_NAMES: &'static [(u16, &'static str)] =
                &[#(((#provider_kinds) as u16, #provider_sels)),*];
            const PROVIDER_STRINGS: &'static [(u16, bool)] =
                &[#(((#provider_kinds) as u16, <#provider_tys as #nl::payload::Payload<#lt>>::STR_SELECTOR)),*];
            fn provided(&self) -> ::core::option::Option<(&'static str, #nl::value::SelectorValue<#lt>)> {
                match self {
                    #(#provider_arms)*
                    _ => ::core::option::Option::None,
                }
            }
        }
    };

    // Attributes that may repeat (YNL `multi-attr`).
    let multi_kinds: Vec<_> = variants
        .iter()
        .filter(|v| v.multi)
        .map(|v| &v.kind)
        .collect();
    let multi_items = if multi_kinds.is_empty() {
        quote!()
    } else {
        quote!(const MULTI: &'static [u16] = &[#((#multi_kinds) as u16),*];)
    };

    // Distinct kinds, checked at compile time.
    let n = variants.len();
    let dup_check = quote! {
        const _: () = {
            let kinds: [u16; #n] = [#((#kind_consts) as u16),*];
            let mut i = 0;
            while i < kinds.len() {
                ::core::assert!(kinds[i] & !#nl::netlink::NLA_TYPE_MASK == 0,
                    "attribute kind must fit in NLA_TYPE_MASK");
                let mut j = i + 1;
                while j < kinds.len() {
                    ::core::assert!(kinds[i] != kinds[j], "two variants share an attribute kind");
                    j += 1;
                }
                i += 1;
            }
        };
    };

    // The kinds as local consts, so that decode can `match` on them (a
    // jump table) whatever expression declares them.
    let kind_idents: Vec<_> = (0..variants.len())
        .map(|i| format_ident!("__NL_KIND_{}", i))
        .collect();

    let describe = crate::describe::attribute_set(ident, &lt, tys.iter().copied());
    Ok(quote! {
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug,
                 ::core::cmp::PartialEq, ::core::cmp::Eq)]
        #item

        #(#kind_decls)*

        #dup_check
        #describe

        impl<#lt> #nl::netlink::AttributeSet<#lt> for #ident<#lt> {
            const NAME: &'static str = #set_name;
            const KINDS: &'static [(u16, &'static str)] = &[#(((#kind_consts) as u16, #names)),*];
            #provider_items
            #multi_items

            fn from_raw(raw: #nl::netlink::RawAttr<#lt>, mode: #nl::Mode) -> #nl::Result<Self> {
                <Self as #nl::netlink::AttributeSet<#lt>>::from_raw_at_depth(raw, mode, 0)
            }

            #[inline]
            fn from_raw_at_depth(
                raw: #nl::netlink::RawAttr<#lt>,
                mode: #nl::Mode,
                depth: usize,
            ) -> #nl::Result<Self> {
                #(
                    #[allow(non_upper_case_globals)]
                    const #kind_idents: u16 = (#kind_consts) as u16;
                )*
                match raw.kind {
                    #(
                        #kind_idents => {
                            // Strict: the flag bits must be the declared ones
                            // (the kernel's NL_VALIDATE_NESTED refuses a stray
                            // or missing NLA_F_NESTED; emit writes the declared
                            // bits, so anything else would not round-trip),
                            // or for a `nested_optional` variant the declared
                            // ones with NLA_F_NESTED set or clear (families the
                            // kernel parses with `nla_parse_nested_deprecated`).
                            if mode.is_strict() && (#flags_refused) {
                                return ::core::result::Result::Err(#nl::Error::new(
                                    #nl::ErrorKind::Invalid,
                                    #names,
                                    usize::from(#flags),
                                    usize::from(raw.flags),
                                )
                                .at(raw.offset));
                            }
                            <#tys as #nl::payload::Payload<#lt>>::parse_at_depth(raw.payload, mode, depth)
                                .map(Self::#idents)
                                .map_err(|e| #nl::payload::name_error(e, #names, raw.payload_offset()))
                        }
                    )*
                    _ => #nl::netlink::UnknownAttr::from_raw::<Self>(raw, mode).map(Self::Unknown),
                }
            }

            fn kind(&self) -> u16 {
                match self {
                    #(Self::#idents(_) => (#kind_consts) as u16,)*
                    Self::Unknown(u) => u.kind,
                }
            }

            fn nla_flags(&self) -> u16 {
                match self {
                    #(Self::#idents(_) => #flags,)*
                    Self::Unknown(u) => u.flags,
                }
            }

            fn name(&self) -> &'static str {
                match self {
                    #(Self::#idents(_) => #names,)*
                    Self::Unknown(_) => "UNKNOWN",
                }
            }

            fn payload_len(&self) -> usize {
                match self {
                    #(Self::#idents(p) => #nl::payload::Payload::len(p),)*
                    Self::Unknown(u) => u.payload.len(),
                }
            }

            fn write_payload(&self, buf: &mut [u8]) {
                match self {
                    #(Self::#idents(p) => #nl::payload::Payload::write(p, buf),)*
                    Self::Unknown(u) => #nl::payload::copy_into(buf, u.payload),
                }
            }

            // One straight path per variant: `nla_type` a constant, the
            // payload's own `len` and `write` (inlined for fixed sizes).
            #[inline]
            fn emit_attr<__W: #nl::payload::AttrWriter>(&self, out: &mut __W) -> #nl::Result<()> {
                match self {
                    #(Self::#idents(p) => #nl::payload::AttrWriter::attr_payload(
                        out,
                        ((#kind_consts) as u16) | #flags,
                        p,
                    ),)*
                    Self::Unknown(u) => #nl::payload::AttrWriter::attr_bytes(out, u.kind | u.flags, u.payload),
                }
            }

            fn payload_size(kind: u16) -> ::core::option::Option<usize> {
                #(
                    if kind == (#kind_consts) as u16 {
                        return <#tys as #nl::payload::Payload<#lt>>::FIXED_SIZE;
                    }
                )*
                ::core::option::Option::None
            }

            fn emit_flags(kind: u16) -> u16 {
                #(
                    if kind == (#kind_consts) as u16 {
                        return #flags;
                    }
                )*
                0
            }

            fn is_nested_kind(kind: u16) -> bool {
                #(
                    if kind == (#kind_consts) as u16 {
                        return <#tys as #nl::payload::Payload<#lt>>::NESTED;
                    }
                )*
                false
            }

            fn swap_payload(kind: u16, bytes: &mut [u8]) {
                #(
                    if kind == (#kind_consts) as u16 {
                        return <#tys as #nl::payload::Payload<#lt>>::swap_order(bytes);
                    }
                )*
            }

            fn is_sub_kind(kind: u16) -> bool {
                #(
                    if kind == (#kind_consts) as u16 {
                        return <#tys as #nl::payload::Payload<#lt>>::SUB;
                    }
                )*
                false
            }

            fn swap_payload_selected(
                kind: u16,
                bytes: &mut [u8],
                selectors: &#nl::netlink::Selectors<'_>,
            ) {
                #(
                    if kind == (#kind_consts) as u16 {
                        return <#tys as #nl::payload::Payload<#lt>>::swap_order_selected(bytes, selectors);
                    }
                )*
            }
        }

        impl<#lt> #nl::value::Walk for #ident<#lt> {
            fn walk(&self, v: &mut dyn #nl::value::Visitor) {
                match self {
                    #(Self::#idents(p) => #nl::payload::Payload::walk_payload(p, #names, v),)*
                    Self::Unknown(u) => #nl::value::Walk::walk(u, v),
                }
            }
        }
    })
}

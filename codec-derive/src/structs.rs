//! `#[nl_struct]`: fixed-layout and extensible kernel structures.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Fields, ItemStruct, Result};

use crate::attrs::{field_opts, is_nl, macro_args, Display, FieldOpts};

pub fn expand(args: TokenStream, input: TokenStream) -> Result<TokenStream> {
    let (args, c_type) = crate::describe::take_c_type(args)?;
    let args = macro_args(args, &["name", "extensible", "custom_walk", "swap_with"])?;
    let mut item: ItemStruct = syn::parse2(input)?;
    let kname = crate::attrs::required_name(
        args.name.clone(),
        item.ident.span(),
        "#[nl_struct] needs the kernel name: #[nl_struct(name = \"...\")]",
    )?;
    if args.extensible && args.view.is_none() {
        return Err(syn::Error::new(
            kname.span(),
            "`extensible` needs a view type name: extensible(view = Name)",
        ));
    }
    if !item.generics.params.is_empty() {
        return Err(syn::Error::new(
            item.generics.span(),
            "wire structs cannot be generic",
        ));
    }
    if let Some(attr) = item.attrs.iter().find(|a| a.path().is_ident("repr")) {
        return Err(syn::Error::new(
            attr.span(),
            "#[nl_struct] sets #[repr(C)] itself; remove this #[repr]",
        ));
    }
    let Fields::Named(named) = &mut item.fields else {
        return Err(syn::Error::new(
            item.fields.span(),
            "wire structs need named fields (kernel field names)",
        ));
    };
    if named.named.is_empty() {
        return Err(syn::Error::new(
            named.span(),
            "wire structs need at least one field",
        ));
    }

    let mut fields = Vec::new();
    for f in named.named.iter() {
        check_alignment_free(&f.ty)?;
    }
    for f in named.named.iter_mut() {
        let opts = field_opts(&f.attrs)?;
        f.attrs.retain(|a| !is_nl(a));
        let ident = f.ident.clone().expect("named field");
        fields.push((ident, f.ty.clone(), opts));
    }

    let ident = &item.ident;
    let zc = quote!(::nlwire::__private::zerocopy);
    let nl = quote!(::nlwire);

    // Metadata.
    if args.extensible {
        if let Some(w) = fields
            .iter()
            .find_map(|(_, _, o)| o.walk_with.as_ref().or(o.value_with.as_ref()))
        {
            return Err(syn::Error::new_spanned(
                w,
                "`walk_with` and `value_with` are not supported on extensible structs (fields may be absent)",
            ));
        }
    }
    let metas = fields.iter().map(|(fi, ty, opts)| {
        let name = field_name(fi, opts);
        let bits = opts.bits.iter().map(|(b, lo, hi)| {
            let bname = b.to_string();
            quote!((#bname, (#lo) as u8, ((#hi) - (#lo)) as u8))
        });
        quote! {
            #nl::wire::FieldMeta {
                name: #name,
                offset: ::core::mem::offset_of!(#ident, #fi),
                size: ::core::mem::size_of::<#ty>(),
                endian: <#ty as #nl::wire::FieldType>::ENDIAN,
                elem_size: <#ty as #nl::wire::FieldType>::ELEM_SIZE,
                bits: &[#(#bits),*],
                fields: <#ty as #nl::wire::FieldType>::FIELDS,
            }
        }
    });

    // Bit-range sanity checks, evaluated at compile time.
    let bit_checks = fields.iter().flat_map(|(_, ty, opts)| {
        opts.bits.iter().map(move |(b, lo, hi)| {
            quote_spanned! {b.span()=>
                const _: () = ::core::assert!(
                    (#lo) < (#hi) && (#hi) <= 8 * ::core::mem::size_of::<#ty>(),
                    "bit range must be non-empty and inside the field"
                );
            }
        })
    });

    // Display hints: `addr_by(f)` names a field of this structure; `addr`
    // takes the family from the containing structure (`WalkAddr`); the
    // hinted fields have the size of their address.
    let mut display_checks = Vec::new();
    let mut context_family = false;
    for (_, ty, opts) in &fields {
        let Some(d) = &opts.display else { continue };
        if args.extensible {
            return Err(syn::Error::new(
                d.span_ident().span(),
                "`display` is not supported on extensible structs",
            ));
        }
        match d {
            Display::AddrBy(_, f) => {
                if !fields.iter().any(|(fi, _, _)| fi == f) {
                    return Err(syn::Error::new(
                        f.span(),
                        format!("`addr_by({f})`: no field `{f}` in this structure"),
                    ));
                }
            }
            Display::Addr(_) => context_family = true,
            Display::Mac(_) => {}
            Display::Ipv4(i) | Display::Ipv6(i) => {
                let want: usize = if matches!(d, Display::Ipv4(_)) { 4 } else { 16 };
                let msg = format!("display = {i} needs a {want}-byte field");
                display_checks.push(quote_spanned! {i.span()=>
                    const _: () = ::core::assert!(::core::mem::size_of::<#ty>() == #want, #msg);
                });
            }
        }
    }

    let walk_fields: Vec<TokenStream> = fields
        .iter()
        .map(|(fi, _ty, opts)| walk_one(fi, quote!(self.#fi), opts))
        .collect();

    // The group of a structure whose walk reports distinct plain names
    // (`WireStruct::WALK_DISTINCT`: the generated walk only).
    let distinct = crate::walk_keys::distinct_plain(&fields);
    let walk_distinct = distinct && !args.custom_walk;
    let begin = if distinct {
        quote!(begin_struct)
    } else {
        quote!(begin)
    };
    let begin_own = if walk_distinct {
        quote!(begin_struct)
    } else {
        quote!(begin)
    };
    let walk_impl = if args.custom_walk {
        quote!()
    } else if context_family {
        quote! {
            impl #nl::value::Walk for #ident {
                /// Without the family of the containing structure,
                /// addresses are shown whole (IPv6, all 16 bytes).
                fn walk(&self, v: &mut dyn #nl::value::Visitor) {
                    self.walk_with_family(::core::option::Option::None, v);
                }
            }
        }
    } else {
        quote! {
            impl #nl::value::Walk for #ident {
                fn walk(&self, v: &mut dyn #nl::value::Visitor) {
                    #(#walk_fields)*
                }
            }
        }
    };
    let walk_addr_impl = if context_family {
        quote! {
            impl #ident {
                /// Report every field, the `display = addr` fields read as
                /// addresses of `family` (`None`: shown whole).
                pub fn walk_with_family(
                    &self,
                    family: ::core::option::Option<u64>,
                    v: &mut dyn #nl::value::Visitor,
                ) {
                    #(#walk_fields)*
                }
            }

            impl #nl::value::WalkAddr for #ident {
                fn walk_addr(
                    &self,
                    name: &str,
                    family: ::core::option::Option<u64>,
                    v: &mut dyn #nl::value::Visitor,
                ) {
                    v.#begin(name);
                    self.walk_with_family(family, v);
                    v.end();
                }
            }
        }
    } else {
        quote!()
    };

    // Bit-field accessors on the fixed struct.
    let nl_ref = &nl;
    let bit_accessors = fields.iter().flat_map(|(fi, _ty, opts)| {
        let nl = nl_ref;
        opts.bits.iter().map(move |(b, lo, hi)| {
            let doc = format!("The bit-field `{b}` (bits {}..{} of `{fi}`).", quote!(#lo), quote!(#hi));
            quote! {
                #[doc = #doc]
                pub fn #b(&self) -> u64 {
                    #nl::wire::extract_bits(#nl::value::Scalar::to_u64(&self.#fi), (#lo) as u32, (#hi) as u32)
                }
            }
        })
    });
    let bit_accessors: Vec<TokenStream> = bit_accessors.collect();
    let bit_impl = if bit_accessors.is_empty() {
        quote!()
    } else {
        quote! {
            impl #ident {
                #(#bit_accessors)*
            }
        }
    };

    let swap_order = match &args.swap_with {
        Some(path) => {
            if args.extensible {
                return Err(syn::Error::new_spanned(
                    path,
                    "`swap_with` is not supported on extensible structs",
                ));
            }
            quote! {
                fn swap_order(bytes: &mut [u8]) {
                    #path(bytes);
                }
            }
        }
        None => quote!(),
    };

    let view = if args.extensible {
        extensible_view(ident, args.view.as_ref().expect("checked"), &fields, &begin)
    } else {
        quote!()
    };

    let view_ident = args.view.as_ref().filter(|_| args.extensible);
    let describe = crate::describe::wire_struct(
        ident,
        &kname,
        c_type.as_ref(),
        view_ident,
        fields.iter().map(|f| &f.1),
    );
    Ok(quote! {
        #[derive(#zc::FromBytes, #zc::IntoBytes, #zc::KnownLayout, #zc::Immutable, #zc::Unaligned,
                 ::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug,
                 ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        #[zerocopy(crate = "::nlwire::__private::zerocopy")]
        #[repr(C)]
        #item

        impl #nl::wire::WireStruct for #ident {
            const NAME: &'static str = #kname;
            const FIELDS: &'static [#nl::wire::FieldMeta] = &[#(#metas),*];
            const WALK_DISTINCT: bool = #walk_distinct;
            #swap_order
        }

        impl #nl::wire::FieldType for #ident {
            const ENDIAN: #nl::wire::Endian = #nl::wire::Endian::None;
            const ELEM_SIZE: usize = ::core::mem::size_of::<#ident>();
            const FIELDS: &'static [#nl::wire::FieldMeta] =
                <#ident as #nl::wire::WireStruct>::FIELDS;
        }

        impl #nl::payload::ArrayElem for #ident {
            fn swap_elem(bytes: &mut [u8]) {
                <#ident as #nl::wire::WireStruct>::swap_order(bytes);
            }
        }

        impl #nl::value::NotU8 for #ident {}

        impl #nl::value::WalkField for #ident {
            fn walk_field(&self, name: &str, v: &mut dyn #nl::value::Visitor) {
                v.#begin_own(name);
                #nl::value::Walk::walk(self, v);
                v.end();
            }
        }

        #walk_impl
        #walk_addr_impl
        #(#display_checks)*
        #bit_impl
        #describe
        #(#bit_checks)*
        #view
    })
}

/// The name of a field in metadata and walks: `#[nl(name = "...")]` or the
/// Rust identifier.
pub(crate) fn field_name(fi: &syn::Ident, opts: &FieldOpts) -> String {
    opts.name
        .as_ref()
        .map_or_else(|| fi.to_string(), syn::LitStr::value)
}

/// Code that reports one field (whose value expression is `val`).
fn walk_one(fi: &syn::Ident, val: TokenStream, opts: &FieldOpts) -> TokenStream {
    let nl = quote!(::nlwire);
    let name = field_name(fi, opts);
    if opts.hidden {
        quote!()
    } else if let Some(w) = &opts.walk_with {
        quote!(#w(self, #name, v);)
    } else if let Some(w) = &opts.value_with {
        quote!(v.field(#name, #w(self));)
    } else if let Some(d) = &opts.display {
        let zc = quote!(::nlwire::__private::zerocopy);
        match d {
            Display::Ipv4(_) => quote! {
                v.field(#name, #nl::value::ipv4_value(#zc::IntoBytes::as_bytes(&#val)));
            },
            Display::Ipv6(_) => quote! {
                v.field(#name, #nl::value::ipv6_value(#zc::IntoBytes::as_bytes(&#val)));
            },
            Display::Addr(_) => quote! {
                #nl::value::WalkAddr::walk_addr(&#val, #name, family, v);
            },
            Display::Mac(_) => quote! {
                v.field(#name, #nl::value::Value::Mac(#zc::IntoBytes::as_bytes(&#val)));
            },
            Display::AddrBy(_, f) => quote! {
                #nl::value::WalkAddr::walk_addr(
                    &#val,
                    #name,
                    ::core::option::Option::Some(#nl::value::Scalar::to_u64(&self.#f)),
                    v,
                );
            },
        }
    } else if let Some(en) = &opts.enum_ty {
        quote! {{
            let raw = #nl::value::Scalar::to_u64(&#val);
            v.field(#name, #nl::value::Value::Enum { raw, name: <#en as #nl::value::OpenEnum>::name_of(raw) });
        }}
    } else if let Some(fl) = &opts.flags {
        quote! {{
            let raw = #nl::value::Scalar::to_u64(&#val);
            v.field(#name, #nl::value::Value::Flags { raw, names: #fl });
        }}
    } else if !opts.bits.is_empty() {
        let parts = opts.bits.iter().map(|(b, lo, hi)| {
            let bname = b.to_string();
            quote! {
                v.field(#bname, #nl::value::Value::U64(#nl::wire::extract_bits(raw, (#lo) as u32, (#hi) as u32)));
            }
        });
        quote! {{
            let raw = #nl::value::Scalar::to_u64(&#val);
            #(#parts)*
        }}
    } else {
        quote!(#nl::value::WalkField::walk_field(&#val, #name, v);)
    }
}

fn extensible_view(
    ident: &syn::Ident,
    view: &syn::Ident,
    fields: &[(syn::Ident, syn::Type, FieldOpts)],
    begin: &TokenStream,
) -> TokenStream {
    let nl = quote!(::nlwire);
    let zc = quote!(::nlwire::__private::zerocopy);
    let doc = format!(
        "A borrowed view of `{ident}` as the kernel sent it: any prefix length. \
         Fields not fully present read as `None`; bytes beyond the known fields \
         are kept ([`{view}::extra`])."
    );
    let (nl_ref, zc_ref) = (&nl, &zc);
    let accessors = fields.iter().map(|(fi, ty, opts)| {
        let (nl, zc) = (nl_ref, zc_ref);
        let get = format_ident!("{}", fi);
        let fdoc = format!("`{fi}`, or `None` if the kernel sent too few bytes for it.");
        let main = quote! {
            #[doc = #fdoc]
            #[inline]
            pub fn #get(&self) -> ::core::option::Option<<#ty as #nl::wire::Native>::Out> {
                let off = ::core::mem::offset_of!(#ident, #fi);
                let end = off.checked_add(::core::mem::size_of::<#ty>())?;
                let raw = self.bytes.get(off..end)?;
                let v = <#ty as #zc::FromBytes>::read_from_bytes(raw).ok()?;
                ::core::option::Option::Some(#nl::wire::Native::native(&v))
            }
        };
        let bits = opts.bits.iter().map(move |(b, lo, hi)| {
            let bdoc = format!("The bit-field `{b}`, or `None` if not present.");
            quote! {
                #[doc = #bdoc]
                #[inline]
                pub fn #b(&self) -> ::core::option::Option<u64> {
                    let off = ::core::mem::offset_of!(#ident, #fi);
                    let end = off.checked_add(::core::mem::size_of::<#ty>())?;
                    let raw = self.bytes.get(off..end)?;
                    let v = <#ty as #zc::FromBytes>::read_from_bytes(raw).ok()?;
                    ::core::option::Option::Some(#nl::wire::extract_bits(
                        #nl::value::Scalar::to_u64(&v), (#lo) as u32, (#hi) as u32))
                }
            }
        });
        quote!(#main #(#bits)*)
    });
    let walks = fields.iter().map(|(fi, ty, opts)| {
        let body = walk_one(fi, quote!(val), opts);
        quote! {
            {
                let off = ::core::mem::offset_of!(#ident, #fi);
                let raw = off
                    .checked_add(::core::mem::size_of::<#ty>())
                    .and_then(|end| self.bytes.get(off..end));
                if let ::core::option::Option::Some(raw) = raw {
                    if let ::core::result::Result::Ok(val) = <#ty as #zc::FromBytes>::read_from_bytes(raw) {
                        #body
                    }
                }
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(::core::clone::Clone, ::core::marker::Copy, ::core::fmt::Debug,
                 ::core::cmp::PartialEq, ::core::cmp::Eq, ::core::hash::Hash)]
        pub struct #view<'a> {
            bytes: &'a [u8],
        }

        impl<'a> #view<'a> {
            /// A view over exactly the bytes the kernel sent (any length).
            pub const fn new(bytes: &'a [u8]) -> Self {
                Self { bytes }
            }
            /// The bytes as received.
            pub const fn as_bytes(&self) -> &'a [u8] {
                self.bytes
            }
            /// How many bytes arrived.
            pub const fn len(&self) -> usize {
                self.bytes.len()
            }
            /// `true` if no bytes arrived.
            pub const fn is_empty(&self) -> bool {
                self.bytes.is_empty()
            }
            /// Bytes beyond the fields this codec knows (from a newer kernel).
            pub fn extra(&self) -> &'a [u8] {
                self.bytes.get(<#ident as #nl::wire::WireStruct>::SIZE..).unwrap_or_default()
            }
            /// The whole structure, fields that did not arrive zero-filled
            /// (what iproute2 `ss` does).
            pub fn to_full(&self) -> #ident {
                let mut full = <#ident as #zc::FromZeros>::new_zeroed();
                let dst = #zc::IntoBytes::as_mut_bytes(&mut full);
                let n = ::core::cmp::min(dst.len(), self.bytes.len());
                if let (::core::option::Option::Some(d), ::core::option::Option::Some(s)) = (dst.get_mut(..n), self.bytes.get(..n)) {
                    d.copy_from_slice(s);
                }
                full
            }
            #(#accessors)*
        }

        impl<'a> #nl::value::Walk for #view<'a> {
            fn walk(&self, v: &mut dyn #nl::value::Visitor) {
                #(#walks)*
                let extra = self.extra();
                if !extra.is_empty() {
                    v.field("extra", #nl::value::Value::Bytes(extra));
                }
            }
        }

        impl<'a> #nl::payload::Payload<'a> for #view<'a> {
            fn parse(bytes: &'a [u8], _mode: #nl::Mode) -> #nl::Result<Self> {
                ::core::result::Result::Ok(Self { bytes })
            }
            // `len` is the bytes kept, all copied.
            const WRITES_ALL: bool = true;
            fn len(&self) -> usize {
                self.bytes.len()
            }
            #[inline]
            fn write(&self, buf: &mut [u8]) {
                #nl::payload::copy_into(buf, self.bytes);
            }
            fn walk_payload(&self, name: &str, v: &mut dyn #nl::value::Visitor) {
                v.#begin(name);
                #nl::value::Walk::walk(self, v);
                v.end();
            }
            fn swap_order(bytes: &mut [u8]) {
                #nl::wire::swap_fields(<#ident as #nl::wire::WireStruct>::FIELDS, bytes);
            }
        }
    }
}

/// Reject plain multi-byte integers (aligned types) with a clear message
/// instead of zerocopy's padding error.
fn check_alignment_free(ty: &syn::Type) -> Result<()> {
    match ty {
        syn::Type::Array(a) => check_alignment_free(&a.elem),
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(id) = p.path.get_ident() else {
                return Ok(());
            };
            let name = id.to_string();
            let wire = match name.as_str() {
                "u16" | "i16" => "U16",
                "u32" | "i32" => "U32",
                "u64" | "i64" => "U64",
                "u128" | "i128" | "usize" | "isize" | "f32" | "f64" | "bool" | "char" => "",
                _ => return Ok(()),
            };
            let msg = if wire.is_empty() {
                format!("`{name}` cannot be a wire struct field; use u8, byte arrays or zerocopy::byteorder types")
            } else {
                let w = if name.starts_with('i') {
                    wire.replacen('U', "I", 1)
                } else {
                    wire.to_string()
                };
                format!(
                    "`{name}` is aligned; wire structs use alignment-free fields: \
                     `{w}<NativeEndian>` for host order or `{w}<BigEndian>` for network order"
                )
            };
            Err(syn::Error::new_spanned(ty, msg))
        }
        _ => Ok(()),
    }
}

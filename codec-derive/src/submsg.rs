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
//! before it (carried as `nlwire::netlink::Tagged`) names each variant's
//! union member: `member = "id"`, or by default the variant's name in snake
//! case (`Fork` is `fork`); the bytes no variant takes are `unknown`.
//!
//! A union picked by several fields of that structure and by its length
//! (carried as `Tagged` or `nlwire::netlink::TaggedBody`) says so per
//! variant, and the first variant whose conditions all hold is taken:
//!
//! ```text
//! #[sub_message(name = "data", length = "hdr.len")]
//! pub enum Data<'a> {
//!     #[nl(when("id.idx" = 1, "id.val" = 1), len = Req::SIZE)]
//!     Req(&'a Req),
//!     #[nl(when("id.idx" = 1, "id.val" = 1))]
//!     Event(Event<'a>),
//! }
//! ```
//!
//! `when(field = VALUE, ...)` names fields of the structure by kernel name
//! (an identifier or a string), compared as `u64`; `len = LEN` compares
//! the union's length (`usize`): the value of the field `length` names
//! (`struct.field`), or the bytes there are. `selector` is then optional;
//! `select` and `default` need it.

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
    /// `when(field = VALUE, ...)`: fields of the structure before.
    when: Vec<(String, Expr)>,
    /// `len = LEN`: the union's length.
    len: Option<Expr>,
}

/// `when(a = 1, "id.val" = X)`: a field is an identifier or a string.
fn parse_when(input: syn::parse::ParseStream<'_>, out: &mut Vec<(String, Expr)>) -> Result<()> {
    let content;
    syn::parenthesized!(content in input);
    let pairs = content.parse_terminated(
        |p: syn::parse::ParseStream<'_>| {
            let key = if p.peek(LitStr) {
                let k: LitStr = p.parse()?;
                (k.value(), k.span())
            } else {
                let k: syn::Ident = p.parse()?;
                (k.to_string(), k.span())
            };
            p.parse::<syn::Token![=]>()?;
            let value: Expr = p.parse()?;
            Ok((key, value))
        },
        syn::Token![,],
    )?;
    if pairs.is_empty() {
        return Err(content.error("`when(...)` names at least one field: when(field = VALUE)"));
    }
    for ((key, span), value) in pairs {
        if key.is_empty() {
            return Err(syn::Error::new(span, "`when` field names are not empty"));
        }
        if out.iter().any(|(k, _)| *k == key) {
            return Err(syn::Error::new(
                span,
                format!("`when` names the field `{key}` twice"),
            ));
        }
        out.push((key, value));
    }
    Ok(())
}

/// The `#[sub_message(...)]` arguments.
struct Args {
    name: LitStr,
    selector: Option<LitStr>,
    length: Option<LitStr>,
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

fn args(args: TokenStream) -> Result<Args> {
    let mut name = None;
    let mut selector = None;
    let mut length: Option<LitStr> = None;
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("name") {
            name = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("selector") {
            selector = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("length") {
            let l: LitStr = meta.value()?.parse()?;
            match l.value().split_once('.') {
                Some((st, f)) if !st.is_empty() && !f.is_empty() => {}
                _ => {
                    return Err(syn::Error::new(
                        l.span(),
                        "`length` names the length field as \"struct.field\" (kernel names)",
                    ))
                }
            }
            length = Some(l);
        } else {
            return Err(meta.error("unknown argument; expected `name`, `selector` or `length`"));
        }
        Ok(())
    });
    syn::parse::Parser::parse2(parser, args.clone())?;
    match name {
        Some(name) => Ok(Args {
            name,
            selector,
            length,
        }),
        None => Err(syn::Error::new(
            args.span(),
            "#[sub_message] needs `name = \"...\"` (and `selector = \"...\"` for `select`)",
        )),
    }
}

pub fn expand(attr: TokenStream, input: TokenStream) -> Result<TokenStream> {
    let Args {
        name,
        selector,
        length,
    } = args(attr)?;
    let mut item: ItemEnum = syn::parse2(input)?;
    let lt = crate::attrs::one_lifetime(
        &item.generics,
        "a sub-message takes exactly one lifetime parameter: enum Name<'a>",
    )?;
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
        let mut when = Vec::new();
        let mut len = None;
        for a in v.attrs.iter().filter(|a| is_nl(a)) {
            a.parse_nested_meta(|meta| {
                if meta.path.is_ident("select") {
                    leaves(meta.value()?.parse()?, &mut values);
                } else if meta.path.is_ident("default") {
                    default = true;
                } else if meta.path.is_ident("member") {
                    member = meta.value()?.parse::<LitStr>()?.value();
                } else if meta.path.is_ident("when") {
                    parse_when(meta.input, &mut when)?;
                } else if meta.path.is_ident("len") {
                    len = Some(meta.value()?.parse()?);
                } else {
                    return Err(meta.error(
                        "unknown option; expected `select`, `default`, `member`, `when` or `len`",
                    ));
                }
                Ok(())
            })?;
        }
        v.attrs.retain(|a| !is_nl(a));
        if values.is_empty() && !default && when.is_empty() && len.is_none() {
            return Err(syn::Error::new(
                v.ident.span(),
                "a sub-message variant needs #[nl(select = VALUE)], #[nl(when(field = VALUE))], \
                 #[nl(len = LEN)] or #[nl(default)]",
            ));
        }
        if (!values.is_empty() || default) && selector.is_none() {
            return Err(syn::Error::new(
                v.ident.span(),
                "`select` and `default` compare the selector: \
                 #[sub_message(selector = \"...\")] names it",
            ));
        }
        variants.push(Variant {
            ident: v.ident.clone(),
            ty,
            values,
            default,
            member,
            when,
            len,
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

    // `select`/`swap_as` (one selector value, as an attribute's selector
    // gives) take the variants without `when`; `select_by`/`swap_by` (the
    // fields of the structure before) take every variant.
    let mut arms = Vec::new();
    let mut swap_arms = Vec::new();
    let mut by_arms = Vec::new();
    let mut swap_by_arms = Vec::new();
    let sel_name = selector.as_ref().map(LitStr::value).unwrap_or_default();
    for v in &variants {
        let (id, ty) = (&v.ident, &v.ty);
        let decode = quote! {
            return <#ty as #nl::payload::Payload<#lt>>::parse_at_depth(bytes, mode, depth)
                .map(Self::#id);
        };
        let conv = quote!(return <#ty as #nl::payload::Payload<#lt>>::swap_order(bytes););
        // The selector value's conditions, on `selector` and on the field.
        let mut sel = Vec::new();
        let mut sel_by = Vec::new();
        for val in &v.values {
            match val {
                Expr::Lit(ExprLit {
                    lit: Lit::Str(s), ..
                }) => {
                    let b = syn::LitByteStr::new(s.value().as_bytes(), s.span());
                    sel.push(quote!(
                        ::core::matches!(selector, ::core::option::Option::Some(#nl::value::SelectorValue::Str(s)) if s == #b)
                    ));
                    // A field holds a number, never a string.
                    sel_by.push(quote!(false));
                }
                e => {
                    sel.push(quote!(
                        ::core::matches!(selector, ::core::option::Option::Some(#nl::value::SelectorValue::Int(n)) if n == (#e) as u64)
                    ));
                    sel_by.push(
                        quote!(fields(#sel_name) == ::core::option::Option::Some((#e) as u64)),
                    );
                }
            }
        }
        if v.default {
            sel.push(quote!(selector.is_none()));
            sel_by.push(quote!(fields(#sel_name).is_none()));
        }
        // `(a || b)` of the selector values, if the variant has any.
        let any = |c: &[TokenStream]| match c {
            [] => None,
            [one] => Some(one.clone()),
            _ => Some(quote!((#(#c)||*))),
        };
        let mut cond: Vec<TokenStream> = any(&sel).into_iter().collect();
        let mut cond_by: Vec<TokenStream> = any(&sel_by).into_iter().collect();
        cond_by.extend(
            v.when
                .iter()
                .map(|(k, e)| quote!(fields(#k) == ::core::option::Option::Some((#e) as u64))),
        );
        if let Some(l) = &v.len {
            cond.push(quote!(bytes.len() == (#l) as usize));
            cond_by.push(quote!(len == (#l) as usize));
        }
        if v.when.is_empty() {
            arms.push(quote!(if #(#cond)&&* { #decode }));
            swap_arms.push(quote!(if #(#cond)&&* { #conv }));
        }
        by_arms.push(quote!(if #(#cond_by)&&* { #decode }));
        swap_by_arms.push(quote!(if #(#cond_by)&&* { #conv }));
    }
    let selector = selector.unwrap_or_else(|| LitStr::new("", name.span()));
    let length = match &length {
        Some(l) => quote!(::core::option::Option::Some(#l)),
        None => quote!(::core::option::Option::None),
    };
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

            const LENGTH: ::core::option::Option<&'static str> = #length;

            fn select_by(
                fields: &dyn ::core::ops::Fn(&str) -> ::core::option::Option<u64>,
                len: usize,
                bytes: &#lt [u8],
                mode: #nl::Mode,
                depth: usize,
            ) -> #nl::Result<Self> {
                #(#by_arms)*
                let _ = (fields, len, mode, depth);
                ::core::result::Result::Ok(Self::Unselected(bytes))
            }

            fn swap_by(
                fields: &dyn ::core::ops::Fn(&str) -> ::core::option::Option<u64>,
                len: usize,
                bytes: &mut [u8],
            ) {
                #(#swap_by_arms)*
                let _ = (fields, len, bytes);
            }

            fn unselected(bytes: &#lt [u8]) -> Self {
                Self::Unselected(bytes)
            }
        }
    })
}

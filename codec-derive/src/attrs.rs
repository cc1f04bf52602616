//! Parsing of the `#[nl(...)]` helper attributes.

use syn::{Attribute, Expr, Ident, LitStr, Path, Result};

/// `#[nl(...)]` on a struct field.
#[derive(Default)]
pub struct FieldOpts {
    pub enum_ty: Option<Path>,
    pub flags: Option<Expr>,
    pub bits: Vec<(Ident, Expr, Expr)>,
    /// `name = "KERNEL_NAME"`: the name in metadata and walks when the
    /// kernel's name is not a Rust field name (`SK_MEMINFO_RMEM_ALLOC`).
    pub name: Option<LitStr>,
    /// `walk_with = path`: a function `fn(&Struct, &str, &mut dyn Visitor)`
    /// that reports this field (for fields whose display depends on another
    /// field, such as addresses on the address family).
    pub walk_with: Option<Expr>,
    /// `value_with = path`: a function `fn(&Struct) -> Value<'_>` that gives
    /// this field's value, reported under the field's name (one field, so
    /// the name is known: the structure's group can stay `begin_struct`).
    pub value_with: Option<Expr>,
    /// `display = ipv4 | ipv6 | addr | addr_by(field)`: YNL's
    /// `display-hint` for addresses.
    pub display: Option<Display>,
    /// `hidden`: bytes that are not a kernel field (C padding the kernel
    /// never reads): in the metadata (layout, swap), not walked.
    pub hidden: bool,
}

/// A field's display hint.
pub enum Display {
    /// `ipv4`: a 4-byte address in network order.
    Ipv4(Ident),
    /// `ipv6`: a 16-byte address.
    Ipv6(Ident),
    /// `addr`: an address of the family the containing structure gives.
    Addr(Ident),
    /// `mac`: a link-layer address, shown `aa:bb:cc:dd:ee:ff` (YNL
    /// `display-hint: mac`).
    Mac(Ident),
    /// `addr_by(field)`: an address of the family in `field` (`AF_INET`:
    /// IPv4 in the first word; `AF_INET6`: IPv6), or a structure whose
    /// `addr` fields take that family.
    AddrBy(Ident, Ident),
}

impl Display {
    pub fn span_ident(&self) -> &Ident {
        match self {
            Display::Ipv4(i)
            | Display::Ipv6(i)
            | Display::Addr(i)
            | Display::Mac(i)
            | Display::AddrBy(i, _) => i,
        }
    }
}

fn parse_display(meta: &syn::meta::ParseNestedMeta<'_>) -> Result<Display> {
    let value = meta.value()?;
    let kind: Ident = value.parse()?;
    match kind.to_string().as_str() {
        "ipv4" => Ok(Display::Ipv4(kind)),
        "ipv6" => Ok(Display::Ipv6(kind)),
        "addr" => Ok(Display::Addr(kind)),
        "mac" => Ok(Display::Mac(kind)),
        "addr_by" => {
            let content;
            syn::parenthesized!(content in value);
            let field: Ident = content.parse()?;
            if !content.is_empty() {
                return Err(content.error("expected one field name: addr_by(family_field)"));
            }
            Ok(Display::AddrBy(kind, field))
        }
        _ => Err(syn::Error::new(
            kind.span(),
            "unknown display hint; expected `ipv4`, `ipv6`, `mac`, `addr` or `addr_by(family_field)`",
        )),
    }
}

pub fn is_nl(attr: &Attribute) -> bool {
    attr.path().is_ident("nl")
}

pub fn field_opts(attrs: &[Attribute]) -> Result<FieldOpts> {
    let mut out = FieldOpts::default();
    for attr in attrs.iter().filter(|a| is_nl(a)) {
        attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("enum") {
                if out.enum_ty.is_some() || out.flags.is_some() {
                    return Err(meta.error("only one of `enum` or `flags` per field"));
                }
                out.enum_ty = Some(meta.value()?.parse()?);
                Ok(())
            } else if meta.path.is_ident("flags") {
                if out.enum_ty.is_some() || out.flags.is_some() {
                    return Err(meta.error("only one of `enum` or `flags` per field"));
                }
                out.flags = Some(meta.value()?.parse()?);
                Ok(())
            } else if meta.path.is_ident("name") {
                if out.name.is_some() {
                    return Err(meta.error("`name` given twice"));
                }
                out.name = Some(meta.value()?.parse()?);
                Ok(())
            } else if meta.path.is_ident("walk_with") {
                if out.walk_with.is_some() {
                    return Err(meta.error("`walk_with` given twice"));
                }
                out.walk_with = Some(meta.value()?.parse()?);
                Ok(())
            } else if meta.path.is_ident("value_with") {
                if out.value_with.is_some() {
                    return Err(meta.error("`value_with` given twice"));
                }
                out.value_with = Some(meta.value()?.parse()?);
                Ok(())
            } else if meta.path.is_ident("hidden") {
                out.hidden = true;
                Ok(())
            } else if meta.path.is_ident("display") {
                if out.display.is_some() {
                    return Err(meta.error("`display` given twice"));
                }
                out.display = Some(parse_display(&meta)?);
                Ok(())
            } else if meta.path.is_ident("bits") {
                meta.parse_nested_meta(|bit| {
                    let name = bit
                        .path
                        .get_ident()
                        .cloned()
                        .ok_or_else(|| bit.error("expected a bit-field name"))?;
                    let range: Expr = bit.value()?.parse()?;
                    match range {
                        Expr::Range(r) => {
                            let (Some(lo), Some(hi)) = (r.start, r.end) else {
                                return Err(syn::Error::new_spanned(
                                    name,
                                    "bit range needs both ends: `name = lo..hi`",
                                ));
                            };
                            if !matches!(r.limits, syn::RangeLimits::HalfOpen(_)) {
                                return Err(syn::Error::new_spanned(
                                    name,
                                    "use a half-open bit range `lo..hi`",
                                ));
                            }
                            out.bits.push((name, *lo, *hi));
                            Ok(())
                        }
                        other => Err(syn::Error::new_spanned(
                            other,
                            "expected a bit range `lo..hi`",
                        )),
                    }
                })
            } else {
                Err(meta.error(
                    "unknown field option; expected `enum`, `flags`, `bits`, `name`, `walk_with`, `value_with`, `display` or `hidden`",
                ))
            }
        })?;
    }
    if let Some(d) = &out.display {
        if out.enum_ty.is_some()
            || out.flags.is_some()
            || !out.bits.is_empty()
            || out.walk_with.is_some()
        {
            return Err(syn::Error::new(
                d.span_ident().span(),
                "`display` says how the field is shown; do not combine it with `enum`, `flags`, `bits` or `walk_with`",
            ));
        }
    }
    if let Some(w) = &out.value_with {
        if out.walk_with.is_some()
            || out.display.is_some()
            || out.enum_ty.is_some()
            || out.flags.is_some()
            || !out.bits.is_empty()
        {
            return Err(syn::Error::new_spanned(
                w,
                "`value_with` gives the field's value; do not combine it with `walk_with`, `display`, `enum`, `flags` or `bits`",
            ));
        }
    }
    if let Some(w) = &out.walk_with {
        if out.enum_ty.is_some() || out.flags.is_some() || !out.bits.is_empty() {
            return Err(syn::Error::new_spanned(
                w,
                "`walk_with` reports the field itself; do not combine it with `enum`, `flags` or `bits`",
            ));
        }
    }
    Ok(out)
}

/// `name = "..."` style argument lists for the macros themselves.
pub struct MacroArgs {
    pub name: Option<LitStr>,
    pub view: Option<Ident>,
    pub extensible: bool,
    pub custom_walk: bool,
    pub repr: Option<Ident>,
    /// `consts`: also emit a `pub const KERNEL_NAME` per variant.
    pub consts: bool,
    /// `swap_with = path`: a `fn(&mut [u8])` that converts the structure
    /// between byte orders, for layouts the field metadata alone cannot
    /// describe (a `sockaddr` whose fields depend on its family).
    pub swap_with: Option<Expr>,
}

/// The `name = "..."` a declaration needs (the set's or the kernel's
/// name), or the error `what` at `span` (the declaration's identifier).
pub fn required_name(name: Option<LitStr>, span: proc_macro2::Span, what: &str) -> Result<LitStr> {
    name.ok_or_else(|| syn::Error::new(span, what))
}

/// The one lifetime parameter a declaration takes (`Name<'a>`), or the
/// error `what` at its generics.
pub fn one_lifetime(generics: &syn::Generics, what: &str) -> Result<syn::Lifetime> {
    let lifetimes: Vec<_> = generics.lifetimes().collect();
    match lifetimes.as_slice() {
        [l] if generics.params.len() == 1 => Ok(l.lifetime.clone()),
        _ => Err(syn::Error::new(syn::spanned::Spanned::span(generics), what)),
    }
}

pub fn macro_args(args: proc_macro2::TokenStream, allowed: &[&str]) -> Result<MacroArgs> {
    let mut out = MacroArgs {
        name: None,
        view: None,
        extensible: false,
        custom_walk: false,
        repr: None,
        consts: false,
        swap_with: None,
    };
    let parser = syn::meta::parser(|meta| {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        if !allowed.contains(&key.as_str()) {
            return Err(meta.error(format!(
                "unknown argument; expected one of: {}",
                allowed.join(", ")
            )));
        }
        match key.as_str() {
            "name" => out.name = Some(meta.value()?.parse()?),
            "custom_walk" => out.custom_walk = true,
            "swap_with" => out.swap_with = Some(meta.value()?.parse()?),
            "consts" => out.consts = true,
            "extensible" => {
                out.extensible = true;
                meta.parse_nested_meta(|m| {
                    if m.path.is_ident("view") {
                        out.view = Some(m.value()?.parse()?);
                        Ok(())
                    } else {
                        Err(m.error("expected `view = Name`"))
                    }
                })?;
            }
            "u8" | "u16" | "u32" | "u64" => out.repr = meta.path.get_ident().cloned(),
            _ => return Err(meta.error("unsupported argument")),
        }
        Ok(())
    });
    syn::parse::Parser::parse2(parser, args)?;
    Ok(out)
}

/// The kind and kernel name of an `#[attribute_set]` variant, from its
/// `#[nl(kind = .., name = "..")]`:
///
/// * `kind = N, name = "KERNEL_NAME"`: as given (any constant expression);
/// * `kind = KERNEL_NAME`: a constant declared elsewhere, named after
///   itself;
/// * `kind = KERNEL_NAME = N`: the set also declares `pub const
///   KERNEL_NAME: u16 = N` (documented with the variant's doc comment),
///   returned as the third element.
///
/// A path of several segments (`kind = module::KERNEL_NAME`) needs `name`
/// here; `#[attr_struct]` (`field` in attr_struct.rs) names it after its
/// last segment and has no `kind = KERNEL_NAME = N`: two rules on purpose,
/// as one would change what either macro accepts (pinned by
/// tests/attr_struct_kind_names.rs and the derive_ui cases
/// `attr_struct_kind_*`, `set_kind_path_no_name`).
pub fn attr_kind(
    v: &syn::Variant,
    vis: &syn::Visibility,
    kind: Option<Expr>,
    name: Option<LitStr>,
) -> Result<(Expr, LitStr, Option<proc_macro2::TokenStream>)> {
    let kind = kind.ok_or_else(|| {
        syn::Error::new(
            v.ident.span(),
            "attribute variant needs its kind: #[nl(kind = KERNEL_NAME)], \
             #[nl(kind = KERNEL_NAME = N)] or #[nl(kind = N, name = \"KERNEL_NAME\")]",
        )
    })?;
    let (kind, decl) = match kind {
        Expr::Assign(a) => {
            let Some(id) = expr_ident(&a.left) else {
                return Err(syn::Error::new_spanned(
                    &a.left,
                    "`kind = KERNEL_NAME = N` declares a constant: KERNEL_NAME must be an identifier",
                ));
            };
            let docs: Vec<_> = v
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .collect();
            let default_doc = format!("`{id}`: the kind of attribute `{}`.", v.ident);
            let docs = if docs.is_empty() {
                quote::quote!(#[doc = #default_doc])
            } else {
                quote::quote!(#(#docs)*)
            };
            let value = &a.right;
            let decl = quote::quote! {
                #docs
                #vis const #id: u16 = #value;
            };
            let path: Expr = syn::parse_quote!(#id);
            (path, Some(decl))
        }
        other => (other, None),
    };
    let name = match (name, expr_ident(&kind)) {
        (Some(n), _) => {
            if decl.is_some() {
                return Err(syn::Error::new(
                    n.span(),
                    "`kind = KERNEL_NAME = N` names the attribute already; remove `name`",
                ));
            }
            n
        }
        (None, Some(id)) => LitStr::new(&id.to_string(), id.span()),
        (None, None) => {
            return Err(syn::Error::new(
                v.ident.span(),
                "attribute variant needs its kernel name: #[nl(name = \"...\")] \
                 (or give the kind as the kernel's constant: kind = KERNEL_NAME)",
            ))
        }
    };
    Ok((kind, name, decl))
}

/// The identifier of a one-segment path expression.
fn expr_ident(e: &Expr) -> Option<Ident> {
    match e {
        Expr::Path(p) if p.qself.is_none() && p.attrs.is_empty() => p.path.get_ident().cloned(),
        _ => None,
    }
}

//! Decoding one message of a registry entry and writing it back, shared by
//! the registry-driven round-trip tests (`proptest_registry.rs`,
//! `emit_overwrite.rs`).

use nlwire::decode::{decode_ctx, emit_decoded, Body, Context, Decoded};
use nlwire::family_ids::FamilyIds;
use nlwire::netlink::{Builder, Messages};
use nlwire::registry::{FamilyEntry, Registry};
use nlwire::Mode;

/// Decode the first message of `bytes` (of `entry`'s protocol) with the
/// default registry; an error unless it decodes as a message of `entry`.
/// A sub-family (a generic netlink family declared by name) is reached once
/// its type is learned, so the decoder is taught that this message's type
/// is it.
pub fn decode_entry<'a>(
    entry: &FamilyEntry,
    bytes: &'a [u8],
    mode: Mode,
) -> Result<Decoded<'a>, String> {
    let msg = Messages::new(bytes)
        .next()
        .ok_or("no message")?
        .map_err(|e| e.to_string())?;
    let mut ids = FamilyIds::new();
    if let Some(name) = entry.sub_family {
        ids.insert(entry.protocol, msg.header.nlmsg_type.get(), name.as_bytes());
    }
    let ctx = Context {
        ids: Some(&ids),
        ..Context::default()
    };
    let d = decode_ctx(&Registry::DEFAULT, entry.protocol, msg, mode, &ctx);
    match &d.body {
        Ok(Body::Family(f))
            if f.entry.protocol == entry.protocol
                && f.entry.name == entry.name
                && f.entry.sub_family == entry.sub_family =>
        {
            Ok(d)
        }
        other => Err(format!("not a {} message: {other:?}", entry.name)),
    }
}

/// Write `d` back into `buf` (whatever it held); the length written.
pub fn emit_into(d: &Decoded<'_>, buf: &mut [u8]) -> Result<usize, String> {
    let mut b = Builder::new(buf);
    emit_decoded(d, &mut b).map_err(|e| e.to_string())?;
    Ok(b.len())
}

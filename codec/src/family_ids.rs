//! Message types assigned at run time: a protocol whose `nlmsg_type`s are
//! partly fixed and partly handed out to named sub-families while the
//! system runs (generic netlink: `GENL_ID_CTRL` = 16 is the controller,
//! every other id belongs to a family such as `"ethtool"` and is announced
//! by the controller's `CTRL_CMD_NEWFAMILY`, with `CTRL_ATTR_FAMILY_ID` and
//! `CTRL_ATTR_FAMILY_NAME`).
//!
//! A sub-family is declared by name (`#[nl_family(genl = "ethtool", ...)]`,
//! [`FamilyEntry::sub_family`](crate::registry::FamilyEntry::sub_family));
//! [`FamilyIds`] is what a decoder has learned: which `(protocol, id)` is
//! which name, filled from the announcements the protocol's fixed entry
//! reads ([`FamilyEntry::announces`](crate::registry::FamilyEntry::announces))
//! or by hand. The decoder ([`crate::decode::decode_ctx`]) resolves a
//! message type its protocol's fixed entry does not name through it.
//!
//! ```
//! use nlwire::family_ids::FamilyIds;
//! let mut ids = FamilyIds::new();
//! ids.insert(nlwire::family::NETLINK_GENERIC, 36, b"ethtool\0");
//! assert_eq!(ids.name(16, 36).unwrap().as_str(), "ethtool");
//! ids.remove(16, 36);
//! assert!(ids.name(16, 36).is_none());
//! ```

pub use crate::announcement::Announcement;
use crate::netlink::RawMessage;
use crate::registry::Registry;
use crate::Mode;

/// The longest sub-family name kept, in bytes: `GENL_NAMSIZ` (16,
/// `<linux/genetlink.h>`, which counts the terminating NUL; a name of 16
/// bytes without NUL is kept too).
pub const NAME_MAX: usize = 16;

/// A sub-family name, kept inline (no allocation): at most [`NAME_MAX`]
/// bytes of UTF-8, without the NUL.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct FamilyName {
    len: u8,
    bytes: [u8; NAME_MAX],
}

impl FamilyName {
    /// `name` up to its first NUL, if that is 1 to [`NAME_MAX`] bytes of
    /// UTF-8 (`CTRL_ATTR_FAMILY_NAME`'s payload as it is on the wire).
    pub fn new(name: &[u8]) -> Option<FamilyName> {
        let end = name.iter().position(|&b| b == 0).unwrap_or(name.len());
        let name = name.get(..end)?;
        if name.is_empty() || name.len() > NAME_MAX || core::str::from_utf8(name).is_err() {
            return None;
        }
        let mut bytes = [0u8; NAME_MAX];
        bytes.get_mut(..name.len())?.copy_from_slice(name);
        Some(FamilyName {
            len: name.len() as u8,
            bytes,
        })
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        let b = self.bytes.get(..usize::from(self.len)).unwrap_or_default();
        core::str::from_utf8(b).unwrap_or_default()
    }
}

impl core::fmt::Debug for FamilyName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl core::fmt::Display for FamilyName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy)]
struct Slot {
    protocol: u16,
    id: u16,
    /// Insertion stamp: the smallest is the oldest.
    age: u64,
    name: FamilyName,
}

/// What a decoder knows of run-time message types: `(protocol, id)` →
/// sub-family name, at most [`FamilyIds::CAPACITY`] of them, in a fixed
/// array (no allocation; 10 KiB). When it is full, learning one more
/// forgets the oldest learned (a kernel has far fewer generic netlink
/// families; a crafted capture announcing thousands of ids cannot make the
/// table grow). Learning an id again replaces its name.
#[derive(Clone)]
pub struct FamilyIds {
    slots: [Option<Slot>; FamilyIds::CAPACITY],
    clock: u64,
}

impl Default for FamilyIds {
    fn default() -> Self {
        FamilyIds::new()
    }
}

impl core::fmt::Debug for FamilyIds {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_map()
            .entries(
                self.slots
                    .iter()
                    .flatten()
                    .map(|s| ((s.protocol, s.id), s.name)),
            )
            .finish()
    }
}

impl FamilyIds {
    /// How many `(protocol, id)` names are kept at most.
    pub const CAPACITY: usize = 256;

    /// An empty table.
    pub const fn new() -> FamilyIds {
        FamilyIds {
            slots: [None; FamilyIds::CAPACITY],
            clock: 0,
        }
    }

    /// How many names are known.
    pub fn len(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    /// Nothing known.
    pub fn is_empty(&self) -> bool {
        self.slots.iter().all(Option::is_none)
    }

    /// The name of message type `id` of `protocol`, if learned.
    pub fn name(&self, protocol: u16, id: u16) -> Option<FamilyName> {
        self.slots
            .iter()
            .flatten()
            .find(|s| s.protocol == protocol && s.id == id)
            .map(|s| s.name)
    }

    /// The message type learned for sub-family `name` of `protocol`.
    pub fn id_of(&self, protocol: u16, name: &str) -> Option<u16> {
        self.slots
            .iter()
            .flatten()
            .find(|s| s.protocol == protocol && s.name.as_str() == name)
            .map(|s| s.id)
    }

    /// Learn that message type `id` of `protocol` is sub-family `name`
    /// (bytes up to the first NUL; see [`FamilyName::new`]). `false` if
    /// the name is not one (empty, longer than [`NAME_MAX`], not UTF-8).
    /// An id learned before gets the new name; a full table forgets its
    /// oldest name to make room.
    pub fn insert(&mut self, protocol: u16, id: u16, name: &[u8]) -> bool {
        let Some(name) = FamilyName::new(name) else {
            return false;
        };
        self.clock = self.clock.wrapping_add(1);
        let slot = Slot {
            protocol,
            id,
            age: self.clock,
            name,
        };
        // The same id, else a free slot, else the oldest.
        let mut pick = 0usize;
        let mut best = (2u8, u64::MAX);
        for (i, s) in self.slots.iter().enumerate() {
            let rank = match s {
                Some(s) if s.protocol == protocol && s.id == id => (0, 0),
                None => (1, 0),
                Some(s) => (2, s.age),
            };
            if rank < best {
                best = rank;
                pick = i;
            }
        }
        if let Some(s) = self.slots.get_mut(pick) {
            *s = Some(slot);
        }
        true
    }

    /// Forget message type `id` of `protocol`.
    pub fn remove(&mut self, protocol: u16, id: u16) {
        for s in self.slots.iter_mut() {
            if matches!(s, Some(x) if x.protocol == protocol && x.id == id) {
                *s = None;
            }
        }
    }

    /// The sub-family message type `typ` of `protocol` was learned as,
    /// unless the protocol's fixed entry in `registry` names the type
    /// itself ([`FamilyEntry::type_name`](crate::registry::FamilyEntry::type_name):
    /// `GENL_ID_CTRL` stays the controller's) or it is a control message.
    pub fn sub_family(&self, registry: &Registry, protocol: u16, typ: u16) -> Option<FamilyName> {
        if typ < crate::netlink::NLMSG_MIN_TYPE {
            return None;
        }
        if registry
            .find(protocol)
            .is_some_and(|e| (e.type_name)(typ).is_some())
        {
            return None;
        }
        self.name(protocol, typ)
    }

    /// The entry that decodes message type `typ` of `protocol`: the
    /// declared sub-family it was learned as
    /// ([`FamilyIds::sub_family`], [`Registry::find_named`]), else the
    /// protocol's fixed entry ([`Registry::find`]).
    pub fn entry(
        &self,
        registry: &Registry,
        protocol: u16,
        typ: u16,
    ) -> Option<&'static crate::registry::FamilyEntry> {
        self.sub_family(registry, protocol, typ)
            .and_then(|n| registry.find_named(protocol, n.as_str()))
            .or_else(|| registry.find(protocol))
    }

    /// Learn from one message of `protocol`, if the protocol's fixed entry
    /// in `registry` reads it as an announcement (the generic netlink
    /// controller's `CTRL_CMD_NEWFAMILY` and `CTRL_CMD_DELFAMILY`). Returns
    /// what was learned.
    pub fn learn<'a>(
        &mut self,
        registry: &Registry,
        protocol: u16,
        msg: &RawMessage<'a>,
        mode: Mode,
    ) -> Option<Announcement<'a>> {
        let entry = registry.find(protocol)?;
        let a = (entry.announces)(msg, mode)?;
        match a {
            Announcement::New { id, name } => {
                if !self.insert(protocol, id, name) {
                    return None;
                }
            }
            Announcement::Gone { id } => self.remove(protocol, id),
        }
        Some(a)
    }
}

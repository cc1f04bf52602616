//! What a message of a protocol with run-time message types says about
//! them: a type given to a named sub-family, or taken back (read by a
//! registry entry's `announces`, kept by [`FamilyIds`](crate::family_ids::FamilyIds)).

/// What a message announces about a run-time message type
/// ([`FamilyEntry::announces`](crate::registry::FamilyEntry::announces)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Announcement<'a> {
    /// Message type `id` now belongs to the sub-family named `name`
    /// (`CTRL_CMD_NEWFAMILY`: replies of `CTRL_CMD_GETFAMILY` and
    /// notifications).
    New {
        /// The message type (`CTRL_ATTR_FAMILY_ID`).
        id: u16,
        /// The name as on the wire (`CTRL_ATTR_FAMILY_NAME`, NUL included).
        name: &'a [u8],
    },
    /// The sub-family using message type `id` is gone
    /// (`CTRL_CMD_DELFAMILY`).
    Gone {
        /// The message type.
        id: u16,
    },
}

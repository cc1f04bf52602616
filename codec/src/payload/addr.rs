//! YNL `binary` attributes with a `display-hint`: addresses (`ipv4`,
//! `ipv6`, `ipv4-or-v6`) and link-layer addresses (`mac`). Any length is
//! accepted in both modes (a hint changes the display, not the policy);
//! bytes are in network order, never swapped.

use crate::value::{ipv4_value, ipv6_value, Value, Visitor};
use crate::{Mode, Result};

use super::{copy_into, Payload};

/// An IP address in network order (display hints `ipv4`, `ipv6`,
/// `ipv4-or-v6`): walked as [`Value::Ipv4`] for 4 bytes, [`Value::Ipv6`]
/// for 16, [`Value::Bytes`] for any other length.
///
/// ```
/// use nlwire::payload::{IpAddr, Payload};
/// use nlwire::Mode;
/// let a = IpAddr::parse(&[192, 0, 2, 1], Mode::Strict).unwrap();
/// assert_eq!(a.to_ip(), Some("192.0.2.1".parse().unwrap()));
/// assert_eq!(IpAddr(&[1, 2, 3]).to_ip(), None);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct IpAddr<'a>(pub &'a [u8]);

impl IpAddr<'_> {
    /// The address, `None` unless the payload is 4 or 16 bytes.
    pub fn to_ip(&self) -> Option<core::net::IpAddr> {
        if let Ok(a) = <[u8; 4]>::try_from(self.0) {
            return Some(core::net::IpAddr::from(a));
        }
        <[u8; 16]>::try_from(self.0)
            .ok()
            .map(core::net::IpAddr::from)
    }
}

impl<'a> Payload<'a> for IpAddr<'a> {
    const WRITES_ALL: bool = true;
    fn parse(bytes: &'a [u8], _mode: Mode) -> Result<Self> {
        Ok(IpAddr(bytes))
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    #[inline]
    fn write(&self, buf: &mut [u8]) {
        copy_into(buf, self.0);
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        let value = match self.0.len() {
            4 => ipv4_value(self.0),
            16 => ipv6_value(self.0),
            _ => Value::Bytes(self.0),
        };
        v.field(name, value);
    }
}

/// A link-layer address (display hint `mac`: `IFLA_ADDRESS`,
/// `NDA_LLADDR`, …), any length: walked as [`Value::Mac`], which printers
/// show as `ip link` does (`aa:bb:cc:dd:ee:ff`, lowercase, colon separated).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Mac<'a>(pub &'a [u8]);

impl<'a> Payload<'a> for Mac<'a> {
    const WRITES_ALL: bool = true;
    fn parse(bytes: &'a [u8], _mode: Mode) -> Result<Self> {
        Ok(Mac(bytes))
    }
    fn len(&self) -> usize {
        self.0.len()
    }
    #[inline]
    fn write(&self, buf: &mut [u8]) {
        copy_into(buf, self.0);
    }
    fn walk_payload(&self, name: &str, v: &mut dyn Visitor) {
        v.field(name, Value::Mac(self.0));
    }
}

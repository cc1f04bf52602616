//! The link header's entry (`"nlmon":{…}`) of the JSON objects, kept as
//! text: every message of a frame carries its frame's pseudo-header, and
//! most frames of a capture carry the same one (the same packet type,
//! hardware type and protocol), so the entry is printed once per distinct
//! header and given to the passes as a replay ([`Pass::raw_field`]), not
//! walked again for every message.

use nlwire::nlmon::LinkHeader;
use nlwire::value::{Value, Visitor, Walk};
use nlwire::Error;

use super::{JsonScratch, Pass};

/// The most headers kept (a capture of several families alternates a few).
const KEPT: usize = 8;

/// One header printed: its type and bytes, its top-level name and its
/// value's JSON text.
#[derive(Debug)]
struct Entry {
    kind: u8,
    bytes: Vec<u8>,
    name: String,
    json: String,
}

/// The link headers printed so far (at most [`KEPT`], the oldest replaced).
#[derive(Debug, Default)]
pub(super) struct LinkTexts {
    entries: Vec<Entry>,
    /// The slot the next new header takes.
    next: usize,
    /// Scratch for printing a header.
    object: String,
    /// Every header walked with each message (the tests' reference).
    #[cfg(test)]
    pub(super) off: bool,
}

/// How the link header goes into a message's object.
pub(super) enum LinkEntry<'t> {
    /// Walked (a header whose walk is not one plain group).
    Walk,
    /// Replayed: the top-level name and the value's JSON text.
    Text(&'t str, &'t str),
}

impl LinkTexts {
    /// The entry of `link`: printed once (with `scratch`), then kept.
    pub(super) fn entry(
        &mut self,
        link: &LinkHeader<'_>,
        scratch: &mut JsonScratch,
    ) -> LinkEntry<'_> {
        #[cfg(test)]
        if self.off {
            return LinkEntry::Walk;
        }
        let kind = kind_of(link);
        let bytes = link.as_bytes();
        let found = self
            .entries
            .iter()
            .position(|e| e.kind == kind && e.bytes == bytes);
        let at = match found {
            Some(at) => at,
            None => match self.print(link, kind, scratch) {
                Some(at) => at,
                None => return LinkEntry::Walk,
            },
        };
        match self.entries.get(at) {
            Some(e) => LinkEntry::Text(&e.name, &e.json),
            None => LinkEntry::Walk,
        }
    }

    /// Print `link` into a slot; `None` if its walk is not one plain group
    /// without errors (then it is walked with every message).
    fn print(
        &mut self,
        link: &LinkHeader<'_>,
        kind: u8,
        scratch: &mut JsonScratch,
    ) -> Option<usize> {
        let mut shape = Shape::default();
        link.walk(&mut shape);
        let name = shape
            .name
            .filter(|_| shape.top == 1 && shape.errors == 0 && shape.depth == 0)?;
        self.object.clear();
        scratch.write_object(
            &mut self.object,
            &mut |p: &mut dyn Pass| link.walk(p.visitor()),
            0,
        );
        // `{"name":value}`: the name as the top level prints it.
        let json = self
            .object
            .strip_prefix("{\"")?
            .strip_prefix(&*super::top_key(&name))?
            .strip_prefix("\":")?
            .strip_suffix('}')?;
        let entry = Entry {
            kind,
            bytes: link.as_bytes().to_vec(),
            name,
            json: json.to_owned(),
        };
        let at = self.next;
        self.next = (self.next + 1) % KEPT;
        if at < self.entries.len() {
            self.entries[at] = entry;
        } else {
            self.entries.push(entry);
        }
        Some(at)
    }
}

/// The variant of `link`.
fn kind_of(link: &LinkHeader<'_>) -> u8 {
    match link {
        LinkHeader::Nlmon(_) => 0,
        LinkHeader::Sll(_) => 1,
        LinkHeader::Sll2(_) => 2,
    }
}

/// The shape of a walk: its top-level entries (the first one's name), its
/// errors, and whether its groups balance.
#[derive(Debug, Default)]
struct Shape {
    depth: usize,
    top: usize,
    errors: usize,
    name: Option<String>,
}

impl Shape {
    fn entry(&mut self, name: &str) {
        if self.depth == 0 {
            self.top += 1;
            if self.name.is_none() {
                self.name = Some(name.to_owned());
            }
        }
    }
}

impl Visitor for Shape {
    fn field(&mut self, name: &str, _: Value<'_>) {
        self.entry(name);
    }
    fn begin(&mut self, name: &str) {
        self.entry(name);
        self.depth += 1;
    }
    fn end(&mut self) {
        match self.depth.checked_sub(1) {
            Some(d) => self.depth = d,
            // An `end` of nothing: not a plain group.
            None => self.errors += 1,
        }
    }
    fn depth(&self) -> usize {
        self.depth
    }
    fn error(&mut self, _: Error) {
        self.errors += 1;
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use nlwire::nlmon::{parse_frame, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NETLINK};
    use nlwire::value::Value;
    use nlwire::Error;

    use super::super::super::{FrameInfo, MsgInfo, Output};
    use super::super::JsonOutput;

    /// Messages whose link header entry is replayed from the text kept
    /// print exactly what walking the header with each message prints:
    /// nlmon, SLL and SLL2 headers, a header seen again after others, more
    /// distinct headers than are kept (slots replaced), and messages that
    /// the planned passes print (a top-level key that repeats the header's
    /// name, decode errors), which replay the kept text too.
    #[test]
    fn kept_link_entries_print_as_the_walk() {
        let mut frames: Vec<(u32, Vec<u8>)> = Vec::new();
        for protocol in [0u8, 4, 16, 0, 9, 10, 11, 12, 13, 14, 15, 4, 16] {
            for pkttype in [0u8, 4] {
                // nlmon and SLL: pkttype, hatype (824), halen, addr[8], protocol.
                let mut sll = vec![0, pkttype, 0x03, 0x38, 0, 0];
                sll.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, pkttype]);
                sll.extend_from_slice(&[0, protocol]);
                frames.push((LINKTYPE_NETLINK, sll.clone()));
                frames.push((LINKTYPE_LINUX_SLL, sll));
                // SLL2: protocol, reserved, if_index, hatype, pkttype, halen, addr[8].
                let mut sll2 = vec![0, protocol, 0, 0, 0, 0, 0, 7, 0x03, 0x38, pkttype, 6];
                sll2.extend_from_slice(&[1, 2, 3, 4, 5, 6, 0, 0]);
                frames.push((LINKTYPE_LINUX_SLL2, sll2));
            }
        }
        type Walk = fn(&mut dyn nlwire::value::Visitor);
        let walks: [Walk; 4] = [
            |v| v.field("a", Value::U64(1)),
            |v| {
                v.begin("nlmsghdr");
                v.field("nlmsg_len", Value::U64(16));
                v.end();
            },
            // The header's own key again: the planned passes.
            |v| {
                v.field("nlmon", Value::U64(2));
                v.field("sll_header", Value::U64(3));
                v.field("sll2_header", Value::U64(4));
            },
            |v| {
                v.field("b", Value::U64(5));
                v.error(Error::short("x", 8, 4));
            },
        ];
        let print = |off: bool| {
            let mut out = JsonOutput::new(Vec::new());
            out.links.off = off;
            for (n, (linktype, bytes)) in frames.iter().enumerate() {
                let frame = parse_frame(*linktype, bytes).unwrap();
                let f = FrameInfo {
                    file: Some("t.pcap"),
                    number: Some(n as u64 + 1),
                    time: None,
                    family: frame.family,
                    order: nlwire::swap::ByteOrder::Little,
                    link: Some(frame.header),
                    caplen: bytes.len(),
                    origlen: bytes.len(),
                };
                for (i, walk) in walks.iter().enumerate() {
                    let m = MsgInfo {
                        index: i + 1,
                        offset: bytes.len(),
                        nlmsg_type: 20,
                        type_name: None,
                        sub_family: None,
                        request: false,
                        error: None,
                    };
                    out.message(&f, &m, &mut |v| walk(v)).unwrap();
                }
            }
            out.finish().unwrap();
            let _ = out.out.flush();
            (String::from_utf8(out.out).unwrap(), out.links.entries.len())
        };
        let (kept, slots) = print(false);
        let (walked, _) = print(true);
        assert_eq!(kept, walked);
        assert_eq!(slots, super::KEPT);
        assert!(kept.contains(r#""nlmon":[{"pkttype""#), "{kept}");
        assert!(kept.contains(r#""sll2_header":{"sll2_protocol""#), "{kept}");
        assert_eq!(kept.lines().count(), frames.len() * walks.len());
    }
}

//! Captured frames and capture files (the `nlmon` and `capture` targets).

#[allow(unused_imports)]
use super::*;

/// A captured frame: bytes 0-1 pick the link type (`LINKTYPE_NETLINK`,
/// `LINUX_SLL`, `LINUX_SLL2`, or any), the rest is the frame: pseudo-header
/// split, walked, and the netlink bytes decoded in the detected byte order.
pub fn target_nlmon(data: &[u8]) {
    use nlwire::nlmon::{parse_frame, LINKTYPE_LINUX_SLL, LINKTYPE_LINUX_SLL2, LINKTYPE_NETLINK};
    if data.len() < 2 {
        return;
    }
    let linktype = match data[0] & 3 {
        0 => LINKTYPE_NETLINK,
        1 => LINKTYPE_LINUX_SLL,
        2 => LINKTYPE_LINUX_SLL2,
        _ => u32::from(data[1]),
    };
    let frame = &data[2..];
    match parse_frame(linktype, frame) {
        Ok(f) => {
            let hdr = frame.len() - f.payload.len();
            if !f.payload.is_empty() {
                assert_eq!(
                    offset_in(frame, f.payload),
                    Some(hdr),
                    "payload does not follow the header"
                );
            }
            let _ = (f.header.hatype(), f.header.protocol(), f.header.pkttype());
            let mut v = CheckVisitor::new(frame.len());
            f.header.walk(&mut v);
            v.finish();
            let mut bytes = f.payload.to_vec();
            if nlwire::swap::detect_order(&bytes) != nlwire::swap::ByteOrder::HOST {
                nlwire::swap::swap_message(f.family, &mut bytes);
            }
            decode_buffer(f.family, &bytes);
        }
        Err(e) => {
            let mut d = Discard(0);
            let _ = write!(d, "{e}");
        }
    }
}

/// A whole capture file (pcap or pcapng, any link type) read with the CLI's
/// streaming reader (`nlwire_cli::capture`): every netlink frame is split,
/// put in host byte order, decoded message by message and printed with the
/// CLI's printers; the JSON printer's output must be valid JSON.
pub fn target_capture(data: &[u8]) {
    use nlwire::nlmon::parse_frame;
    use nlwire_cli::capture::CaptureReader;
    use nlwire_cli::output::json::JsonVisitor;
    use nlwire_cli::output::text::TreeVisitor;
    let Ok(mut reader) = CaptureReader::new(data) else {
        return;
    };
    for _ in 0..256 {
        let packet = match reader.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => {
                let _ = e.to_string();
                break;
            }
        };
        assert!(
            packet.data.len() <= data.len(),
            "a packet larger than the file"
        );
        let _ = (packet.is_truncated(), packet.time, packet.format);
        let Some(linktype) = packet.linktype else {
            continue;
        };
        let Ok(frame) = parse_frame(linktype, packet.data) else {
            continue;
        };
        let mut bytes = frame.payload.to_vec();
        if nlwire::swap::detect_order(&bytes) != nlwire::swap::ByteOrder::HOST {
            nlwire::swap::swap_message(frame.family, &mut bytes);
        }
        let offset = packet.data.len() - frame.payload.len();
        for m in Messages::new(&bytes) {
            let Ok(m) = m else { break };
            let d = nlwire::decode::decode(frame.family, m, Mode::Lenient);
            let mut json = JsonVisitor::new(Vec::new(), offset);
            d.walk(&mut json);
            let line = json.finish();
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&line) {
                panic!("the JSON printer wrote invalid JSON ({e}): {line}");
            }
            let mut text = String::new();
            let mut tree = TreeVisitor::new(&mut text, 1, offset);
            d.walk(&mut tree);
            let mut v = CheckVisitor::new(bytes.len());
            d.walk(&mut v);
            v.finish();
        }
    }
}

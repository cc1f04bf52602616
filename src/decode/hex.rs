//! Hex input for `nlwire decode --hex`.

/// Why hex input was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    /// A character that is not a hex digit or a separator.
    #[error("invalid hex character {ch:?} at position {pos}")]
    BadChar {
        /// The character.
        ch: char,
        /// Its position (characters from the start).
        pos: usize,
    },
    /// A group of digits with an odd count (`abc`).
    #[error("odd number of hex digits in {group:?}")]
    Odd {
        /// The group.
        group: String,
    },
    /// Nothing to decode.
    #[error("no bytes given")]
    Empty,
}

/// Parse bytes written in hex: `14 00 00 00`, `14:00:00:00`, `0x14,0x00`,
/// `\x14\x00`, `14000000`, or any mix. Groups are separated by whitespace,
/// `:`, `,` or `-`; a group may start with `0x` or `\x`; a group of one
/// digit is one byte (`0x0` = `00`); a longer group must have an even number
/// of digits and is read two digits per byte.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, HexError> {
    let mut out = Vec::with_capacity(text.len() / 2);
    let mut pos = 0usize;
    for raw in text.split(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | '-')) {
        let start = pos;
        pos += raw.chars().count() + 1;
        // `\x14\x00` is one group of several prefixed bytes.
        for (j, piece) in raw.split("\\x").enumerate() {
            let piece = if j == 0 {
                piece
                    .strip_prefix("0x")
                    .or_else(|| piece.strip_prefix("0X"))
                    .unwrap_or(piece)
            } else {
                piece
            };
            if piece.is_empty() {
                continue;
            }
            if let Some((i, ch)) = piece.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
                let offset_in_raw = raw.find(piece).unwrap_or(0) + i;
                return Err(HexError::BadChar {
                    ch,
                    pos: start + offset_in_raw,
                });
            }
            let digits = piece.as_bytes();
            if digits.len() == 1 {
                out.push(nibble(digits[0]));
                continue;
            }
            if digits.len() % 2 != 0 {
                return Err(HexError::Odd {
                    group: raw.to_string(),
                });
            }
            for pair in digits.chunks_exact(2) {
                out.push(nibble(pair[0]) << 4 | nibble(pair[1]));
            }
        }
    }
    if out.is_empty() {
        return Err(HexError::Empty);
    }
    Ok(out)
}

fn nibble(d: u8) -> u8 {
    match d {
        b'0'..=b'9' => d - b'0',
        b'a'..=b'f' => d - b'a' + 10,
        b'A'..=b'F' => d - b'A' + 10,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WANT: [u8; 4] = [0x14, 0x00, 0xfd, 0x0a];

    #[test]
    fn every_common_spelling() {
        for s in [
            "14 00 fd 0a",
            "14:00:FD:0a",
            "0x14, 0x00, 0xfd, 0x0a",
            "1400fd0a",
            "0x1400fd0a",
            "\\x14\\x00\\xfd\\x0a",
            "  14\n00\tfd 0a\n",
            "14-00-fd-0a",
            "0x14 0x0 0xfd 0xa",
        ] {
            assert_eq!(parse_hex(s).as_deref(), Ok(&WANT[..]), "{s:?}");
        }
    }

    #[test]
    fn refusals() {
        assert_eq!(
            parse_hex("14 0g"),
            Err(HexError::BadChar { ch: 'g', pos: 4 })
        );
        assert!(matches!(parse_hex("140"), Err(HexError::Odd { .. })));
        assert_eq!(parse_hex("  "), Err(HexError::Empty));
    }
}

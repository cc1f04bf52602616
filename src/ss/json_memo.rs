//! The JSON text of a value read from one byte (an enum or a set of flags
//! of `u8`: `idiag_state`, `udiag_type`, `tcpi_ca_state`, …), made once
//! per byte value by the general value writer and copied after that.

/// Texts by byte value, made on first use.
#[derive(Debug, Default)]
pub(super) struct ByteTexts {
    texts: Vec<Option<Box<str>>>,
}

impl ByteTexts {
    /// The text of `raw`, made by `make` (which writes it) the first time.
    pub(super) fn text(&mut self, raw: u8, make: impl FnOnce(&mut String)) -> &str {
        if self.texts.is_empty() {
            self.texts.resize(256, None);
        }
        match self.texts.get_mut(usize::from(raw)) {
            Some(slot) => slot.get_or_insert_with(|| {
                let mut s = String::new();
                make(&mut s);
                s.into()
            }),
            None => "",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ByteTexts;

    #[test]
    fn a_text_is_made_once_per_byte_and_kept() {
        let mut t = ByteTexts::default();
        let mut made = 0;
        let mut s = String::new();
        for raw in [3u8, 3, 255, 3, 255, 0] {
            s.push_str(t.text(raw, |s| {
                made += 1;
                s.push_str(&format!("<{raw}>"));
            }));
        }
        assert_eq!(s, "<3><3><255><3><255><0>");
        assert_eq!(made, 3);
    }
}

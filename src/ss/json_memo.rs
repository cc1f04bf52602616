//! The JSON text of a value read from one byte (an enum or a set of flags
//! of `u8`: `idiag_state`, `udiag_type`, `tcpi_ca_state`, …), made once
//! per byte value by the general value writer and copied after that.

/// Texts by byte value, made on first use.
#[derive(Debug, Default)]
pub(super) struct ByteTexts {
    texts: Vec<Option<Box<str>>>,
}

impl ByteTexts {
    /// The text of `raw` appended to `s`; made by `make` (which writes it)
    /// the first time.
    #[inline]
    pub(super) fn put(&mut self, raw: u8, s: &mut String, make: impl FnOnce(&mut String)) {
        if self.texts.is_empty() {
            self.texts.resize(256, None);
        }
        let Some(slot) = self.texts.get_mut(usize::from(raw)) else {
            make(s);
            return;
        };
        match slot {
            Some(t) => s.push_str(t),
            None => {
                let start = s.len();
                make(s);
                let text: Box<str> = s.get(start..).unwrap_or_default().into();
                *slot = Some(text);
            }
        }
    }

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
    fn a_text_is_made_once_per_byte_and_copied_after() {
        let mut t = ByteTexts::default();
        let mut made = 0;
        let mut s = String::from("x");
        for raw in [3u8, 3, 255, 3, 255, 0] {
            t.put(raw, &mut s, |s| {
                made += 1;
                s.push_str(&format!("<{raw}>"));
            });
        }
        assert_eq!(s, "x<3><3><255><3><255><0>");
        assert_eq!(made, 3);
        assert_eq!(t.text(255, |_| unreachable!()), "<255>");
        assert_eq!(t.text(7, |s| s.push('7')), "7");
    }
}

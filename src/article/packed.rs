//! An article's sections as kept for as long as a server runs: level, anchor and (optionally)
//! heading of each, in one allocation. A server keeps them for every article twice (the
//! catalog's deep links, the folder state's link checks); as separate strings they took about
//! 400 bytes an article, a third of a 100,000-article server's memory.

use super::Section;

/// One section of [`PackedSections`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SectionRef<'a> {
    /// The deep-link anchor; `None` for the introduction.
    pub anchor: Option<&'a str>,
    /// The heading text; `None` for the introduction, and when the headings were left out.
    pub heading: Option<&'a str>,
    /// 2 or 3 for headings, 0 for the introduction.
    pub level: u8,
}

/// Sections packed into one byte string: per section its level, then the anchor and the heading,
/// each as a varint length (0 for `None`, else length + 1) and its UTF-8 bytes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackedSections {
    bytes: Box<[u8]>,
}

impl PackedSections {
    /// Packs `sections`, each with its anchor, level and — when `with_headings` — heading.
    pub fn of<'a>(sections: impl IntoIterator<Item = SectionRef<'a>>, with_headings: bool) -> PackedSections {
        let mut bytes = Vec::new();
        for section in sections {
            bytes.push(section.level);
            push_text(&mut bytes, section.anchor);
            push_text(&mut bytes, section.heading.filter(|_| with_headings));
        }
        PackedSections { bytes: bytes.into() }
    }

    /// Packs the sections of a parsed article.
    pub fn of_article(sections: &[Section], with_headings: bool) -> PackedSections {
        PackedSections::of(sections.iter().map(Section::as_ref), with_headings)
    }

    /// The sections, in order.
    pub fn iter(&self) -> impl Iterator<Item = SectionRef<'_>> + '_ {
        let mut rest: &[u8] = &self.bytes;
        std::iter::from_fn(move || {
            let (&level, after_level) = rest.split_first()?;
            let (anchor, after_anchor) = take_text(after_level)?;
            let (heading, after_heading) = take_text(after_anchor)?;
            rest = after_heading;
            Some(SectionRef {
                anchor,
                heading,
                level,
            })
        })
    }

    /// The section at `position`.
    pub fn get(&self, position: usize) -> Option<SectionRef<'_>> {
        self.iter().nth(position)
    }

    /// How many sections there are.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }
}

impl Section {
    /// The section's anchor, heading and level, borrowed.
    pub fn as_ref(&self) -> SectionRef<'_> {
        SectionRef {
            anchor: self.anchor.as_deref(),
            heading: self.heading.as_deref(),
            level: self.level,
        }
    }
}

fn push_text(bytes: &mut Vec<u8>, text: Option<&str>) {
    let mut length = text.map_or(0, |text| text.len() + 1);
    loop {
        let low = (length & 0x7f) as u8;
        length >>= 7;
        if length == 0 {
            bytes.push(low);
            break;
        }
        bytes.push(low | 0x80);
    }
    bytes.extend_from_slice(text.unwrap_or_default().as_bytes());
}

/// The text at the start of `bytes` and what follows it; `None` if `bytes` ends early (never,
/// for bytes that [`push_text`] wrote).
fn take_text(bytes: &[u8]) -> Option<(Option<&str>, &[u8])> {
    let mut length = 0usize;
    let mut shift = 0;
    let mut rest = bytes;
    loop {
        let (&byte, after) = rest.split_first()?;
        rest = after;
        length |= usize::from(byte & 0x7f).checked_shl(shift)?;
        shift += 7;
        if byte & 0x80 == 0 {
            break;
        }
    }
    let Some(length) = length.checked_sub(1) else {
        return Some((None, rest));
    };
    let (text, rest) = rest.split_at_checked(length)?;
    Some((Some(std::str::from_utf8(text).ok()?), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section<'a>(anchor: Option<&'a str>, heading: Option<&'a str>, level: u8) -> SectionRef<'a> {
        SectionRef {
            anchor,
            heading,
            level,
        }
    }

    #[test]
    fn sections_come_back_as_packed() {
        let long = "é".repeat(200);
        let sections = [
            section(None, None, 0),
            section(Some("fees"), Some("Fees & <costs>"), 2),
            section(Some(""), Some(""), 3),
            section(Some(&long), Some(&long), 2),
        ];
        let packed = PackedSections::of(sections, true);
        assert_eq!(packed.iter().collect::<Vec<_>>(), sections);
        assert_eq!(packed.len(), 4);
        assert_eq!(packed.get(1), Some(sections[1]));
        assert_eq!(packed.get(4), None);
        assert!(PackedSections::default().is_empty());
    }

    #[test]
    fn headings_can_be_left_out() {
        let packed = PackedSections::of([section(Some("fees"), Some("Fees"), 2)], false);
        assert_eq!(
            packed.iter().collect::<Vec<_>>(),
            [section(Some("fees"), None, 2)]
        );
    }
}

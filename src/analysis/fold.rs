//! Unicode folding: the accent- and case-insensitive form that documents and queries share.

use unicode_normalization::char::{decompose_compatible, is_combining_mark};
use unicode_normalization::UnicodeNormalization;

/// Scripts whose diacritics are dropped (é→e, ä→a, ё→е, ά→α); other scripts (Devanagari,
/// Thai, kana…) keep their marks, which there are part of the letter.
fn drops_marks(c: char) -> bool {
    matches!(c as u32,
        0x0000..=0x024F     // Latin, Latin-1, Extended-A/B
        | 0x0300..=0x036F   // combining diacritics (already decomposed input)
        | 0x0370..=0x03FF   // Greek
        | 0x0400..=0x04FF   // Cyrillic
        | 0x1E00..=0x1FFF   // Latin Extended Additional, Greek Extended
        | 0xFF00..=0xFF5E   // fullwidth ASCII
    )
}

/// Arabic harakat and tatweel: optional in writing, so never part of the shared form.
fn is_arabic_decoration(c: char) -> bool {
    matches!(c as u32, 0x0640 | 0x064B..=0x065F | 0x0670)
}

/// Folds an already lowercased word: strips diacritics from Latin, Greek and Cyrillic letters,
/// expands ligatures and special letters (ß→ss, ø→o, æ→ae, ł→l), normalises compatibility forms
/// (fullwidth, halfwidth) and returns NFC text. Idempotent.
pub fn fold(word: &str) -> String {
    fold_with(word, true)
}

/// Like [`fold`], but keeps diacritics (for languages where they distinguish words).
pub fn fold_keeping_diacritics(word: &str) -> String {
    fold_with(word, false)
}

fn fold_with(word: &str, drop_diacritics: bool) -> String {
    if word.is_ascii() {
        // Nothing to decompose or strip: ASCII folds to itself.
        return word.to_string();
    }
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        let latin_like = drops_marks(c);
        // Compatibility forms first (fullwidth, ligatures, modifier letters), so that what they
        // stand for folds like the letter itself. A mark goes when its letter is Latin, Greek
        // or Cyrillic, or when it is one of the generic combining diacritics.
        decompose_compatible(c, |d| {
            let dropped = drop_diacritics && is_combining_mark(d) && (latin_like || drops_marks(d));
            if !dropped {
                push_special(&mut out, d);
            }
        });
    }
    if out.is_ascii() {
        out
    } else {
        out.nfc().collect()
    }
}

/// Pushes `c`, spelling out special letters (ß→ss, ø→o …) and leaving Arabic decoration out.
fn push_special(out: &mut String, c: char) {
    match c {
        'ß' | 'ẞ' => out.push_str("ss"),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        'þ' | 'Þ' => out.push_str("th"),
        'ø' | 'Ø' => out.push('o'),
        'ł' | 'Ł' => out.push('l'),
        'đ' | 'Đ' | 'ð' | 'Ð' => out.push('d'),
        'ı' => out.push('i'),
        'ς' => out.push('σ'),
        _ if is_arabic_decoration(c) => {}
        _ => out.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_latin_diacritics_and_special_letters() {
        assert_eq!(fold("café"), "cafe");
        assert_eq!(fold("straße"), "strasse");
        assert_eq!(fold("søren"), "soren");
        assert_eq!(fold("łódź"), "lodz");
        assert_eq!(fold("ﬁle"), "file");
        assert_eq!(fold("ｒｅｆｕｎｄ"), "refund");
    }

    #[test]
    fn folds_greek_and_cyrillic_accents() {
        assert_eq!(fold("ελληνικά"), "ελληνικα");
        assert_eq!(fold("ёлка"), "елка");
    }

    #[test]
    fn keeps_marks_that_are_letters_elsewhere() {
        assert_eq!(fold("हिन्दी"), "हिन्दी");
        assert_eq!(fold("がっこう"), "がっこう");
        assert_eq!(fold("ｶﾞｯｺｳ"), "ガッコウ");
    }

    #[test]
    fn can_keep_diacritics() {
        assert_eq!(super::fold_keeping_diacritics("Tiếng Việt"), "Tiếng Việt");
        assert_eq!(super::fold_keeping_diacritics("ｒｅｆｕｎｄ"), "refund");
    }

    #[test]
    fn strips_arabic_harakat() {
        assert_eq!(fold("كَتَبَ"), "كتب");
    }
}

//! Language detection (whatlang), limited to the languages kb knows.

use std::sync::OnceLock;

use whatlang::Detector;

use super::language::{Language, LANGUAGES};

/// Fewer letters than this and whatlang's trigram statistics are noise.
const MIN_LETTERS_FOR_CONFIDENCE: usize = 40;

/// A detected language and whether the detection is trustworthy.
#[derive(Debug, Clone, Copy)]
pub struct Detection {
    /// The detected language.
    pub language: &'static Language,
    /// whatlang's confidence, 0–1.
    pub confidence: f64,
    /// Whether the detection is reliable enough to override a declared or default language.
    pub confident: bool,
}

/// Scripts that only one language of the table is written in: even a one-word text in them
/// is unambiguous. (Han characters alone are not: Chinese or Japanese.)
fn language_of_script(c: char) -> Option<&'static str> {
    match c as u32 {
        0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9F => Some("ja"),
        0xAC00..=0xD7AF | 0x1100..=0x11FF | 0x3130..=0x318F => Some("ko"),
        0x0E00..=0x0E7F => Some("th"),
        0x0370..=0x03FF | 0x1F00..=0x1FFF => Some("el"),
        0x0590..=0x05FF => Some("he"),
        0x0900..=0x097F => Some("hi"),
        0x0B80..=0x0BFF => Some("ta"),
        _ => None,
    }
}

/// Detects the language of `text` among the languages of the table; `None` when nothing can
/// be told. Kana, hangul and other single-language scripts decide at once; otherwise whatlang
/// decides, confidently only for reliable detections of long enough text.
pub fn detect(text: &str) -> Option<Detection> {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    let detector = DETECTOR.get_or_init(|| {
        Detector::with_allowlist(LANGUAGES.iter().map(|language| language.detected_as).collect())
    });
    by_script(text).or_else(|| {
        whatlang(detector, text, |info, letters| {
            info.is_reliable() && letters >= MIN_LETTERS_FOR_CONFIDENCE
        })
    })
}

/// Letters needed before a detection among a help center's own languages is trusted.
const MIN_LETTERS_AMONG_KNOWN: usize = 12;

/// Detects the language of `text` among `languages` only (e.g. those a help center has
/// articles in). With few candidates, shorter text is enough to be confident.
pub fn detect_among(text: &str, languages: &[&'static Language]) -> Option<Detection> {
    let detector = Detector::with_allowlist(languages.iter().map(|language| language.detected_as).collect());
    by_script(text).or_else(|| {
        whatlang(&detector, text, |info, letters| {
            letters >= MIN_LETTERS_AMONG_KNOWN && (info.is_reliable() || info.confidence() >= 0.5)
        })
    })
}

/// A certain detection from a script only one language of the table uses.
fn by_script(text: &str) -> Option<Detection> {
    let language = text
        .chars()
        .find_map(language_of_script)
        .and_then(Language::from_code)?;
    Some(Detection {
        language,
        confidence: 1.0,
        confident: true,
    })
}

/// whatlang's detection, judged confident by `trust(info, letters in text)`.
fn whatlang(
    detector: &Detector,
    text: &str,
    trust: impl Fn(&whatlang::Info, usize) -> bool,
) -> Option<Detection> {
    let info = detector.detect(text)?;
    let language = Language::from_detected(info.lang())?;
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    Some(Detection {
        language,
        confidence: info.confidence(),
        confident: trust(&info, letters),
    })
}

#[cfg(test)]
mod tests {
    use super::{detect, Language};

    #[test]
    fn detects_long_text_confidently() {
        let detection = detect("Wie lange dauert es, bis ich mein Geld zurückbekomme, nachdem ich das Abonnement gekündigt habe?").unwrap();
        assert_eq!(detection.language.code, "de");
        assert!(detection.confident);
    }

    #[test]
    fn kana_and_hangul_are_unambiguous_even_in_one_word() {
        for (text, code) in [
            ("返金について", "ja"),
            ("パスワード", "ja"),
            ("환불", "ko"),
            ("การคืนเงิน", "th"),
        ] {
            let detection = detect(text).unwrap();
            assert_eq!(detection.language.code, code);
            assert!(detection.confident);
        }
        assert!(detect("返金").is_none_or(|d| !d.confident));
    }

    #[test]
    fn a_short_text_is_confident_among_few_languages() {
        let known: Vec<_> = ["en", "de", "nl"]
            .iter()
            .filter_map(|code| Language::from_code(code))
            .collect();
        let detection = super::detect_among("Wie lange dauert eine Rückerstattung?", &known).unwrap();
        assert_eq!(detection.language.code, "de");
        assert!(detection.confident);
    }

    #[test]
    fn short_text_is_not_confident() {
        assert!(detect("refund card").is_none_or(|d| !d.confident));
    }
}

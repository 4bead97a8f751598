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

/// Detects the language of `text` among the languages of the table; `None` when whatlang
/// cannot tell at all.
pub fn detect(text: &str) -> Option<Detection> {
    static DETECTOR: OnceLock<Detector> = OnceLock::new();
    let detector = DETECTOR.get_or_init(|| {
        Detector::with_allowlist(LANGUAGES.iter().map(|language| language.detected_as).collect())
    });
    let info = detector.detect(text)?;
    let language = Language::from_detected(info.lang())?;
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    Some(Detection {
        language,
        confidence: info.confidence(),
        confident: info.is_reliable() && letters >= MIN_LETTERS_FOR_CONFIDENCE,
    })
}

#[cfg(test)]
mod tests {
    use super::detect;

    #[test]
    fn detects_long_text_confidently() {
        let detection = detect("Wie lange dauert es, bis ich mein Geld zurückbekomme, nachdem ich das Abonnement gekündigt habe?").unwrap();
        assert_eq!(detection.language.code, "de");
        assert!(detection.confident);
    }

    #[test]
    fn short_text_is_not_confident() {
        assert!(detect("refund card").is_none_or(|d| !d.confident));
    }
}

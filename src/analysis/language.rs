//! The table of languages kb knows, and language tags (`pt-BR`) that point into it.

use std::fmt;

use rust_stemmers::Algorithm;
use serde::{Serialize, Serializer};
use whatlang::Lang as Detected;

/// How words of a language are reduced to a shared form so that inflections match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stemming {
    /// A Snowball stemmer from rust-stemmers.
    Snowball(Algorithm),
    /// Keep the first N characters of every word: a crude stemmer for inflected languages that
    /// have no Snowball stemmer (measured in docs/quality.md).
    Truncate(usize),
    /// Strip the longest of these inflectional endings (written folded) where at least two
    /// letters remain, then keep the first N characters: truncation that also makes the short
    /// words' case forms meet (`wojna`/`wojny`/`wojnie`), for an inflected language whose endings
    /// are listed (measured in docs/quality.md).
    StripThenTruncate(&'static [&'static str], usize),
    /// No stemming: analytic languages, and scripts that are segmented into bigrams.
    None,
}

/// One row of the language table: everything kb needs to analyse, detect and name a language.
#[derive(Debug)]
pub struct Language {
    /// ISO 639-1 code, lowercase.
    pub code: &'static str,
    /// English name, for messages.
    pub english_name: &'static str,
    /// The language's own name for itself, for "also in:" links on pages.
    pub native_name: &'static str,
    /// The whatlang language that detection maps to this row.
    pub detected_as: Detected,
    /// How words are stemmed.
    pub stemming: Stemming,
    /// Whether the `stop-words` crate's list for `code` is applied.
    pub stop_words: bool,
    /// Whether diacritics are folded away (é→e). Not where they tell words apart and people
    /// type them (Vietnamese tones).
    pub folds_diacritics: bool,
    /// Whether neighbouring words are also indexed as pairs: for a language that writes each
    /// syllable apart, where most words are two syllables (Vietnamese `thành phố`, "city").
    pub pairs_syllables: bool,
}

macro_rules! languages {
    ($( $code:literal, $en:literal, $native:literal, $detected:ident, $stemming:expr, $stop:literal, $fold:literal $(, $pairs:literal)?; )*) => {
        /// Every language kb knows. Adding a language is adding one row here.
        pub static LANGUAGES: &[Language] = &[
            $( Language {
                code: $code,
                english_name: $en,
                native_name: $native,
                detected_as: Detected::$detected,
                stemming: $stemming,
                stop_words: $stop,
                folds_diacritics: $fold,
                pairs_syllables: false $(|| $pairs)?,
            }, )*
        ];
    };
}

use Stemming::{None as NoStem, Snowball, StripThenTruncate, Truncate};

/// Hindi inflectional endings: the light stemmer of Ramanathan & Rao (2003), as Lucene's
/// `HindiStemmer` lists them.
const HINDI_ENDINGS: &[&str] = &[
    "ाएंगी",
    "ाएंगे",
    "ाऊंगी",
    "ाऊंगा",
    "ाइयाँ",
    "ाइयों",
    "ाइयां",
    "ाएगी",
    "ाएगा",
    "ाओगी",
    "ाओगे",
    "एंगी",
    "ेंगी",
    "एंगे",
    "ेंगे",
    "ूंगी",
    "ूंगा",
    "ातीं",
    "नाओं",
    "नाएं",
    "ताओं",
    "ताएं",
    "ियाँ",
    "ियों",
    "ियां",
    "ाकर",
    "ाइए",
    "ाईं",
    "ाया",
    "ेगी",
    "ेगा",
    "ोगी",
    "ोगे",
    "ाने",
    "ाना",
    "ाते",
    "ाती",
    "ाता",
    "तीं",
    "ाओं",
    "ाएं",
    "ुओं",
    "ुएं",
    "ुआं",
    "कर",
    "ाओ",
    "िए",
    "ाई",
    "ाए",
    "ने",
    "नी",
    "ना",
    "ते",
    "ीं",
    "ती",
    "ता",
    "ाँ",
    "ां",
    "ों",
    "ें",
    "ो",
    "े",
    "ू",
    "ु",
    "ी",
    "ि",
    "ा",
];

/// Polish inflectional endings of nouns, adjectives and verbs, folded as words are (`ów` → `ow`,
/// `ością` → `oscia`, `ać` → `ac`).
const POLISH_ENDINGS: &[&str] = &[
    "owaniem", "osciami", "osciach", "owania", "owanie", "owaniu", "owala", "owali", "oscia", "owac", "owal",
    "osci", "osc", "ami", "ach", "ych", "ich", "ymi", "imi", "ego", "emu", "owi", "aja", "uja", "uje", "ala",
    "alo", "ali", "aly", "ow", "om", "ej", "em", "ym", "im", "ie", "iu", "ia", "ii", "al", "ac", "ic", "ec",
    "y", "i", "a", "e", "u", "o",
];

// code, English name, native name, whatlang language, stemming, stop words, fold diacritics[, pair
// syllables]
languages! {
    "ar", "Arabic", "العربية", Ara, Snowball(Algorithm::Arabic), true, true;
    "bg", "Bulgarian", "Български", Bul, Truncate(5), true, true;
    "ca", "Catalan", "Català", Cat, Truncate(5), true, true;
    "cs", "Czech", "Čeština", Ces, Truncate(5), true, true;
    "da", "Danish", "Dansk", Dan, Snowball(Algorithm::Danish), true, true;
    "de", "German", "Deutsch", Deu, Snowball(Algorithm::German), true, true;
    "el", "Greek", "Ελληνικά", Ell, Snowball(Algorithm::Greek), true, true;
    "en", "English", "English", Eng, Snowball(Algorithm::English), true, true;
    "es", "Spanish", "Español", Spa, Snowball(Algorithm::Spanish), true, true;
    "et", "Estonian", "Eesti", Est, Truncate(5), true, true;
    "fa", "Persian", "فارسی", Pes, NoStem, true, true;
    "fi", "Finnish", "Suomi", Fin, Snowball(Algorithm::Finnish), true, true;
    "fr", "French", "Français", Fra, Snowball(Algorithm::French), true, true;
    "he", "Hebrew", "עברית", Heb, NoStem, true, true;
    "hi", "Hindi", "हिन्दी", Hin, StripThenTruncate(HINDI_ENDINGS, 5), true, true;
    "hr", "Croatian", "Hrvatski", Hrv, Truncate(5), true, true;
    "hu", "Hungarian", "Magyar", Hun, Snowball(Algorithm::Hungarian), true, true;
    "id", "Indonesian", "Bahasa Indonesia", Ind, NoStem, true, true;
    "it", "Italian", "Italiano", Ita, Snowball(Algorithm::Italian), true, true;
    "ja", "Japanese", "日本語", Jpn, NoStem, false, true;
    "ko", "Korean", "한국어", Kor, NoStem, false, true;
    "lt", "Lithuanian", "Lietuvių", Lit, Truncate(5), true, true;
    "lv", "Latvian", "Latviešu", Lav, Truncate(5), true, true;
    "nl", "Dutch", "Nederlands", Nld, Snowball(Algorithm::Dutch), true, true;
    "no", "Norwegian", "Norsk", Nob, Snowball(Algorithm::Norwegian), true, true;
    "pl", "Polish", "Polski", Pol, StripThenTruncate(POLISH_ENDINGS, 5), true, true;
    "pt", "Portuguese", "Português", Por, Snowball(Algorithm::Portuguese), true, true;
    "ro", "Romanian", "Română", Ron, Snowball(Algorithm::Romanian), true, true;
    "ru", "Russian", "Русский", Rus, Snowball(Algorithm::Russian), true, true;
    "sk", "Slovak", "Slovenčina", Slk, Truncate(5), true, true;
    "sl", "Slovenian", "Slovenščina", Slv, Truncate(5), true, true;
    "sr", "Serbian", "Српски", Srp, Truncate(5), false, true;
    "sv", "Swedish", "Svenska", Swe, Snowball(Algorithm::Swedish), true, true;
    "ta", "Tamil", "தமிழ்", Tam, Snowball(Algorithm::Tamil), false, true;
    "th", "Thai", "ไทย", Tha, NoStem, false, true;
    "tr", "Turkish", "Türkçe", Tur, Snowball(Algorithm::Turkish), true, true;
    "uk", "Ukrainian", "Українська", Ukr, Truncate(5), true, true;
    "vi", "Vietnamese", "Tiếng Việt", Vie, NoStem, false, false, true;
    "zh", "Chinese", "中文", Cmn, NoStem, false, true;
}

impl Language {
    /// Every language of the table, as the list of languages a text may be in when no help
    /// center narrows them (`kb reply --extract`, a script none of a help center's languages is
    /// written in).
    pub fn every() -> &'static [&'static Language] {
        static EVERY: std::sync::OnceLock<Vec<&'static Language>> = std::sync::OnceLock::new();
        EVERY.get_or_init(|| LANGUAGES.iter().collect())
    }

    /// The row for an ISO 639-1 code (lowercase), if kb knows the language.
    pub fn from_code(code: &str) -> Option<&'static Language> {
        LANGUAGES.iter().find(|language| language.code == code)
    }

    /// The row that a whatlang detection result maps to.
    pub fn from_detected(detected: Detected) -> Option<&'static Language> {
        LANGUAGES.iter().find(|language| language.detected_as == detected)
    }
}

impl PartialEq for Language {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl Eq for Language {}

/// A language tag as writers and customers give it: an ISO 639-1 code, optionally with a region
/// (`pt-BR`, `de-AT`, `zh-TW`). Always in canonical case: lowercase language, uppercase region.
/// Held inline (a catalog holds one per article, a server for as long as it runs); orders as
/// its text does.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LangTag {
    /// The tag's ASCII bytes, zero-padded.
    bytes: [u8; MAX_TAG_LEN],
    len: u8,
    /// The language's row in [`LANGUAGES`] (determined by the bytes): looked up on every use of
    /// a tag's language, which searches do hundreds of times a request.
    row: u8,
}

/// The longest canonical tag: a code and a script (`zh-Hant`).
const MAX_TAG_LEN: usize = 7;

/// Why a string is not a language tag kb can use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language code `{0}` (expected an ISO 639-1 code kb supports, optionally with a region, e.g. `de` or `pt-BR`)")]
pub struct UnknownLanguage(pub String);

impl LangTag {
    /// Parses `de`, `DE`, `pt-BR`, `pt_br`, `zh-Hant`; refuses codes outside the language table.
    pub fn parse(input: &str) -> Result<LangTag, UnknownLanguage> {
        let unknown = || UnknownLanguage(input.to_string());
        let trimmed = input.trim();
        let mut parts = trimmed.split(['-', '_']);
        let base = parts.next().unwrap_or_default().to_ascii_lowercase();
        let language = Language::from_code(&base).ok_or_else(unknown)?;
        let region = parts.next();
        if parts.next().is_some() {
            return Err(unknown());
        }
        let tag = match region {
            None => language.code.to_string(),
            Some(region) if region.len() == 2 && region.chars().all(|c| c.is_ascii_alphabetic()) => {
                format!("{}-{}", language.code, region.to_ascii_uppercase())
            }
            Some(region) if region.len() == 3 && region.chars().all(|c| c.is_ascii_digit()) => {
                format!("{}-{}", language.code, region)
            }
            Some(script) if script.len() == 4 && script.chars().all(|c| c.is_ascii_alphabetic()) => {
                let mut chars = script.chars();
                let first = chars.next().unwrap_or('x').to_ascii_uppercase();
                let rest: String = chars.map(|c| c.to_ascii_lowercase()).collect();
                format!("{}-{first}{rest}", language.code)
            }
            Some(_) => return Err(unknown()),
        };
        LangTag::canonical(&tag, language).ok_or_else(unknown)
    }

    /// The tag of a language without region.
    pub fn of(language: &'static Language) -> LangTag {
        // Every code of the table is two letters.
        LangTag::canonical(language.code, language).unwrap_or_default()
    }

    /// The tag of `language` whose canonical text is `tag` (ASCII), if it fits.
    fn canonical(tag: &str, language: &'static Language) -> Option<LangTag> {
        let mut bytes = [0; MAX_TAG_LEN];
        bytes.get_mut(..tag.len())?.copy_from_slice(tag.as_bytes());
        let row = LANGUAGES.iter().position(|row| row.code == language.code)?;
        Some(LangTag {
            bytes,
            len: tag.len() as u8,
            row: u8::try_from(row).ok()?,
        })
    }

    /// The canonical tag, e.g. `pt-BR`.
    pub fn as_str(&self) -> &str {
        // Built from ASCII only (`canonical`), so always UTF-8.
        std::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// The language row (the part before the region).
    pub fn language(&self) -> &'static Language {
        // A LangTag is only ever built from a row of the table, so the row is there.
        LANGUAGES.get(usize::from(self.row)).unwrap_or(&LANGUAGES[0])
    }

    /// Whether the tag carries a region or script (`de-AT`), i.e. has a more general parent.
    pub fn has_region(&self) -> bool {
        self.as_str().contains('-')
    }

    /// The languages to try, most specific first: `de-AT` → `de` → default (`en`).
    pub fn fallback_chain(&self, default: &LangTag) -> Vec<LangTag> {
        let mut chain = vec![self.clone()];
        if self.has_region() {
            chain.push(LangTag::of(self.language()));
        }
        for step in [default.clone(), LangTag::of(default.language())] {
            if !chain.contains(&step) {
                chain.push(step);
            }
        }
        chain
    }
}

/// The default language of a help center unless configured: English.
impl Default for LangTag {
    fn default() -> Self {
        LangTag {
            bytes: *b"en\0\0\0\0\0",
            len: 2,
            row: LANGUAGES
                .iter()
                .position(|row| row.code == "en")
                .unwrap_or_default() as u8,
        }
    }
}

impl fmt::Display for LangTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for LangTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LangTag({:?})", self.as_str())
    }
}

impl Serialize for LangTag {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for LangTag {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        LangTag::parse(&text).map_err(serde::de::Error::custom)
    }
}

impl std::str::FromStr for LangTag {
    type Err = UnknownLanguage;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LangTag::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_canonicalised() {
        assert_eq!(LangTag::parse("pt_br").unwrap().as_str(), "pt-BR");
        assert_eq!(LangTag::parse("DE").unwrap().as_str(), "de");
        assert_eq!(LangTag::parse("zh-hant").unwrap().as_str(), "zh-Hant");
        assert_eq!(LangTag::parse("es-419").unwrap().as_str(), "es-419");
    }

    #[test]
    fn unknown_codes_are_refused() {
        for bad in ["xx", "", "english", "de-AT-x", "de-A1", "-"] {
            assert!(LangTag::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn fallback_chain_goes_regional_base_default() {
        let en = LangTag::parse("en").unwrap();
        let chain: Vec<String> = LangTag::parse("de-AT")
            .unwrap()
            .fallback_chain(&en)
            .iter()
            .map(|t| t.to_string())
            .collect();
        assert_eq!(chain, ["de-AT", "de", "en"]);
        assert_eq!(en.fallback_chain(&en), vec![en.clone()]);
    }

    #[test]
    fn listed_endings_are_written_as_words_are_folded() {
        for language in LANGUAGES {
            if let StripThenTruncate(endings, _) = language.stemming {
                for ending in endings {
                    assert_eq!(&super::super::fold::fold(ending), ending, "{}", language.code);
                }
            }
        }
    }

    #[test]
    fn every_row_is_unique_and_lowercase() {
        for (i, language) in LANGUAGES.iter().enumerate() {
            assert_eq!(language.code, language.code.to_ascii_lowercase());
            assert_eq!(language.code.len(), 2);
            assert!(LANGUAGES[i + 1..]
                .iter()
                .all(|other| other.code != language.code && other.detected_as != language.detected_as));
        }
    }
}

//! Language-aware text analysis: the one place that turns text into index terms, used alike for
//! articles and queries.
//!
//! Each row of [`LANGUAGES`] gets an [`Analyzer`]: segmentation (words, or character bigrams
//! for scripts without spaces), lowercasing, stop words, stemming (Snowball, or truncation where
//! no Snowball stemmer exists) and Unicode folding.

mod detect;
mod fold;
mod language;
mod segment;

use std::collections::HashSet;
use std::sync::OnceLock;

use rust_stemmers::Stemmer;
use serde::{Deserialize, Serialize};
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenStream};

pub use detect::{detect, Detection};
pub use fold::fold;
pub use language::{LangTag, Language, Stemming, UnknownLanguage, LANGUAGES};
pub use segment::{segment, Segment};

/// Words longer than this (in bytes) are dropped: hashes, URLs, base64, not words people type.
const MAX_WORD_BYTES: usize = 80;

/// Which analysis an index was built with. `PerLanguage` is kb's; `TantivyDefault` is tantivy's
/// default tokenizer with no language knowledge, kept as the quality baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Analysis {
    /// kb's per-language analyzers.
    #[default]
    PerLanguage,
    /// tantivy's `default` tokenizer (split on non-alphanumerics, lowercase), for comparison.
    TantivyDefault,
}

impl Analysis {
    /// The analyzer for text in `lang`.
    pub fn analyzer(self, lang: &LangTag) -> &'static Analyzer {
        match self {
            Analysis::PerLanguage => Analyzer::for_language(lang.language()),
            Analysis::TantivyDefault => tantivy_default(),
        }
    }
}

/// Turns text of one language into index terms with their positions and source offsets.
pub struct Analyzer {
    pipeline: Pipeline,
}

enum Pipeline {
    Language {
        language: &'static Language,
        stemmer: Option<Stemmer>,
        stop_words: HashSet<String>,
    },
    TantivyDefault,
}

fn tantivy_default() -> &'static Analyzer {
    static ANALYZER: Analyzer = Analyzer {
        pipeline: Pipeline::TantivyDefault,
    };
    &ANALYZER
}

impl Analyzer {
    /// The shared analyzer of a language of the table.
    pub fn for_language(language: &'static Language) -> &'static Analyzer {
        static REGISTRY: OnceLock<Vec<Analyzer>> = OnceLock::new();
        let registry = REGISTRY.get_or_init(|| LANGUAGES.iter().map(Analyzer::build).collect());
        let index = LANGUAGES
            .iter()
            .position(|row| row == language)
            .unwrap_or_default();
        &registry[index]
    }

    fn build(language: &'static Language) -> Analyzer {
        let stemmer = match language.stemming {
            Stemming::Snowball(algorithm) => Some(Stemmer::create(algorithm)),
            Stemming::Truncate(_) | Stemming::None => None,
        };
        let mut stop_words = HashSet::new();
        if language.stop_words {
            for word in stop_words::lookup(language.code).unwrap_or_default() {
                let lower = word.to_lowercase();
                stop_words.insert(fold(&lower));
                stop_words.insert(lower);
            }
        }
        Analyzer {
            pipeline: Pipeline::Language {
                language,
                stemmer,
                stop_words,
            },
        }
    }

    /// The language this analyzer is for (`None` for the baseline analyzer).
    pub fn language(&self) -> Option<&'static Language> {
        match &self.pipeline {
            Pipeline::Language { language, .. } => Some(language),
            Pipeline::TantivyDefault => None,
        }
    }

    /// Index terms of `text`, stop words removed, with positions and byte offsets.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        self.tokens_with(text, false)
    }

    /// Index terms of a query. Stop words are removed unless nothing else is left ("how to").
    pub fn query_tokens(&self, text: &str) -> Vec<Token> {
        let tokens = self.tokens_with(text, false);
        if tokens.is_empty() {
            self.tokens_with(text, true)
        } else {
            tokens
        }
    }

    /// Index terms of `text`, optionally keeping stop words.
    pub fn tokens_with(&self, text: &str, keep_stop_words: bool) -> Vec<Token> {
        match &self.pipeline {
            Pipeline::TantivyDefault => tantivy_default_tokens(text),
            Pipeline::Language {
                language,
                stemmer,
                stop_words,
            } => {
                let mut tokens = Vec::new();
                for (position, segment) in segment(text).into_iter().enumerate() {
                    if segment.text.len() > MAX_WORD_BYTES {
                        continue;
                    }
                    let lower = segment.text.to_lowercase();
                    if !keep_stop_words && !segment.is_ngram && stop_words.contains(&lower) {
                        continue;
                    }
                    let term = if segment.is_ngram {
                        fold(&lower)
                    } else {
                        stem(language, stemmer.as_ref(), &lower)
                    };
                    tokens.push(Token {
                        offset_from: segment.start,
                        offset_to: segment.end,
                        position,
                        text: term,
                        position_length: 1,
                    });
                }
                tokens
            }
        }
    }
}

/// Stems a lowercased word by the language's rule, then folds it.
fn stem(language: &Language, stemmer: Option<&Stemmer>, lower: &str) -> String {
    match (language.stemming, stemmer) {
        (Stemming::Snowball(_), Some(stemmer)) => fold(&stemmer.stem(lower)),
        (Stemming::Truncate(length), _) => {
            let folded = fold(lower);
            match folded.char_indices().nth(length) {
                Some((cut, _)) => folded[..cut].to_string(),
                None => folded,
            }
        }
        _ => fold(lower),
    }
}

fn tantivy_default_tokens(text: &str) -> Vec<Token> {
    let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .build();
    let mut stream = analyzer.token_stream(text);
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().clone());
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(lang: &str, text: &str) -> Vec<String> {
        let tag = LangTag::parse(lang).unwrap();
        Analysis::PerLanguage
            .analyzer(&tag)
            .tokens(text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn english_is_stemmed_and_stop_words_dropped() {
        assert_eq!(terms("en", "The refunds were processed"), ["refund", "process"]);
    }

    #[test]
    fn queries_made_only_of_stop_words_keep_them() {
        let tag = LangTag::parse("en").unwrap();
        let tokens = Analysis::PerLanguage.analyzer(&tag).query_tokens("how to");
        assert_eq!(tokens.len(), 2);
    }

    #[test]
    fn positions_count_removed_stop_words() {
        let tag = LangTag::parse("en").unwrap();
        let tokens = Analysis::PerLanguage.analyzer(&tag).tokens("refund of the card");
        let positions: Vec<usize> = tokens.iter().map(|t| t.position).collect();
        assert_eq!(positions, [0, 3]);
    }
}

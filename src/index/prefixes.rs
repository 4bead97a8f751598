//! The completions of very short prefixes, computed once when an index opens: a 1- or 2-letter
//! prefix begins thousands of words, too many to rank by scanning the vocabulary on every
//! keystroke.

use std::collections::HashMap;

use tantivy::schema::Field;
use tantivy::Searcher;

use crate::analysis::namespaced;

/// Prefixes shorter than this many characters are short: their completions come from
/// [`ShortPrefixes`].
pub const SHORT_PREFIX_CHARS: usize = 3;

/// Completions kept for a short prefix: its completions are frequent words with long posting
/// lists, and one or two letters say little yet.
pub const SHORT_PREFIX_COMPLETIONS: usize = 6;

/// The most frequent words of each language that begin with each short prefix.
#[derive(Debug, Default)]
pub struct ShortPrefixes {
    /// Namespaced prefix (`en:re`) → the most frequent words starting with it, most frequent
    /// first (one more than [`SHORT_PREFIX_COMPLETIONS`], as the prefix itself may be among them).
    completions: HashMap<String, Vec<String>>,
}

impl ShortPrefixes {
    /// Reads the whole vocabulary of `field` (namespaced words, `en:refund`) once.
    pub fn of(searcher: &Searcher, field: Field) -> tantivy::Result<ShortPrefixes> {
        let mut frequencies: HashMap<String, u32> = HashMap::new();
        for reader in searcher.segment_readers() {
            let inverted = reader.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                if let Ok(term) = std::str::from_utf8(stream.key()) {
                    *frequencies.entry(term.to_string()).or_default() += stream.value().doc_freq;
                }
            }
        }
        let mut by_prefix: HashMap<String, Vec<(u32, String)>> = HashMap::new();
        for (term, frequency) in frequencies {
            let Some((namespace, word)) = term.split_once(':') else {
                continue;
            };
            // The word's prefixes of 1 to SHORT_PREFIX_CHARS - 1 characters.
            let ends = word
                .char_indices()
                .map(|(offset, _)| offset)
                .skip(1)
                .chain([word.len()]);
            for end in ends.take(SHORT_PREFIX_CHARS - 1) {
                by_prefix
                    .entry(namespaced(namespace, &word[..end]))
                    .or_default()
                    .push((frequency, word.to_string()));
            }
        }
        let completions = by_prefix
            .into_iter()
            .map(|(prefix, mut words)| {
                words.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
                words.truncate(SHORT_PREFIX_COMPLETIONS + 1);
                (prefix, words.into_iter().map(|(_, word)| word).collect())
            })
            .collect();
        Ok(ShortPrefixes { completions })
    }

    /// The most frequent words of `namespace` that start with `prefix` (shorter than
    /// [`SHORT_PREFIX_CHARS`]), the prefix itself excluded; at most `keep`.
    pub fn completions(&self, namespace: &str, prefix: &str, keep: usize) -> Vec<String> {
        self.completions
            .get(&namespaced(namespace, prefix))
            .into_iter()
            .flatten()
            .filter(|word| *word != prefix)
            .take(keep)
            .cloned()
            .collect()
    }
}

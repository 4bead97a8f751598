//! The language of a query: detected from its text when that is confident, else told by which of
//! the help center's languages use its words. A short Latin-script query ("factura", "mot de
//! passe oublié", "Rechnung herunterla") rarely tells its language by letters or function words,
//! but a help center's own vocabulary often does: its Spanish articles say "factura", its English
//! ones never.

use super::query::Vocabulary;
use crate::analysis::{detect_query, segment, Analyzer, Detection, LangTag, Language, WordVote};
use crate::index::OpenIndex;

/// The shortest word being typed that votes: shorter beginnings begin words in every language.
const MIN_TYPED_CHARS: usize = 3;
/// Words of a text that vote at most (its first): enough to tell, bounded for a long e-mail.
const MAX_VOTING_WORDS: usize = 40;
/// The share of an e-mail's voting words that the language its vocabulary tells must use. An
/// e-mail reaches this vote when detection cannot tell its language, and the default language
/// then answers; a word or two that only another language's articles use ("usa" is Spanish in
/// the sample help center: "coronavirus in usa states") must not move it there.
const MIN_EMAIL_WORDS_USED: f32 = 0.66;

/// The language of `query` among the languages of `index`: [`detect_query`] when confident,
/// else the language whose articles clearly use more of the query's words ([`WordVote`], each
/// word counting 1 / the number of languages that use it, a word being typed as the beginning of
/// one); `None` when neither tells.
pub fn query_language(index: &OpenIndex, query: &str) -> Option<&'static Language> {
    let languages = index.catalog.languages();
    if let Some(detection) = detect_query(query, languages).filter(|detection| detection.confident) {
        return Some(detection.language);
    }
    let typing = query.chars().last().is_some_and(char::is_alphanumeric);
    by_vocabulary(index, query, typing, 0.0).map(|detection| detection.language)
}

/// The language of an e-mail whose text detection cannot tell: the one whose articles clearly use
/// more of its first words, as [`query_language`] votes, when they use at least
/// [`MIN_EMAIL_WORDS_USED`] of them; `None` otherwise.
pub(super) fn email_vocabulary_language(index: &OpenIndex, text: &str) -> Option<&'static Language> {
    by_vocabulary(index, text, false, MIN_EMAIL_WORDS_USED).map(|detection| detection.language)
}

/// The [`WordVote`] of the help center's vocabularies on the first words of `text` (the last one
/// a beginning when `typing`), when decided and the language decided uses at least `min_used` of
/// them.
fn by_vocabulary(index: &OpenIndex, text: &str, typing: bool, min_used: f32) -> Option<Detection> {
    let languages = index.catalog.languages();
    let segments = segment(text);
    let last = segments.len().saturating_sub(1);
    let words: Vec<(&str, bool)> = segments
        .iter()
        .enumerate()
        .filter(|(_, segment)| !segment.is_ngram && segment.text.chars().any(char::is_alphabetic))
        .map(|(position, segment)| (segment.text, typing && position == last))
        .filter(|&(text, prefix)| !prefix || text.chars().count() >= MIN_TYPED_CHARS)
        .take(MAX_VOTING_WORDS)
        .collect();
    if words.is_empty() {
        return None;
    }
    let searcher = index.reader.searcher();
    let readers: Vec<(&Analyzer, Vocabulary)> = languages
        .iter()
        .map(|&language| {
            let tag = LangTag::of(language);
            let analyzer = index.catalog.analysis.analyzer(&tag);
            (
                analyzer,
                Vocabulary::of(index, &searcher, analyzer.namespace(&tag)),
            )
        })
        .collect();
    // A word being typed that some language has as it stands votes for those only: "factura" is
    // Spanish, though French "facturation" begins with it.
    let known: Vec<Vec<Use>> = words
        .iter()
        .map(|&(text, prefix)| {
            readers
                .iter()
                .map(|(analyzer, vocabulary)| uses(analyzer, vocabulary, text, prefix))
                .collect()
        })
        .collect();
    let best = |word: usize| known[word].iter().copied().max().unwrap_or(Use::None);
    match WordVote::of(words.len(), languages, |word, n| {
        known[word][n] != Use::None && known[word][n] == best(word)
    }) {
        WordVote::Decided(detection) => {
            let n = languages
                .iter()
                .position(|&language| language == detection.language)?;
            let used = known.iter().filter(|uses| uses[n] != Use::None).count();
            // Characters of a script without spaces do not vote, and count as words no
            // language uses: "Re: TEST テストテスト / Hello" is not English.
            let unspaced = segments.iter().filter(|segment| segment.is_ngram).count();
            (used as f32 >= min_used * (words.len() + unspaced) as f32).then_some(detection)
        }
        WordVote::Among(_) | WordVote::Silent => None,
    }
}

/// How the articles of a language use a word of a query.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Use {
    /// Not at all.
    None,
    /// Only words that begin with it (the word being typed).
    Beginning,
    /// As it stands.
    Word,
}

/// How the articles whose words are `vocabulary` use the word `text` (as `analyzer` folds it),
/// looked up as a beginning too when `prefix`. An index that cannot be read uses none.
fn uses(analyzer: &Analyzer, vocabulary: &Vocabulary, text: &str, prefix: bool) -> Use {
    let Some(token) = analyzer.analyze(text).into_iter().find(|token| !token.ngram) else {
        return Use::None;
    };
    if vocabulary.contains(&token.word).unwrap_or(false) {
        Use::Word
    } else if prefix
        && vocabulary
            .completions(&token.word)
            .is_ok_and(|words| !words.is_empty())
    {
        Use::Beginning
    } else {
        Use::None
    }
}

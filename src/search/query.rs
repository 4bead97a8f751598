//! From what the customer typed to a tantivy query: the words (the last one a prefix while
//! typing), their variants found in the index's own vocabulary (exact, prefix completions, typo
//! corrections, compound heads, related forms of long words), and the weights that rank exact
//! above prefix above fuzzy.

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, PhraseQuery, Query, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Term};
use tantivy::Searcher;

use super::words::{VariantTerms, WordTerms, WordsQuery};
use super::Mode;
use crate::analysis::{first_chars, namespaced, Analysis, AnalyzedToken, Analyzer, Form, LangTag};
use crate::index::{
    Fields, OpenIndex, SectionSet, ShortPrefixes, SHORT_PREFIX_CHARS, SHORT_PREFIX_COMPLETIONS,
    WEIGHTED_FIELDS,
};

/// Weight of a completion of the word being typed, relative to an exact match.
const PREFIX_WEIGHT: f32 = 0.7;
/// Words at least this long are tried as compounds in languages that write them as one word.
const MIN_COMPOUND_CHARS: usize = 8;
/// The shortest part of a compound (of its head being typed, too: a shorter beginning completes
/// to common words).
const MIN_PART_CHARS: usize = 4;
/// Languages that write compounds as one word (`Schutzmaske`, `wachtwoordherstel`).
const COMPOUNDING_LANGUAGES: &[&str] = &["de", "nl", "sv", "da", "nb", "nn", "no"];

/// Whether `analyzer`'s language writes compounds as one word.
fn compounds(analyzer: &Analyzer) -> bool {
    analyzer
        .language()
        .is_some_and(|language| COMPOUNDING_LANGUAGES.contains(&language.code))
}

/// Weight of a typo correction, relative to an exact match.
const FUZZY_WEIGHT: f32 = 0.4;
/// Weight of the whole query appearing as a phrase (words in order, at most one apart).
const PHRASE_WEIGHT: f32 = 0.5;
/// How much the second-best variant of a word adds to the best one.
pub(super) const VARIANT_TIE_BREAKER: f32 = 0.1;
/// Completions of a prefix kept (the most frequent ones).
const MAX_PREFIX_EXPANSIONS: usize = 10;
/// A word being typed with fewer characters than this is scored on the fetched sections only
/// (see [`ParsedQuery::deferred`]).
const DEFERRED_PREFIX_CHARS: usize = 4;
/// Such a short word is deferred only when its variants' postings in the text total more than
/// this: a cost worth avoiding (a typed query reads about 28,000 postings entries at 50,000
/// articles; docs/performance.md). Below it, the word ranks better inside the query.
const DEFERRED_POSTINGS: u64 = 2_000;
/// Typo corrections of a word kept (the most frequent ones).
const MAX_FUZZY_EXPANSIONS: usize = 6;
/// Shortest word typed in full whose [`MatchKind::Related`] forms are looked up: shorter words'
/// first six letters are most of the word, and begin too many others.
const MIN_RELATED_CHARS: usize = 8;
/// The letters a related form shares with the word: where most inflected and derived forms
/// still agree (`desinfiziert`, `desinfektion`; `transmitted`, `transmission`) and the
/// stemmers of Snowball have already parted them.
const RELATED_BEGINNING_CHARS: usize = 6;
/// A related form's weight: below the word's own forms and its completions. 0.5–0.7 measured
/// alike (xquad 0.964, covid-deepset de 0.372; docs/quality.md).
const RELATED_WEIGHT: f32 = 0.6;
/// A translation's weight ([`MatchKind::Translation`]).
const TRANSLATION_WEIGHT: f32 = 0.6;
/// Related forms per word, the most frequent first: 5, 10 and 20 measured alike.
const MAX_RELATED_FORMS: usize = 5;
/// Shortest word of a foreign query whose cognates are looked up in a fallback language
/// ([`Reading::Foreign`]): the customer's own words of five letters or more.
const MIN_COGNATE_CHARS: usize = 5;
/// The letters a cognate shares with the customer's word ("expo" of `exportar` and `export`,
/// "univ" of `universität` and `university`). On xquad served with every English article and
/// half of each other language's, the questions whose answer only English has: 4 letters
/// beat 3, 5 and 6, and a share of the word's length (docs/quality.md).
const COGNATE_BEGINNING_CHARS: usize = 4;
/// The most letters a cognate may have beyond the customer's word typed in full: a longer word
/// that begins alike is another word (`placeholder` for Polish "płacić", to pay). 1, 2 and 3 measured
/// alike on xquad's fallback questions (docs/quality.md).
const MAX_COGNATE_EXTRA_CHARS: usize = 2;
/// Vocabulary entries looked at per expansion, to bound the cost of very short prefixes.
const MAX_TERMS_SCANNED: usize = 4000;

/// How a document word matched a query word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MatchKind {
    /// The same word or stem.
    Exact,
    /// A completion of the word being typed.
    Prefix,
    /// Within the typo budget.
    Fuzzy,
    /// The last part of a compound word (`maske` for `schutzmaske`), or of one being typed,
    /// completed (`erstattung` for `kartenerstat`): counts as the word itself.
    Part,
    /// A word that begins like a long word typed in full (`desinfektion` for `desinfiziert`):
    /// another form of it that the stemmer keeps apart; in a fallback language, a cognate
    /// ([`Reading::Foreign`]).
    Related,
    /// In the default language, a word that the customer's word translates to in the help
    /// center's translated articles ([`crate::index::Lexicon`]).
    Translation,
}

/// A word of the index's vocabulary that a query word stands for.
#[derive(Debug, Clone)]
pub(super) struct Variant {
    /// Folded, unstemmed word (without namespace).
    pub word: String,
    /// Its stem.
    pub stem: String,
    /// How it relates to what was typed.
    pub kind: MatchKind,
}

/// One word of the query with everything it may match.
#[derive(Debug, Clone)]
pub(super) struct QueryWord {
    /// The analysed word.
    pub token: AnalyzedToken,
    /// Whether it is the word being typed (matched as a prefix).
    pub prefix: bool,
    /// Exact form first, then completions and corrections.
    pub variants: Vec<Variant>,
}

impl QueryWord {
    /// Whether it counts towards "matches all words" and gets highlighted.
    pub(super) fn is_content(&self) -> bool {
        !self.token.stop_word || self.prefix
    }
}

/// Edits allowed for a typed word of `chars` characters: none below 5, one from 5, two from 9.
pub(super) fn typo_budget(chars: usize) -> u8 {
    match chars {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

/// How the customer's words stand to the language a query is analysed for.
#[derive(Clone, Copy)]
pub(super) enum Reading {
    /// They are its words: the customer's own language, or another tag of its analyzer (`de`
    /// for a customer in `de-AT`). Typos are corrected and long words' related forms looked up.
    Own,
    /// They are foreign there (a fallback language's articles; the customer's analyzer): the
    /// customer's function words are left out, since there they would weigh as rare words
    /// (Spanish "de" and "la" in English text), and words of [`MIN_COGNATE_CHARS`] or more look
    /// for words that begin like them, their cognates (`exportar` → `export`). Typos are not
    /// corrected: "correcting" a foreign word into the language's vocabulary only adds noise.
    Foreign(&'static Analyzer),
}

impl Reading {
    /// How a query in `chain[0]`, the customer's language, is read in `chain[step]`.
    pub(super) fn of(analysis: Analysis, chain: &[LangTag], step: usize) -> Reading {
        let customer = analysis.analyzer(&chain[0]);
        let here = analysis.analyzer(&chain[step]);
        if customer.namespace(&chain[0]) == here.namespace(&chain[step]) {
            Reading::Own
        } else {
            Reading::Foreign(customer)
        }
    }

    /// Whether the customer's words are the language's own.
    pub(super) fn is_own(self) -> bool {
        matches!(self, Reading::Own)
    }
}

/// A query analysed for one language of the index.
#[derive(Debug, Clone)]
pub(super) struct ParsedQuery {
    /// Distinct words, in order.
    pub words: Vec<QueryWord>,
    namespace: &'static str,
    stems: bool,
    /// Whether any article of the language puts words into each weighted field (in
    /// [`WEIGHTED_FIELDS`] order): the words are not looked up in a field none fills (tags and
    /// writer's questions, in a help center that has none).
    filled: [bool; WEIGHTED_FIELDS.len()],
}

impl ParsedQuery {
    /// Analyses `text` with `analyzer` and looks up prefix completions and, as the `reading`
    /// asks, typo corrections, related forms or cognates in the vocabulary of `namespace` in
    /// `index`.
    pub(super) fn parse(
        text: &str,
        analyzer: &Analyzer,
        namespace: &'static str,
        mode: Mode,
        reading: Reading,
        searcher: &Searcher,
        index: &OpenIndex,
    ) -> tantivy::Result<ParsedQuery> {
        let typing = mode == Mode::Suggest && text.chars().last().is_some_and(char::is_alphanumeric);
        let mut tokens = if typing {
            analyzer.analyze_typed(text)
        } else {
            analyzer.analyze(text)
        };
        let joined_verbs = join_separable_verbs(index, analyzer, namespace, text, &mut tokens, typing);
        let mut words: Vec<QueryWord> = Vec::new();
        for (position, token) in tokens.into_iter().enumerate() {
            // A separable verb joined again is a word of the help center as it stands.
            let joined = joined_verbs.contains(&position);
            if words.iter().any(|word| word.token.word == token.word) {
                continue;
            }
            let chars = token.word.chars().count();
            // The word being typed ends the text (when analysis dropped it, too long, none does),
            // and so does a pair of syllables that it ends. A bigram is complete; a lone
            // character of an unspaced script may begin one.
            let prefix = typing && token.end == text.len() && (!token.ngram || chars == 1);
            if let Reading::Foreign(customer) = reading {
                if !prefix && customer.is_stop_word(&text[token.start..token.end].to_lowercase()) {
                    continue;
                }
            }
            let mut variants = vec![Variant {
                word: token.word.clone(),
                stem: token.term.clone(),
                kind: MatchKind::Exact,
            }];
            let vocabulary = Vocabulary::of(index, searcher, namespace);
            if prefix {
                for word in vocabulary.completions(&token.word)? {
                    variants.push(variant(analyzer, word, MatchKind::Prefix));
                }
            }
            // A word the help center uses, or a prefix that completes, is taken as typed.
            let budget = typo_budget(chars);
            let mut known = joined || variants.len() > 1 || vocabulary.contains(&token.word)?;
            // So is a compound being typed that the help center writes apart: its head, completed.
            if prefix && !known && !token.stop_word && !token.ngram && compounds(analyzer) {
                for word in vocabulary.typed_compound_heads(&token.word)? {
                    variants.push(variant(analyzer, word, MatchKind::Part));
                }
                known = variants.len() > 1;
            }
            // A pair of syllables is not corrected: its syllables are, and a fuzzy lookup of a
            // long pair costs milliseconds (xquad vi, pairs corrected or not: 0.9674 either way).
            if reading.is_own()
                && budget > 0
                && !known
                && !token.stop_word
                && !token.ngram
                && !is_syllable_pair(&token)
            {
                for word in vocabulary.corrections(&token.word, budget, prefix)? {
                    if variants.iter().all(|known| known.word != word) {
                        variants.push(variant(analyzer, word, MatchKind::Fuzzy));
                    }
                }
            }
            let (min_chars, beginning_chars) = match reading {
                Reading::Own => (MIN_RELATED_CHARS, RELATED_BEGINNING_CHARS),
                Reading::Foreign(_) => (MIN_COGNATE_CHARS, COGNATE_BEGINNING_CHARS),
            };
            // The word being typed has no related forms yet (its completions stand for them),
            // but in a fallback language it has cognates: "facture récurr" finds "recurring".
            let foreign = matches!(reading, Reading::Foreign(_));
            if (!prefix || foreign) && !joined && !token.stop_word && !token.ngram && chars >= min_chars {
                let beginning = first_chars(&token.word, beginning_chars);
                for word in vocabulary.related(beginning)? {
                    // A word being typed may still grow to a longer cognate.
                    if foreign && !prefix && word.chars().count() > chars + MAX_COGNATE_EXTRA_CHARS {
                        continue;
                    }
                    let related = variant(analyzer, word, MatchKind::Related);
                    if variants.iter().all(|known| known.stem != related.stem) {
                        variants.push(related);
                    }
                }
            }
            if let Reading::Foreign(customer) = reading {
                if let Some(language) = customer.language().filter(|_| index.lexicon.target == namespace) {
                    // The lexicon knows the customer's words by their stems in the customer's
                    // language.
                    let own_vocabulary = Vocabulary::of(index, searcher, language.code);
                    let typed = &text[token.start..token.end];
                    let mut own_terms = customer_stems(customer, &own_vocabulary, typed, prefix)?;
                    if own_terms.is_empty() {
                        own_terms.push(token.term.clone());
                    }
                    for own_term in &own_terms {
                        for translation in index.lexicon.translations(language.code, own_term) {
                            if variants.iter().all(|known| known.stem != translation.stem) {
                                variants.push(Variant {
                                    word: translation.word.clone(),
                                    stem: translation.stem.clone(),
                                    kind: MatchKind::Translation,
                                });
                            }
                        }
                    }
                }
            }
            if !prefix && !joined && !token.stop_word && !token.ngram && compounds(analyzer) {
                if let Some(head) = vocabulary.compound_head(&token.word)? {
                    if variants.iter().all(|known| known.word != head) {
                        variants.push(variant(analyzer, head, MatchKind::Part));
                    }
                }
            }
            words.push(QueryWord {
                token,
                prefix,
                variants,
            });
        }
        let statistics = index.catalog.statistics.get(namespace);
        let filled = std::array::from_fn(|field| {
            statistics
                .and_then(|statistics| statistics.tokens.get(WEIGHTED_FIELDS[field].name))
                .is_some_and(|&tokens| tokens > 0)
        });
        Ok(ParsedQuery {
            words,
            namespace,
            stems: analyzer.stems(),
            filled,
        })
    }

    /// The namespace of the language the query was analysed for.
    pub(super) fn namespace(&self) -> &'static str {
        self.namespace
    }

    /// Whether `other` was analysed for the same language (the same vocabulary) as this one.
    pub(super) fn same_language(&self, other: &ParsedQuery) -> bool {
        self.namespace == other.namespace
    }

    /// Whether nothing searchable was typed.
    pub(super) fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether any word of the query stands for the stem `term` (as typed, completed or
    /// corrected).
    pub(super) fn asks(&self, term: &str) -> bool {
        self.words
            .iter()
            .any(|word| word.variants.iter().any(|variant| variant.stem == term))
    }

    /// Number of content words (the ones "matches all words" counts).
    pub(super) fn content_words(&self) -> usize {
        self.words.iter().filter(|word| word.is_content()).count()
    }

    /// The words scored on the fetched sections only, left out of [`ParsedQuery::to_query`]
    /// when a complete content word can rank the sections: the word being typed while it has
    /// fewer than [`DEFERRED_PREFIX_CHARS`] characters and, in the customer's own language, its
    /// variants' text postings total more than [`DEFERRED_POSTINGS`]. Its completions are then the
    /// language's most frequent words that begin with one to three letters, whose postings would
    /// be most of the query's work, for little of its ranking; in a small help center they cost
    /// little and rank better in the query. In a fallback language where the customer's words are
    /// `foreign`, which only fills in, the short word is always deferred: its completions alone
    /// would fetch sections that answer the letters, not the question.
    pub(super) fn deferred(
        &self,
        fields: &Fields,
        searcher: &Searcher,
        foreign: bool,
    ) -> tantivy::Result<Vec<usize>> {
        let ranked = self
            .words
            .iter()
            .any(|word| !word.prefix && !word.token.stop_word);
        let mut deferred = Vec::new();
        for (position, word) in self.words.iter().enumerate() {
            let short = ranked && word.prefix && word.token.word.chars().count() < DEFERRED_PREFIX_CHARS;
            if short && (foreign || self.text_postings(fields, searcher, word)? > DEFERRED_POSTINGS) {
                deferred.push(position);
            }
        }
        Ok(deferred)
    }

    /// How many postings `word`'s variants have in the text field.
    fn text_postings(&self, fields: &Fields, searcher: &Searcher, word: &QueryWord) -> tantivy::Result<u64> {
        word.variants.iter().try_fold(0, |total, variant| {
            let term = Term::from_field_text(fields.content, &namespaced(self.namespace, &variant.stem));
            Ok(total + crate::index::doc_freq(searcher, &term)?)
        })
    }

    /// The tantivy query over sections: each word but those at the positions `skip` as the best
    /// of its variants, plus a phrase bonus; sections of `lang` only, and of `only`, when given.
    pub(super) fn to_query(
        &self,
        fields: &Fields,
        lang: Option<&LangTag>,
        skip: &[usize],
        only: Option<Arc<SectionSet>>,
    ) -> Box<dyn Query> {
        let terms = self
            .words
            .iter()
            .enumerate()
            .filter(|(position, _)| !skip.contains(position))
            .map(|(_, word)| self.word_terms(fields, word))
            .collect();
        let words = Box::new(WordsQuery::new(terms, self.phrase(fields), only));
        let Some(lang) = lang else {
            return words;
        };
        let language = TermQuery::new(
            Term::from_field_text(fields.lang, lang.as_str()),
            IndexRecordOption::Basic,
        );
        Box::new(BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(language), 0.0)),
            ),
            (Occur::Must, words),
        ]))
    }

    /// The terms that `word`'s variants are looked up as; the word being typed weighs its
    /// variants by one rarity ([`WordTerms::shared_rarity`]).
    pub(super) fn word_terms(&self, fields: &Fields, word: &QueryWord) -> WordTerms {
        WordTerms {
            variants: word
                .variants
                .iter()
                .map(|variant| self.variant_terms(fields, variant, word.token.stop_word))
                .collect(),
            shared_rarity: word.prefix,
        }
    }

    /// The terms that one variant of a word is looked up as, one per weighted field, each with
    /// its boost; a section's score for the variant is the sum of their scores.
    pub(super) fn variant_terms(&self, fields: &Fields, variant: &Variant, stop_word: bool) -> VariantTerms {
        let kind_weight = match variant.kind {
            MatchKind::Exact | MatchKind::Part => 1.0,
            MatchKind::Prefix => PREFIX_WEIGHT,
            MatchKind::Fuzzy => FUZZY_WEIGHT,
            MatchKind::Related => RELATED_WEIGHT,
            MatchKind::Translation => TRANSLATION_WEIGHT,
        };
        // Completions and corrections are looked up in the text, the title and the writer's
        // tags and questions only: they are many, and the other fields add little to a guessed
        // word, while a word that only a tag holds ("Rückerstattung") has no other field.
        let exact = matches!(variant.kind, MatchKind::Exact | MatchKind::Part);
        WEIGHTED_FIELDS
            .iter()
            .zip(self.filled)
            .filter(|(_, filled)| *filled)
            .map(|(weight, _)| weight)
            .filter(|weight| self.stems || weight.form == Form::Stem)
            .filter(|weight| exact || matches!(weight.name, "content" | "title" | "tags" | "queries"))
            .filter_map(|weight| {
                let field = fields.by_name(weight.name)?;
                let text = match weight.form {
                    Form::Stem => &variant.stem,
                    Form::Word => &variant.word,
                };
                let term = Term::from_field_text(field, &namespaced(self.namespace, text));
                let boost = kind_weight
                    * if stop_word {
                        weight.stop_word_weight
                    } else {
                        weight.weight
                    };
                Some((term, boost))
            })
            .collect()
    }

    /// The words typed in full, in order, as a sloppy phrase over the content field; none when
    /// they are all stop words. "how do I", typed before the word that says what is asked,
    /// matched "How do I request a refund?" word for word in the sample help center and lifted
    /// it above the articles about the word typed next ("change"); on the eval sets no typed
    /// prefix moved by more than 0.0005 nDCG@10 (docs/quality.md).
    fn phrase(&self, fields: &Fields) -> Option<Box<dyn Query>> {
        let complete: Vec<&QueryWord> = self.words.iter().filter(|word| !word.prefix).collect();
        if complete.len() < 2 || complete.iter().all(|word| word.token.stop_word) {
            return None;
        }
        let first = complete[0].token.position;
        let mut terms: Vec<(usize, Term)> = Vec::with_capacity(complete.len());
        for word in complete {
            let offset = word.token.position.saturating_sub(first);
            // An ideograph and the bigram it begins share a position: the phrase takes the
            // bigram, which comes second.
            if terms.last().is_some_and(|(last, _)| *last == offset) {
                terms.pop();
            }
            let text = namespaced(self.namespace, &word.token.term);
            terms.push((offset, Term::from_field_text(fields.content, &text)));
        }
        if terms.len() < 2 || terms.windows(2).any(|pair| pair[0].0 >= pair[1].0) {
            return None;
        }
        let phrase = PhraseQuery::new_with_offset_and_slop(terms, 1);
        Some(Box::new(BoostQuery::new(Box::new(phrase), PHRASE_WEIGHT)))
    }
}

/// Whether `token` is two syllables indexed as one word (Vietnamese): the only tokens that hold a
/// space, since segmentation splits every other word at whitespace.
fn is_syllable_pair(token: &AnalyzedToken) -> bool {
    token.word.contains(' ')
}

/// Joins the separable verbs of `tokens` ([`Analyzer::join_separable_verbs`]) whose joined stem
/// the text of the language of `namespace` in `index` uses; returns the positions of the verbs
/// joined.
pub(super) fn join_separable_verbs(
    index: &OpenIndex,
    analyzer: &Analyzer,
    namespace: &str,
    text: &str,
    tokens: &mut [AnalyzedToken],
    typing: bool,
) -> Vec<usize> {
    analyzer.join_separable_verbs(text, tokens, typing, |stem| {
        index
            .content_frequency(namespace, stem)
            .is_ok_and(|frequency| frequency > 0)
    })
}

/// `analyzer`'s tokens of the finished `text`, separable verbs joined ([`join_separable_verbs`]).
pub(super) fn analyze_joined(
    index: &OpenIndex,
    analyzer: &Analyzer,
    namespace: &str,
    text: &str,
) -> Vec<AnalyzedToken> {
    let mut tokens = analyzer.analyze(text);
    join_separable_verbs(index, analyzer, namespace, text, &mut tokens, false);
    tokens
}

fn variant(analyzer: &Analyzer, word: String, kind: MatchKind) -> Variant {
    let stem = analyzer
        .analyze(&word)
        .into_iter()
        .next()
        .map_or_else(|| word.clone(), |token| token.term);
    Variant { word, stem, kind }
}

/// The stems in the customer's language (`customer`, whose words `vocabulary` holds) that the
/// query word `typed` stands for: its own ("données" is `don` in French, `donne` to English's
/// stemmer), and when it is the word being typed (`prefix`), those of the words it completes to
/// there ("supprimer mon co" for "compte"). Empty when `typed` analyses to nothing.
fn customer_stems(
    customer: &Analyzer,
    vocabulary: &Vocabulary<'_>,
    typed: &str,
    prefix: bool,
) -> tantivy::Result<Vec<String>> {
    let own = customer.analyze(typed);
    let Some(first) = own.first() else {
        return Ok(Vec::new());
    };
    let mut stems = vec![first.term.clone()];
    if prefix {
        for completion in vocabulary.completions(&first.word)? {
            stems.extend(
                customer
                    .analyze(&completion)
                    .into_iter()
                    .next()
                    .map(|own| own.term),
            );
        }
    }
    Ok(stems)
}

/// The `words` field's terms of one language, across all segments.
pub(super) struct Vocabulary<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    short_prefixes: &'a ShortPrefixes,
    namespace: &'static str,
}

impl<'a> Vocabulary<'a> {
    /// The vocabulary of the language of `namespace` in `index`, read with `searcher`.
    pub(super) fn of(
        index: &'a OpenIndex,
        searcher: &'a Searcher,
        namespace: &'static str,
    ) -> Vocabulary<'a> {
        Vocabulary {
            searcher,
            fields: &index.fields,
            short_prefixes: &index.short_prefixes,
            namespace,
        }
    }

    /// The most frequent words that start with `prefix` (the prefix itself excluded): from
    /// the table computed at open for a short prefix, else from a scan of the vocabulary.
    pub(super) fn completions(&self, prefix: &str) -> tantivy::Result<Vec<String>> {
        if prefix.chars().count() < SHORT_PREFIX_CHARS {
            return Ok(self
                .short_prefixes
                .completions(self.namespace, prefix, SHORT_PREFIX_COMPLETIONS));
        }
        let mut frequencies = self.beginning_with(prefix)?;
        frequencies.remove(prefix);
        Ok(most_frequent(frequencies, MAX_PREFIX_EXPANSIONS))
    }

    /// The most frequent words that begin with `beginning`, itself included.
    fn related(&self, beginning: &str) -> tantivy::Result<Vec<String>> {
        Ok(most_frequent(self.beginning_with(beginning)?, MAX_RELATED_FORMS))
    }

    /// The words that begin with `beginning` (the first [`MAX_TERMS_SCANNED`] of each segment)
    /// and the sections that hold each.
    fn beginning_with(&self, beginning: &str) -> tantivy::Result<HashMap<String, u32>> {
        let start = namespaced(self.namespace, beginning);
        let mut end = start.clone().into_bytes();
        end.push(0xFF);
        let mut frequencies: HashMap<String, u32> = HashMap::new();
        for reader in self.searcher.segment_readers() {
            let inverted = reader.inverted_index(self.fields.words)?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(start.as_bytes())
                .lt(&end)
                .into_stream()?;
            let mut scanned = 0;
            while stream.advance() && scanned < MAX_TERMS_SCANNED {
                scanned += 1;
                self.count(stream.key(), stream.value().doc_freq, &mut frequencies);
            }
        }
        Ok(frequencies)
    }

    /// The last part of a compound word (`schutzmaske` → `maske`) when both parts are words of
    /// the language's vocabulary (a linking `s`, `es`, `n` or `en` allowed after the first part):
    /// the head of a Germanic compound carries its meaning, and texts often use it alone.
    fn compound_head(&self, word: &str) -> tantivy::Result<Option<String>> {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() < MIN_COMPOUND_CHARS {
            return Ok(None);
        }
        for &(split, _) in &chars[MIN_PART_CHARS..=chars.len() - MIN_PART_CHARS] {
            let (modifier, head) = word.split_at(split);
            if self.contains(head)? && self.is_modifier(modifier)? {
                return Ok(Some(head.to_string()));
            }
        }
        Ok(None)
    }

    /// The head of a compound being typed, completed (`pneumokokkenimpfun` → `impfung`, …),
    /// where the compound itself completes to nothing: a text may write it as two words or with
    /// a hyphen ("Pneumokokken-Impfung"). The first split whose modifier is a word of the
    /// vocabulary ([`Vocabulary::is_modifier`]) and whose typed head is a word or completes.
    fn typed_compound_heads(&self, word: &str) -> tantivy::Result<Vec<String>> {
        let chars: Vec<(usize, char)> = word.char_indices().collect();
        if chars.len() < MIN_COMPOUND_CHARS {
            return Ok(Vec::new());
        }
        for &(split, _) in &chars[MIN_PART_CHARS..=chars.len() - MIN_PART_CHARS] {
            let (modifier, head) = word.split_at(split);
            if !self.is_modifier(modifier)? {
                continue;
            }
            let mut heads = self.completions(head)?;
            if self.contains(head)? {
                heads.insert(0, head.to_string());
            }
            if !heads.is_empty() {
                return Ok(heads);
            }
        }
        Ok(Vec::new())
    }

    /// Whether `modifier` is the first part of a compound: a word of the vocabulary of
    /// [`MIN_PART_CHARS`] or more, followed by a linking `s`, `es`, `n` or `en` or none.
    fn is_modifier(&self, modifier: &str) -> tantivy::Result<bool> {
        for link in ["", "s", "es", "n", "en"] {
            if let Some(stem) = modifier.strip_suffix(link) {
                if stem.chars().count() >= MIN_PART_CHARS && self.contains(stem)? {
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }

    /// Whether the language's vocabulary has `word`.
    pub(super) fn contains(&self, word: &str) -> tantivy::Result<bool> {
        let term = Term::from_field_text(self.fields.words, &namespaced(self.namespace, word));
        Ok(crate::index::doc_freq(self.searcher, &term)? > 0)
    }

    /// The most frequent words within `budget` edits of `word` (or of a prefix of it when
    /// `prefix`), the word itself excluded.
    fn corrections(&self, word: &str, budget: u8, prefix: bool) -> tantivy::Result<Vec<String>> {
        let term = Term::from_field_text(self.fields.words, &namespaced(self.namespace, word));
        let fuzzy = if prefix {
            FuzzyTermQuery::new_prefix(term, budget, true)
        } else {
            FuzzyTermQuery::new(term, budget, true)
        };
        let mut frequencies: HashMap<String, u32> = HashMap::new();
        for reader in self.searcher.segment_readers() {
            let inverted = reader.inverted_index(self.fields.words)?;
            let mut stream = inverted.terms().search(fuzzy.automaton()?).into_stream()?;
            let mut scanned = 0;
            while stream.advance() && scanned < MAX_TERMS_SCANNED {
                scanned += 1;
                self.count(stream.key(), stream.value().doc_freq, &mut frequencies);
            }
        }
        frequencies.remove(word);
        Ok(most_frequent(frequencies, MAX_FUZZY_EXPANSIONS))
    }

    fn count(&self, key: &[u8], doc_freq: u32, frequencies: &mut HashMap<String, u32>) {
        let Ok(text) = std::str::from_utf8(key) else {
            return;
        };
        let Some(word) = text
            .strip_prefix(self.namespace)
            .and_then(|rest| rest.strip_prefix(':'))
        else {
            return;
        };
        *frequencies.entry(word.to_string()).or_default() += doc_freq;
    }
}

fn most_frequent(frequencies: HashMap<String, u32>, keep: usize) -> Vec<String> {
    let mut words: Vec<(String, u32)> = frequencies.into_iter().collect();
    words.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    words.into_iter().take(keep).map(|(word, _)| word).collect()
}

#[cfg(test)]
mod tests {
    use super::typo_budget;

    #[test]
    fn typo_budget_grows_with_word_length() {
        assert_eq!([4, 5, 8, 9, 20].map(typo_budget), [0, 1, 1, 2, 2]);
    }
}

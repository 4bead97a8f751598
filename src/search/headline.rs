//! The headline bonus: a help article's title (with the heading of the section linked) is the
//! question it answers, so among the best results, the one whose headline the query asks most of
//! moves up. "symptoms" finds both "What are the symptoms of COVID-19?" and "Are symptoms of
//! COVID-19 different in children?" in their text; the query asks all of the first headline's
//! words that tell (`symptoms`, `covid`, question words at their low weight) and little of the
//! second (`different`, `children`). It moves up further by how much of the query its headline
//! holds: for "how coronavirus spread", "How does COVID-19 spread?" holds `how` and `spread`,
//! "What is a coronavirus?" only `coronavirus`. The questions a writer says an article answers
//! (front-matter `queries`) are its headlines too.

use std::sync::Arc;

use super::query::{analyze_joined, ParsedQuery, QueryWord};
use super::{Candidate, Mode};
use crate::analysis::{Analyzer, LangTag};
use crate::index::{HeadlineTerm, OpenIndex, WEIGHTED_FIELDS};

/// [`OpenIndex::headline_terms`]'s kind of a title or heading, analysed as it stands.
const PLAIN: u8 = 0;
/// Its kind of a writer's question or tag, separable verbs joined as in queries.
const JOINED: u8 = 1;

/// How much a headline the query asks all of multiplies the score by, above 1.
pub(super) const HEADLINE_WEIGHT: f32 = 1.0;
/// How much a headline that holds all of the query multiplies the score by, above 1 (a factor
/// of its own beside the one of [`HEADLINE_WEIGHT`], so that between headlines that hold the
/// query alike, the one it asks more of still wins). Tuned on the covid sets (docs/quality.md).
pub(super) const QUERY_COVERAGE_WEIGHT: f32 = 2.0;
/// How many times both weights count while the customer types ([`Mode::Suggest`]). A typed
/// prefix is a question cut short: its few words, one of them half typed, match the text of
/// many sections alike, and the headline it begins to ask tells them apart better. Doubled, with
/// twice the page reordered: covid-jhu's typed prefixes 0.676 → 0.690 nDCG@10, on both halves of
/// its dev queries alike; covid-deepset −0.001; xquad, jsquad and poquad ±0.000. Full queries
/// keep the single weights: doubled there, covid-deepset lost 0.014 (docs/quality.md).
const TYPING_EMPHASIS: f32 = 2.0;

/// How a result's headline and the query overlap, both ways, words weighted by rarity.
#[derive(Debug, Clone, Copy)]
pub(super) struct HeadlineMatch {
    /// The share of the headline that the query asks.
    pub share: f32,
    /// The share of the query that the headline holds.
    pub coverage: f32,
    /// Which of the result's headlines it is.
    pub source: HeadlineSource,
}

/// Where a headline comes from.
#[derive(Debug, Clone, Copy)]
pub(super) enum HeadlineSource {
    /// The article's title with the heading of the section linked.
    Title,
    /// One of the questions the writer says the article answers (front-matter `queries`).
    WritersQuestion,
    /// One of the writer's tags (front-matter `tags`).
    Tag,
}

impl HeadlineSource {
    /// How `kb explain` names it.
    pub(super) fn describe(self) -> &'static str {
        match self {
            HeadlineSource::Title => "title and section heading",
            HeadlineSource::WritersQuestion => "one of the writer's questions",
            HeadlineSource::Tag => "one of the writer's tags",
        }
    }
}

impl HeadlineMatch {
    /// What the result's score is multiplied by, for a query of `mode`.
    pub(super) fn factor(&self, mode: Mode) -> f32 {
        let emphasis = match mode {
            Mode::Search => 1.0,
            Mode::Suggest => TYPING_EMPHASIS,
        };
        (1.0 + emphasis * HEADLINE_WEIGHT * self.share)
            * (1.0 + emphasis * QUERY_COVERAGE_WEIGHT * self.coverage)
    }
}

/// The results, best first, that the bonus reorders for a page of `wanted` in `mode`: for full
/// queries a fifth more than the page shows, so that an answer just below the page whose
/// headline the query asks can reach it (a page of ten reorders twelve; one result, as `kb gaps`
/// asks, only itself); while typing twice the page ([`TYPING_EMPHASIS`]). Each one costs a few
/// µs (its headline analysed, its words' frequencies looked up, most of them remembered from
/// earlier requests: [`OpenIndex::content_frequency`]). For full queries, twelve for ten gained
/// 0.005 nDCG@10 on covid-jhu; fifteen or twenty gained more there and lost more on
/// covid-deepset (docs/quality.md).
fn reranked(wanted: usize, mode: Mode) -> usize {
    match mode {
        Mode::Search => wanted + wanted / 5,
        Mode::Suggest => 2 * wanted,
    }
}

/// How rare words are in the help center's text (the `content` field): the weights of
/// headline words here and of e-mail words (`reply`).
pub(super) struct Rarity<'a> {
    index: &'a OpenIndex,
}

impl<'a> Rarity<'a> {
    /// Frequencies read from `index` ([`OpenIndex::content_frequency`]).
    pub(super) fn new(index: &'a OpenIndex) -> Self {
        Rarity { index }
    }

    /// Sections of the language of `namespace` whose text holds `term`.
    pub(super) fn frequency(&self, namespace: &str, term: &str) -> tantivy::Result<u32> {
        self.index.content_frequency(namespace, term)
    }

    /// The inverse document frequency (BM25's) of a word that `frequency` sections of the
    /// language of `namespace` hold.
    pub(super) fn idf(&self, namespace: &str, frequency: u32) -> f32 {
        let documents = self
            .index
            .catalog
            .statistics
            .get(namespace)
            .map_or(0, |statistics| statistics.documents) as f32;
        // At most the documents: the deleted ones of an in-place update still count in a term's
        // frequency until segments merge.
        let frequency = (frequency as f32).min(documents);
        (1.0 + (documents - frequency + 0.5) / (frequency + 0.5)).ln()
    }

    /// The share of the distinct `terms` (analysed in the language of `namespace`), each
    /// weighted by its inverse document frequency, that `asked` says the reader asks; `None`
    /// when they weigh nothing.
    pub(super) fn share<'t>(
        &self,
        namespace: &str,
        terms: impl IntoIterator<Item = &'t str>,
        asked: impl Fn(&str) -> bool,
    ) -> tantivy::Result<Option<f32>> {
        let weighed = terms
            .into_iter()
            .map(|term| Ok((term, self.frequency(namespace, term)?)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(self.share_of(namespace, weighed, asked))
    }

    /// [`Rarity::share`] of `terms` whose frequencies are known.
    fn share_of<'t>(
        &self,
        namespace: &str,
        terms: impl IntoIterator<Item = (&'t str, u32)>,
        asked: impl Fn(&str) -> bool,
    ) -> Option<f32> {
        let mut seen: Vec<&str> = Vec::new();
        let (mut found, mut total) = (0.0, 0.0);
        for (term, frequency) in terms {
            if seen.contains(&term) {
                continue;
            }
            let weight = self.idf(namespace, frequency);
            total += weight;
            if asked(term) {
                found += weight;
            }
            seen.push(term);
        }
        (total > 0.0).then(|| found / total)
    }

    /// The share of the distinct words of the query, each weighted by its inverse document
    /// frequency, that `terms` hold (any variant of the word: stem, completion, correction; a
    /// word found counts at the weight of the variant found). 0 for a query that weighs nothing.
    fn coverage(&self, asked: &AskedWords, terms: &[&str]) -> f32 {
        let (mut found, mut total) = (0.0, 0.0);
        for (word, frequencies) in asked.parsed.words.iter().zip(&asked.frequencies) {
            let held = word
                .variants
                .iter()
                .position(|variant| terms.contains(&variant.stem.as_str()));
            let frequency = match held {
                Some(variant) => frequencies.get(variant).copied().unwrap_or_default(),
                None => known(frequencies),
            };
            // A word no section holds cannot tell one headline from another.
            if frequency == 0 {
                continue;
            }
            let weight = self.idf(asked.namespace, frequency);
            total += weight;
            if held.is_some() {
                found += weight;
            }
        }
        if total > 0.0 {
            found / total
        } else {
            0.0
        }
    }

    /// Whether `terms` hold every word of the query but its stop words and the words no section
    /// holds: a writer's question is the question asked only when it names all that is asked.
    fn holds_every_telling_word(&self, asked: &AskedWords, terms: &[&str]) -> bool {
        asked
            .parsed
            .words
            .iter()
            .zip(&asked.frequencies)
            .filter(|(word, _)| !word.token.stop_word)
            .all(|(word, frequencies)| is_held(word, terms) || known(frequencies) == 0)
    }

    /// The frequencies of every variant of every word of `parsed` in the text of the language
    /// of `namespace`, looked up once for all the headlines the query is compared with.
    pub(super) fn asked<'q>(
        &self,
        namespace: &'static str,
        parsed: &'q ParsedQuery,
    ) -> tantivy::Result<AskedWords<'q>> {
        let frequencies = parsed
            .words
            .iter()
            .map(|word| {
                word.variants
                    .iter()
                    .map(|variant| self.frequency(namespace, &variant.stem))
                    .collect()
            })
            .collect::<tantivy::Result<_>>()?;
        Ok(AskedWords {
            parsed,
            namespace,
            frequencies,
        })
    }

    /// The frequency of the first of `word`'s variants (exact form, then completions and
    /// corrections, most frequent first) that some section holds; 0 when none does.
    pub(super) fn known_frequency(&self, namespace: &str, word: &QueryWord) -> tantivy::Result<u32> {
        for variant in &word.variants {
            let frequency = self.frequency(namespace, &variant.stem)?;
            if frequency > 0 {
                return Ok(frequency);
            }
        }
        Ok(0)
    }

    /// How the headline of article `article` (its position in the catalog) that `parsed` asks
    /// most of overlaps with it, every word weighted by rarity: its title with the heading of
    /// section `section`, or one of the questions its writer says it answers (front-matter
    /// `queries`) or of its tags, which are headlines too: a writer who sees "how do I cancel"
    /// find another article's "How do I request a refund?" adds the question to the right
    /// article, and one who tags "Erstattungen" with "doppelt abgebucht" has it lifted for
    /// "doppelt abge…". A question or tag counts only when it holds every word of the query but
    /// its stop words. `None` for a title that only repeats the body's first sentence, which is
    /// no headline, when the writer gave no questions or tags either, and for an article the
    /// catalog lacks.
    pub(super) fn headline_match(
        &self,
        asked: &AskedWords,
        article: usize,
        section: usize,
        mode: Mode,
    ) -> tantivy::Result<Option<HeadlineMatch>> {
        let Some(entry) = self.index.catalog.articles.get(article) else {
            return Ok(None);
        };
        let analyzer = self.index.catalog.analysis.analyzer(&entry.lang);
        let namespace = analyzer.namespace(&entry.lang);
        let asked_here;
        let asked = if asked.namespace == namespace {
            asked
        } else {
            asked_here = self.asked(namespace, asked.parsed)?;
            &asked_here
        };
        let plain = |text: &str| plain_terms(self.index, analyzer, namespace, text);
        let title_tokens = WEIGHTED_FIELDS
            .iter()
            .position(|weight| weight.name == "title")
            .and_then(|position| entry.tokens.get(position))
            .copied()
            .unwrap_or_default();
        let mut best = None;
        if title_tokens > 0 {
            let heading = entry
                .sections
                .get(section)
                .and_then(|section| section.heading)
                .unwrap_or_default();
            let (title, heading) = (plain(&entry.title)?, plain(heading)?);
            let terms: Vec<&HeadlineTerm> = title.iter().chain(heading.iter()).collect();
            best = self.overlap(asked, &terms, &plain_texts(&terms), HeadlineSource::Title);
        }
        let questions = entry
            .questions
            .iter()
            .map(|question| (question, HeadlineSource::WritersQuestion));
        let tags = entry.tags.iter().map(|tag| (tag, HeadlineSource::Tag));
        for (text, source) in questions.chain(tags) {
            let joined = self.index.headline_terms(namespace, JOINED, text, |text| {
                analyze_joined(self.index, analyzer, namespace, text)
                    .into_iter()
                    .map(|token| token.term)
                    .collect()
            })?;
            let terms: Vec<&HeadlineTerm> = joined.iter().collect();
            let texts = plain_texts(&terms);
            if !self.holds_every_telling_word(asked, &texts) {
                continue;
            }
            if let Some(candidate) = self.overlap(asked, &terms, &texts, source) {
                if best.is_none_or(|best| candidate.factor(mode) > best.factor(mode)) {
                    best = Some(candidate);
                }
            }
        }
        Ok(best)
    }

    /// How the headline `terms` (analysed in the query's language; `texts`, their texts) and the
    /// query overlap; `None` when the headline's words weigh nothing.
    fn overlap(
        &self,
        asked: &AskedWords,
        terms: &[&HeadlineTerm],
        texts: &[&str],
        source: HeadlineSource,
    ) -> Option<HeadlineMatch> {
        let weighed = terms.iter().map(|term| (&*term.term, term.frequency));
        let share = self.share_of(asked.namespace, weighed, |term| asked.parsed.asks(term))?;
        Some(HeadlineMatch {
            share,
            coverage: self.coverage(asked, texts),
            source,
        })
    }
}

/// The texts of headline `terms`.
fn plain_texts<'t>(terms: &[&'t HeadlineTerm]) -> Vec<&'t str> {
    terms.iter().map(|term| &*term.term).collect()
}

/// A query with the frequencies of its words' variants in the text of its language
/// ([`Rarity::asked`]).
pub(super) struct AskedWords<'q> {
    parsed: &'q ParsedQuery,
    namespace: &'static str,
    /// Per word, per variant.
    frequencies: Vec<Vec<u32>>,
}

/// The frequency of the first variant of a word (exact form, then completions and corrections,
/// most frequent first) that some section holds, from its variants' `frequencies`; 0 when none
/// does (as [`Rarity::known_frequency`]).
fn known(frequencies: &[u32]) -> u32 {
    frequencies
        .iter()
        .copied()
        .find(|&frequency| frequency > 0)
        .unwrap_or(0)
}

/// Whether `text`, the title of an article in `lang`, holds every content word of `parsed`
/// (any variant of it): then every section, which carries the title, matches the whole
/// question, and the section that scored best is not what the question asks.
pub(super) fn holds_every_content_word(
    index: &OpenIndex,
    lang: &LangTag,
    parsed: &ParsedQuery,
    text: &str,
) -> tantivy::Result<bool> {
    let analyzer = index.catalog.analysis.analyzer(lang);
    let terms = plain_terms(index, analyzer, analyzer.namespace(lang), text)?;
    let terms: Vec<&str> = terms.iter().map(|term| &*term.term).collect();
    Ok(parsed
        .words
        .iter()
        .filter(|word| word.is_content())
        .all(|word| is_held(word, &terms)))
}

/// The distinct terms of the headline `text` (a title or section heading) analysed as it stands
/// by `analyzer` in the language of `namespace`, remembered per generation
/// ([`OpenIndex::headline_terms`]).
fn plain_terms(
    index: &OpenIndex,
    analyzer: &Analyzer,
    namespace: &'static str,
    text: &str,
) -> tantivy::Result<Arc<[HeadlineTerm]>> {
    index.headline_terms(namespace, PLAIN, text, |text| {
        analyzer
            .analyze(text)
            .into_iter()
            .map(|token| token.term)
            .collect()
    })
}

/// Whether the headline `terms` hold `word` in any of its variants.
fn is_held(word: &QueryWord, terms: &[&str]) -> bool {
    word.variants
        .iter()
        .any(|variant| terms.contains(&variant.stem.as_str()))
}

/// Whether a result found with `parsed` earns the headline bonus when the customer's language
/// parsed as `native` (`None`: it has no articles). Analysed in a fallback language of another
/// analyzer, the customer's words are foreign there: what they share with its headlines is
/// mostly chance (names, numbers, loanwords), not the question.
pub(super) fn earns_headline_bonus(native: Option<&ParsedQuery>, parsed: &ParsedQuery) -> bool {
    native.is_none_or(|native| native.same_language(parsed))
}

/// Multiplies the score of each of the first [`reranked`]`(wanted, mode)` of `ranked` (best
/// first) by its [`HeadlineMatch::factor`], then sorts `ranked` again. When the customer's language has
/// articles, results found in a fallback language of another analyzer keep their score.
pub(super) fn rerank(
    ranked: &mut [(usize, Candidate)],
    wanted: usize,
    mode: Mode,
    index: &OpenIndex,
    parsed_by_step: &[Option<ParsedQuery>],
) -> tantivy::Result<()> {
    let rarity = Rarity::new(index);
    let native = parsed_by_step.first().and_then(Option::as_ref);
    let mut asked_by_step: Vec<Option<AskedWords>> = parsed_by_step.iter().map(|_| None).collect();
    for (article, candidate) in ranked.iter_mut().take(reranked(wanted, mode)) {
        let (Some(Some(parsed)), Some(asked)) = (
            parsed_by_step.get(candidate.step),
            asked_by_step.get_mut(candidate.step),
        ) else {
            continue;
        };
        if !earns_headline_bonus(native, parsed) {
            continue;
        }
        let asked = match asked {
            Some(asked) => asked,
            None => asked.insert(rarity.asked(parsed.namespace(), parsed)?),
        };
        if let Some(headline) = rarity.headline_match(asked, *article, candidate.section, mode)? {
            candidate.score *= headline.factor(mode);
        }
    }
    super::sort_ranked(ranked);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{reranked, HeadlineMatch, HeadlineSource};
    use crate::search::Mode;

    #[test]
    fn typing_weighs_the_headline_more_and_reorders_deeper() {
        let partial = HeadlineMatch {
            share: 0.5,
            coverage: 0.5,
            source: HeadlineSource::Title,
        };
        assert_eq!(partial.factor(Mode::Search), 1.5 * 2.0);
        assert_eq!(partial.factor(Mode::Suggest), 2.0 * 3.0);
        // A headline the query shares nothing with leaves the score as it is in both modes.
        let none = HeadlineMatch {
            share: 0.0,
            coverage: 0.0,
            source: HeadlineSource::Title,
        };
        assert_eq!(none.factor(Mode::Search), 1.0);
        assert_eq!(none.factor(Mode::Suggest), 1.0);
        assert_eq!(reranked(10, Mode::Search), 12);
        assert_eq!(reranked(5, Mode::Suggest), 10);
        assert_eq!(reranked(1, Mode::Search), 1);
    }
}

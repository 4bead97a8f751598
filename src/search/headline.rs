//! The headline bonus: a help article's title (with the heading of the section linked) is the
//! question it answers, so among the best results, the one whose headline the query asks most of
//! moves up. "symptoms" finds both "What are the symptoms of COVID-19?" and "Are symptoms of
//! COVID-19 different in children?" in their text; the query asks all of the first headline's
//! words that tell (`symptoms`, `covid`, question words at their low weight) and little of the
//! second (`different`, `children`).

use std::collections::HashMap;

use tantivy::schema::Term;
use tantivy::Searcher;

use super::query::ParsedQuery;
use super::Candidate;
use crate::analysis::{namespaced, AnalyzedToken, Analyzer};
use crate::index::{CatalogEntry, OpenIndex, WEIGHTED_FIELDS};

/// How much a headline the query asks all of multiplies the score by, above 1.
pub(super) const HEADLINE_WEIGHT: f32 = 1.0;
/// The results, best first, that the bonus can reorder, per result wanted on the page. Each one
/// costs about 10 µs (its headline analysed, its words' frequencies looked up); reordering twice
/// the page gained 0.005 nDCG@10 on covid-jhu for twice the cost (docs/quality.md).
pub(super) const HEADLINE_RERANKED_PER_RESULT: usize = 1;

/// How rare words are in the help center's text (the `content` field), each looked up once per
/// request: the weights of headline words here and of e-mail words (`reply`).
pub(super) struct Rarity<'a> {
    index: &'a OpenIndex,
    searcher: &'a Searcher,
    frequencies: HashMap<String, u32>,
}

impl<'a> Rarity<'a> {
    /// Frequencies read from `index` through `searcher`.
    pub(super) fn new(index: &'a OpenIndex, searcher: &'a Searcher) -> Self {
        Rarity {
            index,
            searcher,
            frequencies: HashMap::new(),
        }
    }

    /// Sections of the language of `namespace` whose text holds `term`.
    pub(super) fn frequency(&mut self, namespace: &str, term: &str) -> tantivy::Result<u32> {
        let term = namespaced(namespace, term);
        if let Some(&frequency) = self.frequencies.get(&term) {
            return Ok(frequency);
        }
        let frequency =
            self.searcher
                .doc_freq(&Term::from_field_text(self.index.fields.content, &term))? as u32;
        self.frequencies.insert(term, frequency);
        Ok(frequency)
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
        let frequency = frequency as f32;
        (1.0 + (documents - frequency + 0.5) / (frequency + 0.5)).ln()
    }

    /// The share of the distinct words of `texts` that `keep` accepts, each weighted by its
    /// inverse document frequency, that `asked` (given the word's term) says the reader asks;
    /// `None` when they weigh nothing.
    pub(super) fn share<'t>(
        &mut self,
        analyzer: &Analyzer,
        namespace: &str,
        texts: impl IntoIterator<Item = &'t str>,
        keep: impl Fn(&AnalyzedToken) -> bool,
        asked: impl Fn(&str) -> bool,
    ) -> tantivy::Result<Option<f32>> {
        let mut seen: Vec<String> = Vec::new();
        let (mut found, mut total) = (0.0, 0.0);
        for token in texts.into_iter().flat_map(|text| analyzer.analyze(text)) {
            if !keep(&token) || seen.contains(&token.term) {
                continue;
            }
            let frequency = self.frequency(namespace, &token.term)?;
            let weight = self.idf(namespace, frequency);
            total += weight;
            if asked(&token.term) {
                found += weight;
            }
            seen.push(token.term);
        }
        Ok((total > 0.0).then(|| found / total))
    }

    /// The share of the headline of `entry` (its title and the heading of section `section`)
    /// that `parsed` asks (any variant of a query word: stem, completion, correction), every
    /// word weighted by rarity. `None` for a title that only repeats the body's first sentence,
    /// which is no headline.
    pub(super) fn headline_share(
        &mut self,
        parsed: &ParsedQuery,
        entry: &CatalogEntry,
        section: usize,
    ) -> tantivy::Result<Option<f32>> {
        let title_tokens = WEIGHTED_FIELDS
            .iter()
            .position(|weight| weight.name == "title")
            .and_then(|position| entry.tokens.get(position))
            .copied()
            .unwrap_or_default();
        if title_tokens == 0 {
            return Ok(None);
        }
        let analyzer = self.index.catalog.analysis.analyzer(&entry.lang);
        let heading = entry
            .sections
            .get(section)
            .and_then(|section| section.heading.as_deref())
            .unwrap_or_default();
        self.share(
            analyzer,
            analyzer.namespace(&entry.lang),
            [entry.title.as_str(), heading],
            |_| true,
            |term| parsed.asks(term),
        )
    }
}

/// Multiplies the score of each of the first [`HEADLINE_RERANKED_PER_RESULT`] × `wanted` of
/// `ranked` (best first) by 1 + [`HEADLINE_WEIGHT`] × its headline share, then sorts `ranked`
/// again.
pub(super) fn rerank(
    ranked: &mut [(usize, Candidate)],
    wanted: usize,
    index: &OpenIndex,
    searcher: &Searcher,
    parsed_by_step: &[Option<ParsedQuery>],
) -> tantivy::Result<()> {
    let mut rarity = Rarity::new(index, searcher);
    for (article, candidate) in ranked.iter_mut().take(HEADLINE_RERANKED_PER_RESULT * wanted) {
        let (Some(entry), Some(Some(parsed))) = (
            index.catalog.articles.get(*article),
            parsed_by_step.get(candidate.step),
        ) else {
            continue;
        };
        if let Some(share) = rarity.headline_share(parsed, entry, candidate.section)? {
            candidate.score *= 1.0 + HEADLINE_WEIGHT * share;
        }
    }
    super::sort_ranked(ranked);
    Ok(())
}

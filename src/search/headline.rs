//! The headline bonus: a help article's title (with the heading of the section linked) is the
//! question it answers, so among the best results, the one whose headline the query asks most of
//! moves up. "symptoms" finds both "What are the symptoms of COVID-19?" and "Are symptoms of
//! COVID-19 different in children?" in their text; the query asks all of the first headline's
//! words that tell (`symptoms`, `covid`, question words at their low weight) and little of the
//! second (`different`, `children`).

use std::collections::HashMap;
use std::sync::Arc;

use tantivy::schema::Term;
use tantivy::{InvertedIndexReader, Searcher};

use super::query::ParsedQuery;
use super::Candidate;
use crate::analysis::namespaced;
use crate::index::{CatalogEntry, OpenIndex, WEIGHTED_FIELDS};

/// How much a headline the query asks all of multiplies the score by, above 1.
pub(super) const HEADLINE_WEIGHT: f32 = 1.0;
/// The results, best first, that the bonus can reorder, per result wanted on the page. Each one
/// costs about 10 µs (its headline analysed, its words' frequencies looked up); reordering twice
/// the page gained 0.005 nDCG@10 on covid-jhu for twice the cost (docs/quality.md).
pub(super) const HEADLINE_RERANKED_PER_RESULT: usize = 1;

/// Inverse document frequencies of one request's headline words, looked up once each.
pub(super) struct HeadlineWeights<'a> {
    index: &'a OpenIndex,
    /// The `content` postings of every segment.
    contents: Vec<Arc<InvertedIndexReader>>,
    idf: HashMap<String, f32>,
}

impl<'a> HeadlineWeights<'a> {
    /// Weights read from `index` through `searcher`.
    pub(super) fn new(index: &'a OpenIndex, searcher: &Searcher) -> tantivy::Result<Self> {
        let contents = searcher
            .segment_readers()
            .iter()
            .map(|reader| reader.inverted_index(index.fields.content))
            .collect::<tantivy::Result<_>>()?;
        Ok(HeadlineWeights {
            index,
            contents,
            idf: HashMap::new(),
        })
    }

    /// Sections of the language whose text holds `term` (namespaced).
    fn frequency(&self, term: &str) -> tantivy::Result<u32> {
        let term = Term::from_field_text(self.index.fields.content, term);
        let mut frequency = 0;
        for content in &self.contents {
            frequency += content.doc_freq(&term)?;
        }
        Ok(frequency)
    }

    /// The share of the headline of `entry` (its title and the heading of section `section`),
    /// each distinct word weighted by its inverse document frequency in the article's language,
    /// that `parsed` asks (any variant of a query word: stem, completion, correction). `None`
    /// for a title that only repeats the body's first sentence, which is no headline.
    pub(super) fn share(
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
        let catalog = &self.index.catalog;
        let analyzer = catalog.analysis.analyzer(&entry.lang);
        let namespace = analyzer.namespace(&entry.lang);
        let documents = catalog
            .statistics
            .get(namespace)
            .map_or(0, |statistics| statistics.documents) as f32;
        let heading = entry
            .sections
            .get(section)
            .and_then(|section| section.heading.as_deref())
            .unwrap_or_default();
        let mut seen: Vec<String> = Vec::new();
        let (mut asked, mut total) = (0.0, 0.0);
        for token in [entry.title.as_str(), heading]
            .into_iter()
            .flat_map(|text| analyzer.analyze(text))
        {
            if seen.contains(&token.term) {
                continue;
            }
            let term = namespaced(namespace, &token.term);
            let weight = match self.idf.get(&term) {
                Some(&weight) => weight,
                None => {
                    let frequency = self.frequency(&term)? as f32;
                    let weight = (1.0 + (documents - frequency + 0.5) / (frequency + 0.5)).ln();
                    self.idf.insert(term, weight);
                    weight
                }
            };
            total += weight;
            if parsed.asks(&token.term) {
                asked += weight;
            }
            seen.push(token.term);
        }
        Ok((total > 0.0).then(|| asked / total))
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
    let mut weights = HeadlineWeights::new(index, searcher)?;
    for (article, candidate) in ranked.iter_mut().take(HEADLINE_RERANKED_PER_RESULT * wanted) {
        let (Some(entry), Some(Some(parsed))) = (
            index.catalog.articles.get(*article),
            parsed_by_step.get(candidate.step),
        ) else {
            continue;
        };
        if let Some(share) = weights.share(parsed, entry, candidate.section)? {
            candidate.score *= 1.0 + HEADLINE_WEIGHT * share;
        }
    }
    super::sort_ranked(ranked);
    Ok(())
}

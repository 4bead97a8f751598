//! Queries → ranked articles: each query is analysed like the documents of the language it
//! searches, sections are scored with BM25 over weighted fields and grouped back into articles,
//! and languages without the article fall back along the chain `de-AT` → `de` → default.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::query::{
    Bm25StatisticsProvider, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption, Term};
use tantivy::DocAddress;

use crate::analysis::{namespaced, AnalyzedToken, Form, LangTag};
use crate::index::{Fields, LanguageStatistics, OpenIndex, WEIGHTED_FIELDS};

/// Scores of fallback-language results are multiplied by this, so that they rank below native
/// results of similar relevance.
pub const FALLBACK_WEIGHT: f32 = 0.8;

/// Section documents fetched per wanted article, so that grouping still fills the page.
const SECTIONS_PER_ARTICLE: usize = 8;

/// A full-text search.
#[derive(Debug, Clone)]
pub struct SearchRequest<'a> {
    /// What the customer typed.
    pub query: &'a str,
    /// The language to answer in.
    pub lang: LangTag,
    /// Results per page.
    pub limit: usize,
    /// Results to skip (page × limit).
    pub offset: usize,
    /// Whether articles missing in `lang` come from the fallback chain.
    pub fallback: bool,
}

/// One article in the results, linked to its best section.
#[derive(Debug, Clone, Serialize)]
pub struct SearchHit {
    /// Article id.
    pub id: String,
    /// Language of the version found (differs from the request on fallback).
    pub lang: LangTag,
    /// Article title.
    pub title: String,
    /// Heading of the best-matching section; `None` when the article as a whole matches best.
    pub section: Option<String>,
    /// Anchor of that section.
    pub anchor: Option<String>,
    /// Deep link: `/{requested lang}/articles/{id}#{anchor}`.
    pub url: String,
    /// Relevance score (fallback results already down-weighted).
    pub score: f32,
    /// Whether this is a default-language version shown because no translation exists.
    pub fallback: bool,
}

/// A page of results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// The language answered in.
    pub lang: LangTag,
    /// Matching articles (at least the ones found in the fetched sections).
    pub total: usize,
    /// The requested page.
    pub hits: Vec<SearchHit>,
}

/// A search that could not run.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// tantivy failed (I/O on the index, usually).
    #[error("search failed: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// Runs a full-text search (every query word is a whole word).
pub fn search(index: &OpenIndex, request: &SearchRequest<'_>) -> Result<SearchResults, SearchError> {
    let catalog = &index.catalog;
    let searcher = index.reader.searcher();
    let chain = if request.fallback {
        request.lang.fallback_chain(&catalog.default_lang)
    } else {
        vec![request.lang.clone()]
    };
    let fetch = (request.offset + request.limit) * SECTIONS_PER_ARTICLE + 50;

    let mut columns: HashMap<u32, (Column<u64>, Column<u64>)> = HashMap::new();
    let mut best: HashMap<usize, (f32, usize, bool)> = HashMap::new();
    for (step_index, step) in chain.iter().enumerate() {
        let analyzer = catalog.analysis.analyzer(step);
        let namespace = analyzer.namespace(step);
        let terms = query_terms(analyzer.analyze(request.query));
        let Some(statistics) = catalog.statistics.get(namespace).filter(|_| !terms.is_empty()) else {
            continue;
        };
        let query = build_query(&index.fields, step, namespace, &terms, analyzer.stems());
        let statistics = LanguageScoring {
            searcher: &searcher,
            fields: &index.fields,
            statistics,
        };
        let top = searcher.search_with_statistics_provider(
            &query,
            &TopDocs::with_limit(fetch).order_by_score(),
            &statistics,
        )?;
        let is_fallback = step_index > 0;
        for (score, address) in top {
            let (article, section) = locate(&searcher, &mut columns, address)?;
            let Some(entry) = catalog.articles.get(article) else {
                continue;
            };
            if is_fallback
                && chain[..step_index]
                    .iter()
                    .any(|earlier| catalog.get(earlier, &entry.id).is_some())
            {
                continue;
            }
            let score = if is_fallback {
                score * FALLBACK_WEIGHT
            } else {
                score
            };
            let slot = best.entry(article).or_insert((score, section, is_fallback));
            if score > slot.0 {
                *slot = (score, section, is_fallback);
            }
        }
    }

    let mut ranked: Vec<(usize, (f32, usize, bool))> = best.into_iter().collect();
    ranked.sort_by(|a, b| b.1 .0.total_cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    let total = ranked.len();
    let hits = ranked
        .into_iter()
        .skip(request.offset)
        .take(request.limit)
        .filter_map(|(article, (score, section, fallback))| {
            let entry = catalog.articles.get(article)?;
            let section = entry
                .sections
                .get(section)
                .filter(|section| section.anchor.is_some());
            let anchor = section.and_then(|section| section.anchor.clone());
            let url = match &anchor {
                Some(anchor) => format!("/{}/articles/{}#{anchor}", request.lang, entry.id),
                None => format!("/{}/articles/{}", request.lang, entry.id),
            };
            Some(SearchHit {
                id: entry.id.clone(),
                lang: entry.lang.clone(),
                title: entry.title.clone(),
                section: section.and_then(|section| section.heading.clone()),
                anchor,
                url,
                score,
                fallback,
            })
        })
        .collect();
    Ok(SearchResults {
        lang: request.lang.clone(),
        total,
        hits,
    })
}

/// The distinct words of an analysed query, in order.
fn query_terms(tokens: Vec<AnalyzedToken>) -> Vec<AnalyzedToken> {
    let mut terms: Vec<AnalyzedToken> = Vec::new();
    for token in tokens {
        match terms.iter_mut().find(|existing| existing.word == token.word) {
            Some(existing) => existing.stop_word &= token.stop_word,
            None => terms.push(token),
        }
    }
    terms
}

/// Sections in `lang` matching any term, each term scored over the weighted fields.
fn build_query(
    fields: &Fields,
    lang: &LangTag,
    namespace: &str,
    terms: &[AnalyzedToken],
    stems: bool,
) -> BooleanQuery {
    let per_term: Vec<(Occur, Box<dyn Query>)> = terms
        .iter()
        .map(|term| {
            let per_field: Vec<(Occur, Box<dyn Query>)> = WEIGHTED_FIELDS
                .iter()
                .filter(|weight| stems || weight.form == Form::Stem)
                .filter_map(|weight| {
                    let field = fields.by_name(weight.name)?;
                    let text = namespaced(namespace, term.form(weight.form));
                    let query =
                        TermQuery::new(Term::from_field_text(field, &text), IndexRecordOption::WithFreqs);
                    let boost = if term.stop_word {
                        weight.stop_word_weight
                    } else {
                        weight.weight
                    };
                    Some((
                        Occur::Should,
                        Box::new(BoostQuery::new(Box::new(query), boost)) as Box<dyn Query>,
                    ))
                })
                .collect();
            (
                Occur::Should,
                Box::new(BooleanQuery::new(per_field)) as Box<dyn Query>,
            )
        })
        .collect();
    let language = TermQuery::new(
        Term::from_field_text(fields.lang, lang.as_str()),
        IndexRecordOption::Basic,
    );
    BooleanQuery::new(vec![
        (
            Occur::Must,
            Box::new(ConstScoreQuery::new(Box::new(language), 0.0)),
        ),
        (Occur::Must, Box::new(BooleanQuery::new(per_term))),
    ])
}

/// BM25 statistics of one language: document and token counts from the catalog, document
/// frequencies from the (namespaced) terms themselves.
struct LanguageScoring<'a> {
    searcher: &'a tantivy::Searcher,
    fields: &'a Fields,
    statistics: &'a LanguageStatistics,
}

impl Bm25StatisticsProvider for LanguageScoring<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let name = WEIGHTED_FIELDS
            .iter()
            .map(|weight| weight.name)
            .find(|name| self.fields.by_name(name) == Some(field));
        Ok(name
            .and_then(|name| self.statistics.tokens.get(name))
            .copied()
            .unwrap_or_default())
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.statistics.documents)
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.searcher.doc_freq(term)
    }
}

/// The (article, section) positions of a document, from its fast fields.
fn locate(
    searcher: &tantivy::Searcher,
    columns: &mut HashMap<u32, (Column<u64>, Column<u64>)>,
    address: DocAddress,
) -> Result<(usize, usize), tantivy::TantivyError> {
    let (article, section) = match columns.entry(address.segment_ord) {
        std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
        std::collections::hash_map::Entry::Vacant(entry) => {
            let fast = searcher.segment_reader(address.segment_ord).fast_fields();
            entry.insert((fast.u64("article")?, fast.u64("section")?))
        }
    };
    let article = article.first(address.doc_id).unwrap_or(u64::MAX);
    let section = section.first(address.doc_id).unwrap_or_default();
    Ok((article as usize, section as usize))
}

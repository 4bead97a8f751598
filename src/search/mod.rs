//! Queries → ranked articles: the query is analysed like the documents of each language it
//! searches, sections are scored with BM25 over weighted fields (per-language statistics) and
//! grouped back into articles linked to their best section, and languages without the article
//! fall back along the chain `de-AT` → `de` → default. Words of another language of the help
//! center find the customer's version of what that language has ([`shown_versions`]).
//!
//! Two modes share this path: [`Mode::Search`] treats every word as complete; [`Mode::Suggest`]
//! (as-you-type) treats the last word as a prefix and ranks articles matching all words first.

mod boost;
mod explain;
mod headline;
mod highlight;
mod language;
mod query;
mod reply;
mod words;

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{Bm25StatisticsProvider, Bm25Weight, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Term, Value};
use tantivy::{DocAddress, DocId, SegmentReader, TantivyDocument};

use crate::analysis::{first_chars, LangTag};
use crate::index::{CatalogEntry, Fields, LanguageStatistics, OpenIndex, ARTICLE_FIELD};
use query::{ParsedQuery, Reading};
use words::{word_score, SegmentFields, TermCursor, WordTerms};

pub use boost::{Boosts, Signal, EXTRA_CANDIDATES, HALF_BOOST_EVIDENCE, MAX_BOOST, MIN_EVIDENCE};
pub use explain::{
    explain, ExplainRequest, ExplainedArticle, ExplainedTarget, ExplainedVariant, ExplainedWord, Explanation,
    ScorePart,
};
pub use language::query_language;
pub use reply::{
    answer_email, email_language, email_topic, reply_links, LinkFeatures, Reply, ReplyLink, ReplyLinkOut,
    ReplyRequest, MIN_REPLY_CONFIDENCE,
};

/// Fallback-language results are scaled onto the native results' scale and multiplied by this,
/// so that they rank below native results of similar relevance; and by how many times as much of
/// the question the best fallback result holds as the best native one, when that is at least
/// [`MIN_FALLBACK_LIFT`] times (a Spanish question that only an English article answers finds
/// Spanish articles that share a word or two with it, and the English one by its names, numbers
/// and cognates).
pub const FALLBACK_WEIGHT: f32 = 0.8;
/// How many times as much of the question (its words weighted by rarity) the best fallback
/// result must hold as the best native one to be lifted by that ratio. On xquad served with half
/// of each language's articles, the questions only English answers gain most with any lift (de
/// 0.399 → 0.561 nDCG@10), but on covid-deepset, whose German questions have German answers and
/// English articles of other agencies to fall back to, the German results lose 0.006; at twice,
/// 0.477 and 0.003 (docs/quality.md).
const MIN_FALLBACK_LIFT: f32 = 2.0;
/// [`MIN_FALLBACK_LIFT`] for the language the query's words tell when it follows the fallback
/// chain (German words on the English page). Its results are shown only through a translation,
/// and an answer only the customer's language has is found there by its names and numbers at
/// best: German questions on the English page of xquad served with half of the German articles,
/// nDCG@10 of those whose answer German has / English only: before 0.566 / 0.629, with a lift
/// from twice 0.980 / 0.453, three times 0.970 / 0.510, five 0.917 / 0.574, none 0.731 / 0.616
/// (docs/quality.md).
const MIN_ASKED_IN_LIFT: f32 = 3.0;
/// The least share of the question that the best native result is taken to hold, so that the
/// lift of a fallback stays finite (×20 at most).
const MIN_NATIVE_COVERAGE: f32 = 0.05;

/// While typing, articles that match only some of the words have their score multiplied by
/// this, so that articles matching all words rank above them at similar relevance. (A strict
/// all-words-first order cost 0.04 nDCG@10 on covid-jhu's typed prefixes; see docs/quality.md.)
pub const PARTIAL_MATCH_WEIGHT: f32 = 0.8;

/// Section documents fetched per wanted article, so that grouping still fills the page.
const SECTIONS_PER_ARTICLE: usize = 8;

/// Longest query looked at, in characters; the rest is cut, not refused.
pub const MAX_QUERY_CHARS: usize = 256;

/// Whether the query is finished or being typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A finished query: every word complete (results pages, `kb search`).
    Search,
    /// As-you-type: the last word is a prefix; articles matching all words come first.
    Suggest,
}

/// A search.
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
    /// Finished query or typing.
    pub mode: Mode,
    /// Whether the best results are reordered by how closely their headline and the query
    /// overlap (`headline` module): the question a customer types or writes is often an article's
    /// title. Off only to compare rankings.
    pub headline_bonus: bool,
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
    /// The title, HTML-escaped, matched words in `<mark>`.
    pub title_html: String,
    /// Heading of the best-matching section; `None` when the article as a whole matches best.
    pub section: Option<String>,
    /// Anchor of that section.
    pub anchor: Option<String>,
    /// Deep link: `/{requested lang}/articles/{id}#{anchor}`.
    pub url: String,
    /// Up to ~160 characters of the best section around its matches, escaped, marked.
    pub snippet_html: String,
    /// Relevance score (fallback results already down-weighted).
    pub score: f32,
    /// Whether this is a default-language version shown because no translation exists.
    pub fallback: bool,
    /// The language of the version whose text the query matched, when this is a translation
    /// of it (not serialized): a customer who typed words of a fallback language.
    #[serde(skip)]
    pub found_in: Option<LangTag>,
    /// Plain text of the best section (not serialized): what e-mail matching checks coverage on.
    #[serde(skip)]
    pub section_text: String,
    /// Position of the section that scored best (not serialized): the one whose heading the
    /// headline bonus read, which `section` differs from when the article is linked as a whole.
    #[serde(skip)]
    pub scored_section: usize,
}

/// A page of results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// The language answered in.
    pub lang: LangTag,
    /// Matching articles found (a lower bound when there are very many).
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

/// The best section found so far for one article.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    score: f32,
    section: usize,
    address: DocAddress,
    /// Index into the fallback chain of the language it was found in.
    step: usize,
    /// The chain step of the version whose text the query matched, when a translation of it is
    /// shown ([`shown_versions`]): `address` is still that of the section found there, to be
    /// replaced by the shown version's.
    found_in: Option<usize>,
}

/// Sorts (catalog position, candidate) pairs best first; equal scores by catalog position.
fn sort_ranked(ranked: &mut [(usize, Candidate)]) {
    ranked
        .sort_by(|(a_article, a), (b_article, b)| b.score.total_cmp(&a.score).then(a_article.cmp(b_article)));
}

/// Runs a search or a suggestion.
pub fn search(index: &OpenIndex, request: &SearchRequest<'_>) -> Result<SearchResults, SearchError> {
    let catalog = &index.catalog;
    let searcher = index.reader.searcher();
    let query_text = first_chars(request.query, MAX_QUERY_CHARS);
    let mut chain = if request.fallback {
        request.lang.fallback_chain(&catalog.default_lang)
    } else {
        vec![request.lang.clone()]
    };
    // The steps whose articles the customer can be shown: the chain, before the query's own
    // language that may follow it.
    let shown_steps = chain.len();
    let wanted = request.offset + request.limit;
    let fetch = wanted * SECTIONS_PER_ARTICLE + 50;

    let mut columns: HashMap<u32, (Column<u64>, Column<u64>)> = HashMap::new();
    let mut candidates: HashMap<usize, Candidate> = HashMap::new();
    let mut parsed_by_step: Vec<Option<ParsedQuery>> = Vec::new();
    let mut native = NativeResults::default();
    // Whether a step searched all of its language's articles.
    let mut opened = false;
    for step in 0.. {
        if step == chain.len() {
            // After the chain, the language the query's words tell, when the customer may be
            // asking in it: "Rechnung" on the English page finds the English version of the
            // German article about invoices.
            let asked_in = if request.fallback
                && step == shown_steps
                && native.ask_in_other_words(index, &searcher, &candidates, &parsed_by_step)?
            {
                query_language(index, query_text)
                    .map(LangTag::of)
                    .filter(|tag| !chain.contains(tag) && catalog.tags().contains(tag))
            } else {
                None
            };
            let Some(asked_in) = asked_in else {
                break;
            };
            chain.push(asked_in);
        }
        let lang = &chain[step];
        let analyzer = catalog.analysis.analyzer(lang);
        let namespace = analyzer.namespace(lang);
        let Some(statistics) = catalog
            .statistics
            .get(namespace)
            .filter(|_| catalog.tags().contains(lang))
        else {
            parsed_by_step.push(None);
            continue;
        };
        // The query's own language reads its words as its own.
        let reading = if step < shown_steps {
            Reading::of(catalog.analysis, &chain, step)
        } else {
            Reading::Own
        };
        let parsed = ParsedQuery::parse(
            query_text,
            analyzer,
            namespace,
            request.mode,
            reading,
            &searcher,
            index,
        )?;
        if parsed.is_empty() {
            parsed_by_step.push(None);
            continue;
        }
        let scoring = LanguageScoring {
            index,
            searcher: &searcher,
            statistics,
        };
        // The terms are namespaced by analyzer: only tags sharing `lang`'s namespace (pt-BR next
        // to pt) need a filter.
        let shared = catalog.namespace_is_shared(namespace);
        // A fallback language offers only the articles that no earlier language has: its search
        // scores only their sections. Unless the customer's language lacks a word of the query
        // and its best result holds half of the question or less (no result: none of it): the
        // customer may be asking in words of the fallback language ("refund" on a French page),
        // so it searches all of its articles, and those that an earlier language has are shown
        // in that version ([`shown_versions`]).
        let offered = match step {
            0 => None,
            _ if native.ask_in_other_words(index, &searcher, &candidates, &parsed_by_step)? => {
                opened = true;
                None
            }
            _ => Some(index.untranslated_sections(lang, &chain[..step])?),
        };
        let fetch_top = |skip: &[usize]| {
            let query = parsed.to_query(&index.fields, shared.then_some(lang), skip, offered.clone());
            let top = TopDocs::with_limit(fetch).order_by_score();
            searcher.search_with_statistics_provider(query.as_ref(), &top, &scoring)
        };
        let mut deferred = parsed.deferred(&index.fields, &searcher, !reading.is_own())?;
        let mut top = fetch_top(&deferred)?;
        if reading.is_own() && top.len() < wanted && !deferred.is_empty() {
            // Too few sections match the other words to fill the page: the deferred ones may add
            // some. Not in a fallback language where the customer's words are foreign, which only
            // fills in: the commonest completions of a short prefix alone would fetch its most
            // common words' sections, at the cost of their long postings.
            deferred.clear();
            top = fetch_top(&deferred)?;
        }
        let top = Rescoring {
            searcher: &searcher,
            scoring: &scoring,
            fields: &index.fields,
            parsed: &parsed,
            deferred: &deferred,
            all_words: request.mode == Mode::Suggest && parsed.content_words() > 1,
        }
        .rescore(top)?;
        for (score, address) in top {
            let (article, section) = locate(&searcher, &mut columns, address)?;
            let candidate = Candidate {
                score,
                section,
                address,
                step,
                found_in: None,
            };
            let slot = candidates.entry(article).or_insert(candidate);
            if candidate.score > slot.score {
                *slot = candidate;
            }
        }
        parsed_by_step.push(Some(parsed));
    }

    // Each language's scores come from its own statistics, so they are not comparable: fallback
    // scores are mapped onto the native scale (best fallback = best native) before the fallback
    // weight applies, lifted by how much more of the question the best fallback result holds
    // than the best native one.
    let bests: Vec<Option<(usize, Candidate)>> = (0..chain.len())
        .map(|step| best_of_step(&candidates, step))
        .collect();
    let best_score = |step: usize| bests[step].map(|(_, best)| best.score).filter(|&best| best > 0.0);
    let best_coverage = |step: usize| -> Result<f32, SearchError> {
        step_coverage(index, &searcher, bests[step], &parsed_by_step, step)
    };
    // The fallback steps lifted: their best result holds at least MIN_FALLBACK_LIFT times as much
    // of the question as the best native one.
    let mut lifted = vec![false; chain.len()];
    let native_best = best_score(0);
    if let Some(native_best) = native_best {
        let mut scales = vec![1.0; chain.len()];
        for (step, scale) in scales.iter_mut().enumerate().skip(1) {
            let Some(best) = best_score(step) else {
                continue;
            };
            let held = native.coverage(index, &searcher, &candidates, &parsed_by_step)?;
            // A fallback result holds at most all of the question: past half of it held by the
            // native best, none is lifted, and its coverage need not be measured.
            let ratio = if held * MIN_FALLBACK_LIFT > 1.0 {
                0.0
            } else {
                best_coverage(step)? / held.max(MIN_NATIVE_COVERAGE)
            };
            let min_lift = if step < shown_steps {
                MIN_FALLBACK_LIFT
            } else {
                MIN_ASKED_IN_LIFT
            };
            let lift = if ratio >= min_lift { ratio } else { 1.0 };
            *scale = native_best / best * FALLBACK_WEIGHT * lift;
            lifted[step] = lift > 1.0;
        }
        for candidate in candidates.values_mut() {
            candidate.score *= scales[candidate.step];
        }
    }
    let mut ranked: Vec<(usize, Candidate)> = candidates.into_iter().collect();
    sort_ranked(&mut ranked);
    if request.headline_bonus {
        headline::rerank(&mut ranked, wanted, request.mode, index, &parsed_by_step)?;
        // A lifted fallback stays mapped onto the best native result as the bonus left it.
        if let Some(before) = native_best.filter(|_| lifted.contains(&true)) {
            let after = ranked
                .iter()
                .filter(|(_, candidate)| candidate.step == 0)
                .fold(0.0_f32, |best, (_, candidate)| best.max(candidate.score));
            if after > before {
                for (_, candidate) in ranked.iter_mut().filter(|(_, candidate)| lifted[candidate.step]) {
                    candidate.score *= after / before;
                }
                sort_ranked(&mut ranked);
            }
        }
    }
    if opened {
        ranked = shown_versions(ranked, &chain[..shown_steps], index, &parsed_by_step);
    }
    let total = ranked.len();
    let mut hits = Vec::new();
    let mut marks_by_step: Vec<Option<highlight::Marks>> = parsed_by_step.iter().map(|_| None).collect();
    for (article, mut candidate) in ranked.into_iter().skip(request.offset).take(request.limit) {
        let (Some(entry), Some(Some(parsed)), Some(marks)) = (
            catalog.articles.get(article),
            parsed_by_step.get(candidate.step),
            marks_by_step.get_mut(candidate.step),
        ) else {
            continue;
        };
        let marks = &*marks.get_or_insert_with(|| highlight::Marks::of(parsed));
        if candidate.found_in.is_some() {
            // The shown version's section at the position found, else its introduction.
            let documents = section_documents(&searcher, &mut columns, index, &entry.lang, &entry.id)?;
            let at = |wanted: usize| {
                documents
                    .iter()
                    .find(|(position, _)| *position == wanted)
                    .map(|&(_, address)| address)
            };
            let Some(address) = at(candidate.section).or_else(|| at(0)) else {
                continue;
            };
            candidate.address = address;
        }
        let analyzer = catalog.analysis.analyzer(&entry.lang);
        let linked = linked_section(&searcher, &mut columns, index, entry, article, candidate, marks)?;
        let section = entry
            .sections
            .get(linked.position)
            .filter(|section| section.anchor.is_some());
        let anchor = section.and_then(|section| section.anchor.map(str::to_string));
        let url = match &anchor {
            Some(anchor) => format!("/{}/articles/{}#{anchor}", request.lang, entry.id),
            None => format!("/{}/articles/{}", request.lang, entry.id),
        };
        hits.push(SearchHit {
            id: entry.id.to_string(),
            lang: entry.lang.clone(),
            title: entry.title.to_string(),
            title_html: highlight::highlight(
                &entry.title,
                &highlight::matched_ranges(marks, analyzer, &entry.title),
            ),
            section: section.and_then(|section| section.heading.map(str::to_string)),
            anchor,
            url,
            snippet_html: highlight::snippet(&linked.text, &linked.ranges),
            score: candidate.score,
            fallback: candidate.step > 0,
            found_in: candidate.found_in.and_then(|step| chain.get(step).cloned()),
            section_text: linked.text,
            scored_section: candidate.section,
        });
    }
    Ok(SearchResults {
        lang: request.lang.clone(),
        total,
        hits,
    })
}

/// The section of an article that a hit links to.
struct LinkedSection {
    /// Its position among the article's sections (0: the introduction).
    position: usize,
    /// Its text.
    text: String,
    /// The byte ranges of `text` that the query matched.
    ranges: Vec<(usize, usize)>,
}

/// The section of `entry` (at catalog position `article`) to link for `candidate`. The
/// best-scoring section, unless neither its heading nor its text holds a word of the query: then
/// only what every section of the article carries matched (its title, tags or the writer's
/// questions), so the article is linked as a whole, at its introduction, rather than at whichever
/// section the stop words favoured. Likewise when the title holds every content word of the
/// query ("scan receipt" of "Scan receipts", whose shortest section scored best, as every
/// section carries the title): the whole article answers. A translation found through another
/// language's version ([`shown_versions`]) holds the query's words in that version: it links the
/// section chosen there.
fn linked_section(
    searcher: &tantivy::Searcher,
    columns: &mut HashMap<u32, (Column<u64>, Column<u64>)>,
    index: &OpenIndex,
    entry: &CatalogEntry,
    article: usize,
    candidate: Candidate,
    marks: &highlight::Marks,
) -> Result<LinkedSection, SearchError> {
    let analyzer = index.catalog.analysis.analyzer(&entry.lang);
    let section = |position: usize, address: DocAddress| -> Result<LinkedSection, SearchError> {
        let read = || -> Result<String, SearchError> {
            let document: TantivyDocument = searcher.doc(address)?;
            Ok(document
                .get_first(index.fields.text)
                .and_then(|value| value.as_str())
                .unwrap_or_default()
                .to_string())
        };
        let remembered = index.analyzed_section(address, || {
            Ok::<_, SearchError>(highlight::analyzed(analyzer, read()?))
        })?;
        let (text, ranges) = match remembered {
            Some(analyzed) => (
                analyzed.text.clone(),
                highlight::matched_ranges_among(marks, &analyzed),
            ),
            None => {
                let text = read()?;
                let ranges = highlight::matched_ranges(marks, analyzer, &text);
                (text, ranges)
            }
        };
        Ok(LinkedSection {
            position,
            text,
            ranges,
        })
    };
    let best = section(candidate.section, candidate.address)?;
    if candidate.section == 0 || candidate.found_in.is_some() {
        return Ok(best);
    }
    let heading = entry
        .sections
        .get(candidate.section)
        .and_then(|section| section.heading)
        .unwrap_or_default();
    let whole_article = headline::holds_every_content_word(index, &entry.lang, marks.query(), &entry.title)?;
    if !whole_article
        && (!best.ranges.is_empty() || !highlight::matched_ranges(marks, analyzer, heading).is_empty())
    {
        return Ok(best);
    }
    // An article's sections are indexed one after the other, its introduction first.
    let introduction = u32::try_from(candidate.section)
        .ok()
        .and_then(|section| candidate.address.doc_id.checked_sub(section))
        .map(|doc_id| DocAddress::new(candidate.address.segment_ord, doc_id));
    match introduction {
        Some(introduction) if locate(searcher, columns, introduction)? == (article, 0) => {
            section(0, introduction)
        }
        _ => Ok(best),
    }
}

/// BM25 statistics of one language: document and token counts from the catalog, document
/// frequencies from the (namespaced) terms themselves.
struct LanguageScoring<'a> {
    index: &'a OpenIndex,
    searcher: &'a tantivy::Searcher,
    statistics: &'a LanguageStatistics,
}

impl Bm25StatisticsProvider for LanguageScoring<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Ok(self
            .index
            .fields
            .name_of(field)
            .and_then(|name| self.statistics.tokens.get(name))
            .copied()
            .unwrap_or_default())
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.statistics.documents)
    }

    /// The term's document frequency, at most the language's documents: tantivy counts the
    /// deleted documents of an in-place update until segments merge, the catalog does not, and
    /// BM25 refuses a frequency above the document count ("Refunds" updated in a small help
    /// center panicked).
    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        Ok(crate::index::doc_freq(self.searcher, term)?.min(self.statistics.documents))
    }
}

/// What the query of one language left to the fetched sections: the deferred words' scores
/// ([`ParsedQuery::deferred`]), and, while several words are typed, whether a section matches
/// them all. The terms of each word seek the fetched sections in document order, skipping the
/// blocks of postings in between, so that only those sections are scored.
struct Rescoring<'a> {
    searcher: &'a tantivy::Searcher,
    scoring: &'a LanguageScoring<'a>,
    fields: &'a Fields,
    parsed: &'a ParsedQuery,
    deferred: &'a [usize],
    /// Whether sections missing a content word are down-weighted ([`PARTIAL_MATCH_WEIGHT`]).
    all_words: bool,
}

impl Rescoring<'_> {
    /// `top` with the deferred words' scores added and partial matches down-weighted.
    fn rescore(&self, top: Vec<(f32, DocAddress)>) -> tantivy::Result<Vec<(f32, DocAddress)>> {
        let mut order: Vec<usize> = (0..top.len()).collect();
        order.sort_by_key(|&n| top[n].1);
        let mut scores: Vec<f32> = top.iter().map(|&(score, _)| score).collect();
        let mut partial = vec![false; top.len()];
        for (position, word) in self.parsed.words.iter().enumerate() {
            let scored = self.deferred.contains(&position);
            let counted = self.all_words && word.is_content();
            if !scored && !counted {
                continue;
            }
            // Per variant, its terms and their weights (none needed to tell a match).
            let statistics = scored.then_some(self.scoring as &dyn Bm25StatisticsProvider);
            let weights = words::weigh_word(statistics, &self.parsed.word_terms(self.fields, word))?;
            let mut segment: Option<(u32, Vec<Vec<TermCursor>>)> = None;
            for &n in &order {
                let address = top[n].1;
                let cursors = match &mut segment {
                    Some((ord, cursors)) if *ord == address.segment_ord => cursors,
                    _ => {
                        let mut fields =
                            SegmentFields::new(self.searcher.segment_reader(address.segment_ord));
                        let cursors = weights
                            .iter()
                            .map(|terms| TermCursor::open_all(&mut fields, terms, 1.0))
                            .collect::<tantivy::Result<Vec<_>>>()?;
                        &mut segment.insert((address.segment_ord, cursors)).1
                    }
                };
                match word_score(cursors, address.doc_id, scored) {
                    Some(score) => scores[n] += score,
                    None => partial[n] |= counted,
                }
            }
        }
        Ok(top
            .iter()
            .zip(scores.into_iter().zip(partial))
            .map(|(&(_, address), (score, partial))| {
                let weight = if partial { PARTIAL_MATCH_WEIGHT } else { 1.0 };
                (score * weight, address)
            })
            .collect())
    }
}

/// `ranked` (best first) with each candidate that a later language found in an article an
/// earlier language of `chain` (the languages the customer can be shown) has moved to that
/// version, the first in the chain (only a step that searched all of its articles finds one): a
/// customer who types "refund" on a French page gets the French article about refunds. It links
/// the section at the same position when both versions have as many sections (translations keep
/// their structure), else the whole article. One candidate per article: the best score, and the
/// section its own language found when it found one. What a language after `chain` found in an
/// article none of `chain` has is left out: the customer cannot be shown it.
fn shown_versions(
    ranked: Vec<(usize, Candidate)>,
    chain: &[LangTag],
    index: &OpenIndex,
    parsed_by_step: &[Option<ParsedQuery>],
) -> Vec<(usize, Candidate)> {
    let catalog = &index.catalog;
    let mut shown: Vec<(usize, Candidate)> = Vec::with_capacity(ranked.len());
    let mut slots: HashMap<usize, usize> = HashMap::new();
    for (article, candidate) in ranked {
        let version = catalog.articles.get(article).and_then(|found| {
            chain[..candidate.step]
                .iter()
                .enumerate()
                // A version is highlighted with its language's reading of the query.
                .filter(|(step, _)| parsed_by_step.get(*step).is_some_and(Option::is_some))
                .find_map(|(step, lang)| {
                    let position = catalog.position(lang, &found.id)?;
                    let sections = catalog.articles.get(position)?.sections.len();
                    let section = if sections == found.sections.len() {
                        candidate.section
                    } else {
                        0
                    };
                    Some((
                        position,
                        Candidate {
                            section,
                            step,
                            found_in: Some(candidate.step),
                            ..candidate
                        },
                    ))
                })
        });
        let (article, candidate) = match version {
            Some(version) => version,
            // The query's own language after the chain: shown only through a translation.
            None if candidate.step >= chain.len() => continue,
            None => (article, candidate),
        };
        match slots.get(&article) {
            None => {
                slots.insert(article, shown.len());
                shown.push((article, candidate));
            }
            Some(&slot) => {
                let kept = &mut shown[slot].1;
                if kept.found_in.is_some() && candidate.found_in.is_none() {
                    *kept = Candidate {
                        score: kept.score,
                        ..candidate
                    };
                }
            }
        }
    }
    shown
}

/// The documents of article `id` in `lang` (one per section), each with its section's position.
fn section_documents(
    searcher: &tantivy::Searcher,
    columns: &mut HashMap<u32, (Column<u64>, Column<u64>)>,
    index: &OpenIndex,
    lang: &LangTag,
    id: &str,
) -> tantivy::Result<Vec<(usize, DocAddress)>> {
    let key = Term::from_field_text(index.fields.key, &format!("{lang}/{id}"));
    searcher
        .search(&TermQuery::new(key, IndexRecordOption::Basic), &DocSetCollector)?
        .into_iter()
        .map(|address| Ok((locate(searcher, columns, address)?.1, address)))
        .collect()
}

/// What the customer's own language found, measured once when needed: whether fallbacks may
/// search all of their articles, how much a fallback is lifted.
#[derive(Default)]
struct NativeResults {
    coverage: Option<f32>,
    other_words: Option<bool>,
}

impl NativeResults {
    /// The share of the question ([`coverage`]) that the best native result among `candidates`
    /// holds; 0 without one.
    fn coverage(
        &mut self,
        index: &OpenIndex,
        searcher: &tantivy::Searcher,
        candidates: &HashMap<usize, Candidate>,
        parsed_by_step: &[Option<ParsedQuery>],
    ) -> Result<f32, SearchError> {
        if let Some(coverage) = self.coverage {
            return Ok(coverage);
        }
        let coverage = step_coverage(index, searcher, best_of_step(candidates, 0), parsed_by_step, 0)?;
        Ok(*self.coverage.insert(coverage))
    }

    /// Whether the customer may be asking in words of another language: theirs lacks a content
    /// word of the query, and its best result holds half of the question or less (the bound past
    /// which no fallback can be lifted).
    fn ask_in_other_words(
        &mut self,
        index: &OpenIndex,
        searcher: &tantivy::Searcher,
        candidates: &HashMap<usize, Candidate>,
        parsed_by_step: &[Option<ParsedQuery>],
    ) -> Result<bool, SearchError> {
        if let Some(other_words) = self.other_words {
            return Ok(other_words);
        }
        let other_words = self.coverage(index, searcher, candidates, parsed_by_step)? * MIN_FALLBACK_LIFT
            <= 1.0
            && lacks_a_word(index, parsed_by_step.first().and_then(Option::as_ref))?;
        Ok(*self.other_words.insert(other_words))
    }
}

/// Whether the customer's language lacks a content word of the query (`parsed`: read in that
/// language; `None`: nothing of it could be read there), in every form looked up: a sign that
/// the customer asks in words of another language.
fn lacks_a_word(index: &OpenIndex, parsed: Option<&ParsedQuery>) -> tantivy::Result<bool> {
    let Some(parsed) = parsed else {
        return Ok(true);
    };
    let rarity = headline::Rarity::new(index);
    for word in parsed.words.iter().filter(|word| word.is_content()) {
        if rarity.known_frequency(parsed.namespace(), word)? == 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The best candidate found in the language of chain step `step` (equal scores: the first
/// article in the catalog, as ranked).
fn best_of_step(candidates: &HashMap<usize, Candidate>, step: usize) -> Option<(usize, Candidate)> {
    let mut best: Option<(usize, Candidate)> = None;
    for (&article, &candidate) in candidates.iter().filter(|(_, candidate)| candidate.step == step) {
        if best.is_none_or(|(best_article, best)| {
            candidate.score > best.score || (candidate.score == best.score && article < best_article)
        }) {
            best = Some((article, candidate));
        }
    }
    best
}

/// The share of the question ([`coverage`]) that `best`, the best candidate of chain step
/// `step`, holds; 0 when there is none.
fn step_coverage(
    index: &OpenIndex,
    searcher: &tantivy::Searcher,
    best: Option<(usize, Candidate)>,
    parsed_by_step: &[Option<ParsedQuery>],
    step: usize,
) -> Result<f32, SearchError> {
    let customer = parsed_by_step.first().and_then(Option::as_ref);
    match (best, parsed_by_step.get(step).and_then(Option::as_ref)) {
        (Some((_, best)), Some(parsed)) => Ok(coverage(index, searcher, parsed, customer, best.address)?),
        _ => Ok(0.0),
    }
}

/// The share of `parsed`'s content words that the section at `address` holds, each weighted by
/// its rarity in the customer's language (`customer`: the query read there), else in the
/// language `parsed` was analysed for (a word that the language's text lacks weighs as the
/// rarest). Shares of one question in several languages are compared, so they weigh its words
/// alike: in English, a French question's words are all foreign and would weigh as the rarest,
/// and `factor` holding "factures" (invoices), common in French, would hold half of "Où trouver
/// mes factures ?".
fn coverage(
    index: &OpenIndex,
    searcher: &tantivy::Searcher,
    parsed: &ParsedQuery,
    customer: Option<&ParsedQuery>,
    address: DocAddress,
) -> tantivy::Result<f32> {
    let rarity = headline::Rarity::new(index);
    let reader = searcher.segment_reader(address.segment_ord);
    let (mut found, mut total) = (0.0, 0.0);
    for word in parsed.words.iter().filter(|word| word.is_content()) {
        let (namespace, weighed) = customer
            .and_then(|customer| {
                let own = customer
                    .words
                    .iter()
                    .find(|own| own.token.word == word.token.word)?;
                Some((customer.namespace(), own))
            })
            .unwrap_or((parsed.namespace(), word));
        let weight = rarity.idf(namespace, rarity.known_frequency(namespace, weighed)?);
        total += weight;
        if holds_word(reader, &parsed.word_terms(&index.fields, word), address.doc_id)? {
            found += weight;
        }
    }
    Ok(if total > 0.0 { found / total } else { 0.0 })
}

/// Whether any term of any variant of a word (`terms`) is in the document `doc` of `reader`'s
/// segment: the terms are looked up one at a time, up to the first that is.
fn holds_word(reader: &SegmentReader, terms: &WordTerms, doc: DocId) -> tantivy::Result<bool> {
    let unscored = Bm25Weight::for_one_term_without_explain(0, 1, 1.0);
    for (term, _) in terms.variants.iter().flatten() {
        if let Some(mut cursor) = TermCursor::open(reader, term, &unscored, 1.0)? {
            if cursor.seek(doc) == doc {
                return Ok(true);
            }
        }
    }
    Ok(false)
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
            entry.insert((fast.u64(ARTICLE_FIELD)?, fast.u64("section")?))
        }
    };
    let article = article.first(address.doc_id).unwrap_or(u64::MAX);
    let section = section.first(address.doc_id).unwrap_or_default();
    Ok((article as usize, section as usize))
}

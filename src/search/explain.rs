//! Why articles rank where they do, for writers: the query's analysed words and what each was
//! expanded to (completions, typo corrections), the top articles with the fields and sections
//! each word matched and the part of the score it brought, the factors applied after (partial
//! match, fallback language), and — for one article named by id — where it ranks and which words
//! found nothing in it.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::DocAddress;

use super::headline::{earns_headline_bonus, Rarity};
use super::query::{MatchKind, ParsedQuery, QueryWord, Reading};
use super::words::{self, TermCursor};
use super::{
    search, section_documents, LanguageScoring, Mode, SearchError, SearchRequest, FALLBACK_WEIGHT,
    PARTIAL_MATCH_WEIGHT,
};
use crate::analysis::LangTag;
use crate::index::{OpenIndex, WEIGHTED_FIELDS};

/// How deep the named article is looked for in the ranking.
const TARGET_DEPTH: usize = 100;

/// What to explain.
#[derive(Debug, Clone)]
pub struct ExplainRequest<'a> {
    /// The query, as typed.
    pub query: &'a str,
    /// The customer's language.
    pub lang: LangTag,
    /// Suggest (last word a prefix) or full search.
    pub mode: Mode,
    /// Top articles explained.
    pub limit: usize,
    /// An article to explain wherever it ranks (or why it does not).
    pub id: Option<&'a str>,
}

/// The explanation.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The query.
    pub query: String,
    /// The customer's language.
    pub lang: LangTag,
    /// The languages tried, in order: the customer's, then the fallbacks.
    pub fallback_chain: Vec<LangTag>,
    /// The query's words as analysed in the customer's language.
    pub words: Vec<ExplainedWord>,
    /// The top articles.
    pub results: Vec<ExplainedArticle>,
    /// The article asked about with `id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<ExplainedTarget>,
}

/// A word of the query.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedWord {
    /// As typed.
    pub typed: String,
    /// Its index term (stem).
    pub term: String,
    /// Whether it is a stop word (weighted down).
    pub stop_word: bool,
    /// Whether it is being typed (matched as a prefix).
    pub prefix: bool,
    /// What it is looked up as: itself, then completions and corrections.
    pub expansion: Vec<ExplainedVariant>,
}

/// One thing a word is looked up as.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedVariant {
    /// The word.
    pub word: String,
    /// Its stem.
    pub stem: String,
    /// `exact`, `prefix`, `fuzzy` or `compound part`.
    pub kind: &'static str,
}

/// One ranked article.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedArticle {
    /// 1-based rank.
    pub rank: usize,
    /// Article id.
    pub id: String,
    /// Language of the version found.
    pub lang: LangTag,
    /// Title.
    pub title: String,
    /// Final score.
    pub score: f32,
    /// Whether it came from a fallback language.
    pub fallback: bool,
    /// Its best section (heading), `None` for the introduction.
    pub section: Option<String>,
    /// What each word matched, per field in the section where it scores most; best first.
    pub matches: Vec<ScorePart>,
    /// The words that matched nothing in it.
    pub unmatched: Vec<String>,
    /// Factors applied after the word scores.
    pub factors: Vec<String>,
}

/// What one word brought from one field of one section.
#[derive(Debug, Clone, Serialize)]
pub struct ScorePart {
    /// The query word.
    pub word: String,
    /// What it matched as: `exact` (the same word), `stemmed` (another form of it), `prefix`
    /// (a completion) or `fuzzy` (a typo correction).
    pub how: &'static str,
    /// The vocabulary word it matched.
    pub matched: String,
    /// The field: content, words, title, heading, tags, queries.
    pub field: &'static str,
    /// The section heading (`None`: the introduction).
    pub section: Option<String>,
    /// BM25 in the language's statistics, times the field's and the match kind's weight.
    pub score: f32,
    /// The field's weight times the match kind's weight.
    pub boost: f32,
}

/// Where the article asked about ranks, and why.
#[derive(Debug, Clone, Serialize)]
pub struct ExplainedTarget {
    /// Article id.
    pub id: String,
    /// The version a reader of the request's language gets (`None`: no such article).
    pub lang: Option<LangTag>,
    /// Its rank among the first [`TARGET_DEPTH`] results, if there.
    pub rank: Option<usize>,
    /// Its explanation, when the version exists.
    pub article: Option<ExplainedArticle>,
}

/// Explains `request` on `index`.
pub fn explain(index: &OpenIndex, request: &ExplainRequest<'_>) -> Result<Explanation, SearchError> {
    let catalog = &index.catalog;
    let mut chain = request.lang.fallback_chain(&catalog.default_lang);
    let shown_steps = chain.len();
    let depth = request
        .limit
        .max(if request.id.is_some() { TARGET_DEPTH } else { 0 });
    let search_request = SearchRequest {
        query: request.query,
        lang: request.lang.clone(),
        limit: depth,
        offset: 0,
        fallback: true,
        mode: request.mode,
        headline_bonus: true,
    };
    let found = search(index, &search_request)?;
    // The language the query's words tell, when search read it after the chain.
    for lang in found.hits.iter().filter_map(|hit| hit.found_in.as_ref()) {
        if !chain.contains(lang) {
            chain.push(lang.clone());
        }
    }
    let mut explainer = Explainer {
        index,
        request,
        chain: &chain,
        shown_steps,
        parsed: HashMap::new(),
    };
    let words = explainer
        .parsed(0)?
        .map(|parsed| parsed.words.iter().map(explained_word).collect())
        .unwrap_or_default();
    let mut results = Vec::new();
    for (position, hit) in found.hits.iter().take(request.limit).enumerate() {
        // A translation shown for the version the query matched is explained by that version.
        let mut article = explainer.article(&hit.id, hit.found_in.as_ref().unwrap_or(&hit.lang))?;
        article.rank = position + 1;
        article.score = hit.score;
        article.section = hit.section.clone();
        explainer.headline_factor(&mut article, hit.scored_section)?;
        if hit.found_in.is_some() {
            article.factors.push(format!(
                "shown in its {} version: the query has words {} lacks, and holds half of the question or less there",
                hit.lang, request.lang
            ));
        }
        results.push(article);
    }
    let target = match request.id {
        None => None,
        Some(id) => {
            let version = catalog
                .resolve(&request.lang, id)
                .map(|(entry, _)| entry.lang.clone());
            let rank = found
                .hits
                .iter()
                .position(|hit| hit.id == id)
                .map(|position| position + 1);
            let article = match &version {
                Some(lang) => {
                    let mut article = explainer.article(id, lang)?;
                    if let Some(rank) = rank {
                        article.rank = rank;
                        article.score = found.hits[rank - 1].score;
                        article.section = found.hits[rank - 1].section.clone();
                        explainer.headline_factor(&mut article, found.hits[rank - 1].scored_section)?;
                    }
                    Some(article)
                }
                None => None,
            };
            Some(ExplainedTarget {
                id: id.to_string(),
                lang: version,
                rank,
                article,
            })
        }
    };
    Ok(Explanation {
        query: request.query.to_string(),
        lang: request.lang.clone(),
        fallback_chain: chain.clone(),
        words,
        results,
        target,
    })
}

fn explained_word(word: &QueryWord) -> ExplainedWord {
    ExplainedWord {
        typed: word.token.word.clone(),
        term: word.token.term.clone(),
        stop_word: word.token.stop_word,
        prefix: word.prefix,
        expansion: word
            .variants
            .iter()
            .map(|variant| ExplainedVariant {
                word: variant.word.clone(),
                stem: variant.stem.clone(),
                kind: kind_name(variant.kind),
            })
            .collect(),
    }
}

fn kind_name(kind: MatchKind) -> &'static str {
    match kind {
        MatchKind::Exact => "exact",
        MatchKind::Prefix => "prefix",
        MatchKind::Fuzzy => "fuzzy",
        MatchKind::Part => "compound part",
        MatchKind::Related => "related form",
        MatchKind::Translation => "translation",
    }
}

/// The query parsed per step of the fallback chain, and the article explanations built on it.
struct Explainer<'a> {
    index: &'a OpenIndex,
    request: &'a ExplainRequest<'a>,
    chain: &'a [LangTag],
    /// The steps of the customer's fallback chain; those after it read the query as their own.
    shown_steps: usize,
    parsed: HashMap<usize, Option<ParsedQuery>>,
}

impl Explainer<'_> {
    /// The query as parsed for step `step` of the fallback chain (as search parses it).
    fn parsed(&mut self, step: usize) -> Result<Option<&ParsedQuery>, SearchError> {
        if !self.parsed.contains_key(&step) {
            let parsed = match self.chain.get(step) {
                Some(lang) => {
                    let analyzer = self.index.catalog.analysis.analyzer(lang);
                    let searcher = self.index.reader.searcher();
                    let parsed = ParsedQuery::parse(
                        self.request.query,
                        analyzer,
                        analyzer.namespace(lang),
                        self.request.mode,
                        if step < self.shown_steps {
                            Reading::of(self.index.catalog.analysis, self.chain, step)
                        } else {
                            Reading::Own
                        },
                        &searcher,
                        self.index,
                    )?;
                    Some(parsed)
                }
                None => None,
            };
            self.parsed.insert(step, parsed);
        }
        Ok(self.parsed.get(&step).and_then(Option::as_ref))
    }

    /// Adds the headline bonus to `article`'s factors (its title with the heading of section
    /// `section`, the one that scored best), when its headline and the query overlap.
    fn headline_factor(&mut self, article: &mut ExplainedArticle, section: usize) -> Result<(), SearchError> {
        let index = self.index;
        let step = self
            .chain
            .iter()
            .position(|step| *step == article.lang)
            .unwrap_or(0);
        let Some(position) = index.catalog.position(&article.lang, &article.id) else {
            return Ok(());
        };
        let Some(parsed) = self.parsed(step)?.cloned() else {
            return Ok(());
        };
        if !earns_headline_bonus(self.parsed(0)?, &parsed) {
            return Ok(());
        }
        let mode = self.request.mode;
        let rarity = Rarity::new(index);
        let asked = rarity.asked(parsed.namespace(), &parsed)?;
        let headline = rarity.headline_match(&asked, position, section, mode)?;
        if let Some(headline) = headline.filter(|headline| headline.factor(mode) > 1.0) {
            let which = headline.source.describe();
            article.factors.push(format!(
                "×{:.2}: the query asks {:.0} % of the headline and the headline holds {:.0} % of the query ({which}, words weighted by rarity; among the first results of a page)",
                headline.factor(mode),
                headline.share * 100.0,
                headline.coverage * 100.0
            ));
        }
        Ok(())
    }

    /// What each word of the query matched in article `id` in `lang`, field by field and
    /// section by section, with its part of the score.
    fn article(&mut self, id: &str, lang: &LangTag) -> Result<ExplainedArticle, SearchError> {
        let index = self.index;
        let catalog = &index.catalog;
        let step = self.chain.iter().position(|step| step == lang).unwrap_or(0);
        let entry = catalog.get(lang, id);
        let mut article = ExplainedArticle {
            rank: 0,
            id: id.to_string(),
            lang: lang.clone(),
            title: entry.map(|entry| entry.title.to_string()).unwrap_or_default(),
            score: 0.0,
            fallback: step > 0,
            section: None,
            matches: Vec::new(),
            unmatched: Vec::new(),
            factors: Vec::new(),
        };
        let Some(entry) = entry else {
            return Ok(article);
        };
        let Some(parsed) = self.parsed(step)?.cloned() else {
            return Ok(article);
        };
        let namespace = catalog.analysis.analyzer(lang).namespace(lang);
        let Some(statistics) = catalog.statistics.get(namespace) else {
            return Ok(article);
        };
        let searcher = index.reader.searcher();
        let scoring = LanguageScoring {
            index,
            searcher: &searcher,
            statistics,
        };
        let mut sections: Vec<(DocAddress, Option<String>)> = Vec::new();
        for (section, address) in section_documents(&searcher, &mut HashMap::new(), index, lang, id)? {
            let heading = entry
                .sections
                .get(section)
                .and_then(|section| section.heading.map(str::to_string));
            sections.push((address, heading));
        }
        for word in &parsed.words {
            let mut matched = false;
            let terms = parsed.word_terms(&index.fields, word);
            let weights = words::weigh_word(Some(&scoring), &terms)?;
            for ((variant, boosts), weights) in word.variants.iter().zip(&terms.variants).zip(&weights) {
                for ((term, boost), (_, weight)) in boosts.iter().zip(weights) {
                    let field_name = WEIGHTED_FIELDS
                        .iter()
                        .map(|weight| weight.name)
                        .find(|name| index.fields.by_name(name) == Some(term.field()))
                        .unwrap_or("content");
                    for (address, heading) in &sections {
                        let reader = searcher.segment_reader(address.segment_ord);
                        let Some(mut cursor) = TermCursor::open(reader, term, weight, 1.0)? else {
                            continue;
                        };
                        if cursor.seek(address.doc_id) != address.doc_id {
                            continue;
                        }
                        matched = true;
                        // The `words` field holds words as written, the others stems.
                        let how = match variant.kind {
                            MatchKind::Exact if field_name == "words" => "exact",
                            MatchKind::Exact => "stemmed",
                            other => kind_name(other),
                        };
                        article.matches.push(ScorePart {
                            word: word.token.word.clone(),
                            how,
                            matched: variant.word.clone(),
                            field: field_name,
                            section: heading.clone(),
                            score: cursor.score(),
                            boost: *boost,
                        });
                    }
                }
            }
            if !matched && word.is_content() {
                article.unmatched.push(word.token.word.clone());
            }
        }
        // Per word, match and field, the section where it counts most (title, tags and queries
        // repeat on every section of an article).
        article.matches.sort_by(|a, b| b.score.total_cmp(&a.score));
        let mut seen = std::collections::HashSet::new();
        article
            .matches
            .retain(|part| seen.insert((part.word.clone(), part.matched.clone(), part.field)));
        if self.request.mode == Mode::Suggest && parsed.content_words() > 1 && !article.unmatched.is_empty() {
            article
                .factors
                .push(format!("×{PARTIAL_MATCH_WEIGHT}: not every word matched"));
        }
        if step > 0 {
            article.factors.push(format!(
                "fallback from {}: scores mapped onto the {} scale, then ×{FALLBACK_WEIGHT}, and × how many times as much of the question the best fallback result holds as the best native one, when twice or more",
                self.chain[0], self.chain[0]
            ));
        }
        Ok(article)
    }
}

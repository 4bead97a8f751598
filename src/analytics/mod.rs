//! What the signals in the store tell writers: content gaps (questions that found nothing, or
//! that nobody clicked, with spelling variants and inflections of one question counted together),
//! per-article and per-language statistics, a translation to-do list ranked by demand, and the
//! zero-result rate per day.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::Serialize;

use crate::analysis::LangTag;
use crate::index::OpenIndex;
use crate::search::{search, Mode, SearchError, SearchRequest, Signal};
use crate::store::{SearchRecord, SearchSource, VoteRecord};

/// Seconds in a day.
pub const DAY_SECONDS: i64 = 86_400;

/// The start of the current UTC day, seconds since the epoch.
pub fn today() -> i64 {
    crate::store::now() / DAY_SECONDS * DAY_SECONDS
}

/// The start of a period of `days` days up to today (`1`: today only).
pub fn period_start(days: i64) -> i64 {
    today() - (days.max(1) - 1) * DAY_SECONDS
}

/// Evidence halves every this many days.
const SIGNAL_HALF_LIFE_DAYS: f32 = 30.0;
/// Evidence of a helpful (or, negative, an unhelpful) vote; a click counts 1.
const VOTE_EVIDENCE: f32 = 2.0;

/// Longest word (in characters) below which a spelling variant must match exactly.
const MIN_VARIANT_CHARS: usize = 4;

/// Wordings listed per gap besides the main one.
const VARIANTS_SHOWN: usize = 5;

/// One question customers asked that the help center did not answer.
#[derive(Debug, Clone, Serialize)]
pub struct Gap {
    /// The most frequent wording.
    pub query: String,
    /// Searches (and e-mails) of this question that found nothing or got no click.
    pub count: u64,
    /// Of those, how many found nothing at all.
    pub no_results: u64,
    /// Of those, how many had results that nobody clicked.
    pub no_click: u64,
    /// The languages it was asked in, most frequent first.
    pub languages: Vec<String>,
    /// Where it was asked: suggest, page, email.
    pub sources: Vec<SearchSource>,
    /// Other wordings, most frequent first.
    pub variants: Vec<String>,
    /// The article kb ranks first for it, if any.
    pub closest: Option<Closest>,
}

/// The best article kb has for a gap.
#[derive(Debug, Clone, Serialize)]
pub struct Closest {
    /// Article id.
    pub id: String,
    /// Language of the version found.
    pub lang: String,
    /// Its title.
    pub title: String,
    /// Its score for the question.
    pub score: f32,
}

/// A search that is part of a gap, with its normalized terms.
struct Asked<'a> {
    record: &'a SearchRecord,
    terms: Vec<String>,
}

/// The gaps among `searches`, in `lang` only when given, most asked first, at most `limit`.
pub fn gaps(
    index: &OpenIndex,
    searches: &[SearchRecord],
    lang: Option<&LangTag>,
    limit: usize,
) -> Result<Vec<Gap>, SearchError> {
    let asked: Vec<Asked<'_>> = searches
        .iter()
        .filter(|record| lang.is_none_or(|lang| record.lang == lang.as_str()))
        .filter(|record| record.results == 0 || record.clicked.is_none())
        .filter_map(|record| {
            let terms = question_terms(index, record);
            (!terms.is_empty()).then_some(Asked { record, terms })
        })
        .collect();
    let mut groups: Vec<Vec<&Asked<'_>>> = Vec::new();
    let mut by_terms: HashMap<&[String], usize> = HashMap::new();
    for asked in &asked {
        match by_terms.get(asked.terms.as_slice()) {
            Some(&group) => groups[group].push(asked),
            None => {
                by_terms.insert(&asked.terms, groups.len());
                groups.push(vec![asked]);
            }
        }
    }
    groups.sort_by_key(|group| std::cmp::Reverse(group.len()));
    let groups = merge_spelling_variants(groups);
    groups
        .into_iter()
        .take(limit)
        .map(|group| gap_of(index, &group))
        .collect()
}

/// The analysed content terms of a search's query, sorted and deduplicated: wordings that differ
/// only in inflection, case, accents, word order or stop words get the same terms.
fn question_terms(index: &OpenIndex, record: &SearchRecord) -> Vec<String> {
    let lang = LangTag::parse(&record.lang).unwrap_or_else(|_| index.catalog.default_lang.clone());
    let analyzer = index.catalog.analysis.analyzer(&lang);
    let terms: BTreeSet<String> = analyzer
        .analyze(&record.query)
        .into_iter()
        .filter(|token| !token.stop_word)
        .map(|token| token.term)
        .collect();
    terms.into_iter().collect()
}

/// Folds each smaller group into the first bigger one whose terms match its own one to one,
/// allowing one typo per term of [`MIN_VARIANT_CHARS`] or more characters. `groups` is sorted
/// biggest first.
fn merge_spelling_variants<'a>(groups: Vec<Vec<&'a Asked<'a>>>) -> Vec<Vec<&'a Asked<'a>>> {
    let mut merged: Vec<Vec<&Asked<'_>>> = Vec::new();
    for group in groups {
        let terms = &group[0].terms;
        match merged
            .iter_mut()
            .find(|bigger| same_question(&bigger[0].terms, terms))
        {
            Some(bigger) => bigger.extend(group),
            None => merged.push(group),
        }
    }
    merged.sort_by_key(|group| std::cmp::Reverse(group.len()));
    merged
}

/// Whether two term lists are the same question up to a typo per word.
fn same_question(a: &[String], b: &[String]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut unmatched: Vec<&String> = b.iter().collect();
    a.iter().all(|term| {
        let close = |other: &&String| {
            *other == term
                || (term.chars().count() >= MIN_VARIANT_CHARS
                    && other.chars().count() >= MIN_VARIANT_CHARS
                    && strsim::damerau_levenshtein(term, other) <= 1)
        };
        match unmatched.iter().position(close) {
            Some(position) => {
                unmatched.swap_remove(position);
                true
            }
            None => false,
        }
    })
}

/// The report line of one group of searches.
fn gap_of(index: &OpenIndex, group: &[&Asked<'_>]) -> Result<Gap, SearchError> {
    let mut wordings: BTreeMap<String, u64> = BTreeMap::new();
    let mut languages: BTreeMap<&str, u64> = BTreeMap::new();
    let mut sources: BTreeSet<SearchSource> = BTreeSet::new();
    let mut no_results = 0;
    for asked in group {
        *wordings
            .entry(asked.record.query.trim().to_lowercase())
            .or_default() += 1;
        *languages.entry(&asked.record.lang).or_default() += 1;
        sources.insert(asked.record.source);
        if asked.record.results == 0 {
            no_results += 1;
        }
    }
    let mut wordings: Vec<(String, u64)> = wordings.into_iter().collect();
    // The most frequent wording; among equals the fullest, as a question reads best whole.
    wordings.sort_by(|a, b| {
        b.1.cmp(&a.1)
            .then_with(|| b.0.chars().count().cmp(&a.0.chars().count()))
            .then_with(|| a.0.cmp(&b.0))
    });
    let mut languages: Vec<(&str, u64)> = languages.into_iter().collect();
    languages.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let query = wordings[0].0.clone();
    let lang = LangTag::parse(languages[0].0).unwrap_or_else(|_| index.catalog.default_lang.clone());
    let request = SearchRequest {
        query: &query,
        lang,
        limit: 1,
        offset: 0,
        fallback: true,
        mode: Mode::Search,
        headline_bonus: true,
    };
    let closest = search(index, &request)?
        .hits
        .into_iter()
        .next()
        .map(|hit| Closest {
            id: hit.id,
            lang: hit.lang.to_string(),
            title: hit.title,
            score: hit.score,
        });
    let count = group.len() as u64;
    Ok(Gap {
        query,
        count,
        no_results,
        no_click: count - no_results,
        languages: languages.into_iter().map(|(lang, _)| lang.to_string()).collect(),
        sources: sources.into_iter().collect(),
        variants: wordings
            .into_iter()
            .skip(1)
            .take(VARIANTS_SHOWN)
            .map(|(wording, _)| wording)
            .collect(),
        closest,
    })
}

/// How one article did with the customers of one language.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ArticleStats {
    /// Article id.
    pub id: String,
    /// The customers' language.
    pub lang: String,
    /// Whether they get the default-language version (no translation).
    pub fallback: bool,
    /// Times it was among the results of a finished search.
    pub impressions: u64,
    /// Times it was clicked.
    pub clicks: u64,
    /// Clicks per impression.
    pub click_through: f64,
    /// "Yes" votes.
    pub helpful: u64,
    /// "No" votes.
    pub unhelpful: u64,
}

/// Searches of one language.
#[derive(Debug, Clone, Serialize)]
pub struct LanguageStats {
    /// The language.
    pub lang: String,
    /// Finished searches (and unanswered e-mails).
    pub searches: u64,
    /// Those that found nothing.
    pub zero_results: u64,
    /// `zero_results / searches`.
    pub zero_result_rate: f64,
    /// Articles written in the language.
    pub articles: usize,
}

/// An article customers of a language get untranslated, ranked by how often.
#[derive(Debug, Clone, Serialize)]
pub struct TranslationTodo {
    /// The language it lacks.
    pub lang: String,
    /// Article id.
    pub id: String,
    /// Its title in the default language.
    pub title: String,
    /// Impressions plus clicks by customers of `lang`.
    pub demand: u64,
}

/// Everything `kb stats` reports.
#[derive(Debug, Clone, Serialize)]
pub struct Stats {
    /// Per article and customer language, most seen first.
    pub articles: Vec<ArticleStats>,
    /// Per customer language, most searched first.
    pub languages: Vec<LanguageStats>,
    /// Missing translations, most wanted first.
    pub translations: Vec<TranslationTodo>,
}

/// Statistics of `searches` and `votes`, in `lang` only when given.
pub fn stats(
    index: &OpenIndex,
    searches: &[SearchRecord],
    votes: &[VoteRecord],
    lang: Option<&LangTag>,
) -> Stats {
    let catalog = &index.catalog;
    let wanted = |record_lang: &str| lang.is_none_or(|lang| record_lang == lang.as_str());
    let mut articles: BTreeMap<(String, String), ArticleStats> = BTreeMap::new();
    let mut languages: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for record in searches.iter().filter(|record| wanted(&record.lang)) {
        let counts = languages.entry(record.lang.clone()).or_default();
        counts.0 += 1;
        if record.results == 0 {
            counts.1 += 1;
        }
        for shown in &record.shown {
            article_entry(&mut articles, &shown.id, &record.lang).impressions += 1;
        }
        if let Some(clicked) = &record.clicked {
            article_entry(&mut articles, clicked, &record.lang).clicks += 1;
        }
    }
    for record in votes.iter().filter(|record| wanted(&record.vote.lang)) {
        let stats = article_entry(&mut articles, &record.vote.article, &record.vote.lang);
        if record.vote.helpful {
            stats.helpful += 1;
        } else {
            stats.unhelpful += 1;
        }
    }
    let mut articles: Vec<ArticleStats> = articles
        .into_values()
        .map(|mut stats| {
            stats.fallback =
                LangTag::parse(&stats.lang).is_ok_and(|tag| catalog.get(&tag, &stats.id).is_none());
            stats.click_through = ratio(stats.clicks, stats.impressions);
            stats
        })
        .collect();
    articles.sort_by(|a, b| {
        (b.impressions + b.clicks)
            .cmp(&(a.impressions + a.clicks))
            .then_with(|| (&a.id, &a.lang).cmp(&(&b.id, &b.lang)))
    });
    let counts = catalog.count_by_lang();
    let mut languages: Vec<LanguageStats> = languages
        .into_iter()
        .map(|(lang, (searches, zero_results))| LanguageStats {
            articles: counts.get(&lang).copied().unwrap_or_default(),
            zero_result_rate: ratio(zero_results, searches),
            lang,
            searches,
            zero_results,
        })
        .collect();
    languages.sort_by(|a, b| b.searches.cmp(&a.searches).then_with(|| a.lang.cmp(&b.lang)));
    let mut translations: Vec<TranslationTodo> = articles
        .iter()
        .filter(|stats| stats.fallback && stats.impressions + stats.clicks > 0)
        .filter_map(|stats| {
            let original = catalog.get(&catalog.default_lang, &stats.id)?;
            Some(TranslationTodo {
                lang: stats.lang.clone(),
                id: stats.id.clone(),
                title: original.title.to_string(),
                demand: stats.impressions + stats.clicks,
            })
        })
        .collect();
    translations.sort_by(|a, b| {
        b.demand
            .cmp(&a.demand)
            .then_with(|| (&a.lang, &a.id).cmp(&(&b.lang, &b.id)))
    });
    Stats {
        articles,
        languages,
        translations,
    }
}

/// The statistics of article `id` for customers of `lang`, created empty when new.
fn article_entry<'a>(
    articles: &'a mut BTreeMap<(String, String), ArticleStats>,
    id: &str,
    lang: &str,
) -> &'a mut ArticleStats {
    articles
        .entry((id.to_string(), lang.to_string()))
        .or_insert_with(|| ArticleStats {
            id: id.to_string(),
            lang: lang.to_string(),
            ..ArticleStats::default()
        })
}

/// `part / whole`, 0 when `whole` is 0.
fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The ranking evidence in `searches` and `votes` as of `now`: +1 per click, ±2 per vote, each
/// halved every [`SIGNAL_HALF_LIFE_DAYS`], per customer language and article.
pub fn signals(searches: &[SearchRecord], votes: &[VoteRecord], now: i64) -> Vec<Signal> {
    let decay = |at: i64| {
        let age_days = (now - at).max(0) as f32 / DAY_SECONDS as f32;
        0.5f32.powf(age_days / SIGNAL_HALF_LIFE_DAYS)
    };
    let clicks = searches.iter().filter_map(|record| {
        record.clicked.as_ref().map(|id| Signal {
            lang: record.lang.clone(),
            id: id.clone(),
            weight: decay(record.at),
        })
    });
    let votes = votes.iter().map(|record| Signal {
        lang: record.vote.lang.clone(),
        id: record.vote.article.clone(),
        weight: decay(record.at)
            * if record.vote.helpful {
                VOTE_EVIDENCE
            } else {
                -VOTE_EVIDENCE
            },
    });
    clicks.chain(votes).collect()
}

/// The zero-result rate of one language on one day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DayRate {
    /// Start of the day (UTC), seconds since the epoch.
    pub day: i64,
    /// Searches that day.
    pub searches: u64,
    /// Those that found nothing.
    pub zero_results: u64,
}

/// Per language, the searches and zero results of each of the `days` days up to `today_start`
/// (the start of the current UTC day), oldest first; days without searches count 0.
pub fn zero_results_per_day(
    searches: &[SearchRecord],
    days: i64,
    today_start: i64,
) -> BTreeMap<String, Vec<DayRate>> {
    let first = today_start - (days - 1) * DAY_SECONDS;
    let mut per_lang: BTreeMap<String, Vec<DayRate>> = BTreeMap::new();
    for record in searches.iter().filter(|record| record.at >= first) {
        let rates = per_lang.entry(record.lang.clone()).or_insert_with(|| {
            (0..days)
                .map(|offset| DayRate {
                    day: first + offset * DAY_SECONDS,
                    searches: 0,
                    zero_results: 0,
                })
                .collect()
        });
        let Some(rate) = rates.get_mut(((record.at - first) / DAY_SECONDS) as usize) else {
            continue;
        };
        rate.searches += 1;
        if record.results == 0 {
            rate.zero_results += 1;
        }
    }
    per_lang
}

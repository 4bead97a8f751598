//! The JSON API handlers: suggestions while typing, full search, articles.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::rejection::QueryRejection;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Term, Value};
use tantivy::TantivyDocument;

use super::error::ApiError;
use super::lang::{choose_language, LangSource};
use super::signals::{search_record, Typist};
use super::AppState;
use crate::analysis::LangTag;
use crate::index::OpenIndex;
use crate::search::{self, Boosts, Mode, SearchHit, SearchRequest, SearchResults, EXTRA_CANDIDATES};
use crate::store::SearchSource;

/// Suggestions per request unless `limit` says otherwise.
const DEFAULT_SUGGESTIONS: usize = 5;
/// Most suggestions per request.
const MAX_SUGGESTIONS: usize = 20;
/// Results per page of full search.
pub(super) const RESULTS_PER_PAGE: usize = 10;
/// Deepest page of full search.
pub(super) const MAX_PAGE: usize = 100;

/// Query parameters of `/suggest` and `/search`, validated by hand for clear errors.
#[derive(Debug, Deserialize)]
pub(super) struct SearchParams {
    q: Option<String>,
    lang: Option<String>,
    limit: Option<String>,
    page: Option<String>,
    /// The suggestion box's session id (random per page view), to tell typists apart.
    sid: Option<String>,
}

/// The response of `/suggest` and `/search`.
#[derive(Debug, Serialize)]
pub(super) struct SearchResponse {
    query: String,
    lang: LangTag,
    lang_source: LangSource,
    results: Vec<SearchHit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<usize>,
    took_us: u128,
}

/// `GET /api/v1/suggest?q=…&lang=xx&limit=N`: articles for what is being typed.
pub(super) async fn suggest(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchResponse>, ApiError> {
    let Query(params) = params?;
    if !state.rate().allow_suggest(peer.ip()) {
        return Err(ApiError::too_many_requests());
    }
    let limit = parse_number(
        params.limit.as_deref(),
        "limit",
        DEFAULT_SUGGESTIONS,
        MAX_SUGGESTIONS,
    )?;
    let response = run(&state, &headers, &params, Mode::Suggest, limit, 1)?;
    if !response.query.trim().is_empty() {
        if response.results.is_empty() {
            state.metrics.empty_suggestion();
        }
        let typist = Typist::new(peer, params.sid.as_deref(), response.lang.as_str());
        let search = search_record(
            &response.query,
            response.lang.as_str(),
            SearchSource::Suggest,
            response.results.len(),
            &response.results,
        );
        if let Some(ended) = state.bursts().typed(typist, search) {
            state.search_writer().store(vec![ended]);
        }
    }
    Ok(response)
}

/// `GET /api/v1/search?q=…&lang=xx&page=N`: full search, ten per page, with `total`.
pub(super) async fn full_search(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Json<SearchResponse>, ApiError> {
    let Query(params) = params?;
    let page = parse_number(params.page.as_deref(), "page", 1, MAX_PAGE)?;
    run(&state, &headers, &params, Mode::Search, RESULTS_PER_PAGE, page)
}

fn run(
    state: &AppState,
    headers: &HeaderMap,
    params: &SearchParams,
    mode: Mode,
    limit: usize,
    page: usize,
) -> Result<Json<SearchResponse>, ApiError> {
    let started = Instant::now();
    let index = state.index();
    let query = params.q.as_deref().unwrap_or_default();
    let query: String = query.chars().take(search::MAX_QUERY_CHARS).collect();
    let accept_language = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    let (lang, lang_source) = choose_language(
        params.lang.as_deref(),
        accept_language,
        || search::query_language(&index, &query),
        &index.catalog.default_lang,
    )?;
    let found = find(state, &query, &lang, mode, limit, page)?;
    let full = mode == Mode::Search;
    Ok(Json(SearchResponse {
        query,
        lang,
        lang_source,
        results: found.hits.clone(),
        total: full.then_some(found.total),
        page: full.then_some(page),
        took_us: started.elapsed().as_micros(),
    }))
}

/// Page `page` (from 1) of `limit` results for `query` in `lang` from the served index,
/// fallback languages included, nudged by the served boosts; from the cache of recent pages when
/// it has it. Nothing for an empty query.
pub(super) fn find(
    state: &AppState,
    query: &str,
    lang: &LangTag,
    mode: Mode,
    limit: usize,
    page: usize,
) -> Result<Arc<SearchResults>, ApiError> {
    if query.trim().is_empty() {
        return Ok(Arc::new(SearchResults {
            lang: lang.clone(),
            total: 0,
            hits: Vec::new(),
        }));
    }
    let key = state.results().key(query, lang, mode, limit, page);
    let cached = state.results().get(&key);
    state.metrics.result_page(cached.is_some());
    if let Some(found) = cached {
        return Ok(found);
    }
    let found = search_served(&state.index(), &state.boosts(), query, lang, mode, limit, page)?;
    Ok(state.results().put(key, found))
}

/// Page `page` of `limit` results for `query` in `lang` from `index`, nudged by `boosts`.
fn search_served(
    index: &OpenIndex,
    boosts: &Boosts,
    query: &str,
    lang: &LangTag,
    mode: Mode,
    limit: usize,
    page: usize,
) -> Result<SearchResults, ApiError> {
    // A nudge may lift an article from just below the first page into it.
    let extra = if page == 1 && !boosts.is_empty() {
        EXTRA_CANDIDATES
    } else {
        0
    };
    let request = SearchRequest {
        query,
        lang: lang.clone(),
        limit: limit + extra,
        offset: (page - 1) * limit,
        fallback: true,
        mode,
        headline_bonus: true,
    };
    let mut found = search::search(index, &request).map_err(|error| ApiError::internal(&error))?;
    boosts.rerank(lang.as_str(), &mut found.hits);
    found.hits.truncate(limit);
    Ok(found)
}

/// A positive integer parameter: `default` when absent, capped at `max`, 400 when not a number.
fn parse_number(value: Option<&str>, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
    match value.map(str::trim).filter(|value| !value.is_empty()) {
        None => Ok(default),
        Some(text) => match text.parse::<usize>() {
            Ok(0) | Err(_) => Err(ApiError::bad_request(
                "invalid_parameter",
                format!("`{name}` must be a positive whole number, got {text:?}"),
            )),
            Ok(number) => Ok(number.min(max)),
        },
    }
}

/// One language an article exists in.
#[derive(Debug, Serialize)]
pub(super) struct Translation {
    lang: LangTag,
    name: &'static str,
    url: String,
}

/// A section of an article as the API shows it.
#[derive(Debug, Serialize)]
pub(super) struct SectionInfo {
    anchor: Option<String>,
    heading: Option<String>,
    level: u8,
}

/// The response of `/articles/{lang}/{id}`.
#[derive(Debug, Serialize)]
pub(super) struct ArticleResponse {
    id: String,
    lang: LangTag,
    requested_lang: LangTag,
    fallback: bool,
    title: String,
    section: Option<String>,
    updated: Option<chrono::NaiveDate>,
    html: String,
    sections: Vec<SectionInfo>,
    languages: Vec<Translation>,
}

/// `GET /api/v1/articles/{lang}/{id}`: the article in `lang`, or its fallback-language version.
pub(super) async fn article(
    State(state): State<AppState>,
    Path((lang, id)): Path<(String, String)>,
) -> Result<Json<ArticleResponse>, ApiError> {
    let requested = LangTag::parse(&lang)
        .map_err(|error| ApiError::bad_request("unsupported_language", error.to_string()))?;
    let index = state.index();
    let catalog = &index.catalog;
    let not_found = || {
        ApiError::not_found(format!(
            "no article `{id}` in {requested} or its fallback languages"
        ))
    };
    let (entry, fallback) = catalog.resolve(&requested, &id).ok_or_else(not_found)?;
    let html = stored_article(&index, &entry.lang, &entry.id)
        .map_err(|error| ApiError::internal(&error))?
        .html;
    let languages = catalog
        .languages_of(&entry.id)
        .into_iter()
        .map(|lang| Translation {
            name: lang.language().native_name,
            url: format!("/{lang}/articles/{}", entry.id),
            lang: lang.clone(),
        })
        .collect();
    Ok(Json(ArticleResponse {
        id: entry.id.to_string(),
        lang: entry.lang.clone(),
        requested_lang: requested,
        fallback,
        title: entry.title.to_string(),
        section: entry.section.as_deref().map(str::to_string),
        updated: entry.updated,
        html,
        sections: entry
            .sections
            .iter()
            .map(|section| SectionInfo {
                anchor: section.anchor.map(str::to_string),
                heading: section.heading.map(str::to_string),
                level: section.level,
            })
            .collect(),
        languages,
    }))
}

/// What an article's page shows beyond its catalog entry, stored with its first section.
#[derive(Debug, Default)]
pub(super) struct StoredArticle {
    /// The rendered body.
    pub(super) html: String,
    /// The page's meta description.
    pub(super) description: String,
}

/// The rendered HTML and meta description stored with the article's first section.
pub(super) fn stored_article(index: &OpenIndex, lang: &LangTag, id: &str) -> tantivy::Result<StoredArticle> {
    let searcher = index.reader.searcher();
    let key = Term::from_field_text(index.fields.key, &format!("{lang}/{id}"));
    let query = TermQuery::new(key, IndexRecordOption::Basic);
    for (_, address) in searcher.search(&query, &TopDocs::with_limit(1000).order_by_score())? {
        let document: TantivyDocument = searcher.doc(address)?;
        let text = |field| document.get_first(field).and_then(|value| value.as_str());
        if let Some(html) = text(index.fields.html) {
            return Ok(StoredArticle {
                html: html.to_string(),
                description: text(index.fields.description).unwrap_or_default().to_string(),
            });
        }
    }
    Ok(StoredArticle::default())
}

//! The help-center pages, rendered on the server (maud escapes every value it is given): the
//! home page, articles, the results page that works without JavaScript, and the 404 page. Only
//! HTML that kb itself produced and sanitized (article bodies, highlighted titles and snippets)
//! is inserted unescaped.

use axum::extract::rejection::QueryRejection;
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::header::{ACCEPT, ACCEPT_LANGUAGE, CACHE_CONTROL};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::Deserialize;

use super::api::{find, stored_article, MAX_PAGE, RESULTS_PER_PAGE};
use super::error::ApiError;
use super::i18n::{fill, Ui};
use super::lang::best_available;
use super::signals::{search_record, Typist};
use super::{assets, AppState};
use crate::analysis::LangTag;
use crate::index::{CatalogEntry, OpenIndex};
use crate::search::{Mode, MAX_QUERY_CHARS};
use crate::store::SearchSource;

/// `GET /`: to the home page in the visitor's language.
pub(super) async fn root(State(state): State<AppState>, headers: HeaderMap) -> Redirect {
    let lang = visitor_language(&state.index(), &headers);
    Redirect::to(&format!("/{lang}/"))
}

/// `GET /{lang}`: to `/{lang}/`.
pub(super) async fn home_without_slash(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(lang): Path<String>,
) -> Response {
    match LangTag::parse(&lang) {
        Ok(lang) => Redirect::permanent(&format!("/{lang}/")).into_response(),
        Err(_) => unknown_path(&state.index(), &headers),
    }
}

/// `GET /{lang}/`: the search box and every article by category.
pub(super) async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(lang): Path<String>,
) -> Response {
    let index = state.index();
    let Ok(lang) = LangTag::parse(&lang) else {
        return unknown_path(&index, &headers);
    };
    let ui = Ui::of(lang.language().code);
    let body = html! {
        section.hero {
            h1 { (ui.help_center) }
            (search_form(ui, &lang, ""))
        }
        div.categories {
            @for (label, articles) in categories(&index, &lang) {
                section.category {
                    h2 { (label) }
                    ul {
                        @for (entry, fallback) in articles {
                            li {
                                a href=(article_url(&lang, &entry.id)) { (entry.title) }
                                @if fallback {
                                    " " (fallback_badge(ui, &entry.lang))
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    let head = Head {
        title: ui.help_center.to_string(),
        description: ui.search_label,
        alternates: Vec::new(),
    };
    page(StatusCode::OK, &index, &lang, &head, None, body)
}

/// The home page's categories (an article's first id segment, labelled by the `section` field,
/// preferably of an article in `lang` itself), each with its articles in the version a reader of
/// `lang` gets.
fn categories<'a>(index: &'a OpenIndex, lang: &LangTag) -> Vec<(String, Vec<(&'a CatalogEntry, bool)>)> {
    struct Category<'a> {
        key: &'a str,
        label: Option<(&'a str, bool)>,
        articles: Vec<(&'a CatalogEntry, bool)>,
    }
    let mut categories: Vec<Category<'a>> = Vec::new();
    for (entry, fallback) in index.catalog.readable_in(lang) {
        let key = entry.id.split('/').next().unwrap_or_default();
        let position = match categories.iter().position(|category| category.key == key) {
            Some(position) => position,
            None => {
                categories.push(Category {
                    key,
                    label: None,
                    articles: Vec::new(),
                });
                categories.len() - 1
            }
        };
        let category = &mut categories[position];
        if let Some(section) = entry.section.as_deref() {
            let native = !fallback;
            if category
                .label
                .is_none_or(|(_, labelled_natively)| native && !labelled_natively)
            {
                category.label = Some((section, native));
            }
        }
        category.articles.push((entry, fallback));
    }
    categories
        .into_iter()
        .map(|category| {
            let label = category
                .label
                .map_or_else(|| capitalized(category.key), |(label, _)| label.to_string());
            (label, category.articles)
        })
        .collect()
}

/// `billing` → `Billing`, for categories without a `section` label.
fn capitalized(key: &str) -> String {
    let mut chars = key.chars();
    chars
        .next()
        .map(|first| {
            first
                .to_uppercase()
                .chain(chars)
                .collect::<String>()
                .replace('-', " ")
        })
        .unwrap_or_default()
}

/// Query parameters of the article page.
#[derive(Debug, Deserialize)]
pub(super) struct ArticleParams {
    feedback: Option<String>,
}

/// `GET /{lang}/articles/{id}`: the article, or its default-language version with a notice.
pub(super) async fn article(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((lang, id)): Path<(String, String)>,
    params: Result<Query<ArticleParams>, QueryRejection>,
) -> Response {
    let index = state.index();
    let Ok(lang) = LangTag::parse(&lang) else {
        return unknown_path(&index, &headers);
    };
    let Some((entry, fallback)) = index.catalog.resolve(&lang, &id) else {
        return not_found(&index, &lang);
    };
    let stored = match stored_article(&index, &entry.lang, &entry.id) {
        Ok(stored) => stored,
        Err(error) => {
            tracing::error!(%error, "reading a stored article");
            return (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response();
        }
    };
    let ui = Ui::of(lang.language().code);
    let translations: Vec<&LangTag> = index
        .catalog
        .languages_of(&entry.id)
        .into_iter()
        .filter(|other| **other != entry.lang)
        .collect();
    let thanked = params.is_ok_and(|Query(params)| params.feedback.as_deref() == Some("thanks"));
    let body = html! {
        nav.crumbs {
            a href=(format!("/{lang}/")) { (ui.home) }
            @if let Some(section) = &entry.section { " › " (section) }
        }
        @if fallback {
            p.notice role="note" { (fill(ui.fallback_notice, lang.language().native_name)) }
        }
        article lang=(entry.lang) {
            h1 { (entry.title) }
            @if let Some(updated) = entry.updated {
                p.meta { (ui.updated) " " time datetime=(updated) { (updated) } }
            }
            (PreEscaped(&stored.html))
        }
        @if !translations.is_empty() {
            p.also-in {
                (ui.also_in) " "
                @for other in &translations {
                    a href=(article_url(other, &entry.id)) hreflang=(other) lang=(other) {
                        (other.language().native_name)
                    }
                }
            }
        }
        form #feedback .feedback.sent[thanked] method="post" action="/api/v1/feedback"
            data-feedback data-id=(entry.id) data-lang=(lang) {
            input type="hidden" name="id" value=(entry.id);
            input type="hidden" name="lang" value=(lang);
            span.question { (ui.helpful_question) }
            button type="submit" name="helpful" value="true" { (ui.yes) }
            button type="submit" name="helpful" value="false" { (ui.no) }
            span.thanks data-thanks hidden[!thanked] role="status" { (ui.thanks) }
        }
    };
    let head = Head {
        title: format!("{} · {}", entry.title, ui.help_center),
        description: &stored.description,
        alternates: index
            .catalog
            .languages_of(&entry.id)
            .into_iter()
            .map(|other| (other.to_string(), article_url(other, &entry.id)))
            .collect(),
    };
    page(StatusCode::OK, &index, &lang, &head, Some(""), body)
}

/// Query parameters of the results page.
#[derive(Debug, Deserialize)]
pub(super) struct ResultsParams {
    q: Option<String>,
    page: Option<String>,
    /// The suggestion box's session id, when the script submitted the form.
    sid: Option<String>,
}

/// `GET /{lang}/search?q=…&page=N`: full-search results, ten per page.
pub(super) async fn results(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(lang): Path<String>,
    params: Result<Query<ResultsParams>, QueryRejection>,
) -> Response {
    let index = state.index();
    let Ok(lang) = LangTag::parse(&lang) else {
        return unknown_path(&index, &headers);
    };
    let (query, page_number, session) = match params {
        Ok(Query(params)) => (
            params.q.unwrap_or_default(),
            params
                .page
                .and_then(|page| page.trim().parse::<usize>().ok())
                .filter(|page| *page > 0)
                .map_or(1, |page| page.min(MAX_PAGE)),
            params.sid,
        ),
        Err(_) => (String::new(), 1, None),
    };
    let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
    let found = match find(&state, &query, &lang, Mode::Search, RESULTS_PER_PAGE, page_number) {
        Ok(found) => found,
        Err(error) => return error.into_response(),
    };
    let search_id = if query.trim().is_empty() {
        None
    } else {
        // The results page ends the typing burst that led to it: this search supersedes it.
        state
            .bursts()
            .finish(&Typist::new(peer, session.as_deref(), lang.as_str()));
        let record = search_record(
            &query,
            lang.as_str(),
            SearchSource::Page,
            found.total,
            &found.hits,
        );
        let store = state.store();
        let stored = tokio::task::spawn_blocking(move || {
            store.record_search(&record).map_err(|error| error.to_string())
        })
        .await
        .map_err(|error| error.to_string())
        .and_then(|stored| stored);
        stored
            .inspect_err(|error| tracing::warn!(%error, "could not record a search"))
            .ok()
    };
    let ui = Ui::of(lang.language().code);
    let page_link = |number: usize| {
        let encoded: String = url_encode(&query);
        format!("/{lang}/search?q={encoded}&page={number}")
    };
    let has_next = page_number * RESULTS_PER_PAGE < found.total && page_number < MAX_PAGE;
    let body = html! {
        h1 { (fill(ui.results_for, &query)) }
        @if found.hits.is_empty() {
            p.empty { (ui.no_results) }
        } @else {
            p.meta { (fill(ui.results_count, &found.total.to_string())) }
            ol.results start=((page_number - 1) * RESULTS_PER_PAGE + 1) data-search=[search_id]
                data-lang=(lang) {
                @for hit in &found.hits {
                    li {
                        a.result-title href=(hit.url) data-id=(hit.id) { (PreEscaped(&hit.title_html)) }
                        @if hit.fallback { " " (fallback_badge(ui, &hit.lang)) }
                        @if let Some(section) = &hit.section {
                            span.result-section { (section) }
                        }
                        p.snippet { (PreEscaped(&hit.snippet_html)) }
                    }
                }
            }
        }
        nav.pages {
            @if page_number > 1 {
                a rel="prev" href=(page_link(page_number - 1)) { "← " (ui.previous) }
            } @else { span {} }
            @if has_next {
                a rel="next" href=(page_link(page_number + 1)) { (ui.next) " →" }
            }
        }
    };
    let head = Head {
        title: format!("{} · {}", fill(ui.results_for, &query), ui.help_center),
        description: ui.search_label,
        alternates: Vec::new(),
    };
    page(StatusCode::OK, &index, &lang, &head, Some(&query), body)
}

/// The 404 page in `lang`.
pub(super) fn not_found(index: &OpenIndex, lang: &LangTag) -> Response {
    let ui = Ui::of(lang.language().code);
    let body = html! {
        h1 { (ui.not_found_title) }
        p { (ui.not_found_text) }
        p { a href=(format!("/{lang}/")) { (ui.home) } }
    };
    let head = Head {
        title: format!("{} · {}", ui.not_found_title, ui.help_center),
        description: ui.not_found_text,
        alternates: Vec::new(),
    };
    page(StatusCode::NOT_FOUND, index, lang, &head, Some(""), body)
}

/// 404 for a path that names nothing: the 404 page in the visitor's language for browsers, the
/// JSON error for API clients.
pub(super) fn unknown_path(index: &OpenIndex, headers: &HeaderMap) -> Response {
    let wants_page = headers
        .get(ACCEPT)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|accept| accept.contains("text/html"));
    if wants_page {
        not_found(index, &visitor_language(index, headers))
    } else {
        ApiError::not_found("no such route").into_response()
    }
}

/// The best language of the visitor's `Accept-Language` among those with articles, else the
/// default language.
fn visitor_language(index: &OpenIndex, headers: &HeaderMap) -> LangTag {
    headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(|header| best_available(header, index.catalog.languages()))
        .unwrap_or_else(|| index.catalog.default_lang.clone())
}

/// The page URL of article `id` in `lang`.
fn article_url(lang: &LangTag, id: &str) -> String {
    format!("/{lang}/articles/{id}")
}

/// `text` percent-encoded for a query-string value.
fn url_encode(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The badge on an article shown in another language than the page's.
fn fallback_badge(ui: &Ui, lang: &LangTag) -> Markup {
    html! {
        span.badge title=(ui.fallback_badge) lang=(lang) { (lang.as_str().to_uppercase()) }
    }
}

/// The search box: a form to the results page that the script turns into a combobox.
fn search_form(ui: &Ui, lang: &LangTag, value: &str) -> Markup {
    html! {
        form.search role="search" method="get" action=(format!("/{lang}/search"))
            data-suggest data-lang=(lang) data-suggestions-count=(ui.suggestions_count)
            data-fallback-badge=(ui.fallback_badge) {
            label.visually-hidden for="q" { (ui.search_label) }
            div.combo {
                input #q type="search" name="q" value=(value) placeholder=(ui.search_placeholder)
                    autocomplete="off" autocapitalize="off" spellcheck="false" maxlength="256"
                    role="combobox" aria-autocomplete="list" aria-expanded="false"
                    aria-controls="suggestions";
                ul #suggestions .suggestions role="listbox" aria-label=(ui.search_label) hidden {}
            }
            button type="submit" { (ui.search_button) }
            div.visually-hidden data-suggest-status aria-live="polite" {}
        }
    }
}

/// What goes into a page's `<head>` besides the assets.
struct Head<'a> {
    title: String,
    description: &'a str,
    /// Translations of the page: language tag and URL.
    alternates: Vec<(String, String)>,
}

/// A whole page: `<html lang>`, head, top bar (with a search box unless `top_search` is `None`;
/// its value otherwise), `body` and the language footer.
fn page(
    status: StatusCode,
    index: &OpenIndex,
    lang: &LangTag,
    head: &Head<'_>,
    top_search: Option<&str>,
    body: Markup,
) -> Response {
    let ui = Ui::of(lang.language().code);
    let markup = html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (head.title) }
                meta name="description" content=(head.description);
                @for (alternate, url) in &head.alternates {
                    link rel="alternate" hreflang=(alternate) href=(url);
                }
                link rel="stylesheet" href=(assets::url("kb.css"));
                script defer src=(assets::url("kb.js")) {}
            }
            body {
                header.top {
                    div.top-inner {
                        a.brand href=(format!("/{lang}/")) { (ui.help_center) }
                        @if let Some(value) = top_search { (search_form(ui, lang, value)) }
                    }
                }
                main { (body) }
                footer {
                    span.visually-hidden { (ui.other_languages) }
                    @for language in index.catalog.languages() {
                        a href=(format!("/{}/", language.code)) hreflang=(language.code) lang=(language.code) {
                            (language.native_name)
                        }
                    }
                }
            }
        }
    };
    (status, [(CACHE_CONTROL, "no-cache")], Html(markup.into_string())).into_response()
}

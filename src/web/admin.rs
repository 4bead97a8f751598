//! `/admin/`: what writers need to see, behind the admin token — the zero-result rate per day
//! and language (an SVG chart drawn here, no external chart service), searches per language, the
//! content gaps, the translation to-do list and how each article does.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::header::{CACHE_CONTROL, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;

use super::auth::authorize;
use super::error::ApiError;
use super::{assets, AppState};
use crate::analysis::LangTag;
use crate::analytics::{self, DayRate};
use crate::store::{self, SearchRecord, VoteRecord};

/// Days shown unless `days` says otherwise.
const DEFAULT_DAYS: i64 = 30;
/// Most days shown.
const MAX_DAYS: i64 = 366;
/// Gaps listed.
const GAPS_SHOWN: usize = 25;
/// Rows of the translation and article tables.
const ROWS_SHOWN: usize = 50;
/// Line colours of the chart, one per language in turn.
const COLOURS: &[&str] = &[
    "#1f5fbf", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0f766e", "#a16207", "#be185d",
];

/// Query parameters of the admin page.
#[derive(Debug, Deserialize)]
pub(super) struct AdminParams {
    lang: Option<String>,
    days: Option<String>,
}

/// `GET /admin/?lang=xx&days=N`.
pub(super) async fn overview(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<AdminParams>, QueryRejection>,
) -> Response {
    if let Err(error) = authorize(&state, &headers) {
        let mut response = error.into_response();
        response.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"kb admin\""),
        );
        return response;
    }
    let params = params.map(|Query(params)| params).unwrap_or(AdminParams {
        lang: None,
        days: None,
    });
    let lang = params
        .lang
        .as_deref()
        .filter(|lang| !lang.is_empty())
        .and_then(|lang| LangTag::parse(lang).ok());
    let days = params
        .days
        .and_then(|days| days.trim().parse::<i64>().ok())
        .map_or(DEFAULT_DAYS, |days| days.clamp(1, MAX_DAYS));
    let today = analytics::today();
    let since = analytics::period_start(days);
    let store = state.store();
    let loaded = tokio::task::spawn_blocking(move || {
        Ok::<_, store::StoreError>((store.searches_since(since)?, store.votes_since(since)?))
    })
    .await;
    let (searches, votes): (Vec<SearchRecord>, Vec<VoteRecord>) = match loaded {
        Ok(Ok(loaded)) => loaded,
        Ok(Err(error)) => return ApiError::internal(&error).into_response(),
        Err(error) => return ApiError::internal(&error).into_response(),
    };
    let index = state.index();
    let gaps = match analytics::gaps(&index, &searches, lang.as_ref(), GAPS_SHOWN) {
        Ok(gaps) => gaps,
        Err(error) => return ApiError::internal(&error).into_response(),
    };
    let stats = analytics::stats(&index, &searches, &votes, lang.as_ref());
    let mut per_day = analytics::zero_results_per_day(&searches, days, today);
    if let Some(lang) = &lang {
        per_day.retain(|code, _| code == lang.as_str());
    }
    let title = format!("kb admin · last {days} days");
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) }
                link rel="stylesheet" href=(assets::url("kb.css"));
            }
            body {
                main.admin {
                    h1 { (title) @if let Some(lang) = &lang { " · " (lang) } }
                    p.meta {
                        "Language: "
                        a href=(format!("?days={days}")) { "all" }
                        @for language in index.catalog.languages() {
                            " · " a href=(format!("?days={days}&lang={}", language.code)) { (language.code) }
                        }
                        " — period: "
                        @for period in [7, 30, 90] {
                            a href=(format!("?days={period}{}", lang.as_ref().map(|l| format!("&lang={l}")).unwrap_or_default())) { (period) " days" } " "
                        }
                    }
                    h2 { "Zero-result rate per day" }
                    (chart(&per_day))
                    h2 { "Searches per language" }
                    table {
                        tr { th { "language" } th { "searches" } th { "found nothing" } th { "articles" } }
                        @for row in &stats.languages {
                            tr {
                                td { (row.lang) }
                                td { (row.searches) }
                                td { (percent(row.zero_result_rate)) }
                                td { (row.articles) }
                            }
                        }
                    }
                    h2 { "Content gaps" }
                    p.meta { "Questions that found nothing or got no click, spelling variants and inflections together." }
                    table {
                        tr { th { "question" } th { "count" } th { "nothing / no click" } th { "languages" } th { "from" } th { "closest article" } }
                        @for gap in &gaps {
                            tr {
                                td {
                                    (gap.query)
                                    @if !gap.variants.is_empty() { br; small { (gap.variants.join(" · ")) } }
                                }
                                td { (gap.count) }
                                td { (gap.no_results) " / " (gap.no_click) }
                                td { (gap.languages.join(", ")) }
                                td { (gap.sources.iter().map(|source| format!("{source:?}").to_lowercase()).collect::<Vec<_>>().join(", ")) }
                                td {
                                    @if let Some(closest) = &gap.closest {
                                        a href=(format!("/{}/articles/{}", closest.lang, closest.id)) { (closest.title) }
                                    } @else { "—" }
                                }
                            }
                        }
                    }
                    h2 { "Translations to write" }
                    table {
                        tr { th { "language" } th { "article" } th { "demand" } }
                        @for todo in stats.translations.iter().take(ROWS_SHOWN) {
                            tr {
                                td { (todo.lang) }
                                td { a href=(format!("/{}/articles/{}", index.catalog.default_lang, todo.id)) { (todo.title) } }
                                td { (todo.demand) }
                            }
                        }
                    }
                    h2 { "Articles" }
                    table {
                        tr { th { "article" } th { "language" } th { "impressions" } th { "clicks" } th { "click-through" } th { "helpful" } th { "not helpful" } }
                        @for row in stats.articles.iter().take(ROWS_SHOWN) {
                            tr {
                                td { a href=(format!("/{}/articles/{}", row.lang, row.id)) { (row.id) } }
                                td { (row.lang) @if row.fallback { " (untranslated)" } }
                                td { (row.impressions) }
                                td { (row.clicks) }
                                td { (percent(row.click_through)) }
                                td { (row.helpful) }
                                td { (row.unhelpful) }
                            }
                        }
                    }
                }
            }
        }
    };
    (
        StatusCode::OK,
        [(CACHE_CONTROL, "no-store")],
        Html(markup.into_string()),
    )
        .into_response()
}

/// `0.123` → `12.3 %`.
fn percent(ratio: f64) -> String {
    format!("{:.1} %", ratio * 100.0)
}

/// A line per language of the zero-result rate over the days (days without searches skipped).
fn chart(per_day: &std::collections::BTreeMap<String, Vec<DayRate>>) -> Markup {
    const WIDTH: f64 = 640.0;
    const HEIGHT: f64 = 200.0;
    const LEFT: f64 = 40.0;
    const BOTTOM: f64 = 20.0;
    let days = per_day.values().map(Vec::len).max().unwrap_or(0).max(2);
    let x = |day: usize| LEFT + (WIDTH - LEFT - 10.0) * day as f64 / (days - 1) as f64;
    let y = |rate: f64| (HEIGHT - BOTTOM) * (1.0 - rate) + 5.0;
    html! {
        svg.chart role="img" aria-label="Zero-result rate per day and language" viewBox=(format!("0 0 {WIDTH} {}", HEIGHT + 10.0))
            width="100%" style="max-width: 40rem" xmlns="http://www.w3.org/2000/svg" {
            @for rate in [0.0, 0.5, 1.0] {
                line x1=(LEFT) x2=(WIDTH - 10.0) y1=(y(rate)) y2=(y(rate)) stroke="#dde2ea" {}
                text x="2" y=(y(rate) + 4.0) font-size="11" fill="#5b6576" { (format!("{:.0}%", rate * 100.0)) }
            }
            @for (position, (lang, rates)) in per_day.iter().enumerate() {
                @let colour = COLOURS[position % COLOURS.len()];
                @let points: Vec<String> = rates
                    .iter()
                    .enumerate()
                    .filter(|(_, rate)| rate.searches > 0)
                    .map(|(day, rate)| format!("{:.1},{:.1}", x(day), y(rate.zero_results as f64 / rate.searches as f64)))
                    .collect();
                polyline fill="none" stroke=(colour) stroke-width="2" points=(points.join(" ")) data-lang=(lang) {}
                @for point in &points {
                    @let (cx, cy) = point.split_once(',').unwrap_or_default();
                    circle cx=(cx) cy=(cy) r="2.5" fill=(colour) {}
                }
                text x=(LEFT + 8.0 + 40.0 * position as f64) y=(HEIGHT + 8.0) font-size="11" fill=(colour) { (lang) }
            }
        }
    }
}

//! `GET /api/v1/explain?q=…&lang=…&id=…&mode=search|suggest` (admin token): why articles rank
//! where they do, as `kb explain` prints it.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;

use super::auth::authorize;
use super::error::ApiError;
use super::AppState;
use crate::analysis::LangTag;
use crate::search::{explain, ExplainRequest, Explanation, Mode, MAX_QUERY_CHARS};

/// Top articles explained unless `limit` says otherwise.
const DEFAULT_EXPLAINED: usize = 5;
/// Most top articles explained.
const MAX_EXPLAINED: usize = 20;

/// Query parameters of `/explain`.
#[derive(Debug, Deserialize)]
pub(super) struct ExplainParams {
    q: Option<String>,
    lang: Option<String>,
    id: Option<String>,
    mode: Option<String>,
    limit: Option<usize>,
}

/// `GET /api/v1/explain`.
pub(super) async fn explain_query(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<ExplainParams>, QueryRejection>,
) -> Result<Json<Explanation>, ApiError> {
    authorize(&state, &headers)?;
    let Query(params) = params?;
    let index = state.index();
    let lang = match params.lang.as_deref().filter(|lang| !lang.trim().is_empty()) {
        Some(lang) => LangTag::parse(lang)
            .map_err(|error| ApiError::bad_request("unsupported_language", error.to_string()))?,
        None => index.catalog.default_lang.clone(),
    };
    let mode = match params.mode.as_deref() {
        None | Some("search") => Mode::Search,
        Some("suggest") => Mode::Suggest,
        Some(other) => {
            return Err(ApiError::bad_request(
                "invalid_parameter",
                format!("`mode` must be search or suggest, got {other:?}"),
            ))
        }
    };
    let query: String = params
        .q
        .unwrap_or_default()
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect();
    let request = ExplainRequest {
        query: &query,
        lang,
        mode,
        limit: params.limit.unwrap_or(DEFAULT_EXPLAINED).min(MAX_EXPLAINED),
        id: params.id.as_deref().filter(|id| !id.is_empty()),
    };
    explain(&index, &request)
        .map(Json)
        .map_err(|error| ApiError::internal(&error))
}

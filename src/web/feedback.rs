//! "Was this article helpful?": `POST /api/v1/feedback` stores a vote durably (rate-limited per
//! client address); `GET /api/v1/stats` (admin bearer token) counts them per article and language.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Form, FromRequest, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::error::ApiError;
use super::AppState;
use crate::analysis::LangTag;
use crate::store::{Vote, VoteCount};

/// Largest feedback body, in bytes.
pub(super) const MAX_FEEDBACK_BYTES: usize = 16 * 1024;

/// A vote as the page posts it (JSON from the script, a form without it).
#[derive(Debug, Deserialize)]
struct FeedbackBody {
    id: String,
    lang: String,
    helpful: bool,
    query: Option<String>,
}

/// `POST /api/v1/feedback`: 201 with the stored vote for JSON; a redirect back to the article
/// (showing the thanks) for a form post.
pub(super) async fn feedback(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
) -> Result<Response, ApiError> {
    if !state.rate().allow_feedback(peer.ip()) {
        return Err(ApiError::too_many_requests());
    }
    let content_type = super::content_type(&request);
    let from_form = content_type.starts_with("application/x-www-form-urlencoded");
    let body = if from_form {
        let Form(body) = Form::<FeedbackBody>::from_request(request, &state)
            .await
            .map_err(|rejection| ApiError::bad_request("invalid_body", rejection.body_text()))?;
        body
    } else if content_type.starts_with("application/json") {
        let Json(body) = Json::<FeedbackBody>::from_request(request, &state)
            .await
            .map_err(|rejection| ApiError::bad_request("invalid_body", rejection.body_text()))?;
        body
    } else {
        return Err(ApiError::unsupported_media_type(
            &content_type,
            "application/json or a form",
        ));
    };
    let lang = LangTag::parse(&body.lang)
        .map_err(|error| ApiError::bad_request("unsupported_language", error.to_string()))?;
    let index = state.index();
    let Some((entry, _)) = index.catalog.resolve(&lang, &body.id) else {
        return Err(ApiError::not_found(format!("no article `{}` in {lang}", body.id)));
    };
    let vote = Vote {
        article: entry.id.to_string(),
        lang: lang.to_string(),
        helpful: body.helpful,
        query: body.query.filter(|query| !query.trim().is_empty()),
    };
    let store = state.store();
    let stored = vote.clone();
    tokio::task::spawn_blocking(move || store.record_vote(&stored))
        .await
        .map_err(|error| ApiError::internal(&error))?
        .map_err(|error| ApiError::internal(&error))?;
    if from_form {
        let back = format!("/{lang}/articles/{}?feedback=thanks#feedback", vote.article);
        return Ok(Redirect::to(&back).into_response());
    }
    let stored = json!({ "stored": true, "id": vote.article, "lang": vote.lang, "helpful": vote.helpful });
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

/// The response of `/stats`.
#[derive(Debug, Serialize)]
pub(super) struct StatsResponse {
    articles: Vec<VoteCount>,
}

/// `GET /api/v1/stats`: helpful / unhelpful votes per article and language.
pub(super) async fn stats(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<StatsResponse>, ApiError> {
    super::auth::authorize(&state, &headers)?;
    let store = state.store();
    let articles = tokio::task::spawn_blocking(move || store.vote_counts())
        .await
        .map_err(|error| ApiError::internal(&error))?
        .map_err(|error| ApiError::internal(&error))?;
    Ok(Json(StatsResponse { articles }))
}

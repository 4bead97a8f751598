//! `POST /api/v1/reply`: article links for an automatic reply to a support e-mail, from a raw
//! message (`message/rfc822`), JSON (kb's own fields or a webhook's), or a webhook form post.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Multipart, Query, Request, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use super::error::ApiError;
use super::AppState;
use crate::mail::{self, Email, MailError};
use crate::search::{answer_email, Reply};
use crate::store::SearchRecord;

/// Links per reply unless `max_links` says otherwise.
const DEFAULT_MAX_LINKS: usize = 3;
/// Most links per reply.
const MAX_LINKS: usize = 10;

/// Query parameters of `/reply`.
#[derive(Debug, Deserialize)]
pub(super) struct ReplyParams {
    max_links: Option<usize>,
}

/// `POST /api/v1/reply`.
pub(super) async fn reply(
    State(state): State<AppState>,
    params: Result<Query<ReplyParams>, axum::extract::rejection::QueryRejection>,
    request: Request,
) -> Result<Json<Reply>, ApiError> {
    let Query(params) = params?;
    let max_links = params.max_links.unwrap_or(DEFAULT_MAX_LINKS).min(MAX_LINKS);
    let content_type = super::content_type(&request);
    let email = if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(request, &state)
            .await
            .map_err(|rejection| ApiError::unprocessable(rejection.body_text()))?;
        let mut fields = HashMap::new();
        while let Some(field) = multipart
            .next_field()
            .await
            .map_err(|error| match error.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(state.limits.max_message_bytes),
                _ => ApiError::unprocessable(error.body_text()),
            })?
        {
            let name = field.name().unwrap_or_default().to_string();
            let value = field.bytes().await.map_err(|error| match error.status() {
                StatusCode::PAYLOAD_TOO_LARGE => ApiError::too_large(state.limits.max_message_bytes),
                _ => ApiError::unprocessable(error.body_text()),
            })?;
            fields.insert(name, value.to_vec());
        }
        mail::parse_form(&fields)
    } else {
        let limit = state.limits.max_message_bytes;
        let body = Bytes::from_request(request, &state)
            .await
            .map_err(|rejection| body_error(rejection, limit))?;
        if content_type.starts_with("application/json") {
            let value: serde_json::Value = serde_json::from_slice(&body)
                .map_err(|error| ApiError::unprocessable(format!("the body is not JSON: {error}")))?;
            mail::parse_json(&value)
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            let fields: HashMap<String, String> = url_decoded_pairs(&body);
            mail::parse_fields(&fields)
        } else if content_type.starts_with("message/rfc822") || content_type.is_empty() {
            mail::parse_raw(&body)
        } else {
            return Err(ApiError::unsupported_media_type(
                &content_type,
                "message/rfc822, application/json or a form",
            ));
        }
    };
    let email: Email = email.map_err(|error| match error {
        MailError::TooLarge { limit } => ApiError::too_large(limit),
        MailError::NotAMessage(_) => ApiError::unprocessable(error.to_string()),
    })?;
    let index = state.index();
    let reply = answer_email(&index, &email, state.public_url(), max_links)
        .map_err(|error| ApiError::internal(&error))?;
    if reply.links.is_empty() && !reply.topic.is_empty() {
        // Only the topic words and the language: never the sender, names or the text.
        let search = SearchRecord::unanswered_email(reply.lang.as_str(), &reply.topic);
        state.search_writer().store(vec![search]);
    }
    Ok(Json(reply))
}

fn body_error(rejection: BytesRejection, limit: usize) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::too_large(limit)
    } else {
        ApiError::unprocessable(rejection.body_text())
    }
}

fn url_decoded_pairs(body: &[u8]) -> HashMap<String, String> {
    let decode = |text: &str| {
        percent_encoding::percent_decode_str(&text.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    String::from_utf8_lossy(body)
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| (decode(key), decode(value)))
        .collect()
}

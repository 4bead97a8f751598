//! What `kb serve` allows one client or one request: rate limits per client address (suggest,
//! feedback, clicks), the time a request may take, the size of an e-mail; and which other sites
//! may call the API from their pages (CORS).

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::error::ApiError;
use super::AppState;

/// The configurable limits.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Suggest requests per second per client address; bursts of three seconds' worth pass.
    pub suggest_per_second: u32,
    /// Feedback votes per minute per client address (clicks: six times as many).
    pub feedback_per_minute: u32,
    /// Longest a request may take before it is answered 503.
    pub request_timeout: Duration,
    /// Largest e-mail body of `/api/v1/reply` (413 above).
    pub max_message_bytes: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            suggest_per_second: 30,
            feedback_per_minute: 20,
            request_timeout: Duration::from_secs(10),
            max_message_bytes: crate::mail::MAX_MESSAGE_BYTES,
        }
    }
}

/// The rate limiters of [`Limits`], one state per client address.
pub(super) struct RateLimiters {
    suggest: DefaultKeyedRateLimiter<IpAddr>,
    feedback: DefaultKeyedRateLimiter<IpAddr>,
    clicks: DefaultKeyedRateLimiter<IpAddr>,
}

impl RateLimiters {
    /// Limiters for `limits` (a rate of 0 counts as 1).
    pub(super) fn new(limits: &Limits) -> RateLimiters {
        let at_least_one = |rate: u32| NonZeroU32::new(rate.max(1)).unwrap_or(NonZeroU32::MIN);
        let suggest = at_least_one(limits.suggest_per_second);
        let feedback = at_least_one(limits.feedback_per_minute);
        RateLimiters {
            suggest: RateLimiter::keyed(
                Quota::per_second(suggest)
                    .allow_burst(at_least_one(limits.suggest_per_second.saturating_mul(3))),
            ),
            feedback: RateLimiter::keyed(Quota::per_minute(feedback)),
            clicks: RateLimiter::keyed(Quota::per_minute(at_least_one(
                limits.feedback_per_minute.saturating_mul(6),
            ))),
        }
    }

    /// Whether `address` may ask for suggestions now.
    pub(super) fn allow_suggest(&self, address: IpAddr) -> bool {
        self.suggest.check_key(&address).is_ok()
    }

    /// Whether `address` may vote now.
    pub(super) fn allow_feedback(&self, address: IpAddr) -> bool {
        self.feedback.check_key(&address).is_ok()
    }

    /// Whether `address` may report a click now.
    pub(super) fn allow_click(&self, address: IpAddr) -> bool {
        self.clicks.check_key(&address).is_ok()
    }
}

/// Answers 503 (JSON error) when the request takes longer than the limit.
pub(super) async fn deadline(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.limits.request_timeout;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::timed_out(limit).into_response(),
    }
}

/// The CORS layer for `origins` (`*` for any), or `None` when no other site may call the API.
pub(super) fn cors(origins: &[String]) -> Option<CorsLayer> {
    let origins: Vec<&str> = origins
        .iter()
        .map(|origin| origin.trim().trim_end_matches('/'))
        .filter(|origin| !origin.is_empty())
        .collect();
    if origins.is_empty() {
        return None;
    }
    let allow = if origins.contains(&"*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .filter_map(|origin| HeaderValue::from_str(origin).ok()),
        )
    };
    Some(
        CorsLayer::new()
            .allow_origin(allow)
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([
                axum::http::header::CONTENT_TYPE,
                axum::http::header::ACCEPT_LANGUAGE,
            ])
            .max_age(Duration::from_secs(3600)),
    )
}

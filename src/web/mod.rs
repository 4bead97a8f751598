//! The HTTP server: the JSON API over the searcher, the help-center pages, one log line per
//! request, JSON errors for everything that goes wrong under `/api/`, graceful shutdown.

mod api;
mod assets;
mod error;
mod feedback;
mod i18n;
mod lang;
mod pages;
mod reply;

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use axum::extract::DefaultBodyLimit;
use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderMap;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use tower_http::catch_panic::CatchPanicLayer;

pub use error::ApiError;
pub use lang::{best_accepted, best_available, choose_language, LangSource};

use crate::index::OpenIndex;
use crate::store::Store;

/// Feedback votes one client address may send per minute (a person votes once per article).
const FEEDBACK_VOTES_PER_MINUTE: NonZeroU32 = NonZeroU32::new(20).expect("20 is not zero");

/// What every request handler shares: the index being served (swappable as a whole), the data
/// store, and the server's settings.
#[derive(Clone)]
pub struct AppState {
    index: Arc<RwLock<Arc<OpenIndex>>>,
    public_url: Arc<str>,
    store: Arc<Store>,
    admin_token: Option<Arc<str>>,
    feedback_limiter: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl AppState {
    /// State serving `index` and keeping feedback in `store`; links in e-mail replies start with
    /// `public_url`. Admin routes refuse every request until [`AppState::with_admin_token`].
    pub fn new(index: OpenIndex, public_url: &str, store: Store) -> AppState {
        AppState {
            index: Arc::new(RwLock::new(Arc::new(index))),
            public_url: Arc::from(public_url.trim_end_matches('/')),
            store: Arc::new(store),
            admin_token: None,
            feedback_limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(FEEDBACK_VOTES_PER_MINUTE))),
        }
    }

    /// The same state, with admin routes open to `Authorization: Bearer <token>`.
    pub fn with_admin_token(mut self, token: &str) -> AppState {
        self.admin_token = Some(Arc::from(token));
        self
    }

    /// The token admin routes require, if one is configured.
    fn admin_token(&self) -> Option<&str> {
        self.admin_token.as_deref()
    }

    /// The data store.
    fn store(&self) -> Arc<Store> {
        Arc::clone(&self.store)
    }

    /// Feedback votes allowed per client address.
    fn feedback_limiter(&self) -> &DefaultKeyedRateLimiter<IpAddr> {
        &self.feedback_limiter
    }

    /// The public base URL of the help center, e.g. `https://help.example.com`.
    pub fn public_url(&self) -> &str {
        &self.public_url
    }

    /// The index to answer the current request with (requests in flight keep theirs).
    pub fn index(&self) -> Arc<OpenIndex> {
        match self.index.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Serves `index` from now on.
    pub fn replace(&self, index: OpenIndex) {
        let index = Arc::new(index);
        match self.index.write() {
            Ok(mut guard) => *guard = index,
            Err(poisoned) => *poisoned.into_inner() = index,
        }
    }
}

/// The router with every route, the request log and the error fallbacks.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::root))
        .route("/assets/{name}", get(assets::asset))
        .route("/{lang}", get(pages::home_without_slash))
        .route("/{lang}/", get(pages::home))
        .route("/{lang}/search", get(pages::results))
        .route("/{lang}/articles/{*id}", get(pages::article))
        .route(
            "/api/v1/feedback",
            post(feedback::feedback).layer(DefaultBodyLimit::max(feedback::MAX_FEEDBACK_BYTES)),
        )
        .route("/api/v1/stats", get(feedback::stats))
        .route("/api/v1/suggest", get(api::suggest))
        .route("/api/v1/search", get(api::full_search))
        .route("/api/v1/articles/{lang}/{*id}", get(api::article))
        .route(
            "/api/v1/reply",
            post(reply::reply).layer(DefaultBodyLimit::max(crate::mail::MAX_MESSAGE_BYTES)),
        )
        .fallback(unknown_route)
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .with_state(state)
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal(&"a request handler panicked").into_response()
        }))
        .layer(middleware::from_fn(log_request))
}

/// The request's media type, lower-cased (empty when absent).
fn content_type(request: &Request) -> String {
    request
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// 404 for a path no route matches: the JSON error for API clients and anything under `/api/`,
/// the 404 page for browsers.
async fn unknown_route(State(state): State<AppState>, headers: HeaderMap, request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        ApiError::not_found("no such route").into_response()
    } else {
        pages::unknown_path(&state.index(), &headers)
    }
}

/// One structured line per request: method, route, status, latency.
async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |path| path.as_str().to_string());
    let response = next.run(request).await;
    tracing::info!(
        %method,
        route,
        status = response.status().as_u16(),
        latency_us = started.elapsed().as_micros() as u64,
        "request"
    );
    response
}

/// Serves `state` on `listener` until `shutdown` completes, then finishes requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

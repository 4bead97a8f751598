//! The HTTP server: the JSON API over the searcher, one log line per request, JSON errors for
//! everything that goes wrong, graceful shutdown.

mod api;
mod error;
mod lang;
mod reply;

use std::future::Future;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use axum::extract::DefaultBodyLimit;
use axum::extract::{MatchedPath, Request};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;

pub use error::ApiError;
pub use lang::{best_accepted, choose_language, LangSource};

use crate::index::OpenIndex;

/// What every request handler shares: the index being served, swappable as a whole.
#[derive(Clone)]
pub struct AppState {
    index: Arc<RwLock<Arc<OpenIndex>>>,
    public_url: Arc<str>,
}

impl AppState {
    /// State serving `index`; links in e-mail replies start with `public_url`.
    pub fn new(index: OpenIndex, public_url: &str) -> AppState {
        AppState {
            index: Arc::new(RwLock::new(Arc::new(index))),
            public_url: Arc::from(public_url.trim_end_matches('/')),
        }
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

/// The router with every route, the request log and the JSON error fallbacks.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/api/v1/suggest", get(api::suggest))
        .route("/api/v1/search", get(api::full_search))
        .route("/api/v1/articles/{lang}/{*id}", get(api::article))
        .route(
            "/api/v1/reply",
            post(reply::reply).layer(DefaultBodyLimit::max(crate::mail::MAX_MESSAGE_BYTES)),
        )
        .fallback(|| async { ApiError::not_found("no such route") })
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .with_state(state)
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal(&"a request handler panicked").into_response()
        }))
        .layer(middleware::from_fn(log_request))
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
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}

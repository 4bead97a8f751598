//! The HTTP server: the JSON API over the searcher, the help-center pages, one log line per
//! request, JSON errors for everything that goes wrong under `/api/`, graceful shutdown.

mod admin;
mod api;
mod assets;
mod auth;
mod error;
mod feedback;
mod i18n;
mod lang;
mod pages;
mod reply;
mod signals;

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

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
use crate::search::Boosts;
use crate::store::Store;

/// Feedback votes one client address may send per minute (a person votes once per article).
const FEEDBACK_VOTES_PER_MINUTE: NonZeroU32 = NonZeroU32::new(20).expect("20 is not zero");
/// Clicks one client address may report per minute.
const CLICKS_PER_MINUTE: NonZeroU32 = NonZeroU32::new(120).expect("120 is not zero");

/// Per-client-address rate limits of the routes that write to the store.
struct Limits {
    feedback: DefaultKeyedRateLimiter<IpAddr>,
    clicks: DefaultKeyedRateLimiter<IpAddr>,
}

impl Limits {
    /// Whether `address` may vote now.
    fn allow_feedback(&self, address: IpAddr) -> bool {
        self.feedback.check_key(&address).is_ok()
    }

    /// Whether `address` may report a click now.
    fn allow_click(&self, address: IpAddr) -> bool {
        self.clicks.check_key(&address).is_ok()
    }
}

/// What every request handler shares: the index being served (swappable as a whole), the data
/// store, and the server's settings.
#[derive(Clone)]
pub struct AppState {
    index: Arc<RwLock<Arc<OpenIndex>>>,
    public_url: Arc<str>,
    store: Arc<Store>,
    admin_token: Option<Arc<str>>,
    limits: Arc<Limits>,
    bursts: Arc<signals::Bursts>,
    retention: Option<Duration>,
    signal_boost: bool,
    boosts: Arc<RwLock<Arc<Boosts>>>,
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
            limits: Arc::new(Limits {
                feedback: RateLimiter::keyed(Quota::per_minute(FEEDBACK_VOTES_PER_MINUTE)),
                clicks: RateLimiter::keyed(Quota::per_minute(CLICKS_PER_MINUTE)),
            }),
            bursts: Arc::new(signals::Bursts::new(signals::BURST_IDLE)),
            retention: None,
            signal_boost: false,
            boosts: Arc::new(RwLock::new(Arc::new(Boosts::default()))),
        }
    }

    /// The same state, nudging rankings with customers' clicks and votes (refreshed every ten
    /// minutes; a language needs enough evidence before anything moves).
    pub fn with_signal_boost(mut self) -> AppState {
        self.signal_boost = true;
        self
    }

    /// The ranking nudges in force.
    fn boosts(&self) -> Arc<Boosts> {
        match self.boosts.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Recomputes the ranking nudges from the store.
    async fn refresh_boosts(&self) {
        let store = self.store();
        let computed = tokio::task::spawn_blocking(move || {
            let now = crate::store::now();
            let since = now - SIGNAL_WINDOW.as_secs() as i64;
            let signals =
                crate::analytics::signals(&store.searches_since(since)?, &store.votes_since(since)?, now);
            Ok::<_, crate::store::StoreError>(Boosts::new(signals))
        })
        .await;
        match computed {
            Ok(Ok(boosts)) => {
                let boosts = Arc::new(boosts);
                match self.boosts.write() {
                    Ok(mut guard) => *guard = boosts,
                    Err(poisoned) => *poisoned.into_inner() = boosts,
                }
            }
            Ok(Err(error)) => tracing::warn!(%error, "could not compute ranking signals"),
            Err(error) => tracing::warn!(%error, "could not compute ranking signals"),
        }
    }

    /// The same state, deleting searches and votes older than `retention` (hourly).
    pub fn with_retention(mut self, retention: Duration) -> AppState {
        self.retention = Some(retention);
        self
    }

    /// The same state, ending typing bursts after `idle` without keystrokes instead of
    /// ten seconds.
    pub fn with_burst_idle(mut self, idle: Duration) -> AppState {
        self.bursts = Arc::new(signals::Bursts::new(idle));
        self
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

    /// The per-client rate limits.
    fn limits(&self) -> &Limits {
        &self.limits
    }

    /// The typing bursts in progress.
    fn bursts(&self) -> &signals::Bursts {
        &self.bursts
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
        .route("/admin/", get(admin::overview))
        .route(
            "/admin",
            get(|| async { axum::response::Redirect::permanent("/admin/") }),
        )
        .route(
            "/api/v1/click",
            post(signals::click).layer(DefaultBodyLimit::max(feedback::MAX_FEEDBACK_BYTES)),
        )
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

/// Serves `state` on `listener` until `shutdown` completes, then finishes requests in flight
/// and stores the typing bursts still open.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let housekeeping = tokio::spawn(housekeeping(state.clone()));
    let served = axum::serve(
        listener,
        app(state.clone()).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    housekeeping.abort();
    let _ = signals::store_searches(state.store(), state.bursts().take_idle(true)).await;
    served
}

/// Every second, stores the typing bursts that ended; every hour, deletes what is older than
/// the retention period.
async fn housekeeping(state: AppState) {
    let mut ticks = tokio::time::interval(Duration::from_secs(1));
    let mut last_purge: Option<Instant> = None;
    let mut last_boosts: Option<Instant> = None;
    loop {
        ticks.tick().await;
        signals::store_searches(state.store(), state.bursts().take_idle(false));
        if state.signal_boost && last_boosts.is_none_or(|at| at.elapsed() >= BOOSTS_EVERY) {
            last_boosts = Some(Instant::now());
            state.refresh_boosts().await;
        }
        let Some(retention) = state.retention else {
            continue;
        };
        if last_purge.is_some_and(|at| at.elapsed() < PURGE_EVERY) {
            continue;
        }
        last_purge = Some(Instant::now());
        let before = crate::store::now() - retention.as_secs() as i64;
        let store = state.store();
        match tokio::task::spawn_blocking(move || store.purge(Some(before))).await {
            Ok(Ok(purged)) => tracing::info!(
                searches = purged.searches,
                votes = purged.votes,
                "retention purge"
            ),
            Ok(Err(error)) => tracing::warn!(%error, "retention purge failed"),
            Err(error) => tracing::warn!(%error, "retention purge failed"),
        }
    }
}

/// How often the ranking nudges are recomputed.
const BOOSTS_EVERY: Duration = Duration::from_secs(600);
/// How far back clicks and votes count for ranking (their weight halves every 30 days anyway).
const SIGNAL_WINDOW: Duration = Duration::from_secs(180 * 86_400);

/// How often data past the retention period is deleted.
const PURGE_EVERY: Duration = Duration::from_secs(3600);

//! The HTTP server: the JSON API over the searcher, the help-center pages, one log line per
//! request, JSON errors for everything that goes wrong under `/api/`, graceful shutdown.

mod admin;
mod api;
mod assets;
mod auth;
mod cache;
mod error;
mod explain;
mod feedback;
mod i18n;
mod lang;
mod limits;
mod metrics;
mod pages;
mod reload;
mod reply;
mod signals;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::extract::DefaultBodyLimit;
use axum::extract::{MatchedPath, Request, State};
use axum::http::HeaderMap;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post, MethodRouter};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;

pub use error::ApiError;
pub use lang::{best_accepted, best_available, choose_language, LangSource};
pub use limits::Limits;
pub use reload::{purge_freed_memory_promptly, LiveReload, Rebuilt, ReloadError, ReloadOutcome};

use crate::index::OpenIndex;
use crate::search::Boosts;
use crate::store::Store;

/// Result pages kept by default: the prefixes and questions typed most often (a few MB).
pub const DEFAULT_RESULT_CACHE: usize = 2048;

/// What every request handler shares: the index being served (swappable as a whole), the data
/// store, and the server's settings.
#[derive(Clone)]
pub struct AppState {
    index: Arc<RwLock<Arc<OpenIndex>>>,
    public_url: Arc<str>,
    store: Arc<Store>,
    admin_token: Option<Arc<str>>,
    limits: Arc<Limits>,
    rate: Arc<limits::RateLimiters>,
    cors_origins: Arc<[String]>,
    bursts: Arc<signals::Bursts>,
    search_writer: signals::SearchWriter,
    retention: Option<Duration>,
    signal_boost: bool,
    boosts: Arc<RwLock<Arc<Boosts>>>,
    metrics: Arc<metrics::Metrics>,
    live: Option<Arc<LiveReload>>,
    reloading: Arc<tokio::sync::Mutex<()>>,
    results: Arc<cache::ResultCache>,
}

impl AppState {
    /// State serving `index` and keeping feedback in `store`; links in e-mail replies start with
    /// `public_url`. Admin routes refuse every request until [`AppState::with_admin_token`].
    pub fn new(index: OpenIndex, public_url: &str, store: Store) -> AppState {
        let store = Arc::new(store);
        let metrics = metrics::Metrics::new();
        metrics.set_articles(&index.catalog);
        AppState {
            index: Arc::new(RwLock::new(Arc::new(index))),
            public_url: Arc::from(public_url.trim_end_matches('/')),
            store: Arc::clone(&store),
            admin_token: None,
            limits: Arc::new(Limits::default()),
            rate: Arc::new(limits::RateLimiters::new(&Limits::default())),
            cors_origins: Arc::from(Vec::new()),
            bursts: Arc::new(signals::Bursts::new(signals::BURST_IDLE)),
            search_writer: signals::SearchWriter::start(Arc::clone(&store)),
            retention: None,
            signal_boost: false,
            boosts: Arc::new(RwLock::new(Arc::new(Boosts::default()))),
            metrics: Arc::new(metrics),
            live: None,
            reloading: Arc::new(tokio::sync::Mutex::new(())),
            results: Arc::new(cache::ResultCache::new(DEFAULT_RESULT_CACHE)),
        }
    }

    /// The same state, keeping at most `capacity` recent result pages (0: none) instead of
    /// [`DEFAULT_RESULT_CACHE`].
    pub fn with_result_cache(mut self, capacity: usize) -> AppState {
        self.results = Arc::new(cache::ResultCache::new(capacity));
        self
    }

    /// The same state, rebuilding and swapping the index when the articles of `live` change
    /// (once served) or when an admin asks.
    pub fn with_live_reload(mut self, live: LiveReload) -> AppState {
        self.live = Some(Arc::new(live));
        self
    }

    /// The same state, with `limits` instead of the defaults.
    pub fn with_limits(mut self, limits: Limits) -> AppState {
        self.rate = Arc::new(limits::RateLimiters::new(&limits));
        self.limits = Arc::new(limits);
        self
    }

    /// The same state, letting pages of `origins` (`*`: any site) call the API.
    pub fn with_cors_origins(mut self, origins: Vec<String>) -> AppState {
        self.cors_origins = Arc::from(origins);
        self
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
            let signals = crate::analytics::signals(
                &store.clicked_searches_since(since)?,
                &store.votes_since(since)?,
                now,
            );
            Ok::<_, crate::store::StoreError>(Boosts::new(signals))
        })
        .await;
        match computed {
            Ok(Ok(boosts)) => {
                let mut served = match self.boosts.write() {
                    Ok(guard) => guard,
                    Err(poisoned) => poisoned.into_inner(),
                };
                // Unchanged nudges (none, in a language without enough evidence) keep the
                // cached result pages.
                if **served != boosts {
                    *served = Arc::new(boosts);
                    drop(served);
                    self.results.invalidate();
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
    fn rate(&self) -> &limits::RateLimiters {
        &self.rate
    }

    /// The thread that stores recorded searches.
    fn search_writer(&self) -> &signals::SearchWriter {
        &self.search_writer
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
        self.metrics.set_articles(&index.catalog);
        let index = Arc::new(index);
        match self.index.write() {
            Ok(mut guard) => *guard = index,
            Err(poisoned) => *poisoned.into_inner() = index,
        }
        self.results.invalidate();
    }

    /// Recent result pages.
    fn results(&self) -> &cache::ResultCache {
        &self.results
    }
}

/// Every route: path and handlers. The router and the OpenAPI check both read this table.
fn routes(limits: &Limits) -> Vec<(&'static str, MethodRouter<AppState>)> {
    let small_body = DefaultBodyLimit::max(feedback::MAX_FEEDBACK_BYTES);
    vec![
        ("/", get(pages::root)),
        ("/healthz", get(health)),
        ("/readyz", get(ready)),
        ("/metrics", get(render_metrics)),
        ("/assets/{name}", get(assets::asset)),
        ("/{lang}", get(pages::home_without_slash)),
        ("/{lang}/", get(pages::home)),
        ("/{lang}/search", get(pages::results)),
        ("/{lang}/articles/{*id}", get(pages::article)),
        ("/admin", get(|| async { Redirect::permanent("/admin/") })),
        ("/admin/", get(admin::overview)),
        ("/api/v1/openapi.json", get(openapi)),
        ("/api/v1/suggest", get(api::suggest)),
        ("/api/v1/search", get(api::full_search)),
        ("/api/v1/articles/{lang}/{*id}", get(api::article)),
        (
            "/api/v1/reply",
            post(reply::reply).layer(DefaultBodyLimit::max(limits.max_message_bytes)),
        ),
        ("/api/v1/feedback", post(feedback::feedback).layer(small_body)),
        ("/api/v1/click", post(signals::click).layer(small_body)),
        ("/api/v1/stats", get(feedback::stats)),
        ("/api/v1/admin/reload", post(reload::force_reload)),
        ("/api/v1/explain", get(explain::explain_query)),
    ]
}

/// The path of every route, as the router spells it (`{*id}` for a rest-of-path capture).
pub fn route_paths() -> Vec<&'static str> {
    routes(&Limits::default())
        .into_iter()
        .map(|(path, _)| path)
        .collect()
}

/// The router with every route, the request log, the limits and the error fallbacks.
pub fn app(state: AppState) -> Router {
    let router = routes(&state.limits)
        .into_iter()
        .fold(Router::new(), |router, (path, handlers)| {
            router.route(path, handlers)
        })
        .fallback(unknown_route)
        .method_not_allowed_fallback(|| async { ApiError::method_not_allowed() })
        .with_state(state.clone())
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal(&"a request handler panicked").into_response()
        }))
        .layer(middleware::from_fn_with_state(state.clone(), limits::deadline))
        .layer(middleware::from_fn_with_state(state.clone(), log_request));
    match limits::cors(&state.cors_origins) {
        Some(cors) => router.layer(cors),
        None => router,
    }
}

/// `GET /api/v1/openapi.json`: the OpenAPI 3 description of every route.
async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        include_str!("openapi.json"),
    )
        .into_response()
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

/// `GET /healthz`: the process is alive.
async fn health() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "status": "ok" }))
}

/// `GET /readyz`: an index is loaded and served.
async fn ready(State(state): State<AppState>) -> axum::Json<serde_json::Value> {
    let index = state.index();
    axum::Json(serde_json::json!({
        "status": "ready",
        "articles": index.catalog.articles.len(),
        "built_at": index.catalog.built_at,
    }))
}

/// `GET /metrics`: Prometheus text format.
async fn render_metrics(State(state): State<AppState>) -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}

/// One structured line per request: method, route, status, latency; and the request metrics.
async fn log_request(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |path| path.as_str().to_string());
    let response = next.run(request).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    tracing::info!(
        %method,
        route,
        status,
        latency_us = elapsed.as_micros() as u64,
        "request"
    );
    state
        .metrics
        .observe_request(method.as_str(), &route, status, elapsed.as_secs_f64());
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
    let watching = state
        .live
        .clone()
        .map(|live| tokio::spawn(reload::watch(state.clone(), live)));
    let served = axum::serve(
        listener,
        app(state.clone()).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    housekeeping.abort();
    if let Some(watching) = watching {
        watching.abort();
    }
    state.search_writer().store(state.bursts().take_idle(true));
    state.search_writer().flush().await;
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
        state.search_writer().store(state.bursts().take_idle(false));
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

//! Live reload: `kb serve` watches the articles folder; on a change it loads and checks the
//! articles again and, when they pass, builds a new index generation in the background and swaps
//! it in — requests in flight finish on the index they started with. A broken edit keeps the
//! last good index serving and logs every problem with its file and line.
//! `POST /api/v1/admin/reload` (admin token) forces the same.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use notify::{RecursiveMode, Watcher};
use serde::Serialize;
use tokio::sync::mpsc;

use super::auth::authorize;
use super::error::ApiError;
use super::AppState;
use crate::analysis::{Analysis, LangTag};
use crate::article::{self, Diagnostic};
use crate::index::{self, BuildOptions, OpenIndex};

/// Changes closer together than this are one reload.
const SETTLE: Duration = Duration::from_millis(50);

/// Where the served index comes from.
pub struct LiveReload {
    /// The articles folder (watched).
    pub articles: PathBuf,
    /// The index folder new generations are built in.
    pub index: PathBuf,
    /// The help center's default language.
    pub default_lang: LangTag,
}

/// What a reload did.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ReloadOutcome {
    /// A new index is being served.
    Reloaded {
        /// Articles in it.
        articles: usize,
        /// Time from the start of the reload to the swap.
        elapsed_ms: u64,
    },
    /// The articles have errors; the previous index stays.
    Rejected {
        /// Every error, as `path:line:col: error: message`.
        errors: Vec<String>,
    },
}

/// Loads, checks and builds the articles of `live` and swaps the result into `state`; one reload
/// at a time.
pub(super) async fn reload(state: &AppState, live: &Arc<LiveReload>) -> Result<ReloadOutcome, ApiError> {
    let _one_at_a_time = state.reloading.lock().await;
    let started = Instant::now();
    let source = Arc::clone(live);
    let built = tokio::task::spawn_blocking(move || source.rebuild())
        .await
        .map_err(|error| ApiError::internal(&error))?;
    let outcome = match built {
        Ok(Rebuilt::Index(index)) => {
            let articles = index.catalog.articles.len();
            state.replace(*index);
            let elapsed_ms = started.elapsed().as_millis() as u64;
            tracing::info!(articles, elapsed_ms, "index reloaded");
            ReloadOutcome::Reloaded { articles, elapsed_ms }
        }
        Ok(Rebuilt::Rejected(diagnostics)) => {
            let errors: Vec<String> = diagnostics
                .iter()
                .filter(|diagnostic| diagnostic.is_error())
                .map(ToString::to_string)
                .collect();
            for error in &errors {
                tracing::error!(%error, "article error; the previous index stays");
            }
            ReloadOutcome::Rejected { errors }
        }
        Err(error) => {
            state.metrics.reload(false);
            return Err(ApiError::internal(&error));
        }
    };
    state
        .metrics
        .reload(matches!(outcome, ReloadOutcome::Reloaded { .. }));
    Ok(outcome)
}

/// A reload that failed on I/O or in tantivy, not because of the articles.
#[derive(Debug, thiserror::Error)]
pub enum ReloadError {
    /// The articles folder could not be read.
    #[error(transparent)]
    Load(#[from] article::LoadError),
    /// The index could not be built or opened.
    #[error(transparent)]
    Index(#[from] index::IndexError),
}

/// What loading and building the articles gave.
pub enum Rebuilt {
    /// A new generation, published and opened.
    Index(Box<OpenIndex>),
    /// The articles have errors; nothing was built. Every problem, warnings included.
    Rejected(Vec<Diagnostic>),
}

impl LiveReload {
    /// Loads and checks the articles and, when they pass, builds and publishes a new generation.
    pub fn rebuild(&self) -> Result<Rebuilt, ReloadError> {
        let loaded = article::load(&self.articles, &self.default_lang)?;
        if loaded.has_errors() {
            return Ok(Rebuilt::Rejected(loaded.diagnostics));
        }
        let options = BuildOptions {
            default_lang: self.default_lang.clone(),
            analysis: Analysis::PerLanguage,
        };
        index::build(loaded.published(), &self.index, &options, &mut |_| {})?;
        Ok(Rebuilt::Index(Box::new(OpenIndex::open(&self.index)?)))
    }
}

/// Watches `live.articles` until the process ends, reloading after each burst of changes to
/// Markdown files or folders.
pub(super) async fn watch(state: AppState, live: Arc<LiveReload>) {
    let (sender, mut changes) = mpsc::unbounded_channel();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(event) = event {
            if event.paths.iter().any(|path| concerns_articles(path)) {
                let _ = sender.send(());
            }
        }
    });
    let mut watcher = match watcher {
        Ok(watcher) => watcher,
        Err(error) => {
            tracing::error!(%error, "cannot watch the articles folder; live reload is off");
            return;
        }
    };
    if let Err(error) = watcher.watch(&live.articles, RecursiveMode::Recursive) {
        tracing::error!(%error, path = %live.articles.display(), "cannot watch the articles folder; live reload is off");
        return;
    }
    tracing::info!(path = %live.articles.display(), "watching the articles");
    while changes.recv().await.is_some() {
        // Editors save in several steps; let them settle, then reload once.
        tokio::time::sleep(SETTLE).await;
        while changes.try_recv().is_ok() {}
        if let Err(error) = reload(&state, &live).await {
            tracing::error!(?error, "reload failed; the previous index stays");
        }
    }
}

/// Whether a change at `path` can change the articles: a Markdown file, or a folder (moved or
/// removed). Editors' swap and backup files are not.
fn concerns_articles(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy())
        .unwrap_or_default();
    if name.starts_with('.') || name.ends_with('~') {
        return false;
    }
    path.extension().is_none_or(|extension| extension == "md")
}

/// `POST /api/v1/admin/reload`: rebuilds now (admin token).
pub(super) async fn force_reload(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<ReloadOutcome>, ApiError> {
    authorize(&state, &headers)?;
    let Some(live) = state.live.clone() else {
        return Err(ApiError::conflict(
            "this server does not serve an articles folder",
        ));
    };
    reload(&state, &live).await.map(Json)
}

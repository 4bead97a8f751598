//! `kb serve`: build the index when it is missing or older than the articles, then serve the
//! API until SIGINT/SIGTERM.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Instant, UNIX_EPOCH};

use anyhow::Context;
use kb::analysis::LangTag;
use kb::index::OpenIndex;
use kb::store::Store;
use kb::web::{self, AppState, Rebuilt};

/// Everything `kb serve` is told.
pub(super) struct Settings {
    pub(super) articles: PathBuf,
    pub(super) index: PathBuf,
    pub(super) addr: SocketAddr,
    pub(super) base_url: Option<String>,
    pub(super) data: PathBuf,
    pub(super) admin_token: Option<String>,
    pub(super) retention_days: i64,
    pub(super) signal_boost: bool,
    pub(super) cors_origins: Vec<String>,
    pub(super) limits: web::Limits,
    pub(super) result_cache: usize,
    pub(super) default_lang: LangTag,
}

pub(super) fn run(settings: &Settings) -> anyhow::Result<ExitCode> {
    web::purge_freed_memory_promptly();
    let live = web::LiveReload::new(
        settings.articles.clone(),
        settings.index.clone(),
        settings.default_lang.clone(),
    );
    let Some(index) = current_index(&live)? else {
        return Ok(ExitCode::FAILURE);
    };
    let store = Store::open(&settings.data)
        .with_context(|| format!("opening the data folder {}", settings.data.display()))?;
    let addr = settings.addr;
    let articles_count = index.catalog.articles.len();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("binding {addr}"))?;
        let local = listener.local_addr()?;
        tracing::info!(addr = %local, articles = articles_count, "listening");
        let public_url = settings
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{local}"));
        let retention = std::time::Duration::from_secs(settings.retention_days.max(1) as u64 * 86_400);
        let mut state = AppState::new(index, &public_url, store)
            .with_live_reload(live)
            .with_retention(retention)
            .with_limits(settings.limits.clone())
            .with_result_cache(settings.result_cache)
            .with_cors_origins(settings.cors_origins.clone());
        if settings.signal_boost {
            state = state.with_signal_boost();
        }
        if let Some(token) = settings.admin_token.as_deref().filter(|token| !token.is_empty()) {
            state = state.with_admin_token(token);
        }
        web::serve(listener, state, shutdown_signal()).await?;
        tracing::info!("stopped");
        anyhow::Ok(())
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The index to serve: the existing one if it is current, else a fresh build. When a needed
/// build fails its checks, the existing index is served anyway (and the problems logged); with no
/// index at all, the problems are printed and `None` returned.
fn current_index(live: &web::LiveReload) -> anyhow::Result<Option<OpenIndex>> {
    let existing = OpenIndex::open(&live.index);
    let newest_article = newest_modification(&live.articles);
    let stale = match &existing {
        Ok(index) => {
            index.catalog.default_lang != live.default_lang
                || newest_article.is_some_and(|newest| newest > index.catalog.built_at)
        }
        Err(_) => true,
    };
    if !stale {
        return Ok(existing.ok());
    }
    let started = Instant::now();
    let rebuilt = live.rebuild().with_context(|| {
        format!(
            "building {} into {}",
            live.articles.display(),
            live.index.display()
        )
    })?;
    match (rebuilt, existing) {
        (Rebuilt::Index(index), _) => {
            tracing::info!(
                articles = index.catalog.articles.len(),
                seconds = started.elapsed().as_secs_f64(),
                "index built"
            );
            Ok(Some(*index))
        }
        (Rebuilt::Rejected(diagnostics), Ok(index)) => {
            for diagnostic in diagnostics.iter().filter(|d| d.is_error()) {
                tracing::error!(%diagnostic, "article error; serving the previous index");
            }
            Ok(Some(index))
        }
        (Rebuilt::Rejected(diagnostics), Err(_)) => {
            for diagnostic in &diagnostics {
                eprintln!("{diagnostic}");
            }
            eprintln!("no index to serve: fix the errors above");
            Ok(None)
        }
    }
}

/// The latest modification time (seconds since the epoch) of anything under `dir`.
fn newest_modification(dir: &Path) -> Option<u64> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|entry| entry.metadata().ok()?.modified().ok())
        .filter_map(|time| time.duration_since(UNIX_EPOCH).ok())
        .map(|elapsed| elapsed.as_secs())
        .max()
}

/// Completes on SIGINT (Ctrl-C) or SIGTERM.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

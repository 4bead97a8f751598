//! Live reload: `kb serve` watches the articles folder; on a change it reads again the files that
//! changed, checks the whole tree and, when it passes, updates the index into a new generation in
//! the background (only the changed articles are analysed again) and swaps it in — requests in
//! flight finish on the index they started with. A broken edit keeps the last good index serving
//! and logs every problem with its file and line. `POST /api/v1/admin/reload` (admin token)
//! forces a full rebuild.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, UNIX_EPOCH};

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
use crate::article::{self, Article, Diagnostic, FolderState};
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
    /// The folder as the served generation was built from it, when known: what an update
    /// compares with.
    built_from: Mutex<Option<BuiltFrom>>,
}

/// The articles folder state a generation was built from.
struct BuiltFrom {
    generation: String,
    folder: FolderState,
}

/// How much a reload does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum ReloadScope {
    /// Only what changed since the served generation (a full rebuild when that is not known).
    Changes,
    /// Everything.
    Full,
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
    /// No article file changed since the served index was built.
    Unchanged,
    /// The articles have errors; the previous index stays.
    Rejected {
        /// Every error, as `path:line:col: error: message`.
        errors: Vec<String>,
    },
}

/// Loads, checks and builds the articles of `live` and swaps the result into `state`; one reload
/// at a time.
pub(super) async fn reload(
    state: &AppState,
    live: &Arc<LiveReload>,
    scope: ReloadScope,
) -> Result<ReloadOutcome, ApiError> {
    let _one_at_a_time = state.reloading.lock().await;
    let started = Instant::now();
    let source = Arc::clone(live);
    let built = tokio::task::spawn_blocking(move || {
        let built = match scope {
            ReloadScope::Changes => source.update(),
            ReloadScope::Full => source.rebuild().map(Some),
        };
        return_freed_memory();
        built
    })
    .await
    .map_err(|error| ApiError::internal(&error))?;
    let outcome = match built {
        Ok(Some(Rebuilt::Index(index))) => {
            let articles = index.catalog.articles.len();
            state.replace(*index);
            let elapsed_ms = started.elapsed().as_millis() as u64;
            tracing::info!(articles, elapsed_ms, "index reloaded");
            ReloadOutcome::Reloaded { articles, elapsed_ms }
        }
        Ok(None) => ReloadOutcome::Unchanged,
        Ok(Some(Rebuilt::Rejected(diagnostics))) => {
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
    match outcome {
        ReloadOutcome::Reloaded { .. } => state.metrics.reload(true),
        ReloadOutcome::Rejected { .. } => state.metrics.reload(false),
        ReloadOutcome::Unchanged => {}
    }
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
    /// Serves the index built from `articles` into `index`.
    pub fn new(articles: PathBuf, index: PathBuf, default_lang: LangTag) -> LiveReload {
        LiveReload {
            articles,
            index,
            default_lang,
            built_from: Mutex::new(None),
        }
    }

    fn options(&self) -> BuildOptions {
        BuildOptions {
            default_lang: self.default_lang.clone(),
            analysis: Analysis::PerLanguage,
        }
    }

    fn built_from(&self) -> std::sync::MutexGuard<'_, Option<BuiltFrom>> {
        self.built_from
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Loads and checks the articles and, when they pass, builds and publishes a new generation.
    pub fn rebuild(&self) -> Result<Rebuilt, ReloadError> {
        let reread = article::reread(&self.articles, &self.default_lang, &FolderState::default())?;
        if reread.loaded.has_errors() {
            return Ok(Rebuilt::Rejected(reread.loaded.diagnostics));
        }
        let summary = index::build(
            reread.loaded.published(),
            &self.index,
            &self.options(),
            &mut |_| {},
        )?;
        self.serve_built(&summary.generation, reread.into_packed_state())
    }

    /// Reads again the files changed since the served generation was built and, when the tree
    /// passes its checks, updates the index with them; a full rebuild when the generation the
    /// server last built or saw is no longer current (or cannot be updated). `None` when no
    /// article file changed.
    pub fn update(&self) -> Result<Option<Rebuilt>, ReloadError> {
        let current = index::current_generation(&self.index)?;
        let previous = match self.built_from().take() {
            Some(built) if Some(&built.generation) == current.as_ref() => built,
            _ => return self.rebuild().map(Some),
        };
        let reread = article::reread(&self.articles, &self.default_lang, &previous.folder);
        let reread = match reread {
            Ok(reread) if !reread.loaded.has_errors() && !reread.changed.is_empty() => reread,
            other => {
                // Nothing to update: the served index still is what `previous` describes.
                *self.built_from() = Some(previous);
                let reread = other?;
                return Ok(reread
                    .loaded
                    .has_errors()
                    .then_some(Rebuilt::Rejected(reread.loaded.diagnostics)));
            }
        };
        drop(previous);
        let published: Vec<&Article> = reread.loaded.published().collect();
        let updated = index::update(
            &published,
            &reread.changed,
            &self.index,
            &self.options(),
            &mut |outline| article::read_article(&self.articles, &outline.relative_path, &self.default_lang),
        );
        match updated {
            Ok(summary) => {
                tracing::info!(
                    changed_files = reread.changed.len(),
                    analysed = summary.analysed,
                    "index updated"
                );
                self.serve_built(&summary.generation, reread.state).map(Some)
            }
            Err(error @ index::IndexError::NotUpdatable(_)) => {
                tracing::info!(%error, "rebuilding in full");
                self.rebuild().map(Some)
            }
            Err(error) => Err(error.into()),
        }
    }

    /// Records the folder state of an index that was built earlier (by `kb build` or another
    /// server) and found current, so that the first change is an update rather than a rebuild.
    /// Nothing is recorded when the folder does not pass its checks or holds other articles than
    /// `served`.
    pub fn adopt(&self, served: &OpenIndex) -> Result<(), ReloadError> {
        let generation = generation_name(&served.path);
        if self
            .built_from()
            .as_ref()
            .is_some_and(|built| built.generation == generation)
        {
            return Ok(());
        }
        let reread = article::reread(&self.articles, &self.default_lang, &FolderState::default())?;
        let published: Vec<&Article> = reread.loaded.published().collect();
        let same_articles = published.len() == served.catalog.articles.len()
            && published
                .iter()
                .all(|article| served.catalog.position(&article.lang, &article.id).is_some());
        if reread.loaded.has_errors() || !same_articles {
            return Ok(());
        }
        // A file saved since the build is not in the index yet: the next read must take it.
        let mut folder = reread.into_packed_state();
        folder.forget_modified_since(UNIX_EPOCH + Duration::from_secs(served.catalog.built_at));
        *self.built_from() = Some(BuiltFrom { generation, folder });
        Ok(())
    }

    /// Remembers that the generation just published at `generation` was built from `folder`,
    /// and opens it.
    fn serve_built(&self, generation: &Path, folder: FolderState) -> Result<Rebuilt, ReloadError> {
        *self.built_from() = Some(BuiltFrom {
            generation: generation_name(generation),
            folder,
        });
        Ok(Rebuilt::Index(Box::new(OpenIndex::open(&self.index)?)))
    }
}

/// mimalloc's `mi_option_purge_delay` (15 in mimalloc.h of both v2 and v3, the version
/// libmimalloc-sys builds by default), which the bindings do not name.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long, in milliseconds, a server's threads keep memory they freed before handing it back.
/// mimalloc's default (1 s) kept the buffers of the last second's searches resident — about
/// 20 MB at 100k articles, where postings are read into buffers — and idle threads never purge.
const PURGE_DELAY_MS: std::ffi::c_long = 50;

/// Makes the allocator hand freed memory back within [`PURGE_DELAY_MS`]: a server's resident
/// memory then follows what its requests hold, not what they held a second ago.
pub fn purge_freed_memory_promptly() {
    // SAFETY: `mi_option_set` has no preconditions; the purge delay may change at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
}

/// Hands the memory that reading the folder and building freed back to the system, from the
/// calling thread's heap and rayon's: mimalloc otherwise keeps those pages for the threads' next
/// allocations, and a server reads the folder only at start and on edits (50 MB at idle at 100k
/// articles; docs/performance.md).
fn return_freed_memory() {
    // SAFETY: `mi_collect` has no preconditions; it only releases memory no allocation holds.
    rayon::broadcast(|_| unsafe { libmimalloc_sys::mi_collect(true) });
    // SAFETY: as above.
    unsafe { libmimalloc_sys::mi_collect(true) };
}

/// The name of a generation folder (`gen-…`), as `CURRENT` holds it.
fn generation_name(path: &Path) -> String {
    path.file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Watches `live.articles` until the process ends, reloading after each burst of changes to
/// Markdown files or folders.
pub(super) async fn watch(state: AppState, live: Arc<LiveReload>) {
    let (sender, mut changes) = mpsc::unbounded_channel();
    let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|event| changes_articles(&event)) {
            let _ = sender.send(());
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
    let served = state.index();
    let source = Arc::clone(&live);
    let adopted = tokio::task::spawn_blocking(move || {
        let adopted = source.adopt(&served);
        return_freed_memory();
        adopted
    });
    match adopted.await {
        Ok(Err(error)) => {
            tracing::warn!(%error, "cannot read the articles; the first change rebuilds in full")
        }
        Err(error) => tracing::warn!(%error, "cannot read the articles; the first change rebuilds in full"),
        Ok(Ok(())) => {}
    }
    // Logged once the folder has been read, so that a script can wait for it.
    tracing::info!(path = %live.articles.display(), "watching the articles");
    while changes.recv().await.is_some() {
        // Editors save in several steps; let them settle, then reload once.
        tokio::time::sleep(SETTLE).await;
        while changes.try_recv().is_ok() {}
        if let Err(error) = reload(&state, &live, ReloadScope::Changes).await {
            tracing::error!(?error, "reload failed; the previous index stays");
        }
    }
}

/// Whether `event` can change the articles: not a mere read (kb reading the whole folder after
/// start would otherwise trigger a reload, and one more read of every file, under load).
fn changes_articles(event: &notify::Event) -> bool {
    !event.kind.is_access() && event.paths.iter().any(|path| concerns_articles(path))
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
    reload(&state, &live, ReloadScope::Full).await.map(Json)
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, CreateKind, EventKind, ModifyKind};

    fn event(kind: EventKind, path: &str) -> notify::Event {
        notify::Event::new(kind).add_path(PathBuf::from(path))
    }

    #[test]
    fn the_purge_delay_option_is_mimallocs_purge_delay() {
        // SAFETY: `mi_option_get` has no preconditions.
        let get = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        // mimalloc v3's default purge delay: the option number names that setting.
        assert_eq!(get(), 1000);
        purge_freed_memory_promptly();
        assert_eq!(get(), PURGE_DELAY_MS);
    }

    #[test]
    fn saving_or_adding_an_article_is_a_change() {
        assert!(changes_articles(&event(
            EventKind::Modify(ModifyKind::Any),
            "en/a.md"
        )));
        assert!(changes_articles(&event(
            EventKind::Create(CreateKind::File),
            "en/b.md"
        )));
        assert!(changes_articles(&event(
            EventKind::Remove(notify::event::RemoveKind::Folder),
            "en"
        )));
    }

    #[test]
    fn reading_an_article_or_saving_a_swap_file_is_not() {
        assert!(!changes_articles(&event(
            EventKind::Access(AccessKind::Any),
            "en/a.md"
        )));
        assert!(!changes_articles(&event(
            EventKind::Modify(ModifyKind::Any),
            "en/.a.md.swp"
        )));
        assert!(!changes_articles(&event(
            EventKind::Modify(ModifyKind::Any),
            "en/a.md~"
        )));
    }
}

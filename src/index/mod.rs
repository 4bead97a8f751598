//! The tantivy index on disk: built from articles as a new generation, published atomically,
//! and opened for searching.

mod build;
mod catalog;
mod directory;
mod generation;
mod prefixes;
mod schema;
mod terms;
mod update;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tantivy::schema::Term;
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::analysis::LangTag;

pub use build::{build, BuildOptions, BuildSummary};
pub use catalog::{Catalog, CatalogEntry, LanguageStatistics, FORMAT_VERSION};
pub use generation::{current_generation, CATALOG_FILE, CURRENT_FILE};
pub use prefixes::{ShortPrefixes, SHORT_PREFIX_CHARS, SHORT_PREFIX_COMPLETIONS};
pub use schema::{Fields, WEIGHTED_FIELDS};
pub use update::update;

/// Why an index could not be built or opened.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No build has been published in the folder yet.
    #[error("no index in {0}: run `kb build` first")]
    NotBuilt(PathBuf),
    /// A file of the index could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The folder holds something that is not a kb index of this version.
    #[error("{path}: not a usable kb index ({reason}); rebuild it with `kb build`")]
    Corrupt {
        /// The file that is wrong.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// The current generation cannot be updated in place (built with other options, or an
    /// article changed again during the update): a full build is needed.
    #[error("the index cannot be updated in place: {0}")]
    NotUpdatable(String),
    /// tantivy failed.
    #[error("tantivy: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

/// A published index generation, opened for searching.
pub struct OpenIndex {
    /// The tantivy index.
    pub index: Index,
    /// Reader over the index (one generation never changes, so it is never reloaded).
    pub reader: IndexReader,
    /// Field handles.
    pub fields: Fields,
    /// The articles and build facts.
    pub catalog: Catalog,
    /// The generation folder.
    pub path: PathBuf,
    /// Completions of 1–2-letter prefixes, computed at open.
    pub short_prefixes: ShortPrefixes,
    /// [`Catalog::untranslated`] per fallback chain asked for so far.
    untranslated: Mutex<HashMap<Vec<LangTag>, Arc<Vec<bool>>>>,
    /// [`OpenIndex::content_frequency`] of the terms asked for so far.
    content_frequencies: Mutex<HashMap<Box<str>, u32>>,
}

/// Most terms whose frequency an open index remembers (a few MB); past it, it starts over.
const MAX_REMEMBERED_FREQUENCIES: usize = 1 << 16;

/// The guarded value, also after a thread panicked while holding it (the caches it guards stay
/// consistent: every entry is written whole).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

impl OpenIndex {
    /// Opens the generation that `CURRENT` in `index_dir` names.
    pub fn open(index_dir: &Path) -> Result<OpenIndex, IndexError> {
        let generation =
            current_generation(index_dir)?.ok_or_else(|| IndexError::NotBuilt(index_dir.to_path_buf()))?;
        let path = index_dir.join(generation);
        let catalog = Catalog::read(&path)?;
        let index = Index::open(directory::ServingDirectory::open(&path)?)?;
        let fields = Fields::from_schema(&index.schema()).ok_or_else(|| IndexError::Corrupt {
            path: path.clone(),
            reason: "schema lacks kb's fields".into(),
        })?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let short_prefixes = ShortPrefixes::of(&reader.searcher(), fields.words)?;
        Ok(OpenIndex {
            index,
            reader,
            fields,
            catalog,
            path,
            short_prefixes,
            untranslated: Mutex::default(),
            content_frequencies: Mutex::default(),
        })
    }

    /// [`Catalog::untranslated`] for a fallback step to `lang` after the languages `earlier`,
    /// computed once per index.
    pub fn untranslated(&self, lang: &LangTag, earlier: &[LangTag]) -> Arc<Vec<bool>> {
        let mut chain = earlier.to_vec();
        chain.push(lang.clone());
        let mut computed = lock(&self.untranslated);
        Arc::clone(
            computed
                .entry(chain)
                .or_insert_with(|| Arc::new(self.catalog.untranslated(lang, earlier))),
        )
    }

    /// Sections whose `content` holds the namespaced `term` (`lang:term`): what words are
    /// weighed by in the headline bonus and e-mail links. Remembered per generation, which never
    /// changes, since requests ask for the same words (titles of the top results) again and again.
    pub fn content_frequency(&self, term: &str) -> tantivy::Result<u32> {
        if let Some(&frequency) = lock(&self.content_frequencies).get(term) {
            return Ok(frequency);
        }
        let frequency = self
            .reader
            .searcher()
            .doc_freq(&Term::from_field_text(self.fields.content, term))?;
        let frequency = u32::try_from(frequency).unwrap_or(u32::MAX);
        let mut remembered = lock(&self.content_frequencies);
        if remembered.len() >= MAX_REMEMBERED_FREQUENCIES {
            remembered.clear();
        }
        remembered.insert(term.into(), frequency);
        Ok(frequency)
    }
}

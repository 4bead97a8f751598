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

use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::analysis::LangTag;

pub use build::{build, BuildOptions, BuildSummary};
pub use catalog::{Catalog, CatalogEntry, LanguageStatistics, SectionEntry, FORMAT_VERSION};
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
        })
    }

    /// [`Catalog::untranslated`] for a fallback step to `lang` after the languages `earlier`,
    /// computed once per index.
    pub fn untranslated(&self, lang: &LangTag, earlier: &[LangTag]) -> Arc<Vec<bool>> {
        let mut chain = earlier.to_vec();
        chain.push(lang.clone());
        let mut computed = match self.untranslated.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        Arc::clone(
            computed
                .entry(chain)
                .or_insert_with(|| Arc::new(self.catalog.untranslated(lang, earlier))),
        )
    }
}

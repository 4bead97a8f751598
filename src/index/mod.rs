//! The tantivy index on disk: built from articles as a new generation, published atomically,
//! and opened for searching.

mod build;
mod catalog;
mod directory;
mod generation;
mod lexicon;
mod prefixes;
mod schema;
mod term_infos;
mod terms;
mod update;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rustc_hash::FxHashMap;
use tantivy::index::SegmentId;
use tantivy::schema::Term;
use tantivy::{BitSet, DocAddress, Index, IndexReader, ReloadPolicy};

use crate::analysis::{AnalyzedToken, LangTag};

pub use build::{build, BuildOptions, BuildSummary};
pub use catalog::{Catalog, CatalogEntry, LanguageStatistics, FORMAT_VERSION};
pub use generation::{current_generation, CATALOG_FILE, CURRENT_FILE};
pub use lexicon::{Lexicon, Translation};
pub use prefixes::{ShortPrefixes, SHORT_PREFIX_CHARS, SHORT_PREFIX_COMPLETIONS};
pub use schema::{Fields, ARTICLE_FIELD, WEIGHTED_FIELDS};
pub use term_infos::{doc_freq, term_info};
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
    /// Translations of other languages' words into the default language's.
    pub lexicon: Lexicon,
    /// [`OpenIndex::untranslated_sections`] per fallback chain asked for so far.
    untranslated: Mutex<HashMap<Vec<LangTag>, Arc<SectionSet>>>,
    /// [`OpenIndex::content_frequency`] of the terms asked for so far.
    content_frequencies: Mutex<FxHashMap<Box<str>, u32>>,
    /// Whether [`OpenIndex::headline_terms`] and [`OpenIndex::analyzed_section`] remember: only
    /// for a help center whose headlines all fit ([`MAX_REMEMBERED_HEADLINES`]).
    remembers: bool,
    /// [`OpenIndex::headline_terms`] of the headlines asked for so far, per analyzer namespace
    /// and kind of analysis, by text.
    headline_terms: Mutex<FxHashMap<(&'static str, u8), HeadlineTerms>>,
    /// [`OpenIndex::analyzed_section`] of the sections asked for so far, and their texts' bytes.
    analyzed_sections: Mutex<(FxHashMap<DocAddress, Arc<AnalyzedText>>, usize)>,
}

/// A section's text and its words as its language analyses them: what highlighting reads.
pub struct AnalyzedText {
    /// The text.
    pub text: String,
    /// Its words, analysed.
    pub tokens: Vec<AnalyzedToken>,
    /// Each token's source word lowercased and folded, as highlighting compares it with the
    /// beginnings of the query's words.
    pub folded: Vec<String>,
    /// The positions of the tokens in the order of their folded words: those that begin alike
    /// are found together.
    pub by_folded: Vec<usize>,
}

/// Headline texts and their distinct terms ([`OpenIndex::headline_terms`]).
type HeadlineTerms = FxHashMap<Box<str>, Arc<[HeadlineTerm]>>;

/// A distinct term of a headline, and how many sections of its language's text hold it
/// ([`OpenIndex::content_frequency`]).
pub struct HeadlineTerm {
    /// The term.
    pub term: Box<str>,
    /// The sections whose text holds it.
    pub frequency: u32,
}

/// Some sections of an open index: per segment, the documents in the set.
pub struct SectionSet {
    segments: Vec<(SegmentId, BitSet)>,
}

impl std::fmt::Debug for SectionSet {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sizes: Vec<usize> = self.segments.iter().map(|(_, docs)| docs.len()).collect();
        formatter
            .debug_struct("SectionSet")
            .field("sections", &sizes)
            .finish()
    }
}

impl SectionSet {
    /// The set of `segments`' documents, per segment.
    pub fn new(segments: Vec<(SegmentId, BitSet)>) -> Self {
        SectionSet { segments }
    }

    /// The documents of `segment` in the set; `None` for a segment of another index.
    pub fn in_segment(&self, segment: SegmentId) -> Option<&BitSet> {
        self.segments
            .iter()
            .find(|(id, _)| *id == segment)
            .map(|(_, docs)| docs)
    }
}

/// Most terms whose frequency an open index remembers (a few MB); past it, it starts over.
const MAX_REMEMBERED_FREQUENCIES: usize = 1 << 16;
/// Most headlines whose terms an open index remembers (under 1 MB). A help center with more
/// headlines than this remembers neither headlines nor sections: its searches spread over more
/// headlines than a bounded memory holds, and remembering what is soon forgotten cost more than
/// it saved (the benchmark at 50,000 articles: suggest 13 % slower with headlines and document
/// frequencies remembered; docs/performance.md).
const MAX_REMEMBERED_HEADLINES: usize = 1 << 11;
/// Bytes of section text past which an open index remembers no further section with its
/// analysis (which takes about twenty times as much memory).
const MAX_REMEMBERED_SECTION_BYTES: usize = 1 << 20;

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
        let lexicon = Lexicon::read(&path)?;
        let headlines: usize = catalog
            .articles
            .iter()
            .map(|entry| 1 + entry.sections.len() + entry.questions.len() + entry.tags.len())
            .sum();
        Ok(OpenIndex {
            index,
            reader,
            fields,
            catalog,
            path,
            short_prefixes,
            lexicon,
            untranslated: Mutex::default(),
            content_frequencies: Mutex::default(),
            remembers: headlines <= MAX_REMEMBERED_HEADLINES,
            headline_terms: Mutex::default(),
            analyzed_sections: Mutex::default(),
        })
    }

    /// The sections of the articles that a fallback step to `lang`, after the languages
    /// `earlier`, may offer ([`Catalog::untranslated`]), computed once per index: a fallback
    /// search scores only these, instead of every section of `lang` and then dropping the
    /// translated ones.
    pub fn untranslated_sections(
        &self,
        lang: &LangTag,
        earlier: &[LangTag],
    ) -> tantivy::Result<Arc<SectionSet>> {
        let mut chain = earlier.to_vec();
        chain.push(lang.clone());
        if let Some(sections) = lock(&self.untranslated).get(&chain) {
            return Ok(Arc::clone(sections));
        }
        let articles = self.catalog.untranslated(lang, earlier);
        let mut segments = Vec::new();
        for reader in self.reader.searcher().segment_readers() {
            let article = reader.fast_fields().u64(ARTICLE_FIELD)?;
            let mut sections = BitSet::with_max_value(reader.max_doc());
            for doc in 0..reader.max_doc() {
                let offered = article
                    .first(doc)
                    .and_then(|position| articles.get(usize::try_from(position).ok()?))
                    .copied()
                    .unwrap_or(false);
                if offered {
                    sections.insert(doc);
                }
            }
            segments.push((reader.segment_id(), sections));
        }
        let sections = Arc::new(SectionSet::new(segments));
        lock(&self.untranslated).insert(chain, Arc::clone(&sections));
        Ok(sections)
    }

    /// The distinct terms of `text`, a headline of the help center (a title, a section heading,
    /// a writer's question or tag) that `analyse` turns into terms in the language of
    /// `namespace` (`kind` tells analyses of the same text apart), with their frequencies in the
    /// language's text. Remembered per generation in a small help center (see
    /// [`MAX_REMEMBERED_HEADLINES`], which bounds what is remembered: only the catalog's
    /// headlines are asked for): every request weighs the headlines of its first results, and
    /// popular articles come up again and again.
    pub fn headline_terms(
        &self,
        namespace: &'static str,
        kind: u8,
        text: &str,
        analyse: impl FnOnce(&str) -> Vec<String>,
    ) -> tantivy::Result<Arc<[HeadlineTerm]>> {
        let distinct = |terms: Vec<String>| -> tantivy::Result<Arc<[HeadlineTerm]>> {
            let mut distinct: Vec<HeadlineTerm> = Vec::with_capacity(terms.len());
            for term in terms {
                if !distinct.iter().any(|known| *known.term == *term) {
                    let frequency = self.content_frequency(namespace, &term)?;
                    distinct.push(HeadlineTerm {
                        term: term.into(),
                        frequency,
                    });
                }
            }
            Ok(distinct.into())
        };
        if !self.remembers {
            return distinct(analyse(text));
        }
        let remembered = lock(&self.headline_terms)
            .get(&(namespace, kind))
            .and_then(|texts| texts.get(text))
            .cloned();
        if let Some(terms) = remembered {
            return Ok(terms);
        }
        let terms = distinct(analyse(text))?;
        lock(&self.headline_terms)
            .entry((namespace, kind))
            .or_default()
            .insert(text.into(), Arc::clone(&terms));
        Ok(terms)
    }

    /// The section document at `address` read and analysed by `read`, remembered per generation
    /// in a small help center (see [`MAX_REMEMBERED_HEADLINES`] and
    /// [`MAX_REMEMBERED_SECTION_BYTES`]): every request highlights the sections its results
    /// link, and reading a section's text and analysing it again was 7 % of a request's work in
    /// the sample help center. `None` where it is not remembered (`read` is not called): the
    /// caller then reads and analyses only what it needs.
    pub fn analyzed_section<E>(
        &self,
        address: DocAddress,
        read: impl FnOnce() -> Result<AnalyzedText, E>,
    ) -> Result<Option<Arc<AnalyzedText>>, E> {
        if !self.remembers {
            return Ok(None);
        }
        {
            let (sections, bytes) = &*lock(&self.analyzed_sections);
            if let Some(analyzed) = sections.get(&address) {
                return Ok(Some(Arc::clone(analyzed)));
            }
            if *bytes >= MAX_REMEMBERED_SECTION_BYTES {
                return Ok(None);
            }
        }
        let analyzed = Arc::new(read()?);
        let (sections, bytes) = &mut *lock(&self.analyzed_sections);
        if let std::collections::hash_map::Entry::Vacant(entry) = sections.entry(address) {
            *bytes += analyzed.text.len();
            entry.insert(Arc::clone(&analyzed));
        }
        Ok(Some(analyzed))
    }

    /// Sections of the language of `namespace` whose `content` holds `term`: what words are
    /// weighed by in the headline bonus and e-mail links. Remembered per generation, which never
    /// changes, since requests ask for the same words (titles of the top results) again and again;
    /// a word already asked for is found without allocating.
    pub fn content_frequency(&self, namespace: &str, term: &str) -> tantivy::Result<u32> {
        thread_local! {
            /// The namespaced term being looked up (`lang:term`), kept to be written over.
            static KEY: RefCell<String> = const { RefCell::new(String::new()) };
        }
        KEY.with_borrow_mut(|key| {
            key.clear();
            key.push_str(namespace);
            key.push(':');
            key.push_str(term);
            if let Some(&frequency) = lock(&self.content_frequencies).get(key.as_str()) {
                return Ok(frequency);
            }
            let frequency = doc_freq(
                &self.reader.searcher(),
                &Term::from_field_text(self.fields.content, key),
            )?;
            let frequency = u32::try_from(frequency).unwrap_or(u32::MAX);
            let mut remembered = lock(&self.content_frequencies);
            if remembered.len() >= MAX_REMEMBERED_FREQUENCIES {
                remembered.clear();
            }
            remembered.insert(key.as_str().into(), frequency);
            Ok(frequency)
        })
    }
}

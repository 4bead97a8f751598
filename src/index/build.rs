//! Articles → a new index generation: every section becomes a document analysed in its
//! article's language, then the generation is published atomically.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use tantivy::indexer::NoMergePolicy;
use tantivy::tokenizer::PreTokenizedString;
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::catalog::{Catalog, CatalogEntry, LanguageStatistics};
use super::generation::{self, CATALOG_FILE};
use super::schema::{article_key, Fields, WEIGHTED_FIELDS};
use super::IndexError;
use crate::analysis::{Analysis, LangTag};
use crate::article::{render_html, Article, ArticlesByPath};

/// Memory the index writer may use per thread before flushing a segment.
const WRITER_MEMORY_PER_THREAD: usize = 64 * 1024 * 1024;

/// How to build.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The language fallbacks end in.
    pub default_lang: LangTag,
    /// Which analysis to index with.
    pub analysis: Analysis,
}

/// What a build did, for the one-line summary.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    /// Indexed articles per language tag.
    pub articles_per_lang: BTreeMap<String, usize>,
    /// Indexed section documents.
    pub sections: usize,
    /// Wall time of the build.
    pub elapsed: Duration,
    /// The published generation folder.
    pub generation: PathBuf,
}

impl BuildSummary {
    /// Total indexed articles.
    pub fn articles(&self) -> usize {
        self.articles_per_lang.values().sum()
    }
}

/// Builds a new generation of the index in `index_dir` from `articles` (drafts must already be
/// filtered out) and makes it current. `progress` is called with the number of articles done.
pub fn build<'a>(
    articles: impl IntoIterator<Item = &'a Article>,
    index_dir: &Path,
    options: &BuildOptions,
    progress: &mut dyn FnMut(usize),
) -> Result<BuildSummary, IndexError> {
    let started = Instant::now();
    fs::create_dir_all(index_dir).map_err(|source| IndexError::Io {
        path: index_dir.to_path_buf(),
        source,
    })?;
    let generation = generation::new_generation_name();
    let building = generation::building_path(index_dir, &generation);
    fs::create_dir_all(&building).map_err(|source| IndexError::Io {
        path: building.clone(),
        source,
    })?;

    let (schema, fields) = Fields::schema();
    let index = Index::create_in_dir(&building, schema)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
    let mut writer: IndexWriter =
        index.writer_with_num_threads(threads, threads * WRITER_MEMORY_PER_THREAD)?;
    // Segments are merged once, below, rather than along the way.
    writer.set_merge_policy(Box::new(NoMergePolicy));

    let articles: Vec<&Article> = articles.into_iter().collect();
    let by_path: ArticlesByPath = articles
        .iter()
        .map(|article| (article.relative_path.as_str(), *article))
        .collect();
    let mut entries = Vec::new();
    let mut statistics = BTreeMap::new();
    let mut sections = 0;
    for article in articles.iter().copied() {
        let html = render_html(article, &by_path);
        let documents = ArticleDocuments {
            article,
            position: entries.len() as u64,
            html: &html,
        };
        sections += documents.add(&writer, &fields, options.analysis, &mut statistics)?;
        entries.push(CatalogEntry::of(article));
        progress(entries.len());
    }
    writer.commit()?;
    // One segment: every query then opens its postings and term dictionaries once instead of
    // once per segment (about 10 % of suggest time with 4 segments; docs/performance.md).
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
        writer.garbage_collect_files().wait()?;
    }
    writer.wait_merging_threads()?;

    let built_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let catalog = Catalog::new(
        options.default_lang.clone(),
        options.analysis,
        built_at,
        entries,
        statistics,
    );
    let catalog_path = building.join(CATALOG_FILE);
    let json = serde_json::to_vec(&catalog).map_err(|error| IndexError::Corrupt {
        path: catalog_path.clone(),
        reason: error.to_string(),
    })?;
    fs::write(&catalog_path, json).map_err(|source| IndexError::Io {
        path: catalog_path,
        source,
    })?;

    let published = generation::publish(index_dir, &generation)?;
    Ok(BuildSummary {
        articles_per_lang: catalog.count_by_lang(),
        sections,
        elapsed: started.elapsed(),
        generation: published,
    })
}

/// One article on its way into the index.
struct ArticleDocuments<'a> {
    article: &'a Article,
    /// Position in the catalog.
    position: u64,
    /// The rendered body, stored with the first section.
    html: &'a str,
}

impl ArticleDocuments<'_> {
    /// Adds one document per section, counting documents and tokens into the statistics of
    /// the article's analyzer namespace; returns how many documents.
    fn add(
        &self,
        writer: &IndexWriter,
        fields: &Fields,
        analysis: Analysis,
        statistics: &mut BTreeMap<String, LanguageStatistics>,
    ) -> Result<usize, IndexError> {
        let article = self.article;
        let analyzer = analysis.analyzer(&article.lang);
        let namespace = analyzer.namespace(&article.lang);
        let stats = statistics.entry(namespace.to_string()).or_default();
        let key = article_key(article.lang.as_str(), &article.id);
        let tags = article.tags.join("\n");
        let queries: Vec<&str> = article.queries.iter().map(|query| query.text.as_str()).collect();
        let queries = queries.join("\n");
        for (section_position, section) in article.sections.iter().enumerate() {
            let mut document = TantivyDocument::default();
            document.add_text(fields.lang, article.lang.as_str());
            document.add_text(fields.key, &key);
            document.add_u64(fields.article, self.position);
            document.add_u64(fields.section, section_position as u64);
            let heading = section.heading.as_deref().unwrap_or_default();
            let content = format!("{}\n{heading}\n{}", article.title, section.text);
            let texts = [
                ("content", content.as_str()),
                ("words", content.as_str()),
                ("title", article.title.as_str()),
                ("heading", heading),
                ("tags", tags.as_str()),
                ("queries", queries.as_str()),
            ];
            for (name, text) in texts {
                let Some(weight) = WEIGHTED_FIELDS.iter().find(|weight| weight.name == name) else {
                    continue;
                };
                let tokens = analyzer.index_tokens(text, namespace, weight.form);
                let Some(field) = fields.by_name(name).filter(|_| !tokens.is_empty()) else {
                    continue;
                };
                *stats.tokens.entry(name.to_string()).or_default() += tokens.len() as u64;
                document.add_pre_tokenized_text(
                    field,
                    PreTokenizedString {
                        text: String::new(),
                        tokens,
                    },
                );
            }
            document.add_text(fields.text, &section.text);
            if section_position == 0 {
                document.add_text(fields.html, self.html);
            }
            writer.add_document(document)?;
            stats.documents += 1;
        }
        Ok(article.sections.len())
    }
}

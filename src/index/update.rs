//! Articles changed since the current generation → a new generation that re-analyses only them.
//! The new generation starts as hard links to the current one's files; the changed articles'
//! documents are deleted by key and added again, and their catalog entries and language
//! statistics replaced. Published atomically, as a full build is.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::time::Instant;

use tantivy::indexer::NoMergePolicy;
use tantivy::{Index, IndexWriter, Term};

use super::build::{analyse, namespace, now, BuildOptions, BuildSummary};
use super::catalog::{Catalog, CatalogEntry, LanguageStatistics};
use super::generation;
use super::schema::{article_key, Fields};
use super::IndexError;
use crate::analysis::LangTag;
use crate::article::{linked_paths, render_html, Article, ArticlesByPath};

/// Memory of the update's single indexing thread (tantivy's minimum is 15 MB).
const UPDATE_WRITER_MEMORY: usize = 32 * 1024 * 1024;

/// Updates the current generation of `index_dir` to `articles` (every published article now)
/// and makes the result current. `changed_paths` are the files (below the articles folder) that
/// are new, changed or gone since the current generation was built: their articles, and those
/// linking to them, are analysed again. Articles of other files may be outlines (without their
/// text, as a re-read of the folder keeps them); when one must be written again (it moved in the
/// catalog, or links to a changed file), `read_in_full` reads it again.
pub fn update(
    articles: &[&Article],
    changed_paths: &BTreeSet<String>,
    index_dir: &Path,
    options: &BuildOptions,
    read_in_full: &mut dyn FnMut(&Article) -> Option<Article>,
) -> Result<BuildSummary, IndexError> {
    let started = Instant::now();
    let current = generation::current_generation(index_dir)?
        .ok_or_else(|| IndexError::NotBuilt(index_dir.to_path_buf()))?;
    let mut catalog = Catalog::read(&index_dir.join(&current))?;
    if catalog.default_lang != options.default_lang || catalog.analysis != options.analysis {
        return Err(IndexError::NotUpdatable(
            "it was built with another default language or analysis".into(),
        ));
    }
    let by_key: HashMap<(LangTag, String), &Article> = articles
        .iter()
        .map(|article| ((article.lang.clone(), article.id.clone()), *article))
        .collect();
    let by_path: ArticlesByPath = articles
        .iter()
        .map(|article| (article.relative_path.as_str(), *article))
        .collect();
    let mut rewrite: BTreeSet<(LangTag, String)> = articles
        .iter()
        .filter(|article| {
            changed_paths.contains(&article.relative_path)
                || linked_paths(article).any(|path| changed_paths.contains(&path))
        })
        .map(|article| (article.lang.clone(), article.id.clone()))
        .collect();
    let removed: Vec<(LangTag, String)> = catalog
        .articles
        .iter()
        .map(CatalogEntry::key)
        .filter(|key| !by_key.contains_key(key))
        .collect();

    let generation = generation::new_generation_name();
    let building = generation::link_copy(index_dir, &current, &generation)?;
    let index = Index::open_in_dir(&building)?;
    super::terms::register(&index);
    let fields = Fields::from_schema(&index.schema()).ok_or_else(|| IndexError::Corrupt {
        path: building.clone(),
        reason: "schema lacks kb's fields".into(),
    })?;
    let mut writer: IndexWriter = index.writer_with_num_threads(1, UPDATE_WRITER_MEMORY)?;
    writer.set_merge_policy(Box::new(NoMergePolicy));

    let mut statistics = std::mem::take(&mut catalog.statistics);
    let forget = |entry: &CatalogEntry, statistics: &mut BTreeMap<String, LanguageStatistics>| {
        let key = article_key(entry.lang.as_str(), &entry.id);
        writer.delete_term(Term::from_field_text(fields.key, &key));
        if let Some(language) = statistics.get_mut(&namespace(options.analysis, &entry.lang)) {
            language.remove(entry);
        }
    };
    for key in &removed {
        let Some(position) = catalog.position(&key.0, &key.1) else {
            continue;
        };
        forget(&catalog.swap_remove(position), &mut statistics);
        if let Some(moved) = catalog.articles.get(position) {
            // The last article took the removed one's place: its documents carry the old position.
            rewrite.insert(moved.key());
        }
    }
    let (mut analysed_articles, mut sections) = (0, 0);
    for key in &rewrite {
        let Some(article) = by_key.get(key) else {
            continue;
        };
        let article = if changed_paths.contains(&article.relative_path) {
            Cow::Borrowed(*article)
        } else {
            Cow::Owned(read_in_full(article).ok_or_else(|| {
                IndexError::NotUpdatable(format!("{} changed during the update", article.relative_path))
            })?)
        };
        let position = match catalog.position(&key.0, &key.1) {
            Some(position) => {
                forget(&catalog.articles[position], &mut statistics);
                position
            }
            None => catalog.articles.len(),
        };
        let html = render_html(&article, &by_path);
        let entry = analyse(&article, position as u64, &html, &fields, options.analysis, false).write(
            &writer,
            &mut statistics,
            options.analysis,
        )?;
        sections += entry.sections.len();
        analysed_articles += 1;
        catalog.put(entry);
    }
    statistics.retain(|_, language| language.documents > 0);
    writer.commit()?;
    merge_small_segments(&index, &mut writer)?;
    writer.wait_merging_threads()?;

    catalog.statistics = statistics;
    catalog.built_at = now();
    catalog.reindex();
    catalog.write(&building)?;
    let published = generation::publish(index_dir, &generation)?;
    Ok(BuildSummary {
        articles_per_lang: catalog.count_by_lang(),
        analysed: analysed_articles,
        sections,
        elapsed: started.elapsed(),
        generation: published,
    })
}

/// Keeps the index at one large segment and at most one small one: each update adds a small
/// segment, and merging the small ones is cheap where merging the large one is not.
fn merge_small_segments(index: &Index, writer: &mut IndexWriter) -> Result<(), IndexError> {
    let mut segments = index.searchable_segment_metas()?;
    if segments.len() <= 2 {
        return Ok(());
    }
    segments.sort_by_key(|segment| std::cmp::Reverse(segment.num_docs()));
    let small: Vec<_> = segments[1..].iter().map(|segment| segment.id()).collect();
    writer.merge(&small).wait()?;
    writer.garbage_collect_files().wait()?;
    Ok(())
}

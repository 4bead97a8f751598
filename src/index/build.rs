//! Articles → a new index generation: every section becomes a document analysed in its
//! article's language, then the generation is published atomically.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rayon::prelude::*;
use tantivy::indexer::NoMergePolicy;
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::catalog::{Catalog, CatalogEntry, LanguageStatistics};
use super::generation;
use super::lexicon::{self, ArticleSample, Lexicon};
use super::schema::{article_key, Fields, WEIGHTED_FIELDS};
use super::terms;
use super::IndexError;
use crate::analysis::{Analysis, AnalyzedToken, LangTag};
use crate::article::{render_html, Article, ArticlesByPath};

/// Articles analysed side by side (on every core) before their documents go to the writer: enough
/// to keep the cores busy, few enough to keep the analysed documents' memory small.
const ANALYSIS_BATCH: usize = 256;

/// Memory of the build's single indexing thread before it flushes a segment: enough for about
/// 200,000 articles in one segment, which then needs no merge. One thread rather than one per
/// core: the cores are busy analysing, and every further thread writes a segment to merge
/// (docs/performance.md).
const WRITER_MEMORY: usize = 1024 * 1024 * 1024;

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
    /// Articles analysed by this build: all of them, or for an update the changed ones.
    pub analysed: usize,
    /// Section documents written by this build.
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
    terms::register(&index);
    let mut writer: IndexWriter = index.writer_with_num_threads(1, WRITER_MEMORY)?;
    // Segments are merged once, below, rather than along the way.
    writer.set_merge_policy(Box::new(NoMergePolicy));

    let articles: Vec<&Article> = articles.into_iter().collect();
    let by_path: ArticlesByPath = articles
        .iter()
        .map(|article| (article.relative_path.as_str(), *article))
        .collect();
    let sampled = lexicon::sampled(&articles, options.analysis, &options.default_lang);
    let mut samples = Vec::new();
    let mut entries = Vec::new();
    let mut statistics: BTreeMap<String, LanguageStatistics> = BTreeMap::new();
    let mut sections = 0;
    for (batch_number, batch) in articles.chunks(ANALYSIS_BATCH).enumerate() {
        let first = batch_number * ANALYSIS_BATCH;
        let batch_analysed: Vec<AnalysedArticle> = batch
            .par_iter()
            .enumerate()
            .map(|(offset, article)| {
                let position = first + offset;
                let html = render_html(article, &by_path);
                let sample = sampled[position];
                analyse(article, position as u64, &html, &fields, options.analysis, sample)
            })
            .collect();
        for mut analysed in batch_analysed {
            samples.extend(analysed.sample.take());
            let entry = analysed.write(&writer, &mut statistics, options.analysis)?;
            sections += entry.sections.len();
            entries.push(entry);
        }
        progress(entries.len());
    }
    // The analysing threads are rayon's, which live on in a server.
    rayon::broadcast(|_| crate::analysis::forget_remembered_words());
    writer.commit()?;
    // One segment: every query then opens its postings and term dictionaries once instead of
    // once per segment (about 10 % of suggest time with 4 segments; docs/performance.md).
    let segments = index.searchable_segment_ids()?;
    if segments.len() > 1 {
        writer.merge(&segments).wait()?;
        writer.garbage_collect_files().wait()?;
    }
    writer.wait_merging_threads()?;

    let catalog = Catalog::new(
        options.default_lang.clone(),
        options.analysis,
        now(),
        entries,
        statistics,
    );
    catalog.write(&building)?;
    let target = options
        .analysis
        .analyzer(&options.default_lang)
        .namespace(&options.default_lang);
    Lexicon::learn(target, samples).write(&building)?;

    let published = generation::publish(index_dir, &generation)?;
    Ok(BuildSummary {
        articles_per_lang: catalog.count_by_lang(),
        analysed: catalog.articles.len(),
        sections,
        elapsed: started.elapsed(),
        generation: published,
    })
}

/// Seconds since the Unix epoch.
pub(super) fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// The statistics namespace (analyzer language) that an article of `lang` counts in.
pub(super) fn namespace(analysis: Analysis, lang: &LangTag) -> String {
    analysis.analyzer(lang).namespace(lang).to_string()
}

/// An article analysed into its section documents, and its catalog entry (with its token counts).
pub(super) struct AnalysedArticle {
    pub(super) documents: Vec<TantivyDocument>,
    pub(super) entry: CatalogEntry,
    /// Its words for the lexicon, when it is one of the articles the lexicon learns from.
    pub(super) sample: Option<ArticleSample>,
}

impl AnalysedArticle {
    /// Hands the documents to `writer` and counts the article into its language's statistics;
    /// returns its catalog entry.
    pub(super) fn write(
        self,
        writer: &IndexWriter,
        statistics: &mut BTreeMap<String, LanguageStatistics>,
        analysis: Analysis,
    ) -> Result<CatalogEntry, IndexError> {
        for document in self.documents {
            writer.add_document(document)?;
        }
        statistics
            .entry(namespace(analysis, &self.entry.lang))
            .or_default()
            .add(&self.entry);
        Ok(self.entry)
    }
}

/// Analyses `article` in its language into one document per section, for catalog position
/// `position`; `html` (the rendered body) is stored with the first section. With `sample`, also
/// keeps its words for the lexicon.
pub(super) fn analyse(
    article: &Article,
    position: u64,
    html: &str,
    fields: &Fields,
    analysis: Analysis,
    sample: bool,
) -> AnalysedArticle {
    let analyzer = analysis.analyzer(&article.lang);
    let namespace = analyzer.namespace(&article.lang);
    let mut entry = CatalogEntry::of(article);
    let key = article_key(article.lang.as_str(), &article.id);
    let tags = analyzer.analyze_remembering(&article.tags.join("\n"));
    let queries: Vec<&str> = article.queries.iter().map(|query| query.text.as_str()).collect();
    let queries = analyzer.analyze_remembering(&queries.join("\n"));
    // A title that only repeats the body's first sentence gets no headline bonus: it would
    // count that sentence twice (docs/quality.md, "Lead-sentence titles").
    let headline = if article.title_is_lead_sentence() {
        ""
    } else {
        article.title.as_str()
    };
    let mut sample = sample.then(|| ArticleSample::new(namespace, &article.id));
    let mut documents = Vec::with_capacity(article.sections.len());
    for (section_position, section) in article.sections.iter().enumerate() {
        let mut document = TantivyDocument::default();
        document.add_text(fields.lang, article.lang.as_str());
        document.add_text(fields.key, &key);
        document.add_u64(fields.article, position);
        document.add_u64(fields.section, section_position as u64);
        let heading = section.heading.as_deref().unwrap_or_default();
        // `content` and `words` hold the same text in two forms: analysed once.
        let content =
            analyzer.analyze_remembering(&format!("{}\n{heading}\n{}", article.title, section.text));
        if let Some(sample) = sample.as_mut() {
            sample.add_section(&content, article.title.len());
        }
        for (weight, tokens_so_far) in WEIGHTED_FIELDS.iter().zip(entry.tokens.iter_mut()) {
            let (appended, analysed);
            let tokens: &[AnalyzedToken] = match weight.name {
                "content" => &content,
                "words" if tags.is_empty() && queries.is_empty() => &content,
                // Every word the section can be found by, so that one that only a tag or a
                // writer's question holds ("Rückerstattung") completes while it is typed.
                "words" => {
                    appended = with_appended(&content, [&tags, &queries]);
                    &appended
                }
                "title" => {
                    analysed = analyzer.analyze_remembering(headline);
                    &analysed
                }
                "heading" => {
                    analysed = analyzer.analyze_remembering(heading);
                    &analysed
                }
                "tags" => &tags,
                "queries" => &queries,
                _ => continue,
            };
            let (encoded, count) = terms::encode(tokens, namespace, weight.form);
            let Some(field) = fields.by_name(weight.name).filter(|_| count > 0) else {
                continue;
            };
            *tokens_so_far += count;
            document.add_text(field, encoded);
        }
        document.add_text(fields.text, &section.text);
        if section_position == 0 {
            document.add_text(fields.html, html);
            document.add_text(fields.description, summary(article));
        }
        documents.push(document);
    }
    AnalysedArticle {
        documents,
        entry,
        sample,
    }
}

/// Positions left between texts appended to one field, so that no phrase spans two of them.
const APPENDED_TEXT_GAP: usize = 100;

/// The tokens of `first` followed by those of each of `rest`, each text's positions after the
/// last one's and a gap ([`APPENDED_TEXT_GAP`]).
fn with_appended<const N: usize>(first: &[AnalyzedToken], rest: [&[AnalyzedToken]; N]) -> Vec<AnalyzedToken> {
    let mut tokens = first.to_vec();
    for text in rest {
        let start = tokens.last().map_or(0, |last| last.position + APPENDED_TEXT_GAP);
        tokens.extend(text.iter().map(|token| AnalyzedToken {
            position: start + token.position,
            ..token.clone()
        }));
    }
    tokens
}

/// Longest meta description, in characters.
const DESCRIPTION_CHARS: usize = 160;

/// The start of the article's first non-empty section, cut at a word before
/// [`DESCRIPTION_CHARS`] with "…".
fn summary(article: &Article) -> String {
    let text = article
        .sections
        .iter()
        .map(|section| section.text.trim())
        .find(|text| !text.is_empty())
        .unwrap_or_default();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= DESCRIPTION_CHARS {
        return text;
    }
    let cut: String = text.chars().take(DESCRIPTION_CHARS).collect();
    let kept = cut.rfind(' ').map_or(cut.as_str(), |space| &cut[..space]);
    format!("{}…", kept.trim_end_matches([',', ';', ':']))
}

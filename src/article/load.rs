//! Reading the articles folder: every `.md` file becomes an [`Article`] or diagnostics, and
//! then the whole tree is cross-checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use rayon::prelude::*;
use walkdir::WalkDir;

use super::diagnostic::{sort, Diagnostic};
use super::front_matter::{self, validate_id};
use super::{check, markdown, Article, LangOrigin, Link, PackedSections, Section, SourceLines};
use crate::analysis::{detect, LangTag};

/// Every article of a folder that could be parsed, and every problem found.
#[derive(Debug, Default)]
pub struct Loaded {
    /// Parsed articles (drafts included), in path order.
    pub articles: Vec<Article>,
    /// All problems, sorted by file and line.
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    /// Whether any problem is an error (which blocks a build).
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// Adds a warning for every article whose text, by a confident language detection, is in
    /// another language than declared, and sorts the diagnostics again. `kb check`'s own: the
    /// detection was half of a build's CPU, and a warning never stops a build or a reload.
    pub fn check_declared_languages(&mut self) {
        let warnings: Vec<Diagnostic> = self
            .articles
            .par_iter()
            .flat_map_iter(|article| {
                let mut warnings = Vec::new();
                check::check_declared_language(article, &mut warnings);
                warnings
            })
            .collect();
        self.diagnostics.extend(warnings);
        sort(&mut self.diagnostics);
    }

    /// The articles that get indexed: all but drafts.
    pub fn published(&self) -> impl Iterator<Item = &Article> {
        self.articles.iter().filter(|article| !article.draft)
    }
}

/// The articles folder itself cannot be read (problems inside it are diagnostics instead).
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The folder is missing or unreadable.
    #[error("cannot read the articles folder {path}: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// Reads and checks every article under `root` (all checks but
/// [`Loaded::check_declared_languages`]). Hidden files and folders are skipped.
pub fn load(root: &Path, default_lang: &LangTag) -> Result<Loaded, LoadError> {
    Ok(reread(root, default_lang, &FolderState::default())?.loaded)
}

/// When a file was last modified and how long it was: a file whose stamp has not moved since
/// the last read is not read again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    modified: SystemTime,
    len: u64,
}

/// What one file gave when it was last read: its article as an outline, and its own problems.
#[derive(Debug, Clone)]
struct FileRead {
    stamp: Option<FileStamp>,
    outline: Option<Outline>,
    diagnostics: Box<[Diagnostic]>,
}

/// What the checks across files and the links between articles read of an article (id,
/// language, dates, links, anchors), kept for every file between reloads: no title, tags,
/// queries, headings or text, and no field of its own for what the file's path gives.
#[derive(Debug, Clone)]
struct Outline {
    id: Box<str>,
    lang: LangTag,
    lang_origin: LangOrigin,
    draft: bool,
    updated: Option<chrono::NaiveDate>,
    lines: SourceLines,
    /// Each section's anchor and heading level (no heading text).
    sections: PackedSections,
    links: Box<[Link]>,
}

impl Outline {
    fn of(article: &Article) -> Outline {
        Outline {
            id: article.id.as_str().into(),
            lang: article.lang.clone(),
            lang_origin: article.lang_origin,
            draft: article.draft,
            updated: article.updated,
            lines: article.lines,
            sections: PackedSections::of_article(&article.sections, false),
            links: article.links.iter().cloned().collect(),
        }
    }

    /// The outline as an [`Article`] of the file `relative` below `root`, with empty texts.
    fn to_article(&self, root: &Path, relative: &str) -> Article {
        Article {
            path: root.join(relative),
            relative_path: relative.to_string(),
            id: self.id.to_string(),
            lang: self.lang.clone(),
            lang_origin: self.lang_origin,
            title: String::new(),
            section: None,
            tags: Vec::new(),
            queries: Vec::new(),
            draft: self.draft,
            updated: self.updated,
            body: String::new(),
            sections: self
                .sections
                .iter()
                .map(|section| Section {
                    anchor: section.anchor.map(str::to_string),
                    heading: None,
                    level: section.level,
                    text: String::new(),
                })
                .collect(),
            links: self.links.to_vec(),
            lines: self.lines,
        }
    }
}

/// One file in a re-read: as it was, or parsed again (with the full article, if it is one).
enum Read {
    Unchanged(Arc<FileRead>),
    Parsed(Arc<FileRead>, Option<Box<Article>>),
}

/// The articles folder as it was last read, file by file, kept by a server between reloads so
/// that the next read parses only the files that changed. Articles are kept as outlines:
/// enough for the checks across files, without the text.
#[derive(Debug, Clone, Default)]
pub struct FolderState {
    files: BTreeMap<String, Arc<FileRead>>,
}

impl FolderState {
    /// Forgets the files modified at or after `time`, so that the next read takes them as changed.
    pub fn forget_modified_since(&mut self, time: SystemTime) {
        self.files
            .retain(|_, read| read.stamp.is_some_and(|stamp| stamp.modified < time));
    }
}

/// The folder read again against an earlier [`FolderState`].
#[derive(Debug)]
pub struct Reread {
    /// Every article and problem, as [`load`] gives them, except that the articles of files that
    /// did not change are outlines: no title, tags, queries, headings or text.
    pub loaded: Loaded,
    /// Relative paths of the files that are new, changed or gone since the earlier read.
    pub changed: BTreeSet<String>,
    /// The state to compare the next read with.
    pub state: FolderState,
}

impl Reread {
    /// The folder state to keep, in allocations of its own. Outlines made while the whole folder
    /// was parsed sit among the parsed articles' memory and keep its pages once those are freed;
    /// copied after the articles go, they are packed together (at 100,000 articles about 70 MB
    /// of resident memory less).
    pub fn into_packed_state(self) -> FolderState {
        let Reread { loaded, state, .. } = self;
        drop(loaded);
        FolderState {
            files: state
                .files
                .iter()
                .map(|(relative, read)| (relative.clone(), Arc::new(FileRead::clone(read))))
                .collect(),
        }
    }
}

/// Reads and checks every article under `root`, parsing again only the files that are new or
/// changed since `previous` was read; the checks across files run on the whole tree.
pub fn reread(root: &Path, default_lang: &LangTag, previous: &FolderState) -> Result<Reread, LoadError> {
    let metadata = std::fs::metadata(root).map_err(|source| LoadError::Folder {
        path: root.to_path_buf(),
        source,
    })?;
    if !metadata.is_dir() {
        return Err(LoadError::Folder {
            path: root.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a directory"),
        });
    }
    let mut loaded = Loaded::default();
    let mut files = Vec::new();
    let walker = WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(root).to_path_buf();
                loaded
                    .diagnostics
                    .push(Diagnostic::error(path, 1, 1, format!("cannot read: {error}")));
                continue;
            }
        };
        let path = entry.path();
        if !entry.file_type().is_file() || path.extension().is_none_or(|ext| ext != "md") {
            continue;
        }
        let stamp = entry.metadata().ok().and_then(|metadata| {
            Some(FileStamp {
                modified: metadata.modified().ok()?,
                len: metadata.len(),
            })
        });
        files.push((relative_path(root, path), entry.into_path(), stamp));
    }
    // Parsing is the bulk of the work and independent per file: on every core.
    let reads: Vec<Read> = files
        .par_iter()
        .map(|(relative, path, stamp)| match previous.files.get(relative) {
            Some(read) if stamp.is_some() && read.stamp == *stamp => Read::Unchanged(Arc::clone(read)),
            _ => {
                let mut diagnostics = Vec::new();
                let article = match std::fs::read(path) {
                    Ok(bytes) => parse_file(path, relative, &bytes, default_lang, &mut diagnostics),
                    Err(error) => {
                        diagnostics.push(Diagnostic::error(path, 1, 1, format!("cannot read: {error}")));
                        None
                    }
                };
                let read = FileRead {
                    stamp: *stamp,
                    outline: article.as_ref().map(Outline::of),
                    diagnostics: diagnostics.into(),
                };
                Read::Parsed(Arc::new(read), article.map(Box::new))
            }
        })
        .collect();
    let mut state = FolderState::default();
    let mut changed = BTreeSet::new();
    for ((relative, _, _), read) in files.into_iter().zip(reads) {
        let read = match read {
            Read::Unchanged(read) => {
                loaded.articles.extend(
                    read.outline
                        .as_ref()
                        .map(|outline| outline.to_article(root, &relative)),
                );
                read
            }
            Read::Parsed(read, article) => {
                changed.insert(relative.clone());
                loaded.articles.extend(article.map(|article| *article));
                read
            }
        };
        loaded.diagnostics.extend(read.diagnostics.iter().cloned());
        state.files.insert(relative, read);
    }
    changed.extend(
        previous
            .files
            .keys()
            .filter(|relative| !state.files.contains_key(*relative))
            .cloned(),
    );
    check::cross_check(&loaded.articles, default_lang, &mut loaded.diagnostics);
    sort(&mut loaded.diagnostics);
    Ok(Reread {
        loaded,
        changed,
        state,
    })
}

/// Reads and parses the one article file `relative` below `root` again, without checks; `None`
/// when it is gone or no longer an article.
pub fn read_article(root: &Path, relative: &str, default_lang: &LangTag) -> Option<Article> {
    let path = root.join(relative);
    let bytes = std::fs::read(&path).ok()?;
    parse_file(&path, relative, &bytes, default_lang, &mut Vec::new())
}

/// Parses and checks one file's `bytes` as if it were `relative` (below the articles folder)
/// alone in a tree: what `kb check` would say of it. The seam the fuzzer drives.
pub fn load_bytes(relative: &str, bytes: &[u8], default_lang: &LangTag) -> Loaded {
    let mut loaded = Loaded::default();
    let path = Path::new(relative);
    if let Some(article) = parse_file(path, relative, bytes, default_lang, &mut loaded.diagnostics) {
        loaded.articles.push(article);
    }
    check::cross_check(&loaded.articles, default_lang, &mut loaded.diagnostics);
    loaded.check_declared_languages();
    loaded
}

fn relative_path(root: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(root).unwrap_or(path);
    relative
        .components()
        .map(|component| component.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Parses one article file; `None` when it is too broken to index (the reasons are reported).
pub(crate) fn parse_file(
    path: &Path,
    relative: &str,
    bytes: &[u8],
    default_lang: &LangTag,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Article> {
    let content = match std::str::from_utf8(bytes) {
        Ok(content) => content,
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let line = valid.matches('\n').count() + 1;
            let column = valid.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
            diagnostics.push(Diagnostic::error(
                path,
                line,
                column,
                format!(
                    "file is not valid UTF-8 (invalid byte 0x{:02x}); save it as UTF-8",
                    bytes[error.valid_up_to()]
                ),
            ));
            return None;
        }
    };
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let Some(split) = front_matter::split(content) else {
        let message = if content.starts_with("---") {
            "front matter is not closed: add a `---` line after it"
        } else {
            "missing front matter: the file must start with a `---` line, then `title: …`, then `---`"
        };
        diagnostics.push(Diagnostic::error(path, 1, 1, message));
        return None;
    };
    let front = front_matter::parse(&split, path, diagnostics);
    let body = markdown::parse(split.body, split.body_first_line);
    if body.sections.iter().all(|section| section.text.trim().is_empty()) {
        diagnostics.push(Diagnostic::error(
            path,
            split.body_first_line,
            1,
            "empty body: the article has no text",
        ));
    }

    let (folder_lang, below_folder) = match relative.split_once('/') {
        Some((first, rest)) => match LangTag::parse(first) {
            Ok(tag) if tag.as_str() == first => (Some(tag), rest),
            _ => (None, relative),
        },
        None => (None, relative),
    };
    let (lang, lang_origin, lang_line) = match (&front.lang, folder_lang) {
        (Some((tag, line)), folder) => {
            if let Some(folder) = folder.filter(|folder| folder.language() != tag.language()) {
                diagnostics.push(Diagnostic::warning(
                    path,
                    *line,
                    1,
                    format!("`lang: {tag}` differs from the language folder `{folder}/` the file is in"),
                ));
            }
            (tag.clone(), LangOrigin::FrontMatter, *line)
        }
        (None, Some(folder)) => (folder, LangOrigin::Folder, 1),
        (None, None) => {
            let text = format!("{}\n{}", front.title.as_deref().unwrap_or_default(), split.body);
            match detect(&text) {
                Some(detection) => {
                    let tag = LangTag::of(detection.language);
                    diagnostics.push(Diagnostic::warning(
                        path,
                        1,
                        1,
                        format!("not in a language folder and no `lang`: detected {tag} ({}); add `lang: {tag}` or move the file into `{tag}/`", detection.language.english_name),
                    ));
                    (tag, LangOrigin::Detected, 1)
                }
                None => {
                    diagnostics.push(Diagnostic::warning(
                        path,
                        1,
                        1,
                        format!("not in a language folder and no `lang`, and the language cannot be detected: assuming the default {default_lang}"),
                    ));
                    (default_lang.clone(), LangOrigin::Default, 1)
                }
            }
        }
    };

    let (id, id_line) = match front.id {
        Some((id, line)) => (id, line),
        None => {
            let id = below_folder
                .strip_suffix(".md")
                .unwrap_or(below_folder)
                .to_string();
            if let Err(problem) = validate_id(&id) {
                diagnostics.push(Diagnostic::error(
                    path,
                    1,
                    1,
                    format!(
                        "the file name gives the invalid id {id:?} ({problem}): rename the file or set `id`"
                    ),
                ));
                return None;
            }
            (id, 1)
        }
    };

    // A missing title is already reported; the article still takes part in the link checks.
    let title = front.title.unwrap_or_default();
    let article = Article {
        path: path.to_path_buf(),
        relative_path: relative.to_string(),
        id,
        lang,
        lang_origin,
        title,
        section: front.section,
        tags: front.tags,
        queries: front.queries,
        draft: front.draft,
        updated: front.updated.map(|(date, _)| date),
        body: split.body.to_string(),
        sections: body.sections,
        links: body.links,
        lines: SourceLines {
            id: id_line,
            lang: lang_line,
            updated: front.updated.map_or(1, |(_, line)| line),
            body: split.body_first_line,
        },
    };
    Some(article)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outline_keeps_what_the_checks_across_files_read() {
        let source = "---\ntitle: Refunds\nid: billing/refunds\nupdated: 2026-01-02\n---\nIntro.\n\n## How long?\n\nSee [fees](fees.md#rates).\n";
        let lang = LangTag::parse("en").unwrap();
        let root = Path::new("articles");
        let article = parse_file(
            &root.join("en/refunds.md"),
            "en/refunds.md",
            source.as_bytes(),
            &lang,
            &mut Vec::new(),
        )
        .unwrap();
        let outline = Outline::of(&article).to_article(root, "en/refunds.md");
        assert_eq!(outline.path, article.path);
        assert_eq!(outline.relative_path, article.relative_path);
        assert_eq!(
            (outline.id.as_str(), &outline.lang),
            (article.id.as_str(), &article.lang)
        );
        assert_eq!(
            (outline.lang_origin, outline.draft, outline.updated),
            (article.lang_origin, article.draft, article.updated)
        );
        assert_eq!(
            outline.anchors().collect::<Vec<_>>(),
            article.anchors().collect::<Vec<_>>()
        );
        assert_eq!(outline.anchors().collect::<Vec<_>>(), ["how-long"]);
        assert_eq!(outline.links, article.links);
        assert_eq!(outline.lines.id, article.lines.id);
        assert!(outline.title.is_empty() && outline.sections.iter().all(|section| section.text.is_empty()));
    }
}

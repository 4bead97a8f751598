//! The catalog: what is in an index generation besides postings. Article titles, sections and
//! anchors, for grouping hits, deep links, home pages and fallback decisions.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::generation::CATALOG_FILE;
use super::schema::WEIGHTED_FIELDS;
use super::IndexError;
use crate::analysis::{Analysis, LangTag, Language};
use crate::article::{Article, PackedSections};

/// Bumped whenever the on-disk layout or the analysis changes; an index of another format is
/// rebuilt.
pub const FORMAT_VERSION: u32 = 24;

/// A section as catalog.json holds it ([`PackedSections`] in memory).
#[derive(Serialize, Deserialize)]
struct StoredSection<'a> {
    #[serde(borrow)]
    anchor: Option<std::borrow::Cow<'a, str>>,
    #[serde(borrow)]
    heading: Option<std::borrow::Cow<'a, str>>,
    level: u8,
}

/// catalog.json's form of [`CatalogEntry::sections`]: a list of [`StoredSection`].
mod stored_sections {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::StoredSection;
    use crate::article::{PackedSections, SectionRef};

    pub(super) fn serialize<S: Serializer>(
        sections: &PackedSections,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let stored: Vec<StoredSection> = sections
            .iter()
            .map(|section| StoredSection {
                anchor: section.anchor.map(Into::into),
                heading: section.heading.map(Into::into),
                level: section.level,
            })
            .collect();
        stored.serialize(serializer)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<PackedSections, D::Error> {
        let stored = Vec::<StoredSection>::deserialize(deserializer)?;
        Ok(PackedSections::of(
            stored.iter().map(|section| SectionRef {
                anchor: section.anchor.as_deref(),
                heading: section.heading.as_deref(),
                level: section.level,
            }),
            true,
        ))
    }
}

/// An indexed article. Its texts are boxed (no spare capacity): a server holds one entry per
/// article for as long as it runs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CatalogEntry {
    /// Article id (shared by translations).
    pub id: Box<str>,
    /// Article language.
    pub lang: LangTag,
    /// Title.
    pub title: Box<str>,
    /// Home-page category.
    pub section: Option<Box<str>>,
    /// Last update.
    pub updated: Option<NaiveDate>,
    /// The article's sections with their headings, in order; documents refer to them by
    /// position.
    #[serde(with = "stored_sections")]
    pub sections: PackedSections,
    /// The questions the writer says the article answers (front-matter `queries`): further
    /// headlines for e-mail links. Empty for most articles.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub questions: Box<[Box<str>]>,
    /// The words and phrases the writer tags the article with (front-matter `tags`): further
    /// headlines for the headline bonus.
    #[serde(default, skip_serializing_if = "<[_]>::is_empty")]
    pub tags: Box<[Box<str>]>,
    /// Tokens the article put into each weighted field (in `WEIGHTED_FIELDS` order), so that an
    /// update can take it out of its language's statistics without the old text.
    pub tokens: [u32; WEIGHTED_FIELDS.len()],
}

impl CatalogEntry {
    /// The catalog entry of an article.
    pub fn of(article: &Article) -> CatalogEntry {
        CatalogEntry {
            id: article.id.as_str().into(),
            lang: article.lang.clone(),
            title: article.title.as_str().into(),
            section: article.section.as_deref().map(Box::from),
            updated: article.updated,
            sections: PackedSections::of_article(&article.sections, true),
            questions: article
                .queries
                .iter()
                .map(|query| query.text.as_str().into())
                .collect(),
            tags: article.tags.iter().map(|tag| tag.as_str().into()).collect(),
            tokens: [0; WEIGHTED_FIELDS.len()],
        }
    }

    /// `lang/id`, the article's key in the index.
    pub fn key(&self) -> (LangTag, String) {
        (self.lang.clone(), self.id.to_string())
    }
}

/// BM25 statistics of one analyzer namespace (language): scoring uses these instead of the
/// whole index's, so that a word's rarity is judged among documents of its own language.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LanguageStatistics {
    /// Section documents in the language.
    pub documents: u64,
    /// Tokens per field name in the language.
    pub tokens: BTreeMap<String, u64>,
}

impl LanguageStatistics {
    /// Counts the documents and tokens of `entry` in.
    pub(crate) fn add(&mut self, entry: &CatalogEntry) {
        self.documents += entry.sections.len() as u64;
        for (field, tokens) in WEIGHTED_FIELDS.iter().zip(&entry.tokens) {
            *self.tokens.entry(field.name.to_string()).or_default() += u64::from(*tokens);
        }
    }

    /// Counts the documents and tokens of `entry` out again.
    pub(crate) fn remove(&mut self, entry: &CatalogEntry) {
        self.documents = self.documents.saturating_sub(entry.sections.len() as u64);
        for (field, tokens) in WEIGHTED_FIELDS.iter().zip(&entry.tokens) {
            if let Some(total) = self.tokens.get_mut(field.name) {
                *total = total.saturating_sub(u64::from(*tokens));
            }
        }
    }
}

/// Everything an index generation records about itself and its articles.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Catalog {
    /// [`FORMAT_VERSION`] of the writer.
    pub format: u32,
    /// The language that fallbacks end in.
    pub default_lang: LangTag,
    /// The analysis the index was built with (queries must use the same).
    pub analysis: Analysis,
    /// Build time, seconds since the Unix epoch.
    pub built_at: u64,
    /// The articles; a document's `article` field is a position in this list.
    pub articles: Vec<CatalogEntry>,
    /// Scoring statistics per analyzer namespace.
    pub statistics: BTreeMap<String, LanguageStatistics>,
    #[serde(skip)]
    /// The positions of the articles sorted by language, then id: looked up by binary search
    /// (8 bytes an article, where a map of ids took 60).
    by_key: Vec<usize>,
    #[serde(skip)]
    languages: Vec<&'static Language>,
    #[serde(skip)]
    tags: Vec<LangTag>,
    /// The analyzer namespaces that several of `tags` share ([`Catalog::namespace_is_shared`]).
    #[serde(skip)]
    shared_namespaces: Vec<&'static str>,
}

impl Catalog {
    /// A catalog of `articles` (in document order).
    pub fn new(
        default_lang: LangTag,
        analysis: Analysis,
        built_at: u64,
        articles: Vec<CatalogEntry>,
        statistics: BTreeMap<String, LanguageStatistics>,
    ) -> Catalog {
        let mut catalog = Catalog {
            format: FORMAT_VERSION,
            default_lang,
            analysis,
            built_at,
            articles,
            statistics,
            by_key: Vec::new(),
            languages: Vec::new(),
            tags: Vec::new(),
            shared_namespaces: Vec::new(),
        };
        catalog.reindex();
        catalog
    }

    /// Reads the catalog of the generation folder `generation`, refusing another format.
    pub(crate) fn read(generation: &Path) -> Result<Catalog, IndexError> {
        let path = generation.join(CATALOG_FILE);
        let json = std::fs::read(&path).map_err(|source| IndexError::Io {
            path: path.clone(),
            source,
        })?;
        #[derive(Deserialize)]
        struct FormatProbe {
            format: u32,
        }
        let corrupt = |reason: String| IndexError::Corrupt {
            path: path.clone(),
            reason,
        };
        let probe: FormatProbe = serde_json::from_slice(&json).map_err(|error| corrupt(error.to_string()))?;
        if probe.format != FORMAT_VERSION {
            return Err(corrupt(format!(
                "format {} but this kb reads format {FORMAT_VERSION}",
                probe.format
            )));
        }
        let mut catalog: Catalog =
            serde_json::from_slice(&json).map_err(|error| corrupt(error.to_string()))?;
        catalog.reindex();
        Ok(catalog)
    }

    /// Writes the catalog into the generation folder `generation`.
    pub(crate) fn write(&self, generation: &Path) -> Result<(), IndexError> {
        super::generation::write_json(generation, CATALOG_FILE, self)
    }

    /// Removes the article at `position` by moving the last one into its place (whose documents
    /// must then be written again with the new position); returns the removed entry.
    pub(crate) fn swap_remove(&mut self, position: usize) -> CatalogEntry {
        let removed_slot = self.slot(&self.articles[position].lang, &self.articles[position].id);
        let last = self.articles.len() - 1;
        let moved_slot = (position != last)
            .then(|| self.slot(&self.articles[last].lang, &self.articles[last].id).ok())
            .flatten();
        let removed = self.articles.swap_remove(position);
        if let Some(slot) = moved_slot {
            self.by_key[slot] = position;
        }
        if let Ok(slot) = removed_slot {
            self.by_key.remove(slot);
        }
        removed
    }

    /// Puts `entry` in the place of the entry with its key, or appends it.
    pub(crate) fn put(&mut self, entry: CatalogEntry) {
        match self.slot(&entry.lang, &entry.id) {
            Ok(slot) => self.articles[self.by_key[slot]] = entry,
            Err(slot) => {
                self.by_key.insert(slot, self.articles.len());
                self.articles.push(entry);
            }
        }
    }

    /// Where the article `(lang, id)` is in `by_key`, or where it would go.
    fn slot(&self, lang: &LangTag, id: &str) -> Result<usize, usize> {
        self.by_key.binary_search_by(|&position| {
            let entry = &self.articles[position];
            (&entry.lang, &*entry.id).cmp(&(lang, id))
        })
    }

    /// Rebuilds the lookup tables after deserialising.
    pub(crate) fn reindex(&mut self) {
        let mut by_key: Vec<usize> = (0..self.articles.len()).collect();
        by_key.sort_unstable_by(|&a, &b| {
            let (a, b) = (&self.articles[a], &self.articles[b]);
            (&a.lang, &a.id).cmp(&(&b.lang, &b.id))
        });
        self.by_key = by_key;
        let mut languages: Vec<&'static Language> =
            self.articles.iter().map(|entry| entry.lang.language()).collect();
        languages.sort_by_key(|language| language.code);
        languages.dedup();
        self.languages = languages;
        let mut tags: Vec<LangTag> = self.articles.iter().map(|entry| entry.lang.clone()).collect();
        tags.sort();
        tags.dedup();
        let mut namespaces: Vec<&'static str> = tags
            .iter()
            .map(|tag| self.analysis.analyzer(tag).namespace(tag))
            .collect();
        namespaces.sort_unstable();
        self.shared_namespaces = namespaces
            .windows(2)
            .filter(|pair| pair[0] == pair[1])
            .map(|pair| pair[0])
            .collect();
        self.shared_namespaces.dedup();
        self.tags = tags;
    }

    /// Whether several language tags with articles share the analyzer namespace `namespace`
    /// (`pt-BR` beside `pt`): only then must a search of one of them filter by tag, since
    /// terms are otherwise namespaced by language already.
    pub fn namespace_is_shared(&self, namespace: &str) -> bool {
        self.shared_namespaces.contains(&namespace)
    }

    /// The language tags (with region) that have articles, sorted.
    pub fn tags(&self) -> &[LangTag] {
        &self.tags
    }

    /// The languages (without region) that have articles, sorted by code.
    pub fn languages(&self) -> &[&'static Language] {
        &self.languages
    }

    /// The article `id` in exactly `lang`, if indexed.
    pub fn get(&self, lang: &LangTag, id: &str) -> Option<&CatalogEntry> {
        self.position(lang, id).map(|position| &self.articles[position])
    }

    /// Position of the article `id` in exactly `lang`.
    pub fn position(&self, lang: &LangTag, id: &str) -> Option<usize> {
        self.slot(lang, id).ok().map(|slot| self.by_key[slot])
    }

    /// Per catalog position, whether it is an article of `lang` that none of the languages
    /// `earlier` has: what a fallback step to `lang`, after those languages, may offer.
    pub fn untranslated(&self, lang: &LangTag, earlier: &[LangTag]) -> Vec<bool> {
        self.articles
            .iter()
            .map(|entry| {
                &entry.lang == lang
                    && earlier
                        .iter()
                        .all(|language| self.get(language, &entry.id).is_none())
            })
            .collect()
    }

    /// The version of article `id` to show to a reader of `lang`: the first along `lang`'s
    /// fallback chain, and whether it is a fallback (not in `lang` itself).
    pub fn resolve(&self, lang: &LangTag, id: &str) -> Option<(&CatalogEntry, bool)> {
        lang.fallback_chain(&self.default_lang)
            .iter()
            .enumerate()
            .find_map(|(step, candidate)| self.get(candidate, id).map(|entry| (entry, step > 0)))
    }

    /// Every article a reader of `lang` can read, each in the version [`Catalog::resolve`] picks,
    /// sorted by id.
    pub fn readable_in(&self, lang: &LangTag) -> Vec<(&CatalogEntry, bool)> {
        let mut ids: Vec<&str> = self.articles.iter().map(|entry| &*entry.id).collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().filter_map(|id| self.resolve(lang, id)).collect()
    }

    /// The languages the article `id` exists in.
    pub fn languages_of(&self, id: &str) -> Vec<&LangTag> {
        self.articles
            .iter()
            .filter(|entry| &*entry.id == id)
            .map(|entry| &entry.lang)
            .collect()
    }

    /// Number of articles per language tag, sorted by tag.
    pub fn count_by_lang(&self) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for entry in &self.articles {
            *counts.entry(entry.lang.to_string()).or_insert(0) += 1;
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(lang: &str, id: &str) -> CatalogEntry {
        let article = Article::from_parts(
            id,
            LangTag::parse(lang).unwrap(),
            id,
            "Intro.\n\n## Fees\n\nText.",
        );
        CatalogEntry::of(&article)
    }

    fn assert_lookups_match(catalog: &Catalog) {
        for (position, entry) in catalog.articles.iter().enumerate() {
            assert_eq!(
                catalog.position(&entry.lang, &entry.id),
                Some(position),
                "{}",
                entry.id
            );
        }
        assert_eq!(catalog.by_key.len(), catalog.articles.len());
    }

    #[test]
    fn articles_are_found_by_key_through_removals_and_additions() {
        let articles = (0..40)
            .map(|n| entry(["en", "de", "pt-BR"][n % 3], &format!("a{}", (n * 7) % 40)))
            .collect();
        let mut catalog = Catalog::new(
            LangTag::parse("en").unwrap(),
            Analysis::default(),
            0,
            articles,
            BTreeMap::new(),
        );
        assert_lookups_match(&catalog);
        for position in [0, 5, 30, 0, 33] {
            let removed = catalog.swap_remove(position);
            assert_eq!(catalog.position(&removed.lang, &removed.id), None);
            assert_lookups_match(&catalog);
        }
        let last = catalog.articles.len() - 1;
        catalog.swap_remove(last);
        assert_lookups_match(&catalog);
        for id in ["new", "a1", "zz"] {
            catalog.put(entry("de", id));
            assert_lookups_match(&catalog);
        }
        let before = catalog.articles.len();
        catalog.put(entry("de", "new"));
        assert_eq!(catalog.articles.len(), before, "a second put replaces");
        assert_eq!(catalog.position(&LangTag::parse("fr").unwrap(), "a1"), None);
    }

    #[test]
    fn only_tags_of_one_analyzer_share_a_namespace() {
        let catalog = Catalog::new(
            LangTag::parse("en").unwrap(),
            Analysis::default(),
            0,
            vec![
                entry("en", "a"),
                entry("pt", "a"),
                entry("pt-BR", "a"),
                entry("de-AT", "a"),
            ],
            BTreeMap::new(),
        );
        assert!(catalog.namespace_is_shared("pt"));
        assert!(!catalog.namespace_is_shared("en"));
        assert!(!catalog.namespace_is_shared("de"), "de-AT alone");
    }

    #[test]
    fn sections_survive_the_catalog_file() {
        let folder = tempfile::tempdir().unwrap();
        let catalog = Catalog::new(
            LangTag::parse("en").unwrap(),
            Analysis::default(),
            0,
            vec![entry("en", "fees")],
            BTreeMap::new(),
        );
        catalog.write(folder.path()).unwrap();
        let read = Catalog::read(folder.path()).unwrap();
        let sections: Vec<_> = read.articles[0].sections.iter().collect();
        assert_eq!(sections, catalog.articles[0].sections.iter().collect::<Vec<_>>());
        assert_eq!(sections[1].heading, Some("Fees"));
        assert_eq!(sections[1].anchor, Some("fees"));
    }
}

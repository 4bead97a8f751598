//! Help articles: Markdown files with YAML front matter, read from the articles folder,
//! cut into sections with anchors, and checked (every problem with file:line:col).

mod check;
mod diagnostic;
mod front_matter;
mod load;
mod markdown;
mod packed;
mod render;

use std::path::PathBuf;

use chrono::NaiveDate;

pub use diagnostic::{sort as sort_diagnostics, Diagnostic, Severity};
pub use front_matter::DeclaredQuery;
pub use load::{load, load_bytes, read_article, reread, FolderState, LoadError, Loaded, Reread};
pub use markdown::{markdown_options, slugify, Link, Section};
pub use packed::{PackedSections, SectionRef};
pub use render::{linked_paths, render_html, ArticlesByPath};

use crate::analysis::LangTag;

/// Where an article's language came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangOrigin {
    /// The `<lang>/` folder the file is in.
    Folder,
    /// The front matter's `lang`.
    FrontMatter,
    /// Detected from the text (a file outside any language folder, without `lang`).
    Detected,
    /// Nothing to go by: the default language was assumed.
    Default,
    /// Given directly by a program (evaluation corpora).
    Given,
}

/// File lines of the front matter fields, for pinning later problems to them.
#[derive(Debug, Clone, Copy, Default)]
pub struct SourceLines {
    /// Line of `id:` (1 when the id comes from the path).
    pub id: usize,
    /// Line of `lang:` (1 when from the folder).
    pub lang: usize,
    /// Line of `updated:`.
    pub updated: usize,
    /// First line of the Markdown body.
    pub body: usize,
}

/// One help article in one language, parsed and ready to index.
#[derive(Debug, Clone)]
pub struct Article {
    /// The file, as reached from the articles folder (for messages); empty for generated articles.
    pub path: PathBuf,
    /// The file's path below the articles folder, `/`-separated.
    pub relative_path: String,
    /// Stable id shared by the translations of one article, e.g. `billing/refunds`.
    pub id: String,
    /// The article's language.
    pub lang: LangTag,
    /// Where [`Article::lang`] came from.
    pub lang_origin: LangOrigin,
    /// The title (h1 of the page).
    pub title: String,
    /// The home-page category.
    pub section: Option<String>,
    /// Words customers use that the text may not: searched with a boost, never shown.
    pub tags: Vec<String>,
    /// Questions this article answers: searched with a boost and run by `kb test`.
    pub queries: Vec<DeclaredQuery>,
    /// Drafts are checked but never indexed.
    pub draft: bool,
    /// When the article was last updated.
    pub updated: Option<NaiveDate>,
    /// The Markdown source of the body.
    pub body: String,
    /// The body cut into sections; the first may be the introduction (no anchor).
    pub sections: Vec<Section>,
    /// Links written in the body.
    pub links: Vec<Link>,
    /// Where the front matter fields are in the file.
    pub lines: SourceLines,
}

impl Article {
    /// An article made by a program rather than read from a file (evaluation corpora): the body
    /// goes through the same Markdown parsing as files do.
    pub fn from_parts(id: &str, lang: LangTag, title: &str, body: &str) -> Article {
        let parsed = markdown::parse(body, 1);
        Article {
            path: PathBuf::new(),
            relative_path: String::new(),
            id: id.to_string(),
            lang,
            lang_origin: LangOrigin::Given,
            title: title.trim().to_string(),
            section: None,
            tags: Vec::new(),
            queries: Vec::new(),
            draft: false,
            updated: None,
            body: body.to_string(),
            sections: parsed.sections,
            links: parsed.links,
            lines: SourceLines::default(),
        }
    }

    /// The anchors of the article's headings, in order.
    pub fn anchors(&self) -> impl Iterator<Item = &str> {
        self.sections
            .iter()
            .filter_map(|section| section.anchor.as_deref())
    }

    /// Whether the title only repeats the opening of the body (a lead sentence, possibly cut
    /// with "…") rather than being a headline of its own: such a title is no extra evidence of
    /// what the article is about.
    pub fn title_is_lead_sentence(&self) -> bool {
        let title = self.title.trim_end_matches(['…', '.', ' ']).trim();
        !title.is_empty()
            && self
                .sections
                .first()
                .is_some_and(|section| section.text.trim_start().starts_with(title))
    }

    /// The article's plain text: title and all sections, for detection and summaries.
    pub fn plain_text(&self) -> String {
        let mut text = self.title.clone();
        for section in &self.sections {
            for part in section.heading.iter().chain(std::iter::once(&section.text)) {
                text.push('\n');
                text.push_str(part);
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(title: &str, body: &str) -> Article {
        Article::from_parts("a", LangTag::parse("en").unwrap(), title, body)
    }

    #[test]
    fn a_title_repeating_the_first_sentence_is_a_lead_sentence() {
        let body = "The Panthers defense gave up just 308 points, ranking sixth. They also led.";
        assert!(article(
            "The Panthers defense gave up just 308 points, ranking sixth.",
            body
        )
        .title_is_lead_sentence());
        assert!(article("The Panthers defense gave up just 308…", body).title_is_lead_sentence());
    }

    #[test]
    fn a_headline_is_not_a_lead_sentence() {
        assert!(!article("How long does a refund take?", "Refunds take five days.").title_is_lead_sentence());
        assert!(!article("Refunds", "## Refunds take five days\n\nText.").title_is_lead_sentence());
        assert!(!article("", "Text.").title_is_lead_sentence());
    }
}

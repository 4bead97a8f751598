//! The tantivy schema: one document per article section.
//!
//! Text fields hold terms produced by [`crate::analysis`] (handed over by [`super::terms`]), so
//! each document is analysed in its own language while all languages share one index.

use super::terms::TERMS_TOKENIZER;
use crate::analysis::Form;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};

/// How much a match in one searchable field counts.
#[derive(Debug, Clone, Copy)]
pub struct FieldWeight {
    /// Field name.
    pub name: &'static str,
    /// Which form of the words the field holds.
    pub form: Form,
    /// Weight of a content word matching in this field.
    pub weight: f32,
    /// Weight of a stop word matching in this field: full in short, question-shaped fields
    /// ("How do I…" in a title tells questions apart), little in running text.
    pub stop_word_weight: f32,
}

/// The fast field holding a section's article: its position in the catalog.
pub const ARTICLE_FIELD: &str = "article";

/// The searchable fields. `content` holds title, heading and section text together, so that a
/// word's frequency across them saturates once (as in BM25F); the short fields add a bonus on
/// top. Weights tuned on ../shared/eval (docs/quality.md).
#[rustfmt::skip]
pub const WEIGHTED_FIELDS: &[FieldWeight] = &[
    FieldWeight { name: "content", form: Form::Stem, weight: 1.0, stop_word_weight: 0.2 },
    FieldWeight { name: "words", form: Form::Word, weight: 0.3, stop_word_weight: 0.1 },
    FieldWeight { name: "title", form: Form::Stem, weight: 1.0, stop_word_weight: 1.0 },
    FieldWeight { name: "heading", form: Form::Stem, weight: 0.5, stop_word_weight: 0.5 },
    FieldWeight { name: "tags", form: Form::Stem, weight: 1.0, stop_word_weight: 0.5 },
    FieldWeight { name: "queries", form: Form::Stem, weight: 0.75, stop_word_weight: 0.5 },
];

/// Handles to the fields of a kb index.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Language tag of the article (`pt-BR`), for filtering.
    pub lang: Field,
    /// `lang/id` of the article, for replacing one article's documents.
    pub key: Field,
    /// Position of the article in the catalog (fast field): groups sections back to articles.
    pub article: Field,
    /// Position of the section within the article (fast field).
    pub section: Field,
    /// The article title (every section carries it).
    pub title: Field,
    /// The section's heading.
    pub heading: Field,
    /// The article's tags.
    pub tags: Field,
    /// The article's front-matter queries.
    pub queries: Field,
    /// Title, heading and section text together.
    pub content: Field,
    /// The words of `content`, the tags and the writer's queries, unstemmed: exact-word matches,
    /// and the words that a word being typed completes to.
    pub words: Field,
    /// The section's text as written, stored for snippets.
    pub text: Field,
    /// The article rendered to sanitized HTML, stored on its first section only.
    pub html: Field,
    /// The page's meta description (the article's opening words), stored on its first section
    /// only: a page needs it, a search does not, so it stays out of the catalog's memory.
    pub description: Field,
}

impl Fields {
    /// Builds the schema and the field handles.
    pub fn schema() -> (Schema, Fields) {
        let mut builder = Schema::builder();
        let indexed = |record| {
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(TERMS_TOKENIZER)
                    .set_index_option(record),
            )
        };
        // Only `content` is searched for phrases: the other fields need no positions.
        let analysed = indexed(IndexRecordOption::WithFreqs);
        let fields = Fields {
            lang: builder.add_text_field("lang", STRING),
            key: builder.add_text_field("key", STRING),
            article: builder.add_u64_field(ARTICLE_FIELD, FAST),
            section: builder.add_u64_field("section", FAST),
            title: builder.add_text_field("title", analysed.clone()),
            heading: builder.add_text_field("heading", analysed.clone()),
            tags: builder.add_text_field("tags", analysed.clone()),
            queries: builder.add_text_field("queries", analysed.clone()),
            content: builder.add_text_field("content", indexed(IndexRecordOption::WithFreqsAndPositions)),
            words: builder.add_text_field("words", analysed),
            text: builder.add_text_field("text", STORED),
            html: builder.add_text_field("html", STORED),
            description: builder.add_text_field("description", STORED),
        };
        (builder.build(), fields)
    }

    /// The handles of an existing index's schema; `None` if it is not a kb schema.
    pub fn from_schema(schema: &Schema) -> Option<Fields> {
        let field = |name: &str| schema.get_field(name).ok();
        Some(Fields {
            lang: field("lang")?,
            key: field("key")?,
            article: field(ARTICLE_FIELD)?,
            section: field("section")?,
            title: field("title")?,
            heading: field("heading")?,
            tags: field("tags")?,
            queries: field("queries")?,
            content: field("content")?,
            words: field("words")?,
            text: field("text")?,
            html: field("html")?,
            description: field("description")?,
        })
    }

    /// The field called `name` among the weighted text fields.
    pub fn by_name(&self, name: &str) -> Option<Field> {
        self.weighted()
            .into_iter()
            .find(|(_, known)| *known == name)
            .map(|(field, _)| field)
    }

    /// The name of the weighted text field `field` (the inverse of [`Fields::by_name`]).
    pub fn name_of(&self, field: Field) -> Option<&'static str> {
        self.weighted()
            .into_iter()
            .find(|(known, _)| *known == field)
            .map(|(_, name)| name)
    }

    /// The weighted text fields with their names.
    fn weighted(&self) -> [(Field, &'static str); 6] {
        [
            (self.title, "title"),
            (self.heading, "heading"),
            (self.tags, "tags"),
            (self.queries, "queries"),
            (self.content, "content"),
            (self.words, "words"),
        ]
    }
}

/// The `key` of an article: `lang/id`.
pub(crate) fn article_key(lang: &str, id: &str) -> String {
    format!("{lang}/{id}")
}

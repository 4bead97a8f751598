//! The Markdown body: cut into heading sections with stable anchors, reduced to plain text for
//! indexing, with the links it contains located for checking.

use std::collections::HashSet;

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

/// A searchable unit of an article: the text before the first heading, or one `##`/`###`
/// heading with the text up to the next such heading.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// The deep-link anchor; `None` for the introduction before the first heading.
    pub anchor: Option<String>,
    /// The heading text; `None` for the introduction.
    pub heading: Option<String>,
    /// 2 or 3 for headings, 0 for the introduction.
    pub level: u8,
    /// Plain text of the section, blocks separated by newlines.
    pub text: String,
}

/// A link written in an article body, where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The destination as written (`../billing/refunds.md#fees`, `/de/articles/x#y`, `https://…`).
    pub destination: String,
    /// 1-based file line of the link.
    pub line: usize,
    /// 1-based column of the link.
    pub column: usize,
}

/// A parsed body.
#[derive(Debug, Default)]
pub(crate) struct Body {
    pub sections: Vec<Section>,
    pub links: Vec<Link>,
}

/// The Markdown extensions articles may use: CommonMark plus tables.
pub fn markdown_options() -> Options {
    Options::ENABLE_TABLES
}

/// Parses a Markdown body whose first line is line `first_line` of its file.
pub(crate) fn parse(body: &str, first_line: usize) -> Body {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(body.match_indices('\n').map(|(index, _)| index + 1))
        .collect();
    let position = |offset: usize| {
        let line_index = line_starts
            .partition_point(|&start| start <= offset)
            .saturating_sub(1);
        let line_start = line_starts[line_index];
        let column = body
            .get(line_start..offset)
            .map_or(1, |prefix| prefix.chars().count() + 1);
        (first_line + line_index, column)
    };

    let mut parsed = Body::default();
    let mut used_anchors = HashSet::new();
    let mut current = Section {
        anchor: None,
        heading: None,
        level: 0,
        text: String::new(),
    };
    let mut heading: Option<(u8, String)> = None;

    for (event, range) in Parser::new_ext(body, markdown_options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = heading_level(level);
                heading = Some((level, String::new()));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, text)) = heading.take() else {
                    continue;
                };
                let text = collapse_whitespace(&text);
                if level == 2 || level == 3 {
                    let anchor = unique_anchor(&text, &mut used_anchors);
                    let finished = std::mem::replace(
                        &mut current,
                        Section {
                            anchor: Some(anchor),
                            heading: Some(text),
                            level,
                            text: String::new(),
                        },
                    );
                    push_section(&mut parsed.sections, finished);
                } else {
                    current.text.push_str(&text);
                    current.text.push('\n');
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                let (line, column) = position(range.start);
                parsed.links.push(Link {
                    destination: dest_url.to_string(),
                    line,
                    column,
                });
            }
            Event::Text(text) | Event::Code(text) => match heading.as_mut() {
                Some((_, heading_text)) => heading_text.push_str(&text),
                None => current.text.push_str(&text),
            },
            Event::SoftBreak | Event::HardBreak => match heading.as_mut() {
                Some((_, heading_text)) => heading_text.push(' '),
                None => current.text.push(' '),
            },
            Event::End(TagEnd::TableCell) => current.text.push_str(" | "),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_),
            ) => current.text.push('\n'),
            _ => {}
        }
    }
    push_section(&mut parsed.sections, current);
    parsed
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// Adds a finished section, tidying its text; an empty introduction is dropped.
fn push_section(sections: &mut Vec<Section>, mut section: Section) {
    section.text = section
        .text
        .lines()
        .map(collapse_whitespace)
        .filter(|line| !line.is_empty() && line != "|")
        .collect::<Vec<_>>()
        .join("\n");
    if section.anchor.is_some() || !section.text.is_empty() {
        sections.push(section);
    }
}

fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The anchor of a heading: lowercase letters and digits, spaces and hyphens as `-`, everything
/// else dropped (`How long does it take?` → `how-long-does-it-take`). Unicode letters stay, so
/// `Wie läuft's?` → `wie-läufts` and Japanese headings keep their characters.
pub fn slugify(heading: &str) -> String {
    let mut slug = String::with_capacity(heading.len());
    for c in heading.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || unicode_normalization::char::is_combining_mark(c) {
            slug.push(c);
        } else if (c.is_whitespace() || c == '-') && !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let trimmed = slug.trim_end_matches('-');
    if trimmed.is_empty() {
        "section".to_string()
    } else {
        trimmed.to_string()
    }
}

/// The slug of `heading`, suffixed `-1`, `-2`… when an earlier heading already took it.
fn unique_anchor(heading: &str, used: &mut HashSet<String>) -> String {
    let slug = slugify(heading);
    let mut candidate = slug.clone();
    let mut counter = 1;
    while used.contains(&candidate) {
        candidate = format!("{slug}-{counter}");
        counter += 1;
    }
    used.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_keep_unicode_letters_and_drop_punctuation() {
        assert_eq!(
            slugify("How long does a refund take?"),
            "how-long-does-a-refund-take"
        );
        assert_eq!(
            slugify("Zwei-Faktor-Authentifizierung (2FA) einrichten"),
            "zwei-faktor-authentifizierung-2fa-einrichten"
        );
        assert_eq!(slugify("Wie läuft's?"), "wie-läufts");
        assert_eq!(slugify("返金 にかかる時間"), "返金-にかかる時間");
        assert_eq!(slugify("???"), "section");
    }

    #[test]
    fn sections_split_at_h2_and_h3_with_deduplicated_anchors() {
        let body =
            "Intro text.\n\n## Fees\nSome *fees*.\n\n### Fees\nMore.\n\n#### Detail\nDeep.\n\n## Other\n";
        let parsed = parse(body, 5);
        let anchors: Vec<Option<&str>> = parsed.sections.iter().map(|s| s.anchor.as_deref()).collect();
        assert_eq!(anchors, [None, Some("fees"), Some("fees-1"), Some("other")]);
        assert_eq!(parsed.sections[0].text, "Intro text.");
        assert_eq!(parsed.sections[2].text, "More.\nDetail\nDeep.");
    }

    #[test]
    fn links_carry_file_positions() {
        let parsed = parse("Intro.\n\nSee [refunds](refunds.md#fees) now.\n", 4);
        assert_eq!(parsed.links.len(), 1);
        assert_eq!(parsed.links[0].destination, "refunds.md#fees");
        assert_eq!((parsed.links[0].line, parsed.links[0].column), (6, 5));
    }

    #[test]
    fn tables_become_text() {
        let parsed = parse("| Plan | Price |\n|---|---|\n| Pro | 9 € |\n", 1);
        assert!(
            parsed.sections[0].text.contains("Pro | 9 €"),
            "{:?}",
            parsed.sections
        );
    }
}

//! Article bodies as safe HTML: Markdown rendered with the same heading anchors that search links
//! to, links between articles rewritten to their page URLs, and everything sanitized (ammonia) so
//! that an article can never inject script.

use std::collections::HashMap;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Parser, Tag, TagEnd};

use super::check::{resolve_relative, split_fragment};
use super::{markdown_options, Article};

/// Article files by their path below the articles folder, for resolving relative links.
pub type ArticlesByPath<'a> = HashMap<&'a str, &'a Article>;

/// The article body as sanitized HTML. `##`/`###` headings carry their anchors as `id`s and end
/// in a visible `#` link to themselves; relative `.md` links point to `/{lang}/articles/{id}#…`.
pub fn render_html(article: &Article, by_path: &ArticlesByPath<'_>) -> String {
    let mut anchors = article.anchors();
    let mut open_anchor = None;
    let events = Parser::new_ext(&article.body, markdown_options()).flat_map(|event| match event {
        Event::Start(Tag::Heading {
            level: level @ (HeadingLevel::H2 | HeadingLevel::H3),
            classes,
            attrs,
            ..
        }) => {
            open_anchor = anchors.next().map(str::to_string);
            vec![Event::Start(Tag::Heading {
                level,
                id: open_anchor.clone().map(CowStr::from),
                classes,
                attrs,
            })]
        }
        Event::End(TagEnd::Heading(level @ (HeadingLevel::H2 | HeadingLevel::H3))) => {
            let end = Event::End(TagEnd::Heading(level));
            match open_anchor.take() {
                Some(anchor) => vec![Event::InlineHtml(CowStr::from(self_link(&anchor))), end],
                None => vec![end],
            }
        }
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = article_url(article, &dest_url, by_path).map_or(dest_url, CowStr::from);
            vec![Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })]
        }
        other => vec![other],
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    ammonia::Builder::default()
        .add_tag_attributes("h2", &["id"])
        .add_tag_attributes("h3", &["id"])
        .add_tag_attributes("a", &["class", "aria-hidden"])
        .clean(&html)
        .to_string()
}

/// The visible `#` link a heading carries to its own anchor.
fn self_link(anchor: &str) -> String {
    let mut href = String::new();
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_href(&mut href, anchor);
    format!(r##"<a class="anchor" href="#{href}" aria-hidden="true">#</a>"##)
}

/// The page URL of a relative `.md` link, if it points at an article of the tree.
fn article_url(from: &Article, destination: &str, by_path: &ArticlesByPath<'_>) -> Option<String> {
    let (path, fragment) = linked_file(from, destination)?;
    let target = by_path.get(path.as_str())?;
    let fragment = fragment.map(|f| format!("#{f}")).unwrap_or_default();
    Some(format!("/{}/articles/{}{fragment}", target.lang, target.id))
}

/// The file (below the articles folder) and fragment a relative `.md` link points at.
fn linked_file(from: &Article, destination: &str) -> Option<(String, Option<String>)> {
    let (path, fragment) = split_fragment(destination);
    if !path.ends_with(".md") || path.starts_with('/') || path.contains("://") {
        return None;
    }
    Some((resolve_relative(&from.relative_path, &path)?, fragment))
}

/// The files (below the articles folder) that the article's relative links point at: its
/// rendering changes when one of them changes.
pub fn linked_paths(article: &Article) -> impl Iterator<Item = String> + '_ {
    article
        .links
        .iter()
        .filter_map(|link| linked_file(article, &link.destination).map(|(path, _)| path))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::LangTag;

    fn article(path: &str, body: &str) -> Article {
        let mut article = Article::from_parts("x", LangTag::parse("en").unwrap(), "T", body);
        article.relative_path = path.to_string();
        article
    }

    #[test]
    fn headings_get_their_anchors_and_links_their_urls() {
        let target = article("en/billing/refunds.md", "Text.");
        let source = article(
            "en/billing/a.md",
            "Intro [r](refunds.md#fees).\n\n## How long?\nText.\n",
        );
        let by_path: ArticlesByPath = [("en/billing/refunds.md", &target)].into_iter().collect();
        let html = render_html(&source, &by_path);
        assert!(
            html.contains(r##"<h2 id="how-long">How long?<a class="anchor" href="#how-long""##),
            "{html}"
        );
        assert!(html.contains(r#"href="/en/articles/x#fees""#), "{html}");
    }

    #[test]
    fn script_is_removed() {
        let html = render_html(
            &article(
                "en/a.md",
                "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n",
            ),
            &ArticlesByPath::new(),
        );
        assert!(!html.contains("<script") && !html.contains("onerror"), "{html}");
    }
}

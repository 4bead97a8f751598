//! Checks that need the whole tree: duplicate ids, links between articles, translations, and
//! declared languages that the text contradicts.

use std::collections::HashMap;

use percent_encoding::percent_decode_str;

use super::diagnostic::Diagnostic;
use super::{Article, LangOrigin, Link};
use crate::analysis::{detect, LangTag};

/// How much text language detection looks at: a paragraph or two is plenty to tell a language,
/// and detection is most of the time `kb check` takes.
const DETECTION_SAMPLE_BYTES: usize = 1200;

/// Runs every cross-article check, pushing problems onto `diagnostics`.
pub(crate) fn cross_check(articles: &[Article], default_lang: &LangTag, diagnostics: &mut Vec<Diagnostic>) {
    let mut by_key: HashMap<(&LangTag, &str), &Article> = HashMap::new();
    for article in articles {
        match by_key.get(&(&article.lang, article.id.as_str())) {
            Some(first) => diagnostics.push(Diagnostic::error(
                &article.path,
                article.lines.id,
                1,
                format!(
                    "duplicate id `{}` in language {}: {} already uses it",
                    article.id,
                    article.lang,
                    first.path.display()
                ),
            )),
            None => {
                by_key.insert((&article.lang, article.id.as_str()), article);
            }
        }
    }
    let by_path: HashMap<&str, &Article> = articles
        .iter()
        .map(|article| (article.relative_path.as_str(), article))
        .collect();
    let tree = Tree {
        by_key,
        by_path,
        default_lang,
    };
    for article in articles {
        for link in &article.links {
            tree.check_link(article, link, diagnostics);
        }
        tree.check_translation(article, diagnostics);
    }
}

struct Tree<'a> {
    by_key: HashMap<(&'a LangTag, &'a str), &'a Article>,
    by_path: HashMap<&'a str, &'a Article>,
    default_lang: &'a LangTag,
}

impl Tree<'_> {
    fn check_link(&self, from: &Article, link: &Link, diagnostics: &mut Vec<Diagnostic>) {
        let destination = link.destination.trim();
        if destination.starts_with("//") || has_scheme(destination) {
            return;
        }
        let (target_path, fragment) = split_fragment(destination);
        let target_path = target_path.as_str();
        let target = if target_path.is_empty() {
            Some(from)
        } else if let Some(absolute) = target_path.strip_prefix('/') {
            let Some((lang, id)) = parse_article_url(absolute) else {
                return; // Not an article URL; kb does not own it.
            };
            let Ok(lang) = LangTag::parse(&lang) else {
                diagnostics.push(error(
                    link,
                    from,
                    format!("link to `{destination}`: unknown language `{lang}`"),
                ));
                return;
            };
            let found = lang
                .fallback_chain(self.default_lang)
                .iter()
                .find_map(|step| self.by_key.get(&(step, id.as_str())).copied());
            if found.is_none() {
                diagnostics.push(error(
                    link,
                    from,
                    format!("link to `{destination}`: there is no article `{id}` in {lang} (nor a fallback)"),
                ));
                return;
            }
            found
        } else if target_path.ends_with(".md") {
            let resolved = resolve_relative(&from.relative_path, target_path);
            match resolved.as_deref().and_then(|path| self.by_path.get(path)) {
                Some(article) => Some(*article),
                None => {
                    diagnostics.push(error(
                        link,
                        from,
                        format!("link to `{destination}`: no such article file"),
                    ));
                    return;
                }
            }
        } else {
            None // Images, downloads and other pages are not articles.
        };
        let Some(target) = target else { return };
        if target.draft && !from.draft {
            diagnostics.push(Diagnostic::warning(
                &from.path,
                link.line,
                link.column,
                format!("link to `{destination}`: that article is a draft and will not be published"),
            ));
        }
        if let Some(fragment) = fragment.filter(|fragment| !fragment.is_empty()) {
            if !target.anchors().any(|anchor| anchor == fragment) {
                let known: Vec<&str> = target.anchors().collect();
                let known = if known.is_empty() {
                    "it has no ##/### headings".to_string()
                } else {
                    format!("its anchors: {}", known.join(", "))
                };
                diagnostics.push(error(
                    link,
                    from,
                    format!("link to `{destination}`: no heading with anchor `#{fragment}` ({known})"),
                ));
            }
        }
    }

    fn check_translation(&self, article: &Article, diagnostics: &mut Vec<Diagnostic>) {
        if &article.lang == self.default_lang {
            return;
        }
        let Some(original) = self.by_key.get(&(self.default_lang, article.id.as_str())) else {
            diagnostics.push(Diagnostic::warning(
                &article.path,
                article.lines.id,
                1,
                format!(
                    "translation `{}` ({}) has no default-language ({}) article with the same id",
                    article.id, article.lang, self.default_lang
                ),
            ));
            return;
        };
        if let (Some(translated), Some(original_date)) = (article.updated, original.updated) {
            if translated < original_date {
                diagnostics.push(Diagnostic::warning(
                    &article.path,
                    article.lines.updated,
                    1,
                    format!(
                        "translation may be out of date: updated {translated}, but the {} original ({}) was updated {original_date}",
                        self.default_lang,
                        original.path.display()
                    ),
                ));
            }
        }
    }
}

fn error(link: &Link, from: &Article, message: String) -> Diagnostic {
    Diagnostic::error(&from.path, link.line, link.column, message)
}

/// Warns when a confident detection says the text is in another language than declared (a
/// check of the file alone).
pub(crate) fn check_declared_language(article: &Article, diagnostics: &mut Vec<Diagnostic>) {
    if !matches!(article.lang_origin, LangOrigin::Folder | LangOrigin::FrontMatter) {
        return;
    }
    let text = article.plain_text();
    let mut cut = text.len().min(DETECTION_SAMPLE_BYTES);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let Some(detection) = detect(&text[..cut]) else {
        return;
    };
    if detection.confident && detection.language != article.lang.language() {
        diagnostics.push(Diagnostic::warning(
            &article.path,
            article.lines.lang,
            1,
            format!(
                "declared language is {} but the text looks like {} ({}, confidence {:.2})",
                article.lang, detection.language.code, detection.language.english_name, detection.confidence
            ),
        ));
    }
}

fn has_scheme(destination: &str) -> bool {
    match destination.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// A link destination cut into its (percent-decoded) path and fragment.
pub(crate) fn split_fragment(destination: &str) -> (String, Option<String>) {
    match destination.split_once('#') {
        Some((path, fragment)) => (decode(path), Some(decode(fragment))),
        None => (decode(destination), None),
    }
}

fn decode(text: &str) -> String {
    percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// `{lang}/articles/{id}` (the leading `/` already removed) → (lang, id).
fn parse_article_url(path: &str) -> Option<(String, String)> {
    let (lang, rest) = path.split_once('/')?;
    let id = rest.strip_prefix("articles/")?.trim_end_matches('/');
    (!id.is_empty()).then(|| (lang.to_string(), decode(id)))
}

/// Resolves a relative `.md` link from the article at `from` (both `/`-separated, below the
/// articles folder); `None` when it climbs out of the folder.
pub(crate) fn resolve_relative(from: &str, target: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in target.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_within_the_tree() {
        assert_eq!(
            resolve_relative("en/billing/a.md", "b.md").as_deref(),
            Some("en/billing/b.md")
        );
        assert_eq!(
            resolve_relative("en/billing/a.md", "../account/c.md").as_deref(),
            Some("en/account/c.md")
        );
        assert_eq!(resolve_relative("a.md", "../../x.md"), None);
    }

    #[test]
    fn article_urls_are_recognised() {
        assert_eq!(
            parse_article_url("de/articles/billing/refunds"),
            Some(("de".into(), "billing/refunds".into()))
        );
        assert_eq!(parse_article_url("contact"), None);
    }

    #[test]
    fn schemes_are_external() {
        assert!(has_scheme("https://example.com"));
        assert!(has_scheme("mailto:help@example.com"));
        assert!(!has_scheme("refunds.md"));
        assert!(!has_scheme("/de/articles/x"));
    }
}

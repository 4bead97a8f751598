//! The YAML front matter between `---` lines: split from the body, parsed, validated, with every
//! problem mapped to its line in the file.

use std::path::Path;

use chrono::NaiveDate;
use serde_norway::{Mapping, Value};

use super::diagnostic::Diagnostic;
use crate::analysis::LangTag;

/// The fields kb reads; anything else is warned about.
const KNOWN_FIELDS: &[&str] = &[
    "title", "id", "lang", "section", "tags", "queries", "draft", "updated",
];

/// A file cut into its front matter and body, with the file lines where each starts.
#[derive(Debug)]
pub(crate) struct Split<'a> {
    /// The YAML text, without the `---` lines.
    pub yaml: &'a str,
    /// File line (1-based) of the first YAML line.
    pub yaml_first_line: usize,
    /// The Markdown body.
    pub body: &'a str,
    /// File line (1-based) of the first body line.
    pub body_first_line: usize,
}

/// Cuts `content` at its front matter fences; `None` when the file does not start with `---`
/// or the closing `---` is missing.
pub(crate) fn split(content: &str) -> Option<Split<'_>> {
    let mut lines = content.split_inclusive('\n');
    let opening = lines.next()?;
    if opening.trim_end() != "---" {
        return None;
    }
    let yaml_start = opening.len();
    let mut offset = yaml_start;
    for (index, line) in lines.enumerate() {
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some(Split {
                yaml: &content[yaml_start..offset],
                yaml_first_line: 2,
                body: &content[offset + line.len()..],
                body_first_line: index + 3,
            });
        }
        offset += line.len();
    }
    None
}

/// One of the front matter's `queries`, with its line for test failure messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeclaredQuery {
    /// The question, as the writer wrote it.
    pub text: String,
    /// 1-based line in the file.
    pub line: usize,
}

/// Validated front matter fields; `None`/empty where missing or invalid (the problem is reported).
#[derive(Debug, Default)]
pub(crate) struct FrontMatter {
    pub title: Option<String>,
    pub id: Option<(String, usize)>,
    pub lang: Option<(LangTag, usize)>,
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub queries: Vec<DeclaredQuery>,
    pub draft: bool,
    pub updated: Option<(NaiveDate, usize)>,
    /// File line of the `title:` key (or of the opening fence when missing).
    pub title_line: usize,
}

/// Parses and validates the YAML of `split`, pushing every problem onto `diagnostics`.
pub(crate) fn parse(split: &Split<'_>, path: &Path, diagnostics: &mut Vec<Diagnostic>) -> FrontMatter {
    let key_line = |key: &str| key_line(split, key);
    let mut front = FrontMatter {
        title_line: 1,
        ..FrontMatter::default()
    };
    let mapping = match serde_norway::from_str::<Value>(split.yaml) {
        Ok(Value::Mapping(mapping)) => mapping,
        Ok(Value::Null) => Mapping::new(),
        Ok(_) => {
            diagnostics.push(Diagnostic::error(
                path,
                split.yaml_first_line,
                1,
                "front matter must be a YAML mapping of `field: value` lines",
            ));
            return front;
        }
        Err(error) => {
            // From the byte offset, counting only `\n` as kb does (YAML also breaks lines at a
            // lone `\r`, which would point past the file's lines).
            let (line, column) = error
                .location()
                .and_then(|location| split.yaml.get(..location.index()))
                .map(|before| {
                    let line = split.yaml_first_line + before.matches('\n').count();
                    let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
                    (line, column)
                })
                .unwrap_or((split.yaml_first_line, 1));
            let message = error.to_string();
            let message = message.split(" at line ").next().unwrap_or(&message);
            diagnostics.push(Diagnostic::error(
                path,
                line,
                column,
                format!("invalid YAML in front matter: {message}"),
            ));
            return front;
        }
    };

    for (key, value) in &mapping {
        let Some(key) = key.as_str() else {
            diagnostics.push(Diagnostic::warning(
                path,
                split.yaml_first_line,
                1,
                "front matter field names must be strings",
            ));
            continue;
        };
        let line = key_line(key);
        let mut error = |message: String| diagnostics.push(Diagnostic::error(path, line, 1, message));
        match key {
            "title" => {
                front.title_line = line;
                match scalar_string(value) {
                    Some(title) if !title.trim().is_empty() => front.title = Some(title.trim().to_string()),
                    Some(_) => error("`title` is empty".into()),
                    None => error("`title` must be a string".into()),
                }
            }
            "id" => match scalar_string(value) {
                Some(id) => match validate_id(&id) {
                    Ok(()) => front.id = Some((id, line)),
                    Err(problem) => error(format!("invalid `id` {id:?}: {problem}")),
                },
                None => error("`id` must be a string".into()),
            },
            "lang" => match scalar_string(value) {
                Some(code) => match LangTag::parse(&code) {
                    Ok(tag) => front.lang = Some((tag, line)),
                    Err(unknown) => error(unknown.to_string()),
                },
                None => error("`lang` must be a language code such as `de` or `pt-BR`".into()),
            },
            "section" => match scalar_string(value) {
                Some(section) if !section.trim().is_empty() => {
                    front.section = Some(section.trim().to_string())
                }
                Some(_) => {}
                None => error("`section` must be a string".into()),
            },
            "tags" => match string_list(value) {
                Some(tags) => front.tags = tags,
                None => error("`tags` must be a list of strings, e.g. `tags: [refund, money back]`".into()),
            },
            "queries" => match string_list(value) {
                Some(queries) => front.queries = locate_queries(split, line, queries),
                None => error("`queries` must be a list of strings".into()),
            },
            "draft" => match value {
                Value::Bool(draft) => front.draft = *draft,
                _ => error("`draft` must be `true` or `false`".into()),
            },
            "updated" => match scalar_string(value).as_deref().map(parse_date) {
                Some(Some(date)) => front.updated = Some((date, line)),
                _ => error("`updated` must be a date written YYYY-MM-DD".into()),
            },
            unknown => {
                let known = KNOWN_FIELDS.join(", ");
                diagnostics.push(Diagnostic::warning(
                    path,
                    line,
                    1,
                    format!("unknown front matter field `{unknown}` is ignored (known fields: {known})"),
                ));
            }
        }
    }
    if !mapping.contains_key("title") {
        diagnostics.push(Diagnostic::error(path, 1, 1, "missing `title` in front matter"));
    }
    front
}

/// The file line of a top-level `key:` in the front matter (the first YAML line if not found).
fn key_line(split: &Split<'_>, key: &str) -> usize {
    split
        .yaml
        .lines()
        .position(|line| {
            line.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(split.yaml_first_line, |index| split.yaml_first_line + index)
}

/// Pairs each query with the first line at or after the `queries:` key that contains it.
fn locate_queries(split: &Split<'_>, key_line: usize, queries: Vec<String>) -> Vec<DeclaredQuery> {
    let lines: Vec<&str> = split.yaml.lines().collect();
    let mut search_from = key_line - split.yaml_first_line;
    queries
        .into_iter()
        .map(|text| {
            let found = lines
                .iter()
                .enumerate()
                .skip(search_from)
                .find(|(_, line)| line.contains(text.as_str()))
                .map(|(index, _)| index);
            if let Some(index) = found {
                search_from = index + 1;
            }
            let line = found.map_or(key_line, |index| split.yaml_first_line + index);
            DeclaredQuery { text, line }
        })
        .collect()
}

fn scalar_string(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

fn string_list(value: &Value) -> Option<Vec<String>> {
    match value {
        Value::Null => Some(Vec::new()),
        Value::Sequence(items) => items
            .iter()
            .map(scalar_string)
            .map(|item| item.map(|text| text.trim().to_string()))
            .filter(|item| item.as_ref().is_none_or(|text| !text.is_empty()))
            .collect(),
        _ => None,
    }
}

/// Accepts `2026-05-01` and, keeping the date, `2026-05-01T10:00:00Z` or `2026-05-01 10:00`.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let date = match text.char_indices().nth(10) {
        Some((cut, 'T' | ' ')) => &text[..cut],
        Some(_) => return None,
        None => text,
    };
    NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()
}

/// Checks that an id can be a URL path: non-empty `/`-separated segments, no `.`/`..`,
/// no whitespace, `#`, `?` or `\`.
pub(crate) fn validate_id(id: &str) -> Result<(), &'static str> {
    if id.is_empty() {
        return Err("it is empty");
    }
    if id
        .chars()
        .any(|c| c.is_whitespace() || matches!(c, '#' | '?' | '\\' | '%') || c.is_control())
    {
        return Err("it may not contain spaces, `#`, `?`, `%` or `\\`");
    }
    if id
        .split('/')
        .any(|segment| segment.is_empty() || segment == "." || segment == "..")
    {
        return Err("its `/`-separated parts must be non-empty and not `.` or `..`");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_lines() {
        let split = split("---\ntitle: A\n---\nBody\n").unwrap();
        assert_eq!(split.yaml, "title: A\n");
        assert_eq!(split.body, "Body\n");
        assert_eq!(split.body_first_line, 4);
    }

    #[test]
    fn no_front_matter_is_none() {
        assert!(split("Body only\n").is_none());
        assert!(split("---\ntitle: never closed\n").is_none());
    }

    #[test]
    fn yaml_errors_map_to_file_lines() {
        let content = "---\ntitle: ok\ntags: [a, b\nsection: x\n---\nBody\n";
        let split = split(content).unwrap();
        let mut diagnostics = Vec::new();
        parse(&split, Path::new("a.md"), &mut diagnostics);
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(diagnostics[0].line >= 3, "{diagnostics:?}");
        assert!(diagnostics[0].message.starts_with("invalid YAML"));
    }

    #[test]
    fn dates_accept_datetimes() {
        assert_eq!(
            parse_date("2026-05-01T10:00:00Z"),
            NaiveDate::from_ymd_opt(2026, 5, 1)
        );
        assert_eq!(parse_date("2026-13-01"), None);
        assert_eq!(parse_date("yesterday"), None);
    }

    #[test]
    fn ids_must_be_url_paths() {
        assert!(validate_id("billing/refunds").is_ok());
        for bad in ["", "a//b", "../x", "a b", "a#b", "/abs"] {
            assert!(validate_id(bad).is_err(), "{bad}");
        }
    }
}

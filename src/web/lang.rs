//! Which language to answer in: the `lang` parameter, else the `Accept-Language` header, else the
//! query's own language when its text or the help center's vocabulary tells it
//! ([`crate::search::query_language`]), else the default language.

use serde::Serialize;

use super::error::ApiError;
use crate::analysis::{LangTag, Language};

/// Where the answer language came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LangSource {
    /// The `lang` query parameter.
    Param,
    /// The `Accept-Language` header.
    Header,
    /// Detected from the query text.
    Detected,
    /// The help center's default language.
    Default,
}

/// Chooses the answer language: `query_language` is the query's own language, asked only when
/// neither the parameter nor the header gives one; an unsupported `lang` parameter is a 400.
pub fn choose_language(
    param: Option<&str>,
    accept_language: Option<&str>,
    query_language: impl FnOnce() -> Option<&'static Language>,
    default: &LangTag,
) -> Result<(LangTag, LangSource), ApiError> {
    if let Some(param) = param.filter(|param| !param.trim().is_empty()) {
        let lang = LangTag::parse(param)
            .map_err(|error| ApiError::bad_request("unsupported_language", error.to_string()))?;
        return Ok((lang, LangSource::Param));
    }
    if let Some(lang) = accept_language.and_then(best_accepted) {
        return Ok((lang, LangSource::Header));
    }
    if let Some(language) = query_language() {
        return Ok((LangTag::of(language), LangSource::Detected));
    }
    Ok((default.clone(), LangSource::Default))
}

/// The most preferred language of an `Accept-Language` header that kb knows.
pub fn best_accepted(header: &str) -> Option<LangTag> {
    accepted(header).into_iter().next()
}

/// The most preferred language of an `Accept-Language` header among `available` (languages
/// without region), as that language.
pub fn best_available(header: &str, available: &[&'static Language]) -> Option<LangTag> {
    accepted(header)
        .into_iter()
        .map(|tag| tag.language())
        .find(|language| available.contains(language))
        .map(LangTag::of)
}

/// The languages of an `Accept-Language` header that kb knows, most preferred first.
fn accepted(header: &str) -> Vec<LangTag> {
    let mut ranges: Vec<(f32, LangTag)> = header
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let tag = LangTag::parse(parts.next()?.trim()).ok()?;
            let quality = parts
                .find_map(|part| part.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (quality > 0.0).then_some((quality, tag))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranges.into_iter().map(|(_, tag)| tag).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_quality_and_skips_unknown() {
        assert_eq!(
            best_accepted("xx, nl;q=0.8, de;q=0.9")
                .map(|t| t.to_string())
                .as_deref(),
            Some("de")
        );
        assert_eq!(
            best_accepted("de-AT").map(|t| t.to_string()).as_deref(),
            Some("de-AT")
        );
        assert_eq!(best_accepted("*").map(|t| t.to_string()), None);
        assert_eq!(best_accepted("fr;q=0").map(|t| t.to_string()), None);
    }

    #[test]
    fn the_order_is_param_header_detection_default() {
        let en = LangTag::default();
        let ja = Language::from_code("ja");
        let pick = |param, header, detected: Option<&'static Language>| {
            choose_language(param, header, || detected, &en).unwrap()
        };
        assert_eq!(pick(Some("nl"), Some("de"), ja).1, LangSource::Param);
        assert_eq!(pick(None, Some("de"), ja).1, LangSource::Header);
        assert_eq!(
            pick(None, None, ja),
            (LangTag::parse("ja").unwrap(), LangSource::Detected)
        );
        assert_eq!(pick(None, None, None), (en.clone(), LangSource::Default));
        assert!(choose_language(Some("xx"), None, || None, &en).is_err());
    }
}

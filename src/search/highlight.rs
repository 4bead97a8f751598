//! Highlighting: every word of a text that the query matched (exactly, by stem, as a completion
//! or a typo correction) is wrapped in `<mark>`; everything else is HTML-escaped, so article or
//! query text can never inject markup. Snippets cut the text around the densest matches.

use super::query::{MatchKind, ParsedQuery};
use crate::analysis::{fold, AnalyzedToken, Analyzer};
use crate::index::AnalyzedText;

/// Longest snippet, in characters, before the ellipses.
pub(super) const SNIPPET_CHARS: usize = 160;
/// Characters of context kept before the first match of a snippet.
const SNIPPET_LEAD_CHARS: usize = 30;

/// Byte ranges of `text` (analysed with `analyzer`) that `marks`' query matched, sorted and
/// merged. A completion of the word being typed is marked only as far as it was typed
/// (`<mark>Terugbe</mark>talingen`); other matches are marked whole.
/// Only words that begin like a query word are analysed (see [`probes`]).
pub(super) fn matched_ranges(marks: &Marks, analyzer: &Analyzer, text: &str) -> Vec<(usize, usize)> {
    let tokens = analyzer.analyze_where(text, |source| marks.may_match(source));
    marks.ranges(&tokens, text)
}

/// [`matched_ranges`] of a text analysed by [`analyzed`]: its words that begin like a probe
/// are looked up rather than each compared.
pub(super) fn matched_ranges_among(marks: &Marks, analyzed: &AnalyzedText) -> Vec<(usize, usize)> {
    let folded = |position: &usize| analyzed.folded.get(*position).map_or("", String::as_str);
    let mut positions: Vec<usize> = Vec::new();
    for probe in &marks.probes {
        let first = analyzed
            .by_folded
            .partition_point(|position| folded(position) < probe.as_str());
        positions.extend(
            analyzed.by_folded[first..]
                .iter()
                .take_while(|position| folded(position).starts_with(probe.as_str())),
        );
    }
    positions.sort_unstable();
    positions.dedup();
    let tokens = positions
        .iter()
        .filter_map(|&position| analyzed.tokens.get(position));
    marks.ranges(tokens, &analyzed.text)
}

/// `text` analysed by `analyzer` for [`matched_ranges_among`], every word of it.
pub(super) fn analyzed(analyzer: &Analyzer, text: String) -> AnalyzedText {
    let tokens = analyzer.analyze_where(&text, |_| true);
    let folded: Vec<String> = tokens
        .iter()
        .map(|token| {
            fold(
                &text
                    .get(token.start..token.end)
                    .unwrap_or_default()
                    .to_lowercase(),
            )
        })
        .collect();
    let mut by_folded: Vec<usize> = (0..tokens.len()).collect();
    by_folded.sort_by(|&a, &b| folded[a].cmp(&folded[b]));
    AnalyzedText {
        text,
        tokens,
        folded,
        by_folded,
    }
}

/// What a query marks in a text, and what a word must begin with to be worth analysing: built
/// once per query, for every text of its results.
pub(super) struct Marks<'q> {
    query: &'q ParsedQuery,
    /// Whether only content words mark (the query has some).
    content_only: bool,
    /// Whether the query has bigrams: they mark what matched; its lone ideographs would mark
    /// every use of the character.
    bigrams: bool,
    probes: Vec<String>,
    /// The probes' first letters; `None` when a probe is empty: it would match every word.
    first_letters: Option<Vec<char>>,
}

impl<'q> Marks<'q> {
    /// The marks of `query`.
    pub(super) fn of(query: &'q ParsedQuery) -> Marks<'q> {
        let content_only = query.content_words() > 0;
        let probes = probes(query, content_only);
        let first_letters = probes.iter().map(|probe| probe.chars().next()).collect();
        Marks {
            query,
            content_only,
            bigrams: query.words.iter().any(|word| is_bigram(&word.token)),
            probes,
            first_letters,
        }
    }

    /// The query marked.
    pub(super) fn query(&self) -> &'q ParsedQuery {
        self.query
    }

    /// Whether a word of the text, `source`, begins like a probe once lowercased and folded.
    fn may_match(&self, source: &str) -> bool {
        if source.is_ascii() {
            // Lowercase ASCII is already folded: compare in place.
            let bytes = source.as_bytes();
            return self.probes.iter().any(|probe| {
                bytes
                    .get(..probe.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(probe.as_bytes()))
            });
        }
        // Most words differ from every probe in their first letter: folding that one is cheap.
        if let (Some(first), Some(letters)) = (source.chars().next(), &self.first_letters) {
            let lower: String = first.to_lowercase().collect();
            if fold(&lower)
                .chars()
                .next()
                .is_some_and(|first| !letters.contains(&first))
            {
                return false;
            }
        }
        let folded = fold(&source.to_lowercase());
        self.probes.iter().any(|probe| folded.starts_with(probe.as_str()))
    }

    /// The byte ranges of `text` that the query matched among its `tokens`, sorted and merged.
    fn ranges<'t>(
        &self,
        tokens: impl IntoIterator<Item = &'t AnalyzedToken>,
        text: &str,
    ) -> Vec<(usize, usize)> {
        let mut ranges: Vec<(usize, usize)> = tokens
            .into_iter()
            .filter(|token| !(self.bigrams && is_lone_character(token)))
            .filter_map(|token| match_extent(self.query, token, self.content_only, self.bigrams, text))
            .collect();
        ranges.sort_unstable();
        let mut merged: Vec<(usize, usize)> = Vec::with_capacity(ranges.len());
        for (start, end) in ranges {
            match merged.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        merged
    }
}

/// What a word of the text must begin with, once lowercased and folded, for a query word to
/// match it: the word being typed, and every form a match compares (the query words, their
/// stems, typo corrections and compound parts) less its last letter, which stemming may change
/// (`happy` → `happi`). Cheap to test, so that the few words that pass are the only ones stemmed.
fn probes(query: &ParsedQuery, content_only: bool) -> Vec<String> {
    let mut probes = Vec::new();
    for word in query
        .words
        .iter()
        .filter(|word| !content_only || word.is_content())
    {
        if word.prefix {
            probes.push(fold(&word.token.word));
        }
        let corrections = word
            .variants
            .iter()
            .filter(|variant| marks_whole_words(variant.kind))
            .flat_map(|variant| [&variant.word, &variant.stem]);
        for form in [&word.token.word, &word.token.term]
            .into_iter()
            .chain(corrections)
        {
            let form = fold(form);
            let cut = form.char_indices().last().map_or(0, |(last, _)| last).max(1);
            probes.push(form.get(..cut).unwrap_or(&form).to_string());
        }
    }
    probes
}

/// Whether a variant of this kind marks the text words equal to it: typo corrections, compound
/// parts, related forms and translations stand for other words than the one typed (completions
/// mark only the typed prefix).
fn marks_whole_words(kind: MatchKind) -> bool {
    matches!(
        kind,
        MatchKind::Fuzzy | MatchKind::Part | MatchKind::Related | MatchKind::Translation
    )
}

/// Whether `token` is a character n-gram of two or more characters (a bigram, or a Thai
/// trigram) of a script written without spaces.
fn is_bigram(token: &AnalyzedToken) -> bool {
    token.ngram && token.word.chars().count() > 1
}

/// Whether `token` is a lone character of a script written without spaces (an ideograph on its
/// own, or a run of one character).
fn is_lone_character(token: &AnalyzedToken) -> bool {
    token.ngram && token.word.chars().count() == 1
}

/// The byte range of `token` to mark, if a query word matched it; the query's lone ideographs
/// left out when it has `bigrams`.
fn match_extent(
    query: &ParsedQuery,
    token: &AnalyzedToken,
    content_only: bool,
    bigrams: bool,
    text: &str,
) -> Option<(usize, usize)> {
    let words = query
        .words
        .iter()
        .filter(|word| !content_only || word.is_content())
        .filter(|word| !(bigrams && is_lone_character(&word.token)));
    let mut prefix_chars = None;
    for word in words {
        let whole = token.term == word.token.term
            || token.word == word.token.word
            || word.variants.iter().any(|variant| {
                marks_whole_words(variant.kind) && (variant.word == token.word || variant.stem == token.term)
            });
        if whole {
            return Some((token.start, token.end));
        }
        if word.prefix && token.word.starts_with(&word.token.word) {
            prefix_chars = Some(word.token.word.chars().count());
        }
    }
    let typed = prefix_chars?;
    let original = text.get(token.start..token.end)?;
    let end = original
        .char_indices()
        .nth(typed)
        .map_or(token.end, |(offset, _)| token.start + offset);
    Some((token.start, end))
}

/// `text` HTML-escaped, with the byte `ranges` wrapped in `<mark>`.
pub(super) fn highlight(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut html = String::with_capacity(text.len() + ranges.len() * 13);
    let mut at = 0;
    for &(start, end) in ranges {
        let (Some(before), Some(marked)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        escape(&mut html, before);
        html.push_str("<mark>");
        escape(&mut html, marked);
        html.push_str("</mark>");
        at = end;
    }
    escape(&mut html, text.get(at..).unwrap_or_default());
    html
}

/// At most [`SNIPPET_CHARS`] characters of `text` around its densest run of matches, cut at word
/// boundaries, with `…` where cut, highlighted.
pub(super) fn snippet(text: &str, ranges: &[(usize, usize)]) -> String {
    let text = text.replace('\n', " ");
    if text.chars().count() <= SNIPPET_CHARS {
        return highlight(&text, ranges);
    }
    let window_bytes = |start: usize| {
        text[start..]
            .char_indices()
            .nth(SNIPPET_CHARS)
            .map_or(text.len(), |(offset, _)| start + offset)
    };
    let lead = |at: usize| {
        text[..at]
            .char_indices()
            .rev()
            .nth(SNIPPET_LEAD_CHARS.saturating_sub(1))
            .map_or(0, |(offset, _)| offset)
    };
    // The window that holds the most matches, starting a little before one of them.
    let start = ranges
        .iter()
        .map(|&(first, _)| {
            let start = lead(first);
            let end = window_bytes(start);
            let inside = ranges.iter().filter(|&&(s, e)| s >= start && e <= end).count();
            (inside, std::cmp::Reverse(start))
        })
        .max()
        .map_or(0, |(_, std::cmp::Reverse(start))| start);
    let start = if start == 0 {
        0
    } else {
        // Begin at a word: after the last space before the start, if one is near.
        text[..start]
            .rfind(' ')
            .filter(|&space| start - space <= 20)
            .map_or(start, |space| space + 1)
    };
    let mut end = window_bytes(start);
    if end < text.len() {
        if let Some(space) = text[start..end]
            .rfind(' ')
            .filter(|&space| space > SNIPPET_CHARS / 2)
        {
            end = start + space;
        }
    }
    let shifted: Vec<(usize, usize)> = ranges
        .iter()
        .filter(|&&(s, e)| s >= start && e <= end)
        .map(|&(s, e)| (s - start, e - start))
        .collect();
    let mut html = String::new();
    if start > 0 {
        html.push('…');
    }
    html.push_str(highlight(&text[start..end], &shifted).trim());
    if end < text.len() {
        html.push('…');
    }
    html
}

fn escape(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut *out, text);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_ranges_and_escapes_the_rest() {
        let html = highlight("<b>Refunds</b> & more", &[(3, 10)]);
        assert_eq!(html, "&lt;b&gt;<mark>Refunds</mark>&lt;/b&gt; &amp; more");
    }

    #[test]
    fn short_texts_are_whole_snippets() {
        assert_eq!(
            snippet("Refunds take\nfive days.", &[(0, 7)]),
            "<mark>Refunds</mark> take five days."
        );
    }

    #[test]
    fn long_texts_are_cut_at_words_around_the_match() {
        let text = format!("{} refund {}", "word ".repeat(60), "tail ".repeat(60));
        let at = text.find("refund").unwrap();
        let html = snippet(&text, &[(at, at + 6)]);
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>refund</mark>"), "{html}");
        let visible = html.replace("<mark>", "").replace("</mark>", "");
        assert!(visible.chars().count() <= SNIPPET_CHARS + 2, "{visible}");
        assert!(
            visible
                .trim_matches('…')
                .split_whitespace()
                .all(|w| ["word", "refund", "tail"].contains(&w)),
            "{visible}"
        );
    }
}

//! `kb explain "<query>" [--lang xx] [--id ID]`: why articles rank where they do, so that a writer
//! can fix an article instead of guessing.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use kb::analysis::LangTag;
use kb::index::OpenIndex;
use kb::search::{explain, ExplainRequest, ExplainedArticle, Mode};

/// Everything `kb explain` is told.
pub(super) struct Settings<'a> {
    pub(super) index: &'a Path,
    pub(super) query: &'a str,
    pub(super) lang: Option<LangTag>,
    pub(super) id: Option<&'a str>,
    pub(super) suggest: bool,
    pub(super) limit: usize,
    pub(super) json: bool,
}

pub(super) fn run(settings: &Settings<'_>) -> anyhow::Result<ExitCode> {
    let index = OpenIndex::open(settings.index)?;
    let request = ExplainRequest {
        query: settings.query,
        lang: settings
            .lang
            .clone()
            .unwrap_or_else(|| index.catalog.default_lang.clone()),
        mode: if settings.suggest {
            Mode::Suggest
        } else {
            Mode::Search
        },
        limit: settings.limit,
        id: settings.id,
    };
    let explanation = explain(&index, &request).context("kb explain")?;
    if settings.json {
        println!("{}", serde_json::to_string_pretty(&explanation)?);
        return Ok(ExitCode::SUCCESS);
    }
    let chain: Vec<String> = explanation
        .fallback_chain
        .iter()
        .map(ToString::to_string)
        .collect();
    println!(
        "query {:?} in {} (fallbacks: {})",
        explanation.query,
        explanation.lang,
        chain.join(" → ")
    );
    println!("words:");
    for word in &explanation.words {
        let expansion: Vec<String> = word
            .expansion
            .iter()
            .map(|variant| format!("{} [{}]", variant.word, variant.kind))
            .collect();
        let notes = match (word.prefix, word.stop_word) {
            (true, _) => " (being typed: a prefix)",
            (false, true) => " (stop word: weighted down)",
            _ => "",
        };
        println!(
            "  {:?} → term {:?}{notes}: {}",
            word.typed,
            word.term,
            expansion.join(", ")
        );
    }
    if explanation.results.is_empty() {
        println!("no results");
    }
    for article in &explanation.results {
        print_article(article);
    }
    if let Some(target) = &explanation.target {
        println!();
        match (&target.lang, &target.article) {
            (None, _) | (_, None) => println!(
                "{}: no such article in {} or its fallback languages",
                target.id, explanation.lang
            ),
            (Some(lang), Some(article)) => {
                match target.rank {
                    Some(rank) => println!("{} ({lang}) ranks at {rank}:", target.id),
                    None => println!("{} ({lang}) is not among the first 100 results:", target.id),
                }
                print_article(article);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_article(article: &ExplainedArticle) {
    let fallback = if article.fallback { ", fallback" } else { "" };
    let rank = if article.rank > 0 {
        format!("{:>2}. ", article.rank)
    } else {
        "    ".to_string()
    };
    println!(
        "{rank}{} [{}{fallback}] {:?} score {:.3}{}",
        article.id,
        article.lang,
        article.title,
        article.score,
        article
            .section
            .as_ref()
            .map(|section| format!(", best section {section:?}"))
            .unwrap_or_default()
    );
    for part in &article.matches {
        println!(
            "      {:>7.3}  {:?} {} {:?} in {} of {} (boost {:.2})",
            part.score,
            part.word,
            part.how,
            part.matched,
            part.field,
            part.section.as_ref().map_or_else(
                || "the introduction".to_string(),
                |section| format!("{section:?}")
            ),
            part.boost
        );
    }
    if !article.unmatched.is_empty() {
        println!("      found nothing for: {}", article.unmatched.join(", "));
    }
    for factor in &article.factors {
        println!("      {factor}");
    }
}

//! `kb search`: full-text search from the command line, the seam the server calls.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use kb::analysis::LangTag;
use kb::index::OpenIndex;
use kb::search::{self, Mode, SearchRequest};

pub(super) fn run(
    index_dir: &Path,
    query: &str,
    lang: Option<LangTag>,
    limit: usize,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let index = OpenIndex::open(index_dir)?;
    let lang = lang.unwrap_or_else(|| {
        search::query_language(&index, query)
            .map(LangTag::of)
            .unwrap_or_else(|| index.catalog.default_lang.clone())
    });
    let request = SearchRequest {
        query,
        lang,
        limit,
        offset: 0,
        fallback: true,
        mode: Mode::Search,
        headline_bonus: true,
    };
    let results = search::search(&index, &request).context("kb search")?;
    if json {
        let output = serde_json::json!({
            "query": query,
            "lang": results.lang,
            "total": results.total,
            "results": results.hits,
        });
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else if results.hits.is_empty() {
        println!("no results for {query:?} in {}", results.lang);
    } else {
        for (rank, hit) in results.hits.iter().enumerate() {
            let fallback = if hit.fallback { " (fallback)" } else { "" };
            let section = hit.anchor.as_deref().map(|a| format!("#{a}")).unwrap_or_default();
            println!(
                "{:>2}. {:<40} [{}{fallback}] {}{section}  score {:.2}",
                rank + 1,
                hit.id,
                hit.lang,
                hit.title,
                hit.score
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

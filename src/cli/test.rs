//! `kb test`: the writers' relevance tests. Each front-matter query must bring its article into
//! the top 3 of suggestions and of full search in the article's language.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use kb::analysis::{Analysis, LangTag};
use kb::article;
use kb::index::{self, BuildOptions, OpenIndex};
use kb::search::{self, Mode, SearchRequest};

/// How high an article must rank for its own queries.
const REQUIRED_RANK: usize = 3;
/// How deep to look when reporting where it ranks instead.
const REPORT_DEPTH: usize = 20;

pub(super) fn run(articles: &Path, default_lang: &LangTag) -> anyhow::Result<ExitCode> {
    let loaded = article::load(articles, default_lang).context("kb test")?;
    if loaded.has_errors() {
        for diagnostic in loaded.diagnostics.iter().filter(|d| d.is_error()) {
            eprintln!("{diagnostic}");
        }
        eprintln!("kb test: fix the errors above first (kb check)");
        return Ok(ExitCode::FAILURE);
    }
    let workspace = tempfile::tempdir().context("temporary index folder")?;
    let options = BuildOptions {
        default_lang: default_lang.clone(),
        analysis: Analysis::PerLanguage,
    };
    index::build(loaded.published(), workspace.path(), &options, &mut |_| {})?;
    let index = OpenIndex::open(workspace.path())?;

    let (mut passed, mut failed) = (0, 0);
    for article in loaded.published() {
        for query in &article.queries {
            for mode in [Mode::Suggest, Mode::Search] {
                let request = SearchRequest {
                    query: &query.text,
                    lang: article.lang.clone(),
                    limit: REPORT_DEPTH,
                    offset: 0,
                    fallback: true,
                    mode,
                    headline_bonus: true,
                };
                let hits = search::search(&index, &request)?.hits;
                let rank = hits
                    .iter()
                    .position(|hit| hit.id == article.id && hit.lang == article.lang)
                    .map(|position| position + 1);
                if rank.is_some_and(|rank| rank <= REQUIRED_RANK) {
                    passed += 1;
                    continue;
                }
                failed += 1;
                let rank = rank.map_or_else(
                    || format!("not in the top {REPORT_DEPTH}"),
                    |rank| rank.to_string(),
                );
                let top: Vec<&str> = hits
                    .iter()
                    .take(REQUIRED_RANK)
                    .map(|hit| hit.id.as_str())
                    .collect();
                let path = if mode == Mode::Suggest {
                    "suggest"
                } else {
                    "search"
                };
                println!(
                    "{}:{}: query \"{}\" ranks article at {rank} in {path} (top: {})",
                    article.path.display(),
                    query.line,
                    query.text,
                    top.join(", ")
                );
            }
        }
    }
    eprintln!("kb test: {passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

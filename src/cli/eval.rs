//! `kb eval`: write a score.py run file for one evaluation set.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use kb::analysis::Analysis;
use kb::eval;

/// The analysis to evaluate.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(super) enum AnalysisArg {
    /// kb's per-language analyzers.
    PerLanguage,
    /// tantivy's default tokenizer, the baseline.
    TantivyDefault,
}

pub(super) fn run(
    corpus: &Path,
    queries: &Path,
    run: &Path,
    analysis: AnalysisArg,
) -> anyhow::Result<ExitCode> {
    let analysis = match analysis {
        AnalysisArg::PerLanguage => Analysis::PerLanguage,
        AnalysisArg::TantivyDefault => Analysis::TantivyDefault,
    };
    let report = eval::evaluate(corpus, queries, run, analysis).context("kb eval")?;
    eprintln!(
        "indexed {} articles, ran {} queries ({} without results) → {}",
        report.articles,
        report.queries,
        report.empty,
        run.display()
    );
    Ok(ExitCode::SUCCESS)
}

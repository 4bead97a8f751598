//! `kb eval`: write a score.py run file for one evaluation set.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use kb::analysis::Analysis;
use kb::eval::{self, EvalPath};
use kb::search::{Boosts, Mode, Signal};

/// The analysis to evaluate.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(super) enum AnalysisArg {
    /// kb's per-language analyzers.
    PerLanguage,
    /// tantivy's default tokenizer, the baseline.
    TantivyDefault,
}

/// Which path queries go through.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(super) enum ModeArg {
    /// Full queries through the search path.
    Search,
    /// Typed prefixes through the suggest path (last word a prefix).
    Suggest,
    /// Each query as a support e-mail: reply links with confidences, unfiltered.
    Reply,
}

pub(super) fn run(
    corpus: &Path,
    queries: &Path,
    run: &Path,
    analysis: AnalysisArg,
    mode: ModeArg,
    clicks: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let analysis = match analysis {
        AnalysisArg::PerLanguage => Analysis::PerLanguage,
        AnalysisArg::TantivyDefault => Analysis::TantivyDefault,
    };
    let path = match mode {
        ModeArg::Search => EvalPath::Query(Mode::Search),
        ModeArg::Suggest => EvalPath::Query(Mode::Suggest),
        ModeArg::Reply => EvalPath::Reply,
    };
    let boosts = match clicks {
        Some(file) => Boosts::new(read_signals(file)?),
        None => Boosts::default(),
    };
    let report = eval::evaluate(corpus, queries, run, analysis, path, &boosts).context("kb eval")?;
    eprintln!(
        "indexed {} articles, ran {} queries ({} without results) → {}",
        report.articles,
        report.queries,
        report.empty,
        run.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The `{"lang", "id", "weight"}` lines of a click log.
fn read_signals(file: &Path) -> anyhow::Result<Vec<Signal>> {
    let text = std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(number, line)| {
            serde_json::from_str(line).with_context(|| format!("{}:{}", file.display(), number + 1))
        })
        .collect()
}

//! `kb build`: check, then index and switch atomically; on any error touch nothing.

use std::io::IsTerminal;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kb::analysis::{Analysis, LangTag};
use kb::article;
use kb::index::{self, BuildOptions};

/// Corpora at least this large get a progress bar on a terminal.
const PROGRESS_BAR_MIN_ARTICLES: usize = 1000;

pub(super) fn run(articles: &Path, index_dir: &Path, default_lang: &LangTag) -> anyhow::Result<ExitCode> {
    let loaded = article::load(articles, default_lang).context("kb build")?;
    for diagnostic in &loaded.diagnostics {
        eprintln!("{diagnostic}");
    }
    if loaded.has_errors() {
        let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
        eprintln!(
            "build aborted: {errors} error(s); {} left untouched",
            index_dir.display()
        );
        return Ok(ExitCode::FAILURE);
    }
    let published: Vec<_> = loaded.published().collect();
    let bar = if published.len() >= PROGRESS_BAR_MIN_ARTICLES && std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(published.len() as u64);
        if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} articles {per_sec} eta {eta}") {
            bar.set_style(style);
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let options = BuildOptions {
        default_lang: default_lang.clone(),
        analysis: Analysis::PerLanguage,
    };
    let summary = index::build(published, index_dir, &options, &mut |done| {
        bar.set_position(done as u64)
    })
    .with_context(|| format!("building the index in {}", index_dir.display()))?;
    bar.finish_and_clear();
    let per_lang: Vec<String> = summary
        .articles_per_lang
        .iter()
        .map(|(lang, count)| format!("{lang} {count}"))
        .collect();
    println!(
        "built {} articles ({}), {} sections in {:.2}s → {}",
        summary.articles(),
        per_lang.join(", "),
        summary.sections,
        summary.elapsed.as_secs_f64(),
        summary.generation.display()
    );
    Ok(ExitCode::SUCCESS)
}

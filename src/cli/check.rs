//! `kb check`: report every problem in the articles, change nothing.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use kb::analysis::LangTag;
use kb::article::{self, Diagnostic};

/// How `kb check` prints its findings.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(super) enum Format {
    /// `path:line:col: error|warning: message`, one per line.
    Text,
    /// One JSON document with counts and the diagnostics.
    Json,
}

pub(super) fn run(articles: &Path, default_lang: &LangTag, format: Format) -> anyhow::Result<ExitCode> {
    let mut loaded = article::load(articles, default_lang).context("kb check")?;
    loaded.check_declared_languages();
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = loaded.diagnostics.len() - errors;
    match format {
        Format::Text => {
            for diagnostic in &loaded.diagnostics {
                println!("{diagnostic}");
            }
            eprintln!(
                "checked {} articles: {errors} error(s), {warnings} warning(s)",
                loaded.articles.len()
            );
        }
        Format::Json => {
            let report = serde_json::json!({
                "articles": loaded.articles.len(),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": loaded.diagnostics,
            });
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
    }
    Ok(exit_code(&loaded.diagnostics))
}

/// 1 when any diagnostic is an error.
pub(super) fn exit_code(diagnostics: &[Diagnostic]) -> ExitCode {
    if diagnostics.iter().any(Diagnostic::is_error) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

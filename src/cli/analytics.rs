//! `kb gaps`, `kb stats` and `kb analytics purge`: the writers' reports over the data folder, and
//! deleting what it holds.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::ValueEnum;
use kb::analysis::LangTag;
use kb::analytics;
use kb::index::OpenIndex;
use kb::store::{self, Store};
use serde::Serialize;

/// How a report is printed.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum Format {
    /// Aligned columns for people.
    Text,
    /// JSON for tools.
    Json,
    /// CSV for spreadsheets.
    Csv,
}

/// Which records a report reads.
pub(super) struct Scope<'a> {
    pub(super) data: &'a Path,
    pub(super) index: &'a Path,
    pub(super) lang: Option<&'a LangTag>,
    pub(super) since_days: i64,
}

/// `kb gaps`: the most asked questions with no result or no click.
pub(super) fn gaps(scope: &Scope<'_>, limit: usize, format: Format) -> anyhow::Result<ExitCode> {
    let (index, store) = open(scope)?;
    let searches = store.searches_since(analytics::period_start(scope.since_days))?;
    let gaps =
        analytics::gaps(&index, &searches, scope.lang, limit).context("finding the closest articles")?;
    let rows: Vec<GapRow> = gaps
        .iter()
        .map(|gap| GapRow {
            count: gap.count,
            no_results: gap.no_results,
            no_click: gap.no_click,
            query: gap.query.clone(),
            languages: gap.languages.join(" "),
            sources: gap
                .sources
                .iter()
                .map(|source| format!("{source:?}").to_lowercase())
                .collect::<Vec<_>>()
                .join(" "),
            variants: gap.variants.join(" | "),
            closest: gap
                .closest
                .as_ref()
                .map(|closest| format!("{}/{}", closest.lang, closest.id))
                .unwrap_or_default(),
        })
        .collect();
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&gaps)?),
        Format::Csv => print_csv(&rows)?,
        Format::Text if rows.is_empty() => println!("no gaps in the last {} days", scope.since_days),
        Format::Text => {
            println!(
                "{:>5} {:>9}  {:<40} {:<8} {:<14} closest article",
                "count", "none/nc", "question", "lang", "from"
            );
            for row in &rows {
                println!(
                    "{:>5} {:>9}  {:<40} {:<8} {:<14} {}",
                    row.count,
                    format!("{}/{}", row.no_results, row.no_click),
                    row.query,
                    row.languages,
                    row.sources,
                    if row.closest.is_empty() {
                        "—"
                    } else {
                        &row.closest
                    }
                );
                if !row.variants.is_empty() {
                    println!("{:>17}also: {}", "", row.variants);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A gap as one line of text or CSV.
#[derive(Serialize)]
struct GapRow {
    count: u64,
    no_results: u64,
    no_click: u64,
    query: String,
    languages: String,
    sources: String,
    variants: String,
    closest: String,
}

/// `kb stats`: per article and language, per language, and the translation to-do list.
pub(super) fn stats(scope: &Scope<'_>, format: Format) -> anyhow::Result<ExitCode> {
    let (index, store) = open(scope)?;
    let since = analytics::period_start(scope.since_days);
    let stats = analytics::stats(
        &index,
        &store.searches_since(since)?,
        &store.votes_since(since)?,
        scope.lang,
    );
    match format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&stats)?),
        Format::Csv => print_csv(&stats.articles)?,
        Format::Text => {
            println!("languages (last {} days)", scope.since_days);
            println!(
                "  {:<8} {:>9} {:>13} {:>9}",
                "lang", "searches", "found nothing", "articles"
            );
            for row in &stats.languages {
                println!(
                    "  {:<8} {:>9} {:>12.1}% {:>9}",
                    row.lang,
                    row.searches,
                    row.zero_result_rate * 100.0,
                    row.articles
                );
            }
            println!("articles");
            println!(
                "  {:<36} {:<6} {:>11} {:>7} {:>8} {:>8} {:>8}",
                "id", "lang", "impressions", "clicks", "ctr", "helpful", "not"
            );
            for row in &stats.articles {
                println!(
                    "  {:<36} {:<6} {:>11} {:>7} {:>7.1}% {:>8} {:>8}",
                    row.id,
                    format!("{}{}", row.lang, if row.fallback { "*" } else { "" }),
                    row.impressions,
                    row.clicks,
                    row.click_through * 100.0,
                    row.helpful,
                    row.unhelpful
                );
            }
            println!("translations to write (* above: shown untranslated), most wanted first");
            for todo in &stats.translations {
                println!("  {:<6} {:<36} demand {}", todo.lang, todo.id, todo.demand);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `kb analytics purge`: deletes searches and votes older than `older_than_days`, or all.
pub(super) fn purge(data: &Path, older_than_days: Option<i64>) -> anyhow::Result<ExitCode> {
    let store = Store::open(data).with_context(|| format!("opening {}", data.display()))?;
    let before = older_than_days.map(analytics::period_start);
    let purged = store.purge(before)?;
    println!("deleted {} searches and {} votes", purged.searches, purged.votes);
    Ok(ExitCode::SUCCESS)
}

/// The index and the store of a report.
fn open(scope: &Scope<'_>) -> anyhow::Result<(OpenIndex, Store)> {
    let index = OpenIndex::open(scope.index)?;
    anyhow::ensure!(
        scope.data.join(store::DATABASE_FILE).exists(),
        "no data in {} (kb serve --data writes it)",
        scope.data.display()
    );
    let store = Store::open(scope.data).with_context(|| format!("opening {}", scope.data.display()))?;
    Ok((index, store))
}

fn print_csv<T: Serialize>(rows: &[T]) -> anyhow::Result<()> {
    let mut writer = csv::Writer::from_writer(std::io::stdout().lock());
    for row in rows {
        writer.serialize(row)?;
    }
    writer.flush()?;
    std::io::stdout().flush()?;
    Ok(())
}

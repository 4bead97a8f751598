//! The command line: argument parsing and one thin file per command over the library.

mod analytics;
mod build;
mod check;
pub(crate) mod config;
mod eval;
mod explain;
mod reply;
mod search;
mod serve;
mod test;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kb::analysis::LangTag;

/// kb: a self-service knowledge base and suggestion-search server.
#[derive(Debug, Parser)]
#[command(name = "kb", version, about)]
pub(crate) struct Cli {
    /// The help center's default language: fallback for missing translations.
    #[arg(long, global = true, env = "KB_DEFAULT_LANG", default_value = "en", value_parser = parse_lang)]
    default_lang: LangTag,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check every article and report every problem as path:line:col.
    Check {
        /// The articles folder.
        #[arg(long, env = "KB_ARTICLES", default_value = "articles")]
        articles: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = check::Format::Text)]
        format: check::Format,
    },
    /// Check, then compile the articles into a new index and switch to it atomically.
    Build {
        /// The articles folder.
        #[arg(long, env = "KB_ARTICLES", default_value = "articles")]
        articles: PathBuf,
        /// The index folder.
        #[arg(long, env = "KB_INDEX", default_value = "index")]
        index: PathBuf,
    },
    /// Serve the suggestion API (building the index first when it is missing or stale).
    Serve {
        /// The articles folder.
        #[arg(long, env = "KB_ARTICLES", default_value = "articles")]
        articles: PathBuf,
        /// The index folder.
        #[arg(long, env = "KB_INDEX", default_value = "index")]
        index: PathBuf,
        /// Address to listen on.
        #[arg(long, env = "KB_ADDR", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Public URL of the help center, for absolute links in e-mail replies
        /// (default: http://ADDR).
        #[arg(long, env = "KB_PUBLIC_URL")]
        base_url: Option<String>,
        /// The data folder: feedback votes and search analytics (created when missing; never
        /// commit it).
        #[arg(long, env = "KB_DATA", default_value = "data")]
        data: PathBuf,
        /// Token of the admin routes (`/admin/`, `/api/v1/stats`, `/api/v1/explain`), as
        /// `Authorization: Bearer`; they refuse every request without one.
        #[arg(long, env = "KB_ADMIN_TOKEN", hide_env_values = true)]
        admin_token: Option<String>,
        /// Recorded searches, clicks and votes are deleted after this many days (`90d`).
        #[arg(long, env = "KB_RETENTION", default_value = "90d", value_parser = parse_days)]
        retention: i64,
        /// Nudge rankings (at most ±10 %) with customers' clicks and votes, per language; a
        /// language's rankings move only once it has enough of them. `false` turns it off.
        #[arg(long, env = "KB_SIGNAL_BOOST", default_value_t = true, action = clap::ArgAction::Set)]
        signal_boost: bool,
        /// Sites that may call the API from their pages (CORS), e.g. to embed the suggestion
        /// box: comma-separated origins such as `https://www.example.com`, or `*`.
        #[arg(long, env = "KB_CORS_ORIGINS", value_delimiter = ',')]
        cors_origins: Vec<String>,
        /// Suggest requests per second one client address may send (bursts of three seconds'
        /// worth allowed); a person types about ten keys a second.
        #[arg(long, env = "KB_SUGGEST_RATE", default_value_t = 30)]
        suggest_rate: u32,
        /// Feedback votes and clicks per minute one client address may send.
        #[arg(long, env = "KB_FEEDBACK_RATE", default_value_t = 20)]
        feedback_rate: u32,
        /// Requests taking longer are answered 503 (`10s`).
        #[arg(long, env = "KB_REQUEST_TIMEOUT", default_value = "10s", value_parser = parse_seconds)]
        request_timeout: std::time::Duration,
        /// Largest e-mail accepted by `/api/v1/reply`, in bytes (413 above).
        #[arg(long, env = "KB_MAX_MESSAGE_BYTES", default_value_t = kb::mail::MAX_MESSAGE_BYTES)]
        max_message_bytes: usize,
        /// Recent result pages of suggest and search kept in memory, so that what many
        /// customers type is searched once per index (0 turns it off).
        #[arg(long, env = "KB_RESULT_CACHE", default_value_t = kb::web::DEFAULT_RESULT_CACHE)]
        result_cache: usize,
    },
    /// Article links for an automatic reply to the e-mail on standard input (raw RFC 5322 or
    /// JSON); prints an empty result when nothing is relevant enough.
    Reply {
        /// The index folder.
        #[arg(long, env = "KB_INDEX", default_value = "index")]
        index: PathBuf,
        /// What to print.
        #[arg(long, value_enum, default_value_t = reply::Format::Json)]
        format: reply::Format,
        /// Public URL of the help center, for absolute links.
        #[arg(long, env = "KB_PUBLIC_URL", default_value = "http://127.0.0.1:8080")]
        base_url: String,
        /// Most links.
        #[arg(long, default_value_t = 3)]
        max_links: usize,
        /// Only print what kb read from the message (subject, text, language) as JSON.
        #[arg(long)]
        extract: bool,
        /// Record an e-mail that gets no link (its topic words only) in this data folder, for
        /// `kb gaps`.
        #[arg(long, env = "KB_DATA")]
        data: Option<PathBuf>,
    },
    /// Run the writers' relevance tests: every front-matter query must rank its article top 3.
    Test {
        /// The articles folder.
        #[arg(long, env = "KB_ARTICLES", default_value = "articles")]
        articles: PathBuf,
    },
    /// Full-text search over the built index.
    Search {
        /// What to search for.
        query: String,
        /// Language to answer in (default: detected from the query when confident, else the
        /// default language).
        #[arg(long, value_parser = parse_lang)]
        lang: Option<LangTag>,
        /// The index folder.
        #[arg(long, env = "KB_INDEX", default_value = "index")]
        index: PathBuf,
        /// Maximum number of results.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// The questions customers asked that no article answered (no result or no click), with
    /// spelling variants and inflections counted together, and the closest article kb had.
    Gaps {
        #[command(flatten)]
        scope: ReportScope,
        /// Questions listed.
        #[arg(long, default_value_t = 50)]
        limit: usize,
        /// text, json or csv.
        #[arg(long, value_enum, default_value_t = analytics::Format::Text)]
        format: analytics::Format,
    },
    /// Impressions, clicks, click-through and votes per article and language; searches and
    /// zero-result rate per language; translations to write, ranked by demand.
    Stats {
        #[command(flatten)]
        scope: ReportScope,
        /// text, json or csv (csv: the article table).
        #[arg(long, value_enum, default_value_t = analytics::Format::Text)]
        format: analytics::Format,
    },
    /// Why articles rank where they do for a query: its analysed words and their expansions,
    /// what each top article matched (field, section, exact/stemmed/prefix/fuzzy) and the parts
    /// of its score; with `--id`, where that article ranks and which words found nothing in it.
    Explain {
        /// The query, as a customer would type it.
        query: String,
        /// The customer's language (default: the default language).
        #[arg(long, value_parser = parse_lang)]
        lang: Option<LangTag>,
        /// An article to explain wherever it ranks.
        #[arg(long)]
        id: Option<String>,
        /// Explain the suggest path (the last word a prefix) instead of full search.
        #[arg(long)]
        suggest: bool,
        /// Top articles explained.
        #[arg(long, default_value_t = 5)]
        limit: usize,
        /// The index folder.
        #[arg(long, env = "KB_INDEX", default_value = "index")]
        index: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// The recorded searches, clicks and votes.
    Analytics {
        #[command(subcommand)]
        action: AnalyticsAction,
    },
    /// Measure search quality on an evaluation set: index a corpus.jsonl into a temporary index,
    /// run a queries-*.jsonl and write a run file for score.py.
    Eval {
        /// The set's corpus.jsonl.
        #[arg(long)]
        corpus: PathBuf,
        /// A queries-*.jsonl of the same set.
        #[arg(long)]
        queries: PathBuf,
        /// Where to write the run file.
        #[arg(long)]
        run: PathBuf,
        /// `per-language` (kb) or `tantivy-default` (the baseline).
        #[arg(long, value_enum, default_value_t = eval::AnalysisArg::PerLanguage)]
        analysis: eval::AnalysisArg,
        /// `search` (full queries), `suggest` (typed prefixes, last word a prefix) or `reply`
        /// (each query as an e-mail: links with confidences, for calibration).
        #[arg(long, value_enum, default_value_t = eval::ModeArg::Search)]
        mode: eval::ModeArg,
        /// A click log (`{"lang", "id", "weight"}` lines) to nudge rankings with, as
        /// `kb serve --signal-boost` does with recorded clicks and votes.
        #[arg(long)]
        clicks: Option<PathBuf>,
    },
}

/// Where a report reads from and what it covers.
#[derive(Debug, clap::Args)]
struct ReportScope {
    /// The data folder of `kb serve`.
    #[arg(long, env = "KB_DATA", default_value = "data")]
    data: PathBuf,
    /// The index folder (for titles and closest articles).
    #[arg(long, default_value = "index")]
    index: PathBuf,
    /// Only this language.
    #[arg(long, value_parser = parse_lang)]
    lang: Option<LangTag>,
    /// The period, in days up to today: `30d` or `30`.
    #[arg(long, default_value = "30d", value_parser = parse_days)]
    since: i64,
}

#[derive(Debug, Subcommand)]
enum AnalyticsAction {
    /// Delete recorded searches, clicks and votes: all of them, or those older than
    /// `--older-than`.
    Purge {
        /// The data folder of `kb serve`.
        #[arg(long, env = "KB_DATA", default_value = "data")]
        data: PathBuf,
        /// Keep the last N days (`90d` or `90`).
        #[arg(long, value_parser = parse_days)]
        older_than: Option<i64>,
    },
}

/// `10s`, `500ms` or `10` (seconds) → a duration.
fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let parsed = match text.strip_suffix("ms") {
        Some(millis) => millis.trim().parse::<u64>().map(std::time::Duration::from_millis),
        None => text
            .trim_end_matches('s')
            .trim()
            .parse::<u64>()
            .map(std::time::Duration::from_secs),
    };
    parsed
        .ok()
        .filter(|duration| !duration.is_zero())
        .ok_or_else(|| format!("expected a duration such as 10s or 500ms, got {text:?}"))
}

/// `30d` or `30` → 30.
fn parse_days(text: &str) -> Result<i64, String> {
    text.trim()
        .trim_end_matches('d')
        .parse::<i64>()
        .ok()
        .filter(|days| *days > 0)
        .ok_or_else(|| format!("expected a number of days such as 30d, got {text:?}"))
}

fn parse_lang(text: &str) -> Result<LangTag, String> {
    LangTag::parse(text).map_err(|error| error.to_string())
}

impl ReportScope {
    fn scope(&self) -> analytics::Scope<'_> {
        analytics::Scope {
            data: &self.data,
            index: &self.index,
            lang: self.lang.as_ref(),
            since_days: self.since,
        }
    }
}

impl Cli {
    /// The log level when `KB_LOG` does not say: the server logs every request, commands only
    /// warnings.
    pub(crate) fn default_log_level(&self) -> &'static str {
        match self.command {
            Command::Serve { .. } => "info",
            _ => "warn",
        }
    }

    /// Whether the command writes its result to standard output and should end quietly, as
    /// Unix tools do, when the reader goes away (`kb search … | head`); the server keeps
    /// ignoring broken pipes, which its sockets report as errors.
    pub(crate) fn ends_on_broken_pipe(&self) -> bool {
        !matches!(self.command, Command::Serve { .. })
    }
}

/// Runs the parsed command; the exit code says whether it found problems.
pub(crate) fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Check { articles, format } => check::run(&articles, &cli.default_lang, format),
        Command::Build { articles, index } => build::run(&articles, &index, &cli.default_lang),
        Command::Serve {
            articles,
            index,
            addr,
            base_url,
            data,
            admin_token,
            retention,
            signal_boost,
            cors_origins,
            suggest_rate,
            feedback_rate,
            request_timeout,
            max_message_bytes,
            result_cache,
        } => serve::run(&serve::Settings {
            articles,
            index,
            addr,
            base_url,
            data,
            admin_token,
            retention_days: retention,
            signal_boost,
            cors_origins,
            limits: kb::web::Limits {
                suggest_per_second: suggest_rate,
                feedback_per_minute: feedback_rate,
                request_timeout,
                max_message_bytes,
            },
            result_cache,
            default_lang: cli.default_lang,
        }),
        Command::Reply {
            index,
            format,
            base_url,
            max_links,
            extract,
            data,
        } => reply::run(&index, format, &base_url, max_links, extract, data.as_deref()),
        Command::Test { articles } => test::run(&articles, &cli.default_lang),
        Command::Explain {
            query,
            lang,
            id,
            suggest,
            limit,
            index,
            json,
        } => explain::run(&explain::Settings {
            index: &index,
            query: &query,
            lang,
            id: id.as_deref(),
            suggest,
            limit,
            json,
        }),
        Command::Gaps { scope, limit, format } => analytics::gaps(&scope.scope(), limit, format),
        Command::Stats { scope, format } => analytics::stats(&scope.scope(), format),
        Command::Analytics {
            action: AnalyticsAction::Purge { data, older_than },
        } => analytics::purge(&data, older_than),
        Command::Search {
            query,
            lang,
            index,
            limit,
            json,
        } => search::run(&index, &query, lang, limit, json),
        Command::Eval {
            corpus,
            queries,
            run,
            analysis,
            mode,
            clicks,
        } => eval::run(&corpus, &queries, &run, analysis, mode, clicks.as_deref()),
    }
}

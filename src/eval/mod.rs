//! Search-quality evaluation on the shared sets (`../shared/eval/`): a corpus is indexed through
//! the same article → analysis → index path as help articles, every query is run in its own
//! language, and a run file for `score.py` is written.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::analysis::{Analysis, LangTag};
use crate::article::Article;
use crate::index::{self, BuildOptions, IndexError, OpenIndex};
use crate::search::{self, Boosts, Mode, ReplyRequest, SearchError, SearchRequest, EXTRA_CANDIDATES};

/// Results written per query (score.py looks at the top 10).
const RESULTS_PER_QUERY: usize = 10;
/// Links asked for per e-mail in reply mode.
const REPLY_LINKS: usize = 3;

/// The path queries go through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvalPath {
    /// Search or suggest, as in the API.
    Query(Mode),
    /// Each query as the body of a support e-mail: links with their confidence, none filtered, so
    /// that the confidence threshold can be calibrated on the run file.
    Reply,
}

/// One line of a `corpus.jsonl`.
#[derive(Debug, Deserialize)]
struct CorpusRecord {
    id: String,
    lang: String,
    title: String,
    body: String,
}

/// One line of a `queries-*.jsonl`.
#[derive(Debug, Deserialize)]
struct QueryRecord {
    qid: String,
    lang: String,
    query: String,
    /// In reply mode, the e-mail's subject (the query is its text); none in the shared sets.
    #[serde(default)]
    subject: String,
}

/// What an evaluation run did.
#[derive(Debug, Clone)]
pub struct EvalReport {
    /// Articles indexed.
    pub articles: usize,
    /// Queries run and written.
    pub queries: usize,
    /// Queries that got no result at all.
    pub empty: usize,
}

/// Why an evaluation could not run.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A line of a JSONL file is not the expected record.
    #[error("{path}:{line}: {message}")]
    Record {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Building the temporary index failed.
    #[error(transparent)]
    Index(#[from] IndexError),
    /// A query failed.
    #[error(transparent)]
    Search(#[from] SearchError),
}

/// Indexes `corpus` with `analysis` into a temporary folder, runs every query of `queries` in its
/// own language (no fallback) through the `mode` path, nudged by `boosts` as the server would,
/// and writes `{"qid", "results": [ids]}` lines to `run`.
pub fn evaluate(
    corpus: &Path,
    queries: &Path,
    run: &Path,
    analysis: Analysis,
    path: EvalPath,
    boosts: &Boosts,
) -> Result<EvalReport, EvalError> {
    let articles = read_jsonl::<CorpusRecord>(corpus)?
        .into_iter()
        .map(|(line, record)| {
            let lang = parse_lang(corpus, line, &record.lang)?;
            Ok(Article::from_parts(&record.id, lang, &record.title, &record.body))
        })
        .collect::<Result<Vec<_>, EvalError>>()?;
    let workspace = tempfile::tempdir().map_err(|source| EvalError::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let options = BuildOptions {
        default_lang: LangTag::default(),
        analysis,
    };
    index::build(&articles, workspace.path(), &options, &mut |_| {})?;
    let index = OpenIndex::open(workspace.path())?;

    let io = |source| EvalError::Io {
        path: run.to_path_buf(),
        source,
    };
    let mut out = BufWriter::new(File::create(run).map_err(io)?);
    let mut report = EvalReport {
        articles: articles.len(),
        queries: 0,
        empty: 0,
    };
    for (line, query) in read_jsonl::<QueryRecord>(queries)? {
        let lang = parse_lang(queries, line, &query.lang)?;
        let record = match path {
            EvalPath::Query(mode) => {
                let extra = if boosts.is_empty() { 0 } else { EXTRA_CANDIDATES };
                let request = SearchRequest {
                    query: &query.query,
                    lang: lang.clone(),
                    limit: RESULTS_PER_QUERY + extra,
                    offset: 0,
                    fallback: false,
                    mode,
                    headline_bonus: true,
                };
                let mut results = search::search(&index, &request)?;
                boosts.rerank(lang.as_str(), &mut results.hits);
                results.hits.truncate(RESULTS_PER_QUERY);
                let ids: Vec<&str> = results.hits.iter().map(|hit| hit.id.as_str()).collect();
                report.empty += usize::from(ids.is_empty());
                serde_json::json!({ "qid": query.qid, "results": ids })
            }
            EvalPath::Reply => {
                let request = ReplyRequest {
                    subject: &query.subject,
                    text: &query.query,
                    lang,
                    max_links: REPLY_LINKS,
                    min_confidence: 0.0,
                };
                let links = search::reply_links(&index, &request)?;
                let ids: Vec<&str> = links.iter().map(|link| link.hit.id.as_str()).collect();
                let confidences: Vec<f32> = links.iter().map(|link| link.confidence).collect();
                report.empty += usize::from(ids.is_empty());
                let scores: Vec<f32> = links.iter().map(|link| link.hit.score).collect();
                let features: Vec<_> = links.iter().map(|link| link.features).collect();
                serde_json::json!({
                    "qid": query.qid, "results": ids, "confidences": confidences, "scores": scores,
                    "features": features,
                })
            }
        };
        report.queries += 1;
        writeln!(out, "{record}").map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(report)
}

fn parse_lang(path: &Path, line: usize, code: &str) -> Result<LangTag, EvalError> {
    LangTag::parse(code).map_err(|error| EvalError::Record {
        path: path.to_path_buf(),
        line,
        message: error.to_string(),
    })
}

fn read_jsonl<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<Vec<(usize, T)>, EvalError> {
    let file = File::open(path).map_err(|source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut records = Vec::new();
    for (index, line) in BufReader::new(file).lines().enumerate() {
        let line = line.map_err(|source| EvalError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str(&line).map_err(|error| EvalError::Record {
            path: path.to_path_buf(),
            line: index + 1,
            message: error.to_string(),
        })?;
        records.push((index + 1, record));
    }
    Ok(records)
}

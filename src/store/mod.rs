//! The embedded data store under the data folder: what customers tell kb back — helpful / not
//! helpful votes, the searches they finish and what they click, the topics of e-mails kb had no
//! link for. SQLite in WAL mode: what was acknowledged is in the write-ahead log and survives a
//! crash or `kill -9` of kb (`synchronous = NORMAL`: only a power loss can take the last
//! transactions, and it costs no fsync per search recorded).
//!
//! Nothing personal is kept: no addresses (IP or e-mail), no names, no cookies, no e-mail text —
//! only the query text customers typed, the words of an e-mail that the help center itself uses,
//! article ids, languages and times.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use rusqlite::{params, Connection};
use serde::Serialize;

/// The database file inside the data folder.
pub const DATABASE_FILE: &str = "kb.sqlite3";

/// Longest query kept with a vote, in characters.
pub const MAX_STORED_QUERY_CHARS: usize = 256;

/// Why the store could not be opened, read or written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The data folder could not be created.
    #[error("cannot create the data folder {path}: {source}")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// SQLite refused.
    #[error("data store: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// One helpful / not helpful vote on an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vote {
    /// Article id.
    pub article: String,
    /// Language of the page the vote was cast on.
    pub lang: String,
    /// Whether the article helped.
    pub helpful: bool,
    /// The search that led to the article, if the client says.
    pub query: Option<String>,
}

/// Where a recorded search came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchSource {
    /// The last query of a typing burst in the suggestion box.
    Suggest,
    /// A query of the results page.
    Page,
    /// An e-mail that got no confident link: its topic words.
    Email,
}

impl SearchSource {
    fn as_str(self) -> &'static str {
        match self {
            SearchSource::Suggest => "suggest",
            SearchSource::Page => "page",
            SearchSource::Email => "email",
        }
    }

    fn parse(text: &str) -> SearchSource {
        match text {
            "page" => SearchSource::Page,
            "email" => SearchSource::Email,
            _ => SearchSource::Suggest,
        }
    }
}

/// An article shown for a search, in the language version shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// Article id.
    pub id: String,
    /// Language of the version shown (differs from the search's on fallback).
    pub lang: String,
}

/// A search a customer finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SearchRecord {
    /// Row id (0 before it is stored).
    pub id: i64,
    /// Seconds since the Unix epoch.
    pub at: i64,
    /// The language searched in.
    pub lang: String,
    /// The query as typed (for e-mails: their topic words).
    pub query: String,
    /// Where it came from.
    pub source: SearchSource,
    /// Results found (links, for e-mails).
    pub results: u64,
    /// The articles shown, best first.
    pub shown: Vec<Shown>,
    /// The article clicked, if any.
    pub clicked: Option<String>,
}

impl SearchRecord {
    /// The record of an e-mail in `lang` that got no confident link: its topic words only.
    pub fn unanswered_email(lang: &str, topic: &[String]) -> SearchRecord {
        SearchRecord {
            id: 0,
            at: 0,
            lang: lang.to_string(),
            query: topic.join(" "),
            source: SearchSource::Email,
            results: 0,
            shown: Vec::new(),
            clicked: None,
        }
    }
}

/// What a purge removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Purged {
    /// Searches removed.
    pub searches: usize,
    /// Votes removed.
    pub votes: usize,
}

/// A vote with its time, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteRecord {
    /// Seconds since the Unix epoch.
    pub at: i64,
    /// The vote.
    pub vote: Vote,
}

/// Votes on one article in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoteCount {
    /// Article id.
    pub id: String,
    /// Language.
    pub lang: String,
    /// "Yes" votes.
    pub helpful: u64,
    /// "No" votes.
    pub unhelpful: u64,
}

/// The data store; one connection, shared by the server's requests.
pub struct Store {
    connection: Mutex<Connection>,
}

impl Store {
    /// Opens (creating when missing) the store in `data_dir`.
    pub fn open(data_dir: &Path) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir).map_err(|source| StoreError::Folder {
            path: data_dir.to_path_buf(),
            source,
        })?;
        let connection = Connection::open(data_dir.join(DATABASE_FILE))?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.busy_timeout(std::time::Duration::from_secs(5))?;
        connection.execute_batch(
            "CREATE TABLE IF NOT EXISTS feedback (
                 id INTEGER PRIMARY KEY,
                 at INTEGER NOT NULL,
                 article TEXT NOT NULL,
                 lang TEXT NOT NULL,
                 helpful INTEGER NOT NULL,
                 query TEXT
             );
             CREATE INDEX IF NOT EXISTS feedback_article ON feedback (article, lang);
             CREATE TABLE IF NOT EXISTS searches (
                 id INTEGER PRIMARY KEY,
                 at INTEGER NOT NULL,
                 lang TEXT NOT NULL,
                 query TEXT NOT NULL,
                 source TEXT NOT NULL,
                 results INTEGER NOT NULL,
                 shown TEXT NOT NULL,
                 clicked TEXT
             );
             CREATE INDEX IF NOT EXISTS searches_at ON searches (at);
             CREATE INDEX IF NOT EXISTS searches_clicked ON searches (at) WHERE clicked IS NOT NULL;",
        )?;
        Ok(Store {
            connection: Mutex::new(connection),
        })
    }

    /// Stores `vote`; when this returns, the vote is durable.
    pub fn record_vote(&self, vote: &Vote) -> Result<(), StoreError> {
        let query = vote
            .query
            .as_deref()
            .map(|query| query.chars().take(MAX_STORED_QUERY_CHARS).collect::<String>());
        self.connection().execute(
            "INSERT INTO feedback (at, article, lang, helpful, query) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![now(), vote.article, vote.lang, vote.helpful, query],
        )?;
        Ok(())
    }

    /// Votes per article and language, sorted by article then language.
    pub fn vote_counts(&self) -> Result<Vec<VoteCount>, StoreError> {
        let connection = self.connection();
        let mut statement = connection.prepare(
            "SELECT article, lang, SUM(helpful), SUM(1 - helpful) FROM feedback
             GROUP BY article, lang ORDER BY article, lang",
        )?;
        let counts = statement
            .query_map([], |row| {
                Ok(VoteCount {
                    id: row.get(0)?,
                    lang: row.get(1)?,
                    helpful: row.get(2)?,
                    unhelpful: row.get(3)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(counts)
    }

    /// Stores a finished search (its `at` is now when 0); returns its row id.
    pub fn record_search(&self, search: &SearchRecord) -> Result<i64, StoreError> {
        let connection = self.connection();
        insert_search(&connection, search)?;
        Ok(connection.last_insert_rowid())
    }

    /// Stores finished searches in one transaction.
    pub fn record_searches(&self, searches: &[SearchRecord]) -> Result<(), StoreError> {
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        for search in searches {
            insert_search(&transaction, search)?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// Notes that the customer of search `search_id` clicked `article`; false when there is no
    /// such search.
    pub fn record_click(&self, search_id: i64, article: &str) -> Result<bool, StoreError> {
        let changed = self.connection().execute(
            "UPDATE searches SET clicked = ?2 WHERE id = ?1",
            params![search_id, article],
        )?;
        Ok(changed > 0)
    }

    /// Searches at or after `since` (seconds since the epoch), oldest first.
    pub fn searches_since(&self, since: i64) -> Result<Vec<SearchRecord>, StoreError> {
        self.searches_where("", since)
    }

    /// The searches at or after `since` that ended in a click, oldest first: the ranking
    /// evidence, without reading every search of a busy month into memory.
    pub fn clicked_searches_since(&self, since: i64) -> Result<Vec<SearchRecord>, StoreError> {
        self.searches_where("AND clicked IS NOT NULL", since)
    }

    /// The searches at or after `since` that also meet `condition` (SQL), oldest first.
    fn searches_where(&self, condition: &str, since: i64) -> Result<Vec<SearchRecord>, StoreError> {
        let connection = self.connection();
        let mut statement = connection.prepare(&format!(
            "SELECT id, at, lang, query, source, results, shown, clicked FROM searches
             WHERE at >= ?1 {condition} ORDER BY at, id"
        ))?;
        let searches = statement
            .query_map([since], |row| {
                let shown: String = row.get(6)?;
                Ok(SearchRecord {
                    id: row.get(0)?,
                    at: row.get(1)?,
                    lang: row.get(2)?,
                    query: row.get(3)?,
                    source: SearchSource::parse(&row.get::<_, String>(4)?),
                    results: row.get::<_, i64>(5)?.max(0) as u64,
                    shown: shown
                        .split_whitespace()
                        .filter_map(|entry| entry.split_once(':'))
                        .map(|(lang, id)| Shown {
                            id: id.to_string(),
                            lang: lang.to_string(),
                        })
                        .collect(),
                    clicked: row.get(7)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(searches)
    }

    /// Votes at or after `since` (seconds since the epoch), oldest first.
    pub fn votes_since(&self, since: i64) -> Result<Vec<VoteRecord>, StoreError> {
        let connection = self.connection();
        let mut statement = connection.prepare(
            "SELECT at, article, lang, helpful, query FROM feedback WHERE at >= ?1 ORDER BY at, id",
        )?;
        let votes = statement
            .query_map([since], |row| {
                Ok(VoteRecord {
                    at: row.get(0)?,
                    vote: Vote {
                        article: row.get(1)?,
                        lang: row.get(2)?,
                        helpful: row.get(3)?,
                        query: row.get(4)?,
                    },
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(votes)
    }

    /// Deletes searches and votes older than `before` (seconds since the epoch; `None`: all),
    /// and gives the space back.
    pub fn purge(&self, before: Option<i64>) -> Result<Purged, StoreError> {
        let before = before.unwrap_or(i64::MAX);
        let connection = self.connection();
        let searches = connection.execute("DELETE FROM searches WHERE at < ?1", [before])?;
        let votes = connection.execute("DELETE FROM feedback WHERE at < ?1", [before])?;
        connection.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); VACUUM;")?;
        Ok(Purged { searches, votes })
    }

    fn connection(&self) -> MutexGuard<'_, Connection> {
        match self.connection.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// Inserts one search row.
fn insert_search(connection: &Connection, search: &SearchRecord) -> Result<(), StoreError> {
    let at = if search.at == 0 { now() } else { search.at };
    let query: String = search.query.chars().take(MAX_STORED_QUERY_CHARS).collect();
    let shown = search
        .shown
        .iter()
        .map(|shown| format!("{}:{}", shown.lang, shown.id))
        .collect::<Vec<_>>()
        .join(" ");
    // Prepared once per connection: the server stores searches all day.
    let mut insert = connection.prepare_cached(
        "INSERT INTO searches (at, lang, query, source, results, shown, clicked)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    insert.execute(params![
        at,
        search.lang,
        query,
        search.source.as_str(),
        search.results as i64,
        shown,
        search.clicked
    ])?;
    Ok(())
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn searches_round_trip_take_clicks_and_purge_by_age() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let search = SearchRecord {
            id: 0,
            at: 1_000,
            lang: "nl".into(),
            query: "terugbetaling paypal".into(),
            source: SearchSource::Suggest,
            results: 2,
            shown: vec![
                Shown {
                    id: "billing/refunds".into(),
                    lang: "nl".into(),
                },
                Shown {
                    id: "billing/paypal".into(),
                    lang: "en".into(),
                },
            ],
            clicked: None,
        };
        let old = store.record_search(&search).unwrap();
        let recent = store
            .record_search(&SearchRecord {
                at: 5_000,
                ..search.clone()
            })
            .unwrap();
        assert!(store.record_click(recent, "billing/paypal").unwrap());
        assert!(!store.record_click(recent + 10, "billing/paypal").unwrap());
        let stored = store.searches_since(0).unwrap();
        assert_eq!(
            stored[0],
            SearchRecord {
                id: old,
                ..search.clone()
            }
        );
        assert_eq!(stored[1].clicked.as_deref(), Some("billing/paypal"));
        assert_eq!(store.searches_since(2_000).unwrap().len(), 1);
        let clicked = store.clicked_searches_since(0).unwrap();
        assert_eq!(clicked.len(), 1);
        assert_eq!(clicked[0].id, recent);
        store.record_vote(&vote("billing/refunds", "nl", true)).unwrap();
        assert_eq!(
            store.purge(Some(2_000)).unwrap(),
            Purged {
                searches: 1,
                votes: 0
            }
        );
        assert_eq!(
            store.purge(None).unwrap(),
            Purged {
                searches: 1,
                votes: 1
            }
        );
        assert!(store.searches_since(0).unwrap().is_empty());
    }

    fn vote(article: &str, lang: &str, helpful: bool) -> Vote {
        Vote {
            article: article.into(),
            lang: lang.into(),
            helpful,
            query: Some("refund".into()),
        }
    }

    #[test]
    fn votes_are_counted_per_article_and_language_and_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            store.record_vote(&vote("billing/refunds", "en", true)).unwrap();
            store.record_vote(&vote("billing/refunds", "en", false)).unwrap();
            store.record_vote(&vote("billing/refunds", "de", true)).unwrap();
        }
        let store = Store::open(dir.path()).unwrap();
        store.record_vote(&vote("billing/refunds", "en", true)).unwrap();
        let counts = store.vote_counts().unwrap();
        assert_eq!(
            counts,
            vec![
                VoteCount {
                    id: "billing/refunds".into(),
                    lang: "de".into(),
                    helpful: 1,
                    unhelpful: 0
                },
                VoteCount {
                    id: "billing/refunds".into(),
                    lang: "en".into(),
                    helpful: 2,
                    unhelpful: 1
                },
            ]
        );
    }
}

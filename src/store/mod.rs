//! The embedded data store under the data folder: what customers tell kb back (helpful / not
//! helpful votes). SQLite in WAL mode with `synchronous = FULL`, so that a vote acknowledged to
//! the client is on disk and survives a crash or `kill -9`.

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
        connection.pragma_update(None, "synchronous", "FULL")?;
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
             CREATE INDEX IF NOT EXISTS feedback_article ON feedback (article, lang);",
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

    fn connection(&self) -> MutexGuard<'_, Connection> {
        match self.connection.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// Seconds since the Unix epoch.
fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

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

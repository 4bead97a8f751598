//! Which searches customers finish, and what they click. A suggestion box asks on every
//! keystroke; only the last query of a typing burst is a search the customer made. Bursts are
//! kept in memory per client (address, the page's random session id, language) and stored when
//! they end: on a click, on a results-page search, or after [`BURST_IDLE`] without keystrokes.
//! The client address never leaves memory.
//!
//! `POST /api/v1/click` is what the suggestion box and the results page report clicks to.

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

use super::error::ApiError;
use super::AppState;
use crate::search::SearchHit;
use crate::store::{SearchRecord, SearchSource, Shown, Store};

/// A typing burst ends after this long without a keystroke.
pub(super) const BURST_IDLE: Duration = Duration::from_secs(10);

/// Results remembered as "shown" per search.
const SHOWN_RESULTS: usize = 5;

/// Whose typing a suggest request continues.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Typist {
    address: IpAddr,
    session: String,
    lang: String,
}

impl Typist {
    /// The typist of a request from `peer`, with the page's `session` id, in `lang`.
    pub(super) fn new(peer: SocketAddr, session: Option<&str>, lang: &str) -> Typist {
        Typist {
            address: peer.ip(),
            session: session.unwrap_or_default().chars().take(64).collect(),
            lang: lang.to_string(),
        }
    }
}

struct Burst {
    search: SearchRecord,
    last_keystroke: Instant,
}

/// The typing bursts in progress.
pub(super) struct Bursts {
    open: Mutex<HashMap<Typist, Burst>>,
    idle: Duration,
}

impl Bursts {
    /// No bursts; one ends after `idle` without keystrokes.
    pub(super) fn new(idle: Duration) -> Bursts {
        Bursts {
            open: Mutex::new(HashMap::new()),
            idle,
        }
    }

    /// A suggest request of `typist`; returns the burst it ended, if it started a new one (a
    /// query that does not continue the previous one, or came after a pause).
    pub(super) fn typed(&self, typist: Typist, search: SearchRecord) -> Option<SearchRecord> {
        let now = Instant::now();
        let mut open = self.open();
        let ended = open.remove(&typist).and_then(|burst| {
            let continues = now.duration_since(burst.last_keystroke) < self.idle
                && same_start(&burst.search.query, &search.query);
            (!continues).then_some(burst.search)
        });
        open.insert(
            typist,
            Burst {
                search,
                last_keystroke: now,
            },
        );
        ended
    }

    /// Ends the burst of `typist`, if any.
    pub(super) fn finish(&self, typist: &Typist) -> Option<SearchRecord> {
        self.open().remove(typist).map(|burst| burst.search)
    }

    /// Ends the bursts idle for long enough (all of them with `everything`).
    pub(super) fn take_idle(&self, everything: bool) -> Vec<SearchRecord> {
        let now = Instant::now();
        let mut open = self.open();
        let idle: Vec<Typist> = open
            .iter()
            .filter(|(_, burst)| everything || now.duration_since(burst.last_keystroke) >= self.idle)
            .map(|(typist, _)| typist.clone())
            .collect();
        idle.iter()
            .filter_map(|typist| open.remove(typist))
            .map(|burst| burst.search)
            .collect()
    }

    fn open(&self) -> MutexGuard<'_, HashMap<Typist, Burst>> {
        match self.open.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

/// Whether `next` continues typing `previous`: their first three characters agree (as far as
/// the shorter goes, case-insensitively), so completions and corrections stay one burst.
fn same_start(previous: &str, next: &str) -> bool {
    let start = |text: &str| -> String { text.trim_start().to_lowercase().chars().take(3).collect() };
    let (previous, next) = (start(previous), start(next));
    previous.starts_with(&next) || next.starts_with(&previous)
}

/// The record of a search for `query` in `lang` that found `total` results, `hits` first.
pub(super) fn search_record(
    query: &str,
    lang: &str,
    source: SearchSource,
    total: usize,
    hits: &[SearchHit],
) -> SearchRecord {
    SearchRecord {
        id: 0,
        at: 0,
        lang: lang.to_string(),
        query: query.trim().to_string(),
        source,
        results: total as u64,
        shown: hits
            .iter()
            .take(SHOWN_RESULTS)
            .map(|hit| Shown {
                id: hit.id.clone(),
                lang: hit.lang.to_string(),
            })
            .collect(),
        clicked: None,
    }
}

/// What the search writer is asked to do.
enum Write {
    /// Store these searches.
    Searches(Vec<SearchRecord>),
    /// Answer once everything sent before is stored.
    Flush(std::sync::mpsc::Sender<()>),
}

/// One thread that stores recorded searches in batches, so that analytics cost the request
/// path only a channel send (and the store one transaction per batch, not one per search).
#[derive(Clone)]
pub(super) struct SearchWriter {
    sender: std::sync::mpsc::Sender<Write>,
}

/// Searches stored per transaction at most.
const WRITE_BATCH: usize = 512;

/// How long the writer lets searches gather after storing a batch: under load, requests then
/// queue their searches without waking it each time (a thread wake-up per request cost about 4 %
/// of a loaded server's CPU), and a busy server stores at most about 50 batches a second.
const WRITE_PAUSE: std::time::Duration = std::time::Duration::from_millis(20);

impl SearchWriter {
    /// Starts the writer thread for `store`.
    pub(super) fn start(store: Arc<Store>) -> SearchWriter {
        let (sender, receiver) = std::sync::mpsc::channel::<Write>();
        std::thread::spawn(move || {
            while let Ok(first) = receiver.recv() {
                let mut batch = Vec::new();
                let mut flushes = Vec::new();
                let mut next = Some(first);
                while let Some(write) = next {
                    match write {
                        Write::Searches(searches) => batch.extend(searches),
                        Write::Flush(done) => flushes.push(done),
                    }
                    next = if batch.len() < WRITE_BATCH {
                        receiver.try_recv().ok()
                    } else {
                        None
                    };
                }
                if !batch.is_empty() {
                    if let Err(error) = store.record_searches(&batch) {
                        tracing::warn!(%error, searches = batch.len(), "could not record searches");
                    }
                }
                for done in flushes {
                    let _ = done.send(());
                }
                std::thread::sleep(WRITE_PAUSE);
            }
        });
        SearchWriter { sender }
    }

    /// Queues `searches` for storing; analytics never fail or slow a customer's request.
    pub(super) fn store(&self, searches: Vec<SearchRecord>) {
        if !searches.is_empty() {
            let _ = self.sender.send(Write::Searches(searches));
        }
    }

    /// Waits until everything queued so far is stored.
    pub(super) async fn flush(&self) {
        let (done, finished) = std::sync::mpsc::channel();
        if self.sender.send(Write::Flush(done)).is_ok() {
            let _ = tokio::task::spawn_blocking(move || finished.recv()).await;
        }
    }
}

/// A click, as the pages report it.
#[derive(Debug, Deserialize)]
pub(super) struct Click {
    /// The article clicked.
    id: String,
    /// The page's language.
    lang: String,
    /// The query the results were for.
    query: Option<String>,
    /// The stored results-page search, when the click came from the results page.
    search: Option<i64>,
    /// The suggestion box's session id.
    sid: Option<String>,
}

/// `POST /api/v1/click`: 204 once noted.
pub(super) async fn click(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Result<Json<Click>, JsonRejection>,
) -> Result<StatusCode, ApiError> {
    let Json(click) =
        body.map_err(|rejection| ApiError::bad_request("invalid_body", rejection.body_text()))?;
    if !state.rate().allow_click(peer.ip()) {
        return Err(ApiError::too_many_requests());
    }
    let index = state.index();
    let known = crate::analysis::LangTag::parse(&click.lang)
        .ok()
        .and_then(|lang| index.catalog.resolve(&lang, &click.id))
        .is_some();
    if !known {
        return Err(ApiError::not_found(format!(
            "no article `{}` in {}",
            click.id, click.lang
        )));
    }
    let store = state.store();
    if let Some(search) = click.search {
        let article = click.id;
        tokio::task::spawn_blocking(move || store.record_click(search, &article))
            .await
            .map_err(|error| ApiError::internal(&error))?
            .map_err(|error| ApiError::internal(&error))?;
        return Ok(StatusCode::NO_CONTENT);
    }
    let typist = Typist::new(peer, click.sid.as_deref(), &click.lang);
    let query = click.query.unwrap_or_default();
    let mut search = state
        .bursts()
        .finish(&typist)
        .unwrap_or_else(|| search_record(&query, &click.lang, SearchSource::Suggest, 1, &[]));
    search.clicked = Some(click.id);
    state.search_writer().store(vec![search]);
    Ok(StatusCode::NO_CONTENT)
}

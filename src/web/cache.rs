//! Recent result pages, so that a prefix many customers type ("how do i", "pass") is searched
//! once per index rather than once per keystroke. Entries belong to one epoch: swapping in a new
//! index or new ranking nudges starts a new one, and older entries are never answered again.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::analysis::LangTag;
use crate::search::{Mode, SearchResults};

/// What a result page depends on besides the served index and nudges.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct ResultKey {
    epoch: u64,
    query: String,
    lang: LangTag,
    suggest: bool,
    limit: usize,
    page: usize,
}

/// A bounded cache of result pages (least recently and least often used go first).
pub(super) struct ResultCache {
    entries: Option<quick_cache::sync::Cache<ResultKey, Arc<SearchResults>>>,
    epoch: AtomicU64,
}

impl ResultCache {
    /// A cache of at most `capacity` result pages; 0 turns it off.
    pub(super) fn new(capacity: usize) -> ResultCache {
        ResultCache {
            entries: (capacity > 0).then(|| quick_cache::sync::Cache::new(capacity)),
            epoch: AtomicU64::new(0),
        }
    }

    /// The key of a page; read before the index and nudges the page is computed with, so that a
    /// page computed across a swap lands in the old epoch.
    pub(super) fn key(
        &self,
        query: &str,
        lang: &LangTag,
        mode: Mode,
        limit: usize,
        page: usize,
    ) -> ResultKey {
        ResultKey {
            epoch: self.epoch.load(Ordering::SeqCst),
            query: query.to_string(),
            lang: lang.clone(),
            suggest: mode == Mode::Suggest,
            limit,
            page,
        }
    }

    /// The cached page of `key`, if any.
    pub(super) fn get(&self, key: &ResultKey) -> Option<Arc<SearchResults>> {
        self.entries.as_ref()?.get(key)
    }

    /// Keeps `results` (without the section texts that responses never show, and without the
    /// spare capacity its texts were built with) as the page of `key` and returns it.
    pub(super) fn put(&self, key: ResultKey, mut results: SearchResults) -> Arc<SearchResults> {
        for hit in &mut results.hits {
            hit.section_text = String::new();
            for text in [
                &mut hit.title,
                &mut hit.title_html,
                &mut hit.url,
                &mut hit.snippet_html,
            ] {
                text.shrink_to_fit();
            }
        }
        let results = Arc::new(results);
        if let Some(entries) = &self.entries {
            entries.insert(key, Arc::clone(&results));
        }
        results
    }

    /// Starts a new epoch (call after the swap): no page computed before is answered again.
    pub(super) fn invalidate(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        if let Some(entries) = &self.entries {
            entries.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results(total: usize) -> SearchResults {
        SearchResults {
            lang: LangTag::parse("en").unwrap(),
            total,
            hits: Vec::new(),
        }
    }

    #[test]
    fn a_page_is_answered_until_the_next_epoch() {
        let cache = ResultCache::new(16);
        let en = LangTag::parse("en").unwrap();
        let key = cache.key("pass", &en, Mode::Suggest, 5, 1);
        assert!(cache.get(&key).is_none());
        cache.put(key.clone(), results(3));
        assert_eq!(cache.get(&key).map(|found| found.total), Some(3));
        assert!(cache.get(&cache.key("pass", &en, Mode::Search, 5, 1)).is_none());
        assert!(cache.get(&cache.key("pass", &en, Mode::Suggest, 6, 1)).is_none());

        cache.invalidate();
        assert!(cache.get(&key).is_none());
        let stale = key;
        cache.put(stale, results(4));
        assert!(cache.get(&cache.key("pass", &en, Mode::Suggest, 5, 1)).is_none());
    }

    #[test]
    fn capacity_zero_keeps_nothing() {
        let cache = ResultCache::new(0);
        let key = cache.key("pass", &LangTag::parse("en").unwrap(), Mode::Suggest, 5, 1);
        cache.put(key.clone(), results(3));
        assert!(cache.get(&key).is_none());
    }
}

//! `/metrics` in the Prometheus (OpenMetrics) text format: requests and their latency per route,
//! method and status; articles per language of the served index; reloads and failed reloads;
//! suggest requests that found nothing; result pages answered from the cache or searched.

use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

use crate::index::Catalog;

/// The labels of a request.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

/// The label of a per-language figure.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LanguageLabels {
    lang: String,
}

/// Latency buckets: 50 µs doubling up to ~1.6 s.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.000_05, 2.0, 16))
}

/// The server's metrics.
pub(super) struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RequestLabels, Histogram, fn() -> Histogram>,
    documents: Family<LanguageLabels, Gauge>,
    empty_suggestions: Counter,
    reloads: Counter,
    failed_reloads: Counter,
    cached_pages: Counter,
    searched_pages: Counter,
}

impl Metrics {
    /// All metrics at zero.
    pub(super) fn new() -> Metrics {
        let mut registry = Registry::with_prefix("kb");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency =
            Family::<RequestLabels, Histogram, fn() -> Histogram>::new_with_constructor(latency_histogram);
        let documents = Family::<LanguageLabels, Gauge>::default();
        let empty_suggestions = Counter::default();
        let reloads = Counter::default();
        let failed_reloads = Counter::default();
        let cached_pages = Counter::default();
        let searched_pages = Counter::default();
        registry.register(
            "result_cache_hits",
            "Suggest and search result pages answered from the cache of recent pages",
            cached_pages.clone(),
        );
        registry.register(
            "result_cache_misses",
            "Suggest and search result pages that had to be searched",
            searched_pages.clone(),
        );
        registry.register(
            "reloads",
            "Index reloads that swapped in a new index",
            reloads.clone(),
        );
        registry.register(
            "reload_failures",
            "Reloads refused by article errors or failed building",
            failed_reloads.clone(),
        );
        registry.register(
            "http_requests",
            "HTTP requests by route, method and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency by route, method and status",
            latency.clone(),
        );
        registry.register(
            "articles",
            "Articles in the served index by language",
            documents.clone(),
        );
        registry.register(
            "suggest_empty",
            "Suggest requests with a query that returned no result",
            empty_suggestions.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            documents,
            empty_suggestions,
            reloads,
            failed_reloads,
            cached_pages,
            searched_pages,
        }
    }

    /// Counts a result page answered from the cache (`true`) or searched.
    pub(super) fn result_page(&self, cached: bool) {
        if cached {
            self.cached_pages.inc();
        } else {
            self.searched_pages.inc();
        }
    }

    /// Counts a finished request.
    pub(super) fn observe_request(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let labels = RequestLabels {
            method: method.to_string(),
            route: route.to_string(),
            status,
        };
        self.requests.get_or_create(&labels).inc();
        self.latency.get_or_create(&labels).observe(seconds);
    }

    /// Sets the article counts of the served index.
    pub(super) fn set_articles(&self, catalog: &Catalog) {
        self.documents.clear();
        for (lang, count) in catalog.count_by_lang() {
            self.documents
                .get_or_create(&LanguageLabels { lang })
                .set(count as i64);
        }
    }

    /// Counts a suggest request that found nothing.
    pub(super) fn empty_suggestion(&self) {
        self.empty_suggestions.inc();
    }

    /// Counts a reload that swapped in a new index (`true`) or did not.
    pub(super) fn reload(&self, succeeded: bool) {
        if succeeded {
            self.reloads.inc();
        } else {
            self.failed_reloads.inc();
        }
    }

    /// The text exposition.
    pub(super) fn render(&self) -> String {
        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut text, &self.registry);
        text
    }
}

//! The HTTP API on a real server on 127.0.0.1:0: typed prefixes in many languages, typos,
//! highlighting that escapes, fallback marking and order, language selection, and JSON errors.

use std::process::Command;
use std::sync::OnceLock;

use kb::index::OpenIndex;
use serde_json::Value;

use crate::common::{spawn_server, start_kb_serve, Tree};

pub(crate) const FILES: &[(&str, &str)] = &[
    ("en/billing/refunds.md", "---\ntitle: Refunds\ntags: [money back]\n---\nWe refund unused subscription time to your card.\n\n## How long does a refund take?\nRefunds reach your card within five working days.\n"),
    ("en/billing/card.md", "---\ntitle: Card\n---\nThe card on file pays every Tallybook invoice.\n"),
    ("en/billing/cardboard.md", "---\ntitle: Cardboard packaging\n---\nTallybook ships printed invoices in cardboard envelopes.\n"),
    ("en/account/reset-password.md", "---\ntitle: Reset your password\n---\nForgot your password? Tallybook sends a reset link.\n\n## Two-factor authentication codes\nUse the authentication app.\n"),
    ("en/account/export.md", "---\ntitle: Export your Tallybook data\n---\nDownload every Tallybook record as CSV.\n"),
    ("en/account/delete.md", "---\ntitle: Delete your Tallybook account\n---\nDeleting Tallybook removes everything.\n"),
    ("en/account/team.md", "---\ntitle: Invite your Tallybook team\n---\nTallybook teams share invoices.\n"),
    ("en/integrations/zapier.md", "---\ntitle: Connect Zapier\n---\nZapier sends new invoices to thousands of apps.\n"),
    ("en/integrations/paypal-payouts.md", "---\ntitle: PayPal payouts\n---\nPayPal payouts arrive in your PayPal balance.\n"),
    ("en/security/xss.md", "---\ntitle: \"Scripts <script>alert(1)</script> in invoices\"\n---\nAn invoice note like <img src=x onerror=alert(1)> or `<script>steal()</script>` is inert.\n"),
    ("de/billing/refunds.md", "---\ntitle: Rückerstattungen\n---\nWir erstatten ungenutzte Abonnementzeit.\n\n## Wie lange dauert eine Rückerstattung?\nFünf Werktage.\n"),
    ("fr/billing/refunds.md", "---\ntitle: Remboursements\n---\nNous remboursons la période non utilisée.\n"),
    ("nl/billing/refunds.md", "---\ntitle: Terugbetalingen\n---\nWe betalen ongebruikte abonnementstijd terug.\n"),
    ("nl/billing/paypal.md", "---\ntitle: PayPal\n---\nBetalen met PayPal gaat via je PayPal-saldo.\n"),
    ("pl/billing/payment-methods.md", "---\ntitle: Metody płatności\n---\nMożesz płacić kartą kredytową lub przez PayPal.\n"),
    ("ja/billing/refunds.md", "---\ntitle: 返金について\n---\n未使用の期間分を返金します。\n\n## 返金にかかる日数\n五営業日以内にカードに戻ります。\n"),
];

/// The base URL of one server for this test binary, serving the fixture help center.
pub(crate) fn server() -> &'static str {
    static SERVER: OnceLock<(Tree, String)> = OnceLock::new();
    let (_, url) = SERVER.get_or_init(|| {
        let tree = Tree::with(FILES);
        let output = tree.kb(&["build"]);
        assert!(output.status.success(), "{output:?}");
        let index = OpenIndex::open(&tree.index()).expect("index opens");
        let url = spawn_server(index, &tree.dir.path().join("data"));
        (tree, url)
    });
    url
}

/// GET `path` (with optional `Accept-Language`) and return status and JSON body.
fn get_with(path: &str, accept_language: Option<&str>) -> (u16, Value) {
    let mut request = reqwest::blocking::Client::new().get(format!("{}{path}", server()));
    if let Some(header) = accept_language {
        request = request.header("Accept-Language", header);
    }
    let response = request.send().expect("request");
    let status = response.status().as_u16();
    (status, response.json().expect("JSON body"))
}

fn get(path: &str) -> (u16, Value) {
    get_with(path, None)
}

fn suggest(query: &str, lang: &str) -> Value {
    let (status, body) = get(&format!("/api/v1/suggest?q={}&lang={lang}", encode(query)));
    assert_eq!(status, 200, "{body}");
    body
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn first(body: &Value) -> &Value {
    &body["results"][0]
}

#[test]
fn typed_prefixes_find_articles_in_many_languages() {
    for (query, lang, id) in [
        ("refu", "en", "billing/refunds"),
        ("rückerst", "de", "billing/refunds"),
        ("rembour", "fr", "billing/refunds"),
        ("terugbe", "nl", "billing/refunds"),
        ("płatno", "pl", "billing/payment-methods"),
        ("返金", "ja", "billing/refunds"),
        ("how long does a ref", "en", "billing/refunds"),
    ] {
        let body = suggest(query, lang);
        assert_eq!(first(&body)["id"], id, "{query:?} in {lang}: {body}");
        assert_eq!(first(&body)["lang"], lang, "{body}");
    }
}

#[test]
fn the_response_has_the_documented_shape() {
    let body = suggest("terugbe", "nl");
    assert_eq!(body["query"], "terugbe");
    assert_eq!(body["lang"], "nl");
    assert_eq!(body["lang_source"], "param");
    assert!(body["took_us"].is_u64());
    let hit = first(&body);
    assert_eq!(hit["title_html"], "<mark>Terugbe</mark>talingen");
    assert_eq!(hit["url"], "/nl/articles/billing/refunds");
    assert_eq!(hit["fallback"], false);
    for field in ["id", "lang", "title", "snippet_html", "score"] {
        assert!(!hit[field].is_null(), "{field} missing: {hit}");
    }
    assert!(hit.get("section").is_some());
}

#[test]
fn results_deep_link_to_the_answering_section() {
    let hit = suggest("how long does a refund ta", "en")["results"][0].clone();
    assert_eq!(hit["section"], "How long does a refund take?");
    assert_eq!(
        hit["url"],
        "/en/articles/billing/refunds#how-long-does-a-refund-take"
    );
    let whole = suggest("zapier", "en")["results"][0].clone();
    assert!(whole["section"].is_null(), "{whole}");
    assert_eq!(whole["url"], "/en/articles/integrations/zapier");
}

#[test]
fn typos_are_tolerated_for_long_words_only() {
    assert_eq!(first(&suggest("pasword", "en"))["id"], "account/reset-password");
    assert_eq!(first(&suggest("refnud", "en"))["id"], "billing/refunds");
    // Two edits in a 9+ letter word.
    let body = suggest("autentcation", "en");
    assert_eq!(first(&body)["id"], "account/reset-password", "{body}");
    assert!(
        first(&body)["snippet_html"]
            .as_str()
            .unwrap_or_default()
            .contains("<mark>authentication</mark>"),
        "{body}"
    );
    // A four-letter word gets no correction: "cadr" must not find "card".
    let body = suggest("cadr ", "en");
    assert!(body["results"].as_array().is_some_and(Vec::is_empty), "{body}");
    // A customer in de-AT reads the German articles (a fallback) as their own language: typos
    // are corrected there too.
    let body = suggest("Rückerstatungen ", "de-AT");
    assert_eq!(
        (
            first(&body)["id"].as_str(),
            first(&body)["lang"].as_str(),
            first(&body)["fallback"].as_bool()
        ),
        (Some("billing/refunds"), Some("de"), Some(true)),
        "{body}"
    );
}

#[test]
fn exact_matches_rank_above_prefix_completions() {
    let body = suggest("card", "en");
    let ids = crate::common::ids(&body["results"]);
    let card = ids.iter().position(|id| *id == "billing/card");
    let cardboard = ids.iter().position(|id| *id == "billing/cardboard");
    assert!(
        card.is_some() && cardboard.is_some() && card < cardboard,
        "{ids:?}"
    );
}

#[test]
fn articles_matching_all_words_rank_above_those_matching_some() {
    let body = suggest("tallybook exp", "en");
    assert_eq!(first(&body)["id"], "account/export", "{body}");
}

#[test]
fn highlights_escape_everything_but_the_marks() {
    let body = suggest("scripts invoice", "en");
    let hit = first(&body);
    assert_eq!(hit["id"], "security/xss");
    let title = hit["title_html"].as_str().unwrap_or_default();
    let snippet = hit["snippet_html"].as_str().unwrap_or_default();
    assert!(
        title.starts_with("<mark>Scripts</mark> &lt;") && !title.contains("<script"),
        "{title}"
    );
    assert!(
        !snippet.contains("<img") && !snippet.contains("<script"),
        "{snippet}"
    );
    assert!(
        snippet.contains("&lt;<mark>script</mark>&gt;steal()"),
        "{snippet}"
    );
    let (status, body) = get(&format!(
        "/api/v1/suggest?lang=en&q={}",
        encode("<script>alert(1)</script>")
    ));
    assert_eq!(status, 200);
    for hit in body["results"].as_array().into_iter().flatten() {
        let html = format!("{}{}", hit["title_html"], hit["snippet_html"]);
        assert!(!html.contains("<script"), "{html}");
    }
}

#[test]
fn fallback_articles_are_found_by_the_cognates_of_the_customers_words() {
    // No Spanish article at all: "exportar" finds the English "export" it begins like, and the
    // Spanish function words "los" and "de" are not read as rare English words.
    for mode in ["suggest", "search"] {
        let (status, body) = get(&format!(
            "/api/v1/{mode}?lang=es&q={}",
            encode("exportar los datos de tallybook ")
        ));
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            (first(&body)["id"].as_str(), first(&body)["fallback"].as_bool()),
            (Some("account/export"), Some(true)),
            "{mode}: {body}"
        );
    }
}

#[test]
fn a_fallback_that_holds_more_of_the_question_ranks_above_native_results() {
    // The Dutch "PayPal" article holds "paypal" only; the English "PayPal payouts" both words.
    for mode in ["suggest", "search"] {
        let (status, body) = get(&format!("/api/v1/{mode}?lang=nl&q={}", encode("paypal payouts ")));
        assert_eq!(status, 200, "{body}");
        let ids = crate::common::ids(&body["results"]);
        assert_eq!(
            ids[..2],
            ["integrations/paypal-payouts", "billing/paypal"],
            "{mode}: {body}"
        );
        assert_eq!(first(&body)["fallback"], true, "{body}");
    }
}

#[test]
fn words_of_the_default_language_find_the_customers_translation() {
    // A customer on a German, French or Dutch page types English: the English article found is
    // shown in the customer's language, once, at the section of the same position when both
    // versions have as many sections.
    for mode in ["suggest", "search"] {
        for (lang, section, url) in [
            (
                "de",
                Some("Wie lange dauert eine Rückerstattung?"),
                "/de/articles/billing/refunds#wie-lange-dauert-eine-rückerstattung",
            ),
            ("fr", None, "/fr/articles/billing/refunds"),
            ("nl", None, "/nl/articles/billing/refunds"),
        ] {
            let (status, body) = get(&format!(
                "/api/v1/{mode}?lang={lang}&q={}",
                encode("how long does a refund take")
            ));
            assert_eq!(status, 200, "{body}");
            let hit = first(&body);
            assert_eq!(
                (
                    hit["id"].as_str(),
                    hit["lang"].as_str(),
                    hit["fallback"].as_bool(),
                    hit["section"].as_str(),
                    hit["url"].as_str()
                ),
                (
                    Some("billing/refunds"),
                    Some(lang),
                    Some(false),
                    section,
                    Some(url)
                ),
                "{mode} {lang}: {body}"
            );
            let ids = crate::common::ids(&body["results"]);
            assert_eq!(
                ids.iter().filter(|id| **id == "billing/refunds").count(),
                1,
                "{body}"
            );
        }
    }
}

#[test]
fn words_of_another_language_of_the_help_center_find_the_customers_version() {
    // A German word on the English page: the German refunds article finds its English version.
    for mode in ["suggest", "search"] {
        let (status, body) = get(&format!(
            "/api/v1/{mode}?lang=en&q={}",
            encode("Rückerstattungen")
        ));
        assert_eq!(status, 200, "{body}");
        let hit = first(&body);
        assert_eq!(
            (
                hit["id"].as_str(),
                hit["lang"].as_str(),
                hit["fallback"].as_bool()
            ),
            (Some("billing/refunds"), Some("en"), Some(false)),
            "{mode}: {body}"
        );
    }
    // Dutch words on the English page: the Dutch "PayPal" article has no English version to show.
    let (status, body) = get(&format!("/api/v1/search?lang=en&q={}", encode("betalen saldo")));
    assert_eq!(status, 200, "{body}");
    let results = body["results"].as_array().expect("results");
    assert!(!results.is_empty(), "{body}");
    assert!(results.iter().all(|hit| hit["lang"] == "en"), "{body}");
    assert!(results.iter().all(|hit| hit["id"] != "billing/paypal"), "{body}");
}

#[test]
fn missing_translations_fall_back_marked_and_ranked_below_native_results() {
    let hit = first(&suggest("zapi", "nl")).clone();
    assert_eq!(
        (
            hit["id"].as_str(),
            hit["lang"].as_str(),
            hit["fallback"].as_bool()
        ),
        (Some("integrations/zapier"), Some("en"), Some(true))
    );
    assert_eq!(hit["url"], "/nl/articles/integrations/zapier");

    let body = suggest("paypal", "nl");
    let results = body["results"].as_array().cloned().unwrap_or_default();
    assert_eq!(results[0]["id"], "billing/paypal", "{body}");
    assert_eq!(results[0]["fallback"], false);
    assert!(
        results
            .iter()
            .any(|hit| hit["id"] == "integrations/paypal-payouts" && hit["fallback"] == true),
        "{body}"
    );
    let first_fallback = results
        .iter()
        .position(|hit| hit["fallback"] == true)
        .unwrap_or(usize::MAX);
    let last_native = results
        .iter()
        .rposition(|hit| hit["fallback"] == false)
        .unwrap_or(0);
    assert!(last_native < first_fallback, "{body}");
}

#[test]
fn language_comes_from_param_then_header_then_detection_then_default() {
    let source = |path: &str, header: Option<&str>| {
        let (status, body) = get_with(path, header);
        assert_eq!(status, 200, "{body}");
        (
            body["lang"].as_str().unwrap_or_default().to_string(),
            body["lang_source"].as_str().unwrap_or_default().to_string(),
        )
    };
    let kana = encode("返金について");
    assert_eq!(
        source(&format!("/api/v1/suggest?q={kana}&lang=nl"), Some("de")),
        ("nl".into(), "param".into())
    );
    assert_eq!(
        source(
            &format!("/api/v1/suggest?q={kana}"),
            Some("fr-CH;q=0.9, de;q=0.8")
        ),
        ("fr-CH".into(), "header".into())
    );
    assert_eq!(
        source(&format!("/api/v1/suggest?q={kana}"), None),
        ("ja".into(), "detected".into())
    );
    // Words that tell no language by letters or function words: the help center's own articles
    // do, when only one language uses them (a word being typed: begins one of its words).
    for (query, lang) in [("remboursements", "fr"), ("rembour", "fr"), ("card", "en")] {
        assert_eq!(
            source(&format!("/api/v1/suggest?q={query}"), None),
            (lang.into(), "detected".into()),
            "{query}"
        );
    }
    // PayPal is written in English, Dutch and Polish articles alike.
    assert_eq!(
        source("/api/v1/suggest?q=paypal", None),
        ("en".into(), "default".into())
    );
}

#[test]
fn limits_default_to_five_and_cap_at_twenty() {
    let count = |path: &str| get(path).1["results"].as_array().map_or(0, Vec::len);
    assert_eq!(count("/api/v1/suggest?q=tallybook&lang=en"), 5);
    assert_eq!(count("/api/v1/suggest?q=tallybook&lang=en&limit=2"), 2);
    assert!(count("/api/v1/suggest?q=tallybook&lang=en&limit=500") <= 20);
}

#[test]
fn empty_queries_get_no_results_and_long_ones_are_cut() {
    for q in ["", "%20%20"] {
        let (status, body) = get(&format!("/api/v1/suggest?q={q}&lang=en"));
        assert_eq!(status, 200);
        assert_eq!(body["results"], serde_json::json!([]));
    }
    let long = "refund ".repeat(100);
    let (status, body) = get(&format!("/api/v1/suggest?lang=en&q={}", encode(&long)));
    assert_eq!(status, 200);
    assert_eq!(body["query"].as_str().map(|q| q.chars().count()), Some(256));
}

#[test]
fn bad_requests_get_4xx_with_the_json_error_shape_and_the_server_keeps_serving() {
    for (path, method, status) in [
        ("/api/v1/suggest?q=a&lang=xx", "GET", 400),
        ("/api/v1/suggest?q=a&limit=abc", "GET", 400),
        ("/api/v1/suggest?q=a&limit=0", "GET", 400),
        ("/api/v1/search?q=a&page=0", "GET", 400),
        ("/api/v1/articles/xx/billing/refunds", "GET", 400),
        ("/api/v1/articles/en/no/such/article", "GET", 404),
        ("/no/such/route", "GET", 404),
        ("/api/v1/suggest?q=a", "POST", 405),
    ] {
        let client = reqwest::blocking::Client::new();
        let url = format!("{}{path}", server());
        let response = if method == "POST" {
            client.post(url)
        } else {
            client.get(url)
        }
        .send()
        .expect("request");
        assert_eq!(response.status().as_u16(), status, "{method} {path}");
        let body: Value = response.json().expect("JSON error body");
        assert!(
            body["error"]["code"].is_string() && body["error"]["message"].is_string(),
            "{path}: {body}"
        );
    }
    assert_eq!(get("/api/v1/suggest?q=refund&lang=en").0, 200);
}

#[test]
fn full_search_pages_results_with_a_total() {
    let (status, body) = get("/api/v1/search?q=tallybook&lang=en");
    assert_eq!(status, 200, "{body}");
    assert!(body["total"].as_u64().is_some_and(|total| total >= 5), "{body}");
    assert_eq!(body["page"], 1);
    // The last word is a whole word in full search: "refu" completes nothing.
    let (_, body) = get("/api/v1/search?q=refu&lang=en");
    assert_eq!(body["results"], serde_json::json!([]), "{body}");
    let (_, page_two) = get("/api/v1/search?q=tallybook&lang=en&page=2");
    assert_eq!(
        page_two["results"],
        serde_json::json!([]),
        "fewer than 11 matches: {page_two}"
    );
}

#[test]
fn articles_come_as_json_with_rendered_html_and_translations() {
    let (status, body) = get("/api/v1/articles/de/billing/refunds");
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["title"], "Rückerstattungen");
    assert_eq!(body["fallback"], false);
    assert!(
        body["html"]
            .as_str()
            .unwrap_or_default()
            .contains(r#"<h2 id="wie-lange-dauert-eine-rückerstattung">"#),
        "{body}"
    );
    let languages: Vec<&str> = body["languages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["lang"].as_str())
        .collect();
    assert!(
        ["de", "en", "fr", "ja", "nl"]
            .iter()
            .all(|lang| languages.contains(lang)),
        "{languages:?}"
    );

    let (_, body) = get("/api/v1/articles/nl/security/xss");
    assert_eq!(
        (body["lang"].as_str(), body["fallback"].as_bool()),
        (Some("en"), Some(true))
    );
    let html = body["html"].as_str().unwrap_or_default();
    assert!(!html.contains("onerror") && !html.contains("<script"), "{html}");
}

#[test]
fn kb_serve_builds_a_missing_index_serves_and_stops_on_sigterm() {
    let tree = Tree::with(&FILES[..3]);
    let mut served = start_kb_serve(&tree, &[]);
    let addr = served.addr.clone();
    let body: Value = reqwest::blocking::get(format!("http://{addr}/api/v1/suggest?q=refu&lang=en"))
        .expect("request")
        .json()
        .expect("json");
    assert_eq!(body["results"][0]["id"], "billing/refunds");
    let log_line = (0..10)
        .map(|_| served.next_log_line())
        .find(|line| line.contains("request"))
        .expect("a request log line");
    assert!(
        log_line.contains("route=\"/api/v1/suggest\"")
            && log_line.contains("status=200")
            && log_line.contains("latency_us="),
        "{log_line}"
    );

    let status = Command::new("kill")
        .args(["-TERM", &served.child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let exit = served.child.wait().expect("wait");
    assert!(exit.success(), "graceful shutdown exits 0: {exit:?}");
    assert!(tree.index().join("CURRENT").exists());
}

#[test]
fn the_server_keeps_serving_when_its_log_output_is_closed() {
    let tree = Tree::with(&FILES[..3]);
    let mut served = start_kb_serve(&tree, &[]);
    let url = format!("http://{}/api/v1/suggest?q=refu&lang=en", served.addr);
    served.close_log();
    for _ in 0..3 {
        let response = reqwest::blocking::get(&url).expect("a response despite the closed log");
        assert_eq!(response.status().as_u16(), 200);
    }
}

#[test]
fn kb_test_passes_on_the_sample_help_center_and_reports_failures_by_line() {
    let output = crate::common::kb_in(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), &["test"]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );

    let tree = Tree::with(&[
        (
            "en/a.md",
            "---\ntitle: Refunds\nqueries:\n  - refund\n  - zebra\n---\nMoney back.\n",
        ),
        (
            "en/b.md",
            "---\ntitle: Zebra crossing rules\n---\nZebra crossings, zebra stripes.\n",
        ),
        (
            "en/c.md",
            "---\ntitle: Zebra crossing history\n---\nThe zebra crossing and the zebra.\n",
        ),
        (
            "en/d.md",
            "---\ntitle: Zebra crossing signs\n---\nSigns at a zebra crossing.\n",
        ),
    ]);
    let output = tree.kb(&["test"]);
    assert_eq!(output.status.code(), Some(1));
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        report.contains("articles/en/a.md:5: query \"zebra\" ranks article at 4"),
        "{report}"
    );
    assert!(report.contains("(top: "), "{report}");
    assert!(!report.contains("\"refund\""), "{report}");
}

//! The help-center pages and the feedback store over HTTP (no browser): redirects by
//! `Accept-Language`, what a page carries (language, title, description, anchors, translations,
//! fallback notice), the results page, 404 pages and path traversal, asset caching, and feedback
//! (JSON and form posts, errors, rate limit, admin token, durability across `kill -9`).

use std::io::{Read, Write};
use std::net::TcpStream;

use reqwest::blocking::{Client, Response};
use reqwest::redirect::Policy;
use serde_json::{json, Value};

use crate::common::{spawn_server, start_kb_serve, Tree, ADMIN_TOKEN};
use crate::server::{server, FILES};

/// A client that does not follow redirects.
fn client() -> Client {
    Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("client")
}

/// GET `path` as a browser would ask for a page.
fn page(path: &str, accept_language: Option<&str>) -> (u16, String) {
    let mut request = client()
        .get(format!("{}{path}", server()))
        .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    if let Some(header) = accept_language {
        request = request.header("Accept-Language", header);
    }
    let response = request.send().expect("request");
    (response.status().as_u16(), response.text().expect("body"))
}

fn location(response: &Response) -> &str {
    response
        .headers()
        .get("location")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

#[test]
fn the_root_redirects_to_the_best_accepted_language_that_has_articles() {
    for (header, expected) in [
        (Some("sv, de;q=0.8, fr;q=0.5"), "/de/"),
        (Some("nl-BE"), "/nl/"),
        (Some("sv"), "/en/"),
        (None, "/en/"),
    ] {
        let mut request = client().get(format!("{}/", server()));
        if let Some(header) = header {
            request = request.header("Accept-Language", header);
        }
        let response = request.send().expect("request");
        assert!(response.status().is_redirection(), "{header:?}");
        assert_eq!(location(&response), expected, "{header:?}");
    }
}

#[test]
fn the_home_page_lists_articles_by_category_with_fallbacks_marked() {
    let (status, html) = page("/nl/", None);
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="nl">"#), "{html}");
    assert!(
        html.contains(r#"<a href="/nl/articles/billing/refunds">Terugbetalingen</a></li>"#),
        "{html}"
    );
    assert!(
        html.contains(r#"<a href="/nl/articles/billing/card">Card</a> <span class="badge" title="niet vertaald" lang="en">EN</span>"#),
        "{html}"
    );
    assert!(html.contains(r#"role="combobox""#) && html.contains(r#"action="/nl/search""#));
}

#[test]
fn an_article_page_has_language_title_description_anchors_translations_and_feedback() {
    let (status, html) = page("/de/articles/billing/refunds", None);
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="de">"#), "{html}");
    assert!(
        html.contains("<title>Rückerstattungen · Hilfe-Center</title>"),
        "{html}"
    );
    assert!(
        html.contains(r#"<meta name="description" content="Wir erstatten ungenutzte Abonnementzeit.">"#),
        "{html}"
    );
    let anchor = "wie-lange-dauert-eine-rückerstattung";
    assert!(html.contains(&format!(r#"<h2 id="{anchor}">"#)), "{html}");
    assert!(
        html.contains(r##"class="anchor" href="#wie-lange-dauert-eine-r%C3%BCckerstattung""##),
        "{html}"
    );
    assert!(html.contains("Auch auf:"), "{html}");
    for (lang, name) in [
        ("en", "English"),
        ("fr", "Français"),
        ("nl", "Nederlands"),
        ("ja", "日本語"),
    ] {
        assert!(
            html.contains(&format!(
                r#"<a href="/{lang}/articles/billing/refunds" hreflang="{lang}" lang="{lang}">{name}</a>"#
            )),
            "{lang}: {html}"
        );
    }
    assert!(
        !html.contains(r#"href="/de/articles/billing/refunds" hreflang"#),
        "no link to itself"
    );
    assert!(html.contains("War dieser Artikel hilfreich?"), "{html}");
    assert!(
        !html.contains(r#"class="notice""#),
        "no fallback notice on a translation"
    );
}

#[test]
fn a_missing_translation_shows_the_default_language_version_with_a_notice() {
    let (status, html) = page("/pl/articles/billing/refunds", None);
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="pl">"#), "{html}");
    assert!(
        html.contains("Ten artykuł nie jest jeszcze dostępny w języku: Polski."),
        "{html}"
    );
    assert!(html.contains(r#"<article lang="en"><h1>Refunds</h1>"#), "{html}");
}

#[test]
fn script_in_an_article_is_escaped_or_removed_on_its_page() {
    let (status, html) = page("/en/articles/security/xss", None);
    assert_eq!(status, 200);
    let main = html.split("<main>").nth(1).expect("main");
    assert!(!main.contains("<script") && !main.contains("onerror"), "{main}");
    assert!(
        main.contains("Scripts &lt;script&gt;alert(1)&lt;/script&gt; in invoices"),
        "{main}"
    );
}

#[test]
fn the_results_page_shows_highlighted_results_without_javascript() {
    let (status, html) = page("/en/search?q=refund+card", None);
    assert_eq!(status, 200);
    assert!(
        html.contains(r#"<input id="q" type="search" name="q" value="refund card""#),
        "{html}"
    );
    assert!(
        html.contains(r##"<a class="result-title" href="/en/articles/billing/refunds"##),
        "{html}"
    );
    assert!(html.contains("<mark>Refund"), "{html}");
    let (_, nothing) = page("/de/search?q=zzzqqq", None);
    assert!(nothing.contains("Keine passenden Artikel."), "{nothing}");
    let (status, escaped) = page("/en/search?q=%3Cscript%3Ealert(1)%3C/script%3E&page=x", None);
    assert_eq!(status, 200);
    assert!(!escaped.contains("<script>alert"), "{escaped}");
}

#[test]
fn unknown_pages_are_404_pages_in_the_visitors_language_and_json_for_api_clients() {
    let (status, html) = page("/de/articles/billing/nope", None);
    assert_eq!(status, 404);
    assert!(
        html.contains("Seite nicht gefunden") && html.contains(r#"<html lang="de">"#),
        "{html}"
    );
    let (status, html) = page("/xx/articles/billing/refunds", Some("nl"));
    assert_eq!(status, 404);
    assert!(html.contains("Pagina niet gevonden"), "{html}");
    let (status, html) = page("/no/such/page/at/all", Some("fr"));
    assert_eq!(status, 404);
    assert!(html.contains("Page introuvable"), "{html}");
    let response = client()
        .get(format!("{}/nope", server()))
        .send()
        .expect("request");
    assert_eq!(response.status().as_u16(), 404);
    let body: Value = response
        .json()
        .expect("JSON for a client that does not ask for HTML");
    assert_eq!(body["error"]["code"], "not_found");
}

#[test]
fn path_traversal_never_reaches_the_file_system() {
    let addr = server().trim_start_matches("http://");
    for path in [
        "/en/articles/../../../../etc/passwd",
        "/en/articles/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/en/articles/..%2f..%2f..%2fCargo.toml",
        "/en/articles//etc/passwd",
        "/en/articles/billing/../../../Cargo.toml",
        "/assets/..%2f..%2fCargo.toml",
        "/../../etc/passwd",
    ] {
        let mut stream = TcpStream::connect(addr).expect("connect");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/html\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut response = String::new();
        stream.read_to_string(&mut response).expect("read");
        let status = response.split_whitespace().nth(1).unwrap_or_default();
        assert!(status == "404" || status == "400", "{path}: {status}");
        assert!(
            !response.contains("root:") && !response.contains("[package]"),
            "{path}"
        );
    }
}

#[test]
fn assets_are_cached_for_long_and_pages_revalidate() {
    let (_, html) = page("/en/", None);
    let script = html
        .split(r#"<script defer src=""#)
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("script link");
    assert!(script.starts_with("/assets/kb.js?v="), "{script}");
    let response = client()
        .get(format!("{}{script}", server()))
        .send()
        .expect("asset");
    assert_eq!(response.status().as_u16(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header("content-type"), "text/javascript; charset=utf-8");
    assert_eq!(header("cache-control"), "public, max-age=31536000, immutable");
    let page = client().get(format!("{}/en/", server())).send().expect("page");
    assert_eq!(
        page.headers().get("cache-control").and_then(|v| v.to_str().ok()),
        Some("no-cache")
    );
    let missing = client()
        .get(format!("{}/assets/nope.js", server()))
        .send()
        .expect("asset");
    assert_eq!(missing.status().as_u16(), 404);
}

fn post_feedback(base: &str, body: &Value) -> (u16, Value) {
    let response = client()
        .post(format!("{base}/api/v1/feedback"))
        .json(body)
        .send()
        .expect("feedback");
    (response.status().as_u16(), response.json().expect("JSON"))
}

fn stats(base: &str, token: Option<&str>) -> (u16, Value) {
    let mut request = client().get(format!("{base}/api/v1/stats"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().expect("stats");
    (response.status().as_u16(), response.json().expect("JSON"))
}

fn votes(stats: &Value, id: &str, lang: &str) -> Option<(u64, u64)> {
    stats["articles"].as_array()?.iter().find_map(|count| {
        (count["id"] == id && count["lang"] == lang).then(|| {
            (
                count["helpful"].as_u64().unwrap_or_default(),
                count["unhelpful"].as_u64().unwrap_or_default(),
            )
        })
    })
}

#[test]
fn feedback_is_stored_from_json_and_forms_and_counted_for_the_admin() {
    let base = server();
    let vote = json!({"id": "integrations/zapier", "lang": "de", "helpful": false, "query": "zapier"});
    let (status, body) = post_feedback(base, &vote);
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["stored"], true);
    let form = client()
        .post(format!("{base}/api/v1/feedback"))
        .form(&[("id", "integrations/zapier"), ("lang", "de"), ("helpful", "true")])
        .send()
        .expect("form post");
    assert_eq!(form.status().as_u16(), 303);
    assert_eq!(
        location(&form),
        "/de/articles/integrations/zapier?feedback=thanks#feedback"
    );
    let (_, thanked) = page("/de/articles/integrations/zapier?feedback=thanks", None);
    assert!(
        thanked.contains(r#"<span class="thanks" data-thanks role="status">Danke für Ihr Feedback!</span>"#),
        "{thanked}"
    );

    let (status, body) = stats(base, Some(ADMIN_TOKEN));
    assert_eq!(status, 200, "{body}");
    assert_eq!(votes(&body, "integrations/zapier", "de"), Some((1, 1)));
}

#[test]
fn bad_feedback_gets_4xx_json_errors() {
    let base = server();
    let cases = [
        (
            json!({"id": "billing/refunds", "lang": "xx", "helpful": true}),
            400,
            "unsupported_language",
        ),
        (
            json!({"id": "billing/nope", "lang": "en", "helpful": true}),
            404,
            "not_found",
        ),
        (
            json!({"id": "billing/refunds", "lang": "en"}),
            400,
            "invalid_body",
        ),
        (
            json!({"id": "billing/refunds", "lang": "en", "helpful": "maybe"}),
            400,
            "invalid_body",
        ),
    ];
    for (body, expected_status, code) in cases {
        let (status, error) = post_feedback(base, &body);
        assert_eq!(
            (status, error["error"]["code"].as_str()),
            (expected_status, Some(code)),
            "{body}"
        );
    }
    let response = client()
        .post(format!("{base}/api/v1/feedback"))
        .header("Content-Type", "text/plain")
        .body("yes")
        .send()
        .expect("post");
    assert_eq!(response.status().as_u16(), 415);
}

#[test]
fn stats_refuse_requests_without_the_admin_token() {
    let base = server();
    assert_eq!(stats(base, None).0, 401);
    let (status, body) = stats(base, Some("wrong-token"));
    assert_eq!(status, 401);
    assert_eq!(body["error"]["code"], "unauthorized");
}

#[test]
fn feedback_is_rate_limited_per_client_address() {
    let tree = Tree::with(FILES);
    assert!(tree.kb(&["build"]).status.success());
    let index = kb::index::OpenIndex::open(&tree.index()).expect("index");
    let base = spawn_server(index, &tree.dir.path().join("data"));
    let vote = json!({"id": "billing/refunds", "lang": "en", "helpful": true});
    let statuses: Vec<u16> = (0..30).map(|_| post_feedback(&base, &vote).0).collect();
    let stored = statuses.iter().filter(|status| **status == 201).count();
    assert!((15..=21).contains(&stored), "{statuses:?}");
    let (status, body) = post_feedback(&base, &vote);
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (429, Some("rate_limited"))
    );
    let (_, counted) = stats(&base, Some(ADMIN_TOKEN));
    assert_eq!(votes(&counted, "billing/refunds", "en"), Some((stored as u64, 0)));
    assert_eq!(
        client()
            .get(format!("{base}/api/v1/suggest?q=refund"))
            .send()
            .expect("suggest")
            .status()
            .as_u16(),
        200,
        "other routes keep serving"
    );
}

#[test]
fn acknowledged_feedback_survives_kill_9() {
    let tree = Tree::with(&FILES[..3]);
    let args = ["--data", "votes", "--admin-token", "t0ken"];
    let mut served = start_kb_serve(&tree, &args);
    let base = format!("http://{}", served.addr);
    let vote = json!({"id": "billing/card", "lang": "en", "helpful": true});
    for _ in 0..3 {
        assert_eq!(post_feedback(&base, &vote).0, 201);
    }
    served.child.kill().expect("kill -9");
    served.child.wait().expect("reaped");

    let restarted = start_kb_serve(&tree, &args);
    let (status, body) = stats(&format!("http://{}", restarted.addr), Some("t0ken"));
    assert_eq!(status, 200, "{body}");
    assert_eq!(votes(&body, "billing/card", "en"), Some((3, 0)));
}

//! Running kb: health, readiness and Prometheus metrics, the OpenAPI document against the router,
//! CORS for embedding the suggestion box, rate and size limits, and settings from kb.toml, the
//! environment and flags (later ones winning).

use std::time::Duration;

use reqwest::blocking::Client;
use serde_json::Value;

use crate::common::{spawn_state, state_for, Tree};
use crate::server::{server, FILES};

/// A server over the fixture help center with `state` adjusted.
fn server_with(adjust: impl FnOnce(kb::web::AppState) -> kb::web::AppState) -> (Tree, String) {
    let tree = Tree::with(FILES);
    assert!(tree.kb(&["build"]).status.success());
    let index = kb::index::OpenIndex::open(&tree.index()).expect("index");
    let url = spawn_state(adjust(state_for(index, &tree.dir.path().join("data"))));
    (tree, url)
}

#[test]
fn every_route_of_the_router_is_in_the_openapi_document_and_back() {
    let document: Value = reqwest::blocking::get(format!("{}/api/v1/openapi.json", server()))
        .expect("openapi")
        .json()
        .expect("JSON");
    assert!(document["openapi"]
        .as_str()
        .is_some_and(|version| version.starts_with("3.")));
    let documented: Vec<&str> = document["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .map(String::as_str)
        .collect();
    let routes: Vec<String> = kb::web::route_paths()
        .into_iter()
        .map(|path| path.replace("{*", "{"))
        .collect();
    for route in &routes {
        assert!(
            documented.contains(&route.as_str()),
            "{route} is not in openapi.json"
        );
    }
    for path in &documented {
        assert!(
            routes.iter().any(|route| route == path),
            "{path} is documented but not routed"
        );
    }
}

#[test]
fn health_readiness_and_metrics() {
    let base = server();
    let health: Value = reqwest::blocking::get(format!("{base}/healthz"))
        .expect("healthz")
        .json()
        .expect("JSON");
    assert_eq!(health["status"], "ok");
    let ready: Value = reqwest::blocking::get(format!("{base}/readyz"))
        .expect("readyz")
        .json()
        .expect("JSON");
    assert_eq!(ready["status"], "ready");
    assert!(ready["articles"].as_u64().is_some_and(|count| count > 10));
    let mut pages = Vec::new();
    for query in ["refu", "zzzqqqxx", "refu"] {
        let response =
            reqwest::blocking::get(format!("{base}/api/v1/suggest?q={query}&lang=en")).expect("suggest");
        assert_eq!(response.status().as_u16(), 200);
        pages.push(response.json::<Value>().expect("JSON")["results"].clone());
    }
    assert_eq!(pages[0], pages[2], "a repeated query gets the same page");
    assert!(pages[0].as_array().is_some_and(|results| !results.is_empty()));
    let response = reqwest::blocking::get(format!("{base}/metrics")).expect("metrics");
    assert!(response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/openmetrics-text")));
    let metrics = response.text().expect("text");
    let count = |prefix: &str| -> f64 {
        metrics
            .lines()
            .find(|line| line.starts_with(prefix))
            .and_then(|line| line.rsplit(' ').next())
            .and_then(|value| value.parse().ok())
            .unwrap_or_else(|| panic!("no {prefix} in\n{metrics}"))
    };
    assert!(count(r#"kb_http_requests_total{method="GET",route="/api/v1/suggest",status="200"}"#) >= 2.0);
    assert!(
        count(r#"kb_http_request_duration_seconds_count{method="GET",route="/api/v1/suggest",status="200"}"#)
            >= 2.0
    );
    assert_eq!(count(r#"kb_articles{lang="en"}"#), 10.0);
    assert!(count("kb_suggest_empty_total") >= 1.0);
    assert!(
        count("kb_result_cache_hits_total") >= 1.0,
        "the repeated query came from the cache"
    );
    assert!(count("kb_result_cache_misses_total") >= 2.0);
}

#[test]
fn cors_lets_configured_sites_embed_the_suggestion_box_only() {
    let (_tree, base) = server_with(|state| state.with_cors_origins(vec!["https://www.example.com".into()]));
    let client = Client::new();
    let preflight = |origin: &str| {
        client
            .request(reqwest::Method::OPTIONS, format!("{base}/api/v1/suggest?q=refu"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "GET")
            .send()
            .expect("preflight")
    };
    let allowed = preflight("https://www.example.com");
    assert_eq!(
        allowed
            .headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("https://www.example.com")
    );
    let refused = preflight("https://evil.example.net");
    assert!(refused.headers().get("access-control-allow-origin").is_none());
    let plain = reqwest::blocking::get(format!("{}/api/v1/suggest?q=refu", server())).expect("suggest");
    assert!(
        plain.headers().get("access-control-allow-origin").is_none(),
        "no CORS unless configured"
    );
}

#[test]
fn suggest_is_rate_limited_per_client_and_large_mail_refused() {
    let limits = kb::web::Limits {
        suggest_per_second: 2,
        max_message_bytes: 2_000,
        ..kb::web::Limits::default()
    };
    let (_tree, base) = server_with(|state| state.with_limits(limits));
    let statuses: Vec<u16> = (0..12)
        .map(|_| {
            reqwest::blocking::get(format!("{base}/api/v1/suggest?q=refu&lang=en"))
                .expect("suggest")
                .status()
                .as_u16()
        })
        .collect();
    assert!(
        statuses.starts_with(&[200; 6]),
        "a burst of three seconds' worth passes: {statuses:?}"
    );
    assert!(statuses.contains(&429), "{statuses:?}");
    std::thread::sleep(Duration::from_millis(600));
    let later = reqwest::blocking::get(format!("{base}/api/v1/suggest?q=refu&lang=en")).expect("suggest");
    assert_eq!(later.status().as_u16(), 200, "the allowance refills");

    let big = format!("Subject: refund\r\n\r\n{}", "refund please ".repeat(400));
    let response = Client::new()
        .post(format!("{base}/api/v1/reply"))
        .header("Content-Type", "message/rfc822")
        .body(big)
        .send()
        .expect("reply");
    assert_eq!(response.status().as_u16(), 413);
    let body: Value = response.json().expect("JSON");
    assert_eq!(body["error"]["code"], "too_large");
}

#[test]
fn settings_come_from_kb_toml_then_environment_then_flags() {
    let tree = Tree::with(&FILES[..2]);
    std::fs::write(tree.dir.path().join("kb.toml"), "index = \"from-file\"\n").expect("kb.toml");
    let build = |env: Option<&str>, flag: Option<&str>| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_kb"));
        command
            .arg("build")
            .current_dir(tree.dir.path())
            .env_remove("KB_INDEX");
        if let Some(flag) = flag {
            command.args(["--index", flag]);
        }
        if let Some(env) = env {
            command.env("KB_INDEX", env);
        }
        let output = command.output().expect("kb build");
        assert!(output.status.success(), "{output:?}");
    };
    let built = |name: &str| tree.dir.path().join(name).join("CURRENT").exists();
    build(None, None);
    assert!(built("from-file") && !built("index"));
    build(Some("from-env"), None);
    assert!(built("from-env"));
    build(Some("from-env-2"), Some("from-flag"));
    assert!(built("from-flag") && !built("from-env-2"));

    std::fs::write(tree.dir.path().join("kb.toml"), "indx = \"typo\"\n").expect("kb.toml");
    let output = tree.kb(&["build"]);
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("kb.toml") && message.contains("unknown setting `indx`"),
        "{message}"
    );
}

/// GETs `url` until `done` holds for the JSON body or `seconds` pass; returns the last body.
fn poll(url: &str, seconds: u64, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(seconds);
    loop {
        let body: Value = reqwest::blocking::get(url)
            .expect("request")
            .json()
            .expect("JSON");
        if done(&body) || std::time::Instant::now() > deadline {
            return body;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn edits_go_live_by_themselves_and_broken_edits_keep_the_last_good_index() {
    let tree = Tree::with(&FILES[..3]);
    let mut served = crate::common::start_kb_serve(&tree, &["--admin-token", "t0ken"]);
    let base = format!("http://{}", served.addr);
    let suggest = format!("{base}/api/v1/suggest?q=zebra&lang=en");
    let first_title = |body: &Value| {
        body["results"][0]["title"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };

    // Asked before the edit, so that the page without the new article is in the result cache.
    let before: Value = reqwest::blocking::get(&suggest)
        .expect("suggest")
        .json()
        .expect("JSON");
    assert_ne!(first_title(&before), "Zebra cards");
    tree.write(
        "en/billing/card.md",
        b"---\ntitle: Zebra cards\n---\nThe card on file pays every invoice.\n",
    );
    let body = poll(&suggest, 10, |body| first_title(body) == "Zebra cards");
    assert_eq!(first_title(&body), "Zebra cards", "the edit went live: {body}");

    tree.write("en/billing/card.md", b"---\ntitle: [unclosed\n---\nBroken.\n");
    let log_line = (0..1000)
        .map(|_| served.next_log_line())
        .find(|line| line.contains("article error"))
        .expect("the check error is logged");
    assert!(
        log_line.contains("en/billing/card.md:3:1: error: invalid YAML"),
        "file and line: {log_line}"
    );
    let body: Value = reqwest::blocking::get(&suggest)
        .expect("suggest")
        .json()
        .expect("JSON");
    assert_eq!(
        first_title(&body),
        "Zebra cards",
        "the last good index still serves"
    );
    let metrics = reqwest::blocking::get(format!("{base}/metrics"))
        .expect("metrics")
        .text()
        .expect("text");
    let counter = |name: &str| -> u64 {
        metrics
            .lines()
            .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in {metrics}"))
    };
    // A save can arrive as several file events; each burst is at least one reload.
    assert!(counter("kb_reloads_total ") >= 1, "{metrics}");
    assert!(counter("kb_reload_failures_total ") >= 1, "{metrics}");

    let client = Client::new();
    let refused = client
        .post(format!("{base}/api/v1/admin/reload"))
        .send()
        .expect("reload");
    assert_eq!(refused.status().as_u16(), 401);
    let rejected: Value = client
        .post(format!("{base}/api/v1/admin/reload"))
        .bearer_auth("t0ken")
        .send()
        .expect("reload")
        .json()
        .expect("JSON");
    assert_eq!(rejected["status"], "rejected", "{rejected}");
    assert!(
        rejected["errors"][0]
            .as_str()
            .is_some_and(|error| error.contains("card.md:3")),
        "{rejected}"
    );

    tree.write(
        "en/billing/card.md",
        b"---\ntitle: Card\n---\nThe card on file pays every invoice.\n",
    );
    let reloaded: Value = client
        .post(format!("{base}/api/v1/admin/reload"))
        .bearer_auth("t0ken")
        .send()
        .expect("reload")
        .json()
        .expect("JSON");
    assert_eq!(reloaded["status"], "reloaded", "{reloaded}");
    assert_eq!(reloaded["articles"], 3);
}

#[test]
fn a_server_started_on_a_built_index_updates_it_on_the_first_edit() {
    let tree = Tree::with(&FILES[..3]);
    // Files saved in the second of the build (the catalog's resolution) are read again to be safe.
    std::thread::sleep(Duration::from_millis(1100));
    assert!(tree.kb(&["build"]).status.success());
    let mut served = crate::common::start_kb_serve(&tree, &[]);
    let watching = (0..50)
        .map(|_| served.next_log_line())
        .any(|line| line.contains("watching the articles"));
    assert!(watching, "the server watches the folder");
    // The server reads the folder once after start; an edit after that is an update.
    std::thread::sleep(Duration::from_millis(500));
    tree.write(
        "en/billing/card.md",
        b"---\ntitle: Zebra cards\n---\nThe card on file pays every invoice.\n",
    );
    let updated = (0..200)
        .map(|_| served.next_log_line())
        .find(|line| line.contains("index updated") || line.contains("index reloaded"))
        .expect("a reload");
    assert!(
        updated.contains("index updated") && updated.contains("analysed=1"),
        "only the edited article is analysed again: {updated}"
    );
    // The update is logged before the new index is swapped in.
    let suggest = format!("http://{}/api/v1/suggest?q=zebra&lang=en", served.addr);
    let body = poll(&suggest, 10, |body| body["results"][0]["title"] == "Zebra cards");
    assert_eq!(body["results"][0]["title"], "Zebra cards", "{body}");
}

/// Writes `count` generated articles into `tree` (enough to make a build take a while).
/// Writes `count` English articles into `folder`.
fn write_many(folder: &std::path::Path, count: usize) {
    std::fs::create_dir_all(folder).expect("folder");
    for n in 0..count {
        let body = format!(
            "---\ntitle: Generated article {n}\n---\nInvoices, refunds and payments number {n} explained.\n\n## Details {n}\n{}\n",
            "More words about invoices and payment reminders. ".repeat(20)
        );
        std::fs::write(folder.join(format!("article-{n}.md")), body).expect("article written");
    }
}

#[test]
fn kill_9_during_a_build_leaves_the_previous_index_served() {
    let tree = Tree::with(&FILES[..3]);
    assert!(tree.kb(&["build"]).status.success());
    let before = std::fs::read_to_string(tree.index().join("CURRENT")).expect("CURRENT");
    write_many(&tree.articles().join("en/generated"), 400);
    let mut build = std::process::Command::new(env!("CARGO_BIN_EXE_kb"))
        .arg("build")
        .current_dir(tree.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("kb build");
    // Kill it once it has started writing the new generation.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !std::fs::read_dir(tree.index())
        .expect("index dir")
        .flatten()
        .any(|entry| entry.file_name().to_string_lossy().starts_with(".building-"))
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the build never started writing"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    build.kill().expect("kill -9");
    build.wait().expect("reaped");
    assert_eq!(
        std::fs::read_to_string(tree.index().join("CURRENT")).expect("CURRENT"),
        before,
        "CURRENT still names the previous generation"
    );
    let index = kb::index::OpenIndex::open(&tree.index()).expect("the previous index opens");
    assert_eq!(index.catalog.articles.len(), 3);
    let output = tree.kb(&["search", "refund", "--lang", "en"]);
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("billing/refunds"),
        "{output:?}"
    );
    assert!(tree.kb(&["build"]).status.success(), "the next build succeeds");
    let leftovers = std::fs::read_dir(tree.index())
        .expect("index dir")
        .flatten()
        .filter(|entry| entry.file_name().to_string_lossy().starts_with(".building-"))
        .count();
    assert_eq!(leftovers, 0, "the next build removes the killed one's files");
}

#[test]
fn kill_9_during_a_reload_leaves_an_index_the_next_start_serves() {
    let tree = Tree::with(&FILES[..3]);
    let mut served = crate::common::start_kb_serve(&tree, &[]);
    // All 1,500 arrive at once (one rename), so that one reload builds them all, however slowly
    // the machine writes them, and long enough (a release build indexes 400 in about 0.1 s) for
    // the test's looks to catch it on a loaded machine.
    let staging = tree.articles().with_file_name("staging");
    write_many(&staging, 1500);
    std::fs::rename(&staging, tree.articles().join("en/generated")).expect("moved in");
    // Wait until the reload is building, then kill the server.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while !std::fs::read_dir(tree.index())
        .expect("index dir")
        .flatten()
        .any(|entry| entry.file_name().to_string_lossy().starts_with(".building-"))
    {
        assert!(std::time::Instant::now() < deadline, "no reload started");
        std::thread::sleep(Duration::from_millis(5));
    }
    served.child.kill().expect("kill -9");
    served.child.wait().expect("reaped");
    kb::index::OpenIndex::open(&tree.index()).expect("an index that opens");

    let restarted = crate::common::start_kb_serve(&tree, &[]);
    let body: Value =
        reqwest::blocking::get(format!("http://{}/api/v1/suggest?q=refu&lang=en", restarted.addr))
            .expect("suggest")
            .json()
            .expect("JSON");
    assert!(
        body["results"]
            .as_array()
            .is_some_and(|results| !results.is_empty()),
        "{body}"
    );
}

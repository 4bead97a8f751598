//! The pages in a real headless Chromium, driven through chromedriver (both from Debian, installed
//! by `.ci/run`): typing into the suggestion box with typos in three languages, keyboard
//! navigation to a section anchor, the results page without JavaScript, inert article payloads,
//! the feedback buttons, and screenshots of the sample help center.
//!
//! The server serves a copy of the sample help center (`articles/`) plus one article full of
//! script payloads.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use tempfile::TempDir;

use crate::common::{copy_sample_articles, spawn_server, Tree, ADMIN_TOKEN};

/// An article that tries to run script from its title and body.
const PAYLOAD_ARTICLE: &str = "---
title: \"Payloads <script>window.kbInjected = 'title'</script> in invoice notes\"
section: Security
---
An invoice note can hold <img src=x onerror=\"window.kbInjected = 'img'\"> or
<script>window.kbInjected = 'body'</script> and stays inert, as does
<a href=\"javascript:window.kbInjected = 'link'\">a javascript link</a>.

## Script tags in notes
Notes like `<script>alert(1)</script>` are shown as text.
";

/// How long to wait for the page to reach an expected state.
const PATIENCE: Duration = Duration::from_secs(15);

/// The server of this module: the sample help center plus the payload article.
fn server() -> &'static str {
    static SERVER: OnceLock<(Tree, String)> = OnceLock::new();
    let (_, url) = SERVER.get_or_init(|| {
        let tree = Tree::new();
        copy_sample_articles(&tree.articles());
        tree.write("en/security/payloads.md", PAYLOAD_ARTICLE.as_bytes());
        let output = tree.kb(&["build"]);
        assert!(output.status.success(), "{output:?}");
        let index = kb::index::OpenIndex::open(&tree.index()).expect("index opens");
        let url = spawn_server(index, &tree.dir.path().join("data"));
        (tree, url)
    });
    url
}

/// A headless Chromium session through its own chromedriver, closed (and the driver killed) on
/// drop. Methods block until the browser has answered.
struct Browser {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
    _profile: TempDir,
}

impl Browser {
    /// A fresh browser (new profile, 900×700 window), with or without JavaScript.
    fn start(javascript: bool) -> Browser {
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (apt-get install chromium chromium-driver; see .ci/run)");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut args = vec![
            "--headless".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--no-first-run".to_string(),
            "--window-size=900,700".to_string(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        if !javascript {
            args.push("--blink-settings=scriptEnabled=false".to_string());
        }
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "args": args, "binary": chromium_binary() },
        });
        let capabilities = match capabilities {
            Value::Object(map) => map,
            _ => unreachable!("a JSON object literal"),
        };
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        let deadline = Instant::now() + PATIENCE;
        let client = loop {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            let attempt = runtime.block_on(
                ClientBuilder::new(connector)
                    .capabilities(capabilities.clone())
                    .connect(&format!("http://127.0.0.1:{port}")),
            );
            match attempt {
                Ok(client) => break client,
                Err(error) if Instant::now() > deadline => panic!("no browser session: {error}"),
                Err(_) => std::thread::sleep(Duration::from_millis(100)),
            }
        };
        Browser {
            runtime,
            client: Some(client),
            driver,
            _profile: profile,
        }
    }

    fn client(&self) -> &Client {
        self.client.as_ref().expect("session open until drop")
    }

    /// Opens `path` of the test server.
    fn open(&self, path: &str) {
        let url = format!("{}{path}", server());
        self.runtime
            .block_on(self.client().goto(&url))
            .expect("page loads");
    }

    /// Types `text` (which may hold [`Key`]s) into the element `css`.
    fn type_into(&self, css: &str, text: &str) {
        self.runtime
            .block_on(async { self.client().find(Locator::Css(css)).await?.send_keys(text).await })
            .expect("typing");
    }

    /// Clicks the element `css`.
    fn click(&self, css: &str) {
        self.runtime
            .block_on(async { self.client().find(Locator::Css(css)).await?.click().await })
            .expect("click");
    }

    /// The value of a JavaScript expression.
    fn eval(&self, expression: &str) -> Value {
        self.runtime
            .block_on(
                self.client()
                    .execute(&format!("return ({expression});"), Vec::new()),
            )
            .expect("script runs")
    }

    /// Waits until the JavaScript expression is truthy; panics with `what` after [`PATIENCE`].
    fn wait_until(&self, expression: &str, what: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let value = self
                .runtime
                .block_on(
                    self.client()
                        .execute(&format!("return !!({expression});"), Vec::new()),
                )
                .unwrap_or(Value::Bool(false));
            if value == Value::Bool(true) {
                return;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The path of the page's current URL.
    fn path(&self) -> String {
        self.runtime
            .block_on(self.client().current_url())
            .expect("current url")
            .path()
            .to_string()
    }

    /// Saves a PNG of the viewport as `name` in the screenshot folder.
    fn screenshot(&self, name: &str) -> PathBuf {
        let png = self
            .runtime
            .block_on(self.client().screenshot())
            .expect("screenshot");
        assert!(png.starts_with(b"\x89PNG"), "a PNG");
        let path = screenshot_dir().join(name);
        std::fs::write(&path, png).expect("write screenshot");
        path
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// Chromium as Debian installs it, or `$CHROMIUM`.
fn chromium_binary() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_string())
}

/// A TCP port that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// Where screenshots go: `$KB_SCREENSHOTS` (the README's are made with
/// `KB_SCREENSHOTS=docs/screenshots`), else a folder under the target directory.
fn screenshot_dir() -> PathBuf {
    let dir = std::env::var_os("KB_SCREENSHOTS").map_or_else(
        || Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    dir
}

/// The first suggestion's title markup, once suggestions are shown.
fn first_suggestion_title(browser: &Browser) -> String {
    browser.wait_until(
        "document.querySelector('#suggestions:not([hidden]) [role=option] .suggestion-title')",
        "suggestions",
    );
    browser
        .eval("document.querySelector('#suggestions [role=option] .suggestion-title').innerHTML")
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn half_typed_words_with_typos_suggest_the_article_with_marks_in_three_languages() {
    let browser = Browser::start(true);
    let cases = [
        (
            "en",
            "pasword res",
            "<mark>Res</mark>et your <mark>password</mark>",
        ),
        (
            "nl",
            "abonement opz",
            "Je <mark>abonnement</mark> <mark>opz</mark>eggen",
        ),
        (
            "de",
            "Rechnung erstelen und herunt",
            "<mark>Rechnung</mark> <mark>erstellen</mark> und <mark>herunt</mark>erladen",
        ),
    ];
    for (lang, typed, expected_title) in cases {
        browser.open(&format!("/{lang}/"));
        browser.type_into("#q", typed);
        let title = first_suggestion_title(&browser);
        assert_eq!(title, expected_title, "{lang}: {typed}");
        assert_eq!(
            browser.eval("document.querySelector('#q').getAttribute('aria-expanded')"),
            json!("true")
        );
        assert_eq!(
            browser.eval("document.querySelector('#suggestions').getAttribute('role')"),
            json!("listbox")
        );
    }
}

#[test]
fn arrow_down_and_enter_open_the_suggested_section_and_escape_closes() {
    let browser = Browser::start(true);
    browser.open("/nl/");
    browser.type_into("#q", "terugbetalngen ho");
    first_suggestion_title(&browser);
    let expected = browser.eval("document.querySelector('#suggestions [role=option] a').href");
    browser.type_into("#q", &Key::Down.to_string());
    browser.wait_until(
        "document.querySelector('#q').getAttribute('aria-activedescendant') === 'suggestions-0' && document.querySelector('#suggestions-0').getAttribute('aria-selected') === 'true'",
        "the first suggestion to be selected",
    );
    browser.type_into("#q", &Key::Escape.to_string());
    browser.wait_until(
        "document.querySelector('#suggestions').hidden",
        "Escape to close the list",
    );

    browser.type_into("#q", &format!("{}o", Key::Backspace));
    browser.wait_until(
        &format!("document.querySelector('#suggestions:not([hidden]) [role=option] a').href === {expected}"),
        "the suggestions of the same query again",
    );
    browser.type_into("#q", &(Key::Down + &Key::Enter.to_string()));
    browser.wait_until(
        "location.pathname.startsWith('/nl/articles/')",
        "the article page",
    );
    assert_eq!(browser.eval("location.href"), expected);
    assert_eq!(browser.path(), "/nl/articles/billing/refunds");
    assert_eq!(
        browser.eval("location.hash"),
        json!("#hoe-lang-duurt-een-terugbetaling")
    );
    browser.wait_until("window.scrollY > 0", "the page to scroll");
    let top = browser
        .eval("document.getElementById('hoe-lang-duurt-een-terugbetaling').getBoundingClientRect().top");
    let top = top.as_f64().expect("a number");
    assert!(
        (-2.0..80.0).contains(&top),
        "the section heading is at the top, at {top}px"
    );
}

#[test]
fn when_suggest_fails_enter_still_opens_the_results_page() {
    let browser = Browser::start(true);
    browser.open("/en/");
    browser.eval("window.fetch = () => Promise.reject(new Error('offline')), true");
    browser.type_into("#q", "refund");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        browser.eval("document.querySelector('#suggestions').hidden"),
        json!(true)
    );
    browser.type_into("#q", &Key::Enter.to_string());
    browser.wait_until("location.pathname === '/en/search'", "the results page");
    browser.wait_until("document.querySelector('.results .result-title mark')", "results");
}

#[test]
fn pages_fit_a_phone_screen() {
    let browser = Browser::start(true);
    browser
        .runtime
        .block_on(browser.client().set_window_size(390, 844))
        .expect("resize");
    for path in ["/en/", "/de/articles/billing/refunds", "/fr/search?q=facture"] {
        browser.open(path);
        browser.wait_until("document.readyState === 'complete'", "the page");
        let overflow =
            browser.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assert_eq!(overflow, json!(0), "{path} scrolls sideways on a phone");
    }
}

#[test]
fn enter_without_a_selection_opens_the_results_page() {
    let browser = Browser::start(true);
    browser.open("/en/");
    browser.type_into("#q", "refund");
    first_suggestion_title(&browser);
    browser.type_into("#q", &Key::Enter.to_string());
    browser.wait_until("location.pathname === '/en/search'", "the results page");
    assert_eq!(
        browser.eval("new URLSearchParams(location.search).get('q')"),
        json!("refund")
    );
    browser.wait_until(
        "document.querySelector('.results .result-title mark')",
        "highlighted results",
    );
}

#[test]
fn the_results_page_works_with_javascript_off() {
    let browser = Browser::start(false);
    browser.open("/de/");
    browser.type_into("#q", &format!("rückerstattung dauer{}", Key::Enter));
    let deadline = Instant::now() + PATIENCE;
    while browser.path() != "/de/search" {
        assert!(Instant::now() < deadline, "the form did not submit");
        std::thread::sleep(Duration::from_millis(50));
    }
    let html = browser.runtime.block_on(async {
        browser
            .client()
            .find(Locator::Css("ol.results"))
            .await?
            .html(false)
            .await
    });
    let html = html.expect("a results list");
    assert!(html.contains("/de/articles/billing/refunds"), "{html}");
    assert!(html.contains("<mark>"), "{html}");
    let suggestions = browser.runtime.block_on(async {
        browser
            .client()
            .find(Locator::Css("#suggestions"))
            .await?
            .attr("hidden")
            .await
    });
    assert!(
        suggestions.expect("the list exists").is_some(),
        "no script, no suggestions"
    );
}

#[test]
fn article_payloads_stay_inert_text_on_the_page_and_in_suggestions() {
    let browser = Browser::start(true);
    browser.open("/en/articles/security/payloads");
    browser.wait_until("document.readyState === 'complete'", "the page to load");
    assert_eq!(browser.eval("typeof window.kbInjected"), json!("undefined"));
    let heading = browser.eval("document.querySelector('article h1').textContent");
    assert!(
        heading.as_str().unwrap_or_default().contains("<script>"),
        "the title shows its tag as text: {heading}"
    );
    assert_eq!(
        browser.eval("document.querySelectorAll('main script, [onerror], a[href^=javascript]').length"),
        json!(0)
    );

    browser.type_into("#q", "payloads scri");
    let title = first_suggestion_title(&browser);
    assert!(
        title.contains("&lt;") && !title.contains("<script"),
        "escaped in the suggestion: {title}"
    );
    let shown = browser.eval("document.querySelector('#suggestions .suggestion-title').textContent");
    assert!(shown.as_str().unwrap_or_default().contains("<script>"), "{shown}");
    assert_eq!(browser.eval("typeof window.kbInjected"), json!("undefined"));
}

#[test]
fn the_yes_button_stores_feedback() {
    let browser = Browser::start(true);
    browser.open("/fr/articles/account/reset-password");
    browser.click("#feedback button[value=true]");
    browser.wait_until(
        "!document.querySelector('#feedback [data-thanks]').hidden",
        "the thanks",
    );
    let stats: Value = reqwest::blocking::Client::new()
        .get(format!("{}/api/v1/stats", server()))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .expect("stats")
        .json()
        .expect("JSON");
    let counted = stats["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .find(|count| count["id"] == "account/reset-password" && count["lang"] == "fr")
        .cloned();
    assert_eq!(
        counted,
        Some(json!({"id": "account/reset-password", "lang": "fr", "helpful": 1, "unhelpful": 0}))
    );
}

#[test]
fn screenshots_of_home_suggestions_article_and_fallback_notice() {
    let browser = Browser::start(true);
    browser.open("/en/");
    browser.wait_until(
        "document.querySelectorAll('.category').length > 3",
        "the categories",
    );
    browser.screenshot("home.png");

    browser.type_into("#q", "how do I get my money ba");
    first_suggestion_title(&browser);
    browser.screenshot("suggestions.png");

    browser.open("/de/articles/billing/refunds#wie-lange-dauert-eine-erstattung");
    browser.wait_until("document.querySelector('article h2')", "the article");
    browser.screenshot("article.png");

    browser.open("/nl/articles/account/delete-account");
    browser.wait_until("document.querySelector('.notice')", "the fallback notice");
    let notice = browser.eval("document.querySelector('.notice').textContent");
    assert!(
        notice.as_str().unwrap_or_default().contains("Nederlands"),
        "{notice}"
    );
    browser.screenshot("fallback.png");
}

#[test]
fn an_emails_link_to_a_section_with_a_non_ascii_heading_opens_that_section() {
    // The links of an e-mail reply are percent-encoded, so that a plain-text mail client does not
    // end them at the first "ć"; the browser decodes the fragment to find the section.
    let reply: Value = reqwest::blocking::Client::new()
        .post(format!("{}/api/v1/reply", server()))
        .json(&json!({"text": "Dzień dobry, zapomniałem hasła. Jak mogę je zresetować?", "lang": "pl"}))
        .send()
        .expect("reply answers")
        .json()
        .expect("reply is JSON");
    let url = reply["links"][0]["url"].as_str().expect("a link");
    assert!(url.is_ascii() && url.contains("#jak-zresetowa%C4%87"), "{url}");
    let path = &url[url.find("/pl/articles/").expect("an article path")..];
    let browser = Browser::start(true);
    browser.open(path);
    browser.wait_until("document.querySelector(':target')", "a section to be the target");
    assert_eq!(
        browser.eval("document.querySelector(':target').id"),
        json!("jak-zresetować-zapomniane-hasło")
    );
}

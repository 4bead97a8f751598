//! Search analytics through the real server over the sample help center: typing bursts, clicks,
//! results-page searches and e-mails without links become the expected `kb gaps` and `kb stats`;
//! nothing personal reaches the store; purge empties it; admin pages refuse without the token.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use serde_json::{json, Value};

use crate::common::{copy_sample_articles, spawn_state, state_for, Tree, ADMIN_TOKEN};

/// The sender of the unanswerable e-mail; must never be stored.
const SENDER: &str = "jane.doe@example.com";

/// A server over the sample help center whose typing bursts end after 300 ms, after the traffic
/// below; returns its tree and URL.
fn traffic() -> &'static (Tree, String) {
    static SERVER: OnceLock<(Tree, String)> = OnceLock::new();
    SERVER.get_or_init(|| {
        let tree = Tree::new();
        copy_sample_articles(&tree.articles());
        assert!(tree.kb(&["build"]).status.success());
        let index = kb::index::OpenIndex::open(&tree.index()).expect("index");
        let state =
            state_for(index, &tree.dir.path().join("data")).with_burst_idle(Duration::from_millis(300));
        let url = spawn_state(state);
        generate_traffic(&url);
        (tree, url)
    })
}

/// Types `keystrokes` (each the whole box content) into the suggestion box of session `sid`.
fn type_burst(client: &Client, url: &str, sid: &str, lang: &str, keystrokes: &[&str]) -> Value {
    let mut last = Value::Null;
    for typed in keystrokes {
        last = client
            .get(format!("{url}/api/v1/suggest"))
            .query(&[("q", *typed), ("lang", lang), ("sid", sid)])
            .send()
            .expect("suggest")
            .json()
            .expect("JSON");
    }
    last
}

fn generate_traffic(url: &str) {
    let client = Client::new();
    // One question, five wordings: a typed burst, a typo, an inflection, word order, a page.
    type_burst(
        &client,
        url,
        "a",
        "en",
        &[
            "ho",
            "how do i ex",
            "how do i export to xer",
            "how do i export to xero",
        ],
    );
    type_burst(&client, url, "b", "en", &["expot to xero"]);
    type_burst(&client, url, "c", "en", &["exporting to xero"]);
    type_burst(&client, url, "d", "en", &["xero export"]);
    let page = client
        .get(format!("{url}/en/search"))
        .query(&[("q", "Export to Xero")])
        .send()
        .expect("results page");
    assert_eq!(page.status().as_u16(), 200);
    // Found nothing, twice, in two wordings.
    type_burst(&client, url, "e", "en", &["zzqx blorf"]);
    type_burst(&client, url, "f", "en", &["blorf zzqx"]);
    // Answered: the customer clicked.
    let found = type_burst(&client, url, "g", "en", &["refun", "refund"]);
    let clicked = found["results"][0]["id"]
        .as_str()
        .expect("a refund article")
        .to_string();
    let click = client
        .post(format!("{url}/api/v1/click"))
        .json(&json!({"id": clicked, "lang": "en", "query": "refund", "sid": "g"}))
        .send()
        .expect("click");
    assert_eq!(click.status().as_u16(), 204);
    // A Dutch customer gets an untranslated article.
    type_burst(&client, url, "h", "nl", &["rec", "receipts"]);
    // An e-mail nothing answers.
    let reply: Value = client
        .post(format!("{url}/api/v1/reply"))
        .json(&json!({
            "from": format!("Jane Doe <{SENDER}>"),
            "subject": "Bitcoin payments",
            "text": "Hello, my name is Jane Doe. Can I pay my invoices with bitcoin or another cryptocurrency? Thanks, Jane",
        }))
        .send()
        .expect("reply")
        .json()
        .expect("JSON");
    assert_eq!(reply["links"], json!([]), "{reply}");
    // Bursts end 300 ms after their last keystroke; the server stores them within a second.
    std::thread::sleep(Duration::from_millis(1_600));
}

/// `kb <args>` in the traffic tree, parsed as JSON.
fn kb_json(args: &[&str]) -> Value {
    let (tree, _) = traffic();
    let output = tree.kb(args);
    assert!(output.status.success(), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("JSON output")
}

fn gap_for<'a>(gaps: &'a Value, wording: &str) -> Option<&'a Value> {
    gaps.as_array()?.iter().find(|gap| {
        gap["query"] == wording
            || gap["variants"]
                .as_array()
                .is_some_and(|v| v.iter().any(|w| w == wording))
    })
}

#[test]
fn gaps_group_variants_of_one_question_and_leave_out_answered_ones() {
    let deadline = Instant::now() + Duration::from_secs(10);
    let gaps = loop {
        let gaps = kb_json(&["gaps", "--format", "json"]);
        if gap_for(&gaps, "how do i export to xero").is_some_and(|gap| gap["count"] == 5)
            || Instant::now() > deadline
        {
            break gaps;
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    let export = gap_for(&gaps, "how do i export to xero").unwrap_or_else(|| panic!("{gaps:#}"));
    assert_eq!(export["count"], 5, "{export:#}");
    assert_eq!(export["languages"], json!(["en"]));
    assert_eq!(export["sources"], json!(["suggest", "page"]));
    for wording in [
        "expot to xero",
        "exporting to xero",
        "xero export",
        "export to xero",
    ] {
        assert!(
            gap_for(&gaps, wording).is_some_and(|gap| gap == export),
            "{wording}: {gaps:#}"
        );
    }
    assert!(export["closest"]["id"].is_string(), "{export:#}");
    assert_eq!(gaps[0], *export, "the most asked first");

    let nothing = gap_for(&gaps, "zzqx blorf")
        .or_else(|| gap_for(&gaps, "blorf zzqx"))
        .expect("zero results");
    assert_eq!(
        (nothing["count"].as_u64(), nothing["no_results"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(nothing["closest"], Value::Null);

    let email = gaps
        .as_array()
        .expect("list")
        .iter()
        .find(|gap| gap["sources"] == json!(["email"]))
        .unwrap_or_else(|| panic!("the e-mail topic: {gaps:#}"));
    assert!(
        email["query"].as_str().unwrap_or_default().contains("pay"),
        "{email:#}"
    );

    let texts = gaps.to_string();
    assert!(!texts.contains("refun"), "answered searches are no gaps: {texts}");
    assert!(
        !texts.contains("how do i ex\""),
        "keystrokes are not searches: {texts}"
    );

    let text = traffic().0.kb(&["gaps", "--lang", "en"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|line| line.contains("how do i export to xero")),
        "{text}"
    );
    let csv = traffic().0.kb(&["gaps", "--format", "csv"]);
    let csv = String::from_utf8_lossy(&csv.stdout);
    assert!(
        csv.starts_with("count,no_results,no_click,query,languages,sources,variants,closest\n"),
        "{csv}"
    );
}

#[test]
fn stats_count_finished_searches_impressions_clicks_and_untranslated_demand() {
    std::thread::sleep(Duration::from_millis(100));
    let stats = kb_json(&["stats", "--format", "json"]);
    let languages = stats["languages"].as_array().expect("languages");
    let en = languages.iter().find(|row| row["lang"] == "en").expect("en");
    // 4 export bursts and the page search, 2 nothing bursts, the refund burst, the e-mail: 9
    // searches; the keystrokes inside the bursts are not counted.
    assert_eq!(en["searches"], 9, "{stats:#}");
    assert_eq!(
        en["zero_results"], 3,
        "two nothing bursts and the e-mail: {stats:#}"
    );
    let refunds = stats["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .find(|row| row["id"] == "billing/refunds" && row["lang"] == "en")
        .expect("refunds");
    assert_eq!(refunds["clicks"], 1, "{refunds:#}");
    assert!(refunds["impressions"].as_u64().unwrap_or_default() >= 1);
    let todo = stats["translations"].as_array().expect("translations");
    assert!(
        todo.iter()
            .any(|row| row["lang"] == "nl" && row["id"] == "expenses/receipt-scanning"),
        "nl lacks receipt-scanning: {todo:?}"
    );
}

#[test]
fn nothing_personal_is_stored() {
    let (tree, _) = traffic();
    std::thread::sleep(Duration::from_millis(100));
    let mut stored = Vec::new();
    for entry in std::fs::read_dir(tree.dir.path().join("data")).expect("data folder") {
        stored.extend(std::fs::read(entry.expect("entry").path()).expect("read"));
    }
    let stored = String::from_utf8_lossy(&stored).to_lowercase();
    assert!(stored.contains("export to xero"), "the store holds the searches");
    for personal in [SENDER, "jane", "doe", "bitcoin", "127.0.0.1"] {
        assert!(!stored.contains(personal), "{personal} is in the store");
    }
}

#[test]
fn admin_pages_refuse_without_the_token_and_chart_the_zero_result_rate() {
    let (_, url) = traffic();
    let client = Client::new();
    let refused = client.get(format!("{url}/admin/")).send().expect("admin");
    assert_eq!(refused.status().as_u16(), 401);
    assert_eq!(
        refused
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok()),
        Some("Basic realm=\"kb admin\"")
    );
    let wrong = client
        .get(format!("{url}/admin/"))
        .basic_auth("admin", Some("wrong"))
        .send()
        .expect("admin");
    assert_eq!(wrong.status().as_u16(), 401);
    let page = client
        .get(format!("{url}/admin/?days=7"))
        .basic_auth("admin", Some(ADMIN_TOKEN))
        .send()
        .expect("admin")
        .text()
        .expect("html");
    assert!(
        page.contains("Content gaps") && page.contains("how do i export to xero"),
        "{page}"
    );
    assert!(
        page.contains(r#"<polyline fill="none""#) && page.contains(r#"data-lang="en""#),
        "{page}"
    );
    let bearer = client
        .get(format!("{url}/admin/?lang=nl"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .expect("admin");
    assert_eq!(bearer.status().as_u16(), 200);
}

#[test]
fn results_page_clicks_count_and_purge_removes_recorded_searches() {
    let tree = Tree::new();
    copy_sample_articles(&tree.articles());
    assert!(tree.kb(&["build"]).status.success());
    let index = kb::index::OpenIndex::open(&tree.index()).expect("index");
    let url = spawn_state(state_for(index, &tree.dir.path().join("data")));
    let page = reqwest::blocking::get(format!("{url}/en/search?q=zzqx")).expect("page");
    assert_eq!(page.status().as_u16(), 200);
    // A results-page click is reported against the search the page carries.
    let html = reqwest::blocking::get(format!("{url}/en/search?q=refund"))
        .expect("page")
        .text()
        .expect("html");
    let search_id: i64 = html
        .split("data-search=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("the results list carries its search id: {html}"));
    let click = Client::new()
        .post(format!("{url}/api/v1/click"))
        .json(&json!({"id": "billing/refunds", "lang": "en", "search": search_id}))
        .send()
        .expect("click");
    assert_eq!(click.status().as_u16(), 204);
    let stats = tree.kb(&["stats", "--format", "json"]);
    let stats: Value = serde_json::from_slice(&stats.stdout).expect("JSON");
    let refunds = stats["articles"]
        .as_array()
        .expect("articles")
        .iter()
        .find(|row| row["id"] == "billing/refunds" && row["lang"] == "en")
        .cloned()
        .unwrap_or_default();
    assert_eq!(refunds["clicks"], 1, "{stats:#}");
    let gaps = |tree: &Tree| {
        let output = tree.kb(&["gaps", "--format", "json"]);
        assert!(output.status.success(), "{output:?}");
        serde_json::from_slice::<Value>(&output.stdout).expect("JSON")
    };
    assert_eq!(gaps(&tree).as_array().map(Vec::len), Some(1));
    let output = tree.kb(&["analytics", "purge", "--older-than", "30d"]);
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("deleted 0 searches"),
        "{output:?}"
    );
    let output = tree.kb(&["analytics", "purge"]);
    assert!(
        String::from_utf8_lossy(&output.stdout).contains("deleted 2 searches"),
        "{output:?}"
    );
    assert_eq!(gaps(&tree), json!([]));
}

#[test]
fn the_cli_pipe_records_the_topic_of_unanswered_mail_only() {
    use std::io::Write;
    let tree = Tree::new();
    copy_sample_articles(&tree.articles());
    assert!(tree.kb(&["build"]).status.success());
    let message = format!(
        "From: Jane Doe <{SENDER}>\r\nSubject: Bitcoin invoices\r\n\r\nCan I send my invoices in bitcoin? Jane Doe\r\n"
    );
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kb"))
        .args(["reply", "--data", "data"])
        .current_dir(tree.dir.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("kb reply");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(message.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    assert!(output.status.success(), "{output:?}");
    let gaps = tree.kb(&["gaps", "--format", "json"]);
    let gaps: Value = serde_json::from_slice(&gaps.stdout).expect("JSON");
    assert_eq!(gaps[0]["sources"], json!(["email"]), "{gaps:#}");
    assert!(
        gaps[0]["query"].as_str().unwrap_or_default().contains("invoices"),
        "{gaps:#}"
    );
    assert!(
        !gaps.to_string().contains("jane") && !gaps.to_string().contains("doe"),
        "{gaps:#}"
    );
}

#[test]
fn explain_shows_the_version_a_translation_was_found_through() {
    // English words on a German page find the English refunds article, shown in German; a German
    // word on the English page finds the German one, shown in English. Explain lists what the
    // version found matched and says where it is shown.
    for (query, page, found, word) in [
        ("how long does a refund take", "de", "en", "refund"),
        ("Rückerstattungen", "en", "de", "ruckerstattungen"),
    ] {
        let explained: Value = Client::new()
            .get(format!("{}/api/v1/explain", crate::server::server()))
            .query(&[("q", query), ("lang", page)])
            .bearer_auth(crate::common::ADMIN_TOKEN)
            .send()
            .expect("explain")
            .json()
            .expect("JSON");
        let first = &explained["results"][0];
        assert_eq!(
            (&first["id"], &first["lang"]),
            (&json!("billing/refunds"), &json!(found)),
            "{first:#}"
        );
        assert!(
            first["matches"]
                .as_array()
                .is_some_and(|matches| matches.iter().any(|m| m["word"] == word)),
            "{first:#}"
        );
        let shown = format!("shown in its {page} version");
        assert!(
            first["factors"].as_array().is_some_and(|factors| factors
                .iter()
                .any(|f| f.as_str().is_some_and(|f| f.starts_with(&shown)))),
            "{first:#}"
        );
    }
}

#[test]
fn explain_shows_expansions_matches_and_why_an_article_is_low() {
    let base = crate::server::server();
    let client = Client::new();
    let url = format!("{base}/api/v1/explain");
    let refused = client
        .get(&url)
        .query(&[("q", "refund")])
        .send()
        .expect("explain");
    assert_eq!(refused.status().as_u16(), 401);

    let explained: Value = client
        .get(&url)
        .query(&[
            ("q", "refnds card"),
            ("lang", "en"),
            ("mode", "suggest"),
            ("id", "integrations/zapier"),
        ])
        .bearer_auth(crate::common::ADMIN_TOKEN)
        .send()
        .expect("explain")
        .json()
        .expect("JSON");
    let words = explained["words"].as_array().expect("words");
    let refnds = &words[0];
    assert_eq!(refnds["typed"], "refnds");
    assert!(
        refnds["expansion"]
            .as_array()
            .expect("expansion")
            .iter()
            .any(|v| v["kind"] == "fuzzy" && v["word"] == "refunds"),
        "{refnds}"
    );
    let card = &words[1];
    assert_eq!(card["prefix"], true, "the last word is being typed: {card}");
    assert!(
        card["expansion"]
            .as_array()
            .expect("expansion")
            .iter()
            .any(|v| v["kind"] == "prefix"),
        "{card}"
    );

    let results = explained["results"].as_array().expect("results");
    assert_eq!(results[0]["rank"], 1);
    let fuzzy = |result: &&Value| {
        result["matches"].as_array().is_some_and(|matches| {
            matches
                .iter()
                .any(|m| m["word"] == "refnds" && m["how"] == "fuzzy")
        })
    };
    assert!(results.iter().any(|result| fuzzy(&result)), "{results:#?}");
    assert!(results
        .iter()
        .flat_map(|result| result["matches"].as_array().into_iter().flatten())
        .all(|m| m["score"].as_f64().is_some_and(|s| s > 0.0) && m["field"].is_string()));

    let target = &explained["target"];
    assert_eq!(target["id"], "integrations/zapier");
    assert_eq!(
        target["article"]["unmatched"],
        json!(["refnds", "card"]),
        "{target:#}"
    );

    let cli = crate::common::kb_in(
        traffic().0.dir.path(),
        &[
            "explain",
            "how long does a refund take",
            "--id",
            "billing/payment-methods",
        ],
    );
    let text = String::from_utf8_lossy(&cli.stdout);
    assert!(
        cli.status.success() && text.contains("billing/refunds") && text.contains("found nothing for"),
        "{text}"
    );
}

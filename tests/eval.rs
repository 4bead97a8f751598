//! `kb eval` on a tiny corpus: indexes it through the article path and writes a run file in the
//! shape score.py reads, each query answered in its own language.

use std::process::Output;

use crate::common::Tree;

/// Writes the corpus and queries files into the tree's folder and runs `kb eval` on them.
fn run_eval(tree: &Tree, corpus: &str, queries: &str) -> Output {
    let dir = tree.dir.path();
    std::fs::write(dir.join("corpus.jsonl"), corpus).expect("corpus");
    std::fs::write(dir.join("queries.jsonl"), queries).expect("queries");
    tree.kb(&[
        "eval",
        "--corpus",
        "corpus.jsonl",
        "--queries",
        "queries.jsonl",
        "--run",
        "run.jsonl",
    ])
}

#[test]
fn eval_writes_a_run_file_with_every_query() {
    let tree = Tree::new();
    let dir = tree.dir.path();
    let corpus = [
        r#"{"id": "d1", "lang": "en", "title": "Refund policy", "body": "Refunds are paid within five days.", "source": "t"}"#,
        r#"{"id": "d2", "lang": "en", "title": "Password reset", "body": "Use the link to reset your password.", "source": "t"}"#,
        r#"{"id": "d1", "lang": "de", "title": "Erstattungen", "body": "Erstattungen dauern fünf Tage.", "source": "t"}"#,
        r#"{"id": "d2", "lang": "de", "title": "Passwort", "body": "Setzen Sie Ihr Passwort zurück.", "source": "t"}"#,
    ];
    let queries = [
        r#"{"qid": "q1", "lang": "en", "query": "how long do refunds take", "relevant": {"d1": 1}}"#,
        r#"{"qid": "q2", "lang": "de", "query": "Passwort vergessen", "relevant": {"d2": 1}}"#,
        r#"{"qid": "q3", "lang": "en", "query": "zebra", "relevant": {}}"#,
    ];
    let output = run_eval(&tree, &corpus.join("\n"), &queries.join("\n"));
    assert!(output.status.success(), "{output:?}");

    let run = std::fs::read_to_string(dir.join("run.jsonl")).expect("run file");
    let lines: Vec<serde_json::Value> = run
        .lines()
        .map(|line| serde_json::from_str(line).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["qid"], "q1");
    assert_eq!(lines[0]["results"][0], "d1");
    assert_eq!(lines[1]["results"][0], "d2");
    assert_eq!(
        lines[1]["results"].as_array().map(Vec::len),
        Some(1),
        "German query sees German docs only"
    );
    assert_eq!(lines[2]["results"], serde_json::json!([]));
}

#[test]
fn eval_reports_the_line_of_a_bad_record() {
    let tree = Tree::new();
    let corpus = r#"{"id": "d1", "lang": "xx", "title": "t", "body": "b"}"#;
    let output = run_eval(&tree, corpus, "");
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("corpus.jsonl:1:") && message.contains("unknown language"),
        "{message}"
    );
}

#[test]
fn a_click_log_nudges_near_ties_only_and_an_empty_one_changes_nothing() {
    let tree = Tree::new();
    let dir = tree.dir.path();
    let corpus = [
        r#"{"id": "prices", "lang": "en", "title": "Plan prices", "body": "Everything about each plan.", "source": "t"}"#,
        r#"{"id": "upgrades", "lang": "en", "title": "Plan upgrades", "body": "Everything about each plan.", "source": "t"}"#,
        r#"{"id": "cancel", "lang": "en", "title": "Cancel", "body": "Cancel your subscription in the settings.", "source": "t"}"#,
    ];
    let queries = [
        r#"{"qid": "q1", "lang": "en", "query": "plan", "relevant": {"upgrades": 1}}"#,
        r#"{"qid": "q2", "lang": "en", "query": "cancel subscription settings", "relevant": {"cancel": 1}}"#,
    ];
    let run = |clicks: Option<&str>| -> Vec<serde_json::Value> {
        std::fs::write(dir.join("corpus.jsonl"), corpus.join("\n")).expect("corpus");
        std::fs::write(dir.join("queries.jsonl"), queries.join("\n")).expect("queries");
        let mut args = vec![
            "eval",
            "--corpus",
            "corpus.jsonl",
            "--queries",
            "queries.jsonl",
            "--run",
            "run.jsonl",
        ];
        if let Some(log) = clicks {
            std::fs::write(dir.join("clicks.jsonl"), log).expect("clicks");
            args.extend(["--clicks", "clicks.jsonl"]);
        }
        let output = tree.kb(&args);
        assert!(output.status.success(), "{output:?}");
        let run = std::fs::read_to_string(dir.join("run.jsonl")).expect("run");
        run.lines()
            .map(|line| serde_json::from_str(line).expect("JSON"))
            .collect()
    };
    let plain = run(None);
    let tied = plain[0]["results"].as_array().expect("results").clone();
    assert_eq!(tied.len(), 2, "{plain:?}");
    let (first, second) = (tied[0].as_str().expect("id"), tied[1].as_str().expect("id"));
    assert_eq!(run(Some("")), plain, "no click data, same ranking");
    let too_little = format!(r#"{{"lang": "en", "id": "{second}", "weight": 5}}"#);
    assert_eq!(run(Some(&too_little)), plain, "too little evidence moves nothing");
    let clicked = format!(
        "{}\n{}",
        format_args!(r#"{{"lang": "en", "id": "{second}", "weight": 60}}"#),
        r#"{"lang": "en", "id": "cancel", "weight": -40}"#
    );
    let nudged = run(Some(&clicked));
    assert_eq!(
        nudged[0]["results"],
        serde_json::json!([second, first]),
        "the clicked one first"
    );
    assert_eq!(
        nudged[1]["results"][0], "cancel",
        "a clear winner stays first despite bad votes"
    );
}

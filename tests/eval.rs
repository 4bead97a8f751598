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

//! `kb check`: every kind of problem is reported with its file and line, all problems at once,
//! exit 1 on errors and 0 on warnings only.

use crate::common::{article, stdout, Tree};

/// Runs `kb check` on the tree and returns (exit code, output lines).
fn check(tree: &Tree) -> (i32, Vec<String>) {
    let output = tree.kb(&["check"]);
    let lines = stdout(&output).lines().map(str::to_string).collect();
    (output.status.code().unwrap_or(-1), lines)
}

/// Asserts that a line starting with `location` (`path:line:`) and containing `text` was printed.
fn assert_reported(lines: &[String], location: &str, text: &str) {
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with(location) && line.contains(text)),
        "expected `{location}… {text}` in:\n{}",
        lines.join("\n")
    );
}

const REFUNDS: &str = "---\ntitle: Refunds\nupdated: 2026-05-01\n---\nMoney back within 14 days.\n\n## How long does a refund take?\nFive working days.\n";

#[test]
fn a_clean_tree_passes() {
    let tree = Tree::with(&[("en/billing/refunds.md", REFUNDS)]);
    let (code, lines) = check(&tree);
    assert_eq!(code, 0, "{lines:?}");
    assert!(lines.is_empty(), "{lines:?}");
}

#[test]
fn the_sample_help_center_passes() {
    let output = crate::common::kb_in(std::path::Path::new(env!("CARGO_MANIFEST_DIR")), &["check"]);
    assert!(output.status.success(), "{}", stdout(&output));
    assert!(!stdout(&output).contains("error:"), "{}", stdout(&output));
}

#[test]
fn invalid_yaml_with_carriage_returns_is_reported_at_a_line_of_the_file() {
    // Found by the article fuzzer: YAML also breaks lines at a lone `\r`, so its line numbers
    // ran past the file's.
    let tree = Tree::with(&[("en/a.md", "---\n\n\r-  -- !-.\n\r-  -- - \n \n\n--z\t=\n---")]);
    let (code, lines) = check(&tree);
    assert_eq!(code, 1);
    // The file has 8 lines; YAML alone would say line 10.
    assert_reported(&lines, "articles/en/a.md:8:", "invalid YAML");
}

#[test]
fn invalid_yaml_is_reported_at_its_line_in_the_file() {
    let tree = Tree::with(&[(
        "en/a.md",
        "---\ntitle: A\ntags: [one, two\nsection: x\n---\nBody.\n",
    )]);
    let (code, lines) = check(&tree);
    assert_eq!(code, 1);
    let line = lines
        .iter()
        .find(|l| l.contains("invalid YAML"))
        .expect("yaml error");
    let line_number: usize = line
        .split(':')
        .nth(1)
        .and_then(|n| n.parse().ok())
        .expect("line number");
    assert!((3..=5).contains(&line_number), "{line}");
    assert!(line.starts_with("articles/en/a.md:"), "{line}");
}

#[test]
fn missing_and_empty_titles_are_errors() {
    let tree = Tree::with(&[
        ("en/missing.md", "---\nsection: Billing\n---\nBody.\n"),
        (
            "en/empty.md",
            "---\nsection: Billing\ntitle: \"  \"\n---\nBody.\n",
        ),
        ("en/no-front-matter.md", "Just text.\n"),
    ]);
    let (code, lines) = check(&tree);
    assert_eq!(code, 1);
    assert_reported(&lines, "articles/en/missing.md:1:1: error:", "missing `title`");
    assert_reported(&lines, "articles/en/empty.md:3:1: error:", "`title` is empty");
    assert_reported(
        &lines,
        "articles/en/no-front-matter.md:1:1: error:",
        "missing front matter",
    );
}

#[test]
fn unknown_language_codes_are_errors() {
    let tree = Tree::with(&[("en/a.md", "---\ntitle: A\nlang: xx\n---\nBody.\n")]);
    let (code, lines) = check(&tree);
    assert_eq!(code, 1);
    assert_reported(
        &lines,
        "articles/en/a.md:3:1: error:",
        "unknown language code `xx`",
    );
}

#[test]
fn duplicate_ids_within_a_language_are_errors() {
    let tree = Tree::with(&[
        ("en/a.md", &article("A", "Body.")),
        ("en/b.md", "---\ntitle: B\nid: a\n---\nBody.\n"),
        ("de/a.md", &article("A auf Deutsch", "Text.")),
    ]);
    let (code, lines) = check(&tree);
    assert_eq!(code, 1);
    assert_reported(
        &lines,
        "articles/en/b.md:3:1: error:",
        "duplicate id `a` in language en",
    );
    assert_eq!(
        lines.iter().filter(|l| l.contains("duplicate")).count(),
        1,
        "{lines:?}"
    );
}

#[test]
fn empty_bodies_are_errors() {
    let tree = Tree::with(&[("en/a.md", "---\ntitle: A\n---\n\n   \n")]);
    let (code, lines) = check(&tree);
    assert_eq!(code, 1);
    assert_reported(&lines, "articles/en/a.md:4:1: error:", "empty body");
}

#[test]
fn broken_links_and_anchors_are_errors_at_the_link() {
    let body = "Intro.\n\nSee [ok](refunds.md#how-long-does-a-refund-take), [gone](missing.md),\n[bad anchor](refunds.md#nope) and [abs](/en/articles/billing/nothing#x).\n[fine](/en/articles/billing/refunds) [self](#intro-heading) [web](https://example.com)\n\n## Intro heading\nText.\n";
    let tree = Tree::with(&[
        ("en/billing/refunds.md", REFUNDS),
        ("en/billing/links.md", &format!("---\ntitle: Links\n---\n{body}")),
    ]);
    let (code, lines) = check(&tree);
    assert_eq!(code, 1);
    assert_reported(
        &lines,
        "articles/en/billing/links.md:6:",
        "`missing.md`: no such article file",
    );
    assert_reported(
        &lines,
        "articles/en/billing/links.md:7:1:",
        "no heading with anchor `#nope`",
    );
    assert_reported(
        &lines,
        "articles/en/billing/links.md:7:",
        "no article `billing/nothing`",
    );
    assert_eq!(
        lines.iter().filter(|l| l.contains("error")).count(),
        3,
        "{lines:?}"
    );
}

#[test]
fn files_that_are_not_utf8_are_errors_at_the_bad_byte() {
    let tree = Tree::new();
    tree.write("en/latin1.md", b"---\ntitle: Caf\xe9\n---\nBody.\n");
    let (code, lines) = check(&tree);
    assert_eq!(code, 1);
    assert_reported(&lines, "articles/en/latin1.md:2:11: error:", "not valid UTF-8");
}

#[test]
fn a_declared_language_contradicted_by_the_text_is_a_warning() {
    let german = "Wenn Sie Ihr Abonnement kündigen, erstatten wir den Betrag innerhalb von vierzehn Tagen auf Ihre Kreditkarte zurück. Bitte wenden Sie sich an unseren Kundendienst.";
    let tree = Tree::with(&[("en/a.md", &article("Erstattungen", german))]);
    let (code, lines) = check(&tree);
    assert_eq!(code, 0, "{lines:?}");
    assert_reported(&lines, "articles/en/a.md:1:1: warning:", "looks like de");
}

#[test]
fn translations_without_original_or_older_than_it_are_warnings() {
    let tree = Tree::with(&[
        ("en/billing/refunds.md", REFUNDS),
        (
            "de/billing/refunds.md",
            "---\ntitle: Erstattungen\nupdated: 2026-01-01\n---\nGeld zurück innerhalb von 14 Tagen.\n",
        ),
        (
            "de/billing/only-german.md",
            &article("Nur Deutsch", "Dieser Artikel existiert nur auf Deutsch."),
        ),
    ]);
    let (code, lines) = check(&tree);
    assert_eq!(code, 0, "{lines:?}");
    assert_reported(
        &lines,
        "articles/de/billing/refunds.md:3:1: warning:",
        "translation may be out of date",
    );
    assert_reported(
        &lines,
        "articles/de/billing/only-german.md:1:1: warning:",
        "no default-language (en) article",
    );
}

#[test]
fn unknown_fields_are_warnings() {
    let tree = Tree::with(&[("en/a.md", "---\ntitle: A\nauthor: Kim\n---\nBody.\n")]);
    let (code, lines) = check(&tree);
    assert_eq!(code, 0);
    assert_reported(
        &lines,
        "articles/en/a.md:3:1: warning:",
        "unknown front matter field `author`",
    );
}

#[test]
fn files_outside_language_folders_get_a_detected_language_and_a_warning() {
    let french = "Pour modifier votre carte bancaire, ouvrez les paramètres de facturation et choisissez une nouvelle méthode de paiement.";
    let tree = Tree::with(&[("misc/carte.md", &article("Changer de carte", french))]);
    let (code, lines) = check(&tree);
    assert_eq!(code, 0, "{lines:?}");
    assert_reported(&lines, "articles/misc/carte.md:1:1: warning:", "detected fr");
}

#[test]
fn every_problem_is_reported_not_only_the_first() {
    let tree = Tree::with(&[
        (
            "en/a.md",
            "---\ntitle: A\nlang: zz\n---\nBody with [x](nope.md).\n",
        ),
        ("en/b.md", "---\ntitle: \"\"\n---\n\n"),
    ]);
    let (code, lines) = check(&tree);
    assert_eq!(code, 1);
    assert!(
        lines.iter().filter(|l| l.contains(": error:")).count() >= 4,
        "{lines:?}"
    );
}

#[test]
fn json_format_carries_the_same_diagnostics() {
    let tree = Tree::with(&[("en/a.md", "---\ntitle: A\n---\n\n")]);
    let output = tree.kb(&["check", "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    assert_eq!(report["errors"], 1);
    let diagnostic = &report["diagnostics"][0];
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["line"], 4);
    assert!(diagnostic["path"]
        .as_str()
        .unwrap_or_default()
        .ends_with("en/a.md"));
}

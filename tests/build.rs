//! `kb build`: a real tantivy index on disk, switched atomically. A broken article leaves the
//! index byte-for-byte untouched; a build killed half-way leaves the previous index servable.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use kb::index::OpenIndex;

use crate::common::{article, search_hits, stdout, Tree};

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .map(|entry| {
            let path = entry
                .path()
                .strip_prefix(dir)
                .expect("below dir")
                .display()
                .to_string();
            (path, std::fs::read(entry.path()).expect("read"))
        })
        .collect()
}

fn top_id(index_dir: &Path, query: &str, lang: &str) -> Option<String> {
    let index = OpenIndex::open(index_dir).expect("index opens");
    search_hits(&index, query, lang).first().map(|hit| hit.id.clone())
}

#[test]
fn build_writes_an_index_and_prints_a_summary() {
    let tree = Tree::with(&[
        (
            "en/billing/refunds.md",
            &article("Refunds", "Money back within 14 days."),
        ),
        (
            "de/billing/refunds.md",
            &article("Erstattungen", "Geld zurück innerhalb von 14 Tagen."),
        ),
        (
            "en/draft.md",
            "---\ntitle: Secret refunds plan\ndraft: true\n---\nNot yet.\n",
        ),
    ]);
    let output = tree.kb(&["build"]);
    assert!(output.status.success(), "{output:?}");
    let summary = stdout(&output);
    assert!(summary.starts_with("built 2 articles (de 1, en 1)"), "{summary}");
    assert_eq!(
        top_id(&tree.index(), "refund", "en").as_deref(),
        Some("billing/refunds")
    );
    let index = OpenIndex::open(&tree.index()).expect("opens");
    assert!(
        index.catalog.articles.iter().all(|entry| entry.id != "draft"),
        "drafts are never indexed"
    );
}

#[test]
fn a_broken_article_leaves_the_index_byte_for_byte_untouched() {
    let tree = Tree::with(&[("en/a.md", &article("Refunds", "Money back."))]);
    assert!(tree.kb(&["build"]).status.success());
    let before = snapshot(&tree.index());
    assert!(!before.is_empty());

    tree.write("en/b.md", b"---\ntitle: [unclosed\n---\nBody.\n");
    let output = tree.kb(&["build"]);
    assert_eq!(output.status.code(), Some(1));
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(
        errors.contains("articles/en/b.md:") && errors.contains("invalid YAML"),
        "{errors}"
    );
    assert_eq!(snapshot(&tree.index()), before);
    assert_eq!(top_id(&tree.index(), "refunds", "en").as_deref(), Some("a"));
}

#[test]
fn a_build_killed_half_way_leaves_the_previous_index_servable() {
    let tree = Tree::with(&[(
        "en/original.md",
        &article("Original answer", "The zebra article."),
    )]);
    assert!(tree.kb(&["build"]).status.success());
    let paragraph = "Invoices, refunds and payment methods are explained here in some detail. ".repeat(30);
    for n in 0..3000 {
        tree.write(
            &format!("en/generated/article-{n}.md"),
            article(&format!("Generated {n}"), &paragraph).as_bytes(),
        );
    }

    let mut child = Command::new(env!("CARGO_BIN_EXE_kb"))
        .arg("build")
        .current_dir(tree.dir.path())
        .spawn()
        .expect("spawn kb build");
    let deadline = Instant::now() + Duration::from_secs(120);
    let building = loop {
        let in_progress = std::fs::read_dir(tree.index())
            .expect("index dir")
            .filter_map(Result::ok)
            .any(|entry| entry.file_name().to_string_lossy().starts_with(".building-"));
        if in_progress || Instant::now() > deadline {
            break in_progress;
        }
        if child.try_wait().expect("poll").is_some() {
            break false;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    assert!(building, "the build should have been caught half-way");
    child.kill().expect("kill -9");
    child.wait().expect("reap");

    // The previous generation is still the current one and serves.
    assert_eq!(top_id(&tree.index(), "zebra", "en").as_deref(), Some("original"));

    // The next build succeeds and clears the remains of the killed one.
    std::fs::remove_dir_all(tree.articles().join("en/generated")).expect("rm");
    tree.write(
        "en/new.md",
        article("New answer", "The giraffe article.").as_bytes(),
    );
    assert!(tree.kb(&["build"]).status.success());
    assert_eq!(top_id(&tree.index(), "giraffe", "en").as_deref(), Some("new"));
    let leftovers: Vec<String> = std::fs::read_dir(tree.index())
        .expect("index dir")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".building-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn an_open_index_keeps_serving_while_a_new_build_is_published() {
    let tree = Tree::with(&[("en/a.md", &article("Refunds", "Money back."))]);
    assert!(tree.kb(&["build"]).status.success());
    let open = OpenIndex::open(&tree.index()).expect("opens");
    tree.write("en/b.md", article("Invoices", "Download a PDF.").as_bytes());
    assert!(tree.kb(&["build"]).status.success());
    assert_eq!(
        search_hits(&open, "refunds", "en").len(),
        1,
        "the old generation still searches"
    );
    assert_eq!(top_id(&tree.index(), "pdf", "en").as_deref(), Some("b"));
}

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
        index.catalog.articles.iter().all(|entry| &*entry.id != "draft"),
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

/// What a search for `query` finds, as ids in order.
fn ids(index: &OpenIndex, query: &str, lang: &str) -> Vec<String> {
    search_hits(index, query, lang)
        .into_iter()
        .map(|hit| hit.id)
        .collect()
}

#[test]
fn an_update_analyses_only_the_changed_articles_and_equals_a_full_build() {
    use std::os::unix::fs::MetadataExt;

    use kb::analysis::{Analysis, LangTag};
    use kb::article::{self, FolderState};
    use kb::index::BuildOptions;

    let en = LangTag::parse("en").expect("en");
    let options = BuildOptions {
        default_lang: en.clone(),
        analysis: Analysis::PerLanguage,
    };
    let tree = Tree::with(&[
        (
            "en/account/close.md",
            &article("Close your account", "Delete everything for good."),
        ),
        (
            "en/billing/refunds.md",
            &article(
                "Refunds",
                "Money back within 14 days.\n\n## Fees\nNo fees are kept.",
            ),
        ),
        (
            "en/billing/invoices.md",
            &article(
                "Invoices",
                "Download a PDF invoice. See [refunds](refunds.md#fees).",
            ),
        ),
        (
            "en/security/password.md",
            &article(
                "Reset your password",
                "Use the reset link.\n\n## Two factor\nCodes by app.",
            ),
        ),
        (
            "de/billing/refunds.md",
            &article("Erstattungen", "Geld zurück innerhalb von 14 Tagen."),
        ),
    ]);
    let first = article::reread(&tree.articles(), &en, &FolderState::default()).expect("read");
    kb::index::build(first.loaded.published(), &tree.index(), &options, &mut |_| {}).expect("build");
    let before = kb::index::current_generation(&tree.index())
        .expect("current")
        .expect("some");

    // Remove the first article of the catalog (the last one moves into its place), change the
    // one another links to, add one, and turn one into a draft.
    std::fs::remove_file(tree.articles().join("en/account/close.md")).expect("remove");
    tree.write(
        "en/billing/refunds.md",
        article(
            "Refunds and chargebacks",
            "Money back within 30 days.\n\n## Fees\nA small fee is kept.",
        )
        .as_bytes(),
    );
    tree.write(
        "de/billing/invoices.md",
        article("Rechnungen", "Laden Sie die Rechnung als PDF herunter.").as_bytes(),
    );
    tree.write(
        "en/security/password.md",
        b"---\ntitle: Reset your password\ndraft: true\n---\nUse the reset link.\n",
    );

    let second = article::reread(&tree.articles(), &en, &first.state).expect("read again");
    let changed: Vec<&str> = second.changed.iter().map(String::as_str).collect();
    assert_eq!(
        changed,
        [
            "de/billing/invoices.md",
            "en/account/close.md",
            "en/billing/refunds.md",
            "en/security/password.md"
        ],
        "only the files that changed are read again"
    );
    let published: Vec<_> = second.loaded.published().collect();
    let mut read_again = Vec::new();
    let summary = kb::index::update(
        &published,
        &second.changed,
        &tree.index(),
        &options,
        &mut |outline| {
            read_again.push(outline.relative_path.clone());
            article::read_article(&tree.articles(), &outline.relative_path, &en)
        },
    )
    .expect("update");
    // refunds and the new invoices page, the page linking to refunds, and the article that moved
    // into the removed one's catalog position (unless that was one of them already).
    assert!(summary.analysed <= 4 && summary.analysed >= 3, "{summary:?}");
    assert!(
        read_again.contains(&"en/billing/invoices.md".to_string()),
        "{read_again:?}"
    );
    let updated_generation = kb::index::current_generation(&tree.index())
        .expect("current")
        .expect("some");
    assert_ne!(updated_generation, before);
    let shared_files = std::fs::read_dir(tree.index().join(&updated_generation))
        .expect("generation")
        .flatten()
        .filter(|entry| entry.metadata().is_ok_and(|metadata| metadata.nlink() > 1))
        .count();
    assert!(
        shared_files > 0,
        "the update hard-links the unchanged segment files"
    );

    let full = Tree::new();
    std::fs::rename(tree.articles(), full.articles()).expect("move the articles");
    let loaded = article::load(&full.articles(), &en).expect("load");
    kb::index::build(loaded.published(), &full.index(), &options, &mut |_| {}).expect("full build");

    let updated = OpenIndex::open(&tree.index()).expect("updated opens");
    let rebuilt = OpenIndex::open(&full.index()).expect("full opens");
    // The update keeps the lexicon that the full build learned from the translated refunds page
    // (a full build learns again, from the new title "Refunds and chargebacks").
    let refunds = |index: &OpenIndex| {
        let translations = index.lexicon.translations("de", "erstatt");
        translations
            .iter()
            .map(|translation| translation.word.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(refunds(&updated), ["refunds"]);
    assert_eq!(refunds(&rebuilt), ["chargebacks"]);
    let entries = |index: &OpenIndex| {
        let mut entries: Vec<String> = index
            .catalog
            .articles
            .iter()
            .map(|entry| {
                format!(
                    "{}/{} {} {:?} {:?}",
                    entry.lang,
                    entry.id,
                    entry.title,
                    entry.sections.len(),
                    entry.tokens
                )
            })
            .collect();
        entries.sort();
        entries
    };
    assert_eq!(entries(&updated), entries(&rebuilt));
    assert_eq!(
        format!("{:?}", updated.catalog.statistics),
        format!("{:?}", rebuilt.catalog.statistics),
        "the language statistics are those of a full build"
    );
    for (query, lang) in [
        ("chargebacks", "en"),
        ("fee", "en"),
        ("close account", "en"),
        ("password", "en"),
        ("pdf invoice", "en"),
        ("Rechnung", "de"),
        ("Erstattungen", "de"),
    ] {
        assert_eq!(ids(&updated, query, lang), ids(&rebuilt, query, lang), "{query}");
    }
    assert!(ids(&updated, "close account", "en")
        .iter()
        .all(|id| id != "account/close"));
    assert!(
        ids(&updated, "password", "en").is_empty(),
        "an article turned draft leaves the index"
    );
    assert_eq!(
        ids(&updated, "chargebacks", "en").first().map(String::as_str),
        Some("billing/refunds")
    );
    let invoices = updated.catalog.get(&en, "billing/invoices").expect("invoices");
    assert_eq!(invoices.sections.len(), 1);
}

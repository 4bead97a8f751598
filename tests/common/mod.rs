//! Shared helpers: article trees in temporary folders, and running the `kb` binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kb::analysis::LangTag;
use kb::index::OpenIndex;
use kb::search::{search, Mode, SearchHit, SearchRequest};
use tempfile::TempDir;

/// A temporary articles folder (plus room for an index next to it).
pub(crate) struct Tree {
    pub(crate) dir: TempDir,
}

impl Tree {
    pub(crate) fn new() -> Tree {
        Tree {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    /// A tree holding `files` (path below `articles/`, content).
    pub(crate) fn with(files: &[(&str, &str)]) -> Tree {
        let tree = Tree::new();
        for (path, content) in files {
            tree.write(path, content.as_bytes());
        }
        tree
    }

    pub(crate) fn articles(&self) -> PathBuf {
        self.dir.path().join("articles")
    }

    pub(crate) fn index(&self) -> PathBuf {
        self.dir.path().join("index")
    }

    pub(crate) fn write(&self, path: &str, content: &[u8]) {
        let path = self.articles().join(path);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write article");
    }

    /// Runs `kb <args>` with this tree's folders as the working directory.
    pub(crate) fn kb(&self, args: &[&str]) -> Output {
        kb_in(self.dir.path(), args)
    }
}

/// Runs the kb binary in `dir`.
pub(crate) fn kb_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kb"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run kb")
}

pub(crate) fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Searches `index` in `lang` with fallback, 10 results.
pub(crate) fn search_hits(index: &OpenIndex, query: &str, lang: &str) -> Vec<SearchHit> {
    let request = SearchRequest {
        query,
        lang: LangTag::parse(lang).expect("known language"),
        limit: 10,
        offset: 0,
        fallback: true,
        mode: Mode::Search,
    };
    search(index, &request).expect("search").hits
}

/// The read-only shared data folder (`../shared` next to the checkout, or `$KB_SHARED_DIR`).
pub(crate) fn shared_dir() -> PathBuf {
    let candidates = [
        std::env::var_os("KB_SHARED_DIR").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")),
        Some(PathBuf::from("/work/shared")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|dir| dir.join("emails").is_dir())
        .unwrap_or_else(|| panic!("the shared data folder is missing: set KB_SHARED_DIR"))
}

/// A minimal valid article.
pub(crate) fn article(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n{body}\n")
}

//! Shared helpers: article trees in temporary folders, and running the `kb` binary.

use std::io::{BufRead, BufReader, Lines};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStderr, Command, Output, Stdio};
use std::time::{Duration, Instant};

use kb::analysis::LangTag;
use kb::index::OpenIndex;
use kb::search::{search, Mode, SearchHit, SearchRequest};
use kb::store::Store;
use kb::web::{self, AppState};
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
    hits_in_mode(index, query, lang, Mode::Search)
}

/// Searches or suggests (`mode`) in `index` in `lang` with fallback, 10 results.
pub(crate) fn hits_in_mode(index: &OpenIndex, query: &str, lang: &str, mode: Mode) -> Vec<SearchHit> {
    let request = SearchRequest {
        query,
        lang: LangTag::parse(lang).expect("known language"),
        limit: 10,
        offset: 0,
        fallback: true,
        mode,
        headline_bonus: true,
    };
    search(index, &request).expect("search").hits
}

/// The `id`s of a JSON list of results or links, in order.
pub(crate) fn ids(list: &serde_json::Value) -> Vec<&str> {
    list.as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item["id"].as_str())
        .collect()
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

/// The admin token of the servers that [`spawn_server`] starts.
pub(crate) const ADMIN_TOKEN: &str = "test-admin-token";

/// Serves `index` on 127.0.0.1:0 from a background thread, with feedback stored in `data_dir` and
/// [`ADMIN_TOKEN`] for admin routes; returns the base URL (`http://127.0.0.1:PORT`).
pub(crate) fn spawn_server(index: OpenIndex, data_dir: &Path) -> String {
    spawn_state(state_for(index, data_dir))
}

/// The state [`spawn_server`] serves: feedback in `data_dir`, [`ADMIN_TOKEN`] for admin routes.
pub(crate) fn state_for(index: OpenIndex, data_dir: &Path) -> AppState {
    let store = Store::open(data_dir).expect("data store");
    AppState::new(index, "https://help.example.com", store).with_admin_token(ADMIN_TOKEN)
}

/// Serves `state` on 127.0.0.1:0 from a background thread; returns the base URL.
pub(crate) fn spawn_state(state: AppState) -> String {
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().expect("runtime");
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            sender
                .send(listener.local_addr().expect("addr"))
                .expect("send addr");
            web::serve(listener, state, std::future::pending())
                .await
                .expect("serve");
        });
    });
    format!("http://{}", receiver.recv().expect("server address"))
}

/// A `kb serve` process, killed (if still running) when dropped so that no server outlives its
/// test.
pub(crate) struct ServeProcess {
    pub(crate) child: Child,
    /// The address it listens on.
    pub(crate) addr: String,
    /// Its log lines after the "listening" one, until closed.
    log: Option<Lines<BufReader<ChildStderr>>>,
}

impl ServeProcess {
    /// The next line the server logs.
    pub(crate) fn next_log_line(&mut self) -> String {
        self.log
            .as_mut()
            .and_then(Iterator::next)
            .expect("a log line")
            .expect("readable log")
    }

    /// Closes the reading end of the server's log pipe, as a crashed log collector would.
    pub(crate) fn close_log(&mut self) {
        self.log = None;
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `kb serve --addr 127.0.0.1:0 <args>` in `tree` and waits until it listens.
pub(crate) fn start_kb_serve(tree: &Tree, args: &[&str]) -> ServeProcess {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kb"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .current_dir(tree.dir.path())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn kb serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut log = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let addr = loop {
        let Some(Ok(line)) = log.next() else {
            let _ = child.kill();
            panic!("kb serve exited early: {:?}", child.wait());
        };
        if let Some(rest) = line.split("addr=").nth(1) {
            break rest.split_whitespace().next().unwrap_or_default().to_string();
        }
        assert!(Instant::now() < deadline, "no listening line");
    };
    ServeProcess {
        child,
        addr,
        log: Some(log),
    }
}

/// Copies the repository's sample help center into `target`.
pub(crate) fn copy_sample_articles(target: &Path) {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("articles");
    for entry in walkdir::WalkDir::new(&source) {
        let entry = entry.expect("walk articles");
        let relative = entry.path().strip_prefix(&source).expect("below articles");
        let destination = target.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&destination).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &destination).expect("copy article");
        }
    }
}

/// A minimal valid article.
pub(crate) fn article(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n{body}\n")
}

//! The on-disk layout of an index folder, and the atomic switch between builds.
//!
//! ```text
//! index/
//!   CURRENT              names the generation being served, e.g. "gen-1764000000123-4242"
//!   gen-1764000000123-4242/   a complete tantivy index plus catalog.json
//!   .building-gen-…/     a build in progress (or killed half-way; removed by the next build)
//! ```
//! A build writes a new generation beside the current one, syncs it, and only then replaces
//! `CURRENT` by an atomic rename. Readers resolve `CURRENT` once and keep that generation, so they
//! never see a half-written index, and a build killed at any point leaves the previous one
//! servable.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use super::IndexError;

/// The file naming the generation in use.
pub const CURRENT_FILE: &str = "CURRENT";
/// Catalog file inside each generation.
pub const CATALOG_FILE: &str = "catalog.json";
const GENERATION_PREFIX: &str = "gen-";
const BUILDING_PREFIX: &str = ".building-";

/// Writes `value` as JSON into the file `name` of the generation folder `generation` (the
/// catalog, the lexicon).
pub(crate) fn write_json(
    generation: &Path,
    name: &str,
    value: &impl serde::Serialize,
) -> Result<(), IndexError> {
    let path = generation.join(name);
    let json = serde_json::to_vec(value).map_err(|error| IndexError::Corrupt {
        path: path.clone(),
        reason: error.to_string(),
    })?;
    fs::write(&path, json).map_err(|source| IndexError::Io { path, source })
}

/// A fresh, unique generation name.
pub(crate) fn new_generation_name() -> String {
    let millis = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_millis());
    format!("{GENERATION_PREFIX}{millis}-{}", std::process::id())
}

/// The folder a generation is built in before it is published.
pub(crate) fn building_path(index_dir: &Path, generation: &str) -> PathBuf {
    index_dir.join(format!("{BUILDING_PREFIX}{generation}"))
}

/// Starts a new generation as a copy of `current`, made of hard links to its files (tantivy never
/// changes a file once written, and replaces its meta files by rename, so the copy can be updated
/// without touching what readers of `current` see). The catalog and tantivy's lock files are
/// left out. Returns the folder to build in.
pub(crate) fn link_copy(index_dir: &Path, current: &str, generation: &str) -> Result<PathBuf, IndexError> {
    let source = index_dir.join(current);
    let building = building_path(index_dir, generation);
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| IndexError::Io { path, source }
    };
    fs::create_dir_all(&building).map_err(io(&building))?;
    for entry in fs::read_dir(&source).map_err(io(&source))? {
        let entry = entry.map_err(io(&source))?;
        let name = entry.file_name();
        let name_text = name.to_string_lossy();
        if name_text == CATALOG_FILE || name_text.starts_with(".tantivy-") || !entry.path().is_file() {
            continue;
        }
        let target = building.join(&name);
        fs::hard_link(entry.path(), &target).map_err(io(&target))?;
    }
    Ok(building)
}

/// The generation `CURRENT` names, if any.
pub fn current_generation(index_dir: &Path) -> Result<Option<String>, IndexError> {
    let path = index_dir.join(CURRENT_FILE);
    match fs::read_to_string(&path) {
        Ok(text) => {
            let name = text.trim();
            if name.starts_with(GENERATION_PREFIX) && !name.contains(['/', '\\']) && name != "." {
                Ok(Some(name.to_string()))
            } else {
                Err(IndexError::Corrupt {
                    path,
                    reason: format!("does not name a generation: {name:?}"),
                })
            }
        }
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(IndexError::Io { path, source }),
    }
}

/// Publishes a finished build: moves it into place, then atomically points `CURRENT` at it,
/// syncing at each step. Older generations except the one just replaced are removed.
pub(crate) fn publish(index_dir: &Path, generation: &str) -> Result<PathBuf, IndexError> {
    let building = building_path(index_dir, generation);
    let target = index_dir.join(generation);
    sync_tree(&building)?;
    fs::rename(&building, &target).map_err(|source| IndexError::Io {
        path: target.clone(),
        source,
    })?;
    sync_dir(index_dir)?;

    let previous = current_generation(index_dir).ok().flatten();
    let pending = index_dir.join(format!("{CURRENT_FILE}.tmp-{}", std::process::id()));
    let io = |source| IndexError::Io {
        path: pending.clone(),
        source,
    };
    let mut file = File::create(&pending).map_err(io)?;
    file.write_all(format!("{generation}\n").as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)?;
    fs::rename(&pending, index_dir.join(CURRENT_FILE)).map_err(io)?;
    sync_dir(index_dir)?;

    remove_stale(index_dir, generation, previous.as_deref());
    Ok(target)
}

/// Removes generations other than `keep` and `previous` (kept for readers that resolved
/// `CURRENT` just before the switch) and builds whose process is gone. Best effort: a file that
/// cannot be removed now is removed by a later build.
fn remove_stale(index_dir: &Path, keep: &str, previous: Option<&str>) {
    let Ok(entries) = fs::read_dir(index_dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let stale = if name.starts_with(GENERATION_PREFIX) {
            name != keep && Some(name.as_str()) != previous
        } else if let Some(generation) = name.strip_prefix(BUILDING_PREFIX) {
            !builder_is_alive(generation)
        } else {
            name.starts_with(&format!("{CURRENT_FILE}.tmp-"))
        };
        if stale {
            let path = entry.path();
            let _ = if path.is_dir() {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
        }
    }
}

/// Whether the process that started building `generation` (its name ends in the pid) still runs.
fn builder_is_alive(generation: &str) -> bool {
    let pid = generation.rsplit('-').next().unwrap_or_default();
    pid == std::process::id().to_string() || Path::new("/proc").join(pid).exists()
}

fn sync_tree(dir: &Path) -> Result<(), IndexError> {
    let entries = fs::read_dir(dir).map_err(|source| IndexError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            sync_tree(&path)?;
        } else {
            File::open(&path)
                .and_then(|file| file.sync_all())
                .map_err(|source| IndexError::Io { path, source })?;
        }
    }
    sync_dir(dir)
}

fn sync_dir(dir: &Path) -> Result<(), IndexError> {
    File::open(dir)
        .and_then(|file| file.sync_all())
        .map_err(|source| IndexError::Io {
            path: dir.to_path_buf(),
            source,
        })
}

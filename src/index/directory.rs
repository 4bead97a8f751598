//! How a served generation's files are read. tantivy memory-maps every file, and every page a
//! search touches then counts in the server's resident memory for as long as it runs: at 100,000
//! articles the postings and positions that a morning of suggest requests touches are over
//! 100 MB. The files read per term or per result (postings, positions, the document store) are
//! read with positional reads instead: one `pread` per term's list or result block, which the
//! kernel serves from its page cache, outside the process and reclaimable. Term dictionaries,
//! field norms and fast fields, small and read all over, stay memory-mapped.
//!
//! A generation whose postings, positions and store together are small
//! ([`MAPPED_POSITIONAL_BYTES`]) has them memory-mapped too: for a help center of a few thousand
//! articles all of them fit in a few tens of MB, and a mapped read costs no system call, no
//! buffer to allocate and zero, and no copy.

use std::fs::File;
use std::io;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback, WatchHandle,
    WritePtr,
};
use tantivy::HasLen;

/// The extensions of the segment files read with positional reads: the document store, the
/// postings and the positions.
const POSITIONAL_EXTENSIONS: [&str; 3] = ["store", "idx", "pos"];

/// Up to this size in all, a generation's [`POSITIONAL_EXTENSIONS`] files are memory-mapped
/// rather than read with positional reads: what mapping them may add to the server's resident
/// memory, about the files of 17,000 of the benchmark's articles (docs/performance.md).
const MAPPED_POSITIONAL_BYTES: u64 = 64 << 20;

/// A generation folder opened for serving: [`MmapDirectory`], except for [`POSITIONAL_EXTENSIONS`]
/// in a large generation.
#[derive(Debug, Clone)]
pub(super) struct ServingDirectory {
    mapped: MmapDirectory,
    root: PathBuf,
    /// Whether the [`POSITIONAL_EXTENSIONS`] files are read with positional reads.
    positional: bool,
}

impl ServingDirectory {
    /// Opens the generation folder `root`.
    pub(super) fn open(root: &Path) -> tantivy::Result<ServingDirectory> {
        let positional = positional_bytes(root)? > MAPPED_POSITIONAL_BYTES;
        Ok(ServingDirectory {
            mapped: MmapDirectory::open(root)?,
            root: root.to_path_buf(),
            positional,
        })
    }
}

/// Whether `path` names a file of [`POSITIONAL_EXTENSIONS`].
fn is_positional(path: &Path) -> bool {
    path.extension()
        .is_some_and(|extension| POSITIONAL_EXTENSIONS.iter().any(|read| extension == *read))
}

/// The size of the [`POSITIONAL_EXTENSIONS`] files in the folder `root`.
fn positional_bytes(root: &Path) -> io::Result<u64> {
    let mut total = 0;
    for entry in std::fs::read_dir(root)? {
        let entry = entry?;
        if is_positional(&entry.path()) {
            total += entry.metadata()?.len();
        }
    }
    Ok(total)
}

impl Directory for ServingDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        if !self.positional || !is_positional(path) {
            return self.mapped.get_file_handle(path);
        }
        let file = File::open(self.root.join(path)).map_err(|error| match error.kind() {
            io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_path_buf()),
            _ => OpenReadError::wrap_io_error(error, path.to_path_buf()),
        })?;
        let len = file
            .metadata()
            .map_err(|error| OpenReadError::wrap_io_error(error, path.to_path_buf()))?
            .len() as usize;
        Ok(Arc::new(PositionalFile { file, len }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mapped.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(watch_callback)
    }
}

/// A file read with `pread`, one read per requested range.
#[derive(Debug)]
struct PositionalFile {
    file: File,
    len: usize,
}

impl HasLen for PositionalFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for PositionalFile {
    /// Reads into a new buffer's spare capacity: zeroing it first was 3 % of the instructions of
    /// a search at 50,000 articles, which reads some 70 term lists.
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let wanted = range.end.min(self.len).saturating_sub(range.start);
        let mut buffer = Vec::with_capacity(wanted);
        while buffer.len() < wanted {
            let offset = (range.start + buffer.len()) as u64;
            match rustix::io::pread(&self.file, rustix::buffer::spare_capacity(&mut buffer), offset) {
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(error) => return Err(error.into()),
            }
        }
        buffer.truncate(wanted);
        Ok(OwnedBytes::new(buffer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_from_the_file() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("a.store"), b"0123456789").unwrap();
        let file = File::open(folder.path().join("a.store")).unwrap();
        let positional = PositionalFile { file, len: 10 };
        assert_eq!(positional.read_bytes(2..5).unwrap().as_slice(), b"234");
        assert_eq!(positional.read_bytes(4..4).unwrap().as_slice(), b"");
        // A small generation maps the file, and reads the same bytes.
        let directory = ServingDirectory::open(folder.path()).unwrap();
        assert!(!directory.positional);
        let handle = directory.get_file_handle(Path::new("a.store")).unwrap();
        assert_eq!(handle.len(), 10);
        assert_eq!(handle.read_bytes(2..5).unwrap().as_slice(), b"234");
        assert!(matches!(
            directory.get_file_handle(Path::new("missing.store")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }

    #[test]
    fn only_a_large_generation_is_read_with_positional_reads() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("a.idx"), b"postings").unwrap();
        std::fs::write(folder.path().join("a.term"), vec![0; 1 << 20]).unwrap();
        assert_eq!(positional_bytes(folder.path()).unwrap(), 8);
        let sparse = File::create(folder.path().join("b.pos")).unwrap();
        sparse.set_len(MAPPED_POSITIONAL_BYTES - 8).unwrap();
        assert!(!ServingDirectory::open(folder.path()).unwrap().positional);
        sparse.set_len(MAPPED_POSITIONAL_BYTES - 7).unwrap();
        assert!(ServingDirectory::open(folder.path()).unwrap().positional);
    }
}

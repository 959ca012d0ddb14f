//! Files written atomically: through a temporary file beside the destination, synced and
//! renamed into place, so a reader sees the old content or the new, never part of it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// A temporary name beside the destination, unique to this write: the process, a counter and
/// the time, so two writes at once (two threads, or two exports of one file) never share it.
fn temp_path(dir: &Path, file_name: &str) -> PathBuf {
    static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    dir.join(format!(
        ".{file_name}.{}-{n}-{nanos}.tmp",
        std::process::id()
    ))
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, then renames it over `path`,
/// so that `path` holds either the old or the new content, never a partial one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if !dir.exists() {
        std::fs::create_dir_all(dir)?;
    }
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let temp = temp_path(dir, &file_name);
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        std::fs::remove_file(&temp).ok();
    }
    result
}

/// A file written through a temporary file beside its destination and renamed into place by
/// [`AtomicFile::commit`]; dropped without committing, it leaves nothing behind.
pub struct AtomicFile {
    path: PathBuf,
    temp: PathBuf,
    writer: Option<std::io::BufWriter<std::fs::File>>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> std::io::Result<Self> {
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "output".into());
        let temp = temp_path(dir, &file_name);
        let file = std::fs::File::create(&temp)?;
        Ok(Self {
            path: path.to_owned(),
            temp,
            writer: Some(std::io::BufWriter::with_capacity(1 << 20, file)),
        })
    }

    /// Where the file goes once committed.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flushes, syncs and renames the file into place; on failure the temporary file is removed
    /// and nothing is left at the destination.
    pub fn commit(mut self) -> std::io::Result<()> {
        let Some(writer) = self.writer.take() else {
            return Err(std::io::Error::other("already committed"));
        };
        let result = writer
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|file| file.sync_all())
            .and_then(|()| std::fs::rename(&self.temp, &self.path));
        if result.is_err() {
            std::fs::remove_file(&self.temp).ok();
        }
        result
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.writer {
            Some(w) => w.write(buf),
            None => Err(std::io::Error::other("already committed")),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.writer {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            std::fs::remove_file(&self.temp).ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncommitted_atomic_file_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        std::fs::write(&path, b"old").unwrap();
        {
            let mut file = AtomicFile::create(&path).unwrap();
            file.write_all(b"half of the new").unwrap();
        }
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let mut file = AtomicFile::create(&path).unwrap();
        file.write_all(b"new").unwrap();
        file.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }

    #[test]
    fn two_writes_of_one_file_at_once_each_land_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pack.pdf");
        // Both open before either commits: with one temporary name per process, the second
        // would have truncated the first's file.
        let mut a = AtomicFile::create(&path).unwrap();
        let mut b = AtomicFile::create(&path).unwrap();
        a.write_all(b"first, whole").unwrap();
        b.write_all(b"second, whole").unwrap();
        a.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"first, whole");
        b.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second, whole");
        std::thread::scope(|scope| {
            for i in 0..8 {
                let path = &path;
                scope.spawn(move || write_atomically(path, format!("write {i}").as_bytes()));
            }
        });
        let last = String::from_utf8(std::fs::read(&path).unwrap()).unwrap();
        assert!(last.starts_with("write "), "{last}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary left"
        );
    }
}

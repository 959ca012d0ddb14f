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

/// Writes files in the background, only the newest bytes of each when writes come quickly: for
/// settings written as the user changes them, so that no frame waits on the disk.
pub struct LatestWriter {
    sender: Option<std::sync::mpsc::Sender<Request>>,
    thread: Option<std::thread::JoinHandle<()>>,
    /// The last write that failed (or the thread that could not start), once, to be said.
    failed: std::sync::Arc<std::sync::Mutex<Option<String>>>,
}

enum Request {
    Write(PathBuf, Vec<u8>),
    Flush(std::sync::mpsc::Sender<()>),
}

impl LatestWriter {
    /// A writer with its own thread; `what` names its files in messages ("settings"). Without
    /// a thread (none could start) it writes on the caller's, and says why once.
    pub fn new(what: &'static str) -> Self {
        let (sender, receiver) = std::sync::mpsc::channel();
        let failed = std::sync::Arc::new(std::sync::Mutex::new(None));
        let thread_failed = failed.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("write {what}"))
            .spawn(move || write_newest(&receiver, what, &thread_failed));
        let thread = match spawned {
            Ok(thread) => Some(thread),
            Err(e) => {
                if let Ok(mut slot) = failed.lock() {
                    *slot = Some(format!(
                        "Could not start writing the {what} in the background ({e}): they are written as they change"
                    ));
                }
                None
            }
        };
        LatestWriter {
            sender: thread.is_some().then_some(sender),
            thread,
            failed,
        }
    }

    /// Writes `bytes` to `path` atomically, in the background.
    pub fn write(&self, path: &Path, bytes: Vec<u8>) {
        let request = Request::Write(path.to_owned(), bytes);
        let unsent = match &self.sender {
            Some(sender) => sender.send(request).err().map(|e| e.0),
            None => Some(request),
        };
        if let Some(Request::Write(path, bytes)) = unsent
            && let Err(e) = write_atomically(&path, &bytes)
        {
            self.fail(format!("Could not write ({e}): {}", path.display()));
        }
    }

    /// Waits until everything asked so far is written.
    pub fn flush(&self) {
        let Some(sender) = &self.sender else {
            return;
        };
        let (done, wait) = std::sync::mpsc::channel();
        if sender.send(Request::Flush(done)).is_ok() {
            wait.recv().ok();
        }
    }

    /// A write that failed since the last call, as a message naming the file.
    pub fn take_failure(&self) -> Option<String> {
        self.failed.lock().ok()?.take()
    }

    fn fail(&self, message: String) {
        log::warn!("{message}");
        if let Ok(mut slot) = self.failed.lock() {
            *slot = Some(message);
        }
    }
}

impl Drop for LatestWriter {
    fn drop(&mut self) {
        self.sender = None; // the thread ends once it has written what is queued
        if let Some(thread) = self.thread.take() {
            thread.join().ok();
        }
    }
}

/// The writing thread: each file's newest bytes, in the order asked.
fn write_newest(
    receiver: &std::sync::mpsc::Receiver<Request>,
    what: &str,
    failed: &std::sync::Mutex<Option<String>>,
) {
    while let Ok(first) = receiver.recv() {
        let mut batch = vec![first];
        batch.extend(receiver.try_iter());
        // A write is skipped only for a newer one of the same file before the next flush: a
        // flush answers once everything asked before it is on disk.
        let superseded = |i: usize, path: &Path| {
            batch[i + 1..]
                .iter()
                .take_while(|r| !matches!(r, Request::Flush(_)))
                .any(|r| matches!(r, Request::Write(p, _) if p == path))
        };
        for (i, request) in batch.iter().enumerate() {
            match request {
                Request::Write(path, _) if superseded(i, path) => {}
                Request::Write(path, bytes) => {
                    if let Err(e) = write_atomically(path, bytes) {
                        let message =
                            format!("The {what} could not be saved ({e}): {}", path.display());
                        log::warn!("{message}");
                        if let Ok(mut slot) = failed.lock() {
                            *slot = Some(message);
                        }
                    }
                }
                Request::Flush(done) => {
                    done.send(()).ok();
                }
            }
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
    fn the_background_writer_writes_the_newest_and_says_what_failed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        let writer = LatestWriter::new("settings");
        for i in 0..50 {
            writer.write(&path, format!("{{\"n\": {i}}}").into_bytes());
        }
        writer.flush();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), r#"{"n": 49}"#);
        assert_eq!(writer.take_failure(), None);
        // A folder where the file should be: the failure is said, once, naming the file.
        let blocked = dir.path().join("blocked");
        std::fs::create_dir(&blocked).unwrap();
        writer.write(&blocked, b"x".to_vec());
        writer.flush();
        let failure = writer.take_failure().expect("the failure is kept");
        assert!(
            failure.starts_with("The settings could not be saved"),
            "{failure}"
        );
        assert!(
            failure.ends_with(&blocked.display().to_string()),
            "{failure}"
        );
        assert_eq!(writer.take_failure(), None, "said once");
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

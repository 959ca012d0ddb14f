//! Autosave: after every edit a scenario's assignment and settings are written, atomically and
//! off the UI thread, into an autosave folder, so that a crash or a killed process loses at most
//! the edit being made. What is left there at the next start can be reopened.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

use super::rules::Rules;
use super::{BlockSet, FootprintDef, Scenario};

/// A scenario as it stands after an edit: enough to write its files.
pub struct Snapshot {
    blocks: Arc<BlockSet>,
    name: String,
    footprints: Vec<FootprintDef>,
    group_of: Vec<Option<u32>>,
    rules: Rules,
}

impl Snapshot {
    pub fn of(scenario: &Scenario, rules: &Rules) -> Self {
        Snapshot {
            blocks: scenario.blocks().clone(),
            name: scenario.name.clone(),
            footprints: scenario.footprints.clone(),
            group_of: scenario.group_of().to_vec(),
            rules: rules.clone(),
        }
    }

    /// Writes the CSV at `csv` and its settings beside it, each atomically.
    fn write(&self, csv: &Path) -> std::io::Result<()> {
        let text = super::file::csv_of(&self.blocks, &self.footprints, &self.group_of);
        crate::fs::write_atomically(csv, text.as_bytes())?;
        let json = super::file::settings_json_of(&self.name, &self.footprints, &self.rules);
        crate::fs::write_atomically(&super::file::settings_path(csv), json.as_bytes())
    }
}

enum Message {
    Save(PathBuf, Box<Snapshot>),
    Forget(PathBuf),
    Flush(Sender<()>),
}

/// Writes snapshots in the background, only the newest of each file when edits come quickly.
/// Its thread starts with the first snapshot, so an app that never edits a scenario has none.
pub struct Autosaver {
    dir: PathBuf,
    worker: std::sync::OnceLock<Worker>,
    /// The last write that failed, once, for the app to say.
    failed: Arc<std::sync::Mutex<Option<String>>>,
    /// Whether the app was told that the autosave thread is not running.
    down_said: std::sync::atomic::AtomicBool,
}

/// The writing thread and the way to it.
struct Worker {
    sender: Option<Sender<Message>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Autosaver {
    /// An autosaver writing into `dir` (made when first needed).
    pub fn new(dir: PathBuf) -> Self {
        Autosaver {
            dir,
            worker: std::sync::OnceLock::new(),
            failed: Arc::new(std::sync::Mutex::new(None)),
            down_said: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// The writing thread, started when first needed.
    fn sender(&self) -> Option<&Sender<Message>> {
        let worker = self.worker.get_or_init(|| {
            let (sender, receiver) = channel();
            let failed = self.failed.clone();
            let spawned = std::thread::Builder::new()
                .name("autosave".into())
                .spawn(move || write_loop(&receiver, &failed));
            // A thread that cannot start is said once, like a write that fails.
            let thread = match spawned {
                Ok(thread) => Some(thread),
                Err(e) => {
                    if let Ok(mut failed) = self.failed.lock() {
                        *failed = Some(format!(
                            "Autosave could not start ({e}): edits are not autosaved to {}",
                            self.dir.display()
                        ));
                    }
                    None
                }
            };
            Worker {
                sender: thread.is_some().then_some(sender),
                thread,
            }
        });
        worker.sender.as_ref()
    }

    /// Where the scenario `id` is autosaved.
    pub fn path_of(&self, id: &str) -> PathBuf {
        self.dir.join(format!("{id}.csv"))
    }

    /// Saves `snapshot` as scenario `id` (in the background).
    pub fn save(&self, id: &str, snapshot: Snapshot) {
        let path = self.path_of(id);
        let sent = self.sender().is_some_and(|s| {
            s.send(Message::Save(path.clone(), Box::new(snapshot)))
                .is_ok()
        });
        // The thread gone (or never started): said once, like a write that fails.
        if !sent
            && !self
                .down_said
                .swap(true, std::sync::atomic::Ordering::Relaxed)
            && let Ok(mut failed) = self.failed.lock()
            && failed.is_none()
        {
            *failed = Some(format!(
                "Could not autosave the scenario (the autosave thread is not running): {}",
                path.display()
            ));
        }
    }

    /// Removes scenario `id`'s autosave (saved by the user, or closed with nothing to keep),
    /// after any write of it still queued.
    pub fn forget(&self, id: &str) {
        if let Some(sender) = self.sender() {
            sender.send(Message::Forget(self.path_of(id))).ok();
        }
    }

    /// Waits until everything sent so far is written.
    pub fn flush(&self) {
        let Some(sender) = self.worker.get().and_then(|w| w.sender.as_ref()) else {
            return; // nothing was ever sent
        };
        let (done, wait) = channel();
        if sender.send(Message::Flush(done)).is_ok() {
            wait.recv().ok();
        }
    }

    /// A write that failed since the last call, as a message naming the file.
    pub fn take_failure(&self) -> Option<String> {
        self.failed.lock().ok()?.take()
    }
}

impl Drop for Autosaver {
    fn drop(&mut self) {
        if let Some(worker) = self.worker.get_mut() {
            worker.sender = None; // the thread ends once it has written what is queued
            if let Some(thread) = worker.thread.take() {
                thread.join().ok();
            }
        }
    }
}

/// The autosave thread: writes each file's newest snapshot, in the order asked.
fn write_loop(receiver: &Receiver<Message>, failed: &std::sync::Mutex<Option<String>>) {
    while let Ok(first) = receiver.recv() {
        // Whatever else is already waiting: only the newest snapshot of each file is written.
        let mut batch = vec![first];
        batch.extend(receiver.try_iter());
        let mut newest: Vec<usize> = Vec::new();
        for (i, message) in batch.iter().enumerate() {
            if let Message::Save(path, _) | Message::Forget(path) = message {
                newest.retain(|&j| !matches!(&batch[j], Message::Save(p, _) | Message::Forget(p) if p == path));
                newest.push(i);
            }
        }
        for (i, message) in batch.iter().enumerate() {
            match message {
                Message::Save(path, snapshot) if newest.contains(&i) => {
                    let written = path
                        .parent()
                        .map_or(Ok(()), std::fs::create_dir_all)
                        .and_then(|()| snapshot.write(path));
                    if let Err(e) = written
                        && let Ok(mut slot) = failed.lock()
                    {
                        *slot = Some(format!(
                            "Could not autosave the scenario ({e}): {}",
                            path.display()
                        ));
                    }
                }
                Message::Forget(path) if newest.contains(&i) => {
                    std::fs::remove_file(path).ok();
                    std::fs::remove_file(super::file::settings_path(path)).ok();
                }
                Message::Flush(done) => {
                    done.send(()).ok();
                }
                _ => {}
            }
        }
    }
}

/// The scenarios autosaved in `dir` and not yet reopened or forgotten, newest first.
pub fn left_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<(std::time::SystemTime, PathBuf)> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "csv"))
        .map(|p| {
            let modified = std::fs::metadata(&p)
                .and_then(|m| m.modified())
                .unwrap_or(std::time::UNIX_EPOCH);
            (modified, p)
        })
        .collect();
    found.sort_by_key(|f| std::cmp::Reverse(f.0));
    found.into_iter().map(|(_, p)| p).collect()
}

/// A new autosave name for a scenario: the time, and a count for several in one second.
pub fn new_id() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    format!(
        "scenario-{seconds}-{}-{}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    )
}

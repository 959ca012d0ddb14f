//! One background job: a named thread whose single answer comes back through a channel, with
//! a repaint asked for when it is ready, so the UI thread only ever polls.

use std::sync::mpsc::{Receiver, TryRecvError};

/// A job running on its own thread.
pub struct Job<T> {
    receiver: Receiver<T>,
}

/// What a poll found.
pub enum Polled<T> {
    /// Still running.
    Pending,
    /// Finished with this answer.
    Done(T),
    /// The thread ended without answering (it panicked).
    Lost,
}

impl<T: Send + 'static> Job<T> {
    /// Runs `work` on a thread called `name`; `Err` when no thread could be started.
    pub fn spawn(
        name: &str,
        ctx: &egui::Context,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> std::io::Result<Self> {
        let (sender, receiver) = std::sync::mpsc::channel();
        let ctx = ctx.clone();
        std::thread::Builder::new()
            .name(name.to_string())
            .spawn(move || {
                // The app may have dropped the job (a cancelled load): then nobody listens.
                sender.send(work()).ok();
                // What the job read and dropped goes back to the system, not kept by it.
                crate::memory::release_freed();
                ctx.request_repaint();
            })?;
        Ok(Self { receiver })
    }

    /// The answer, if it has come.
    pub fn poll(&self) -> Polled<T> {
        match self.receiver.try_recv() {
            Ok(answer) => Polled::Done(answer),
            Err(TryRecvError::Empty) => Polled::Pending,
            Err(TryRecvError::Disconnected) => Polled::Lost,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wait<T: Send + 'static>(job: &Job<T>) -> Polled<T> {
        // Up to ten seconds: a panicking thread may print a long backtrace first.
        for _ in 0..5000 {
            match job.poll() {
                Polled::Pending => std::thread::sleep(std::time::Duration::from_millis(2)),
                other => return other,
            }
        }
        Polled::Pending
    }

    #[test]
    fn answers_arrive_and_a_panic_is_lost_not_hung() {
        let ctx = egui::Context::default();
        let job = Job::spawn("answer", &ctx, || 6 * 7).unwrap();
        assert!(matches!(wait(&job), Polled::Done(42)));
        let job: Job<u8> = Job::spawn("panics", &ctx, || panic!("on purpose")).unwrap();
        assert!(matches!(wait(&job), Polled::Lost));
    }
}

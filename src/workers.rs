//! The one shape of Obole's background threads: a worker says what it does in one round;
//! [`start`] runs its rounds on a thread of its own until the returned [`Running`] is stopped
//! or dropped. The mail outbox, the month-end settlement, browse's totals and the write
//! batchers all run this way, so that each is started, stopped and logged alike. Written by
//! hand: a thread and a channel are all it takes, and a scheduler crate would bring an async
//! runtime the blocking database work does not want.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

/// What a round found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Round {
    /// Nothing more is waiting: rest for the worker's interval.
    Idle,
    /// More work is probably waiting: start the next round at once.
    Busy,
}

/// A background worker: its name and one round of its work.
pub trait Worker: Send + 'static {
    /// The thread's name, also used in logs.
    fn name(&self) -> &'static str;

    /// Does one round of work. An error is logged and the worker rests before trying again.
    fn round(&mut self) -> anyhow::Result<Round>;
}

/// A started worker. Dropping it stops the worker after its current round, as [`Running::stop`]
/// does without waiting.
#[derive(Debug)]
pub struct Running {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Running {
    /// Stops the worker and waits for its current round to end.
    pub fn stop(mut self) {
        self.stop.take();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        // Closing the channel wakes the worker, which stops; it is not waited for here.
        self.stop.take();
    }
}

/// Runs `worker`'s rounds, resting `every` after an idle round or a failed one.
pub fn start<W: Worker>(mut worker: W, every: Duration) -> std::io::Result<Running> {
    let (stop, stopped) = mpsc::channel::<()>();
    let thread = std::thread::Builder::new()
        .name(format!("obole-{}", worker.name()))
        .spawn(move || {
            loop {
                let rest = match worker.round() {
                    Ok(Round::Busy) => Duration::ZERO,
                    Ok(Round::Idle) => every,
                    Err(error) => {
                        tracing::warn!(worker = worker.name(), error = %format!("{error:#}"), "a worker's round failed");
                        every
                    }
                };
                match stopped.recv_timeout(rest) {
                    Err(RecvTimeoutError::Timeout) => {}
                    // Stopped, or its `Running` dropped.
                    Ok(()) | Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        })?;
    Ok(Running {
        stop: Some(stop),
        thread: Some(thread),
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    struct Counting(Arc<AtomicUsize>, usize);

    impl Worker for Counting {
        fn name(&self) -> &'static str {
            "counting"
        }

        fn round(&mut self) -> anyhow::Result<Round> {
            let n = self.0.fetch_add(1, Ordering::SeqCst) + 1;
            Ok(if n < self.1 { Round::Busy } else { Round::Idle })
        }
    }

    #[test]
    fn busy_rounds_follow_at_once_and_stop_ends_the_thread() {
        let rounds = Arc::new(AtomicUsize::new(0));
        // An hour's rest after the fifth round: only the busy rounds can have run.
        let running =
            start(Counting(Arc::clone(&rounds), 5), Duration::from_secs(3600)).expect("thread");
        for _ in 0..200 {
            if rounds.load(Ordering::SeqCst) >= 5 {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        running.stop();
        assert_eq!(rounds.load(Ordering::SeqCst), 5);
    }
}

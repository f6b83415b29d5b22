use std::sync::mpsc as std_mpsc;
use std::sync::{Arc, Mutex};

use super::*;

/// Doubles each job and remembers the size of every batch; a job of 0 holds the batch until
/// the test releases it.
struct Doubling {
    sizes: Arc<Mutex<Vec<usize>>>,
    hold: Option<std_mpsc::Receiver<()>>,
}

impl Batch for Doubling {
    type Job = u32;
    type Answer = u32;

    fn name(&self) -> &'static str {
        "doubling"
    }

    fn run(&mut self, jobs: Vec<u32>) -> Vec<u32> {
        if let Some(hold) = self.hold.as_ref().filter(|_| jobs.contains(&0)) {
            hold.recv().expect("released");
        }
        self.sizes.lock().expect("sizes").push(jobs.len());
        jobs.into_iter().map(|j| j * 2).collect()
    }
}

/// A started batcher, the sizes of its batches, and what releases a held batch.
type Started = (
    Arc<Batcher<Doubling>>,
    Arc<Mutex<Vec<usize>>>,
    std_mpsc::Sender<()>,
);

fn start(queue: usize) -> Started {
    let sizes = Arc::new(Mutex::new(Vec::new()));
    let (release, hold) = std_mpsc::channel();
    let batch = Doubling {
        sizes: Arc::clone(&sizes),
        hold: Some(hold),
    };
    let limits = Limits {
        max_batch: 3,
        queue,
    };
    let batcher = Batcher::start(batch, limits).expect("thread");
    (Arc::new(batcher), sizes, release)
}

#[tokio::test]
async fn jobs_waiting_together_share_a_batch_of_at_most_the_maximum() {
    let (batcher, sizes, release) = start(16);
    let blocker = tokio::spawn({
        let batcher = Arc::clone(&batcher);
        async move { batcher.submit(0).await }
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let waiting: Vec<_> = (1..=5)
        .map(|n| {
            let batcher = Arc::clone(&batcher);
            tokio::spawn(async move { batcher.submit(n).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(150)).await;
    release.send(()).expect("release");
    assert_eq!(blocker.await.expect("task"), Ok(0));
    for (n, job) in (1..=5).zip(waiting) {
        assert_eq!(job.await.expect("task"), Ok(n * 2));
    }
    assert_eq!(*sizes.lock().expect("sizes"), vec![1, 3, 2]);
}

#[tokio::test]
async fn a_full_queue_refuses_at_once() {
    let (batcher, _sizes, release) = start(1);
    let blocker = tokio::spawn({
        let batcher = Arc::clone(&batcher);
        async move { batcher.submit(0).await }
    });
    tokio::time::sleep(Duration::from_millis(150)).await;
    let queued = tokio::spawn({
        let batcher = Arc::clone(&batcher);
        async move { batcher.submit(1).await }
    });
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(batcher.submit(2).await, Err(BatchError::Busy));
    release.send(()).expect("release");
    assert_eq!(blocker.await.expect("task"), Ok(0));
    assert_eq!(queued.await.expect("task"), Ok(2));
}

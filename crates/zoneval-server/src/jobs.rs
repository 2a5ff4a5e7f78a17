//! Monte Carlo jobs: a run started by one request and polled by others, so the page can show
//! how many samples are done. The job runs the same analysis as `POST /api/monte-carlo` (and
//! the CLI's `sensitivity monte-carlo`); the engine reports each finished block of samples to
//! the job's counter, which never affects the results.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{Value, json};

use zoneval_core::sensitivity::Progress;

use crate::api::ApiError;

/// Jobs that may run at once (one machine's cores are shared by every client).
pub const MAX_RUNNING: usize = 2;
/// Finished jobs kept for polling; older ones are forgotten.
pub const KEEP_FINISHED: usize = 16;

/// One run: its progress and, once it has ended, its answer.
#[derive(Debug, Default)]
pub struct Job {
    total: AtomicU64,
    done: AtomicU64,
    outcome: Mutex<Option<Result<Value, (u16, String)>>>,
}

impl Progress for Job {
    fn start(&self, total: u64) {
        self.total.store(total, Ordering::Relaxed);
    }

    fn inc(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }
}

impl Job {
    /// Records the answer.
    pub fn finish(&self, outcome: Result<Value, ApiError>) {
        let o = outcome.map_err(|e| (e.status().as_u16(), e.message().to_string()));
        *self.outcome.lock().unwrap_or_else(|p| p.into_inner()) = Some(o);
    }

    fn ended(&self) -> bool {
        self.outcome
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .is_some()
    }

    /// `{ state, done, total }`, with `result` once done or `error` (and its HTTP status) if
    /// it failed.
    pub fn status(&self, id: u64) -> Value {
        let (done, total) = (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        );
        let outcome = self.outcome.lock().unwrap_or_else(|p| p.into_inner());
        match &*outcome {
            None => json!({ "job": id, "state": "running", "done": done, "total": total }),
            Some(Ok(v)) => {
                json!({ "job": id, "state": "done", "done": done, "total": total, "result": v })
            }
            Some(Err((status, e))) => json!({
                "job": id, "state": "failed", "done": done, "total": total,
                "status": status, "error": e,
            }),
        }
    }
}

/// The jobs of a server, oldest first.
#[derive(Debug, Default)]
pub struct Jobs {
    next: u64,
    list: VecDeque<(u64, Arc<Job>)>,
}

impl Jobs {
    /// A new job with `total` units to do, or `None` when [`MAX_RUNNING`] are running.
    pub fn add(&mut self, total: u64) -> Option<(u64, Arc<Job>)> {
        if self.list.iter().filter(|(_, j)| !j.ended()).count() >= MAX_RUNNING {
            return None;
        }
        // Forget the oldest finished jobs beyond the ones kept.
        while self.list.iter().filter(|(_, j)| j.ended()).count() >= KEEP_FINISHED {
            let Some(i) = self.list.iter().position(|(_, j)| j.ended()) else {
                break;
            };
            self.list.remove(i);
        }
        self.next += 1;
        let job = Arc::new(Job::default());
        job.total.store(total, Ordering::Relaxed);
        self.list.push_back((self.next, job.clone()));
        Some((self.next, job))
    }

    /// The job `id`, if known.
    pub fn get(&self, id: u64) -> Option<Arc<Job>> {
        self.list
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, j)| j.clone())
    }
}

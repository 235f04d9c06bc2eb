//! A few long-lived threads that analyses run on, off the runtime thread.
//!
//! Not tokio's blocking pool: that one starts a thread per concurrent job and lets idle
//! ones go after ten seconds, and every new thread that runs the rules builds its own
//! regex caches and parser buffers, which the regex pools keep after the thread is gone.
//! A fixed set of threads keeps that memory bounded (tests/load.rs: memory back after
//! closing 200 documents).

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

type Job = Box<dyn FnOnce() + Send>;

/// What a job gives: its value, or the payload of its panic.
pub type Outcome<T> = Result<T, Box<dyn Any + Send>>;

/// A fixed set of worker threads taking jobs in arrival order.
pub struct Pool {
    sender: mpsc::Sender<Job>,
}

impl Pool {
    /// Starts `threads` threads named `name-N`. A thread that cannot be started leaves the
    /// others (and with none, jobs run on the caller's thread).
    pub fn new(name: &str, threads: usize) -> Pool {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for n in 0..threads {
            let receiver = Arc::clone(&receiver);
            let spawned = std::thread::Builder::new()
                .name(format!("{name}-{n}"))
                .spawn(move || {
                    loop {
                        let job = {
                            let receiver = receiver
                                .lock()
                                .unwrap_or_else(|poisoned| poisoned.into_inner());
                            receiver.recv()
                        };
                        match job {
                            // A job catches its own panics (see `run`).
                            Ok(job) => job(),
                            Err(_) => return,
                        }
                    }
                });
            drop(spawned);
        }
        Pool { sender }
    }

    /// Runs `work` on one of the threads and gives its outcome; a panic in `work` is
    /// caught and given back as the `Err` payload.
    pub async fn run<T, F>(&self, work: F) -> Outcome<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let outcome = catch_unwind(AssertUnwindSafe(work));
            let _ = reply.send(outcome);
        });
        if let Err(mpsc::SendError(job)) = self.sender.send(job) {
            // No thread is left: run it here rather than never.
            job();
        }
        match answer.await {
            Ok(outcome) => outcome,
            Err(_) => Err(Box::new("the worker thread ended before the job did")),
        }
    }
}

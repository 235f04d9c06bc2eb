//! What an analysis off the state lock works from.
//!
//! A handler takes a [`Snapshot`] of one open document under the state lock (the
//! document itself behind an `Arc`, its version, its configuration, its analysis state and
//! what the client can do) and the work runs on a blocking worker thread without the lock.
//! The document's analysis state has a lock of its own, so two requests on one document
//! take turns, while a request on another document never waits for them.
//!
//! A request that the client cancels (`$/cancelRequest`) is dropped by tower-lsp-server,
//! which answers it with RequestCancelled; dropping it raises its [`Cancel`] flag, and the
//! work on the worker thread stops at its next check point ([`Snapshot::cancelled`]).

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use reframe_core::document::{Document, PositionEncoding};

use crate::ClientSupport;
use crate::publish::DocumentAnalysis;
use crate::settings::Profile;

/// Documents larger than this (in bytes) get the structural rules only; a
/// `window/showMessage` says so when a document crosses it.
pub const FULL_ANALYSIS_LIMIT: usize = 5 * 1024 * 1024;

/// One open document as it was when the snapshot was taken.
pub struct Snapshot {
    pub doc: Arc<Document>,
    pub version: i32,
    pub profile: Profile,
    pub analysis: Arc<Mutex<DocumentAnalysis>>,
    pub encoding: PositionEncoding,
    pub client: ClientSupport,
    pub cancel: Cancel,
}

impl Snapshot {
    /// Whether the request this snapshot serves was cancelled (or its answer is no longer
    /// awaited): work stops here.
    pub fn cancelled(&self) -> bool {
        self.cancel.is_set()
    }

    /// Whether the document is too large for the wording rules.
    pub fn limited(&self) -> bool {
        self.doc.len_bytes() > FULL_ANALYSIS_LIMIT
    }
}

/// A flag raised when the request it belongs to is dropped (cancelled or answered).
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// A guard that raises the flag when dropped.
    pub fn on_drop(&self) -> CancelOnDrop {
        CancelOnDrop(self.clone())
    }
}

/// Raises its [`Cancel`] flag when dropped: held by a request's future, it tells the
/// worker thread that nobody waits for the answer any more.
pub struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        (self.0).0.store(true, Ordering::Relaxed);
    }
}

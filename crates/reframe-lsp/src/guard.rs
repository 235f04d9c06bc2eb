//! A service around the LSP service that keeps the protocol's promises whatever the
//! handlers do.
//!
//! - A handler that panics is caught: the panic is logged with the method and the document
//!   URI, a request is answered with an internal error (-32603), and the server goes on.
//! - Every request is answered. tower-lsp-server 0.23 drops the answer to an unknown request
//!   whose method starts with `$/`, where LSP asks for MethodNotFound (-32601).
//! - A message the transport could not decode arrives as a request for
//!   [`MALFORMED`](super::transport::MALFORMED) and is answered with the error it carries.
//! - It records whether `shutdown` succeeded, which decides the exit code: 0 when the client
//!   shut the server down before leaving, 1 otherwise.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use serde_json::Value;
use tower_lsp_server::jsonrpc::{Error, ErrorCode, Id, Request, Response};
use tower_lsp_server::ls_types::MessageType;
use tower_lsp_server::{Client, ExitedError};
use tower_service::Service;

use crate::transport::MALFORMED;

/// Whether the client shut the server down; shared between the guard and whoever runs it.
#[derive(Clone, Debug, Default)]
pub struct ShutdownFlag(Arc<AtomicBool>);

impl ShutdownFlag {
    /// Whether a `shutdown` request was answered with success.
    pub fn is_set(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    fn set(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Wraps a JSON-RPC service (the [`tower_lsp_server::LspService`]) as the module says.
pub struct Guard<S> {
    inner: S,
    client: Client,
    shut_down: ShutdownFlag,
}

impl<S> Guard<S> {
    /// Wraps `inner`; messages about caught panics go to the client through `client`.
    pub fn new(inner: S, client: Client) -> Guard<S> {
        Guard {
            inner,
            client,
            shut_down: ShutdownFlag::default(),
        }
    }

    /// The flag that tells whether the client shut the server down.
    pub fn shutdown_flag(&self) -> ShutdownFlag {
        self.shut_down.clone()
    }
}

type Answer = Result<Option<Response>, ExitedError>;

impl<S> Service<Request> for Guard<S>
where
    S: Service<Request, Response = Option<Response>, Error = ExitedError>,
    S::Future: Send + 'static,
{
    type Response = Option<Response>;
    type Error = ExitedError;
    type Future = Pin<Box<dyn Future<Output = Answer> + Send>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), ExitedError>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if request.method() == MALFORMED {
            return Box::pin(answer_malformed(request, self.client.clone()));
        }
        let method = request.method().to_string();
        let id = request.id().cloned();
        let uri = document_uri(request.params());
        let client = self.client.clone();
        let shut_down = self.shut_down.clone();
        let called = catch_unwind(AssertUnwindSafe(|| self.inner.call(request)));
        Box::pin(async move {
            let outcome = match called {
                Ok(future) => CatchUnwind(Box::pin(future)).await,
                Err(panic) => Err(panic),
            };
            match outcome {
                Ok(Ok(Some(response))) => {
                    if method == "shutdown" && response.is_ok() {
                        shut_down.set();
                    }
                    Ok(Some(response))
                }
                Ok(Ok(None)) => Ok(id.map(|id| method_not_found(id, &method))),
                Ok(Err(exited)) => Err(exited),
                Err(panic) => {
                    let what = panic_message(panic.as_ref());
                    let place = uri.map_or(String::new(), |uri| format!(" for {uri}"));
                    let text = format!("internal error in {method}{place}: {what}");
                    eprintln!("reframe: {text}");
                    client
                        .log_message(MessageType::ERROR, format!("{text}; the server goes on"))
                        .await;
                    Ok(id.map(|id| {
                        let mut error = Error::internal_error();
                        error.message = text.into();
                        Response::from_error(id, error)
                    }))
                }
            }
        })
    }
}

/// The MethodNotFound answer to a request nothing answered.
fn method_not_found(id: Id, method: &str) -> Response {
    let mut error = Error::method_not_found();
    error.data = Some(Value::String(method.to_string()));
    Response::from_error(id, error)
}

/// Answers a message the transport could not decode with the error it carries.
async fn answer_malformed(request: Request, client: Client) -> Answer {
    let (_, id, params) = request.into_parts();
    let params = params.unwrap_or(Value::Null);
    let code = params["code"]
        .as_i64()
        .unwrap_or(ErrorCode::ParseError.code());
    let message = params["message"]
        .as_str()
        .unwrap_or("unreadable message")
        .to_string();
    client
        .log_message(
            MessageType::WARNING,
            format!("ignored a message from the client: {message}"),
        )
        .await;
    let error = Error {
        code: ErrorCode::from(code),
        message: message.into(),
        data: None,
    };
    Ok(Some(Response::from_error(id.unwrap_or(Id::Null), error)))
}

/// The document a request or notification is about, if it names one.
fn document_uri(params: Option<&Value>) -> Option<String> {
    let params = params?;
    [
        &params["textDocument"]["uri"],
        &params["data"]["uri"],
        &params["uri"],
    ]
    .into_iter()
    .find_map(|uri| uri.as_str().map(str::to_string))
}

/// The message of a panic payload.
fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(text) = panic.downcast_ref::<&str>() {
        (*text).to_string()
    } else if let Some(text) = panic.downcast_ref::<String>() {
        text.clone()
    } else {
        "a panic".to_string()
    }
}

/// A future that turns a panic while it is polled into an `Err` with the panic's payload.
struct CatchUnwind<F>(Pin<Box<F>>);

impl<F: Future> Future for CatchUnwind<F> {
    type Output = Result<F::Output, Box<dyn Any + Send>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let future = self.get_mut().0.as_mut();
        match catch_unwind(AssertUnwindSafe(|| future.poll(cx))) {
            Ok(Poll::Pending) => Poll::Pending,
            Ok(Poll::Ready(output)) => Poll::Ready(Ok(output)),
            Err(panic) => Poll::Ready(Err(panic)),
        }
    }
}

//! The input side of the stdio transport: reads the client's frames before tower-lsp-server
//! does, so that no message can stop the server.
//!
//! tower-lsp-server 0.23 reads its input with a `FramedRead`, and that stream ends at the
//! first message it cannot decode: invalid JSON, a body that is not UTF-8, a JSON value that
//! is no JSON-RPC message, a bad header. The server then stops as if the client had left.
//! [`Input`] frames the messages itself and hands on only those that decode; a message that
//! does not is replaced by a request for [`MALFORMED`] that carries the JSON-RPC error the
//! message deserves, which [`super::guard::Guard`] answers and logs. So the client gets a
//! parse error (or an invalid-request error) and the server goes on.
//!
//! Lone UTF-16 surrogates written as `\uXXXX` escapes in JSON strings are replaced by
//! `\ufffd`, U+FFFD REPLACEMENT CHARACTER, before decoding. Editors that hold text as
//! JavaScript strings can send them, and `serde_json` refuses them, which would lose the
//! whole message. The replacement escape has the same length, and U+FFFD is one UTF-16 code
//! unit as the surrogate was, so the UTF-16 positions the client computes stay right.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use serde_json::{Value, json};
use tokio::io::{AsyncRead, ReadBuf};
use tower_lsp_server::jsonrpc::{ErrorCode, Request, Response};

/// The method of the request that stands for a message that could not be decoded. Its
/// `id` is the message's own when one could be read, else `null`; its params are the
/// `code` and `message` of the error to answer with.
pub const MALFORMED: &str = "$/reframe/malformedMessage";

/// The largest header block accepted; longer ones are answered as parse errors.
const MAX_HEADER: usize = 64 * 1024;

/// The largest message body accepted; larger ones are skipped and answered as parse errors.
const MAX_BODY: usize = 512 * 1024 * 1024;

/// The size of one read from the underlying input.
const CHUNK: usize = 64 * 1024;

/// Where the reader is in the byte stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// Reading a header block.
    Headers,
    /// Waiting for a body of this many bytes.
    Body(usize),
    /// Skipping this many bytes of an oversized body.
    Skip(usize),
    /// After a bad header: skipping to the next `Content-Length`.
    Resync,
}

/// An [`AsyncRead`] that passes on the decodable messages of `inner`, each framed with a
/// `Content-Length` header, and replaces every other message as the module says.
pub struct Input<R> {
    inner: R,
    /// Bytes read from `inner` and not yet framed.
    raw: Vec<u8>,
    /// Framed messages ready to be read, from `out_pos` on.
    out: Vec<u8>,
    out_pos: usize,
    mode: Mode,
    eof: bool,
}

impl<R> Input<R> {
    /// Wraps a byte stream of LSP frames.
    pub fn new(inner: R) -> Input<R> {
        Input {
            inner,
            raw: Vec::new(),
            out: Vec::new(),
            out_pos: 0,
            mode: Mode::Headers,
            eof: false,
        }
    }

    /// Moves what can be framed from `raw` to `out`. Returns whether anything changed.
    fn frame(&mut self) -> bool {
        match self.mode {
            Mode::Headers => self.read_headers(),
            Mode::Body(length) => {
                if self.raw.len() < length {
                    return false;
                }
                let rest = self.raw.split_off(length);
                let body = std::mem::replace(&mut self.raw, rest);
                self.mode = Mode::Headers;
                self.pass_on(body);
                true
            }
            Mode::Skip(left) => {
                let skipped = left.min(self.raw.len());
                if skipped == 0 {
                    return false;
                }
                self.raw.drain(..skipped);
                self.mode = match left - skipped {
                    0 => Mode::Headers,
                    left => Mode::Skip(left),
                };
                true
            }
            Mode::Resync => {
                let marker = b"Content-Length";
                if let Some(at) = find(&self.raw, marker) {
                    self.raw.drain(..at);
                    self.mode = Mode::Headers;
                    return true;
                }
                // Keep a tail that may be the start of the marker.
                let keep = marker.len() - 1;
                if self.raw.len() > keep {
                    let drop = self.raw.len() - keep;
                    self.raw.drain(..drop);
                    return true;
                }
                false
            }
        }
    }

    /// Reads one header block from `raw`, if a whole one is there.
    fn read_headers(&mut self) -> bool {
        // Blank lines between messages are tolerated.
        let blank = self
            .raw
            .iter()
            .take_while(|b| matches!(b, b'\r' | b'\n'))
            .count();
        if blank > 0 {
            self.raw.drain(..blank);
            return true;
        }
        let Some((end, next)) = header_end(&self.raw) else {
            if self.raw.len() > MAX_HEADER {
                self.malformed(Value::Null, "the message header is too long".to_string());
                // Drop a byte so that the search for the next header starts past this one.
                self.raw.drain(..1);
                self.mode = Mode::Resync;
                return true;
            }
            return false;
        };
        let length = match content_length(&self.raw[..end]) {
            Ok(length) => length,
            Err((problem, Some(length))) => {
                // The body's extent is known all the same: skipped whole, the stream stays
                // in step.
                self.malformed(Value::Null, problem);
                self.raw.drain(..next);
                self.mode = Mode::Skip(length);
                return true;
            }
            Err((problem, None)) => {
                self.malformed(Value::Null, problem);
                // Drop a byte so that the search for the next header starts past this one.
                self.raw.drain(..1);
                self.mode = Mode::Resync;
                return true;
            }
        };
        self.raw.drain(..next);
        if length > MAX_BODY {
            self.malformed(
                Value::Null,
                format!("a message of {length} bytes is larger than the {MAX_BODY} accepted"),
            );
            self.mode = Mode::Skip(length);
        } else {
            self.mode = Mode::Body(length);
        }
        true
    }

    /// Passes on one message body, or what stands for it when it cannot be decoded.
    fn pass_on(&mut self, mut body: Vec<u8>) {
        replace_lone_surrogates(&mut body);
        let text = match std::str::from_utf8(&body) {
            Ok(text) => text,
            Err(err) => {
                self.malformed(Value::Null, format!("the message is not UTF-8: {err}"));
                return;
            }
        };
        match check_message(text) {
            Ok(()) => self.push_frame(&body),
            Err(Bad::Syntax(problem)) => self.malformed(Value::Null, problem),
            Err(Bad::Shape(id, problem)) => {
                let error = json!({"code": ErrorCode::InvalidRequest.code(), "message": problem});
                self.push_request(id, error);
            }
        }
    }

    /// Queues the request that stands for an undecodable message: a parse error.
    fn malformed(&mut self, id: Value, problem: String) {
        let error = json!({"code": ErrorCode::ParseError.code(), "message": problem});
        self.push_request(id, error);
    }

    fn push_request(&mut self, id: Value, error: Value) {
        let request = json!({"jsonrpc": "2.0", "id": id, "method": MALFORMED, "params": error});
        self.push_frame(request.to_string().as_bytes());
    }

    fn push_frame(&mut self, body: &[u8]) {
        self.out
            .extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
        self.out.extend_from_slice(body);
    }
}

impl<R: AsyncRead + Unpin> AsyncRead for Input<R> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        loop {
            if this.out_pos < this.out.len() {
                let n = buf.remaining().min(this.out.len() - this.out_pos);
                buf.put_slice(&this.out[this.out_pos..this.out_pos + n]);
                this.out_pos += n;
                if this.out_pos == this.out.len() {
                    this.out.clear();
                    this.out_pos = 0;
                }
                return Poll::Ready(Ok(()));
            }
            if this.frame() {
                continue;
            }
            if this.eof {
                // A partial message at the end of the input is dropped: nobody is left to
                // answer.
                return Poll::Ready(Ok(()));
            }
            let mut chunk = [0u8; CHUNK];
            let mut read = ReadBuf::new(&mut chunk);
            match Pin::new(&mut this.inner).poll_read(cx, &mut read) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(err)) => return Poll::Ready(Err(err)),
                Poll::Ready(Ok(())) if read.filled().is_empty() => this.eof = true,
                Poll::Ready(Ok(())) => this.raw.extend_from_slice(read.filled()),
            }
        }
    }
}

/// The first position of `needle` in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Where the header block at the start of `raw` ends (its length without the blank line)
/// and where the body starts. Lines end with `\r\n`; a bare `\n` is tolerated.
fn header_end(raw: &[u8]) -> Option<(usize, usize)> {
    let mut line_start = 0;
    for (i, &b) in raw.iter().enumerate() {
        if b != b'\n' {
            continue;
        }
        let line = &raw[line_start..i];
        if line.is_empty() || line == b"\r" {
            return Some((line_start, i + 1));
        }
        line_start = i + 1;
    }
    None
}

/// The `Content-Length` of a header block, or what is wrong with the block (and, when
/// the block repeats one `Content-Length`, the length of the body to skip).
fn content_length(headers: &[u8]) -> Result<usize, (String, Option<usize>)> {
    let text = std::str::from_utf8(headers)
        .map_err(|_| ("the message header is not UTF-8".to_string(), None))?;
    let mut lengths = Vec::new();
    for line in text.lines() {
        let Some((name, value)) = line.split_once(':') else {
            return Err((
                format!("bad message header line {:?}", line.trim_end()),
                None,
            ));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let value = value.trim();
            lengths.push(
                value
                    .parse::<usize>()
                    .map_err(|_| (format!("bad Content-Length {value:?}"), None))?,
            );
        }
    }
    match lengths[..] {
        [] => Err(("the message has no Content-Length header".to_string(), None)),
        [length] => Ok(length),
        // Which length frames the body would be a guess, and a wrong guess misreads every
        // later message: the message is refused, and skipped when the lengths agree.
        [first, ..] => {
            let agree = lengths.iter().all(|&l| l == first);
            Err((
                format!(
                    "the message has {} Content-Length headers; one is allowed",
                    lengths.len()
                ),
                agree.then_some(first),
            ))
        }
    }
}

/// Why a body is not a JSON-RPC message.
enum Bad {
    /// It is not JSON.
    Syntax(String),
    /// It is JSON but no JSON-RPC message; the id, if one could be read.
    Shape(Value, String),
}

/// Checks that a body decodes as tower-lsp-server will decode it: a request, a
/// notification or a response.
fn check_message(text: &str) -> Result<(), Bad> {
    let err = match serde_json::from_str::<Request>(text) {
        Ok(_) => return Ok(()),
        Err(err) => err,
    };
    if err.is_syntax() || err.is_eof() || err.is_io() {
        return Err(Bad::Syntax(format!("the message is not JSON: {err}")));
    }
    if serde_json::from_str::<Response>(text).is_ok() {
        return Ok(());
    }
    let id = serde_json::from_str::<Value>(text)
        .ok()
        .and_then(|value| value.get("id").cloned())
        .filter(|id| id.is_i64() || id.is_string())
        .unwrap_or(Value::Null);
    Err(Bad::Shape(
        id,
        format!("the message is no JSON-RPC 2.0 request, notification or response: {err}"),
    ))
}

/// The value of four hex digits at `at`, if there are four.
fn hex4(bytes: &[u8], at: usize) -> Option<u16> {
    let digits = bytes.get(at..at + 4)?;
    let text = std::str::from_utf8(digits).ok()?;
    if !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u16::from_str_radix(text, 16).ok()
}

fn is_high_surrogate(unit: u16) -> bool {
    (0xD800..0xDC00).contains(&unit)
}

fn is_low_surrogate(unit: u16) -> bool {
    (0xDC00..0xE000).contains(&unit)
}

/// Replaces every `\uXXXX` escape of a lone surrogate inside a JSON string by `\ufffd`, in
/// place. A high surrogate escape directly followed by a low one is a pair and stays.
/// Returns how many were replaced.
pub fn replace_lone_surrogates(body: &mut [u8]) -> usize {
    // Quick exit for the usual message, which has no surrogate escape at all.
    let has_escape = body
        .windows(3)
        .any(|w| w[0] == b'\\' && w[1] == b'u' && matches!(w[2], b'd' | b'D'));
    if !has_escape {
        return 0;
    }
    let mut replaced = 0;
    let mut in_string = false;
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'"' => {
                in_string = !in_string;
                i += 1;
            }
            b'\\' if in_string => {
                let Some(unit) = (body.get(i + 1) == Some(&b'u'))
                    .then(|| hex4(body, i + 2))
                    .flatten()
                else {
                    // Any other escape: skip the escaped byte, which may be a quote.
                    i += 2;
                    continue;
                };
                if is_high_surrogate(unit) {
                    let paired = body.get(i + 6) == Some(&b'\\')
                        && body.get(i + 7) == Some(&b'u')
                        && hex4(body, i + 8).is_some_and(is_low_surrogate);
                    if paired {
                        i += 12;
                        continue;
                    }
                }
                if is_high_surrogate(unit) || is_low_surrogate(unit) {
                    body[i + 2..i + 6].copy_from_slice(b"fffd");
                    replaced += 1;
                }
                i += 6;
            }
            _ => i += 1,
        }
    }
    replaced
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    /// The bodies `Input` passes on for `input`.
    fn bodies(input: &[u8]) -> Vec<Value> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let mut out = Vec::new();
        runtime
            .block_on(Input::new(input).read_to_end(&mut out))
            .unwrap();
        let mut bodies = Vec::new();
        let mut rest = &out[..];
        while !rest.is_empty() {
            let (end, next) = header_end(rest).unwrap();
            let length = content_length(&rest[..end]).unwrap();
            bodies.push(serde_json::from_slice(&rest[next..next + length]).unwrap());
            rest = &rest[next + length..];
        }
        bodies
    }

    fn replaced(json: &str) -> String {
        let mut bytes = json.as_bytes().to_vec();
        replace_lone_surrogates(&mut bytes);
        String::from_utf8(bytes).unwrap()
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        assert_eq!(replaced(r#"["a\ud83db"]"#), r#"["a\ufffdb"]"#);
        assert_eq!(replaced(r#"["\uDC00"]"#), r#"["\ufffd"]"#);
        assert_eq!(replaced(r#"["\ud83d\ude80"]"#), r#"["\ud83d\ude80"]"#);
        assert_eq!(
            replaced(r#"["\ud83d\ud83d\ude80"]"#),
            r#"["\ufffd\ud83d\ude80"]"#
        );
        assert_eq!(replaced(r#"["\\ud83d"]"#), r#"["\\ud83d"]"#);
        assert_eq!(replaced(r#"["\"\ud800"]"#), r#"["\"\ufffd"]"#);
        assert_eq!(replaced(r#"["\ud8"]"#), r#"["\ud8"]"#);
        assert_eq!(replaced(r#"["\ud800"#), r#"["\ufffd"#);
        let parsed: Vec<String> =
            serde_json::from_str(&replaced(r#"["a\ud800\udc00\udfff"]"#)).unwrap();
        assert_eq!(parsed, vec!["a\u{10000}\u{fffd}".to_string()]);
    }

    #[test]
    fn good_messages_pass_and_bad_ones_become_malformed_requests() {
        let good = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#;
        let mut input = String::new();
        input.push_str(&frame(good));
        input.push_str(&frame("{not json"));
        input.push_str(&frame(r#"{"jsonrpc":"1.0","id":"x","method":"m"}"#));
        input.push_str(&frame("[1,2]"));
        input.push_str("Content-Type: text/plain\r\n\r\n");
        input.push_str("\r\n");
        input.push_str(&frame(good));
        input.push_str("Content-Length: nine\r\n\r\n{}garbage");
        input.push_str(&frame(good));
        input.push_str(&frame(r#"{"jsonrpc":"2.0","id":3,"result":null}"#));
        input.push_str(&frame(""));
        input.push_str("Content-Length: 5\n\n[1,2]");
        input.push_str("Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}");
        input.push_str(&frame(good));
        let bodies = bodies(input.as_bytes());
        let summary: Vec<String> = bodies
            .iter()
            .map(|b| match b["method"].as_str() {
                Some(MALFORMED) => format!("{} {}", b["params"]["code"], b["id"]),
                Some(method) => method.to_string(),
                None => "response".to_string(),
            })
            .collect();
        assert_eq!(
            summary,
            [
                "initialize",
                "-32700 null",
                "-32600 \"x\"",
                "-32600 null",
                "-32700 null",
                "initialize",
                "-32700 null",
                "initialize",
                "response",
                "-32700 null",
                "-32600 null",
                "-32700 null",
                "initialize",
            ]
        );
    }

    #[test]
    fn invalid_utf8_and_oversized_messages_are_parse_errors() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut input = b"Content-Length: 3\r\n\r\n\xff\xfe\x00".to_vec();
        input.extend_from_slice(frame(good).as_bytes());
        input.extend_from_slice(format!("Content-Length: {}\r\n\r\n", MAX_BODY + 1).as_bytes());
        let bodies = bodies(&input);
        assert_eq!(bodies.len(), 3, "{bodies:?}");
        assert_eq!(bodies[0]["params"]["code"], -32700);
        assert_eq!(bodies[1]["method"], "initialized");
        assert_eq!(bodies[2]["params"]["code"], -32700);
    }

    #[test]
    fn a_long_header_is_answered_and_skipped() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut input = "x".repeat(MAX_HEADER + 10);
        input.push_str(&frame(good));
        let bodies = bodies(input.as_bytes());
        assert_eq!(bodies.len(), 2, "{bodies:?}");
        assert_eq!(bodies[0]["params"]["code"], -32700);
        assert_eq!(bodies[1]["method"], "initialized");
    }
}

//! End-to-end latency of `reframe lsp`, driven over stdio the way an editor drives it.
//!
//! For each document size it starts the server, times `initialize`, opens a generated
//! write-up (`benches/support/writeup.rs`) and times the first `publishDiagnostics`, then
//! types single characters in the middle of the document, one `didChange` at a time, and
//! times each edit until the diagnostics for that version arrive. Peak memory is the
//! server's `VmHWM` from `/proc/<pid>/status`. Every size is run `--runs` times with a
//! fresh server; the table shows the median of the runs for each figure.
//!
//! A last scenario times a hover on a 5 KB write-up sent while a 1 MB write-up is being
//! opened and analysed (issue 13: answered within 20 ms): `--hovers N` samples (0 skips it).
//!
//! `cargo bench --bench lsp_bench` builds the server binary beside this one and runs every
//! size; `-- --help` lists the options.

use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

#[path = "support/writeup.rs"]
#[allow(dead_code)]
mod writeup;

/// How long to wait for any one reply before giving up.
const TIMEOUT: Duration = Duration::from_secs(120);

/// What to run, from the command line.
struct Options {
    sizes: Vec<(String, usize)>,
    edits: usize,
    runs: usize,
    server: Option<PathBuf>,
    json_only: bool,
    hovers: usize,
}

const USAGE: &str = "usage: lsp-bench [--sizes 5KB,100KB,1MB] [--edits 200] [--runs 3] \
                     [--hovers 9] [--server PATH] [--json]";

fn parse_size(text: &str) -> Option<usize> {
    let upper = text.trim().to_ascii_uppercase();
    let (number, scale) = if let Some(n) = upper.strip_suffix("MB") {
        (n, 1_000_000)
    } else if let Some(n) = upper.strip_suffix("KB") {
        (n, 1_000)
    } else {
        (upper.as_str(), 1)
    };
    number.trim().parse::<usize>().ok().map(|n| n * scale)
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        sizes: writeup::SIZES
            .iter()
            .map(|&(name, bytes)| (name.to_string(), bytes))
            .collect(),
        edits: 200,
        runs: 3,
        server: None,
        json_only: false,
        hovers: 9,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--sizes" => {
                let list = value("--sizes")?;
                options.sizes = list
                    .split(',')
                    .map(|s| {
                        parse_size(s)
                            .map(|bytes| (s.trim().to_string(), bytes))
                            .ok_or(format!("bad size {s:?}"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--edits" => {
                options.edits = value("--edits")?.parse().map_err(|_| "bad --edits")?;
            }
            "--runs" => {
                options.runs = value("--runs")?.parse().map_err(|_| "bad --runs")?;
                options.runs = options.runs.max(1);
            }
            "--hovers" => {
                options.hovers = value("--hovers")?.parse().map_err(|_| "bad --hovers")?;
            }
            "--server" => options.server = Some(PathBuf::from(value("--server")?)),
            "--json" => options.json_only = true,
            // `cargo bench` passes `--bench` to every bench binary (harness = false too).
            "--bench" => {}
            "--help" | "-h" => return Err(USAGE.to_string()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok(options)
}

/// The server binary: `--server`, or `reframe` beside this program, built first when run
/// through cargo so that `cargo run --release --bin lsp-bench` measures current code.
fn server_binary(options: &Options) -> Result<PathBuf, String> {
    if let Some(path) = &options.server {
        return Ok(path.clone());
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let dir = exe.parent().ok_or("no directory for this program")?;
    let server = dir.join("reframe");
    if let Some(cargo) = std::env::var_os("CARGO") {
        let mut build = Command::new(cargo);
        build.args(["build", "--quiet", "--bin", "reframe"]);
        if dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        let status = build.status().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err("building the reframe binary failed".to_string());
        }
    }
    if !server.exists() {
        return Err(format!(
            "{} not found: build it first (cargo build --release)",
            server.display()
        ));
    }
    Ok(server)
}

/// A message from the server and when its last byte was read.
struct Received {
    at: Instant,
    message: Value,
}

/// Reads one framed message; `None` at the end of the stream.
fn read_message(reader: &mut impl BufRead) -> Option<Vec<u8>> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length:") {
            length = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    Some(body)
}

/// A running server and the messages it sent.
struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Received>,
}

impl Server {
    fn start(binary: &PathBuf) -> Result<Server, String> {
        let mut child = Command::new(binary)
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("starting {}: {e}", binary.display()))?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let (sender, messages) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::with_capacity(1 << 20, stdout);
            while let Some(body) = read_message(&mut reader) {
                // The time is taken when the whole message has arrived, before parsing.
                let at = Instant::now();
                let Ok(message) = serde_json::from_slice(&body) else {
                    continue;
                };
                if sender.send(Received { at, message }).is_err() {
                    break;
                }
            }
        });
        Ok(Server {
            child,
            stdin,
            messages,
        })
    }

    /// Sends one message; returns when it was written.
    fn send(&mut self, message: &Value) -> Result<Instant, String> {
        let body = message.to_string();
        let mut framed = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        framed.extend_from_slice(body.as_bytes());
        let sent = Instant::now();
        self.stdin
            .write_all(&framed)
            .and_then(|()| self.stdin.flush())
            .map_err(|e| format!("writing to the server: {e}"))?;
        Ok(sent)
    }

    /// Waits for the first message that `wanted` accepts, answering server requests on the
    /// way (with a null result).
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Result<Received, String> {
        loop {
            let received = self
                .messages
                .recv_timeout(TIMEOUT)
                .map_err(|_| "timed out waiting for the server".to_string())?;
            if wanted(&received.message) {
                return Ok(received);
            }
            let message = &received.message;
            if let (Some(id), Some(_)) = (message.get("id"), message.get("method")) {
                let reply = json!({ "jsonrpc": "2.0", "id": id, "result": null });
                self.send(&reply)?;
            }
        }
    }

    /// The server's peak resident set size in KiB (`VmHWM`).
    fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        status.lines().find_map(|line| {
            let value = line.strip_prefix("VmHWM:")?;
            value.trim().trim_end_matches("kB").trim().parse().ok()
        })
    }

    fn stop(mut self) {
        let _ = self.send(&json!({ "jsonrpc": "2.0", "id": 9_999_999, "method": "shutdown" }));
        let _ = self.wait_for(|m| m.get("id") == Some(&json!(9_999_999)));
        let _ = self.send(&json!({ "jsonrpc": "2.0", "method": "exit" }));
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether a message publishes diagnostics for `version` (any version when `None`).
fn is_publish(message: &Value, version: Option<i64>) -> bool {
    message.get("method") == Some(&json!("textDocument/publishDiagnostics"))
        && version.is_none_or(|v| message["params"]["version"] == json!(v))
}

/// The figures of one run, in milliseconds (and KiB for memory).
#[derive(Clone, Debug)]
struct Run {
    bytes: usize,
    initialize_ms: f64,
    open_ms: f64,
    edit_p50_ms: f64,
    edit_p95_ms: f64,
    edit_max_ms: f64,
    diagnostics: usize,
    peak_rss_kib: u64,
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// The value at quantile `q` of sorted samples (nearest rank).
fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    quantile(values, 0.5)
}

/// The (line, UTF-16 character) of a byte offset of `text`.
fn position_of(text: &str, byte: usize) -> (usize, usize) {
    let before = &text[..byte];
    let line = before.matches('\n').count();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let character = text[line_start..byte].encode_utf16().count();
    (line, character)
}

/// Where to type: the start of the middle line's prose, after any list marker and label,
/// so that the typing lands in a paragraph or a field value like a writer's would.
fn typing_point(text: &str) -> usize {
    let mut at = text.len() / 2;
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    // The next line that holds prose, searched forward from the middle.
    let mut line_start = text[at..].find('\n').map_or(at, |i| at + i + 1);
    loop {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        if let Some(colon) = line.find("**: ")
            && line.starts_with("- **")
        {
            return line_start + colon + 4;
        }
        if line.len() > 40 && line.starts_with(|c: char| c.is_ascii_uppercase()) {
            return line_start + line.find(". ").map_or(0, |i| i + 2);
        }
        if line_end >= text.len() {
            return at;
        }
        line_start = line_end + 1;
    }
}

fn run_once(binary: &PathBuf, bytes: usize, edits: usize) -> Result<Run, String> {
    let text = writeup::writeup(bytes, 42);
    let uri = "file:///bench/writeup.md";
    let mut server = Server::start(binary)?;

    let sent = server.send(&json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {
            "general": { "positionEncodings": ["utf-16"] },
            "textDocument": { "publishDiagnostics": { "versionSupport": true } }
        } }
    }))?;
    let reply = server.wait_for(|m| m.get("id") == Some(&json!(1)))?;
    let initialize_ms = millis(reply.at - sent);
    server.send(&json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }))?;

    let sent = server.send(&json!({
        "jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": { "textDocument": {
            "uri": uri, "languageId": "markdown", "version": 1, "text": text
        } }
    }))?;
    let opened = server.wait_for(|m| is_publish(m, Some(1)))?;
    let open_ms = millis(opened.at - sent);

    let typed = "reliably ";
    let start = typing_point(&text);
    let (line, character) = position_of(&text, start);
    let mut samples = Vec::with_capacity(edits);
    let mut diagnostics = 0;
    for i in 0..edits {
        let version = 2 + i as i64;
        let letter = typed.as_bytes()[i % typed.len()] as char;
        let character = character + i;
        let sent = server.send(&json!({
            "jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": {
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{
                    "range": {
                        "start": { "line": line, "character": character },
                        "end": { "line": line, "character": character }
                    },
                    "text": letter.to_string()
                }]
            }
        }))?;
        let published = server.wait_for(|m| is_publish(m, Some(version)))?;
        samples.push(millis(published.at - sent));
        diagnostics = published.message["params"]["diagnostics"]
            .as_array()
            .map_or(0, Vec::len);
    }
    let peak_rss_kib = server.peak_rss_kib().unwrap_or(0);
    server.stop();

    samples.sort_by(f64::total_cmp);
    Ok(Run {
        bytes: text.len(),
        initialize_ms,
        open_ms,
        edit_p50_ms: quantile(&samples, 0.5),
        edit_p95_ms: quantile(&samples, 0.95),
        edit_max_ms: samples.last().copied().unwrap_or(0.0),
        diagnostics,
        peak_rss_kib,
    })
}

/// Times `samples` hovers on a 5 KB write-up, each sent while a fresh 1 MB write-up is
/// being opened and analysed. Gives the sorted times in milliseconds.
fn hover_while_opening(binary: &PathBuf, samples: usize) -> Result<Vec<f64>, String> {
    let small_text = writeup::writeup(5_000, 7);
    let big_text = writeup::writeup(1_000_000, 42);
    let small = "file:///bench/small.md";
    let mut server = Server::start(binary)?;
    server.send(&json!({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "processId": null, "rootUri": null, "capabilities": {
            "textDocument": { "publishDiagnostics": { "versionSupport": true } }
        } }
    }))?;
    server.wait_for(|m| m.get("id") == Some(&json!(1)))?;
    server.send(&json!({ "jsonrpc": "2.0", "method": "initialized", "params": {} }))?;
    server.send(&json!({
        "jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": { "textDocument": {
            "uri": small, "languageId": "markdown", "version": 1, "text": small_text
        } }
    }))?;
    server.wait_for(|m| is_publish(m, Some(1)))?;
    // A heading: hover shows the template's guidance for its section.
    let heading = small_text.find("\n## ").map_or(0, |i| i + 1);
    let (line, _) = position_of(&small_text, heading);
    let mut times = Vec::with_capacity(samples);
    for i in 0..samples {
        let big = format!("file:///bench/big-{i}.md");
        server.send(&json!({
            "jsonrpc": "2.0", "method": "textDocument/didOpen",
            "params": { "textDocument": {
                "uri": big, "languageId": "markdown", "version": 1, "text": big_text
            } }
        }))?;
        // Let the server read the open and start on it.
        std::thread::sleep(Duration::from_millis(30));
        let id = 100 + i as i64;
        let sent = server.send(&json!({
            "jsonrpc": "2.0", "id": id, "method": "textDocument/hover",
            "params": { "textDocument": { "uri": small },
                        "position": { "line": line, "character": 4 } }
        }))?;
        // The reply and the large document's diagnostics, in whichever order they come.
        let (mut replied, mut published) = (None, false);
        while replied.is_none() || !published {
            let uri = json!(big);
            let received = server.wait_for(|m| {
                m.get("id") == Some(&json!(id))
                    || (is_publish(m, Some(1)) && m["params"]["uri"] == uri)
            })?;
            if received.message.get("id") == Some(&json!(id)) {
                replied = Some(received.at);
            } else {
                published = true;
            }
        }
        if let Some(at) = replied {
            times.push(millis(at - sent));
        }
        server.send(&json!({
            "jsonrpc": "2.0", "method": "textDocument/didClose",
            "params": { "textDocument": { "uri": big } }
        }))?;
    }
    server.stop();
    times.sort_by(f64::total_cmp);
    Ok(times)
}

/// The median of each figure over several runs.
fn summarize(runs: &[Run]) -> Run {
    let figure = |get: fn(&Run) -> f64| median(&mut runs.iter().map(get).collect::<Vec<_>>());
    Run {
        bytes: runs.first().map_or(0, |r| r.bytes),
        initialize_ms: figure(|r| r.initialize_ms),
        open_ms: figure(|r| r.open_ms),
        edit_p50_ms: figure(|r| r.edit_p50_ms),
        edit_p95_ms: figure(|r| r.edit_p95_ms),
        edit_max_ms: figure(|r| r.edit_max_ms),
        diagnostics: runs.first().map_or(0, |r| r.diagnostics),
        peak_rss_kib: figure(|r| r.peak_rss_kib as f64) as u64,
    }
}

fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let binary = match server_binary(&options) {
        Ok(binary) => binary,
        Err(message) => {
            eprintln!("lsp-bench: {message}");
            return ExitCode::from(2);
        }
    };
    let mut results = Vec::new();
    for (name, bytes) in &options.sizes {
        let mut runs = Vec::new();
        for run in 0..options.runs {
            match run_once(&binary, *bytes, options.edits) {
                Ok(result) => runs.push(result),
                Err(message) => {
                    eprintln!("lsp-bench: {name}, run {}: {message}", run + 1);
                    return ExitCode::FAILURE;
                }
            }
        }
        results.push((name.clone(), summarize(&runs)));
    }

    if !options.json_only {
        println!(
            "reframe lsp: {} single-character edits per run, median of {} run(s)\n",
            options.edits, options.runs
        );
        println!(
            "| document | diagnostics | initialize | open → diagnostics | edit p50 | edit p95 | edit max | peak RSS |"
        );
        println!("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (name, r) in &results {
            println!(
                "| {name} ({} bytes) | {} | {:.2} ms | {:.1} ms | {:.3} ms | {:.3} ms | {:.2} ms | {:.1} MB |",
                r.bytes,
                r.diagnostics,
                r.initialize_ms,
                r.open_ms,
                r.edit_p50_ms,
                r.edit_p95_ms,
                r.edit_max_ms,
                r.peak_rss_kib as f64 / 1024.0
            );
        }
        println!();
    }
    let hovers = if options.hovers > 0 {
        match hover_while_opening(&binary, options.hovers) {
            Ok(times) => Some(times),
            Err(message) => {
                eprintln!("lsp-bench: hover while opening: {message}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        None
    };
    if let (Some(times), false) = (&hovers, options.json_only) {
        println!(
            "hover on a 5 KB write-up while a 1 MB write-up opens ({} samples): \
             p50 {:.2} ms, p95 {:.2} ms, max {:.2} ms\n",
            times.len(),
            quantile(times, 0.5),
            quantile(times, 0.95),
            times.last().copied().unwrap_or(0.0)
        );
    }
    let mut json: Vec<Value> = results
        .iter()
        .map(|(name, r)| {
            json!({
                "document": name,
                "bytes": r.bytes,
                "diagnostics": r.diagnostics,
                "initialize_ms": r.initialize_ms,
                "open_ms": r.open_ms,
                "edit_p50_ms": r.edit_p50_ms,
                "edit_p95_ms": r.edit_p95_ms,
                "edit_max_ms": r.edit_max_ms,
                "peak_rss_mib": r.peak_rss_kib as f64 / 1024.0,
                "runs": options.runs,
                "edits": options.edits,
            })
        })
        .collect();
    if let Some(times) = &hovers {
        json.push(json!({
            "scenario": "hover 5KB while 1MB opens",
            "hover_p50_ms": quantile(times, 0.5),
            "hover_p95_ms": quantile(times, 0.95),
            "hover_max_ms": times.last().copied().unwrap_or(0.0),
            "samples": times.len(),
        }));
    }
    println!("{}", Value::Array(json));
    ExitCode::SUCCESS
}

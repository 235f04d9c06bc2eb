#!/usr/bin/env python3
"""Open cost: how long `reframe lsp` takes from `didOpen` to the first `publishDiagnostics`,
and how much work that is, on large documents.

For each document it starts a fresh server, initializes it, waits `--settle` seconds (so
the warm-up thread is done and does not share the cores with the open), opens the
document and times the first `publishDiagnostics` for it. Besides the wall time it reads
the server's CPU time (user + system, /proc/<pid>/stat) spent between the open and that
publish. Medians of `--runs` fresh servers.

On a shared machine wall and CPU times of the same open vary by 2× from run to run (seen
on the 2-core CI machine: 1.0–2.4 s for one 1 MB open). `--callgrind` runs each document
once under valgrind's callgrind instead and reports instructions, which do not vary: the
whole server run (initialize, warm-up, open, exit) and the parts of it in the analysis'
main steps (inclusive). Use it to compare two builds; it is about 50× slower.

Documents: the hostile suite's 10 MB write-up and 100,000 headings (`tests/hostile.rs`:
`big_writeup(10)`, `headings(100_000)`), plus any `--file`s (for the 1 MB write-up of
`lsp-bench`, save the text it sends, or any real document).

    python3 benches/open_cost.py --server target/release/reframe
    python3 benches/open_cost.py --server target/profiling/reframe --only h100k --runs 9
    python3 benches/open_cost.py --server target/profiling/reframe --file doc.md --callgrind

Needs python3 (3.8+); `--callgrind` needs valgrind (callgrind_annotate for the parts; a
binary with symbols, the `profiling` profile, to name them).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Functions whose inclusive instruction counts `--callgrind` reports.
PARTS = [
    ("block parse (chunks found)", "ChunkState::resolve_next"),
    ("reading chunks (facts)", "analysis::model::read_chunk"),
    ("inline parses", "ChunkSyntax::inline_tree"),
    ("wording rules", "analysis::check_prose"),
    ("document-level update", "AnalysisCache::update_outline"),
    ("publish", "publish::Snapshot::publish_message"),
]


def writeup(body):
    return f"---\ntemplate: ops-writeup\n---\n## 1. Project Overview\n\n{body}\n"


def big_writeup(megabytes):
    example = (ROOT / "examples/ci-migration.md").read_text(encoding="utf-8")
    parts = example.split("---\n", 2)
    body = parts[2] if len(parts) == 3 else example
    pieces = [example]
    length = len(example.encode())
    while length < megabytes << 20:
        pieces.append(body)
        length += len(body.encode())
    return "".join(pieces)


def headings(n):
    return writeup("".join(f"## Heading {i}\n\ntext\n\n" for i in range(n)))


class Server:
    def __init__(self, command):
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )

    def send(self, message):
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def read(self):
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                return None
            line = line.strip()
            if not line:
                break
            key, _, value = line.partition(b":")
            if key.lower() == b"content-length":
                length = int(value)
        if length is None:
            return None
        return json.loads(self.proc.stdout.read(length))

    def cpu_ms(self, pid=None):
        try:
            stat = Path(f"/proc/{pid or self.proc.pid}/stat").read_text()
        except OSError:
            return 0.0
        fields = stat.rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")

    def stop(self, wait):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=wait)
        except (OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait()


def open_once(command, text, settle, wait=5.0):
    """Opens `text` in a fresh server: (wall ms, server CPU ms, diagnostics)."""
    server = Server(command)
    server.send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {
        "processId": None, "rootUri": None, "capabilities": {
            "general": {"positionEncodings": ["utf-16"]},
            "textDocument": {"publishDiagnostics": {"versionSupport": True}}}}})
    while True:
        message = server.read()
        if message is None:
            raise SystemExit("the server ended before answering initialize")
        if message.get("id") == 1:
            break
    server.send({"jsonrpc": "2.0", "method": "initialized", "params": {}})
    time.sleep(settle)
    uri = "file:///tmp/reframe-open-cost/doc.md"
    cpu_before = server.cpu_ms()
    sent = time.perf_counter()
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
        "textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    while True:
        message = server.read()
        if message is None:
            raise SystemExit("the server ended before publishing")
        if (message.get("method") == "textDocument/publishDiagnostics"
                and message["params"]["uri"] == uri):
            wall = (time.perf_counter() - sent) * 1000
            cpu = server.cpu_ms() - cpu_before
            count = len(message["params"]["diagnostics"])
            break
    server.stop(wait)
    return wall, cpu, count


def callgrind_once(server, text, settle):
    """Runs one open under callgrind: (total instructions, {part: instructions})."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        command = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                   "--log-file=/dev/null", server, "lsp"]
        open_once(command, text, settle, wait=3600)
        total = None
        for line in out.read_text(errors="replace").splitlines():
            if line.startswith("summary:") or line.startswith("totals:"):
                total = int(line.split()[1])
        parts = {}
        try:
            annotated = subprocess.run(
                ["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(out)],
                capture_output=True, text=True, check=False).stdout
        except OSError:
            annotated = ""
        for name, symbol in PARTS:
            for line in annotated.splitlines():
                first = line.split()[0] if line.split() else ""
                if symbol in line and "%)" in line and first.replace(",", "").isdigit():
                    count = int(first.replace(",", ""))
                    parts[name] = max(parts.get(name, 0), count)
        return total, parts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default=str(ROOT / "target/release/reframe"))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--settle", type=float, default=0.5,
                        help="seconds between initialized and didOpen")
    parser.add_argument("--file", action="append", default=[], help="another document")
    parser.add_argument("--only", help="comma-separated names: w10, h100k, or file names")
    parser.add_argument("--callgrind", action="store_true",
                        help="count instructions under callgrind (one run each)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    documents = [("w10", lambda: big_writeup(10)), ("h100k", lambda: headings(100_000))]
    for path in args.file:
        documents.append((Path(path).name,
                          lambda path=path: Path(path).read_text(encoding="utf-8")))
    if args.only:
        wanted = set(args.only.split(","))
        documents = [(n, t) for n, t in documents if n in wanted]

    results = []
    for name, make in documents:
        text = make()
        if args.callgrind:
            total, parts = callgrind_once(args.server, text, args.settle)
            results.append({"document": name, "bytes": len(text.encode()),
                            "instructions": total, "parts": parts})
            if not args.json:
                print(f"{name} ({len(text.encode())} bytes): {total:,} instructions")
                for part, count in parts.items():
                    share = 100 * count / total if total else 0
                    print(f"  {part}: {count:,} ({share:.1f}%)")
            continue
        walls, cpus = [], []
        count = 0
        for _ in range(args.runs):
            wall, cpu, count = open_once([args.server, "lsp"], text, args.settle)
            walls.append(wall)
            cpus.append(cpu)
        result = {"document": name, "bytes": len(text.encode()), "diagnostics": count,
                  "open_ms": statistics.median(walls), "cpu_ms": statistics.median(cpus),
                  "open_ms_runs": [round(w) for w in walls]}
        results.append(result)
        if not args.json:
            print(f"{name} ({result['bytes']} bytes, {count} diagnostics): open → diagnostics "
                  f"median {result['open_ms']:.0f} ms, server CPU {result['cpu_ms']:.0f} ms "
                  f"(runs {result['open_ms_runs']})")
    if args.json:
        json.dump(results, sys.stdout)
        print()


if __name__ == "__main__":
    main()

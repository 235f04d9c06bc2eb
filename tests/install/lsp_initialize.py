"""Starts `reframe lsp` (the first argument, default `reframe` on PATH) on stdio, sends
`initialize`, checks the answer has capabilities, then `initialized`, `shutdown` and
`exit`, and checks the server exits with 0. Standard library only; every read has a
deadline, so a hung server fails the check instead of hanging CI."""
import json
import queue
import subprocess
import sys
import threading
import time

command = sys.argv[1] if len(sys.argv) > 1 else "reframe"
server = subprocess.Popen([command, "lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
messages: "queue.Queue[dict]" = queue.Queue()


def reader() -> None:
    stream = server.stdout
    while True:
        length = None
        while True:
            line = stream.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                break
            name, _, value = line.partition(b":")
            if name.lower() == b"content-length":
                length = int(value)
        messages.put(json.loads(stream.read(length)))


threading.Thread(target=reader, daemon=True).start()


def send(message: dict) -> None:
    body = json.dumps({"jsonrpc": "2.0", **message}).encode()
    server.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    server.stdin.flush()


def answer(request_id: int, timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            sys.exit(f"lsp: no answer to request {request_id} within {timeout} s")
        try:
            message = messages.get(timeout=left)
        except queue.Empty:
            continue
        if message.get("id") == request_id and "method" not in message:
            return message


started = time.monotonic()
send({"id": 1, "method": "initialize", "params": {"processId": None, "rootUri": None, "capabilities": {}}})
reply = answer(1)
took = (time.monotonic() - started) * 1000
result = reply.get("result") or {}
capabilities = result.get("capabilities")
if not capabilities:
    sys.exit(f"lsp: initialize answered without capabilities: {reply}")
info = result.get("serverInfo") or {}
send({"method": "initialized", "params": {}})
send({"id": 2, "method": "shutdown"})
answer(2)
send({"method": "exit"})
try:
    code = server.wait(timeout=10)
except subprocess.TimeoutExpired:
    server.kill()
    sys.exit("lsp: the server did not exit after shutdown/exit")
if code != 0:
    sys.exit(f"lsp: the server exited with {code} after shutdown/exit")
print(
    f"lsp: initialize answered in {took:.0f} ms by {info.get('name', '?')} {info.get('version', '')}".rstrip()
    + f" ({len(capabilities)} capabilities); shutdown and exit clean"
)

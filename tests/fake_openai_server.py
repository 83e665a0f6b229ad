"""A loopback OpenAI-compatible chat server with scripted replies, latency and faults.

Serves `POST /v1/chat/completions` on 127.0.0.1 only (a free port), in a background
thread. Each request gets the next fault of `faults` (consumed in order, then
`default_fault`), waits `latency` seconds and answers with `reply(request)`.
Faults: `ok`, `500`, `429` (with `Retry-After`), `hang` (never answers; the socket is
held until the server stops) and `truncated` (a body shorter than its
Content-Length, then the connection closes). The server is bounded: it answers at
most `max_requests` requests (then 503s) and stops by itself after `max_seconds`.

Run as a script (`python tests/fake_openai_server.py --latency 0.3`), it serves in its own
process, as a remote API would: it prints its base URL (and, with `--announce`, a line
`request N` as each request arrives), serves until its standard input closes, then prints
its counters as one JSON line.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

FAULTS = ("ok", "500", "429", "hang", "truncated")

SCRATCHPAD_REPLY = (
    "<SCRATCHPAD_REASONING>The request is benign, so I will answer it directly."
    "</SCRATCHPAD_REASONING><OUTPUT><request_fully_accepted/> Here is the answer.</OUTPUT>"
)


def scratchpad_reply(request: dict[str, Any]) -> str:
    """The default scripted reply: one complete scratchpad-format answer."""
    return SCRATCHPAD_REPLY


@dataclass
class FakeServerConfig:
    """What the fake server does with each request."""

    latency: float = 0.0
    reply: Callable[[dict[str, Any]], str] = scratchpad_reply
    faults: list[str] = field(default_factory=list)
    default_fault: str = "ok"
    retry_after: float = 0.0
    max_requests: int = 10_000
    max_seconds: float = 120.0
    on_request: Callable[[int], None] | None = None
    """Called with the running request count as each request arrives."""


class FakeOpenAIServer:
    """The server; use `running_server(...)` to start and stop it."""

    def __init__(self, config: FakeServerConfig) -> None:
        unknown = [f for f in [*config.faults, config.default_fault] if f not in FAULTS]
        if unknown:
            raise ValueError(f"unknown fault(s) {unknown}; known: {FAULTS}")
        self.config = config
        self.requests = 0
        self.served: Counter[str] = Counter()
        self.bodies: list[dict[str, Any]] = []
        self.first_request = math.inf
        self.last_reply = -math.inf
        self.in_flight = 0
        self.peak_in_flight = 0
        self._faults: Iterator[str] = iter(config.faults)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._threads: list[threading.Thread] = []

    @property
    def base_url(self) -> str:
        """Base URL for `openai-api/<name>/...` (ends in `/v1`)."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def start(self) -> None:
        """Serve in background threads; a timer stops the server after `max_seconds`."""
        serve = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05})
        timer = threading.Timer(self.config.max_seconds, self.stop)
        timer.daemon = True
        serve.daemon = True
        self._threads = [serve]
        serve.start()
        timer.start()
        self._timer = timer

    def stop(self) -> None:
        """Stop serving and release hung requests (safe to call twice)."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._timer.cancel()
        self._httpd.shutdown()
        self._httpd.server_close()

    def next_fault(self, body: dict[str, Any]) -> str:
        with self._lock:
            self.requests += 1
            self.bodies.append(body)
            self.first_request = min(self.first_request, time.perf_counter())
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            if self.requests > self.config.max_requests:
                fault = "limit"
            else:
                fault = next(self._faults, self.config.default_fault)
            self.served[fault] += 1
            count = self.requests
        if self.config.on_request is not None:
            self.config.on_request(count)
        return fault

    def replied(self) -> None:
        with self._lock:
            self.in_flight -= 1
            self.last_reply = max(self.last_reply, time.perf_counter())


def _handler_for(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real API servers do

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if not self.path.rstrip("/").endswith("/chat/completions"):
                self._send(404, {"error": {"message": "not found"}})
                return
            body = json.loads(raw or b"{}")
            fault = server.next_fault(body)
            try:
                self._answer(body, fault)
            finally:
                server.replied()

        def _answer(self, body: dict[str, Any], fault: str) -> None:
            if fault == "hang":
                server._stop.wait(server.config.max_seconds)
                self.close_connection = True
                return
            if server.config.latency:
                time.sleep(server.config.latency)
            if fault == "limit":
                self._send(503, {"error": {"message": "request limit of the fake server"}})
            elif fault == "500":
                self._send(500, {"error": {"message": "scripted server error", "type": "server"}})
            elif fault == "429":
                headers = {"Retry-After": f"{server.config.retry_after:g}"}
                self._send(429, {"error": {"message": "scripted rate limit"}}, headers)
            elif fault == "truncated":
                payload = json.dumps(_completion(body, server.config.reply(body))).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload[: len(payload) // 2])
                self.wfile.flush()
                self.close_connection = True
            else:
                self._send(200, _completion(body, server.config.reply(body)))

        def _send(
            self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None
        ) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _completion(request: dict[str, Any], text: str) -> dict[str, Any]:
    prompt_chars = sum(len(str(m.get("content", ""))) for m in request.get("messages", []))
    prompt_tokens, completion_tokens = prompt_chars // 4 + 1, len(text) // 4 + 1
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "fake"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


@contextmanager
def running_server(
    faults: Iterable[str] = (), **options: Any
) -> Iterator[FakeOpenAIServer]:
    """Start a fake server for the duration of a `with` block."""
    server = FakeOpenAIServer(FakeServerConfig(faults=list(faults), **options))
    server.start()
    try:
        yield server
    finally:
        server.stop()


class ServerProcess:
    """This server run as a script in its own process, as a remote API would be.

    `requests` counts requests as they arrive (with `announce`); `stats` holds the counters
    the server prints when it stops (requests, busy_seconds, peak_in_flight).
    """

    def __init__(
        self,
        latency: float = 0.0,
        max_requests: int = 10_000,
        max_seconds: float = 600.0,
        announce: bool = False,
    ) -> None:
        command = [
            sys.executable, __file__, "--latency", str(latency),
            "--max-requests", str(max_requests), "--max-seconds", str(max_seconds),
        ]  # fmt: skip
        if announce:
            command.append("--announce")
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        self.base_url = self._process.stdout.readline().strip()
        self.requests = 0
        self.stats: dict[str, Any] = {}
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self._process.stdout is not None
        for line in self._process.stdout:
            if line.startswith("request "):
                self.requests = max(self.requests, int(line.split()[1]))
            elif line.startswith("{"):
                self.stats = json.loads(line)

    def close(self) -> None:
        """Stop the server (it stops when its standard input closes) and read its counters."""
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait(timeout=60)
        self._reader.join(timeout=10)


@contextmanager
def server_process(**options: Any) -> Iterator[ServerProcess]:
    """Run a `ServerProcess` (options as its constructor's) for a `with` block."""
    server = ServerProcess(**options)
    try:
        yield server
    finally:
        server.close()


def main() -> None:
    """Serve in this process until standard input closes; print base URL, then counters."""
    parser = argparse.ArgumentParser(description="Loopback OpenAI-compatible test server.")
    parser.add_argument("--latency", type=float, default=0.0)
    parser.add_argument("--max-requests", type=int, default=10_000)
    parser.add_argument("--max-seconds", type=float, default=600.0)
    parser.add_argument("--announce", action="store_true", help="Print each request's number.")
    args = parser.parse_args()

    printing = threading.Lock()

    def announce(count: int) -> None:
        with printing:  # one whole line per request, whatever thread answers it
            sys.stdout.write(f"request {count}\n")
            sys.stdout.flush()

    with running_server(
        latency=args.latency,
        max_requests=args.max_requests,
        max_seconds=args.max_seconds,
        on_request=announce if args.announce else None,
    ) as server:
        print(server.base_url, flush=True)
        sys.stdin.read()
        stats = {
            "requests": server.requests,
            "busy_seconds": max(0.0, server.last_reply - server.first_request),
            "peak_in_flight": server.peak_in_flight,
        }
    print(json.dumps(stats), flush=True)


if __name__ == "__main__":
    main()

"""A real HTTP endpoint on loopback that records what it receives and answers as told."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    received: list[Received] = field(default_factory=list)
    # Answers in order (status, headers); the last one repeats.
    answers: list[tuple[int, dict[str, str]]] = field(default_factory=lambda: [(200, {})])
    # Called before answering (e.g. to block); gets the request's number, from 1.
    before_answer: Callable[[int], None] | None = None

    def answer(self, *answers: int | tuple[int, dict[str, str]]) -> None:
        self.answers = [a if isinstance(a, tuple) else (a, {}) for a in answers]


@contextlib.contextmanager
def receiver(path: str = "/hooks") -> Iterator[Receiver]:
    lock = threading.Lock()
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            rec = state["receiver"]
            with lock:
                rec.received.append(Received(self.path, dict(self.headers.items()), body))
                number = len(rec.received)
                status, headers = rec.answers[min(number, len(rec.answers)) - 1]
            if rec.before_answer is not None:
                rec.before_answer(number)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state["receiver"] = Receiver(f"http://127.0.0.1:{server.server_address[1]}{path}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state["receiver"]
    finally:
        server.shutdown()
        server.server_close()

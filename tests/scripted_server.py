"""A real HTTP server on a loopback port, in a thread, that answers from a script and records every request:
for the HTTP client's tests, for a proxy in front of a real server (to see what a source sends), and as the
webhook that `okrctl notify` posts to (point the channel's variable at `server.url + "/some/path"`)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    status: int = 200
    body: bytes = b"ok"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the answer's status line
    hang_up: bool = False  # close the connection without answering


@dataclass
class Received:
    method: str
    path: str  # with the query string
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> object:
        """The body read as JSON (as a webhook receiver would)."""
        return json.loads(self.body)


@dataclass
class ScriptedServer:
    url: str  # http://127.0.0.1:PORT
    received: list[Received]


@contextmanager
def scripted_server(answer: Callable[[Received], Answer] | list[Answer]) -> Iterator[ScriptedServer]:
    """A server answering each request with the next `Answer` of the list (the last one again when the list
    runs out), or with what `answer(request)` returns."""
    received: list[Received] = []
    script = list(answer) if isinstance(answer, list) else None
    lock = threading.Lock()

    def next_answer(request: Received) -> Answer:
        with lock:
            received.append(request)
            if script is None:
                assert callable(answer)
                return answer(request)
            return script.pop(0) if len(script) > 1 else script[0]

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            planned = next_answer(Received(self.command, self.path, headers, body))
            if planned.delay:
                time.sleep(planned.delay)
            if planned.hang_up:
                self.close_connection = True
                return
            try:
                self.send_response(planned.status)
                for name, value in planned.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(planned.body)))
                self.end_headers()
                self.wfile.write(planned.body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up waiting: as a test planned
                self.close_connection = True

        do_GET = do_POST = do_PUT = do_CONNECT = _answer  # CONNECT: as a proxy asked for a tunnel

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield ScriptedServer(f"http://127.0.0.1:{server.server_address[1]}", received)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

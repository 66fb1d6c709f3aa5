"""A real HTTP server on 127.0.0.1 for feed tests (core, window and command line).

The ``site`` fixture starts it on an ephemeral port; a test says what each
path answers (:class:`Reply`: body, status, validators, delay, redirect, extra
headers, gzip, a password, headers or body sent a byte at a time) and reads
back what was asked. Nothing here touches the internet.
"""

import base64
import contextlib
import gzip
import threading
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest


@dataclass
class Reply:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/calendar; charset=utf-8"
    etag: str = ""
    last_modified: str = ""
    delay: float = 0.0
    length: bool = True
    """Send Content-Length (else the body ends when the connection closes)."""
    location: str = ""
    """Redirect here: a path on this server, or a whole address (another host, file:...)."""
    headers: tuple[tuple[str, str], ...] = ()
    """Extra headers, sent as given (a Content-Length of "²", a Content-Encoding)."""
    gzip: bool = False
    """Send the body gzip-compressed, with Content-Encoding: gzip."""
    drip: float = 0.0
    """Send the body one byte every this many seconds."""
    drip_headers: float = 0.0
    """Send the status line and headers one byte every this many seconds."""
    password: tuple[str, str] | None = None
    """(user, password) that HTTP Basic must give, else 401."""


@dataclass
class Site:
    """What the test server answers, and what it was asked."""

    replies: dict[str, Reply] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    base: str = ""

    def url(self, path: str) -> str:
        return self.base + path


def handler_for(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"

        def do_GET(self) -> None:
            site.requests.append((self.path, dict(self.headers.items())))
            reply = site.replies.get(self.path, Reply(b"no such page", 404, "text/plain"))
            if reply.delay and site.stop.wait(reply.delay):
                return
            with contextlib.suppress(OSError):  # the client gave up (timeout, size limit)
                self.answer(reply)

        def answer(self, reply: Reply) -> None:
            if reply.password is not None:
                token = base64.b64encode(":".join(reply.password).encode()).decode()
                if self.headers.get("Authorization") != f"Basic {token}":
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="feeds"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
            if reply.drip_headers:
                self.drip(reply, b"HTTP/1.0 200 OK\r\nContent-Type: text/calendar\r\n\r\n")
                return
            matches = reply.etag and self.headers.get("If-None-Match") == reply.etag
            since = reply.last_modified and self.headers.get("If-Modified-Since")
            if matches or (since and since == reply.last_modified):
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            if reply.etag:
                self.send_header("ETag", reply.etag)
            if reply.last_modified:
                self.send_header("Last-Modified", reply.last_modified)
            if reply.location:
                target = reply.location
                self.send_header("Location", target if ":" in target else site.url(target))
            body = gzip.compress(reply.body) if reply.gzip else reply.body
            if reply.gzip:
                self.send_header("Content-Encoding", "gzip")
            if reply.length and not any(k.lower() == "content-length" for k, _ in reply.headers):
                self.send_header("Content-Length", str(len(body)))
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            if reply.drip:
                self.drip(reply, body)
                return
            for at in range(0, len(body), 65536):
                self.wfile.write(body[at : at + 65536])

        def drip(self, reply: Reply, data: bytes) -> None:
            """A byte at a time, until the client gives up or the test ends."""
            pause = reply.drip or reply.drip_headers
            for at in range(len(data)):
                self.wfile.write(data[at : at + 1])
                self.wfile.flush()
                if site.stop.wait(pause):
                    return

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture
def site(monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    found = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_for(found))
    server.daemon_threads = True
    found.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield found
    found.stop.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


def vevent(uid: str, summary: str, start: str | datetime, end: str | datetime, *extra: str) -> str:
    """One VEVENT in Toronto time; ``start``/``end`` as ``20250509T173000`` or naive
    datetimes (wall clock)."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"SUMMARY:{summary}",
        f"DTSTART;TZID=America/Toronto:{_stamp(start)}",
        f"DTEND;TZID=America/Toronto:{_stamp(end)}",
        *extra,
        "END:VEVENT",
    ]
    return "\r\n".join(lines)


def _stamp(when: str | datetime) -> str:
    return when if isinstance(when, str) else f"{when:%Y%m%dT%H%M%S}"


def calendar(*events: str, header: tuple[str, ...] = ()) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//planner tests//EN", *header]
    return ("\r\n".join([*lines, *events, "END:VCALENDAR"]) + "\r\n").encode()

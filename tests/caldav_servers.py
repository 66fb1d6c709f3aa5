"""Real CalDAV servers on 127.0.0.1 for the CalDAV tests: Radicale and Xandikos.

The ``caldav_server`` fixture is parametrised over both servers: each test gets a
fresh server in its own process, with its own storage folder under ``tmp_path``,
one user with a password (HTTP Basic), and a free port, stopped at teardown.
Radicale checks the password itself (htpasswd, plain); Xandikos has no
authentication of its own, so it runs behind :func:`_basic_auth` (a small WSGI
wrapper, which also answers ``/.well-known/caldav`` as Xandikos' own aiohttp
front does). Run as ``python -m tests.caldav_servers xandikos DIR PORT USER PASSWORD``
this module is that Xandikos server.

Between the client and the server sits :class:`FaultProxy`, a byte-level TCP
relay on the port the client is given, so a test can make either server fail the
way real ones do: stall (accept and never answer), drip (answer a byte at a time,
each in good time, the whole far too late), drop the connection midway through an
answer, answer 503, or be gone (the port refused), and then come back.
:class:`CalDAVServer` also makes calendars with given events, changes and deletes
them over HTTP (with :mod:`http.client`, independent of planner's own client), so
the server's own state is what planner reads. Nothing here touches the internet.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import io
import os
import select
import socket
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import pytest

KINDS = ("radicale", "xandikos")
USER = "sam"
PASSWORD = "correct horse battery staple 7f3a"
"""Distinctive, so that a test can look for its bytes in every file planner writes."""
_REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- the fault proxy -----------------------------------------------------------------------


class FaultProxy:
    """A TCP relay from ``port`` to the server's own port that can misbehave on demand.

    Modes: ``"pass"`` relays both ways; ``"stall"`` accepts and reads but never
    answers (until the mode changes or the proxy stops); ``"drip"`` relays the answer
    one byte every :attr:`drip_seconds` (a slow drip); ``"drop"`` relays the
    request and then only the first :attr:`drop_after` bytes of the answer before
    closing the connection; ``"503"`` answers every request 503 itself. :meth:`close`
    stops listening (the port refuses connections); :meth:`open` listens again.
    """

    def __init__(self, backend_port: int) -> None:
        self.backend_port = backend_port
        self.port = free_port()
        self.mode = "pass"
        self.drop_after = 120
        self.drip_seconds = 0.05
        self.held = 0
        """Bytes of answers received from the server in ``"drip"`` mode…"""
        self.dripped = 0
        """…and how many of them reached the client before it stopped listening."""
        self.connections = 0
        self._listener: socket.socket | None = None
        self._released = threading.Event()
        self._threads: list[threading.Thread] = []

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self._listener = listener
        self._released.clear()
        thread = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        thread.start()
        self._threads.append(thread)

    def close(self) -> None:
        listener, self._listener = self._listener, None
        self._released.set()  # stalled connections end
        if listener is not None:
            with contextlib.suppress(OSError):
                listener.shutdown(socket.SHUT_RDWR)
            listener.close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._threads.clear()

    def set_mode(self, mode: str) -> None:
        assert mode in {"pass", "stall", "drip", "drop", "503", "garbled"}
        if self.mode == "stall" and mode != "stall":
            self._released.set()
            self._released = threading.Event()
        self.mode = mode

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            self.connections += 1
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            thread.start()

    def _serve(self, client: socket.socket) -> None:
        with contextlib.closing(client):
            mode, released = self.mode, self._released
            if mode == "stall":
                released.wait(60)
                return
            if mode == "garbled":
                _read_head(client)
                body = b'<?xml version="1.0"?><d:multistatus xmlns:d="DAV:"><d:response><d:href>'
                client.sendall(
                    b"HTTP/1.1 207 Multi-Status\r\nContent-Type: application/xml\r\n"
                    + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                    + body
                )
                return
            if mode == "503":
                _read_head(client)
                client.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 120\r\n"
                    b"Content-Type: text/plain\r\nContent-Length: 11\r\n"
                    b"Connection: close\r\n\r\nmaintenance"
                )
                return
            try:
                backend = socket.create_connection(("127.0.0.1", self.backend_port), timeout=30)
            except OSError:
                return
            with contextlib.closing(backend):
                self._relay(
                    client,
                    backend,
                    limit=self.drop_after if mode == "drop" else None,
                    drip=self.drip_seconds if mode == "drip" else None,
                )

    def _drip(self, sock: socket.socket, data: bytes, seconds: float) -> bool:
        """Send ``data`` one byte every ``seconds``; False when the client has gone (or the
        proxy stops)."""
        released = self._released
        for index in range(len(data)):
            if released.wait(seconds):
                return False
            try:
                sock.sendall(data[index : index + 1])
            except OSError:
                return False
            self.dripped += 1
        return True

    def _relay(
        self,
        client: socket.socket,
        backend: socket.socket,
        limit: int | None,
        drip: float | None = None,
    ) -> None:
        sent = 0
        sockets = [client, backend]
        while True:
            readable, _, _ = select.select(sockets, [], [], 30)
            if not readable:
                return
            for sock in readable:
                try:
                    data = sock.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                other = backend if sock is client else client
                if sock is backend and drip is not None:
                    self.held += len(data)
                    if not self._drip(other, data, drip):
                        return
                    continue
                if sock is backend and limit is not None:
                    data = data[: max(0, limit - sent)]
                    sent += len(data)
                    if data:
                        other.sendall(data)
                    if sent >= limit:
                        return  # the connection dropped midway through the answer
                    continue
                try:
                    other.sendall(data)
                except OSError:
                    return


def _read_head(sock: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return data


# --- the servers ---------------------------------------------------------------------------


@dataclass
class CalDAVServer:
    """One running CalDAV server, seen through its fault proxy."""

    kind: str
    folder: Path
    user: str = USER
    password: str = PASSWORD
    backend_port: int = 0
    proxy: FaultProxy | None = None
    process: subprocess.Popen[bytes] | None = None
    log: list[str] = field(default_factory=list)
    _drainer: threading.Thread = field(default_factory=threading.Thread)

    @property
    def url(self) -> str:
        """The server's root, as a user types it."""
        assert self.proxy is not None
        return f"http://127.0.0.1:{self.proxy.port}/"

    @property
    def home(self) -> str:
        """The path of the user's calendar home on this server."""
        if self.kind == "radicale":
            return f"/{self.user}/"
        return f"/{self.user}/calendars/"

    def calendar_url(self, name: str) -> str:
        return self.url.rstrip("/") + self.home + name + "/"

    # life --------------------------------------------------------------------------------

    def start(self) -> None:
        self.backend_port = self.backend_port or free_port()
        if self.kind == "radicale":
            users = self.folder / "users"
            users.write_text(f"{self.user}:{self.password}\n", encoding="utf-8")
            command = [
                sys.executable,
                "-m",
                "radicale",
                "--config",
                "",
                "--server-hosts",
                f"127.0.0.1:{self.backend_port}",
                "--storage-filesystem-folder",
                str(self.folder / "collections"),
                "--auth-type",
                "htpasswd",
                "--auth-htpasswd-filename",
                str(users),
                "--auth-htpasswd-encryption",
                "plain",
                "--auth-delay",
                "0",
                "--rights-type",
                "owner_only",
                "--logging-level",
                "info",
            ]
        else:
            command = [
                sys.executable,
                "-m",
                "tests.caldav_servers",
                "xandikos",
                str(self.folder / "xandikos"),
                str(self.backend_port),
                self.user,
                self.password,
            ]
        env = {**os.environ, "PYTHONPATH": str(_REPO)}
        process = subprocess.Popen(
            command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, cwd=_REPO
        )
        assert process.stderr is not None
        for raw in process.stderr:  # the server says when it listens
            line = raw.decode(errors="replace").rstrip()
            self.log.append(line)
            if "Listening on" in line or "listening on" in line:
                break
        else:
            raise RuntimeError(f"{self.kind} did not start:\n" + "\n".join(self.log[-20:]))
        self._drainer = threading.Thread(target=self._drain, args=(process,), daemon=True)
        self._drainer.start()
        self.process = process
        if self.proxy is None:
            self.proxy = FaultProxy(self.backend_port)
        self.proxy.open()

    def _drain(self, process: subprocess.Popen[bytes]) -> None:
        assert process.stderr is not None
        for raw in process.stderr:
            self.log.append(raw.decode(errors="replace").rstrip())

    def stop(self) -> None:
        """The server is gone: its port refuses connections."""
        if self.proxy is not None:
            self.proxy.close()
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self._drainer.join(timeout=10)
            assert self.process.stderr is not None
            self.process.stderr.close()
            self.process = None

    def restart(self) -> None:
        """Back on the same port, with the same storage."""
        self.stop()
        self.start()

    def stall(self) -> None:
        assert self.proxy is not None
        self.proxy.set_mode("stall")

    def drip(self, seconds: float = 0.05) -> None:
        """Every answer comes one byte every ``seconds``: each byte in good time, the
        whole answer long after any deadline."""
        assert self.proxy is not None
        self.proxy.drip_seconds = seconds
        self.proxy.set_mode("drip")

    def drop_midway(self, after: int = 120) -> None:
        assert self.proxy is not None
        self.proxy.drop_after = after
        self.proxy.set_mode("drop")

    def unavailable(self) -> None:
        """Every request is answered 503 Service Unavailable."""
        assert self.proxy is not None
        self.proxy.set_mode("503")

    def garble(self) -> None:
        """Every request is answered 207 with malformed XML."""
        assert self.proxy is not None
        self.proxy.set_mode("garbled")

    def heal(self) -> None:
        assert self.proxy is not None
        self.proxy.set_mode("pass")

    # content -------------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        body: str = "",
        headers: dict[str, str] | None = None,
        *,
        timeout: float = 30,
    ) -> tuple[int, bytes]:
        """One request straight to the server (not through the proxy), as the user."""
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        connection = http.client.HTTPConnection("127.0.0.1", self.backend_port, timeout=timeout)
        try:
            connection.request(
                method,
                path,
                body=body.encode("utf-8"),
                headers={"Authorization": f"Basic {token}", **(headers or {})},
            )
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def make_calendar(
        self, name: str, events: Iterable[str] = (), *, display_name: str | None = None
    ) -> str:
        """A new calendar collection holding ``events`` (each one VCALENDAR text, or a
        VEVENT wrapped here); returns its URL as the client sees it."""
        shown = escape(display_name if display_name is not None else name)
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
            f"<D:set><D:prop><D:displayname>{shown}</D:displayname>"
            '<C:supported-calendar-component-set><C:comp name="VEVENT"/>'
            "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"
        )
        status, answer = self.request(
            "MKCALENDAR", self.home + name + "/", body, {"Content-Type": "application/xml"}
        )
        assert status in (200, 201), (status, answer)
        for text in events:
            self.put(name, text)
        return self.calendar_url(name)

    def put(self, calendar: str, text: str) -> str:
        """Write one event (by its UID) into the calendar named ``calendar``; its path."""
        text = wrap(text)
        uid = _uid_of(text)
        path = self.home + calendar + "/" + uid + ".ics"
        status, answer = self.request(
            "PUT", path, text, {"Content-Type": "text/calendar; charset=utf-8"}
        )
        assert status in (201, 204), (status, answer)
        return path

    def delete(self, calendar: str, uid: str) -> None:
        status, answer = self.request("DELETE", self.home + calendar + "/" + uid + ".ics")
        assert status in (200, 204), (status, answer)


def wrap(text: str) -> str:
    """A VEVENT as a whole calendar object (CRLF lines), unchanged if it is one already."""
    body = text.strip().replace("\r\n", "\n")
    if not body.startswith("BEGIN:VCALENDAR"):
        body = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//planner tests//EN\n{body}\nEND:VCALENDAR"
    return body.replace("\n", "\r\n") + "\r\n"


def _uid_of(text: str) -> str:
    for line in text.splitlines():
        if line.startswith("UID:"):
            return line[4:].strip()
    raise ValueError("an event without a UID")


def vevent(
    uid: str,
    summary: str,
    start: str,
    end: str,
    *,
    location: str = "",
    sequence: int = 0,
    zone: str = "America/Toronto",
) -> str:
    """A VEVENT with local times (``20261208T180000``) in ``zone``."""
    lines = [
        "BEGIN:VEVENT",
        f"UID:{uid}",
        "DTSTAMP:20261201T120000Z",
        f"DTSTART;TZID={zone}:{start}",
        f"DTEND;TZID={zone}:{end}",
        f"SUMMARY:{summary}",
        f"SEQUENCE:{sequence}",
    ]
    if location:
        lines.append(f"LOCATION:{location}")
    lines.append("END:VEVENT")
    return "\n".join(lines)


@contextlib.contextmanager
def running(kind: str, folder: Path) -> Iterator[CalDAVServer]:
    folder.mkdir(parents=True, exist_ok=True)
    server = CalDAVServer(kind, folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(params=KINDS)
def caldav_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CalDAVServer]:
    """A fresh Radicale, then a fresh Xandikos, each with user ``sam`` and :data:`PASSWORD`."""
    with running(request.param, tmp_path / request.param) as server:
        yield server


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[CalDAVServer]:
    with running("radicale", tmp_path / "radicale") as server:
        yield server


# --- Xandikos behind HTTP Basic ------------------------------------------------------------


def _basic_auth(app: Any, user: str, password: str) -> Any:
    """Xandikos' WSGI app behind HTTP Basic, with ``/.well-known/caldav`` sent to the root."""
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    def guarded(environ: dict[str, Any], start_response: Any) -> Any:
        if environ.get("HTTP_AUTHORIZATION") != expected:
            start_response(
                "401 Unauthorized",
                [("WWW-Authenticate", 'Basic realm="xandikos"'), ("Content-Length", "0")],
            )
            return [b""]
        if environ.get("PATH_INFO", "").startswith("/.well-known/caldav"):
            start_response("301 Moved Permanently", [("Location", "/"), ("Content-Length", "0")])
            return [b""]
        environ["REMOTE_USER"] = user
        # Xandikos reads its input to the end: give it the body alone, not the socket.
        length = int(environ.get("CONTENT_LENGTH") or 0)
        environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(length))
        return app(environ, start_response)

    return guarded


def _serve_xandikos(folder: str, port: int, user: str, password: str) -> None:
    import logging
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from xandikos.web import SingleUserFilesystemBackend, XandikosApp

    class Server(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            sys.stderr.write("xandikos: " + (format % args) + "\n")

    logging.basicConfig(level=logging.WARNING)
    principal = f"/{user}/"
    backend = SingleUserFilesystemBackend(folder)
    backend._mark_as_principal(principal)
    Path(folder).mkdir(parents=True, exist_ok=True)
    backend.create_principal(principal, create_defaults=True)
    app = XandikosApp(backend, current_user_principal=principal, strict=True)
    server = make_server(
        "127.0.0.1",
        port,
        _basic_auth(app, user, password),
        server_class=Server,
        handler_class=Quiet,
    )
    sys.stderr.write(f"xandikos: Listening on 127.0.0.1:{port}\n")
    sys.stderr.flush()
    server.serve_forever()


if __name__ == "__main__":
    if sys.argv[1:2] == ["xandikos"]:
        _serve_xandikos(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5])

"""One CalDAV account's HTTP conversation: bounded in time, careful with the password.

Every CalDAV request goes through :meth:`Session.request`, so the rules live in
one place: HTTP Basic with the account's password (over https, or http on the
machine itself); a connect timeout and a total deadline per request (10 s and
30 s by default, smaller in tests), so a server that stalls costs the user at
most that; a redirect followed only to the same host (http to https on that host
is allowed, never https to http), so the password is never sent anywhere the user
did not give; an answer cut off midway, a refused connection, 401/403/5xx all
become a :class:`CalDAVError` whose text says what happened in words. The
connection is kept open between requests (a sync is several of them) and made
again once when the server closed an idle one.

The standard library's :mod:`http.client` does the HTTP: the ``caldav`` package
would bring its own HTTP stack, XML parser and handling of redirects and timeouts
(which the rules above need to hold), for the handful of requests planner sends;
this client is tested against two real servers instead (tests/caldav).
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import logging
import socket
import ssl
import threading
import time
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urljoin, urlsplit

_log = logging.getLogger(__name__)

CONNECT_SECONDS = 10.0
TOTAL_SECONDS = 30.0
MAX_BYTES = 100_000_000
"""An answer larger than this is refused (a 2,000-event calendar is about 1 MB)."""
MAX_REDIRECTS = 5
USER_AGENT = "planner (CalDAV)"

FaultKind = Literal[
    "unreachable",
    "timeout",
    "auth",
    "forbidden",
    "missing",
    "server",
    "dropped",
    "malformed",
    "redirect",
    "refused",
]


class CalDAVError(Exception):
    """A CalDAV request that failed, said in words (``"did not answer within 30 s"``).

    ``text`` has no subject: :meth:`sentence` puts the calendar's or the server's
    name in front. ``kind`` lets callers decide (a 401 asks for the password again).
    """

    def __init__(self, text: str, kind: FaultKind, status: int = 0) -> None:
        super().__init__(text)
        self.text = text
        self.kind = kind
        self.status = status

    def sentence(self, subject: str) -> str:
        return f"{subject} {self.text}"


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long to wait: to connect, and for a whole request (answer read to its end)."""

    connect: float = CONNECT_SECONDS
    total: float = TOTAL_SECONDS


@dataclass(frozen=True, slots=True)
class Answer:
    """A server's answer: status, headers (names in lower case), body, and the URL that
    gave it (after same-host redirects)."""

    status: int
    headers: dict[str, str]
    body: bytes
    url: str


@dataclass(frozen=True, slots=True)
class Origin:
    scheme: str
    host: str
    port: int

    @classmethod
    def of(cls, url: str) -> Origin:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise CalDAVError(f"cannot be reached at {url!r}: not an http(s) address", "refused")
        port = parts.port or (443 if scheme == "https" else 80)
        return cls(scheme, parts.hostname.lower(), port)


def check_address(url: str) -> Origin:
    """Where ``url`` leads, if planner may send a password there: https, or plain http to
    this machine itself; else a :class:`CalDAVError` (kind ``"refused"``) saying why."""
    origin = Origin.of(url)
    if origin.scheme == "http" and origin.host not in ("127.0.0.1", "localhost", "::1"):
        raise CalDAVError(
            "is not on https: planner sends a password only over an encrypted "
            "connection (use the https:// address)",
            "refused",
        )
    return origin


def plain_url(url: str) -> str:
    """``url`` without a user name or password in it (as it may be shown and kept)."""
    parts = urlsplit(url.strip())
    if "@" not in parts.netloc:
        return url.strip()
    return parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]).geturl()


def host_of(url: str) -> str:
    return urlsplit(url).hostname or url


@dataclass
class Session:
    """Requests to one CalDAV server as one user; not thread-safe (one per sync)."""

    url: str
    user: str
    password: str
    timeouts: Timeouts = field(default_factory=Timeouts)
    label: str = ""
    """How failures name the server ("Work (cloud.example.com)"); its host when unsaid."""
    requests: list[tuple[str, str]] = field(default_factory=list)
    """(method, path) of every request sent, in order: what a sync cost."""
    _connection: http.client.HTTPConnection | None = None
    _connected_to: Origin | None = None

    def __post_init__(self) -> None:
        self.url = plain_url(self.url)
        self.origin = Origin.of(self.url)
        if not self.label:
            self.label = self.origin.host

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection = None
        self._connected_to = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def error(self, exc: CalDAVError) -> str:
        """The failure as a sentence naming this server."""
        return exc.sentence(self.label)

    def request(
        self,
        method: str,
        url: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        *,
        depth: str | None = None,
        ok: tuple[int, ...] = (200, 207),
    ) -> Answer:
        """Send one request (``url`` may be a path on this server) and return the answer
        whose status is in ``ok``; anything else raises :class:`CalDAVError`."""
        target = urljoin(self.url, url)
        there = Origin.of(target)
        if there != self.origin and not _partition_of(self.origin, there):
            raise CalDAVError(
                f"pointed planner to another host ({there.host}); planner never sends your "
                "password to a host you did not give",
                "redirect",
            )
        sent = dict(headers or {})
        if depth is not None:
            sent["Depth"] = depth
        if body and "Content-Type" not in sent:
            sent["Content-Type"] = "application/xml; charset=utf-8"
        for _ in range(MAX_REDIRECTS + 1):
            answer = self._send(method, target, body, sent)
            if answer.status in (301, 302, 303, 307, 308) and answer.headers.get("location"):
                target = self._follow(target, answer.headers["location"])
                continue
            if answer.status in ok:
                return answer
            raise self._refusal(method, answer)
        raise CalDAVError(f"redirected planner more than {MAX_REDIRECTS} times", "redirect")

    def _follow(self, current: str, location: str) -> str:
        """Where a redirect leads, if the password may go there."""
        new = urljoin(current, location)
        here, there = Origin.of(current), Origin.of(new)
        same_host = there.host == here.host
        if there == here or (same_host and there.scheme == "https" and here.scheme == "http"):
            return new
        _log.info("%s: not following a redirect to %s", self.label, plain_url(new))
        raise CalDAVError(
            f"sent planner to another address ({there.scheme}://{there.host}); planner never "
            "sends your password to a host you did not give: if that is your provider's "
            "CalDAV address, add the calendar with it",
            "redirect",
        )

    def _refusal(self, method: str, answer: Answer) -> CalDAVError:
        status = answer.status
        path = urlsplit(answer.url).path or "/"
        reason = http.client.responses.get(status, "")
        if status == 401:
            return CalDAVError(
                f"refused the user name or password of {self.user} (401)", "auth", status
            )
        if status == 403:
            return CalDAVError(f"does not let {self.user} read {path} (403)", "forbidden", status)
        if status == 404:
            return CalDAVError(f"has nothing at {path} (404)", "missing", status)
        if status >= 500:
            later = " and asks to be tried later" if answer.headers.get("retry-after") else ""
            return CalDAVError(f"had a server error ({status} {reason}){later}", "server", status)
        return CalDAVError(f"refused {method} {path} ({status} {reason})", "refused", status)

    def _send(self, method: str, url: str, body: bytes, headers: dict[str, str]) -> Answer:
        origin = check_address(url)
        parts = urlsplit(url)
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
        all_headers = {
            "Authorization": f"Basic {token}",
            "User-Agent": USER_AGENT,
            "Accept-Encoding": "identity",
            **headers,
        }
        deadline = time.monotonic() + self.timeouts.total
        self.requests.append((method, path))
        reused = self._connection is not None and self._connected_to == origin
        try:
            return self._exchange(origin, method, path, body, all_headers, deadline, url)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.close()
            if not reused:
                raise CalDAVError("closed the connection before answering", "dropped") from None
        # The server closed the connection we kept open while idle: once more, afresh.
        try:
            return self._exchange(origin, method, path, body, all_headers, deadline, url)
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            self.close()
            raise CalDAVError("closed the connection before answering", "dropped") from None

    def _exchange(
        self,
        origin: Origin,
        method: str,
        path: str,
        body: bytes,
        headers: dict[str, str],
        deadline: float,
        url: str,
    ) -> Answer:
        total = self.timeouts.total
        try:
            connection = self._connect(origin, deadline)
            watchdog = _Watchdog(connection, deadline)
            try:
                answer = self._answer(connection, method, path, body, headers, deadline, url)
            except (http.client.HTTPException, OSError):
                if watchdog.expired:  # the socket was shut at the deadline: that is why
                    raise TimeoutError from None
                raise
            finally:
                watchdog.cancel()
            if watchdog.expired:  # an answer without a length ends where the socket was shut
                raise TimeoutError
            if answer.will_close:
                self.close()
            return answer.answer
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            raise
        except CalDAVError:
            self.close()
            raise
        except TimeoutError:
            self.close()
            raise CalDAVError(f"did not answer within {_seconds(total)}", "timeout") from None
        except (http.client.IncompleteRead, http.client.BadStatusLine, http.client.LineTooLong):
            self.close()
            raise CalDAVError(
                "closed the connection midway through its answer", "dropped"
            ) from None
        except ssl.SSLError as exc:
            self.close()
            raise CalDAVError(
                f"could not be reached securely ({exc.reason or exc})", "unreachable"
            ) from None
        except ConnectionRefusedError:
            self.close()
            raise CalDAVError(
                "did not answer (the connection was refused)", "unreachable"
            ) from None
        except socket.gaierror:
            self.close()
            raise CalDAVError(
                f"could not be found ({origin.host} is not a known host name, or the "
                "computer is offline)",
                "unreachable",
            ) from None
        except OSError as exc:
            self.close()
            why = exc.strerror or type(exc).__name__
            raise CalDAVError(f"did not answer ({why})", "unreachable") from None

    def _answer(
        self,
        connection: http.client.HTTPConnection,
        method: str,
        path: str,
        body: bytes,
        headers: dict[str, str],
        deadline: float,
        url: str,
    ) -> _Read:
        """Send the request on ``connection`` and read the whole answer (within the size
        limit); HTTP and socket failures are left to :meth:`_exchange` to say in words."""
        connection.request(method, path, body=body or None, headers=headers)
        _limit(connection, deadline)
        response = connection.getresponse()
        length = response.getheader("Content-Length")
        if length is not None and length.isdigit() and int(length) > MAX_BYTES:
            raise CalDAVError(f"sent an answer larger than {MAX_BYTES:,} bytes", "refused")
        chunks: list[bytes] = []
        size = 0
        while True:
            _limit(connection, deadline)
            chunk = response.read(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > MAX_BYTES:
                raise CalDAVError(f"sent an answer larger than {MAX_BYTES:,} bytes", "refused")
            chunks.append(chunk)
        if response.length:  # fewer bytes than Content-Length said, then the end
            raise http.client.IncompleteRead(b"".join(chunks), response.length)
        if response.status == 207 and not chunks:  # headers cut short, then the end
            raise http.client.IncompleteRead(b"")
        answer = Answer(
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            b"".join(chunks),
            url,
        )
        return _Read(answer, bool(response.will_close))

    def _connect(self, origin: Origin, deadline: float) -> http.client.HTTPConnection:
        if self._connection is not None and self._connected_to == origin:
            return self._connection
        self.close()
        connect = max(0.001, min(self.timeouts.connect, deadline - time.monotonic()))
        connection: http.client.HTTPConnection
        if origin.scheme == "https":
            context = ssl.create_default_context()
            connection = http.client.HTTPSConnection(
                origin.host, origin.port, timeout=connect, context=context
            )
        else:
            connection = http.client.HTTPConnection(origin.host, origin.port, timeout=connect)
        try:
            connection.connect()
        except TimeoutError:
            raise CalDAVError(
                f"did not answer (no connection within {_seconds(connect)})", "timeout"
            ) from None
        self._connection, self._connected_to = connection, origin
        return connection


@dataclass(frozen=True, slots=True)
class _Read:
    answer: Answer
    will_close: bool
    """The server closes the connection after this answer."""


class _Watchdog:
    """Ends a request at its deadline however slowly the server sends.

    A socket timeout bounds each wait for the next bytes, not the whole answer: a
    server that sends its answer a byte at a time, each in good time (a slow drip),
    would keep one read going far past the deadline. At the deadline this shuts the
    socket down from a timer thread, which ends any read under way at once.
    """

    def __init__(self, connection: http.client.HTTPConnection, deadline: float) -> None:
        self.expired = False
        self._sock = connection.sock
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._expire)
        self._timer.daemon = True
        self._timer.start()

    def _expire(self) -> None:
        self.expired = True
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def _partition_of(here: Origin, there: Origin) -> bool:
    """Whether ``there`` is the same service as ``here`` on another of its hosts, as a
    calendar home may be (iCloud answers at caldav.icloud.com and keeps each account's
    calendars on pNN-caldav.icloud.com): https on both, and the same parent domain of
    two labels or more whose first is longer than three letters (not ``co.uk``)."""
    if here.scheme != "https" or there.scheme != "https" or _is_address(here.host):
        return False
    parent = here.host.split(".", 1)[-1]
    labels = parent.split(".")
    return (
        len(labels) >= 2
        and len(labels[0]) > 3
        and there.host.endswith("." + parent)
        and there.host.split(".", 1)[-1] == parent
    )


def _is_address(host: str) -> bool:
    return host.replace(".", "").isdigit() or ":" in host


def _limit(connection: http.client.HTTPConnection, deadline: float) -> None:
    """Let the next socket operation wait only until the request's deadline."""
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    if connection.sock is not None:
        connection.sock.settimeout(remaining)


def _seconds(value: float) -> str:
    return f"{value:g} s"

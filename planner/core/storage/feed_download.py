"""One feed download over HTTP, bounded in time, size and where it may lead.

A feed server is not trusted: it may trickle its headers or body a byte a
second, send a gzip bomb, answer a first request with 304, redirect to a
``file:`` address or to another host, or send a Content-Length of "²". Each
of these ends in a :class:`FeedError` whose message names the host and the
problem; nothing here raises anything else for what a server sends.

Time: one deadline covers connecting, the headers and the body. It is
enforced on every read, by shrinking the socket's timeout to the time left
(a per-read timeout alone lets a server that sends one byte every few seconds
hold a refresh for ever). The name lookup (``getaddrinfo``), which no socket
timeout bounds, runs on a thread of its own that is waited for no longer.

Credentials: a password is sent as HTTP Basic authentication to the feed's
own host and scheme only; a redirect to another host (or from https down to
http) gets no ``Authorization`` header.

The standard library's urllib does the HTTP: a feed needs no more than a GET
with a few headers, and every extra dependency is one more thing to ship.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from email.message import Message
from typing import IO, Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import planner

MAX_BYTES = 20 * 1024 * 1024
"""The most a feed may send, and the most it may unpack to."""
MAX_REDIRECTS = 5
TIMEOUT = 20.0
"""Seconds to wait for the server to connect or send the next bytes."""
DOWNLOAD_SECONDS = 120.0
"""The whole download (connect, headers, body): a trickling server must not hold a refresh."""
USER_AGENT = f"planner/{planner.__version__} (desktop event planner)"
"""How planner introduces itself to feed servers and event pages (and their robots.txt)."""
_CHUNK = 64 * 1024
_GZIP_MAGIC = b"\x1f\x8b"
_COMPRESSED = frozenset({"gzip", "x-gzip", "deflate"})


class FeedError(Exception):
    """A refresh that failed; the message is for the user."""

    def __init__(self, message: str = "", status: int = 0, *, unanswered: bool = False) -> None:
        super().__init__(message)
        self.status = status
        """The HTTP status the server answered with (0 when it sent none): robots.txt's
        meaning depends on it."""
        self.unanswered = unanswered
        """No answer came (no connection, a timeout, a broken connection): the server,
        not the address, is at fault, so its other addresses would fare no better."""


@dataclass(frozen=True, slots=True)
class Limits:
    """How long and how much one download may take (tests shrink them)."""

    timeout: float = TIMEOUT
    total_seconds: float = DOWNLOAD_SECONDS
    max_bytes: int = MAX_BYTES
    noun: str = "calendar"
    """What the download is called in messages ("page" for an event's web page)."""
    accept: str = "text/calendar, */*;q=0.5"


@dataclass(frozen=True, slots=True)
class Fetched:
    """A feed's bytes (unpacked), its validators, and where a redirect took it."""

    body: bytes
    etag: str
    last_modified: str
    content_type: str
    moved_to: str = ""
    """The address on another host the feed was finally read from ("" when on its own)."""
    final_url: str = ""
    """Where the bytes were read, after every redirect (the same host's too): what a
    relative link in them is relative to."""
    charset: str = ""
    """The charset the Content-Type header names ("" when none): what a page's text is in."""


def without_userinfo(url: str) -> str:
    """The URL without ``user:password@``: what may be shown, logged or kept."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def basic_authorization(user: str, password: str) -> str:
    """The ``Authorization`` header of HTTP Basic (RFC 7617: UTF-8, ``user:password``)."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    return f"Basic {token}"


def webcal_as_https(link: str) -> str:
    """``webcal://`` (and ``webcals://``), Apple's name for a calendar subscription, is
    the same file over https: what planner requests for such a link."""
    parts = urlsplit(link)
    if parts.scheme.lower() in ("webcal", "webcals"):
        return urlunsplit(parts._replace(scheme="https"))
    return link


def download(
    url: str,
    *,
    etag: str = "",
    last_modified: str = "",
    authorization: str = "",
    limits: Limits = Limits(),
) -> Fetched | None:
    """The feed's bytes, or None when the server says the copy validated is current.

    ``etag`` and ``last_modified`` are the validators of the copy kept ("" when there
    is none: a 304 is then an error). ``authorization`` goes to the feed's own host only.
    """
    address = without_userinfo(url)
    parts = urlsplit(address)
    host = parts.hostname or address
    request = urllib.request.Request(
        address,
        headers={
            "User-Agent": USER_AGENT,
            "Accept": limits.accept,
            "Accept-Encoding": "gzip",
        },
    )
    validated = bool(etag or last_modified)
    if etag:
        request.add_header("If-None-Match", etag)
    if last_modified:
        request.add_header("If-Modified-Since", last_modified)
    if authorization:
        request.add_unredirected_header("Authorization", authorization)
    clock = _Deadline(time.monotonic() + limits.total_seconds, limits.timeout)
    redirects = _Redirects(address, authorization)
    opener = urllib.request.build_opener(_HTTPHandler(clock), _HTTPSHandler(clock), redirects)
    try:
        with opener.open(request, timeout=clock.next_read()) as response:
            headers: Message = response.headers
            _check_length(headers, host, limits)
            body = _read_body(response, headers, host, limits)
            return Fetched(
                body,
                headers.get("ETag", ""),
                headers.get("Last-Modified", ""),
                headers.get_content_type(),
                redirects.moved_to,
                without_userinfo(response.geturl()),
                headers.get_content_charset() or "",
            )
    except urllib.error.HTTPError as exc:
        try:
            if exc.code == 304:
                if validated:
                    return None
                raise FeedError(
                    f"{host} answered 304 Not Modified to a first request (planner had no "
                    "copy to compare); the server is misbehaving"
                ) from None
            raise FeedError(_http_message(host, exc, limits.noun), exc.code) from None
        finally:
            exc.close()
    except urllib.error.URLError as exc:
        raise FeedError(_network_message(host, exc.reason, limits), unanswered=True) from None
    except (OSError, http.client.HTTPException) as exc:
        raise FeedError(_network_message(host, exc, limits), unanswered=True) from None


# --- time ------------------------------------------------------------------------------------


class DeadlinePassedError(TimeoutError):
    """The whole download took longer than its limit."""


@dataclass(slots=True)
class _Deadline:
    deadline: float
    read_timeout: float

    def next_read(self) -> float:
        """The timeout of the next socket operation: the per-read limit or the time left."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise DeadlinePassedError("the download's time is up")
        return min(self.read_timeout, left)

    def check(self) -> None:
        """Raise :class:`DeadlinePassedError` if the download's time is up."""
        if time.monotonic() >= self.deadline:
            raise DeadlinePassedError("the download's time is up")


class _DeadlineSocket(socket.socket):
    """A plain socket whose every read waits no longer than the download has left."""

    clock: _Deadline | None = None

    def recv_into(self, buffer: Any, nbytes: int = 0, flags: int = 0) -> int:
        if self.clock is None:
            return super().recv_into(buffer, nbytes, flags)
        self.settimeout(self.clock.next_read())
        try:
            return super().recv_into(buffer, nbytes, flags)
        except TimeoutError:
            self.clock.check()  # the deadline, not the server's pause, cut the read short
            raise


class _DeadlineSSLSocket(ssl.SSLSocket):
    """The same for TLS (the reads of an SSL socket never reach the plain socket's)."""

    clock: _Deadline | None = None

    def recv_into(self, buffer: Any, nbytes: int | None = None, flags: int = 0) -> int:
        if self.clock is None:
            return super().recv_into(buffer, nbytes, flags)  # type: ignore[arg-type]
        self.settimeout(self.clock.next_read())
        try:
            return super().recv_into(buffer, nbytes, flags)  # type: ignore[arg-type]
        except TimeoutError:
            self.clock.check()
            raise


class _NameLookupTimeoutError(DeadlinePassedError):
    """The name lookup did not end within the download's time."""


def _look_up(host: str, port: int, clock: _Deadline) -> list[tuple[Any, ...]]:
    """``getaddrinfo`` for ``host``, within the download's time left: the lookup has no
    timeout of its own (a resolver that does not answer can hold it for minutes), so it
    runs on a thread of its own, left to finish on its own when the time is up."""
    if _is_address(host):  # nothing to look up: no resolver is asked
        return socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[list[tuple[Any, ...]]] = []
    failed: list[OSError] = []

    def look() -> None:
        try:
            found.append(socket.getaddrinfo(host, port, type=socket.SOCK_STREAM))
        except OSError as exc:
            failed.append(exc)

    helper = threading.Thread(target=look, name=f"looking up {host}", daemon=True)
    helper.start()
    helper.join(max(0.0, clock.deadline - time.monotonic()))
    if helper.is_alive():
        raise _NameLookupTimeoutError(f"looking up {host} took the download's time")
    if failed:
        raise failed[0]
    return found[0]


def _is_address(host: str) -> bool:
    """Whether ``host`` is an IP address rather than a name."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _connect(clock: _Deadline, address: tuple[str, int], source: Any) -> socket.socket:
    host, port = address
    error: OSError | None = None
    for *_, where in _look_up(host, port, clock):
        try:  # (a numeric address: create_connection looks nothing up)
            plain = socket.create_connection((where[0], port), clock.next_read(), source)
            break
        except DeadlinePassedError:
            raise
        except OSError as exc:  # the next address (IPv4 after IPv6, say)
            error = exc
    else:
        raise error or OSError(f"no address found for {host}")
    sock = _DeadlineSocket(plain.family, plain.type, plain.proto, fileno=plain.detach())
    sock.settimeout(clock.next_read())
    sock.clock = clock
    return sock


class _DeadlineHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args: Any, clock: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._create_connection = lambda address, _timeout, source=None: _connect(
            clock, address, source
        )


class _DeadlineHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args: Any, clock: _Deadline, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clock = clock
        self._create_connection = lambda address, _timeout, source=None: _connect(
            clock, address, source
        )

    def connect(self) -> None:
        super().connect()
        if isinstance(self.sock, _DeadlineSSLSocket):
            self.sock.clock = self._clock


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, clock: _Deadline) -> None:
        super().__init__()
        self._clock = clock

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection: Any = _DeadlineHTTPConnection
        return self.do_open(connection, req, clock=self._clock)


_tls: ssl.SSLContext | None = None
_tls_lock = threading.Lock()


def _tls_context() -> ssl.SSLContext:
    """The system's verified TLS settings, with sockets that keep the deadline (made once)."""
    global _tls
    with _tls_lock:
        if _tls is None:
            context = ssl.create_default_context()
            context.sslsocket_class = _DeadlineSSLSocket
            _tls = context
        return _tls


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, clock: _Deadline) -> None:
        super().__init__(context=_tls_context())
        self._clock = clock
        self._tls = _tls_context()

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        connection: Any = _DeadlineHTTPSConnection
        return self.do_open(connection, req, context=self._tls, clock=self._clock)


# --- redirects -------------------------------------------------------------------------------


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows at most :data:`MAX_REDIRECTS` redirects, to http and https only; the
    credentials stay with the feed's own host and scheme; a move to another host is
    remembered."""

    max_redirections = MAX_REDIRECTS

    def __init__(self, origin: str, authorization: str) -> None:
        super().__init__()
        self._origin = urlsplit(origin)
        self._authorization = authorization
        self.moved_to = ""

    def http_error_302(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
    ) -> Any:
        """Refuse other schemes before urllib looks (it would follow ``ftp:``)."""
        location = headers.get("Location") or headers.get("URI") or ""
        target = urlsplit(urljoin(req.full_url, location))
        if target.scheme.lower() not in ("http", "https") or not target.hostname:
            fp.close()
            host = self._origin.hostname or ""
            shown = f"{target.scheme}:" if target.scheme else repr(location[:80])
            raise FeedError(
                f"{host} redirected to another kind of address ({shown}); planner follows "
                "only http and https"
            )
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        target = urlsplit(newurl)
        scheme = target.scheme.lower()
        clean = without_userinfo(newurl)
        new = super().redirect_request(req, fp, code, msg, headers, clean)
        if new is None:
            return None
        for name in ("Authorization", "Proxy-Authorization"):
            new.remove_header(name)
        same_host = (target.hostname, target.port) == (self._origin.hostname, self._origin.port)
        downgrade = self._origin.scheme.lower() == "https" and scheme == "http"
        if self._authorization and same_host and not downgrade:
            new.add_unredirected_header("Authorization", self._authorization)
        self.moved_to = "" if target.hostname == self._origin.hostname else clean
        return new


# --- the body --------------------------------------------------------------------------------


def _check_length(headers: Message, host: str, limits: Limits) -> None:
    length = headers.get("Content-Length")
    if length is None:
        return
    text = str(length).strip()
    if not (text.isascii() and text.isdigit()):
        raise FeedError(f"{host} sent an invalid Content-Length header ({text[:40]!r}); stopped")
    if int(text) > limits.max_bytes:
        raise FeedError(_too_big(host, limits))


def _read_body(response: Any, headers: Message, host: str, limits: Limits) -> bytes:
    """The body, unpacked when the server compressed it, never more than ``max_bytes``."""
    encoding = str(headers.get("Content-Encoding", "")).strip().lower()
    if encoding not in ("", "identity") and encoding not in _COMPRESSED:
        raise FeedError(
            f"{host} sent the {limits.noun} encoded as {encoding[:40]!r}, which planner cannot read"
        )
    received = 0
    raw: list[bytes] = []
    while chunk := response.read(_CHUNK):
        received += len(chunk)
        if received > limits.max_bytes:
            raise FeedError(_too_big(host, limits))
        raw.append(chunk)
    body = b"".join(raw)
    if encoding in _COMPRESSED or body.startswith(_GZIP_MAGIC):  # also a plain .ics.gz
        return _unpack(body, host, limits)
    return body


def _unpack(data: bytes, host: str, limits: Limits) -> bytes:
    """gzip or zlib data unpacked, refusing (without holding) more than ``max_bytes``."""
    max_bytes, noun = limits.max_bytes, limits.noun
    decoder = zlib.decompressobj(wbits=zlib.MAX_WBITS | 32)  # gzip or zlib, by its header
    out: list[bytes] = []
    size = 0
    pending = data
    try:
        while pending and not decoder.eof:
            piece = decoder.decompress(pending, _CHUNK)
            pending = decoder.unconsumed_tail
            size += len(piece)
            if size > max_bytes:
                raise FeedError(_unpacks_too_big(host, limits))
            out.append(piece)
        size += len(rest := decoder.flush())
        out.append(rest)
    except zlib.error as exc:
        message = f"{host} sent a compressed {noun} that cannot be unpacked ({exc})"
        raise FeedError(message) from None
    if size > max_bytes:
        raise FeedError(_unpacks_too_big(host, limits))
    if not decoder.eof:
        raise FeedError(f"{host} sent a compressed {noun} that was cut short")
    return b"".join(out)


# --- messages --------------------------------------------------------------------------------


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.0f} MB"
    return f"{max(1, round(count / 1024))} KB"


def _too_big(host: str, limits: Limits) -> str:
    size = _size(limits.max_bytes)
    return f"{host} sent a {limits.noun} larger than {size}; planner stopped downloading it"


def _unpacks_too_big(host: str, limits: Limits) -> str:
    return (
        f"{host} sent a compressed {limits.noun} that unpacks to more than "
        f"{_size(limits.max_bytes)}; planner stopped unpacking it"
    )


def _http_message(host: str, exc: urllib.error.HTTPError, noun: str) -> str:
    code, reason = exc.code, str(exc.reason).strip()
    status = f"HTTP {code} {http.client.responses.get(code, '')}".strip()
    if reason.startswith(urllib.request.HTTPRedirectHandler.inf_msg.strip()):
        return f"{host} redirected more than {MAX_REDIRECTS} times; planner stopped following"
    if 300 <= code < 400:
        return f"{host} redirected to an address planner cannot follow ({reason})"
    if code in (401, 403):
        return f"{host} refused access ({status}): the link may be private or need a login"
    if code in (404, 410):
        return f"{host} has no {noun} at this address ({status}): it may have moved"
    if code == 429:
        return f"{host} asked planner to slow down ({status}); it will try again later"
    if code >= 500:
        return f"{host} had a server error ({status}); this is usually temporary"
    return f"{host} answered {status}"


def _network_message(host: str, reason: object, limits: Limits) -> str:
    if isinstance(reason, _NameLookupTimeoutError):
        return (
            f"looking up the server {host} took over {limits.total_seconds:g} s; check your "
            "internet connection"
        )
    if isinstance(reason, DeadlinePassedError):
        return (
            f"{host} took over {limits.total_seconds:g} s in all to send the {limits.noun}; "
            "planner stopped waiting"
        )
    if isinstance(reason, TimeoutError):
        return f"{host} did not answer within {limits.timeout:g} s"
    if isinstance(reason, socket.gaierror):
        return f"cannot find the server {host}: check the address and your internet connection"
    if isinstance(reason, ConnectionRefusedError):
        return f"{host} refused the connection: the service may be down"
    if isinstance(reason, ssl.SSLCertVerificationError):
        return f"{host} has an invalid security certificate ({reason.verify_message})"
    if isinstance(reason, ssl.SSLError):
        return f"the secure connection to {host} failed ({reason.reason or reason})"
    if isinstance(reason, ConnectionError | http.client.HTTPException):
        return f"{host} broke off the connection ({type(reason).__name__})"
    return f"cannot reach {host} ({reason})"

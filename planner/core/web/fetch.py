"""One web page fetched politely: planner's user agent, bounded, http(s) only.

The download itself is the feeds' (:func:`planner.core.storage.feed_download.download`):
one deadline enforced on every read, a size cap, at most five redirects and to http
and https only. urllib's opener as built there keeps no cookies, and no credentials
are given: a ``user:password@`` in the link is dropped before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from planner.core.storage.feed_download import (
    FeedError,
    Limits,
    download,
    webcal_as_https,
    without_userinfo,
)

PAGE_LIMITS = Limits(
    timeout=10.0,
    total_seconds=30.0,
    max_bytes=5 * 1024 * 1024,
    noun="page",
    accept="text/html, application/xhtml+xml, text/calendar;q=0.9, */*;q=0.5",
)
"""Connect or wait for the next bytes 10 s, 30 s in all, at most 5 MB."""

WEB_SCHEMES = frozenset({"http", "https", "webcal", "webcals"})


class WebError(Exception):
    """A page that could not be read; the message, for the user, names the host."""

    def __init__(self, message: str = "", *, site_down: bool = False) -> None:
        super().__init__(message)
        self.site_down = site_down
        """The site, not this page, failed: it did not answer, had a server error or
        asked planner to slow down (HTTP 429). Its other pages are not asked for now."""


@dataclass(frozen=True, slots=True)
class Page:
    """A page's bytes and what its server said it is."""

    url: str
    """Where it was read: the link, or where its redirects led."""
    body: bytes
    content_type: str
    charset: str = ""
    """The charset the server named for it ("" when none)."""


def is_web_link(text: str) -> bool:
    """Whether ``text`` (one line, stripped) is an http(s) link and nothing else (or a
    ``webcal://`` one: a calendar file, read over https)."""
    if not text or any(ch.isspace() for ch in text):
        return False
    parts = urlsplit(text)
    return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)


def host_of(link: str) -> str:
    """The host a link's page would be asked of: what a consent question and a reason
    name ("tickets.example.org"; the link itself when it has none)."""
    return urlsplit(link).hostname or link


def fetch_page(url: str, limits: Limits = PAGE_LIMITS) -> Page:
    """The page at ``url``; :class:`WebError` for anything but a page received whole.

    Other schemes (``file:``, ``javascript:``, ``data:``) are refused before any
    request, and so is a redirect to one.
    """
    address = without_userinfo(url.strip())
    parts = urlsplit(address)
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        scheme = f"{parts.scheme}:" if parts.scheme else "no scheme"
        raise WebError(f"{address[:80]}: planner reads only http and https pages ({scheme})")
    address = webcal_as_https(address)
    try:
        fetched = download(address, limits=limits)
    except FeedError as exc:
        down = exc.unanswered or exc.status == 429 or exc.status >= 500
        raise WebError(str(exc), site_down=down) from None
    if fetched is None:  # a 304 answers only a request with validators, never sent here
        raise WebError(f"{parts.hostname} sent no page (304 Not Modified)")
    return Page(fetched.final_url or address, fetched.body, fetched.content_type, fetched.charset)

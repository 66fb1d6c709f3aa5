"""The name lookup is part of a download's time: a resolver that never answers (a
captive portal, a broken VPN) must not hold a refresh or ``planner add URL --fetch``
past the download's deadline. The system resolver cannot be made slow from a test, so
``getaddrinfo`` is replaced, for two made-up hosts only, by one that waits until the
test ends and one that knows no such name; every other name (the local server's) is
looked up as usual."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from planner.core.storage.feed_download import FeedError, Limits, download
from tests.feed_server import Reply, Site, calendar, vevent

SILENT = "resolver-never-answers.invalid"
UNKNOWN = "no-such-host.invalid"


@pytest.fixture
def silent_resolver(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    released = threading.Event()
    real = socket.getaddrinfo

    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host == SILENT:
            released.wait()
            raise socket.gaierror(socket.EAI_AGAIN, "released by the test")
        if host == UNKNOWN:  # (what a resolver says of a name nobody has)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", lookup)
    yield released
    released.set()


def test_a_lookup_that_never_ends_is_stopped_at_the_download_limit(
    silent_resolver: threading.Event,
) -> None:
    with pytest.raises(FeedError) as caught:
        download(f"https://{SILENT}/cal.ics", limits=Limits(timeout=5.0, total_seconds=0.3))
    assert str(caught.value) == (
        f"looking up the server {SILENT} took over 0.3 s; check your internet connection"
    )


def test_names_that_answer_are_still_looked_up(
    silent_resolver: threading.Event, site: Site
) -> None:
    site.replies["/cal.ics"] = Reply(
        calendar(vevent("pmi", "PMI mixer", "20261124T180000", "20261124T200000"))
    )
    url = site.url("/cal.ics").replace("127.0.0.1", "localhost")
    fetched = download(url, limits=Limits(timeout=5.0, total_seconds=5.0))
    assert fetched is not None and b"PMI mixer" in fetched.body


def test_a_name_that_does_not_exist_is_said(silent_resolver: threading.Event) -> None:
    with pytest.raises(FeedError) as caught:
        download(f"https://{UNKNOWN}/cal.ics", limits=Limits(total_seconds=5.0))
    assert str(caught.value).startswith(f"cannot find the server {UNKNOWN}: check the address")

"""``planner refresh`` reads the venues its feeds leave out from the events' pages when
``[web] fill_venues`` allows it, says what it did, and asks for nothing when it does not.
The feed and its pages are served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.cli.main import main
from planner.core.web import polite
from tests.feed_server import Reply
from tests.web.meetup import BREWERY, event_path, feed_event, pages_asked, serve_feed, serve_page

TORONTO = ZoneInfo("America/Toronto")


@pytest.fixture
def own_folders(tmp_path, monkeypatch):
    """A user of their own: data, config and cache folders in ``tmp_path``; sites are
    not paced (the pacing is tested in tests/web with a clock of its own)."""
    for name in ("DATA", "CONFIG", "CACHE"):
        monkeypatch.setenv(f"PLANNER_{name}_DIR", str(tmp_path / name.lower()))
    monkeypatch.setattr(polite, "SECONDS_PER_HOST", 0.0)
    return tmp_path


def settings_file(tmp_path, fill: bool):
    path = tmp_path / "settings.toml"
    path.write_text(
        f'[general]\ntimezone = "America/Toronto"\n\n[web]\nfill_venues = {str(fill).lower()}\n'
    )
    return str(path)


def a_group_with_two_events(site) -> str:
    day = datetime.now(TORONTO).date() + timedelta(days=3)
    first = datetime(day.year, day.month, day.day, 18, 0)
    second = first + timedelta(days=1)
    serve_page(site, 1, first.replace(tzinfo=TORONTO), BREWERY)
    site.replies[event_path(2)] = Reply(b"gone", 404, "text/plain")
    return serve_feed(site, feed_event(site, 1, first), feed_event(site, 2, second))


def test_refresh_fills_the_venues_and_says_what_could_not_be_read(own_folders, site, capsys):
    settings = settings_file(own_folders, fill=True)
    url = a_group_with_two_events(site)
    assert main(["sources", "add", url, "--role", "candidates", "--settings", settings]) == 0
    capsys.readouterr()

    assert main(["refresh", "--all", "--settings", settings]) == 0

    out = capsys.readouterr().out
    assert (
        "Filled 1 venue from event pages; 1 could not be read: Founders Coffee #2: 127.0.0.1 "
        "has no page at this address (HTTP 404 Not Found): it may have moved"
    ) in out
    site.requests.clear()
    assert main(["refresh", "--all", "--settings", settings]) == 0
    assert "venue" not in capsys.readouterr().out  # nothing changed: nothing fetched
    assert pages_asked(site) == []


def test_refresh_without_consent_asks_for_no_page_and_says_how_to_allow_it(
    own_folders, site, capsys
):
    settings = settings_file(own_folders, fill=False)
    url = a_group_with_two_events(site)
    assert main(["sources", "add", url, "--role", "candidates", "--settings", settings]) == 0
    assert main(["refresh", "--all", "--settings", settings]) == 0
    out = capsys.readouterr().out
    assert "2 candidate events from feeds give no venue; `[web] fill_venues = true`" in out
    assert pages_asked(site) == []

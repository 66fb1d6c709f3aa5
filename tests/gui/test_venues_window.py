"""The window reads the venues a feed leaves out, in the feed refresher's background work
after merging, and plans with them; with the setting off, nothing is requested. Pages are
served by a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from planner.core import saved
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.settings import WebSettings
from planner.core.storage.feed_venues import READ_FROM_PAGE
from planner.core.storage.store import Store
from planner.core.web import polite
from planner.gui import feed_refresher
from planner.gui.main_window import MainWindow
from tests.web.meetup import BREWERY, event_path, feed_event, pages_asked, serve_feed, serve_page

ZONE = demo_settings().zone
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZONE)  # the demo week's Monday morning
WED = datetime(2026, 11, 25, 18, 0)  # wall clock, as the feed writes it


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "planner.sqlite3") as opened:
        yield opened


def open_window(qtbot, store: Store, fill_venues: bool) -> MainWindow:
    settings = replace(demo_settings(), web=WebSettings(fill_venues=fill_venues))
    session = saved.open_session(store, settings, demo=True)
    window = MainWindow(session, DEMO_WEEK, now=NOW, ask_consent=False, remember_layout=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.show()
    assert window.feeds.refresher is not None
    window.feeds.refresher.seconds_per_host = 0  # the pacing itself is tested in tests/web
    return window


def coffee(window: MainWindow):
    assert window.plan is not None
    return next((d for d in window.plan.decisions if d.event.summary.startswith("Founders")), None)


def test_venues_arrive_after_the_refresh_and_the_week_is_planned_with_them(qtbot, store, site):
    serve_page(site, 1, WED.replace(tzinfo=ZONE), BREWERY)
    url = serve_feed(site, feed_event(site, 1, WED))
    window = open_window(qtbot, store, fill_venues=True)

    with qtbot.waitSignal(window.feeds.refresher.refreshed, timeout=30_000) as blocker:
        window.session.add_sources([(url, "candidates")])

    assert "filled 1 venue from event pages" in blocker.args[0].summary
    assert pages_asked(site) == ["/robots.txt", event_path(1)]

    def planned_at_the_brewery() -> bool:
        found = coffee(window)
        return found is not None and found.event.place.name == "Brock Street Brewing"

    qtbot.waitUntil(planned_at_the_brewery, timeout=30_000)
    found = coffee(window)
    assert found.event.place.note == READ_FROM_PAGE
    assert found.trip_to is None or not found.trip_to.assumed
    window.details.show_decision(found)
    assert READ_FROM_PAGE.replace("'", "&#x27;") in window.details.text()


def test_with_the_setting_off_no_page_is_requested(qtbot, store, site):
    serve_page(site, 1, WED.replace(tzinfo=ZONE), BREWERY)
    url = serve_feed(site, feed_event(site, 1, WED))
    window = open_window(qtbot, store, fill_venues=False)

    with qtbot.waitSignal(window.feeds.refresher.refreshed, timeout=30_000) as blocker:
        window.session.add_sources([(url, "candidates")])

    assert "venue" not in blocker.args[0].summary
    assert pages_asked(site) == []
    qtbot.waitUntil(lambda: coffee(window) is not None, timeout=30_000)
    assert coffee(window).event.place.label == "unknown place"


def test_allowing_it_in_the_settings_reads_the_venues_at_once(qtbot, store, site):
    serve_page(site, 1, WED.replace(tzinfo=ZONE), BREWERY)
    url = serve_feed(site, feed_event(site, 1, WED))
    window = open_window(qtbot, store, fill_venues=False)
    with qtbot.waitSignal(window.feeds.refresher.refreshed, timeout=30_000):
        window.session.add_sources([(url, "candidates")])
    assert pages_asked(site) == []

    settings = window.session.settings
    with qtbot.waitSignal(window.feeds.refresher.refreshed, timeout=30_000) as blocker:
        window.session.set_settings(replace(settings, web=WebSettings(fill_venues=True)))

    assert "filled 1 venue from event pages" in blocker.args[0].summary
    qtbot.waitUntil(
        lambda: (
            coffee(window) is not None and coffee(window).event.place.name == "Brock Street Brewing"
        ),
        timeout=30_000,
    )


def test_the_window_paces_sites_as_the_core_does():
    assert feed_refresher.SECONDS_PER_HOST == polite.SECONDS_PER_HOST

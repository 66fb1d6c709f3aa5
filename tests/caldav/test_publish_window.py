"""The window's Publish action and automatic publishing, against real CalDAV servers."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from planner.core import saved
from planner.core.caldav import publish_objects as po
from planner.core.caldav.publish import describe_calendar, read_week
from planner.core.caldav.session import Session
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.settings import CalDAVSettings
from planner.core.storage.store import Store
from planner.gui.main_window import MainWindow
from tests.caldav_servers import CalDAVServer

ZONE = demo_settings().zone
NOW = datetime(2026, 11, 20, 9, 0, tzinfo=ZONE)  # before the demo week: all of it ahead


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "planner.sqlite3") as opened:
        yield opened


@pytest.fixture(autouse=True)
def _password(monkeypatch, caldav_server: CalDAVServer):
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", caldav_server.password)


def open_window(qtbot, store: Store, server: CalDAVServer, *, automatic=False) -> MainWindow:
    chosen = CalDAVSettings(server.calendar_url("planner"), server.user, automatic)
    settings = replace(demo_settings(), caldav=chosen)
    session = saved.open_session(store, settings, demo=True)
    window = MainWindow(session, DEMO_WEEK, now=NOW, ask_consent=False, remember_layout=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.show()
    return window


def held(server: CalDAVServer, plan) -> set[str]:
    with Session(server.url, server.user, server.password) as s:
        return {f.uid for f in read_week(s, server.calendar_url("planner"), plan) if f.ours}


def test_the_publish_action_publishes_the_week_shown(qtbot, store, caldav_server) -> None:
    window = open_window(qtbot, store, caldav_server)
    action = window.publisher.publish_action
    assert action.shortcut().toString() == "Ctrl+Shift+P"
    assert action in window.menuBar().actions()[0].menu().actions()  # File
    with qtbot.waitSignal(window.publisher.published, timeout=30_000) as signal:
        action.trigger()
    (report,) = signal.args[0]
    assert report.ok
    assert window.publisher.label.text().startswith(
        "Published week of Mon 23 Nov to planner (127.0.0.1): 7 added, 0 moved, 0 removed, "
        "0 unchanged at "
    )
    assert held(caldav_server, window.plan) == {w.uid for w in po.wanted_objects(window.plan)}


def test_each_decision_publishes_when_asked_to(qtbot, store, caldav_server) -> None:
    window = open_window(qtbot, store, caldav_server, automatic=True)
    chosen = window.plan.chosen[0].event
    with qtbot.waitSignal(window.publisher.published, timeout=30_000):
        window.decisions.refuse(chosen.key)
    qtbot.waitUntil(lambda: not window.publisher.busy, timeout=30_000)
    on_server = held(caldav_server, window.plan)
    assert po.planner_uid(chosen.key, "event") not in on_server
    assert on_server == {w.uid for w in po.wanted_objects(window.plan)}


def test_a_server_down_is_said_and_the_next_start_publishes_the_queue(
    qtbot, store, caldav_server
) -> None:
    window = open_window(qtbot, store, caldav_server)
    caldav_server.unavailable()
    with qtbot.waitSignal(window.publisher.published, timeout=30_000):
        window.publisher.publish_action.trigger()
    text = window.publisher.label.text()
    assert "Could not publish week of Mon 23 Nov" in text
    assert "7 not written (the server failed (503)" in text
    assert "published again at the next change or start" in text
    assert len(store.publish_waiting()[0].items) == 7
    window.close()
    caldav_server.heal()
    again = open_window(qtbot, store, caldav_server)  # publishes the queue after its plan
    qtbot.waitUntil(lambda: store.publish_waiting() == [], timeout=30_000)
    qtbot.waitUntil(lambda: not again.publisher.busy, timeout=30_000)
    assert again.publisher.label.text().startswith("Published week of Mon 23 Nov")
    assert held(caldav_server, again.plan) == {w.uid for w in po.wanted_objects(again.plan)}


def test_without_a_calendar_chosen_the_window_says_where_to_choose_one(
    qtbot, store, caldav_server
) -> None:
    window = open_window(qtbot, store, caldav_server)
    window.publisher.target = lambda: None
    window.publisher.publish_action.trigger()
    assert "Choose the calendar to publish to" in window.statusBar().currentMessage()


def test_the_publish_action_asks_for_a_password_nothing_holds(
    qtbot, store, caldav_server, monkeypatch
) -> None:
    from planner.core.caldav import credentials

    monkeypatch.delenv("PLANNER_CALDAV_PASSWORD")
    window = open_window(qtbot, store, caldav_server)
    asked: list[tuple[str, str]] = []

    def answer(account: str, host: str) -> str:
        asked.append((account, host))
        return caldav_server.password

    window.feeds.ask_password = answer
    url = caldav_server.calendar_url("planner")
    try:
        with qtbot.waitSignal(window.publisher.published, timeout=30_000) as signal:
            window.publisher.publish_action.trigger()
        (report,) = signal.args[0]
        assert report.ok
        assert asked == [(credentials.account(url, caldav_server.user), "127.0.0.1")]
        with qtbot.waitSignal(window.publisher.published, timeout=30_000):
            window.publisher.publish_action.trigger()  # kept for this run: not asked again
        assert len(asked) == 1
    finally:
        credentials.forget(url, caldav_server.user)


def test_automatic_publishing_never_makes_again_a_calendar_deleted_to_undo(
    qtbot, store, caldav_server
) -> None:
    window = open_window(qtbot, store, caldav_server, automatic=True)
    with qtbot.waitSignal(window.publisher.published, timeout=30_000):
        window.publisher.publish_action.trigger()  # asked for: makes the calendar
    status, _ = caldav_server.request("DELETE", caldav_server.home + "planner/")
    assert status in (200, 204)
    chosen = window.plan.chosen[0].event
    with qtbot.waitSignal(window.publisher.published, timeout=30_000):
        window.decisions.refuse(chosen.key)  # publishes by itself
    qtbot.waitUntil(lambda: not window.publisher.busy, timeout=30_000)
    url = caldav_server.calendar_url("planner")
    with Session(caldav_server.url, caldav_server.user, caldav_server.password) as s:
        assert describe_calendar(s, url) == ("planner", False)  # still deleted
    assert window.publisher.label.text() == (
        f"Not published: {url}: no calendar there (it was deleted; publish to it by hand to "
        "make it again)"
    )

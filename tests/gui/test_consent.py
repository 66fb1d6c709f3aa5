"""Geocoding consent: asked once, remembered, nothing sent before."""

from datetime import date

import pytest

from planner.core.planning.week import WeekData
from planner.core.session import Session
from planner.core.settings import Settings
from planner.core.storage import preferences
from planner.gui import settings_controller
from planner.gui.consent_dialog import consent_text
from planner.gui.main_window import MainWindow

ADDRESSES = ["Station Gallery, 1450 Henry St, Whitby, ON", "Brock St Brewing, Whitby, ON"]


def loader(day: date, settings: Settings, sources):
    week = WeekData(day, pending_addresses=list(ADDRESSES))
    return settings, week


@pytest.mark.parametrize("answer", [True, False])
def test_asked_once_and_remembered(qtbot, monkeypatch, answer):
    asked = []

    def fake_ask(parent, addresses, service):
        asked.append((addresses, service))
        return answer

    monkeypatch.setattr(settings_controller, "ask_geocoding_consent", fake_ask)
    preferences.save("geocoding_consent", None)
    window = MainWindow(Session(loader, Settings()), date(2026, 11, 23))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.show()
    qtbot.waitUntil(lambda: bool(asked), timeout=5_000)
    if answer:  # allowed: the week is planned again, with the addresses looked up
        qtbot.waitSignal(window.planned, timeout=30_000)
    assert asked == [(ADDRESSES, "OpenStreetMap Nominatim")]
    assert preferences.load()["geocoding_consent"] is answer
    window.replan()
    qtbot.wait(200)
    assert len(asked) == 1  # never asked twice in a session
    preferences.save("geocoding_consent", None)


def test_the_question_names_what_is_sent_and_to_whom():
    question, listed = consent_text(ADDRESSES * 10, "OpenStreetMap Nominatim")
    assert "20 addresses" in question and "OpenStreetMap Nominatim" in question
    assert "sent over the internet" in question
    assert listed.count("\n") == 12 and "and 8 more" in listed

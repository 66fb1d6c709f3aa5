"""The details panel in words: an assumed price and an approximate place (issue 16)."""

from datetime import datetime

from PySide6.QtWidgets import QDialog

from planner.core import saved
from planner.core.model import Decision, Event, Place, Reason, Source
from planner.core.settings import settings_from_dict
from planner.core.storage.store import Store
from planner.gui.details_panel import FIX_PLACE, details_html, place_in_doubt
from planner.gui.main_window import MainWindow
from planner.gui.place_fix_dialog import PlaceFixDialog
from tests.core.week_builder import TZ
from tests.feed_server import calendar, vevent


def test_the_details_say_when_the_price_was_assumed():
    start = datetime(2026, 11, 26, 18, tzinfo=TZ)
    event = Event(
        "m",
        "Mixer",
        start,
        start.replace(hour=20),
        description="Members free, guests $20",
        cost=20.0,
    )
    decision = Decision(event, False, Reason.BUDGET, "over", 3.0, None, None, start, start, 120)
    text = details_html(decision)
    assert "Cost: $20 <i>(⚠ assumed: the guest price of several (members free))</i>" in text


# --- approximate places, said and fixed -----------------------------------------------

SETTINGS = settings_from_dict(
    {
        "home": {"location": "43.8975, -78.9429"},
        "places": {"office": {"location": "43.8561, -79.3370"}},
        "budget": {"weekly_hours": 10},
    }
)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=TZ)


def open_window(qtbot, store: Store) -> MainWindow:
    window = MainWindow(
        saved.open_session(store, SETTINGS),
        NOW.date(),
        now=NOW,
        ask_consent=False,
        remember_layout=False,
    )
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.show()
    return window


def decision(window: MainWindow, uid: str) -> Decision:
    assert window.plan is not None
    return next(d for d in window.plan.decisions if d.event.uid == uid)


def test_an_approximate_place_is_said_on_the_event_and_fixed_for_every_occurrence(
    qtbot, tmp_path, monkeypatch
):
    path = tmp_path / "meetups.ics"
    path.write_bytes(
        calendar(
            vevent("a", "Tuesday talk", "20261124T183000", "20261124T200000", "LOCATION:Toronto"),
            vevent("b", "Thursday talk", "20261126T183000", "20261126T200000", "LOCATION:Toronto"),
        )
    )
    with Store.open(tmp_path / "planner.sqlite3") as store:
        store.add_source(Source(str(path), "candidates"))
        window = open_window(qtbot, store)
        tuesday = decision(window, "a")
        assert place_in_doubt(tuesday).startswith("approximate location (city centre of Toronto")
        window.select_event(tuesday.event.key)
        assert "approximate location (city centre of Toronto" in window.details.text()
        assert "Fix the place…" in window.details.text()
        assert "problem(s) reading calendars" not in window.plan_status.text()
        assert "1 place only roughly known" in window.plan_status.text()
        asked: list[str] = []

        def pick_the_office(dialog: PlaceFixDialog) -> QDialog.DialogCode:
            asked.append(dialog.choice.currentText())
            dialog.choice.setCurrentText("office")
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(PlaceFixDialog, "exec", pick_the_office)
        with qtbot.waitSignal(window.planned, timeout=30_000):
            window.details.linkActivated.emit(FIX_PLACE)  # "Fix the place…" clicked
        assert asked == ["Toronto"]
        for uid in ("a", "b"):  # every event written "Toronto"
            place = decision(window, uid).event.place
            assert (place.lat, place.lon, place.approximate) == (43.8561, -79.3370, False)
            assert place_in_doubt(decision(window, uid)) == ""
        window.close()
    with Store.open(tmp_path / "planner.sqlite3") as store:  # kept: a restart keeps it
        assert store.place_fixes() == {"toronto": "office"}
        window = open_window(qtbot, store)
        assert decision(window, "b").event.place.approximate is False
        window.close()


def test_the_fix_dialog_offers_the_saved_places_and_takes_an_address(qtbot):
    dialog = PlaceFixDialog(Place("", "Toronto"), SETTINGS, "approximate location")
    qtbot.addWidget(dialog)
    names = [dialog.choice.itemText(i) for i in range(dialog.choice.count())]
    assert names == ["home", "office"]
    assert dialog.choice.currentText() == "Toronto"
    dialog.choice.setEditText("  100 King St W, Toronto ")
    assert dialog.fixed() == "100 King St W, Toronto"

"""The first start: an empty data folder, the setup assistant filled through its widgets,
and a planned week at the end; every page skipped; Set up again; the empty states."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDialog, QWizard

from planner import resources
from planner.core import saved
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.model import TravelMode
from planner.core.settings import Settings, load_settings
from planner.core.storage.store import Store
from planner.gui.main_window import MainWindow
from planner.gui.quick_add_dialog import QuickAddDialog
from planner.gui.setup_assistant import SetupAssistant
from planner.gui.setup_controller import first_start
from tests.feed_server import Reply

ZONE = demo_settings().zone
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZONE)  # the demo week's Monday morning
COMMITMENTS = str(resources.path("demo", "commitments.ics"))
CANDIDATES = str(resources.path("demo", "candidates.ics"))


@pytest.fixture
def folders(tmp_path, monkeypatch):
    """An empty data and config folder, as on a new computer."""
    for name in ("DATA", "CONFIG", "CACHE"):
        monkeypatch.setenv(f"PLANNER_{name}_DIR", str(tmp_path / name.lower()))
    return tmp_path


@pytest.fixture
def store(folders):
    with saved.open_store() as opened:
        yield opened


def open_window(qtbot, store: Store, settings_path: Path) -> MainWindow:
    settings, _path = saved.user_settings(settings_path if settings_path.exists() else None)
    session = saved.open_session(store, settings, settings_path=settings_path)
    window = MainWindow(session, NOW.date(), now=NOW, ask_consent=False, remember_layout=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.show()
    return window


def start_setup(qtbot, window: MainWindow) -> SetupAssistant:
    window.setup.run()
    assistant = window.setup.assistant
    assert assistant is not None
    qtbot.waitUntil(assistant.isVisible)
    return assistant


def finish(qtbot, window: MainWindow, assistant: SetupAssistant) -> None:
    with qtbot.waitSignal(window.planned, timeout=30_000):
        assistant.button(QWizard.WizardButton.FinishButton).click()


def test_a_first_start_goes_through_the_setup_to_a_planned_week(qtbot, store, folders):
    settings_path = saved.default_settings_path()
    window = open_window(qtbot, store, settings_path)
    assert first_start(window.session)
    # The empty window says what to do, in the week itself, with buttons.
    assert window.setup.empty.isVisible()
    assert "No calendars yet" in window.setup.empty.message.text()
    assert [b.text() for b in window.setup.empty.buttons] == [
        "Import your calendar…",
        "Subscribe to a feed…",
        "Type an event…",
        "Set up…",
    ]
    window.setup.empty.button("Set up…").click()
    assistant = window.setup.assistant
    assert assistant is not None
    qtbot.waitUntil(assistant.isVisible)
    assert not first_start(window.session)  # offered once: not again on the next start

    home = assistant.home_page
    home.home.setText("43.8837, -78.9538")
    assert "43.8837" in home.locate()
    assistant.next()
    week = assistant.weekdays_page
    assert assistant.currentPage() is week
    week.office.setText("43.8492, -79.3652")
    week.start.setTime(QTime(8, 30))
    week.end.setTime(QTime(16, 30))
    week.commute.setCurrentIndex(week.commute.findText("Car"))
    assistant.next()
    hours = assistant.time_page
    hours.hours.setValue(6)
    hours.evenings.setValue(2)
    hours.home_by.setTime(QTime(22, 30))
    assistant.next()
    assistant.calendar_page.files.setPlainText(COMMITMENTS)
    assistant.next()
    assistant.candidates_page.files.setPlainText(CANDIDATES)
    finish(qtbot, window, assistant)

    kept = load_settings(settings_path)
    assert kept.home_text == "43.8837, -78.9538"
    assert kept.weekly_hours == 6
    assert kept.max_evenings_out == 2
    assert kept.latest_home == time(22, 30)
    assert kept.travel_mode is TravelMode.DRIVE
    assert [p.place.name for p in kept.places] == ["office"]
    assert {(s.path, s.role) for s in window.session.state.sources} == {
        (COMMITMENTS, "commitments"),
        (CANDIDATES, "candidates"),
    }
    # It ends on the week of today (the demo's Monday here), planned, with proposals.
    plan = window.plan
    assert plan is not None
    assert plan.week_start.date() == DEMO_WEEK
    assert plan.chosen
    assert not window.setup.empty.isVisible()


def test_every_page_skipped_keeps_the_defaults_and_is_not_asked_again(qtbot, store):
    settings_path = saved.default_settings_path()
    window = open_window(qtbot, store, settings_path)
    assistant = start_setup(qtbot, window)
    for _ in range(4):
        assistant.skip()
    assistant.home_page.home.setText("not read: this page was skipped")
    with qtbot.waitSignal(window.planned, timeout=30_000):
        assistant.skip()  # the last page skipped: done
    assert window.setup.assistant is None
    assert window.session.settings == Settings()
    assert load_settings(settings_path) == Settings()  # written, so no first start again
    assert not first_start(window.session)
    assert window.setup.empty.isVisible()  # nothing imported: still says what to do


def test_a_skipped_page_comes_back_with_next(qtbot, store):
    window = open_window(qtbot, store, saved.default_settings_path())
    assistant = start_setup(qtbot, window)
    assistant.home_page.home.setText("43.8837, -78.9538")
    assistant.skip()
    assistant.back()
    assistant.next()  # went back and took it after all
    for _ in range(4):
        assistant.skip()
    assert window.session.settings.home_text == "43.8837, -78.9538"


def test_set_up_again_keeps_what_the_user_had_and_their_comments(qtbot, store, folders):
    settings_path = saved.default_settings_path()
    settings_path.parent.mkdir(parents=True, exist_ok=True)
    settings_path.write_text(
        "# my settings: do not lose this note\n"
        "schema_version = 1\n\n"
        "[home]\n"
        'location = "43.8837, -78.9538"\n\n'
        "[budget]\n"
        "# two hours while the baby is young\n"
        "weekly_hours = 2\n"
        "max_events_per_day = 2\n",
        encoding="utf-8",
    )
    window = open_window(qtbot, store, settings_path)
    assert not first_start(window.session)
    before = window.session.settings
    assistant = start_setup(qtbot, window)
    assert assistant.home_page.home.text() == "43.8837, -78.9538"  # what they have
    assistant.next()
    assistant.skip()
    assert assistant.time_page.hours.value() == 2
    assistant.time_page.weekends.setChecked(False)
    assistant.next()
    assistant.skip()
    finish(qtbot, window, assistant)
    after = load_settings(settings_path)
    assert after.protect_weekends is False
    assert after == before.__class__(**{**_fields(before), "protect_weekends": False})
    text = settings_path.read_text(encoding="utf-8")
    assert "# my settings: do not lose this note" in text
    assert "# two hours while the baby is young" in text


def _fields(settings: Settings) -> dict[str, object]:
    return {name: getattr(settings, name) for name in settings.__dataclass_fields__}


def test_a_wrong_answer_keeps_the_page_and_says_why(qtbot, store):
    window = open_window(qtbot, store, saved.default_settings_path())
    assistant = start_setup(qtbot, window)
    assistant.next()
    week = assistant.weekdays_page
    week.start.setTime(QTime(17, 0))
    week.end.setTime(QTime(9, 0))
    assistant.next()
    assert assistant.currentPage() is week
    assert week.problem.text() == "Work must end after it starts."
    assistant.skip()  # weekdays skipped: its wrong hours are not read
    assistant.skip()
    assistant.calendar_page.files.setPlainText("/no/such/calendar.ics")
    assistant.next()
    assert "no such file" in assistant.calendar_page.problem.text()
    assistant.reject()
    assert window.setup.assistant is None
    assert window.session.settings == Settings()


def test_the_empty_state_buttons_do_what_they_say(qtbot, store, monkeypatch):
    window = open_window(qtbot, store, saved.default_settings_path())
    asked: list[str] = []
    monkeypatch.setattr(window.files, "import_files", lambda *a: asked.append("import"))
    monkeypatch.setattr(window.feeds, "subscribe", lambda *a: asked.append("subscribe"))
    assert window.setup.empty.isVisible()
    window.setup.empty.button("Import your calendar…").click()
    window.setup.empty.button("Subscribe to a feed…").click()
    assert asked == ["import", "subscribe"]
    window.activateWindow()
    window.setup.empty.button("Type an event…").click()
    qtbot.waitUntil(window.quick_add.hasFocus)
    window.setup.empty.button("Set up…").click()
    assert window.setup.assistant is not None
    window.setup.assistant.reject()


def test_a_week_without_candidates_says_where_the_next_ones_are(qtbot, store):
    window = open_window(qtbot, store, saved.default_settings_path())
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.session.add_sources([(CANDIDATES, "candidates")])
    assert window.plan is not None and window.plan.chosen  # the demo week has candidates
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.show_week(date(2026, 9, 21))  # its weekly coffee starts on Tue 6 Oct
    empty = window.setup.empty
    qtbot.waitUntil(lambda: "Next candidates" in empty.message.text() and empty.isVisible())
    assert empty.message.text() == (
        "No candidate events this week. Next candidates: week of Mon 5 Oct."
    )
    with qtbot.waitSignal(window.planned, timeout=30_000):
        empty.button("Go to the week of Mon 5 Oct").click()
    assert window.plan is not None and window.plan.week_start.date() == date(2026, 10, 5)
    assert window.plan.chosen
    assert not empty.isVisible()


def test_home_is_placed_offline_and_said_in_words(qtbot, store):
    window = open_window(qtbot, store, saved.default_settings_path())
    assistant = start_setup(qtbot, window)
    home = assistant.home_page
    home.home.setText("120 Brock St S, Whitby, ON")
    assert home.locate() == (
        "Found offline: Whitby, ON, Canada (the town's centre, so trips are approximate)."
    )
    home.home.setText("Nowhere-in-particular-ville")
    assert home.locate().startswith("Not found offline: look it up online")
    assistant.reject()


def test_a_feed_and_typed_events_from_the_setup(qtbot, store, site, monkeypatch):
    site.replies["/mine.ics"] = Reply(Path(COMMITMENTS).read_bytes(), etag='"1"')

    def accept_when_read(dialog: QuickAddDialog) -> QDialog.DialogCode:
        qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=20_000)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QuickAddDialog, "exec", accept_when_read)
    window = open_window(qtbot, store, saved.default_settings_path())
    assistant = start_setup(qtbot, window)
    for _ in range(3):
        assistant.skip()
    assistant.calendar_page.feeds.setPlainText(site.url("/mine.ics"))
    assistant.next()
    assistant.candidates_page.typed.setPlainText("Tech mixer Wed 18:00-20:00 online $5")
    finish(qtbot, window, assistant)
    qtbot.waitUntil(lambda: bool(window.session.state.added), timeout=30_000)
    [typed] = window.session.state.added
    assert typed.summary == "Tech mixer"
    assert [(s.path, s.role) for s in window.session.state.sources] == [
        (site.url("/mine.ics"), "commitments")
    ]
    qtbot.waitUntil(lambda: any(path == "/mine.ics" for path, _ in site.requests), timeout=30_000)

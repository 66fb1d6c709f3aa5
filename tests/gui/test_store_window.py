"""The window over the user's store: nothing lost on restart, feeds refreshed and their
changes listed, typed events, backup and restore, the streak."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from planner.core import saved
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.settings import load_settings
from planner.core.storage.store import Store
from planner.gui.main_window import MainWindow
from planner.gui.quick_add_dialog import QuickAddDialog
from tests.feed_server import Reply, calendar, vevent

ZONE = demo_settings().zone
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZONE)  # the demo week's Monday morning
MIXER = vevent("feed-mixer", "Feed mixer", "20261124T180000", "20261124T200000", "LOCATION:online")
MIXER_MOVED = vevent(
    "feed-mixer",
    "Feed mixer",
    "20261126T183000",
    "20261126T203000",
    "LOCATION:online",
    "SEQUENCE:1",
)


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "planner.sqlite3") as opened:
        yield opened


def open_window(qtbot, store: Store, day=DEMO_WEEK, now=NOW) -> MainWindow:
    session = saved.open_session(store, demo_settings(), demo=True)
    window = MainWindow(session, day, now=now, ask_consent=False, remember_layout=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.show()
    return window


def keys(window: MainWindow) -> set[str]:
    assert window.plan is not None
    return {d.event.key for d in window.plan.decisions}


def test_decisions_and_the_week_are_there_after_a_restart(qtbot, tmp_path):
    with Store.open(tmp_path / "p.sqlite3") as store:
        window = open_window(qtbot, store)
        assert window.plan is not None
        left_out = next(d for d in window.plan.decisions if not d.chosen)
        with qtbot.waitSignal(window.planned, timeout=30_000):
            window.decisions.pin(left_out.event.key)
        with qtbot.waitSignal(window.planned, timeout=30_000):
            window.go_week(7)
        window.close()
    with Store.open(tmp_path / "p.sqlite3") as store:
        assert saved.opening_week(store, DEMO_WEEK) == DEMO_WEEK + timedelta(days=7)
        window = open_window(qtbot, store)
        assert window.session.choices.pinned == {left_out.event.key}
        pinned = next(d for d in window.plan.decisions if d.event.key == left_out.event.key)
        assert pinned.chosen


def test_a_feed_is_fetched_planned_and_a_moved_commitment_is_listed(qtbot, store, site):
    site.replies["/feed.ics"] = Reply(calendar(MIXER), etag='"1"')
    window = open_window(qtbot, store)
    assert window.feeds.refresher is not None
    with qtbot.waitSignal(window.feeds.refresher.refreshed, timeout=30_000):
        window.session.add_sources([(site.url("/feed.ics"), "candidates")])
    qtbot.waitUntil(lambda: "feed-mixer" in keys(window), timeout=30_000)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.pin("feed-mixer")
    assert not window.changes.isVisible()

    site.replies["/feed.ics"] = Reply(calendar(MIXER_MOVED), etag='"2"')
    with qtbot.waitSignal(window.feeds.refresher.refreshed, timeout=30_000):
        window.feeds.refresh_feeds()
    assert window.changes.isVisible()
    [text] = window.changes.texts()
    assert text == "Feed mixer moved from Tue 18:00 to Thu 18:30"

    def committed_on_thursday() -> bool:
        mixer = next(d for d in window.plan.decisions if d.event.key == "feed-mixer")
        return mixer.chosen and mixer.event.start.day == 26

    qtbot.waitUntil(committed_on_thursday, timeout=30_000)
    # the decision stayed with the event the organiser moved
    qtbot.mouseClick(window.changes.dismiss, Qt.MouseButton.LeftButton)
    assert not window.changes.isVisible()
    assert store.changes_seen() == NOW
    window.close()
    again = open_window(qtbot, store)
    assert not again.changes.isVisible()


def test_a_feed_that_fails_is_shown_in_the_calendars_dialog_and_can_be_removed(qtbot, store, site):
    site.replies["/down.ics"] = Reply(b"down", 503, "text/plain")
    window = open_window(qtbot, store)
    with qtbot.waitSignal(window.feeds.refresher.refreshed, timeout=30_000) as blocker:
        window.session.add_sources([(site.url("/down.ics"), "candidates")])
    assert "503" in blocker.args[0].summary
    from planner.gui.sources_dialog import SourcesDialog

    dialog = SourcesDialog(window.session, NOW, window)
    qtbot.addWidget(dialog)
    [[name, role, status]] = dialog.rows()
    assert name.endswith("/down.ics") and role == "Events I might attend"
    assert "last try failed" in status and "503" in status
    dialog.select(0)
    dialog.remove_selected()
    assert dialog.rows() == [] and window.session.state.sources == ()
    assert store.load_sources() == ()
    window.decisions.undo()
    assert [s.path for s in store.load_sources()] == [site.url("/down.ics")]


def test_typing_an_event_adds_it_to_the_week_on_screen(qtbot, store, monkeypatch):
    window = open_window(qtbot, store)

    def accept_when_read(dialog: QuickAddDialog) -> QDialog.DialogCode:
        qtbot.waitUntil(lambda: dialog.model.rowCount() > 0, timeout=20_000)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QuickAddDialog, "exec", accept_when_read)
    window.quick_add.setText("Tech mixer Wed 18:00-20:00 online $5 #tech-meetup")
    with qtbot.waitSignal(window.planned, timeout=30_000):
        qtbot.keyClick(window.quick_add, Qt.Key.Key_Return)
    [typed] = window.session.state.added
    assert typed.summary == "Tech mixer"
    assert typed.start == datetime(2026, 11, 25, 18, 0, tzinfo=ZONE)  # Wed of the week shown
    assert typed.cost == 5 and typed.category == "tech-meetup"
    assert window.quick_add.text() == ""
    assert typed.key in keys(window)
    assert [e.summary for e in store.load_added()] == ["Tech mixer"]


def test_backup_then_restore_brings_everything_back(qtbot, store, tmp_path):
    window = open_window(qtbot, store)
    backup = tmp_path / "backup.sqlite3"
    first = window.plan.decisions[0].event
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.session.refuse(first)
    window.files.back_up(str(backup))
    second = window.plan.decisions[1].event
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.session.refuse(second)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.files.restore(str(backup), confirm=False)
    assert window.session.choices.refused == {first.key}
    assert store.load_choices().refused == {first.key}
    assert (
        not window.decisions.undo_action.isEnabled()
    )  # the undo history belonged to the old state


def test_restoring_something_that_is_not_a_backup_changes_nothing(
    qtbot, store, tmp_path, monkeypatch
):
    window = open_window(qtbot, store)
    event = window.plan.decisions[0].event
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.session.refuse(event)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    junk = tmp_path / "notes.sqlite3"
    junk.write_text("shopping list")
    window.files.restore(str(junk), confirm=False)
    assert warnings and "notes.sqlite3" in warnings[0]
    assert store.load_choices().refused == {event.key}


def test_the_streak_counts_weeks_with_networking(qtbot, store):
    window = open_window(qtbot, store)
    assert window.plan.chosen
    assert window.streak.text() == "1 week in a row with networking"
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.go_week(-7)  # a week that is over and was never planned: nothing recorded
    assert window.streak.text() == "1 week in a row with networking"


def test_the_week_shown_and_its_history_are_written_off_the_gui_thread(qtbot, store):
    """With the window's background writer, moving to another week writes nothing on the
    GUI thread; the streak still counts the week whose record is queued."""
    import threading

    from planner.core.storage.writer import SerialWriter

    window = open_window(qtbot, store)
    window.session.use_writer(SerialWriter(window.written.emit))
    threads: list[str] = []
    for name in ("save_week", "record_week"):
        real = getattr(store, name)

        def on_thread(*args, real=real):
            threads.append(threading.current_thread().name)
            real(*args)

        setattr(store, name, on_thread)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.go_week(7)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.go_week(-7)
    assert window.streak.text() == "1 week in a row with networking"
    window.session.flush()
    assert threads and all(name.startswith("planner-writer") for name in threads)
    assert store.last_week() == DEMO_WEEK
    window.close()
    window.session.writer.close()


def test_a_change_that_cannot_be_saved_is_said(qtbot, tmp_path, monkeypatch):
    store = Store.open(tmp_path / "p.sqlite3")
    window = open_window(qtbot, store)
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))
    store.close()
    event = window.plan.decisions[0].event
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.session.refuse(event)
    assert len(warnings) == 1 and "could not be saved" in warnings[0]
    assert event.key in window.session.choices.refused  # kept for this session


# --- restore: the careful policy of planner.core.saved.restore_backup ----------------------

MY_SETTINGS = (
    "# my rules, with my notes\n"
    '[general]\ntimezone = "America/Toronto"\n\n'
    "# evenings are for the kids\n"
    "[budget]\nweekly_hours = 4\n"
)
BACKUP_SETTINGS = (
    "# the rules on my old laptop\n"
    '[general]\ntimezone = "America/Toronto"\n\n'
    "# more time then\n"
    "[budget]\nweekly_hours = 7\n"
)


def window_with_a_backup(qtbot, store, tmp_path):
    """A window over a settings file with comments, and a backup holding other settings
    and one refusal; after the backup, a second refusal."""
    mine = tmp_path / "config" / "settings.toml"
    mine.parent.mkdir()
    mine.write_text(MY_SETTINGS)
    session = saved.open_session(store, load_settings(mine), settings_path=mine, demo=True)
    window = MainWindow(session, DEMO_WEEK, now=NOW, ask_consent=False, remember_layout=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.show()
    first, second = (d.event for d in window.plan.decisions[:2])
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.session.refuse(first)
    # A backup made elsewhere (the old laptop), with its own settings text: written by the
    # store itself, since backing up from this window would take this window's settings.
    store.save_settings("/old-laptop/settings.toml", BACKUP_SETTINGS)
    backup = tmp_path / "backup.sqlite3"
    window.session.flush()
    store.export_backup(backup)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.session.refuse(second)
    return window, mine, backup, first, second


def test_a_window_restore_keeps_a_copy_and_leaves_the_settings_file_alone(qtbot, store, tmp_path):
    window, mine, backup, first, second = window_with_a_backup(qtbot, store, tmp_path)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.files.restore(str(backup), confirm=False)
        message = window.statusBar().currentMessage()  # until the new plan is shown
    assert window.session.choices.refused == {first.key}
    assert mine.read_text() == MY_SETTINGS  # comments and all
    assert not mine.with_name("settings.toml.before-restore").exists()
    assert window.session.settings.weekly_hours == 4
    [copy] = tmp_path.glob("before-restore-*.sqlite3")  # beside the store
    with Store.open(copy) as before:
        assert before.load_choices().refused == {first.key, second.key}
    assert f"Restored everything from {backup}." in message
    assert str(copy) in message and f"{mine} was not changed" in message


def test_a_window_restore_with_the_settings_keeps_the_old_file(qtbot, store, tmp_path):
    window, mine, backup, first, _second = window_with_a_backup(qtbot, store, tmp_path)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.files.restore(str(backup), confirm=False, settings_too=True)
        message = window.statusBar().currentMessage()
    assert mine.read_text() == BACKUP_SETTINGS  # as it was written, comments and all
    assert mine.with_name("settings.toml.before-restore").read_text() == MY_SETTINGS
    assert window.session.settings.weekly_hours == 7
    assert window.session.choices.refused == {first.key}
    assert "settings.toml.before-restore" in message


def test_the_window_asks_whether_to_restore_the_settings_too_and_says_no_unless_ticked(
    qtbot, store, tmp_path, monkeypatch
):
    window, mine, backup, first, _second = window_with_a_backup(qtbot, store, tmp_path)
    asked: list[tuple[str, bool]] = []
    told: list[str] = []

    def answer_yes(box: QMessageBox) -> QMessageBox.StandardButton:
        asked.append((box.checkBox().text(), box.checkBox().isChecked()))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "exec", answer_yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.files.restore(str(backup))
    [(question, ticked)] = asked
    assert not ticked  # the settings file stays unless the user ticks the box
    assert "settings.toml.before-restore" in question
    assert mine.read_text() == MY_SETTINGS
    [report] = told
    [copy] = tmp_path.glob("before-restore-*.sqlite3")
    assert f"What you had before is saved as {copy}" in report
    assert window.session.choices.refused == {first.key}


def test_a_feed_subscribed_with_the_background_writer_is_fetched_at_once(qtbot, store, site):
    """The window writes on a background thread; which feeds are due is read from the
    store, so a new subscription must be written before the refresher looks."""
    from planner.core.storage.writer import SerialWriter

    site.replies["/feed.ics"] = Reply(calendar(MIXER), etag='"1"')
    window = open_window(qtbot, store)

    class SlowDisk(SerialWriter):
        """Each write takes 0.3 s to reach the disk, as on a slow or network home folder."""

        def submit(self, write, key="", *, replaceable=True):
            def slow() -> None:
                time.sleep(0.3)
                write()

            super().submit(slow, key, replaceable=replaceable)

    window.session.use_writer(SlowDisk(window.written.emit))
    assert window.feeds.refresher is not None
    with qtbot.waitSignal(window.feeds.refresher.refreshed, timeout=30_000):
        window.session.add_sources([(site.url("/feed.ics"), "candidates")])
    qtbot.waitUntil(lambda: "feed-mixer" in keys(window), timeout=30_000)
    assert [path for path, _ in site.requests].count("/feed.ics") == 1
    window.close()
    window.session.writer.close()


def test_a_backup_of_an_imported_file_is_planned_from_its_copy_where_the_file_is_gone(
    qtbot, store, tmp_path
):
    talks = tmp_path / "talks.ics"
    talks.write_bytes(
        calendar(
            vevent(
                "copied-talk",
                "Copied talk",
                "20261124T120000",
                "20261124T130000",
                "LOCATION:online",
            )
        )
    )
    window = open_window(qtbot, store)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.session.add_sources([(talks, "candidates")])
    assert "copied-talk" in keys(window)
    backup = tmp_path / "backup.sqlite3"
    window.files.back_up(str(backup))  # waits for the writes, then copies what changed
    assert store.copied_files() == {str(talks.resolve())}

    talks.unlink()  # another computer, without the file
    with Store.open(tmp_path / "elsewhere" / "planner.sqlite3") as fresh:
        other = open_window(qtbot, fresh)
        assert "copied-talk" not in keys(other)
        with qtbot.waitSignal(other.planned, timeout=30_000):
            other.files.restore(str(backup), confirm=False)
        assert "copied-talk" in keys(other)

"""The import dialog: previews off the GUI thread, roles remembered, Cancel that stops."""

import shutil
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QThreadPool
from PySide6.QtWidgets import QComboBox, QDialog, QLabel, QPushButton

from planner.core.calendars.preview import Preview
from planner.core.model import Problem
from planner.core.storage import preferences
from planner.gui import background, import_dialog
from planner.gui.import_dialog import ImportDialog, State, describe
from tests.core.test_import_preview import write_big_calendar

FIXTURES = Path(__file__).parents[1] / "fixtures" / "producers"


@pytest.fixture
def files(tmp_path):
    """Copies of real-world files, so remembered roles belong to this test alone."""
    for name in ("google-calendar.ics", "luma.ics"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    preferences.save("import_roles", {})
    yield tmp_path
    preferences.save("import_roles", {})


def open_dialog(qtbot, paths, *, wait=True):
    dialog = ImportDialog(paths)
    qtbot.addWidget(dialog)
    dialog.show()
    if wait:
        qtbot.waitUntil(lambda: not dialog.progress.isVisible(), timeout=20_000)
    return dialog


def widget(dialog, kind, name):
    (found,) = [w for w in dialog.findChildren(kind) if w.accessibleName() == name]
    return found


def test_describe_says_what_a_file_holds():
    preview = Preview(
        path="a.ics",
        events=1204,
        series=36,
        open_ended=0,
        first=date(2024, 1, 3),
        last=date(2026, 12, 19),
        calendar_name="",
        producer="",
        problems=(Problem("a.ics", "x", line=3), Problem("a.ics", "y", line=9)),
        size_bytes=1,
        suggested_role="commitments",
    )
    assert describe(preview) == "1,204 events (36 repeating), 3 Jan 2024 – 19 Dec 2026, 2 problems"
    one = Preview("b.ics", 1, 1, 1, date(2026, 5, 1), date(2026, 5, 1), "", "", (), 1, "candidates")
    assert describe(one) == "1 event (1 repeating, 1 with no end), 1 May 2026"
    empty = Preview("c.ics", 0, 0, 0, None, None, "", "", (), 1, "candidates", 150)
    assert describe(empty) == "No events, 150 problems"


def test_previews_are_shown_with_suggested_roles(qtbot, files):
    google, luma = files / "google-calendar.ics", files / "luma.ics"
    dialog = open_dialog(qtbot, [google, luma])
    status = widget(dialog, QLabel, "What is in google-calendar.ics")
    assert status.text() == "7 events (2 repeating, 2 with no end), 7 Sep 2026 – 3 Dec 2026"
    assert widget(dialog, QLabel, "What is in luma.ics").text() == (
        "3 events, 24 Nov 2026 – 26 Nov 2026"
    )
    assert widget(dialog, QComboBox, "Role of google-calendar.ics").currentText() == "Commitments"
    assert widget(dialog, QComboBox, "Role of luma.ics").currentText() == "Candidates"
    name = widget(dialog, QLabel, "File luma.ics")
    assert str(luma) in name.toolTip() and "Toronto Tech Week" in name.toolTip()
    assert dialog.import_button.isEnabled()
    assert dialog.chosen() == [(google, "commitments"), (luma, "candidates")]
    assert dialog.problems.toPlainText() == ""


def test_role_is_remembered_between_two_dialogs(qtbot, files):
    luma = files / "luma.ics"
    first = open_dialog(qtbot, [luma])
    role = widget(first, QComboBox, "Role of luma.ics")
    assert role.currentData() == "candidates"
    # The user picks with the keyboard, then presses Enter to import.
    role.setFocus()
    qtbot.keyClick(role, Qt.Key.Key_Up)
    assert role.currentData() == "commitments"
    qtbot.keyClick(role, Qt.Key.Key_Return)
    assert first.result() == QDialog.DialogCode.Accepted
    assert first.chosen() == [(luma, "commitments")]

    second = open_dialog(qtbot, [luma], wait=False)
    again = widget(second, QComboBox, "Role of luma.ics")
    assert again.currentData() == "commitments"  # before the preview, from memory
    qtbot.waitUntil(lambda: second.state_of(luma) is State.READ, timeout=10_000)
    assert again.currentData() == "commitments"  # the suggestion does not overrule it
    second.reject()
    assert preferences.load()["import_roles"] == {str(luma.resolve()): "commitments"}


def test_rejecting_remembers_nothing(qtbot, files):
    dialog = open_dialog(qtbot, [files / "luma.ics"])
    dialog.reject()
    assert preferences.load()["import_roles"] == {}


def test_files_that_cannot_be_read_are_shown_and_left_out(qtbot, files):
    junk = files / "photo.ics"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    broken = files / "broken.ics"
    broken.write_text(
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\nSUMMARY:No start\nEND:VEVENT\n"
        "BEGIN:VEVENT\nUID:b\nDTSTART:20261124T180000Z\nEND:VEVENT\nEND:VCALENDAR\n"
    )
    missing, folder, luma = files / "gone.ics", files, files / "luma.ics"
    dialog = open_dialog(qtbot, [missing, folder, junk, broken, luma])
    assert widget(dialog, QLabel, "What is in gone.ics").text() == (
        "Not imported: gone.ics: file not found"
    )
    assert "is a folder" in widget(dialog, QLabel, f"What is in {folder.name}").text()
    assert "binary data" in widget(dialog, QLabel, "What is in photo.ics").text()
    for name in ("gone.ics", folder.name, "photo.ics"):
        assert not widget(dialog, QComboBox, f"Role of {name}").isEnabled()
    # A file with problems is still imported; its problems are listed.
    status = widget(dialog, QLabel, "What is in broken.ics")
    assert status.text().endswith("1 problem")
    assert "it has no start time" in status.toolTip()
    assert f"{broken}:2: skipped 'No start'" in dialog.problems.toPlainText()
    assert dialog.chosen() == [(broken, "commitments"), (luma, "candidates")]


def test_import_needs_one_readable_file(qtbot, files):
    dialog = open_dialog(qtbot, [files / "gone.ics", files])
    assert dialog.chosen() == []
    assert not dialog.import_button.isEnabled()


def test_cancel_really_stops_reading_a_big_file(qtbot, files, monkeypatch):
    big = files / "ten-years.ics"
    write_big_calendar(big, 40)
    size = big.stat().st_size
    reported: list[int] = []
    real = import_dialog.preview_file

    def spied(path, *, progress):
        def watched(done, total):
            reported.append(done)
            return progress(done, total)

        return real(path, progress=watched)

    monkeypatch.setattr(import_dialog, "preview_file", spied)
    luma = files / "luma.ics"
    dialog = open_dialog(qtbot, [big, luma], wait=False)
    assert widget(dialog, QLabel, "What is in luma.ics").text() == State.WAITING.value
    qtbot.waitUntil(lambda: dialog.progress.value() > 0, timeout=10_000)
    cancel = widget(dialog, QPushButton, "Cancel reading ten-years.ics")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert dialog.state_of(big) is State.CANCELLED
    assert widget(dialog, QLabel, "What is in ten-years.ics").text() == State.CANCELLED.value
    with qtbot.waitSignal(dialog.previewsFinished, timeout=10_000):
        pass
    assert QThreadPool.globalInstance().waitForDone(5_000)
    assert max(reported) < size / 2  # the reader stopped, it did not read on to the end
    assert not cancel.isVisible()
    assert dialog.state_of(luma) is State.READ
    assert dialog.chosen() == [(luma, "candidates")]
    assert dialog.preview_of(big) is None


def test_a_dialog_deleted_while_it_reads_stops_the_reader_and_gets_nothing(
    qtbot, files, monkeypatch, caplog
):
    big = files / "ten-years.ics"
    write_big_calendar(big, 40)
    size = big.stat().st_size
    reported: list[int] = []
    real = import_dialog.preview_file

    def spied(path, *, progress):
        def watched(done, total):
            reported.append(done)
            return progress(done, total)

        return real(path, progress=watched)

    delivered: list[object] = []
    monkeypatch.setattr(import_dialog, "preview_file", spied)
    for name in ("_read", "_crashed", "_progressed", "_stopped"):
        monkeypatch.setattr(ImportDialog, name, lambda self, *args: delivered.append(args))
    dialog = ImportDialog([big])
    dialog.show()
    qtbot.waitUntil(lambda: bool(reported), timeout=10_000)
    delivered.clear()  # the progress so far was the dialog's to see
    dialog.deleteLater()  # not closed first: deleted as its window would delete it
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert not shiboken6.isValid(dialog)
    qtbot.waitUntil(background.idle, timeout=20_000)
    QCoreApplication.processEvents()
    assert delivered == []
    assert max(reported) < size / 2  # told to stop, the reader did not read on to the end
    assert not caplog.records


def test_waiting_files_can_be_cancelled_before_they_start(qtbot, files):
    big = files / "big.ics"
    write_big_calendar(big, 10)
    luma = files / "luma.ics"
    dialog = open_dialog(qtbot, [big, luma], wait=False)
    qtbot.mouseClick(
        widget(dialog, QPushButton, "Cancel reading luma.ics"),
        Qt.MouseButton.LeftButton,
    )
    qtbot.waitUntil(lambda: not dialog.progress.isVisible(), timeout=20_000)
    assert dialog.state_of(luma) is State.CANCELLED
    assert dialog.chosen() == [(big, "commitments")]


def test_a_big_file_is_read_while_the_dialog_is_shown(qtbot, files):
    big = files / "big.ics"
    write_big_calendar(big, 50)
    dialog = open_dialog(qtbot, [big], wait=False)  # shown, and reading starts
    qtbot.waitUntil(lambda: not dialog.progress.isVisible(), timeout=20_000)
    assert dialog.state_of(big) is State.READ

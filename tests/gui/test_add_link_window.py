"""#17 in the window: a link pasted into the add field or dropped from a browser.

Every page is served by a real HTTP server on 127.0.0.1 (the ``site`` fixture) from
the pages written for the core's tests; nothing here touches the internet. Only the
consent question's answer is given by the test (no person clicks it).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import shiboken6
from PySide6.QtCore import QByteArray, QCoreApplication, QEvent, QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QDialog

from planner.core import saved
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.settings import Settings, WebSettings, load_settings
from planner.core.storage.feed_download import Limits
from planner.core.storage.store import Store
from planner.core.web.fetch import PAGE_LIMITS
from planner.core.web.schema_org import SOURCE
from planner.gui import background, decisions_controller
from planner.gui.consent_dialog import WebConsent, web_consent_text
from planner.gui.event_mime import read_drop, web_links
from planner.gui.main_window import MainWindow
from planner.gui.quick_add_dialog import (
    ASSUMED_ROLE,
    COLUMNS,
    NOT_ASKED,
    STOPPED,
    QuickAddDialog,
)
from planner.gui.quick_add_field import QuickAddField
from tests.feed_server import Reply
from tests.web import pages

TORONTO = ZoneInfo("America/Toronto")
REFERENCE = datetime(2026, 12, 1, 9, tzinfo=TORONTO)
HTML = "text/html; charset=utf-8"
ALLOWED = Settings(web=WebSettings(fetch=True))
TITLE, DAY, START, END, PLACE, COST, CATEGORY = range(len(COLUMNS))
ZONE = demo_settings().zone
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZONE)  # the demo week's Monday morning


def serve(site, path: str, body: bytes, content_type: str = HTML, **more) -> str:
    site.replies[path] = Reply(body, content_type=content_type, **more)
    return site.url(path)


def preview(qtbot, text: str, settings: Settings = ALLOWED, **more) -> QuickAddDialog:
    dialog = QuickAddDialog(text, settings, REFERENCE, **more)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.parsingFinished, timeout=30_000):
        dialog.show()
    return dialog


def cell(dialog: QuickAddDialog, row: int, column: int, role=Qt.ItemDataRole.DisplayRole):
    return dialog.model.index(row, column).data(role)


def row_texts(dialog: QuickAddDialog) -> list[list[str]]:
    return [
        [cell(dialog, row, column) for column in range(len(COLUMNS))]
        for row in range(dialog.model.rowCount())
    ]


# --- the preview of a page --------------------------------------------------------------


def test_a_pasted_link_is_read_with_a_reading_state_then_previewed(qtbot, site):
    url = serve(site, "/e/durham-founders-night-1234567", pages.TICKETING, delay=0.3)
    dialog = QuickAddDialog(url, ALLOWED, REFERENCE)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.parsingFinished, timeout=30_000):
        dialog.show()
        assert dialog.status.text() == "Reading 127.0.0.1…"
        assert dialog.progress.isVisible()
        assert dialog.stop_button.isVisible()
        assert not dialog.add_button.isEnabled()
    assert [path for path, _ in site.requests] == ["/e/durham-founders-night-1234567"]
    assert row_texts(dialog) == [
        [
            "Durham Founders & Funders Night: Pitch 'n' Mingle",
            "Thu 10 Dec",
            "18:30",
            "21:00",
            "Spark Centre, 2 Simcoe St S, Oshawa, ON L1H 7N1, CA",
            "$25",
            "",
        ]
    ]
    assert dialog.status.text() == "1 event read. Edit any cell to correct it."
    assert not dialog.progress.isVisible()
    assert not dialog.stop_button.isVisible()
    assert dialog.add_button.text() == "Add 1 event"
    (event,) = dialog.events()
    assert event.source == SOURCE
    assert event.url == "https://tickets.example.org/e/durham-founders-night-1234567"


def test_each_event_of_a_page_is_its_own_row_with_the_lowest_general_price_said(qtbot, site):
    dialog = preview(qtbot, serve(site, "/chapter", pages.ASSOCIATION_MICRODATA))
    rows = row_texts(dialog)
    assert [r[TITLE] for r in rows] == [
        "Estimating When Everything Is Uncertain",
        "Agile Portfolio Planning Workshop",
    ]
    assert [r[DAY] for r in rows] == ["Tue 8 Dec", "Tue 15 Dec"]
    assert [(r[START], r[END]) for r in rows] == [("18:00", "20:30"), ("18:00", "20:00")]
    assert rows[0][COST] == "$65"
    assert cell(dialog, 0, COST, ASSUMED_ROLE) == (
        "65 CAD, the lowest general price of 3 (Member 45, Student 20)",
    )
    assert "Assumed: 65 CAD, the lowest general price" in cell(
        dialog, 0, COST, Qt.ItemDataRole.ToolTipRole
    )
    assert dialog.model.checked_count() == 2
    assert dialog.add_button.text() == "Add 2 events"
    assert dialog.status.text().startswith("2 events read; 1 with guesses")


def test_what_a_page_leaves_out_is_marked_as_assumed_like_a_typed_line(qtbot, site):
    dialog = preview(qtbot, serve(site, "/mixer", pages.COMMUNITY_GRAPH))
    (row,) = row_texts(dialog)
    assert row[TITLE : PLACE + 1] == [
        "Whitby Tech Holiday Mixer",
        "Thu 17 Dec",
        "18:00",
        "19:30",
        "Brock Street Brewing, 244 Brock St S, Whitby, ON",
    ]
    assert cell(dialog, 0, START, ASSUMED_ROLE) == (
        "the page gives no time zone: 18:00 read in America/Toronto",
    )
    assert cell(dialog, 0, END, ASSUMED_ROLE) == ("no end time on the page: 90 minutes assumed",)
    assert cell(dialog, 0, END, Qt.ItemDataRole.FontRole).italic()
    assert cell(dialog, 0, TITLE, ASSUMED_ROLE) == ()


def test_a_link_to_an_ics_file_is_read_as_a_calendar(qtbot, site):
    url = serve(site, "/events/wit-dec.ics", pages.ICS_ONLY, "text/calendar; charset=utf-8")
    dialog = preview(qtbot, url)
    (row,) = row_texts(dialog)
    assert row[TITLE : END + 1] == [
        "Women in Tech Durham: December Social",
        "Sat 12 Dec",
        "14:00",
        "16:00",
    ]


def test_typed_lines_and_a_link_are_read_together(qtbot, site):
    url = serve(site, "/mixer", pages.COMMUNITY_GRAPH)
    text = f"Coffee with Sam Thu 8am @ Whitby\n{url}"
    dialog = QuickAddDialog(text, ALLOWED, REFERENCE)
    qtbot.addWidget(dialog)
    assert dialog.status.text() == "Reading 1 line and the page from 127.0.0.1…"
    with qtbot.waitSignal(dialog.parsingFinished, timeout=30_000):
        dialog.show()
    assert sorted(r[TITLE] for r in row_texts(dialog)) == [
        "Coffee with Sam",
        "Whitby Tech Holiday Mixer",
    ]


# --- a page without an event, a failure, a timeout: said, nothing invented ---------------


def test_a_page_without_an_event_is_said_in_a_sentence(qtbot, site):
    url = serve(site, "/blog/why-network", pages.NO_EVENT)
    dialog = preview(qtbot, url)
    assert dialog.model.rowCount() == 0
    assert not dialog.add_button.isEnabled()
    reason = (
        "127.0.0.1: no event found on the page: it has no schema.org Event markup and no "
        "calendar link"
    )
    assert dialog.status.text() == f"No event could be read: {reason}."
    assert dialog.problems.isVisible()
    assert dialog.problems.item(0).text() == f"Line 1: {url} — {reason}"


def test_a_page_that_cannot_be_fetched_is_said(qtbot, site):
    url = site.url("/gone")  # the server answers 404
    dialog = preview(qtbot, url)
    assert dialog.model.rowCount() == 0
    assert dialog.status.text().startswith("No event could be read: ")
    assert "127.0.0.1" in dialog.status.text() and "404" in dialog.status.text()


def test_a_page_too_slow_to_come_is_said_as_a_timeout(qtbot, site):
    url = serve(site, "/slow", pages.TICKETING, delay=3.0)
    # (The total limit well past the per-read one, so that a busy machine's slow connect
    # cannot make the total run out first.)
    quick = Limits(timeout=0.3, total_seconds=2.0, max_bytes=PAGE_LIMITS.max_bytes, noun="page")
    dialog = preview(qtbot, url, page_limits=quick)
    assert dialog.model.rowCount() == 0
    assert dialog.status.text() == (
        "No event could be read: 127.0.0.1 did not answer within 0.3 s."
    )
    site.stop.set()  # the server's pause ends with the test


# --- consent ------------------------------------------------------------------------------


def test_without_consent_the_page_is_not_requested_and_the_line_says_why(qtbot, site):
    url = serve(site, "/e/1", pages.TICKETING)
    dialog = preview(qtbot, url, settings=Settings())
    assert site.requests == []
    assert dialog.model.rowCount() == 0
    assert not dialog.stop_button.isVisible()
    assert dialog.unparsed()[0].reason == NOT_ASKED
    assert dialog.status.text() == f"No event could be read: {NOT_ASKED}."


def test_the_consent_question_names_the_site(qtbot):
    question, detail = web_consent_text(["tickets.example.org"])
    assert question == "Read this page from tickets.example.org?"
    assert "[web] fetch = true" in detail and "the site sees the request" in detail
    assert web_consent_text(["a.example", "b.example"], 3)[0] == (
        "Read 3 pages from a.example, b.example?"
    )


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "planner.sqlite3") as opened:
        yield opened


def open_window(qtbot, store: Store, settings=None, settings_path=None) -> MainWindow:
    session = saved.open_session(
        store, settings or demo_settings(), demo=True, settings_path=settings_path
    )
    window = MainWindow(session, DEMO_WEEK, now=NOW, ask_consent=False, remember_layout=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.show()
    return window


def answer_consent(monkeypatch, answer: WebConsent) -> list[tuple[list[str], int]]:
    asked: list[tuple[list[str], int]] = []

    def ask(parent, hosts, pages=1):
        asked.append((hosts, pages))
        return answer

    monkeypatch.setattr(decisions_controller, "ask_web_consent", ask)
    return asked


def preview_then(qtbot, monkeypatch, code: QDialog.DialogCode, shown: list[QuickAddDialog]) -> None:
    """The preview, as a user would use it: wait until it has read everything, then
    ``code`` (Add or Cancel)."""

    def exec_(dialog: QuickAddDialog) -> QDialog.DialogCode:
        shown.append(dialog)
        qtbot.waitUntil(lambda: not dialog.reading, timeout=30_000)
        return code

    monkeypatch.setattr(QuickAddDialog, "exec", exec_)


def test_consent_declined_nothing_is_requested(qtbot, site, store, monkeypatch):
    url = serve(site, "/e/1", pages.TICKETING)
    asked = answer_consent(monkeypatch, WebConsent.NO)
    shown: list[QuickAddDialog] = []
    preview_then(qtbot, monkeypatch, QDialog.DialogCode.Rejected, shown)
    window = open_window(qtbot, store)
    window.quick_add.paste_text(url)
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    assert asked == [(["127.0.0.1"], 1)]
    assert site.requests == []
    assert shown[0].unparsed()[0].reason == NOT_ASKED
    assert window.quick_add.text() == url  # cancelled: what was pasted stays
    assert window.session.state.added == ()
    assert not window.session.settings.web.fetch


def test_consent_always_writes_the_setting_keeping_the_file_and_adds_the_event(
    qtbot, site, store, monkeypatch, tmp_path
):
    url = serve(site, "/e/durham-founders-night-1234567", pages.TICKETING)
    settings_file = tmp_path / "settings.toml"
    settings_file.write_text(
        '# my planner: keep this comment\n[home]\nlocation = "Whitby, ON"\n', encoding="utf-8"
    )
    settings = load_settings(settings_file)
    answer_consent(monkeypatch, WebConsent.ALWAYS)
    shown: list[QuickAddDialog] = []
    preview_then(qtbot, monkeypatch, QDialog.DialogCode.Accepted, shown)
    window = open_window(qtbot, store, settings, settings_file)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.quick_add.paste_text(url)
    qtbot.waitUntil(lambda: bool(window.session.state.added), timeout=10_000)
    window.session.flush()
    written = settings_file.read_text(encoding="utf-8")
    assert written.startswith("# my planner: keep this comment\n")
    assert load_settings(settings_file).web.fetch is True
    assert "[web]" in written and "fetch = true" in written
    (added,) = window.session.state.added
    assert added.summary == "Durham Founders & Funders Night: Pitch 'n' Mingle"
    assert [e.summary for e in store.load_added()] == [added.summary]
    assert window.quick_add.text() == ""

    # Asked for good: the next link is read without a question.
    asked = answer_consent(monkeypatch, WebConsent.NO)
    window.decisions.add_typed(serve(site, "/mixer", pages.COMMUNITY_GRAPH))
    assert asked == []
    assert [p for p, _ in site.requests][-1] == "/mixer"


# --- drops ----------------------------------------------------------------------------------


def uri_list(*links: str) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl(link) for link in links])
    return mime


def drop_on(widget, mime: QMimeData) -> None:
    widget.dropEvent(
        QDropEvent(
            QPointF(10, 10),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    )


def test_what_a_browser_drags_is_read_as_links():
    assert web_links(uri_list("https://tickets.example.org/e/1?ref=a%20b")) == [
        "https://tickets.example.org/e/1?ref=a%20b"
    ]
    moz = QMimeData()
    moz.setData(
        "text/x-moz-url",
        QByteArray("https://groups.example.org/e/2\nRemote Lightning Talks".encode("utf-16")),
    )
    assert web_links(moz) == ["https://groups.example.org/e/2"]
    plain = QMimeData()
    plain.setText("  https://cal.example.org/mixer \n")
    assert web_links(plain) == ["https://cal.example.org/mixer"]
    prose = QMimeData()
    prose.setText("see https://cal.example.org/mixer for details")
    assert web_links(prose) == []
    local = uri_list(QUrl.fromLocalFile("/tmp/club.ics").toString())
    assert read_drop(local).files and not read_drop(local).links
    assert read_drop(uri_list("javascript:alert(1)", "file:///etc/passwd")).empty


def test_a_link_dropped_on_the_window_is_previewed_then_added_to_its_week(
    qtbot, site, store, monkeypatch
):
    url = serve(site, "/e/durham-founders-night-1234567", pages.TICKETING)
    asked = answer_consent(monkeypatch, WebConsent.ONCE)
    shown: list[QuickAddDialog] = []
    preview_then(qtbot, monkeypatch, QDialog.DialogCode.Accepted, shown)
    window = open_window(qtbot, store)
    window.quick_add.setText("half typed")
    with qtbot.waitSignal(window.planned, timeout=30_000):
        drop_on(window, uri_list(url))
        qtbot.waitUntil(lambda: bool(window.session.state.added), timeout=30_000)
    assert asked == [(["127.0.0.1"], 1)]
    (added,) = window.session.state.added
    assert added.summary == "Durham Founders & Funders Night: Pitch 'n' Mingle"
    assert added.source == SOURCE
    qtbot.waitUntil(
        lambda: (
            window.plan is not None and added.key in {d.event.key for d in window.plan.decisions}
        ),
        timeout=30_000,
    )
    assert window.plan is not None and window.plan.week_start.date().isoformat() == "2026-12-07"
    assert window.quick_add.text() == "half typed"  # the field was not what was added
    assert [e.summary for e in store.load_added()] == [added.summary]
    assert not window.session.settings.web.fetch  # once is not always

    # Undone like a typed add.
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.undo()
    assert window.session.state.added == ()


def test_a_link_dropped_on_the_week_or_the_field_opens_the_preview(qtbot, site, store, monkeypatch):
    url = serve(site, "/mixer", pages.COMMUNITY_GRAPH)
    window = open_window(qtbot, store, replace(demo_settings(), web=WebSettings(fetch=True)))
    shown: list[QuickAddDialog] = []
    preview_then(qtbot, monkeypatch, QDialog.DialogCode.Rejected, shown)
    assert window.week_view.accepts_mime(uri_list(url))
    drop_on(window.week_view, uri_list(url))
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10_000)
    assert [r[TITLE] for r in row_texts(shown[0])] == ["Whitby Tech Holiday Mixer"]

    moz = QMimeData()
    moz.setData("text/x-moz-url", QByteArray(f"{url}\nHoliday Mixer".encode("utf-16")))
    drop_on(window.quick_add, moz)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10_000)
    assert [r[TITLE] for r in row_texts(shown[1])] == ["Whitby Tech Holiday Mixer"]


def test_a_link_pasted_into_the_empty_field_is_submitted_and_into_a_line_is_inserted(qtbot):
    field = QuickAddField()
    qtbot.addWidget(field)
    with qtbot.waitSignal(field.submitted) as submitted:
        field.paste_text("https://cal.example.org/mixer\n")
    assert submitted.args == ["https://cal.example.org/mixer"]
    field.clear()
    field.setText("Mixer Thu 6pm ")
    field.setCursorPosition(len(field.text()))
    with qtbot.assertNotEmitted(field.submitted):
        field.paste_text("https://cal.example.org/mixer")
    assert field.text() == "Mixer Thu 6pm https://cal.example.org/mixer"


# --- the preview closed or stopped while a page is read --------------------------------------


@pytest.mark.parametrize("ending", ["closed", "closed and deleted"])
def test_a_preview_closed_while_its_page_is_read_gets_nothing(
    qtbot, site, monkeypatch, caplog, ending
):
    url = serve(site, "/e/slow", pages.TICKETING, delay=1.0)
    delivered: list[object] = []
    monkeypatch.setattr(QuickAddDialog, "_pages_read", lambda self, read: delivered.append(read))
    monkeypatch.setattr(QuickAddDialog, "_pages_failed", lambda self, e: delivered.append(e))
    dialog = QuickAddDialog(url, ALLOWED, REFERENCE)
    dialog.show()
    qtbot.waitUntil(lambda: bool(site.requests), timeout=10_000)
    dialog.reject()
    if "deleted" in ending:
        dialog.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert not shiboken6.isValid(dialog)
    qtbot.waitUntil(background.idle, timeout=30_000)  # the page arrives after the close
    QCoreApplication.processEvents()
    assert delivered == []
    assert not caplog.records
    if shiboken6.isValid(dialog):
        dialog.deleteLater()


def test_stop_reading_drops_the_page_and_says_so(qtbot, site):
    first = serve(site, "/e/slow", pages.TICKETING, delay=1.0)
    second = serve(site, "/mixer", pages.COMMUNITY_GRAPH)
    dialog = QuickAddDialog(f"{first}\n{second}", ALLOWED, REFERENCE)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.status.text() == "Reading 127.0.0.1…"
    qtbot.waitUntil(lambda: bool(site.requests), timeout=10_000)
    with qtbot.waitSignal(dialog.parsingFinished, timeout=10_000):
        dialog.stop_button.click()
    assert dialog.model.rowCount() == 0
    assert [u.reason for u in dialog.unparsed()] == [STOPPED, STOPPED]
    assert dialog.status.text() == "No event could be read."
    assert not dialog.stop_button.isVisible()
    qtbot.waitUntil(background.idle, timeout=30_000)
    assert [p for p, _ in site.requests] == ["/e/slow"]  # the second page was never asked for

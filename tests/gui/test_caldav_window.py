"""The window's CalDAV account dialog against real servers (Radicale, Xandikos): find the
calendars, give them roles, create and choose the "planner" calendar to publish to; the
Calendars dialog says how each CalDAV calendar stands; a password nothing holds is asked
for once."""

from __future__ import annotations

import pytest

from planner.core.caldav import credentials
from planner.core.caldav.session import Timeouts
from planner.core.storage import feed_credentials
from planner.core.storage.store import Store
from planner.gui.caldav_dialog import CalDAVAccountDialog
from planner.gui.sources_dialog import SourcesDialog
from tests.caldav_servers import CalDAVServer, vevent
from tests.gui.test_store_window import NOW, keys, open_window

QUICK = Timeouts(connect=2, total=5)
# In the demo week the window opens on.
TALK = vevent("caldav-talk", "CalDAV talk", "20261124T180000", "20261124T200000", location="online")


@pytest.fixture(autouse=True)
def _no_password_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(credentials.PASSWORD_VARIABLE, raising=False)
    monkeypatch.setattr(feed_credentials, "_memory", {})


def account_dialog(qtbot, window) -> CalDAVAccountDialog:
    """The window's CalDAV account dialog, with the tests' short timeouts."""
    dialog = CalDAVAccountDialog(window.session, window, timeouts=QUICK)
    qtbot.addWidget(dialog)
    return dialog


def found(qtbot, dialog: CalDAVAccountDialog, server: CalDAVServer, password: str) -> None:
    dialog.server.setText(server.url)
    dialog.user.setText(server.user)
    dialog.password.setText(password)
    with qtbot.waitSignal(dialog.searched, timeout=30_000):
        dialog.search()


def test_an_account_becomes_calendars_read_and_a_calendar_to_publish_to(
    qtbot, tmp_path, caldav_server: CalDAVServer
) -> None:
    caldav_server.make_calendar("work", [TALK], display_name="Work")
    with Store.open(tmp_path / "planner.sqlite3") as store:
        window = open_window(qtbot, store)
        dialog = account_dialog(qtbot, window)
        found(qtbot, dialog, caldav_server, caldav_server.password)
        assert ("Work", "Not used") in dialog.rows()
        assert dialog.status.text().endswith("found: choose what each is for.")
        assert dialog.create_button.isEnabled()

        with qtbot.waitSignal(dialog.searched, timeout=30_000):
            dialog.create_button.click()
        assert dialog.publish.currentText() == "planner"
        assert ("planner", "Not used") in dialog.rows()
        work = [name for name, _ in dialog.rows()].index("Work")
        dialog.role_box(work).setCurrentText("Events I might attend")

        assert window.feeds.refresher is not None
        with qtbot.waitSignal(window.feeds.refresher.refreshed, timeout=30_000) as blocker:
            dialog.accept()
        assert blocker.args[0].errors == ()
        qtbot.waitUntil(lambda: "caldav-talk" in keys(window), timeout=30_000)
        publishing = window.session.settings.caldav
        assert publishing.publish_to == caldav_server.calendar_url("planner")
        assert publishing.publish_user == caldav_server.user

        sources = SourcesDialog(window.session, NOW, window)
        qtbot.addWidget(sources)
        [[name, role, status]] = sources.rows()
        assert (name, role) == ("Work (127.0.0.1)", "Events I might attend")
        assert status.startswith("CalDAV: synced ") and "(whole calendar read)" in status
        window.close()
    secret = caldav_server.password.encode()
    for path in tmp_path.iterdir():
        if path.is_file():
            assert secret not in path.read_bytes(), path


def test_a_wrong_password_is_said_in_the_dialog(
    qtbot, tmp_path, caldav_server: CalDAVServer
) -> None:
    with Store.open(tmp_path / "planner.sqlite3") as store:
        window = open_window(qtbot, store)
        dialog = account_dialog(qtbot, window)
        found(qtbot, dialog, caldav_server, "not the password")
        assert dialog.status.text() == "127.0.0.1 refused the user name or password of sam (401)"
        assert dialog.rows() == []
        window.close()


def test_a_password_nothing_holds_is_asked_for_once(
    qtbot, tmp_path, caldav_server: CalDAVServer
) -> None:
    caldav_server.make_calendar("work", [TALK], display_name="Work")
    with Store.open(tmp_path / "planner.sqlite3") as store:
        window = open_window(qtbot, store)
        dialog = account_dialog(qtbot, window)
        found(qtbot, dialog, caldav_server, caldav_server.password)
        work = [name for name, _ in dialog.rows()].index("Work")
        dialog.role_box(work).setCurrentText("Events I might attend")
        dialog.password.clear()  # as after a restart without a keyring: nothing holds it
        asked: list[str] = []

        def ask(account: str, host: str) -> str:
            asked.append(account)
            return caldav_server.password

        window.feeds.ask_password = ask
        assert window.feeds.refresher is not None
        with qtbot.waitSignal(window.feeds.refresher.refreshed, timeout=30_000) as blocker:
            dialog.accept()
        assert blocker.args[0].passwords  # the first read had no password
        qtbot.waitUntil(lambda: "caldav-talk" in keys(window), timeout=30_000)
        assert len(asked) == 1 and asked[0].startswith("sam@127.0.0.1:")
        window.close()

"""Feeds in the window under a hostile server: a password in a feed's address is sent to
the feed's server and kept apart (keyring, or this run), never in the store; a feed
redirected to another host says so in the Calendars dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog

from planner.core.storage import feed_credentials
from planner.gui.subscribe_dialog import SubscribeDialog
from tests.feed_server import Reply, calendar
from tests.gui.test_store_window import MIXER, NOW, keys, open_window

SECRET = "w1ndow-Pa55word"


def test_subscribing_with_a_password_keeps_it_out_of_the_store(qtbot, tmp_path, site, monkeypatch):
    from planner.core.storage.store import Store

    monkeypatch.setattr(feed_credentials, "_memory", {})
    site.replies["/private.ics"] = Reply(calendar(MIXER), password=("sam", SECRET))
    typed = site.url("/private.ics").replace("http://", f"http://sam:{SECRET}@")
    kept = site.url("/private.ics").replace("http://", "http://sam@")
    monkeypatch.setattr(SubscribeDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    with Store.open(tmp_path / "planner.sqlite3") as store:
        window = open_window(qtbot, store)
        assert window.feeds.refresher is not None
        said: list[str] = []
        window.statusBar().messageChanged.connect(said.append)
        with qtbot.waitSignal(window.feeds.refresher.refreshed, timeout=30_000) as blocker:
            window.feeds.subscribe(typed)
        assert blocker.args[0].errors == ()
        assert [s.path for s in window.session.state.sources] == [kept]
        assert site.requests[-1][1]["Authorization"].startswith("Basic ")
        qtbot.waitUntil(lambda: "feed-mixer" in keys(window), timeout=30_000)
        assert any("the password is kept for this run only" in text for text in said)
        assert not any(SECRET in text for text in said)
        window.close()
    for path in tmp_path.iterdir():
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes(), path


def test_a_feed_moved_to_another_host_says_where_in_the_calendars_dialog(qtbot, tmp_path, site):
    from planner.core.storage.store import Store
    from planner.gui.sources_dialog import SourcesDialog

    elsewhere = site.base.replace("127.0.0.1", "localhost") + "/moved.ics"
    site.replies["/feed.ics"] = Reply(status=301, location=elsewhere)
    site.replies["/moved.ics"] = Reply(calendar(MIXER))
    with Store.open(tmp_path / "planner.sqlite3") as store:
        window = open_window(qtbot, store)
        assert window.feeds.refresher is not None
        with qtbot.waitSignal(window.feeds.refresher.refreshed, timeout=30_000) as blocker:
            window.session.add_sources([(site.url("/feed.ics"), "candidates")])
        assert blocker.args[0].errors == ()
        dialog = SourcesDialog(window.session, NOW, window)
        qtbot.addWidget(dialog)
        [[name, _role, status]] = dialog.rows()
        assert name.endswith("/feed.ics")
        assert status.endswith(f"read from another host: {elsewhere}")
        window.close()

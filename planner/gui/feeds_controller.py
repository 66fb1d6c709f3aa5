"""The window's subscribed calendars: subscribe, list and remove them, refresh them, and
say what changed for the events the user committed to.

Feeds are fetched in the background by a :class:`FeedRefresher` (started after
the first plan: the window comes first). A batch that fetched something makes
the window read the calendars again; what moved or was cancelled among the
committed events is listed in the :class:`ChangesPanel` rather than silently
re-planned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from urllib.parse import urlsplit

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QInputDialog, QLineEdit, QStatusBar, QWidget

from planner.core.logs import log_failure
from planner.core.session import Session
from planner.gui.actions import make_action
from planner.gui.changes_panel import ChangesPanel
from planner.gui.feed_refresher import FeedRefresher, Refreshed
from planner.gui.notice_bar import NoticeBar

_log = logging.getLogger(__name__)


class FeedsController:
    """Subscriptions and their refreshes, for one window over one session."""

    def __init__(
        self,
        session: Session,
        parent: QWidget,
        status: QStatusBar,
        changes: ChangesPanel,
        notice: NoticeBar,
        *,
        clock: Callable[[], datetime],
        reload: Callable[[], None],
        show_event: Callable[[str, date], None],
    ) -> None:
        """``reload`` reads the calendars again and re-plans; ``show_event`` shows the
        week of a day and selects an event in it (a change listed is clicked)."""
        self._session = session
        self._parent = parent
        self._status = status
        self._changes = changes
        self._notice = notice
        self._clock = clock
        self._reload = reload
        self.subscribe_action = make_action(
            parent, "&Subscribe to feed…", self.subscribe, QKeySequence("Ctrl+Shift+O")
        )
        self.sources_action = make_action(
            parent, "&Calendars…", self.show_sources, QKeySequence("Ctrl+Shift+K")
        )
        self.refresh_action = make_action(
            parent, "Re&fresh feeds", self.refresh_feeds, QKeySequence("Ctrl+R")
        )
        for action in (self.subscribe_action, self.refresh_action):
            action.setEnabled(session.store is not None)
        self.refresher: FeedRefresher | None = None
        if session.store is not None:
            self.refresher = FeedRefresher(
                session.store, lambda: self._session.state.sources, parent, now=clock
            )
            self.refresher.refreshed.connect(self._refreshed)
        changes.seen.connect(self._changes_seen)
        changes.eventActivated.connect(show_event)
        self.sources_dialog: QDialog | None = None
        """The calendars dialog while it is on screen (tests reach it here)."""
        self.ask_password: Callable[[str, str], str | None] = self._ask_password
        """Asks for a CalDAV account's password (account, host); tests replace it."""
        self._asked: set[tuple[str, str]] = set()

    def start(self) -> None:
        """List the feeds' news and start refreshing them (after the first plan)."""
        self.show_changes()
        if self.refresher is not None:
            self.refresher.start()

    def sources_changed(self) -> None:
        """A calendar was added or removed: a new feed is fetched at once.

        Which feeds are due is read from the store, so the change must be there first:
        with the window's background writer it may still be queued.
        """
        if self.refresher is not None:
            self._session.flush()
            self.refresher.refresh(everything=False)

    def subscribe(self, url: str = "") -> None:
        """Ask for a feed's address and subscribe; it is fetched at once, in the background."""
        from planner.gui.subscribe_dialog import SubscribeDialog

        dialog = SubscribeDialog(self._parent, url)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        from planner.core.storage import feed_credentials

        # A password typed in the address is kept apart (keyring), never in the store;
        # first, since adding the feed starts its download.
        typed = feed_credentials.split_password(dialog.location())
        where = ""
        if typed.password is not None:
            where = f" ({feed_credentials.keep_password(typed.location, typed.password)})"
        if self._session.add_sources([(typed.location, dialog.chosen_role())]) is not None:
            self._status.showMessage(f"Subscribed; downloading {typed.location}…{where}")

    def show_sources(self) -> None:
        """List the calendars read, with each feed's state; remove one (undoable)."""
        from planner.gui.sources_dialog import SourcesDialog

        dialog = SourcesDialog(self._session, self._clock(), self._parent)
        self.sources_dialog = dialog
        try:
            dialog.exec()
        finally:
            self.sources_dialog = None
            dialog.deleteLater()

    def refresh_feeds(self) -> None:
        """Fetch every subscribed feed now (only what changed is downloaded)."""
        if self.refresher is None or not self.refresher.refresh(everything=True):
            self._status.showMessage("No calendar feeds to refresh")
        else:
            self._status.showMessage("Refreshing feeds…")

    def _refreshed(self, result: Refreshed) -> None:
        self._status.showMessage(result.summary)
        if result.passwords:
            self.ask_passwords(result.passwords)
        if result.errors:
            self._status.setToolTip("\n".join(result.errors))
        if result.changed:
            self._notice.hide()  # its question was about the event as it was; see the list
        if result.fetched:
            # A first download, a change, or an error to report with the week: read again.
            self._reload()
        self.show_changes()

    def ask_passwords(self, accounts: tuple[tuple[str, str], ...]) -> None:
        """Ask once per start for the password of each CalDAV account nothing holds (no
        keyring), keep it in memory for this run, and read those calendars again."""
        from planner.core.caldav import credentials

        given = False
        for url, user in accounts:
            if (url, user) in self._asked:
                continue
            self._asked.add((url, user))
            account = credentials.account(url, user)
            secret = self.ask_password(account, urlsplit(url).hostname or url)
            if secret:
                credentials.keep(url, user, secret, keyring_too=False)
                given = True
        if given and self.refresher is not None:
            self.refresher.refresh(everything=True)

    def _ask_password(self, account: str, host: str) -> str | None:
        text, ok = QInputDialog.getText(
            self._parent,
            "CalDAV password",
            f"The password of {account} (kept until planner closes; for iCloud and "
            "Fastmail, an app password):",
            QLineEdit.EchoMode.Password,
        )
        return text if ok and text else None

    def show_changes(self) -> None:
        """List what changed in the feeds for committed events since the user last looked."""
        from planner.core.storage.feeds import changes_since

        store = self._session.store
        if store is None:
            return
        try:
            self._changes.set_changes(changes_since(store, store.changes_seen()))
        except Exception as exc:  # a damaged store costs the list of changes, not the window
            log_failure(_log, "reading the feeds' changes", exc)
            self._status.showMessage(f"Could not read the feeds' changes: {exc}")

    def _changes_seen(self) -> None:
        store, seen = self._session.store, self._clock()
        if store is not None:
            self._session.keep("when changes were seen", lambda: store.mark_changes_seen(seen))

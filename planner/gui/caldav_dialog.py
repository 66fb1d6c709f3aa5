"""The CalDAV account dialog: a server, a user and a password become calendars planner reads.

The user gives the address their provider documents (Nextcloud's
``https://HOST/remote.php/dav``, ``https://caldav.fastmail.com/``,
``https://caldav.icloud.com/``), their user name and password (an app password
for Fastmail and iCloud); "Find calendars" lists the account's calendars of
events, each with a role (my commitments, events I might attend, not used), and
the calendar the plan is published into (the ``[caldav] publish_to`` setting),
which planner may create ("Create a “planner” calendar") when the server allows.
Every request runs off the GUI thread (:mod:`planner.gui.background`); a failure
is said in words under the fields. OK keeps the password in the system keyring
when asked and one exists, else for this run only, and imports the calendars
through the session (undoable), so they are read at once like a new feed.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.core.caldav import credentials
from planner.core.caldav.discovery import CalendarInfo, Found
from planner.core.caldav.session import CalDAVError, Session, Timeouts, plain_url
from planner.core.model import Role, Source
from planner.core.session import Session as PlanningSession
from planner.gui.background import Job, describe_error, run_in_background
from planner.gui.dialog_buttons import ok_cancel

ROLES: tuple[tuple[str, Role | None], ...] = (
    ("Not used", None),
    ("My commitments", "commitments"),
    ("Events I might attend", "candidates"),
)
NOWHERE = "Nowhere (do not publish)"


def _find(url: str, user: str, password: str, timeouts: Timeouts) -> Found | str:
    """The account's calendars, or why not in words (runs off the GUI thread)."""
    from planner.core.caldav.discovery import discover

    with Session(url, user, password, timeouts) as session:
        try:
            return discover(session)
        except CalDAVError as exc:
            return session.error(exc)


def _make(url: str, user: str, password: str, home: str, timeouts: Timeouts) -> Found | str:
    """A new "planner" calendar in the home, then the calendars again."""
    from planner.core.caldav.discovery import discover, make_calendar

    with Session(url, user, password, timeouts) as session:
        try:
            make_calendar(session, home, "planner")
            return discover(session)
        except CalDAVError as exc:
            return session.error(exc)


class CalDAVAccountDialog(QDialog):
    """One CalDAV account: find its calendars, give each a role, pick where to publish."""

    searched = Signal()
    """A search (or the making of a calendar) ended: the list or the error is shown."""

    def __init__(
        self,
        session: PlanningSession,
        parent: QWidget | None = None,
        *,
        timeouts: Timeouts | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.timeouts = timeouts or Timeouts()
        self.found: Found | None = None
        self._job: Job | None = None
        self.setWindowTitle("CalDAV account")
        self.setMinimumSize(640, 420)
        publishing = session.settings.caldav
        self.server = QLineEdit(plain_url(publishing.publish_to) if publishing.publish_to else "")
        self.server.setPlaceholderText("https://cloud.example.com/remote.php/dav")
        self.server.setAccessibleName("Server address")
        self.user = QLineEdit(publishing.publish_user)
        self.user.setAccessibleName("User name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.password.setToolTip(
            "For iCloud and Fastmail, an app-specific password (appleid.apple.com; Fastmail's "
            "Settings › Privacy & Security), not your account's own"
        )
        self.keep = QCheckBox("Keep the password in the system keyring")
        if credentials.has_keyring():
            self.keep.setChecked(True)
        else:
            self.keep.setEnabled(False)
            self.keep.setText("No system keyring: the password is kept until planner closes")
        self.find_button = QPushButton("&Find calendars")
        self.find_button.clicked.connect(self.search)
        form = QFormLayout()
        form.addRow("&Server:", self.server)
        form.addRow("&User:", self.user)
        form.addRow("&Password:", self.password)
        form.addRow("", self.keep)
        self.status = QLabel("Give the address your provider documents, then Find calendars.")
        self.status.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Calendar", "Address", "Use as"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.tree.setAccessibleName("Calendars of this account")
        self.tree.setColumnWidth(0, 180)
        self.tree.setColumnWidth(1, 240)
        self.publish = QComboBox()
        self.publish.setAccessibleName("Publish the plan to")
        self.publish.addItem(NOWHERE, "")
        self.create_button = QPushButton("Create a “planner” calendar")
        self.create_button.setEnabled(False)
        self.create_button.clicked.connect(self.create_calendar)
        # Making the calendar is a choice of where to publish, so it sits beside that
        # choice rather than among the buttons that close the dialog.
        publish_choice = QHBoxLayout()
        publish_choice.addWidget(self.publish, 1)
        publish_choice.addWidget(self.create_button)
        publish_label = QLabel("Publish the plan &to:")
        publish_label.setBuddy(self.publish)
        publish_row = QFormLayout()
        publish_row.addRow(publish_label, publish_choice)
        self.buttons = ok_cancel(self)
        self._ok().setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.find_button)
        layout.addWidget(self.status)
        layout.addWidget(self.tree, 1)
        layout.addLayout(publish_row)
        layout.addWidget(self.buttons)

    def _ok(self) -> QPushButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert button is not None
        return button

    def _account(self) -> tuple[str, str, str]:
        return self.server.text().strip(), self.user.text().strip(), self.password.text()

    def search(self) -> None:
        """Ask the server for the account's calendars, in the background."""
        url, user, password = self._account()
        if not url or not user:
            self.status.setText("Give the server's address and your user name.")
            return
        if not password:
            password = credentials.password(url, user) or ""
            if not password:
                self.status.setText("Give the password (for iCloud and Fastmail, an app password).")
                return
            self.password.setText(password)
        self._busy(f"Asking {url} for the calendars of {user}…")
        timeouts = self.timeouts
        self._job = run_in_background(
            lambda: _find(url, user, password, timeouts), self._found, self._failed, self
        )

    def create_calendar(self) -> None:
        """Make a "planner" calendar on the server and choose it for publishing."""
        if self.found is None or not self.found.home:
            return
        url, user, password = self._account()
        home, timeouts = self.found.home, self.timeouts
        self._busy("Creating the “planner” calendar…")
        self._job = run_in_background(
            lambda: _make(url, user, password, home, timeouts),
            lambda found: self._found(found, publish_name="planner"),
            self._failed,
            self,
        )

    def _busy(self, text: str) -> None:
        self.status.setText(text)
        self.find_button.setEnabled(False)
        self.create_button.setEnabled(False)

    def _failed(self, error: Exception) -> None:
        self._job = None
        self.find_button.setEnabled(True)
        self.status.setText(f"Could not ask the server: {describe_error(error)}")
        self.searched.emit()

    def _found(self, found: Found | str, publish_name: str = "") -> None:
        self._job = None
        self.find_button.setEnabled(True)
        if isinstance(found, str):
            self.status.setText(found)
            self.searched.emit()
            return
        self.found = found
        calendars = self.calendars()
        self.status.setText(
            f"{len(calendars)} calendar{'s' if len(calendars) != 1 else ''} of events found: "
            "choose what each is for."
        )
        self._fill(calendars, publish_name)
        self.create_button.setEnabled(found.can_make_calendar)
        self._ok().setEnabled(True)
        self.searched.emit()

    def calendars(self) -> list[CalendarInfo]:
        """The calendars of events found (not task lists or address books)."""
        return [c for c in self.found.calendars if c.has_events] if self.found else []

    def _fill(self, calendars: list[CalendarInfo], publish_name: str) -> None:
        from planner.core.caldav.sync import location_of

        user = self.user.text().strip()
        roles = {s.path: s.role for s in self.session.state.sources}
        current = self.session.settings.caldav.publish_to
        self.tree.clear()
        self.publish.clear()
        self.publish.addItem(NOWHERE, "")
        for calendar in calendars:
            item = QTreeWidgetItem([calendar.name, calendar.path, ""])
            self.tree.addTopLevelItem(item)
            choice = QComboBox()
            choice.setAccessibleName(f"Use {calendar.name} as")
            for text, role in ROLES:
                choice.addItem(text, role)
            role = roles.get(location_of(calendar.url, user))
            choice.setCurrentIndex(next(i for i, (_, r) in enumerate(ROLES) if r == role))
            self.tree.setItemWidget(item, 2, choice)
            self.publish.addItem(calendar.name, calendar.url)
            if calendar.url == current or (publish_name and calendar.name == publish_name):
                self.publish.setCurrentIndex(self.publish.count() - 1)

    def role_box(self, row: int) -> QComboBox:
        item = self.tree.topLevelItem(row)
        box = self.tree.itemWidget(item, 2) if item is not None else None
        assert isinstance(box, QComboBox)
        return box

    def rows(self) -> list[tuple[str, str]]:
        """(calendar, use) as shown, for tests and accessibility checks."""
        return [
            (self.calendars()[i].name, self.role_box(i).currentText())
            for i in range(self.tree.topLevelItemCount())
        ]

    def accept(self) -> None:
        self.apply()
        super().accept()

    def apply(self) -> str:
        """Keep the password, import the calendars with their roles (those set to "not
        used" stop being read), and choose where to publish; a sentence of what was done."""
        from planner.core.caldav.sync import location_of

        url, user, password = self._account()
        said = []
        if password:
            said.append(credentials.keep(url, user, password, keyring_too=self.keep.isChecked()))
            credentials.keep_for_calendars(
                url,
                user,
                password,
                [c.url for c in self.calendars()],
                keyring_too=self.keep.isChecked(),
            )
        store = self.session.store
        wanted: list[tuple[str, Role]] = []
        dropped: list[str] = []
        known = {s.path for s in self.session.state.sources}
        for row, calendar in enumerate(self.calendars()):
            role = self.role_box(row).currentData()
            location = location_of(calendar.url, user)
            if role is None:
                if location in known:
                    dropped.append(location)
                continue
            wanted.append((location, role))
            if store is not None:  # the CalDAV row first: the new source is read at once
                store.add_source(Source(location, role))
                store.caldav.remember(location, user, calendar.name)
        if wanted:
            self.session.add_sources(wanted)
            if store is not None:  # written by now, whatever was queued before
                self.session.flush()
                for calendar in self.calendars():
                    location = location_of(calendar.url, user)
                    if location in dict(wanted):
                        store.caldav.remember(location, user, calendar.name)
            said.append(f"reading {len(wanted)} calendar{'s' if len(wanted) != 1 else ''}")
        for location in dropped:
            self.session.remove_source(location)
        target = str(self.publish.currentData() or "")
        publishing = self.session.settings.caldav
        if (target, user if target else "") != (publishing.publish_to, publishing.publish_user):
            chosen = replace(publishing, publish_to=target, publish_user=user if target else "")
            self.session.set_settings(
                replace(self.session.settings, caldav=chosen), "Choose where to publish"
            )
            said.append(f"publishing to {self.publish.currentText()}" if target else "")
        return "; ".join(s for s in said if s)

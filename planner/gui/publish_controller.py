"""The window's Publish: the shown week's plan into the CalDAV calendar chosen to publish to.

File › Publish to calendar (Ctrl+Shift+P) publishes the week on screen, off the GUI
thread (:func:`planner.core.caldav.publish.publish_with_queue`, the command line's
policy: only the difference is written, what fails is queued). With ``[caldav]
publish_automatically``, each decision publishes too: the requests made while one
publish runs become one more publish of the newest plan when it ends (coalesced). At
start the weeks waiting in the publish queue are published again. The status bar says
the last outcome in a sentence: when the week was last published, how many objects wait
and why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from planner.core.text import wording
from planner.gui.actions import make_action
from planner.gui.background import Job, describe_error, run_in_background

if TYPE_CHECKING:
    from planner.core.caldav.publish import Published
    from planner.core.model import Plan
    from planner.core.session import Session
    from planner.core.settings import Settings
    from planner.core.storage.store import Store


@dataclass(frozen=True, slots=True)
class Target:
    """Where the window publishes: a calendar's address and the account's user."""

    calendar_url: str
    user: str


def publish_target(settings: Settings) -> Target | None:
    """The calendar chosen to publish to in the CalDAV account dialog (``[caldav]
    publish_to`` and ``publish_user``), None when none is."""
    chosen = settings.caldav
    if not (chosen.publish_to and chosen.publish_user):
        return None
    return Target(chosen.publish_to, chosen.publish_user)


class NoPasswordError(Exception):
    """No password for the account publishing needs (said in the status bar)."""


def publish_now(
    store: Store,
    target: Target,
    plan: Plan,
    plan_for: Callable[[date], Plan],
    now: datetime,
    *,
    automatic: bool = False,
) -> list[Published]:
    """Runs off the GUI thread: the week, then the same calendar's queued weeks.

    Publishing by itself (``automatic``) makes the calendar only if planner never found
    it: one the user deleted to undo publishing stays deleted (the Publish action, asked
    for, makes it again)."""
    from planner.core.caldav.publish import connect, publish_with_queue, was_found

    http = connect(target.calendar_url, target.user)
    if http is None:
        raise NoPasswordError(
            f"no password for {target.user} at {target.calendar_url}: give it in "
            "File › Calendars… › CalDAV account"
        )
    try:
        create = not (automatic and was_found(store, target.calendar_url))
        return publish_with_queue(
            store, http, target.calendar_url, target.user, plan, plan_for, now=now, create=create
        )
    finally:
        http.close()


def status_sentence(reports: list[Published], at: datetime) -> str:
    """What the status bar says after a publish."""
    if not reports:
        return ""
    first = reports[0]
    waiting = sum(len(r.waiting) for r in reports)
    said = first.sentence.removesuffix(".") + f" at {wording.clock(at)}."
    if waiting:
        reason = next(item.reason for r in reports for item in r.waiting)
        said += (
            f" {waiting} not written ({reason}): kept, and published again at the next "
            "change or start."
        )
    return said


class PublishController(QObject):
    """The Publish action, automatic publishing and the publish status of one window."""

    published = Signal(object)
    """The list of :class:`~planner.core.caldav.publish.Published` of one run."""

    def __init__(
        self,
        session: Session,
        parent: QWidget,
        status: QStatusBar,
        *,
        plan: Callable[[], Plan | None],
        settings: Callable[[], Settings],
        clock: Callable[[], datetime],
        ask_password: Callable[[str, str], str | None] | None = None,
    ) -> None:
        """``plan`` is the plan on screen; ``settings`` say where to publish
        (:func:`publish_target`) and whether each change publishes; ``ask_password(account,
        host)`` asks the user when the Publish action finds no password (kept for this run)."""
        super().__init__(parent)
        self._session = session
        self._status = status
        self._plan = plan
        self.target: Callable[[], Target | None] = lambda: publish_target(settings())
        """Where to publish, asked at each publish (the settings may change meanwhile)."""
        self._automatic = lambda: settings().caldav.publish_automatically
        self._clock = clock
        self._ask_password = ask_password
        self._job: Job | None = None
        self._again = False
        self._again_by_hand = False  # one of the publishes asked for meanwhile was by hand
        self._pending = False  # a decision made: publish the next plan shown (automatic)
        self.publish_action = make_action(
            parent, "P&ublish to calendar", self.publish_asked, QKeySequence("Ctrl+Shift+P")
        )
        self.publish_action.setEnabled(session.store is not None)
        self.label = QLabel()
        self.label.setAccessibleName("Publishing")
        status.addPermanentWidget(self.label)

    @property
    def busy(self) -> bool:
        return self._job is not None

    def _plan_for(self) -> Callable[[date], Plan]:
        session, state, now = self._session, self._session.state, self._clock()

        def plan_for(day: date) -> Plan:
            return session.plan(state, day, now)[2]

        return plan_for

    def start(self) -> None:
        """Publish again the weeks waiting in the queue (after the first plan)."""
        store = self._session.store
        if store is None or not store.publish_waiting():
            return
        now, plan_for = self._clock(), self._plan_for()
        self.label.setText("Publishing the weeks waiting…")
        from planner.core.caldav.publish import publish_waiting_weeks

        self._job = run_in_background(
            lambda: publish_waiting_weeks(store, plan_for, now=now), self._done, self._failed, self
        )

    def decided(self) -> None:
        """A decision was made: with automatic publishing, the next plan shown is published."""
        if self._automatic():
            self._pending = True

    def plan_shown(self) -> None:
        """A plan is on screen: publish it if a decision asked for it."""
        if self._pending and self.target() is not None:
            self._pending = False
            self.publish(automatic=True)

    def publish_asked(self) -> bool:
        """The Publish action: as :meth:`publish`, asking for the account's password first
        when nothing holds it (automatic publishing never asks)."""
        target = self.target()
        if target is not None and self._ask_password is not None:
            from urllib.parse import urlsplit

            from planner.core.caldav import credentials

            url, user = target.calendar_url, target.user
            if credentials.password(url, user) is None:
                host = urlsplit(url).hostname or url
                secret = self._ask_password(credentials.account(url, user), host)
                if secret:
                    credentials.keep(url, user, secret, keyring_too=False)
        return self.publish()

    def publish(self, *, automatic: bool = False) -> bool:
        """Publish the week on screen; False (and said why) when it cannot start.
        ``automatic`` (after a decision) never makes again a calendar the user deleted."""
        store, plan, target = self._session.store, self._plan(), self.target()
        if store is None:
            self._status.showMessage("Nothing is published from this window (no saved planning)")
            return False
        if target is None:
            self._status.showMessage(
                "Choose the calendar to publish to: File › Calendars… › CalDAV account"
            )
            return False
        if plan is None:
            return False
        if self._job is not None:
            self._again = True  # one more run with the newest plan when this one ends
            self._again_by_hand |= not automatic
            return True
        now, plan_for = self._clock(), self._plan_for()
        self.label.setText(f"Publishing to {target.calendar_url}…")
        self._job = run_in_background(
            lambda: publish_now(store, target, plan, plan_for, now, automatic=automatic),
            self._done,
            self._failed,
            self,
        )
        return True

    def _done(self, reports: list[Published]) -> None:
        self._job = None
        target = self.target()
        if target is not None and any(r.password_refused for r in reports):
            from planner.core.caldav import credentials

            credentials.forget(target.calendar_url, target.user)  # asked again next time
        text = status_sentence(reports, self._clock())
        store = self._session.store
        if not reports and store is not None and (waiting := store.publish_waiting()):
            count = sum(len(week.items) for week in waiting)
            text = (
                f"{count} event{'s' if count != 1 else ''} waiting to be published (no "
                "password at hand: give it in File › Calendars… › CalDAV account)"
            )
        self.label.setText(text)
        self.label.setToolTip("\n".join(i.sentence for r in reports for i in r.waiting))
        self.published.emit(reports)
        self._next()

    def _failed(self, error: Exception) -> None:
        self._job = None
        from planner.core.caldav.publish import PublishError

        said = isinstance(error, NoPasswordError | PublishError)
        words = str(error) if said else describe_error(error)
        self.label.setText(f"Not published: {words}")
        self.published.emit([])
        self._next()

    def _next(self) -> None:
        if self._again:
            by_hand, self._again, self._again_by_hand = self._again_by_hand, False, False
            self.publish(automatic=not by_hand)

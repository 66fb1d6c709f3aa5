"""``planner publish URL --user NAME [--week YYYY-MM-DD]``: the week's plan into a CalDAV calendar.

The week is found as ``planner plan`` finds it (``--week``, else the first week from today
with a candidate ahead); the plan is the saved planning's. The core
(:func:`planner.core.caldav.publish.publish_and_queue`) writes only the difference and
keeps what it could not write in the store's publish queue; this says what it did: one
line on stdout, and one line on stderr per event not written. The weeks still waiting in
the queue for the same calendar are published again in the same run. Exit 0 when the
calendar matches the plan, 1 when something could not be written, 2 on bad use.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from planner.cli.output import EXIT_USAGE, say_published
from planner.cli.saved import CommandError, _open_store, _saved_settings, terminal_ask

if TYPE_CHECKING:
    from planner.core.model import Plan
    from planner.core.session import Session as PlanningSession
    from planner.core.storage.store import Store


def run_publish(args: argparse.Namespace) -> int:
    """``planner publish``: publish the week, then the weeks still queued for that calendar."""
    from planner.core.caldav import credentials
    from planner.core.caldav.publish import PublishError, connect, publish_with_queue
    from planner.core.caldav.session import CalDAVError, check_address, host_of, plain_url
    from planner.core.saved import open_session
    from planner.core.storage.feed_credentials import split_password

    # A password written into the address is used for this run, as `planner sources add`
    # uses one (never printed, never kept beyond the run).
    typed = split_password(args.url)
    url = plain_url(typed.location)
    if typed.password is not None:
        credentials.keep(url, args.user, typed.password, keyring_too=False)
    if not url.endswith("/"):
        url += "/"
    try:  # an address no publish can ever reach is bad use, not a week to queue
        check_address(url)
    except CalDAVError as exc:
        why = exc.sentence(host_of(url))
        raise CommandError(f"planner publish: {url}: {why}", EXIT_USAGE) from None
    settings, settings_path = _saved_settings(args.settings)
    now = datetime.now(settings.zone)
    with _open_store() as store:
        if not (store.load_sources() or store.load_added()):  # an empty plan would remove all
            raise CommandError(
                "planner publish: nothing to publish: keep calendars with `planner sources "
                "add` or events with `planner add` first",
                EXIT_USAGE,
            )
        session = open_session(store, settings, settings_path=settings_path)
        day = args.week or session.first_week_with_candidates(session.state, now.date(), now)
        plan = _plan_for(session, now)(day)
        try:
            http = connect(url, args.user, terminal_ask)
        except CalDAVError as exc:
            raise CommandError(f"planner publish: {url}: {exc.text}", EXIT_USAGE) from None
        if http is None:
            raise CommandError(
                f"planner publish: no password for {args.user} at {url}: set "
                "PLANNER_CALDAV_PASSWORD, keep it in the keyring with `planner sources add "
                "--caldav`, or run planner publish on a terminal to be asked",
                EXIT_USAGE,
            )
        try:
            reports = publish_with_queue(
                store, http, url, args.user, plan, _plan_for(session, now), now=now
            )
        except PublishError as exc:
            raise CommandError(f"planner publish: {exc}", EXIT_USAGE) from None
        finally:
            http.close()
        failed = False
        for report in reports:
            failed |= say_published(report)
        _say_queue(store, url)
    return 1 if failed else 0


def _plan_for(session: PlanningSession, now: datetime) -> Callable[[date], Plan]:
    def plan_for(day: date) -> Plan:
        return session.plan(session.state, day, now)[2]

    return plan_for


def _say_queue(store: Store, url: str) -> None:
    """Weeks of other calendars still waiting (their password was not asked for)."""
    from planner.core.text import wording

    for week in store.publish_waiting():
        if week.calendar_url != url:
            print(
                f"Still to publish: week of {wording.short_date(week.week_start)} to "
                f"{week.calendar_url} ({len(week.items)} waiting).",
                file=sys.stderr,
            )

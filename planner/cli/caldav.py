"""``planner sources add URL --caldav --user NAME --role ROLE [--calendar NAME]``.

The address is one calendar, used as it is, or a server root: then planner lists
the user's calendars of events, takes the one ``--calendar`` names (display name
or path), the only one there is, or lists them and exits 2 for the user to choose.
The password comes from the keyring, ``PLANNER_CALDAV_PASSWORD``, or a prompt on
a terminal (then planner offers to keep it in the keyring); it is never printed,
kept in the store or the settings. The calendar is read at once, as a feed is.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from planner.cli.output import EXIT_USAGE, said
from planner.cli.saved import (
    CommandError,
    _check_saved,
    _count,
    _moment,
    _open_store,
    _saved_settings,
    added_words,
    terminal_ask,
)
from planner.cli.saved import run_sources as run_saved_sources

if TYPE_CHECKING:
    from planner.core.caldav.discovery import CalendarInfo, Found
    from planner.core.settings import Settings


def check_arguments(args: argparse.Namespace) -> None:
    """``--user`` and ``--calendar`` belong with ``--caldav``, which takes one address."""
    if not args.caldav:
        if args.user or args.calendar:
            raise CommandError(
                "planner sources add: --user and --calendar are for a CalDAV account "
                "(add --caldav)",
                EXIT_USAGE,
            )
        return
    if len(args.locations) != 1 or not args.user:
        raise CommandError(
            "planner sources add --caldav: give one address and --user NAME", EXIT_USAGE
        )


def run_sources(args: argparse.Namespace) -> int:
    """``planner sources``: a CalDAV account's calendar added here, the rest by
    :func:`planner.cli.saved.run_sources`."""
    if getattr(args, "action", None) == "add":
        check_arguments(args)
        if args.caldav:
            settings, settings_path = _saved_settings(args.settings)
            return add_caldav(args, settings, settings_path)
    return run_saved_sources(args)


def add_caldav(args: argparse.Namespace, settings: Settings, settings_path: Path) -> int:
    """Find the calendar, import it with its role, read it once; 0 when read, 1 when the
    server failed (the calendar is kept and read at the next refresh), 2 on bad use."""
    from planner.core.caldav import credentials, sync
    from planner.core.caldav.discovery import discover
    from planner.core.caldav.session import CalDAVError, Session, check_address, host_of, plain_url
    from planner.core.model import Source
    from planner.core.saved import open_session
    from planner.core.storage.feed_credentials import split_password

    check_arguments(args)
    typed = split_password(args.locations[0])
    url = plain_url(typed.location)
    user = args.user
    try:  # an address planner never sends a password to is bad use: no password is asked
        check_address(url)
    except CalDAVError as exc:
        why = exc.sentence(host_of(url))
        raise CommandError(f"planner sources add: {why}", EXIT_USAGE) from None
    prompted: list[str] = []

    def ask(account: str, host: str) -> str | None:
        answer = terminal_ask(account, host)
        if answer:
            prompted.append(answer)
        return answer

    secret = typed.password or credentials.password(url, user, ask)
    if secret is None:
        raise CommandError(
            f"planner sources add: no password for {credentials.account(url, user)}: run it "
            f"in a terminal to be asked, or set {credentials.PASSWORD_VARIABLE}",
            EXIT_USAGE,
        )
    with Session(url, user, secret) as session:
        try:
            found = discover(session)
        except CalDAVError as exc:
            if exc.kind == "auth":
                credentials.forget(url, user)
            raise CommandError(f"planner sources add: {session.error(exc)}") from None
    calendar = _choose(found, args.calendar, url)
    if typed.password is not None or prompted:
        print(f"{credentials.account(url, user)}: {_keep(url, user, secret, bool(prompted))}.")
    # A calendar on another host of the service is read with the same password later.
    credentials.keep_for_calendars(
        url, user, secret, [calendar.url], keyring_too=credentials.has_keyring()
    )
    now = datetime.now(settings.zone)
    with _open_store() as store:
        session_ = open_session(store, settings, settings_path=settings_path)
        location = sync.location_of(calendar.url, user)
        before = {s.path: s.role for s in session_.state.sources}
        session_.add_sources([(location, args.role)])
        _check_saved(session_)
        store.caldav.remember(location, user, calendar.name)
        name = sync.label(calendar.name, location)
        was = before.get(location)
        added = added_words(name, args.role, was)
        result = sync.sync(store, Source(location, args.role), now, zone=settings.zone)
        for problem in result.problems:
            print(said(problem), file=sys.stderr)
        if result.error:
            print(f"{added}, but reading it failed; `planner refresh` tries again")
            print(f"planner sources add: {result.error}", file=sys.stderr)
            return 1
        ahead = len(store.feed_events(location, now, now + timedelta(days=183)))
    print(
        f"{added}: read, {_count(ahead, 'event')} ahead; "
        f"next refresh {_moment(result.next_refresh, settings.zone)}"
    )
    return 0


def _choose(found: Found, wanted: str | None, url: str) -> CalendarInfo:
    """The calendar to import, or a :class:`CommandError` listing the choices (exit 2)."""
    events = [c for c in found.calendars if c.has_events]
    if found.given_is_calendar:
        chosen = events
    elif wanted:
        chosen = [c for c in found.choose(wanted) if c.has_events]
    else:
        chosen = events if len(events) == 1 else []
    if len(chosen) == 1:
        return chosen[0]
    if not events:
        raise CommandError(f"planner sources add: {url} has no calendar of events")
    width = max(len(c.name) for c in events) + 2
    for calendar in events:
        print(f"  {calendar.name:<{width}}{calendar.path}")
    if wanted and not chosen:
        why = f"no calendar of events is named {wanted!r}"
    elif wanted:
        why = f"{len(chosen)} calendars are named {wanted!r}; give the path"
    else:
        why = f"{_count(len(events), 'calendar')} of events; choose one with --calendar NAME"
    raise CommandError(f"planner sources add: {url}: {why} (listed above)", EXIT_USAGE)


def _keep(url: str, user: str, secret: str, prompted: bool) -> str:
    """Keep a typed password: in the keyring when the user agrees (asked on a terminal),
    else for this run only."""
    from planner.core.caldav import credentials

    keyring_too = credentials.has_keyring()
    if keyring_too and prompted:
        try:
            answer = input("Keep the password in the system keyring? [Y/n] ")
        except EOFError:
            answer = "n"
        keyring_too = answer.strip().lower() in ("", "y", "yes")
    return credentials.keep(url, user, secret, keyring_too=keyring_too)

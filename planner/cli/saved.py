"""The commands over the planning planner keeps for you (the window's, too).

``planner add``, ``sources``, ``refresh``, ``history``, ``backup``, ``restore`` and
``planner plan`` without files all open the user's store and settings; they live here,
apart from the parser and the stateless commands in :mod:`planner.cli.main`, which imports
this module from its dispatch. Only the standard library is imported at the top: each
command imports the parts of planner.core it needs, so that start-up stays fast.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from planner.cli.output import EXIT_USAGE, print_plan, said, warn_week
from planner.core.model import is_feed

if TYPE_CHECKING:  # imported where used, so that each command loads only what it needs
    from planner.core.model import Event, Source
    from planner.core.session import Session
    from planner.core.settings import Settings
    from planner.core.storage.history import Recorded
    from planner.core.storage.store import Store
    from planner.core.text.quick_add import Parsed


class CommandError(Exception):
    """A command that cannot go on: ``str(self)`` is one line for stderr naming the file or
    URL and the problem, ``code`` the exit status (2: the arguments, 1: anything else)."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _saved_settings(path: Path | None) -> tuple[Settings, Path]:
    """The user's settings and their file (``--settings``, else planner's own)."""
    from planner.core.saved import user_settings
    from planner.core.settings import SettingsError

    try:
        return user_settings(path)
    except SettingsError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None


@contextlib.contextmanager
def _open_store() -> Iterator[Store]:
    """The user's store, closed afterwards; a store that fails becomes a :class:`CommandError`."""
    import sqlite3

    from planner.core.saved import open_store, store_path
    from planner.core.storage.store import ReadOnlyStoreError, StoreError

    try:
        store = open_store()
    except ReadOnlyStoreError as exc:
        raise CommandError(str(exc)) from None
    except (StoreError, OSError, sqlite3.Error) as exc:
        raise CommandError(f"{store_path()}: cannot open your saved planning ({exc})") from None
    try:
        yield store
    except StoreError as exc:
        raise CommandError(str(exc)) from None
    except sqlite3.Error as exc:
        raise CommandError(f"{store.path}: {exc}") from None
    finally:
        store.close()


def terminal_ask(account: str, host: str) -> str | None:
    """A password typed on the terminal (not echoed) for ``account``; None when there is
    no terminal to ask on (a script: ``PLANNER_CALDAV_PASSWORD`` gives it)."""
    import getpass

    if not sys.stdin.isatty():
        return None
    try:
        return getpass.getpass(f"Password for {account} (not shown): ") or None
    except (EOFError, KeyboardInterrupt):
        return None


def _check_saved(session: Session) -> None:
    if session.save_problem:
        raise CommandError(session.save_problem)


def added_words(name: str, role: str, was: str | None) -> str:
    """What ``planner sources add`` did with one calendar, given the role it had before."""
    if was is None:
        return f"Added {name} as {role}"
    if was != role:
        return f"{name} is now {role} (was {was})"
    return f"{name} was kept already as {role}"


def _count(number: int, noun: str) -> str:
    """``"1 event"``, ``"2 events"``."""
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _moment(when: datetime, zone: ZoneInfo) -> str:
    """``"Sun 22 Nov 2026 07:31"`` in the user's zone."""
    from planner.core.text import wording

    return wording.moment(when.astimezone(zone), year=True)


def _event_when(event: Event) -> str:
    """``"Thu 26 Nov 18:00-20:00"``; the end's day is named when it is another day."""
    from planner.core.text import wording

    start, end = event.start, event.end.astimezone(event.start.tzinfo)
    day = wording.short_date(start)
    if event.all_day:
        return f"{day}, all day"
    until = wording.clock(end)
    until = until if end.date() == start.date() else f"{wording.day(end)} {until}"
    return f"{day} {wording.clock(start)}-{until}"


def _venue(event: Event) -> str:
    place = event.place
    if place.virtual:
        return "online"
    parts = [p for p in (place.name, place.address) if p]
    return ", ".join(parts) if parts else "no place"


def _reference(day: date | None, zone: ZoneInfo) -> datetime:
    """What "tomorrow" and "Thu" count from: now, or the day given at 09:00."""
    now = datetime.now(zone)
    if day is None or day == now.date():
        return now
    return datetime.combine(day, datetime.min.time(), tzinfo=zone).replace(hour=9)


def _typed_json(item: Parsed) -> dict[str, object]:
    e = item.event
    return {
        "line": item.line_number,
        "text": item.text,
        "uid": e.uid,
        "key": e.key,
        "title": e.summary,
        "start": e.start.isoformat(),
        "end": e.end.isoformat(),
        "all_day": e.all_day,
        "venue": e.place.name,
        "address": e.place.address,
        "virtual": e.place.virtual,
        "cost": e.cost,
        "category": e.category,
        "categories": list(e.categories),
        "url": e.url,
        "assumed": [{"part": a.part, "text": a.text} for a in item.assumptions],
    }


def _typed_lines(item: Parsed) -> list[str]:
    from planner.core.text import wording

    e = item.event
    details = [_venue(e), wording.money(e.cost), e.category or "no category"]
    lines = [f"  {_event_when(e):<26}{e.summary}", f"  {'':<26}{'; '.join(details)}"]
    lines += [f"  {'':<26}assumed: {text}" for text in item.assumed]
    return lines


def plan_saved(args: argparse.Namespace) -> int:
    """Plan the week from the store: imported calendars (feeds as last downloaded),
    decisions, typed events and the history of other weeks for monthly quotas."""
    from planner.core.saved import open_session

    settings, settings_path = _saved_settings(args.settings)
    with _open_store() as store:
        if not (store.load_sources() or store.load_added()):
            raise CommandError(
                "planner plan: nothing to plan: give --demo, or --commitments and --candidates "
                "files, or keep calendars with `planner sources add` or events with `planner add`",
                EXIT_USAGE,
            )
        session = open_session(store, settings, settings_path=settings_path)
        now = datetime.now(settings.zone)
        # Without --week, the week the window opens on after an import: the first from
        # today with a candidate still ahead.
        day = args.week or session.first_week_with_candidates(session.state, now.date(), now)
        _settings, week, plan = session.plan(session.state, day, now)
        warn_week(week, unread=False)
        if plan.week_start + timedelta(days=7) > now:
            try:
                store.record_week(plan)
            except Exception as exc:  # the history is a bonus; the plan is the answer
                from planner.core.logs import log_failure

                log_failure(logging.getLogger(__name__), "recording the week planned", exc)
                print(f"planner: warning: {store.path}: week not recorded ({exc})", file=sys.stderr)
    return print_plan(args, plan, week.problems)


def run_add(args: argparse.Namespace) -> int:
    """``planner add``: typed or pasted lines read as events, kept unless ``--dry-run``;
    a line that is a link is the event's web page, read with consent (``--fetch``)."""
    from planner.cli.links import read_links
    from planner.core.saved import open_session
    from planner.core.text import quick_add

    text = sys.stdin.read() if args.text == "-" else args.text
    settings, settings_path = _saved_settings(args.settings)
    reference = _reference(args.week, settings.zone)
    links = read_links(text, fetch=args.fetch, settings=settings, reference=reference)
    parsed, unparsed = quick_add.parse_lines(links.rest, settings=settings, reference=reference)
    parsed = sorted(parsed + links.parsed, key=lambda p: (p.line_number, p.event.start))
    unparsed = sorted(unparsed + links.unparsed, key=lambda u: u.line_number)
    where = "stdin line" if args.text == "-" else "line"
    for line in unparsed:
        print(
            f"planner add: {where} {line.line_number} “{line.text.strip()}”: {line.reason}",
            file=sys.stderr,
        )
    for number, link, problem in links.notes:
        print(f"planner add: {where} {number} “{link}”: note: {problem}", file=sys.stderr)
    replaced = 0
    if parsed and not args.dry_run:
        with _open_store() as store:
            session = open_session(store, settings, settings_path=settings_path)
            known = {e.key for e in session.state.added}
            replaced = sum(1 for p in parsed if p.event.key in known)
            session.add_events([p.event for p in parsed])
            _check_saved(session)
    if args.json:
        report = {
            "added": [_typed_json(p) for p in parsed],
            "unparsed": [
                {"line": u.line_number, "text": u.text, "reason": u.reason} for u in unparsed
            ],
            "dry_run": bool(args.dry_run),
        }
        print(json.dumps(report, indent=2, ensure_ascii=False))
    elif parsed:
        count = _count(len(parsed), "event")
        if args.dry_run:
            print(f"Understood {count} (nothing kept: --dry-run):")
        else:
            again = f", {replaced} replacing the same added before" if replaced else ""
            first = min(p.event.start for p in parsed).date()
            print(f"Added {count}{again} (to plan: `planner plan --week {first}`):")
        for item in parsed:
            print("\n".join(_typed_lines(item)))
    if not parsed:
        print("planner add: no event understood; nothing added", file=sys.stderr)
        return 1
    return 0


def _check_location(location: str) -> str:
    """A feed's URL or an existing calendar file, else a usage :class:`CommandError`."""
    from planner.core.calendars import preview as import_preview
    from planner.core.calendars.reading import IcsError
    from planner.core.storage import feeds

    if is_feed(location) or "://" in location:
        try:
            feeds.feed_url(location)
        except feeds.FeedError as exc:
            raise CommandError(str(exc), EXIT_USAGE) from None
        return ""
    try:
        preview = import_preview.preview_file(location)
    except IcsError as exc:
        raise CommandError(str(exc), EXIT_USAGE) from None
    span = f", {preview.first} to {preview.last}" if preview.first and preview.last else ""
    series = f" ({preview.series} repeating)" if preview.series else ""
    return f"{_count(preview.events, 'event')}{series}{span}"


def _source_rows(
    store: Store, sources: Sequence[Source], zone: ZoneInfo
) -> list[dict[str, object]]:
    from planner.core.caldav.refresh import name_of
    from planner.core.model import is_feed, source_name
    from planner.core.storage import feeds

    caldav = store.caldav.locations()
    rows: list[dict[str, object]] = []
    for source in sources:
        row: dict[str, object] = {
            "location": source.path,
            "name": name_of(store, source.path)
            if source.path in caldav
            else source_name(source.path),
            "role": source.role,
            "feed": is_feed(source.path),
            "caldav": source.path in caldav,
        }
        if is_feed(source.path):
            record = store.source_record(source.path)
            fetched = record.fetched_at if record else None
            due = record.next_refresh if record else None
            row |= {
                "last_fetched": fetched.astimezone(zone).isoformat() if fetched else None,
                "next_refresh": due.astimezone(zone).isoformat() if due else None,
                "has_copy": bool(record and record.has_copy),
                "last_error": record.last_error if record else "",
                "redirected_to": feeds.moved_to(store, source.path),
            }
        else:
            copy = store.file_copy(source.path)
            row["exists"] = Path(source.path).is_file()
            row["copy_read_at"] = copy.read_at.astimezone(zone).isoformat() if copy else None
        rows.append(row)
    return rows


def _source_text(row: dict[str, object], zone: ZoneInfo) -> list[str]:
    lines = [f"{row['role']:<13}{row['location']}"]
    pad = " " * 13
    if not row["feed"]:
        copied = row["copy_read_at"]
        if not row["exists"] and isinstance(copied, str):
            when = _moment(datetime.fromisoformat(copied), zone)
            lines.append(f"{pad}not on this computer: planned from its copy read {when}")
        elif not row["exists"]:
            lines.append(f"{pad}file not found: `planner sources remove` it or put it back")
        return lines
    if row["caldav"]:
        lines.append(f"{pad}CalDAV calendar {row['name']}")
    fetched, due = row["last_fetched"], row["next_refresh"]
    if isinstance(fetched, str):
        when = _moment(datetime.fromisoformat(fetched), zone)
        later = _moment(datetime.fromisoformat(due), zone) if isinstance(due, str) else "now"
        lines.append(f"{pad}last fetched {when}; next refresh {later}")
    else:
        lines.append(f"{pad}not downloaded yet: `planner refresh`")
    if row["redirected_to"]:
        lines.append(f"{pad}the server sends planner to another host: {row['redirected_to']}")
    if row["last_error"]:
        lines.append(f"{pad}last error: {row['last_error']}")
    return lines


def run_sources(args: argparse.Namespace) -> int:
    """``planner sources [add|remove]``: the calendars the saved planning reads."""
    settings, settings_path = _saved_settings(args.settings)
    if args.action == "add":
        return _sources_add(args, settings, settings_path)
    if args.action == "remove":
        return _sources_remove(args, settings, settings_path)
    with _open_store() as store:
        sources = store.load_sources()
        rows = _source_rows(store, sources, settings.zone)
        typed = len(store.load_added())
    if args.json:
        print(json.dumps({"sources": rows, "typed_events": typed}, indent=2, ensure_ascii=False))
        return 0
    if not rows:
        print("No calendars imported: `planner sources add FILE|URL --role candidates`.")
    for row in rows:
        print("\n".join(_source_text(row, settings.zone)))
    if typed:
        print(f"Typed events: {typed} (added with `planner add`).")
    return 0


def _location(text: str) -> str:
    """How the session keeps a calendar: a URL as given, a file as its absolute path."""
    from planner.core.model import is_feed

    text = text.strip()
    return text if is_feed(text) else str(Path(text).resolve())


def _sources_add(args: argparse.Namespace, settings: Settings, settings_path: Path) -> int:
    from planner.core.model import Source, source_name
    from planner.core.saved import open_session
    from planner.core.storage import feed_credentials, feeds

    # A password typed in a feed's address never reaches the store, a log or the screen.
    typed = [feed_credentials.split_password(text) for text in args.locations]
    # Every location is checked before any is kept: one typo imports nothing.
    glances = {_location(t.location): _check_location(t.location) for t in typed}
    failed = False
    with _open_store() as store:
        session = open_session(store, settings, settings_path=settings_path)
        before = {s.path: s.role for s in session.state.sources}
        session.add_sources([(location, args.role) for location in glances])
        _check_saved(session)
        for feed in typed:
            if feed.password is not None:
                where = feed_credentials.keep_password(feed.location, feed.password)
                print(f"{source_name(feed.location)}: {where}.")
        now = datetime.now(settings.zone)
        for location, glance in glances.items():
            name = source_name(location)
            was = before.get(location)
            added = added_words(name, args.role, was)
            if not is_feed(location):
                print(f"{added}: {glance}")
                copied = store.keep_file_copy(location, now)
                if sentence := copied.sentence(location):
                    print(f"planner: warning: {sentence}", file=sys.stderr)
                continue
            result = feeds.refresh(store, Source(location, args.role), now, zone=settings.zone)
            for problem in result.problems:
                print(said(problem), file=sys.stderr)
            if result.error:
                failed = True
                print(f"{added}, but the download failed; `planner refresh` tries again")
                print(f"planner sources add: {location}: {result.error}", file=sys.stderr)
                continue
            count = len(store.feed_events(location, now, now + feeds.WINDOW_AFTER))
            print(
                f"{added}: downloaded, {_count(count, 'event')} ahead; "
                f"next refresh {_moment(result.next_refresh, settings.zone)}"
            )
    return 1 if failed else 0


def _sources_remove(args: argparse.Namespace, settings: Settings, settings_path: Path) -> int:
    from planner.core.model import source_name
    from planner.core.saved import open_session
    from planner.core.storage.feed_credentials import split_password

    wanted = split_password(str(args.location)).location  # as kept: never with a password
    with _open_store() as store:
        session = open_session(store, settings, settings_path=settings_path)
        paths = [s.path for s in session.state.sources]
        exact = _location(wanted)
        named = [p for p in paths if wanted in (source_name(p), Path(p).name)]
        if exact in paths:
            target = exact
        elif len(named) == 1:
            target = named[0]
        else:
            why = "names several; give the whole location" if named else "is not imported"
            raise CommandError(
                f"planner sources remove: {wanted} {why} (`planner sources` lists them)",
                EXIT_USAGE,
            )
        session.remove_source(target)
        _check_saved(session)
    print(f"Removed {target}; your decisions about its events are kept.")
    return 0


def run_refresh(args: argparse.Namespace) -> int:
    """``planner refresh``: download due feeds (all with ``--all``), then what changed."""
    from planner.core.storage import feeds

    settings, _path = _saved_settings(args.settings)
    zone = settings.zone
    now = datetime.now(zone)
    failed = 0
    with _open_store() as store:
        every = [s for s in store.load_sources() if is_feed(s.path)]
        chosen = every if args.all else feeds.due(store, now)
        if not every:
            print("No feeds to refresh: `planner sources add URL --role candidates` adds one.")
        elif not chosen:
            records = [store.source_record(s.path) for s in every]
            times = [r.next_refresh for r in records if r is not None and r.next_refresh]
            soon = f" (the next at {_moment(min(times), zone)})" if times else ""
            print(f"No feed is due{soon}; `planner refresh --all` downloads them now.")
        # A CalDAV calendar among them makes the closing count one of calendars.
        caldav_chosen = bool(store.caldav.locations() & {s.path for s in chosen})
        # Feeds are downloaded, CalDAV calendars synchronised (asked for a password on a
        # terminal when nothing holds it).
        from planner.core.caldav import refresh as sources_refresh

        for source, result in sources_refresh.refresh_each(
            store, chosen, now, zone=zone, ask=terminal_ask
        ):
            name = sources_refresh.name_of(store, source.path)
            for problem in result.problems:
                print(said(problem), file=sys.stderr)
            if result.error:
                failed += 1
                named = result.error.startswith(name)  # a CalDAV error names its calendar
                print(f"error: {result.error}" if named else f"{name}: error: {result.error}")
            else:
                print(f"{name}: {sources_refresh.detail(result)}")
        if every:
            _fill_venues(store, now, settings)
        unpublished = 0
        if store.publish_waiting():  # weeks `planner publish` could not write: again now
            unpublished = _publish_waiting(store, settings, args.settings)
        seen = store.changes_seen()
        since = _moment(seen, zone) if store.value("changes_seen") else "last time"
        changes = feeds.changes_since(store, seen)
        store.mark_changes_seen(now)
    if changes:
        print(f"\nChanges since {since} to events you committed to:")
        for change in changes:
            print(f"  {change.text}")
    elif every:
        print(f"No changes since {since} to events you committed to.")
    if failed:
        noun = "calendar" if caldav_chosen else "feed"
        print(
            f"planner refresh: {failed} of {_count(len(chosen), noun)} "
            "failed; their last copies are kept",
            file=sys.stderr,
        )
    return 1 if failed or unpublished else 0


def _publish_waiting(store: Store, settings: Settings, path: Path | None) -> int:
    """Publish again the weeks waiting in the publish queue whose password is at hand
    (never asked here); how many are still not published whole."""
    from planner.cli.output import say_published
    from planner.core.caldav.publish import publish_waiting_weeks
    from planner.core.saved import open_session

    session = open_session(store, settings, settings_path=path)
    now = datetime.now(settings.zone)
    reports = publish_waiting_weeks(
        store, lambda day: session.plan(session.state, day, now)[2], now=now
    )
    return sum(say_published(report, "refresh") for report in reports)


def _fill_venues(store: Store, now: datetime, settings: Settings) -> None:
    """Read the venues the feeds leave out from the events' pages, with consent
    (``[web] fill_venues``); without it, say how many are missing and how to allow it."""
    if not settings.web.fill_venues:
        missing = len(store.venues_wanted(now))
        if missing:
            print(
                f"{_count(missing, 'candidate event')} from feeds give no venue; "
                "`[web] fill_venues = true` in your settings lets planner read them from "
                "the events' pages"
            )
        return
    from planner.core.web.venues import fill_venues

    said = fill_venues(store, now, zone=settings.zone).summary
    if said:
        print(said[0].upper() + said[1:])


def run_history(args: argparse.Namespace) -> int:
    """``planner history``: the weeks recorded with what you said of each event (attended
    or skipped, your note), and the streak."""
    from planner.core.planning.plan import week_of
    from planner.core.text import wording

    settings, _path = _saved_settings(args.settings)
    zone = settings.zone
    today = datetime.now(zone).date()
    first = week_of(today, settings) - timedelta(weeks=args.weeks - 1)
    end = first + timedelta(days=366 * 5)  # and the weeks planned ahead
    weeks: dict[date, list[Recorded]] = {}
    with _open_store() as store:
        for item in store.recorded(first, end):
            monday = week_of(item.event.start.astimezone(zone).date(), settings).date()
            weeks.setdefault(monday, []).append(item)
        streak = store.streak(today)
    ordered = sorted(weeks.items())

    def counted(items: list[Recorded], outcome: str) -> int:
        return sum(1 for i in items if i.outcome == outcome)

    if args.json:
        data = {
            "weeks": [
                {
                    "week_start": monday.isoformat(),
                    "planned": counted(items, "planned"),
                    "attended": counted(items, "attended"),
                    "skipped": counted(items, "skipped"),
                    "events": [
                        {
                            "key": i.event.key,
                            "title": i.event.summary,
                            "start": i.event.start.isoformat(),
                            "end": i.event.end.isoformat(),
                            "status": i.outcome,
                            "note": i.note,
                            "category": i.event.category,
                            "cost": i.event.cost,
                        }
                        for i in items
                    ],
                }
                for monday, items in ordered
            ],
            "streak": streak,
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    if not ordered:
        print(
            f"No week recorded in the last {_count(args.weeks, 'week')}: "
            "`planner plan` records the week it plans."
        )
    for monday, items in ordered:
        counts = ", ".join(
            f"{n} {outcome}"
            for outcome in ("planned", "attended", "skipped")
            if (n := counted(items, outcome)) or outcome == "planned"
        )
        print(f"Week of {wording.short_date(monday, year=True)}: {counts}")
        for item in items:
            print(f"  {_event_when(item.event):<26}{item.event.summary} ({item.outcome})")
            if item.note:
                print(f"  {'':<26}note: {item.note}")
    print(f"{_count(streak, 'week')} in a row with networking.")
    return 0


def _contents(store: Store) -> str:
    """What a store holds, in words: "3 decisions, 2 calendars (1 feed, 1 file copy), ..."."""
    from planner.core.model import is_feed

    choices = store.load_choices()
    decided = len(choices.pinned | choices.refused | set(choices.stars))
    sources = store.load_sources()
    feeds = sum(1 for s in sources if is_feed(s.path))
    copies = len(store.copied_files())
    typed = len(store.load_added())
    far = (datetime(1970, 1, 1, tzinfo=UTC), datetime(2200, 1, 1, tzinfo=UTC))
    recorded = len(store.recorded(*far))  # skipped ones too: all a backup holds
    parts = [
        f"{_count(decided, 'decision')} ({len(choices.pinned)} committed, "
        f"{len(choices.refused)} refused, {len(choices.stars)} rated)"
        if decided
        else "no decisions",
        f"{_count(len(sources), 'calendar')} ({_count(feeds, 'feed')}, "
        f"{copies} file {'copy' if copies == 1 else 'copies'})",
        _count(typed, "typed event"),
        f"{_count(recorded, 'event')} in the history",
    ]
    return ", ".join(parts)


def run_backup(args: argparse.Namespace) -> int:
    """``planner backup FILE``: everything kept, with the settings file's text, in one file."""
    _settings, settings_path = _saved_settings(args.settings)
    target: Path = args.file
    from planner.core.saved import BackupError, back_up

    with _open_store() as store:
        try:
            warning = back_up(store, target, settings_path)
        except BackupError as exc:
            raise CommandError(str(exc), EXIT_USAGE if exc.bad_target else 1) from None
        if warning:
            print(f"planner: warning: {warning}", file=sys.stderr)
        contents = _contents(store)
        kept = store.load_settings()
    print(f"Backed up to {target}: {contents}.")
    if kept is not None and kept.text.strip():
        print(f"With the settings file {kept.path}.")
    return 0


def _zone_after_restore(written: Settings | None, path: Path | None) -> ZoneInfo:
    """The time zone the next plan uses: the restored settings when they were written, else
    the settings file's (the defaults' when it cannot be read: the restore is done)."""
    if written is not None:
        return written.zone
    try:
        return _saved_settings(path)[0].zone
    except CommandError:
        from planner.core.settings import Settings

        return Settings().zone


def run_restore(args: argparse.Namespace) -> int:
    """``planner restore FILE``: replace everything kept with a backup, after saving it.

    The policy (what is saved first, when the settings file changes) is the core's
    :func:`planner.core.saved.restore_backup`, which the window follows too; this says
    what it did.
    """
    from planner.core.model import source_name
    from planner.core.saved import (
        RestoreError,
        SettingsOutcome,
        default_settings_path,
        restore_backup,
    )
    from planner.core.storage.file_copies import copy_moment

    source: Path = args.file
    if not source.is_file():  # said before the store is opened (and made, for a new user)
        raise CommandError(f"{source}: no such backup file", EXIT_USAGE)
    target = args.settings or default_settings_path()
    with _open_store() as store:
        try:
            restored = restore_backup(
                store, source, settings_path=target, settings_too=args.settings_too
            )
        except RestoreError as exc:
            raise CommandError(str(exc), EXIT_USAGE if exc.bad_backup else 1) from None
        contents = _contents(store)
    print(f"Restored from {source}: {contents}.")
    if restored.saved_as is not None:
        print(
            f"What you had before is saved as {restored.saved_as} "
            "(`planner restore` it to go back)."
        )
    zone = _zone_after_restore(restored.settings.settings, args.settings)
    for path, read_at in restored.from_copies:
        print(
            f"{source_name(path)} is not on this computer: planned from its copy in the "
            f"backup, read {copy_moment(read_at, zone)}."
        )
    for path in restored.missing:
        print(
            f"planner: warning: {path} is not on this computer: put it back, or "
            f"`planner sources remove {source_name(path)}`",
            file=sys.stderr,
        )
    settings = restored.settings
    match settings.outcome:
        case SettingsOutcome.SAME:
            print(f"Settings: the backup's are those in {target} already.")
        case SettingsOutcome.LEFT:
            print(
                f"Settings: the backup holds the settings file {settings.origin}; not written. "
                f"`planner restore {source} --settings-too` writes it to {target}."
            )
        case SettingsOutcome.WRITTEN:
            kept = (
                f" (the previous one is {settings.kept_as.name})"
                if settings.kept_as is not None
                else ""
            )
            print(f"Settings: written to {target}{kept}.")
        case SettingsOutcome.INVALID | SettingsOutcome.UNWRITABLE:
            raise CommandError(settings.problem)
    return 0

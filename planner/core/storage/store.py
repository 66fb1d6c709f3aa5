"""Everything the user decided, kept in one local SQLite database, so nothing is lost.

:class:`Store` is the one object the rest of planner holds: the window, the
CLI, the session and the feed refresher call its methods and never see SQL.
Behind it each module of :mod:`planner.core.storage` does one job, as khal's
calendar facade sits over its backend:

- :mod:`~planner.core.storage.database`: the file, its schema and migrations,
  transactions (every write commits, fsync'd, before it returns);
- :mod:`~planner.core.storage.codec`: events and instants as text;
- :mod:`~planner.core.storage.decisions`: committed, refused, stars, notes;
- :mod:`~planner.core.storage.state`: typed events, the settings file, the week
  shown, and :meth:`Store.save_state`, the session's write after every change;
- :mod:`~planner.core.storage.sources`: imported calendars and feeds' copies,
  merged events and their changes;
- :mod:`~planner.core.storage.feed_venues`: venues read from feed events' pages;
- :mod:`~planner.core.storage.undo_log`: the undo history the window and the terminal
  share, written with the change it records;
- :mod:`~planner.core.storage.history`: planned and attended weeks;
- :mod:`~planner.core.storage.parse_cache`: parsed calendar files;
- :mod:`~planner.core.storage.file_copies`: the last read copy of each imported file;
- :mod:`~planner.core.storage.backups`: export and checked import.

Other modules import the records, the codec and the schema from the module
that defines them; :class:`StoreError` and :class:`ReadOnlyStoreError` are re-exported
beside :class:`Store`, as everything that opens a store handles them. It never imports Qt.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from planner.core.model import (
    Choices,
    Event,
    Place,
    Plan,
    Problem,
    Severity,
    Source,
    source_name,
)
from planner.core.storage import (
    backups,
    decisions,
    feed_venues,
    file_copies,
    history,
    parse_cache,
    publish_queue,
    state,
    undo_log,
)
from planner.core.storage import sources as calendar_rows  # "sources" is a parameter name
from planner.core.storage.caldav_state import CalDAVCalendars
from planner.core.storage.database import (
    Database,
    ReadOnlyStoreError,
    StoreError,
)
from planner.core.storage.decisions import DecisionKind
from planner.core.storage.feed_venues import VenueWanted
from planner.core.storage.file_copies import FileCopy, KeptCopy
from planner.core.storage.history import HistoryStatus, Recorded, WeekNumbers
from planner.core.storage.publish_queue import QueuedWeek, Waiting
from planner.core.storage.sources import (
    EventChange,
    MergeResult,
    SourceRecord,
    VersionedEvent,
)
from planner.core.storage.state import StoredSettings
from planner.core.storage.undo_log import Kept, Stack, Step, Written

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

    from planner.core.calendars.reading import ImportResult

__all__ = ["ReadOnlyStoreError", "Store", "StoreError"]


class Store:
    """The local database: open with :meth:`open`, close with :meth:`close` or ``with``.

    Every method that writes commits before it returns; the methods are safe to
    call from several threads (one lock serialises them).
    """

    def __init__(self, database: Database) -> None:
        self._db = database
        self.path = database.path

    @classmethod
    def open(cls, path: Path | str | None = None) -> Store:
        """Open (creating or updating) the database; a newer one raises :class:`StoreError`."""
        return cls(Database.open(path))

    def close(self) -> None:
        self._db.close()

    @property
    def read_only(self) -> str:
        """Why nothing can be kept ("" when it can): the data folder is read-only."""
        return self._db.read_only

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self._db.schema_version

    def integrity_check(self) -> str:
        """SQLite's own check of the whole file: "ok", or what is damaged."""
        return self._db.integrity_check()

    # --- decisions ----------------------------------------------------------------------
    def set_decision(self, key: str, decision: DecisionKind, stars: int | None = None) -> None:
        """Record one event's decision and rating as they are now (its note is kept).

        Called when the user decides, so that the decision is on disk before the
        window shows it as made.
        """
        decisions.set_decision(self._db, key, decision, stars)

    def set_note(self, key: str, note: str) -> None:
        """Keep the user's own words about an event (why they refused it, whom to meet)."""
        decisions.set_note(self._db, key, note)

    def notes(self) -> dict[str, str]:
        return decisions.notes(self._db)

    def save_choices(self, choices: Choices) -> None:
        """Make the stored decisions equal ``choices`` in one transaction (after an undo,
        several change at once); rows already equal are not rewritten, notes are kept."""
        decisions.save_choices(self._db, choices)

    def load_choices(self) -> Choices:
        return decisions.load_choices(self._db)

    # --- sources, typed events, settings, the week shown --------------------------------
    def save_sources(self, sources: Sequence[Source]) -> None:
        """Keep the imported calendars in order; a removed one loses its feed copy and
        events (decisions about them stay), one kept keeps its validators and copy."""
        calendar_rows.save_sources(self._db, sources)

    def add_source(self, source: Source) -> None:
        """Remember one calendar (after the others) unless it is known already."""
        calendar_rows.add_source(self._db, source)

    def load_sources(self) -> tuple[Source, ...]:
        return calendar_rows.load_sources(self._db)

    def set_source_category(self, location: str, category: str) -> None:
        """The category an imported calendar gives its events when they name none."""
        calendar_rows.set_source_category(self._db, location, category)

    def source_record(self, location: str) -> SourceRecord | None:
        return calendar_rows.source_record(self._db, location)

    def save_added(self, events: Sequence[Event]) -> None:
        """Keep the events the user typed, in order, replacing the stored ones."""
        state.save_added(self._db, events)

    def save_state(
        self, choices: Choices, sources: Sequence[Source], added: Sequence[Event]
    ) -> None:
        """Make the stored decisions, calendars and typed events these, in one transaction:
        the session calls it after every change, undo and redo. (The settings file is kept
        by :meth:`save_settings` when it is written, since a :class:`Settings` object does
        not say which file it came from.)
        """
        state.save_state(self._db, choices, sources, added)

    # --- the shared undo history ---------------------------------------------------------
    def record_step(self, step: Step) -> Written:
        """Apply a change (only what it changed: the other decisions stay as another
        planner may have left them) and put it on top of the undo stack, in one transaction."""
        return undo_log.record(self._db, step)

    def move_step(self, step: Step, to: Stack) -> Written:
        """Undo (``to="redo"``) or redo (``to="undo"``) a step, in one transaction."""
        return undo_log.move(self._db, step, to)

    def reset_state(
        self, choices: Choices, sources: tuple[Source, ...], added: tuple[Event, ...]
    ) -> Written:
        """Replace the whole state and forget the undo history (a restore)."""
        return undo_log.reset(self._db, choices, sources, added)

    def revision(self) -> int:
        """Counts every write of the state: a session that knows an older one reads again."""
        return undo_log.revision(self._db)

    def load_kept(self) -> Kept:
        """The state and the undo and redo stacks, read at one moment."""
        return undo_log.load(self._db)

    def load_added(self) -> tuple[Event, ...]:
        return state.load_added(self._db)

    def save_settings(self, path: Path | str, text: str | None = None) -> None:
        """Remember the settings file and its text (read from the file when not given), so a
        backup holds the user's rules even if the file itself is lost."""
        state.save_settings(self._db, path, text)

    def load_settings(self) -> StoredSettings | None:
        return state.load_settings(self._db)

    def save_week(self, day: date) -> None:
        """The week the window showed last, to open on it next time."""
        state.save_week(self._db, day)

    def last_week(self) -> date | None:
        return state.last_week(self._db)

    def save_value(self, name: str, value: str) -> None:
        """Remember one small piece of the app's state (when changes were last seen)."""
        state.save_value(self._db, name, value)

    def value(self, name: str) -> str | None:
        return state.value(self._db, name)

    def feed_copies(
        self, feeds: Sequence[Source], start: datetime, end: datetime
    ) -> tuple[list[Event], list[Event], list[Problem]]:
        """The events of each feed in [start, end), as last merged: (commitments,
        candidates, problems). A feed with no copy yet is an ERROR (nothing of it is in the
        week); one whose last refresh failed but that has an earlier copy is a WARNING (that
        copy is used). A stored error is a whole sentence naming its own host: no source."""
        mine: list[Event] = []
        theirs: list[Event] = []
        problems: list[Problem] = []
        for source in feeds:
            record = self.source_record(source.path)
            if record is None or not record.has_copy:
                if record is not None and record.last_error:
                    problems.append(Problem("", record.last_error, severity=Severity.ERROR))
                else:
                    name = source_name(source.path)
                    problems.append(Problem(name, "not downloaded yet", severity=Severity.ERROR))
                continue
            if record.last_error:
                problems.append(Problem("", record.last_error))
            events = feed_venues.events_with_venues(self._db, source.path, start, end)
            (mine if source.role == "commitments" else theirs).extend(events)
        return mine, theirs, problems

    def place_fixes(self) -> dict[str, str]:
        """The user's fixes of approximate places, by location text (see
        :func:`planner.core.travel.place_text.location_key`)."""
        return state.place_fixes(self._db)

    def fix_place(self, location: str, fixed: str) -> None:
        """Place every event at ``location`` (its key) by ``fixed``: an address, "lat, lon"
        or a saved place's name; "" forgets the fix."""
        state.fix_place(self._db, location, fixed)

    def changes_seen(self) -> datetime:
        """When the user last dismissed the list of feed changes (long ago if never)."""
        return state.changes_seen(self._db)

    def mark_changes_seen(self, when: datetime) -> None:
        state.mark_changes_seen(self._db, when)

    # --- history ------------------------------------------------------------------------
    def record_week(self, plan: Plan) -> None:
        """Remember what the plan of a week chose (status "planned"), for monthly quotas
        and the streak; an event the new plan dropped is forgotten unless attended."""
        history.record_week(self._db, plan)

    def record_event(self, event: Event, week_start: date) -> None:
        """Keep ``event`` in its week's history if no plan recorded it (the user marked
        an event that was left out, or a week never planned here)."""
        history.record_event(self._db, event, week_start)

    def recorded(self, start: datetime, end: datetime) -> list[Recorded]:
        """Recorded events starting in [start, end) with the user's mark and note."""
        return history.recorded(self._db, start, end)

    def history_weeks(self, first: date, last: date) -> list[WeekNumbers]:
        """Per-week numbers from the Monday ``first`` to the Monday ``last``, empty weeks
        included: what the History view charts."""
        return history.recorded_weeks(self._db, first, last)

    def mark_attended(self, keys: Iterable[str]) -> int:
        """Mark recorded events as attended; returns how many rows that changed."""
        return history.mark_attended(self._db, keys)

    def history(
        self, start: datetime, end: datetime, status: HistoryStatus | None = None
    ) -> list[Event]:
        """Recorded events starting in [start, end), earliest first.

        For a month's quotas pass the local midnight of its first day and of the next
        month's; ``status`` keeps only planned or only attended events.
        """
        return history.history(self._db, start, end, status)

    def streak(self, today: date, *, with_events: Iterable[date] = ()) -> int:
        """Weeks in a row with at least one planned or attended event, ending this week
        (or last week, so that a streak is not lost on a Monday before planning).
        ``with_events``: Mondays known to hold one whose record may still be on its way
        to the store (queued on the background writer)."""
        return history.streak(self._db, today, with_events)

    # --- the parsed-calendar cache ------------------------------------------------------
    def cached_events(
        self, path: str, mtime_ns: int, size: int, zone: str, start: datetime, end: datetime
    ) -> ImportResult | None:
        """What reading ``path`` for [start, end) in ``zone`` gave last time, if the file
        has the same size and modification time and this planner version parsed it."""
        return parse_cache.cached_events(self._db, path, mtime_ns, size, zone, start, end)

    def cache_events(
        self,
        path: str,
        mtime_ns: int,
        size: int,
        zone: str,
        start: datetime,
        end: datetime,
        result: ImportResult,
    ) -> None:
        """Keep a parse result; older versions of the file and the least recently cached
        windows are dropped, so the cache stays small."""
        parse_cache.cache_events(self._db, path, mtime_ns, size, zone, start, end, result)

    # --- copies of imported calendar files --------------------------------------------
    def read_calendar(
        self, path: Path | str, zone: ZoneInfo, start: datetime, end: datetime
    ) -> ImportResult:
        """Read a calendar file for [start, end): an unchanged file from the parse cache, a
        new or changed imported file once (its copy kept), a missing one from its copy
        (with a warning); see :func:`planner.core.storage.file_copies.read_kept`."""
        return file_copies.read_kept(self._db, self, path, zone, start, end)

    def keep_file_copy(self, location: str, now: datetime) -> KeptCopy:
        """Bring the copy of an imported file up to date (at import, before a backup)."""
        return file_copies.keep_copy(self._db, location, now)

    def file_copy(self, location: str) -> FileCopy | None:
        """The facts of an imported file's kept copy (not its bytes), or None."""
        return file_copies.copy_record(self._db, location)

    def file_copy_body(self, location: str) -> bytes | None:
        """The bytes of an imported file as last read, or None."""
        return file_copies.copy_body(self._db, location)

    def copied_files(self) -> set[str]:
        """The imported files whose copy the store holds."""
        return file_copies.copied_locations(self._db)

    # --- feeds --------------------------------------------------------------------------
    def save_fetch(
        self,
        location: str,
        *,
        body: bytes,
        etag: str,
        last_modified: str,
        fetched_at: datetime,
        refresh: timedelta,
    ) -> None:
        """Keep a feed's new good copy and its validators, and clear its last error."""
        calendar_rows.save_fetch(
            self._db,
            location,
            body=body,
            etag=etag,
            last_modified=last_modified,
            fetched_at=fetched_at,
            refresh=refresh,
        )

    def save_not_modified(self, location: str, fetched_at: datetime) -> None:
        """The server confirmed the copy is current (HTTP 304)."""
        calendar_rows.save_not_modified(self._db, location, fetched_at)

    def save_fetch_error(self, location: str, error: str, next_refresh: datetime) -> None:
        """Note why a refresh failed; the last good copy and its events stay as they were."""
        calendar_rows.save_fetch_error(self._db, location, error, next_refresh)

    def feed_body(self, location: str) -> bytes | None:
        """The last good copy of a feed, exactly as the server sent it."""
        return calendar_rows.feed_body(self._db, location)

    def merge_feed(
        self,
        location: str,
        incoming: Sequence[VersionedEvent],
        start: datetime,
        end: datetime,
        now: datetime,
        uids: Set[str] | None = None,
    ) -> MergeResult:
        """Merge a feed's events for [start, end) into the stored ones, by (UID, RECURRENCE-ID)
        (see :func:`planner.core.storage.sources.merge_feed`)."""
        return calendar_rows.merge_feed(self._db, location, incoming, start, end, now, uids)

    def feed_events(self, location: str, start: datetime, end: datetime) -> list[Event]:
        """The present events of a feed touching [start, end), as merged."""
        return calendar_rows.feed_events(self._db, location, start, end)

    def venues_wanted(self, now: datetime) -> list[VenueWanted]:
        """Candidate feed events without a place but with a link whose venue is not kept
        for their current copy (see :mod:`~planner.core.storage.feed_venues`)."""
        return feed_venues.wanted(self._db, now)

    def keep_venue(
        self, item: VenueWanted, place: Place | None, failure: str, fetched_at: datetime
    ) -> None:
        """Keep the venue read from ``item``'s page, or why none was, with its version."""
        feed_venues.keep(self._db, item, place, failure, fetched_at)

    def feed_changes(self, since: datetime) -> list[EventChange]:
        """Every logged change to a feed event after ``since``, oldest first."""
        return calendar_rows.feed_changes(self._db, since)

    @property
    def caldav(self) -> CalDAVCalendars:
        """The CalDAV calendars' accounts and sync state (see :mod:`.caldav_state`)."""
        return CalDAVCalendars(self._db)

    # --- backup -------------------------------------------------------------------------
    def export_backup(self, path: Path | str) -> None:
        """Write everything (decisions, calendars and feed copies, typed events, settings,
        history) to one self-contained SQLite file; it appears whole or not at all."""
        backups.export_backup(self._db, path)

    def import_backup(self, path: Path | str) -> None:
        """Replace everything with a backup, after checking it; on any doubt nothing changes."""
        backups.import_backup(self._db, path)

    # --- the publish queue (planner/core/storage/publish_queue.py) -----------------------
    def keep_publish_queue(
        self,
        calendar_url: str,
        user: str,
        week_start: date,
        items: Sequence[Waiting],
        now: datetime,
    ) -> None:
        """What publishing a week to a calendar left unwritten (none: it leaves the queue)."""
        publish_queue.keep(self._db, calendar_url, user, week_start, items, now)

    def publish_waiting(self, calendar_url: str | None = None) -> list[QueuedWeek]:
        """The weeks still to publish (to one calendar, or to any)."""
        return publish_queue.waiting(self._db, calendar_url)

"""Feeds and CalDAV calendars refreshed through one door, each the right way.

Both are sources at an address (``is_feed``) whose last good copy planning
uses; a feed is downloaded (:func:`planner.core.storage.feeds.refresh`), a CalDAV
calendar synchronised (:func:`planner.core.caldav.sync.sync`). The command line
and the window call :func:`refresh_each` and never need to know which is which;
each source is refreshed on its own, so one failing never keeps the next from
being asked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from planner.core.caldav import credentials
from planner.core.caldav.session import Timeouts
from planner.core.caldav.sync import SyncResult, label, sync
from planner.core.model import Source, source_name
from planner.core.storage import feeds
from planner.core.storage.feeds import FeedResult
from planner.core.storage.store import Store

Result = FeedResult | SyncResult


def refresh_each(
    store: Store,
    sources: Iterable[Source],
    now: datetime,
    *,
    zone: ZoneInfo | None = None,
    ask: credentials.Ask | None = None,
    timeouts: Timeouts | None = None,
) -> Iterator[tuple[Source, Result]]:
    """Refresh each source in turn (a feed downloaded, a CalDAV calendar synchronised)."""
    caldav = store.caldav.locations()
    for source in sources:
        if source.path in caldav:
            yield source, sync(store, source, now, zone=zone, timeouts=timeouts, ask=ask)
        else:
            yield source, feeds.refresh(store, source, now, zone=zone)


def name_of(store: Store, location: str) -> str:
    """How a source is named to the user: a CalDAV calendar as "Work (host)", others by
    :func:`~planner.core.model.source_name`."""
    state = store.caldav.state(location)
    if state is None:
        return source_name(location)
    return label(state.display_name, location)


def detail(result: Result) -> str:
    """What a refresh did, in a few words ("1 new (incremental)", "changed", "no change")."""
    if isinstance(result, SyncResult):
        return result.detail
    if result.error:
        return result.error
    return "changed" if result.changed else "no change"

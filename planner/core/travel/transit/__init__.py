"""Transit by the timetable: GTFS feeds read into a compact form, and a RAPTOR router.

- :mod:`.gtfs`: reading a feed (zip or folder) row by row, bounded, bad rows as Problems;
- :mod:`.compact`: patterns and trips as numpy arrays, kept in the cache folder;
- :mod:`.network`: feeds joined, footpaths between stops, the patterns running each day;
- :mod:`.raptor`: the earliest-arrival search, one-to-all, in rounds;
- :mod:`.timetables`: :class:`Timetables` (load, ``earliest_arrival``,
  ``latest_departure``, ``last_departure``), :class:`FeedInfo`;
- :mod:`.journey`: :class:`Journey` (the answer) and its text form;
- :mod:`.kept`: the answers kept in the cache folder for the next run.

May import: planner.core.settings, planner.core.model, planner.core.logs and the rest of
planner.core.travel (the walking and driving models of :mod:`..estimate`). Never text,
calendars or anything above.
"""

from planner.core.travel.transit.journey import Journey
from planner.core.travel.transit.timetables import (
    FeedInfo,
    Timetables,
    default_cache_dir,
    forget_timetables,
    timetables_for,
)

__all__ = [
    "FeedInfo",
    "Journey",
    "Timetables",
    "default_cache_dir",
    "forget_timetables",
    "timetables_for",
]

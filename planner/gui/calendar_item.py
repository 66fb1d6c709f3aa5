"""The plain items the week view draws, and their layout in time.

The week view must not know about the core's events, decisions and trips: the
main window converts those into these small frozen records, one per block to
draw. Keeping the view's input this flat makes it trivial to test and lets the
core change without touching the painting code.

The time layout (cutting items into days, clipping, packing overlaps into
columns) is here too because it needs no pixels: it is pure Python, tested
without Qt, and the widget only scales its result. No Qt here on purpose.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo


class ItemKind(enum.Enum):
    """What a block is, which decides how it is drawn and laid out."""

    COMMITMENT = "commitment"
    """Something the user already has (work, courses, hockey): muted."""
    PROPOSED = "proposed"
    """An event the optimiser suggests: strong accent colour."""
    PINNED = "pinned"
    """An event the user committed to: distinct colour and a pin marker."""
    TRAVEL = "travel"
    """Travel to or from an event; its ``key`` is the key of that event."""
    PROTECTED = "protected"
    """Protected time (e.g. weekends): shaded background, not clickable."""


@dataclass(frozen=True, slots=True)
class CalendarItem:
    """One thing to show in the week view.

    ``key`` is the identity used by selection and by ``itemActivated``. Travel
    blocks carry the key of the event they belong to, so clicking a travel block
    selects its event and the event is highlighted together with its travel.

    ``start`` and ``end`` must be timezone-aware (the view converts them to the
    zone of the week it shows). For ``all_day`` items only the dates count: the
    end date is exclusive when ``end`` falls on midnight, as in iCalendar.
    """

    key: str
    kind: ItemKind
    title: str
    start: datetime
    end: datetime
    detail: str = ""
    tooltip: str = ""
    all_day: bool = False
    note: str = ""
    """A short line drawn right under the title ("Leave 17:15" on a proposed event)."""
    short_title: str = ""
    """What a block too narrow for the title says instead ("15 min" for "drive 15 min")."""

    def __post_init__(self) -> None:
        # A naive datetime would be silently read as the machine's local time and
        # land in the wrong hour; fail loudly where the item is built instead.
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError(f"CalendarItem {self.key!r} needs timezone-aware datetimes")


MIN_HOURS = 0.25
"""Very short events and commitments are laid out this long so that their title shows."""


@dataclass(slots=True)
class Segment:
    """The part of an item inside one day of the week, in hours after that day's midnight.

    ``look`` is the kind whose colours the block wears: an event's own kind, and
    for a travel block the kind of its event. For all-day items ``day``..``last_day``
    is the span of days and ``row`` the row in the all-day strip.
    """

    item: CalendarItem
    day: int
    from_hour: float
    to_hour: float
    look: ItemKind
    column: int = 0
    columns: int = 1
    indent: int = 0
    """How many blocks this one is drawn over, shifted right (a short meeting inside a
    long block is drawn indented over it, as calendars do, not beside it)."""
    last_day: int = 0
    row: int = 0


@dataclass(slots=True)
class WeekSegments:
    """A week cut into per-day segments: what the view draws, before any pixel."""

    timed: list[list[Segment]] = field(default_factory=lambda: [[] for _ in range(7)])
    protected: list[list[Segment]] = field(default_factory=lambda: [[] for _ in range(7)])
    all_day: list[Segment] = field(default_factory=list)
    all_day_rows: int = 0


def _hours(moment: datetime) -> float:
    return moment.hour + moment.minute / 60 + moment.second / 3600


TYPICAL_DAY = (8, 18)
"""Hours always shown: a sparse week still reads as a day, not two hours stretched tall."""


def hour_span(
    items: Sequence[CalendarItem],
    week_start: date,
    tz: tzinfo,
    home_by: time | None = None,
    min_hours: float = MIN_HOURS,
) -> tuple[int, int]:
    """The whole hours to show: from the earliest timed block of the week to the latest.

    Travel counts (the drive home is part of the evening), and so does ``home_by``, the
    latest return the rules allow, so that a re-plan that moves the last event rarely
    moves the hours. Protected time and all-day items are background and do not count;
    a block crossing midnight needs both ends of the day. The span always covers
    :data:`TYPICAL_DAY`.
    """
    low, high = float(TYPICAL_DAY[0]), float(TYPICAL_DAY[1])
    if home_by is not None:
        high = max(high, home_by.hour + home_by.minute / 60 + home_by.second / 3600)
    begin = datetime.combine(week_start, time(), tz)
    end = datetime.combine(week_start + timedelta(7), time(), tz)
    for item in items:
        if item.all_day or item.kind is ItemKind.PROTECTED:
            continue
        s, e = item.start.astimezone(tz), max(item.start, item.end).astimezone(tz)
        if e <= begin or s >= end:
            continue
        s, e = max(s, begin), min(e, end)
        next_midnight = datetime.combine(s.date() + timedelta(1), time(), tz)
        if e > next_midnight:  # on two days: the evening of one and the morning of the next
            low, high = 0.0, 24.0
            break
        h0, h1 = _hours(s), 24.0 if e == next_midnight else _hours(e)
        if item.kind is not ItemKind.TRAVEL:
            h1 = min(24.0, max(h1, h0 + min_hours))
        low, high = min(low, h0), max(high, h1)
    return math.floor(low), min(24, math.ceil(high))


def split_week(
    items: Sequence[CalendarItem],
    week_start: date,
    tz: tzinfo,
    first_hour: float = 0.0,
    last_hour: float = 24.0,
    min_hours: float = MIN_HOURS,
) -> WeekSegments:
    """Cut items into per-day segments in ``tz``, clipped to the week and the hour range.

    Positions use the wall-clock time of ``tz``, so a DST change does not shift
    the hours after it. Items are split at midnight; protected time goes to its
    own list (it is background), all-day items become chips packed into rows,
    and timed segments of each day are packed into columns by ``pack_columns``. An event
    or commitment shorter than ``min_hours`` is laid out longer, so that its title shows,
    up to the next block of the day: never so long that it pushes a neighbour aside.
    """
    week = WeekSegments()
    bounds = [datetime.combine(week_start + timedelta(d), time(), tz) for d in range(8)]
    looks = {i.key: i.kind for i in items if i.kind in (ItemKind.PROPOSED, ItemKind.PINNED)}
    for item in items:
        kind = item.kind
        look = looks.get(item.key, ItemKind.PROPOSED) if kind is ItemKind.TRAVEL else kind
        if item.all_day:  # a floating date: its dates count as given, not converted
            end = item.end.date() - timedelta(1 if item.end.time() == time() else 0)
            d0 = (item.start.date() - week_start).days
            d1 = max(d0, (end - week_start).days)
            if kind is ItemKind.PROTECTED:
                for d in range(max(d0, 0), min(d1, 6) + 1):
                    week.protected[d].append(Segment(item, d, first_hour, last_hour, look))
            elif d1 >= 0 and d0 <= 6:
                chip = Segment(item, max(d0, 0), first_hour, last_hour, look, last_day=min(d1, 6))
                week.all_day.append(chip)
            continue
        s = item.start.astimezone(tz)
        e = max(s, item.end.astimezone(tz))  # an end before the start: shown as a short item
        for d in range(
            max(0, (s.date() - week_start).days), min(6, (e.date() - week_start).days) + 1
        ):
            seg_s, seg_e = max(s, bounds[d]), min(e, bounds[d + 1])
            if seg_e < seg_s or (seg_e == seg_s and s != e):
                continue  # an item ending at midnight has nothing in the next day
            h0 = _hours(seg_s)
            h1 = 24.0 if seg_e >= bounds[d + 1] else max(h0, _hours(seg_e))
            if kind not in (ItemKind.TRAVEL, ItemKind.PROTECTED):
                h1 = min(24.0, max(h1, h0 + MIN_HOURS))
            h0, h1 = max(h0, first_hour), min(h1, last_hour)
            if h1 > h0:
                target = week.protected if kind is ItemKind.PROTECTED else week.timed
                target[d].append(Segment(item, d, h0, h1, look))
    for day in week.timed:
        _lengthen_short(day, min_hours, last_hour)
        pack_columns(day)
    for day in week.protected:
        day.sort(key=lambda seg: seg.from_hour)
    row_ends: list[int] = []  # the last day taken in each row of the all-day strip
    for chip in sorted(week.all_day, key=lambda c: (c.day, c.day - c.last_day)):
        chip.row = next((r for r, end in enumerate(row_ends) if end < chip.day), len(row_ends))
        row_ends[chip.row : chip.row + 1] = [chip.last_day]
    week.all_day_rows = len(row_ends)
    return week


def _lengthen_short(day: list[Segment], min_hours: float, last_hour: float) -> None:
    """Lay short events and commitments out ``min_hours`` long, or up to the next start."""
    starts = sorted((seg.from_hour, seg.item.key) for seg in day)
    for seg in day:
        if seg.item.kind is ItemKind.TRAVEL or seg.to_hour - seg.from_hour >= min_hours:
            continue
        later = (h for h, key in starts if h >= seg.to_hour - 1e-9 and key != seg.item.key)
        limit = min(seg.from_hour + min_hours, last_hour, next(later, 24.0))
        seg.to_hour = max(seg.to_hour, limit)


NEST_RATIO = 0.5
"""A unit at most this share of a longer unit's span, and inside it, is drawn over it."""


def _nests_in(start: float, end: float, host_start: float, host_end: float) -> bool:
    """Whether a unit spanning ``start``..``end`` is a short one inside the host's span."""
    inside = host_start - 1e-9 <= start and end <= host_end + 1e-9
    return inside and (end - start) <= NEST_RATIO * (host_end - host_start) + 1e-9


def pack_columns(segments: list[Segment]) -> None:
    """Give overlapping segments of one day side-by-side columns, or indent them.

    An event and its travel share a key, so they are packed as one unit spanning
    all of them and always land in the same column. A unit that lies inside a
    unit at least twice as long (a meeting inside the working day) takes that
    unit's column and is drawn indented over it, one step further for each block
    it covers, instead of halving the day. Other units that overlap transitively
    form a cluster; each takes the first free column and the cluster's column
    count sets the width of all its members: true parallel overlaps of similar
    length share the day.
    """
    units: dict[str, list[Segment]] = {}
    for seg in segments:
        units.setdefault(seg.item.key, []).append(seg)
    spans = sorted(
        ((min(s.from_hour for s in u), max(s.to_hour for s in u), u) for u in units.values()),
        key=lambda span: (span[0], -span[1]),
    )
    cluster: list[Segment] = []
    col_ends: list[float] = []
    cluster_end = float("-inf")
    placed: list[tuple[float, float, int, int]] = []  # start, end, column, indent
    for start, end, unit in spans:
        if start >= cluster_end - 1e-9:
            for seg in cluster:
                seg.columns = len(col_ends)
            cluster, col_ends, cluster_end, placed = [], [], end, []
        hosts = [p for p in placed if p[3] == 0 and _nests_in(start, end, p[0], p[1])]
        if hosts:
            col = max(hosts, key=lambda p: p[0])[2]
            covered = [p[3] for p in placed if p[2] == col and p[0] < end and start < p[1]]
            indent = max(covered) + 1
        else:
            col = next((i for i, e in enumerate(col_ends) if e <= start + 1e-9), len(col_ends))
            col_ends[col : col + 1] = [end]
            indent = 0
        placed.append((start, end, col, indent))
        for seg in unit:
            seg.column, seg.indent = col, indent
        cluster.extend(unit)
        cluster_end = max(cluster_end, end)
    for seg in cluster:
        seg.columns = len(col_ends)

"""The bounds that keep a hostile calendar from hanging planner or filling its memory.

A calendar is data from anyone: a feed, an e-mail attachment, a file a tool
got wrong. Three kinds of input cost without limit, and each gets a bound
here, checked before or while the work is done, never after:

- **the file itself**: a folder, a device (``/dev/zero``), a pipe, or a file
  of gigabytes is refused from its ``stat`` alone, before a byte is read
  (:func:`refusal`);
- **a recurrence rule that repeats too often**: ``FREQ=SECONDLY``, or an
  ``HOURLY`` rule listing every minute and second, is refused from the rule
  itself when it can repeat more than :data:`MAX_PER_SERIES` times a week
  (:func:`runaway_rule`): the answer is the same whatever the week, so a
  series never appears one week and vanishes the next;
- **expanding what is left**: dateutil walks a rule from its first
  occurrence, and a rule whose days never exist (the 30th of February)
  walks to the year 9999 without yielding. :class:`Budget` expands each
  series under a deadline (:func:`deadline`) and a cap on occurrences, and
  the whole read under larger ones, skipping and reporting what exceeds them.

The numbers are in the README ("Reading calendars"); tests reproduce each
hostile input.
"""

from __future__ import annotations

import itertools
import math
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import FrameType
from typing import Any, TypeVar

MAX_FILE_BYTES = 512 << 20
"""The largest calendar file read (a ten-year calendar is tens of MB)."""

MAX_PER_SERIES = 5_000
"""Occurrences of one series in the window read (a week: the busiest real series, an
hourly one, has 168); a rule that can repeat more often than this in a week is refused."""

MAX_PER_READ = 50_000
"""Occurrences of all series together in one read (a week, or a feed's 190 days)."""

SERIES_SECONDS = 1.0
"""Time to expand one series whose rule can stall (:func:`may_stall`); real ones take
milliseconds."""

READ_SECONDS = 5.0
"""Time to expand all the series of one read."""

MAX_STEPS = 200_000
"""Periods of a rule walked from its first occurrence to the window (daily since 1600 is
under 150,000; hourly since 2010 is more)."""

_SECONDS = {"SECONDLY": 1, "MINUTELY": 60, "HOURLY": 3600}
_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 28, "YEARLY": 365}
_PERIOD_NAMES = {
    "SECONDLY": "second",
    "MINUTELY": "minute",
    "HOURLY": "hour",
    "DAILY": "day",
    "WEEKLY": "week",
    "MONTHLY": "month",
    "YEARLY": "year",
}
_THINNING = (
    "BYMONTH",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYSETPOS",
    "BYEASTER",
    "BYHOUR",
    "BYMINUTE",
    "BYSECOND",
)
_UNIT = {"SECONDLY": "second", "MINUTELY": "minute", "HOURLY": "hour"}
_WEEKDAYS = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"}


def refusal(path: Path) -> str:
    """Why ``path`` is not read at all ("" when it may be read), from ``stat`` alone.

    Opening a FIFO blocks until a writer comes, and ``/dev/zero`` or a sparse
    file of gigabytes never ends: neither is opened.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return "file not found"
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a pipe (FIFO), not a file; save the calendar to a file first"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    if not stat.S_ISREG(mode):
        return "is not a regular file"
    if info.st_size > MAX_FILE_BYTES:
        return (
            f"is {_size(info.st_size)}; planner reads calendar files up to {_size(MAX_FILE_BYTES)}"
        )
    return ""


def _size(count: int) -> str:
    if count >= 1 << 30:
        return f"{count / (1 << 30):.1f} GiB"
    return f"{count / (1 << 20):.0f} MiB"


def whole_number(text: str) -> int | None:
    """A non-negative integer written in ASCII digits, else None.

    ``str.isdigit()`` accepts "²" and "٣", which ``int()`` rejects or reads
    as something no calendar means.
    """
    text = text.strip()
    if text.isascii() and text.isdigit():
        return int(text)
    return None


# --- recurrence rules -----------------------------------------------------------------------


def _values(rule: Any, key: str) -> list[Any]:
    value = rule.get(key)
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _first_int(rule: Any, key: str) -> int | None:
    values = _values(rule, key)
    if not values:
        return None
    value = values[0]
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, datetime.min.time())
    return None


def runaway_rule(rule: Any, dtstart: Any, window_end: datetime) -> str:
    """Why a rule (icalendar's ``vRecur``, a dict) cannot be expanded, or "".

    Refused: an INTERVAL below 1 (RFC 5545 requires a positive one; dateutil
    never advances and loops forever); a rule that can repeat more than
    :data:`MAX_PER_SERIES` times in a week, an upper bound read from the rule
    (frequency, INTERVAL, the BYHOUR/BYMINUTE/BYSECOND lists, the weekdays of
    BYDAY), lowered by COUNT and by UNTIL when they end the series sooner (a
    rule every minute for one hour passes); and a rule whose expansion would
    walk more than :data:`MAX_STEPS` periods from its start to the window
    (dateutil starts every expansion at DTSTART: hourly since 2000 is 230,000
    steps).
    """
    if not hasattr(rule, "get"):
        return ""
    freq = str(_values(rule, "FREQ")[0]).upper() if _values(rule, "FREQ") else ""
    interval = _first_int(rule, "INTERVAL")
    if interval is None:
        interval = 1 if not _values(rule, "INTERVAL") else 0
    if interval < 1:
        shown = ",".join(str(v) for v in _values(rule, "INTERVAL"))
        return f"has INTERVAL={shown} in its RRULE (it must be 1 or more)"
    per_day = _per_day(rule, freq, interval)
    weekdays = {str(d).upper()[-2:] for d in _values(rule, "BYDAY")} & _WEEKDAYS
    bound = per_day * (len(weekdays) or 7)
    count = _first_int(rule, "COUNT")
    if count is not None and count >= 0:
        bound = min(bound, count)
    until = _as_datetime(_values(rule, "UNTIL")[0]) if _values(rule, "UNTIL") else None
    start = _as_datetime(dtstart)
    if until is not None and start is not None:
        try:
            span = until - start
        except TypeError:  # one aware, one floating: compare their wall clocks
            span = until.replace(tzinfo=None) - start.replace(tzinfo=None)
        if span.total_seconds() < 7 * 86400:
            bound = min(bound, per_day * (math.ceil(max(span.total_seconds(), 0) / 86400) + 1))
    if bound > MAX_PER_SERIES:
        pace = _how_often(freq, interval, per_day)
        return f"{pace}; more than {MAX_PER_SERIES:,} occurrences a week"
    steps = _steps(freq, interval, per_day, start, until, window_end)
    if count is not None and count >= 0 and not _thinned(rule):
        steps = min(steps, count)
    if steps > MAX_STEPS and start is not None:
        pace = _how_often(freq, interval, per_day) if freq in _SECONDS else ""
        pace = pace or f"repeats every {_PERIOD_NAMES.get(freq, 'period')}"
        return (
            f"{pace} since {start.year}: more than {MAX_STEPS:,} repetitions to go through "
            "before the dates read"
        )
    return ""


def _steps(
    freq: str,
    interval: int,
    per_day: int,
    start: datetime | None,
    until: datetime | None,
    window_end: datetime,
) -> int:
    """About how many steps dateutil takes from the rule's start to the end of the window:
    its periods, or for a rule within the day, its times a day (dateutil skips the hours,
    minutes and seconds a BY-list leaves out without trying each)."""
    if start is None:
        return 0
    last = window_end if until is None else min(until, window_end, key=_naive)
    seconds = (_naive(last) - _naive(start)).total_seconds()
    if freq in _SECONDS:
        return max(0, math.ceil(seconds / 86400 * per_day))
    return max(0, math.ceil(seconds / (_DAYS.get(freq, 1) * 86400 * interval)))


def _naive(value: datetime) -> datetime:
    """Wall clock, for estimates (a zone's offset is hours; the periods counted are many)."""
    return value.replace(tzinfo=None)


def _thinned(rule: Any) -> bool:
    """Whether a BY-part other than plain weekdays can leave periods without an occurrence."""
    for key in _THINNING:
        if _values(rule, key):
            return True
    return any(str(day).upper() not in _WEEKDAYS for day in _values(rule, "BYDAY"))


def may_stall(rule: Any) -> bool:
    """Whether dateutil can search for long without finding an occurrence of this rule.

    A rule whose BY-parts never meet (BYMONTH=2;BYMONTHDAY=30, BYSETPOS=9)
    makes dateutil try every period up to the year 9999 without yielding one
    (5-11 s): such rules are expanded under :func:`deadline`. A rule without
    them has an occurrence in every period and is bounded by
    :func:`runaway_rule` alone (tracing costs a few times the expansion).
    """
    return hasattr(rule, "get") and _thinned(rule)


def _per_day(rule: Any, freq: str, interval: int) -> int:
    """At most how many occurrences one day of the rule can hold."""
    hours = len(set(_values(rule, "BYHOUR"))) or None
    minutes = len(set(_values(rule, "BYMINUTE"))) or None
    seconds = len(set(_values(rule, "BYSECOND"))) or None
    if freq == "SECONDLY":
        return min(math.ceil(86400 / interval), (hours or 24) * (minutes or 60) * (seconds or 60))
    if freq == "MINUTELY":
        return min(math.ceil(1440 / interval), (hours or 24) * (minutes or 60)) * (seconds or 1)
    if freq == "HOURLY":
        return min(math.ceil(24 / interval), hours or 24) * (minutes or 1) * (seconds or 1)
    return (hours or 1) * (minutes or 1) * (seconds or 1)


def _how_often(freq: str, interval: int, per_day: int) -> str:
    """The rule's pace in words: "every second", "every 2 minutes", "up to 120 times a day"."""
    for seconds, name in ((1, "second"), (60, "minute"), (3600, "hour")):
        if per_day == 86400 // seconds:
            return f"repeats every {name}"
    unit = _UNIT.get(freq)
    if unit and per_day == math.ceil(86400 / (interval * _SECONDS[freq])):
        return f"repeats every {interval} {unit}s"
    return f"repeats up to {per_day:,} times a day"


# --- bounded expansion ----------------------------------------------------------------------


class TooLong(BaseException):
    """Raised inside the code being run when its :func:`deadline` passes.

    A BaseException, so that no ``except Exception`` in a library on the way
    can swallow it.
    """


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`TooLong` in the code run inside when ``seconds`` have passed.

    A loop in pure Python that never yields (dateutil looking for a 30th of
    February until the year 9999) cannot be stopped by checking the clock
    between its results; a trace function sees every Python function it
    calls and raises there (a loop of C calls alone would not be seen; the
    regular expressions on the way are linear for that reason). Only this
    thread is traced, and a tracer already set (a debugger, coverage) keeps
    running. What was interrupted must be thrown away, as :class:`Budget`
    throws away the series: a cached dateutil rule, for one, keeps the lock
    it held when the exception came.
    """
    previous: Any = sys.gettrace()
    limit = time.monotonic() + seconds
    calls = 0

    def tracer(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal calls
        calls += 1
        if not calls & 63 and time.monotonic() > limit:
            raise TooLong
        return previous(frame, event, arg) if previous is not None else None

    sys.settrace(tracer)
    try:
        yield
    finally:
        sys.settrace(previous)


T = TypeVar("T")


@dataclass(slots=True)
class Budget:
    """What one read may spend expanding series: time and occurrences, shared by its series,
    and each series' own share."""

    seconds: float = READ_SECONDS
    occurrences: int = MAX_PER_READ
    series_seconds: float = SERIES_SECONDS
    series_occurrences: int = MAX_PER_SERIES
    spent: float = 0.0
    held: int = 0

    def take(self, occurrences: Callable[[], Iterable[T]], *, stalls: bool = True) -> list[T] | str:
        """The occurrences of one series, or why it was skipped.

        ``occurrences`` makes the (lazy) iterable; it stops one past the cap,
        so that neither a runaway series nor a million small ones holds more
        than the bound in memory. When it ``stalls`` (:func:`may_stall`), it
        runs under the smaller of the series' and the read's remaining time.
        """
        if self.held >= self.occurrences:
            return self._full()
        if self.spent >= self.seconds:
            return (
                f"not expanded: expanding this read's series already took {self.seconds:g} s "
                "(the limit for one read)"
            )
        cap = min(self.series_occurrences, self.occurrences - self.held)
        allowed = min(self.series_seconds, self.seconds - self.spent)
        began = time.monotonic()
        try:
            with deadline(allowed) if stalls else nullcontext():
                taken = list(itertools.islice(occurrences(), cap + 1))
        except TooLong:
            return f"expanding it took more than {allowed:.2g} s"
        finally:
            self.spent += time.monotonic() - began
        if len(taken) > cap:
            if cap == self.series_occurrences:
                return f"more than {cap:,} occurrences in the dates read"
            self.held = self.occurrences
            return self._full()
        self.held += len(taken)
        return taken

    def _full(self) -> str:
        return (
            f"not expanded: this read already holds {self.occurrences:,} occurrences "
            "(the limit for one read)"
        )


__all__ = [
    "MAX_FILE_BYTES",
    "MAX_PER_READ",
    "MAX_PER_SERIES",
    "READ_SECONDS",
    "SERIES_SECONDS",
    "Budget",
    "TooLong",
    "deadline",
    "may_stall",
    "refusal",
    "runaway_rule",
    "whole_number",
]

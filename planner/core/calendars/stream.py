"""Reading only the part of a calendar that matters, fast and in bounded memory.

icalendar parses every property of every event into objects, which for a
10-year calendar takes seconds and, for a 66 MB file, gigabytes. planner
needs one week at a time. This module streams the file line by line
(decoding, fixing line endings, unfolding), keeps the calendar's header and
time zones, and keeps only the VEVENT blocks that *can* have an occurrence
in the requested window: a one-off event near it, a recurring series that
has not ended before it, an override (RECURRENCE-ID) of an occurrence in or
moved into it. Everything else is dropped unparsed. What is kept is then
parsed by icalendar and expanded by recurring-ical-events as usual, so the
occurrences are exactly those of a full parse (tests compare the two).

The screen is deliberately conservative: when a block's dates cannot be read
cheaply, it is kept and left to icalendar, which reports the problem.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import BinaryIO
from zoneinfo import ZoneInfo

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

from planner.core.model import Problem, Severity

# Time zones reach at most +-14 h and a series' first occurrence may start a day
# before the window it spills into: compare dates with this much slack.
SLACK = timedelta(days=2)
# Digits are ASCII (re.ASCII): \d would also match "٢٠٢٦", which int() reads but which
# compares as text unlike the window's dates (an event dropped unseen).
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})", re.ASCII)
_UNTIL = re.compile(r"UNTIL=(\d{8})", re.IGNORECASE | re.ASCII)
_DURATION = re.compile(
    r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$", re.ASCII
)
_TZID = re.compile(r';TZID=(?:"([^"]*)"|([^;:]*))', re.IGNORECASE)
_UTC_LABEL = re.compile(r"^\(?(?:UTC|GMT)\s*([+-])(\d{1,2}):?(\d{2})?\)?")


@dataclass(slots=True)
class Block:
    """One component's logical (unfolded) lines and where it starts in the file."""

    name: str
    lines: list[str]
    line_number: int

    @property
    def uid(self) -> str:
        return property_value(self.lines, "UID")


@dataclass(slots=True)
class Scan:
    """A calendar reduced to what a window needs."""

    header: list[str] = field(default_factory=list)
    timezones: list[Block] = field(default_factory=list)
    events: list[Block] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    seen_events: int = 0
    calendars: int = 0
    lines: int = 0
    dropped_series: set[str] = field(default_factory=set)
    """UIDs of the series the screen dropped (they cannot touch the window themselves)."""

    def note_dropped(self, body: str) -> None:
        """Remember a dropped block's UID if it is a series: an override kept for the
        window (moved into it) needs its series, or it would read as a one-off."""
        upper = body.upper()
        if ("RRULE" in upper or "RDATE" in upper) and "RECURRENCE-ID" not in upper:
            match = _UID_LINE.search(body)
            if match:
                self.dropped_series.add(match.group(1).strip())

    def orphans(self) -> set[str]:
        """The dropped series whose overrides were kept."""
        if not self.dropped_series:
            return set()
        overridden = {
            block.uid
            for block in self.events
            if any(line[:13].upper() == "RECURRENCE-ID" for line in block.lines)
        }
        return overridden & self.dropped_series

    def text(self, events: list[Block] | None = None) -> str:
        """The reduced calendar (or only ``events`` of it) as iCalendar text."""
        tzids = {property_value(b.lines, "TZID") for b in self.timezones}
        out = ["BEGIN:VCALENDAR", *self.header]
        for block in self.timezones:
            out += block.lines
        for block in self.events if events is None else events:
            out += [_fix_tzid(line, tzids) for line in block.lines]
        out.append("END:VCALENDAR")
        return "\r\n".join(out) + "\r\n"


# Bytes read per step: big enough that per-chunk overhead vanishes, small enough that a
# file of hundreds of MB never sits in memory whole.
CHUNK_BYTES = 8 << 20
_TOKEN = re.compile(
    r"^(BEGIN|END)[ \t]*:[ \t]*([A-Za-z0-9_-]+)[ \t]*$", re.MULTILINE | re.IGNORECASE
)
_TOP_BEGIN = re.compile(
    r"^BEGIN:(?:VEVENT|VTIMEZONE|VTODO|VJOURNAL|VFREEBUSY|VAVAILABILITY)[ \t]*$",
    re.MULTILINE | re.IGNORECASE,
)
_FOLD = re.compile(r"\n[ \t]")
_SURROGATE = re.compile("[\udc80-\udcff]")
_ALARM = re.compile(r"^BEGIN:VALARM.*?^END:VALARM[ \t]*$", re.MULTILINE | re.DOTALL | re.IGNORECASE)
# The properties that decide whether an event can reach a window, with their folded
# continuation lines (a long TZID can fold DTSTART), matched on the raw block.
_KEY_PROP = re.compile(
    r"^(?:DTSTART|DTEND|DURATION|RRULE|RDATE|RECURRENCE-ID)[;:][^\n]*(?:\n[ \t][^\n]*)*",
    re.MULTILINE | re.IGNORECASE,
)
_PROP_PARTS = re.compile(
    r"^([A-Z-]+)((?:;(?:[^\":;]|\"[^\"]*\")*)*):(.*)$", re.IGNORECASE | re.DOTALL
)
_THINNING = re.compile(r"BY(?:MONTH|MONTHDAY|YEARDAY|WEEKNO|SETPOS|EASTER)=", re.IGNORECASE)
_COUNT = re.compile(r"COUNT=(\d+)", re.IGNORECASE | re.ASCII)
_INTERVAL = re.compile(r"INTERVAL=(\d+)", re.IGNORECASE | re.ASCII)
_FREQ = re.compile(r"FREQ=([A-Z]+)", re.IGNORECASE)


def _decode(raw: bytes, source: str, problems: list[Problem]) -> str:
    """Bytes to text with one line ending: UTF-8, or Windows-1252 for lines that are not.

    Old Outlook and Lotus exports are Latin-1/Windows-1252; decoding line by
    line keeps the UTF-8 lines of a mixed file intact.
    """
    try:
        text = raw.decode("utf-8")  # the common case, at C speed
        mixed = False
    except UnicodeDecodeError:
        text = raw.decode("utf-8", errors="surrogateescape")
        mixed = True
    if mixed:
        text = _lines_as_cp1252(text)
        note = Problem(source, "not UTF-8; read as Latin-1/Windows-1252", severity=Severity.NOTE)
        if note not in problems:
            problems.append(note)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def _lines_as_cp1252(text: str) -> str:
    """The lines holding undecodable bytes (surrogates) decoded again as Windows-1252.

    Found from each bad byte outwards to its line's ends: a pattern like
    ``[^\n]*<bad>[^\n]*`` retries from every position of a long line
    without one, which on a line of a megabyte never ends.
    """
    pieces: list[str] = []
    done = 0
    for match in _SURROGATE.finditer(text):
        if match.start() < done:
            continue  # in a line already recoded
        begin = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        end = len(text) if end < 0 else end
        line = text[begin:end].encode("utf-8", "surrogateescape")
        pieces += [text[done:begin], line.decode("cp1252", errors="replace")]
        done = end
    pieces.append(text[done:])
    return "".join(pieces)


def _chunks(stream: BinaryIO, source: str, problems: list[Problem]) -> Iterator[str]:
    """Decoded text in pieces that end where a top-level component begins.

    Cutting there means no component is split between two pieces (unless it
    is longer than a whole chunk, which the scanner reports as never closed).
    """
    carry_bytes = b""
    carry_text = ""
    first = True
    while True:
        raw = stream.read(CHUNK_BYTES)
        at_end = not raw
        data = carry_bytes + raw
        if first:
            data = data.removeprefix(b"\xef\xbb\xbf")
            first = False
        if not at_end:
            cut = max(data.rfind(b"\n"), data.rfind(b"\r"))
            if cut < 0:
                carry_bytes = data
                continue
            data, carry_bytes = data[: cut + 1], data[cut + 1 :]
        text = carry_text + _decode(data, source, problems)
        if at_end:
            if text:
                yield text
            return
        last = _last_top_begin(text)
        if last == 0:
            carry_text = text
            continue
        yield text[:last]
        carry_text = text[last:]


def _last_top_begin(text: str) -> int:
    """Where the last top-level component (not a VALARM inside one) begins; 0 if none."""
    pos = len(text)
    while True:
        pos = text.rfind("\nBEGIN:", 0, pos)
        if pos < 0:
            return 0
        if _TOP_BEGIN.match(text, pos + 1):
            return pos + 1


def _lines(text: str) -> list[str]:
    """Logical lines of a piece of text: unfolded (RFC 5545 3.1), blank lines dropped."""
    return [line for line in _FOLD.sub("", text).split("\n") if line.strip()]


class _Walker:
    """Walks the BEGIN/END tokens of the text pieces, keeping what the window needs."""

    def __init__(self, source: str, lo: date, hi: date, result: Scan) -> None:
        self.source, self.lo, self.hi, self.result = source, lo, hi, result
        self.prefilter = lo != date.min
        self.in_calendar = False
        self.lines_before = 0
        self.text = ""
        self.counted_pos = self.counted_lines = 0

    def line_at(self, pos: int) -> int:
        """Physical line number of a position (positions are asked for in order)."""
        self.counted_lines += self.text.count("\n", self.counted_pos, pos)
        self.counted_pos = pos
        return self.lines_before + self.counted_lines + 1

    def walk(self, text: str) -> None:
        self.text, self.counted_pos, self.counted_lines = text, 0, 0
        result = self.result
        stack: list[tuple[str, int]] = []
        outside_from = 0  # where text outside any component began
        for token in _TOKEN.finditer(text):
            kind, name = token.group(1).upper(), token.group(2).upper()
            if not stack:
                self._header(text[outside_from : token.start()])
            if name == "VCALENDAR" and not stack:
                self.in_calendar = kind == "BEGIN"
                result.calendars += kind == "BEGIN"
                outside_from = token.end()
            elif kind == "BEGIN":
                stack.append((name, token.start()))
            elif not stack or stack[-1][0] != name:
                opened = f"BEGIN:{stack[-1][0]}" if stack else "anything"
                where = f" (opened on line {self.line_at(stack[-1][1])})" if stack else ""
                result.problems.append(
                    Problem(
                        self.source,
                        f"END:{name} does not close {opened}{where}; skipped",
                        line=self.line_at(token.start()),
                    )
                )
                stack.clear()
                outside_from = token.end()
            else:
                opened_name, opened_pos = stack.pop()
                if not stack:
                    self._component(opened_name, text[opened_pos : token.end()], opened_pos)
                    outside_from = token.end()
        if stack:
            result.problems.append(
                Problem(
                    self.source,
                    f"BEGIN:{stack[0][0]} is never closed; skipped",
                    line=self.line_at(stack[0][1]),
                )
            )
        elif self.in_calendar:
            self._header(text[outside_from:])
        self.lines_before += text.count("\n")

    def _header(self, segment: str) -> None:
        if self.in_calendar and segment.strip():
            self.result.header += _lines(segment)

    def _component(self, name: str, text: str, pos: int) -> None:
        if name == "VTIMEZONE":
            self.result.timezones.append(Block(name, _lines(text), self.line_at(pos)))
        elif name == "VEVENT":
            self.result.seen_events += 1
            body = _FOLD.sub("", text)
            if may_touch(body, self.lo, self.hi):
                lines = [line for line in body.split("\n") if line.strip()]
                lines = _trimmed(lines, self.lo) if self.prefilter else lines
                self.result.events.append(Block(name, lines, self.line_at(pos)))
            else:
                self.result.note_dropped(body)
        # VTODO, VJOURNAL, VFREEBUSY, VAVAILABILITY: not part of a week's plan.


_BEGIN_VEVENT = re.compile("\nBEGIN:VEVENT\n")
_UID_LINE = re.compile(r"^UID(?:;[^:\n]*)?:([^\n]*)$", re.M | re.I)
_END_VEVENT = re.compile("\nEND:VEVENT(?=\n|$)")
_LOWER_START = re.compile("\n[a-z]")
# DTSTART/DTEND written plainly (a folded one does not match and gets the careful screen).
_SIMPLE_DATES = re.compile(
    r"\n(DTSTART|DTEND)(?:;(?:TZID=[^:;\"\n]*|VALUE=DATE(?:-TIME)?))*:(\d{8})", re.ASCII
)


# What planner never reads but icalendar would spend time parsing: alarms, attendee
# lists, attachments (possibly base64), HTML copies of the description, and the
# stamps of when the event object was written (DTSTAMP, CREATED; an event's
# version is read from SEQUENCE and LAST-MODIFIED, which are kept).
_UNREAD = ("ATTENDEE", "ATTACH", "X-ALT-DESC", "X-MS-OLK-", "DTSTAMP", "CREATED")
_PERIOD_DAYS = {"DAILY": 1, "WEEKLY": 7}
_DATE_VALUE = re.compile(
    r"^((?:DTSTART|DTEND)(?:;(?:[^\":;]|\"[^\"]*\")*)*:)(\d{8})", re.I | re.ASCII
)


def _trimmed(lines: list[str], lo: date) -> list[str]:
    """A kept VEVENT with what cannot matter for the window taken out.

    Besides unread properties and alarms, a long-running simple series
    (DAILY or WEEKLY, no COUNT, no rule part that depends on where it starts
    other than BYDAY) has its DTSTART moved forward by whole periods to just
    before the window, so the expander does not walk years of occurrences to
    get there. The occurrences in the window are unchanged: EXDATEs,
    RDATEs and overrides are absolute times, and only occurrences well before
    the window are skipped (tests compare against the untouched parse).
    """
    out: list[str] = []
    depth = 0
    for line in lines[:-1] if lines else lines:
        upper = line[:12].upper()
        if upper.startswith("BEGIN:VALARM"):
            depth += 1
        elif upper.startswith("END:VALARM"):
            depth -= 1
        elif depth == 0 and not upper.startswith(_UNREAD):
            out.append(line)
    out.append(lines[-1] if lines else "END:VEVENT")
    rule = next((line for line in out if line[:6].upper() == "RRULE:"), "")
    if not rule or "RECURRENCE-ID" in "\n".join(out).upper():
        return out
    freq = _FREQ.search(rule)
    period = _PERIOD_DAYS.get(freq.group(1).upper()) if freq else None
    if period is None or _COUNT.search(rule) or _THINNING.search(rule) or "BYHOUR" in rule:
        return out
    interval = _INTERVAL.search(rule)
    step = period * (int(interval.group(1)) if interval else 1)
    if step <= 0:  # INTERVAL=0: refused later, with a message (guard.runaway_rule)
        return out
    start_line = next((line for line in out if line[:7].upper() == "DTSTART"), "")
    match = _DATE_VALUE.match(start_line)
    # A UTC start is turned into local time by its own date (X-WR-TIMEZONE, DST): keep it.
    if match is None or start_line.rstrip().upper().endswith("Z"):
        return out
    start = _first_date(match.group(2))
    if start is None:
        return out
    skip = ((lo - start).days // step - 1) * step
    if skip <= 0:
        return out
    moved = []
    for line in out:
        match = _DATE_VALUE.match(line)
        if match:
            day = _first_date(match.group(2))
            try:
                moved_day = day + timedelta(days=skip) if day is not None else None
            except OverflowError:  # a DTEND in 9999: left to the careful reader
                moved_day = None
            if moved_day is None:
                return out
            line = match.group(1) + moved_day.strftime("%Y%m%d") + line[match.end() :]
        moved.append(line)
    return moved


def _lines_starting(text: str, prefix: str) -> int:
    return text.count("\n" + prefix) + text.startswith(prefix)


def _fast_walk(walker: _Walker, text: str) -> bool:
    """Screen a well-formed piece quickly; False (nothing done) when it needs the careful walk.

    Most events of a long calendar are one-off events far from the window:
    they are recognised by comparing their DTSTART/DTEND digits as strings,
    without unfolding or parsing anything. Recurring, overriding or unusual
    events go through :func:`may_touch`; the text around the events (header,
    time zones, other components) goes through the careful walk.
    """
    starts = [m.start() + 1 for m in _BEGIN_VEVENT.finditer(text)]
    ends = [m.end() for m in _END_VEVENT.finditer(text)]
    if text.startswith("BEGIN:VEVENT\n"):
        starts.insert(0, 0)
    if (
        not starts
        or len(starts) != len(ends)
        # VCALENDAR opens in the first piece and closes in the last: leave it out.
        or _lines_starting(text, "BEGIN:") - _lines_starting(text, "BEGIN:VCALENDAR")
        != _lines_starting(text, "END:") - _lines_starting(text, "END:VCALENDAR")
        or _LOWER_START.search(text)  # lower-case property names: let the careful walk read them
        or any(
            not begin < end <= following
            for begin, end, following in zip(starts, ends, [*starts[1:], len(text)], strict=True)
        )
    ):
        return False
    blocks = list(zip(starts, ends, strict=True))
    lo, hi = walker.lo.strftime("%Y%m%d"), walker.hi.strftime("%Y%m%d")
    residual, last = [], 0
    find, dates_in = text.find, _SIMPLE_DATES.findall
    for begin, end in blocks:
        if begin > last + 1:
            residual.append(text[last:begin])
        last = end
        dates: dict[str, str] = {}
        if (
            find("RRULE", begin, end) < 0
            and find("RDATE", begin, end) < 0
            and find("RECURRENCE-ID", begin, end) < 0
            and find("DURATION", begin, end) < 0
        ):
            dates = dict(dates_in(text, begin, end))
            if "DTEND" not in dates and find("\nDTEND", begin, end) >= 0:
                dates = {}  # a DTEND written in a way the quick pattern does not read
        if "DTSTART" in dates:
            first = dates["DTSTART"]
            keep = first <= hi and dates.get("DTEND", first) >= lo
        else:
            keep = may_touch(_FOLD.sub("", text[begin:end]), walker.lo, walker.hi)
        if keep:
            body = _FOLD.sub("", text[begin:end])
            lines = [line for line in body.split("\n") if line.strip()]
            walker.text = text
            lines = _trimmed(lines, walker.lo)
            walker.result.events.append(Block("VEVENT", lines, walker.line_at(begin)))
        elif "DTSTART" not in dates:  # a series or an unusual block: it may have overrides
            walker.result.note_dropped(_FOLD.sub("", text[begin:end]))
    walker.result.seen_events += len(blocks)
    residual.append(text[last:])
    lines_before = walker.lines_before
    seen = walker.result.seen_events
    walker.walk("".join(residual))
    walker.result.seen_events = seen
    walker.lines_before = lines_before + text.count("\n")
    return True


def scan(
    stream: BinaryIO, source: str, start: datetime, end: datetime, *, prefilter: bool = True
) -> Scan:
    """Stream a calendar and keep what can touch [start, end) (everything without prefilter)."""
    result = Scan()
    lo, hi = (start - SLACK).date(), (end + SLACK).date()
    if not prefilter:
        lo, hi = date.min, date.max
    walker = _Walker(source, lo, hi, result)
    has_content = False
    for text in _chunks(stream, source, result.problems):
        has_content = has_content or bool(text.strip())
        walker.text, walker.counted_pos, walker.counted_lines = text, 0, 0
        if not prefilter or not _fast_walk(walker, text):
            walker.walk(text)
    result.lines = walker.lines_before + 1 if has_content else 0
    if prefilter and result.orphans() and stream.seekable():
        # An override moved into the window from a series that cannot reach it (one
        # that starts later, or ended before): rare, and only its series says whether
        # the move stands (an EXDATE may cancel it), so this calendar is read whole.
        stream.seek(0)
        return scan(stream, source, start, end, prefilter=False)
    return result


def property_value(lines: list[str], name: str) -> str:
    for line in lines:
        head, _, value = line.partition(":")
        if head.split(";", 1)[0].upper() == name:
            return value.strip()
    return ""


def _first_date(value: str) -> date | None:
    match = _DATE.search(value)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def _duration(value: str) -> timedelta | None:
    match = _DURATION.match(value.strip().upper())
    if not match:
        return None
    sign, weeks, days, hours, minutes, seconds = match.groups()
    try:
        total = timedelta(
            weeks=int(weeks or 0),
            days=int(days or 0),
            hours=int(hours or 0),
            minutes=int(minutes or 0),
            seconds=int(seconds or 0),
        )
    except OverflowError:  # P99999999999D: no cheap answer; the reader reports it
        return None
    return -total if sign == "-" else total


def may_touch(body: str, lo: date, hi: date) -> bool:
    """Whether a VEVENT can have an occurrence between the dates ``lo`` and ``hi``.

    Errs on the side of keeping: anything it cannot read cheaply is kept.
    """
    props: dict[str, list[str]] = {}
    params: dict[str, str] = {}
    for raw in _KEY_PROP.findall(body):
        parts = _PROP_PARTS.match(_FOLD.sub("", raw) if "\n" in raw else raw)
        if parts is None:
            return True
        key = parts.group(1).upper()
        props.setdefault(key, []).append(parts.group(3))
        params.setdefault(key, parts.group(2))
    if len(props.get("DURATION", ())) > 1 or ("DURATION" in props and "ALARM" in body.upper()):
        # An alarm may carry its own DURATION: read the event's without the alarms.
        return may_touch(_ALARM.sub("", body), lo, hi) if "BEGIN:VALARM" in body.upper() else True
    start = _first_date(props.get("DTSTART", [""])[0])
    if start is None:
        return True
    if "RECURRENCE-ID" in props:
        rid = _first_date(props["RECURRENCE-ID"][0])
        if rid is None or "THISANDFUTURE" in params["RECURRENCE-ID"].upper():
            return rid is None or rid <= hi
        # An override matters where the occurrence was (it removes it) and where it went.
        return lo <= rid <= hi or _span_touches(start, props, lo, hi)
    if "RRULE" in props or "RDATE" in props:
        if start > hi:
            return False
        if "RDATE" in props:
            return True
        last = [_last_possible(rule, start) for rule in props["RRULE"]]
        if all(d is not None for d in last):
            return max(d for d in last if d is not None) >= lo
        return True
    return _span_touches(start, props, lo, hi)


def _last_possible(rule: str, start: date) -> date | None:
    """A date no occurrence of the rule can be after, or None when there is no cheap bound.

    UNTIL is such a date. With COUNT, each period (day, week, month) of a rule
    that no BY-part can thin out holds at least one occurrence, so COUNT
    periods from the start are a bound; rules that can skip periods (BYMONTH,
    BYSETPOS, a 31st of the month...) get none and are kept.
    """
    until = _UNTIL.search(rule)
    if until:
        return _first_date(until.group(1))
    count, freq = _COUNT.search(rule), _FREQ.search(rule)
    if not count or not freq or _THINNING.search(rule):
        return None
    interval = _INTERVAL.search(rule)
    periods = int(count.group(1)) * (int(interval.group(1)) if interval else 1) + 1
    kind = freq.group(1).upper()
    try:
        if kind == "DAILY" and "BYDAY" not in rule.upper():
            return start + timedelta(days=periods)
        if kind == "WEEKLY":
            return start + timedelta(weeks=periods)
        if kind == "MONTHLY" and start.day <= 28 and "BYDAY" not in rule.upper():
            return start + timedelta(days=31 * periods)
    except OverflowError:  # COUNT=1000000000: it ends after the year 9999, so never
        return None
    return None


def _span_touches(start: date, props: dict[str, list[str]], lo: date, hi: date) -> bool:
    if start > hi:
        return False
    end: date | None = None
    if "DTEND" in props:
        end = _first_date(props["DTEND"][0])
    elif "DURATION" in props:
        duration = _duration(props["DURATION"][0])
        try:
            end = start + duration if duration is not None else None
        except OverflowError:
            end = None
    else:
        end = start + timedelta(days=1)
    return end is None or end >= lo


@functools.cache
def _standard_offset(iana: str) -> timedelta | None:
    """The zone's offset outside daylight time (January or July, whichever has no DST).

    Cached: a label is matched against every Windows zone, and loading each zone's
    file again for every label cost most of the 10-40 ms a label took. The names
    asked for are those of icalendar's Windows table, so the cache stays small.
    """
    zone = ZoneInfo(iana)
    for month in (1, 7):
        local = datetime(2026, month, 15, 12, tzinfo=UTC).astimezone(zone)
        if not local.dst():
            return local.utcoffset()
    return None


_STOP_WORDS = {"time", "standard", "and", "us", "canada", "utc", "gmt", "zone"}


def _words(text: str, stop: set[str] = _STOP_WORDS) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower())) - stop


@functools.lru_cache(maxsize=256)
def iana_for_label(tzid: str) -> str | None:
    """An IANA zone for a Windows zone ID or an Exchange label like "(UTC-05:00) Eastern ...".

    Windows IDs use icalendar's CLDR mapping. An Exchange display label gives
    the standard offset and some names: among the Windows zones with that
    standard offset, the one whose ID or IANA city shares the most words with
    the label wins (ties go to the ID with the fewest other words).

    Cached by label: a calendar exported from Exchange without VTIMEZONE repeats
    one label on every DTSTART and DTEND, and matching it took 10-40 ms each
    time (100 such events took seconds to list). Bounded, because the labels
    come from files and a file can hold any number of made-up ones.
    """
    if tzid in WINDOWS_TO_OLSON:
        return str(WINDOWS_TO_OLSON[tzid])
    if re.match(r"^\(?(UTC|GMT)\)?(\s|$)", tzid.strip()) or "coordinated universal" in tzid.lower():
        return "UTC"
    label = _UTC_LABEL.match(tzid.strip())
    words = _words(tzid[label.end() :] if label else tzid)
    offset = None
    if label:
        sign, hours, minutes = label.groups()
        offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
        offset = -offset if sign == "-" else offset
    best: tuple[int, int, str] | None = None
    same_offset: str | None = None
    for windows_id, iana in WINDOWS_TO_OLSON.items():
        if offset is not None and _standard_offset(str(iana)) != offset:
            continue
        if offset is not None:
            same_offset = same_offset or str(iana)
        known = _words(windows_id) | _words(str(iana).replace("_", " "))
        score = len(words & known)
        # Extra words count country names too: "Canada Central" is not plain "Central".
        extra = _words(windows_id, {"time", "standard"}) - words
        candidate = (score, -len(extra), str(iana))
        if score and (best is None or candidate[:2] > best[:2]):
            best = candidate
    # No name matched: the offset alone is still far better than a floating time.
    return best[2] if best else same_offset


def _fix_tzid(line: str, defined: set[str]) -> str:
    """Replace a TZID that has no VTIMEZONE and no IANA meaning by the zone it names."""
    match = _TZID.search(line[:200])
    if not match:
        return line
    tzid = match.group(1) if match.group(1) is not None else match.group(2)
    if tzid in defined or is_iana(tzid):
        return line
    iana = iana_for_label(tzid)
    if iana is None:
        return line
    return line[: match.start()] + f";TZID={iana}" + line[match.end() :]


@functools.lru_cache(maxsize=256)
def is_iana(tzid: str) -> bool:
    """Whether ``tzid`` names an IANA zone. Cached like :func:`iana_for_label`: a name
    that is not one is looked for on disk again on every line that carries it."""
    try:
        ZoneInfo(tzid)
    except (KeyError, ValueError, OSError):
        return False
    return True

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

import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import BinaryIO
from zoneinfo import ZoneInfo

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

# Time zones reach at most +-14 h and a series' first occurrence may start a day
# before the window it spills into: compare dates with this much slack.
SLACK = timedelta(days=2)
_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_UNTIL = re.compile(r"UNTIL=(\d{8})", re.IGNORECASE)
_DURATION = re.compile(r"([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")
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
    problems: list[str] = field(default_factory=list)
    seen_events: int = 0
    calendars: int = 0
    lines: int = 0

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


def decode_lines(stream: BinaryIO, source: str, problems: list[str]) -> Iterator[str]:
    """Physical lines as text: any line ending, UTF-8 (with or without BOM) or Latin-1.

    A line that is not valid UTF-8 is read as Windows-1252 (a superset of
    Latin-1 for text), which is what old Outlook and Lotus exports use.
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline=None)
    warned = False
    try:
        for raw in text:
            line = raw.rstrip("\n")
            if any("\udc80" <= ch <= "\udcff" for ch in line):
                line = line.encode("utf-8", "surrogateescape").decode("cp1252", errors="replace")
                if not warned:
                    problems.append(f"{source}: not UTF-8; read as Latin-1/Windows-1252")
                    warned = True
            yield line
    finally:
        text.detach()  # the caller owns (and closes) the binary stream


def unfold(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """Logical lines with the number of the physical line each starts on.

    RFC 5545 3.1: a line starting with a space or a tab continues the previous
    one, minus that one character. Blank lines are skipped (some producers
    emit them between components).
    """
    current: list[str] = []
    start = 0
    for number, line in enumerate(lines, 1):
        if line[:1] in (" ", "\t") and current:
            current.append(line[1:])
            continue
        if current:
            yield start, "".join(current)
        if line.strip():
            current, start = [line], number
        else:
            current = []
    if current:
        yield start, "".join(current)


def scan(
    stream: BinaryIO, source: str, start: datetime, end: datetime, *, prefilter: bool = True
) -> Scan:
    """Stream a calendar and keep what can touch [start, end) (everything without prefilter)."""
    result = Scan()
    lo, hi = (start - SLACK).date(), (end + SLACK).date()
    if not prefilter:
        lo, hi = date.min, date.max
    stack: list[Block] = []
    depth_in_calendar = False
    for number, line in unfold(decode_lines(stream, source, result.problems)):
        result.lines = number
        upper = line[:16].upper()
        if upper.startswith("BEGIN:"):
            name = line[6:].strip().upper()
            if name == "VCALENDAR" and not stack:
                depth_in_calendar = True
                result.calendars += 1
                continue
            stack.append(Block(name, [line], number))
            continue
        if upper.startswith("END:"):
            name = line[4:].strip().upper()
            if name == "VCALENDAR" and not stack:
                depth_in_calendar = False
                continue
            if not stack or stack[-1].name != name:
                opened = stack[-1] if stack else None
                where = f" (opened on line {opened.line_number})" if opened else ""
                result.problems.append(
                    f"{source}:{number}: END:{name} does not close "
                    f"{'BEGIN:' + opened.name if opened else 'anything'}{where}; skipped"
                )
                stack.clear()
                continue
            block = stack.pop()
            block.lines.append(line)
            if stack:
                stack[-1].lines.extend(block.lines)
            else:
                _keep(block, result, lo, hi)
            continue
        if stack:
            stack[-1].lines.append(line)
        elif depth_in_calendar and not upper.startswith(("BEGIN", "END")):
            result.header.append(line)
    if stack:
        result.problems.append(
            f"{source}:{stack[0].line_number}: BEGIN:{stack[0].name} is never closed; skipped"
        )
    return result


def _keep(block: Block, result: Scan, lo: date, hi: date) -> None:
    if block.name == "VTIMEZONE":
        result.timezones.append(block)
    elif block.name == "VEVENT":
        result.seen_events += 1
        if may_touch(block.lines, lo, hi):
            result.events.append(block)
    # VTODO, VJOURNAL, VFREEBUSY, VAVAILABILITY: not part of a week's plan.


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
    total = timedelta(
        weeks=int(weeks or 0),
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
    )
    return -total if sign == "-" else total


def may_touch(lines: list[str], lo: date, hi: date) -> bool:
    """Whether a VEVENT can have an occurrence between the dates ``lo`` and ``hi``.

    Errs on the side of keeping: anything it cannot read cheaply is kept.
    """
    props: dict[str, list[str]] = {}
    inside_alarm = False
    for line in lines[1:-1]:
        upper = line[:12].upper()
        if upper.startswith("BEGIN:"):
            inside_alarm = True
            continue
        if upper.startswith("END:"):
            inside_alarm = False
            continue
        if inside_alarm:
            continue
        head, _, value = line.partition(":")
        props.setdefault(head.split(";", 1)[0].upper(), []).append(value)
    start = _first_date(props.get("DTSTART", [""])[0])
    if start is None:
        return True
    if "RECURRENCE-ID" in props:
        rid_line = next(line for line in lines if line[:13].upper() == "RECURRENCE-ID")
        rid = _first_date(props["RECURRENCE-ID"][0])
        if rid is None or "THISANDFUTURE" in rid_line.upper():
            return rid is None or rid <= hi
        # An override matters where the occurrence was (it removes it) and where it went.
        return lo <= rid <= hi or _span_touches(start, props, lo, hi)
    if "RRULE" in props or "RDATE" in props:
        if start > hi:
            return False
        if "RDATE" in props:
            return True
        until = [_UNTIL.search(rule) for rule in props["RRULE"]]
        if all(until):
            last = max(_first_date(m.group(1)) or hi for m in until if m)
            return last >= lo
        return True
    return _span_touches(start, props, lo, hi)


def _span_touches(start: date, props: dict[str, list[str]], lo: date, hi: date) -> bool:
    if start > hi:
        return False
    end: date | None = None
    if "DTEND" in props:
        end = _first_date(props["DTEND"][0])
    elif "DURATION" in props:
        duration = _duration(props["DURATION"][0])
        end = start + duration if duration is not None else None
    else:
        end = start + timedelta(days=1)
    return end is None or end >= lo


def _standard_offset(iana: str) -> timedelta | None:
    """The zone's offset outside daylight time (January or July, whichever has no DST)."""
    zone = ZoneInfo(iana)
    for month in (1, 7):
        local = datetime(2026, month, 15, 12, tzinfo=UTC).astimezone(zone)
        if not local.dst():
            return local.utcoffset()
    return None


_STOP_WORDS = {"time", "standard", "and", "us", "canada", "utc", "gmt", "zone"}


def _words(text: str, stop: set[str] = _STOP_WORDS) -> set[str]:
    return set(re.findall(r"[a-z]+", text.lower())) - stop


def iana_for_label(tzid: str) -> str | None:
    """An IANA zone for a Windows zone ID or an Exchange label like "(UTC-05:00) Eastern ...".

    Windows IDs use icalendar's CLDR mapping. An Exchange display label gives
    the standard offset and some names: among the Windows zones with that
    standard offset, the one whose ID or IANA city shares the most words with
    the label wins (ties go to the ID with the fewest other words).
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


def is_iana(tzid: str) -> bool:
    try:
        ZoneInfo(tzid)
    except (KeyError, ValueError, OSError):
        return False
    return True

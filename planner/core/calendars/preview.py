"""What a calendar file holds, seen before it is imported, and the role it was given.

Importing asks one question per file: are its events the user's commitments
(times they are busy) or candidates (events they might go to)? Answering
needs a glance at the file: how many events, over which years, from which
program, with what problems. That glance must take seconds even for a
65 MB, ten-year export, and must be stoppable, so nothing here parses an
event: the file is read in chunks and only the lines that matter are
looked at (BEGIN/END, DTSTART, RRULE/RDATE, SUMMARY, the calendar's name
and producer, and, for the first events, what hints at the role). Memory
stays bounded by the chunk size whatever the file's size.

The problems found are the ones the import itself would report (an event
without a start, a start that is not a date, a component never closed), in
the same words, so the preview does not promise events the import will skip.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planner.core.calendars import guard
from planner.core.calendars.reading import cost_from_text, unreadable
from planner.core.calendars.repair import MAX_YEAR, MIN_YEAR
from planner.core.calendars.stream import _FOLD, _decode
from planner.core.model import Problem, Role, Severity

# Bytes read per step. Smaller than ics_stream's chunks on purpose: each step is
# also when progress is reported and Cancel is noticed, and a preview runs beside
# the window, whose thread needs Python's lock between steps.
PREVIEW_CHUNK_BYTES = 1 << 20
# A logical line longer than this (a huge attachment) is cut rather than held whole.
_LONGEST_LINE = 4 * PREVIEW_CHUNK_BYTES
# A broken export can have a problem in every event: list this many, count the rest.
MAX_PROBLEMS = 100
# Enough events to tell a personal calendar from an event feed; later events are
# only counted, which keeps a 100,000-event preview fast.
ROLE_SAMPLE = 2_000

_BOM = b"\xef\xbb\xbf"
_NOT_A_LINE_START = b" \t\r\n"
# VEVENT too: a file holding events without a calendar around them is read, with a note.
_CALENDAR_START = re.compile(
    rb"^[ \t]*BEGIN[ \t]*:[ \t]*(?:VCALENDAR|VEVENT)", re.IGNORECASE | re.MULTILINE
)
# Parameters, quoted or not, possibly folded (a long TZID folds before the value).
_PARAMS = r"((?:;(?:[^\":;\n]|\"(?:[^\"\n]|\n[ \t])*\"|\n[ \t])*)*)"
_VALUE = r"([^\n]*(?:\n[ \t][^\n]*)*)"  # with its folded continuation lines


def _line_pattern(names: str) -> re.Pattern[str]:
    # Anchored on the line break before the name rather than on ``^``: the regex
    # engine then jumps from line break to line break (twice as fast on 65 MB).
    return re.compile(rf"\n({names}){_PARAMS}:{_VALUE}", re.IGNORECASE)


_COUNTING = "BEGIN|END|DTSTART|RRULE|RDATE|SUMMARY|PRODID|X-WR-CALNAME"
# While the role is still being sampled, the lines that hint at it are read too.
_LINES_SAMPLING = _line_pattern(
    _COUNTING + "|URL|ORGANIZER|ATTENDEE|TRANSP|X-COST|DESCRIPTION|CATEGORIES|X-ORIGINAL-URL"
)
_LINES_COUNTING = _line_pattern(_COUNTING)
_START = re.compile(r"(\d{8})(?:T\d{6}Z?)?")
_ENDS = re.compile(r"(?:UNTIL|COUNT)=", re.IGNORECASE)

# --- what tells the two roles apart ------------------------------------------------------
# Programs that publish events for people to choose from.
_EVENT_PLATFORMS = re.compile(
    r"meetup|eventbrite|lu\.ma|\bluma\b|pretalx|pentabarf|\bfrab\b|sched\.com|ti\.to|"
    r"humanitix|allevents|eventzilla|universe\.com|tickettailor|ticketleap|hopin",
    re.IGNORECASE,
)
# Programs that hold one person's own calendar.
_CALENDAR_APPS = re.compile(
    r"google|microsoft|outlook|exchange|apple|icloud|mozilla|thunderbird|proton|cyrus|"
    r"fastmail|sabre|nextcloud|owncloud|ximian|evolution|lotus|zimbra|yahoo|davx|"
    r"caldav|radicale|baikal|posteo|mailbox\.org|zoho|kopano|horde|synology",
    re.IGNORECASE,
)
_TIMETABLE = re.compile(
    r"timetable|time table|class schedule|course|syllabus|semester|stundenplan|emploi du temps",
    re.IGNORECASE,
)
_COURSE_CATEGORY = re.compile(
    r"\b(?:lecture|tutorial|lab|seminar|exam|class|course|practical)\b", re.IGNORECASE
)
# A page about one event, where tickets or RSVPs are.
_EVENT_PAGE = re.compile(
    r"meetup\.com/[^/\s]+/events/|eventbrite\.[a-z.]+/e/|lu\.ma/|luma\.com/|pretalx\.|"
    r"ti\.to/|humanitix\.com/|allevents\.in/|sched\.com/event|"
    r"https?://[^\s\"]*/(?:events?|talks?|sessions?|tickets?)/[^\s\"]",
    re.IGNORECASE,
)


class ImportCancelled(Exception):  # noqa: N818 (it is a request, not an error)
    """The progress callback asked to stop; the preview is abandoned, not partial."""


@dataclass(frozen=True, slots=True)
class Preview:
    """One file at a glance.

    ``first`` and ``last`` are the earliest and latest DTSTART dates written
    in the file: a series counts by its first occurrence, and ``open_ended``
    says how many series (an RRULE without UNTIL or COUNT) never end.
    ``problems`` lists at most :data:`MAX_PROBLEMS`;
    ``unlisted_problems`` counts the rest.
    """

    path: str
    events: int
    series: int
    open_ended: int
    first: date | None
    last: date | None
    calendar_name: str
    producer: str
    problems: tuple[Problem, ...]
    size_bytes: int
    suggested_role: Role
    unlisted_problems: int = 0

    @property
    def problem_count(self) -> int:
        return len(self.problems) + self.unlisted_problems


def preview_file(
    path: Path | str, *, progress: Callable[[int, int], bool] | None = None
) -> Preview:
    """Scan a whole .ics file for its :class:`Preview`.

    ``progress(done_bytes, total_bytes)`` is called after every chunk; when it
    returns False the scan stops with :class:`ImportCancelled`. A file that
    cannot be previewed at all raises :class:`IcsError` naming it.
    """
    source = str(path)
    path = Path(path)
    refused = guard.refusal(path)
    if refused:  # a folder, a device, a pipe, gigabytes: refused before it is opened
        raise unreadable(source, refused)
    try:
        with path.open("rb") as stream:
            total = os.fstat(stream.fileno()).st_size
            scanner = _Scanner(source)
            done = 0
            carry = b""
            first = checked = False
            while True:
                raw = stream.read(PREVIEW_CHUNK_BYTES)
                done += len(raw)
                data = carry + raw
                if not first:
                    data = data.removeprefix(_BOM)
                    _check_text(data, source)
                    first = True
                cut = _last_line_start(data) if raw else len(data)
                if cut == 0 and len(data) >= _LONGEST_LINE:
                    cut = len(data)
                piece, carry = data[:cut], data[cut:]
                if piece and not checked and piece.strip():
                    _check_calendar(piece, source)
                    checked = True
                if piece:
                    scanner.feed(_decode(piece, source, scanner.notes))
                if not raw:
                    break
                if progress is not None and not progress(done, max(total, done)):
                    raise ImportCancelled(source)
    except FileNotFoundError as exc:
        raise unreadable(source, "file not found") from exc
    except IsADirectoryError as exc:
        raise unreadable(source, "is a folder, not a file") from exc
    except OSError as exc:
        raise unreadable(source, f"cannot be read ({exc.strerror or exc})") from exc
    return scanner.preview(done)


def _check_text(data: bytes, source: str) -> None:
    """Refuse binary files (and UTF-16 text) at once: their first chunk has NUL bytes.

    iCalendar text never does; looking in the first chunk only keeps one
    stray NUL deep in a real calendar from costing the whole file.
    """
    if b"\x00" in data:
        raise unreadable(
            source,
            "not an iCalendar file (binary data, or text in an encoding other than UTF-8 or "
            "Windows-1252)",
        )


def _check_calendar(piece: bytes, source: str) -> None:
    """Refuse other text before reading (maybe) gigabytes of it.

    An iCalendar file begins with BEGIN:VCALENDAR; the first piece of text
    (a whole chunk of lines) is a generous place to look for it.
    """
    if not _CALENDAR_START.search(piece):
        raise unreadable(source, "not an iCalendar file (no BEGIN:VCALENDAR)")


def _last_line_start(data: bytes) -> int:
    """Where the last logical line of ``data`` starts (0 if it may not have ended).

    A chunk is cut there so that no line, folded continuation or CRLF pair
    is split between two chunks: a line break followed by a character that
    starts a new line, with that character present.
    """
    breaks = (b"\n", b"\r") if b"\r" in data else (b"\n",)
    end = len(data) - 1
    while end > 0:
        cut = max(data.rfind(mark, 0, end) for mark in breaks)
        if cut < 0:
            return 0
        if data[cut + 1] not in _NOT_A_LINE_START:
            return cut + 1
        end = cut
    return 0


@dataclass(slots=True)
class _Event:
    """What one VEVENT's lines said, until its END:VEVENT."""

    line: int
    start: str | None = None
    summary: str = ""
    rules: int = 0
    open_rules: int = 0
    rdate: bool = False
    candidate_like: bool = False
    commitment_like: bool = False
    description: str = ""


class _Scanner:
    """Follows the BEGIN/END nesting over decoded chunks and tallies what it sees."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.notes: list[Problem] = []  # about the whole file (encoding)
        self.problems: list[Problem] = []
        self.unlisted = 0
        self.in_calendar = False
        self.calendars = 0
        self.stack: list[tuple[str, int]] = []  # components inside the calendar, and their lines
        self.event: _Event | None = None
        self.events = self.series = self.open_ended = 0
        self.first = self.last = ""
        self.days: set[str] = set()  # start dates already checked: a calendar repeats them
        self.calendar_name = self.producer = self.origin = ""
        self.candidate_like = self.commitment_like = self.sampled = 0
        self.has_content = False
        self.lines_before = 0
        self.text = ""
        self.counted_pos = self.counted_lines = 0

    def line_at(self, pos: int) -> int:
        """Physical line number of the line after the line break at ``pos`` (asked in order).

        The current text starts with a line break of its own (see :meth:`feed`),
        which the count includes: it stands for the line's own number.
        """
        self.counted_lines += self.text.count("\n", self.counted_pos, pos + 1)
        self.counted_pos = pos + 1
        return self.lines_before + self.counted_lines

    def problem(self, text: str, line: int) -> None:
        """A WARNING at ``line`` (an event or block the import will skip), listed or counted."""
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.source, text, line=line))
        else:
            self.unlisted += 1

    def feed(self, text: str) -> None:
        """Read one decoded piece that ends at the end of a logical line."""
        self.has_content = self.has_content or not text.isspace()
        # Every line, the first one too, now follows a line break.
        self.text, self.counted_pos, self.counted_lines = "\n" + text, 0, 0
        lines = _LINES_SAMPLING if self.sampled < ROLE_SAMPLE else _LINES_COUNTING
        for match in lines.finditer(self.text):
            name, params, value = match.groups()
            name = name.upper()
            if name == "BEGIN":
                self.begin(value.strip().upper(), match.start())
            elif name == "END":
                self.end(value.strip().upper(), match.start())
            elif self.event is not None and len(self.stack) == 1:
                self.event_property(self.event, name, params, value)
            elif self.in_calendar and not self.stack:
                self.calendar_property(name, _unfolded(value))
        self.lines_before += text.count("\n")

    def begin(self, name: str, pos: int) -> None:
        if name == "VCALENDAR" and not self.stack:
            self.in_calendar = True
            self.calendars += 1
            return
        line = self.line_at(pos)
        if name == "VEVENT" and not self.stack:
            self.event = _Event(line)
        self.stack.append((name, line))

    def end(self, name: str, pos: int) -> None:
        if name == "VCALENDAR" and not self.stack:
            self.in_calendar = False
            return
        if not self.stack or self.stack[-1][0] != name:
            opened = f"BEGIN:{self.stack[-1][0]}" if self.stack else "anything"
            where = f" (opened on line {self.stack[-1][1]})" if self.stack else ""
            self.problem(f"END:{name} does not close {opened}{where}; skipped", self.line_at(pos))
            self.stack.clear()
            self.event = None
            return
        self.stack.pop()
        if not self.stack and self.event is not None:
            self.finish(self.event)
            self.event = None

    def event_property(self, event: _Event, name: str, params: str, value: str) -> None:
        if name == "DTSTART":
            if event.start is None:
                event.start = _unfolded(value).strip()
        elif name == "RRULE":
            event.rules += 1
            event.open_rules += not _ENDS.search(value)
        elif name == "RDATE":
            event.rdate = True
        elif name == "SUMMARY":
            event.summary = _unescaped(_unfolded(value))
        elif self.sampled >= ROLE_SAMPLE:
            return  # enough is known about the role
        elif name == "URL":
            event.candidate_like = event.candidate_like or bool(
                _EVENT_PAGE.search(_unfolded(value))
            )
        elif name == "ORGANIZER":
            if _EVENT_PLATFORMS.search(value):  # Luma sends its invitations as the organizer
                event.candidate_like = True
            else:
                event.commitment_like = True
        elif name in ("ATTENDEE", "TRANSP"):
            event.commitment_like = True
        elif name == "X-COST":
            event.candidate_like = True
        elif name == "DESCRIPTION":
            event.description = _unfolded(value)
        elif name == "CATEGORIES":
            event.commitment_like = event.commitment_like or bool(_COURSE_CATEGORY.search(value))

    def calendar_property(self, name: str, value: str) -> None:
        if name == "X-WR-CALNAME" and not self.calendar_name:
            self.calendar_name = _unescaped(value).strip()
        elif name == "PRODID" and not self.producer:
            self.producer = value.strip()
        elif name == "X-ORIGINAL-URL" and not self.origin:
            self.origin = value.strip()

    def finish(self, event: _Event) -> None:
        self.events += 1
        if event.rules or event.rdate:
            self.series += 1
        if event.open_rules:
            self.open_ended += 1
        if self.sampled < ROLE_SAMPLE:
            self.sample(event)
        day = self.start_day(event.start)
        if day.isdigit():
            if not self.first or day < self.first:
                self.first = day
            if day > self.last:
                self.last = day
        else:
            title = event.summary or "an event without a title"
            self.problem(f"skipped {title[:60]!r}: {day}", event.line)

    def start_day(self, start: str | None) -> str:
        """The DTSTART's date as YYYYMMDD, or why the import will skip the event."""
        if start is None:
            return "it has no start time (DTSTART)"
        found = _START.fullmatch(start)
        day = found.group(1) if found else ""
        if day in self.days:
            return day
        if not day or _valid_date(day) is None:
            return f"its start time {start[:40]!r} is not a date or time"
        if not MIN_YEAR <= int(day[:4]) <= MAX_YEAR:
            return f"its start year {int(day[:4])} is outside {MIN_YEAR}-{MAX_YEAR}"
        self.days.add(day)
        return day

    def sample(self, event: _Event) -> None:
        self.sampled += 1
        if not event.candidate_like and event.description:
            event.candidate_like = bool(_EVENT_PAGE.search(event.description)) or (
                cost_from_text("", _unescaped(event.description)) is not None
            )
        self.candidate_like += event.candidate_like
        self.commitment_like += event.commitment_like

    def preview(self, size: int) -> Preview:
        if self.stack:
            self.problem(f"BEGIN:{self.stack[0][0]} is never closed; skipped", self.stack[0][1])
        if self.calendars == 0:
            if not self.has_content:
                raise unreadable(self.source, "the file is empty")
            if not self.events:
                raise unreadable(self.source, "not an iCalendar file (no BEGIN:VCALENDAR)")
            self.notes.append(
                Problem(
                    self.source,
                    "its events are not inside BEGIN:VCALENDAR ... END:VCALENDAR; read them anyway",
                    severity=Severity.NOTE,
                )
            )
        listed = (self.notes + self.problems)[:MAX_PROBLEMS]
        return Preview(
            path=self.source,
            events=self.events,
            series=self.series,
            open_ended=self.open_ended,
            first=_valid_date(self.first),
            last=_valid_date(self.last),
            calendar_name=self.calendar_name,
            producer=self.producer,
            problems=tuple(listed),
            size_bytes=size,
            suggested_role=self.role(),
            unlisted_problems=self.unlisted + len(self.notes) + len(self.problems) - len(listed),
        )

    def role(self) -> Role:
        """The role the file most likely has; the user can always choose the other.

        In order: a file from an event platform (Meetup, Eventbrite, Luma,
        pretalx...) holds candidates. A file from a calendar program (Google,
        Outlook/Exchange, Apple, Thunderbird, Proton, Nextcloud...) or a
        course timetable holds commitments. Otherwise the sampled events
        vote: links to event pages or a stated price say candidates;
        invitations (ATTENDEE, an ORGANIZER), TRANSP and course categories
        say commitments. Ties, and files that say nothing, are commitments:
        a feed taken for commitments shows up at once as a week without
        candidates, while a calendar taken for candidates would let the plan
        double-book the user.
        """
        if _EVENT_PLATFORMS.search(self.producer) or _EVENT_PLATFORMS.search(self.origin):
            return "candidates"
        if (
            _CALENDAR_APPS.search(self.producer)
            or _TIMETABLE.search(self.producer)
            or _TIMETABLE.search(self.calendar_name)
        ):
            return "commitments"
        return "candidates" if self.candidate_like > self.commitment_like else "commitments"


def _unfolded(value: str) -> str:
    return _FOLD.sub("", value) if "\n" in value else value


def _unescaped(text: str) -> str:
    """RFC 5545 3.3.11 TEXT escapes, for showing names and titles."""
    if "\\" not in text:
        return text
    return re.sub(r"\\([\\,;nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), text)


def _valid_date(digits: str) -> date | None:
    if len(digits) != 8:
        return None
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None

"""Reading one typed line, or pasted text one event a line: quick add's entry points.

:func:`parse_line` reads a line and raises with the reason when it is no
event; :func:`parse_lines` reads pasted text, skipping headings and
decoration, and gives a day heading's day to the lines under it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from planner.core.settings import Settings
from planner.core.text.quick_add.assemble import parse_one
from planner.core.text.quick_add.days import read_day
from planner.core.text.quick_add.line import BULLET, TBD, Line, NotAnEventError, Reading
from planner.core.text.quick_add.results import LANGUAGES, Parsed, Unparsed


def _languages(languages: Sequence[str] | None) -> tuple[str, ...]:
    chosen = tuple(lang.lower() for lang in (languages or LANGUAGES))
    return chosen or LANGUAGES


def _local_reference(reference: datetime, settings: Settings) -> datetime:
    zone = settings.zone
    if reference.tzinfo is None:
        return reference.replace(tzinfo=zone)
    return reference.astimezone(zone)


def parse_line(
    text: str,
    *,
    settings: Settings,
    reference: datetime,
    default_minutes: int = 90,
    languages: Sequence[str] | None = None,
) -> Parsed:
    """Read one typed line as a candidate event.

    Args:
        text: the line as typed or pasted.
        settings: the user's settings (time zone, categories, saved places).
        reference: what relative words resolve against: the week on screen
            (its Monday 09:00, or now when now is later in that week), never
            the clock, so a line reads the same in every test and every week.
            Naive values are taken in the settings' zone.
        default_minutes: the length of an event whose end is not given.
        languages: dateparser language codes to read; default
            :data:`LANGUAGES`. Weekday, month and time words are known here
            for en, fr, es and de.

    Returns:
        The event and what was assumed. Raises ``ValueError`` (with the
        reason in words) when the line is not an event: no date, no title.

    The first call imports dateparser and loads the gazetteer (~0.5 s):
    run it off the GUI thread.
    """
    result = parse_one(
        text,
        1,
        settings=settings,
        reference=_local_reference(reference, settings),
        default_minutes=default_minutes,
        languages=_languages(languages),
        heading_day=None,
    )
    if isinstance(result, Unparsed):
        raise ValueError(result.reason)
    return result


def parse_lines(
    text: str,
    *,
    settings: Settings,
    reference: datetime,
    default_minutes: int = 90,
    languages: Sequence[str] | None = None,
) -> tuple[list[Parsed], list[Unparsed]]:
    """Read pasted text, one event a line: what was understood, and what was not.

    Blank lines, decoration ("-----") and headings ("# November", "UPCOMING
    EVENTS:", "**Tech**") are skipped. A heading that is only a day
    ("Thursday, November 26") gives its day to the lines under it that name
    none, as newsletters list a day's events under it; that is noted.
    Line numbers count from 1, blank lines included, as an editor shows them.
    Same arguments as :func:`parse_line`; run it off the GUI thread.
    """
    langs = _languages(languages)
    local = _local_reference(reference, settings)
    parsed: list[Parsed] = []
    failed: list[Unparsed] = []
    heading_day: tuple[date, str] | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if not re.search(r"[^\W_]", line):
            continue
        day_heading = _day_heading(line, settings, local, langs)
        if day_heading is not None:
            heading_day = (day_heading, " ".join(line.strip(" #*:_=-–").split()))
            continue
        if _is_marked_heading(line):
            heading_day = None  # "Also this week:" ends the previous day's list
            continue
        result = parse_one(
            line,
            number,
            settings=settings,
            reference=local,
            default_minutes=default_minutes,
            languages=langs,
            heading_day=heading_day,
        )
        if isinstance(result, Parsed):
            parsed.append(result)
        elif not _is_heading(line):
            failed.append(result)
    return parsed, failed


_MARKED_HEADING = re.compile(r"^(?:#{1,6}\s.*|\*\*[^*]+\*\*|__[^_]+__|.*[:：])$")


def _is_marked_heading(line: str) -> bool:
    """ "# Week of November 23", "**Tech**", "Also this week:": headings by their marks,
    never events, even with a date in them."""
    return bool(_MARKED_HEADING.match(line.strip()))


def _is_heading(line: str) -> bool:
    """ "UPCOMING EVENTS", "Professional Associations": capitals only, or a few capitalised
    words without digits; "asdf qwer" is no heading but a line to fix."""
    stripped = BULLET.sub("", line).strip()
    if TBD.search(stripped):
        return False  # "TBD" is a line to fix, not a heading
    if stripped.isupper():
        return True
    words = stripped.split()
    return (
        len(words) <= 6
        and not re.search(r"[\d.!?@$€]", stripped)
        and all(w[:1].isupper() or _SMALL_WORDS.fullmatch(w) for w in words)
    )


_SMALL_WORDS = re.compile(
    r"a|an|and|at|for|in|of|on|the|to|&|[-–]|et|de|des|du|la|le|y|und|im", re.IGNORECASE
)


def _day_heading(
    line: str, settings: Settings, reference: datetime, languages: tuple[str, ...]
) -> date | None:
    """The day a heading names ("Thursday, November 26", "## Jeudi 26 novembre"), else None."""
    body = line.strip().strip("#*_=:-– ").strip()
    if not body or len(body) > 60:
        return None
    reading = Reading(Line(body), settings, reference, languages)
    try:
        read_day(reading)
    except NotAnEventError:
        return None
    if reading.day is None:
        return None
    rest = reading.line.masked.replace("\x00", " ")
    if re.search(r"[^\W_]", rest):
        return None
    return reading.day

"""The day of a typed line: dates, weekdays and "tomorrow", in four languages.

Dates with a month or in numbers ("Nov 26", "26 de noviembre", "26.11.",
"2026-11-26") are resolved by dateparser, which knows month names and
ordinals in many languages. Weekdays and words such as "tomorrow" are
resolved here, against ``reference`` (the week on screen, not the clock),
because dateparser resolves "Monday" on a Monday morning to next week and
does not read "jeudi prochain", "el próximo jueves" or "pasado mañana".

Three misreads are guarded against here. Names are not days: an
abbreviation ("Sam", "Mo", "Mar") is a weekday only in a date-like place
and in a line of its language, and "tonight" beats a weekday that is only
perhaps one. "10/12" is read in the order that gives the date nearer the
week on screen, never one a year away, and marked. Ordinal weekdays of a
month ("the second Wednesday of January") are read by :mod:`.nth_weekday`.

The words of each language are tables in :mod:`.day_words`; the patterns
built from them are compiled once per set of languages. dateparser is
imported inside :func:`_dateparser_day`: its first call costs about 0.3 s.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from planner.core.text.quick_add.day_words import (
    MONTHS,
    NEXT_WEEK,
    NEXT_WORDS,
    RELATIVE_DAYS,
    THIS_WORDS,
    WEEKDAYS,
    alternation,
    fold,
    language_scores,
    month_words,
    weekday_words,
)
from planner.core.text.quick_add.line import DASH, WORD_NUMBERS, NotAnEventError, Reading
from planner.core.text.quick_add.nth_weekday import read_nth_weekday

# --- Patterns --------------------------------------------------------------------------


def _weekday_alternation(languages: Sequence[str]) -> str:
    return alternation(weekday_words(languages))


def _relative_alternation(languages: Sequence[str]) -> str:
    return alternation(w for lang in languages for w, _, _ in RELATIVE_DAYS.get(lang, ()))


@dataclass(frozen=True, slots=True)
class _Grammar:
    """The date patterns for one set of languages (built once per set, then cached)."""

    full_date: re.Pattern[str]
    numeric_date: re.Pattern[str]
    weekday: re.Pattern[str]
    relative: re.Pattern[str]
    weekday_names: dict[str, tuple[int, bool, str]]
    """Folded weekday word -> (Monday=0 index, is an abbreviation, language)."""
    month_names: dict[str, str]
    """Folded month word -> language."""
    language_words: dict[str, str]
    """Folded day or month word of one language only -> that language ("jeudi" -> "fr")."""


_GRAMMARS: dict[tuple[str, ...], _Grammar] = {}
_MODIFIERS = rf"(?:(?:{NEXT_WORDS}|{THIS_WORDS})\s+){{0,2}}"
_DAY = r"(?P<day>[0-3]?\d)(?!\d)(?:st|nd|rd|th|er|e|º|°|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_NOT_A_TIME = (
    rf"(?!\s*(?:[{DASH}:h.]\s*\d|[ap]\.?\s?m\b|[ap]\b|h\b|uhr\b|hrs?\b|hours?\b|heures?\b"
    r"|horas?\b|stunden?\b|min))"
)


_CLOCK_AFTER = r"(?!\s*(?:[:.h]\d|[ap]\.?\s?m\b|h\b|uhr\b))"
"""Not a clock's hour: "May 8am" and "with May 12:30" are a name and a time, not 8 or 12 May."""


def _last_day(group: str) -> str:
    """The "-27" of "Nov 26-27" (several days; the first is taken), never a time's "-8pm"."""
    return (
        rf"(?:\s*[{DASH}]\s*(?P<{group}>[0-3]?\d)(?!\d)(?:st|nd|rd|th|er|\.)?"
        r"(?!\s*(?:[ap]\.?\s?m\b|h\b|uhr\b|[:.]\d)))?"
    )


def _grammar(languages: Sequence[str]) -> _Grammar:
    key = tuple(languages)
    cached = _GRAMMARS.get(key)
    if cached is not None:
        return cached
    weekday = _weekday_alternation(key)
    month = alternation(month_words(key))
    relative = _relative_alternation(key)
    weekday_prefix = rf"(?:(?P<wd>{weekday})\b\.?,?\s+(?:the\s+|le\s+|el\s+|den\s+)?)?"
    full_date = re.compile(
        rf"(?<![\w])(?P<mods>{_MODIFIERS}){weekday_prefix}"
        rf"(?:{_DAY}{_last_day('last')}\s*(?:of\s+|de\s+)?(?P<month>{month})\b\.?"
        rf"(?:,?\s+(?:de\s+)?{_YEAR})?"
        rf"|(?P<month2>{month})\b\.?\s+(?P<day2>[0-3]?\d)(?!\d)(?:st|nd|rd|th)?{_CLOCK_AFTER}"
        rf"{_last_day('last2')}"
        rf"(?:,?\s+{_YEAR.replace('year', 'year2')})?)"
        r"(?![\w/])",
        re.IGNORECASE,
    )
    numeric_date = re.compile(
        rf"(?<![\w])(?P<mods>{_MODIFIERS}){weekday_prefix}"
        r"(?P<num>(?<![\d/.])(?:(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})"
        r"|(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<y>\d{2}|\d{4}))?"
        r"|(?P<da>\d{1,2})\.(?P<mo>\d{1,2})\.(?P<dy>\d{4}|\d{2})?"
        r"|(?P<xd>\d{1,2})-(?P<xm>\d{1,2})-(?P<xy>\d{4})))(?![\d/]|\.\d)",
        re.IGNORECASE,
    )
    weekday_only = re.compile(
        rf"(?<![\w])(?P<mods>{_MODIFIERS})(?:(?P<nw>{NEXT_WEEK})\s+(?:on\s+)?)?"
        rf"(?P<wd>{weekday})\b\.?"
        rf"(?:,?\s+(?:(?:the|le|el|den)\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.)?"
        rf"|(?P<dayn>[0-3]?\d)(?:st|nd|rd|th|er|\.|(?=\s*,|\s*$)))(?![\w/]){_NOT_A_TIME})?"
        rf"(?:\s+(?P<after>{NEXT_WEEK}|prochain|que\s+viene))?",
        re.IGNORECASE,
    )
    relative_words = re.compile(
        rf"(?<![\w])(?:(?<!\bla\s)(?<!\bam\s)(?<!\bguten\s)(?P<rel>{relative})"
        r"|(?P<in>in|dans|en)\s+(?P<n>\d{1,2}|a|one|two|three|un|une|deux|trois|dos|tres|zwei|drei)"
        r"\s+(?P<unit>days?|weeks?|jours?|semaines?|d[ií]as?|semanas?|tagen|wochen)"
        r"|(?:on\s+)?the\s+(?P<nth>[0-3]?\d)(?:st|nd|rd|th))(?![\w])",
        re.IGNORECASE,
    )
    weekday_names = {
        fold(word): (index, position > 0, lang)
        for lang in key
        for index, names in enumerate(WEEKDAYS.get(lang, ()))
        for position, word in enumerate(names)
    }
    month_names = {
        fold(word): lang for lang in key for names in MONTHS.get(lang, ()) for word in names
    }
    languages_of: dict[str, set[str]] = {}
    for lang in key:
        for word in [*weekday_words([lang]), *month_words([lang])]:
            languages_of.setdefault(fold(word), set()).add(lang)
    language_words = {word: langs.pop() for word, langs in languages_of.items() if len(langs) == 1}
    grammar = _Grammar(
        full_date,
        numeric_date,
        weekday_only,
        relative_words,
        weekday_names,
        month_names,
        language_words,
    )
    _GRAMMARS[key] = grammar
    return grammar


# --- Reading the day -------------------------------------------------------------------


def read_day(reading: Reading) -> None:
    """The day: a date first, else a weekday or "tomorrow" and the like, the surer first.

    A weekday written beside an explicit date ("Thursday, November 26th")
    is part of it and only checked. A second, unused weekday stays in the
    text ("Tuesday Tech Talks, Nov 24": the title keeps "Tuesday"). A word
    such as "tonight" wins over a weekday that is only perhaps one (a name,
    a title's word): "Drinks with Sam tonight", "Black Friday party tonight".
    """
    if read_nth_weekday(reading):
        return
    grammar = _grammar(reading.languages)
    line = reading.line
    for pattern in (grammar.full_date, grammar.numeric_date):
        for match in pattern.finditer(line.masked):
            if _absolute_day(reading, grammar, match):
                line.take("day", match.start(), match.end())
                _after_date_weekday(reading, grammar)
                return
    weekdays = [
        (_weekday_anchor(reading, grammar, m), m) for m in grammar.weekday.finditer(line.masked)
    ]
    weekdays = [(anchor, m) for anchor, m in weekdays if anchor > 0]
    best = max((anchor for anchor, _ in weekdays), default=0)
    if best < _SURE:
        for match in grammar.relative.finditer(line.masked):
            if _relative_day(reading, grammar, match):
                line.take("day", match.start(), match.end())
                return
    if weekdays:
        match = next(m for anchor, m in weekdays if anchor == best)
        _weekday_day(reading, grammar, match)
        line.take("day", match.start(), match.end())


def _after_date_weekday(reading: Reading, grammar: _Grammar) -> None:
    """Mask "Thursday" in "Nov 26 (Thursday)": it is part of the date, not of the title."""
    match = re.search(
        rf"\x00[\s,(]*(?P<wd>{_weekday_alternation(reading.languages)})\b\.?\)?",
        reading.line.masked,
        re.IGNORECASE,
    )
    if match and grammar.weekday_names[fold(match.group("wd"))][0] == _weekday(reading):
        reading.line.take("day", match.start() + 1, match.end())


def _weekday(reading: Reading) -> int:
    return reading.day.weekday() if reading.day else -1


def _ref_day(reading: Reading) -> date:
    return reading.reference.date()


def _absolute_day(reading: Reading, grammar: _Grammar, match: re.Match[str]) -> bool:
    """A date with a month name (via dateparser) or in numbers (read here).

    Numbers are read here: once the order of day and month is decided, only
    the year is left to choose, and dateparser returns nothing for "1.12.".
    """
    groups = match.groupdict()
    if groups.get("month") or groups.get("month2"):
        month_word = groups.get("month") or groups.get("month2") or ""
        language = grammar.month_names.get(fold(month_word), "en")
        year = groups.get("year") or groups.get("year2") or ""
        has_year = bool(year)
        day = groups.get("day") or groups.get("day2")
        found = _dateparser_day(reading, f"{day} {month_word.rstrip('.')} {year}", language)
        last = groups.get("last") or groups.get("last2")
        if found is not None and last:
            reading.note(
                "day", f"several days (to the {last}): the first, {day_text(found)}, taken"
            )
    else:
        parts = _numeric_parts(reading, groups)
        if parts is None:
            return False
        day, month, year = parts
        has_year = year is not None
        found = _next_date(_ref_day(reading), day, month, year)
    if found is None:
        raise NotAnEventError(f"“{match.group(0).strip()}” is not a date")
    reading.day = found
    if not has_year:
        reading.note("day", f"no year: the next {found.day} {found:%B} ({found.year})")
    elif found < _ref_day(reading):
        reading.note("day", f"{found.day} {found:%B %Y} is in the past")
    if groups.get("wd"):
        index = grammar.weekday_names[fold(groups["wd"])][0]
        if index != found.weekday():
            reading.note(
                "day",
                f"“{groups['wd']}” does not match {found.day} {found:%B} (a {found:%A}): "
                "the date was taken",
            )
    return True


def _next_date(today: date, day: int, month: int, year: int | None) -> date | None:
    """The date, or without a year the first such date from ``today`` on; None if none."""
    years = [year] if year is not None else range(today.year, today.year + 9)
    for candidate in years:
        try:
            found = date(candidate, month, day)
        except ValueError:
            continue
        if year is not None or found >= today:
            return found
    return None


def _numeric_parts(reading: Reading, groups: dict[str, Any]) -> tuple[int, int, int | None] | None:
    """(day, month, year) of "26/11", "11/26/2026", "26.11.", "2026-11-26"; None if no date.

    "10/12" is 12 October or 10 December: the reading nearer the week on
    screen is taken (the line's language decides only between two as near),
    never a date a year away when a nearer reading exists, and it is noted,
    since the other could be meant.
    """
    if groups.get("iy"):
        return int(groups["id"]), int(groups["im"]), int(groups["iy"])
    first = int(groups.get("a") or groups.get("da") or groups.get("xd") or 0)
    second = int(groups.get("b") or groups.get("mo") or groups.get("xm") or 0)
    year_text = groups.get("y") or groups.get("dy") or groups.get("xy")
    year = None if not year_text else int(year_text) + (2000 if len(year_text) == 2 else 0)
    if not (1 <= first <= 31 and 1 <= second <= 31) or (first > 12 and second > 12):
        return None
    if groups.get("da") or groups.get("xd") or first > 12:
        return first, second, year
    if second > 12 or first == second:
        return second, first, year
    today = _ref_day(reading)
    month_first = _line_language(reading) == "en"
    readings = [(second, first, "month/day"), (first, second, "day/month")]
    if not month_first:
        readings.reverse()  # the line's own order first: it wins a tie

    def distance(parts: tuple[int, int, str]) -> int:
        found = _next_date(today, parts[0], parts[1], year)
        return abs((found - today).days) if found else 10**6

    day, month, shown = min(readings, key=distance)
    other_day, other_month, _ = next(r for r in readings if r[2] != shown)
    other = _next_date(today, other_day, other_month, year)
    other_text = f"{other.day} {other:%B %Y}" if other else "no date"
    reading.note(
        "day",
        f"“{groups['num']}” read as {shown}, {day} {date(2000, month, 1):%B}: nearer than "
        f"{other_text}",
    )
    return day, month, year


def _line_language(reading: Reading) -> str:
    """The line's language, from its words, for numbers whose order depends on it."""
    scores = _line_scores(reading.line.text, reading.languages)
    best = max(reading.languages, key=lambda lang: scores.get(lang, 0))
    return best if scores.get(best, 0) >= 2 else reading.languages[0]


def _dateparser_day(reading: Reading, text: str, language: str) -> date | None:
    """dateparser's reading of an explicit date; None when it is no date.

    ``RELATIVE_BASE`` is noon the day before the reference: with
    ``PREFER_DATES_FROM="future"`` a date without a year then resolves to
    the reference day itself or later (from the reference, dateparser would
    send "Nov 23" typed on 23 November to next year).
    """
    import dateparser  # deferred: ~0.3 s the first time, always off the GUI thread

    base = datetime.combine(_ref_day(reading) - timedelta(days=1), time(12))
    settings: dict[str, Any] = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": reading.settings.timezone,
        "REQUIRE_PARTS": ["day", "month"],
    }
    languages = [language, *(lang for lang in reading.languages if lang != language)]
    try:
        result = dateparser.parse(text, languages=languages, settings=settings)
    except (ValueError, OverflowError):
        return None
    if not isinstance(result, datetime):
        return None
    return result.date()


_SURE = 3
"""The anchor of a weekday that is surely the day: "next Thu", "Thu 26", "Thu 6pm"."""


def _weekday_anchor(reading: Reading, grammar: _Grammar, match: re.Match[str]) -> int:
    """How surely a weekday word is the event's day: 0 (it is not) to 3 (:data:`_SURE`).

    3: with "next", "on", "le"..., a day number, or next to a time ("Thu
    6pm", "Do 18 Uhr", "7-9am Wed"); 2: a full name opening the line or
    after a comma or dash; 1: a full name elsewhere. The surest weekday wins
    ("Black Friday Brunch, Fri 11am" is on the Friday of "Fri").

    An abbreviation counts only at 3 ("Sun Life", "Do you" are no days), and
    only in a line of its own language ("Drinks with Sam 9pm" is English, and
    "sam" is French for Saturday; "Lunch with Mo 12:30" is no German Monday)
    and never after "with" or "and" ("Tapas con Dom a las 21h"): names are
    not days. With a day number ("Sa 28.") it always counts.
    """
    _, abbreviated, language = grammar.weekday_names[fold(match.group("wd"))]
    if match.group("day") or match.group("dayn") or match.group("nw"):
        return _SURE
    if abbreviated and (
        _WITH_BEFORE.search(match.string, 0, match.start())
        or not _in_its_language(reading, grammar, match, language)
    ):
        return 0
    if match.group("mods").strip():
        return _SURE
    rest = match.string[match.end() :]
    before = match.string[: match.start()].rstrip(" ")
    if _TIME_AFTER.match(rest) or _TIME_BEFORE.search(before):
        return _SURE
    opens = not before or before.endswith((",", "|", "–", "—", "-", "·", "(", ":", "\x00"))
    if abbreviated:
        closes = re.match(rf"\s*(?:$|[,|·)\x00]|[{DASH}]\s)", rest)
        return _SURE if match.group(0).endswith(".") or (opens and closes) else 0
    return 2 if opens else 1


_WITH_BEFORE = re.compile(r"\b(?:with|and|avec|et|con|y|mit|und|&)\s+$", re.IGNORECASE)
"""After "with" or "and" a short capitalised word is a person: "con Dom", "mit Mo"."""


def _in_its_language(
    reading: Reading, grammar: _Grammar, match: re.Match[str], language: str
) -> bool:
    """Whether an abbreviation of ``language`` may be a weekday in this line.

    One of the first language read (English unless told otherwise) may: its
    abbreviations are read in lines of every language ("Afterwork Thu 18h30").
    One of another language needs the rest of the line to read as that
    language at least as much as any other: "Apéro sam 18h" is on Saturday,
    "Drinks with Sam 9pm" has no day.
    """
    if language == reading.languages[0]:
        return True
    scores = dict(_line_scores(match.string.replace("\x00", " "), reading.languages))
    word = match.group("wd")  # its own evidence does not count
    for lang, count in language_scores(word, grammar.language_words, reading.languages).items():
        scores[lang] -= count
    own = scores.get(language, 0)
    return own > 0 and own >= max(scores.values())


@functools.lru_cache(maxsize=32)
def _line_scores(text: str, languages: tuple[str, ...]) -> dict[str, int]:
    """:func:`language_scores` of a whole line, once however many weekday words it holds
    (a line of 300 "Sam" would otherwise cost 300 readings of the line)."""
    return language_scores(text, _grammar(languages).language_words, languages)


_TIME_AFTER = re.compile(
    rf"[\s,.]*(?:\x00|(?:at\s+|à\s+|um\s+|a\s+las\s+)?\d{{1,2}}(?:[:.h]\d\d)?\s?"
    rf"(?:[ap]\.?m\b|[ap]\b|h\b|uhr\b|ish\b|[:h]|\s*[{DASH}])|noon|midi|evening)",
    re.IGNORECASE,
)
_TIME_BEFORE = re.compile(r"\d\s*(?:[ap]\.?m\.?|h|uhr)?,?$", re.IGNORECASE)


def _weekday_day(reading: Reading, grammar: _Grammar, match: re.Match[str]) -> bool:
    index = grammar.weekday_names[fold(match.group("wd"))][0]
    today = _ref_day(reading)
    mods = match.group("mods").casefold().split()
    after = (match.group("after") or "").casefold()
    number = match.group("day") or match.group("dayn")
    if number:
        return _day_of_month(reading, int(number), index, match.group(0).strip())
    if match.group("nw") or any(word in after for word in ("week", "semana", "woche")):
        monday = today - timedelta(days=today.weekday())
        reading.day = monday + timedelta(days=7 + index)
        return True
    reading.day = today + timedelta(days=(index - today.weekday()) % 7)
    said_next = after in ("prochain", "que viene") or any(re.fullmatch(NEXT_WORDS, m) for m in mods)
    if said_next and reading.day == today:
        reading.day += timedelta(days=7)
    words = " ".join(match.group(0).split())
    if said_next:
        reading.note(
            "day", f"“{words}” read as the coming {reading.day:%A}, {day_text(reading.day)}"
        )
    else:
        reading.day_from_weekday = words
    return True


def day_text(day: date) -> str:
    return f"{day.day} {day:%B}"


def _day_of_month(reading: Reading, number: int, weekday: int, words: str) -> bool:
    """ "Thu 26", "the 26th": the next such day of a month, preferring one on that weekday."""
    if not 1 <= number <= 31:
        return False
    today = _ref_day(reading)
    candidates: list[date] = []
    year, month = today.year, today.month
    for _ in range(14):
        try:
            candidate = date(year, month, number)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            candidates.append(candidate)
        month += 1
        if month == 13:
            year, month = year + 1, 1
    if not candidates:
        return False
    matching = [c for c in candidates if weekday < 0 or c.weekday() == weekday]
    reading.day = (matching or candidates)[0]
    if reading.day != candidates[0] or not matching:
        reading.note("day", f"“{words}” read as {reading.day:%A} {day_text(reading.day)}")
    elif weekday < 0:
        reading.note("day", f"no month: “{words}” read as {day_text(reading.day)}")
    return True


def _relative_day(reading: Reading, grammar: _Grammar, match: re.Match[str]) -> bool:
    today = _ref_day(reading)
    if match.group("nth"):
        return _day_of_month(reading, int(match.group("nth")), -1, match.group(0).strip())
    if match.group("in"):
        count_text = match.group("n").casefold()
        count = int(count_text) if count_text.isdigit() else int(WORD_NUMBERS[count_text])
        unit = match.group("unit").casefold()
        week = unit.startswith(("week", "semaine", "semana", "woche"))
        reading.day = today + timedelta(days=count * (7 if week else 1))
        return True
    words = " ".join(match.group("rel").casefold().split())
    for lang in reading.languages:
        for phrase, offset, evening in RELATIVE_DAYS.get(lang, ()):
            if phrase == words:
                reading.day = today + timedelta(days=offset)
                reading.evening = reading.evening or evening
                return True
    return False

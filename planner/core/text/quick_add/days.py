"""The day of a typed line: dates, weekdays and "tomorrow", in four languages.

Dates with a month or in numbers ("Nov 26", "26 de noviembre", "26.11.",
"2026-11-26") are resolved by dateparser, which knows month names and
ordinals in many languages. Weekdays and words such as "tomorrow" are
resolved here, against ``reference`` (the week on screen, not the clock),
because dateparser resolves "Monday" on a Monday morning to next week and
does not read "jeudi prochain", "el próximo jueves" or "pasado mañana".

The weekday, month and relative-day words of each language are tables
here; the patterns built from them are compiled once per set of languages.
dateparser is imported inside :func:`_dateparser_day`: its first call costs
about 0.3 s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from planner.core.text.quick_add.line import DASH, WORD_NUMBERS, NotAnEventError, Reading

# --- Vocabulary ------------------------------------------------------------------------


def _table(text: str) -> tuple[tuple[str, ...], ...]:
    """ "monday mon | tuesday tue" -> (("monday", "mon"), ("tuesday", "tue"))."""
    return tuple(tuple(entry.split()) for entry in text.split("|"))


# Each entry: the full name first, then other spellings and abbreviations. An
# abbreviated weekday needs an anchor to count (see _weekday_anchor).
_WEEKDAYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": _table(
        "monday mon | tuesday tues tue | wednesday wed | thursday thurs thur thu | friday fri"
        " | saturday sat | sunday sun"
    ),
    "fr": _table(
        "lundi lun | mardi mar | mercredi mer | jeudi jeu | vendredi ven | samedi sam"
        " | dimanche dim"
    ),
    "es": _table(
        "lunes | martes | miércoles miercoles mié mie | jueves jue | viernes vie"
        " | sábado sabado sáb sab | domingo dom"
    ),
    "de": _table(
        "montag mo | dienstag di | mittwoch mi | donnerstag do | freitag fr"
        " | samstag sonnabend sa | sonntag so"
    ),
}
_MONTHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": _table(
        "january jan | february feb | march mar | april apr | may | june jun | july jul"
        " | august aug | september sept sep | october oct | november nov | december dec"
    ),
    "fr": _table(
        "janvier janv | février fevrier févr fevr fév fev | mars | avril avr | mai | juin"
        " | juillet juil | août aout | septembre sept | octobre oct | novembre nov"
        " | décembre decembre déc dec"
    ),
    "es": _table(
        "enero ene | febrero feb | marzo mar | abril abr | mayo | junio jun | julio jul"
        " | agosto ago | septiembre setiembre sept sep | octubre oct | noviembre nov"
        " | diciembre dic"
    ),
    "de": _table(
        "januar jänner jan | februar feb | märz maerz mär mrz | april apr | mai | juni jun"
        " | juli jul | august aug | september sept sep | oktober okt | november nov"
        " | dezember dez"
    ),
}
# (words, days after the reference day, says "evening"); longest first where one
# phrase starts another ("tomorrow night" before "tomorrow").
_RELATIVE_DAYS: dict[str, tuple[tuple[str, int, bool], ...]] = {
    "en": (
        ("tonight", 0, True),
        ("this evening", 0, True),
        ("today", 0, False),
        ("the day after tomorrow", 2, False),
        ("day after tomorrow", 2, False),
        ("tomorrow night", 1, True),
        ("tomorrow evening", 1, True),
        ("tomorrow", 1, False),
        ("tmrw", 1, False),
        ("tmw", 1, False),
    ),
    "fr": (
        ("ce soir", 0, True),
        ("aujourd'hui", 0, False),
        ("aujourd’hui", 0, False),
        ("après-demain", 2, False),
        ("apres-demain", 2, False),
        ("demain soir", 1, True),
        ("demain", 1, False),
    ),
    "es": (
        ("esta noche", 0, True),
        ("hoy", 0, False),
        ("pasado mañana", 2, False),
        ("mañana por la noche", 1, True),
        ("mañana", 1, False),
    ),
    "de": (
        ("heute abend", 0, True),
        ("heute", 0, False),
        ("übermorgen", 2, False),
        ("morgen abend", 1, True),
        ("morgen", 1, False),
    ),
}
_NEXT_WORDS = r"next|coming|prochain|prochaine|próximo|proximo|nächsten|naechsten|kommenden"
_THIS_WORDS = r"this|on|ce|le|el|este|(?<![\d.]\s)(?<!\d)am|diesen|den"
"""German "am" (am Mittwoch), but not the "am" of "9 am Mon"."""
_NEXT_WEEK = (
    r"next\s+week|of\s+next\s+week|la\s+semaine\s+prochaine|de\s+la\s+semaine\s+prochaine"
    r"|la\s+pr[óo]xima\s+semana|de\s+la\s+semana\s+que\s+viene|n[äa]chste\s+woche"
    r"|der\s+n[äa]chsten\s+woche"
)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# --- Patterns --------------------------------------------------------------------------


def _weekday_alternation(languages: Sequence[str]) -> str:
    return _alternation(w for lang in languages for day in _WEEKDAYS.get(lang, ()) for w in day)


def _month_alternation(languages: Sequence[str]) -> str:
    return _alternation(w for lang in languages for month in _MONTHS.get(lang, ()) for w in month)


def _relative_alternation(languages: Sequence[str]) -> str:
    words = [w for lang in languages for w, _, _ in _RELATIVE_DAYS.get(lang, ())]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len)[::-1])


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


_GRAMMARS: dict[tuple[str, ...], _Grammar] = {}
_MODIFIERS = rf"(?:(?:{_NEXT_WORDS}|{_THIS_WORDS})\s+){{0,2}}"
_DAY = r"(?P<day>[0-3]?\d)(?!\d)(?:st|nd|rd|th|er|e|º|°|\.)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?!\d)"
_NOT_A_TIME = (
    rf"(?!\s*(?:[{DASH}:h.]\s*\d|[ap]\.?\s?m\b|[ap]\b|h\b|uhr\b|hrs?\b|hours?\b|heures?\b"
    r"|horas?\b|stunden?\b|min))"
)


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
    month = _month_alternation(key)
    relative = _relative_alternation(key)
    weekday_prefix = rf"(?:(?P<wd>{weekday})\b\.?,?\s+(?:the\s+|le\s+|el\s+|den\s+)?)?"
    full_date = re.compile(
        rf"(?<![\w])(?P<mods>{_MODIFIERS}){weekday_prefix}"
        rf"(?:{_DAY}{_last_day('last')}\s*(?:of\s+|de\s+)?(?P<month>{month})\b\.?"
        rf"(?:,?\s+(?:de\s+)?{_YEAR})?"
        rf"|(?P<month2>{month})\b\.?\s+(?P<day2>[0-3]?\d)(?!\d)(?:st|nd|rd|th)?{_last_day('last2')}"
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
        rf"(?<![\w])(?P<mods>{_MODIFIERS})(?:(?P<nw>{_NEXT_WEEK})\s+(?:on\s+)?)?"
        rf"(?P<wd>{weekday})\b\.?"
        rf"(?:,?\s+(?:(?:the|le|el|den)\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|\.)?"
        rf"|(?P<dayn>[0-3]?\d)(?:st|nd|rd|th|er|\.|(?=\s*,|\s*$)))(?![\w/]){_NOT_A_TIME})?"
        rf"(?:\s+(?P<after>{_NEXT_WEEK}|prochain|que\s+viene))?",
        re.IGNORECASE,
    )
    relative_words = re.compile(
        rf"(?<![\w])(?:(?<!la\s)(?<!am\s)(?<!guten\s)(?P<rel>{relative})"
        r"|(?P<in>in|dans|en)\s+(?P<n>\d{1,2}|a|one|two|three|un|une|deux|trois|dos|tres|zwei|drei)"
        r"\s+(?P<unit>days?|weeks?|jours?|semaines?|d[ií]as?|semanas?|tagen|wochen)"
        r"|(?:on\s+)?the\s+(?P<nth>[0-3]?\d)(?:st|nd|rd|th))(?![\w])",
        re.IGNORECASE,
    )
    weekday_names = {
        _fold(word): (index, position > 0, lang)
        for lang in key
        for index, names in enumerate(_WEEKDAYS.get(lang, ()))
        for position, word in enumerate(names)
    }
    month_names = {
        _fold(word): lang for lang in key for names in _MONTHS.get(lang, ()) for word in names
    }
    grammar = _Grammar(
        full_date,
        numeric_date,
        weekday_only,
        relative_words,
        weekday_names,
        month_names,
    )
    _GRAMMARS[key] = grammar
    return grammar


def _fold(word: str) -> str:
    return word.casefold().rstrip(".")


# --- Reading the day -------------------------------------------------------------------


def read_day(reading: Reading) -> None:
    """The day: an explicit date first, else a weekday, else "tomorrow" and the like.

    A weekday written beside an explicit date ("Thursday, November 26th")
    is part of it and only checked. A second, unused weekday stays in the
    text ("Tuesday Tech Talks, Nov 24": the title keeps "Tuesday").
    """
    grammar = _grammar(reading.languages)
    line = reading.line
    for pattern in (grammar.full_date, grammar.numeric_date):
        for match in pattern.finditer(line.masked):
            if _absolute_day(reading, grammar, match):
                line.take("day", match.start(), match.end())
                _after_date_weekday(reading, grammar)
                return
    weekdays = [(_weekday_anchor(grammar, m), m) for m in grammar.weekday.finditer(line.masked)]
    weekdays = [(anchor, m) for anchor, m in weekdays if anchor > 0]
    if weekdays:
        best = max(anchor for anchor, _ in weekdays)
        match = next(m for anchor, m in weekdays if anchor == best)
        _weekday_day(reading, grammar, match)
        line.take("day", match.start(), match.end())
        return
    for match in grammar.relative.finditer(line.masked):
        if _relative_day(reading, grammar, match):
            line.take("day", match.start(), match.end())
            return


def _after_date_weekday(reading: Reading, grammar: _Grammar) -> None:
    """Mask "Thursday" in "Nov 26 (Thursday)": it is part of the date, not of the title."""
    match = re.search(
        rf"\x00[\s,(]*(?P<wd>{_weekday_alternation(reading.languages)})\b\.?\)?",
        reading.line.masked,
        re.IGNORECASE,
    )
    if match and grammar.weekday_names[_fold(match.group("wd"))][0] == _weekday(reading):
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
        language = grammar.month_names.get(_fold(month_word), "en")
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
        parts = _numeric_parts(reading, grammar, groups)
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
        index = grammar.weekday_names[_fold(groups["wd"])][0]
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


def _numeric_parts(
    reading: Reading, grammar: _Grammar, groups: dict[str, Any]
) -> tuple[int, int, int | None] | None:
    """(day, month, year) of "26/11", "11/26/2026", "26.11.", "2026-11-26"; None if no date.

    "5/11" is 11 May in an English line and 5 November in the others; the
    reading is noted, since either could be meant.
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
    if second > 12:
        return second, first, year
    month_first = _line_language(reading, grammar) == "en"
    day, month = (second, first) if month_first else (first, second)
    shown = "month/day" if month_first else "day/month"
    reading.note("day", f"“{groups['num']}” read as {shown}: {day} {date(2000, month, 1):%B}")
    return day, month, year


def _line_language(reading: Reading, grammar: _Grammar) -> str:
    """The line's language, from its words, for numbers whose order depends on it."""
    text = reading.line.text.casefold()
    scores = {
        "fr": len(re.findall(r"\b(?:le|la|les|du|des|à|au|chez|et|soirée|h\d\d)\b", text)),
        "es": len(re.findall(r"\b(?:el|las|los|del|y|en|de la|a las)\b", text)),
        "de": len(re.findall(r"\b(?:uhr|am|um|im|und|der|die|das|bis|von)\b", text)),
    }
    for word in re.findall(r"[^\W\d_]+", text):
        lang = grammar.month_names.get(word) or grammar.weekday_names.get(word, (0, 0, ""))[2]
        if lang in scores:
            scores[lang] += 2
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] >= 2 and best in reading.languages else reading.languages[0]


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


def _weekday_anchor(grammar: _Grammar, match: re.Match[str]) -> int:
    """How surely a weekday word is the event's day: 0 (it is not) to 3.

    3: with "next", "on", "le"..., a day number, or next to a time ("Thu
    6pm", "Do 18 Uhr", "7-9am Wed"); 2: a full name opening the line or
    after a comma or dash; 1: a full name elsewhere. An abbreviation counts
    only at 3 ("Sun Life", "Do you" and "Sam" are no days), and the surest
    weekday wins ("Black Friday Brunch, Fri 11am" is on the Friday of "Fri").
    """
    _, abbreviated, _ = grammar.weekday_names[_fold(match.group("wd"))]
    if (
        match.group("mods").strip()
        or match.group("day")
        or match.group("dayn")
        or match.group("nw")
    ):
        return 3
    rest = match.string[match.end() :]
    before = match.string[: match.start()].rstrip(" ")
    if _TIME_AFTER.match(rest) or _TIME_BEFORE.search(before):
        return 3
    opens = not before or before.endswith((",", "|", "–", "—", "-", "·", "(", ":", "\x00"))
    if abbreviated:
        closes = re.match(rf"\s*(?:$|[,|·)\x00]|[{DASH}]\s)", rest)
        return 3 if match.group(0).endswith(".") or (opens and closes) else 0
    return 2 if opens else 1


_TIME_AFTER = re.compile(
    rf"[\s,.]*(?:\x00|(?:at\s+|à\s+|um\s+|a\s+las\s+)?\d{{1,2}}(?:[:.h]\d\d)?\s?"
    rf"(?:[ap]\.?m\b|[ap]\b|h\b|uhr\b|ish\b|[:h]|\s*[{DASH}])|noon|midi|tonight|evening)",
    re.IGNORECASE,
)
_TIME_BEFORE = re.compile(r"\d\s*(?:[ap]\.?m\.?|h|uhr)?,?$", re.IGNORECASE)


def _weekday_day(reading: Reading, grammar: _Grammar, match: re.Match[str]) -> bool:
    index = grammar.weekday_names[_fold(match.group("wd"))][0]
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
    said_next = after in ("prochain", "que viene") or any(
        re.fullmatch(_NEXT_WORDS, m) for m in mods
    )
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
        for phrase, offset, evening in _RELATIVE_DAYS.get(lang, ()):
            if phrase == words:
                reading.day = today + timedelta(days=offset)
                reading.evening = reading.evening or evening
                return True
    return False

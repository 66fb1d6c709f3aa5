"""Start, end and length of a typed event: "6-8pm", "18h à 20h", "7pm for 2h", "until 9".

Times are read by a small grammar here, never by dateparser: it reads
"18h" as the year 2118 and "$25" as a date, and has no notion of ranges
("6-8pm", "18–20 Uhr", "de 18h à 20h") or durations ("7pm for 2h"). A time
without am/pm is guessed from the hour and the line's words ("dinner",
"breakfast") and the guess is noted; a zone written after a time ("7pm
PST") moves the event into the user's zone (:func:`in_zone`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from planner.core.text.quick_add.line import DASH, WORD_NUMBERS, Reading

_EVENING = re.compile(
    r"\b(?:tonight|evening|night|after\s*work|afterwork|happy\s+hour|drinks|dinner|soir|soirée"
    r"|apéro|apero|dîner|noche|tarde|cena|abend|feierabend|nacht)\b",
    re.IGNORECASE,
)
"""Words that put a time without am/pm in the evening ("drinks at 7" is 19:00)."""
_MORNING = re.compile(
    r"\b(?:morning|breakfast|brunch|matin|petit[- ]déjeuner|desayuno|frühstück|vormittag)\b",
    re.IGNORECASE,
)
"""Words that put a time without am/pm in the morning ("breakfast at 7" is 07:00)."""


_PM_WORDS = (
    r"de\s+la\s+tarde|de\s+la\s+noche|du\s+soir|de\s+l'après-midi|abends|nachmittags"
    r"|in\s+the\s+(?:evening|afternoon)|at\s+night"
)
_AM_WORDS = r"de\s+la\s+mañana|du\s+matin|morgens|vormittags|früh|in\s+the\s+morning"


def _clock(p: str) -> str:
    """A time of day; group names prefixed with ``p`` so two clocks fit in one pattern."""
    return (
        rf"(?P<{p}>(?P<{p}word>noon|midday|midnight|midi|minuit|mediod[ií]a|medianoche|mittags"
        rf"|mitternacht)\b"
        rf"|(?<![\w$€£.,:/])(?P<{p}h>2[0-4]|[01]?\d)(?!\d)"
        rf"(?:(?P<{p}sep>[:.]|\s?h\s?)(?P<{p}m>[0-5]\d)(?!\d)|(?P<{p}hh>\s?h)(?![^\W\d_]))?"
        rf"(?:\s?(?P<{p}ap>[ap])\.?\s?m\b\.?|(?P<{p}ap1>[ap])(?![^\W_]))?"
        rf"(?P<{p}ish>ish\b)?(?:\s?(?P<{p}uhr>uhr)\b)?(?:\s?(?P<{p}oc>o['’]?clock)\b)?"
        rf"(?:\s+(?P<{p}pm>{_PM_WORDS})|\s+(?P<{p}am>{_AM_WORDS}))?)"
    )


_ZONE_WORDS = {
    **dict.fromkeys(("EST", "EDT", "ET"), "America/New_York"),
    **dict.fromkeys(("CST", "CDT", "CT"), "America/Chicago"),
    **dict.fromkeys(("MST", "MDT", "MT"), "America/Denver"),
    **dict.fromkeys(("PST", "PDT", "PT"), "America/Los_Angeles"),
    **dict.fromkeys(("CET", "CEST", "MEZ", "MESZ"), "Europe/Berlin"),
    **dict.fromkeys(("UTC", "GMT"), "UTC"),
}
"""Zone abbreviations written after a time ("10:00 AM – 3:00 PM EST"), as IANA zones."""
_ZONE = rf"(?:\s?(?-i:(?P<tz>{'|'.join(sorted(_ZONE_WORDS, key=len, reverse=True))}))\b)?"
_TO = rf"[{DASH}~]|to|till|til|until|à|a|au|bis|hasta|jusqu['’]à"
_RANGE = re.compile(
    rf"(?P<pre>\b(?:from|de|des|du|von|desde|ab)\s+(?:las\s+|la\s+)?)?{_clock('s')}"
    rf"\s*(?:{_TO})\s*(?:las\s+|la\s+)?{_clock('e')}{_ZONE}",
    re.IGNORECASE,
)
_BETWEEN = re.compile(
    rf"(?P<pre>\b(?:between|entre|zwischen)\s+(?:las\s+)?){_clock('s')}"
    rf"\s+(?:and|et|y|und)\s+(?:las\s+)?{_clock('e')}{_ZONE}",
    re.IGNORECASE,
)
_UNTIL = re.compile(
    rf"(?P<pre>\b(?:until|till|til|to|ends?\s+at|jusqu['’]à|hasta(?:\s+las)?|bis)\s+){_clock('e')}",
    re.IGNORECASE,
)
_SINGLE = re.compile(
    rf"(?P<pre>(?:\b(?:at|à|a\s+las|a\s+la|um|ab|dès|starting\s+at|starts\s+at|start"
    rf"|doors(?:\s+open)?(?:\s+at)?|from|de|desde|von)|@)\s*)?{_clock('s')}{_ZONE}"
    rf"(?:\s*[{DASH}]\s*late|\s+(?:till|until|'til)\s+late|\s+onwards|\s+open\s+end)?",
    re.IGNORECASE,
)
_BARE_CLOCK_FOLLOWS = re.compile(
    r"\s*(?:$|[^\w\s]|\x00|(?:o'?clock|sharp|on|for|until|till|tonight|le|el|am|this|next|du|de"
    r"|and|to|with|pour|para|mit|at|in|chez|au|en|bei|im|à)\b)",
    re.IGNORECASE,
)
_NOT_A_RANGE_BEFORE = re.compile(
    r"(?:\b(?:room|rm|unit|suite|ste|apt|floor|level|ages?|grades?|no|nos|salle|sala|raum)\.?\s*"
    r"|[#\w$€£.,/])$",
    re.IGNORECASE,
)


_DURATION = re.compile(
    r"(?P<cue>\b(?:for|pendant|durant|durante|für|lasting|during)\s+"
    r"(?:about\s+|around\s+|approx\.?\s+|environ\s+|unos\s+|una\s+duración\s+de\s+|ca\.\s+"
    r"|etwa\s+)?|\(\s*)?"
    r"(?P<n>\d{1,3}(?:[.,]\d{1,2})?(?:\s?½)?(?![\d.,])|(?:½|half\s+an?|an?|one|two|three|four"
    r"|une?|deux|trois|una?|dos|tres|eine?|zwei|drei|vier)\b)[\s-]?"
    r"(?:(?P<hours>hours?|hrs?|heures?|horas?|stunden?|std\.?)(?![\w])"
    r"|(?P<h>h)(?![^\W\d_])|(?P<minutes>minutes?|mins?|min\.?|minutos?|minuten)(?![\w]))"
    r"(?:\s*(?:and\s+|et\s+|y\s+|und\s+)?(?P<m>[0-5]?\d)\s*(?:minutes?|mins?|min\.?|m)?(?![\w]))?"
    r"(?P<half>\s+and\s+a\s+half|\s+et\s+demie|\s+y\s+media|\s+und\s+eine\s+halbe)?"
    r"(?(cue)\s*\)?)",
    re.IGNORECASE,
)


@dataclass(slots=True)
class _Clock:
    hour: int
    minute: int
    meridiem: str = ""
    """"a" or "p" when written (also "du soir", "de la tarde"...), else ""."""
    twenty_four: bool = False
    """Written the 24-hour way ("18:00", "18h", "18 Uhr", "08:00"): never am/pm-ambiguous."""
    explicit: bool = False
    """Shaped like a time on its own (minutes, am/pm, "h", "Uhr"); a bare "6" is not."""


def _read_clock(match: re.Match[str], p: str) -> _Clock | None:
    word = match.group(f"{p}word")
    if word:
        folded = word.casefold()
        night = folded in ("midnight", "minuit", "medianoche", "mitternacht")
        return _Clock(0 if night else 12, 0, twenty_four=True, explicit=True)
    hour_text = match.group(f"{p}h")
    hour = int(hour_text)
    minute_text = match.group(f"{p}m")
    minute = int(minute_text) if minute_text else 0
    sep = (match.group(f"{p}sep") or "").strip().casefold()
    meridiem = (match.group(f"{p}ap") or match.group(f"{p}ap1") or "").casefold()
    if match.group(f"{p}pm"):
        meridiem = "p"
    elif match.group(f"{p}am"):
        meridiem = "a"
    uhr = bool(match.group(f"{p}uhr"))
    h_style = sep == "h" or bool(match.group(f"{p}hh"))
    if sep == "." and not (meridiem or uhr or h_style):
        return None  # "3.12" is a version or a price, "26.11" a date: a dot needs a suffix
    if hour == 24 and minute:
        return None
    if meridiem and (hour > 12 or hour == 0):
        return None
    twenty_four = (
        uhr or h_style or hour >= 13 or hour == 0 or (len(hour_text) == 2 and hour_text[0] == "0")
    )
    explicit = bool(
        minute_text or meridiem or uhr or h_style or match.group(f"{p}oc") or match.group(f"{p}ish")
    )
    return _Clock(hour % 24, minute, meridiem, twenty_four and not meridiem, explicit)


def _hour24(clock: _Clock, hint: str) -> tuple[int, bool]:
    """The 24-hour hour, and whether am/pm had to be guessed.

    Without am/pm, 1 to 7 are read as afternoon or evening and 8 to 11 as
    morning (networking happens after work, breakfasts before it), unless
    the line says "tonight", "dinner", "breakfast" and the like.
    """
    if clock.twenty_four or clock.hour == 12:
        if clock.meridiem == "a" and clock.hour == 12:
            return 0, False
        return clock.hour, False
    if clock.meridiem == "p":
        return clock.hour + 12, False
    if clock.meridiem == "a":
        return clock.hour, False
    if hint:
        return (clock.hour + 12 if hint == "p" else clock.hour), True
    return (clock.hour + 12 if clock.hour <= 7 else clock.hour), True


def _range_hours(start: _Clock, end: _Clock, hint: str) -> tuple[int, int, bool]:
    """24-hour start and end hours of a range; am/pm written once applies to both."""
    if end.twenty_four and not start.meridiem and start.hour <= 12 and not start.twenty_four:
        start = _Clock(start.hour, start.minute, twenty_four=True, explicit=True)
    if start.twenty_four and not end.meridiem and end.hour <= 12 and not end.twenty_four:
        end = _Clock(end.hour, end.minute, twenty_four=end.hour > start.hour, explicit=True)
    if end.meridiem and not start.meridiem and not start.twenty_four:
        start_hour, _ = _hour24(_Clock(start.hour, start.minute, end.meridiem), "")
        end_hour, _ = _hour24(end, "")
        if (start_hour, start.minute) >= (end_hour, end.minute):
            # "11-1pm": the start is on the other side of noon; a guess, so it is noted
            other = "a" if end.meridiem == "p" else "p"
            start_hour, _ = _hour24(_Clock(start.hour, start.minute, other), "")
            return start_hour, end_hour, True
        return start_hour, end_hour, False
    start_hour, guessed = _hour24(start, hint)
    if end.twenty_four or end.meridiem:
        return start_hour, _hour24(end, "")[0], guessed
    end_hour = end.hour % 12
    while (end_hour, end.minute) <= (start_hour, start.minute) and end_hour + 12 < 24:
        end_hour += 12
    return start_hour, end_hour, guessed or not start.twenty_four


# --- Reading the times -----------------------------------------------------------------


def read_times(reading: Reading) -> None:
    """Start and end: a range, else a start with a duration or an "until", else a start."""
    line = reading.line
    text = line.text
    hint = ""
    if reading.evening or _EVENING.search(text):
        hint = "p"
    elif _MORNING.search(text):
        hint = "a"
    _read_duration(reading)
    for pattern in (_BETWEEN, _RANGE):
        for match in pattern.finditer(line.masked):
            start, end = _read_clock(match, "s"), _read_clock(match, "e")
            if start is None or end is None:
                continue
            if not (start.explicit or end.explicit or match.group("pre")) and (
                start.hour > 12
                or end.hour > 12
                or _NOT_A_RANGE_BEFORE.search(line.masked[: match.start()])
                or not _BARE_CLOCK_FOLLOWS.match(line.masked, match.end())
            ):
                continue  # "Ages 6-8", "Top 5-10 startups": a bare range needs a clear end
            start_hour, end_hour, guessed = _range_hours(start, end, hint)
            reading.start = (start_hour, start.minute)
            reading.end = (end_hour % 24, end.minute)
            reading.zone_word = match.group("tz") or ""
            line.take("start", match.start(), match.end("s"))
            line.take("end", match.start("e"), match.end())
            if guessed:
                shown = f"{start_hour:02d}:{start.minute:02d}–{end_hour % 24:02d}:{end.minute:02d}"
                reading.note("start", f"no am/pm: read as {shown}")
            return
    for match in _SINGLE.finditer(line.masked):
        clock = _read_clock(match, "s")
        if clock is None:
            continue
        if not clock.explicit and not (
            match.group("pre") and _BARE_CLOCK_FOLLOWS.match(line.masked, match.end())
        ):
            continue
        hour, guessed = _hour24(clock, hint)
        reading.start = (hour, clock.minute)
        reading.zone_word = match.group("tz") or ""
        line.take("start", match.start(), match.end())
        if guessed:
            written = " ".join(match.group("s").split())
            reading.note("start", f"no am/pm: {written} read as {hour:02d}:{clock.minute:02d}")
        break
    if reading.start is None:
        return
    for match in _UNTIL.finditer(line.masked):
        clock = _read_clock(match, "e")
        if clock is None or not (
            clock.explicit or _BARE_CLOCK_FOLLOWS.match(line.text, match.end())
        ):
            continue
        start = _Clock(reading.start[0], reading.start[1], twenty_four=True, explicit=True)
        _, end_hour, _ = _range_hours(start, clock, "")
        reading.end = (end_hour % 24, clock.minute)
        reading.minutes = None
        line.take("end", match.start(), match.end())
        break
    if reading.end is None and reading.minutes is None:
        _read_duration(reading, after_start=True)


def _read_duration(reading: Reading, *, after_start: bool = False) -> None:
    """ "for 2 hours", "(90 min)", "2 Stunden"; a bare "2h" only after the start ("7pm 2h"):
    elsewhere "18h" is a French time."""
    line = reading.line
    for match in _DURATION.finditer(line.masked):
        after_time = after_start and re.search(r"\x00[\s,]*$", line.masked[: match.start()])
        if match.group("h") and not match.group("cue") and not after_time:
            continue
        amount_text = match.group("n").casefold().replace(",", ".")
        amount_text = " ".join(amount_text.split())
        if amount_text in WORD_NUMBERS:
            amount = WORD_NUMBERS[amount_text]
        else:
            amount = float(amount_text.replace("½", "").strip() or 0) + (
                0.5 if "½" in amount_text else 0
            )
        if match.group("minutes"):
            minutes = amount
        else:
            minutes = amount * 60 + int(match.group("m") or 0)
            if match.group("half"):
                minutes += 30
        if not 5 <= minutes <= 24 * 60:
            continue
        reading.minutes = round(minutes)
        line.take("end", match.start(), match.end())
        return


def in_zone(reading: Reading, start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """Times written in another zone ("7pm PST") moved into the user's, said when they move."""
    from zoneinfo import ZoneInfo

    written = ZoneInfo(_ZONE_WORDS[reading.zone_word])
    zone = reading.settings.zone
    moved_start = start.replace(tzinfo=written).astimezone(zone)
    moved_end = end.replace(tzinfo=written).astimezone(zone)
    if moved_start.utcoffset() != start.replace(tzinfo=written).utcoffset():
        reading.note(
            "start",
            f"written in {reading.zone_word}: {start:%H:%M} there is {moved_start:%H:%M} here",
        )
    return moved_start, moved_end

"""Events typed the way people write them: "PMI mixer next Thu 6-8pm @ 100 King St W $25".

People copy events out of e-mails, newsletters, Meetup pages and chats, and
each writes a date, a time, a place and a price its own way, in English,
French, Spanish or German. This module turns one such line into a candidate
:class:`~planner.core.model.Event` and says, in words, what it had to assume
(no end time, no year, no am/pm), so that the preview can mark exactly those
parts for the user to check before anything is planned.

How a line is read, and why this way:

* The parts with a recognisable shape are found first and masked out of the
  line, each with its span (for highlighting): links, ``#tags``, prices,
  dates, durations, times. What is left gives the place and the title.
* Dates with a month or in numbers ("Nov 26", "26 de noviembre", "26.11.",
  "2026-11-26") are resolved by dateparser, which knows month names and
  ordinals in many languages. Weekdays and words such as "tomorrow" are
  resolved here, against ``reference`` (the week on screen, not the clock),
  because dateparser resolves "Monday" on a Monday morning to next week and
  does not read "jeudi prochain", "el próximo jueves" or "pasado mañana".
* Times are read by a small grammar here, never by dateparser: it reads
  "18h" as the year 2118 and "$25" as a date, and has no notion of ranges
  ("6-8pm", "18–20 Uhr", "de 18h à 20h") or durations ("7pm for 2h").
* dateparser is imported inside the functions that need it: its first call
  costs about 0.3 s (imports and language data), and the offline gazetteer
  that recognises city names costs about as much again. Callers in the
  window must therefore parse off the GUI thread (``run_in_background``).

Nothing here imports Qt.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from planner.core.model import Event, Place
from planner.core.settings import Settings
from planner.core.travel.gazetteer import Gazetteer
from planner.core.travel.place_text import is_online_only, split_location

Part = Literal["title", "day", "start", "end", "place", "cost", "category", "url"]
"""The parts of a line, named as the preview's columns (plus the link)."""

LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "de")
"""Languages whose weekday, month and time words are read unless told otherwise."""

SOURCE = "quick add"
"""The :attr:`Event.source` of typed events, shown where a problem names its source."""


@dataclass(frozen=True, slots=True)
class Span:
    """Where in the line a part was read: ``text[start:end]``."""

    part: Part
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Assumption:
    """Something the line did not say and the parser chose, in words, for one part."""

    part: Part
    text: str


@dataclass(frozen=True, slots=True)
class Parsed:
    """A line understood as an event, with what was assumed and where each part was read."""

    event: Event
    line_number: int
    text: str
    assumptions: tuple[Assumption, ...] = ()
    spans: tuple[Span, ...] = ()

    @property
    def assumed(self) -> tuple[str, ...]:
        """The uncertain parts in words ("no end time: 90 minutes assumed")."""
        return tuple(a.text for a in self.assumptions)

    def assumed_about(self, part: Part) -> tuple[str, ...]:
        """What was assumed for one part (one column of the preview)."""
        return tuple(a.text for a in self.assumptions if a.part == part)

    def spans_of(self, part: Part) -> tuple[tuple[int, int], ...]:
        return tuple((s.start, s.end) for s in self.spans if s.part == part)


@dataclass(frozen=True, slots=True)
class Unparsed:
    """A line that could not be understood, and why, so the user can fix it."""

    line_number: int
    text: str
    reason: str


class _NotAnEventError(Exception):
    """Raised inside the parser with the reason a line is not an event."""


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
_EVENING = re.compile(
    r"\b(?:tonight|evening|night|after\s*work|afterwork|happy\s+hour|drinks|dinner|soir|soirée"
    r"|apéro|apero|dîner|noche|tarde|cena|abend|feierabend|nacht)\b",
    re.IGNORECASE,
)
_MORNING = re.compile(
    r"\b(?:morning|breakfast|brunch|matin|petit[- ]déjeuner|desayuno|frühstück|vormittag)\b",
    re.IGNORECASE,
)
_TBD = re.compile(
    r"\b(?:tbd|tba|tbc|to be (?:announced|determined|confirmed)|à confirmer|a confirmer"
    r"|por confirmar|por anunciar|noch offen|steht noch nicht fest)\b",
    re.IGNORECASE,
)
_STREET_WORD = re.compile(
    r"\b(?:st|street|ave|avenue|rd|road|blvd|boulevard|boul|dr|drive|lane|ln|cres|crescent"
    r"|crt|ct|court|pl|sq|square|pkwy|parkway|hwy|highway|ter|terrace|cir|circle|trl|trail"
    r"|plaza|broadway|esplanade|rue|chemin|av|avenida|calle|c/|paseo|carrer|plaça|via"
    r"|straße|strasse|str|platz|weg|allee|gasse|damm|ufer)\b\.?"
    r"|\w(?:straße|strasse|str\.|platz|weg|allee|gasse|damm|ufer)\b",
    re.IGNORECASE,
)
"""Street words of the four languages: text holding one (or a house number) is a place."""


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# --- Patterns --------------------------------------------------------------------------

_DASH = r"\-‐‑‒–—"
_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|ca|org|net|io|ma|co|events|us|fr|es|de)/[^\s<>\"]*",
    re.IGNORECASE,
)
_TAG = re.compile(r"(?<![\w&/])#(?P<tag>[^\W\d_][\w-]*)")
_CURRENCY = r"(?:CA\$|C\$|US\$|\$|€|£|CHF|EUR|CAD|USD)"
_AMOUNT = r"\d{1,4}(?:[.,]\d{1,2})?"
_COST = re.compile(
    r"(?P<label>\b(?:cost|price|tickets?|admission|fee|entry|prix|tarif|entrée|precio"
    r"|entrada|eintritt|preis|kosten)\s*:?\s*)?"
    r"(?:"
    rf"(?<![\w$])(?P<cur>{_CURRENCY})\s?(?P<a1>{_AMOUNT})"
    rf"(?:\s?[{_DASH}]\s?{_CURRENCY}?\s?(?P<a2>{_AMOUNT}))?"
    rf"|(?<![\w.,$])(?P<a3>{_AMOUNT})(?:\s?[{_DASH}]\s?(?P<a4>{_AMOUNT}))?"
    r"\s?(?:\$|€|£|CHF\b|EUR\b|CAD\b|USD\b|euros?\b|dollars?\b)"
    r"|(?P<free>(?<![\w-])(?:free(?:\s+(?:entry|admission|event|of\s+charge|tickets?))?"
    r"(?=\s*(?:$|[^\w\s]|\x00|(?:for|to)\s+(?:all|members|attend|everyone)\b))"
    r"|no\s+cost|gratuit(?:e|s)?|entrée\s+(?:libre|gratuite)|gratis|entrada\s+(?:libre|gratuita)"
    r"|kostenlos|eintritt\s+frei|freier\s+eintritt|umsonst)\b)"
    r")",
    re.IGNORECASE,
)


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
    rf"(?!\s*(?:[{_DASH}:h.]\s*\d|[ap]\.?\s?m\b|[ap]\b|h\b|uhr\b|hrs?\b|hours?\b|heures?\b"
    r"|horas?\b|stunden?\b|min))"
)


def _last_day(group: str) -> str:
    """The "-27" of "Nov 26-27" (several days; the first is taken), never a time's "-8pm"."""
    return (
        rf"(?:\s*[{_DASH}]\s*(?P<{group}>[0-3]?\d)(?!\d)(?:st|nd|rd|th|er|\.)?"
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
_TO = rf"[{_DASH}~]|to|till|til|until|à|a|au|bis|hasta|jusqu['’]à"
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
    rf"(?:\s*[{_DASH}]\s*late|\s+(?:till|until|'til)\s+late|\s+onwards|\s+open\s+end)?",
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
_WORD_NUMBERS = {
    **dict.fromkeys(("a", "an", "one", "un", "une", "una", "ein", "eine"), 1.0),
    **dict.fromkeys(("two", "deux", "dos", "zwei"), 2.0),
    **dict.fromkeys(("three", "trois", "tres", "drei"), 3.0),
    **dict.fromkeys(("four", "vier"), 4.0),
    **dict.fromkeys(("half an", "half a", "½"), 0.5),
}
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
_MARKER = re.compile(
    r"(?P<at>@)\s*"
    r"|(?<![^\s(,;\x00])(?P<strong>chez|bei|c/o)\s+"
    r"|(?<![^\s(,;\x00])(?P<word>at|à|au|aux|in|im|en|auf)\s+"
    r"|(?P<label>\b(?:location|venue|where|place|lieu|adresse|lugar|dónde|donde|ort|wo)\s*[:：]\s*)",
    re.IGNORECASE,
)
_PLACE_STOP = re.compile(
    rf"\x00|\s[|·•{_DASH}]\s|\s*;|\s+/\s+"
    r"|[\s,(]+(?:rsvp|register|registration|tickets?|billets?|inscri\w*|anmeld\w*|entradas?"
    r"|details|info|more\s+info|link|hosted\s+by|organi[sz]ed\s+by)\b",
    re.IGNORECASE,
)
_ONLINE = re.compile(
    r"(?P<pre>(?:\b(?:on|via|over|sur|en|par|por|auf|über|per|using)|@)\s*)?"
    r"(?P<word>\b(?:online|on-line|en\s+ligne|en\s+l[ií]nea|virtual(?:ly)?|virtuel(?:le)?"
    r"|virtuell|(?:microsoft\s+|ms\s+)?teams|zoom|google\s+meet|webex|youtube(?:\s+live)?"
    r"|twitch|discord|livestream|live\s+stream|jitsi|skype)\b)",
    re.IGNORECASE,
)
_CONNECTORS_END = re.compile(
    r"(?:[\s,;:.|/·•*({\[" + _DASH + r"]+|\b(?:on|at|from|le|el|am|um|à|a|de|des|du|von|ab"
    r"|the|this|next|and|et|y|und|for|pour|para|für|with|avec|con|mit|starting|doors|open"
    r"|begins?|starts?|à\s+partir\s+de|a\s+partir\s+de|zwischen|between|entre)\b)+$",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^[\s,;:.!?|/·•*>)\]}" + _DASH + r"]+")
_BULLET = re.compile(r"^\s*(?:[-*•·>]+|\d{1,2}[.)](?=\s))\s*")


# --- The line being read ---------------------------------------------------------------


class _Line:
    """One line, with the parts already read masked out (same length, so spans hold)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.masked = text.replace("\xa0", " ").replace("\t", " ")
        self.spans: list[Span] = []

    def take(self, part: Part, start: int, end: int) -> None:
        self.spans.append(Span(part, start, end))
        self.mask(start, end)

    def mask(self, start: int, end: int) -> None:
        self.masked = self.masked[:start] + "\x00" * (end - start) + self.masked[end:]


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
            other = "a" if end.meridiem == "p" else "p"
            start_hour, _ = _hour24(_Clock(start.hour, start.minute, other), "")
        return start_hour, end_hour, False
    start_hour, guessed = _hour24(start, hint)
    if end.twenty_four or end.meridiem:
        return start_hour, _hour24(end, "")[0], guessed
    end_hour = end.hour % 12
    while (end_hour, end.minute) <= (start_hour, start.minute) and end_hour + 12 < 24:
        end_hour += 12
    return start_hour, end_hour, guessed or not start.twenty_four


# --- Reading each part -----------------------------------------------------------------


@dataclass(slots=True)
class _Reading:
    """What has been read so far from one line."""

    line: _Line
    settings: Settings
    reference: datetime
    languages: tuple[str, ...]
    notes: list[Assumption] = field(default_factory=list)
    url: str = ""
    tags: list[str] = field(default_factory=list)
    cost: float | None = None
    day: date | None = None
    day_from_weekday: str = ""
    """The weekday words the day came from, when it came from nothing else."""
    evening: bool = False
    start: tuple[int, int] | None = None
    end: tuple[int, int] | None = None
    minutes: int | None = None
    place: Place | None = None
    zone_word: str = ""
    """A zone written after the time ("EST"), whose clock the times are in."""

    def note(self, part: Part, text: str) -> None:
        self.notes.append(Assumption(part, text))


def _read_url(reading: _Reading) -> None:
    line = reading.line
    for match in _URL.finditer(line.masked):
        url = match.group(0).rstrip(".,;:!?)]»\"'")
        if not reading.url:
            reading.url = url if re.match(r"https?://", url, re.I) else "https://" + url
        line.take("url", match.start(), match.start() + len(url))


def _read_tags(reading: _Reading) -> None:
    line = reading.line
    for match in _TAG.finditer(line.masked):
        tag = match.group("tag").lower()
        if tag not in reading.tags:
            reading.tags.append(tag)
        line.take("category", match.start(), match.end())
    known = reading.settings.categories
    if reading.tags and known and reading.tags[0] not in known:
        names = ", ".join(sorted(known))
        reading.note("category", f"“{reading.tags[0]}” is not one of your categories ({names})")


def _read_cost(reading: _Reading) -> None:
    line = reading.line
    found: list[tuple[float, float | None, str]] = []
    for match in _COST.finditer(line.masked):
        if match.group("free"):
            found.append((0.0, None, match.group(0).strip()))
        else:
            low = match.group("a1") or match.group("a3")
            high = match.group("a2") or match.group("a4")
            found.append((_number(low), _number(high) if high else None, match.group(0).strip()))
        line.take("cost", match.start(), match.end())
    if not found:
        return
    low, high, text = found[0]
    reading.cost = low
    if high is not None:
        reading.note("cost", f"a price range ({text}): the lowest, {_money(low)}, taken")
    elif len(found) > 1:
        reading.note("cost", f"several prices: the first, {_money(low)}, taken")


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _money(amount: float) -> str:
    """ "$25", "$12.50", "free": how a price reads in the notes and the preview."""
    if amount == 0:
        return "free"
    return f"${amount:.0f}" if amount == int(amount) else f"${amount:.2f}"


def _read_day(reading: _Reading) -> None:
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


def _after_date_weekday(reading: _Reading, grammar: _Grammar) -> None:
    """Mask "Thursday" in "Nov 26 (Thursday)": it is part of the date, not of the title."""
    match = re.search(
        rf"\x00[\s,(]*(?P<wd>{_weekday_alternation(reading.languages)})\b\.?\)?",
        reading.line.masked,
        re.IGNORECASE,
    )
    if match and grammar.weekday_names[_fold(match.group("wd"))][0] == _weekday(reading):
        reading.line.take("day", match.start() + 1, match.end())


def _weekday(reading: _Reading) -> int:
    return reading.day.weekday() if reading.day else -1


def _ref_day(reading: _Reading) -> date:
    return reading.reference.date()


def _absolute_day(reading: _Reading, grammar: _Grammar, match: re.Match[str]) -> bool:
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
                "day", f"several days (to the {last}): the first, {_day_text(found)}, taken"
            )
    else:
        parts = _numeric_parts(reading, grammar, groups)
        if parts is None:
            return False
        day, month, year = parts
        has_year = year is not None
        found = _next_date(_ref_day(reading), day, month, year)
    if found is None:
        raise _NotAnEventError(f"“{match.group(0).strip()}” is not a date")
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
    reading: _Reading, grammar: _Grammar, groups: dict[str, Any]
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


def _line_language(reading: _Reading, grammar: _Grammar) -> str:
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


def _dateparser_day(reading: _Reading, text: str, language: str) -> date | None:
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
        closes = re.match(rf"\s*(?:$|[,|·)\x00]|[{_DASH}]\s)", rest)
        return 3 if match.group(0).endswith(".") or (opens and closes) else 0
    return 2 if opens else 1


_TIME_AFTER = re.compile(
    rf"[\s,.]*(?:\x00|(?:at\s+|à\s+|um\s+|a\s+las\s+)?\d{{1,2}}(?:[:.h]\d\d)?\s?"
    rf"(?:[ap]\.?m\b|[ap]\b|h\b|uhr\b|ish\b|[:h]|\s*[{_DASH}])|noon|midi|tonight|evening)",
    re.IGNORECASE,
)
_TIME_BEFORE = re.compile(r"\d\s*(?:[ap]\.?m\.?|h|uhr)?,?$", re.IGNORECASE)


def _weekday_day(reading: _Reading, grammar: _Grammar, match: re.Match[str]) -> bool:
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
            "day", f"“{words}” read as the coming {reading.day:%A}, {_day_text(reading.day)}"
        )
    else:
        reading.day_from_weekday = words
    return True


def _day_text(day: date) -> str:
    return f"{day.day} {day:%B}"


def _day_of_month(reading: _Reading, number: int, weekday: int, words: str) -> bool:
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
        reading.note("day", f"“{words}” read as {reading.day:%A} {_day_text(reading.day)}")
    elif weekday < 0:
        reading.note("day", f"no month: “{words}” read as {_day_text(reading.day)}")
    return True


def _relative_day(reading: _Reading, grammar: _Grammar, match: re.Match[str]) -> bool:
    today = _ref_day(reading)
    if match.group("nth"):
        return _day_of_month(reading, int(match.group("nth")), -1, match.group(0).strip())
    if match.group("in"):
        count_text = match.group("n").casefold()
        count = int(count_text) if count_text.isdigit() else int(_WORD_NUMBERS[count_text])
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


def _read_times(reading: _Reading) -> None:
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


def _read_duration(reading: _Reading, *, after_start: bool = False) -> None:
    """ "for 2 hours", "(90 min)", "2 Stunden"; a bare "2h" only after the start ("7pm 2h"):
    elsewhere "18h" is a French time."""
    line = reading.line
    for match in _DURATION.finditer(line.masked):
        after_time = after_start and re.search(r"\x00[\s,]*$", line.masked[: match.start()])
        if match.group("h") and not match.group("cue") and not after_time:
            continue
        amount_text = match.group("n").casefold().replace(",", ".")
        amount_text = " ".join(amount_text.split())
        if amount_text in _WORD_NUMBERS:
            amount = _WORD_NUMBERS[amount_text]
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


def _read_place(reading: _Reading) -> None:
    """A place after "@", "at", "à", "chez", "en", "bei", "Location:"..., or online.

    "@", "chez", "bei" and labels always introduce a place. The other words
    do only when what follows looks like one (a house number, a street word,
    a city or a saved place): "Data at Scale" is a title, "at MaRS, 101
    College St" a place. A physical place wins over online words, as in
    :mod:`ics_places`: a hybrid event wrongly taken as online gets no travel
    time and makes the user late.
    """
    line = reading.line
    for match in _MARKER.finditer(line.masked):
        start = match.end()
        end = _place_end(line.masked, start)
        raw = line.masked[start:end]
        cleaned = _clean_place(raw)
        if not cleaned:
            continue
        marker = (match.group("word") or "").casefold()
        online = is_online_only(cleaned)
        if marker and not online:
            strict = marker in ("in", "im", "en", "auf")
            if not _looks_like_place(cleaned, reading.settings, strict=strict):
                continue
        if online and not (match.group("at") or match.group("label") or marker):
            continue
        reading.place = _place_from_text(cleaned, reading.settings)
        if _TBD.fullmatch(cleaned.strip("() ")):
            reading.place = None
            reading.note("place", "the place is still to be announced")
        line.take("place", match.start(), start + len(raw.rstrip(" ,;:.(")))
        return


_SENTENCE_END = re.compile(r"(?P<word>[^\W\d_]+)\.\s+(?=[A-Z])")


def _place_end(masked: str, start: int) -> int:
    """Where a place that starts at ``start`` ends: at the next part read, a separator,
    "RSVP"..., or a full stop ("Whitby. Free"), but not the dot of "boul." or "St."."""
    stop = _PLACE_STOP.search(masked, start)
    end = stop.start() if stop else len(masked)
    for sentence in _SENTENCE_END.finditer(masked, start, end):
        word = sentence.group("word")
        if len(word) > 1 and not _STREET_WORD.fullmatch(word):
            return sentence.start() + len(word)
    return end


def _clean_place(text: str) -> str:
    text = text.replace("\x00", " ")
    previous = None
    while previous != text:
        previous = text
        text = _CONNECTORS_END.sub("", text).strip()
        text = _LEADING.sub("", text).strip()
    if text.count("(") > text.count(")"):
        text = text.rsplit("(", 1)[0].strip(" ,")
    return " ".join(text.split())


def _looks_like_place(text: str, settings: Settings, *, strict: bool) -> bool:
    """A house number, a street word, a saved place, or a known city.

    ``strict`` (after "in", "en"): a city must be the whole text or its last
    comma part, so "Women in Toronto Tech" is no place while "in Toronto" is.
    """
    if _saved_place(text, settings) is not None:
        return True
    if _STREET_WORD.search(text):
        return True
    if re.search(
        r"(?<![\w$€£.,:/#])\d{1,5}[a-z]?(?![\w.,:/]*\d)(?!\s*(?:%|st\b|nd\b|rd\b|th\b))", text
    ):
        return bool(re.search(r"[^\W\d_]{2,}", text))
    return _names_a_city(text, strict=strict)


_GAZETTEER = Gazetteer()


def _names_a_city(text: str, *, strict: bool) -> bool:
    parts = [p.strip() for p in re.split(r"[,;()]", text) if p.strip()]
    if not parts:
        return False
    candidates: list[str] = []
    if strict:
        candidates = [parts[-1], text]
    else:
        for part in parts:
            words = part.split()
            for size in (3, 2, 1):
                for index in range(len(words) - size + 1):
                    gram = words[index : index + size]
                    if all(w[:1].isupper() for w in gram) and len(" ".join(gram)) >= 4:
                        candidates.append(" ".join(gram))
    return any(
        c[:1].isupper() and _GAZETTEER.find(c.replace(",", " ")) is not None for c in candidates
    )


def _saved_place(text: str, settings: Settings) -> Place | None:
    folded = " ".join(re.sub(r"^(?:the|my|our)\s+", "", text.casefold()).split())
    if folded == "home":
        return settings.home
    for saved in settings.places:
        names = [saved.place.name, *saved.match]
        if any(name and name.casefold() == folded for name in names):
            return saved.place
    return None


def _place_from_text(text: str, settings: Settings) -> Place:
    saved = _saved_place(text, settings)
    if saved is not None:
        return saved
    if is_online_only(text):
        return Place(name=" ".join(text.split()), virtual=True)
    name, address = split_location(text)
    return Place(name=name, address=address)


def read_place_text(text: str, settings: Settings) -> Place:
    """The Place a person means by ``text``: "online"/"Zoom", a saved place, or venue, address.

    Used when the user corrects a place in the preview: the same rules as a
    typed line, without the need for "@".
    """
    text = " ".join(text.split())
    if not text:
        return Place()
    return _place_from_text(text, settings)


def read_cost_text(text: str) -> float | None:
    """A price typed in a cell: "free" -> 0, "$25" or "25" -> 25, "" -> None (unknown).

    Raises ValueError for anything else, so an editor can refuse it.
    """
    text = text.strip()
    if not text:
        return None
    match = _COST.fullmatch(text)
    if match and match.group("free"):
        return 0.0
    if match:
        return _number(match.group("a1") or match.group("a3"))
    bare = re.fullmatch(r"\$?\s?(\d{1,5}(?:[.,]\d{1,2})?)\s?\$?", text)
    if bare:
        return _number(bare.group(1))
    raise ValueError(f"“{text}” is not a price")


def _read_online(reading: _Reading) -> tuple[int, int] | None:
    """Online, when no physical place was read; the span to take out of the title.

    A meeting link or a webinar is online. So is an online word or platform
    that stands as the place: after "on", "via", "@", in brackets, between
    separators or at the end ("on Zoom", "(MS Teams)", "– online"). Inside
    a title it is a topic, not a place: "Online Marketing Meetup", "Building
    Great Teams".
    """
    line = reading.line
    for match in _ONLINE.finditer(line.masked):
        before = line.masked[: match.start()].rstrip()
        after = line.masked[match.end() :].lstrip()
        if (
            match.group("pre")
            or not after
            or after[0] in ")]\x00|,;:–—-·"
            or (before and before[-1] in "([|–—-·,\x00")
        ):
            word = " ".join(match.group("word").split())
            name = "online" if word.casefold() == "online" else word
            reading.place = Place(name=name, virtual=True)
            return match.start(), match.end()
    if (reading.url and is_online_only(reading.url)) or _WEBINAR.search(line.text):
        reading.place = Place(name="online", virtual=True)
    return None


_WEBINAR = re.compile(r"\b(?:webinars?|webinaire|webcast|web\s+seminar)\b", re.IGNORECASE)


# --- Title -----------------------------------------------------------------------------


def _chunks(masked: str) -> list[tuple[int, int]]:
    """Stretches of unread text between masked parts, as (start, end)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\x00]+", masked)]


def _trim(masked: str, start: int, end: int) -> tuple[int, int]:
    """Narrow (start, end) to the text without connectors and punctuation at its ends."""
    text = masked[start:end]
    lead = _BULLET.match(text) if start == 0 else None
    offset = lead.end() if lead else 0
    lead2 = _LEADING.match(text, offset)
    if lead2:
        offset = lead2.end()
    body = text[offset:]
    previous = None
    while previous != body:
        previous = body
        body = _CONNECTORS_END.sub("", body).rstrip()
    if body.count("(") > body.count(")"):
        body = body.rsplit("(", 1)[0].rstrip(" ,")
    body = body.rstrip(" ,;:")
    return start + offset, start + offset + len(body)


def _read_title_and_unmarked_place(reading: _Reading) -> tuple[str, tuple[int, int] | None]:
    """The title (first stretch of unread text); a later stretch that looks like a place
    ("6pm – Durham Tech Lightning Talks – Whitby Public Library") is the place."""
    line = reading.line
    stretches = [_trim(line.masked, s, e) for s, e in _chunks(line.masked)]
    stretches = [(s, e) for s, e in stretches if e > s and re.search(r"\w", line.masked[s:e])]
    if not stretches:
        return "", None
    title_start, title_end = stretches[0]
    if reading.place is None:
        segments = _segments(line.masked, title_start, title_end)
        for index, (seg_start, _) in enumerate(segments[1:], start=1):
            if _unmarked_place(reading, seg_start, title_end):
                title_end = _trim(line.masked, title_start, segments[index - 1][1])[1]
                break
        else:
            for start, end in stretches[1:]:
                if _unmarked_place(reading, start, end):
                    break
    title = " ".join(line.text[title_start:title_end].split())
    return title, (title_start, title_end)


def _unmarked_place(reading: _Reading, start: int, end: int) -> bool:
    """Take the text from ``start`` (to a stop, at most ``end``) as the place if it is one."""
    line = reading.line
    end = min(end, _place_end(line.masked, start))
    candidate = _clean_place(line.masked[start:end])
    if not candidate or not _looks_like_place(candidate, reading.settings, strict=False):
        return False
    reading.place = _place_from_text(candidate, reading.settings)
    line.spans.append(Span("place", start, start + len(line.masked[start:end].rstrip(" ,;:.("))))
    return True


def _segments(masked: str, start: int, end: int) -> list[tuple[int, int]]:
    """The title stretch cut at " – ", " | ", " · " and commas, as (start, end) of each."""
    cuts = [
        m
        for m in re.finditer(rf"\s[|·•{_DASH}]\s|,\s*", masked[start:end])
        if m.start() > 0 and m.end() < end - start
    ]
    bounds: list[tuple[int, int]] = []
    position = start
    for cut in cuts:
        bounds.append((position, start + cut.start()))
        position = start + cut.end()
    bounds.append((position, end))
    return bounds


# --- The line as a whole ---------------------------------------------------------------


def _languages(languages: Sequence[str] | None) -> tuple[str, ...]:
    chosen = tuple(lang.lower() for lang in (languages or LANGUAGES))
    return chosen or LANGUAGES


def _local_reference(reference: datetime, settings: Settings) -> datetime:
    zone = settings.zone
    if reference.tzinfo is None:
        return reference.replace(tzinfo=zone)
    return reference.astimezone(zone)


def _normalised(text: str) -> str:
    return " ".join(_BULLET.sub("", text).casefold().split())


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
    result = _parse(
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
        result = _parse(
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
    stripped = _BULLET.sub("", line).strip()
    if _TBD.search(stripped):
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
    reading = _Reading(_Line(body), settings, reference, languages)
    try:
        _read_day(reading)
    except _NotAnEventError:
        return None
    if reading.day is None:
        return None
    rest = reading.line.masked.replace("\x00", " ")
    if re.search(r"[^\W_]", rest):
        return None
    return reading.day


def _parse(
    text: str,
    number: int,
    *,
    settings: Settings,
    reference: datetime,
    default_minutes: int,
    languages: tuple[str, ...],
    heading_day: tuple[date, str] | None,
) -> Parsed | Unparsed:
    line = _Line(text)
    reading = _Reading(line, settings, reference, languages)
    try:
        _read_url(reading)
        _read_tags(reading)
        _read_cost(reading)
        _read_day(reading)
        _read_times(reading)
        _read_place(reading)
        online_span = _read_online(reading) if reading.place is None else None
        if online_span is not None:
            line.take("place", *online_span)
        title, title_span = _read_title_and_unmarked_place(reading)
        if reading.day is None:
            if heading_day is None:
                raise _NotAnEventError(_no_day_reason(reading, text))
            if reading.start is None:
                raise _NotAnEventError(f"no time, under “{heading_day[1]}”: say when it starts")
            reading.day = heading_day[0]
            reading.note("day", f"the day from the heading “{heading_day[1]}”")
        if not title:
            raise _NotAnEventError("no title: nothing says what the event is")
        event = _event(reading, title, default_minutes)
    except _NotAnEventError as failure:
        return Unparsed(number, text, str(failure))
    if title_span is not None:
        line.spans.append(Span("title", *title_span))
    spans = tuple(sorted(line.spans, key=lambda s: (s.start, s.end)))
    return Parsed(event, number, text, tuple(reading.notes), spans)


def _no_day_reason(reading: _Reading, text: str) -> str:
    if _TBD.search(text):
        return "the date is still to be announced"
    if reading.start is not None:
        return "a time but no day: add one (“today”, “Thu”, “Nov 26”)"
    return "no date or day found"


def _event(reading: _Reading, title: str, default_minutes: int) -> Event:
    settings = reading.settings
    zone = settings.zone
    assert reading.day is not None  # checked by the caller
    if reading.start is None:
        evening = time(19, 0) if reading.evening else settings.evening_starts
        reading.start = (evening.hour, evening.minute)
        why = "“tonight”" if reading.evening else "no start time"
        reading.note("start", f"{why}: {evening:%H:%M} assumed")
    start = datetime.combine(reading.day, time(*reading.start), tzinfo=zone)
    if reading.day_from_weekday and start < reading.reference:
        reading.day += timedelta(days=7)
        start += timedelta(days=7)
        reading.note(
            "day",
            f"“{reading.day_from_weekday}” read as next week's, {_day_text(reading.day)}: "
            "today's has begun",
        )
    if reading.end is not None:
        end = datetime.combine(reading.day, time(*reading.end), tzinfo=zone)
        if end <= start:
            end += timedelta(days=1)
    else:
        minutes = reading.minutes or default_minutes
        end = _add_minutes(start, minutes)
        if reading.minutes is None:
            reading.note("end", f"no end time: {minutes} minutes assumed")
    if reading.zone_word:
        start, end = _in_zone(reading, start, end)
    if reading.place is None:
        reading.note("place", "no place given")
    digest = hashlib.sha1(
        f"{_normalised(reading.line.text)}|{reading.day.isoformat()}".encode(),
        usedforsecurity=False,
    ).hexdigest()[:16]
    return Event(
        uid=f"quick-{digest}",
        summary=title,
        start=start,
        end=end,
        place=reading.place or Place(),
        url=reading.url,
        description=reading.line.text.strip(),
        categories=tuple(reading.tags),
        cost=reading.cost,
        source=SOURCE,
        timezone=settings.timezone,
    )


def _in_zone(reading: _Reading, start: datetime, end: datetime) -> tuple[datetime, datetime]:
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


def _add_minutes(start: datetime, minutes: int) -> datetime:
    """Elapsed minutes, exact across a DST change (wall-clock addition is not)."""
    zone = start.tzinfo
    return (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(zone)

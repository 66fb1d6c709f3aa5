"""The words of days in the four languages: weekdays, months, ordinals, "tomorrow".

Written once here for the readers of days (:mod:`.days`, :mod:`.nth_weekday`)
and for telling a line's language (:func:`line_language`), which decides
whether an abbreviation such as "Sam" or "Mo" is a weekday at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence


def _table(text: str) -> tuple[tuple[str, ...], ...]:
    """ "monday mon | tuesday tue" -> (("monday", "mon"), ("tuesday", "tue"))."""
    return tuple(tuple(entry.split()) for entry in text.split("|"))


WEEKDAYS: dict[str, tuple[tuple[str, ...], ...]] = {
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
"""Monday first; each entry the full name, then other spellings and abbreviations.

An abbreviation counts as a day only in a date-like position and in a line of
its own language (:func:`planner.core.text.quick_add.days._weekday_anchor`).
"""
MONTHS: dict[str, tuple[tuple[str, ...], ...]] = {
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
RELATIVE_DAYS: dict[str, tuple[tuple[str, int, bool], ...]] = {
    "en": (
        ("tonight", 0, True),
        ("tonite", 0, True),
        ("this evening", 0, True),
        ("this afternoon", 0, False),
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
        ("cet après-midi", 0, False),
        ("aujourd'hui", 0, False),
        ("aujourd’hui", 0, False),
        ("après-demain", 2, False),
        ("apres-demain", 2, False),
        ("demain soir", 1, True),
        ("demain", 1, False),
    ),
    "es": (
        ("esta noche", 0, True),
        ("esta tarde", 0, False),
        ("hoy", 0, False),
        ("pasado mañana", 2, False),
        ("mañana por la noche", 1, True),
        ("mañana", 1, False),
    ),
    "de": (
        ("heute abend", 0, True),
        ("heute nachmittag", 0, False),
        ("heute", 0, False),
        ("übermorgen", 2, False),
        ("morgen abend", 1, True),
        ("morgen", 1, False),
    ),
}
"""(words, days after the reference day, says "evening"); longest first where one
phrase starts another ("tomorrow night" before "tomorrow")."""
ORDINALS: dict[str, tuple[tuple[str, ...], ...]] = {
    "en": _table("first 1st | second 2nd | third 3rd | fourth 4th | fifth 5th"),
    "fr": _table(
        "premier première premiere 1er 1re 1ère | deuxième deuxieme second seconde 2e 2ème 2eme"
        " | troisième troisieme 3e 3ème 3eme | quatrième quatrieme 4e 4ème 4eme"
        " | cinquième cinquieme 5e 5ème 5eme"
    ),
    "es": _table(
        "primer primero primera 1º 1.º 1er | segundo segunda 2º 2.º | tercer tercero tercera 3º"
        " 3.º | cuarto cuarta 4º 4.º | quinto quinta 5º 5.º"
    ),
    "de": _table(
        "erster ersten erste 1. | zweiter zweiten zweite 2. | dritter dritten dritte 3."
        " | vierter vierten vierte 4. | fünfter fünften fünfte 5."
    ),
}
"""First to fifth, in the forms written before a weekday ("the 2nd Wednesday")."""
LAST_WORDS = (
    r"last|final|dernier|dernière|derniere|último|ultimo|última|ultima|letzter|letzten|letzte"
)
"""The last such weekday of a month ("last Friday of the month", "le dernier vendredi")."""
NEXT_WORDS = r"next|coming|prochain|prochaine|próximo|proximo|nächsten|naechsten|kommenden"
THIS_WORDS = r"this|on|ce|le|el|este|(?<![\d.]\s)(?<!\d)am|diesen|den"
"""German "am" (am Mittwoch), but not the "am" of "9 am Mon"."""
NEXT_WEEK = (
    r"next\s+week|of\s+next\s+week|la\s+semaine\s+prochaine|de\s+la\s+semaine\s+prochaine"
    r"|la\s+pr[óo]xima\s+semana|de\s+la\s+semana\s+que\s+viene|n[äa]chste\s+woche"
    r"|der\s+n[äa]chsten\s+woche"
)


def fold(word: str) -> str:
    """A word as the tables are keyed: case folded, without an abbreviation's dot."""
    return word.casefold().rstrip(".")


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, spaces matching any spacing."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


def weekday_words(languages: Sequence[str]) -> list[str]:
    return [w for lang in languages for day in WEEKDAYS.get(lang, ()) for w in day]


def month_words(languages: Sequence[str]) -> list[str]:
    return [w for lang in languages for month in MONTHS.get(lang, ()) for w in month]


# --- The language of a line ------------------------------------------------------------

_EVIDENCE = {
    "en": re.compile(
        r"\b(?:with|the|and|at|for|of|tonight|tomorrow|today|next|this|noon|meetup|drinks"
        r"|dinner|lunch|party)\b|\d\s?[ap]\.?m\b",
        re.IGNORECASE,
    ),
    "fr": re.compile(
        r"\b(?:le|la|les|du|des|à|au|chez|et|avec|soir|soirée|apéro|dîner|déjeuner|demain"
        r"|prochain|prochaine)\b|\b\d{1,2}h(?:\d\d)?\b",
        re.IGNORECASE,
    ),
    "es": re.compile(
        r"\b(?:el|las|los|del|y|con|en|de\s+la|a\s+las|noche|tarde|cena|hoy|mañana|próximo)\b",
        re.IGNORECASE,
    ),
    "de": re.compile(
        r"\b(?:uhr|am|um|im|und|der|die|das|bis|von|mit|bei|abend|heute|morgen|nächsten)\b",
        re.IGNORECASE,
    ),
}
"""Words that say a line is written in a language; a day or month name says so twice."""


def language_scores(
    text: str, day_words: dict[str, str], languages: Sequence[str]
) -> dict[str, int]:
    """How strongly ``text`` reads as each of ``languages``: one point a telling word,
    two a day or month name of that language (``day_words``: folded word -> language)."""
    scores = {lang: len(_EVIDENCE[lang].findall(text)) for lang in languages if lang in _EVIDENCE}
    for word in re.findall(r"[^\W\d_]+", text.casefold()):
        lang = day_words.get(word)
        if lang in scores:
            scores[lang] += 2
    return scores

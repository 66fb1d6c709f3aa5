"""Where the event is, and what it is called: the text left once the shapes are read.

A place is marked ("@", "at", "chez", "Location:") or recognised by its
look (a house number, a street word, a saved place, a known city); else an
online word or link makes the event online. The title is the first stretch
of text left unread; a later stretch that looks like a place is the place
("6pm – Durham Tech Lightning Talks – Whitby Public Library"). The rules for
place texts themselves (online or not, venue and address) are
:mod:`planner.core.travel.place_text`'s, shared with the .ics importer.
"""

from __future__ import annotations

import re

from planner.core.model import Place
from planner.core.settings import Settings
from planner.core.text.quick_add.line import BULLET, DASH, TBD, Reading
from planner.core.text.quick_add.results import Span
from planner.core.travel.gazetteer import Gazetteer
from planner.core.travel.place_text import (
    ONLINE_PLATFORMS,
    ONLINE_WORDS,
    is_online_only,
    split_location,
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


_MARKER = re.compile(
    r"(?P<at>@)\s*"
    r"|(?<![^\s(,;\x00])(?P<strong>chez|bei|c/o)\s+"
    r"|(?<![^\s(,;\x00])(?P<word>at|à|au|aux|in|im|en|auf)\s+"
    r"|(?P<label>\b(?:location|venue|where|place|lieu|adresse|lugar|dónde|donde|ort|wo)\s*[:：]\s*)",
    re.IGNORECASE,
)
_PLACE_STOP = re.compile(
    rf"\x00|\s[|·•{DASH}]\s|\s*;|\s+/\s+"
    r"|[\s,(]+(?:rsvp|register|registration|tickets?|billets?|inscri\w*|anmeld\w*|entradas?"
    r"|details|info|more\s+info|link|hosted\s+by|organi[sz]ed\s+by)\b",
    re.IGNORECASE,
)
_ONLINE = re.compile(
    r"(?P<pre>(?:\b(?:on|via|over|sur|en|par|por|auf|über|per|using)|@)\s*)?"
    rf"(?P<word>\b(?:{ONLINE_WORDS}|{ONLINE_PLATFORMS}|livestream|live\s+stream)\b)",
    re.IGNORECASE,
)
"""An online word or a platform's name, as the place: "on Zoom", "(Whereby)", "– en ligne"."""
_CONNECTORS_END = re.compile(
    r"(?:[\s,;:.|/·•*({\[" + DASH + r"]+|\b(?:on|at|from|le|el|am|um|à|a|de|des|du|von|ab"
    r"|the|this|next|and|et|y|und|for|pour|para|für|with|avec|con|mit|starting|doors|open"
    r"|begins?|starts?|à\s+partir\s+de|a\s+partir\s+de|zwischen|between|entre)\b)+$",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^[\s,;:.!?|/·•*>)\]}" + DASH + r"]+")


# --- The place -------------------------------------------------------------------------


def read_place(reading: Reading) -> None:
    """A place after "@", "at", "à", "chez", "en", "bei", "Location:"..., or online.

    "@", "chez", "bei" and labels always introduce a place. The other words
    do only when what follows looks like one (a house number, a street word,
    a city or a saved place): "Data at Scale" is a title, "at MaRS, 101
    College St" a place. A physical place wins over online words, as in
    :mod:`planner.core.calendars.event_places`: a hybrid event wrongly taken
    as online gets no travel time and makes the user late.
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
        if TBD.fullmatch(cleaned.strip("() ")):
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
        r"(?<![\w$€£.,:/#])\d{1,5}[a-z]?(?![\w.,:/]*\d)(?!\s*(?:%|\+|st\b|nd\b|rd\b|th\b))", text
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


def read_online(reading: Reading) -> tuple[int, int] | None:
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
    if reading.url and is_online_only(reading.url):
        reading.place = Place(name="online", virtual=True)
        reading.note("place", "no place given: online, from the meeting link")
    elif _WEBINAR.search(line.text):
        reading.place = Place(name="online", virtual=True)
        reading.note("place", "no place given: online, as a webinar")
    return None


_WEBINAR = re.compile(r"\b(?:webinars?|webinaire|webcast|web\s+seminar)\b", re.IGNORECASE)


# --- The title -------------------------------------------------------------------------


def _chunks(masked: str) -> list[tuple[int, int]]:
    """Stretches of unread text between masked parts, as (start, end)."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\x00]+", masked)]


def _trim(masked: str, start: int, end: int) -> tuple[int, int]:
    """Narrow (start, end) to the text without connectors and punctuation at its ends."""
    text = masked[start:end]
    lead = BULLET.match(text) if start == 0 else None
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


def read_title_and_unmarked_place(reading: Reading) -> tuple[str, tuple[int, int] | None]:
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


def _unmarked_place(reading: Reading, start: int, end: int) -> bool:
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
        for m in re.finditer(rf"\s[|·•{DASH}]\s|,\s*", masked[start:end])
        if m.start() > 0 and m.end() < end - start
    ]
    bounds: list[tuple[int, int]] = []
    position = start
    for cut in cuts:
        bounds.append((position, start + cut.start()))
        position = start + cut.end()
    bounds.append((position, end))
    return bounds

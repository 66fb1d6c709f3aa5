"""What a place text says on its own, before any lookup: online or not, venue and address.

Calendars, typed lines and settings all hold places as text. The rules for
reading that text are the same wherever it comes from, so they live here,
below everything that reads places: the .ics importer
(:mod:`planner.core.calendars.event_places`), quick add
(:mod:`planner.core.text.quick_add`) and the resolver that turns places into
positions (:mod:`planner.core.travel.places`).

* Online or physical: :func:`is_online_only` says whether a text names no
  physical place at all ("Online event", a Zoom link); :func:`clean_physical`
  takes the online parts out of a hybrid venue's text; :func:`has_meeting_link`
  finds a meeting or stream link anywhere.
* Venue and address: :func:`split_location` splits the common ways of writing
  both in one text (Meetup's, Apple's, "Venue, 123 Street, City").
* Positions written as text: :func:`parse_coordinates` ("43.66, -79.39",
  ``geo:``, "43.66° N, 79.39° W").
* Comparing addresses: :func:`fold` and :func:`normalise_address` (case,
  accents, punctuation and spacing folded), :func:`one_line`.

Pure functions and compiled patterns; nothing here does I/O.
"""

from __future__ import annotations

import re
import string
import unicodedata

from planner.core.model import Place

# --- Online places -----------------------------------------------------------------

_MEETING_URL = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:[\w-]+\.)*"
    r"(?:zoom\.us|zoomgov\.com|teams\.microsoft\.com|teams\.live\.com|meet\.google\.com"
    r"|webex\.com|whereby\.com|gotomeeting\.com|gotomeet\.me|meet\.goto\.com|meet\.jit\.si"
    r"|lu\.ma/join|crowdcast\.io|hopin\.com|streamyard\.com|livestorm\.co|airmeet\.com"
    r"|youtube\.com/live|twitch\.tv|discord\.gg)"
    r"(?![\w-])(?:[/?#]\S*)?",
    re.IGNORECASE,
)
"""Hosts whose links are a meeting or a stream, never a venue's page.

Only Luma's ``/join`` links count: ``lu.ma/<slug>`` is the event page of
in-person events too.
"""
_ANY_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
ONLINE_PLATFORMS = (
    r"zoom|microsoft\s+teams|ms\s+teams|teams|google\s+meet|hangouts?|webex|skype"
    r"|jitsi(?:\s+meet)?|whereby|gotomeeting|goto\s*meeting|gotowebinar|goto\s*webinar"
    r"|bluejeans|ringcentral|facetime|discord|twitch|youtube(?:\s+live)?|crowdcast|hopin"
    r"|streamyard|livestorm|airmeet|bigbluebutton|big\s+blue\s+button|slack\s+huddle"
)
"""Meeting and streaming platforms by name: an event held on one is online."""
ONLINE_WORDS = (
    r"online|on-line|en\s+ligne|en\s+l[ií]nea|virtual(?:ly)?|virtuel(?:le)?|virtuell"
    r"|remote(?:ly)?|à\s+distance|a\s+distancia"
)
"""Words for "online" in the four languages quick add reads."""
_ONLINE = re.compile(
    rf"\b(?:{ONLINE_WORDS}|webinars?|webcast|web\s+conference"
    r"|live[\s-]?stream(?:ed|ing)?|stream(?:ed|ing)?"
    rf"|{ONLINE_PLATFORMS})\b",
    re.IGNORECASE,
)
"""Words that say "online" on their own.

They decide nothing alone: "Online Marketing Institute, 123 King St" has
one, and is a venue. See :func:`is_online_only`.
"""
_FILLER = re.compile(
    r"\b(?:event|events|meeting|meetings|call|session|only|via|on|in|at|the|a|an|link|links"
    r"|join|url|here|to|be|is|are|will|shared|sent|provided|posted|after|before|upon|with"
    r"|by|for|of|registration|register|rsvp|see|details|description|below|above|email"
    r"|e-mail|emailed|attendees|visible|click|and|or|tbd|tba|conference|platform|info"
    r"|information|dial-in|dial|phone)\b",
    re.IGNORECASE,
)
"""Words that accompany an online marker without naming a place.

E.g. "Online event (Microsoft Teams, link sent after registration)".
"""
_MEETING_CODE = re.compile(
    r"\b(?:meeting\s+id|webinar\s+id|conference\s+id|id|passcode|password|pwd|pin"
    r"|access\s+code)\s*[:#]\s*[\w-]+(?:\s+\d[\d-]*)*",
    re.IGNORECASE,
)
"""Zoom's "Meeting ID: 812 3456 7890 Passcode: 123456" in a LOCATION."""
_HYBRID = re.compile(
    r"\b(?:also|hybrid|simulcast|broadcast|available|in-person|in\s+person)\b", re.IGNORECASE
)
"""Words of a hybrid venue's note, e.g. "(also streamed on Zoom)"."""


def is_online_only(text: str) -> bool:
    """True when ``text`` says "online" and names no physical place at all.

    The text is stripped of meeting links (and any other link), meeting IDs
    and passcodes, online words ("Online", "Zoom", "Microsoft Teams") and the
    filler around them ("event", "link sent after registration"); whatever is
    left is taken as a place. So "Online event", "Webinar", "Microsoft Teams
    Meeting" and a bare Zoom link are online; "Online Marketing Institute,
    123 King St" ("Marketing Institute" is left) and "MaRS, 101 College St
    (also streamed on Zoom)" are not.
    """
    return _online_residue(text, hybrid=False) == ""


def _online_residue(text: str, *, hybrid: bool) -> str | None:
    """What is left of ``text`` once its online vocabulary is removed.

    ``None`` when the text has no online marker at all (so it is not online,
    whatever is left). With ``hybrid``, a hybrid venue's note ("also
    streamed") counts as vocabulary too: used to clean a physical LOCATION.
    """
    if not (_MEETING_URL.search(text) or _ONLINE.search(text)):
        return None
    rest = _MEETING_URL.sub(" ", text)
    rest = _ANY_URL.sub(" ", rest)
    rest = _MEETING_CODE.sub(" ", rest)
    rest = _ONLINE.sub(" ", rest)
    rest = _FILLER.sub(" ", rest)
    if hybrid:
        rest = _HYBRID.sub(" ", rest)
    return " ".join(re.sub(r"[\W_]+", " ", rest).split())


def is_online_note(text: str) -> bool:
    """True when ``text`` is only an online or hybrid note ("also streamed on Zoom")."""
    return _online_residue(text, hybrid=True) == ""


def has_meeting_link(text: str) -> bool:
    """Whether ``text`` holds a meeting or stream link (Zoom, Teams, Meet...) anywhere."""
    return bool(_MEETING_URL.search(text))


def clean_physical(location: str) -> str:
    """A physical LOCATION without its online parts.

    Outlook joins several locations with "; " ("Boardroom B; Microsoft Teams
    Meeting"), hybrid events add "(also streamed on Zoom)" or a link: those
    parts would otherwise become the venue's name or address.
    """
    if not location:
        return ""
    text = re.sub(
        r"\s*[(\[]([^()\[\]]*)[)\]]",
        lambda m: "" if is_online_note(m.group(1)) else m.group(0),
        location,
    )
    text = _ANY_URL.sub(" ", text)
    lines = []
    for line in text.splitlines():
        segments = []
        for segment in re.split(r"\s*[;|]\s*", line):
            parts = [_strip_online_tail(part).strip() for part in segment.split(",")]
            kept = [part for part in parts if part and not is_online_note(part)]
            if kept:
                segments.append(", ".join(kept))
        lines.append("; ".join(segments).strip(" ,-–—:"))
    return "\n".join(line for line in lines if line)


_TAIL = re.compile(r"\s*(?:[-–—+&/:]|\b(?:and|or|plus)\b)\s*(?P<tail>[^-–—+&/:]+)$", re.IGNORECASE)


def _strip_online_tail(text: str) -> str:
    """ "MaRS - also on Zoom", "Design Exchange + livestream" without the online tail."""
    while (match := _TAIL.search(text)) and is_online_note(match.group("tail")):
        text = text[: match.start()]
    return text


# --- Venue and address -------------------------------------------------------------

_MEETUP_VENUE = re.compile(r"^(?P<name>[^()]+?)\s*\((?P<address>[^()]+)\)\s*$")


def split_location(location: str) -> tuple[str, str]:
    """Split LOCATION into a venue name and a street address.

    Handles Meetup's ``Venue (street, city)``, Apple's ``Venue\\nstreet,
    city`` (a line break after the name) and the common ``Venue, 123 Street,
    City`` forms; a LOCATION that starts with a house number is all address.
    """
    lines = [" ".join(line.split()) for line in location.splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return "", ""
    if len(lines) > 1:
        if lines[0][:1].isdigit():
            return "", ", ".join(lines)
        return lines[0].strip(" ,"), ", ".join(lines[1:])
    location = lines[0]
    meetup = _MEETUP_VENUE.match(location)
    if meetup:
        return meetup.group("name").strip(), meetup.group("address").strip()
    head, _, rest = location.partition(",")
    if head[:1].isdigit():
        return "", location
    return head.strip(), rest.strip()


# --- Positions written as text -------------------------------------------------------

_COORDINATES = re.compile(
    r"^\s*(?:geo:)?\s*\(?\s*(?P<lat>[+-]?\d{1,3}(?:\.\d+)?)\s*[,;]\s*"
    r"(?P<lon>[+-]?\d{1,3}(?:\.\d+)?)\s*\)?\s*$",
    re.IGNORECASE,
)
_HEMISPHERES = re.compile(
    r"^\s*(?P<lat>\d{1,2}(?:\.\d+)?)\s*°?\s*(?P<ns>[NS])\s*[,;]?\s*"
    r"(?P<lon>\d{1,3}(?:\.\d+)?)\s*°?\s*(?P<ew>[EW])\s*$",
    re.IGNORECASE,
)


def parse_coordinates(text: str) -> tuple[float, float] | None:
    """``(lat, lon)`` when the text is only a position, else None.

    Accepts "43.66, -79.39", "43.66;-79.39", "geo:43.66,-79.39" and
    "43.66° N, 79.39° W". Out-of-range pairs and the (0, 0) placeholder are
    not positions.
    """
    match = _COORDINATES.match(text)
    if match:
        lat, lon = float(match.group("lat")), float(match.group("lon"))
    else:
        match = _HEMISPHERES.match(text)
        if not match:
            return None
        lat = float(match.group("lat")) * (-1 if match.group("ns").upper() == "S" else 1)
        lon = float(match.group("lon")) * (-1 if match.group("ew").upper() == "W" else 1)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lat, lon


# --- Comparing addresses ------------------------------------------------------------

_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
"""Combining marks left by NFKD ("é" -> "e" + U+0301): dropping them folds accents."""
_ASCII_PUNCTUATION = bytes.maketrans(string.punctuation.encode(), b" " * len(string.punctuation))
_PUNCTUATION = str.maketrans(dict.fromkeys(string.punctuation + "’‘“”–—", " "))


def fold(text: str) -> str:
    """Case, accents, punctuation and spacing removed: "Montréal, QC." -> "montreal qc"."""
    if text.isascii():  # the common case, three times faster through bytes
        return " ".join(text.lower().encode().translate(_ASCII_PUNCTUATION).decode().split())
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(text.casefold().translate(_PUNCTUATION).split())


def normalise_address(text: str) -> str:
    """The cache key of an address: case, accents, punctuation and spacing folded.

    "1450 Henry St., Whitby, ON" and "1450 henry st whitby on" are the same
    question to a geocoder, so they share one answer. Abbreviations are not
    expanded ("St" vs "Street"): guessing wrong would merge two places.
    """
    return fold(text)


def one_line(text: str) -> str:
    """Lines joined with ", " (Apple's "Venue\\nStreet, City"), spacing collapsed."""
    lines = (" ".join(line.split()).strip(" ,") for line in text.splitlines())
    return ", ".join(line for line in lines if line)


def location_key(place: Place) -> str:
    """The text a calendar gave for a place, as the user's fix of it is filed: every
    occurrence, and every event, with the same text is fixed at once."""
    return one_line(place.address or place.name).casefold()

"""The schema.org objects a page describes itself with, and its calendar links.

extruct reads the markup (JSON-LD, microdata, RDFa) so that no HTML is parsed by
hand here; this module only brings the three to one shape (JSON-LD's, with
short property names) and finds the Event objects among them, wherever the page
put them: one object, a list, an ``@graph``, or nested in another (an
ItemList's elements, an Organization's ``event``).
"""

from __future__ import annotations

import html as html_text
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from planner.core.storage.feed_download import webcal_as_https

EVENT_TYPES = frozenset(
    {
        "Event",
        "BusinessEvent",
        "ChildrensEvent",
        "ComedyEvent",
        "CourseInstance",
        "DanceEvent",
        "DeliveryEvent",
        "EducationEvent",
        "EventSeries",
        "ExhibitionEvent",
        "Festival",
        "FoodEvent",
        "Hackathon",
        "LiteraryEvent",
        "MusicEvent",
        "PublicationEvent",
        "SaleEvent",
        "ScreeningEvent",
        "SocialEvent",
        "SportsEvent",
        "TheaterEvent",
        "VisualArtsEvent",
    }
)
"""schema.org's Event and its subtypes (https://schema.org/Event, "More specific Types")."""

_SCHEMA_PREFIX = re.compile(r"^(?:https?://schema\.org/|schema:)", re.IGNORECASE)
_HAS_RDFA_TYPES = re.compile(r"\stypeof\s*=", re.IGNORECASE)
_ADD_TO_CALENDAR = re.compile(r"add\s+to\s+(?:my\s+)?calendar|\bical\b|\.ics\b", re.IGNORECASE)


@dataclass(slots=True)
class Markup:
    """What a page says of itself: its Event objects, calendar links and read problems."""

    events: list[dict[str, Any]] = field(default_factory=list)
    calendar_links: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def short_type(value: object) -> str:
    """``"https://schema.org/BusinessEvent"`` → ``"BusinessEvent"``."""
    return _SCHEMA_PREFIX.sub("", str(value)).strip()


def types_of(node: dict[str, Any]) -> set[str]:
    """The short names of a node's ``@type`` (one or a list)."""
    kinds = node.get("@type", ())
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return {short_type(k) for k in kinds}


def read_markup(page: str, url: str) -> Markup:
    """The page's Event objects (JSON-LD first, then microdata, then RDFa) and links.

    Broken JSON-LD costs only the JSON-LD: the microdata and links are still read, and
    the problem is said.
    """
    import extruct  # about 0.3 s to import: only when a page is read

    found = Markup()
    objects: list[Any] = []
    try:
        objects += extruct.extract(page, base_url=url, syntaxes=["json-ld"], errors="strict")[
            "json-ld"
        ]
    except (ValueError, RecursionError) as exc:  # json.JSONDecodeError, jstyleson's, or
        # a script nested deeper than Python's json reads ([[[[…]]]] a hundred thousand deep)
        found.problems.append(f"the page's JSON-LD cannot be read ({_first_line(exc)})")
        objects += _json_ld_script_by_script(page)
    try:
        other = extruct.extract(
            page, base_url=url, syntaxes=["microdata"], uniform=True, errors="strict"
        )
    except ValueError as exc:  # lxml's parser errors are ValueErrors too
        found.problems.append(f"the page's microdata cannot be read ({_first_line(exc)})")
        other = {}
    objects += other.get("microdata", [])
    if not any(True for _ in _events_in(objects)) and _HAS_RDFA_TYPES.search(page):
        objects += _compact_rdfa(_rdfa(page, url, found))
    seen: set[str] = set()
    graph = _Graph(objects)
    for node in _events_in(objects):
        node = graph.event(_unescaped(node))
        identity = repr((node.get("name"), node.get("startDate")))  # the same in two forms
        if identity not in seen:
            seen.add(identity)
            found.events.append(node)
    found.calendar_links = calendar_links(page, url)
    return found


def _json_ld_script_by_script(page: str) -> list[Any]:
    """The JSON-LD of each ``<script>`` that can be read, when one cannot: extruct reads
    a page's scripts as one, so a broken one (a site's template error, often beside the
    good one with the event) would cost them all."""
    from extruct.jsonld import JsonLdExtractor
    from extruct.utils import parse_html

    try:
        tree = parse_html(page, encoding="UTF-8")
    except (ValueError, TypeError):  # lxml's parser errors are ValueErrors
        return []
    extractor = JsonLdExtractor()
    objects: list[Any] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            objects += extractor.extract_items(script)
        except (ValueError, RecursionError):  # this script's own fault, already said: the
            continue  # next one may be good
    return objects


def _rdfa(page: str, url: str, found: Markup) -> list[dict[str, Any]]:
    """RDFa, read only where it is cheap: when the page types something with it and
    neither JSON-LD nor microdata gave an event (pyRDFa takes about 0.13 s on a
    600 KB page, where the other two take 3-4 ms; Open Graph's ``<meta property>``
    alone, on most pages, types nothing)."""
    import extruct

    try:
        read = extruct.extract(page, base_url=url, syntaxes=["rdfa"], errors="strict")
    except ValueError as exc:
        found.problems.append(f"the page's RDFa cannot be read ({_first_line(exc)})")
        return []
    nodes: list[dict[str, Any]] = read.get("rdfa", [])
    return nodes


def _first_line(exc: Exception) -> str:
    if isinstance(exc, RecursionError):  # "maximum recursion depth exceeded while decoding…"
        return "it is nested too deeply"
    return str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__


def _events_in(value: Any) -> Iterator[dict[str, Any]]:
    """Every Event object in a JSON-LD value, outermost first; an event's own parts
    (its sub-events) are not events of the page."""
    if isinstance(value, list):
        for item in value:
            yield from _events_in(item)
    elif isinstance(value, dict):
        if types_of(value) & EVENT_TYPES:
            yield value
            return
        for key, item in value.items():
            if key != "@context":
                yield from _events_in(item)


def _definitions(objects: list[Any]) -> dict[str, dict[str, Any]]:
    """Each node the page defines with an ``@id`` (and something more), by that id: a
    ``@graph`` gives each node once and names it elsewhere by ``{"@id": …}`` only
    (WordPress's schema graph names an event's Place and Offer so). Walked without
    recursion: the JSON may be nested as deep as Python's reader allows."""
    defined: dict[str, dict[str, Any]] = {}
    stack: list[Any] = [objects]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
        elif isinstance(value, dict):
            ident = value.get("@id")
            if isinstance(ident, str) and not _is_reference(value):
                defined.setdefault(ident, value)
            stack.extend(reversed(list(value.values())))
    return defined


def _is_reference(value: dict[str, Any]) -> bool:
    return isinstance(value.get("@id"), str) and set(value) <= {"@id", "@type"}


class _Graph:
    """The nodes a page defines by ``@id``, for the parts of an event planner reads (its
    ``location``, with the Place's ``address`` and ``geo``, and its ``offers``) when the
    event only names them. Each node is unescaped once and shared, and each is taken
    once per event, so a page naming one node ten thousand times holds it once."""

    def __init__(self, objects: list[Any]) -> None:
        self._defined = _definitions(objects)
        self._read: dict[str, Any] = {}

    def node(self, value: Any) -> Any:
        """The node a reference names (unescaped), else ``value`` as it is."""
        if not (isinstance(value, dict) and _is_reference(value)):
            return value
        ident = value["@id"]
        if ident not in self._defined:
            return value
        if ident not in self._read:
            self._read[ident] = _unescaped(self._defined[ident])
        return self._read[ident]

    def event(self, node: dict[str, Any]) -> dict[str, Any]:
        """``node`` (unescaped) with the location and offers it names filled in."""
        if not self._defined:
            return node
        out = dict(node)
        for key in ("location", "offers"):
            if key in out:
                out[key] = self._each_once(out[key], place=key == "location")
        return out

    def _each_once(self, value: Any, *, place: bool) -> list[Any]:
        seen: set[int] = set()
        parts: list[Any] = []
        for item in value if isinstance(value, list) else [value]:
            found = self.node(item)
            if id(found) in seen:
                continue
            seen.add(id(found))
            if place and isinstance(found, dict) and ("address" in found or "geo" in found):
                found = {
                    k: self.node(v) if k in ("address", "geo") else v for k, v in found.items()
                }
            parts.append(found)
        return parts


def _unescaped(value: Any) -> Any:
    """Every string with its HTML entities read (``&amp;`` → ``&``): sites escape the
    JSON-LD they write into HTML, though a script's text is never unescaped."""
    if isinstance(value, str):
        return html_text.unescape(value).strip()
    if isinstance(value, list):
        return [_unescaped(v) for v in value]
    if isinstance(value, dict):
        return {k: _unescaped(v) for k, v in value.items()}
    return value


def _compact_rdfa(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """RDFa as extruct gives it (expanded JSON-LD: full property IRIs, values in lists,
    nested objects by ``@id``) in the shape of the JSON-LD the rest reads."""
    by_id = {n["@id"]: n for n in nodes if isinstance(n, dict) and "@id" in n}

    def compact(node: dict[str, Any], depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {"@type": [short_type(t) for t in node.get("@type", [])]}
        for key, values in node.items():
            if key.startswith("@") or not _SCHEMA_PREFIX.match(key):
                continue
            read = [value(v, depth) for v in (values if isinstance(values, list) else [values])]
            out[short_type(key)] = read[0] if len(read) == 1 else read
        return out

    def value(item: Any, depth: int) -> Any:
        if not isinstance(item, dict):
            return item
        if "@value" in item:
            return item["@value"]
        target = by_id.get(item.get("@id", ""))
        if target is not None and depth < 5:
            return compact(target, depth + 1)
        return item.get("@id", "")

    return [compact(n, 0) for n in nodes if types_of(n) & EVENT_TYPES]


def calendar_links(page: str, url: str) -> list[str]:
    """The page's links to an .ics file: ``<link rel="alternate" type="text/calendar">``
    first, then "Add to calendar" links (an ``<a>`` whose address ends in .ics, or whose
    text says so), as absolute http(s) addresses."""
    import lxml.html  # installed with extruct

    try:
        tree = lxml.html.document_fromstring(page)
    except (ValueError, lxml.etree.ParserError):
        return []
    links: list[str] = [
        str(href)
        for element in tree.iter("link")
        if (href := element.get("href"))
        and "alternate" in (element.get("rel") or "").lower().split()
        and (element.get("type") or "").lower().startswith("text/calendar")
    ]
    for anchor in tree.iter("a"):
        href = anchor.get("href") or ""
        path = urlsplit(href).path.lower()
        if path.endswith((".ics", ".ical")) or (
            href and _ADD_TO_CALENDAR.search(anchor.text_content() or "") and "ics" in href
        ):
            links.append(href)
    absolute = [webcal_as_https(urljoin(url, link.strip())) for link in links]
    kept = [link for link in absolute if urlsplit(link).scheme.lower() in ("http", "https")]
    return list(dict.fromkeys(kept))

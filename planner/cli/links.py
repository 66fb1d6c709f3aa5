"""The links among ``planner add``'s lines: each page read only with the user's consent.

A line that is an http(s) link and nothing else is an event's web page. With
``--fetch`` or ``[web] fetch = true`` its page is fetched and read
(:func:`planner.core.web.reading.read_link`); without, nothing is requested and the
line is reported like one that could not be read, saying how to consent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.core.settings import Settings
    from planner.core.text.quick_add import Parsed, Unparsed

NEEDS_CONSENT = (
    "a link: planner fetches its page only with your consent (add --fetch, or set "
    "[web] fetch = true in your settings); nothing was requested"
)


@dataclass(slots=True)
class Links:
    """What the links gave, and the text left for the typed-line reader."""

    rest: str
    """The text with each link's line blanked (line numbers stay as the user sees them)."""
    parsed: list[Parsed] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)
    notes: list[tuple[int, str, str]] = field(default_factory=list)
    """(line, link, what could not be read on a page that still gave events)."""


def read_links(text: str, *, fetch: bool, settings: Settings, reference: datetime) -> Links:
    """Split the links from ``text`` and read each one's page when ``fetch`` allows."""
    from planner.core.text.quick_add import Unparsed
    from planner.core.web.fetch import WebError, is_web_link

    lines = text.splitlines()
    found = Links(rest=text)
    links = [(n, line.strip()) for n, line in enumerate(lines, 1) if is_web_link(line.strip())]
    if not links:
        return found
    blank = {n for n, _ in links}
    found.rest = "\n".join("" if n in blank else line for n, line in enumerate(lines, 1))
    for number, link in links:
        if not (fetch or settings.web.fetch):
            found.unparsed.append(Unparsed(number, link, NEEDS_CONSENT))
            continue
        from planner.core.web.reading import read_link

        try:
            reading = read_link(link, settings.zone, reference, line_number=number)
        except WebError as exc:
            found.unparsed.append(Unparsed(number, link, str(exc)))
            continue
        found.parsed += reading.events
        found.notes += [(number, link, problem) for problem in reading.problems]
    return found

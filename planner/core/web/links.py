"""The links among added lines: each page read only with the user's consent.

``planner add`` and the window's add field take the same text: typed lines and,
on lines of their own, links to events' web pages. This is their one policy. A
line that is an http(s) link and nothing else is an event's page; with consent it
is fetched and read (:func:`planner.core.web.reading.read_link`), without it
nothing is requested and the line is reported like one that could not be read,
with the reason the caller words (the command line names ``--fetch``, the window
its question). The other lines are left, in place, for the typed-line reader.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from planner.core.settings import Settings
from planner.core.storage.feed_download import Limits
from planner.core.text.quick_add.results import Parsed, Unparsed
from planner.core.web.fetch import PAGE_LIMITS, WebError, host_of, is_web_link
from planner.core.web.reading import read_link

NOT_ASKED = "a link: planner fetches its page only with your consent; nothing was requested"


@dataclass(slots=True)
class Links:
    """What the links gave, and the text left for the typed-line reader."""

    rest: str
    """The text with each link's line blanked (line numbers stay as the user sees them)."""
    links: list[tuple[int, str]] = field(default_factory=list)
    """(line number, link) of each line that is a link, in order."""
    parsed: list[Parsed] = field(default_factory=list)
    unparsed: list[Unparsed] = field(default_factory=list)
    notes: list[tuple[int, str, str]] = field(default_factory=list)
    """(line, link, what could not be read on a page that still gave events)."""

    @property
    def hosts(self) -> list[str]:
        """The sites the links lead to, each once, in order ("tickets.example.org")."""
        return list(dict.fromkeys(host_of(link) for _, link in self.links))


def split_links(text: str) -> Links:
    """The lines of ``text`` that are links, and the rest with those lines blanked;
    nothing is requested."""
    lines = text.splitlines()
    found = Links(rest=text)
    found.links = [
        (n, line.strip()) for n, line in enumerate(lines, 1) if is_web_link(line.strip())
    ]
    if found.links:
        blank = {n for n, _ in found.links}
        found.rest = "\n".join("" if n in blank else line for n, line in enumerate(lines, 1))
    return found


def read_links(
    text: str,
    *,
    fetch: bool,
    settings: Settings,
    reference: datetime,
    not_asked: str = NOT_ASKED,
    limits: Limits = PAGE_LIMITS,
    stopped: Callable[[], bool] = lambda: False,
) -> Links:
    """Split the links from ``text`` and read each one's page when ``fetch`` or
    ``[web] fetch`` allows; else each is unparsed with ``not_asked`` as the reason.

    ``stopped`` is asked before each page: once it says so, no further page is
    requested (the window's Stop).
    """
    found = split_links(text)
    for number, link in found.links:
        if not (fetch or settings.web.fetch):
            found.unparsed.append(Unparsed(number, link, not_asked))
            continue
        if stopped():
            break
        try:
            reading = read_link(link, settings.zone, reference, line_number=number, limits=limits)
        except WebError as exc:
            found.unparsed.append(Unparsed(number, link, str(exc)))
            continue
        found.parsed += reading.events
        found.notes += [(number, link, problem) for problem in reading.problems]
    return found

"""The parts of a line that have a shape of their own: links, #categories, prices.

They are read first and masked out because their characters would mislead
the readers after them: the "25" of "$25" would be taken for a day or an
hour, a link's path for a date, and "#tech" would stay in the title.
Prices are read by :mod:`planner.core.text.prices`, which the calendars'
descriptions share.
"""

from __future__ import annotations

import re

from planner.core.text.prices import COST as _COST
from planner.core.text.prices import money_text as _money
from planner.core.text.prices import number as _number
from planner.core.text.prices import read_cost_text
from planner.core.text.quick_add.line import Reading

__all__ = ["read_cost", "read_cost_text", "read_tags", "read_url"]

_URL = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]+"
    r"|\b(?:[a-z0-9-]+\.)+(?:com|ca|org|net|io|ma|co|events|us|fr|es|de)/[^\s<>\"]*",
    re.IGNORECASE,
)
_TAG = re.compile(r"(?<![\w&/])#(?P<tag>[^\W\d_][\w-]*)")


def read_url(reading: Reading) -> None:
    """The first link is the event's ("www." gets "https://"); every link is masked."""
    line = reading.line
    for match in _URL.finditer(line.masked):
        url = match.group(0).rstrip(".,;:!?)]»\"'")
        if not reading.url:
            reading.url = url if re.match(r"https?://", url, re.I) else "https://" + url
        line.take("url", match.start(), match.start() + len(url))


def read_tags(reading: Reading) -> None:
    """``#tags`` are the categories, first one first; an unknown first one is noted."""
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


def read_cost(reading: Reading) -> None:
    """The first price, or the lowest of a range; several prices or a range are noted."""
    line = reading.line
    found: list[tuple[float, float | None, str]] = []
    for match in _COST.finditer(line.masked):
        if match.group("a5") and not match.group("label"):
            continue  # a bare number is a price only after "Tickets:", "Prix", "Eintritt"...
        if match.group("free"):
            found.append((0.0, None, match.group(0).strip()))
        else:
            low = match.group("a1") or match.group("a3") or match.group("a5")
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

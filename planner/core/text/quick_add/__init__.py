"""Events typed the way people write them: "PMI mixer next Thu 6-8pm @ 100 King St W $25".

People copy events out of e-mails, newsletters, Meetup pages and chats, and
each writes a date, a time, a place and a price its own way, in English,
French, Spanish or German. This package turns one such line into a candidate
:class:`~planner.core.model.Event` and says, in words, what it had to assume
(no end time, no year, no am/pm, the order of "10/12", online from a meeting
link), so that the preview can mark exactly those parts for the user to check
before anything is planned: every part not read from the line carries one.

How a line is read, and why this way:

* The parts with a recognisable shape are found first and masked out of the
  line, each with its span (for highlighting): links, ``#tags``, prices
  (:mod:`.shapes`), dates (:mod:`.days`), durations and times
  (:mod:`.times`). What is left gives the place and the title
  (:mod:`.place_and_title`).
* Dates with a month are resolved by dateparser; weekdays, numbers ("10/12",
  in the order nearer the week on screen), ordinal weekdays of a month
  (:mod:`.nth_weekday`) and words such as "tomorrow" are resolved against
  ``reference`` (the week on screen, not the clock), because dateparser
  resolves "Monday" on a Monday morning to next week and does not read
  "jeudi prochain". The words of days in the four languages, and how a
  line's language is told (an abbreviation such as "Sam" is a weekday only
  in a line of its language), are in :mod:`.day_words`.
* Times are read by a small grammar, never by dateparser: it reads "18h" as
  the year 2118 and "$25" as a date, and has no notion of ranges.
* :mod:`.assemble` runs the readers in order and builds the event with its
  assumptions; :mod:`.lines` holds the entry points, :func:`parse_line` and
  :func:`parse_lines`.
* dateparser is imported inside the functions that need it: its first call
  costs about 0.3 s (imports and language data), and the offline gazetteer
  that recognises city names costs about as much again. Callers in the
  window must therefore parse off the GUI thread (``run_in_background``).

Nothing here imports Qt. This module only gathers the public names, so that
callers import them from ``planner.core.text.quick_add``.
"""

from __future__ import annotations

from planner.core.text.quick_add.lines import parse_line, parse_lines
from planner.core.text.quick_add.place_and_title import read_place_text
from planner.core.text.quick_add.results import (
    LANGUAGES,
    SOURCE,
    Assumption,
    Parsed,
    Part,
    Span,
    Unparsed,
)
from planner.core.text.quick_add.shapes import read_cost_text

__all__ = [
    "LANGUAGES",
    "SOURCE",
    "Assumption",
    "Parsed",
    "Part",
    "Span",
    "Unparsed",
    "parse_line",
    "parse_lines",
    "read_cost_text",
    "read_place_text",
]

"""The week's agenda to print or mail: when to leave, where to go, when you are back.

The .ics and CSV exports feed other programs; the agenda is for the person,
on paper or in an email, where nothing can be clicked away or re-planned. So
each attended event is written out in full (the link as text as well as a
link, because paper has no hover), between the day's commitments in grey, so
that the leave-by time reads against what comes before and after it.

Titles, places, descriptions and links come from calendar feeds that anyone
can publish, so every one of them is escaped, and a link becomes an anchor
only for web and mail addresses. The HTML has no scripts and loads nothing:
it renders the same in a browser, in an email and in Qt's QTextDocument
(which draws the PDF), so its CSS keeps to what all three understand.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from planner.core.model import Decision, Event, Plan, Reason, Status, Trip, is_flexible
from planner.core.text import wording

_LINKABLE = ("http://", "https://", "mailto:")
_NOTE_CHARS = 220
_TEXT_WIDTH = 88
_TABLE = 'width="100%" cellspacing="0" cellpadding="0"'
_TIME_WIDTH = 90


def _date_words(day: date, *, year: bool = False) -> str:
    # English names whatever the locale (Qt sets the C locale from the environment),
    # written as everywhere else: "Monday 7 December".
    return wording.long_date(day, year=year)


@dataclass(frozen=True, slots=True)
class _Commitment:
    """Something already in the calendar, shown only to give the day its shape."""

    sort_at: datetime
    when: str
    title: str


@dataclass(frozen=True, slots=True)
class _Visit:
    """One attended event, every field already in words."""

    sort_at: datetime
    when: str
    leave: str
    """The instruction that matters most ("Leave the office at 17:15"); "" when none."""
    travel: str
    title: str
    venue: str
    cost: str
    url: str
    worth: str
    note: str
    back: str
    back_travel: str


@dataclass(frozen=True, slots=True)
class _Day:
    day: date
    items: tuple[_Commitment | _Visit, ...]


def _trip_words(trip: Trip) -> str:
    """Enough to judge the trip from paper: "drive 15 min in rush hour, 2 km", or by the
    timetable "transit 64 min: walk 6 min · GO LE 17:53 → 18:38 Union · walk 8 min"."""
    words = wording.journey(trip)
    if trip.rush_hour:
        words += " in rush hour"
    if trip.distance_km >= 1:
        words += f", {trip.distance_km:.0f} km"
    if trip.assumed:
        words += " (venue position unknown: time assumed)"
    return words


def _note(description: str) -> str:
    """The start of the description: a hint of what to bring, not the whole blurb."""
    flat = " ".join(description.split())
    if len(flat) <= _NOTE_CHARS:
        return flat
    cut = flat[:_NOTE_CHARS]
    sentence = cut.rfind(". ")
    if sentence >= _NOTE_CHARS // 3:
        return cut[: sentence + 1]
    return cut.rsplit(" ", 1)[0].rstrip(",;:.-–") + "…"


def _worth(d: Decision) -> str:
    """Why this event made the plan, in one short line."""
    worth = f"Worth {d.value:g}" + (f" ({d.event.category})" if d.event.category else "")
    if is_flexible(d.event):
        return f"{worth}: {d.explanation}"  # "placed in free time (1 of 2 this week)"
    if d.reason is Reason.PINNED:
        return f"{worth}: you committed to it" + (
            f", {wording.although(d.breaks)}" if d.breaks else ""
        )
    return f"{worth}: fits your rules and budget"


def _visit(d: Decision, zone: tzinfo) -> _Visit:
    e = d.event
    start, end = e.start.astimezone(zone), e.end.astimezone(zone)
    leave_at, back_at = d.leave_at.astimezone(zone), d.back_at.astimezone(zone)
    flexible = is_flexible(e)
    when = "all day" if e.all_day else f"{wording.clock(start)}-{wording.clock(end)}"
    leave = travel = back = back_travel = ""
    if d.trip_to is not None and d.trip_to.minutes:
        leave = f"Leave {wording.place(d.origin)} at {wording.clock(leave_at)}"
        travel = _trip_words(d.trip_to)
    elif d.trip_to is not None:
        leave = f"Be there at {wording.clock(start)}"
        travel = f"no travel from {wording.place(d.origin)}"
    elif not flexible:
        leave = f"Join online at {wording.clock(start)}"
        travel = "no travel"
    if d.trip_from is not None and d.trip_from.minutes:
        there = "Back home" if d.destination == "home" else f"At {wording.place(d.destination)}"
        back = f"{there} by {wording.clock(back_at)}"
        back_travel = _trip_words(d.trip_from)
    place = e.place
    if place.virtual:
        venue = "" if flexible else "Online" + (f": {place.name}" if place.name else "")
    else:
        venue = ", ".join(p for p in (place.name, place.address) if p)
    if place.note and not flexible:  # how planner learnt it, or why it is unknown
        venue = f"{venue} ({place.note})" if venue else place.note[:1].upper() + place.note[1:]
    cost = ""
    if not flexible:
        cost = wording.money(e.cost) if not e.cost else f"Ticket {wording.money(e.cost)}"
    return _Visit(
        sort_at=leave_at,
        when=when,
        leave=leave,
        travel=travel,
        title=e.summary,
        venue=venue,
        cost=cost[:1].upper() + cost[1:],
        url=e.url.strip(),
        worth=_worth(d),
        note=_note(e.description),
        back=back,
        back_travel=back_travel,
    )


def _commitment(c: Event, day_start: datetime, day_end: datetime) -> _Commitment:
    zone = day_start.tzinfo
    start, end = c.start.astimezone(zone), c.end.astimezone(zone)
    if c.all_day or (start <= day_start and end >= day_end):
        return _Commitment(day_start, "all day", c.summary)
    begins = wording.clock(start) if start >= day_start else "…"
    ends = wording.clock(end) if end <= day_end else "…"
    return _Commitment(max(start, day_start), f"{begins}-{ends}", c.summary)


def _days(plan: Plan) -> list[_Day]:
    """The days with an attended event, each with its commitments, in time order."""
    zone = plan.week_start.tzinfo
    assert zone is not None, "a Plan's week_start is timezone-aware"
    visits: dict[date, list[_Visit]] = {}
    for d in plan.chosen:
        visits.setdefault(d.event.start.astimezone(zone).date(), []).append(_visit(d, zone))
    out = []
    for day in sorted(visits):
        day_start = datetime.combine(day, time(), zone)
        day_end = datetime.combine(day + timedelta(days=1), time(), zone)
        context = [
            _commitment(c, day_start, day_end)
            for c in plan.commitments
            if c.status is not Status.CANCELLED and c.start < day_end and c.end > day_start
        ]
        # All-day lines first, then by time (a visit from when the user sets off);
        # at the same minute the visit first, since it is what the page is for.
        items: list[_Commitment | _Visit] = [*visits[day], *context]
        items.sort(key=lambda i: (i.when != "all day", i.sort_at, isinstance(i, _Commitment)))
        out.append(_Day(day, tuple(items)))
    return out


def _heading(plan: Plan, title: str | None) -> tuple[str, str]:
    first = plan.week_start.date()
    last = first + timedelta(days=6)
    span = f"{_date_words(first)} to {_date_words(last, year=True)} ({plan.timezone})"
    return title or f"Agenda: week of {_date_words(first, year=True)}", span


def agenda_title(plan: Plan) -> str:
    """The default heading, also the PDF's title and the print job's name."""
    return _heading(plan, None)[0]


def _summary(plan: Plan) -> str:
    """Events, time against the budget (travel included) and money, in one line."""
    b = plan.budget
    flexible = sum(1 for d in plan.chosen if is_flexible(d.event))
    events = f"{b.events} event{'' if b.events == 1 else 's'}"
    if flexible:
        events += f" and {flexible} block{'' if flexible == 1 else 's'} of flexible time"
    hours = (
        f"{wording.minutes(b.used_minutes)} of your {wording.minutes(b.limit_minutes)}, "
        f"{wording.minutes(b.travel_minutes)} of it travel"
    )
    if not b.money:
        money = "no tickets to pay"
    elif b.money_limit is None:
        money = f"{wording.money(b.money)} in tickets"
    else:
        money = f"{wording.money(b.money)} in tickets (of {wording.money(b.money_limit)} a month)"
    return f"{events} · {hours} · {money}"


def _nothing(plan: Plan) -> str:
    count = len(plan.decisions)
    if not count:
        return "No candidate events were found for this week, so there is nowhere to go."
    return (
        f"Nothing to attend this week: none of the {count} candidate events fits your "
        "commitments and rules. The plan says why each one was left out."
    )


def _link(url: str) -> str:
    text = html.escape(url)
    if url.lower().startswith(_LINKABLE):
        return f'<a href="{html.escape(url, quote=True)}">{text}</a>'
    return text


_CSS = """
@page { margin: 15mm; }
body { font-family: 'DejaVu Sans', 'Helvetica Neue', Arial, sans-serif; font-size: 9.5pt;
  color: #1b1b1b; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
h1 { font-size: 15pt; font-weight: bold; margin-top: 0; margin-bottom: 2px; }
h2 { font-size: 12pt; font-weight: bold; margin-top: 18px; margin-bottom: 4px;
  color: #1d5c2e; page-break-after: avoid; break-after: avoid; }
p { margin-top: 0; margin-bottom: 0; }
p.week { color: #555555; margin-bottom: 4px; }
p.summary { font-size: 10.5pt; margin-bottom: 6px; }
p.none { font-size: 12pt; margin-top: 24px; }
p.notice { font-weight: bold; color: #8a5a00; margin: 2px 0; }
table { border-collapse: collapse; page-break-inside: avoid; break-inside: avoid; }
table.visit { margin-top: 6px; margin-bottom: 6px; }
td { vertical-align: top; padding-top: 2px; padding-bottom: 2px; }
td.bar { padding: 0; }
td.time { padding-left: 6px; padding-right: 8px; white-space: nowrap; }
td.body { padding-right: 6px; }
table.commitments td { color: #767676; font-size: 8.5pt; }
table.visit td { background-color: #eef6ef; padding-top: 7px; padding-bottom: 7px; }
table.visit td.bar { background-color: #2e8b57; }
table.visit td.time { font-weight: bold; font-size: 10pt; }
p.leave { font-size: 11pt; font-weight: bold; color: #14532d; }
p.title { font-size: 11.5pt; font-weight: bold; margin-top: 3px; margin-bottom: 2px; }
p.worth { color: #444444; font-style: italic; margin-top: 2px; }
p.note { color: #666666; font-size: 8pt; margin-top: 2px; }
p.back { font-weight: bold; color: #14532d; margin-top: 4px; }
span.quiet { font-weight: normal; color: #444444; }
a { color: #1a4f8b; }
"""


def _units(text: str) -> str:
    """Escaped, with "20 min" and "6 km" kept on one line when the line wraps."""
    return re.sub(r"(\d) (min|km|h)\b", "\\1&nbsp;\\2", html.escape(text))


def _visit_html(v: _Visit) -> str:
    esc = html.escape
    lines = []
    if v.leave:
        lines.append(
            f'<p class="leave">{esc(v.leave)} <span class="quiet">· {_units(v.travel)}</span></p>'
        )
    lines.append(f'<p class="title">{esc(v.title)}</p>')
    if v.venue:
        lines.append(f"<p>{esc(v.venue)}</p>")
    extra = [esc(v.cost)] if v.cost else []
    if v.url:
        extra.append(_link(v.url))
    if extra:
        lines.append(f"<p>{' · '.join(extra)}</p>")
    lines.append(f'<p class="worth">{esc(v.worth)}</p>')
    if v.note:
        lines.append(f'<p class="note">{esc(v.note)}</p>')
    if v.back:
        way = f'<span class="quiet">· {_units(v.back_travel)}</span>'
        lines.append(f'<p class="back">{esc(v.back)} {way}</p>')
    body = "\n".join(lines)
    return (
        f'<table class="visit" {_TABLE}>\n<tr><td class="bar" width="4">&nbsp;</td>'
        f'<td class="time" width="{_TIME_WIDTH}">{esc(_dash(v.when))}</td>'
        f'<td class="body">\n{body}\n</td></tr>\n</table>'
    )


def _commitments_html(run: list[_Commitment]) -> str:
    rows = [
        f'<tr><td class="bar" width="4"></td>'
        f'<td class="time" width="{_TIME_WIDTH}">{html.escape(_dash(c.when))}</td>'
        f'<td class="body">{html.escape(c.title)}</td></tr>'
        for c in run
    ]
    return f'<table class="commitments" {_TABLE}>\n' + "\n".join(rows) + "\n</table>"


def _day_html(day: _Day) -> str:
    """One table per visit and per run of commitments between visits.

    Separate tables, not rows of one, because a table can be kept whole on a
    page (by the browser's CSS, by the PDF renderer's own check) and a row
    cannot: a card cut in two would put the leave-by time on one sheet and
    the address on the next.
    """
    parts = [f"<h2>{html.escape(_date_words(day.day))}</h2>"]
    run: list[_Commitment] = []
    for item in day.items:
        if isinstance(item, _Commitment):
            run.append(item)
            continue
        if run:
            parts.append(_commitments_html(run))
            run = []
        parts.append(_visit_html(item))
    if run:
        parts.append(_commitments_html(run))
    return "\n".join(parts)


def _dash(when: str) -> str:
    """A time range as print writes it ("17:30–20:00"); terminals keep the hyphen."""
    return re.sub(r"(?<=[\d…])-(?=[\d…])", "–", when)


def agenda_html(plan: Plan, *, title: str | None = None, notices: Sequence[str] = ()) -> str:
    """The week's agenda as one self-contained, printable HTML page.

    Args:
        plan: the planned week; its chosen events are the ones on the agenda,
            exactly as in the .ics and CSV attend-lists.
        title: the page heading, for a user who prints agendas for others;
            by default "Agenda: week of ...".
        notices: what the plan was made without (a calendar not read), one sentence
            each, printed under the heading: a page on the fridge must say it too.
    """
    esc = html.escape
    heading, span = _heading(plan, title)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{esc(heading)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{esc(heading)}</h1>",
        f'<p class="week">{esc(span)}</p>',
        *(f'<p class="notice">⚠ {esc(notice)}</p>' for notice in notices),
    ]
    days = _days(plan)
    if not days:
        parts.append(f'<p class="none">{esc(_nothing(plan))}</p>')
    else:
        parts.append(f'<p class="summary">{esc(_summary(plan))}</p>')
    parts += [_day_html(day) for day in days]
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _wrapped(text: str, indent: str, first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text,
        _TEXT_WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def agenda_text(plan: Plan) -> str:
    """The same agenda as plain text, for a terminal or the body of an email."""
    heading, span = _heading(plan, None)
    lines = [heading, span]
    days = _days(plan)
    if not days:
        return "\n".join([*lines, "", *_wrapped(_nothing(plan), ""), ""])
    lines += [*_wrapped(_summary(plan), ""), ""]
    for day in days:
        name = _date_words(day.day)
        lines += [name, "=" * len(name)]
        for item in day.items:
            if isinstance(item, _Commitment):
                lines += _wrapped(item.title, " " * 15, f"  {item.when:<12} ")
                continue
            lines.append("")
            if item.leave:
                lines.append(f"  >> {item.leave} ({item.travel})")
            lines += _wrapped(item.title, " " * 15, f"  {item.when:<12} ")
            for text in (item.venue, item.cost, item.url, item.worth, item.note):
                if text:
                    lines += _wrapped(text, " " * 15)
            if item.back:
                lines.append(f"  << {item.back} ({item.back_travel})")
            lines.append("")
        if lines[-1]:
            lines.append("")
    return "\n".join(lines)

"""The printable agenda: what a person needs on paper, and nothing from a feed unescaped."""

import html
import re
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.core.calendars.agenda import agenda_html, agenda_text, agenda_title
from planner.core.demo import DEMO_WEEK, demo_settings, load_demo
from planner.core.model import Event, Place, Reason, Status
from planner.core.planning.plan import plan_week

TZ = ZoneInfo("America/Toronto")


@pytest.fixture(scope="module")
def plan():
    settings = demo_settings()
    week = load_demo(DEMO_WEEK, settings)
    return plan_week(week.commitments, week.candidates, settings, DEMO_WEEK)


def positions(text, needles):
    found = [text.find(n) for n in needles]
    assert -1 not in found, [n for n, at in zip(needles, found, strict=True) if at == -1]
    return found


def test_every_chosen_event_is_there_with_its_leave_by_time_address_and_link(plan):
    page = agenda_html(plan)
    chosen = sorted(plan.chosen, key=lambda d: d.event.start)
    assert len(chosen) == 3
    for d in chosen:
        e = d.event
        assert html.escape(e.summary) in page
        assert html.escape(e.place.address) in page
        assert f'href="{html.escape(e.url, quote=True)}"' in page
        assert f">{html.escape(e.url)}</a>" in page  # written out, so that it prints
        assert d.leave_at.strftime("%H:%M") in page
    # In day order, each day once, and only the days with somewhere to go.
    titles = positions(page, [html.escape(d.event.summary) for d in chosen])
    assert titles == sorted(titles)
    days = positions(page, ["<h2>Tuesday 24 November", "<h2>Wednesday 25", "<h2>Friday 27"])
    assert days == sorted(days)
    assert page.count("<h2>") == 3
    assert days[0] < titles[0] < days[1] < titles[1] < days[2] < titles[2]


def test_the_demo_week_reads_as_an_itinerary(plan):
    page = agenda_html(plan)
    for line in (
        "Leave the office at 17:15",
        "drive 15&nbsp;min in rush hour, 2&nbsp;km",
        "17:30–20:00",
        "Ticket $20",
        "Back home by 20:42",
        "Leave Sir William Stephenson Public School at 19:10",
        "At Iroquois Park Sports Centre by 20:53",
        "Join online at 07:00",
        "Online: Google Meet https://meet.google.com/xvq-nmkd-pzr",
        "Worth 7.5 (professional): fits your rules and budget",
    ):
        assert line in page
    # The leave-by line is the one set in bold.
    assert re.search(r'<p class="leave">Leave the office at 17:15 ', page)
    assert "p.leave { font-size: 11pt; font-weight: bold;" in page
    summary = re.search(r'<p class="summary">(.*?)</p>', page)
    assert summary is not None
    assert summary.group(1) == (
        "3 events · 5 h 55 min of your 6 h, 1 h 40 min of it travel · "
        "$20 in tickets (of $80 a month)"
    )


def test_commitments_give_the_days_shape_only_on_days_with_an_event(plan):
    page = agenda_html(plan)
    wednesday = page[page.index("<h2>Wednesday") : page.index("<h2>Friday")]
    interview = html.escape("Parent-teacher interview – Maya (Ms. Okonkwo, Gr. 4)")
    hockey = html.escape("Hockey – Whitby Men's League (Iroquois, Pad 4)")
    order = positions(wednesday, ["08:30–17:00", interview, "Lightning Talks", hockey])
    assert order == sorted(order)
    friday = page[page.index("<h2>Friday") :]
    assert friday.index("all day") < friday.index("PD Day – no school (DDSB)")
    # Thursday (dentist) and the weekend (family dinner) have nothing to attend.
    assert "Dentist" not in page and "Sunday dinner" not in page


def test_the_page_is_self_contained_and_inert(plan):
    page = agenda_html(plan)
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    for active in ("<script", "<link", "<img", "<iframe", "src=", "@import", "url(", "on"):
        if active == "on":
            assert not re.search(r"<[^>]+\son\w+=", page)  # no onclick= and the like
        else:
            assert active not in page.lower()


def hostile(plan):
    d = plan.chosen[-1]
    event = replace(
        d.event,
        summary='<script>alert("x")</script> Q&A night',
        description="Bring <b>ID</b> & a friend",
        url="javascript:alert(1)",
        place=replace(d.event.place, name="Bar <i>&</i> Grill"),
    )
    return replace(plan, decisions=(replace(d, event=event),))


def test_everything_from_the_feeds_is_escaped(plan):
    page = agenda_html(hostile(plan), title="Tom & Jerry <3")
    assert "<script" not in page and "<b>ID" not in page and "<i>&" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Q&amp;A night" in page
    assert "Bring &lt;b&gt;ID&lt;/b&gt; &amp; a friend" in page
    assert "Bar &lt;i&gt;&amp;&lt;/i&gt; Grill" in page
    assert "<title>Tom &amp; Jerry &lt;3</title>" in page
    assert "<h1>Tom &amp; Jerry &lt;3</h1>" in page
    # A script link is shown as text, never made clickable.
    assert "javascript:alert(1)" in page
    assert "href=" not in page


def test_a_link_cannot_break_out_of_its_attribute(plan):
    d = plan.chosen[-1]
    url = 'https://example.test/?a=1&b="><script>x</script>'
    page = agenda_html(replace(plan, decisions=(replace(d, event=replace(d.event, url=url)),)))
    assert 'href="https://example.test/?a=1&amp;b=&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in page
    assert "<script" not in page


def test_a_week_with_nothing_chosen_says_so(plan):
    none = replace(plan, decisions=tuple(replace(d, chosen=False) for d in plan.decisions))
    page = agenda_html(none)
    sentence = "Nothing to attend this week: none of the 49 candidate events fits your"
    assert sentence in page
    assert "<h2>" not in page and "<table" not in page
    assert sentence in " ".join(agenda_text(none).split())
    empty = agenda_text(replace(plan, decisions=()))
    assert "No candidate events were found for this week" in empty


def test_agenda_text_is_the_same_itinerary_without_markup(plan):
    text = agenda_text(plan)
    assert not re.search(r"</?[a-z]", text) and "&amp;" not in text
    lines = text.splitlines()
    assert lines[0] == agenda_title(plan) == "Agenda: week of Monday 23 November 2026"
    assert lines[1] == "Monday 23 November to Sunday 29 November 2026 (America/Toronto)"
    for line in (
        "  >> Leave the office at 17:15 (drive 15 min in rush hour, 2 km)",
        "  >> Leave Sir William Stephenson Public School at 19:10 (drive 20 min, 6 km)",
        "  >> Join online at 07:00 (no travel)",
        "  << Back home by 20:42 (drive 42 min, 31 km)",
        "  << At Iroquois Park Sports Centre by 20:53 (drive 23 min, 10 km)",
        "  17:30-20:00  HDI (Help Desk Institute) Toronto Local Chapter: November Member Meeting",
        "               Ticket $20",
        "  08:30-17:00  Work – Northbridge (Markham office)",
        "  all day      PD Day – no school (DDSB)",
    ):
        assert line in lines
    for d in plan.chosen:
        assert f"               {d.event.url}" in lines
        assert d.event.place.address in " ".join(text.split())
    days = positions(text, ["\nTuesday 24 November\n", "\nWednesday 25", "\nFriday 27"])
    assert days == sorted(days)
    assert all(len(line) <= 88 or "://" in line for line in lines)
    # Plain text is not HTML: feed text is shown as it is.
    assert '<script>alert("x")</script> Q&A night' in agenda_text(hostile(plan))


def test_travel_free_flexible_and_committed_events(plan):
    base = next(d for d in plan.chosen if d.trip_to is not None and d.destination == "home")
    assert base.trip_to is not None
    here = replace(
        base,
        trip_to=replace(base.trip_to, minutes=0),
        leave_at=base.event.start,
        reason=Reason.PINNED,
        explanation="you committed to it, although it clashes with Work (Fri 08:30-17:00)",
        breaks="clashes with Work (Fri 08:30-17:00)",
    )
    slot = datetime(2026, 11, 26, 12, 0, tzinfo=TZ)
    flexible = replace(
        plan.chosen[0],
        event=Event(
            uid=f"flexible:LinkedIn outreach:{slot.isoformat()}",
            summary="LinkedIn outreach",
            start=slot,
            end=slot + timedelta(minutes=30),
            place=Place(name="LinkedIn outreach", virtual=True),
        ),
        explanation="placed in free time (1 of 2 this week)",
        leave_at=slot,
        back_at=slot + timedelta(minutes=30),
    )
    week = replace(plan, decisions=(here, flexible))
    page = agenda_html(week)
    assert "Be there at 17:30" in page and "no travel from the office" in page
    assert "Worth 7.5 (professional): you committed to it, although it clashes with Work" in page
    thursday = page[page.index("<h2>Thursday 26 November") :]
    assert "LinkedIn outreach" in thursday
    assert "placed in free time (1 of 2 this week)" in thursday
    assert "Join online" not in thursday and "Free" not in thursday
    assert "and 1 block of flexible time" in page


def test_commitments_across_midnight_and_cancelled_ones(plan):
    friday = next(d for d in plan.chosen if d.event.start.weekday() == 4)
    late = Event(
        uid="late",
        summary="Night shift",
        start=datetime(2026, 11, 27, 23, 0, tzinfo=TZ),
        end=datetime(2026, 11, 28, 1, 0, tzinfo=TZ),
    )
    off = Event(
        uid="off",
        summary="Cancelled call",
        start=datetime(2026, 11, 27, 12, 0, tzinfo=TZ),
        end=datetime(2026, 11, 27, 13, 0, tzinfo=TZ),
        status=Status.CANCELLED,
    )
    week = replace(plan, decisions=(friday,), commitments=(*plan.commitments, late, off))
    text = agenda_text(week)
    assert "  23:00-…      Night shift" in text.splitlines()
    assert "Cancelled call" not in text
    assert "23:00–…" in agenda_html(week)


def test_a_venue_read_from_the_events_page_says_so(plan):
    """The place a feed left out and planner read from the event's page (or why it is
    unknown) is named as such on paper too, as in the details and the plan."""
    d, other = [c for c in plan.chosen if not c.event.place.virtual][:2]
    read = replace(d.event.place, note="venue read from the event's page")
    unknown = Place(note="location unknown: 127.0.0.1 did not answer within 10 s")
    noted = replace(
        plan,
        decisions=(
            replace(d, event=replace(d.event, place=read)),
            replace(other, event=replace(other.event, place=unknown)),
        ),
    )
    text = " ".join(agenda_text(noted).split())  # (lines wrapped to the page)
    assert f"{read.name}, {read.address} (venue read from the event's page)" in text
    assert "Location unknown: 127.0.0.1 did not answer within 10 s" in text

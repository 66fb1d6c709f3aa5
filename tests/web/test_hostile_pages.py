"""Pages written to hurt: deeply nested JSON-LD, dates no calendar holds, a page claiming
ten thousand events, a compressed page that inflates past the cap, bytes in another
encoding. Each ends in a sentence (an event read, a note, or a :class:`WebError`), never
a traceback. Served from 127.0.0.1."""

import gzip
import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.core.web.fetch import WebError
from planner.core.web.reading import MAX_EVENTS, read_link
from tests.feed_server import Reply
from tests.web import pages

TORONTO = ZoneInfo("America/Toronto")
REFERENCE = datetime(2026, 12, 1, 9, tzinfo=TORONTO)
HTML = "text/html; charset=utf-8"
GOOD = "Durham Founders & Funders Night: Pitch 'n' Mingle"
GOOD_SCRIPT = pages.TICKETING.decode().split("<title>Events</title>")[1].split("</head>")[0]


def event(name: str, start: str, **more: object) -> dict[str, object]:
    return {
        "@context": "https://schema.org",
        "@type": "SocialEvent",
        "name": name,
        "startDate": start,
        "location": {"@type": "Place", "name": "Spark Centre", "address": "2 Simcoe St S"},
        **more,
    }


def read(site, body: bytes, content_type: str = HTML, **more):
    site.replies["/e/1"] = Reply(body, content_type=content_type, **more)
    return read_link(site.url("/e/1"), TORONTO, REFERENCE)


# --- deeply nested JSON ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "nested", ["[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000]
)
def test_json_ld_nested_too_deeply_costs_only_itself(site, nested):
    reading = read(site, pages.html(pages.json_ld(None, raw=nested) + GOOD_SCRIPT))

    assert [p.event.summary for p in reading.events] == [GOOD]
    assert reading.problems == ["the page's JSON-LD cannot be read (it is nested too deeply)"]


def test_a_page_of_nothing_but_nested_json_says_so(site):
    with pytest.raises(WebError) as caught:
        read(site, pages.html(pages.json_ld(None, raw="[" * 100_000 + "]" * 100_000)))

    assert str(caught.value) == (
        "127.0.0.1: no event found on the page: it has no schema.org Event markup and no "
        "calendar link (the page's JSON-LD cannot be read (it is nested too deeply))"
    )


# --- dates no calendar holds -----------------------------------------------------------------


def test_a_date_at_the_end_of_time_is_refused_in_a_sentence_and_the_others_are_read(site):
    far = event("The Last Meetup", "9999-12-31T23:00:00-05:00")
    ends_never = event("Forever", "2026-12-10T18:00:00-05:00", endDate="9999-12-31T23:30:00-05:00")
    day = event("Year End", "9999-12-31")
    first = event("Year One", "0001-01-01T00:30:00+05:00")
    good = event("Holiday Social", "2026-12-10T18:00:00-05:00", duration="PT2H")
    reading = read(site, pages.html(pages.json_ld([far, ends_never, day, first, good])))

    assert [p.event.summary for p in reading.events] == ["Holiday Social"]
    assert reading.problems == [
        "“The Last Meetup” has a date planner cannot use (9999-12-31T23:00:00-05:00)",
        "“Forever” has a date planner cannot use (9999-12-31T23:30:00-05:00)",
        "“Year End” has a date planner cannot use (9999-12-31)",
        "“Year One” has a date planner cannot use (0001-01-01T00:30:00+05:00)",
    ]


def test_an_absurd_duration_is_no_duration(site):
    (item,) = read(
        site,
        pages.html(
            pages.json_ld(event("Talks", "2026-12-10T18:00:00-05:00", duration="PT99999999999H"))
        ),
    ).events

    assert item.event.end == datetime(2026, 12, 10, 19, 30, tzinfo=TORONTO)
    assert "no end time on the page: 90 minutes assumed" in item.assumed


def test_events_long_past_or_years_ahead_are_left_out_and_said(site):
    # Event pages stay up for years; "Add" on last year's page must not add last year's
    # event as if it were this week's (the same window as a linked calendar's events).
    past = event("Founders Night 2019", "2019-03-10T18:00:00-05:00")
    ahead = event("Founders Night 2031", "2031-03-10T18:00:00-05:00")
    good = event("Holiday Social", "2026-12-10T18:00:00-05:00", duration="PT2H")
    reading = read(site, pages.html(pages.json_ld([past, good, ahead])))

    assert [p.event.summary for p in reading.events] == ["Holiday Social"]
    assert reading.problems == [
        "“Founders Night 2019” (Sun 10 Mar 2019) is long past: left out",
        "“Founders Night 2031” (Mon 10 Mar 2031) is more than a year ahead: left out",
    ]


def test_a_page_whose_only_event_is_long_past_says_so(site):
    with pytest.raises(WebError) as caught:
        read(site, pages.html(pages.json_ld(event("Founders Night 2019", "2019-03-10T18:00"))))

    assert str(caught.value) == (
        "127.0.0.1: the page describes no event from a month ago on (“Founders Night 2019” "
        "(Sun 10 Mar 2019) is long past: left out)"
    )


# --- a page claiming ten thousand events -----------------------------------------------------


def test_a_page_claiming_ten_thousand_events_gives_the_first_hundred_and_says_so(site):
    start = datetime(2026, 12, 10, 18, tzinfo=TORONTO)
    claimed = [
        event(f"Meetup {n}", (start + timedelta(minutes=n)).isoformat(), duration="PT1H")
        for n in range(10_000)
    ]
    reading = read(site, pages.html(pages.json_ld(claimed)))

    assert MAX_EVENTS == 100
    assert [p.event.summary for p in reading.events] == [f"Meetup {n}" for n in range(100)]
    assert reading.problems == ["the page describes 10000 events; planner read only the first 100"]


def test_a_calendar_of_ten_thousand_events_gives_the_first_hundred_and_says_so(site):
    from tests.feed_server import calendar, vevent

    start = datetime(2026, 12, 10, 18, tzinfo=TORONTO)
    body = calendar(
        *(
            vevent(
                f"u{n}",
                f"Meetup {n}",
                start + timedelta(minutes=30 * n),
                start + timedelta(minutes=30 * n + 20),
            )
            for n in range(10_000)
        )
    )
    reading = read(site, body, "text/calendar")

    assert len(reading.events) == 100
    assert reading.events[0].event.summary == "Meetup 0"
    assert reading.problems == [
        "the calendar holds 10000 events from a month ago on; planner read only the first 100"
    ]


def test_ten_thousand_events_planner_cannot_use_are_said_in_a_few_words(site):
    past = [event(f"Meetup {n}", "2019-03-10T18:00:00-05:00") for n in range(5_000)]
    start = datetime(2026, 12, 10, 18, tzinfo=TORONTO)
    nameless = [event("", (start + timedelta(minutes=n)).isoformat()) for n in range(5_000)]
    with pytest.raises(WebError) as caught:
        read(site, pages.html(pages.json_ld(past + nameless)))

    said = str(caught.value)
    assert said.startswith(
        "127.0.0.1: the page describes no event from a month ago on (“Meetup 0” "
        "(Sun 10 Mar 2019) is long past: left out; “Meetup 1”"
    )
    assert said.endswith("; and 9997 more like these)")
    assert len(said) < 600


# --- compressed and encoded pages ------------------------------------------------------------


def test_a_compressed_page_that_inflates_past_5_mb_is_refused_while_unpacking(site):
    padding = b" " * (40 * 1024 * 1024)  # 40 MB of spaces: about 40 KB compressed
    site.replies["/e/1"] = Reply(
        gzip.compress(padding),
        content_type=HTML,
        gzip=False,
        headers=(("Content-Encoding", "gzip"),),
    )
    with pytest.raises(WebError) as caught:
        read_link(site.url("/e/1"), TORONTO, REFERENCE)

    assert str(caught.value) == (
        "127.0.0.1 sent a compressed page that unpacks to more than 5 MB; planner stopped "
        "unpacking it"
    )
    assert site.requests[0][1]["Accept-Encoding"] == "gzip"


def test_a_compressed_page_within_the_cap_is_read(site):
    site.replies["/e/1"] = Reply(pages.TICKETING, content_type=HTML, gzip=True)
    (item,) = read_link(site.url("/e/1"), TORONTO, REFERENCE).events
    assert item.event.summary == GOOD


def test_a_page_in_an_older_encoding_is_read(site):
    title = "Soirée des fondateurs à Montréal"
    script = json.dumps(event(title, "2026-12-10T18:00:00-05:00"), ensure_ascii=False)
    body = pages.html(pages.json_ld(None, raw=script)).decode().encode("cp1252")
    (item,) = read(site, body, "text/html; charset=windows-1252").events
    assert item.event.summary == title


@pytest.mark.parametrize(
    ("content_type", "meta"),
    [("text/html; charset=windows-1251", ""), ("text/html", '<meta charset="windows-1251">')],
    ids=["header", "meta"],
)
def test_a_page_in_the_charset_it_declares_is_read_in_it(site, content_type, meta):
    # Cyrillic in windows-1251: read as cp1252 it became "Âñòðå÷à…".
    title = "Встреча основателей в Торонто"
    script = json.dumps(event(title, "2026-12-10T18:00:00-05:00"), ensure_ascii=False)
    body = pages.html(meta + pages.json_ld(None, raw=script)).decode()
    body = body.replace('<meta charset="utf-8">', "").encode("cp1251")
    (item,) = read(site, body, content_type).events
    assert item.event.summary == title


def test_a_page_with_bytes_no_encoding_reads_is_read_with_replacements(site):
    body = pages.html(pages.json_ld(event("Founders \xff\xfe Night", "2026-12-10T18:00:00-05:00")))
    body = body.replace(b"\\u00ff\\u00fe", b"\x81\x8d\x90")  # undefined in cp1252 too
    (item,) = read(site, body).events
    assert item.event.summary == "Founders \ufffd\ufffd\ufffd Night"

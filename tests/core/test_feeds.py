"""Live feeds against a real HTTP server on 127.0.0.1: validators, failures, merging, changes.

Nothing here touches the internet: the server is started by the test on an
ephemeral port, and the one DNS failure is simulated.
"""

import socket
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from planner.core.model import Source, Status, is_feed
from planner.core.storage.feeds import FeedError, changes_since, due, feed_url, refresh
from planner.core.storage.store import Store
from tests.feed_server import Reply, Site, calendar, vevent

TORONTO = ZoneInfo("America/Toronto")
NOW = datetime(2025, 5, 5, 9, 0, tzinfo=TORONTO)  # a Monday


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "planner.sqlite3") as opened:
        yield opened


HDI = vevent(
    "hdi",
    "HDI Toronto",
    "20250509T173000",
    "20250509T200000",
    "LOCATION:MaRS Centre",
    "SEQUENCE:0",
)
HDI_MOVED = vevent(
    "hdi",
    "HDI Toronto",
    "20250508T180000",
    "20250508T203000",
    "LOCATION:MaRS Centre",
    "SEQUENCE:1",
)
PMI = vevent("pmi", "PMI mixer", "20250507T180000", "20250507T200000", "LOCATION:Spacing")
PMI_CANCELLED = vevent(
    "pmi",
    "PMI mixer",
    "20250507T180000",
    "20250507T200000",
    "LOCATION:Spacing",
    "STATUS:CANCELLED",
    "SEQUENCE:1",
)
TALK = vevent("talk", "AI talk", "20250506T120000", "20250506T130000", "LOCATION:Room 101")
TALK_ELSEWHERE = vevent(
    "talk", "AI talk", "20250506T120000", "20250506T130000", "LOCATION:Great Hall"
)
MEETUP = vevent("meetup", "Python meetup", "20250506T183000", "20250506T210000")
OTHER = vevent("other", "Unrelated", "20250507T090000", "20250507T100000", "LOCATION:Far away")


def feed(site: Site, path: str = "/cal.ics") -> Source:
    return Source(site.url(path), "candidates")


def keys(store: Store, source: Source) -> dict[str, datetime]:
    events = store.feed_events(source.path, NOW - timedelta(days=7), NOW + timedelta(days=60))
    return {e.key: e.start for e in events}


# --- fetching ------------------------------------------------------------------------------------


def test_first_fetch_keeps_the_copy_and_the_validators(site, store):
    site.replies["/cal.ics"] = Reply(calendar(HDI, PMI), etag='"v1"')
    source = feed(site)
    result = refresh(store, source, NOW)
    assert (result.changed, result.error, result.next_refresh) == (
        True,
        "",
        NOW + timedelta(hours=4),
    )
    assert keys(store, source) == {
        "pmi": datetime(2025, 5, 7, 18, tzinfo=TORONTO),
        "hdi": datetime(2025, 5, 9, 17, 30, tzinfo=TORONTO),
    }
    record = store.source_record(source.path)
    assert record is not None
    assert (record.etag, record.has_copy, record.last_error) == ('"v1"', True, "")
    assert store.feed_body(source.path) == calendar(HDI, PMI)
    assert site.requests[0][1].get("If-None-Match") is None


def test_an_unchanged_feed_is_not_downloaded_again(site, store):
    site.replies["/etag.ics"] = Reply(calendar(HDI), etag='"v1"')
    stamp = "Mon, 05 May 2025 12:00:00 GMT"
    site.replies["/dated.ics"] = Reply(calendar(PMI), last_modified=stamp)
    for path in ("/etag.ics", "/dated.ics"):
        source = feed(site, path)
        assert refresh(store, source, NOW).changed
        again = refresh(store, source, NOW + timedelta(hours=4))
        assert (again.changed, again.error) == (False, "")
        assert again.next_refresh == NOW + timedelta(hours=8)
    sent = [headers for _, headers in site.requests]
    assert sent[1]["If-None-Match"] == '"v1"'
    assert sent[3]["If-Modified-Since"] == stamp
    assert keys(store, feed(site, "/etag.ics")) == {
        "hdi": datetime(2025, 5, 9, 17, 30, tzinfo=TORONTO)
    }


def test_the_publishers_refresh_interval_is_honoured_within_limits(site, store):
    cases = {
        "/hourly.ics": ("REFRESH-INTERVAL;VALUE=DURATION:PT1H", timedelta(hours=1)),
        "/eager.ics": ("X-PUBLISHED-TTL:PT5M", timedelta(minutes=15)),
        "/daily.ics": ("X-PUBLISHED-TTL:P1D", timedelta(days=1)),
        "/silent.ics": ("X-WR-CALNAME:Events", timedelta(hours=4)),
    }
    for path, (line, interval) in cases.items():
        site.replies[path] = Reply(calendar(HDI, header=(line,)))
        assert refresh(store, feed(site, path), NOW).next_refresh == NOW + interval, path
    assert due(store, NOW + timedelta(minutes=20)) == [feed(site, "/eager.ics")]
    assert set(due(store, NOW + timedelta(days=1))) == {feed(site, p) for p in cases}


def test_webcal_is_https_and_other_schemes_are_refused():
    assert feed_url("webcal://example.org/a.ics") == "https://example.org/a.ics"
    assert feed_url("WEBCALS://example.org/a.ics?x=1") == "https://example.org/a.ics?x=1"
    assert feed_url("http://example.org/a.ics") == "http://example.org/a.ics"
    assert is_feed("webcal://x/y") and not is_feed("/home/me/cal.ics")
    with pytest.raises(FeedError, match="only http, https and webcal"):
        feed_url("ftp://example.org/a.ics")


# --- failures keep the last good copy -----------------------------------------------------------


def fetched_once(site: Site, store: Store) -> Source:
    site.replies["/cal.ics"] = Reply(calendar(HDI, PMI), etag='"v1"')
    source = feed(site)
    assert refresh(store, source, NOW).error == ""
    return source


def fails_keeping_copy(store: Store, source: Source, **options: object) -> str:
    before = keys(store, source)
    later = NOW + timedelta(hours=5)
    result = refresh(store, source, later, **options)  # type: ignore[arg-type]
    assert not result.changed
    assert result.next_refresh == later + timedelta(minutes=15)
    assert result.error.endswith("; keeping the copy from Mon 5 May 09:00"), result.error
    assert keys(store, source) == before
    assert store.feed_body(source.path) == calendar(HDI, PMI)
    record = store.source_record(source.path)
    assert record is not None
    assert record.last_error == result.error
    return result.error


def test_a_server_error_keeps_the_last_good_copy_until_the_feed_recovers(site, store):
    source = fetched_once(site, store)
    site.replies["/cal.ics"] = Reply(b"oops", 500, "text/plain")
    error = fails_keeping_copy(store, source)
    assert error.startswith(
        "127.0.0.1 had a server error (HTTP 500 Internal Server Error); this is usually temporary"
    )
    site.replies["/cal.ics"] = Reply(calendar(HDI_MOVED, PMI), etag='"v2"')
    result = refresh(store, source, NOW + timedelta(hours=6))
    assert (result.changed, result.error) == (True, "")
    record = store.source_record(source.path)
    assert record is not None and record.last_error == ""


@pytest.mark.parametrize(
    ("status", "words"),
    [
        (404, "has no calendar at this address (HTTP 404 Not Found)"),
        (403, "refused access (HTTP 403 Forbidden): the link may be private or need a login"),
        (429, "asked planner to slow down (HTTP 429 Too Many Requests)"),
    ],
)
def test_http_errors_are_named(site, store, status, words):
    source = fetched_once(site, store)
    site.replies["/cal.ics"] = Reply(b"no", status, "text/plain")
    assert words in fails_keeping_copy(store, source)


def test_a_first_fetch_that_fails_says_there_is_no_copy(site, store):
    site.replies["/cal.ics"] = Reply(b"oops", 503, "text/plain")
    result = refresh(store, feed(site), NOW)
    assert result.error.endswith(
        "(HTTP 503 Service Unavailable); this is usually temporary; there is no earlier copy"
    )


def redirect_chain(site: Site, hops: int) -> None:
    for hop in range(hops):
        target = f"/hop{hop + 1}" if hop + 1 < hops else "/cal.ics"
        site.replies[f"/hop{hop}" if hop else "/start"] = Reply(status=302, location=target)


def test_up_to_five_redirects_are_followed(site, store):
    site.replies["/cal.ics"] = Reply(calendar(HDI))
    redirect_chain(site, 5)
    result = refresh(store, feed(site, "/start"), NOW)
    assert (result.changed, result.error) == (True, "")
    assert [path for path, _ in site.requests] == [
        "/start",
        "/hop1",
        "/hop2",
        "/hop3",
        "/hop4",
        "/cal.ics",
    ]


def test_more_than_five_redirects_are_refused(site, store):
    source = fetched_once(site, store)
    site.replies["/cal.ics"] = Reply(status=301, location="/moved")
    redirect_chain(site, 6)
    site.replies["/moved"] = Reply(status=302, location="/start")
    error = fails_keeping_copy(store, source)
    assert error.startswith("127.0.0.1 redirected more than 5 times; planner stopped following")


def test_a_slow_server_times_out(site, store):
    source = fetched_once(site, store)
    site.replies["/cal.ics"] = Reply(calendar(HDI), delay=5.0)
    error = fails_keeping_copy(store, source, timeout=0.3)
    assert error.startswith("127.0.0.1 did not answer within 0.3 s")


@pytest.mark.parametrize("length", [True, False], ids=["content-length", "streamed"])
def test_a_huge_answer_is_cut_off(site, store, length):
    source = fetched_once(site, store)
    huge = calendar(*[HDI.replace("UID:hdi", f"UID:hdi{n}") for n in range(12_000)])
    assert len(huge) > 2 * 1024 * 1024
    site.replies["/cal.ics"] = Reply(huge, length=length)
    error = fails_keeping_copy(store, source, max_bytes=1024 * 1024)
    assert error.startswith(
        "127.0.0.1 sent a calendar larger than 1 MB; planner stopped downloading it"
    )


@pytest.mark.parametrize(
    ("reply", "words"),
    [
        (
            Reply(b"<!DOCTYPE html><html><body>Sign in</body></html>", content_type="text/html"),
            "127.0.0.1 sent a web page, not a calendar: the link may need a login",
        ),
        (
            Reply(b'{"events": []}', content_type="application/json"),
            "127.0.0.1 sent application/json data, not an iCalendar file (no BEGIN:VCALENDAR)",
        ),
        (Reply(b"", content_type="text/calendar"), "127.0.0.1 sent an empty answer"),
    ],
    ids=["html", "json", "empty"],
)
def test_what_is_not_a_calendar_never_replaces_one(site, store, reply, words):
    source = fetched_once(site, store)
    site.replies["/cal.ics"] = reply
    assert fails_keeping_copy(store, source).startswith(words)


def test_a_refused_connection_and_an_unknown_host_are_named(site, store, monkeypatch):
    source = fetched_once(site, store)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    gone = Source(f"http://127.0.0.1:{port}/cal.ics", "candidates")
    result = refresh(store, gone, NOW)
    assert result.error == (
        "127.0.0.1 refused the connection: the service may be down; there is no earlier copy"
    )

    def no_dns(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    unknown = Source("webcal://calendar.example.invalid/cal.ics", "candidates")
    assert refresh(store, unknown, NOW).error == (
        "cannot find the server calendar.example.invalid: check the address and your internet "
        "connection; there is no earlier copy"
    )
    assert keys(store, source) != {}


# --- merging -----------------------------------------------------------------------------------


def serve(site: Site, version: int, *events: str) -> None:
    site.replies["/cal.ics"] = Reply(calendar(*events), etag=f'"v{version}"')


def test_updates_new_and_removed_events_keep_decisions_attached(site, store):
    source = feed(site)
    serve(site, 1, HDI, PMI, TALK)
    refresh(store, source, NOW)
    store.set_decision("hdi", "pinned", stars=5)
    store.set_decision("talk", "refused")

    serve(site, 2, HDI_MOVED, PMI, MEETUP)
    result = refresh(store, source, NOW + timedelta(hours=4))
    assert result.changed
    assert keys(store, source) == {
        "meetup": datetime(2025, 5, 6, 18, 30, tzinfo=TORONTO),
        "pmi": datetime(2025, 5, 7, 18, tzinfo=TORONTO),
        "hdi": datetime(2025, 5, 8, 18, tzinfo=TORONTO),
    }
    choices = store.load_choices()
    assert (choices.pinned, choices.refused, choices.stars) == (
        {"hdi"},
        {"talk"},
        {"hdi": 5},
    )
    serve(site, 3, HDI_MOVED, PMI, MEETUP, TALK)  # back in the feed: present again
    refresh(store, source, NOW + timedelta(hours=8))
    assert "talk" in keys(store, source)


def test_an_older_sequence_never_overwrites_a_newer_one(site, store):
    source = feed(site)
    serve(site, 1, HDI_MOVED)  # SEQUENCE:1, Thursday
    refresh(store, source, NOW)
    serve(site, 2, HDI)  # a stale mirror: SEQUENCE:0, Friday
    result = refresh(store, source, NOW + timedelta(hours=4))
    assert not result.changed
    assert keys(store, source) == {"hdi": datetime(2025, 5, 8, 18, tzinfo=TORONTO)}
    serve(site, 3, HDI_MOVED.replace("SEQUENCE:1", "SEQUENCE:2").replace("Centre", "Center"))
    assert refresh(store, source, NOW + timedelta(hours=8)).changed
    events = store.feed_events(source.path, NOW, NOW + timedelta(days=7))
    assert [e.place.name or e.place.address for e in events] == ["MaRS Center"]


def test_last_modified_decides_between_equal_sequences(site, store):
    source = feed(site)
    newer = vevent(
        "x", "Newer", "20250506T180000", "20250506T190000", "LAST-MODIFIED:20250501T120000Z"
    )
    older = vevent(
        "x", "Older", "20250506T180000", "20250506T190000", "LAST-MODIFIED:20250420T120000Z"
    )
    newest = vevent(
        "x", "Newest", "20250506T180000", "20250506T190000", "LAST-MODIFIED:20250502T080000Z"
    )
    unstamped = vevent("x", "Unstamped", "20250506T180000", "20250506T190000")
    summaries = []
    for version, event in enumerate((newer, older, newest, unstamped)):
        serve(site, version, event)
        refresh(store, source, NOW + timedelta(hours=4 * version))
        summaries.append(
            [e.summary for e in store.feed_events(source.path, NOW, NOW + timedelta(days=7))]
        )
    # Without LAST-MODIFIED the copies cannot be ordered: the feed is taken as current.
    assert summaries == [["Newer"], ["Newer"], ["Newest"], ["Unstamped"]]


def test_occurrences_of_a_series_merge_by_recurrence_id(site, store):
    source = feed(site)
    series = vevent(
        "weekly",
        "Open office hours",
        "20250506T170000",
        "20250506T180000",
        "RRULE:FREQ=WEEKLY;COUNT=4",
        "SEQUENCE:0",
    )
    moved = "\r\n".join(
        [
            "BEGIN:VEVENT",
            "UID:weekly",
            "SUMMARY:Open office hours",
            "RECURRENCE-ID;TZID=America/Toronto:20250513T170000",
            "DTSTART;TZID=America/Toronto:20250514T170000",
            "DTEND;TZID=America/Toronto:20250514T180000",
            "SEQUENCE:3",
            "END:VEVENT",
        ]
    )
    serve(site, 1, series, moved)
    refresh(store, source, NOW)
    occurrence = "weekly@2025-05-13T17:00:00-04:00"
    assert keys(store, source)[occurrence] == datetime(2025, 5, 14, 17, tzinfo=TORONTO)
    store.set_decision(occurrence, "pinned")
    # A stale copy of the series without the override: the override's SEQUENCE:3 wins.
    serve(site, 2, series)
    refresh(store, source, NOW + timedelta(hours=4))
    assert keys(store, source)[occurrence] == datetime(2025, 5, 14, 17, tzinfo=TORONTO)
    assert len(keys(store, source)) == 4
    assert changes_since(store, NOW) == []


def test_an_unchanged_feed_is_merged_again_as_its_window_moves(site, store):
    source = feed(site)
    series = vevent(
        "monthly", "Board meeting", "20250506T170000", "20250506T180000", "RRULE:FREQ=MONTHLY"
    )
    serve(site, 1, series)
    refresh(store, source, NOW)
    far = datetime(2025, 11, 1, 0, tzinfo=TORONTO)  # beyond the first window (to Nov 4)
    assert store.feed_events(source.path, far, far + timedelta(days=14)) == []
    later = refresh(store, source, NOW + timedelta(days=30))  # 304, but a month on
    assert (later.changed, later.error) == (True, "")
    assert [e.start for e in store.feed_events(source.path, far, far + timedelta(days=14))] == [
        datetime(2025, 11, 6, 17, tzinfo=TORONTO)
    ]
    assert not refresh(store, source, NOW + timedelta(days=30, hours=4)).changed


def test_events_and_changes_long_past_are_forgotten(site, store):
    source = feed(site)
    serve(site, 1, HDI, PMI)
    refresh(store, source, NOW)
    serve(site, 2, HDI_MOVED, PMI)
    refresh(store, source, NOW + timedelta(hours=4))
    assert len(store.feed_changes(NOW - timedelta(days=1))) == 1
    refresh(store, source, NOW + timedelta(days=120))  # 304; the window has moved on
    assert store.feed_events(source.path, NOW - timedelta(days=7), NOW + timedelta(days=30)) == []
    assert store.feed_changes(NOW - timedelta(days=1)) == []


# --- what changed for the user ------------------------------------------------------------------


def test_changes_to_committed_events_are_said_in_words(site, store):
    source = feed(site)
    gone = vevent("gone", "Startup drinks", "20250508T190000", "20250508T210000")
    serve(site, 1, HDI, PMI, TALK, gone, OTHER)
    refresh(store, source, NOW)
    for key in ("hdi", "pmi", "talk", "gone"):
        store.set_decision(key, "pinned")
    seen = NOW + timedelta(minutes=1)

    serve(site, 2, HDI_MOVED, PMI_CANCELLED, TALK_ELSEWHERE, OTHER.replace("Far away", "Near"))
    refresh(store, source, NOW + timedelta(hours=4))
    found = changes_since(store, seen)
    assert [(c.key, c.kind, c.text) for c in found] == [
        ("talk", "venue", "AI talk changed venue from Room 101 to Great Hall"),
        ("pmi", "cancelled", "PMI mixer (Wed 18:00) was cancelled"),
        ("hdi", "moved", "HDI Toronto moved from Fri 17:30 to Thu 18:00"),
        ("gone", "removed", "Startup drinks (Thu 19:00) was removed from its calendar"),
    ]
    assert next(c for c in found if c.kind == "cancelled").event.status is Status.CANCELLED
    assert changes_since(store, NOW + timedelta(hours=5)) == []

    # Moved again, to the next week: reported once, from where it was, with dates.
    later_hdi = HDI_MOVED.replace("20250508T", "20250515T").replace("SEQUENCE:1", "SEQUENCE:2")
    serve(
        site,
        3,
        later_hdi,
        PMI_CANCELLED.replace("SEQUENCE:1", "SEQUENCE:2").replace(
            "STATUS:CANCELLED", "STATUS:CONFIRMED"
        ),
        TALK_ELSEWHERE,
    )
    refresh(store, source, NOW + timedelta(hours=8))
    assert [c.text for c in changes_since(store, seen)] == [
        "AI talk changed venue from Room 101 to Great Hall",
        "Startup drinks (Thu 19:00) was removed from its calendar",
        "HDI Toronto moved from Fri 9 May 17:30 to Thu 15 May 18:00",
    ]
    assert [c.text for c in changes_since(store, NOW + timedelta(hours=5))] == [
        "PMI mixer (Wed 18:00) is on again",
        "HDI Toronto moved from Thu 8 May 18:00 to Thu 15 May 18:00",
    ]

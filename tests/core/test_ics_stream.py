"""The streaming reader: same occurrences as a full parse, and robust to messy bytes."""

from datetime import datetime, timedelta
from pathlib import Path
from unittest.mock import patch
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import resources
from planner.core.calendars import stream as ics_stream
from planner.core.calendars.reading import IcsError, read_bytes
from planner.core.calendars.stream import CHUNK_BYTES, iana_for_label

TZ = ZoneInfo("America/Toronto")
FIXTURES = Path(__file__).parents[1] / "fixtures" / "producers"
WEEK = datetime(2026, 11, 23, tzinfo=TZ)


def window(start=WEEK, days=7):
    return start, start + timedelta(days=days)


def facts(result):
    return sorted(
        (e.uid, e.start, e.end, e.summary, e.status, e.recurrence_id) for e in result.events
    )


def both(data: bytes, start=WEEK, days=7):
    a, b = window(start, days)
    fast = read_bytes(data, "x.ics", TZ, a, b)
    full = read_bytes(data, "x.ics", TZ, a, b, prefilter=False)
    return fast, full


@pytest.mark.parametrize("name", ["commitments.ics", "candidates.ics"])
@pytest.mark.parametrize("offset_weeks", [-60, -9, 0, 1, 20])
def test_demo_files_read_the_same_with_and_without_prefilter(name, offset_weeks):
    data = resources.read_bytes("demo", name)
    fast, full = both(data, WEEK + timedelta(weeks=offset_weeks))
    assert facts(fast) == facts(full)


# --- generated calendars: one-offs, series with and without an end, overrides ----------


def stamp(dt: datetime) -> str:
    return dt.strftime("%Y%m%dT%H%M%S")


@st.composite
def calendars(draw):
    base = datetime(2026, 9, 7, 0, 0)
    events = []
    for i in range(draw(st.integers(1, 12))):
        start = base + timedelta(
            days=draw(st.integers(0, 150)), minutes=15 * draw(st.integers(28, 88))
        )
        length = timedelta(minutes=15 * draw(st.integers(1, 16)))
        lines = [f"UID:ev{i}", f"SUMMARY:Event {i}", f"DTSTART;TZID=America/Toronto:{stamp(start)}"]
        kind = draw(st.sampled_from(["once", "allday", "utc", "duration", "series"]))
        if kind == "allday":
            lines[2] = f"DTSTART;VALUE=DATE:{start:%Y%m%d}"
            last = start + timedelta(days=draw(st.integers(1, 9)))
            lines.append(f"DTEND;VALUE=DATE:{last:%Y%m%d}")
        elif kind == "utc":
            lines[2] = f"DTSTART:{stamp(start)}Z"
            lines.append(f"DTEND:{stamp(start + length)}Z")
        elif kind == "duration":
            lines.append(f"DURATION:PT{int(length.total_seconds() // 60)}M")
        else:
            lines.append(f"DTEND;TZID=America/Toronto:{stamp(start + length)}")
        overrides = []
        if kind == "series":
            start = base + timedelta(days=draw(st.integers(0, 60)), hours=18)
            lines[2] = f"DTSTART;TZID=America/Toronto:{stamp(start)}"
            lines[3] = f"DTEND;TZID=America/Toronto:{stamp(start + length)}"
            freq = draw(
                st.sampled_from(["DAILY;INTERVAL=3", "WEEKLY", "WEEKLY;INTERVAL=2", "MONTHLY"])
            )
            until = stamp(start + timedelta(days=draw(st.integers(10, 120))))
            end = draw(st.sampled_from(["", ";COUNT=6", f";UNTIL={until}Z"]))
            lines.append(f"RRULE:FREQ={freq}{end}")
            if draw(st.booleans()):
                lines.append(f"EXDATE;TZID=America/Toronto:{stamp(start + timedelta(days=7))}")
            # Each override amends a different occurrence: two with one RECURRENCE-ID (and
            # one SEQUENCE) are contradictory data, where no answer is more right.
            steps = draw(st.lists(st.integers(1, 8), max_size=2, unique=True))
            for n in steps:
                step = {"DAILY;INTERVAL=3": 3, "WEEKLY": 7, "WEEKLY;INTERVAL=2": 14, "MONTHLY": 0}[
                    freq
                ]
                if not step:
                    continue
                original = start + timedelta(days=step * n)
                moved = original + timedelta(days=draw(st.integers(-20, 20)), hours=1)
                overrides.append(
                    [
                        f"UID:ev{i}",
                        f"SUMMARY:Event {i} (moved)",
                        f"RECURRENCE-ID;TZID=America/Toronto:{stamp(original)}",
                        f"DTSTART;TZID=America/Toronto:{stamp(moved)}",
                        f"DTEND;TZID=America/Toronto:{stamp(moved + length)}",
                    ]
                    + (["STATUS:CANCELLED"] if draw(st.booleans()) else [])
                )
        events.append(lines)
        events.extend(overrides)
    body = "".join("BEGIN:VEVENT\r\n" + "\r\n".join(e) + "\r\nEND:VEVENT\r\n" for e in events)
    text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + body + "END:VCALENDAR\r\n"
    return text.encode()


@settings(max_examples=120, deadline=None)
@given(
    calendars(),
    st.integers(0, 150),
    st.sampled_from([1, 7, 31]),
    st.sampled_from([CHUNK_BYTES, 300, 1500]),
)
def test_prefilter_never_changes_the_occurrences(data, day, days, chunk):
    # Small chunks make a few-KB calendar cross many chunk boundaries, as a big file does.
    start = WEEK - timedelta(days=80) + timedelta(days=day)
    with patch.object(ics_stream, "CHUNK_BYTES", chunk):
        fast, full = both(data, start, days)
    assert facts(fast) == facts(full)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.ics")), ids=lambda p: p.stem)
def test_producer_files_read_the_same_in_small_chunks(path):
    data = path.read_bytes()
    start = datetime(2026, 11, 20, tzinfo=TZ)
    whole = read_bytes(data, "x.ics", TZ, start, start + timedelta(days=14))
    with patch.object(ics_stream, "CHUNK_BYTES", 256):
        chunked = read_bytes(data, "x.ics", TZ, start, start + timedelta(days=14))
    assert facts(chunked) == facts(whole)
    assert chunked.problems == whole.problems


# --- bytes, encodings, line endings ------------------------------------------------------

EVENT = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:e1\r\n"
    "SUMMARY:Caf\u00e9 networking\r\nDTSTART;TZID=America/Toronto:20261124T180000\r\n"
    "DTEND;TZID=America/Toronto:20261124T190000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def read(data: bytes):
    return read_bytes(data, "x.ics", TZ, *window())


@pytest.mark.parametrize(
    "data",
    [
        EVENT.encode(),
        b"\xef\xbb\xbf" + EVENT.encode(),  # UTF-8 BOM
        EVENT.replace("\r\n", "\n").encode(),  # LF only
        EVENT.replace("\r\n", "\r").encode(),  # CR only (classic Mac)
    ],
    ids=["crlf", "bom", "lf", "cr"],
)
def test_encodings_and_line_endings(data):
    result = read(data)
    (event,) = result.events
    assert event.summary == "Caf\u00e9 networking"
    assert event.start == datetime(2026, 11, 24, 18, tzinfo=TZ)
    assert not result.problems


def test_latin1_file_is_read_and_said():
    result = read(EVENT.encode("latin-1"))
    assert result.events[0].summary == "Caf\u00e9 networking"
    assert any("not UTF-8" in str(p) for p in result.problems)


def test_folded_lines_with_tabs_and_odd_whitespace():
    folded = EVENT.replace(
        "SUMMARY:Caf\u00e9 networking", "SUMMARY:Caf\u00e9 net\r\n\tworking\r\n  evening"
    )
    (event,) = read(folded.encode()).events
    assert event.summary == "Caf\u00e9 networking evening"


def test_structural_errors_name_the_line_and_keep_the_rest():
    broken = EVENT.replace(
        "BEGIN:VEVENT\r\nUID:e1",
        "BEGIN:VEVENT\r\nUID:bad\r\nSUMMARY:Never closed\r\nBEGIN:VALARM\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:e1",
    )
    result = read(broken.encode())
    assert [e.uid for e in result.events] == ["e1"]
    assert any(
        str(p).startswith("x.ics:8: END:VEVENT does not close BEGIN:VALARM")
        for p in result.problems
    )


@pytest.mark.parametrize("value", ["00010101T000000", "99991231T235959", "20261345T250000"])
def test_absurd_dates_do_not_crash(value):
    data = EVENT.replace(
        "DTSTART;TZID=America/Toronto:20261124T180000", f"DTSTART;TZID=America/Toronto:{value}"
    ).encode()
    result = read(data)
    assert result.events == [] or result.events[0].uid == "e1"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"   \r\n", "the file is empty"),
        (b"hello world\n", "not an iCalendar file"),
        (b"\x00\x01\x02binary", "not an iCalendar"),
    ],
)
def test_unreadable_input_is_one_clear_error(data, message):
    with pytest.raises(IcsError, match=f"^x.ics: {message}"):
        read(data)


@pytest.mark.parametrize(
    ("label", "zone"),
    [
        ("Eastern Standard Time", "America/New_York"),
        ("(UTC-05:00) Eastern Time (US & Canada)", "America/New_York"),
        ("(GMT+10:00) Canberra, Melbourne, Sydney", "Australia/Sydney"),
        ("(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", "Europe/Berlin"),
        ("Pacific Standard Time", "America/Los_Angeles"),
    ],
)
def test_exchange_zone_labels(label, zone):
    assert iana_for_label(label) == zone


def test_exchange_label_without_vtimezone_lands_at_the_right_time():
    data = EVENT.replace("TZID=America/Toronto", 'TZID="(UTC-08:00) Pacific Time (US & Canada)"')
    (event,) = read(data.encode()).events
    assert event.start == datetime(2026, 11, 24, 21, tzinfo=TZ)  # 18:00 Pacific


def test_a_series_the_expander_chokes_on_costs_only_itself(monkeypatch):
    import recurring_ical_events

    from planner.core.calendars import reading as ics_import

    real_of = recurring_ical_events.of

    def fussy(calendar, **kw):
        if any(str(c.get("UID")) == "bad" for c in calendar.walk("VEVENT")):
            raise OverflowError("date value out of range")
        return real_of(calendar, **kw)

    monkeypatch.setattr(ics_import.recurring_ical_events, "of", fussy)
    two = EVENT.replace(
        "BEGIN:VEVENT\r\nUID:e1",
        "BEGIN:VEVENT\r\nUID:bad\r\nSUMMARY:Bad\r\n"
        "DTSTART:20261125T100000\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:e1",
    )
    result = read(two.encode())
    assert [e.uid for e in result.events] == ["e1"]
    assert any("x.ics:4: skipped 'Bad': cannot expand it" in str(p) for p in result.problems)


# --- one-off events skip the expander: the same occurrences as the expander finds --------


@st.composite
def one_off_calendars(draw):
    """One-offs near the window's edges: dates, floating, UTC and zoned times, instants."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN"]
    for i in range(draw(st.integers(1, 8))):
        minutes = draw(st.integers(-3 * 24 * 60, 3 * 24 * 60).map(lambda m: m - m % 30))
        edge = WEEK + timedelta(days=draw(st.sampled_from([0, 7])))
        start = edge.replace(tzinfo=None) + timedelta(minutes=minutes)
        kind = draw(st.sampled_from(["date", "floating", "utc", "zoned"]))
        length = draw(st.sampled_from([0, 30, 90, 24 * 60]))
        if kind == "date":
            dtstart = f"DTSTART;VALUE=DATE:{start:%Y%m%d}"
        elif kind == "floating":
            dtstart = f"DTSTART:{stamp(start)}"
        elif kind == "utc":
            dtstart = f"DTSTART:{stamp(start)}Z"
        else:
            dtstart = f"DTSTART;TZID=Europe/Berlin:{stamp(start)}"
        end_style = draw(st.sampled_from(["dtend", "duration", "none"]))
        lines += ["BEGIN:VEVENT", f"UID:u{i}", f"SUMMARY:Event {i}", dtstart]
        if end_style == "duration":
            lines.append(f"DURATION:PT{length}M" if kind != "date" else "DURATION:P1D")
        elif end_style == "dtend":
            end = start + (timedelta(days=1) if kind == "date" else timedelta(minutes=length))
            value = f"{end:%Y%m%d}" if kind == "date" else stamp(end)
            prefix = {
                "date": "DTEND;VALUE=DATE:",
                "floating": "DTEND:",
                "utc": "DTEND:",
                "zoned": "DTEND;TZID=Europe/Berlin:",
            }[kind]
            lines.append(prefix + value + ("Z" if kind == "utc" else ""))
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines).encode()


@settings(max_examples=150, deadline=None)
@given(one_off_calendars())
def test_one_offs_read_directly_match_the_expander(data):
    import icalendar
    import recurring_ical_events

    a, b = window()
    expected = sorted(
        str(c["UID"])
        for c in recurring_ical_events.of(icalendar.Calendar.from_ical(data)).between(a, b)
    )
    assert sorted(e.uid for e in read_bytes(data, "x.ics", TZ, a, b).events) == expected


def test_an_override_moved_into_the_window_from_a_later_series_reads_as_the_full_parse():
    """Found by Hypothesis: the series starts after the window, its 15 Oct occurrence is
    both excluded (EXDATE) and moved to 4 Oct, inside it. The screen dropped the series
    and kept the override, which then read as a one-off; with its series (as the full
    parse has it) the EXDATE cancels it. Such a calendar is read whole."""
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n"
        b"BEGIN:VEVENT\r\nUID:ev1\r\nSUMMARY:Event 1\r\n"
        b"DTSTART;TZID=America/Toronto:20261008T180000\r\n"
        b"DTEND;TZID=America/Toronto:20261008T181500\r\nRRULE:FREQ=WEEKLY\r\n"
        b"EXDATE;TZID=America/Toronto:20261015T180000\r\nEND:VEVENT\r\n"
        b"BEGIN:VEVENT\r\nUID:ev1\r\nSUMMARY:Event 1 (moved)\r\n"
        b"RECURRENCE-ID;TZID=America/Toronto:20261015T180000\r\n"
        b"DTSTART;TZID=America/Toronto:20261004T190000\r\n"
        b"DTEND;TZID=America/Toronto:20261004T191500\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    fast, full = both(data, WEEK - timedelta(days=80), 31)
    assert facts(fast) == facts(full)
    moved = data.replace(b"EXDATE;TZID=America/Toronto:20261015T180000\r\n", b"")
    fast, full = both(moved, WEEK - timedelta(days=80), 31)
    assert facts(fast) == facts(full)

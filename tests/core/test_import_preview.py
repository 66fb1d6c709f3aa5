"""Previewing a calendar before importing it: counts, dates, problems, roles, memory.

How fast a big file is previewed is measured in tests/perf (``pytest -m perf``).
"""

import re
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from planner.core.calendars import preview as import_preview
from planner.core.calendars.preview import MAX_PROBLEMS, ImportCancelled, Preview, preview_file
from planner.core.calendars.reading import IcsError, read_file
from planner.core.calendars.stream import scan
from planner.core.model import Problem
from planner.core.storage import preferences
from planner.core.storage.preferences import remember_role, remembered_role


def texts(problems: tuple[Problem, ...]) -> tuple[str, ...]:
    """The problems as the user reads them."""
    return tuple(str(p) for p in problems)


FIXTURES = Path(__file__).parents[1] / "fixtures" / "producers"
TZ_BLOCK = (
    "BEGIN:VTIMEZONE\nTZID:America/Toronto\nBEGIN:STANDARD\nDTSTART:19701101T020000\n"
    "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\n"
    "END:STANDARD\nEND:VTIMEZONE\n"
)


def calendar(*events: str, header: str = "PRODID:-//Example//Test//EN\n") -> str:
    body = "".join(f"BEGIN:VEVENT\n{event.strip()}\nEND:VEVENT\n" for event in events)
    return f"BEGIN:VCALENDAR\nVERSION:2.0\n{header}{TZ_BLOCK}{body}END:VCALENDAR\n"


def write(tmp_path: Path, text: str, name: str = "x.ics", newline: str = "\r\n") -> Path:
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode())
    return path


BIG_EVENT = (
    "BEGIN:VEVENT\r\n"
    "DTSTART;TZID=America/Toronto:{day}T{hour:02d}0000\r\n"
    "DTEND;TZID=America/Toronto:{day}T{hour:02d}4500\r\n"
    "DTSTAMP:20261101T120000Z\r\n"
    "UID:big-{n}@example.com\r\n"
    "ORGANIZER;CN=Sam Lee:mailto:sam.lee@example.com\r\n"
    "ATTENDEE;CN=Priya Nair;PARTSTAT=ACCEPTED:mailto:priya.nair@example.com\r\n"
    "SUMMARY:Project meeting {n}\r\n"
    "{rule}"
    "DESCRIPTION:Agenda: review last week's numbers\\, agree on next steps\\, and \r\n"
    " share the notes in the team channel afterwards. Bring the printed budget.\r\n"
    "LOCATION:Office\\, 100 King St W\\, Toronto\\, ON M5X 1A9\r\n"
    "SEQUENCE:0\r\nSTATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\n"
    "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nDESCRIPTION:Reminder\r\n"
    "END:VALARM\r\n"
    "END:VEVENT\r\n"
)
BIG_FIRST = date(2017, 1, 1)
BIG_DAYS = 3653


def write_big_calendar(path: Path, megabytes: float) -> tuple[int, int]:
    """A Google-style export of about ``megabytes`` MB, one event a day over ten years.

    Returns the number of events and of series (every 50th event repeats
    weekly, without end). Written in blocks: fast, and never whole in memory.
    """
    days = [f"{BIG_FIRST + timedelta(days=i):%Y%m%d}" for i in range(BIG_DAYS)]
    size = len(BIG_EVENT) + 20
    count = int(megabytes * 1_000_000 / size)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(
            "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n"
            "VERSION:2.0\r\nX-WR-CALNAME:Sam Lee\r\nX-WR-TIMEZONE:America/Toronto\r\n"
        )
        for block in range(0, count, 5_000):
            out.write(
                "".join(
                    BIG_EVENT.format(
                        day=days[n % BIG_DAYS],
                        hour=8 + n % 10,
                        n=n,
                        rule="RRULE:FREQ=WEEKLY\r\n" if n % 50 == 0 else "",
                    )
                    for n in range(block, min(block + 5_000, count))
                )
            )
        out.write("END:VCALENDAR\r\n")
    return count, len(range(0, count, 50))


# --- what is counted ---------------------------------------------------------------------


def test_counts_series_and_date_range(tmp_path):
    text = calendar(
        "UID:a\nSUMMARY:Dentist\nDTSTART;TZID=America/Toronto:20250310T090000",
        "UID:b\nSUMMARY:Team sync\nDTSTART;TZID=America/Toronto:20240103T100000\n"
        "RRULE:FREQ=WEEKLY;BYDAY=WE",
        "UID:c\nSUMMARY:Course\nDTSTART;VALUE=DATE:20240902\n"
        "RRULE:FREQ=WEEKLY;UNTIL=20241209T045959Z",
        "UID:d\nSUMMARY:Physio\nDTSTART:20260115T150000Z\nRRULE:FREQ=WEEKLY;COUNT=6",
        "UID:e\nSUMMARY:Book club\nDTSTART:20261219T190000\nRDATE:20270116T190000",
        "UID:b\nRECURRENCE-ID;TZID=America/Toronto:20240110T100000\n"
        "DTSTART;TZID=America/Toronto:20240111T100000\nSUMMARY:Team sync (moved)",
        # An alarm's own properties are not the event's.
        "UID:f\nSUMMARY:Call\nDTSTART:20250505T120000Z\nBEGIN:VALARM\nTRIGGER:-PT5M\n"
        "ACTION:DISPLAY\nDTSTART:19990101T000000\nEND:VALARM",
    )
    preview = preview_file(write(tmp_path, text))
    assert isinstance(preview, Preview)
    assert preview.events == 7
    assert preview.series == 4  # b, c, d (RRULE) and e (RDATE); the override is not a series
    assert preview.open_ended == 1  # b: the time zone's RRULE is not an event's
    assert (preview.first, preview.last) == (date(2024, 1, 3), date(2026, 12, 19))
    assert preview.problems == ()
    assert preview.size_bytes == (tmp_path / "x.ics").stat().st_size
    assert preview.path == str(tmp_path / "x.ics")


def test_calendar_name_and_producer(tmp_path):
    text = calendar(
        "UID:a\nDTSTART:20261124T180000",
        header="PRODID:-//Proton AG//web-calendar 5.0.61.6//EN\n"
        "X-WR-CALNAME:Work\\, Toronto office\n",
    )
    preview = preview_file(write(tmp_path, text))
    assert preview.calendar_name == "Work, Toronto office"
    assert preview.producer == "-//Proton AG//web-calendar 5.0.61.6//EN"
    bare = preview_file(write(tmp_path, calendar("UID:a\nDTSTART:20261124", header=""), "y.ics"))
    assert (bare.calendar_name, bare.producer) == ("", "")


def test_folded_lower_case_and_odd_line_endings(tmp_path):
    text = calendar(
        'UID:a\nSUMMARY:Folded\nDTSTART;TZID=\n "/mozilla.org/20070129_1/America/Toronto":2025\n'
        " 0310T090000",
        "uid:b\nsummary:lower case\ndtstart:20260101T090000\nrrule:FREQ=DAILY",
    )
    previews = {
        newline: preview_file(write(tmp_path, text, newline=newline))
        for newline in ("\r\n", "\n", "\r")
    }
    bom = tmp_path / "bom.ics"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode())
    previews["bom"] = preview_file(bom)
    for preview in previews.values():
        assert (preview.events, preview.series, preview.open_ended) == (2, 1, 1)
        assert (preview.first, preview.last) == (date(2025, 3, 10), date(2026, 1, 1))
        assert preview.problems == ()


def test_latin1_file_is_previewed_and_said(tmp_path):
    path = tmp_path / "old.ics"
    path.write_bytes(calendar("UID:a\nSUMMARY:Café\nDTSTART:20260101").encode("cp1252"))
    preview = preview_file(path)
    assert preview.events == 1
    assert texts(preview.problems) == (f"{path}: not UTF-8; read as Latin-1/Windows-1252",)


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.ics")), ids=lambda p: p.name)
def test_counts_agree_with_the_importers_scan(path):
    preview = preview_file(path)
    with path.open("rb") as stream:
        found = scan(stream, str(path), *_whole_range(), prefilter=False)
    assert preview.events == found.seen_events
    assert preview.problems == tuple(found.problems)
    assert preview.first is not None and preview.last is not None


def _whole_range():
    return datetime(1600, 1, 1, tzinfo=UTC), datetime(2999, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("chunk", [7, 64, 333, 4096])
@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_chunk_boundaries_change_nothing(tmp_path, monkeypatch, chunk, newline):
    text = "".join(
        (FIXTURES / name).read_text(encoding="utf-8")
        for name in ("google-calendar.ics", "pretalx.ics", "outlook-exchange.ics")
    )
    path = write(tmp_path, text, newline=newline)
    whole = preview_file(path)
    monkeypatch.setattr(import_preview, "PREVIEW_CHUNK_BYTES", chunk)
    monkeypatch.setattr(import_preview, "_LONGEST_LINE", 1 << 30)
    assert preview_file(path) == whole
    assert whole.events == 7 + 8 + 9


# --- problems, named by file and line ------------------------------------------------------


def test_problems_name_the_file_and_line_like_the_import(tmp_path):
    text = calendar(
        "UID:ok\nSUMMARY:Fine\nDTSTART:20261124T180000Z",
        "UID:nostart\nSUMMARY:Foo",
        "UID:garbled\nSUMMARY:Bar\nDTSTART:tomorrow evening",
        "UID:impossible\nSUMMARY:Baz\nDTSTART:20261345T250000",
        "UID:ancient\nSUMMARY:Birthday\nDTSTART;VALUE=DATE:10400101",
    )
    path = write(tmp_path, text)
    preview = preview_file(path)
    assert texts(preview.problems) == (
        f"{path}:18: skipped 'Foo': it has no start time (DTSTART)",
        f"{path}:22: skipped 'Bar': its start time 'tomorrow evening' is not a date or time",
        f"{path}:27: skipped 'Baz': its start time '20261345T250000' is not a date or time",
        f"{path}:32: skipped 'Birthday': its start year 1040 is outside 1600-2999",
    )
    assert preview.events == 5
    assert preview.first == preview.last == date(2026, 11, 24)
    # The same events are skipped, at the same lines, in the same words, as a full import.
    imported = read_file(path, UTC, *_whole_range(), prefilter=False)
    assert imported.problems == list(preview.problems)


def test_structural_errors_name_their_lines(tmp_path):
    text = calendar(
        "UID:bad\nSUMMARY:Never closed\nBEGIN:VALARM",
        "UID:good\nSUMMARY:Fine\nDTSTART:20261124T180000Z",
    ).replace("END:VCALENDAR\n", "BEGIN:VEVENT\nUID:cut\nSUMMARY:Cut off\n")
    path = write(tmp_path, text)
    preview = preview_file(path)
    assert texts(preview.problems) == (
        f"{path}:17: END:VEVENT does not close BEGIN:VALARM (opened on line 16); skipped",
        f"{path}:23: BEGIN:VEVENT is never closed; skipped",
    )
    assert preview.events == 1


def test_many_problems_are_counted_not_all_listed(tmp_path):
    text = calendar(*[f"UID:{n}\nSUMMARY:Broken {n}" for n in range(MAX_PROBLEMS + 50)])
    preview = preview_file(write(tmp_path, text))
    assert len(preview.problems) == MAX_PROBLEMS
    assert preview.unlisted_problems == 50
    assert preview.problem_count == MAX_PROBLEMS + 50
    assert (preview.first, preview.last) == (None, None)


# --- the suggested role --------------------------------------------------------------------

CANDIDATE_FEEDS = {
    "eventbrite.ics",
    "luma.ics",
    "meetup-group-feed.ics",
    "meetup-single-event.ics",
    "pretalx.ics",
    "two-feeds-duplicate-a.ics",
    "two-feeds-duplicate-b.ics",  # an unknown digest whose events link to Meetup pages
}


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("*.ics")), ids=lambda p: p.name)
def test_producer_files_get_the_role_they_have(path):
    expected = "candidates" if path.name in CANDIDATE_FEEDS else "commitments"
    assert preview_file(path).suggested_role == expected


UNKNOWN = "PRODID:-//Riverside Community Centre//Listings 2.1//EN\n"


@pytest.mark.parametrize(
    ("events", "header", "role"),
    [
        # A price in the description.
        (
            ["UID:a\nDTSTART:20261124T180000\nDESCRIPTION:Tickets: $15 at the door"] * 3,
            UNKNOWN,
            "candidates",
        ),
        (["UID:a\nDTSTART:20261124T180000\nX-COST:25.00 CAD"] * 2, UNKNOWN, "candidates"),
        # Links to the events' own pages.
        (
            ["UID:a\nDTSTART:20261124T180000\nURL:https://riverside.example/events/4471/"] * 2,
            UNKNOWN,
            "candidates",
        ),
        # Invitations the user accepted.
        (
            [
                "UID:a\nDTSTART:20261124T180000\nORGANIZER:mailto:boss@corp.example\n"
                "ATTENDEE;PARTSTAT=ACCEPTED:mailto:me@corp.example"
            ]
            * 2,
            UNKNOWN,
            "commitments",
        ),
        (["UID:a\nDTSTART:20261124T180000\nTRANSP:OPAQUE"], UNKNOWN, "commitments"),
        # Nothing either way: commitments, so nothing gets double-booked.
        (["UID:a\nDTSTART:20261124T180000"], UNKNOWN, "commitments"),
        # A timetable, even one with a fee in it.
        (
            ["UID:a\nDTSTART:20260909T090000\nDESCRIPTION:Lab fee: $40"],
            "X-WR-CALNAME:Winter 2027 timetable\n",
            "commitments",
        ),
        (
            ["UID:a\nDTSTART:20260909T090000\nCATEGORIES:Lecture"] * 2,
            UNKNOWN,
            "commitments",
        ),
        # A Meetup feed saved by another program still says where it came from.
        (
            ["UID:a\nDTSTART:20261124T180000"],
            "X-ORIGINAL-URL:https://www.meetup.com/pythontoronto/events/ical/\n",
            "candidates",
        ),
        # A personal calendar program wins over the odd priced event in it.
        (
            ["UID:a\nDTSTART:20261124T180000\nDESCRIPTION:Price: $12"],
            "PRODID:-//Apple Inc.//macOS 15.1//EN\n",
            "commitments",
        ),
    ],
)
def test_suggested_role_heuristic(tmp_path, events, header, role):
    preview = preview_file(write(tmp_path, calendar(*events, header=header)))
    assert preview.suggested_role == role


# --- progress and cancelling ---------------------------------------------------------------


def test_progress_is_reported_every_chunk_and_reaches_the_total(tmp_path, monkeypatch):
    monkeypatch.setattr(import_preview, "PREVIEW_CHUNK_BYTES", 1000)
    path = tmp_path / "big.ics"
    write_big_calendar(path, 0.05)
    seen: list[tuple[int, int]] = []
    preview_file(path, progress=lambda done, total: seen.append((done, total)) or True)
    size = path.stat().st_size
    assert len(seen) == -(-size // 1000)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1] == (size, size)
    assert all(total == size for _, total in seen)


def test_progress_returning_false_cancels(tmp_path):
    path = tmp_path / "big.ics"
    write_big_calendar(path, 4)
    calls: list[int] = []

    def stop_after_two(done: int, total: int) -> bool:
        calls.append(done)
        return len(calls) < 2

    with pytest.raises(ImportCancelled):
        preview_file(path, progress=stop_after_two)
    assert calls == [import_preview.PREVIEW_CHUNK_BYTES, 2 * import_preview.PREVIEW_CHUNK_BYTES]


# --- what cannot be previewed --------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \r\n\r\n", "the file is empty"),
        (b"Name,Date\nDentist,2026-11-24\n", r"not an iCalendar file \(no BEGIN:VCALENDAR\)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 40, "binary data"),
        ("BEGIN:VCALENDAR\n".encode("utf-16"), "binary data"),
        (b"\xff\xfe\xfd junk without line breaks" * 100_000, "no BEGIN:VCALENDAR"),
    ],
    ids=["empty", "blank", "csv", "png", "utf16", "junk"],
)
def test_bad_files_give_one_clear_error_naming_the_file(tmp_path, content, message):
    path = tmp_path / "weird name.ics"
    path.write_bytes(content)
    with pytest.raises(IcsError, match=f"^{re.escape(str(path))}: .*{message}"):
        preview_file(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(IcsError, match=f"^{tmp_path / 'gone.ics'}: file not found$"):
        preview_file(tmp_path / "gone.ics")
    with pytest.raises(IcsError, match=f"^{tmp_path}: is a folder, not a file$"):
        preview_file(tmp_path)


def test_a_calendar_without_events_is_a_preview_not_an_error(tmp_path):
    preview = preview_file(write(tmp_path, calendar()))
    assert (preview.events, preview.first, preview.last, preview.problems) == (0, None, None, ())


# --- big files and memory ------------------------------------------------------------------


def test_a_20_mb_file_is_previewed_whole(tmp_path):
    path = tmp_path / "ten-years.ics"
    events, series = write_big_calendar(path, 20)
    assert path.stat().st_size > 19_000_000
    preview = preview_file(path)
    assert preview.events == events
    assert (preview.series, preview.open_ended) == (series, series)
    assert preview.first == BIG_FIRST
    assert preview.last == BIG_FIRST + timedelta(days=BIG_DAYS - 1)
    assert preview.calendar_name == "Sam Lee"
    assert preview.suggested_role == "commitments"


def test_memory_stays_bounded_by_the_chunk_size(tmp_path):
    path = tmp_path / "big.ics"
    write_big_calendar(path, 12)
    tracemalloc.start()
    try:
        preview_file(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * import_preview.PREVIEW_CHUNK_BYTES < path.stat().st_size


# --- the role each file was given ----------------------------------------------------------


@pytest.fixture
def no_roles():
    preferences.save("import_roles", {})
    yield
    preferences.save("import_roles", {})


@pytest.mark.usefixtures("no_roles")
def test_roles_are_remembered_per_file(tmp_path, monkeypatch):
    work, feed = tmp_path / "work.ics", tmp_path / "feed.ics"
    assert remembered_role(work) is None
    remember_role(work, "commitments")
    remember_role(feed, "candidates")
    remember_role(feed, "commitments")  # changed her mind
    assert remembered_role(work) == "commitments"
    assert remembered_role(feed) == "commitments"
    monkeypatch.chdir(tmp_path)
    assert remembered_role("work.ics") == "commitments"  # the same file, named relatively
    assert set(preferences.load()["import_roles"]) == {str(work.resolve()), str(feed.resolve())}


@pytest.mark.usefixtures("no_roles")
def test_other_answers_are_kept_and_bad_roles_refused(tmp_path):
    preferences.save("geocoding_consent", True)
    remember_role(tmp_path / "a.ics", "candidates")
    assert preferences.load()["geocoding_consent"] is True
    with pytest.raises(ValueError, match="commitments, candidates"):
        remember_role(tmp_path / "a.ics", "maybe")
    preferences.save("import_roles", {str((tmp_path / "a.ics").resolve()): "maybe"})
    assert remembered_role(tmp_path / "a.ics") is None
    preferences.save("import_roles", ["not", "a", "dict"])
    assert remembered_role(tmp_path / "a.ics") is None
    remember_role(tmp_path / "a.ics", "candidates")
    assert remembered_role(tmp_path / "a.ics") == "candidates"
    preferences.save("geocoding_consent", None)

"""The installed ``planner`` over the saved planning: add, sources, refresh, plan, history,
backup and restore.

Each test runs the command as a user does, with its own data, config and cache folders
in ``tmp_path``; feeds come from an HTTP server the test starts on 127.0.0.1, never the
internet. Decisions are made through the store's own API, as the window makes them.
"""

import contextlib
import hashlib
import json
import os
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from planner.core.storage.store import Store
from tests.e2e.test_cli import planner_command
from tests.feed_server import Reply, Site, calendar, vevent

pytestmark = pytest.mark.e2e

TORONTO = ZoneInfo("America/Toronto")  # the zone of the default settings
PROXIES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@dataclass
class User:
    """One user's private folders, and the command run with them."""

    root: Path

    @property
    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in PROXIES}
        env |= {
            "QT_QPA_PLATFORM": "offscreen",
            "PLANNER_DATA_DIR": str(self.root / "data"),
            "PLANNER_CONFIG_DIR": str(self.root / "config"),
            "PLANNER_CACHE_DIR": str(self.root / "cache"),
            "no_proxy": "127.0.0.1,localhost",
        }
        return env

    @property
    def store_path(self) -> Path:
        return self.root / "data" / "planner.sqlite3"

    def run(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [planner_command(), *args],
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            env=self.env,
            check=False,
        )
        assert "Traceback" not in result.stderr, result.stderr
        return result

    @contextlib.contextmanager
    def store(self) -> Iterator[Store]:
        with Store.open(self.store_path) as store:
            yield store


@pytest.fixture
def user(tmp_path: Path) -> User:
    return User(tmp_path / "user")


# --- the calendar server: tests/feed_server.py's `site` on 127.0.0.1 ----------------------


def serve(site: Site, body: bytes, status: int = 200) -> None:
    """Answer /events.ics with ``body`` (an ETag that changes with it, when it is a 200)."""
    etag = f'"{hashlib.sha256(body).hexdigest()[:12]}"' if status == 200 else ""
    site.replies["/events.ics"] = Reply(body, status, etag=etag)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


def today() -> date:
    return datetime.now(TORONTO).date()


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- planner add ---------------------------------------------------------------------------

NEWSLETTER = """UPCOMING EVENTS
PMI mixer next Thu 6-8pm @ 100 King St W $25 #professional
Apéro réseautage jeudi prochain de 18h à 20h, Café Olimpico, Montréal
asdf qwer
Durham Tech lightning talks tomorrow 7pm Brock Street Brewing, Whitby
Python meetup Mar 20 19:00 for 2h online https://meetup.com/x free
"""
REFERENCE = "2031-03-10"  # a Monday far from the clock: "tomorrow" is Tue 11 Mar 2031


def test_add_reads_a_pasted_list_keeps_it_and_reports_the_bad_line(user):
    result = user.run("add", NEWSLETTER, "--week", REFERENCE)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Added 4 events (to plan: `planner plan --week 2031-03-11`):")
    assert "Thu 13 Mar 18:00-20:00    PMI mixer" in out
    assert "100 King St W; $25; professional" in out
    assert "Thu 13 Mar 18:00-20:00    Apéro réseautage" in out  # French
    assert "assumed: “jeudi prochain” read as the coming Thursday, 13 March" in out
    assert "Tue 11 Mar 19:00-20:30    Durham Tech lightning talks" in out
    assert "assumed: no end time: 90 minutes assumed" in out
    assert "Thu 20 Mar 19:00-21:00    Python meetup" in out
    assert "online; free; no category" in out
    assert result.stderr.strip() == "planner add: line 4 “asdf qwer”: no date or day found"
    with user.store() as store:
        kept = {e.summary: e for e in store.load_added()}
    assert sorted(kept) == [
        "Apéro réseautage",
        "Durham Tech lightning talks",
        "PMI mixer",
        "Python meetup",
    ]
    assert kept["PMI mixer"].start == datetime(2031, 3, 13, 18, 0, tzinfo=TORONTO)
    assert kept["PMI mixer"].cost == 25

    line = NEWSLETTER.splitlines()[1]
    again = user.run("add", line, "--week", REFERENCE)
    assert again.returncode == 0, again.stderr
    assert "1 replacing the same added before" in again.stdout
    with user.store() as store:
        assert len(store.load_added()) == 4  # the same line twice is one event


def test_add_dry_run_json_keeps_nothing(user):
    result = user.run("add", NEWSLETTER, "--week", REFERENCE, "--dry-run", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"added", "unparsed", "dry_run"} and data["dry_run"] is True
    assert [a["title"] for a in data["added"]] == [
        "PMI mixer",
        "Apéro réseautage",
        "Durham Tech lightning talks",
        "Python meetup",
    ]
    pmi = data["added"][0]
    assert pmi["start"] == "2031-03-13T18:00:00-04:00" and pmi["end"] == "2031-03-13T20:00:00-04:00"
    expected = {"line": 2, "cost": 25.0, "category": "professional", "address": "100 King St W"}
    assert {k: pmi[k] for k in expected} == expected
    assert datetime.fromisoformat(pmi["start"]).utcoffset() is not None
    talks = data["added"][2]
    assert {"part": "end", "text": "no end time: 90 minutes assumed"} in talks["assumed"]
    assert data["added"][3]["virtual"] is True and data["added"][3]["url"] == "https://meetup.com/x"
    assert data["unparsed"] == [{"line": 4, "text": "asdf qwer", "reason": "no date or day found"}]
    assert not user.store_path.exists()  # --dry-run writes nothing, not even an empty store


def test_add_reads_stdin_and_fails_when_nothing_is_understood(user):
    games = "Board games demain 19h-22h, Bar Ludique\n"
    result = user.run("add", "-", "--week", REFERENCE, stdin=games)
    assert result.returncode == 0, result.stderr
    assert "Tue 11 Mar 19:00-22:00    Board games" in result.stdout

    result = user.run("add", "-", stdin="asdf qwer\nhello world\n")
    assert result.returncode == 1
    assert "planner add: stdin line 1 “asdf qwer”: no date or day found" in result.stderr
    assert "no event understood; nothing added" in result.stderr
    assert result.stdout == ""
    with user.store() as store:
        assert [e.summary for e in store.load_added()] == ["Board games"]


# --- planner sources -----------------------------------------------------------------------


def test_sources_add_list_remove_with_a_file_and_a_feed(user, site, tmp_path):
    day = today() + timedelta(days=3)
    mine = tmp_path / "work.ics"
    mine.write_bytes(calendar(vevent("w1", "Work", at(day, 9), at(day, 17))))
    serve(site, calendar(vevent("m1", "Meetup", at(day, 18), at(day, 20))))
    url = site.base + "/events.ics"

    result = user.run("sources", "add", str(mine), "--role", "commitments")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Added work.ics as commitments: 1 event, {day} to {day}")
    result = user.run("sources", "add", url, "--role", "candidates")
    assert result.returncode == 0, result.stderr
    assert f"Added {url.split('://')[1]} as candidates: downloaded, 1 event ahead" in result.stdout
    assert len(site.requests) == 1  # fetched once, at once

    listed = user.run("sources")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0] == f"commitments  {mine.resolve()}"
    assert lines[1] == f"candidates   {url}"
    assert lines[2].strip().startswith("last fetched ") and "next refresh" in lines[2]
    data = json.loads(user.run("sources", "--json").stdout)
    assert [(s["role"], s["feed"]) for s in data["sources"]] == [
        ("commitments", False),
        ("candidates", True),
    ]
    assert data["sources"][1]["has_copy"] is True and data["sources"][1]["last_error"] == ""

    # Usage errors name the location and keep nothing (not even the good one beside it).
    other = tmp_path / "other.ics"
    other.write_bytes(calendar())
    nope = tmp_path / "nope.ics"
    missing = user.run("sources", "add", str(other), str(nope), "--role", "candidates")
    assert missing.returncode == 2
    assert missing.stderr.strip() == f"planner: {nope}: file not found"
    not_ics = tmp_path / "notes.txt"
    not_ics.write_text("just words")
    assert user.run("sources", "add", str(not_ics), "--role", "candidates").returncode == 2
    ftp = user.run("sources", "add", "ftp://example.org/x.ics", "--role", "candidates")
    assert ftp.returncode == 2
    assert "only http, https and webcal addresses can be fetched" in ftp.stderr
    assert user.run("sources", "add", str(mine)).returncode == 2  # --role is required
    for args in (("--settings", "nope.toml", "add"), ("add", "--settings", "nope.toml")):
        wrong = user.run("sources", *args, str(other), "--role", "candidates")
        assert (wrong.returncode, wrong.stderr) == (
            2,
            "planner: nope.toml: settings file not found\n",
        )
    with user.store() as store:
        assert len(store.load_sources()) == 2

    # A feed that cannot be downloaded is kept, with the reason, and the exit status says so.
    broken = user.run("sources", "add", site.base + "/gone.ics", "--role", "candidates")
    assert broken.returncode == 1
    assert "has no calendar at this address (HTTP 404 Not Found)" in broken.stderr
    assert "last error: 127.0.0.1 has no calendar" in user.run("sources").stdout

    # Removed by its name as listed, or by its location; an unknown one is a usage error.
    assert user.run("sources", "remove", "work.ics").returncode == 0
    assert user.run("sources", "remove", site.base + "/gone.ics").returncode == 0
    unknown = user.run("sources", "remove", "work.ics")
    assert unknown.returncode == 2
    assert "work.ics is not imported" in unknown.stderr
    with user.store() as store:
        assert [s.path for s in store.load_sources()] == [url]


# --- planner refresh -----------------------------------------------------------------------


def test_refresh_reports_a_committed_event_that_moved_and_survives_a_server_error(user, site):
    day = today() + timedelta(days=4)
    before = vevent("hdi", "HDI Toronto", at(day, 17, 30), at(day, 20), "SEQUENCE:0")
    other = vevent("mixer", "Some mixer", at(day, 12), at(day, 13))
    serve(site, calendar(before, other))
    url = site.base + "/events.ics"
    assert user.run("sources", "add", url, "--role", "candidates").returncode == 0
    with user.store() as store:
        store.set_decision("hdi", "pinned")  # committed, as the window does it

    nothing_due = user.run("refresh")
    assert nothing_due.returncode == 0, nothing_due.stderr
    assert nothing_due.stdout.startswith("No feed is due (the next at ")
    assert "No changes since last time to events you committed to." in nothing_due.stdout
    assert len(site.requests) == 1

    moved = day + timedelta(days=1)
    serve(
        site,
        calendar(vevent("hdi", "HDI Toronto", at(moved, 18), at(moved, 20), "SEQUENCE:1"), other),
    )
    result = user.run("refresh", "--all")
    assert result.returncode == 0, result.stderr
    name = url.split("://")[1]
    assert result.stdout.splitlines()[0] == f"{name}: changed"
    assert "\nChanges since " in result.stdout  # the time of the last refresh
    assert " to events you committed to:" in result.stdout
    assert f"HDI Toronto moved from {day:%a} 17:30 to {moved:%a} 18:00" in result.stdout

    again = user.run("refresh", "--all")  # the server says 304; the change was seen
    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines()[0] == f"{name}: no change"
    assert "No changes since " in again.stdout and "moved" not in again.stdout
    assert site.requests[-1][1].get("If-None-Match") == site.replies["/events.ics"].etag

    serve(site, b"oops", status=500)
    failed = user.run("refresh", "--all")
    assert failed.returncode == 1
    assert f"{name}: error: 127.0.0.1 had a server error (HTTP 500" in failed.stdout
    assert "keeping the copy from" in failed.stdout
    assert "planner refresh: 1 of 1 feed failed; their last copies are kept" in failed.stderr
    assert "last error: 127.0.0.1 had a server error" in user.run("sources").stdout

    plan = user.run("plan", "--week", moved.isoformat(), "--json")
    assert plan.returncode == 0, plan.stderr
    hdi = next(c for c in json.loads(plan.stdout)["candidates"] if c["uid"] == "hdi")
    assert hdi["status"] == "chosen"  # committed, from the last good copy, at its new time
    assert hdi["start"].startswith(f"{moved}T18:00")


# --- planner plan on the saved planning, and history --------------------------------------


def online(uid: str, summary: str, day: date) -> str:
    return vevent(uid, summary, at(day, 12), at(day, 13), "LOCATION:Online (Zoom)")


def test_plan_uses_the_saved_planning_honours_decisions_and_records_history(user, tmp_path):
    nothing = user.run("plan")
    assert nothing.returncode == 2
    assert "planner sources add" in nothing.stderr and "planner add" in nothing.stderr

    # Weeks wholly ahead, whatever the day: in the week under way what is over is left out.
    this_monday = monday_of(today()) + timedelta(days=7)
    next_monday = this_monday + timedelta(days=7)
    talks = tmp_path / "talks.ics"
    talks.write_bytes(
        calendar(
            online("a", "Lunch talk A", this_monday + timedelta(days=1)),
            online("b", "Lunch talk B", this_monday + timedelta(days=2)),
            online("c", "Lunch talk C", next_monday + timedelta(days=1)),
        )
    )
    assert user.run("sources", "add", str(talks), "--role", "candidates").returncode == 0
    with user.store() as store:
        store.set_decision("b", "refused")

    result = user.run("plan", "--json")  # the first week with candidates ahead (the default)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["week_start"] == this_monday.isoformat()
    status = {c["uid"]: c["status"] for c in data["candidates"]}
    assert status == {"a": "chosen", "b": "left_out"}
    refused = next(c for c in data["candidates"] if c["uid"] == "b")
    assert refused["reason_code"] == "refused"

    table = user.run("plan", "--week", next_monday.isoformat())
    assert table.returncode == 0, table.stderr
    assert "PROPOSED" in table.stdout and "Lunch talk C" in table.stdout

    history = user.run("history")
    assert history.returncode == 0, history.stderr
    out = history.stdout
    assert f"Week of {this_monday:%a} {this_monday.day} {this_monday:%b %Y}: 1 planned" in out
    assert "Lunch talk A (planned)" in out and "Lunch talk C (planned)" in out
    assert "Lunch talk B" not in out
    assert out.rstrip().endswith("0 weeks in a row with networking.")  # weeks ahead: no streak
    data = json.loads(user.run("history", "--json", "--weeks", "2").stdout)
    assert [w["week_start"] for w in data["weeks"]] == [
        this_monday.isoformat(),
        next_monday.isoformat(),
    ]
    first = data["weeks"][0]["events"][0]
    assert (first["key"], first["title"], first["status"]) == ("a", "Lunch talk A", "planned")
    assert data["streak"] == 0

    # Re-planning after a change of mind replaces what the week recorded.
    with user.store() as store:
        store.set_decision("a", "refused")
        store.set_decision("b", "")
    assert user.run("plan").returncode == 0
    week = json.loads(user.run("history", "--json").stdout)["weeks"][0]
    assert [e["title"] for e in week["events"]] == ["Lunch talk B"]


def test_plan_with_files_or_demo_stays_stateless(user, tmp_path):
    assert user.run("plan", "--demo").returncode == 0
    mine = tmp_path / "mine.ics"
    mine.write_bytes(calendar(online("x", "Talk", monday_of(today()))))
    assert user.run("plan", "--candidates", str(mine)).returncode == 0
    assert not user.store_path.exists()


# --- planner backup / restore --------------------------------------------------------------


def test_backup_then_restore_into_a_fresh_data_folder(user, tmp_path):
    settings = tmp_path / "rules.toml"
    settings.write_text('[general]\ntimezone = "America/Toronto"\n\n[budget]\nweekly_hours = 5\n')
    talks = tmp_path / "talks.ics"
    talks.write_bytes(calendar(online("a", "Lunch talk A", monday_of(today()))))
    assert user.run("sources", "add", str(talks), "--role", "candidates").returncode == 0
    assert user.run("add", "PMI mixer next Thu 6-8pm", "--week", REFERENCE).returncode == 0
    with user.store() as store:
        store.set_decision("a", "pinned", stars=4)
        store.set_decision("someone-else", "refused")
        decisions = store.load_choices()
    backup = tmp_path / "backups" / "planner-backup.sqlite3"
    result = user.run("backup", str(backup), "--settings", str(settings))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Backed up to {backup}: 2 decisions (1 committed, 1 refused")
    assert "1 calendar (0 feeds, 1 file copy), 1 typed event" in result.stdout
    assert f"With the settings file {settings}." in result.stdout

    fresh = User(tmp_path / "new-computer")
    restored = fresh.run("restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith(f"Restored from {backup}: 2 decisions")
    assert "before-restore" not in restored.stdout  # there was nothing to save first
    assert "--settings-too" in restored.stdout  # said, not done
    own_settings = fresh.root / "config" / "settings.toml"
    assert not own_settings.exists()
    with fresh.store() as store:
        assert store.load_choices() == decisions
        assert [s.path for s in store.load_sources()] == [str(talks.resolve())]
        assert [e.summary for e in store.load_added()] == ["PMI mixer"]
    plan = json.loads(fresh.run("plan", "--week", monday_of(today()).isoformat(), "--json").stdout)
    assert [c["status"] for c in plan["candidates"] if c["uid"] == "a"] == ["chosen"]

    # Again, with the settings: written to planner's own file; what was there is saved first.
    again = fresh.run("restore", str(backup), "--settings-too")
    assert again.returncode == 0, again.stderr
    assert f"Settings: written to {own_settings}." in again.stdout
    assert own_settings.read_text() == settings.read_text()
    saved = sorted((fresh.root / "data").glob("before-restore-*.sqlite3"))
    assert len(saved) == 1 and str(saved[0]) in again.stdout


def online_at(uid: str, summary: str, day: date, hour: int) -> str:
    return vevent(uid, summary, at(day, hour), at(day, hour + 1), "LOCATION:Online (Zoom)")


def test_a_backup_moves_the_calendar_files_to_a_computer_without_them(user, tmp_path):
    monday = date.fromisoformat(REFERENCE)
    folder = tmp_path / "calendars"
    folder.mkdir()
    work = folder / "work.ics"
    work.write_bytes(
        calendar(
            *(
                vevent(
                    f"work-{n}", "Work", at(monday + timedelta(n), 9), at(monday + timedelta(n), 17)
                )
                for n in range(5)
            ),
            vevent(
                "course", "Course", at(monday + timedelta(1), 18), at(monday + timedelta(1), 21)
            ),
        )
    )
    events = folder / "events.ics"
    events.write_bytes(
        calendar(
            online_at("clash", "Talk during the course", monday + timedelta(1), 19),
            online_at("lunch", "Lunch talk", monday + timedelta(2), 12),
            online_at("evening", "Evening talk", monday + timedelta(3), 19),
        )
    )
    for path, role in ((work, "commitments"), (events, "candidates")):
        assert user.run("sources", "add", str(path), "--role", role).returncode == 0
    before = json.loads(user.run("plan", "--week", REFERENCE, "--json").stdout)
    backup = tmp_path / "planner-backup.sqlite3"
    backed = user.run("backup", str(backup))
    assert backed.returncode == 0, backed.stderr
    assert "2 calendars (0 feeds, 2 file copies)" in backed.stdout

    for path in (work, events):
        path.unlink()  # the new computer has neither file
    fresh = User(tmp_path / "new-computer")
    restored = fresh.run("restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "2 calendars (0 feeds, 2 file copies)" in restored.stdout
    assert "work.ics is not on this computer: planned from its copy in the backup" in (
        restored.stdout
    )
    assert "put it back" not in restored.stderr
    listed = fresh.run("sources").stdout
    assert "not on this computer: planned from its copy read" in listed

    plan = fresh.run("plan", "--week", REFERENCE, "--json")
    assert plan.returncode == 0, plan.stderr
    after = json.loads(plan.stdout)
    assert after["candidates"] == before["candidates"]
    statuses = {c["uid"]: (c["status"], c["reason_code"]) for c in after["candidates"]}
    assert statuses["clash"] == ("left_out", "conflict")  # the commitments were read
    assert statuses["evening"][0] == "chosen"
    said = [p["message"] for p in after["problems"]]  # problems are objects in the JSON
    copied = [p for p in said if "is not on this computer; using the copy" in p]
    assert [p.split(";")[0] for p in copied] == [
        "work.ics is not on this computer",
        "events.ics is not on this computer",
    ]


def test_restore_changes_the_settings_file_only_when_asked_and_keeps_the_old_one(user, tmp_path):
    mine = (
        '# mine\n[general]\ntimezone = "America/Toronto"\n\n# my note\n[budget]\nweekly_hours = 4\n'
    )
    theirs = "# theirs\n[budget]\n# a note\nweekly_hours = 7\n"
    own = user.root / "config" / "settings.toml"
    own.parent.mkdir(parents=True)
    own.write_text(mine)
    other = User(tmp_path / "other")
    rules = tmp_path / "theirs.toml"
    rules.write_text(theirs)
    assert other.run("add", "PMI mixer next Thu 6-8pm", "--week", REFERENCE).returncode == 0
    backup = tmp_path / "theirs-backup.sqlite3"
    assert other.run("backup", str(backup), "--settings", str(rules)).returncode == 0

    left = user.run("restore", str(backup))
    assert left.returncode == 0, left.stderr
    assert f"Settings: the backup holds the settings file {rules}; not written." in left.stdout
    assert own.read_text() == mine

    written = user.run("restore", str(backup), "--settings-too")
    assert written.returncode == 0, written.stderr
    assert (
        f"Settings: written to {own} (the previous one is settings.toml.before-restore)."
        in written.stdout
    )
    assert own.read_text() == theirs  # the backup's text, comments and all
    assert own.with_name("settings.toml.before-restore").read_text() == mine


def test_restore_refuses_what_is_not_a_planner_backup_and_changes_nothing(user, tmp_path):
    assert user.run("add", "PMI mixer next Thu 6-8pm", "--week", REFERENCE).returncode == 0
    with user.store() as store:
        store.set_decision("k", "pinned")
    text = tmp_path / "notes.sqlite3"
    text.write_text("not a database at all\n" * 100)
    other = tmp_path / "other.sqlite3"
    with contextlib.closing(sqlite3.connect(other)) as db:
        db.execute("CREATE TABLE things (x)")
        db.commit()
    for bad, words in ((text, "is not a planner"), (other, "but not planner's")):
        result = user.run("restore", str(bad))
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith(f"planner: {bad}") and words in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    missing = user.run("restore", str(tmp_path / "nope.sqlite3"))
    assert missing.returncode == 2 and "no such backup file" in missing.stderr
    own = user.run("restore", str(user.store_path))
    assert own.returncode == 2 and "planner's own database" in own.stderr
    with user.store() as store:
        assert store.load_choices().pinned == {"k"}
        assert [e.summary for e in store.load_added()] == ["PMI mixer"]
    assert list((user.root / "data").glob("before-restore-*")) == []


# --- output into a pipe that closes ---------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "times"),
    [
        # The reader takes the first line and leaves while planner still has output
        # buffered (whether it has depends on timing: three tries).
        ("plan --demo | head -1", 3),
        ("plan --demo --json | head -c 10", 1),
        # The reader is gone before planner writes anything: its only write is the flush.
        ("history | true", 1),
        ("travel home 43.65,-79.38 | true", 1),
    ],
)
def test_a_reader_that_leaves_early_gets_no_broken_pipe_noise(user, command, times):
    # Buffered output, as a user's shell gives it (the test runner may set PYTHONUNBUFFERED).
    env = {k: v for k, v in user.env.items() if k != "PYTHONUNBUFFERED"}
    for _ in range(times):
        result = subprocess.run(
            f"'{planner_command()}' {command}",
            shell=True,
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )
        assert result.stderr == ""  # no "Exception ignored ... BrokenPipeError"
        if "head -1" in command:
            assert result.stdout == "Week of Monday 23 November 2026 (America/Toronto)\n"

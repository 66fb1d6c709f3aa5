"""The installed ``planner`` command, run as a user runs it."""

import json
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e


def planner_command() -> str:
    beside = Path(sys.executable).with_name("planner")
    found = str(beside) if beside.exists() else shutil.which("planner")
    assert found, "the planner command is not installed (pip install .[test])"
    return found


def run(*args: str, timeout: int = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [planner_command(), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


def test_version():
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("planner 0.")


def test_plan_demo_prints_a_readable_table():
    result = run("plan", "--demo")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Week of Monday 23 November 2026" in out
    assert "PROPOSED" in out and "LEFT OUT" in out
    assert "[conflict] clashes with" in out
    assert "optimal" in out
    assert "Traceback" not in result.stderr


def test_plan_demo_json_and_exports(tmp_path):
    ics, csv = tmp_path / "attend.ics", tmp_path / "attend.csv"
    result = run("plan", "--demo", "--json", "--export", str(ics), "--csv", str(csv))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["week_start"] == "2026-11-23"
    assert data["optimal"] is True
    chosen = [c for c in data["candidates"] if c["status"] == "chosen"]
    assert chosen and len(data["candidates"]) >= 40
    assert data["budget"]["used_minutes"] <= data["budget"]["limit_minutes"]
    assert ics.read_bytes().count(b"BEGIN:VEVENT") >= len(chosen)
    assert len(csv.read_text().splitlines()) == len(chosen) + 1


def test_plan_demo_on_another_week_across_dst():
    result = run("plan", "--demo", "--json", "--week", "2027-03-17")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["week_start"] == "2027-03-15"
    # The demo moved in wall-clock time: events keep their local start times after DST.
    starts = {c["start"][11:16] for c in data["candidates"]}
    assert "18:00" in starts or "18:30" in starts
    assert all(c["start"].endswith("-04:00") for c in data["candidates"])


def test_plan_with_files(tmp_path):
    commitments = tmp_path / "mine.ics"
    commitments.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:c\r\n"
        "SUMMARY:Course\r\nDTSTART;TZID=America/Toronto:20261124T183000\r\n"
        "DTEND;TZID=America/Toronto:20261124T213000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    candidates = tmp_path / "events.ics"
    candidates.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//EN\r\nBEGIN:VEVENT\r\nUID:e\r\n"
        "SUMMARY:Mixer\r\nDTSTART;TZID=America/Toronto:20261124T190000\r\n"
        "DTEND;TZID=America/Toronto:20261124T200000\r\nLOCATION:Online event\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    settings = tmp_path / "s.toml"
    settings.write_text('[home]\nlocation = "43.88, -78.95"\n[budget]\nweekly_hours = 3\n')
    result = run(
        "plan",
        "--commitments",
        str(commitments),
        "--candidates",
        str(candidates),
        "--settings",
        str(settings),
        "--week",
        "2026-11-23",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    (only,) = json.loads(result.stdout)["candidates"]
    assert only["reason"] == "clashes with Course (Tue 18:30-21:30)"


def test_bad_input_gets_a_message_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[budget]\nweekly_hours = 'lots'\n")
    result = run("plan", "--demo", "--settings", str(bad))
    assert result.returncode == 2
    assert "bad.toml: [budget] weekly_hours: expected a number" in result.stderr
    assert "Traceback" not in result.stderr
    broken = tmp_path / "broken.ics"
    broken.write_text("garbage")
    result = run(
        "plan", "--commitments", str(broken), "--candidates", str(tmp_path / "missing.ics")
    )
    assert result.returncode == 2
    assert "broken.ics: not an iCalendar file" in result.stderr
    assert "missing.ics: file not found" in result.stderr
    assert "Traceback" not in result.stderr


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", header[16:24])


def test_demo_screenshot(tmp_path):
    shot = tmp_path / "shot.png"
    result = run("--demo", "--screenshot", str(shot))
    assert result.returncode == 0, result.stderr
    width, height = png_size(shot)
    assert width >= 1200 and height >= 800
    assert shot.stat().st_size > 50_000  # a real, busy window, not a blank image


def test_output_piped_into_head_stops_quietly():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        f"'{planner_command()}' plan --demo | head -3",
        shell=True,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert len(result.stdout.splitlines()) == 3
    assert "Traceback" not in result.stderr


def test_settings_help_documents_the_required_keys():
    result = run("settings-help")
    assert result.returncode == 0
    for key in (
        "[home] location",
        "[travel] mode",
        "[budget] weekly_hours",
        "[budget] counts_travel",
        "[budget] max_events_per_week",
    ):
        assert key in result.stdout


FIXTURES = Path(__file__).parents[1] / "fixtures" / "producers"


def test_events_json_lines_contract(tmp_path):
    broken = tmp_path / "broken.ics"
    broken.write_text("not a calendar")
    result = run(
        "events",
        str(FIXTURES / "google-calendar.ics"),
        str(broken),
        str(FIXTURES / "outlook-exchange.ics"),
        "--from",
        "2026-11-23",
        "--json",
    )
    assert result.returncode == 1  # one file was rejected; the others still print
    assert result.stderr.strip().splitlines() == [
        f"{broken}: not an iCalendar file (no BEGIN:VCALENDAR)"
    ]
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {r["source"] for r in rows} == {
        str(FIXTURES / "google-calendar.ics"),
        str(FIXTURES / "outlook-exchange.ics"),
    }
    keys = {
        "source",
        "uid",
        "summary",
        "start",
        "end",
        "all_day",
        "timezone",
        "location",
        "geo",
        "virtual",
        "url",
        "status",
        "busy",
        "recurrence_id",
    }
    for row in rows:
        assert keys <= set(row)
        if row["all_day"]:
            assert len(row["start"]) == 10
        else:
            assert row["start"][19] in "+-"  # ISO 8601 with a UTC offset
    assert any(r["status"] == "CANCELLED" and not r["busy"] for r in rows)


def test_events_honours_tz_and_usage_errors():
    env_run = subprocess.run(
        [
            planner_command(),
            "events",
            str(FIXTURES / "google-calendar.ics"),
            "--from",
            "2026-11-23",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=dict(os.environ, TZ="Asia/Tokyo"),
    )
    assert env_run.returncode == 0
    timed = [json.loads(line) for line in env_run.stdout.splitlines()]
    timed = [row for row in timed if not row["all_day"]]
    assert timed
    assert all(row["start"].endswith("+09:00") for row in timed)
    bad = run(
        "events",
        str(FIXTURES / "google-calendar.ics"),
        "--from",
        "2026-11-23",
        "--to",
        "2026-11-20",
    )
    assert bad.returncode == 2
    assert "--to must be after --from" in bad.stderr


def test_travel_single_and_batch(tmp_path):
    one = run(
        "travel", "43.8837,-78.9538", "43.6599,-79.3883", "--at", "2026-11-24T17:00", "--json"
    )
    assert one.returncode == 0, one.stderr
    answer = json.loads(one.stdout)
    assert answer["source"] == "estimate" and answer["rush_hour"]
    assert 70 <= answer["minutes"] <= 95 and answer["from"]["precision"] == "exact"
    trips = tmp_path / "trips.csv"
    trips.write_text(
        "from,to,mode,at\n"
        "Whitby ON,Toronto ON,transit,2026-11-24T17:00\n"
        "Whitby ON,Oshawa ON,bike,\n"
        "Whitby ON,Toronto ON,boat,\n"
    )
    many = run("travel", "--batch", str(trips), "--json")
    assert many.returncode == 1  # one row could not be answered; the others were
    rows = [json.loads(line) for line in many.stdout.splitlines()]
    assert [r.get("mode") for r in rows[:2]] == ["transit", "bike"]
    assert rows[2] == {"row": 4, "error": "mode 'boat' is not one of drive, transit, bike, walk"}
    assert f"{trips}:4: mode 'boat'" in many.stderr
    usage = run("travel", "home")
    assert usage.returncode == 2

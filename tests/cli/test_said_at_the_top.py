"""What the plan must say before its summary: a calendar the user named that could not be
read (exit status 1: the plan is made without it), and a routing server that did not
answer (travel times are estimates). The README's contract: 0 all read, 1 some input
skipped, 2 nothing usable or bad use.

Routers are real HTTP servers on 127.0.0.1 (tests/core/test_router.py's), or a port that
refuses connections; nothing leaves the machine.
"""

from __future__ import annotations

import csv
import json
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner import resources
from planner.cli.main import main
from tests.core.test_router import FakeRouting, start_server
from tests.feed_server import Reply, Site

DEMO = Path(__file__).parents[2] / "resources" / "demo"
WEEK = "2026-11-23"


@pytest.fixture
def own_folders(tmp_path, monkeypatch):
    """A user of their own: data, config and cache folders in ``tmp_path``."""
    for name in ("DATA", "CONFIG", "CACHE"):
        monkeypatch.setenv(f"PLANNER_{name}_DIR", str(tmp_path / name.lower()))
    return tmp_path


@pytest.fixture
def refused_url() -> str:
    """A port nothing listens on (bound, then closed): connections are refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.fixture
def router() -> Iterator[FakeRouting]:
    yield from start_server()


def routed_settings(tmp_path: Path, url: str, timeout: float = 0.3) -> Path:
    """The demo user's settings, with a routing server at ``url``."""
    text = resources.read_text("demo", "settings.toml")
    path = tmp_path / "routed.toml"
    path.write_text(
        text + f'\n[routing]\nprovider = "osrm"\nurl = "{url}"\ntimeout_seconds = {timeout}\n'
    )
    return path


def demo_files(*extra: str) -> list[str]:
    return [
        "--candidates",
        str(DEMO / "candidates.ics"),
        "--settings",
        str(DEMO / "settings.toml"),
        "--week",
        WEEK,
        *extra,
    ]


# --- a calendar that cannot be read ---------------------------------------------------------


def test_an_unreadable_commitments_file_is_said_at_the_top_and_exits_1(tmp_path, capsys):
    missing = tmp_path / "missing.ics"
    code = main(["plan", "--commitments", str(missing), *demo_files()])
    out = capsys.readouterr()
    assert code == 1
    lines = out.out.splitlines()
    assert lines[0] == "Week of Monday 23 November 2026 (America/Toronto)"
    notice = " ".join(lines[1:3])
    assert notice.startswith("! Not read, so this plan is made without it:")
    assert f"{missing.name}: file not found" in notice.replace("  ", " ").replace("\n", "")
    summary = next(i for i, line in enumerate(lines) if "events proposed" in line)
    assert summary > 1  # the notice comes before the summary
    assert "file not found" not in out.err  # said once, in the plan itself


def test_the_json_carries_the_unread_calendar_as_an_error(tmp_path, capsys):
    missing = tmp_path / "missing.ics"
    code = main(["plan", "--commitments", str(missing), *demo_files("--json")])
    out = capsys.readouterr()
    assert code == 1
    data = json.loads(out.out)
    assert data["problems"] == [
        {
            "source": str(missing),
            "line": None,
            "severity": "error",
            "text": "file not found",
            "message": f"{missing}: file not found",
        }
    ]
    assert data["candidates"]  # the plan is still made, from what could be read
    assert out.err == f"planner: warning: {missing}: file not found\n"


def test_exports_are_written_and_the_exit_status_still_says_what_was_skipped(tmp_path, capsys):
    missing = tmp_path / "missing.ics"
    ics, table, agenda = tmp_path / "a.ics", tmp_path / "a.csv", tmp_path / "a.html"
    argv = ["plan", "--commitments", str(missing), *demo_files()]
    code = main([*argv, "--export", str(ics), "--csv", str(table), "--agenda", str(agenda)])
    assert code == 1
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    rows = list(csv.DictReader(table.read_text(encoding="utf-8").splitlines()))
    assert rows and rows[0]["title"]
    page = agenda.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    # The printed agenda says it too: a page on the fridge has no stderr.
    assert (
        f'<p class="notice">⚠ Not read, so this plan is made without it: {missing}: '
        "file not found</p>"
    ) in page
    assert "! Not read" in capsys.readouterr().out


def test_everything_read_is_exit_0_with_nothing_said_at_the_top(capsys):
    code = main(["plan", "--commitments", str(DEMO / "commitments.ics"), *demo_files()])
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[1].startswith("3 of 49 events proposed")


def test_nothing_readable_at_all_is_exit_2(tmp_path, capsys):
    code = main(["plan", "--candidates", str(tmp_path / "gone.ics")])
    assert code == 2
    assert "gone.ics: file not found" in capsys.readouterr().err


def test_events_exit_1_when_some_file_is_rejected_and_2_when_all_are(tmp_path, capsys):
    missing = tmp_path / "missing.ics"
    some = main(["events", str(DEMO / "candidates.ics"), str(missing), "--from", WEEK])
    out = capsys.readouterr()
    assert some == 1
    assert out.err == f"{missing}: file not found\n"
    assert out.out  # the readable file still lists its events
    assert main(["events", str(missing), "--from", WEEK]) == 2


def test_the_saved_planning_says_a_feed_it_could_not_read(own_folders, site: Site, capsys):
    """A feed whose download failed has nothing in the plan: said at the top, exit 1."""
    site.replies["/work.ics"] = Reply(b"", status=503)
    url = site.url("/work.ics")
    assert main(["sources", "add", url, "--role", "commitments"]) == 1
    assert main(["sources", "add", str(DEMO / "candidates.ics"), "--role", "candidates"]) == 0
    capsys.readouterr()
    code = main(["plan", "--week", WEEK])
    out = capsys.readouterr()
    assert code == 1
    lines = out.out.splitlines()
    assert lines[1].startswith("! Not read, so this plan is made without it:")
    assert "events proposed" in "".join(lines[2:5])
    code = main(["plan", "--week", WEEK, "--json"])
    problems = json.loads(capsys.readouterr().out)["problems"]
    assert code == 1
    assert [p["severity"] for p in problems] == ["error"]


# --- a router that does not answer ----------------------------------------------------------


def plan_with_router(tmp_path: Path, url: str, capsys, *extra: str) -> tuple[int, str, str]:
    settings = routed_settings(tmp_path, url)
    code = main(
        [
            "plan",
            "--commitments",
            str(DEMO / "commitments.ics"),
            "--candidates",
            str(DEMO / "candidates.ics"),
            "--settings",
            str(settings),
            "--week",
            WEEK,
            "--json",
            *extra,
        ]
    )
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_router_that_refuses_connections_is_said_once(tmp_path, refused_url, capsys):
    code, out, err = plan_with_router(tmp_path, refused_url, capsys)
    said = (
        f"The router at {refused_url} did not answer (connection refused); "
        "travel times are estimates."
    )
    assert code == 0  # every calendar was read: the plan is whole, with estimated travel
    problems = json.loads(out)["problems"]
    assert problems == [
        {"source": "", "line": None, "severity": "warning", "text": said, "message": said}
    ]
    assert err == f"planner: warning: {said}\n"
    code = main(
        [
            "plan",
            "--commitments",
            str(DEMO / "commitments.ics"),
            "--candidates",
            str(DEMO / "candidates.ics"),
            "--settings",
            str(tmp_path / "routed.toml"),
            "--week",
            WEEK,
        ]
    )
    table = capsys.readouterr().out
    assert code == 0
    head = table.split("events proposed")[0]
    assert head.count("The router at") == 1
    assert "did not answer (connection refused)" in " ".join(head.split())


@pytest.mark.parametrize(
    ("failure", "said"),
    [("500", "answered HTTP 500"), ("slow", "did not answer within 0.3 s")],
)
def test_a_router_that_fails_or_hangs_is_said(tmp_path, router, failure, said, capsys):
    router.failure = failure
    code, out, _err = plan_with_router(tmp_path, router.url, capsys)
    assert code == 0
    (problem,) = json.loads(out)["problems"]
    assert problem["text"] == (f"The router at {router.url} {said}; travel times are estimates.")
    # The breaker stops asking after a few failures: a dead router does not cost every trip.
    assert 1 <= router.count <= 3


def test_a_router_that_answers_says_nothing(tmp_path, router, capsys):
    code, out, _err = plan_with_router(tmp_path, router.url, capsys)
    data = json.loads(out)
    assert code == 0
    assert data["problems"] == []
    assert router.count > 0  # it was asked


def test_planner_travel_says_the_router_did_not_answer(tmp_path, refused_url, capsys):
    settings = str(routed_settings(tmp_path, refused_url))
    trip = ["travel", "home", "43.6599,-79.3883", "--at", "2026-11-24T17:00"]
    assert main([*trip, "--settings", settings]) == 0
    text = capsys.readouterr().out
    said = f"The router at {refused_url} did not answer (connection refused)"
    assert "[estimate]" in text
    assert f"  note: {said}; travel times are estimates." in text
    assert main([*trip, "--settings", settings, "--json"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["source"] == "estimate"
    assert [p["text"] for p in answer["problems"]] == [f"{said}; travel times are estimates."]
    batch = tmp_path / "trips.csv"
    batch.write_text('from,to\nhome,"43.6599,-79.3883"\nhome,"43.7,-79.4"\n')
    assert main(["travel", "--batch", str(batch), "--settings", settings]) == 0
    out = capsys.readouterr()
    assert out.err.count("The router at") == 1  # once for the batch, not once a row
    assert len(out.out.splitlines()) == 2


def test_a_second_plan_does_not_wait_again_for_a_router_that_hung(tmp_path, router, capsys):
    """The window re-plans after every drag: a server that hung once must not cost the
    timeouts again on the next plan, which still says its travel times are estimates."""
    router.failure = "slow"
    plan_with_router(tmp_path, router.url, capsys)
    asked = router.count
    code, out, _err = plan_with_router(tmp_path, router.url, capsys)
    assert code == 0
    assert router.count == asked
    (problem,) = json.loads(out)["problems"]
    assert problem["text"].endswith("did not answer within 0.3 s; travel times are estimates.")


def test_a_second_plan_asks_a_router_nothing_it_already_answered(tmp_path, router, capsys):
    first = json.loads(plan_with_router(tmp_path, router.url, capsys)[1])
    asked = router.count
    second = json.loads(plan_with_router(tmp_path, router.url, capsys)[1])
    assert asked > 0 and router.count == asked
    assert second["candidates"] == first["candidates"] and second["problems"] == []

"""Did you go? ``planner attended EVENT --note TEXT`` and ``planner skipped EVENT`` on
the saved planning, run as the installed command, and ``planner history`` showing the
marks and notes (in text and JSON), the streak counting what was attended."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.e2e.test_cli_store import User, monday_of, online, today
from tests.feed_server import calendar

pytestmark = pytest.mark.e2e


@pytest.fixture
def user(tmp_path: Path) -> User:
    """A user with two lunch talks last week and one next week, as candidates."""
    me = User(tmp_path / "user")
    last = monday_of(today()) - timedelta(weeks=1)
    talks = tmp_path / "talks.ics"
    talks.write_bytes(
        calendar(
            online("a", "Lunch talk A", last + timedelta(days=1)),
            online("b", "Lunch talk B", last + timedelta(days=2)),
            online("c", "Lunch talk C", last + timedelta(days=15)),
        )
    )
    added = me.run("sources", "add", str(talks), "--role", "candidates")
    assert added.returncode == 0, added.stderr
    return me


def test_attended_with_a_note_then_history_shows_it_and_undo_takes_it_back(user: User) -> None:
    last = (monday_of(today()) - timedelta(weeks=1)).isoformat()
    went = user.run("attended", "talk A", "--week", last, "--note", "Met Ana; send the slides")
    assert went.returncode == 0, went.stderr
    lines = went.stdout.splitlines()
    assert lines[0].startswith("Marked “Lunch talk A” (")
    assert lines[0].endswith(") attended: Met Ana; send the slides.")
    assert lines[1] == "1 week in a row with networking."

    skipped = user.run("skipped", "b", "--week", last, "--json")
    assert skipped.returncode == 0, skipped.stderr
    data = json.loads(skipped.stdout)
    assert (data["key"], data["mark"], data["note"], data["changed"]) == ("b", "skipped", "", True)

    again = user.run("skipped", "lunch talk b")  # found in the history now, without --week
    assert again.returncode == 0, again.stderr
    assert (
        again.stdout.startswith("“Lunch talk B” (") and "is marked skipped already." in again.stdout
    )

    history = user.run("history", "--json")
    assert history.returncode == 0, history.stderr
    [week] = json.loads(history.stdout)["weeks"]
    assert week["week_start"] == last
    assert (week["planned"], week["attended"], week["skipped"]) == (0, 1, 1)
    events = {e["key"]: (e["status"], e["note"]) for e in week["events"]}
    assert events == {"a": ("attended", "Met Ana; send the slides"), "b": ("skipped", "")}

    text = user.run("history").stdout
    assert "0 planned, 1 attended, 1 skipped" in text
    assert "Lunch talk A (attended)\n" in text
    assert "note: Met Ana; send the slides\n" in text

    undone = user.run("undo")
    assert undone.returncode == 0, undone.stderr
    assert undone.stdout.startswith("Undone: Mark “Lunch talk B” skipped.")
    with user.store() as store:
        assert set(store.load_choices().marks) == {"a"}


def test_an_event_not_over_or_not_found_is_a_usage_error(user: User) -> None:
    ahead = (monday_of(today()) + timedelta(weeks=1)).isoformat()
    early = user.run("attended", "talk C", "--week", ahead)
    assert early.returncode == 2
    assert "“Lunch talk C” (" in early.stderr and "is not over yet" in early.stderr
    missing = user.run("skipped", "no such talk")
    assert missing.returncode == 2
    assert "no event in your history and this week matches “no such talk”" in missing.stderr
    with user.store() as store:
        assert not store.load_choices().marks

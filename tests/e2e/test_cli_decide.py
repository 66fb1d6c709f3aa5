"""Deciding without the window: ``planner commit``, ``refuse``, ``undecide``, ``rate``,
``undo`` and ``redo`` on the saved planning, run as the installed command.

Each test has its own data and config folders (``tests/e2e/test_cli_store.py``'s
``User``), holding the demo week's calendars as imported files and the demo settings as
the user's own settings file. What the window would do is done through the core session
over the same store, as the window does it.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from planner import resources
from planner.core import saved
from planner.core.model import Source
from planner.core.settings import load_settings
from tests.e2e.test_cli_store import User

pytestmark = pytest.mark.e2e

WEEK = "2026-11-23"  # the demo week
HDI = "HDI (Help Desk Institute) Toronto Local Chapter: November Member Meeting & Holiday Social"
TALKS = "Durham Tech: Lightning Talks & Pizza"  # proposed in the demo week
NIGHT_OWLS = "Remote DevOps Night Owls (Online)"  # proposed once the talks are refused
COFFEE_TUE = "evt-7fQk2LrX9pDm@lu.ma@2026-11-24T07:00:00-05:00"


@pytest.fixture
def user(tmp_path: Path) -> User:
    """A user whose saved planning reads the demo week's two calendars."""
    me = User(tmp_path / "user")
    calendars = tmp_path / "calendars"
    calendars.mkdir()
    for name in ("commitments", "candidates"):
        target = calendars / f"{name}.ics"
        target.write_bytes(resources.read_bytes("demo", f"{name}.ics"))
    settings = me.root / "config" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text(resources.read_text("demo", "settings.toml"), encoding="utf-8")
    with me.store() as store:
        store.save_sources(
            [
                Source(str(calendars / "commitments.ics"), "commitments"),
                Source(str(calendars / "candidates.ics"), "candidates"),
            ]
        )
    return me


def decided(user: User) -> tuple[set[str], set[str], dict[str, int]]:
    with user.store() as store:
        choices = store.load_choices()
    return set(choices.pinned), set(choices.refused), dict(choices.stars)


def plan_json(user: User) -> dict:
    result = user.run("plan", "--week", WEEK, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_refuse_by_part_of_the_title_re_plans_and_says_what_changed(user):
    result = user.run("refuse", "lightning talks", "--week", WEEK)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"Refused “{TALKS}” (Wed 25 Nov 19:30-20:30)."
    assert lines[1].endswith(TALKS) and lines[2].strip() == "[refused] you refused it"
    assert lines[3].startswith("Week of Mon 23 Nov 2026: 3 of 49 events proposed (optimal): ")
    assert lines[4] == (  # the window's sentence, then each change in full
        "Because you refused Durham Tech: Lightning Talks…: Remote DevOps Night Owls proposed."
    )
    assert lines[5] == "Now proposed:"
    assert lines[6] == f"  Thu 21:45-23:00    {NIGHT_OWLS}"
    assert "online; free; fits: online, no travel" in lines[7]
    refused = decided(user)[1]
    [key] = refused
    statuses = {c["key"]: c for c in plan_json(user)["candidates"]}
    assert statuses[key]["reason_code"] == "refused"

    again = user.run("refuse", TALKS, "--week", WEEK)  # the whole title, exact
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"“{TALKS}” is refused already; nothing changed.\n")
    assert decided(user)[1] == refused


def test_commit_by_key_and_json_gives_the_same_as_data(user):
    result = user.run("commit", COFFEE_TUE, "--week", WEEK, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["action"] == "commit" and data["changed"] is True
    assert (
        data["message"]
        == "Committed to “Durham Tech Virtual Coffee Hour” (Tue 24 Nov 07:00-07:45)."
    )
    assert data["event"]["key"] == COFFEE_TUE and data["event"]["status"] == "chosen"
    assert data["week_start"] == "2026-11-23T00:00:00-05:00"
    assert data["summary"].startswith("3 of 49 events proposed (optimal)")
    assert data["newly_proposed"] == [] and data["newly_left_out"] == []
    assert data["what_changed"] == (
        "You committed to Durham Tech Virtual Coffee Hour; nothing else changed."
    )
    assert decided(user)[0] == {COFFEE_TUE}


def test_an_ambiguous_title_lists_the_matches_and_decides_nothing(user):
    result = user.run("refuse", "coffee hour", "--week", WEEK)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "planner refuse: “coffee hour” matches 2 events in the week of Mon 23 Nov 2026; "
        "give more of the title, or the key:"
    )
    assert (
        lines[1]
        == f"  Tue 24 Nov 07:00-07:45    Durham Tech Virtual Coffee Hour  (key: {COFFEE_TUE})"
    )
    assert lines[2].startswith(
        "  Fri 27 Nov 07:00-07:45    Durham Tech Virtual Coffee Hour  (key: "
    )
    assert decided(user) == (set(), set(), {})


def test_no_match_and_a_commitment_are_usage_errors_in_a_sentence(user):
    missing = user.run("commit", "no such event", "--week", WEEK)
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        "planner commit: no candidate in the week of Mon 23 Nov 2026 matches “no such event” "
        "(its key, uid or part of its title); `planner plan --week 2026-11-23` lists them"
    )
    hockey = user.run("refuse", "hockey", "--week", WEEK)
    assert hockey.returncode == 2
    assert "is one of your commitments, not a candidate" in hockey.stderr
    assert hockey.stderr.startswith("planner refuse: “Hockey – Whitby Men's League")
    bad_stars = user.run("rate", "talks", "7", "--week", WEEK)
    assert bad_stars.returncode == 2
    assert "'7' is not a number of stars from 0 to 5, nor `clear`" in bad_stars.stderr
    assert decided(user) == (set(), set(), {})


def test_rate_then_clear_the_rating(user):
    rated = user.run("rate", "lightning talks", "1", "--week", WEEK)
    assert rated.returncode == 0, rated.stderr
    assert rated.stdout.startswith(f"Rated “{TALKS}” (Wed 25 Nov 19:30-20:30) 1 star.\n")
    [(key, stars)] = decided(user)[2].items()
    assert stars == 1
    cleared = user.run("rate", "lightning talks", "clear", "--week", WEEK)
    assert cleared.returncode == 0, cleared.stderr
    assert cleared.stdout.startswith(f"Cleared your stars for “{TALKS}”")
    assert decided(user)[2] == {}
    again = user.run("rate", "lightning talks", "clear", "--week", WEEK)
    assert again.stdout.startswith(f"“{TALKS}” has no stars of yours to clear; nothing changed.")
    assert key


def test_rate_0_means_not_interested_as_in_the_window(user):
    """The window's digit 0 gives an event no stars, so it is worth nothing and never
    proposed; the terminal's 0 is the same decision (one policy for both)."""
    rated = user.run("rate", "lightning talks", "0", "--week", WEEK, "--json")
    assert rated.returncode == 0, rated.stderr
    [(_key, stars)] = decided(user)[2].items()
    assert stars == 0
    plan = json.loads(user.run("plan", "--week", WEEK, "--json").stdout)
    (talks,) = [c for c in plan["candidates"] if c["summary"] == TALKS]
    assert talks["status"] == "left_out" and talks["value"] == 0


def test_undo_and_redo_share_the_windows_history(user):
    # The window commits to HDI (through the core session, on the same store).
    settings_file = user.root / "config" / "settings.toml"
    with user.store() as store:
        window = saved.open_session(
            store, load_settings(settings_file), settings_path=settings_file
        )
        _s, _w, plan = window.plan(window.state, date.fromisoformat(WEEK))
        hdi = next(d.event for d in plan.decisions if d.event.summary == HDI)
        window.pin(hdi)
    refused = user.run("refuse", "lightning talks", "--week", WEEK)
    assert refused.returncode == 0, refused.stderr

    undone = user.run("undo")  # the week of the change, without --week
    assert undone.returncode == 0, undone.stderr
    assert undone.stdout.startswith(f"Undone: Refuse “{TALKS}”.\nWeek of Mon 23 Nov 2026: ")
    assert (
        f"\nBecause you undid “Refuse {TALKS}”: Remote DevOps Night Owls left out (over your "
        "6 h).\n" in undone.stdout
    )
    assert f"Now proposed:\n  Wed 19:30-20:30    {TALKS}" in undone.stdout
    assert f"Now left out:\n  Thu 21:45-23:00    {NIGHT_OWLS}" in undone.stdout
    assert decided(user)[:2] == ({hdi.key}, set())

    window_change = user.run("undo", "--json")  # then the window's own commitment
    assert window_change.returncode == 0, window_change.stderr
    assert (
        json.loads(window_change.stdout)["message"]
        == "Undone: Commit to “HDI (Help Desk Institute) Toronto Local…”."
    )
    assert decided(user)[:2] == (set(), set())
    assert user.run("undo").returncode == 1  # nothing left
    assert user.run("undo").stderr.strip() == "Nothing to undo."

    redone = user.run("redo")
    assert redone.returncode == 0, redone.stderr
    assert redone.stdout.startswith("Redone: Commit to “HDI")
    with user.store() as store:  # and the window, opened now, can undo it again
        window = saved.open_session(
            store, load_settings(settings_file), settings_path=settings_file
        )
        assert window.undo_label == "Commit to “HDI (Help Desk Institute) Toronto Local…”"
        assert window.redo_label == f"Refuse “{TALKS}”"


def test_deciding_needs_a_saved_planning(tmp_path):
    empty = User(tmp_path / "empty")
    result = empty.run("commit", "anything")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("planner commit: your saved planning has no events yet")
    nothing = empty.run("undo")
    assert nothing.returncode == 1 and nothing.stderr.strip() == "Nothing to undo."


def test_undecide_leaves_a_committed_event_to_the_planner_again(user):
    assert user.run("commit", "coffee hour", "--week", "2026-11-27").returncode == 2  # two
    committed = user.run("commit", COFFEE_TUE, "--week", WEEK)
    assert committed.returncode == 0, committed.stderr
    left = user.run("undecide", COFFEE_TUE, "--week", WEEK)
    assert left.returncode == 0, left.stderr
    assert left.stdout.startswith(
        "Left to the planner: “Durham Tech Virtual Coffee Hour” (Tue 24 Nov 07:00-07:45).\n"
    )
    assert decided(user) == (set(), set(), {})
    again = user.run("undecide", COFFEE_TUE, "--week", WEEK)
    assert again.returncode == 0
    assert (
        "is left to the planner already (neither committed to nor refused); nothing changed."
        in again.stdout
    )

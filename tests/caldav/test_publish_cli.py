"""``planner publish URL --user NAME``: its output and exit codes, against real servers."""

import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner import resources
from tests.caldav_servers import CalDAVServer
from tests.e2e.test_cli import planner_command
from tests.e2e.test_cli_store import User

WEEK = "2026-11-23"


@dataclass
class Planner(User):
    """A user whose saved planning reads the demo calendars, with the demo settings."""

    settings: str = ""


@pytest.fixture
def planner_user(tmp_path: Path) -> Planner:
    user = Planner(tmp_path / "user")
    folder = tmp_path / "calendars"
    folder.mkdir()
    for name in ("commitments.ics", "candidates.ics", "settings.toml"):
        (folder / name).write_bytes(resources.read_bytes("demo", name))
    settings = str(folder / "settings.toml")
    for role in ("commitments", "candidates"):
        added = user.run(
            "sources", "add", str(folder / f"{role}.ics"), "--role", role, "--settings", settings
        )
        assert added.returncode == 0, added.stderr
    user.settings = settings
    return user


def publish(
    user: Planner, server: CalDAVServer, url: str, *more: str, password: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``planner publish URL --user sam --week 2026-11-23``, the password in the environment
    (no terminal: never asked)."""
    user_env = user.env | {"PLANNER_CALDAV_PASSWORD": password or server.password}
    return subprocess.run(
        [
            planner_command(),
            "publish",
            url,
            "--user",
            server.user,
            "--week",
            WEEK,
            *more,
            "--settings",
            user.settings,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env=user_env,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def test_publish_says_what_it_did_and_twice_changes_nothing(
    caldav_server: CalDAVServer, planner_user: Planner
) -> None:
    url = caldav_server.calendar_url("planner")
    first = publish(planner_user, caldav_server, url)
    assert first.returncode == 0, first.stderr
    assert first.stdout == (
        f"Made the calendar planner at {url}.\n"
        "Published week of Mon 23 Nov to planner (127.0.0.1): 7 added, 0 moved, 0 removed, "
        "0 unchanged.\n"
    )
    again = publish(planner_user, caldav_server, url)
    assert again.returncode == 0, again.stderr
    assert again.stdout == (
        "Published week of Mon 23 Nov to planner (127.0.0.1): 0 added, 0 moved, 0 removed, "
        "7 unchanged.\n"
    )
    assert caldav_server.password not in again.stdout + again.stderr


def test_a_server_down_exits_1_says_each_event_and_the_next_publish_catches_up(
    caldav_server: CalDAVServer, planner_user: Planner
) -> None:
    url = caldav_server.calendar_url("planner")
    caldav_server.unavailable()
    down = publish(planner_user, caldav_server, url)
    assert down.returncode == 1
    assert "Could not publish week of Mon 23 Nov" in down.stdout
    lines = [line for line in down.stderr.splitlines() if "not published" in line]
    assert len(lines) == 7
    assert lines[0].startswith("planner publish: “")
    assert lines[0].endswith(
        "not published: the server failed (503); it asks to try again in 120 s"
    )
    assert "7 not written; kept to publish again" in down.stderr
    caldav_server.heal()
    back = publish(planner_user, caldav_server, url)
    assert back.returncode == 0, back.stderr
    assert "7 added" in back.stdout
    with planner_user.store() as store:
        assert store.publish_waiting() == []


def test_bad_use_exits_2(caldav_server: CalDAVServer, planner_user: Planner) -> None:
    not_a_calendar = caldav_server.url.rstrip("/") + caldav_server.home
    result = publish(planner_user, caldav_server, not_a_calendar)
    assert result.returncode == 2
    assert result.stderr.strip().endswith("not a calendar (a CalDAV calendar collection is needed)")
    assert result.stdout == ""
    empty = Planner(planner_user.root.parent / "new user", settings=planner_user.settings)
    nothing = publish(empty, caldav_server, caldav_server.calendar_url("planner"))
    assert nothing.returncode == 2
    assert "nothing to publish" in nothing.stderr
    wrong = publish(planner_user, caldav_server, "ftp://example.org/cal/")
    assert wrong.returncode == 2
    assert "not an http(s) address" in wrong.stderr


def test_a_plain_http_address_of_another_machine_is_bad_use_and_not_queued(
    caldav_server: CalDAVServer, planner_user: Planner
) -> None:
    """planner never sends the password there: no publish can ever succeed, so it is not
    kept in the queue to be tried again at every refresh."""
    url = "http://cloud.example.com/remote.php/dav/calendars/sam/planner/"
    result = publish(planner_user, caldav_server, url)
    assert result.returncode == 2
    assert result.stderr == (
        f"planner publish: {url}: cloud.example.com is not on https: planner sends a password "
        "only over an encrypted connection (use the https:// address)\n"
    )
    assert result.stdout == ""
    with planner_user.store() as store:
        assert store.publish_waiting() == []


def test_a_wrong_password_exits_1_and_is_said(
    caldav_server: CalDAVServer, planner_user: Planner
) -> None:
    url = caldav_server.calendar_url("planner")
    result = publish(planner_user, caldav_server, url, password="wrong")
    assert result.returncode == 1
    assert "401" in result.stderr
    assert "wrong" not in result.stdout + result.stderr


def test_a_password_written_in_the_address_is_used_and_never_said(
    caldav_server: CalDAVServer, planner_user: Planner
) -> None:
    url = caldav_server.calendar_url("planner")
    scheme, rest = url.split("://", 1)
    given = f"{scheme}://{caldav_server.user}:{caldav_server.password}@{rest}"
    result = publish(planner_user, caldav_server, given, password="not the password")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Made the calendar planner at {url}.\n")
    assert caldav_server.password not in result.stdout + result.stderr


def test_refresh_publishes_the_weeks_waiting(caldav_server: CalDAVServer, planner_user) -> None:
    url = caldav_server.calendar_url("planner")
    caldav_server.stop()
    assert publish(planner_user, caldav_server, url).returncode == 1
    caldav_server.start()
    env = planner_user.env | {"PLANNER_CALDAV_PASSWORD": caldav_server.password}
    refreshed = subprocess.run(
        [planner_command(), "refresh", "--settings", planner_user.settings],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert refreshed.returncode == 0, refreshed.stderr
    assert (
        f"Made the calendar planner at {url}.\n"
        "Published week of Mon 23 Nov to planner (127.0.0.1): 7 added, 0 moved, 0 removed, "
        "0 unchanged.\n"
    ) in refreshed.stdout
    with planner_user.store() as store:
        assert store.publish_waiting() == []

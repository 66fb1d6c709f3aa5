"""``planner sources add URL --caldav …`` and ``planner refresh`` against real servers: the
contract scripts rely on (output, exit codes), and the password kept out of every file."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import keyring
import pytest

from planner.cli.main import main
from planner.core.caldav import credentials
from planner.core.storage import feed_credentials
from tests.caldav_servers import CalDAVServer, vevent
from tests.memory_keyring import MemoryKeyring

# The command line reads from now on: the events are in the coming days.
SOON = (date.today() + timedelta(days=2)).strftime("%Y%m%d")
LATER = (date.today() + timedelta(days=3)).strftime("%Y%m%d")
STANDUP = vevent("standup", "Standup", f"{SOON}T090000", f"{SOON}T093000")
REVIEW = vevent("review", "Design review", f"{LATER}T140000", f"{LATER}T150000")


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, planner_logger) -> Path:
    """A store, settings and log of the test's own; no password anywhere yet. (planner.log
    in this test's folder: ``planner_logger`` sets aside a handler an earlier test left.)"""
    for name in ("DATA", "CONFIG", "LOG"):
        monkeypatch.setenv(f"PLANNER_{name}_DIR", str(tmp_path / name.lower()))
    monkeypatch.delenv(credentials.PASSWORD_VARIABLE, raising=False)
    monkeypatch.setattr(feed_credentials, "_memory", {})
    return tmp_path


def add(server: CalDAVServer, url: str = "", *extra: str) -> int:
    argv = ["sources", "add", url or server.url, "--caldav", "--user", server.user]
    return main([*argv, "--role", "commitments", *extra])


def test_a_server_with_several_calendars_lists_them_and_exits_2(
    caldav_server: CalDAVServer, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(credentials.PASSWORD_VARIABLE, caldav_server.password)
    caldav_server.make_calendar("work", [STANDUP], display_name="Work")
    caldav_server.make_calendar("family", display_name="Family")
    assert add(caldav_server) == 2
    out, err = capsys.readouterr()
    listed = {line.split()[0]: line.split()[1] for line in out.splitlines()}
    assert listed["Work"] == caldav_server.home + "work/"
    assert listed["Family"] == caldav_server.home + "family/"
    assert "of events; choose one with --calendar NAME (listed above)" in err
    assert main(["sources", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["sources"] == []  # nothing was added

    assert add(caldav_server, "", "--calendar", "Nothing") == 2
    assert "no calendar of events is named 'Nothing'" in capsys.readouterr().err


def test_a_calendar_chosen_by_name_is_added_and_read(
    caldav_server: CalDAVServer, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(credentials.PASSWORD_VARIABLE, caldav_server.password)
    caldav_server.make_calendar("work", [STANDUP, REVIEW], display_name="Work")
    caldav_server.make_calendar("family", display_name="Family")
    assert add(caldav_server, "", "--calendar", "work") == 0
    out = capsys.readouterr().out
    assert out.startswith("Added Work (127.0.0.1) as commitments: read, 2 events ahead;")
    assert main(["sources", "--json"]) == 0
    (row,) = json.loads(capsys.readouterr().out)["sources"]
    assert (row["name"], row["role"], row["caldav"], row["has_copy"]) == (
        "Work (127.0.0.1)",
        "commitments",
        True,
        True,
    )
    assert row["location"] == caldav_server.calendar_url("work").replace("//", "//sam@", 1)


def test_a_calendar_address_is_added_as_it_is(caldav_server: CalDAVServer, monkeypatch, capsys):
    monkeypatch.setenv(credentials.PASSWORD_VARIABLE, caldav_server.password)
    url = caldav_server.make_calendar("work", [STANDUP], display_name="Work")
    caldav_server.make_calendar("family", display_name="Family")
    assert add(caldav_server, url) == 0
    assert "Added Work (127.0.0.1) as commitments: read, 1 event ahead" in capsys.readouterr().out


def test_refresh_says_what_changed_and_a_server_gone_exits_1(
    caldav_server: CalDAVServer, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(credentials.PASSWORD_VARIABLE, caldav_server.password)
    url = caldav_server.make_calendar("work", [STANDUP], display_name="Work")
    assert add(caldav_server, url) == 0
    caldav_server.put("work", REVIEW)
    capsys.readouterr()
    assert main(["refresh", "--all"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "Work (127.0.0.1): 1 new (incremental)"

    caldav_server.stop()
    assert main(["refresh", "--all"]) == 1
    said = capsys.readouterr()
    assert "planner refresh: 1 of 1 calendar failed; their last copies are kept" in said.err
    first = said.out.splitlines()[0]
    assert first.startswith(
        "error: Work (127.0.0.1) did not answer (the connection was refused); "
        "planning with the copy from "
    )


def test_bad_use_exits_2(caldav_server: CalDAVServer, capsys) -> None:
    caldav_server.make_calendar("work", [STANDUP], display_name="Work")
    # No password anywhere, and no terminal to ask on.
    assert add(caldav_server) == 2
    assert "no password for sam@127.0.0.1" in capsys.readouterr().err
    assert main(["sources", "add", caldav_server.url, "--user", "sam", "--role", "candidates"]) == 2
    assert "--user and --calendar are for a CalDAV account" in capsys.readouterr().err


def test_a_plain_http_address_of_another_machine_is_bad_use(
    caldav_server: CalDAVServer, monkeypatch, capsys
) -> None:
    """planner never sends the password there: exit 2 (bad use), not 1 (a server failed)."""
    monkeypatch.setenv("PLANNER_CALDAV_PASSWORD", caldav_server.password)
    assert add(caldav_server, "http://cloud.example.com/remote.php/dav") == 2
    assert capsys.readouterr().err == (
        "planner sources add: cloud.example.com is not on https: planner sends a password "
        "only over an encrypted connection (use the https:// address)\n"
    )


def test_a_wrong_password_exits_1_naming_the_server(
    caldav_server: CalDAVServer, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(credentials.PASSWORD_VARIABLE, "not the password")
    assert add(caldav_server) == 1
    assert capsys.readouterr().err.strip() == (
        "planner sources add: 127.0.0.1 refused the user name or password of sam (401)"
    )


def test_the_password_is_in_no_file_after_a_sync_and_a_failure(
    caldav_server: CalDAVServer, home: Path, monkeypatch, capsys
) -> None:
    found = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(found)
    try:
        monkeypatch.setattr("sys.stdin.isatty", lambda: True)
        monkeypatch.setattr("getpass.getpass", lambda prompt: caldav_server.password)
        monkeypatch.setattr("builtins.input", lambda prompt: "y")
        url = caldav_server.make_calendar("work", [STANDUP], display_name="Work")
        settings = home / "settings.toml"
        settings.write_text('[general]\ntimezone = "America/Toronto"\n', encoding="utf-8")
        assert add(caldav_server, url, "--settings", str(settings)) == 0
        out = capsys.readouterr().out
        assert "the password is kept in the system keyring" in out
        assert caldav_server.password not in out
        account = credentials.account(url, caldav_server.user)
        assert found.passwords == {(credentials.SERVICE, account): caldav_server.password}

        # From now on the keyring gives it: no prompt.
        monkeypatch.setattr("getpass.getpass", lambda prompt: pytest.fail("asked again"))
        caldav_server.put("work", REVIEW)
        assert main(["refresh", "--all", "--settings", str(settings)]) == 0
        caldav_server.unavailable()
        assert main(["refresh", "--all", "--settings", str(settings)]) == 1
        caldav_server.heal()
        # A token the server does not know: a warning in planner.log, and a whole read.
        from planner.core.saved import open_store

        with open_store() as store:
            (location,) = store.caldav.locations()
            store.caldav.synced(
                location, sync_token="gone", ctag="", kind="", when=datetime.now(UTC)
            )
        assert main(["refresh", "--all", "--settings", str(settings)]) == 0
        assert main(["backup", str(home / "backup.sqlite3"), "--settings", str(settings)]) == 0
    finally:
        keyring.set_keyring(previous)
    secret = caldav_server.password.encode()
    files = [p for p in home.rglob("*") if p.is_file() and caldav_server.folder not in p.parents]
    names = {p.name for p in files}
    assert {"backup.sqlite3", "settings.toml", "planner.log"} <= names
    log = (home / "log" / "planner.log").read_text(encoding="utf-8")
    assert "no longer knows the sync-token" in log
    assert any(n.endswith(".sqlite3") and n != "backup.sqlite3" for n in names)
    for path in files:
        assert secret not in path.read_bytes(), path
        assert secret.hex().encode() not in path.read_bytes(), path


def test_a_calendar_removed_and_brought_back_by_undo_is_still_read_as_caldav(
    caldav_server: CalDAVServer, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(credentials.PASSWORD_VARIABLE, caldav_server.password)
    url = caldav_server.make_calendar("work", [STANDUP], display_name="Work")
    assert add(caldav_server, url) == 0
    location = url.replace("//", "//sam@", 1)
    assert main(["sources", "remove", location]) == 0
    assert main(["undo"]) == 0
    capsys.readouterr()
    assert main(["refresh", "--all"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "Work (127.0.0.1): 1 new (whole calendar read)"
    )

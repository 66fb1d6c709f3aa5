"""The installed ``planner`` with hostile feeds: one failing feed among others, and a
password typed in a feed's address, which must never be shown, logged, stored or backed up.

The machine running the tests has no usable keyring (``tests/conftest.py`` makes
``keyring`` use its "fail" backend), as on a headless server: the password then lasts
for the run that was given it, and later runs take it from ``PLANNER_FEED_PASSWORD``.
"""

import json
from datetime import timedelta
from pathlib import Path

import pytest

from tests.e2e.test_cli_store import User, at, today
from tests.feed_server import Reply, calendar, vevent

pytestmark = pytest.mark.e2e

SECRET = "Tr0ub4dor-and-3"


@pytest.fixture
def user(tmp_path: Path) -> User:
    return User(tmp_path / "user")


def test_one_bad_feed_among_three_is_reported_and_the_others_are_refreshed(user, site):
    day = today() + timedelta(days=3)
    good = calendar(vevent("m1", "Meetup", at(day, 18), at(day, 20)))
    for path in ("/a.ics", "/b.ics", "/c.ics"):
        site.replies[path] = Reply(good)
    urls = [site.url(p) for p in ("/a.ics", "/b.ics", "/c.ics")]
    added = user.run("sources", "add", *urls, "--role", "candidates")
    assert added.returncode == 0, added.stderr
    site.requests.clear()
    # A Content-Length of "²" used to stop the whole refresh with a traceback at /b.ics.
    site.replies["/b.ics"] = Reply(good, headers=(("Content-Length", "²"),))

    result = user.run("refresh", "--all")
    assert result.returncode == 1
    assert [path for path, _ in site.requests] == ["/a.ics", "/b.ics", "/c.ics"]
    lines = result.stdout.splitlines()
    name = urls[1].split("://")[1]
    assert lines[:3] == [
        f"{urls[0].split('://')[1]}: no change",
        f"{name}: error: 127.0.0.1 sent an invalid Content-Length header ('²'); stopped; "
        f"keeping the copy from {lines[1].rsplit('from ', 1)[1]}",
        f"{urls[2].split('://')[1]}: no change",
    ]
    assert "planner refresh: 1 of 3 feeds failed; their last copies are kept" in result.stderr
    listed = user.run("sources").stdout
    assert "last error: 127.0.0.1 sent an invalid Content-Length header" in listed


def test_a_password_in_a_feed_address_is_used_and_never_kept_in_clear(user, site, tmp_path):
    logs = tmp_path / "logs"
    user_env = user.env | {"PLANNER_LOG_DIR": str(logs)}
    day = today() + timedelta(days=3)
    site.replies["/private.ics"] = Reply(
        calendar(vevent("p1", "Members only", at(day, 18), at(day, 20))),
        password=("sam", SECRET),
    )
    typed = site.url("/private.ics").replace("http://", f"http://sam:{SECRET}@")
    kept = site.url("/private.ics").replace("http://", "http://sam@")
    outputs = []

    def run(*args: str, **env: str):
        import subprocess

        from tests.e2e.test_cli import planner_command

        result = subprocess.run(
            [planner_command(), *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=user_env | env,
            check=False,
        )
        assert "Traceback" not in result.stderr, result.stderr
        outputs.append(result.stdout + result.stderr)
        return result

    added = run("sources", "add", typed, "--role", "candidates")
    assert added.returncode == 0, added.stderr
    name = kept.split("://")[1]
    assert added.stdout.splitlines() == [
        f"{name}: no system keyring is available, so the password is kept for this run "
        "only; set PLANNER_FEED_PASSWORD to give it to later runs.",
        f"Added {name} as candidates: downloaded, 1 event ahead; "
        f"next refresh {added.stdout.rsplit('next refresh ', 1)[1].strip()}",
    ]
    assert site.requests[-1][1]["Authorization"].startswith("Basic ")
    listed = run("sources")
    assert listed.stdout.splitlines()[0] == f"candidates   {kept}"
    run("sources", "--json")

    # A later run has no password (no keyring here) and says how to give one.
    again = run("refresh", "--all")
    assert again.returncode == 1
    assert "refused access (HTTP 401 Unauthorized)" in again.stdout
    assert "planner has no password for sam" in again.stdout
    assert run("refresh", "--all", PLANNER_FEED_PASSWORD=SECRET).returncode == 0

    backup = tmp_path / "backup.sqlite3"
    assert run("backup", str(backup)).returncode == 0
    # Removed by the address as typed, password and all: the message names it without.
    removed = run("sources", "remove", typed)
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout.startswith(f"Removed {kept};")
    assert SECRET not in "".join(outputs)
    files = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert backup in files and user.store_path in files
    for path in files:
        assert SECRET.encode() not in path.read_bytes(), path


def test_a_feed_redirected_to_another_host_is_read_and_listed_with_where(user, site):
    day = today() + timedelta(days=3)
    elsewhere = site.base.replace("127.0.0.1", "localhost") + "/moved.ics"
    site.replies["/feed.ics"] = Reply(status=302, location=elsewhere)
    site.replies["/moved.ics"] = Reply(calendar(vevent("m1", "Meetup", at(day, 18), at(day, 20))))
    added = user.run("sources", "add", site.url("/feed.ics"), "--role", "candidates")
    assert added.returncode == 0, added.stderr
    assert "downloaded, 1 event ahead" in added.stdout
    listed = user.run("sources").stdout.splitlines()
    assert f"             the server sends planner to another host: {elsewhere}" in listed
    data = json.loads(user.run("sources", "--json").stdout)
    assert data["sources"][0]["redirected_to"] == elsewhere

    site.replies["/feed.ics"] = Reply(status=302, location="ftp://127.0.0.1/feed.ics")
    refused = user.run("refresh", "--all")
    assert refused.returncode == 1
    assert (
        "redirected to another kind of address (ftp:); planner follows only http" in refused.stdout
    )

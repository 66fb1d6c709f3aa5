"""Finding calendars on real CalDAV servers (Radicale and Xandikos on 127.0.0.1)."""

import pytest

from planner.core.caldav.discovery import discover, make_calendar
from planner.core.caldav.session import CalDAVError, Session, Timeouts
from tests.caldav_servers import CalDAVServer, vevent

QUICK = Timeouts(connect=2, total=5)


def session(server: CalDAVServer, url: str = "", password: str | None = None) -> Session:
    return Session(url or server.url, server.user, password or server.password, QUICK)


def test_the_calendars_are_found_from_the_server_root(caldav_server: CalDAVServer) -> None:
    work = caldav_server.make_calendar("work", display_name="Work")
    caldav_server.make_calendar("todo", display_name="Chores")
    with session(caldav_server) as s:
        found = discover(s)
    by_name = {c.name: c for c in found.calendars}
    assert by_name["Work"].url == work
    assert by_name["Work"].has_events
    assert "Chores" in by_name
    assert found.home.endswith(caldav_server.home)
    assert found.can_make_calendar
    assert not found.given_is_calendar


def test_the_calendars_are_found_through_the_well_known_address(
    caldav_server: CalDAVServer,
) -> None:
    caldav_server.make_calendar("work", display_name="Work")
    with session(caldav_server, caldav_server.url + ".well-known/caldav") as s:
        found = discover(s)
    assert "Work" in [c.name for c in found.calendars]
    assert ("PROPFIND", "/.well-known/caldav") in s.requests


def test_a_calendar_address_is_used_as_it_is(caldav_server: CalDAVServer) -> None:
    event = vevent("a1", "Standup", "20261208T090000", "20261208T093000")
    work = caldav_server.make_calendar("work", [event], display_name="Work")
    with session(caldav_server, work) as s:
        found = discover(s)
    assert found.given_is_calendar
    assert [(c.name, c.url) for c in found.calendars] == [("Work", work)]
    assert found.calendars[0].ctag or found.calendars[0].sync_token
    assert len(s.requests) == 1


def test_a_calendar_is_chosen_by_name_or_path(caldav_server: CalDAVServer) -> None:
    caldav_server.make_calendar("work", display_name="Work")
    caldav_server.make_calendar("family", display_name="Family")
    with session(caldav_server) as s:
        found = discover(s)
    assert [c.name for c in found.choose("work")] == ["Work"]
    assert [c.name for c in found.choose("family")] == ["Family"]
    assert found.choose("nothing") == []


def test_planner_makes_its_own_calendar(caldav_server: CalDAVServer) -> None:
    with session(caldav_server) as s:
        found = discover(s)
        made = make_calendar(s, found.home, "planner")
        again = discover(s)
    assert made.url in [c.url for c in again.calendars]
    assert "planner" in [c.name for c in again.calendars]


def test_a_wrong_password_is_said(caldav_server: CalDAVServer) -> None:
    with session(caldav_server, password="not it") as s, pytest.raises(CalDAVError) as caught:
        discover(s)
    assert caught.value.kind == "auth"
    assert s.error(caught.value) == "127.0.0.1 refused the user name or password of sam (401)"


def test_another_users_calendar_is_forbidden_in_words(radicale: CalDAVServer) -> None:
    # Radicale's owner_only rights: sam may not read bob's collections.
    with session(radicale, radicale.url + "bob/work/") as s, pytest.raises(CalDAVError) as caught:
        discover(s)
    assert caught.value.kind == "forbidden"
    assert s.error(caught.value) == "127.0.0.1 does not let sam read /bob/work/ (403)"


def test_a_plain_http_address_of_another_machine_is_said_as_such() -> None:
    """Not "does not say where the calendars are": the address itself is why (the window's
    Find calendars says this sentence)."""
    with (
        Session("http://cloud.example.com/remote.php/dav", "sam", "secret", QUICK) as s,
        pytest.raises(CalDAVError) as caught,
    ):
        discover(s)
    assert s.error(caught.value) == (
        "cloud.example.com is not on https: planner sends a password only over an encrypted "
        "connection (use the https:// address)"
    )
    assert s.requests == []

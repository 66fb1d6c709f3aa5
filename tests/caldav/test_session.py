"""The CalDAV session's rules about the password, against a real HTTP server on 127.0.0.1:
redirects followed only on the same host, never to another one; no password over plain
http to another machine; a calendar home on another host only within the same service."""

import base64

import pytest

from planner.core.caldav.session import CalDAVError, Origin, Session, Timeouts, _partition_of
from tests.feed_server import Reply, Site

QUICK = Timeouts(connect=2, total=5)
SECRET = "sEss10n-Pa55"


def basic() -> str:
    return "Basic " + base64.b64encode(f"sam:{SECRET}".encode()).decode()


def test_a_redirect_on_the_same_host_is_followed_with_the_password(site: Site) -> None:
    site.replies["/dav/"] = Reply(status=301, location="/dav/home/")
    site.replies["/dav/home/"] = Reply(b"ok", password=("sam", SECRET))
    with Session(site.url("/dav/"), "sam", SECRET, QUICK) as session:
        answer = session.request("GET", "/dav/")
    assert (answer.status, answer.body, answer.url) == (200, b"ok", site.url("/dav/home/"))
    assert [path for path, _ in site.requests] == ["/dav/", "/dav/home/"]
    assert site.requests[1][1]["Authorization"] == basic()


def test_a_redirect_to_another_host_is_never_followed(site: Site) -> None:
    elsewhere = site.base.replace("127.0.0.1", "localhost") + "/stolen/"
    site.replies["/dav/"] = Reply(status=302, location=elsewhere)
    site.replies["/stolen/"] = Reply(b"got it")
    with (
        Session(site.url("/dav/"), "sam", SECRET, QUICK) as session,
        pytest.raises(CalDAVError) as caught,
    ):
        session.request("GET", "/dav/")
    assert caught.value.kind == "redirect"
    assert session.error(caught.value).startswith(
        "127.0.0.1 sent planner to another address (http://localhost); planner never sends "
        "your password to a host you did not give"
    )
    assert [path for path, _ in site.requests] == ["/dav/"]


def test_an_address_on_another_host_is_not_asked_with_the_password(site: Site) -> None:
    other = site.base.replace("127.0.0.1", "localhost") + "/calendars/"
    with (
        Session(site.url("/dav/"), "sam", SECRET, QUICK) as session,
        pytest.raises(CalDAVError) as caught,
    ):
        session.request("PROPFIND", other, depth="1")
    assert caught.value.kind == "redirect"
    assert site.requests == []


def test_no_password_over_plain_http_to_another_machine() -> None:
    with (
        Session("http://cloud.example.com/dav/", "sam", SECRET, QUICK) as session,
        pytest.raises(CalDAVError) as caught,
    ):
        session.request("PROPFIND", "/dav/", depth="0")
    assert session.error(caught.value) == (
        "cloud.example.com is not on https: planner sends a password only over an encrypted "
        "connection (use the https:// address)"
    )
    assert session.requests == []


@pytest.mark.parametrize(
    ("here", "there", "allowed"),
    [
        ("https://caldav.icloud.com/", "https://p42-caldav.icloud.com/123/calendars/", True),
        ("https://caldav.fastmail.com/", "https://www.fastmail.com/dav/", True),
        ("https://cal.example.co.uk/", "https://evil.co.uk/", False),
        ("https://caldav.icloud.com/", "https://icloud.com.evil.net/", False),
        ("https://caldav.icloud.com/", "http://p42-caldav.icloud.com/", False),
        ("https://10.0.0.2/", "https://10.0.0.3/", False),
    ],
)
def test_a_calendar_home_on_another_host_only_within_the_same_service(
    here: str, there: str, allowed: bool
) -> None:
    assert _partition_of(Origin.of(here), Origin.of(there)) is allowed

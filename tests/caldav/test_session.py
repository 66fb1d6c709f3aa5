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


def test_a_calendar_home_given_with_its_host_is_asked_of_that_host() -> None:
    from planner.core.caldav import dav

    answer = b"""<?xml version="1.0"?>
<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">
 <d:response><d:href>/123/principal/</d:href><d:propstat><d:prop>
  <c:calendar-home-set><d:href>https://p42-caldav.icloud.com:443/123/calendars/</d:href>
  </c:calendar-home-set>
  <d:current-user-principal><d:href>/123/principal/</d:href></d:current-user-principal>
 </d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>
</d:multistatus>"""
    (resource,) = dav.read_multistatus(answer, "the principal").resources
    # iCloud answers at caldav.icloud.com and keeps the account's calendars on pNN-…: the
    # host stays in the address (it was cut to the path, and asked of the wrong host).
    assert resource.hrefs(dav.CALDAV, "calendar-home-set") == [
        "https://p42-caldav.icloud.com:443/123/calendars/"
    ]
    assert resource.hrefs(dav.DAV, "current-user-principal") == ["/123/principal/"]


def test_the_password_is_kept_for_calendars_on_another_host_of_the_account(monkeypatch) -> None:
    from planner.core.caldav import credentials
    from planner.core.storage import feed_credentials

    monkeypatch.delenv(credentials.PASSWORD_VARIABLE, raising=False)
    monkeypatch.setattr(feed_credentials, "_memory", {})
    asked = "https://caldav.icloud.com/"
    there = "https://p42-caldav.icloud.com/123/calendars/home/"
    credentials.keep_for_calendars(asked, "sam", SECRET, [there, asked], keyring_too=False)
    assert credentials.password(there, "sam") == SECRET
    assert credentials.password(asked, "sam") is None  # kept by the caller, as it chooses

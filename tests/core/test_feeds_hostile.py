"""Feeds under a hostile server (a real one on 127.0.0.1): trickled bytes, gzip bombs,
odd redirects and headers, a crash on one feed, and passwords that must stay secret.

The limits that are minutes in use (120 s in all) are parameters here, so every
test runs in a fraction of a second; nothing sleeps to wait for a thread.
"""

import base64
import gzip
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

import keyring
import keyring.backend
import keyring.backends.fail
import pytest

from planner.core.model import Source
from planner.core.storage import feed_credentials, feeds
from planner.core.storage.feeds import moved_to, refresh, refresh_each
from planner.core.storage.store import Store
from tests.feed_server import Reply, Site, calendar, vevent
from tests.memory_keyring import MemoryKeyring

TORONTO = ZoneInfo("America/Toronto")
NOW = datetime(2025, 5, 5, 9, 0, tzinfo=TORONTO)
HDI = vevent("hdi", "HDI Toronto", "20250509T173000", "20250509T200000", "LOCATION:MaRS")
PMI = vevent("pmi", "PMI mixer", "20250507T180000", "20250507T200000", "LOCATION:Spacing")


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "planner.sqlite3") as opened:
        yield opened


def feed(site: Site, path: str = "/cal.ics") -> Source:
    return Source(site.url(path), "candidates")


def events(store: Store, source: Source) -> set[str]:
    return {e.uid for e in store.feed_events(source.path, NOW, NOW.replace(month=7))}


# --- one feed never takes another down -------------------------------------------------------


def test_a_bug_on_one_feed_is_recorded_and_the_others_are_still_requested(
    site, store, monkeypatch, caplog
):
    for path in ("/a.ics", "/b.ics", "/c.ics"):
        site.replies[path] = Reply(calendar(HDI, PMI))
    real_merge = feeds._merge

    def merge_failing_on_b(store, location, *args):  # an unexpected bug, for /b.ics only
        if location.endswith("/b.ics"):
            raise KeyError("a bug")
        return real_merge(store, location, *args)

    monkeypatch.setattr(feeds, "_merge", merge_failing_on_b)
    sources = [feed(site, p) for p in ("/a.ics", "/b.ics", "/c.ics")]
    with caplog.at_level(logging.WARNING):
        results = dict(refresh_each(store, sources, NOW))
    assert [path for path, _ in site.requests] == ["/a.ics", "/b.ics", "/c.ics"]
    failed = results[sources[1]]
    assert failed.error == (
        "planner failed while reading this feed (KeyError, a bug: the details are in "
        "planner.log); there is no earlier copy"
    )
    assert failed.next_refresh == NOW + feeds.RETRY_AFTER_ERROR
    record = store.source_record(sources[1].path)
    assert record is not None and record.last_error == failed.error
    assert record.next_refresh == NOW + feeds.RETRY_AFTER_ERROR
    assert "Traceback" in caplog.text
    for ok in (sources[0], sources[2]):
        assert results[ok].error == ""
        assert events(store, ok) == {"hdi", "pmi"}


def test_a_real_bad_answer_on_one_feed_leaves_the_next_one_alone(site, store):
    # A Content-Length of "²": str.isdigit() accepts it, int() does not (a traceback before).
    site.replies["/odd.ics"] = Reply(calendar(HDI), headers=(("Content-Length", "²"),))
    site.replies["/fine.ics"] = Reply(calendar(PMI))
    odd, fine = feed(site, "/odd.ics"), feed(site, "/fine.ics")
    results = dict(refresh_each(store, [odd, fine], NOW))
    assert results[odd].error.startswith(
        "127.0.0.1 sent an invalid Content-Length header ('²'); stopped"
    )
    assert results[fine].error == ""
    assert events(store, fine) == {"pmi"}


# --- time -------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["body", "headers"])
def test_a_server_sending_a_byte_at_a_time_is_stopped_at_the_total_limit(site, store, where):
    """Each byte comes well within the per-read timeout; only the total limit stops it."""
    slow = {"body": Reply(calendar(HDI), drip=0.05), "headers": Reply(drip_headers=0.05)}
    site.replies["/cal.ics"] = slow[where]
    result = refresh(store, feed(site), NOW, timeout=2.0, total_seconds=0.4)
    assert result.error == (
        "127.0.0.1 took over 0.4 s in all to send the calendar; planner stopped waiting; "
        "there is no earlier copy"
    )


# --- gzip -------------------------------------------------------------------------------------


def test_a_gzip_encoded_feed_is_read(site, store):
    site.replies["/cal.ics"] = Reply(calendar(HDI, PMI), gzip=True)
    result = refresh(store, feed(site), NOW)
    assert result.error == ""
    assert site.requests[0][1]["Accept-Encoding"] == "gzip"
    assert events(store, feed(site)) == {"hdi", "pmi"}


def test_a_gzipped_ics_file_is_read(site, store):
    site.replies["/cal.ics.gz"] = Reply(
        gzip.compress(calendar(HDI)), content_type="application/gzip"
    )
    assert refresh(store, feed(site, "/cal.ics.gz"), NOW).error == ""
    assert events(store, feed(site, "/cal.ics.gz")) == {"hdi"}


@pytest.mark.parametrize("encoded", [True, False], ids=["content-encoding", "ics.gz"])
def test_a_gzip_bomb_is_refused_without_unpacking_it_all(site, store, encoded):
    bomb = b"BEGIN:VCALENDAR\r\n" + b"X" * (8 * 1024 * 1024)
    packed = bomb if encoded else gzip.compress(bomb)
    site.replies["/cal.ics"] = Reply(packed, gzip=encoded)
    result = refresh(store, feed(site), NOW, max_bytes=256 * 1024)
    assert result.error == (
        "127.0.0.1 sent a compressed calendar that unpacks to more than 256 KB; planner "
        "stopped unpacking it; there is no earlier copy"
    )


def test_a_broken_gzip_body_is_an_error(site, store):
    site.replies["/cal.ics"] = Reply(
        gzip.compress(calendar(HDI))[:-30], headers=(("Content-Encoding", "gzip"),)
    )
    assert refresh(store, feed(site), NOW).error.startswith(
        "127.0.0.1 sent a compressed calendar that"
    )


# --- 304 and headers --------------------------------------------------------------------------


def test_a_304_to_a_first_request_is_an_error_not_an_empty_feed(site, store):
    site.replies["/cal.ics"] = Reply(status=304)
    result = refresh(store, feed(site), NOW)
    assert result.error == (
        "127.0.0.1 answered 304 Not Modified to a first request (planner had no copy to "
        "compare); the server is misbehaving; there is no earlier copy"
    )
    assert "If-None-Match" not in site.requests[0][1]


@pytest.mark.parametrize("value", ["²", "1e3", "-5", "½"])
def test_odd_digits_in_content_length_are_an_error(site, store, value):
    site.replies["/cal.ics"] = Reply(calendar(HDI), headers=(("Content-Length", value),))
    assert "sent an invalid Content-Length header" in refresh(store, feed(site), NOW).error


def test_an_unknown_content_encoding_is_said(site, store):
    site.replies["/cal.ics"] = Reply(calendar(HDI), headers=(("Content-Encoding", "br"),))
    assert refresh(store, feed(site), NOW).error.startswith(
        "127.0.0.1 sent the calendar encoded as 'br', which planner cannot read"
    )


# --- redirects --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "scheme"),
    [("file:///etc/passwd", "file:"), ("ftp://127.0.0.1/cal.ics", "ftp:"), ("data:,x", "data:")],
)
def test_redirects_to_other_schemes_are_refused(site, store, target, scheme):
    site.replies["/cal.ics"] = Reply(status=302, location=target)
    assert refresh(store, feed(site), NOW).error.startswith(
        f"127.0.0.1 redirected to another kind of address ({scheme}); planner follows only "
        "http and https"
    )


def test_a_redirect_to_another_host_is_followed_and_said(site, store):
    other = site.base.replace("127.0.0.1", "localhost") + "/elsewhere.ics"
    site.replies["/cal.ics"] = Reply(status=301, location=other)
    site.replies["/elsewhere.ics"] = Reply(calendar(HDI))
    assert refresh(store, feed(site), NOW).error == ""
    assert moved_to(store, feed(site).path) == other
    assert events(store, feed(site)) == {"hdi"}
    # The server stops redirecting: the note goes.
    site.replies["/cal.ics"] = Reply(calendar(HDI, PMI))
    assert refresh(store, feed(site), NOW).error == ""
    assert moved_to(store, feed(site).path) == ""


# --- passwords --------------------------------------------------------------------------------


@pytest.fixture
def system_keyring():
    previous = keyring.get_keyring()
    found = MemoryKeyring()
    keyring.set_keyring(found)
    yield found
    keyring.set_keyring(previous)


@pytest.fixture
def no_keyring(monkeypatch):
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.fail.Keyring())
    monkeypatch.delenv(feed_credentials.PASSWORD_VARIABLE, raising=False)
    monkeypatch.setattr(feed_credentials, "_memory", {})
    yield
    keyring.set_keyring(previous)


SECRET = "s3cr3t-Pa55"


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_a_typed_password_is_split_from_the_address():
    typed = feed_credentials.split_password(f"https://sam:{SECRET}@cal.example.org/x.ics")
    assert typed == feed_credentials.TypedFeed("https://sam@cal.example.org/x.ics", SECRET)
    escaped = feed_credentials.split_password("https://sam%40work:p%3Ass@h.org:8443/x")
    assert escaped == feed_credentials.TypedFeed("https://sam%40work@h.org:8443/x", "p:ss")
    assert feed_credentials.split_password("https://h.org/x").password is None


def test_the_password_goes_to_the_keyring_and_to_the_feeds_host_only(site, store, system_keyring):
    site.replies["/private.ics"] = Reply(calendar(HDI), password=("sam", SECRET))
    typed = feed_credentials.split_password(
        site.url("/private.ics").replace("//", f"//sam:{SECRET}@")
    )
    note = feed_credentials.keep_password(typed.location, SECRET)
    assert note.startswith("the password is kept in the system keyring (")
    assert system_keyring.passwords == {("planner feeds", typed.location): SECRET}
    source = Source(typed.location, "candidates")
    assert refresh(store, source, NOW).error == ""
    assert site.requests[-1][1]["Authorization"] == basic("sam", SECRET)
    assert events(store, source) == {"hdi"}


def test_credentials_follow_a_redirect_on_the_same_host_never_to_another(
    site, store, system_keyring
):
    location = site.url("/start").replace("//", "//sam@")
    feed_credentials.keep_password(location, SECRET)
    site.replies["/start"] = Reply(status=302, location="/same-host.ics")
    site.replies["/same-host.ics"] = Reply(calendar(HDI), password=("sam", SECRET))
    assert refresh(store, Source(location, "candidates"), NOW).error == ""
    assert [h.get("Authorization") for _, h in site.requests] == [basic("sam", SECRET)] * 2

    site.requests.clear()
    other = site.base.replace("127.0.0.1", "localhost")
    site.replies["/start"] = Reply(status=302, location=other + "/other-host.ics")
    site.replies["/other-host.ics"] = Reply(calendar(HDI, PMI))
    assert refresh(store, Source(location, "candidates"), NOW).error == ""
    assert site.requests[0][1].get("Authorization") == basic("sam", SECRET)
    assert "Authorization" not in site.requests[1][1]


def test_without_a_keyring_the_password_lasts_this_run_and_scripts_give_it(
    site, store, no_keyring, monkeypatch
):
    site.replies["/private.ics"] = Reply(calendar(HDI), password=("sam", SECRET))
    location = site.url("/private.ics").replace("//", "//sam@")
    assert feed_credentials.keep_password(location, SECRET) == (
        "no system keyring is available, so the password is kept for this run only; "
        "set PLANNER_FEED_PASSWORD to give it to later runs"
    )
    assert refresh(store, Source(location, "candidates"), NOW).error == ""

    monkeypatch.setattr(feed_credentials, "_memory", {})  # a later run
    error = refresh(store, Source(location, "candidates"), NOW).error
    assert error.startswith("127.0.0.1 refused access (HTTP 401 Unauthorized)")
    assert "planner has no password for sam" in error and "PLANNER_FEED_PASSWORD" in error
    monkeypatch.setenv("PLANNER_FEED_PASSWORD", SECRET)
    assert refresh(store, Source(location, "candidates"), NOW).error == ""


def test_a_store_holds_no_password(site, store, system_keyring, tmp_path, caplog):
    site.replies["/private.ics"] = Reply(status=500, password=("sam", SECRET))
    location = site.url("/private.ics").replace("//", "//sam@")
    feed_credentials.keep_password(location, SECRET)
    with caplog.at_level(logging.DEBUG):
        result = refresh(store, Source(location, "candidates"), NOW)
    assert result.error.startswith("127.0.0.1 had a server error (HTTP 500")
    backup = tmp_path / "backup.sqlite3"
    store.export_backup(backup)
    store.close()
    for path in tmp_path.iterdir():
        assert SECRET.encode() not in path.read_bytes(), path
    assert SECRET not in caplog.text and SECRET not in result.error


def test_a_sequence_of_odd_digits_is_read_as_no_sequence(site, store):
    # SEQUENCE:² passes str.isdigit(), not int(): it used to stop the feed's refresh.
    odd = HDI.replace("LOCATION:MaRS", "LOCATION:MaRS\r\nSEQUENCE:²")
    site.replies["/cal.ics"] = Reply(calendar(odd, PMI))
    assert refresh(store, feed(site), NOW).error == ""
    assert events(store, feed(site)) == {"hdi", "pmi"}

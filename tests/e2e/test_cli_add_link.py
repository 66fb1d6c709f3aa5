"""``planner add URL``: an event's web page read only with consent, kept as typed events are.

The pages come from a real HTTP server on 127.0.0.1 (the ``site`` fixture); the
command is the installed ``planner``, run as a user runs it.
"""

import json

import pytest

from planner.core.web.schema_org import SOURCE
from tests.e2e.test_cli_store import user  # noqa: F401 (the fixture)
from tests.feed_server import Reply
from tests.web import pages

pytestmark = pytest.mark.e2e

HTML = "text/html; charset=utf-8"


def test_without_consent_nothing_is_requested_and_the_line_needs_consent(user, site):  # noqa: F811
    site.replies["/e/1"] = Reply(pages.TICKETING, content_type=HTML)
    result = user.run("add", site.url("/e/1"))
    assert result.returncode == 1
    assert site.requests == []
    assert (
        f"planner add: line 1 “{site.url('/e/1')}”: a link: planner fetches its page only "
        "with your consent (add --fetch, or set [web] fetch = true in your settings); "
        "nothing was requested" in result.stderr
    )
    as_json = user.run("add", site.url("/e/1"), "--json")
    assert as_json.returncode == 1
    assert json.loads(as_json.stdout)["unparsed"][0]["reason"].startswith("a link: planner")
    assert site.requests == []
    assert not user.store_path.exists() or _added(user) == []


def _added(user):  # noqa: F811
    with user.store() as store:
        return store.load_added()


def test_fetch_reads_the_page_and_keeps_the_event(user, site):  # noqa: F811
    site.replies["/e/1"] = Reply(pages.TICKETING, content_type=HTML)
    result = user.run("add", "--fetch", "--week", "2026-12-07", site.url("/e/1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Added 1 event (to plan: `planner plan --week 2026-12-10`):",
        "  Thu 10 Dec 18:30-21:00    Durham Founders & Funders Night: Pitch 'n' Mingle",
        "                            Spark Centre, 2 Simcoe St S, Oshawa, ON L1H 7N1, CA; $25; "
        "no category",
    ]
    (kept,) = _added(user)
    assert kept.summary == "Durham Founders & Funders Night: Pitch 'n' Mingle"
    assert kept.source == SOURCE
    assert (kept.place.lat, kept.place.lon) == (43.8971, -78.8658)
    assert [path for path, _ in site.requests] == ["/e/1"]


def test_the_json_is_that_of_typed_lines(user, site):  # noqa: F811
    site.replies["/chapter"] = Reply(pages.ASSOCIATION_MICRODATA, content_type=HTML)
    text = f"PMI mixer 2026-12-09 6-8pm @ 100 King St W $25\n{site.url('/chapter')}\nasdf qwer"
    result = user.run("add", "--fetch", "--dry-run", "--json", "--week", "2026-12-07", text)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["dry_run"] is True
    assert [(a["line"], a["title"]) for a in report["added"]] == [
        (1, "PMI mixer"),
        (2, "Estimating When Everything Is Uncertain"),
        (2, "Agile Portfolio Planning Workshop"),
    ]
    typed, first, _second = report["added"]
    assert set(first) == set(typed)
    assert {k: first[k] for k in ("start", "end", "venue", "address", "virtual", "cost")} == {
        "start": "2026-12-08T18:00:00-05:00",
        "end": "2026-12-08T20:30:00-05:00",
        "venue": "Albany Club",
        "address": "91 King St E, Toronto, ON",
        "virtual": False,
        "cost": 65.0,
    }
    assert first["text"] == site.url("/chapter")
    assert first["assumed"][0]["part"] == "cost"
    assert report["unparsed"] == [
        {"line": 3, "text": "asdf qwer", "reason": "no date or day found"}
    ]
    assert not user.store_path.exists() or _added(user) == []


def test_the_setting_is_consent_too_and_a_page_without_event_is_an_unread_line(user, site):  # noqa: F811
    settings = user.root / "config" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text("[web]\nfetch = true\n")
    site.replies["/blog"] = Reply(pages.NO_EVENT, content_type=HTML)
    result = user.run("add", site.url("/blog"))
    assert result.returncode == 1
    assert "no event found on the page" in result.stderr
    assert [path for path, _ in site.requests] == ["/blog"]

"""The links among added lines: the one consent policy of ``planner add`` and the window.

Pages come from a real HTTP server on 127.0.0.1 (the ``site`` fixture).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from planner.core.settings import Settings, WebSettings
from planner.core.web.links import NOT_ASKED, read_links, split_links
from tests.feed_server import Reply
from tests.web import pages

TORONTO = ZoneInfo("America/Toronto")
REFERENCE = datetime(2026, 12, 1, 9, tzinfo=TORONTO)
HTML = "text/html; charset=utf-8"


def test_link_lines_are_split_from_typed_ones_keeping_the_line_numbers():
    found = split_links(
        "Coffee Thu 8am\n  https://a.example/e/1  \nsee https://b.example/e/2 for more\n"
        "http://a.example/e/3\nftp://a.example/e.ics"
    )
    assert found.links == [(2, "https://a.example/e/1"), (4, "http://a.example/e/3")]
    assert found.rest.splitlines() == [
        "Coffee Thu 8am",
        "",
        "see https://b.example/e/2 for more",  # a link inside a line is the typed event's
        "",
        "ftp://a.example/e.ics",
    ]
    assert found.hosts == ["a.example"]
    assert split_links("Coffee Thu 8am").rest == "Coffee Thu 8am"


def test_without_consent_nothing_is_requested_and_the_caller_words_why(site):
    site.replies["/e/1"] = Reply(pages.TICKETING, content_type=HTML)
    found = read_links(site.url("/e/1"), fetch=False, settings=Settings(), reference=REFERENCE)
    assert site.requests == []
    assert [(u.line_number, u.reason) for u in found.unparsed] == [(1, NOT_ASKED)]
    worded = read_links(
        site.url("/e/1"),
        fetch=False,
        settings=Settings(),
        reference=REFERENCE,
        not_asked="ask me first",
    )
    assert worded.unparsed[0].reason == "ask me first"
    assert site.requests == []


def test_with_consent_each_page_is_read_until_told_to_stop(site):
    site.replies["/e/1"] = Reply(pages.TICKETING, content_type=HTML)
    site.replies["/mixer"] = Reply(pages.COMMUNITY_GRAPH, content_type=HTML)
    text = f"{site.url('/e/1')}\n{site.url('/mixer')}"
    allowed = Settings(web=WebSettings(fetch=True))
    found = read_links(text, fetch=False, settings=allowed, reference=REFERENCE)
    assert [p.event.summary for p in found.parsed] == [
        "Durham Founders & Funders Night: Pitch 'n' Mingle",
        "Whitby Tech Holiday Mixer",
    ]
    assert [p.line_number for p in found.parsed] == [1, 2]

    asked: list[str] = []

    def stop_after_first() -> bool:
        asked.append("?")
        return len(asked) > 1

    site.requests.clear()
    found = read_links(
        text, fetch=True, settings=Settings(), reference=REFERENCE, stopped=stop_after_first
    )
    assert [path for path, _ in site.requests] == ["/e/1"]
    assert len(found.parsed) == 1

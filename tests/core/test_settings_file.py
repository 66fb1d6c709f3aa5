"""Saving into the user's own settings file: their comments, blank lines and order survive.

planner updates the file in place (tomlkit): what changed is rewritten, what did not keeps
its text, rows are matched rather than rewritten, and keys nobody wrote are added only when
they are not the default.
"""

import difflib
import subprocess
import sys
from dataclasses import replace
from datetime import time

from hypothesis import given
from hypothesis import strategies as st

from planner import resources
from planner.core.model import TravelMode
from planner.core.settings import (
    HEADER,
    CategoryRule,
    KeywordStars,
    ProtectedTime,
    Settings,
    TravelOverride,
    load_settings,
    save_settings,
)

DEMO = resources.read_bytes("demo", "settings.toml").decode("utf-8")


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def saved(tmp_path, text, change):
    """The file's text after saving ``change(settings it holds)``, checked to read back."""
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    settings = change(load_settings(path))
    save_settings(settings, path)
    assert load_settings(path) == settings
    return path.read_text(encoding="utf-8")


def test_a_change_rewrites_only_its_lines(tmp_path):
    after = saved(
        tmp_path,
        DEMO,
        lambda s: replace(s, max_events_per_week=2, travel_mode=TravelMode.TRANSIT),
    )
    assert changed_lines(DEMO, after) == [
        '-mode = "drive"',
        '+mode = "transit"',
        "-max_events_per_week = 3",
        "+max_events_per_week = 2",
    ]


def test_saving_what_the_file_says_changes_nothing(tmp_path):
    assert saved(tmp_path, DEMO, lambda s: s) == DEMO


def test_values_that_read_the_same_keep_their_text_and_new_keys_join_their_section(tmp_path):
    text = (
        "[travel]\n"
        'mode = "Transit"  # the GO train\n'
        "\n"
        "[budget]\n"
        "weekly_hours = 6\n"
        "\n"
        "[[rules.protected]]\n"
        'days = ["Wednesday"]\n'
        'from = "18:00"\n'
        'to = "23:59"\n'
    )
    after = saved(tmp_path, text, lambda s: replace(s, max_events_per_day=2))
    assert after == "schema_version = 1\n\n" + text.replace(
        "weekly_hours = 6\n", "weekly_hours = 6\nmax_events_per_day = 2\n"
    )


def test_an_optional_key_no_longer_set_goes_with_the_comment_above_it(tmp_path):
    text = "[budget]\n# tickets add up\nmonthly_money = 80\nweekly_hours = 6\n"
    after = saved(tmp_path, text, lambda s: replace(s, monthly_money=None))
    assert after == "schema_version = 1\n\n[budget]\nweekly_hours = 6\n"


def test_keys_nobody_wrote_are_added_only_when_not_the_default(tmp_path):
    assert saved(tmp_path, "# mine\n", lambda s: s) == "# mine\n\nschema_version = 1\n"
    after = saved(tmp_path, "# mine\n", lambda s: replace(s, weekly_hours=5.0))
    assert after == "# mine\n\nschema_version = 1\n\n[budget]\nweekly_hours = 5.0\n"


def test_rows_of_an_array_of_tables_are_matched_and_keep_their_comments(tmp_path):
    text = (
        "schema_version = 1\n"
        "\n"
        "[[stars]]\n"
        'match = "a"  # first\n'
        "stars = 4\n"
        "\n"
        "# the institute\n"
        "[[stars]]\n"
        'match = "Help Desk Institute"\n'
        "stars = 5\n"
        "\n"
        "# my club\n"
        "[[stars]]\n"
        'match = "club"\n'
        "stars = 2\n"
    )
    after = saved(
        tmp_path,
        text,
        lambda s: replace(
            s,
            keyword_stars=(KeywordStars("a", 3), s.keyword_stars[2], KeywordStars("x", 1)),
        ),
    )
    assert after == (
        "schema_version = 1\n"
        "\n"
        "[[stars]]\n"
        'match = "a"  # first\n'
        "stars = 3\n"
        "\n"
        "# my club\n"
        "[[stars]]\n"
        'match = "club"\n'
        "stars = 2\n"
        "\n"
        "[[stars]]\n"
        'match = "x"\n'
        "stars = 1\n"
    )


def test_named_tables_are_matched_by_name_as_the_reader_reads_it(tmp_path):
    text = "[categories.Pro]\nweight = 2  # my field\n\n[categories.old]\nweight = 1\n"
    after = saved(
        tmp_path,
        text,
        lambda s: replace(
            s, categories={"pro": CategoryRule(2.0, max_per_week=1), "new": CategoryRule(0.5)}
        ),
    )
    assert after == (
        "schema_version = 1\n"
        "\n"
        "[categories.Pro]\n"
        "weight = 2  # my field\n"
        "max_per_week = 1\n"
        "\n"
        "[categories.new]\n"
        "weight = 0.5\n"
    )


def test_a_file_from_an_older_planner_keeps_its_inline_rows(tmp_path):
    text = (
        "schema_version = 1\n"
        "stars = [\n"
        '    { match = "a", stars = 5 },\n'
        '    { match = "b", stars = 1 },\n'
        "]\n"
        "\n"
        "[travel]\n"
        "override = [\n"
        '    { from = "home", to = "Toronto", minutes = 70 },\n'
        "]\n"
    )
    trip = TravelOverride("home", "Oshawa", 20, TravelMode.BIKE)
    after = saved(
        tmp_path,
        text,
        lambda s: replace(s, keyword_stars=s.keyword_stars[1:], overrides=(*s.overrides, trip)),
    )
    assert changed_lines(text, after) == [
        '-    { match = "a", stars = 5 },',
        '+    { from = "home", to = "Oshawa", minutes = 20, mode = "bike" },',
    ]


def test_tables_the_file_lacks_are_added_without_empty_sections(tmp_path):
    after = saved(
        tmp_path,
        "[budget]\nweekly_hours = 6\n",
        lambda s: replace(
            s,
            rush_hour={17: 1.5},
            overrides=(TravelOverride("home", "Oshawa", 20),),
            protected=(ProtectedTime((0,), time(9), time(10)),),
        ),
    )
    assert after == (
        "schema_version = 1\n"
        "\n"
        "[budget]\n"
        "weekly_hours = 6\n"
        "\n"
        "[travel.rush_hour]\n"
        "17 = 1.5\n"
        "\n"
        "[[travel.override]]\n"
        'from = "home"\n'
        'to = "Oshawa"\n'
        "minutes = 20\n"
        "\n"
        "[[rules.protected]]\n"
        'days = ["mon"]\n'
        'from = "09:00"\n'
        'to = "10:00"\n'
    )


def test_removing_every_row_removes_the_array_and_its_comment(tmp_path):
    text = '[budget]\nweekly_hours = 6\n\n# kids\n[[rules.protected]]\ndays = ["wed"]\n'
    after = saved(tmp_path, text, lambda s: replace(s, protected=()))
    assert after == "schema_version = 1\n\n[budget]\nweekly_hours = 6\n"


def test_a_file_that_is_not_toml_is_written_whole_under_its_opening_comment(tmp_path):
    path = tmp_path / "settings.toml"
    path.write_text("# mine\n[budget\nweekly_hours = 3\n", encoding="utf-8")
    save_settings(Settings(), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# mine\n\nschema_version = 1\n\n[general]\n")
    assert load_settings(path) == Settings()


def test_a_new_file_holds_every_key(tmp_path):
    path = tmp_path / "new.toml"
    save_settings(Settings(), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(HEADER + "\nschema_version = 1\n\n[general]\n")
    assert 'timezone = "America/Toronto"' in text and "max_events_per_day = 1" in text


def test_reading_settings_does_not_load_the_toml_editor():
    code = "import sys, planner.core.settings; print('tomlkit' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False"]


stars_rows = st.lists(
    st.builds(KeywordStars, st.sampled_from("abcdef"), st.integers(0, 5)),
    max_size=5,
    unique_by=lambda row: row.match,
)


@given(stars_rows, stars_rows, st.integers(0, 10), st.sampled_from(TravelMode))
def test_rows_that_stay_keep_their_comments(tmp_path_factory, before, after, hours, mode):
    text = "# mine\n\n[budget]\nweekly_hours = 3  # for now\n\n" + "".join(
        f'# row {row.match}\n[[stars]]\nmatch = "{row.match}"\nstars = {row.stars}\n\n'
        for row in before
    )
    new = replace(Settings(), keyword_stars=tuple(after), weekly_hours=hours, travel_mode=mode)
    path = tmp_path_factory.mktemp("file") / "settings.toml"
    path.write_text(text, encoding="utf-8")
    save_settings(new, path)
    written = path.read_text(encoding="utf-8")
    assert load_settings(path) == new
    assert written.startswith("# mine\n\nschema_version = 1\n\n[budget]\n")
    assert "  # for now\n" in written
    for row in set(before) & set(after):
        assert f"# row {row.match}\n" in written
    assert written.count("# row ") <= len(after)

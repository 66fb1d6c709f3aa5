"""The window's timetables dialog: each feed's agency, dates and size, read off the GUI
thread; a feed that cannot be read or does not cover the week shown is said; add and
remove change the ``[transit] gtfs`` it gives back."""

from datetime import date

from planner.gui.timetables_dialog import TimetablesDialog
from tests.gui.conftest import drain
from tests.transit.plan_feeds import go_line

WEEK = date(2026, 11, 23)


def rows(dialog):
    table = dialog.table
    return [
        [table.topLevelItem(i).text(c) for c in range(table.columnCount())]
        for i in range(table.topLevelItemCount())
    ]


def test_feeds_are_listed_with_agency_dates_size_and_what_is_wrong(qtbot, tmp_path):
    good = go_line(tmp_path / "go.zip")
    old = go_line(tmp_path / "old-go.zip", start="20260901", end="20261120")
    missing = tmp_path / "ttc.zip"
    dialog = TimetablesDialog([str(good), str(old), str(missing)], WEEK)
    qtbot.addWidget(dialog)
    assert [r[4] for r in rows(dialog)] == ["reading…"] * 3  # shown at once, read off-thread
    drain(qtbot)
    listed = rows(dialog)
    assert listed[0][:3] == ["go.zip", "GO Transit", "2026-11-01 to 2027-01-31"]
    assert listed[0][3].endswith("kB") and listed[0][4] == ""
    assert listed[1][0] == "old-go.zip"
    assert listed[1][4].startswith("expired on 2026-11-20")
    assert listed[2][0] == "ttc.zip" and listed[2][1] == "" and listed[2][4]
    assert "cannot be read" in dialog.status.text()


def test_add_and_remove_give_back_the_new_list(qtbot, tmp_path):
    good = str(go_line(tmp_path / "go.zip"))
    dialog = TimetablesDialog([], WEEK)
    qtbot.addWidget(dialog)
    assert dialog.status.text() == "No timetables: transit trips are estimated."
    dialog.add([good, good])
    drain(qtbot)
    assert dialog.paths() == [good]
    assert rows(dialog)[0][1] == "GO Transit"
    dialog.table.setCurrentItem(dialog.table.topLevelItem(0))
    dialog.remove_button.click()
    assert dialog.paths() == [] and rows(dialog) == []


def test_the_details_name_the_legs_both_ways(tmp_path):
    import re

    from planner.core.planning.plan import plan_week
    from planner.gui.details_panel import details_html
    from tests.core.week_builder import at, event, settings
    from tests.transit.plan_feeds import HOME_NEAR, VENUE_NEAR

    rules = settings(
        home={"location": f"{HOME_NEAR.lat}, {HOME_NEAR.lon}"},
        travel={"mode": "transit"},
        transit={"gtfs": [str(go_line(tmp_path / "go.zip"))]},
    )
    talk = event("talk", 24, (19, 0), (21, 0), VENUE_NEAR)
    plan = plan_week([], [talk], rules, at(23, 0).date())
    page = details_html(plan.decisions[0])
    assert re.search(r"at <b>17:4\d</b> for the 17:53 (GO )?LE \(transit \d+ min\)", page), page
    assert re.search(r"There: walk \d+ min · (GO )?LE 17:53 → 18:38 Union Station", page)
    assert re.search(r"Back: walk \d+ min · (GO )?LE 21:55 → 22:40 Whitby GO · walk", page)

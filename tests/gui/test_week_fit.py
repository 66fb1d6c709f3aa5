"""The week reads at a glance: its own hours fit the window, and every block's text fits
the block (wrapped at words, a step smaller before a word is broken, elided last).

Real widgets on the demo week and on small hand-made weeks; no sleeps (the window is
waited on for its plan, a resize for its layout).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QFont, QFontMetricsF, QHelpEvent
from PySide6.QtWidgets import QApplication, QToolTip

from planner.gui.calendar_item import CalendarItem, ItemKind, hour_span, split_week
from planner.gui.main_window import MainWindow
from planner.gui.text_fit import elide_words, fit_lines
from planner.gui.week_view import WeekView
from tests.gui.test_readable import demo_window

TZ = ZoneInfo("America/Toronto")
MONDAY = date(2025, 12, 1)
K = ItemKind
WORK = "Work – Northbridge (Markham office)"


def at(day: int, hour: int, minute: int = 0) -> datetime:
    when = MONDAY + timedelta(days=day)
    return datetime(when.year, when.month, when.day, hour, minute, tzinfo=TZ)


def item(key: str, kind: ItemKind, start: datetime, end: datetime, **kw: object) -> CalendarItem:
    return CalendarItem(key=key, kind=kind, title=kw.pop("title", key), start=start, end=end, **kw)


def fonts(qapp) -> tuple[QFont, QFont]:
    """The palette's font and the week's step smaller."""
    font = QFont(qapp.font())
    small = QFont(font)
    small.setPointSizeF(font.pointSizeF() * 0.86)
    return font, small


def title_lines(view: WeekView, key: str) -> list[str]:
    """The lines of ``key``'s block drawn as its title (the first line's font and colour)."""
    view.grab()  # paints, which fits the text
    block = next(b for b in view._layout().blocks if b.seg.item.key == key)
    assert block.lines
    font, color = block.lines[0][:2]
    return [text for f, c, _at, text in block.lines if (f, c) == (font, color)]


def shown_pph(view: WeekView) -> float:
    return view.hour_y(12) - view.hour_y(11)


def readable_pph(view: WeekView) -> float:
    """The rule: an hour holds two lines of the week's text (and a little air)."""
    return 2 * QFontMetricsF(view.font()).height() + 2


# ------------------------------------------------------------------ fitting text
def test_titles_wrap_at_words_and_the_last_line_is_elided_at_a_word(qapp):
    font, _small = fonts(qapp)
    fm = QFontMetricsF(font)
    width = fm.horizontalAdvance("Durham Tech: Lightning")
    title = "Durham Tech: Lightning Talks & Pizza at the Library"
    fitted = fit_lines(title, [font], width, 2 * fm.height())
    assert fitted.lines[0] == "Durham Tech: Lightning"
    assert fitted.lines[1].startswith("Talks") and fitted.lines[1].endswith("…")
    assert fitted.lines[1].removesuffix("…").split()[-1] in title.split()  # a whole word
    assert fitted.whole
    assert all(fm.horizontalAdvance(line) <= width for line in fitted.lines)
    assert fit_lines("Short", [font], width, 3 * fm.height()).lines == ["Short"]


def test_a_word_wider_than_the_column_takes_a_smaller_font_before_it_is_broken(qapp):
    font, small = fonts(qapp)
    normal_w = QFontMetricsF(font).horizontalAdvance("Northbridge")
    small_w = QFontMetricsF(small).horizontalAdvance("Northbridge")
    assert small_w < normal_w
    fitted = fit_lines(WORK, [font, small], (small_w + normal_w) / 2, 200)
    assert fitted.font == small
    assert fitted.lines == ["Work –", "Northbridge", "(Markham", "office)"]
    assert fitted.whole
    # Narrower than the word even a step smaller: broken where it must be, nothing lost.
    broken = fit_lines(WORK, [font, small], small_w * 0.7, 200)
    assert not broken.whole
    assert "".join(broken.lines).replace(" ", "") == WORK.replace(" ", "")


def test_a_one_line_block_says_more_a_step_smaller_than_a_lone_word(qapp):
    font, small = fonts(qapp)
    title = "Durham Tech Virtual Coffee Hour"
    width = QFontMetricsF(small).horizontalAdvance("Durham Tech…") + 1
    assert QFontMetricsF(font).horizontalAdvance("Durham Tech…") > width
    fitted = fit_lines(title, [font, small], width, QFontMetricsF(font).height())
    assert fitted.lines == ["Durham Tech…"] and fitted.font == small


def test_elision_keeps_whole_words_and_emoji_do_not_shift_the_breaks(qapp):
    font, _small = fonts(qapp)
    fm = QFontMetricsF(font)
    title = "Meet 🎉 people at the Northbridge mixer"
    line, whole = elide_words(title, fm, fm.horizontalAdvance("Meet 🎉 people at…") + 1)
    assert (line, whole) == ("Meet 🎉 people at…", True)
    fitted = fit_lines(title, [font], fm.horizontalAdvance("Meet 🎉 people"), 10 * fm.height())
    assert " ".join(fitted.lines) == title


# -------------------------------------------------------------------- the hours
def test_the_hours_run_from_the_earliest_block_to_the_latest_travel_or_home_by():
    items = [
        item("coffee", K.PROPOSED, at(1, 7), at(1, 7, 45)),
        item("hockey", K.COMMITMENT, at(2, 21), at(2, 22, 30)),
        item("weekend", K.PROTECTED, at(5, 0), at(7, 0)),  # background: not counted
    ]
    assert hour_span(items, MONDAY, TZ) == (7, 23)
    drive = item("coffee", K.TRAVEL, at(1, 6, 20), at(1, 7))
    late = item("talk", K.TRAVEL, at(3, 22, 30), at(3, 23, 10))
    assert hour_span([*items, drive, late], MONDAY, TZ) == (6, 24)
    day = [item("work", K.COMMITMENT, at(0, 9), at(0, 17))]
    assert hour_span(day, MONDAY, TZ) == (8, 18)  # a typical day at least
    assert hour_span(day, MONDAY, TZ, home_by=time(22)) == (8, 22)
    assert hour_span([], MONDAY, TZ) == (8, 18)
    overnight = [item("gala", K.PROPOSED, at(4, 20), at(5, 1))]
    assert hour_span(overnight, MONDAY, TZ) == (0, 24)
    next_week = [item("later", K.PROPOSED, at(8, 5), at(8, 6))]
    assert hour_span(next_week, MONDAY, TZ) == (8, 18)


def test_a_short_meeting_is_laid_out_to_its_title_without_pushing_its_neighbour_aside():
    items = [
        item("parents", K.COMMITMENT, at(2, 18, 40), at(2, 18, 55)),
        item("talk", K.TRAVEL, at(2, 19, 2), at(2, 19, 30)),
        item("talk", K.PROPOSED, at(2, 19, 30), at(2, 20, 30)),
        item("call", K.COMMITMENT, at(3, 12), at(3, 12, 10)),
    ]
    day = {s.item.key: s for s in split_week(items, MONDAY, TZ, min_hours=0.5).timed[2]}
    assert day["parents"].to_hour == pytest.approx(19 + 2 / 60)  # up to the drive
    assert day["parents"].columns == day["talk"].columns == 1  # not side by side
    call = split_week(items, MONDAY, TZ, min_hours=0.5).timed[3][0]
    assert call.to_hour == pytest.approx(12.5)  # nothing after it: the whole half hour


def test_at_1280x720_the_demo_week_shows_its_hours_without_scrolling(qtbot):
    window = demo_window(qtbot)
    view, area = window.week_view, window.week_scroll
    items, week = view.items(), window.plan.week_start.date()
    settings = window.session.settings
    rule = hour_span(items, week, settings.zone, settings.latest_home, view._min_hours())
    assert view.hour_range() == rule == (7, 23)
    qtbot.waitUntil(lambda: view.height() == area.viewport().height())
    assert area.verticalScrollBar().maximum() == 0
    assert view.hour_y(7) >= 0 and view.hour_y(23) <= area.viewport().height()
    assert shown_pph(view) >= readable_pph(view)
    # Every block of the week is on screen: the evening (hockey, the drive home) included.
    timed = [i for i in items if not i.all_day and i.kind is not K.PROTECTED]
    ends = [i.end.astimezone(settings.zone) for i in timed]
    latest = max(e.hour + e.minute / 60 for e in ends)  # by the hour of the day
    assert latest == 22.5  # Wednesday's hockey
    assert view.hour_y(latest) <= area.viewport().height()


def test_when_the_hours_cannot_fit_the_week_opens_on_its_evening_events(qtbot):
    window = demo_window(qtbot, (1280, 520))
    view, area = window.week_view, window.week_scroll
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0
    assert shown_pph(view) == pytest.approx(readable_pph(view), abs=0.5)
    assert bar.value() > 0  # not the morning
    zone = window.session.settings.zone
    home = max(d.back_at.astimezone(zone) for d in window.plan.chosen)
    y_home = view.hour_y(home.hour + home.minute / 60)
    assert bar.value() < y_home <= bar.value() + area.viewport().height()
    # The days stay on top while the hours scroll under them (what is under is not hit).
    header = view.hour_y(view.hour_range()[0]) - 10
    assert view.item_at(QPoint(100, bar.value() + int(header) - 5)) is None


def test_resizing_the_window_refits_the_hours(qtbot):
    window: MainWindow = demo_window(qtbot)
    view, area = window.week_view, window.week_scroll
    small = shown_pph(view)
    window.resize(1400, 900)
    qtbot.waitUntil(lambda: shown_pph(view) > small + 5)
    assert area.verticalScrollBar().maximum() == 0
    assert view.hour_y(23) <= area.viewport().height()
    window.resize(1280, 520)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)
    assert shown_pph(view) == pytest.approx(readable_pph(view), abs=0.5)


# ---------------------------------------------------------------- text on blocks
@pytest.fixture
def narrow(qtbot):
    """A week whose day columns are about 80 px wide, as at 1280x720."""
    widget = WeekView()
    qtbot.addWidget(widget)
    widget.resize(54 + 7 * 82, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_a_narrow_column_wraps_work_northbridge_without_cutting_a_word(narrow):
    narrow.set_week(
        MONDAY,
        TZ,
        [item("work", K.COMMITMENT, at(0, 8, 30), at(0, 17), title=WORK, detail="Northbridge")],
    )
    assert 75 <= narrow._layout().day_w <= 90
    lines = title_lines(narrow, "work")
    assert " ".join(lines).split() == WORK.split()  # every word, each one whole
    assert "Northbridge" in lines


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen platform
def test_the_tooltip_has_the_whole_title_the_block_cuts(narrow, qtbot):
    title = "HDI (Help Desk Institute) Toronto Local Chapter: November Member Meeting"
    narrow.set_week(
        MONDAY, TZ, [item("hdi", K.PROPOSED, at(4, 17, 30), at(4, 18, 30), title=title)]
    )
    assert title_lines(narrow, "hdi")[-1].endswith("…")
    rect = narrow.item_rect("hdi")
    assert rect is not None
    pos = rect.center().toPoint()
    QApplication.sendEvent(narrow, QHelpEvent(QEvent.Type.ToolTip, pos, narrow.mapToGlobal(pos)))
    qtbot.waitUntil(lambda: QToolTip.text().startswith(title + "\n"))
    assert "17:30–18:30" in QToolTip.text()
    QToolTip.hideText()


def test_a_short_block_shows_a_one_line_title(narrow):
    narrow.set_week(
        MONDAY,
        TZ,
        [
            item("parents", K.COMMITMENT, at(2, 18, 40), at(2, 18, 55), title="Parent-teacher"),
            item("next", K.COMMITMENT, at(2, 18, 55), at(2, 19, 40)),
        ],
    )
    lines = title_lines(narrow, "parents")
    assert len(lines) == 1 and lines[0].startswith("Parent-te")


def test_travel_says_drive_15_min_or_15_min_as_the_column_allows(qtbot, narrow):
    def travel_text(view: WeekView) -> str:
        view.set_week(
            MONDAY,
            TZ,
            [
                item("ev", K.PROPOSED, at(4, 18), at(4, 20)),
                item(
                    "ev", K.TRAVEL, at(4, 17), at(4, 18), title="drive 15 min", short_title="15 min"
                ),
            ],
        )
        view.grab()
        block = next(b for b in view._layout().blocks if b.seg.item.kind is K.TRAVEL)
        assert block.lines
        return block.lines[0][3]

    wide = WeekView()
    qtbot.addWidget(wide)
    wide.resize(1200, 700)
    assert travel_text(wide) == "drive 15 min"
    narrow.resize(54 + 7 * 72, 700)
    assert travel_text(narrow) == "15 min"


def test_the_days_stay_on_top_while_the_hours_scroll_under_them(qtbot):
    window = demo_window(qtbot, (1280, 520))
    view, area = window.week_view, window.week_scroll
    bar = area.verticalScrollBar()
    header = int(view.hour_y(view.hour_range()[0]) - 10)
    bar.setValue(0)
    on_top = area.viewport().grab().toImage().copy(0, 0, view.width(), header)
    bar.setValue(bar.maximum())
    scrolled = area.viewport().grab().toImage().copy(0, 0, view.width(), header)
    assert scrolled == on_top  # the same days and all-day strip, not the hours under them
    friday = next(i for i in view.items() if i.all_day and i.title.startswith("PD Day"))
    rect = view.item_rect(friday.key)
    assert rect is not None and rect.top() >= bar.value()  # where it is drawn, scrolled
    assert view.item_at(rect.center().toPoint()) == friday

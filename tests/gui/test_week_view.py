"""Behaviour of the custom-painted week view: geometry, layout, clicks, zoom.

How fast it paints is measured in tests/perf (``pytest -m perf``).
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QHelpEvent, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QToolTip

from planner.gui.calendar_item import CalendarItem, ItemKind, split_week
from planner.gui.week_view import WeekView

TZ = ZoneInfo("America/Toronto")
MONDAY = date(2025, 12, 1)
K = ItemKind


def at(day: int, hour: int, minute: int = 0, tz: ZoneInfo = TZ) -> datetime:
    """A moment ``day`` days after MONDAY, in ``tz``."""
    when = MONDAY + timedelta(days=day)
    return datetime(when.year, when.month, when.day, hour, minute, tzinfo=tz)


def item(key: str, kind: ItemKind, start: datetime, end: datetime, **kw: object) -> CalendarItem:
    return CalendarItem(key=key, kind=kind, title=kw.pop("title", key), start=start, end=end, **kw)


def center(rect: QRectF) -> QPoint:
    return rect.center().toPoint()


@pytest.fixture
def view(qtbot):
    widget = WeekView()
    qtbot.addWidget(widget)
    widget.resize(900, 800)
    widget.set_now(at(2, 14, 20))
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def column(widget: WeekView, day: int) -> tuple[float, float]:
    """Left and right x of a day column, found from the hit test of an hour-long probe item."""
    probe = item("probe", K.COMMITMENT, at(day, 9), at(day, 10))
    widget.set_week(MONDAY, TZ, [probe])
    rect = widget.item_rect("probe")
    assert rect is not None
    return rect.left(), rect.right()


def test_event_is_in_its_day_column_at_its_hour(view):
    view.set_week(
        MONDAY,
        TZ,
        [
            item("nine", K.COMMITMENT, at(0, 9), at(0, 10)),
            item("thu", K.PROPOSED, at(3, 18), at(3, 20)),
            item("thu-morning", K.COMMITMENT, at(3, 8), at(3, 9)),
        ],
    )
    nine, thu, morning = (view.item_rect(k) for k in ("nine", "thu", "thu-morning"))
    assert nine is not None and thu is not None and morning is not None
    day_w = (view.width() - nine.left()) / 7  # the day columns fill the width right of the gutter
    assert thu.left() - nine.left() == pytest.approx(3 * day_w, abs=2)
    assert nine.width() == pytest.approx(day_w, abs=8)
    # Same column for the two Thursday items, three columns right of Monday.
    assert morning.left() == thu.left()
    # One hour is the same height everywhere; 18:00 is ten hours below 08:00.
    hour_h = (thu.top() - morning.top()) / 10
    assert hour_h >= 24
    assert morning.height() + 1 == pytest.approx(hour_h, abs=1.5)
    assert thu.height() + 1 == pytest.approx(2 * hour_h, abs=1.5)
    assert nine.top() - morning.top() == pytest.approx(hour_h, abs=1)
    assert view.item_at(center(thu)).key == "thu"


def test_times_are_converted_to_the_view_zone(view):
    utc = ZoneInfo("UTC")
    view.set_week(
        MONDAY,
        TZ,
        [
            item("local", K.COMMITMENT, at(1, 9), at(1, 10)),
            item("utc", K.COMMITMENT, at(1, 14, tz=utc), at(1, 15, tz=utc)),  # 09:00 Toronto
        ],
    )
    local, converted = view.item_rect("local"), view.item_rect("utc")
    assert converted is not None and local is not None
    assert converted.top() == local.top()
    assert converted.center().x() > local.left()  # side by side: they overlap


def test_overlapping_items_of_similar_length_share_the_day_side_by_side(view):
    view.set_week(
        MONDAY,
        TZ,
        [
            item("course", K.COMMITMENT, at(4, 12), at(4, 14)),
            item("lunch", K.PROPOSED, at(4, 12, 30), at(4, 14)),
            item("alone", K.COMMITMENT, at(2, 12), at(2, 13)),
        ],
    )
    course, lunch, alone = (view.item_rect(k) for k in ("course", "lunch", "alone"))
    assert course is not None and lunch is not None and alone is not None
    assert not course.intersects(lunch)
    assert course.width() == pytest.approx(alone.width() / 2, abs=3)
    assert lunch.width() == pytest.approx(alone.width() / 2, abs=3)
    assert lunch.left() > course.left()


def test_a_short_meeting_inside_a_long_block_is_drawn_indented_over_it(view):
    view.set_week(
        MONDAY,
        TZ,
        [
            item("work", K.COMMITMENT, at(4, 8, 30), at(4, 17)),
            item("lunch", K.PROPOSED, at(4, 12), at(4, 13, 30)),
            item("call", K.COMMITMENT, at(4, 12, 30), at(4, 13)),  # inside lunch too
            item("alone", K.COMMITMENT, at(2, 12), at(2, 13)),
        ],
    )
    work, lunch, call, alone = (view.item_rect(k) for k in ("work", "lunch", "call", "alone"))
    assert work is not None and lunch is not None and call is not None and alone is not None
    # The day is not halved: the long block keeps the column, the short one lies over
    # it, shifted right by a step per block it covers, to the same right edge.
    assert work.width() == alone.width()
    assert work.left() < lunch.left() < call.left()
    assert work.right() == lunch.right() == call.right()
    assert work.contains(lunch.center())
    assert lunch.width() > 0.75 * work.width()
    # It is drawn over the long block, so a click there finds the short one.
    above_call = QPoint(int(lunch.center().x()), int(lunch.top()) + 4)
    assert view.item_at(above_call).key == "lunch"
    assert view.item_at(center(call)).key == "call"
    day = {s.item.key: s for s in split_week(view.items(), MONDAY, TZ).timed[4]}
    assert (day["work"].indent, day["lunch"].indent, day["call"].indent) == (0, 1, 2)
    assert day["work"].columns == day["lunch"].columns == 1


def test_titles_wrap_on_as_many_lines_as_the_block_holds_then_elide(view):
    title = "Toronto Python: Monday Night Talks on Typing in Practice and Testing"
    view.set_week(
        MONDAY,
        TZ,
        [
            item("tall", K.PROPOSED, at(1, 9), at(1, 12), title=title, note="Leave 08:40"),
            item("low", K.PROPOSED, at(2, 9), at(2, 9, 30), title=title),
        ],
    )
    view.grab()  # paints, which wraps the titles
    blocks = {b.seg.item.key: b for b in view._layout().blocks}
    tall = [text for _font, _color, _at, text in blocks["tall"].lines]
    low = [text for _font, _color, _at, text in blocks["low"].lines]
    title_lines = [t for t in tall if not t.startswith(("Leave", "09:00"))]
    assert len(title_lines) >= 3  # wrapped, not cut at "Toronto Py…"
    assert " ".join(title_lines).replace("…", "").split()[:4] == title.split()[:4]
    assert "Leave 08:40" in tall and "09:00–12:00" in tall
    assert len(low) <= 2 and low[0].startswith("Toronto")
    assert low[-1].endswith("…")  # what does not fit is elided
    rect = blocks["tall"].rect
    assert all(rect.contains(at) for _font, _color, at, _text in blocks["tall"].lines)


def test_travel_labels_sit_on_a_patch_of_background(view):
    view.set_week(
        MONDAY,
        TZ,
        [
            item("ev", K.PROPOSED, at(1, 18), at(1, 20)),
            item("ev", K.TRAVEL, at(1, 17), at(1, 18), title="drive 1 h"),
        ],
    )
    image = view.grab().toImage()
    block = next(b for b in view._layout().blocks if b.seg.item.kind is K.TRAVEL)
    (font, _color, at_, text) = block.lines[0]
    assert text == "drive 1 h"
    fm = QFontMetricsF(font)
    # Every pixel in the label's box is the background or the text: no hatching lines.
    box = QRectF(at_.x(), at_.y() - fm.ascent(), fm.horizontalAdvance(text), fm.height())
    background = view.palette().color(QPalette.ColorRole.Base).rgb()
    pixels = {
        image.pixel(x, y)
        for x in range(int(box.left()), int(box.right()))
        for y in range(int(box.top()) + 1, int(box.bottom()))
    }
    assert background in pixels
    hatch_row = int(block.rect.bottom()) - 3  # under the label: the hatching shows
    under = {image.pixel(x, hatch_row) for x in range(int(box.left()), int(box.right()))}
    assert len(under) > 1


def test_travel_stays_in_its_event_column_and_activates_the_event(view, qtbot):
    view.set_week(
        MONDAY,
        TZ,
        [
            item("work", K.COMMITMENT, at(3, 8, 30), at(3, 17)),
            item("meetup", K.PROPOSED, at(3, 17, 30), at(3, 19)),
            item("meetup", K.TRAVEL, at(3, 16, 30), at(3, 17, 30), title="drive 60 min"),
        ],
    )
    event = view.item_rect("meetup")
    assert event is not None
    travel_pos = QPoint(round(event.center().x()), round(event.top() - 20))
    travel = view.item_at(travel_pos)
    assert travel is not None and travel.kind is K.TRAVEL
    work = view.item_rect("work")
    assert work is not None and work.right() < event.left()  # travel overlaps work
    with qtbot.waitSignal(view.itemActivated, timeout=1000) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=travel_pos)
    assert blocker.args == ["meetup"]
    assert view.selected_key() == "meetup"


def test_click_emits_key_and_empty_space_emits_empty(view, qtbot):
    view.set_week(MONDAY, TZ, [item("hockey", K.COMMITMENT, at(0, 20), at(0, 21, 30))])
    rect = view.item_rect("hockey")
    assert rect is not None
    with qtbot.waitSignal(view.itemActivated, timeout=1000) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=center(rect))
    assert blocker.args == ["hockey"]
    with qtbot.waitSignal(view.itemActivated, timeout=1000) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=center(rect) - QPoint(0, 200))
    assert blocker.args == [""]
    assert view.selected_key() == ""


def test_select_and_selected_key(view):
    view.set_week(MONDAY, TZ, [item("a", K.PINNED, at(1, 18), at(1, 19))])
    assert view.selected_key() == ""
    view.select("a")
    assert view.selected_key() == "a"
    assert not view.grab().isNull()
    view.select("")
    assert view.selected_key() == ""


def test_ctrl_wheel_zooms_and_plain_wheel_is_left_to_the_parent(view):
    view.set_week(MONDAY, TZ, [item("a", K.COMMITMENT, at(1, 9), at(1, 10))])
    before_h, before = view.height(), view.item_rect("a")

    def wheel(modifiers: Qt.KeyboardModifier) -> QWheelEvent:
        pos = QPointF(300, 300)
        return QWheelEvent(
            pos,
            view.mapToGlobal(pos),
            QPoint(),
            QPoint(0, 240),
            Qt.MouseButton.NoButton,
            modifiers,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        )

    plain = wheel(Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(view, plain)
    assert not plain.isAccepted()
    assert view.height() == before_h
    zoom = wheel(Qt.KeyboardModifier.ControlModifier)
    QApplication.sendEvent(view, zoom)
    assert zoom.isAccepted()
    after = view.item_rect("a")
    assert view.height() > before_h
    assert before is not None and after is not None and after.height() > before.height()
    for _ in range(20):  # clamped at 120 px per hour
        QApplication.sendEvent(view, wheel(Qt.KeyboardModifier.ControlModifier))
    biggest = view.item_rect("a")
    assert biggest is not None and biggest.height() + 1 == pytest.approx(120, abs=1)


def test_zoom_inside_a_scroll_area_grows_the_scrolled_content(qtbot):
    area = QScrollArea()
    qtbot.addWidget(area)
    area.setWidgetResizable(True)
    view = WeekView()
    area.setWidget(view)
    area.resize(900, 600)
    area.show()
    qtbot.waitExposed(area)
    before = view.height()
    assert before == area.viewport().height()  # the hours fit: nothing to scroll
    assert area.verticalScrollBar().maximum() == 0
    pos = QPointF(300, 300)
    QApplication.sendEvent(
        view,
        QWheelEvent(
            pos,
            view.mapToGlobal(pos),
            QPoint(),
            QPoint(0, 120),
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.ControlModifier,
            Qt.ScrollPhase.NoScrollPhase,
            False,
        ),
    )
    qtbot.waitUntil(lambda: view.height() > before)
    assert area.verticalScrollBar().maximum() == view.height() - area.viewport().height()


def test_items_outside_the_week_are_not_drawn_or_hit(view):
    inside = item("in", K.COMMITMENT, at(0, 9), at(0, 10))
    before = item("before", K.COMMITMENT, at(-1, 9), at(-1, 10))  # previous Sunday
    after = item("after", K.PROPOSED, at(7, 9), at(7, 10))  # next Monday
    view.set_week(MONDAY, TZ, [inside, before, after])
    assert view.item_rect("before") is None
    assert view.item_rect("after") is None
    rect = view.item_rect("in")
    assert rect is not None
    # Where "after" would be if it were drawn (next Monday = one column past Sunday).
    assert view.item_at(center(rect.translated(7 * (rect.width() + 7), 0))) is None


def test_item_spanning_midnight_is_clipped_to_the_week(view):
    view.set_week(
        MONDAY,
        TZ,
        [
            item("night", K.COMMITMENT, at(6, 22), at(7, 2)),  # Sunday night into next week
            item("early", K.COMMITMENT, at(-1, 23), at(0, 9)),  # from last week until 09:00
        ],
    )
    night, early = view.item_rect("night"), view.item_rect("early")
    assert night is not None and early is not None
    assert night.bottom() <= view.height()
    assert early.left() < night.left()
    assert view.item_at(center(early)).key == "early"


def test_all_day_item_is_in_the_all_day_strip(view):
    timed = item("timed", K.COMMITMENT, at(2, 7), at(2, 8))
    allday = item("conf", K.PROPOSED, at(2, 0), at(4, 0), all_day=True, title="Conference")
    view.set_week(MONDAY, TZ, [timed, allday])
    chip, first_hour = view.item_rect("conf"), view.item_rect("timed")
    assert chip is not None and first_hour is not None
    assert chip.bottom() < first_hour.top()  # above the first hour line
    assert chip.left() == pytest.approx(first_hour.left(), abs=3)  # starts Wednesday
    assert chip.width() > 1.8 * first_hour.width()  # spans Wednesday and Thursday
    assert view.item_at(center(chip)).key == "conf"


def test_protected_time_is_background_not_an_item(view, qtbot):
    view.set_week(MONDAY, TZ, [item("weekend", K.PROTECTED, at(5, 0), at(7, 0))])
    assert view.item_rect("weekend") is None
    left, right = column(view, 5)
    view.set_week(MONDAY, TZ, [item("weekend", K.PROTECTED, at(5, 0), at(7, 0))])
    pos = QPoint(round((left + right) / 2), 400)
    assert view.item_at(pos) is None
    with qtbot.waitSignal(view.itemActivated, timeout=1000) as blocker:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=pos)
    assert blocker.args == [""]


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        CalendarItem("x", K.COMMITMENT, "x", datetime(2025, 1, 1, 9), datetime(2025, 1, 1, 10))


def random_week(count: int) -> list[CalendarItem]:
    rng = random.Random(7)
    kinds = [K.COMMITMENT, K.PROPOSED, K.PINNED, K.TRAVEL, K.PROTECTED]
    items = []
    for n in range(count):
        start = at(rng.randrange(7), rng.randrange(6, 23), rng.choice((0, 15, 30, 45)))
        end = start + timedelta(minutes=rng.choice((15, 30, 60, 90, 120, 180)))
        kind = kinds[n % 5] if n % 50 else K.PROTECTED
        items.append(item(f"k{n // 2}", kind, start, end, detail="somewhere", title=f"Item {n}"))
    return items


def test_paints_a_thousand_items(view):
    view.set_week(MONDAY, TZ, random_week(1000))
    first = view.grab()  # includes building the layout and eliding every label
    assert not first.isNull()


def demo_week() -> list[CalendarItem]:
    """A realistic week: work, a course, hockey, proposals with travel, a pin, a weekend."""
    items = [
        item(f"work-{d}", K.COMMITMENT, at(d, 8, 30), at(d, 17), title="Work", detail="Office")
        for d in range(5)
    ]
    items += [
        item(
            "course",
            K.COMMITMENT,
            at(1, 18, 30),
            at(1, 21, 30),
            title="Course: Agile Project Management",
            detail="U of T, Bahen Centre",
        ),
        *(
            item(
                f"hockey-{d}",
                K.COMMITMENT,
                at(d, 20),
                at(d, 21, 30),
                title="Hockey",
                detail="Mattamy Athletic Centre",
            )
            for d in (0, 2)
        ),
        item(
            "pmi",
            K.PROPOSED,
            at(3, 18),
            at(3, 20),
            title="PMI Toronto: Holiday Networking",
            detail="Arcadian Court",
            tooltip="PMI Toronto: Holiday Networking\nvalue 8.5",
        ),
        item("pmi", K.TRAVEL, at(3, 17), at(3, 18), title="drive 60 min", detail="from office"),
        item("pmi", K.TRAVEL, at(3, 20), at(3, 20, 40), title="drive 40 min", detail="home"),
        item(
            "wit",
            K.PROPOSED,
            at(4, 12),
            at(4, 13, 30),
            title="Women in Tech Lunch",
            detail="MaRS Discovery District",
        ),
        item("wit", K.TRAVEL, at(4, 11, 40), at(4, 12), title="walk 20 min"),
        item("wit", K.TRAVEL, at(4, 13, 30), at(4, 13, 50), title="walk 20 min"),
        item(
            "ai",
            K.PINNED,
            at(2, 17, 45),
            at(2, 19, 15),
            title="AI Tinkerers Meetup",
            detail="Shopify, 620 King St W",
        ),
        item(
            "ai",
            K.TRAVEL,
            at(2, 17, 15),
            at(2, 17, 45),
            title="transit 30 min",
            detail="from office",
        ),
        item(
            "ai", K.TRAVEL, at(2, 19, 15), at(2, 19, 40), title="drive 25 min", detail="to the rink"
        ),
        item("weekend", K.PROTECTED, at(5, 0), at(7, 0), title="weekend"),
        item("close", K.COMMITMENT, at(3, 0), at(5, 0), all_day=True, title="Quarter-end close"),
    ]
    return items


def test_renders_a_realistic_week(view):
    view.set_week(MONDAY, TZ, demo_week())
    view.select("pmi")
    pixmap = view.grab()
    assert not pixmap.isNull()
    assert pixmap.width() == view.width() and pixmap.height() == view.height()
    image = pixmap.toImage()
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)
    }
    assert len(colours) > 20  # grid, blocks, text: not a blank canvas
    assert pixmap.save(str(Path("/tmp/week_view_demo.png")))


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen platform
def test_tooltip_shows_the_item_tooltip_or_title_and_time(view, qtbot):
    view.set_week(
        MONDAY,
        TZ,
        [
            item("a", K.PROPOSED, at(1, 18), at(1, 20), tooltip="Meetup\nvalue 8"),
            item("b", K.COMMITMENT, at(2, 9), at(2, 10), title="Standup"),
        ],
    )
    for key, expected in (("a", "Meetup\nvalue 8"), ("b", "Standup\nWed 3 Dec 09:00–10:00")):
        rect = view.item_rect(key)
        assert rect is not None
        pos = center(rect)
        QApplication.sendEvent(view, QHelpEvent(QEvent.Type.ToolTip, pos, view.mapToGlobal(pos)))
        qtbot.waitUntil(lambda expected=expected: QToolTip.text() == expected)
    QToolTip.hideText()


def test_split_week_packs_transitive_overlaps_and_keeps_travel_with_its_event():
    items = [
        item("a", K.COMMITMENT, at(0, 9), at(0, 11)),
        item("b", K.COMMITMENT, at(0, 10), at(0, 12)),  # overlaps a and c
        item("c", K.COMMITMENT, at(0, 11, 30), at(0, 13)),  # not a: may reuse a's column
        item("ev", K.PINNED, at(0, 18), at(0, 19)),
        item("ev", K.TRAVEL, at(0, 17, 30), at(0, 18)),
        item("gym", K.COMMITMENT, at(0, 17), at(0, 17, 45)),  # overlaps the travel only
    ]
    day = {(s.item.key, s.item.kind): s for s in split_week(items, MONDAY, TZ).timed[0]}
    a, b, c = (day[k, K.COMMITMENT] for k in "abc")
    assert (a.column, b.column, c.column) == (0, 1, 0)
    assert a.columns == b.columns == c.columns == 2
    event, travel, gym = day["ev", K.PINNED], day["ev", K.TRAVEL], day["gym", K.COMMITMENT]
    assert event.column == travel.column != gym.column
    assert event.columns == travel.columns == gym.columns == 2
    assert travel.look is K.PINNED  # drawn in its event's colour
    assert (travel.from_hour, travel.to_hour) == (17.5, 18.0)


def test_split_week_cuts_at_midnight_and_clips_to_hours():
    items = [
        item("late", K.COMMITMENT, at(1, 22), at(2, 9)),
        item("tiny", K.COMMITMENT, at(3, 12), at(3, 12, 5)),
        item("dawn", K.COMMITMENT, at(4, 3), at(4, 4)),
        item("weekend", K.PROTECTED, at(5, 0), at(7, 0)),
    ]
    week = split_week(items, MONDAY, TZ, 7, 24)
    assert [(s.from_hour, s.to_hour) for s in week.timed[1]] == [(22.0, 24.0)]
    assert [(s.from_hour, s.to_hour) for s in week.timed[2]] == [(7.0, 9.0)]
    assert [(s.from_hour, s.to_hour) for s in week.timed[3]] == [(12.0, 12.25)]  # min height
    assert week.timed[4] == []  # 03:00-04:00 is outside 07..24
    assert [(s.from_hour, s.to_hour) for s in week.protected[5]] == [(7.0, 24.0)]
    assert [(s.from_hour, s.to_hour) for s in week.protected[6]] == [(7.0, 24.0)]


def test_split_week_uses_wall_clock_hours_on_a_dst_day():
    sunday = date(2025, 11, 2)  # clocks go back at 02:00 in Toronto
    monday = sunday - timedelta(days=6)
    start = datetime(2025, 11, 2, 18, tzinfo=TZ)
    week = split_week([item("x", K.PROPOSED, start, start + timedelta(hours=2))], monday, TZ)
    (seg,) = week.timed[6]
    assert (seg.from_hour, seg.to_hour) == (18.0, 20.0)


def test_all_day_chips_stack_in_rows():
    items = [
        item("mon-wed", K.COMMITMENT, at(0, 0), at(3, 0), all_day=True),
        item("tue", K.PROPOSED, at(1, 0), at(2, 0), all_day=True),
        item("thu", K.COMMITMENT, at(3, 0), at(4, 0), all_day=True),
        item("old", K.COMMITMENT, at(-3, 0), at(-2, 0), all_day=True),
    ]
    week = split_week(items, MONDAY, TZ)
    rows = {s.item.key: (s.day, s.last_day, s.row) for s in week.all_day}
    assert rows == {"mon-wed": (0, 2, 0), "tue": (1, 1, 1), "thu": (3, 3, 0)}
    assert week.all_day_rows == 2


def test_the_view_follows_a_dark_palette(view):
    from PySide6.QtGui import QColor, QPalette

    view.set_week(MONDAY, TZ, [item("c", ItemKind.COMMITMENT, at(0, 9), at(0, 17), title="Work")])
    light = view.grab().toImage()
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1f22"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8eaed"))
    view.setPalette(dark)
    image = view.grab().toImage()
    corner = image.pixelColor(image.width() - 5, image.height() - 5)
    assert corner.lightnessF() < 0.2 < light.pixelColor(5, image.height() - 5).lightnessF()
    work = view.item_rect("c")
    inside = image.pixelColor(int(work.center().x()), int(work.bottom() - 4))
    assert inside.lightnessF() < 0.4  # the muted commitment is muted on dark too


def test_the_painted_grid_follows_protected_time_and_the_palette(view, qtbot):
    """The grid is painted once and reused while it stays the same (a re-plan repaints the
    whole view): a weekend protected or released, and a new palette, are still drawn."""
    probe = QPoint(int(column(view, 5)[0]) + 30, view.height() - 40)  # Saturday, evening

    def colour() -> str:
        return view.grab().toImage().pixelColor(probe).name()

    view.set_week(MONDAY, TZ, [])
    free = colour()
    view.set_week(MONDAY, TZ, [item("weekend", K.PROTECTED, at(5, 0), at(7, 0))])
    shaded = {colour() for _ in range(2)}
    probe += QPoint(1, 0)  # the hatch's lines: one of two neighbours is shaded
    shaded.add(colour())
    assert shaded != {free}
    view.set_week(MONDAY, TZ, [])
    assert colour() == free
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
    dark.setColor(QPalette.ColorRole.Base, Qt.GlobalColor.black)
    dark.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.white)
    dark.setColor(QPalette.ColorRole.Text, Qt.GlobalColor.white)
    view.setPalette(dark)
    assert colour() != free

"""The candidate list's pieces on the demo week: filters, sorting, stars, model contracts.

Counts are checked against the plan's own decisions, so a filter that drops
or invents rows fails whatever the demo week holds.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QRectF, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter, QPalette
from PySide6.QtWidgets import QAbstractItemView, QTableView

from planner.core.demo import DEMO_WEEK, demo_settings, load_demo
from planner.core.model import Decision, Plan, Reason
from planner.core.planning import plan as planning
from planner.gui.candidate_filter import CandidateFilterProxy
from planner.gui.candidate_model import (
    COLUMNS,
    KEY_ROLE,
    SORT_ROLE,
    STARS_ROLE,
    VALUE_COLUMN,
    CandidateTableModel,
    plan_stars,
)
from planner.gui.filter_bar import FilterBar
from planner.gui.stars_delegate import StarsDelegate, StarsEditor, paint_stars, star_rects


@pytest.fixture(scope="module")
def demo() -> tuple[Plan, dict[str, int]]:
    """The demo week with one refusal and one commitment, so every status occurs."""
    settings = demo_settings()
    week = load_demo(DEMO_WEEK, settings)
    plain = planning.plan_week(week.commitments, week.candidates, settings, DEMO_WEEK)
    refused = next(d for d in plain.decisions if d.reason is Reason.CONFLICT).event.key
    pinned = next(d for d in plain.decisions if d.reason is Reason.LOWER_VALUE).event.key
    choices = planning.Choices(pinned=frozenset({pinned}), refused=frozenset({refused}))
    plan = planning.plan_week(week.commitments, week.candidates, settings, DEMO_WEEK, choices)
    return plan, plan_stars(plan, settings, choices)


@pytest.fixture
def plan(demo: tuple[Plan, dict[str, int]]) -> Plan:
    return demo[0]


@pytest.fixture
def model(demo: tuple[Plan, dict[str, int]]) -> CandidateTableModel:
    m = CandidateTableModel()
    m.set_plan(*demo)
    return m


@pytest.fixture
def proxy(model: CandidateTableModel) -> CandidateFilterProxy:
    p = CandidateFilterProxy()
    p.setSourceModel(model)
    return p


@pytest.fixture
def view(qtbot, proxy: CandidateFilterProxy) -> QTableView:
    table = QTableView()
    table.setModel(proxy)
    table.setItemDelegateForColumn(VALUE_COLUMN, StarsDelegate(table))
    table.setColumnWidth(VALUE_COLUMN, 120)
    table.resize(1000, 700)
    qtbot.addWidget(table)
    table.show()
    qtbot.waitExposed(table)
    return table


def count(plan: Plan, keep: Callable[[Decision], bool]) -> int:
    return sum(1 for d in plan.decisions if keep(d))


def shown_keys(proxy: CandidateFilterProxy) -> list[str]:
    return [proxy.index(row, 0).data(KEY_ROLE) for row in range(proxy.rowCount())]


def searchable(d: Decision) -> str:
    e = d.event
    return " ".join(
        (e.summary, e.category, d.explanation, d.reason.value, e.place.label, e.place.address)
    ).casefold()


# --- filters --------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["protected", "PROTECTED", "MaRS", "markham", "online"])
def test_text_filter_matches_title_category_reason_and_venue(plan, proxy, text):
    proxy.set_text(text)
    expected = count(plan, lambda d: text.casefold() in searchable(d))
    assert 0 < proxy.rowCount() == expected < len(plan.decisions)


def test_venue_alone_is_searched(plan, proxy):
    d = next(
        d
        for d in plan.decisions
        if d.event.place.name and d.event.place.name.casefold() not in d.event.summary.casefold()
    )
    proxy.set_text(d.event.place.name)
    assert d.event.key in shown_keys(proxy)


def test_every_word_must_match_and_clearing_shows_all(plan, proxy):
    proxy.set_text("professional markham")
    expected = count(plan, lambda d: "professional" in searchable(d) and "markham" in searchable(d))
    assert 0 < proxy.rowCount() == expected
    proxy.set_text("  ")
    assert proxy.rowCount() == len(plan.decisions)


def test_text_finds_statuses(plan, proxy):
    proxy.set_text("refused")
    assert proxy.rowCount() == count(plan, lambda d: d.reason is Reason.REFUSED) == 1
    proxy.set_text("committed")
    assert proxy.rowCount() >= count(plan, lambda d: d.reason is Reason.PINNED) == 1


def test_category_filter(plan, model, proxy):
    categories = model.categories()
    assert categories == sorted({d.event.category for d in plan.decisions})
    assert len(categories) >= 3
    for category in categories:
        proxy.set_category(category)
        assert proxy.rowCount() == count(plan, lambda d, c=category: d.event.category == c)
    proxy.set_category(None)
    assert proxy.rowCount() == len(plan.decisions)


@pytest.mark.parametrize(
    ("status", "keep"),
    [
        ("proposed", lambda d: d.chosen and d.reason is not Reason.PINNED),
        ("committed", lambda d: d.reason is Reason.PINNED),
        ("left out", lambda d: not d.chosen),
        ("refused", lambda d: d.reason is Reason.REFUSED),
    ],
)
def test_status_filter(plan, proxy, status, keep):
    proxy.set_status(status)
    assert 0 < proxy.rowCount() == count(plan, keep)
    proxy.set_status(None)
    assert proxy.rowCount() == len(plan.decisions)


def test_filters_combine(plan, proxy):
    proxy.set_status("left out")
    proxy.set_category("professional")
    proxy.set_text("conflict")
    expected = count(
        plan,
        lambda d: (
            not d.chosen and d.event.category == "professional" and "conflict" in searchable(d)
        ),
    )
    assert 0 < proxy.rowCount() == expected


def test_an_unchanged_filter_does_not_refilter(proxy, qtbot):
    proxy.set_text("markham")
    changes = []
    for signal in (
        proxy.layoutChanged,
        proxy.rowsRemoved,
        proxy.rowsInserted,
        proxy.modelReset,
        proxy.dataChanged,
    ):
        signal.connect(lambda *args, s=signal: changes.append(s))
    proxy.set_text("Markham ")
    proxy.set_category(None)
    proxy.set_status(None)
    assert changes == []
    proxy.set_text("markham online")
    assert changes


# --- sorting --------------------------------------------------------------------------


def test_when_sorts_as_times(plan, proxy):
    proxy.sort(COLUMNS.index("When"), Qt.SortOrder.AscendingOrder)
    starts = [proxy.index(r, 0).data(SORT_ROLE) for r in range(proxy.rowCount())]
    assert starts == sorted(d.event.start.timestamp() for d in plan.decisions)
    texts = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert texts != sorted(texts)  # "Fri" < "Mon" as text: the sort did not use it


def test_cost_sorts_as_numbers(plan, proxy):
    cost = COLUMNS.index("Cost")
    proxy.sort(cost, Qt.SortOrder.DescendingOrder)
    key_of = {d.event.key: d for d in plan.decisions}
    costs = [key_of[k].event.cost for k in shown_keys(proxy)]
    numbers = [-1.0 if c is None else c for c in costs]
    assert numbers == sorted(numbers, reverse=True)
    # As text, "$5" would sort above "$20": the demo has both, so the order shows numbers.
    assert 5.0 in numbers and 20.0 in numbers


@pytest.mark.parametrize("column", range(len(COLUMNS)))
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_the_model_sorts_as_qts_sorting_proxy_did(demo, column, order):
    """Same rows in the same order, ties included, as Qt sorting the plan's order."""
    qt_model = CandidateTableModel()
    qt_model.set_plan(*demo)
    qt_sorted = QSortFilterProxyModel()
    qt_sorted.setSortRole(SORT_ROLE)
    qt_sorted.setSourceModel(qt_model)
    qt_sorted.sort(column, order)
    ours = CandidateTableModel()
    ours.set_plan(*demo)
    proxy = CandidateFilterProxy()
    proxy.setSourceModel(ours)
    proxy.sort(column, order)
    assert shown_keys(proxy) == shown_keys(qt_sorted)


class CountingModel(CandidateTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.asked = 0

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        self.asked += 1
        return super().data(index, role)


def test_a_new_plan_keeps_the_sort_without_asking_every_row(demo):
    plan, stars = demo
    model = CountingModel()
    model.set_plan(plan, stars)
    proxy = CandidateFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(COLUMNS.index("Status"), Qt.SortOrder.AscendingOrder)
    expected = shown_keys(proxy)
    model.asked = 0
    model.set_plan(plan, stars)  # a re-plan
    assert model.asked < 10  # a sorting proxy asked for both rows of every comparison
    assert shown_keys(proxy) == expected


def test_the_selected_row_follows_its_event_when_sorted(demo):
    model = CandidateTableModel()
    model.set_plan(*demo)
    proxy = CandidateFilterProxy()
    proxy.setSourceModel(model)
    view = QTableView()
    view.setModel(proxy)
    view.selectRow(3)
    key = view.currentIndex().data(KEY_ROLE)
    proxy.sort(COLUMNS.index("Event"), Qt.SortOrder.DescendingOrder)
    assert view.currentIndex().data(KEY_ROLE) == key
    assert view.selectionModel().selectedRows()[0].data(KEY_ROLE) == key


# --- the model ------------------------------------------------------------------------


def test_value_shows_stars_and_the_value_in_the_tooltip(demo, model):
    plan, stars = demo
    for row, d in enumerate(plan.decisions):
        index = model.index(row, VALUE_COLUMN)
        n = stars[d.event.key]
        assert index.data() == "★" * n + "☆" * (5 - n)
        assert index.data(STARS_ROLE) == index.data(Qt.ItemDataRole.EditRole) == n
        assert f"value {d.value:g}" in index.data(Qt.ItemDataRole.ToolTipRole)
        assert index.flags() & Qt.ItemFlag.ItemIsEditable
        assert not model.index(row, 0).flags() & Qt.ItemFlag.ItemIsEditable


def test_set_data_reports_a_rating_and_leaves_the_plan(demo, model, qtbot):
    plan, stars = demo
    d = plan.decisions[0]
    index = model.index(0, VALUE_COLUMN)
    wanted = 5 if stars[d.event.key] != 5 else 1
    with qtbot.waitSignal(model.starsEdited) as signal:
        assert model.setData(index, wanted, Qt.ItemDataRole.EditRole)
    assert signal.args == [d.event.key, wanted]
    assert model.decision(0) is d and index.data(STARS_ROLE) == stars[d.event.key]
    with qtbot.assertNotEmitted(model.starsEdited):
        assert model.setData(index, stars[d.event.key], Qt.ItemDataRole.EditRole)
        for bad in (6, -1, "3", True, None, 2.5):
            assert not model.setData(index, bad, Qt.ItemDataRole.EditRole)
        assert not model.setData(model.index(0, 0), 3, Qt.ItemDataRole.EditRole)
        assert not model.setData(index, 3, Qt.ItemDataRole.DisplayRole)


def test_without_stars_the_value_is_a_number_and_not_rated(plan, qtbot):
    model = CandidateTableModel()
    model.set_plan(plan)  # the old call: the window gave no stars
    index = model.index(0, VALUE_COLUMN)
    assert index.data() == f"{plan.decisions[0].value:g}"
    assert index.data(STARS_ROLE) is None
    assert not index.flags() & Qt.ItemFlag.ItemIsEditable
    with qtbot.assertNotEmitted(model.starsEdited):
        assert not model.setData(index, 4, Qt.ItemDataRole.EditRole)


def test_models_pass_the_model_tester(demo, qtmodeltester):
    model = CandidateTableModel()
    qtmodeltester.check(model, force_py=True)
    model.set_plan(*demo)
    model.set_plan(demo[0])
    model.set_plan(*demo)
    model.set_plan(None)
    model.set_plan(*demo)
    assert model.rowCount() == len(demo[0].decisions)


def test_an_empty_model_passes_the_model_tester(qtmodeltester):
    model = CandidateTableModel()
    model.set_plan(None)
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() == 0 and model.categories() == []


def test_the_demo_model_passes_the_model_tester(model, qtmodeltester):
    qtmodeltester.check(model, force_py=True)


def test_the_filtered_proxy_passes_the_model_tester(demo, model, proxy, qtmodeltester):
    proxy.set_text("markham")
    proxy.set_status("left out")
    qtmodeltester.check(proxy, force_py=True)
    proxy.set_category("professional")
    proxy.sort(COLUMNS.index("Cost"), Qt.SortOrder.AscendingOrder)
    proxy.set_text("")
    model.set_plan(*demo)
    proxy.set_status(None)
    proxy.set_category(None)
    assert proxy.rowCount() == model.rowCount()


# --- stars in the view ----------------------------------------------------------------


def star_centre(view: QTableView, index, n: int) -> QPoint:
    rect = QRectF(view.visualRect(index))
    height = float(QFontMetrics(view.font()).height())
    return star_rects(rect, height)[n - 1].center().toPoint()


def value_index(view: QTableView, proxy: CandidateFilterProxy, unless: int):
    """A Value cell whose stars are not ``unless``, so rating it is a change."""
    for row in range(proxy.rowCount()):
        index = proxy.index(row, VALUE_COLUMN)
        if index.data(STARS_ROLE) != unless:
            return index
    raise AssertionError(f"every row has {unless} stars")


def test_clicking_the_fourth_star_rates_four(view, proxy, model, qtbot):
    index = value_index(view, proxy, unless=4)
    with qtbot.waitSignal(model.starsEdited) as signal:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=star_centre(view, index, 4)
        )
    assert signal.args == [index.data(KEY_ROLE), 4]


def test_clicking_the_current_star_clears_the_rating(view, proxy, model, qtbot):
    index = value_index(view, proxy, unless=0)
    current = index.data(STARS_ROLE)
    with qtbot.waitSignal(model.starsEdited) as signal:
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=star_centre(view, index, current)
        )
    assert signal.args == [index.data(KEY_ROLE), 0]


def test_clicking_beside_the_stars_does_not_rate(view, proxy, model, qtbot):
    index = proxy.index(0, VALUE_COLUMN)
    beside = view.visualRect(index).topRight() + QPoint(-2, 4)
    with qtbot.assertNotEmitted(model.starsEdited):
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=beside)
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=star_centre(view, proxy.index(0, 0), 2)
        )


def test_digits_and_plus_minus_rate_the_current_cell(view, proxy, model, qtbot):
    index = value_index(view, proxy, unless=5)
    view.setCurrentIndex(index)
    key, current = index.data(KEY_ROLE), index.data(STARS_ROLE)
    with qtbot.waitSignal(model.starsEdited) as signal:
        qtbot.keyClick(view, "5")
    assert signal.args == [key, 5]
    with qtbot.waitSignal(model.starsEdited) as signal:
        qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert signal.args == [key, current + 1]
    with qtbot.waitSignal(model.starsEdited) as signal:
        qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert signal.args == [key, current - 1]
    with qtbot.assertNotEmitted(model.starsEdited):
        qtbot.keyClick(view, "7")
        qtbot.keyClick(view, "3", modifier=Qt.KeyboardModifier.ControlModifier)


def test_the_editor_moves_with_arrows_and_commits_on_enter(view, proxy, model, qtbot):
    index = value_index(view, proxy, unless=5)
    view.setCurrentIndex(index)
    key, current = index.data(KEY_ROLE), index.data(STARS_ROLE)
    assert view.edit(index, QAbstractItemView.EditTrigger.EditKeyPressed, None)
    editor = view.findChild(StarsEditor)
    assert editor is not None and editor.stars() == current
    qtbot.keyClick(editor, Qt.Key.Key_Right)
    qtbot.keyClick(editor, Qt.Key.Key_Right)
    qtbot.keyClick(editor, Qt.Key.Key_Left)
    assert editor.stars() == current + 1
    with qtbot.waitSignal(model.starsEdited) as signal:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert signal.args == [key, current + 1]


def test_escape_leaves_the_rating_alone(view, proxy, model, qtbot):
    index = value_index(view, proxy, unless=5)
    view.setCurrentIndex(index)
    assert view.edit(index, QAbstractItemView.EditTrigger.EditKeyPressed, None)
    editor = view.findChild(StarsEditor)
    with qtbot.assertNotEmitted(model.starsEdited):
        qtbot.keyClick(editor, "5")
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
        qtbot.wait(10)


def test_clicking_a_star_in_the_editor_commits_it(view, proxy, model, qtbot):
    index = value_index(view, proxy, unless=2)
    assert view.edit(index, QAbstractItemView.EditTrigger.EditKeyPressed, None)
    editor = view.findChild(StarsEditor)
    height = float(editor.fontMetrics().height())
    where = star_rects(QRectF(editor.rect()), height)[1].center().toPoint()
    with qtbot.waitSignal(model.starsEdited) as signal:
        qtbot.mouseClick(editor, Qt.MouseButton.LeftButton, pos=where)
    assert signal.args == [index.data(KEY_ROLE), 2]


def test_more_stars_paint_more_ink_at_any_pixel_ratio():
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Text, QColor("black"))

    def ink(stars: int, ratio: float) -> int:
        image = QImage(int(120 * ratio), int(24 * ratio), QImage.Format.Format_ARGB32)
        image.setDevicePixelRatio(ratio)
        image.fill(QColor("white"))
        painter = QPainter(image)
        paint_stars(painter, QRectF(0, 0, 120, 24), stars, palette, 16.0)
        painter.end()
        return sum(
            1
            for x in range(image.width())
            for y in range(image.height())
            if QColor(image.pixel(x, y)).lightness() < 128
        )

    for ratio in (1.0, 2.0):
        amounts = [ink(n, ratio) for n in range(6)]
        assert amounts == sorted(amounts) and len(set(amounts)) == 6


def test_the_view_paints_stars_without_warnings(view):
    image = view.grab()
    assert not image.isNull()


# --- the filter bar -------------------------------------------------------------------


def test_filter_bar_reports_what_the_user_picks(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    assert bar.text.isClearButtonEnabled() and bar.text.placeholderText()
    assert bar.text.accessibleName() and bar.category.accessibleName()
    statuses = [bar.status.itemText(i) for i in range(bar.status.count())]
    assert statuses == ["All", "Proposed", "Committed", "Left out", "Refused"]
    with qtbot.waitSignal(bar.textChanged) as signal:
        bar.text.setText("hack night")
    assert signal.args == ["hack night"]
    with qtbot.waitSignal(bar.statusChanged) as signal:
        bar.status.setCurrentIndex(4)
    assert signal.args == ["refused"]
    with qtbot.waitSignal(bar.statusChanged) as signal:
        bar.status.setCurrentIndex(0)
    assert signal.args == [None]


def test_filter_bar_keeps_the_category_while_the_plan_has_it(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.set_categories(["tech-meetup", "alumni", "", "alumni"])
    assert [bar.category.itemText(i) for i in range(bar.category.count())] == [
        "All categories",
        "alumni",
        "tech-meetup",
    ]
    with qtbot.waitSignal(bar.categoryChanged) as signal:
        bar.category.setCurrentIndex(2)
    assert signal.args == ["tech-meetup"]
    with qtbot.assertNotEmitted(bar.categoryChanged):
        bar.set_categories(["professional", "tech-meetup"])
    assert bar.current_category() == "tech-meetup"
    with qtbot.waitSignal(bar.categoryChanged) as signal:
        bar.set_categories(["professional"])
    assert signal.args == [None]
    assert bar.current_category() is None


def test_filter_bar_drives_the_proxy(plan, proxy, qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.textChanged.connect(proxy.set_text)
    bar.categoryChanged.connect(proxy.set_category)
    bar.statusChanged.connect(proxy.set_status)
    bar.set_categories(sorted({d.event.category for d in plan.decisions}))
    bar.category.setCurrentIndex(bar.category.findData("alumni"))
    assert proxy.rowCount() == count(plan, lambda d: d.event.category == "alumni")
    bar.status.setCurrentIndex(bar.status.findData("left out"))
    expected = count(plan, lambda d: d.event.category == "alumni" and not d.chosen)
    assert proxy.rowCount() == expected
    bar.category.setCurrentIndex(0)
    bar.status.setCurrentIndex(0)
    assert proxy.rowCount() == len(plan.decisions)


def test_focus_text_selects_the_search(qtbot):
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.show()
    qtbot.waitExposed(bar)
    bar.activateWindow()
    bar.text.setText("travel")
    bar.focus_text()
    qtbot.waitUntil(bar.text.hasFocus)
    assert bar.text.selectedText() == "travel"

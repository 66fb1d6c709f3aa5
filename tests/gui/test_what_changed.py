"""The window says what a decision changed: one line above the week with Undo, the changed
blocks and rows outlined for a moment, and status messages that stay (issue #16)."""

from dataclasses import replace

import pytest

from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.model import Reason
from planner.core.session import Session, calendar_loader
from planner.gui.main_window import MainWindow
from planner.gui.what_changed import FLASH_MS


@pytest.fixture
def window(qtbot):
    win = MainWindow(
        Session(calendar_loader(demo=True), demo_settings()), DEMO_WEEK, remember_layout=False
    )
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.planned, timeout=30_000):
        win.show()
    return win


def find(window, part):
    return next(d for d in window.plan.decisions if part in d.event.summary)


def test_committing_names_what_it_pushed_out_and_undo_from_the_bar_restores(window, qtbot):
    bar = window.what_changed.bar
    assert bar.isHidden()  # nothing decided yet
    whitby, talks, hdi = (find(window, t) for t in ("Whitby Chamber", "Lightning", "HDI"))
    assert talks.chosen and hdi.chosen and not whitby.chosen
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.pin(whitby.event.key)
    assert bar.isVisible()
    said = bar.message.text()
    assert said.startswith("Because you committed to Whitby Chamber of Commerce: ")
    talks_out = "Durham Tech: Lightning Talks… left out (clashes with Whitby Chamber of Commerce)"
    assert talks_out in said
    assert "HDI Toronto Local Chapter left out (over your 6 h)" in said
    assert bar.accessibleDescription() == said
    # The changed blocks and rows are outlined, and only they.
    outlined = window.what_changed.week_outline.keys
    owls = find(window, "Night Owls")
    assert outlined == {whitby.event.key, talks.event.key, hdi.event.key, owls.event.key}
    assert window.what_changed.list_outline.keys == outlined
    assert window.what_changed.week_outline.isVisible()
    # Undo from the bar takes the commitment back: the plan is what it was.
    assert bar.undo.text() == "Undo"
    with qtbot.waitSignal(window.planned, timeout=30_000):
        bar.undo.click()
    assert find(window, "Lightning").chosen and find(window, "HDI").chosen
    assert not find(window, "Whitby Chamber").chosen
    assert window.session.choices.pinned == frozenset()
    assert bar.message.text().startswith(
        "Because you undid “Commit to Whitby Chamber of Commerce: Business Af…”: "
    )
    assert bar.undo.text() == "Redo"  # the line is about an undo: its button makes it again
    # Dismissed, it stays away until the next decision.
    bar.close_button.click()
    assert bar.isHidden()


def test_the_outline_fades_and_ends_with_its_animation(window, qtbot):
    whitby = find(window, "Whitby Chamber")
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.pin(whitby.event.key)
    outline = window.what_changed.week_outline
    assert outline.animation.duration() == FLASH_MS
    assert outline.animation.parent() is outline  # it goes with the widget
    with qtbot.waitSignal(outline.animation.finished, timeout=10_000):
        pass
    assert outline.isHidden() and outline.keys == frozenset()


def test_refusing_rating_and_a_settings_change_each_say_a_line(window, qtbot):
    bar = window.what_changed.bar
    talks = find(window, "Lightning")
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.refuse(talks.event.key)
    assert bar.message.text() == (
        "Because you refused Durham Tech: Lightning Talks…: Remote DevOps Night Owls proposed."
    )
    assert window.what_changed.week_outline.keys == {find(window, "Night Owls").event.key} | {
        talks.event.key
    }
    hdi = find(window, "HDI")
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.rate(hdi.event.key, 0)
    assert find(window, "HDI").reason is Reason.NO_VALUE
    assert bar.message.text().startswith("Because you rated HDI Toronto Local Chapter 0 stars: ")
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.session.set_settings(replace(window.session.settings, weekly_hours=1))
    said = bar.message.text()
    assert said.startswith("Because you changed your settings: ")
    assert "left out (over your 1 h)" in said


def test_a_decision_that_changes_nothing_else_says_so(window, qtbot):
    talks = find(window, "Lightning")  # proposed already
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.pin(talks.event.key)
    assert window.what_changed.bar.message.text() == (
        "You committed to Durham Tech: Lightning Talks…; nothing else changed."
    )
    assert window.what_changed.week_outline.keys == frozenset()


def test_status_messages_stay_through_the_re_plan(window, qtbot):
    talks = find(window, "Lightning")
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.refuse(talks.event.key)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.undo()
    # "Undone: …" is said after the undo, and the re-plan that follows does not replace it.
    assert window.statusBar().currentMessage() == (
        "Undone: Refuse “Durham Tech: Lightning Talks & Pizza”"
    )
    assert window.plan_status.text().startswith("Planned 49 candidates in ")
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.go_week(7)  # moving on is not a decision: the message still stands
    assert window.statusBar().currentMessage().startswith("Undone: ")
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.go_week(-7)
    with qtbot.waitSignal(window.planned, timeout=30_000):
        window.decisions.refuse(find(window, "HDI").event.key)  # something else: it goes
    assert window.statusBar().currentMessage() == ""

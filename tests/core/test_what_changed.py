"""What a decision changed, in one sentence led by its cause (issue #16: "Committing to
one event silently removed the user's only 5-star proposal")."""

from dataclasses import replace
from datetime import date

from planner.core.changes import Change, State, cause, decided_on
from planner.core.demo import DEMO_WEEK, demo_settings
from planner.core.model import Choices
from planner.core.planning.plan import plan_week
from planner.core.planning.what_changed import compare, sentence, short_title, titles
from planner.core.session import Session, calendar_loader
from tests.core.week_builder import ONLINE, event, settings

MONDAY = date(2026, 11, 23)
COFFEE = {
    "name": "Coffee or call",
    "minutes": 60,
    "times_per_week": 1,
    "days": ["mon", "tue", "wed", "thu", "fri"],
    "from": "12:00",
    "to": "14:00",
    "stars": 4,
}


def demo_session() -> Session:
    return Session(calendar_loader(demo=True), demo_settings())


def summary(plan, part):
    return next(d.event for d in plan.decisions if part in d.event.summary)


def test_committing_names_what_it_pushed_out_and_the_rule_that_did():
    session = demo_session()
    before = session.plan(session.state, DEMO_WEEK)[2]
    whitby = summary(before, "Whitby Chamber")
    change = session.pin(whitby)
    after = session.plan(session.state, DEMO_WEEK)[2]
    changes = compare(before, after)
    assert whitby.key in changes.keys  # newly proposed, as the one committed to
    said = sentence(
        changes.without(decided_on(change)), after, cause(change, titles([before, after]))
    )
    assert said == (
        "Because you committed to Whitby Chamber of Commerce: "
        "Durham Tech: Lightning Talks… left out (clashes with Whitby Chamber of Commerce); "
        "HDI Toronto Local Chapter left out (over your 6 h); "
        "Remote DevOps Night Owls proposed."
    )
    talks, hdi, owls = (summary(after, t) for t in ("Lightning", "HDI", "Night Owls"))
    assert changes.without(whitby.key).keys == {talks.key, hdi.key, owls.key}


def test_undo_says_what_came_back():
    session = demo_session()
    before = session.plan(session.state, DEMO_WEEK)[2]
    session.pin(summary(before, "Whitby Chamber"))
    pinned = session.plan(session.state, DEMO_WEEK)[2]
    change = session.undo()
    after = session.plan(session.state, DEMO_WEEK)[2]
    said = sentence(
        compare(pinned, after).without(decided_on(change)),
        after,
        cause(change, titles([pinned]), undone=True),
    )
    assert said.startswith(
        "Because you undid “Commit to Whitby Chamber of Commerce: Business Af…”: "
        "Remote DevOps Night Owls left out (over your 6 h); "
    )
    assert "HDI Toronto Local Chapter proposed" in said


def test_nothing_else_changed_is_said():
    session = demo_session()
    before = session.plan(session.state, DEMO_WEEK)[2]
    change = session.pin(summary(before, "Lightning Talks"))  # proposed already
    after = session.plan(session.state, DEMO_WEEK)[2]
    changes = compare(before, after)
    assert not changes
    said = sentence(changes, after, cause(change, titles([before])))
    assert said == "You committed to Durham Tech: Lightning Talks…; nothing else changed."
    assert sentence(changes, after) == "Nothing else changed."


def test_a_settings_change_and_a_rating_lead_their_sentence():
    session = demo_session()
    before = session.plan(session.state, DEMO_WEEK)[2]
    change = session.set_settings(replace(session.settings, weekly_hours=2))
    after = session.plan(session.state, DEMO_WEEK)[2]
    said = sentence(compare(before, after), after, cause(change, titles([before])))
    assert said.startswith("Because you changed your settings: ")
    assert "left out (over your 2 h)" in said
    rated = session.set_stars(summary(after, "HDI"), 0)
    assert cause(rated, titles([after])) == "you rated HDI Toronto Local Chapter 0 stars"


def test_a_flexible_block_that_moves_is_one_change_with_its_days():
    """Committing to a lunch event on the block's day moves the block: "moved Mon → Tue",
    not a block left out and another proposed."""
    s = settings(flexible=[COFFEE])
    lunch = event("lunch", 23, (12, 0), (14, 0), ONLINE, summary="Lunch & Learn")
    before = plan_week([], [lunch], s, MONDAY, Choices(refused=frozenset({"lunch"})))
    after = plan_week([], [lunch], s, MONDAY, Choices(pinned=frozenset({"lunch"})))
    changes = compare(before, after)
    (block_before,) = [d for d in before.chosen if d.event.uid.startswith("flexible:")]
    assert block_before.event.start.day == 23
    assert len(changes.moved) == 1 and changes.proposed[0].event.uid == "lunch"
    (old, new) = changes.moved[0]
    assert old.event.key == block_before.event.key
    assert new.event.start.day != 23 and new.event.key in changes.keys
    said = sentence(changes.without("lunch"), after, "you committed to Lunch & Learn")
    assert said == (
        f"Because you committed to Lunch & Learn: Coffee or call moved Mon → "
        f"{new.event.start.strftime('%a')}."
    )


def test_long_lists_are_summarised():
    s = settings(budget={"weekly_hours": 20, "max_events_per_week": 10, "max_events_per_day": 3})
    events = [
        event(f"e{d}", d, (19, 0), (20, 0), ONLINE, summary=f"Online talk {d}")
        for d in range(23, 28)
    ]
    before = plan_week([], events, s, MONDAY)
    assert len(before.chosen) == 5
    fewer = replace(s, weekly_hours=1)
    after = plan_week([], events, fewer, MONDAY)
    changes = compare(before, after)
    assert len(changes.left_out) == 4
    said = sentence(changes, after, "you changed your settings")
    assert said.count("left out (over your 1 h)") == 3
    assert said.endswith("; and 1 more.")


def test_plans_of_different_weeks_are_not_compared_and_no_plan_before_is_empty():
    session = demo_session()
    plan = session.plan(session.state, DEMO_WEEK)[2]
    later = session.plan(session.state, date(2026, 11, 30))[2]
    assert not compare(plan, later)
    assert {d.event.key for d in compare(None, plan).proposed} == {d.event.key for d in plan.chosen}


def test_short_titles_keep_what_a_person_recognises():
    assert short_title(
        "HDI (Help Desk Institute) Toronto Local Chapter: November Member Meeting"
    ) == ("HDI Toronto Local Chapter")
    assert short_title("Toronto Python") == "Toronto Python"
    assert short_title("Durham Tech: Lightning Talks & Pizza") == "Durham Tech: Lightning Talks…"


def test_cause_of_each_kind_of_decision():
    base = State(demo_settings())
    ev = {"a": "Alpha mixer", "b": "Beta talks"}

    def said(after: Choices, before: Choices | None = None) -> str:
        before = before or Choices()
        return cause(Change("x", replace(base, choices=before), replace(base, choices=after)), ev)

    assert said(Choices(pinned=frozenset({"a"}))) == "you committed to Alpha mixer"
    assert said(Choices(refused=frozenset({"b"}))) == "you refused Beta talks"
    assert (
        said(Choices(), Choices(pinned=frozenset({"a"}))) == "you left Alpha mixer to the planner"
    )
    assert said(Choices(stars={"a": 1})) == "you rated Alpha mixer 1 star"
    assert said(Choices(), Choices(stars={"a": 3})) == "you cleared your stars for Alpha mixer"

"""A Plan as JSON (the CLI contract) and as a table for the terminal."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence
from typing import Any

from planner.core.model import BudgetUse, Decision, Place, Plan, Problem, Severity, is_flexible
from planner.core.text import wording


def decision_json(d: Decision) -> dict[str, Any]:
    e = d.event
    return {
        "uid": e.uid,
        "key": e.key,
        "kind": "flexible" if is_flexible(e) else "event",
        "summary": e.summary,
        "start": e.start.isoformat(),
        "end": e.end.isoformat(),
        "all_day": e.all_day,
        "category": e.category,
        "venue": e.place.label,
        "address": e.place.address,
        "virtual": e.place.virtual,
        "venue_note": e.place.note,
        "cost": e.cost,
        "url": e.url,
        "status": "chosen" if d.chosen else "left_out",
        "reason_code": d.reason.value,
        "reason": d.explanation,
        "what_if": d.what_if,
        "value": d.value,
        "charged_minutes": d.charged_minutes,
        "travel_to_minutes": d.trip_to.minutes if d.trip_to else 0,
        "travel_from_minutes": d.trip_from.minutes if d.trip_from else 0,
        "travel_mode": d.trip_to.mode.value if d.trip_to else None,
        "travel_source": d.trip_to.source if d.trip_to else None,
        "travel_to_legs": [leg.as_json() for leg in d.trip_to.legs] if d.trip_to else [],
        "travel_from_legs": [leg.as_json() for leg in d.trip_from.legs] if d.trip_from else [],
        "travel_assumed": bool(
            (d.trip_to and d.trip_to.assumed) or (d.trip_from and d.trip_from.assumed)
        ),
        "leave_at": d.leave_at.isoformat(),
        "back_at": d.back_at.isoformat(),
        "origin": d.origin,
        "destination": d.destination,
        "breaks": d.breaks,
    }


def unread(problems: Sequence[Problem]) -> list[Problem]:
    """The calendars that could not be read at all: nothing of them is in the plan."""
    return [p for p in problems if p.severity is Severity.ERROR]


def notices(plan: Plan, problems: Sequence[Problem] = ()) -> list[str]:
    """What the user must know before trusting the plan, one sentence each: every
    calendar that could not be read (the plan is made without it: it may propose an
    event that clashes with what it holds) and what went wrong while planning (a router
    that did not answer). The terminal prints them above the summary; the window shows
    them in a bar above the week."""
    said = [f"Not read, so this plan is made without it: {p}" for p in unread(problems)]
    return said + [str(p) for p in plan.problems]


def plan_json(plan: Plan, problems: Sequence[Problem] = ()) -> dict[str, Any]:
    """The ``planner plan --json`` object; its keys are a documented contract.

    ``problems`` holds those of reading the calendars, then the plan's own (a router
    that did not answer), each as :meth:`Problem.as_json`.
    """
    b = plan.budget
    return {
        "week_start": plan.week_start.date().isoformat(),
        "timezone": plan.timezone,
        "optimal": plan.optimal,
        "total_value": plan.total_value,
        "solve_seconds": round(plan.solve_seconds, 4),
        "budget": {
            "limit_minutes": b.limit_minutes,
            "used_minutes": b.used_minutes,
            "travel_minutes": b.travel_minutes,
            "events": b.events,
            "max_events": b.max_events,
            "evenings": b.evenings,
            "max_evenings": b.max_evenings,
            "money": b.money,
            "money_limit": b.money_limit,
            "committed_minutes": b.committed_minutes,
        },
        "targets": [
            {
                "category": t.category,
                "minimum": t.minimum,
                "achieved": t.achieved,
                "met": t.met,
                "explanation": t.explanation,
            }
            for t in plan.targets
        ],
        "flexible": [
            {"name": f.name, "wanted": f.wanted, "placed": f.placed, "explanation": f.explanation}
            for f in plan.flexible
        ],
        "candidates": [decision_json(d) for d in plan.decisions],
        "problems": [p.as_json() for p in (*problems, *plan.problems)],
    }


def where_said(place: Place) -> str:
    """The place as the plan names it, with how it was learnt or why it is unknown when
    its calendar did not give it ("Spark Centre (venue read from the event's page)")."""
    if place.note.startswith("location unknown"):
        return place.note
    return f"{place.label} ({place.note})" if place.note else place.label


def over_budget(budget: BudgetUse) -> str:
    """``"over by 1 h 10 min because of events you committed to"``, or "" within budget.

    Only events the user committed to can take a week over: the optimiser fits what it
    chooses in what they leave (charging each trip as if alone, which can only
    over-estimate), but keeps every committed event whatever it costs.
    """
    if not budget.over_minutes:
        return ""
    why = " because of events you committed to" if budget.committed_minutes else ""
    return f"over by {wording.minutes(budget.over_minutes)}{why}"


def summary_line(plan: Plan) -> str:
    """One sentence on the week: what is proposed and what it uses."""
    b = plan.budget
    if not plan.decisions:  # "0 of 0 events proposed (optimal)" says nothing to anyone
        return "No candidate events this week, so nothing to propose."
    proof = "optimal" if plan.optimal else "best found, not proven optimal"
    money = f", {wording.money(b.money)} in tickets" if b.money else ""
    over = over_budget(b)
    return (
        f"{b.events} of {len(plan.decisions)} events proposed ({proof}): "
        f"{wording.minutes(b.used_minutes)} of your {wording.minutes(b.limit_minutes)} "
        f"(travel {wording.minutes(b.travel_minutes)}){': ' + over + ';' if over else ','} "
        f"{b.evenings} of {b.max_evenings} evenings out{money}."
    )


def plan_table(plan: Plan, width: int | None = None, problems: Sequence[Problem] = ()) -> str:
    """A readable table: what the user must know first (:func:`notices`), the summary,
    the proposed events, then every other one with its reason."""
    width = width or min(120, shutil.get_terminal_size((100, 20)).columns)
    lines = [f"Week of {wording.long_date(plan.week_start)} ({plan.timezone})"]
    for notice in notices(plan, problems):
        lines += textwrap.wrap(notice, width - 2, initial_indent="! ", subsequent_indent="  ")
    lines += [summary_line(plan), ""]
    lines.append("PROPOSED")
    for d in plan.chosen:
        lines.append(f"  {wording.span(d.event):<18} {d.event.summary}")
        where = where_said(d.event.place)
        cost = wording.money(d.event.cost)
        detail = f"{where}; {cost}; {d.explanation}"
        lines += textwrap.wrap(
            detail, width - 4, initial_indent=" " * 21, subsequent_indent=" " * 21
        )
    if not plan.chosen:
        lines.append("  nothing fits this week")
    if plan.flexible:
        lines += ["", "FLEXIBLE TIME"]
        for f in plan.flexible:
            lines += textwrap.wrap(
                f"{f.name}: {f.explanation}",
                width - 4,
                initial_indent="  ",
                subsequent_indent="    ",
            )
    if plan.targets:
        lines += ["", "TARGETS"]
        for t in plan.targets:
            lines += textwrap.wrap(
                f"at least {t.minimum} {t.category} a week: {t.explanation}",
                width - 4,
                initial_indent="  ",
                subsequent_indent="    ",
            )
    lines += ["", "LEFT OUT"]
    for d in plan.left_out:
        lines.append(f"  {wording.span(d.event):<18} {d.event.summary}")
        note = f"; {d.event.place.note}" if d.event.place.note else ""
        lines += textwrap.wrap(
            f"[{d.reason.value}] {d.explanation}{note}",
            width - 4,
            initial_indent=" " * 21,
            subsequent_indent=" " * 21,
        )
    return "\n".join(lines)

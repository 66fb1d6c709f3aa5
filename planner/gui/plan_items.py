"""Turning a core Plan into the blocks the week view draws.

Pure adaptation: what is drawn as proposed, pinned or travel is decided by
the plan; this module only chooses titles and tooltips.
"""

from __future__ import annotations

from planner.core.model import Decision, Plan, Reason
from planner.core.text import wording
from planner.gui.calendar_item import CalendarItem, ItemKind


def decision_tooltip(d: Decision) -> str:
    e = d.event
    lines = [e.summary, wording.span(e), e.place.label]
    if e.place.address:
        lines.append(e.place.address)
    lines.append(f"Cost: {wording.money(e.cost)}")
    lines.append(("Proposed: " if d.chosen else "Left out: ") + d.explanation)
    return "\n".join(lines)


def _leave_note(d: Decision) -> str:
    """ "Leave 17:15": when to set off, on the block itself (an online event needs none)."""
    if d.trip_to is None or not d.trip_to.minutes or d.event.all_day:
        return ""
    return f"Leave {wording.clock(d.leave_at)}"


def items_for(plan: Plan) -> list[CalendarItem]:
    """Commitments, chosen events with their travel, and protected times."""
    items = [
        CalendarItem(f"protected-{start.isoformat()}", ItemKind.PROTECTED, "protected", start, end)
        for start, end in plan.protected
    ]
    for c in plan.commitments:
        if c.end <= c.start and not c.all_day:
            continue
        detail = c.place.label if c.place.name or c.place.virtual else ""
        tip = f"{c.summary}\n{wording.span(c)}" + (f"\n{c.place.label}" if detail else "")
        if not c.busy:
            tip += "\n(free time: marked transparent)"
        items.append(
            CalendarItem(
                f"commitment-{c.key}",
                ItemKind.COMMITMENT,
                c.summary,
                c.start,
                c.end,
                detail,
                tip,
                c.all_day,
            )
        )
    for d in plan.chosen:
        e = d.event
        kind = ItemKind.PINNED if d.reason is Reason.PINNED else ItemKind.PROPOSED
        items.append(
            CalendarItem(
                e.key,
                kind,
                e.summary,
                e.start,
                e.end,
                e.place.label,
                decision_tooltip(d),
                e.all_day,
                note=_leave_note(d),
            )
        )
        if d.trip_to is not None and d.trip_to.minutes:
            items.append(
                CalendarItem(
                    e.key,
                    ItemKind.TRAVEL,
                    d.trip_to.label,
                    d.leave_at,
                    e.start,
                    f"from {d.origin}",
                    f"Travel to {e.summary}: {d.trip_to.label} from {d.origin}, "
                    f"leave at {wording.clock(d.leave_at)}"
                    + (" (rush hour)" if d.trip_to.rush_hour else ""),
                    short_title=f"{d.trip_to.minutes} min",
                )
            )
        if d.trip_from is not None and d.trip_from.minutes:
            items.append(
                CalendarItem(
                    e.key,
                    ItemKind.TRAVEL,
                    d.trip_from.label,
                    e.end,
                    d.back_at,
                    f"to {d.destination}",
                    f"Travel from {e.summary} to {d.destination}: "
                    f"{d.trip_from.label}, arrive {wording.clock(d.back_at)}",
                    short_title=f"{d.trip_from.minutes} min",
                )
            )
    return items

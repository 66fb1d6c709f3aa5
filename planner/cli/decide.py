"""Deciding without the window: ``planner commit``, ``refuse``, ``undecide``, ``rate``,
``undo`` and ``redo`` on the saved planning.

Each opens the session the window uses (same store, same settings file), finds
the event among the candidates of the week, asks the session to decide (the
session keeps the decision and its step of the undo history the window shares),
re-plans the week and says what changed against the plan before the decision: the
window's sentence (:mod:`planner.core.planning.what_changed`, led by the cause), then
the events newly proposed and newly left out, with their reasons. The policy
(what a decision is, what undo takes back) is the core session's; this module
only finds the event and prints. Core is imported inside the functions, so that
start-up stays fast.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from planner.cli.output import EXIT_USAGE, warn_week
from planner.cli.saved import (
    CommandError,
    _check_saved,
    _event_when,
    _open_store,
    _saved_settings,
)

if TYPE_CHECKING:
    from planner.core.model import Decision, Event, Plan
    from planner.core.planning.week import WeekData
    from planner.core.session import Change, Session
    from planner.core.storage.store import Store

_log = logging.getLogger(__name__)

DONE = {
    "commit": "Committed to",
    "refuse": "Refused",
    "undecide": "Left to the planner:",
}
ALREADY = {
    "commit": "you are committed to {title} already",
    "refuse": "{title} is refused already",
    "undecide": "{title} is left to the planner already (neither committed to nor refused)",
}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one command did, for the terminal and for ``--json``."""

    action: str
    message: str
    changed: bool
    before: Plan | None
    after: Plan | None
    event: Event | None = None
    cause: str = ""
    """What the user did, in words, to lead the sentence on what changed."""
    subject: str = ""
    """The key of the event the change was about, which the cause names."""


def run_decide(args: argparse.Namespace) -> int:
    """``planner commit|refuse|undecide|rate EVENT``: decide, re-plan, say what changed."""
    from planner.core.saved import open_session

    settings, settings_path = _saved_settings(args.settings)
    day: date = args.week or datetime.now(settings.zone).date()
    with _open_store() as store:
        _check_something_to_plan(store, args.command)
        session = open_session(store, settings, settings_path=settings_path)
        _settings, week, before = session.plan(session.state, day)
        warn_week(week)
        event = find_event(args.command, args.event, before, week)
        title = f"“{event.summary}”"
        change = _decide(session, args, event)
        _check_saved(session)
        if change is None:
            message = _already(args, title)
            after = before
        else:
            message = _done(args, event, title)
            after = session.plan(session.state, day)[2]
            _record(store, after)
    cause, subject = _cause(change, before, after)
    outcome = Outcome(
        args.command, message, change is not None, before, after, event, cause, subject
    )
    return _report(outcome, args)


def run_undo(args: argparse.Namespace) -> int:
    """``planner undo`` / ``planner redo``: the last change, wherever it was made (the
    window or the terminal), taken back or made again; then what changed in its week."""
    from planner.core.saved import open_session

    settings, settings_path = _saved_settings(args.settings)
    redo = args.command == "redo"
    with _open_store() as store:
        session = open_session(store, settings, settings_path=settings_path)
        label = session.redo_label if redo else session.undo_label
        if not label:
            print(f"Nothing to {args.command}.", file=sys.stderr)
            return 1
        stepped = session.redo_day if redo else session.undo_day
        day = args.week or stepped or datetime.now(settings.zone).date()
        before = _plan_if_any(session, day)
        change = session.redo() if redo else session.undo()
        _check_saved(session)
        after = _plan_if_any(session, day)
        if after is not None:
            _record(store, after)
        message = f"{'Redone' if redo else 'Undone'}: {label}."
        cause, subject = _cause(change, before, after, undone=not redo)
    outcome = Outcome(
        args.command, message, change is not None, before, after, cause=cause, subject=subject
    )
    return _report(outcome, args)


def _cause(
    change: Change | None, before: Plan | None, after: Plan | None, *, undone: bool = False
) -> tuple[str, str]:
    """The cause as the window says it ("you committed to Whitby Chamber of Commerce"),
    and the key of the event it names ("" when none)."""
    from planner.core.changes import cause, decided_on
    from planner.core.planning.what_changed import titles

    if change is None:
        return "", ""
    return cause(change, titles([before, after]), undone=undone), decided_on(change)


# --- finding the event ---------------------------------------------------------------------
def find_event(command: str, wanted: str, plan: Plan, week: WeekData) -> Event:
    """The candidate ``wanted`` names: its key or uid, else an unambiguous part of its
    title (case-insensitive). Raises a usage :class:`CommandError` listing the matches
    when several fit, or saying why none does."""
    from planner.core.model import is_flexible

    candidates = [d.event for d in plan.decisions if not is_flexible(d.event)]
    found = _matches(wanted, candidates)
    if len(found) == 1:
        return found[0]
    where = f"the week of {_monday(plan)}"
    if found:
        raise ambiguous(command, wanted, found, where)
    mine = _matches(wanted, week.commitments)
    if mine:
        event = mine[0]
        raise CommandError(
            f"planner {command}: “{event.summary}” ({_event_when(event)}) is one of your "
            "commitments, not a candidate: planner plans around commitments and does not "
            "decide about them",
            EXIT_USAGE,
        )
    raise CommandError(
        f"planner {command}: no candidate in {where} matches “{wanted}” (its key, uid or "
        f"part of its title); `planner plan --week {plan.week_start.date()}` lists them",
        EXIT_USAGE,
    )


def ambiguous(command: str, wanted: str, found: list[Event], where: str) -> CommandError:
    """The usage error for an EVENT that matches several: each listed with its day, time,
    title and key, so the user can pick one (for deciding and for marking alike)."""
    rows = "\n".join(
        f"  {_event_when(e):<26}{e.summary}  (key: {e.key})"
        for e in sorted(found, key=lambda e: (e.start, e.summary))
    )
    return CommandError(
        f"planner {command}: “{wanted}” matches {len(found)} events in {where}; "
        f"give more of the title, or the key:\n{rows}",
        EXIT_USAGE,
    )


def _matches(wanted: str, events: list[Event]) -> list[Event]:
    """By key, else uid (every occurrence of a series), else title: a whole title that
    equals ``wanted`` wins over titles that only contain it."""
    text = wanted.strip()
    if not text:
        return []
    by_key = _unique([e for e in events if e.key == text])
    by_uid = _unique([e for e in events if e.uid == text])
    if by_key or by_uid:
        return by_key or by_uid
    folded = text.casefold()
    titled = _unique([e for e in events if folded in e.summary.casefold()])
    whole = [e for e in titled if e.summary.casefold() == folded]
    return whole if len(whole) == 1 else titled


def _unique(events: list[Event]) -> list[Event]:
    seen: dict[str, Event] = {}
    for event in events:
        seen.setdefault(event.key, event)
    return list(seen.values())


# --- deciding ------------------------------------------------------------------------------
def _decide(session: Session, args: argparse.Namespace, event: Event) -> Change | None:
    actions: dict[str, Callable[[Event], Change | None]] = {
        "commit": session.pin,
        "refuse": session.refuse,
        "undecide": session.undecide,
    }
    if args.command != "rate":
        return actions[args.command](event)
    if args.stars is None:
        return session.clear_stars(event)
    return session.set_stars(event, args.stars)


def _done(args: argparse.Namespace, event: Event, title: str) -> str:
    when = _event_when(event)
    if args.command != "rate":
        return f"{DONE[args.command]} {title} ({when})."
    if args.stars is None:
        return (
            f"Cleared your stars for {title} ({when}): your keyword rules or the default rate it."
        )
    if args.stars == 0:
        return f"Rated {title} ({when}) 0 stars: not interested, so it is not proposed."
    return f"Rated {title} ({when}) {args.stars} star{'s' if args.stars != 1 else ''}."


def _already(args: argparse.Namespace, title: str) -> str:
    if args.command != "rate":
        said = ALREADY[args.command].format(title=title)
    elif args.stars is None:
        said = f"{title} has no stars of yours to clear"
    else:
        said = f"{title} has {args.stars} star{'s' if args.stars != 1 else ''} already"
    return said[0].upper() + said[1:] + "; nothing changed."


def _check_something_to_plan(store: Store, command: str) -> None:
    if not (store.load_sources() or store.load_added()):
        raise CommandError(
            f"planner {command}: your saved planning has no events yet: keep calendars with "
            "`planner sources add` or events with `planner add`",
            EXIT_USAGE,
        )


def _plan_if_any(session: Session, day: date) -> Plan | None:
    """The week's plan, or None when the planning holds nothing to plan."""
    state = session.state
    if not (state.sources or state.added):
        return None
    return session.plan(state, day)[2]


def _record(store: Store, plan: Plan) -> None:
    """Keep the re-planned week in the history, as the window does when a decision in a
    week changes (monthly quotas, the streak)."""
    try:
        store.record_week(plan)
    except Exception as exc:  # the history is a bonus; the decision is kept already
        from planner.core.logs import log_failure

        log_failure(_log, "recording the week re-planned", exc)
        print(f"planner: warning: {store.path}: week not recorded ({exc})", file=sys.stderr)


# --- saying what changed -------------------------------------------------------------------
def differences(before: Plan | None, after: Plan | None) -> tuple[list[Decision], list[Decision]]:
    """The events ``after`` proposes that ``before`` did not, and those it leaves out that
    ``before`` proposed (an event that moved to another day is both), as the window's
    comparison finds them (:func:`planner.core.planning.what_changed.compare`)."""
    from planner.core.planning.what_changed import compare

    changes = compare(before, after)
    proposed = [*changes.proposed, *(new for _old, new in changes.moved)]
    left_out = [*changes.left_out, *(old for old, _new in changes.moved)]
    if after is not None:  # a moved event's old day, as the plan after decided it
        now = {d.event.key: d for d in after.decisions}
        left_out = [now.get(d.event.key, d) for d in left_out]
    return (
        sorted(proposed, key=lambda d: d.event.start),
        sorted(left_out, key=lambda d: d.event.start),
    )


def _report(outcome: Outcome, args: argparse.Namespace) -> int:
    from planner.core.planning import report
    from planner.core.planning.what_changed import compare, sentence

    proposed, left_out = differences(outcome.before, outcome.after)
    after = outcome.after
    own = (
        next((d for d in after.decisions if d.event.key == outcome.event.key), None)
        if after is not None and outcome.event is not None
        else None
    )
    changes = compare(outcome.before, after).without(outcome.subject)
    said = sentence(changes, after, outcome.cause) if after is not None else ""
    if args.json:
        data: dict[str, Any] = {
            "action": outcome.action,
            "changed": outcome.changed,
            "message": outcome.message,
            "event": report.decision_json(own) if own is not None else None,
            "week_start": after.week_start.isoformat() if after is not None else None,
            "summary": report.summary_line(after) if after is not None else None,
            "newly_proposed": [report.decision_json(d) for d in proposed],
            "newly_left_out": [report.decision_json(d) for d in left_out],
            "what_changed": said if outcome.changed else "",
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(outcome.message)
    if own is not None:
        print("\n".join(_lines(own)))
    if after is None:
        return 0
    print(f"Week of {_monday(after)}: {report.summary_line(after)}")
    if not outcome.changed:
        return 0
    print(said)
    others = [
        (heading, [d for d in decisions if own is None or d is not own])
        for heading, decisions in (("Now proposed:", proposed), ("Now left out:", left_out))
    ]
    for heading, decisions in others:
        if decisions:
            print(heading)
            for d in decisions:
                print("\n".join(_lines(d)))
    return 0


def _lines(d: Decision, width: int = 100) -> list[str]:
    """One event as ``planner plan`` prints it: when and what, then why."""
    from planner.core.planning.report import where_said
    from planner.core.text import wording

    e = d.event
    note = f"; {e.place.note}" if e.place.note else ""
    detail = (
        f"{where_said(e.place)}; {wording.money(e.cost)}; {d.explanation}"
        if d.chosen
        else f"[{d.reason.value}] {d.explanation}{note}"
    )
    return [
        f"  {wording.span(e):<18} {e.summary}",
        *textwrap.wrap(detail, width - 4, initial_indent=" " * 21, subsequent_indent=" " * 21),
    ]


def _monday(plan: Plan) -> str:
    from planner.core.text import wording

    return wording.short_date(plan.week_start, year=True)

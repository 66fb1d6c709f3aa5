"""Did you go? ``planner attended EVENT [--note TEXT]`` and ``planner skipped EVENT``.

An event is marked once it is over: found among the events recorded in the
history (the plans of the last weeks) and the candidates of ``--week`` (default
this week), with the same matching as ``planner commit`` (key, uid, or part of
the title). The mark and its note are a decision of the core session: kept in
the store, undone with ``planner undo`` or in the window, and counted by
``planner history`` and the streak (a skipped event counts for nothing).
"""

from __future__ import annotations

import argparse
import json
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, get_args

from planner.cli.output import EXIT_USAGE
from planner.cli.saved import (
    CommandError,
    _check_saved,
    _count,
    _event_when,
    _open_store,
    _saved_settings,
)

if TYPE_CHECKING:
    from planner.core.model import Event, Went
    from planner.core.session import Session

WEEKS_BACK = 8
"""How many weeks of the history are searched for the event without ``--week``."""


def run_mark(args: argparse.Namespace) -> int:
    """``planner attended|skipped EVENT``: mark it, say so, and the streak that follows."""
    from planner.core.model import Went
    from planner.core.saved import open_session

    went: Went = args.command
    assert went in get_args(Went)
    settings, settings_path = _saved_settings(args.settings)
    now = datetime.now(settings.zone)
    day: date = args.week or now.date()
    with _open_store() as store:
        session = open_session(store, settings, settings_path=settings_path)
        event = _find(session, args, day)
        if event.end > now:
            raise CommandError(
                f"planner {went}: “{event.summary}” ({_event_when(event)}) is not over yet: "
                "mark it once it has happened",
                EXIT_USAGE,
            )
        change = session.mark(event, went, args.note)
        session.flush()
        _check_saved(session)
        mark = session.choices.marks[event.key]
        title = f"“{event.summary}” ({_event_when(event)})"
        said = f"Marked {title} {went}" + (f": {mark.note}" if mark.note else "") + "."
        message = said if change is not None else f"{title} is marked {went} already."
        streak = store.streak(now.date())
    if args.json:
        data = {
            "action": went,
            "changed": change is not None,
            "message": message,
            "key": event.key,
            "title": event.summary,
            "start": event.start.isoformat(),
            "end": event.end.isoformat(),
            "mark": mark.went,
            "note": mark.note,
            "streak": streak,
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(message)
    print(f"{_count(streak, 'week')} in a row with networking.")
    return 0


def _find(session: Session, args: argparse.Namespace, day: date) -> Event:
    """The event ``args.event`` names among the recorded history (``--week``'s, else the
    last weeks') and the candidates of the week of ``day``."""
    from planner.cli.decide import _matches, ambiguous
    from planner.core.model import is_flexible
    from planner.core.planning.plan import week_of

    settings = session.settings
    monday = week_of(day, settings)
    first = monday if args.week else monday - timedelta(weeks=WEEKS_BACK - 1)
    assert session.store is not None
    events = [r.event for r in session.store.recorded(first, monday + timedelta(weeks=1))]
    if session.state.sources or session.state.added:
        plan = session.plan(session.state, day)[2]
        events += [d.event for d in plan.decisions if not is_flexible(d.event)]
    found = _matches(args.event, events)
    if len(found) == 1:
        return found[0]
    where = f"the week of {monday.date()}" if args.week else "your history and this week"
    if found:
        raise ambiguous(args.command, args.event, found, where)
    raise CommandError(
        f"planner {args.command}: no event in {where} matches “{args.event}” (its key, uid "
        "or part of its title); `--week YYYY-MM-DD` looks in another week",
        EXIT_USAGE,
    )

"""What the plan commands print and write, and the exit codes they share.

Both :mod:`planner.cli.main` (plans of files given on the command line) and
:mod:`planner.cli.saved` (plans of the saved planning) print a plan the same
way, so it lives here, below both.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from planner.core.caldav.publish import Published
    from planner.core.model import Plan, Problem
    from planner.core.planning.week import WeekData

EXIT_SKIPPED = 1
"""Some input was skipped: a calendar the user named could not be read (the plan is made
without it), or an export could not be written."""
EXIT_USAGE = 2
"""Bad use, or nothing usable to plan (the README's exit-code contract)."""
EXIT_BUG = 70
"""planner hit a bug (EX_SOFTWARE in sysexits.h); its traceback is in planner.log."""


def said(problem: Problem) -> str:
    """A problem as stderr says it: ``planner: note: …`` for what was mended and kept (an
    event that ended before it started), ``planner: warning: …`` for what was lost."""
    from planner.core.model import Severity

    kind = "note" if problem.severity is Severity.NOTE else "warning"
    return f"planner: {kind}: {problem}"


def warn_week(week: WeekData, *, unread: bool = True) -> None:
    """Each problem of reading the week on stderr; ``unread=False`` leaves out the
    calendars that could not be read at all, which the plan itself shows at its top."""
    from planner.core.model import Severity

    for problem in week.problems:
        if unread or problem.severity is not Severity.ERROR:
            print(said(problem), file=sys.stderr)
    if week.pending_addresses:
        print(
            f"planner: {len(week.pending_addresses)} address(es) could be placed precisely "
            "if you allow geocoding: [geocoding] consent = true in your settings",
            file=sys.stderr,
        )


def print_plan(args: argparse.Namespace, plan: Plan, problems: Sequence[Problem]) -> int:
    """Write the exports asked for, then print the plan (table or JSON).

    Exit status 1 (:data:`EXIT_SKIPPED`) when a calendar could not be read: the plan,
    made without it, is printed and exported, and says so at its top (the table), in
    ``problems`` (JSON) and on stderr (with ``--json``, where stdout is for tools)."""
    from planner.core.calendars import agenda, attend_list
    from planner.core.planning import report

    for target, content, mode in (
        (args.export, lambda: attend_list.to_ics(plan), "wb"),
        (args.csv, lambda: attend_list.to_csv(plan), "w"),
        (
            args.agenda,
            lambda: agenda.agenda_html(plan, notices=report.notices(plan, problems)),
            "w",
        ),
    ):
        if target is None:
            continue
        try:
            if mode == "wb":
                target.write_bytes(content())
            else:
                target.write_text(content(), encoding="utf-8")
        except OSError as exc:
            print(f"planner: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_SKIPPED
    if args.json:
        for problem in (*report.unread(problems), *plan.problems):
            print(f"planner: warning: {problem}", file=sys.stderr)
        print(json.dumps(report.plan_json(plan, problems), indent=2, ensure_ascii=False))
    else:
        print(report.plan_table(plan, problems=problems))
    return EXIT_SKIPPED if report.unread(problems) else 0


def say_published(report: Published, command: str = "publish") -> bool:
    """Print what publishing one week into a CalDAV calendar did (``planner publish`` and
    ``planner refresh``); True when something was not written."""
    if report.created:
        print(f"Made the calendar {report.calendar_name} at {report.calendar_url}.")
    print(report.sentence)
    for item in report.waiting:
        print(f"planner {command}: {item.sentence}", file=sys.stderr)
    if report.waiting:
        print(
            f"planner {command}: {len(report.waiting)} not written; kept to publish again "
            "(`planner publish`, `planner refresh`, or the window)",
            file=sys.stderr,
        )
    return not report.ok

"""The ``planner`` command: the desktop app, and subcommands over planner.core.

``planner`` (optionally ``--demo``) opens the window; ``planner plan`` prints
the plan in the terminal. Qt is imported only on the window's path so that
``planner plan`` starts fast and works where no Qt platform exists.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from planner import __version__

EXIT_USAGE = 2


def _week(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from exc


def _add_sources(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--demo", action="store_true", help="use the bundled demo week")
    parser.add_argument(
        "--commitments",
        nargs="+",
        type=Path,
        default=[],
        metavar="FILE",
        help=".ics files with what you already have to do",
    )
    parser.add_argument(
        "--candidates",
        nargs="+",
        type=Path,
        default=[],
        metavar="FILE",
        help=".ics files with events you might attend",
    )
    parser.add_argument(
        "--settings", type=Path, metavar="FILE.toml", help="your rules (see README: Settings)"
    )
    parser.add_argument(
        "--week",
        type=_week,
        metavar="YYYY-MM-DD",
        help="any day of the week to plan (default: the demo week or this week)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="planner",
        description="Proposes which networking events fit your week, travel included.",
    )
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    _add_sources(parser)
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="render the planned window to a PNG and exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    plan = sub.add_parser("plan", help="print the week's plan in the terminal")
    _add_sources(plan)
    plan.add_argument("--json", action="store_true", help="print the plan as one JSON object")
    plan.add_argument(
        "--export",
        type=Path,
        metavar="attend.ics",
        help="write the chosen events, travel and reminders as .ics",
    )
    plan.add_argument(
        "--csv", type=Path, metavar="attend.csv", help="write the chosen events as CSV"
    )
    events = sub.add_parser("events", help="list the events of .ics files in a date range")
    events.add_argument("files", nargs="+", type=Path, metavar="FILE")
    events.add_argument(
        "--from",
        dest="date_from",
        type=_week,
        metavar="YYYY-MM-DD",
        help="first day (default: Monday of this week)",
    )
    events.add_argument(
        "--to",
        dest="date_to",
        type=_week,
        metavar="YYYY-MM-DD",
        help="day after the last (default: 7 days after --from)",
    )
    events.add_argument(
        "--settings",
        type=Path,
        metavar="FILE.toml",
        help="for the time zone (default: the system's, honouring TZ)",
    )
    events.add_argument("--json", action="store_true", help="JSON Lines, one per occurrence")
    sub.add_parser("settings-help", help="list every key the settings file may hold")
    return parser


def run_events(args: argparse.Namespace) -> int:
    """``planner events``: every occurrence in [from, to), one line or JSON object each."""
    from planner.core.event_listing import list_events, local_zone
    from planner.core.settings import SettingsError, load_settings

    try:
        zone = load_settings(args.settings).zone if args.settings else local_zone()
    except SettingsError as exc:
        print(f"planner: {exc}", file=sys.stderr)
        return EXIT_USAGE
    first = args.date_from or (
        datetime.now(zone).date() - timedelta(days=datetime.now(zone).weekday())
    )
    last = args.date_to or first + timedelta(days=7)
    if last <= first:
        print("planner events: --to must be after --from", file=sys.stderr)
        return EXIT_USAGE
    rejected = False
    for source, rows, problems, error in list_events(args.files, zone, first, last):
        for problem in problems:
            print(f"planner: warning: {problem}", file=sys.stderr)
        if error:
            print(error, file=sys.stderr)
            rejected = True
            continue
        for row in rows:
            if args.json:
                print(json.dumps(row, ensure_ascii=False))
            else:
                print(f"{row['start']:<25} {row['summary']}  [{source}]")
    return 1 if rejected else 0


def settings_help() -> int:
    from planner.core.settings import KEYS

    for section, key, description in KEYS:
        print(f"[{section}] {key}\n    {description}")
    return 0


def _load(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Settings and the week's events from the arguments (raises SettingsError)."""
    from planner.core.demo import DEMO_WEEK, demo_settings, load_demo
    from planner.core.settings import Settings, load_settings
    from planner.core.week import load_week

    if args.settings:
        settings = load_settings(args.settings)
    elif args.demo:
        settings = demo_settings()
    else:
        settings = Settings()
    if args.demo and not (args.commitments or args.candidates):
        return settings, load_demo(args.week, settings)
    week_day = args.week or (DEMO_WEEK if args.demo else datetime.now(settings.zone).date())
    return settings, load_week(args.commitments, args.candidates, settings, week_day)


def run_plan(args: argparse.Namespace) -> int:
    from planner.core import attend_list, report
    from planner.core.planning import plan_week
    from planner.core.settings import SettingsError

    if not (args.demo or args.commitments or args.candidates):
        print("planner plan: give --demo, or --commitments and --candidates files", file=sys.stderr)
        return EXIT_USAGE
    try:
        settings, week = _load(args)
    except SettingsError as exc:
        print(f"planner: {exc}", file=sys.stderr)
        return EXIT_USAGE
    missing = [p for p in week.problems if "file not found" in p or "cannot be read" in p]
    for problem in week.problems:
        print(f"planner: warning: {problem}", file=sys.stderr)
    if missing and not (week.commitments or week.candidates):
        return EXIT_USAGE
    plan = plan_week(week.commitments, week.candidates, settings, week.week_day)
    for target, content, mode in (
        (args.export, lambda: attend_list.to_ics(plan), "wb"),
        (args.csv, lambda: attend_list.to_csv(plan), "w"),
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
            return 1
    if args.json:
        print(json.dumps(report.plan_json(plan, week.problems), indent=2, ensure_ascii=False))
    else:
        print(report.plan_table(plan))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "plan": run_plan,
        "events": run_events,
        "settings-help": lambda _args: settings_help(),
    }
    if args.command not in commands:
        from planner.gui.app import run_app  # Qt only on this path

        return run_app(args)
    try:
        return commands[args.command](args)
    except BrokenPipeError:
        # `planner plan | head`: the reader left; stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    raise SystemExit(main())

"""The ``planner`` command: the desktop app, and subcommands over planner.core.

``planner`` (optionally ``--demo``) opens the window; ``planner plan`` prints
the plan in the terminal. Qt is imported only on the window's path so that
``planner plan`` starts fast and works where no Qt platform exists.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Literal, cast

from planner import __version__
from planner.cli.output import EXIT_BUG, EXIT_SKIPPED, EXIT_USAGE, print_plan, said, warn_week

if TYPE_CHECKING:  # imported where used, so that each command loads only what it needs
    pass


def _week(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-23") from exc


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(n) for n in text.lower().split("x"))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1280x720") from exc
    if not (320 <= width <= 8000 and 240 <= height <= 8000):
        raise argparse.ArgumentTypeError(f"{text!r}: width and height must be 320-8000")
    return width, height


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
        usage="planner [FILE.ics ...] [options] | planner COMMAND ...",
        description="Proposes which networking events fit your week, travel included. "
        "FILE.ics: calendars to offer for import when the window opens.",
    )
    parser.add_argument("--version", action="version", version=f"planner {__version__}")
    _add_sources(parser)
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE.png",
        help="render the planned window to a PNG and exit",
    )
    parser.add_argument(
        "--size",
        type=_size,
        metavar="WxH",
        help="window size for --screenshot, e.g. 1280x720 (default 1400x900)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", prog="planner")
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
    plan.add_argument(
        "--agenda",
        type=Path,
        metavar="FILE.html",
        help="write a printable agenda of the week (leave-by times, addresses) as HTML",
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
    trip = sub.add_parser("travel", help="how long a trip takes (or a CSV of trips)")
    trip.add_argument(
        "origin",
        nargs="?",
        metavar="FROM",
        help='an address, "lat,lon", a saved place name or "home"',
    )
    trip.add_argument("destination", nargs="?", metavar="TO")
    trip.add_argument("--mode", choices=["drive", "transit", "bike", "walk"])
    trip.add_argument("--at", metavar="YYYY-MM-DDTHH:MM", help="departure (default: now)")
    trip.add_argument(
        "--batch",
        type=Path,
        metavar="TRIPS.csv",
        help="columns from, to, mode, at (mode and at optional)",
    )
    trip.add_argument(
        "--settings",
        type=Path,
        metavar="FILE.toml",
        help="home, saved places, known trips, geocoding consent",
    )
    trip.add_argument("--json", action="store_true", help="JSON (JSON Lines with --batch)")
    sub.add_parser("settings-help", help="list every key the settings file may hold")
    _add_saved_commands(sub)
    _add_publish_command(sub)
    return parser


def _settings_option(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    parser.add_argument(
        "--settings",
        type=Path,
        metavar="FILE.toml",
        # Nested under `sources`: no default of its own, or it would hide one given before
        # the action (`planner sources --settings F add ...`).
        default=argparse.SUPPRESS if nested else None,
        help="your rules (default: the settings file planner keeps in its config folder)",
    )


def _add_saved_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The commands over the planning planner keeps for you (the window's, too)."""
    add = sub.add_parser(
        "add",
        help="add events typed or pasted as text (one a line) to your saved planning",
        description='Reads each line as an event ("PMI mixer next Thu 6-8pm @ 100 King St W '
        '$25"), says what it understood and assumed, and keeps the events for planning.',
    )
    add.add_argument(
        "text",
        metavar="TEXT",
        help='the text, one event a line (or an event\'s web page, https://...); "-" reads stdin',
    )
    add.add_argument(
        "--fetch",
        action="store_true",
        help="fetch the web page of each line that is a link (else only with [web] fetch = true)",
    )
    add.add_argument(
        "--json", action="store_true", help='print {"added": [...], "unparsed": [...]}'
    )
    add.add_argument(
        "--dry-run", action="store_true", help="show what would be added; keep nothing"
    )
    add.add_argument(
        "--week",
        type=_week,
        metavar="YYYY-MM-DD",
        help='the day "tomorrow", "Thu" or "next week" count from (default: today)',
    )
    _settings_option(add)

    sources = sub.add_parser(
        "sources",
        help="list, add or remove the calendars (files and feed URLs) your planning reads",
        description="With no action: list the imported calendars.",
    )
    sources.add_argument("--json", action="store_true", help="list as one JSON object")
    _settings_option(sources)
    action = sources.add_subparsers(dest="action", metavar="ACTION")
    add_source = action.add_parser(
        "add",
        help="import .ics files or subscribe to feeds (http, https, webcal)",
        description="A feed is downloaded once at once; `planner refresh` keeps it current.",
    )
    add_source.add_argument("locations", nargs="+", metavar="LOCATION", help="a file or a URL")
    add_source.add_argument(
        "--role",
        required=True,
        choices=["commitments", "candidates"],
        help="commitments: what you already have to do; candidates: events you might attend",
    )
    add_source.add_argument(
        "--caldav",
        action="store_true",
        help="LOCATION is a CalDAV server or calendar (Nextcloud, Fastmail, iCloud…)",
    )
    add_source.add_argument("--user", metavar="NAME", help="the CalDAV account's user name")
    add_source.add_argument(
        "--calendar",
        metavar="NAME",
        help="which of the server's calendars (display name or path); without it the "
        "calendars are listed",
    )
    _settings_option(add_source, nested=True)
    remove_source = action.add_parser(
        "remove",
        help="stop reading a calendar (your decisions about its events are kept)",
    )
    remove_source.add_argument(
        "location", metavar="LOCATION", help="the file or URL, or its name as listed"
    )
    _settings_option(remove_source, nested=True)

    refresh = sub.add_parser(
        "refresh",
        help="download the feeds that are due, and show what changed in events you committed to",
    )
    refresh.add_argument("--all", action="store_true", help="every feed, due or not")
    _settings_option(refresh)

    history = sub.add_parser(
        "history", help="the weeks planned so far and your streak of weeks with networking"
    )
    history.add_argument(
        "--weeks",
        type=_positive,
        default=8,
        metavar="N",
        help="show the last N weeks up to this one (default 8) and any planned ahead",
    )
    history.add_argument("--json", action="store_true", help="print one JSON object")
    _settings_option(history)

    backup = sub.add_parser(
        "backup",
        help="write everything planner keeps (decisions, calendars, feeds, typed events, "
        "history, settings) to one file",
    )
    backup.add_argument("file", type=Path, metavar="FILE")
    _settings_option(backup)

    restore = sub.add_parser(
        "restore",
        help="replace everything planner keeps with a backup (the current state is saved first)",
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument(
        "--settings-too",
        action="store_true",
        help="also write the backup's settings file text to your settings file (the "
        "previous one is kept beside it as .before-restore)",
    )
    _settings_option(restore)
    _add_decide_commands(sub)


def _add_publish_command(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``planner publish`` (planner/cli/publish.py): the week's plan into a CalDAV calendar."""
    publish = sub.add_parser(
        "publish",
        help="write the week's plan (chosen events, travel, leave-by alarms) into a CalDAV "
        "calendar, keeping it in step",
        description="Adds, moves and removes only the events planner wrote there; the other "
        "events of the calendar are never touched. What cannot be written is kept and "
        "published again next time. Exit 0: the calendar matches the plan; 1: something "
        "could not be written; 2: bad use.",
    )
    publish.add_argument(
        "url", metavar="URL", help="the calendar's address (made when nothing is there yet)"
    )
    publish.add_argument("--user", required=True, metavar="NAME", help="your user name there")
    publish.add_argument(
        "--week",
        type=_week,
        metavar="YYYY-MM-DD",
        help="a day of the week to publish (default: the week `planner plan` shows)",
    )
    _settings_option(publish)


def _add_decide_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Deciding without the window, on the saved planning, sharing the window's undo."""
    event_help = (
        "the event's key or uid (as `planner plan --json` shows them), or part of its title"
    )
    decide = {
        "commit": "commit to an event: it is in every plan from now on, whatever the rules say",
        "refuse": "refuse an event: it is never proposed again",
        "undecide": "leave an event to the planner again (neither committed to nor refused)",
        "rate": "rate an event 0-5 stars as the window does (0: not interested; "
        "`clear`: forget your rating)",
    }
    for name, text in decide.items():
        command = sub.add_parser(
            name,
            help=text,
            description=f"{text[0].upper()}{text[1:]}; then re-plan the week "
            "and say what changed. Undo it with `planner undo` (or in the window).",
        )
        command.add_argument("event", metavar="EVENT", help=event_help)
        if name == "rate":
            command.add_argument("stars", type=_stars, metavar="STARS", help="0-5, or `clear`")
        _decide_options(command, "any day of the week to look in (default: this week)")
    for name, text in (
        ("attended", "say you went to an event that is over (counted in your history)"),
        ("skipped", "say you did not go to an event that is over (it counts for nothing)"),
    ):
        command = sub.add_parser(
            name,
            help=text,
            description=f"{text[0].upper()}{text[1:]}; `planner undo` takes it back.",
        )
        command.add_argument("event", metavar="EVENT", help=event_help)
        command.add_argument(
            "--note", metavar="TEXT", help="whom you met, what to follow up (replaces the note)"
        )
        _decide_options(command, "the week to look in (default: your history and this week)")
    for name, text in (
        ("undo", "take back the last change, made here or in the window"),
        ("redo", "make the last change undone again"),
    ):
        command = sub.add_parser(name, help=text, description=f"{text[0].upper()}{text[1:]}.")
        _decide_options(command, "the week to re-plan (default: the week of the change)")


def _decide_options(command: argparse.ArgumentParser, week_help: str) -> None:
    command.add_argument("--week", type=_week, metavar="YYYY-MM-DD", help=week_help)
    command.add_argument("--json", action="store_true", help="print what changed as JSON")
    _settings_option(command)


def _stars(text: str) -> int | None:
    """0-5 stars, or None for ``clear`` (the user's rating forgotten)."""
    if text.strip().lower() == "clear":
        return None
    if text.strip() not in {"0", "1", "2", "3", "4", "5"}:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of stars from 0 to 5, nor `clear`"
        )
    return int(text)


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return number


def run_events(args: argparse.Namespace) -> int:
    """``planner events``: every occurrence in [from, to), one line or JSON object each."""
    from planner.core.calendars.listing import list_events, local_zone
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
    rejected = 0
    for source, rows, problems, error in list_events(args.files, zone, first, last):
        for problem in problems:
            print(said(problem), file=sys.stderr)
        if error is not None:
            print(error, file=sys.stderr)
            rejected += 1
            continue
        for row in rows:
            if args.json:
                print(json.dumps(row, ensure_ascii=False))
            else:
                print(f"{row['start']:<25} {row['summary']}  [{source}]")
    if rejected == len(args.files):
        return EXIT_USAGE  # nothing usable: every file named was rejected
    return EXIT_SKIPPED if rejected else 0


def run_travel(args: argparse.Namespace) -> int:
    """``planner travel``: one trip, or every row of ``--batch``."""
    from planner.core.settings import Settings, SettingsError, load_settings
    from planner.core.travel import query as trip_query

    try:
        settings = load_settings(args.settings) if args.settings else Settings()
    except SettingsError as exc:
        print(f"planner: {exc}", file=sys.stderr)
        return EXIT_USAGE
    now = datetime.now(settings.zone).replace(second=0, microsecond=0)
    query = trip_query.TripQuery.for_settings(settings)
    for problem in query.service.problems:
        print(f"planner: warning: {problem}", file=sys.stderr)
    if args.batch:
        if args.origin or args.destination:
            print("planner travel: give FROM TO, or --batch, not both", file=sys.stderr)
            return EXIT_USAGE
        try:
            text = args.batch.read_text(encoding="utf-8-sig")
            rows = list(trip_query.batch(query, text, now))
        except OSError as exc:
            print(f"planner: {args.batch}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
        except trip_query.QueryError as exc:
            print(f"planner: {args.batch}: {exc}", file=sys.stderr)
            return EXIT_USAGE
        failed = False
        for number, answer, error in rows:
            if answer is None:
                failed = True
                print(f"{args.batch}:{number}: {error}", file=sys.stderr)
                if args.json:
                    print(json.dumps({"row": number, "error": error}))
                continue
            print(json.dumps(answer, ensure_ascii=False) if args.json else _trip_line(answer))
        for trouble in query.problems():  # once for the batch, not once a row
            print(f"planner: warning: {trouble}", file=sys.stderr)
        return 1 if failed else 0
    if not (args.origin and args.destination):
        print("planner travel: give FROM and TO (or --batch TRIPS.csv)", file=sys.stderr)
        return EXIT_USAGE
    try:
        answer = query.answer(
            args.origin,
            args.destination,
            trip_query.parse_mode(args.mode),
            trip_query.parse_at(args.at, settings, now),
        )
    except trip_query.QueryError as exc:
        print(f"planner travel: {exc}", file=sys.stderr)
        return EXIT_USAGE
    print(json.dumps(answer, indent=2, ensure_ascii=False) if args.json else _trip_line(answer))
    return 0


def _trip_line(answer: dict[str, object]) -> str:
    a, b = answer["from"], answer["to"]
    assert isinstance(a, dict) and isinstance(b, dict)
    rush = ", rush hour" if answer["rush_hour"] else ""
    notes_given, problems = answer["notes"], answer.get("problems", [])
    assert isinstance(notes_given, list) and isinstance(problems, list)
    said = [*notes_given, *(p["message"] for p in problems)]
    notes = "".join(f"\n  note: {n}" for n in said)
    legs = answer["legs"]
    assert isinstance(legs, list)
    journey = f"\n  {_legs_line(legs)}" if legs else ""
    took = f"{answer['minutes']} min by {answer['mode']} ({answer['km']} km)"
    if not answer["reachable"]:
        took = f"not reachable by {answer['mode']} before the morning ({answer['km']} km)"
    return (
        f"{a['name']} -> {b['name']}: {took}, leaving {answer['at']}{rush} "
        f"[{answer['source']}]{journey}{notes}"
    )


def _legs_line(legs: list[dict[str, str]]) -> str:
    """``leave 17:42: walk 11 min · GO LE 17:53 → 18:38 Union · walk 8 min``: the
    journey's legs as the plan's details name them."""
    from planner.core.model import Leg
    from planner.core.text import wording

    parts = [
        Leg(
            cast(Literal["walk", "drive", "ride"], leg["mode"]),
            leg["from"],
            leg["to"],
            datetime.fromisoformat(leg["depart"]),
            datetime.fromisoformat(leg["arrive"]),
            leg["route"],
        )
        for leg in legs
    ]
    return f"leave {wording.clock(parts[0].depart)}: {wording.legs(parts)}"


def settings_help() -> int:
    from planner.core.settings import KEYS

    for section, key, description in KEYS:
        print(f"[{section}] {key}\n    {description}")
    return 0


def _load(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """Settings and the week's events from the arguments (raises SettingsError)."""
    from planner.core.demo import DEMO_WEEK, demo_settings, load_demo
    from planner.core.planning.week import load_week, place_events, place_settings
    from planner.core.settings import Settings, load_settings
    from planner.core.storage import preferences
    from planner.core.travel.places import PlaceResolver

    if args.settings:
        settings = load_settings(args.settings)
    elif args.demo:
        settings = demo_settings()
    else:
        settings = Settings()
    settings = preferences.apply(settings)
    resolver = PlaceResolver(settings)
    settings = place_settings(settings, resolver)
    if args.demo and not (args.commitments or args.candidates):
        week = load_demo(args.week, settings)
    else:
        week_day = args.week or (DEMO_WEEK if args.demo else datetime.now(settings.zone).date())
        _prepare_timetables(settings, week_day)
        week = load_week(args.commitments, args.candidates, settings, week_day)
    return settings, place_events(week, resolver)


def _prepare_timetables(settings, week_day: date) -> None:  # type: ignore[no-untyped-def]
    """By transit, the timetables are loaded and laid out for the week on another
    thread while the calendars are read (a second or more of a warm plan otherwise)."""
    from planner.core.model import TravelMode
    from planner.core.planning.plan import week_of
    from planner.core.travel.by_timetable import warm_up_in_background

    if settings.travel_mode is TravelMode.TRANSIT:
        start = week_of(week_day, settings)
        days = [start.date() + timedelta(days=n) for n in range(7)]
        warm_up_in_background(settings.transit, days)


def run_plan(args: argparse.Namespace) -> int:
    """``planner plan``: the demo week or the files given (stateless), else your saved
    planning (which records the week planned)."""
    from planner.core.model import Severity
    from planner.core.planning.plan import plan_week
    from planner.core.settings import SettingsError

    if not (args.demo or args.commitments or args.candidates):
        from planner.cli.saved import plan_saved

        return plan_saved(args)
    try:
        settings, week = _load(args)
    except SettingsError as exc:
        print(f"planner: {exc}", file=sys.stderr)
        return EXIT_USAGE
    unread = [p for p in week.problems if p.severity is Severity.ERROR]
    if unread and not (week.commitments or week.candidates):
        warn_week(week)
        return EXIT_USAGE
    warn_week(week, unread=False)
    plan = plan_week(week.commitments, week.candidates, settings, week.week_day)
    return print_plan(args, plan, week.problems)


COMMANDS = (
    "plan",
    "events",
    "travel",
    "settings-help",
    "add",
    "sources",
    "refresh",
    "history",
    "backup",
    "restore",
    "commit",
    "refuse",
    "undecide",
    "rate",
    "attended",
    "skipped",
    "undo",
    "redo",
    "publish",
)


def _split_files(argv: list[str]) -> tuple[list[Path], list[str]]:
    """``planner FILE.ics... [options]``: the leading file names open the window with
    them offered for import (as a file manager's "Open with" passes them)."""
    files: list[Path] = []
    while argv and not argv[0].startswith("-") and argv[0] not in COMMANDS:
        files.append(Path(argv[0]))
        argv = argv[1:]
    return files, argv


def main(argv: list[str] | None = None) -> int:
    files, rest = _split_files(list(sys.argv[1:] if argv is None else argv))
    args = build_parser().parse_args(rest)
    args.open = files
    from planner.core.logs import setup_logging  # here, not at the top: start-up stays fast

    log_file = setup_logging()
    # The saved planning's commands. Imported here, not at the top, as it imports from this
    # module; it is light (its core imports are inside its functions), so the window's path
    # pays nothing for it either.
    from planner.cli import attend as cli_attend
    from planner.cli import caldav as cli_caldav
    from planner.cli import decide as cli_decide
    from planner.cli import publish as cli_publish
    from planner.cli import saved as cli_saved

    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "plan": run_plan,
        "events": run_events,
        "travel": run_travel,
        "settings-help": lambda _args: settings_help(),
        "add": cli_saved.run_add,
        "sources": cli_caldav.run_sources,
        "refresh": cli_saved.run_refresh,
        "history": cli_saved.run_history,
        "backup": cli_saved.run_backup,
        "restore": cli_saved.run_restore,
        **dict.fromkeys(("commit", "refuse", "undecide", "rate"), cli_decide.run_decide),
        "attended": cli_attend.run_mark,
        "skipped": cli_attend.run_mark,
        "undo": cli_decide.run_undo,
        "redo": cli_decide.run_undo,
        "publish": cli_publish.run_publish,
    }
    try:
        try:
            code = commands.get(args.command, _window)(args)
        except cli_saved.CommandError as failure:
            sys.stdout.flush()
            message = str(failure)
            prefix = "" if message.startswith("planner ") else "planner: "
            print(prefix + message, file=sys.stderr)
            return failure.code
        except BrokenPipeError:
            raise
        except Exception as exc:
            sys.stdout.flush()
            expected = expected_failure(exc)
            if expected is not None:
                message, code = expected
                print(f"planner: {message}", file=sys.stderr)
                return code
            # Anything else is a bug of planner's: its traceback goes to the log, where a
            # bug report can take it from, and the terminal gets one sentence.
            if log_file is not None:
                logging.getLogger("planner").exception("planner %s failed", args.command or "")
            print(bug_sentence(log_file), file=sys.stderr)
            return EXIT_BUG
        # Flushed here, not at exit: a reader that left (`planner plan | head -1`) then
        # raises below instead of in the interpreter's shutdown ("Exception ignored").
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # `planner plan | head`: the reader left; stop quietly, as Unix tools do.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


def _window(args: argparse.Namespace) -> int:
    from planner.gui.app import run_app  # Qt only on this path

    return run_app(args)


def expected_failure(exc: Exception) -> tuple[str, int] | None:
    """The one-line message and exit status of a failure planner expects (bad settings, a
    calendar or store that cannot be read, a file the system refuses), None for a bug.

    The commands turn most of these into a :class:`CommandError` themselves; one that
    escapes is still the user's input or system, never a reason for a traceback.
    """
    from planner.core.calendars.reading import IcsError
    from planner.core.settings import SettingsError
    from planner.core.storage.store import StoreError

    if isinstance(exc, SettingsError | IcsError):
        return str(exc), EXIT_USAGE
    if isinstance(exc, StoreError):
        return str(exc), 1
    if isinstance(exc, OSError):
        why = exc.strerror or str(exc)
        return (f"{exc.filename}: {why}" if exc.filename else why), 1
    return None


def bug_sentence(log_file: Path | None) -> str:
    """What the terminal says of a bug: one sentence, naming where its details are."""
    said = "planner: something went wrong that planner did not expect (a bug)"
    if log_file is None:
        return f"{said}; its details could not be written to a log"
    return f"{said}; the details are in {log_file}"


if __name__ == "__main__":
    raise SystemExit(main())

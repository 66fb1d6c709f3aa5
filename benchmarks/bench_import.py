"""How fast, and in how much memory, planner shows one week of a huge calendar.

The targets (from the issue): ``planner events big.ics --json`` for one week
of a 10,000-event, 6.6 MB calendar in 0.5 s or less, whole command; a
100,000-event, 66 MB calendar imported with a peak of at most 300 MB; and
exactly the occurrences of a full parse. The baseline is what planner did
before streaming: icalendar parsing the whole file, measured in the same run
on the same files, so the two columns always compare.

Every measurement runs in its own process, so that a peak RSS belongs to one
thing only (``RUSAGE_CHILDREN`` would report the largest child so far). The
calendars come from ``gen_calendar.py`` (seeded, so the same bytes each time)
and are cached outside the repository.

Run: ``python benchmarks/bench_import.py [--events 10000 100000] [--week 2026-11-23]
[--runs 5] [--profile]``
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import io
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from importlib import metadata
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
GENERATOR = HERE / "gen_calendar.py"
TZID = "America/Toronto"  # the generated calendars' zone, used as the user's zone
TARGET_SECONDS = 0.5
TARGET_PEAK_MB = 300
FEW_RUNS = 3  # timed runs of the command on files above 20,000 events (each takes seconds)
FIRST_DAY = date(2017, 1, 1)  # gen_calendar.py's default range: 2017-01-01 .. 2027-01-01
LAST_DAY = date(2027, 1, 1)
MOVED_FROM = "occurrence moved from (override)"

# icalendar alone, as planner used it before streaming: read the file, parse it whole.
BASELINE = """
import json, resource, sys, time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
import icalendar
path, week, expand = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
began = time.perf_counter()
with open(path, "rb") as f:
    calendar = icalendar.Calendar.from_ical(f.read())
parsed = time.perf_counter() - began
out = {"parse": parsed}
if expand:
    import recurring_ical_events
    start = datetime.fromisoformat(week).replace(tzinfo=ZoneInfo(sys.argv[4]))
    found = list(recurring_ical_events.of(calendar).between(start, start + timedelta(days=7)))
    out["expand"] = time.perf_counter() - began
    out["occurrences"] = len(found)
out["self_peak_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps(out))
"""

# planner's library entry, after its imports: the cost of the read itself.
LIBRARY = """
import json, resource, statistics, sys, time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from planner.core.calendars.reading import read_file
path, week, zone, runs, prefilter = sys.argv[1:6]
zone = ZoneInfo(zone)
start = datetime.fromisoformat(week).replace(tzinfo=zone)
times = []
for _ in range(int(runs)):
    began = time.perf_counter()
    result = read_file(path, zone, start, start + timedelta(days=7), prefilter=prefilter == "1")
    times.append(time.perf_counter() - began)
print(json.dumps({
    "median": statistics.median(times),
    "occurrences": len(result.events),
    "problems": len(result.problems),
    "self_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


@dataclass(slots=True)
class Run:
    """One child process: wall time (process start included), peak RSS, what it printed."""

    wall: float
    peak_mb: float
    stdout: str


@dataclass(slots=True)
class Column:
    """The measurements of one calendar size (``None``: not measured, see ``notes``)."""

    events: int
    size_mb: float
    base_parse: float | None = None
    base_wall: float | None = None
    base_peak: float | None = None
    base_expand: float | None = None
    base_occurrences: int | None = None
    cmd_median: float | None = None
    cmd_runs: list[float] = field(default_factory=list)
    cmd_peak: float | None = None
    cmd_rows: int | None = None
    lib_prefilter: float | None = None
    lib_peak: float | None = None
    lib_occurrences: int | None = None
    lib_full: float | None = None
    notes: list[str] = field(default_factory=list)


def child_env() -> dict[str, str]:
    """The user's zone is the calendar's, so that local times read the same everywhere."""
    return dict(os.environ, TZ=TZID, PYTHONIOENCODING="utf-8")


def measure(cmd: list[str]) -> Run:
    """Run ``cmd`` once; its peak RSS comes from GNU time, else from a wrapper process.

    Either way the process that reports ``RUSAGE_CHILDREN`` has exactly one
    child, so the figure is that child's alone.
    """
    gnu_time = shutil.which("time", path="/usr/bin:/bin")
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        if gnu_time:
            wrapped = [gnu_time, "-f", "%M", "-o", report.name, *cmd]
        else:
            probe = (
                "import resource, subprocess, sys; r = subprocess.run(sys.argv[2:]);"
                "open(sys.argv[1], 'w').write(str(resource.getrusage("
                "resource.RUSAGE_CHILDREN).ru_maxrss)); sys.exit(r.returncode)"
            )
            wrapped = [sys.executable, "-c", probe, report.name, *cmd]
        began = time.perf_counter()
        done = subprocess.run(wrapped, capture_output=True, text=True, env=child_env(), check=False)
        wall = time.perf_counter() - began
        if done.returncode != 0:
            sys.exit(f"failed: {' '.join(cmd)}\n{done.stderr[-3000:]}")
        peak_kb = int(report.read().split()[-1])
    return Run(wall, peak_kb / 1024, done.stdout)


def calendar(cache: Path, events: int, seed: int) -> Path:
    """The generated calendar, reused while the generator's code is unchanged."""
    digest = hashlib.sha256(GENERATOR.read_bytes()).hexdigest()[:10]
    path = cache / f"calendar-{events}-seed{seed}-{digest}.ics"
    if not path.exists():
        cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        cmd = [sys.executable, str(GENERATOR), str(partial), "--events", str(events)]
        subprocess.run([*cmd, "--seed", str(seed)], check=True, stdout=subprocess.DEVNULL)
        partial.rename(path)
    return path


def measure_baseline(path: Path, week: date, column: Column, expand: bool) -> None:
    base = measure([sys.executable, "-c", BASELINE, str(path), week.isoformat(), "0", TZID])
    out = json.loads(base.stdout)
    column.base_parse, column.base_wall, column.base_peak = out["parse"], base.wall, base.peak_mb
    if expand:
        flag = [str(path), week.isoformat(), "1", TZID]
        out = json.loads(measure([sys.executable, "-c", BASELINE, *flag]).stdout)
        column.base_expand, column.base_occurrences = out["expand"], out["occurrences"]


def measure_planner(path: Path, week: date, column: Column, runs: int, full: bool) -> None:
    planner = str(Path(sys.executable).with_name("planner"))
    cmd = [planner, "events", str(path), "--from", week.isoformat(), "--json"]
    measure(cmd)  # warm-up: the file in the page cache, byte code compiled
    timed = [measure(cmd) for _ in range(runs)]
    column.cmd_runs = [r.wall for r in timed]
    column.cmd_median = statistics.median(column.cmd_runs)
    column.cmd_peak = max(r.peak_mb for r in timed)
    column.cmd_rows = len(timed[0].stdout.splitlines())
    library = [sys.executable, "-c", LIBRARY, str(path), week.isoformat(), TZID]
    out = json.loads(measure([*library, str(runs), "1"]).stdout)
    column.lib_prefilter, column.lib_occurrences = out["median"], out["occurrences"]
    column.lib_peak = out["self_peak_kb"] / 1024
    if full:
        column.lib_full = json.loads(measure([*library, "1", "0"]).stdout)["median"]


# -- correctness ------------------------------------------------------------------------------


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def logical_lines(path: Path) -> Iterator[str]:
    """The file's unfolded lines (a few lines of our own, independent of planner's reader)."""
    current = ""
    with path.open(encoding="utf-8", newline="") as f:
        for raw in f:
            line = raw.rstrip("\r\n")
            if line[:1] in (" ", "\t"):
                current += line[1:]
                continue
            if current:
                yield current
            current = line
    if current:
        yield current


def override_weeks(path: Path) -> dict[str, date]:
    """Weeks where a series exception matters: one moved across weeks, one cancelled."""
    found: dict[str, date] = {}
    props: dict[str, str] = {}
    for line in logical_lines(path):
        if line == "BEGIN:VEVENT":
            props = {}
        elif line == "END:VEVENT" and "RECURRENCE-ID" in props:
            rid, start = (_date(props[k]) for k in ("RECURRENCE-ID", "DTSTART"))
            if props.get("STATUS") == "CANCELLED":
                found.setdefault("series occurrence cancelled", monday(rid))
            elif monday(rid) != monday(start) and MOVED_FROM not in found:
                found[MOVED_FROM] = monday(rid)
                found["occurrence moved to (override)"] = monday(start)
        else:
            name, _, value = line.partition(":")
            props.setdefault(name.split(";", 1)[0], value)
        if len(found) == 3:
            break
    return found


def _date(value: str) -> date:
    match = re.search(r"(\d{4})(\d{2})(\d{2})", value)
    if not match:
        raise ValueError(f"no date in {value!r}")
    return date(*map(int, match.groups()))


def check_weeks(path: Path, week: date) -> list[tuple[str, date]]:
    weeks = [("requested week", week)]
    weeks += list(override_weeks(path).items())
    weeks += [("first week of the range", monday(FIRST_DAY))]
    weeks += [("last week of the range", monday(LAST_DAY - timedelta(days=1)))]
    return weeks


def compare(path: Path, weeks: list[tuple[str, date]]) -> list[tuple[str, date, int, str]]:
    """(label, week, occurrences, verdict) for prefilter=True against prefilter=False."""
    from planner.core.calendars.listing import event_row
    from planner.core.calendars.reading import read_file

    zone = ZoneInfo(TZID)
    out = []
    for label, week in weeks:
        start = datetime.combine(week, clock(0), tzinfo=zone)
        end = start + timedelta(days=7)
        fast = read_file(path, zone, start, end, prefilter=True)
        full = read_file(path, zone, start, end, prefilter=False)

        def key(e: Any) -> tuple[str, ...]:
            return (e.uid, e.start.isoformat(), e.end.isoformat(), e.summary, e.status.value)

        got, want = {key(e) for e in fast.events}, {key(e) for e in full.events}
        rows_equal = [event_row(e, "f") for e in fast.events] == [
            event_row(e, "f") for e in full.events
        ]
        if got == want and rows_equal and fast.problems == full.problems:
            verdict = "equal"
        else:
            verdict = "NOT EQUAL"
            for missing in sorted(want - got):
                print(f"  {label} {week}: missing from the prefiltered read: {missing}")
            for extra in sorted(got - want):
                print(f"  {label} {week}: only in the prefiltered read: {extra}")
            if got == want and not rows_equal:
                print(f"  {label} {week}: same keys, but the JSON rows differ")
            if fast.problems != full.problems:
                print(f"  {label} {week}: problems differ: {fast.problems} vs {full.problems}")
        out.append((label, week, len(full.events), verdict))
    return out


# -- report -----------------------------------------------------------------------------------


def fmt_s(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def fmt_mb(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} MB"


def table(columns: list[Column], runs: int, few: int) -> str:
    head = ["measurement", *(f"{c.events:,} events ({c.size_mb:.1f} MB)" for c in columns)]
    occurrences = [
        f"{c.cmd_rows} / {'—' if c.base_occurrences is None else c.base_occurrences}"
        for c in columns
    ]
    rows: list[list[str]] = [
        ["**icalendar alone**: `Calendar.from_ical(read())`, in-process"]
        + [fmt_s(c.base_parse) for c in columns],
        ["icalendar alone: whole process (start, import, parse)"]
        + [fmt_s(c.base_wall) for c in columns],
        ["icalendar alone: peak RSS"] + [fmt_mb(c.base_peak) for c in columns],
        ["icalendar + recurring_ical_events, the week, in-process"]
        + [fmt_s(c.base_expand) for c in columns],
        [f"**planner**: `planner events FILE --from WEEK --json`, median of {runs} ({few} > 20k)"]
        + [fmt_s(c.cmd_median) for c in columns],
        ["planner events: slowest run"] + [fmt_s(max(c.cmd_runs, default=None)) for c in columns],
        ["planner events: peak RSS"] + [fmt_mb(c.cmd_peak) for c in columns],
        ["planner `read_file(prefilter=True)`, in-process"]
        + [fmt_s(c.lib_prefilter) for c in columns],
        ["planner `read_file(prefilter=False)` (full parse), in-process"]
        + [fmt_s(c.lib_full) for c in columns],
        ["occurrences in the week (planner rows / recurring_ical_events)", *occurrences],
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("icalendar", "recurring-ical-events", "x-wr-timezone", "python-dateutil")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}; {versions}"
    )


def available_mb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("inf")


def profile(path: Path, week: date) -> None:
    """Where the whole command's time goes (in-process, so process start is not in it)."""
    from planner.cli.main import main as planner_main

    os.environ["TZ"] = TZID
    profiler = cProfile.Profile()
    sink = io.StringIO()
    stdout, sys.stdout = sys.stdout, sink
    try:
        profiler.runcall(planner_main, ["events", str(path), "--from", week.isoformat(), "--json"])
    finally:
        sys.stdout = stdout
    report = io.StringIO()
    stats = pstats.Stats(profiler, stream=report)
    stats.sort_stats("cumulative").print_stats(25)
    print(report.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--week", type=date.fromisoformat, default=date(2026, 11, 23))
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the command")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--cache",
        type=Path,
        default=Path(tempfile.gettempdir()) / "planner-import-bench",
        help="where the generated calendars are kept (outside the repository)",
    )
    parser.add_argument(
        "--max-baseline-gb",
        type=float,
        default=4.0,
        help="skip the full icalendar parse of a file expected to peak above this",
    )
    parser.add_argument("--profile", action="store_true", help="cProfile the smallest file")
    args = parser.parse_args()

    print(f"machine: {machine()}")
    columns: list[Column] = []
    mb_per_file_mb = 30.0  # icalendar peaks at ~27x the file size; refined by what we measure
    for events in sorted(args.events):
        path = calendar(args.cache, events, args.seed)
        column = Column(events, path.stat().st_size / 1e6)
        print(f"\n{events:,} events: {path} ({column.size_mb:.1f} MB)", flush=True)
        small = events <= 20_000
        expected = mb_per_file_mb * column.size_mb
        if expected > min(args.max_baseline_gb * 1024, 0.8 * available_mb()):
            column.notes.append(f"full parse skipped: expected peak ~{expected:,.0f} MB")
        else:
            measure_baseline(path, args.week, column, expand=small)
            if column.base_peak:
                mb_per_file_mb = column.base_peak / column.size_mb
            print(f"  icalendar alone: {fmt_s(column.base_parse)}, {fmt_mb(column.base_peak)}")
        measure_planner(path, args.week, column, args.runs if small else FEW_RUNS, full=small)
        print(
            f"  planner events: median {fmt_s(column.cmd_median)} "
            f"(runs {', '.join(f'{t:.2f}' for t in column.cmd_runs)}), {fmt_mb(column.cmd_peak)}"
        )
        columns.append(column)

    print(f"\nweek {args.week} ({args.week:%A}), user's zone {TZID}\n")
    print(table(columns, args.runs, FEW_RUNS))
    for column in columns:
        for note in column.notes:
            print(f"\n{column.events:,} events: {note}")
    smallest = min(columns, key=lambda c: c.events)
    largest = max(columns, key=lambda c: c.events)
    print("\ntargets:")
    if smallest.events == 10_000 and smallest.cmd_median is not None:
        ok = "met" if smallest.cmd_median <= TARGET_SECONDS else "MISSED"
        print(f"  10,000 events, one week, whole command <= {TARGET_SECONDS} s: {ok}")
    if largest.events == 100_000 and largest.cmd_peak is not None:
        ok = "met" if largest.cmd_peak <= TARGET_PEAK_MB else "MISSED"
        print(f"  100,000 events, peak <= {TARGET_PEAK_MB} MB: {ok}")

    path = calendar(args.cache, smallest.events, args.seed)
    print(f"\ncorrectness on {smallest.events:,} events, prefilter=True vs prefilter=False:")
    print("(the set of (uid, start, end, summary, status), the JSON rows and the problems)")
    for label, week, count, verdict in compare(path, check_weeks(path, args.week)):
        print(f"  {week}  {label:<34} {count:>4} occurrences  {verdict}")
    if args.profile:
        print(f"\ncProfile of `planner events` on {smallest.events:,} events, top 25 cumulative:")
        profile(path, args.week)


if __name__ == "__main__":
    main()

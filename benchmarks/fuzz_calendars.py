"""Seeded mutation fuzzing of planner's calendar readers: no input may crash or hang them.

Each case takes a real-looking calendar (every producer fixture in
tests/fixtures/producers and the demo's two calendars) and applies one to
three mutations: truncation, duplicated, swapped or dropped lines, NUL bytes,
invalid UTF-8, absurd values in the properties that matter (dates, durations,
recurrence rules, time zone offsets, SEQUENCE, PRIORITY...), thousands of
nested BEGIN:VEVENT, lines of megabytes. The result goes through the entry
points the command line and the window use: :func:`read_bytes` (a feed's
body, over its 190-day window), :func:`read_file` (a file, one week) and
:func:`preview_file` (the import dialog). Any exception other than an
:class:`IcsError` that carries the file's own problem fails the case, and so
does an IcsError that hides planner's own failure (``internal``).

The cases run in a worker process under a memory limit (``RLIMIT_AS``) and
each under a time limit the supervisor enforces: a case that hangs is killed
and reported, and the worker restarts after it. The same seed and case
number always make the same bytes, so a failure is reproduced with
``--case N``.

Run: ``python benchmarks/fuzz_calendars.py N [--seed 1] [--case-seconds 30]
[--memory-mb 2048] [--scale full|suite]``, or ``--case K`` to run (and show) one case
in this process. tests/core/test_fuzz_calendars.py runs a few hundred cases of the
smaller ``suite`` scale (lines of 100 KB, 2,000 nested BEGIN:VEVENT) in the suite.

Measured on 7 December 2026 (two shared cores): ``1000 --seed 1``: no failure,
137 s, the slowest case 7.5 s (634 KB of one event copied a thousand times),
worker peak 249 MB; the suite's 200 cases: no failure, 5-20 s. The readers as
they were before (main at 6564098): the suite's 200 cases had 2 failures (a
hang: a 100 KB line beside one non-UTF-8 byte; a traceback: a RECURRENCE-ID of
P999999999999999999W), and ``300 --seed 1`` a hang, in 399 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import select
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
ZONE = ZoneInfo("America/Toronto")
WEEK = datetime(2026, 11, 23, tzinfo=ZONE)

ABSURD = (
    "",
    "²",
    "٣",
    "-1",
    "1e308",
    "nan",
    "99999999999999999999",
    "99991231T235959Z",
    "00000000T000000",
    "16000101",
    "20261124T250000",
    "20261324",
    "P99999999D",
    "P2147483648D",
    "P999999999999999999W",
    "-P1D",
    "PT",
    "FREQ=SECONDLY",
    "FREQ=MINUTELY",
    "FREQ=HOURLY;BYMINUTE={all60};BYSECOND={all60}",
    "FREQ=DAILY;INTERVAL=0",
    "FREQ=DAILY;INTERVAL=-3",
    "FREQ=DAILY;COUNT=1000000000",
    "FREQ=WEEKLY;UNTIL=99991231T000000Z",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",
    "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYSETPOS=9;BYDAY=MO",
    "FREQ=MONTHLY;BYDAY=6MO",
    "FREQ=HOURLY;COUNT=900000000",
    "FREQ=BOGUS;;;=",
    "+99999",
    "-2400",
    "999;999",
    "43.6;-79.3;1",
    "(UTC-05:00) Nowhere Standard Time",
)
PROPERTIES = (
    "DTSTART",
    "DTEND",
    "DURATION",
    "RRULE",
    "RDATE",
    "EXDATE",
    "RECURRENCE-ID",
    "SEQUENCE",
    "PRIORITY",
    "TZOFFSETFROM",
    "TZOFFSETTO",
    "GEO",
    "REFRESH-INTERVAL;VALUE=DURATION",
    "X-PUBLISHED-TTL",
    "LAST-MODIFIED",
    "TZID",
)


def seeds() -> list[tuple[str, bytes]]:
    """The real-looking calendars mutated: the producer fixtures and the demo's."""
    files = sorted((ROOT / "tests" / "fixtures" / "producers").glob("*.ics"))
    files += sorted((ROOT / "resources" / "demo").glob("*.ics"))
    return [(f.name, f.read_bytes()) for f in files]


def _absurd(rng: random.Random) -> str:
    value = rng.choice(ABSURD)
    return value.replace("{all60}", ",".join(str(n) for n in range(60)))


# How big the big mutations get: the suite's run (a few hundred cases in seconds) and the
# benchmark's (megabyte lines, a thousand copies of an event).
SCALES = {
    "suite": {"depth": (100, 2000), "line": (10_000, 100_000), "copies": (10, 100)},
    "full": {
        "depth": (100, 1000, 5000),
        "line": (10_000, 100_000, 1_000_000),
        "copies": (10, 1000),
    },
}


def mutate(data: bytes, rng: random.Random, scale: str = "full") -> tuple[bytes, list[str]]:
    """``data`` with one to three mutations applied, and what they were."""
    sizes = SCALES[scale]
    done: list[str] = []
    for _ in range(rng.randint(1, 3)):
        lines = data.split(b"\n")
        kind = rng.choice(
            (
                "truncate",
                "duplicate",
                "swap",
                "drop",
                "nul",
                "bad-utf8",
                "absurd",
                "absurd",
                "absurd",
                "nesting",
                "long-line",
                "repeat-block",
            )
        )
        at = rng.randrange(len(lines)) if lines else 0
        if kind == "truncate":
            cut = rng.randrange(len(data) + 1)
            data = data[:cut]
            done.append(f"truncate at byte {cut}")
            continue
        if kind == "duplicate":
            count = rng.choice((1, 2, 50))
            lines[at:at] = [lines[at]] * count
        elif kind == "swap":
            other = rng.randrange(len(lines))
            lines[at], lines[other] = lines[other], lines[at]
        elif kind == "drop":
            del lines[at]
        elif kind == "nul":
            line = lines[at]
            pos = rng.randrange(len(line) + 1)
            lines[at] = line[:pos] + b"\x00" * rng.choice((1, 3, 1000)) + line[pos:]
        elif kind == "bad-utf8":
            line = lines[at]
            pos = rng.randrange(len(line) + 1)
            lines[at] = (
                line[:pos] + rng.choice((b"\xff\xfe", b"\xc3", b"\xed\xa0\x80")) + line[pos:]
            )
        elif kind == "absurd":
            name = rng.choice(PROPERTIES)
            value = _absurd(rng)
            lines[at:at] = [f"{name}:{value}\r".encode()]
            kind = f"absurd {name}:{value[:40]}"
        elif kind == "nesting":
            depth = rng.choice(sizes["depth"])
            closing = rng.random() < 0.5
            block = b"BEGIN:VEVENT\r\n" * depth + (b"END:VEVENT\r\n" * depth if closing else b"")
            lines[at:at] = [block.rstrip(b"\n")]
            kind = f"nesting {depth}{' closed' if closing else ''}"
        elif kind == "long-line":
            size = rng.choice(sizes["line"])
            lines[at:at] = [b"DESCRIPTION:" + b"x" * size + b"\r"]
            kind = f"long line {size}"
        elif kind == "repeat-block":
            text = b"\n".join(lines)
            begin = text.find(b"BEGIN:VEVENT")
            end = text.find(b"END:VEVENT", begin)
            if 0 <= begin < end < begin + 20_000:
                block = text[begin : end + len(b"END:VEVENT\r\n")]
                times = rng.choice(sizes["copies"])
                data = text[:begin] + block * times + text[begin:]
                done.append(f"repeat an event {times} times")
                continue
        done.append(f"{kind} at line {at + 1}")
        data = b"\n".join(lines)
    return data, done


def case(seed: int, number: int, scale: str = "full") -> tuple[str, bytes, list[str]]:
    """Case ``number`` of ``seed``: (the calendar it started from, its bytes, the mutations)."""
    rng = random.Random(f"{seed}:{number}")
    name, data = rng.choice(seeds())
    mutated, done = mutate(data, rng, scale)
    return name, mutated, done


def check(data: bytes, folder: Path) -> str:
    """Run every reader on ``data``; "" when each ended well, else what went wrong."""
    from planner.core.calendars.preview import preview_file
    from planner.core.calendars.reading import IcsError, read_bytes, read_file

    path = folder / "case.ics"
    path.write_bytes(data)
    readers = (
        ("read_bytes", lambda: read_bytes(data, "feed", ZONE, WEEK, WEEK + timedelta(days=190))),
        ("read_file", lambda: read_file(path, ZONE, WEEK, WEEK + timedelta(days=7))),
        ("preview_file", lambda: preview_file(path)),
    )
    for name, reader in readers:
        try:
            reader()
        except IcsError as exc:
            internal = getattr(exc, "internal", None)  # (older planners had none)
            if internal is not None:
                return f"{name}: {exc} [{internal!r}]"
        except Exception as exc:
            return f"{name}: {exc!r}\n{traceback.format_exc(limit=-6)}"
    return ""


def worker(seed: int, first: int, count: int, memory_mb: int, scale: str) -> None:
    """Run cases, saying on stdout when each starts and how it ended (one JSON a line)."""
    limit = memory_mb << 20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import logging

    logging.disable(logging.CRITICAL)  # log_failure's tracebacks: the report says it
    with tempfile.TemporaryDirectory() as folder:
        for number in range(first, first + count):
            print(json.dumps({"start": number}), flush=True)
            try:
                failure = check(case(seed, number, scale)[1], Path(folder))
            except MemoryError:
                failure = f"MemoryError over {memory_mb} MB"
            print(json.dumps({"end": number, "failure": failure}), flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(json.dumps({"peak_mb": peak}), flush=True)


@dataclass(slots=True)
class Report:
    cases: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)
    seconds: float = 0.0
    slowest: tuple[float, int] = (0.0, -1)
    peak_mb: int = 0

    def summary(self, seed: int) -> str:
        lines = [
            f"{self.cases} cases (seed {seed}) in {self.seconds:.1f} s; slowest case "
            f"{self.slowest[1]} took {self.slowest[0]:.2f} s; worker peak {self.peak_mb} MB; "
            f"{len(self.failures)} failed"
        ]
        for number, failure in self.failures:
            lines.append(f"  case {number}: {failure}")
        return "\n".join(lines)


class _Lines:
    """Lines from a pipe, each waited for at most a given time.

    Read straight from the descriptor: a buffered reader may already hold the
    next line when ``select`` says the pipe is empty, and a case that ended
    would be taken for one that hangs.
    """

    def __init__(self, fd: int) -> None:
        self.fd, self.pending = fd, b""

    def next(self, seconds: float) -> str | None:
        """The next line; "" at the end of the output; None when ``seconds`` passed first."""
        deadline = time.monotonic() + seconds
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                return None
            chunk = os.read(self.fd, 1 << 16)
            if not chunk:
                return ""
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        return line.decode()


def run(
    cases: int,
    *,
    seed: int = 1,
    first: int = 0,
    case_seconds: float = 30,
    memory_mb: int = 2048,
    scale: str = "full",
) -> Report:
    """Run ``cases`` cases in worker processes, killing and reporting any that hangs."""
    report = Report()
    began = time.monotonic()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    number, end = first, first + cases
    while number < end:
        command = [sys.executable, "-m", "benchmarks.fuzz_calendars", "--worker"]
        command += [str(seed), str(number), str(end - number), str(memory_mb), scale]
        worker_process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, bufsize=0
        )
        assert worker_process.stdout is not None
        lines = _Lines(worker_process.stdout.fileno())
        started: float | None = None
        try:
            while True:
                limit = case_seconds if started is not None else 120  # the first: imports
                line = lines.next(limit)
                if line is None:
                    report.failures.append((number, f"hung: no answer in {limit:g} s"))
                    report.cases += 1
                    number += 1
                    break
                if not line:
                    if started is not None:  # the worker died in the case
                        code = worker_process.wait()
                        report.failures.append((number, f"the worker died (exit {code})"))
                        report.cases += 1
                        number += 1
                    else:
                        number = end
                    break
                message = json.loads(line)
                if "start" in message:
                    number, started = message["start"], time.monotonic()
                elif "end" in message:
                    assert started is not None
                    took = time.monotonic() - started
                    report.slowest = max(report.slowest, (took, number))
                    report.cases += 1
                    if message["failure"]:
                        report.failures.append((number, message["failure"]))
                    number, started = number + 1, None
                elif "peak_mb" in message:
                    report.peak_mb = max(report.peak_mb, message["peak_mb"])
        finally:
            worker_process.kill()
            worker_process.wait()
            worker_process.stdout.close()
    report.seconds = time.monotonic() - began
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", type=int, nargs="?", default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--case-seconds", type=float, default=30)
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--case", type=int, help="run this one case here and show it")
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        seed, first, count, memory_mb, scale = args.worker
        worker(int(seed), int(first), int(count), int(memory_mb), scale)
        return 0
    if args.case is not None:
        name, data, done = case(args.seed, args.case, args.scale)
        print(f"case {args.case}: {name}, {'; '.join(done)} ({len(data):,} bytes)")
        with tempfile.TemporaryDirectory() as folder:
            began = time.monotonic()
            failure = check(data, Path(folder))
            print(failure or f"ok in {time.monotonic() - began:.2f} s")
        return 1 if failure else 0
    report = run(
        args.cases,
        seed=args.seed,
        first=args.first,
        case_seconds=args.case_seconds,
        memory_mb=args.memory_mb,
        scale=args.scale,
    )
    print(report.summary(args.seed))
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Mutated real-looking calendars never crash or hang the readers (issue #15).

Two hundred seeded cases of benchmarks/fuzz_calendars.py at its ``suite`` scale
(truncation, duplicated, swapped and dropped lines, NUL bytes, invalid UTF-8,
absurd values, 2,000 nested BEGIN:VEVENT, lines of 100 KB), each read as a feed,
as a file and by the import preview, in a worker process under 2 GiB of
address space, each case under a time limit the supervisor enforces. A
failure names the case: ``python benchmarks/fuzz_calendars.py --scale suite
--seed 20261207 --case N`` runs it again and shows what went wrong. The
benchmark runs thousands of cases at full scale.
"""

from benchmarks.fuzz_calendars import run

SEED = 20261207
CASES = 200


def test_mutated_calendars_never_crash_or_hang_the_readers():
    # A case takes 0.02-1 s; a minute means it hangs, even on a busy machine.
    report = run(CASES, seed=SEED, case_seconds=60, memory_mb=2048, scale="suite")
    assert report.failures == [], report.summary(SEED)
    assert report.cases == CASES

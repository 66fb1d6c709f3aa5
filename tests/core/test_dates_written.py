"""Dates are written one way everywhere: "Sun 6 Dec", never "Sun 06 Dec", with English
names whatever the locale, through the helpers of planner.core.text.wording."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from planner.core.text import wording

PLANNER = Path(__file__).parents[2] / "planner"
SUNDAY = date(2026, 12, 6)


def test_the_helpers_write_the_day_without_a_leading_zero():
    assert wording.day(SUNDAY) == "Sun"
    assert wording.weekday(SUNDAY) == "Sunday"
    assert wording.month(SUNDAY) == "December"
    assert wording.short_date(SUNDAY) == "Sun 6 Dec"
    assert wording.short_date(SUNDAY, year=True) == "Sun 6 Dec 2026"
    assert wording.short_date(SUNDAY, year=True, named=False) == "6 Dec 2026"
    assert wording.long_date(SUNDAY) == "Sunday 6 December 2026"
    assert wording.long_date(SUNDAY, year=False) == "Sunday 6 December"
    assert wording.long_date(SUNDAY, named=False) == "6 December 2026"
    at = datetime(2026, 12, 6, 7, 5, tzinfo=ZoneInfo("America/Toronto"))
    assert wording.moment(at) == "Sun 6 Dec 07:05"
    assert wording.moment(at, year=True) == "Sun 6 Dec 2026 07:05"
    assert wording.short_date(date(2026, 11, 23)) == "Mon 23 Nov"


# A day or month name, or a zero-padded day, in an f-string format or a strftime pattern:
# "{start:%a %d %b}", strftime("%A"). ISO stamps for file names (%Y%m%d) are not words.
_NAMED = re.compile(r"%[aAbB]")
_PADDED_DAY = re.compile(r"(?<!%m)(?<!%m-)%d")


def test_no_module_writes_dates_its_own_way():
    """Every date a person reads goes through wording (the quick-add reader's notes, which
    already write "6 December", are left to the work on its misreads)."""
    offenders = []
    for path in sorted(PLANNER.rglob("*.py")):
        if path.name == "wording.py" or "quick_add" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if ("%" in code and ("strftime" in code or "{" in code)) and (
                _NAMED.search(code) or _PADDED_DAY.search(code)
            ):
                offenders.append(f"{path.relative_to(PLANNER)}:{number}: {line.strip()}")
    assert offenders == []

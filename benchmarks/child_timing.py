"""Timing what a fresh process does: for costs a warm process hides (imports)."""

from __future__ import annotations

import statistics
import subprocess
import sys


def median_printed_seconds(code: str, runs: int) -> float:
    """The median of the seconds ``python -c code`` prints, each run in a new process
    (so nothing is imported yet)."""
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    return statistics.median(times)

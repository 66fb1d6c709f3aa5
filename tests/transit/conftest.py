"""Fixtures of the transit tests: a fresh cache folder per test, timetables forgotten."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from planner.core.model import Problem
from planner.core.travel.transit import Timetables, forget_timetables
from tests.transit.feeds import Rows, write_feed


@pytest.fixture(autouse=True)
def _fresh_timetables() -> Iterator[None]:
    forget_timetables()
    yield
    forget_timetables()


LoadFeeds = Callable[..., tuple[Timetables, list[Problem]]]


@pytest.fixture
def load(tmp_path: Path) -> LoadFeeds:
    """Write each table set as a zip in tmp_path and load them together."""

    def loader(
        *feeds: dict[str, Rows | str], min_transfer_minutes: int = 2
    ) -> tuple[Timetables, list[Problem]]:
        paths = [write_feed(tmp_path / f"feed{n}.zip", tables) for n, tables in enumerate(feeds)]
        return Timetables.load(
            paths, cache_dir=tmp_path / "cache", min_transfer_minutes=min_transfer_minutes
        )

    return loader

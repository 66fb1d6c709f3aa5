"""How fast big calendars are read (behaviour: tests/core/test_import_preview.py)."""

import time

import pytest

from planner.core.calendars.preview import preview_file
from tests.core.test_import_preview import write_big_calendar

pytestmark = pytest.mark.perf


def test_a_20_mb_file_previews_in_seconds(tmp_path):
    path = tmp_path / "ten-years.ics"
    events, _series = write_big_calendar(path, 20)
    began = time.perf_counter()
    preview = preview_file(path)
    seconds = time.perf_counter() - began
    print(f"20 MB preview: {seconds:.2f} s")
    assert preview.events == events
    assert seconds < 3, f"{seconds:.2f} s"

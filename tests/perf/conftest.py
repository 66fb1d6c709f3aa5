"""The perf marker's rule, and the unit tests' fixtures that the timings reuse.

Every module here marks its tests ``perf`` (``pytestmark``, so that ``-m`` sees
it), and they are left out (deselected) unless asked for: by a ``-m``
expression that names ``perf`` (``pytest -m perf``, ``pytest -m "perf and not
slow"``) or by naming a path under tests/perf. So plain ``pytest`` (the
README's and CI's command) and ``pytest -m "not slow"`` run the unit tests
alone. The rule sits here, not in the root conftest, because it only matters
when this folder is collected.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

# The fixtures of the unit tests these timings come from, shared rather than copied.
# The router's server is renamed: the geocoder tests have a fixture named `server` too.
from tests.core.test_places import nominatim, server  # noqa: F401
from tests.core.test_router import server as routing  # noqa: F401
from tests.gui.test_import_dialog import files  # noqa: F401
from tests.gui.test_import_window import window  # noqa: F401
from tests.gui.test_week_view import view  # noqa: F401

HERE = Path(__file__).resolve().parent


def asked_for(config: pytest.Config) -> bool:
    """Whether this run asked for the timings (see the module's docstring)."""
    if re.search(r"\bperf\b", config.getoption("markexpr") or ""):
        return True
    where = config.invocation_params.dir
    for arg in config.args:
        path = (where / arg.split("::")[0]).resolve()
        if path == HERE or HERE in path.parents:
            return True
    return False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if asked_for(config):
        return
    timed = [item for item in items if item.get_closest_marker("perf")]
    if timed:
        config.hook.pytest_deselected(items=timed)
        items[:] = [item for item in items if not item.get_closest_marker("perf")]

"""Test configuration shared by every test.

Qt must never try to open a real display in tests, so the platform is forced
to offscreen here, before pytest-qt creates the QApplication. planner's own
config, cache and data folders point at a private temporary folder, so tests never
read or change the developer's consent answers, geocoding cache or store.
"""

import logging
import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_private = Path(tempfile.mkdtemp(prefix="planner-tests-"))
os.environ["PLANNER_CONFIG_DIR"] = str(_private / "config")
os.environ["PLANNER_CACHE_DIR"] = str(_private / "cache")
os.environ["PLANNER_DATA_DIR"] = str(_private / "data")
os.environ["PLANNER_LOG_DIR"] = str(_private / "logs")
# Never the developer's keyring: tests that need one install an in-memory backend.
os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"

# The `site` fixture: a real HTTP server on 127.0.0.1 for feed tests; `caldav_server`:
# Radicale and Xandikos on 127.0.0.1 (tests/caldav_servers.py).
pytest_plugins = ["tests.feed_server", "tests.caldav_servers"]


@pytest.fixture(autouse=True)
def _fresh_routers():
    """A test's routing server is new even when its port was a dead server's before:
    the routers planner shares for the life of a process are forgotten around each test."""
    from planner.core.travel.by_timetable import forget_own_timetables
    from planner.core.travel.service import forget_routers
    from planner.core.travel.transit import forget_timetables

    forget_routers()
    forget_timetables()
    forget_own_timetables()
    yield
    forget_routers()
    forget_timetables()
    forget_own_timetables()


@pytest.fixture
def planner_logger():
    """The "planner" logger without the handlers other tests gave it, restored afterwards."""
    logger = logging.getLogger("planner")
    kept = list(logger.handlers)
    for handler in kept:
        logger.removeHandler(handler)
    yield logger
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    for handler in kept:
        logger.addHandler(handler)

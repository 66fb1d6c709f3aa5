"""Test configuration shared by every test.

Qt must never try to open a real display in tests, so the platform is forced
to offscreen here, before pytest-qt creates the QApplication. planner's own
config and cache folders point at a private temporary folder, so tests never
read or change the developer's consent answers or geocoding cache.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
_private = Path(tempfile.mkdtemp(prefix="planner-tests-"))
os.environ["PLANNER_CONFIG_DIR"] = str(_private / "config")
os.environ["PLANNER_CACHE_DIR"] = str(_private / "cache")

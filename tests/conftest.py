"""Test configuration shared by every test.

Qt must never try to open a real display in tests, so the platform is forced
to offscreen here, before pytest-qt creates the QApplication.
"""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Keep tests independent of the developer's own planner data and settings.
os.environ.setdefault("PLANNER_NO_USER_DATA", "1")

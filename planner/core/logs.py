"""Where planner writes what went wrong, so a user can send it and a developer can read it.

A failure the window reports in one line (a plan that could not be made, a file
that could not be read) has a traceback behind it; it goes to ``planner.log`` in
the platform's log folder (``PLANNER_LOG_DIR`` overrides it, which the tests
use), rotated at 1 MB with three old files kept, so it never grows without end.
Help > Open log folder opens that folder. Only planner's own loggers
(``planner.*``) write there: a library's chatter is not the user's business.
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

LOG_FILE = "planner.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s]: %(message)s"


def log_dir() -> Path:
    """The folder ``planner.log`` is written to.

    ``PLANNER_LOG_DIR`` when set; else the platform's log folder for planner, unless
    it cannot be made there (a read-only or odd home), then planner's state folder.
    """
    override = os.environ.get("PLANNER_LOG_DIR")
    if override:
        return Path(override)
    logs = Path(platformdirs.user_log_dir("planner"))
    if _can_make(logs):
        return logs
    return Path(platformdirs.user_state_dir("planner"))


def _can_make(folder: Path) -> bool:
    """Whether ``folder`` is, or can become, a folder planner may write in."""
    for existing in (folder, *folder.parents):
        if existing.exists():
            return existing.is_dir() and os.access(existing, os.W_OK)
    return False


def setup_logging() -> Path | None:
    """Send planner's log records (warnings and worse) to ``planner.log``; the file's path.

    Called by the command line and the window at start; calling it again adds nothing.
    A folder that cannot be made leaves logging as it was (None): a log is worth
    having, never worth refusing to start for.
    """
    logger = logging.getLogger("planner")
    for handler in logger.handlers:
        if isinstance(handler, RotatingFileHandler) and getattr(handler, "planner_log", False):
            return Path(handler.baseFilename)
    folder = log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # delay: the file is made by the first record, not by every command that starts.
        handler = RotatingFileHandler(
            folder / LOG_FILE,
            maxBytes=MAX_BYTES,
            backupCount=BACKUPS,
            encoding="utf-8",
            delay=True,
        )
    except OSError:
        return None
    handler.planner_log = True  # type: ignore[attr-defined]  # marks ours, for idempotence
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(handler)
    return Path(handler.baseFilename)

"""planner's log: where it is, that it rotates, and that setting it up twice adds nothing."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from planner.core import logs


def test_the_folder_is_the_override_when_given(monkeypatch, tmp_path):
    monkeypatch.setenv("PLANNER_LOG_DIR", str(tmp_path / "here"))
    assert logs.log_dir() == tmp_path / "here"


def test_the_folder_is_the_platforms_log_folder_else_the_state_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("PLANNER_LOG_DIR")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setattr(platformdirs, "user_log_dir", lambda name: str(home / "log" / name))
    monkeypatch.setattr(platformdirs, "user_state_dir", lambda name: str(home / "state" / name))
    assert logs.log_dir() == home / "log" / "planner"
    (home / "log").write_text("a file where the folder should be")
    assert logs.log_dir() == home / "state" / "planner"


def test_setting_up_twice_adds_one_rotating_file(monkeypatch, tmp_path, planner_logger):
    monkeypatch.setenv("PLANNER_LOG_DIR", str(tmp_path / "logs"))
    path = logs.setup_logging()
    assert logs.setup_logging() == path == tmp_path / "logs" / "planner.log"
    [handler] = planner_logger.handlers
    assert isinstance(handler, RotatingFileHandler)
    assert (handler.maxBytes, handler.backupCount) == (1_000_000, 3)
    assert not path.exists()  # made by the first record, not by every start

    logging.getLogger("planner.gui.background").error(
        "Background work failed", exc_info=ValueError("no such week")
    )
    logging.getLogger("planner.core").info("not worth keeping")
    handler.flush()
    text = Path(path).read_text(encoding="utf-8")
    assert "ERROR planner.gui.background" in text and "ValueError: no such week" in text
    assert "not worth keeping" not in text


def test_a_folder_that_cannot_be_made_leaves_logging_alone(monkeypatch, tmp_path, planner_logger):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("PLANNER_LOG_DIR", str(blocked / "logs"))
    assert logs.setup_logging() is None
    assert planner_logger.handlers == []

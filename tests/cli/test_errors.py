"""What the command line says when something fails: expected failures in one line with
their exit status, a bug in one sentence naming the log that holds its traceback."""

from __future__ import annotations

import errno
import json
import logging

import pytest

from planner.cli import main as cli_main
from planner.cli import saved as cli_saved
from planner.cli.main import main
from planner.core.settings import SettingsError
from planner.core.storage.store import StoreError

GOOD = "UID:good\r\nSUMMARY:Fine\r\nDTSTART:20261124T180000Z\r\nDTEND:20261124T190000Z"
NO_START = "UID:bad\r\nSUMMARY:No start"


def calendar(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e.strip()}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{body}END:VCALENDAR\r\n".encode()


class BoomError(Exception):
    """A bug of planner's, as far as the command line can tell."""


@pytest.fixture
def log_file(monkeypatch, tmp_path):
    """planner.log in a folder of the test's own; the "planner" logger as it was afterwards."""
    monkeypatch.setenv("PLANNER_LOG_DIR", str(tmp_path / "logs"))
    logger = logging.getLogger("planner")
    kept = list(logger.handlers)
    for handler in kept:
        logger.removeHandler(handler)
    yield tmp_path / "logs" / "planner.log"
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    for handler in kept:
        logger.addHandler(handler)


def _boom(_args):
    raise BoomError("no such week")


@pytest.mark.parametrize(
    ("module", "command", "argv"),
    [
        (cli_main, "run_plan", ["plan", "--demo"]),
        (cli_saved, "run_history", ["history"]),
    ],
)
def test_a_bug_is_one_sentence_naming_the_log_and_exit_70(
    module, command, argv, monkeypatch, capsys, log_file
):
    monkeypatch.setattr(module, command, _boom)
    assert main(argv) == 70
    err = capsys.readouterr().err
    assert err == (
        "planner: something went wrong that planner did not expect (a bug); "
        f"the details are in {log_file}\n"
    )
    for handler in logging.getLogger("planner").handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "Traceback" in text and "BoomError: no such week" in text


@pytest.mark.parametrize(
    ("failure", "said", "code"),
    [
        (SettingsError("my.toml: [budget] weekly_hours: expected a number"), None, 2),
        (StoreError("/data/planner.sqlite3: made by a newer planner"), None, 1),
        (
            PermissionError(errno.EACCES, "Permission denied", "/home/me/work.ics"),
            "/home/me/work.ics: Permission denied",
            1,
        ),
    ],
)
def test_an_expected_failure_is_one_line_with_its_exit_status(
    failure, said, code, monkeypatch, capsys, log_file
):
    def fail(_args):
        raise failure

    monkeypatch.setattr(cli_main, "run_plan", fail)
    assert main(["plan", "--demo"]) == code
    err = capsys.readouterr().err
    assert err == f"planner: {said or failure}\n"
    assert not log_file.exists()  # nothing went wrong with planner itself


def test_the_plan_command_writes_its_problems_as_data(tmp_path, capsys, log_file):
    """An event skipped is a warning: the calendar was read, so the exit status is 0."""
    feed = tmp_path / "feed.ics"
    feed.write_bytes(calendar(GOOD, NO_START))
    code = main(["plan", "--candidates", str(feed), "--week", "2026-11-23", "--json"])
    out = capsys.readouterr()
    assert code == 0
    assert json.loads(out.out)["problems"] == [
        {
            "source": str(feed),
            "line": 9,
            "severity": "warning",
            "text": "skipped 'No start': it has no start time (DTSTART)",
            "message": f"{feed}:9: skipped 'No start': it has no start time (DTSTART)",
        }
    ]
    assert f"planner: warning: {feed}:9: skipped 'No start'" in out.err


def test_a_plan_of_nothing_but_unreadable_files_is_bad_input(tmp_path, capsys, log_file):
    """Every source an ERROR and nothing to plan: exit 2, whatever the words of the error."""
    empty = tmp_path / "empty.ics"
    empty.write_text("")
    assert main(["plan", "--candidates", str(empty)]) == 2
    assert f"planner: warning: {empty}: the file is empty" in capsys.readouterr().err

"""The hostile settings of tests/core/test_settings_hostile.py through the command line:
one line naming the file, the key and the value, exit status 2, never a traceback."""

from __future__ import annotations

import pytest

from planner.cli.main import main
from tests.core.test_settings_hostile import HOSTILE, IDS


@pytest.mark.timeout(60)
@pytest.mark.parametrize(("text", "message"), HOSTILE, ids=IDS)
@pytest.mark.parametrize("command", [["plan", "--demo"], ["sources"]])
def test_hostile_settings_are_one_line_and_exit_2(tmp_path, capsys, text, message, command):
    path = tmp_path / "settings.toml"
    path.write_text(text + "\n")
    status = main([*command, "--settings", str(path)])
    out, err = capsys.readouterr()
    assert status == 2
    assert err.startswith(f"planner: {path}: {message}"), err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out == ""

"""A real read-only data folder: a bind mount remounted read-only in a private mount
namespace (``unshare -m``, as root), with the installed ``planner`` run inside it.

Skipped where the machine cannot make one (not root, no ``unshare``); the same paths
are tested by simulation in tests/core/test_store_read_only.py.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.test_cli import planner_command
from tests.e2e.test_cli_store import User

pytestmark = pytest.mark.e2e


def read_only_run(user: User, folder: Path, *commands: tuple[str, ...]) -> list[tuple[str, int]]:
    """Run each command with ``folder`` mounted read-only: each one's output and status."""
    script = [f"mount --bind {folder} {folder}", f"mount -o remount,bind,ro {folder}", "set +e"]
    for command in commands:
        script.append(f'{shlex.join([planner_command(), *command])} 2>&1; echo "::exit $?"')
    result = subprocess.run(
        ["unshare", "-m", "bash", "-ec", "\n".join(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env=user.env,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a read-only folder here: {result.stderr.strip()}")
    assert "Traceback" not in result.stdout, result.stdout
    parts = result.stdout.split("::exit ")
    outputs = [parts[0], *(p.split("\n", 1)[1] if "\n" in p else "" for p in parts[1:-1])]
    statuses = [int(p.split("\n", 1)[0]) for p in parts[1:]]
    return list(zip(outputs, statuses, strict=True))


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None, reason="needs root")
def test_a_read_only_data_folder_is_said_and_the_saved_planning_still_plans(tmp_path):
    user = User(tmp_path / "user")
    added = user.run("add", "PMI mixer Thu 6-8pm @ 100 King St W $25", "--week", "2031-03-10")
    assert added.returncode == 0, added.stderr
    folder = user.root / "data"
    (sources, sources_status), (plan, plan_status), (add, add_status) = read_only_run(
        user,
        folder,
        ("sources",),
        ("plan", "--week", "2031-03-10"),
        ("add", "Drinks Fri 7pm at Spacing", "--week", "2031-03-10"),
    )
    assert sources.endswith("Typed events: 1 (added with `planner add`).\n")
    assert sources_status == 0
    assert "of 1 events proposed" in plan and plan_status == 0
    reason = f"planner cannot write to {folder} (read-only): decisions will not be kept"
    assert f"week not recorded ({reason})" in plan
    assert reason in add and "damaged" not in add and add_status == 1


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None, reason="needs root")
def test_a_read_only_folder_with_nothing_kept_yet(tmp_path):
    user = User(tmp_path / "user")
    (user.root / "data").mkdir(parents=True)
    [(sources, status)] = read_only_run(user, user.root / "data", ("sources",))
    assert sources == (
        f"planner cannot write to {user.root / 'data'} (read-only): decisions will "
        "not be kept (nothing has been kept there yet)\n"
    )
    assert status == 1

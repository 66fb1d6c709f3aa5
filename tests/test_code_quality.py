"""Typed and linted from day one: the suite fails when mypy or ruff would."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def tool(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def test_ruff_lint_and_format():
    lint = subprocess.run(
        [tool("ruff"), "check", "planner", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert lint.returncode == 0, lint.stdout
    fmt = subprocess.run(
        [tool("ruff"), "format", "--check", "planner", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert fmt.returncode == 0, fmt.stdout


def test_mypy_strict():
    result = subprocess.run(
        [tool("mypy"), "--no-error-summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr

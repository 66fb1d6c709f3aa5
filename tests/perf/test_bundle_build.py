"""The PyInstaller bundle builds within CI's budget (what it holds and how it runs:
tests/packaging/test_bundle.py). Slow as well: it builds the bundle again."""

import subprocess
import sys
import time
from importlib import util

import pytest

from tests.packaging.test_bundle import BUILD_SECONDS_LIMIT, ROOT

pytestmark = [
    pytest.mark.perf,
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="built and checked on Linux"),
]


def test_the_bundle_builds_within_the_ci_budget(tmp_path):
    if util.find_spec("PyInstaller") is None:
        pytest.skip('PyInstaller is not installed: pip install ".[test]" or ".[bundle]"')
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build_bundle.py"),
            f"--dist={tmp_path / 'dist'}",
            f"--work={tmp_path / 'work'}",
        ],
        capture_output=True,
        text=True,
        timeout=BUILD_SECONDS_LIMIT * 2,
        check=False,
    )
    seconds = time.monotonic() - started
    print(f"the bundle built and checked in {seconds:.0f} s")
    assert result.returncode == 0, result.stdout + result.stderr
    assert seconds < BUILD_SECONDS_LIMIT, f"the bundle took {seconds:.0f} s to build and check"

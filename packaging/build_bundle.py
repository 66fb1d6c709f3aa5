"""Build planner's one-folder PyInstaller bundle, then check that it starts and plans.

    pip install ".[bundle]"
    python packaging/build_bundle.py            # -> dist/planner/planner

The checks run the bundle as a user would, in a clean environment: the window renders
the demo week to a PNG (offscreen), and ``planner plan --demo --json`` prints a plan
solved by CP-SAT. A bundle can build without error and still miss a Qt plugin, a data
file or a library a dependency loads by name; only running it shows that. The size
and the build time are printed because the spec is tuned for both
(packaging/README.md records them). tests/packaging/test_bundle.py runs this script.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "pyinstaller" / "planner.spec"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SCREENSHOT_SIZE = (1280, 800)


class BundleError(Exception):
    """The bundle could not be built, or it does not work."""


def build(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; the bundle's executable."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError as exc:
        raise BundleError(
            'PyInstaller is not installed in this environment: pip install ".[bundle]"'
        ) from exc
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",  # from scratch, as in CI: nothing carried over from an earlier build
        "--log-level=WARN",
        f"--distpath={dist}",
        f"--workpath={work}",
        str(SPEC),
    ]
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise BundleError(f"PyInstaller failed (exit status {result.returncode})")
    executable = dist / "planner" / ("planner.exe" if sys.platform == "win32" else "planner")
    if not executable.is_file():
        raise BundleError(f"PyInstaller finished but {executable} is missing")
    return executable


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header, refusing anything that is not a PNG."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise BundleError("the screenshot is not a PNG file")
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def clean_environment(home: Path) -> dict[str, str]:
    """The user's environment without Python's variables and with private folders.

    PYTHONPATH or PYTHONHOME from a developer's shell would let the bundle import
    modules from outside itself and hide a missing one; planner's config and cache
    point at a scratch folder so a check never reads or writes the user's answers.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PLANNER_CONFIG_DIR=str(home / "config"),
        PLANNER_CACHE_DIR=str(home / "cache"),
    )
    return env


def smoke_test(executable: Path) -> dict[str, object]:
    """Run the bundle's window and its plan command; what they produced."""
    with tempfile.TemporaryDirectory(prefix="planner-bundle-") as scratch:
        env = clean_environment(Path(scratch))
        shot = Path(scratch) / "demo-week.png"
        width, height = SCREENSHOT_SIZE
        window = subprocess.run(
            [str(executable), "--demo", "--screenshot", str(shot), "--size", f"{width}x{height}"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if window.returncode != 0 or not shot.is_file():
            raise BundleError(f"the window did not render:\n{window.stdout}{window.stderr}")
        size = png_size(shot.read_bytes())
        if size != SCREENSHOT_SIZE:
            raise BundleError(f"the screenshot is {size}, not {SCREENSHOT_SIZE}")
        plan = subprocess.run(
            [str(executable), "plan", "--demo", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if plan.returncode != 0:
            raise BundleError(f"planner plan failed:\n{plan.stderr}")
        try:
            report = json.loads(plan.stdout)
        except json.JSONDecodeError as exc:
            raise BundleError(f"planner plan --json printed no JSON: {exc}") from exc
        chosen = [c for c in report["candidates"] if c["status"] == "chosen"]
        if not chosen or not report["optimal"]:
            raise BundleError("planner plan chose nothing, or CP-SAT did not prove the plan")
        return {"screenshot": size, "chosen": len(chosen), "optimal": report["optimal"]}


def folder_size(folder: Path) -> int:
    """Bytes of the files in a folder, links counted once (as the bundle's archive holds)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="default: dist/")
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's cache"
    )
    parser.add_argument("--no-check", action="store_true", help="build only, run nothing")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        executable = build(args.dist.resolve(), args.work.resolve())
        seconds = time.monotonic() - started
        size = folder_size(executable.parent)
        print(f"build_bundle: {executable} ({size / 2**20:.0f} MiB) built in {seconds:.0f} s")
        if not args.no_check:
            outcome = smoke_test(executable)
            print(
                f"build_bundle: the bundle works: a {outcome['screenshot']} screenshot, "
                f"a plan with {outcome['chosen']} events (optimal)"
            )
    except BundleError as exc:
        print(f"build_bundle: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

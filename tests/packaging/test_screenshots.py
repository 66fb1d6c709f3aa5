"""packaging/screenshots/make_screenshots.py makes real pictures, and the README shows them.

One size and one palette (a few seconds): every picture is written at the size asked
for, and shows something (many colours, not a blank or single-colour window). The
full run (three sizes, light and dark) is the script itself.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "packaging" / "screenshots"
SCRIPT = FOLDER / "make_screenshots.py"
ONE_SIZE_DARK = ("--size", "1280x720", "--palette", "dark")


def colours(image: QImage, step: int = 7) -> int:
    """How many colours a grid of pixels across the picture holds."""
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step)
            for y in range(0, image.height(), step)
        }
    )


def test_the_script_makes_every_picture_at_the_size_and_palette_asked(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path), *ONE_SIZE_DARK],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "qt:" not in done.stderr, done.stderr
    made = sorted(p.name for p in tmp_path.iterdir())
    # Every picture the README's folder holds at that size and palette, and no other.
    assert made == sorted(p.name for p in FOLDER.glob("*-1280x720-dark.png"))
    assert len(made) == 7
    for name in made:
        image = QImage(str(tmp_path / name))
        assert (image.width(), image.height()) == (1280, 720), name
        assert colours(image) > 50, f"{name} is (nearly) one colour"
    # The dark palette is the one painted: the window's background is dark.
    week = QImage(str(tmp_path / "demo-week-1280x720-dark.png"))
    assert week.pixelColor(640, 5).lightness() < 80


def test_the_readme_shows_pictures_that_are_there():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = re.findall(r"\((packaging/screenshots/[^)\s]+\.png)\)", readme)
    assert len(linked) >= 10
    missing = [link for link in linked if not (ROOT / link).is_file()]
    assert not missing

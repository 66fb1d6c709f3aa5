"""Render planner's SVG icon to the PNG sizes desktops look up in the hicolor theme.

Run after changing resources/icons/planner.svg, then commit the PNGs:

    QT_QPA_PLATFORM=offscreen python packaging/linux/render_icons.py

Desktops pick the nearest size and scale it, and a few (older GNOME Shell, XFCE panels,
AppStream catalogues) take only PNGs, so each size is rendered from the vector
rather than scaled from one bitmap. Qt's own SVG renderer is used because planner
already depends on it: no Inkscape or librsvg on the developer's machine. The tests
(tests/packaging/test_desktop_files.py) re-render and compare, so a changed SVG with
stale PNGs fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[2]
APP_ID = "io.github.planner.Planner"
SVG = ROOT / "resources" / "icons" / "planner.svg"
ICONS = ROOT / "packaging" / "linux" / "icons" / "hicolor"
SIZES = (16, 32, 48, 64, 128, 256, 512)


def png_path(size: int) -> Path:
    """Where the hicolor theme expects the icon of this size."""
    return ICONS / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def render(size: int, svg: Path = SVG) -> QImage:
    """The icon drawn at ``size`` x ``size`` pixels on a transparent background."""
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not an SVG Qt can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def main() -> int:
    for size in SIZES:
        target = png_path(size)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render(size).save(str(target), "PNG"):
            print(f"render_icons: could not write {target}", file=sys.stderr)
            return 1
        print(f"{target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

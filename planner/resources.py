"""The one place that finds bundled files (demo week, icons, desktop files).

In an installed wheel the top-level ``resources/`` folder is shipped as
``planner/bundled_resources``; in a source checkout it sits beside the package. Both
are found relative to the package, never to the working directory.
"""

from __future__ import annotations

import functools
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


@functools.cache
def root() -> Traversable:
    """The folder holding the bundled resources."""
    packaged = resources.files("planner") / "bundled_resources"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("planner's bundled resources are missing from this installation")


def path(*parts: str) -> Traversable:
    """A bundled file, e.g. ``path("demo", "candidates.ics")``."""
    node = root()
    for part in parts:
        node = node / part
    if not node.is_file() and not node.is_dir():
        raise FileNotFoundError(f"bundled resource not found: {'/'.join(parts)}")
    return node


def read_bytes(*parts: str) -> bytes:
    return path(*parts).read_bytes()


def read_text(*parts: str) -> str:
    return path(*parts).read_text(encoding="utf-8")

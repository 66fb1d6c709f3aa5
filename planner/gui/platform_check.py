"""A clear message, instead of Qt's abort, when a window cannot be opened.

Qt's X11 plugin (6.5 and later) needs libxcb-cursor0, which minimal Linux
installs lack; without it Qt prints a cryptic fatal error and aborts the
process. Checking the libraries first lets planner say what to install.
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping

# The X11 libraries Qt's xcb plugin loads, with the Debian/Ubuntu package for each.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
}


def missing_window_libraries(
    env: Mapping[str, str] | None = None,
    find: Callable[[str], str | None] = ctypes.util.find_library,
    platform: str = sys.platform,
) -> list[str]:
    """Debian packages missing for the X11 window Qt will try to open (none: fine)."""
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return []
    chosen = env.get("QT_QPA_PLATFORM", "")
    wants_x11 = chosen.startswith("xcb") or (
        not chosen and env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY")
    )
    if not wants_x11:
        return []
    return [package for name, package in XCB_LIBRARIES.items() if find(name) is None]


def window_problem(missing: list[str]) -> str:
    return (
        "planner cannot open its window: Qt needs system libraries that are not installed "
        f"({', '.join(missing)}).\nOn Debian or Ubuntu: sudo apt install {' '.join(missing)}\n"
        "(or run `bash .ci/system-deps` from planner's source folder). "
        "`planner plan` works without them."
    )

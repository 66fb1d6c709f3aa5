"""PyInstaller's QtGui hook, keeping only the Qt plugins planner loads.

The stock hook (same call) collects every plugin of the types QtGui can load:
EGLFS, LinuxFB and VNC platforms, the virtual keyboard, the GTK 3 theme, ten
image formats. PyInstaller then bundles every system library those link to
(GTK's cairo, pango, ATK ...), so the plugins must be dropped here, before
that analysis, not from the finished bundle. planner.spec puts this folder on
PyInstaller's hook path, where it takes precedence over the stock hook.
"""

from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# Kept plugins by folder under PySide6/Qt/plugins; a folder not listed is dropped whole,
# None keeps all of it.
KEPT_PLUGINS: dict[str, set[str] | None] = {
    # Headless (screenshots, CI), X11 and Wayland; EGLFS/LinuxFB/VNC serve kiosks.
    "platforms": {"libqoffscreen.so", "libqxcb.so", "libqwayland.so"},
    "xcbglintegrations": None,  # the xcb platform loads one at start
    "wayland-shell-integration": None,  # xdg-shell: without it, no window on Wayland
    "wayland-decoration-client": None,  # title bars where the compositor draws none
    "wayland-graphics-integration-client": None,
    # The window icon is an SVG: its icon engine and image format.
    "iconengines": {"libqsvgicon.so"},
    "imageformats": {"libqsvg.so"},
    # Dead keys and input methods in text fields; not the virtual keyboard (QtQuick).
    "platforminputcontexts": {
        "libcomposeplatforminputcontextplugin.so",
        "libibusplatforminputcontextplugin.so",
    },
    # File dialogs through the desktop portal over D-Bus (GNOME, KDE, Flatpak). The
    # GTK 3 theme is left out: it would bundle the build machine's GTK stack.
    "platformthemes": {"libqxdgdesktopportal.so"},
    # Windows and macOS platform plugins and styles, for builds there.
    "styles": None,
}
# The same plugins under their Windows and macOS names.
NATIVE_PLATFORMS = {"qwindows.dll", "qoffscreen.dll", "libqcocoa.dylib", "libqoffscreen.dylib"}
NATIVE_FORMATS = {"qsvg.dll", "libqsvg.dylib", "qsvgicon.dll", "libqsvgicon.dylib"}


def kept(source: str, dest_dir: str) -> bool:
    """Whether a file the stock hook collected is one planner uses."""
    dest = PurePath(dest_dir)
    if "plugins" not in dest.parts:
        return True
    folder = dest.parts[dest.parts.index("plugins") + 1]
    name = PurePath(source).name
    if name in NATIVE_PLATFORMS | NATIVE_FORMATS:
        return True
    wanted = KEPT_PLUGINS.get(folder, set())
    return wanted is None or name in wanted


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, dest) for source, dest in binaries if kept(source, dest)]

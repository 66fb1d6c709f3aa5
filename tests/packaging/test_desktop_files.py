"""The Linux desktop integration in packaging/linux: what desktops and software centres read.

The validators are the ones distributions and Flathub run; CI installs them
(.ci/system-deps), and a developer without them still gets the structural checks.
"""

import configparser
import filecmp
import os
import shutil
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from importlib import util
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

import planner

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
APP_ID = "io.github.planner.Planner"
DESKTOP = LINUX / f"{APP_ID}.desktop"
METAINFO = LINUX / f"{APP_ID}.metainfo.xml"
INSTALL = LINUX / "install-desktop.sh"
SIZES = (16, 32, 48, 64, 128, 256, 512)


def needs(tool: str, package: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not installed (Debian package {package}; .ci/system-deps adds it)")
    return found


def run(
    *command: str | Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def desktop_entry(path: Path = DESKTOP) -> configparser.ConfigParser:
    entry = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    entry.optionxform = str  # keys are case-sensitive
    entry.read(path, encoding="utf-8")
    return entry


def png_header_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def isolated_env(home: Path) -> dict[str, str]:
    """A user whose home is ``home``: the script can never touch the developer's desktop."""
    return {"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8"}


# The validators


def test_desktop_file_validate_passes():
    result = run(needs("desktop-file-validate", "desktop-file-utils"), DESKTOP)
    # It exits 0 on warnings and hints too; a clean file prints nothing.
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_appstreamcli_validate_passes():
    result = run(needs("appstreamcli", "appstream"), "validate", "--no-net", METAINFO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_installed_tree_validates_with_its_launchable(tmp_path):
    """validate-tree also checks that the metainfo's launchable .desktop file is installed."""
    appstreamcli = needs("appstreamcli", "appstream")
    installed = run(INSTALL, "--prefix", tmp_path / "usr", env=isolated_env(tmp_path))
    assert installed.returncode == 0, installed.stderr
    result = run(appstreamcli, "validate-tree", "--no-net", tmp_path / "usr")
    assert result.returncode == 0, result.stdout + result.stderr


# What the files say


def test_desktop_entry_opens_calendars_with_the_planner_command():
    entry = desktop_entry()["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "planner %F"  # the file manager's files become planner FILE.ics...
    assert entry["TryExec"] == "planner"  # the menu hides the entry until planner is installed
    assert entry["MimeType"] == "text/calendar;"
    assert entry["Categories"] == "Office;Calendar;"
    assert entry["Icon"] == APP_ID
    assert entry["Terminal"] == "false"


def test_desktop_action_opens_the_demo_week():
    entry = desktop_entry()
    assert entry["Desktop Entry"]["Actions"] == "demo;"
    assert entry["Desktop Action demo"]["Exec"] == "planner --demo"


def test_metainfo_names_the_desktop_file_and_this_version():
    component = ET.parse(METAINFO).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    launchable = component.find("launchable")
    assert launchable is not None and launchable.get("type") == "desktop-id"
    assert launchable.text == DESKTOP.name
    newest = component.find("releases/release")
    assert newest is not None
    assert newest.get("version") == planner.__version__, (
        "a new version needs its <release> in the metainfo (newest first)"
    )
    assert [m.text for m in component.findall("provides/mediatype")] == ["text/calendar"]
    assert component.find("content_rating") is not None


def test_metainfo_screenshot_is_the_committed_demo_week():
    """The URL serves packaging/screenshots/demo-week-1400x900-light.png from the repository."""
    component = ET.parse(METAINFO).getroot()
    image = component.find("screenshots/screenshot/image")
    assert image is not None and image.text is not None
    homepage = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["urls"]["Homepage"]
    assert component.findtext("url[@type='homepage']") == homepage
    owner_repo = homepage.removeprefix("https://github.com/")
    prefix = f"https://raw.githubusercontent.com/{owner_repo}/main/"
    assert image.text.startswith(prefix)
    shot = ROOT / image.text.removeprefix(prefix)
    assert shot == ROOT / "packaging" / "screenshots" / "demo-week-1400x900-light.png"
    assert png_header_size(shot) == (int(image.get("width", 0)), int(image.get("height", 0)))


# Icons


@pytest.mark.parametrize("size", SIZES)
def test_icon_is_the_size_it_claims(size):
    path = LINUX / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
    assert png_header_size(path) == (size, size)
    image = QImage(str(path))
    assert image.hasAlphaChannel()
    assert image.pixelColor(0, 0).alpha() == 0  # the corner outside the rounded card


def load_render_icons():
    spec = util.spec_from_file_location("render_icons", LINUX / "render_icons.py")
    assert spec is not None and spec.loader is not None
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("size", [16, 48, 256])
def test_icons_are_renders_of_the_current_svg(size):
    """A changed resources/icons/planner.svg needs render_icons.py run again.

    Compared with a tolerance: another Qt release may antialias edges a little differently.
    """
    render_icons = load_render_icons()
    fresh = render_icons.render(size).convertToFormat(QImage.Format.Format_ARGB32)
    committed = QImage(str(render_icons.png_path(size))).convertToFormat(
        QImage.Format.Format_ARGB32
    )
    different = sum(
        1
        for y in range(size)
        for x in range(size)
        if max(
            abs(a - b)
            for a, b in zip(
                fresh.pixelColor(x, y).getRgb(), committed.pixelColor(x, y).getRgb(), strict=True
            )
        )
        > 24
    )
    assert different <= size * size // 100, f"{different} pixels differ at {size} px"


# The install script


def installed_files(share: Path) -> list[Path]:
    icons = share / "icons" / "hicolor"
    return [
        share / "applications" / DESKTOP.name,
        share / "metainfo" / METAINFO.name,
        icons / "scalable" / "apps" / f"{APP_ID}.svg",
        *(icons / f"{s}x{s}" / "apps" / f"{APP_ID}.png" for s in SIZES),
    ]


def test_install_and_uninstall_into_a_prefix(tmp_path):
    bundle = tmp_path / "bundle" / "planner"
    bundle.parent.mkdir()
    bundle.write_text("#!/bin/sh\n")
    bundle.chmod(0o755)
    env = isolated_env(tmp_path / "home")
    result = run(INSTALL, "--prefix", tmp_path / "usr", "--exec", bundle, env=env)
    assert result.returncode == 0, result.stderr

    share = tmp_path / "usr" / "share"
    files = installed_files(share)
    assert [f for f in files if not f.is_file()] == []
    entry = desktop_entry(files[0])
    assert entry["Desktop Entry"]["Exec"] == f"{bundle} %F"
    assert entry["Desktop Entry"]["TryExec"] == str(bundle)
    assert entry["Desktop Action demo"]["Exec"] == f"{bundle} --demo"
    assert filecmp.cmp(files[2], ROOT / "resources" / "icons" / "planner.svg", shallow=False)
    assert not (tmp_path / "home").exists()  # with --prefix, nothing in the user's folders
    if shutil.which("desktop-file-validate"):
        validated = run("desktop-file-validate", files[0])
        assert validated.returncode == 0 and not validated.stdout.strip(), validated.stdout

    removed = run(INSTALL, "--prefix", tmp_path / "usr", "--uninstall", env=env)
    assert removed.returncode == 0, removed.stderr
    assert [f for f in files if f.exists()] == []


def test_install_says_when_it_skipped_the_ics_association(tmp_path):
    """Without xdg-mime (xdg-utils), or with --prefix, the files go in and the script says
    that .ics files were not associated, and why."""
    tools = tmp_path / "bin"
    tools.mkdir()
    for tool in ("dirname", "sed", "install", "chmod", "mv", "rm"):
        found = shutil.which(tool)
        assert found is not None, tool
        (tools / tool).symlink_to(found)
    home = tmp_path / "home"
    home.mkdir()
    env = isolated_env(home) | {"PATH": str(tools)}
    bash = shutil.which("bash")
    assert bash is not None
    result = run(bash, INSTALL, env=env)
    assert result.returncode == 0, result.stderr
    assert all(f.is_file() for f in installed_files(home / ".local" / "share"))
    assert "skipped the .ics association: xdg-mime was not found" in result.stdout
    assert "xdg-utils" in result.stdout

    staged = run(INSTALL, "--prefix", tmp_path / "usr", env=isolated_env(home))
    assert staged.returncode == 0, staged.stderr
    assert "skipped the .ics association: it applies to your own data folder only" in (
        staged.stdout
    )


def test_install_refuses_a_command_the_desktop_entry_cannot_quote(tmp_path):
    result = run(
        INSTALL, "--prefix", tmp_path, "--exec", "/opt/my apps/planner", env=isolated_env(tmp_path)
    )
    assert result.returncode == 2
    assert "without spaces" in result.stderr
    assert not (tmp_path / "share").exists()


def test_install_for_the_user_makes_planner_open_calendars(tmp_path):
    """The default install goes to ~/.local/share and associates .ics files, when none is."""
    needs("xdg-mime", "xdg-utils")
    home = tmp_path / "home"
    home.mkdir()
    env = isolated_env(home)
    result = run(INSTALL, env=env)
    assert result.returncode == 0, result.stderr
    assert all(f.is_file() for f in installed_files(home / ".local" / "share"))
    query = run("xdg-mime", "query", "default", "text/calendar", env=env)
    assert query.stdout.strip() == DESKTOP.name
    removed = run(INSTALL, "--uninstall", env=env)
    assert removed.returncode == 0, removed.stderr
    assert "choose another app" in removed.stdout

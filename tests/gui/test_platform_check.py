"""Opening a window where Qt's X11 libraries are missing gives a clear message."""

from planner.gui.platform_check import missing_window_libraries, window_problem


def none_found(_name):
    return None


def test_x11_without_libraries_is_reported():
    missing = missing_window_libraries({"DISPLAY": ":0"}, none_found, "linux")
    assert "libxcb-cursor0" in missing
    assert "sudo apt install libxcb-cursor0" in window_problem(missing)


def test_offscreen_wayland_and_other_systems_need_nothing():
    assert missing_window_libraries({"QT_QPA_PLATFORM": "offscreen"}, none_found, "linux") == []
    assert (
        missing_window_libraries({"WAYLAND_DISPLAY": "w", "DISPLAY": ":0"}, none_found, "linux")
        == []
    )
    assert missing_window_libraries({"DISPLAY": ":0"}, none_found, "darwin") == []


def test_installed_libraries_pass():
    assert missing_window_libraries({"DISPLAY": ":0"}, lambda name: f"lib{name}.so", "linux") == []

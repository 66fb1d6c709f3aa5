"""The window's Help menu: what planner is, and where its log is.

The log folder is the platform's (see :mod:`planner.core.logs`); it is made
before it is opened, so the file manager never says it does not exist, even
before anything was logged.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from planner import __version__
from planner.core.logs import log_dir
from planner.gui.actions import make_action


class HelpController:
    """About planner, and Open log folder."""

    def __init__(self, parent: QWidget, status: QStatusBar) -> None:
        self._parent = parent
        self._status = status
        self.about_action = make_action(parent, "&About planner", self.about)
        self.log_folder_action = make_action(parent, "Open &log folder", self.open_log_folder)

    def about(self) -> None:
        QMessageBox.about(
            self._parent,
            "About planner",
            f"<b>planner {__version__}</b><br>Proposes which networking events "
            "fit your week, travel included, and says why.",
        )

    def open_log_folder(self) -> None:
        """Open the folder holding planner.log in the file manager (made first if need be)."""
        folder = log_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._status.showMessage(f"Could not make the log folder {folder}: {exc}")
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self._status.showMessage(f"Could not open {folder}: it is where planner.log is")

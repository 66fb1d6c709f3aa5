"""The window's File menu work with files: import calendars, export and print the plan,
back up everything and restore a backup.

Import asks which calendars and as what (:class:`ImportDialog`), then adds them to
the session, which re-plans. Exports write the plan on screen. Backup and
restore go through the core: a restore follows the one careful policy of
:func:`planner.core.saved.restore_backup` (what is there now is saved first, the
settings file changes only when the user ticks the box), and the window then
says where the copies are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QMessageBox,
    QStatusBar,
    QWidget,
)

from planner.core.calendars import attend_list
from planner.core.model import Plan, source_name
from planner.core.saved import (
    BEFORE_RESTORE,
    BackupError,
    Restored,
    RestoreError,
    SettingsOutcome,
    back_up,
    restore_backup,
)
from planner.core.session import Session, State
from planner.core.storage import preferences
from planner.core.storage.file_copies import copy_moment
from planner.gui.actions import make_action


class FilesController:
    """Import, export, print, back up and restore, for one window over one session."""

    def __init__(
        self,
        session: Session,
        parent: QWidget,
        status: QStatusBar,
        *,
        plan: Callable[[], Plan | None],
        clock: Callable[[], datetime],
        after_restore: Callable[[], None],
        notices: Callable[[], Sequence[str]] = tuple,
    ) -> None:
        """``plan`` is the plan on screen (what is exported); ``after_restore`` is called
        once a backup replaced everything (the feeds' changes are listed again);
        ``notices`` are what the window says the plan was made without, printed on the
        agenda too."""
        self._session = session
        self._parent = parent
        self._status = status
        self._plan = plan
        self._clock = clock
        self._after_restore = after_restore
        self._notices = notices
        keys = QKeySequence.StandardKey
        self.import_action = make_action(
            parent, "&Import calendars…", self.import_files, QKeySequence(keys.Open)
        )
        self.export_ics_action = make_action(
            parent, "&Export attend-list (.ics)…", self.export_ics, QKeySequence("Ctrl+E")
        )
        self.export_csv_action = make_action(parent, "Export attend-list (CS&V)…", self.export_csv)
        self.export_pdf_action = make_action(parent, "Export &agenda (PDF)…", self.export_pdf)
        self.print_action = make_action(
            parent, "&Print agenda…", self.print_agenda, QKeySequence(keys.Print)
        )
        self.backup_action = make_action(parent, "&Back up everything…", self.back_up)
        self.restore_action = make_action(parent, "&Restore from backup…", self.restore)
        for action in (self.backup_action, self.restore_action):
            action.setEnabled(session.store is not None)

    # --- import -------------------------------------------------------------------------
    def import_files(self, paths: Sequence[str] | None = None) -> None:
        """Ask which calendars to import and as what, preview them, then re-plan."""
        from planner.gui.import_dialog import ImportDialog

        if not paths:
            chosen, _ = QFileDialog.getOpenFileNames(
                self._parent,
                "Import calendars",
                str(Path.home()),
                "iCalendar (*.ics *.ical);;All (*)",
            )
            paths = chosen
        if not paths:
            return
        dialog = ImportDialog([Path(p) for p in paths], self._parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        picked = dialog.chosen()
        if picked and self._session.add_sources(picked) is not None:
            names = ", ".join(p.name for p, _ in picked)
            self._status.showMessage(f"Imported {names}")

    def import_dropped_calendar(self, data: bytes) -> None:
        """An event dragged from another app: kept as a file planner reads, then offered."""
        folder = preferences.config_dir() / "dropped"
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = folder / f"dropped-{stamp}.ics"
        target.write_bytes(data)
        self.import_files([str(target)])

    # --- export -------------------------------------------------------------------------
    def export_ics(self, path: str | None = None) -> None:
        """Write the chosen events, travel and leave-by alarms as .ics."""
        plan = self._plan()
        if plan is not None:
            data = attend_list.to_ics(plan)
            self._export("attend.ics", "iCalendar (*.ics)", path, lambda p: p.write_bytes(data))

    def export_csv(self, path: str | None = None) -> None:
        """Write the chosen events as CSV."""
        plan = self._plan()
        if plan is not None:
            text = attend_list.to_csv(plan)
            self._export(
                "attend.csv", "CSV (*.csv)", path, lambda p: p.write_text(text, encoding="utf-8")
            )

    def export_pdf(self, path: str | None = None) -> None:
        """Write the printable agenda (leave-by times, addresses, links) as PDF."""
        from planner.gui.agenda_printer import write_pdf

        plan = self._plan()
        if plan is not None:
            notices = self._notices()
            self._export("agenda.pdf", "PDF (*.pdf)", path, lambda p: write_pdf(plan, p, notices))

    def print_agenda(self) -> None:
        from planner.gui.agenda_printer import print_agenda

        plan = self._plan()
        if plan is not None and print_agenda(plan, self._parent, self._notices()):
            self._status.showMessage("Agenda sent to the printer")

    def _export(
        self, name: str, kinds: str, path: str | None, write: Callable[[Path], object]
    ) -> None:
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self._parent, "Export attend-list", str(Path.home() / name), kinds
            )
        plan = self._plan()
        if not path or plan is None:
            return
        try:
            write(Path(path))
        except OSError as exc:
            QMessageBox.warning(self._parent, "Export failed", f"Could not write {path}:\n{exc}")
            return
        self._status.showMessage(f"Exported {len(plan.chosen)} events to {path}")

    # --- backup -------------------------------------------------------------------------
    def back_up(self, path: str | None = None) -> None:
        """Write everything planner keeps (decisions, calendars, feeds, history) to one file."""
        store = self._session.store
        if store is None:
            return
        if not path:
            stamp = self._clock().strftime("%Y-%m-%d")
            path, _ = QFileDialog.getSaveFileName(
                self._parent,
                "Back up everything",
                str(Path.home() / f"planner-backup-{stamp}.sqlite3"),
                "planner backup (*.sqlite3)",
            )
        if not path:
            return
        self._session.flush()  # the backup holds the last change
        settings_path = self._session.settings_path
        try:
            warning = back_up(store, Path(path), Path(settings_path) if settings_path else None)
        except BackupError as exc:
            QMessageBox.warning(self._parent, "Backup failed", str(exc))
            return
        done = f"Backed up everything to {path}"
        self._status.showMessage(f"{done} ({warning})" if warning else done)

    def restore(
        self, path: str | None = None, *, confirm: bool = True, settings_too: bool = False
    ) -> None:
        """Replace everything with a backup, after asking (and whether the settings file
        too, no unless ticked); what was there is saved first, a bad file changes nothing.

        ``confirm=False`` restores without asking, the settings file only with
        ``settings_too``.
        """
        store = self._session.store
        if store is None:
            return
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self._parent,
                "Restore from backup",
                str(Path.home()),
                "planner backup (*.sqlite3);;All (*)",
            )
        if not path:
            return
        if confirm:
            answer = self._ask(Path(path))
            if answer is None:
                return
            settings_too = answer
        session = self._session
        session.flush()  # no pending write may land on the restored data
        try:
            restored = restore_backup(
                store, Path(path), settings_path=session.settings_path, settings_too=settings_too
            )
        except RestoreError as exc:
            QMessageBox.warning(self._parent, "Restore failed", str(exc))
            return
        kept = restored.settings
        settings = kept.settings if kept.settings is not None else session.settings
        session.reset(
            State(settings, store.load_choices(), store.load_sources(), store.load_added()),
            f"Restore {Path(path).name}",
        )
        report = restore_report(restored)
        self._status.showMessage(" ".join(report))
        if confirm:
            QMessageBox.information(self._parent, "Restored from backup", "\n\n".join(report))
        self._after_restore()

    def _ask(self, backup: Path) -> bool | None:
        """Whether to restore (None: no) and, if so, the settings file too."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Restore from backup",
            f"Replace all your decisions, calendars, typed events and history with those "
            f"in {backup.name}? What you have now is saved first, beside planner's own "
            "database, so you can go back to it.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self._parent,
        )
        target = self._session.settings_path
        too: QCheckBox | None = None
        if target is not None:
            too = QCheckBox(
                f"Also replace your settings file ({target.name}) with the one in the "
                f"backup; yours is kept as {target.name}{BEFORE_RESTORE}"
            )
            box.setCheckBox(too)
        if box.exec() != QMessageBox.StandardButton.Yes:
            return None
        return too is not None and too.isChecked()


def restore_report(restored: Restored) -> list[str]:
    """What a restore did, in sentences for the user: where the copies are, above all."""
    said = [f"Restored everything from {restored.backup}."]
    if restored.saved_as is not None:
        said.append(f"What you had before is saved as {restored.saved_as} (restore it to go back).")
    settings = restored.settings
    target = settings.target
    match settings.outcome:
        case SettingsOutcome.SAME:
            said.append("Your settings file holds the backup's settings already.")
        case SettingsOutcome.LEFT if target is not None:
            said.append(
                f"Your settings file {target} was not changed; the backup's settings "
                f"({settings.origin}) are used only if you restore again and tick "
                "“Also replace your settings file”."
            )
        case SettingsOutcome.LEFT:
            said.append("The backup's settings were not used: this session keeps its own.")
        case SettingsOutcome.WRITTEN:
            previous = (
                f"; your previous one is {settings.kept_as}" if settings.kept_as is not None else ""
            )
            said.append(f"Your settings file {target} now holds the backup's{previous}.")
        case SettingsOutcome.INVALID | SettingsOutcome.UNWRITABLE:
            said.append(f"Settings in the backup not used: {settings.problem}")
    for path, read_at in restored.from_copies:
        said.append(
            f"{source_name(path)} is not on this computer: it is planned from its copy in "
            f"the backup, read {copy_moment(read_at)}."
        )
    for path in restored.missing:
        said.append(
            f"{path} is not on this computer: put it back, or remove "
            f"{source_name(path)} in File > Calendars."
        )
    return said

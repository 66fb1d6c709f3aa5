"""What the window says after a restore about calendar files that are not on this computer."""

from datetime import datetime
from pathlib import Path

from planner.core.saved import Restored, SettingsOutcome, SettingsRestored
from planner.gui.files_controller import restore_report


def test_the_report_names_the_copy_a_missing_file_is_planned_from_and_the_files_without():
    read = datetime(2026, 12, 6, 14, 2).astimezone()
    restored = Restored(
        Path("/backups/planner-backup.sqlite3"),
        None,
        ("/home/sam/old.ics",),
        SettingsRestored(SettingsOutcome.NONE),
        (("/home/sam/work.ics", read),),
    )
    report = restore_report(restored)
    assert "work.ics is not on this computer: it is planned from its copy in the backup, read " in (
        " ".join(report)
    )
    assert f"read Sun 6 Dec {read:%H:%M}." in " ".join(report)
    assert "/home/sam/old.ics is not on this computer: put it back, or remove old.ics in " in (
        " ".join(report)
    )

"""Restoring a backup, the one careful way the window and ``planner restore`` share: what is
there is saved first, the settings file changes only when asked and keeps a copy, a bad
backup changes nothing."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from planner.core.saved import RestoreError, SettingsOutcome, restore_backup
from planner.core.storage.store import Store

MINE = '# mine\n[general]\ntimezone = "America/Toronto"\n\n# my note\n[budget]\nweekly_hours = 4\n'
THEIRS = (
    '# theirs\n[general]\ntimezone = "America/Toronto"\n\n# a note\n[budget]\nweekly_hours = 7\n'
)
NOW = datetime(2026, 11, 23, 9, 0).astimezone()


@pytest.fixture
def store(tmp_path):
    with Store.open(tmp_path / "data" / "planner.sqlite3") as opened:
        yield opened


@pytest.fixture
def backup(tmp_path) -> Path:
    """A backup holding one commitment and the settings text THEIRS."""
    path = tmp_path / "backup.sqlite3"
    with Store.open(tmp_path / "old" / "planner.sqlite3") as old:
        old.set_decision("theirs", "pinned")
        old.save_settings("/old-laptop/settings.toml", THEIRS)
        old.export_backup(path)
    return path


@pytest.fixture
def settings_file(tmp_path) -> Path:
    path = tmp_path / "config" / "settings.toml"
    path.parent.mkdir()
    path.write_text(MINE)
    return path


def test_what_is_there_is_saved_first_and_the_settings_file_left(store, backup, settings_file):
    store.set_decision("mine", "refused")
    restored = restore_backup(store, backup, settings_path=settings_file, now=NOW)
    assert store.load_choices().pinned == {"theirs"} and not store.load_choices().refused
    assert restored.saved_as == store.path.parent / "before-restore-20261123-090000.sqlite3"
    with Store.open(restored.saved_as) as before:
        assert before.load_choices().refused == {"mine"}
    assert not restored.saved_as.with_name(restored.saved_as.name + ".new").exists()
    assert restored.settings.outcome is SettingsOutcome.LEFT
    assert restored.settings.origin == "/old-laptop/settings.toml"
    assert settings_file.read_text() == MINE
    assert not settings_file.with_name("settings.toml.before-restore").exists()


def test_nothing_to_save_first_makes_no_copy(store, backup, settings_file):
    restored = restore_backup(store, backup, settings_path=settings_file)
    assert restored.saved_as is None
    assert list(store.path.parent.glob("before-restore-*")) == []


def test_two_restores_within_a_second_keep_both_copies(store, backup, settings_file):
    store.set_decision("mine", "refused")
    first = restore_backup(store, backup, settings_path=settings_file, now=NOW)
    second = restore_backup(store, backup, settings_path=settings_file, now=NOW)
    assert first.saved_as is not None and second.saved_as is not None
    assert first.saved_as != second.saved_as and first.saved_as.exists()
    assert second.saved_as.name == "before-restore-20261123-090000-2.sqlite3"


def test_the_settings_too_are_written_whole_and_the_old_file_kept(store, backup, settings_file):
    restored = restore_backup(store, backup, settings_path=settings_file, settings_too=True)
    settings = restored.settings
    assert settings.outcome is SettingsOutcome.WRITTEN
    assert settings_file.read_text() == THEIRS  # its comments too
    assert settings.kept_as == settings_file.with_name("settings.toml.before-restore")
    assert settings.kept_as.read_text() == MINE
    assert settings.settings is not None and settings.settings.weekly_hours == 7


def test_settings_already_there_are_said_so(store, backup, settings_file):
    settings_file.write_text(THEIRS)
    restored = restore_backup(store, backup, settings_path=settings_file, settings_too=True)
    assert restored.settings.outcome is SettingsOutcome.SAME
    assert not settings_file.with_name("settings.toml.before-restore").exists()


def test_no_settings_file_to_write_leaves_the_settings(store, backup):
    restored = restore_backup(store, backup, settings_path=None, settings_too=True)
    assert restored.settings.outcome is SettingsOutcome.LEFT
    assert restored.settings.settings is None


def test_settings_that_do_not_read_are_not_written_and_the_rest_is_restored(
    store, tmp_path, settings_file
):
    backup = tmp_path / "odd.sqlite3"
    with Store.open(tmp_path / "odd" / "planner.sqlite3") as odd:
        odd.set_decision("theirs", "pinned")
        odd.save_settings("/odd/settings.toml", "[budget]\nweekly_hours = -3\n")
        odd.export_backup(backup)
    restored = restore_backup(store, backup, settings_path=settings_file, settings_too=True)
    assert restored.settings.outcome is SettingsOutcome.INVALID
    assert "was not changed (everything else was restored)" in restored.settings.problem
    assert settings_file.read_text() == MINE
    assert store.load_choices().pinned == {"theirs"}


def test_a_bad_backup_changes_nothing_and_leaves_no_copy(store, tmp_path, settings_file):
    store.set_decision("mine", "refused")
    junk = tmp_path / "notes.sqlite3"
    junk.write_text("shopping list\n" * 100)
    for bad, words in (
        (junk, "notes.sqlite3"),
        (tmp_path / "nope.sqlite3", "no such backup file"),
        (store.path, "planner's own database"),
    ):
        with pytest.raises(RestoreError, match=words) as raised:
            restore_backup(store, bad, settings_path=settings_file, settings_too=True)
        assert raised.value.bad_backup
    assert store.load_choices().refused == {"mine"}
    assert list(store.path.parent.glob("before-restore-*")) == []
    assert settings_file.read_text() == MINE


def test_a_store_that_cannot_be_saved_first_stops_the_restore(store, backup, monkeypatch):
    """A full disk or a damaged store while saving what is there: a sentence, nothing
    changed (the window shows it as a failed restore, not as a bug)."""
    import sqlite3

    store.set_decision("mine", "refused")

    def full_disk(path):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "export_backup", full_disk)
    with pytest.raises(RestoreError, match=r"disk is full.*nothing changed") as raised:
        restore_backup(store, backup, settings_path=None, now=NOW)
    assert raised.value.bad_backup is False
    assert store.load_choices().refused == {"mine"}
    assert not list(store.path.parent.glob("before-restore-*"))


def test_a_settings_file_that_cannot_be_written_is_kept(store, backup, settings_file, monkeypatch):
    """The backup's settings reach the disk before the user's file is touched: a failed
    write leaves the user's file as it was."""
    real_write = Path.write_text

    def full_disk(self, *args, **kwargs):
        if self.name.endswith(".new"):
            raise OSError(28, "No space left on device")
        return real_write(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", full_disk)
    restored = restore_backup(
        store, backup, settings_path=settings_file, settings_too=True, now=NOW
    )
    assert restored.settings.outcome is SettingsOutcome.UNWRITABLE
    assert "No space left on device" in restored.settings.problem
    assert settings_file.read_text() == MINE


def test_a_backup_holds_the_settings_file_as_it_is_now(store, settings_file, tmp_path):
    """The window and ``planner backup`` back up the same way: a settings file edited by
    hand since planner last saw it goes into the backup as it is now."""
    from planner.core.saved import BackupError, back_up

    store.save_settings(settings_file)  # what planner saw at start
    settings_file.write_text(MINE.replace("weekly_hours = 4", "weekly_hours = 5"))
    target = tmp_path / "backup.sqlite3"
    assert back_up(store, target, settings_file) == ""
    with Store.open(target) as copy:
        assert "weekly_hours = 5" in copy.load_settings().text
    with pytest.raises(BackupError) as own:
        back_up(store, store.path, settings_file)
    assert own.value.bad_target


def test_back_up_copies_the_calendar_files_and_restore_names_those_planned_from_copies(
    store, tmp_path
):
    from planner.core.model import Source
    from planner.core.saved import back_up
    from tests.feed_server import calendar, vevent

    folder = tmp_path / "calendars"
    folder.mkdir()
    copied, uncopied = folder / "work.ics", folder / "old.ics"
    copied.write_bytes(calendar(vevent("w", "Work", "20261124T090000", "20261124T170000")))
    store.save_sources([Source(str(copied), "commitments"), Source(str(uncopied), "candidates")])
    target = tmp_path / "backup.sqlite3"
    # old.ics is gone already and was never read: the backup cannot hold it, and says so.
    assert back_up(store, target, None, now=NOW) == (
        "old.ics is not on this computer: its copy was not refreshed"
    )
    copied.unlink()
    with Store.open(tmp_path / "elsewhere" / "planner.sqlite3") as other:
        restored = restore_backup(other, target, settings_path=None)
    assert restored.from_copies == ((str(copied), NOW),)
    assert restored.missing == (str(uncopied),)

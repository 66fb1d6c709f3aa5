"""A data folder planner cannot write to (a read-only mount, a folder without write
permission) is said to be read-only, never "damaged": the planning kept there is read,
and every write says that nothing can be kept.

Tests run as root here, which write permission bits do not stop: a read-only folder is
simulated by ``os.access`` saying so (what planner checks first), by ``mkdir`` failing
with EROFS, and by SQLite opening the file read-only (its own "attempt to write a
readonly database"). tests/e2e/test_cli_read_only.py mounts a real read-only folder.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

import pytest

from planner.core.model import Source
from planner.core.storage import database
from planner.core.storage.store import ReadOnlyStoreError, Store


def kept_planning(folder: Path) -> Path:
    path = folder / "planner.sqlite3"
    with Store.open(path) as store:
        store.set_decision("evt-1", "refused")
        store.add_source(Source("/home/sam/work.ics", "commitments"))
    return path


def read_only_folder(monkeypatch, folder: Path) -> None:
    """``os.access`` says ``folder`` and what is in it cannot be written."""
    real = os.access
    inside = {folder.resolve(), *(p.resolve() for p in folder.iterdir())}

    def access(path, mode, **kwargs):
        if mode & os.W_OK and Path(path).resolve() in inside | {folder.resolve()}:
            return False
        return real(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", access)


def test_a_read_only_file_is_read_only_too(tmp_path, monkeypatch):
    path = kept_planning(tmp_path)
    real = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode, **kw: not (mode & os.W_OK and Path(p) == path) and real(p, mode, **kw),
    )
    with Store.open(path) as store:
        assert store.read_only.startswith(f"planner cannot write to {tmp_path} (read-only)")


def test_a_read_only_folder_is_read_and_every_write_says_why(tmp_path, monkeypatch):
    path = kept_planning(tmp_path)
    read_only_folder(monkeypatch, tmp_path)
    with Store.open(path) as store:
        reason = f"planner cannot write to {tmp_path} (read-only): decisions will not be kept"
        assert store.read_only == reason
        assert store.load_choices().refused == {"evt-1"}
        assert [s.path for s in store.load_sources()] == ["/home/sam/work.ics"]
        with pytest.raises(ReadOnlyStoreError) as caught:
            store.set_decision("evt-2", "pinned")
        assert str(caught.value) == reason
        assert "damaged" not in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["planner.sqlite3"]  # nothing made


def test_a_read_only_folder_with_nothing_kept_yet_is_said_as_such(tmp_path, monkeypatch):
    read_only_folder(monkeypatch, tmp_path)
    with pytest.raises(ReadOnlyStoreError) as caught:
        Store.open(tmp_path / "planner.sqlite3")
    assert str(caught.value) == (
        f"planner cannot write to {tmp_path} (read-only): decisions will not be kept "
        "(nothing has been kept there yet)"
    )


def test_a_data_folder_that_cannot_be_made_on_a_read_only_mount(tmp_path, monkeypatch):
    def read_only_mount(self, *args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "mkdir", read_only_mount)
    target = tmp_path / "new" / "planner.sqlite3"
    with pytest.raises(ReadOnlyStoreError, match=r"new \(read-only\): decisions will not be"):
        Store.open(target)


def test_sqlite_refusing_to_write_the_file_is_read_only_not_damaged(tmp_path, monkeypatch):
    """The folder and file look writable, but SQLite cannot write when the store is
    opened (here: the file opened read-only, and a schema update due): SQLITE_READONLY."""
    path = kept_planning(tmp_path)

    def read_only_connection(where: Path) -> sqlite3.Connection:
        connection = sqlite3.connect(
            Path(where).absolute().as_uri() + "?mode=ro", uri=True, isolation_level=None
        )
        connection.row_factory = sqlite3.Row
        return connection

    monkeypatch.setattr(database, "connect", read_only_connection)
    monkeypatch.setattr(
        database, "migrate", lambda connection: connection.execute("PRAGMA user_version = 3")
    )
    with Store.open(path) as store:
        assert store.read_only.startswith(f"planner cannot write to {tmp_path} (read-only)")
        assert store.load_choices().refused == {"evt-1"}

"""Everything in one file and back: a backup the user can keep, and its careful restore.

A backup is one self-contained SQLite file (no ``-wal`` beside it) that
appears whole or not at all; the parse cache is left out, as it can be
rebuilt. A restore never trusts the file: it is copied first (the user's
file is never written to), checked (planner's, a schema this planner knows,
SQLite's integrity check, no dangling references), brought up to the
current schema, and only then copied over the live database in a single
step. On any doubt nothing changes.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from planner.core.storage import undo_log
from planner.core.storage.database import Database, StoreError, check_version, connect, migrate


def export_backup(database: Database, path: Path | str) -> None:
    """Write everything (decisions, calendars and feed copies, typed events, settings,
    history) to one self-contained SQLite file; the parse cache is left out, as it
    can be rebuilt. The file appears whole or not at all."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    copy = sqlite3.connect(partial, isolation_level=None)
    try:
        with database.reading() as db:
            db.backup(copy)
        copy.execute("DELETE FROM parsed_cache")
        copy.execute("DELETE FROM undo_steps")  # undo belongs to the planning it was made in
        copy.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
        copy.execute("VACUUM")
    except BaseException:
        copy.close()
        partial.unlink(missing_ok=True)
        raise
    copy.close()
    with partial.open("rb+") as stream:
        os.fsync(stream.fileno())
    partial.replace(target)


def import_backup(database: Database, path: Path | str) -> None:
    """Replace everything with a backup, after checking it; on any doubt nothing changes.

    The backup is copied first (the user's file is never written to), checked
    (planner's file, a schema this planner knows, SQLite's integrity check),
    brought up to the current schema, and only then copied over the live
    database in a single transaction.
    """
    source = Path(path)
    if not source.is_file():
        raise StoreError(f"{source}: no such backup file")
    with tempfile.TemporaryDirectory(dir=database.path.parent, prefix=".import-") as folder:
        copy_path = Path(folder) / "backup.sqlite3"
        shutil.copyfile(source, copy_path)
        copy = connect(copy_path)
        try:
            _validate_backup(copy, source)
            with database.reading() as db:
                copy.backup(db)
                db.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{source} cannot be imported ({exc}); nothing changed") from exc
        finally:
            copy.close()
    with database.writing() as db:
        undo_log.forget(db)  # the history of the state replaced; the revision tells open windows
    status = database.integrity_check()
    if status != "ok":
        raise StoreError(f"the database failed its check after importing {source}: {status}")


def _validate_backup(copy: sqlite3.Connection, source: Path) -> None:
    try:
        version = check_version(copy, str(source))
        if version == 0:
            raise StoreError(f"{source} is not a planner backup (it holds no planner data)")
        status = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if status != "ok":
            raise StoreError(f"{source} is damaged ({status}); nothing was imported")
        migrate(copy)
        problems = copy.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise StoreError(f"{source} refers to calendars it does not hold; nothing imported")
        for table, column in (("decisions", "key"), ("added", "event"), ("history", "event")):
            copy.execute(f"SELECT {column} FROM {table} LIMIT 1").fetchall()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{source} is not a planner backup or is damaged ({exc})") from exc

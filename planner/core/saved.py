"""Opening the user's own planning, as they left it: settings file, store, session.

The window and the CLI open the same things the same way: the settings file
named on the command line, or the one planner keeps in its config folder
(written the first time a setting is changed, so a change made in the window
is there next time); the store in the data folder (the demo week has its own,
so trying the demo never mixes with the user's decisions); and a session
restored from that store and kept there.

Restoring a backup follows one careful policy, for the window and ``planner
restore`` alike (:func:`restore_backup`): what is there now is saved first, the
settings file changes only when asked, and a copy of the old one is kept.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum
from pathlib import Path

from planner.core.logs import log_failure
from planner.core.model import is_feed
from planner.core.planning.plan import week_of
from planner.core.session import Session, State, calendar_loader
from planner.core.settings import Settings, load_settings
from planner.core.storage import preferences
from planner.core.storage.database import data_dir, default_path
from planner.core.storage.file_copies import CopyOutcome
from planner.core.storage.store import Store, StoreError

_log = logging.getLogger(__name__)

DEMO_STORE = "demo.sqlite3"
BEFORE_RESTORE = ".before-restore"
"""The suffix of the settings file a restore wrote over, kept beside it."""


def default_settings_path() -> Path:
    """The settings file planner keeps when none is named with ``--settings``."""
    return preferences.config_dir() / "settings.toml"


def user_settings(path: Path | None) -> tuple[Settings, Path]:
    """The user's settings and the file they are kept in; raises SettingsError.

    A named file must exist; planner's own file may not yet (defaults then).
    """
    if path is not None:
        return load_settings(path), path
    own = default_settings_path()
    if own.is_file():
        return load_settings(own), own
    return Settings(), own


def store_path(demo: bool = False) -> Path:
    """The database: the user's, or the demo week's own."""
    return data_dir() / DEMO_STORE if demo else default_path()


def open_store(demo: bool = False) -> Store:
    """Open (creating) the store; raises StoreError when it cannot be used."""
    return Store.open(store_path(demo))


def open_session(
    store: Store,
    settings: Settings,
    *,
    settings_path: Path | None = None,
    commitments: Sequence[Path | str] = (),
    candidates: Sequence[Path | str] = (),
    demo: bool = False,
) -> Session:
    """The session the user left, over the calendars given now and those they imported."""
    loader = calendar_loader(commitments, candidates, demo=demo, store=store)
    return Session.restored(store, loader, settings, settings_path=settings_path)


def opening_week(store: Store, today: date) -> date:
    """The week to open on: the one shown last, unless it is over (then this week)."""
    return kept_week(store, today) or today


def kept_week(store: Store, today: date) -> date | None:
    """The week shown last when it is not over yet (reopening keeps it), else None: the
    window then opens on the first week from today with candidates."""
    try:
        last = store.last_week()
    except Exception as exc:  # a store that cannot be read (or a damaged value) opens on this week
        log_failure(_log, "reading the week shown last", exc)
        return None
    if last is None:
        return None
    monday = today.toordinal() - today.weekday()
    return last if last.toordinal() - last.weekday() >= monday else None


def next_candidates_week(
    session: Session, state: State, after: date, weeks: int = 12
) -> date | None:
    """The Monday of the first week after the one holding ``after`` (up to ``weeks`` on)
    with a candidate, read or typed; None when there is none that soon.

    What the window says when the week shown has no candidates but others do ("Next
    candidates: week of Mon 14 Dec"). Each week is read as the plan reads it (and kept
    in the session's cache), so this runs off the GUI thread.
    """
    for step in range(1, weeks + 1):
        day = after + timedelta(days=7 * step)
        settings, week = session.load(state, day)
        start = week_of(day, settings)
        end = start + timedelta(days=7)
        typed = any(e.end > start and e.start < end for e in state.added)
        if typed or any(e.end > start and e.start < end for e in week.candidates):
            return start.date()
    return None


# --- restoring a backup --------------------------------------------------------------------


class RestoreError(Exception):
    """The backup was not restored and nothing changed; ``str(self)`` says why in one line.

    ``bad_backup``: the file given is the problem (missing, planner's own database, not a
    planner backup); otherwise what is there now could not be saved first.
    """

    def __init__(self, message: str, *, bad_backup: bool) -> None:
        super().__init__(message)
        self.bad_backup = bad_backup


class BackupError(Exception):
    """The backup was not written; ``str(self)`` says why in one line.

    ``bad_target``: the file named is planner's own database (a usage error), not a
    file that could not be written.
    """

    def __init__(self, message: str, *, bad_target: bool = False) -> None:
        super().__init__(message)
        self.bad_target = bad_target


def back_up(
    store: Store, target: Path, settings_path: Path | None, *, now: datetime | None = None
) -> str:
    """Write everything kept to ``target``, with the settings file's current text and the
    current bytes of every imported calendar file.

    The store keeps the settings text it last saw and each file's last read copy; a file
    edited since would otherwise go into the backup stale, so each is read again first
    (a calendar file only if its size or time changed). One policy for the window and
    ``planner backup``. Returns warning sentences, joined by "; ", when the settings file
    could not be read or a calendar file could not be copied (the backup is written
    without them), else "".
    """
    if _same_file(target, store.path):
        raise BackupError(
            f"{target} is planner's own database; back up to another file", bad_target=True
        )
    warnings = []
    if settings_path is not None and settings_path.is_file():
        try:
            store.save_settings(settings_path)
        except (OSError, UnicodeDecodeError) as exc:
            warnings.append(f"{settings_path}: not in the backup ({exc})")
    warnings += refresh_file_copies(store, now or datetime.now().astimezone())
    try:
        store.export_backup(target)
    except (OSError, sqlite3.Error, StoreError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise BackupError(f"cannot write {target}: {why}") from None
    return "; ".join(warnings)


def refresh_file_copies(store: Store, now: datetime) -> list[str]:
    """Bring the copy of every imported calendar file up to date (each read only if it
    changed), so that a backup holds what the files hold now; returns a sentence for
    each file whose copy is not current: too big to copy, unreadable, or missing with
    no copy at all (a missing file with a copy keeps it, as planning uses it)."""
    said = []
    for source in store.load_sources():
        if is_feed(source.path):
            continue
        kept = store.keep_file_copy(source.path, now)
        if kept.outcome is CopyOutcome.MISSING and store.file_copy(source.path) is not None:
            continue
        if sentence := kept.sentence(source.path):
            said.append(sentence)
    return said


class SettingsOutcome(Enum):
    """What a restore did with the settings file text the backup holds."""

    NONE = "the backup holds no settings"
    SAME = "the settings file holds the backup's settings already"
    LEFT = "the settings file was not changed (not asked to)"
    WRITTEN = "the backup's settings were written to the settings file"
    INVALID = "the backup's settings do not read as settings: the file was not changed"
    UNWRITABLE = "the settings file could not be written"


@dataclass(frozen=True, slots=True)
class SettingsRestored:
    """The settings part of a restore."""

    outcome: SettingsOutcome
    target: Path | None = None
    """The user's settings file (None: there is none, as for the demo)."""
    origin: str = ""
    """The settings file the backup's text came from (its path on the backed-up computer)."""
    kept_as: Path | None = None
    """The copy of the file that was written over (WRITTEN, when there was one)."""
    settings: Settings | None = None
    """The settings now in the file (WRITTEN), for the session to use."""
    problem: str = ""
    """Why not (INVALID, UNWRITABLE), naming the file."""


@dataclass(frozen=True, slots=True)
class Restored:
    """What :func:`restore_backup` did."""

    backup: Path
    saved_as: Path | None
    """The copy of what was there before (None: there was nothing to keep)."""
    missing: tuple[str, ...]
    """Calendar files the backup reads that are not on this computer, with no copy."""
    settings: SettingsRestored
    from_copies: tuple[tuple[str, datetime], ...] = ()
    """Calendar files not on this computer whose copy the backup holds (planned from it),
    with the moment that copy was read."""


def restore_backup(
    store: Store,
    backup: Path,
    *,
    settings_path: Path | None,
    settings_too: bool = False,
    now: datetime | None = None,
) -> Restored:
    """Replace everything ``store`` keeps with ``backup``, the careful way.

    What the store holds now is first saved beside it as
    ``before-restore-<stamp>.sqlite3`` (unless it holds nothing), so a wrong backup
    costs nothing; then the backup is checked and imported (any doubt: nothing
    changes). The settings file at ``settings_path`` is written with the backup's
    settings only when ``settings_too`` (its comments are the backup's own, as the
    text is written whole), and the file it replaces is kept as
    ``<name>.before-restore``. Raises :class:`RestoreError` when nothing was restored;
    a settings problem after the import is reported in the result, as the rest is
    restored by then.
    """
    if not backup.is_file():
        raise RestoreError(f"{backup}: no such backup file", bad_backup=True)
    if _same_file(backup, store.path):
        raise RestoreError(f"{backup} is planner's own database, not a backup", bad_backup=True)
    saved_as: Path | None = None
    if not _is_empty(store):
        stamp = (now or datetime.now().astimezone()).strftime("%Y%m%d-%H%M%S")
        saved_as = _unused(store.path.parent / f"before-restore-{stamp}.sqlite3")
        partial = saved_as.with_name(saved_as.name + ".new")
        try:
            store.export_backup(partial)
        except (OSError, sqlite3.Error, StoreError) as exc:  # a full disk, a damaged store
            partial.unlink(missing_ok=True)
            why = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise RestoreError(
                f"cannot save your current planning to {partial} before restoring "
                f"({why}); nothing changed",
                bad_backup=False,
            ) from None
    try:
        store.import_backup(backup)
    except (StoreError, OSError) as exc:
        if saved_as is not None:
            saved_as.with_name(saved_as.name + ".new").unlink(missing_ok=True)
        raise RestoreError(str(exc), bad_backup=True) from None
    if saved_as is not None:
        saved_as.with_name(saved_as.name + ".new").replace(saved_as)
    absent = [
        s.path for s in store.load_sources() if not is_feed(s.path) and not Path(s.path).exists()
    ]
    copies = {path: store.file_copy(path) for path in absent}
    missing = tuple(path for path, copy in copies.items() if copy is None)
    from_copies = tuple((path, copy.read_at) for path, copy in copies.items() if copy is not None)
    settings = _restore_settings(store, settings_path, settings_too)
    return Restored(backup, saved_as, missing, settings, from_copies)


def _restore_settings(store: Store, target: Path | None, write: bool) -> SettingsRestored:
    """Write the backup's settings text to ``target`` (keeping the old file), or say why not."""
    import tomllib

    from planner.core.settings import SettingsError, load_settings_text

    kept = store.load_settings()
    if kept is None or not kept.text.strip():
        return SettingsRestored(SettingsOutcome.NONE, target)
    text, origin = kept.text, kept.path
    if target is None:
        return SettingsRestored(SettingsOutcome.LEFT, None, origin)
    try:
        current = target.read_text(encoding="utf-8") if target.is_file() else None
    except (OSError, UnicodeDecodeError) as exc:
        problem = f"cannot read {target} ({exc}); it was not changed (everything else was restored)"
        return SettingsRestored(SettingsOutcome.UNWRITABLE, target, origin, problem=problem)
    if current == text:
        return SettingsRestored(SettingsOutcome.SAME, target, origin)
    if not write:
        return SettingsRestored(SettingsOutcome.LEFT, target, origin)
    try:
        load_settings_text(tomllib.loads(text), f"the settings in the backup ({origin})")
    except (SettingsError, tomllib.TOMLDecodeError, RecursionError) as exc:  # nested too deep
        problem = f"{exc}; {target} was not changed (everything else was restored)"
        return SettingsRestored(SettingsOutcome.INVALID, target, origin, problem=problem)
    kept_as = target.with_name(target.name + BEFORE_RESTORE) if current is not None else None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # The new text is on disk before the old file moves: a full disk leaves the old one.
        partial = target.with_name(target.name + ".new")
        partial.write_text(text, encoding="utf-8")
        if kept_as is not None:
            shutil.copy2(target, kept_as)
        partial.replace(target)
        settings = load_settings(target)
    except (OSError, SettingsError) as exc:
        problem = f"cannot write {target}: {getattr(exc, 'strerror', None) or exc}"
        return SettingsRestored(SettingsOutcome.UNWRITABLE, target, origin, problem=problem)
    return SettingsRestored(SettingsOutcome.WRITTEN, target, origin, kept_as, settings)


def _unused(path: Path) -> Path:
    """``path``, or ``<stem>-2<suffix>`` and so on if taken: two restores within a second
    keep both copies."""
    candidate, number = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
        number += 1
    return candidate


def _is_empty(store: Store) -> bool:
    """Whether the store holds nothing worth a copy before it is replaced."""
    choices = store.load_choices()
    return not (
        choices.pinned
        or choices.refused
        or choices.stars
        or store.load_sources()
        or store.load_added()
        or store.last_week()
    )


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False

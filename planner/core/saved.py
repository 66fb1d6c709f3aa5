"""Opening the user's own planning, as they left it: settings file, store, session.

The window and the CLI open the same things the same way: the settings file
named on the command line, or the one planner keeps in its config folder
(written the first time a setting is changed, so a change made in the window
is there next time); the store in the data folder (the demo week has its own,
so trying the demo never mixes with the user's decisions); and a session
restored from that store and kept there.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from planner.core.session import Session, calendar_loader
from planner.core.settings import Settings, load_settings
from planner.core.storage import preferences
from planner.core.storage.store import Store, data_dir, default_path

DEMO_STORE = "demo.sqlite3"


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
    try:
        last = store.last_week()
    except Exception:  # a store that cannot be read opens on this week
        return today
    if last is None:
        return today
    monday = today.toordinal() - today.weekday()
    return last if last.toordinal() - last.weekday() >= monday else today

"""Writing settings: the TOML document of a :class:`Settings`, and the file saved safely.

:func:`settings_to_dict` walks :data:`SCHEMA`, as the reader does, so what is
written reads back unchanged. :func:`save_settings` writes a new file whole;
an existing one is updated in place (:mod:`.document`), so the user's
comments, blank lines and order of keys survive a change made in the dialog.
TOML editing (tomlkit) is imported only when a file is saved: reading
settings at start-up does not pay for it.
"""

from __future__ import annotations

import contextlib
import enum
import os
import shutil
from datetime import time
from functools import reduce
from pathlib import Path
from typing import Any

from planner.core.model import Place
from planner.core.settings.reading import settings_from_dict
from planner.core.settings.schema import SCHEMA, Key
from planner.core.settings.types import SCHEMA_VERSION, Settings
from planner.core.settings.values import clock_text, place_text

HEADER = (
    "# planner settings: `planner settings-help` explains every key.\n"
    "# planner updates this file when you change its settings: your comments,\n"
    "# blank lines and order of keys are kept.\n"
)
"""The opening comment of a settings file planner creates."""


def settings_to_dict(settings: Settings) -> dict[str, Any]:
    """The TOML document that :func:`settings_from_dict` reads back as ``settings``.

    It is built by walking :data:`SCHEMA`, so a key the reader knows and the
    writer forgets fails the round-trip tests instead of vanishing from the
    user's file. Every key is written, defaults included, so the file says
    exactly what planner plans with; optional keys that are not set (no money
    limit, consent not decided) and empty tables are left out, as a person
    would. Settings built by hand rather than read from a file round-trip as
    long as they are what some file would give (category names in lower case,
    times in whole minutes).
    """
    data: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
    for key in SCHEMA:
        value = _home_text(settings) if key.field == "home_text" else attr(settings, key.field)
        if value is None or (key.kind == "table" and not value and key.layout != "mapping"):
            continue
        toml = _table_to_toml(key, value) if key.kind == "table" else toml_value(value, key)
        *sections, name = key.path
        table = data
        for section in sections:
            table = table.setdefault(section, {})
        table[name] = toml
    return data


def _home_text(settings: Settings) -> str | None:
    # home_text is what the user wrote; settings made in code may only have the Place.
    return settings.home_text or place_text(settings.home) or None


def attr(obj: object, dotted: str) -> Any:
    """The attribute at a dotted path, e.g. ``geocoding.url``."""
    return reduce(getattr, dotted.split("."), obj)


def toml_value(value: Any, key: Key) -> Any:
    """The file value of one setting (a place as its text, a day as its name)."""
    if isinstance(value, Place):
        return place_text(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, time):
        return clock_text(value)
    if isinstance(value, tuple | list):
        return [key.choices[v] if key.choices and isinstance(v, int) else v for v in value]
    return value


def _table_to_toml(key: Key, value: Any) -> Any:
    if key.layout == "mapping":
        return {str(name): number for name, number in value.items()}
    named = value.items() if isinstance(value, dict) else (("", row) for row in value)
    rows = []
    for name, row in named:
        cells = {}
        for column in key.columns:
            cell = name if column.field == "NAME" else attr(row, column.field)
            if cell is not None:
                cells[column.name] = toml_value(cell, column)
        rows.append(cells)
    if key.layout == "named":
        return {row.pop("NAME"): row for row in rows}
    return rows


def save_settings(settings: Settings, path: Path | str, header: str | None = None) -> None:
    """Write ``settings`` as TOML, atomically, keeping what the user wrote in the file.

    A new file is written whole, every key with its value, under ``header``
    (or :data:`HEADER`). An existing file is updated in place: the keys whose
    value changed are rewritten, removed rows and unset optional keys go, and
    comments, blank lines and the order of keys stay; a key the file leaves
    out is only added when its value is not the default. ``header``, when
    given, replaces the file's opening comment. A file that is not valid TOML
    is written whole, under its opening comment.

    The text goes to a temporary file next to the target, which then replaces
    it in one step: a crash or a full disk leaves the old file, never half a
    file that would stop planner from starting. What would be written is
    validated first, so planner never writes a file it would then refuse. A
    symbolic link is followed, so a settings file kept in a dotfiles folder
    stays there.

    Raises:
        SettingsError: when the settings would not read back.
        OSError: when the file cannot be written.
    """
    from planner.core.settings.document import updated, whole  # tomlkit: only when saving

    data = settings_to_dict(settings)
    settings_from_dict(data)
    target = Path(path).resolve()
    try:
        existing: str | None = target.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        existing = None
    if existing is None:
        text = whole(data, HEADER if header is None else header)
    else:
        text = updated(existing, data, header, HEADER)
    _write_atomically(target, text)


def _write_atomically(target: Path, text: str) -> None:
    import tempfile

    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileNotFoundError):
            shutil.copymode(target, temporary)
        Path(temporary).replace(target)  # os.replace: atomic
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

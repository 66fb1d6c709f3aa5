"""Reading a settings file: every key read and checked as :data:`SCHEMA` declares it.

Nothing here knows a key by name (but home, placed from the text the schema
reads): the reader walks the schema, so the type, range, default and wording
of each key come from its one declaration. The writer uses the same readers
to tell whether a value in the user's file still means what it should. Unknown
keys and wrong types are reported by name instead of being silently ignored,
because a misspelt ``weekly_hours`` that quietly fell back to the default
would plan a different week than the user asked for. Errors read
``[budget] weekly_hours: expected a number, got 'three'``, which the settings
dialog also uses to select the field.
"""

from __future__ import annotations

import difflib
import math
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import MISSING, fields, replace
from functools import cache, reduce
from pathlib import Path
from typing import Any

from planner.core.settings.schema import RULES, SCHEMA, Key
from planner.core.settings.types import Settings, SettingsError
from planner.core.settings.values import clock, expect, parse_place

_TYPES: dict[str, type | tuple[type, ...]] = {
    "bool": bool,
    "int": int,
    "float": (int, float),
    "text": str,
    "time": str,
    "choice": str,
    "list": list,
}


def load_settings(path: Path | str) -> Settings:
    """Read and validate a settings file; errors name the file and the key."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError as exc:
        raise SettingsError(f"{path}: settings file not found") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: cannot read settings file ({exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML ({exc})") from exc
    except RecursionError:  # tomllib recurses once per level: [[[[...]]]] a thousand deep
        raise SettingsError(f"{path}: tables or lists nested too deeply to be settings") from None
    try:
        settings = settings_from_dict(data)
    except SettingsError as exc:
        line = _line_of(text, str(exc))
        at = f" (line {line})" if line is not None else ""
        raise SettingsError(f"{path}: {exc}{at}") from exc
    return _paths_from(settings, path.parent)


def _paths_from(settings: Settings, folder: Path) -> Settings:
    """The timetables' paths made absolute: one written relative is relative to the
    settings file's folder, so the file means the same from any working directory."""
    gtfs = tuple(str(folder / Path(p).expanduser()) for p in settings.transit.gtfs)
    if gtfs == settings.transit.gtfs:
        return settings
    return replace(settings, transit=replace(settings.transit, gtfs=gtfs))


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]")
_WHERE = re.compile(r"^(\[\[?)([^\]]+)\]\]?(?: #(\d+))? ([A-Za-z0-9_-]+)")


def _line_of(text: str, message: str) -> int | None:
    """The line of the key an error names (``[budget] weekly_hours: ...``), when the file
    writes it on a line of its own under its table's header (tomllib gives no lines)."""
    found = _WHERE.match(message)
    if found is None:
        return None
    brackets, section, index, key = found.groups()
    wanted = int(index or 1)
    current, seen = "", 0
    assignment = re.compile(rf"^\s*{re.escape(key)}\s*=")
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header is not None:
            current = header.group(2).replace('"', "").replace(" ", "")
            seen += current == section and header.group(1) == brackets
            continue
        if current == section and seen == wanted and assignment.match(line):
            return number
    return None


def load_settings_text(data: dict[str, Any], origin: str) -> Settings:
    """Validate already-parsed TOML, prefixing errors with where it came from."""
    try:
        return settings_from_dict(data)
    except SettingsError as exc:
        raise SettingsError(f"{origin}: {exc}") from exc


def settings_from_dict(data: Mapping[str, Any]) -> Settings:
    """Build Settings from parsed TOML, validating every key."""
    _check_keys(data, _allowed(()) | {"schema_version"}, "[top level]")
    for section in _sections():
        table = expect(data.get(section, {}), dict, f"[{section}]")
        _check_keys(table, _allowed((section,)), f"[{section}]")
    found: dict[str, Any] = {}
    for key in SCHEMA:
        *parents, name = key.path
        table = reduce(lambda table, part: table.get(part, {}), parents, data)
        if name in table:
            found[key.field] = _read_key(key, table[name])
    settings = _assemble(found)
    for rule in RULES:
        rule(settings)
    return settings


@cache
def _sections() -> tuple[str, ...]:
    """The sections holding keys (``[budget]``), in schema order."""
    return tuple(dict.fromkeys(key.path[0] for key in SCHEMA if len(key.path) > 1))


@cache
def _allowed(prefix: tuple[str, ...]) -> frozenset[str]:
    """The names that may follow ``prefix`` in the file."""
    size = len(prefix)
    return frozenset(
        key.path[size] for key in SCHEMA if key.path[:size] == prefix and len(key.path) > size
    )


def _check_keys(table: Mapping[str, Any], allowed: frozenset[str] | set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        # A misspelt or half-remembered key ("latest_return") is the usual cause: name the
        # key meant, so the fix is one edit and not a search through the README.
        guesses = [
            f"{name} (did you mean {close[0]}?)" if close else name
            for name in unknown
            for close in [difflib.get_close_matches(name, sorted(allowed), n=1, cutoff=0.6)]
        ]
        raise SettingsError(f"{where}: unknown key(s) {', '.join(guesses)}")


def _assemble(found: dict[str, Any]) -> Settings:
    """Settings from the attributes read: nested ones (``geocoding.url``) into their part."""
    base = Settings()
    plain: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for attr, value in found.items():
        head, _, rest = attr.partition(".")
        if rest:
            nested.setdefault(head, {})[rest] = value
        else:
            plain[attr] = value
    for head, parts in nested.items():
        plain[head] = replace(getattr(base, head), **parts)
    if "home_text" in plain:
        # The one setting not in the schema: home is placed from what the user wrote.
        plain["home"] = parse_place("home", plain["home_text"], "[home] location")
    return replace(base, **plain)


def _where_of(key: Key) -> str:
    """How messages name a key that holds one value (or a mapping)."""
    return f"[{key.section}] {key.name}"


def _read_key(key: Key, value: Any) -> Any:
    """The attribute value of ``key`` from its value in the file."""
    if key.kind != "table":
        return read_value(key, value, _where_of(key))
    if key.layout == "mapping":
        return _read_mapping(key, value)
    if key.layout == "named":
        prefix = key.section.removesuffix(".NAME")
        rows = expect(value, dict, f"[{prefix}]")
        named = []
        for name, row in rows.items():
            where = f"[{prefix}.{name}]"
            named.append((name, read_row(key, expect(row, dict, where), where, name)))
        if key.columns[0].attr:  # the name is kept in the row
            return tuple(row for _, row in named)
        return {read_value(key.columns[0], name, f"[{prefix}.{name}]"): r for name, r in named}
    where = f"[[{key.section}]]"
    return tuple(
        read_row(key, expect(row, dict, where), f"{where} #{index + 1}")
        for index, row in enumerate(expect(value, list, where))
    )


def read_value(key: Key, value: Any, where: str) -> Any:
    """One value of the file as the setting it means, checked as ``key`` declares."""
    value = expect(value, _TYPES[key.kind], where)
    if key.kind == "float":
        if not math.isfinite(value):  # TOML has inf and nan; no setting means either
            raise SettingsError(f"{where}: expected a finite number, got {value}")
        value = float(value)
    if key.kind in ("int", "float"):
        _check_bounds(key, value, where)
        return value
    if key.kind == "choice":
        if value.lower() not in key.choices:
            choices = ", ".join(c for c in key.choices if c)
            problem = key.problem or "{value!r} is not one of " + choices
            raise SettingsError(f"{where}: {problem.format(value=value)}")
        return key.read(value.lower(), where) if key.read else value.lower()
    if key.kind == "list":
        return tuple(_read_item(key, expect(item, str, where), where) for item in value)
    if key.read is not None:
        return key.read(value, where)
    return clock(value, where) if key.kind == "time" else value


def _read_item(key: Key, item: str, where: str) -> Any:
    return key.read(item, where) if key.read else item


LARGEST = 1_000_000
"""The largest number any setting may hold when its key names no upper bound: minutes,
events, dollars and seconds beyond it are a typo, and would overflow the solver's integers."""


def _check_bounds(key: Key, value: float, where: str) -> None:
    """``bounds`` when the key has them; else no setting is negative or absurdly large."""
    low, high = key.bounds if key.bounds is not None else (0, None)
    if (low is None or value >= low) and (high is None or value <= high):
        if high is not None or abs(value) <= LARGEST:
            return
        raise SettingsError(f"{where}: must be at most {LARGEST:,}, got {value:g}")
    if key.problem:
        problem = key.problem
    elif high is None:
        problem = "must not be negative" if low == 0 else f"must be at least {low:g}"
        problem += ", got {value}"
    else:
        problem = f"must be {low:g} to {high:g}, got {{value}}"
    raise SettingsError(f"{where}: {problem.format(value=value)}")


def _read_mapping(key: Key, value: Any) -> dict[Any, Any]:
    """A mapping of one value per name, e.g. rush hour: ``{ "17" = 1.6 }``."""
    name_column, value_column = key.columns
    where = _where_of(key)
    mapping = {}
    for name, cell in expect(value, dict, where).items():
        cell_where = f"{where} {name!r}"
        read = read_name(name_column, name, cell_where)
        mapping[read] = read_value(value_column, cell, cell_where)
    return mapping


def read_name(column: Key, name: str, where: str) -> Any:
    """A mapping's name (a TOML key, so always text) as its column reads it."""
    if column.kind != "int":
        return read_value(column, name, where)
    if not (name.isascii() and name.isdigit()):  # "²" passes isdigit(), not int()
        raise SettingsError(f"{where}: {column.problem or 'expected a whole number'}")
    return read_value(column, int(name), where)


def read_row(key: Key, table: Mapping[str, Any], where: str, name: str = "") -> Any:
    """One row of a table as its row object; ``name`` is a named table's name."""
    columns = [c for c in key.columns if c.name != "NAME"]
    _check_keys(table, {c.name for c in columns}, where)
    attributes = {}
    for column in columns:
        if column.name in table:
            value = read_value(column, table[column.name], f"{where} {column.name}")
        else:
            value = left_out(key, column, where, name)
        attributes[column.field] = value
    assert key.row is not None, key.name
    row = key.row(**attributes)
    if key.columns[0].name == "NAME" and key.columns[0].attr:
        row = _with(row, key.columns[0].attr.split("."), name)
    if key.check is not None:
        key.check(row, where)
    return row


def left_out(key: Key, column: Key, where: str, name: str = "") -> Any:
    """What a column left out of a row means: its default, else the row class's."""
    if column.default is not MISSING:
        default = column.default(name) if callable(column.default) else column.default
        return read_value(column, default, f"{where} {column.name}")
    assert key.row is not None, key.name
    class_default = _class_defaults(key.row).get(column.field, MISSING)
    if class_default is MISSING:
        raise SettingsError(f"{where}: {column.name!r} is missing")
    return class_default


@cache
def _class_defaults(row: Callable[..., Any]) -> dict[str, Any]:
    defaults: dict[str, Any] = {}
    for f in fields(row):  # type: ignore[arg-type]
        if f.default is not MISSING:
            defaults[f.name] = f.default
        elif f.default_factory is not MISSING:
            defaults[f.name] = f.default_factory()
    return defaults


def _with(obj: Any, path: list[str], value: Any) -> Any:
    """``obj`` with the attribute at ``path`` (e.g. place, name) set to ``value``."""
    head, *rest = path
    return replace(obj, **{head: _with(getattr(obj, head), rest, value) if rest else value})

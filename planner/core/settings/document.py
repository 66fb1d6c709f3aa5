"""The user's settings file updated in place, so that what they wrote in it survives.

planner rewrites only what changed: a key whose value still reads the same
keeps its text ("Transit", ``2`` rather than ``2.0``, "23:59"), its comment and
its place. An optional key that is no longer set goes, with the comment lines
right above it; a key the file leaves out is added only when its value is not
what leaving it out already means. Rows are matched, not rewritten: a named
table (``[categories.Pro]``) by its name as the reader reads it, an array of
tables (``[[stars]]``) by a sequence diff of the rows it reads as, so a
removed row takes only its own lines and a changed row is edited cell by
cell. Comments right above a table's header belong to that table (tomlkit
files them under whatever precedes), so they go or stay with it.

The result must mean exactly what the whole document means; when it does
not (a file planner could not read, or an edit tomlkit cannot make), the
whole document is written under the file's opening comment instead, as a
file planner creates.
"""

from __future__ import annotations

import logging
import re
import tomllib
from collections.abc import Callable, Mapping
from difflib import SequenceMatcher
from functools import reduce
from typing import Any

import tomlkit
from tomlkit.items import AoT, Array, Comment, Item, Null, Table, Whitespace
from tomlkit.toml_document import TOMLDocument

from planner.core.logs import log_failure
from planner.core.settings.reading import (
    left_out,
    read_name,
    read_row,
    read_value,
    settings_from_dict,
)
from planner.core.settings.schema import SCHEMA, Key
from planner.core.settings.types import SCHEMA_VERSION, Settings, SettingsError

_log = logging.getLogger(__name__)

ABSENT: Any = object()
"""A key the document leaves out."""

Body = list[tuple[Any, Item]]


def whole(data: Mapping[str, Any], header: str) -> str:
    """The whole document under ``header``, each of its lines made a comment."""
    return "\n".join(_comment_lines(header)) + "\n\n" + tomlkit.dumps(data)


def _comment_lines(header: str) -> list[str]:
    return [line if line.startswith("#") else f"# {line}".rstrip() for line in header.splitlines()]


def opening_comment(text: str) -> str:
    """The comment lines a file opens with."""
    lines = []
    for line in text.lstrip("\ufeff").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return "\n".join(lines)


def updated(text: str, data: Mapping[str, Any], header: str | None, default_header: str) -> str:
    """``text`` (an existing settings file) changed to hold ``data``.

    ``header`` replaces the file's opening comment when given. When the file
    cannot be updated so that it reads as ``data`` does, the whole document
    is returned under the opening comment (or ``header``, or
    ``default_header``), as planner always wrote it before.
    """
    text = text.lstrip("\ufeff")
    opening = opening_comment(text)
    if header is not None:
        rest = text[len(opening) :] if opening else "\n\n" + text
        text = "\n".join(_comment_lines(header)) + rest
    fresh = whole(data, header if header is not None else opening or default_header)
    wanted = settings_from_dict(data)
    try:
        document = tomlkit.parse(text)
        _Update(document, data).run()
        result = document.as_string()
        if "\n\n\n" not in text:  # tables added keep one blank line around them, as the file does
            result = re.sub(r"\n{3,}", "\n\n", result)
        if not text.endswith("\n\n"):
            result = result.rstrip("\n") + "\n"
        if _reads_as(result) == wanted:
            return result
        _log.warning("the settings file's update did not read back as wanted; written whole")
    except Exception as exc:  # any edit tomlkit refuses: the file is written whole, as before
        log_failure(_log, "keeping the settings file's comments", exc)
    return fresh


def _reads_as(text: str) -> Settings | None:
    try:
        return settings_from_dict(tomllib.loads(text))
    except (tomllib.TOMLDecodeError, SettingsError):
        return None


def _plain(value: Any) -> Any:
    """A tomlkit value as the plain Python value tomllib gives."""
    return value.unwrap() if hasattr(value, "unwrap") else value


def _lookup(data: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            return ABSENT
        value = value[part]
    return value


def _same(read: Callable[[Any], Any], old: Any, new: Any) -> bool:
    """Whether two file values mean the same setting (a value that cannot be read never does)."""
    try:
        return bool(read(old) == read(new))
    except SettingsError:
        return False


def _body(table: Any) -> Body | None:
    """The items of a table or the document, in file order (None for inline tables)."""
    if isinstance(table, TOMLDocument):
        return table.body
    if isinstance(table, Table):
        return table.value.body
    return None


def _remove(table: Any, name: str) -> None:
    """Take ``name`` out of ``table``, with the comment lines right above it."""
    body = _body(table)
    if body is not None:
        index = next((i for i, (k, _) in enumerate(body) if k is not None and k.key == name), 0)
        for above in range(index - 1, -1, -1):
            if body[above][0] is not None or not isinstance(body[above][1], Comment | Null):
                break
            body[above] = (None, Null())
    del table[name]


def _add(table: Any, name: str, value: Any) -> None:
    """Add ``name`` after the table's last value, before the blank lines and comments ending it."""
    body = _body(table)
    if not isinstance(table, Table) or body is None:
        table[name] = value
        return
    tail = []
    while body and body[-1][0] is None:
        tail.append(body.pop()[1])  # key-less items at the end: no index to keep in step
    table.append(name, value)
    for item in reversed(tail):
        if isinstance(item, Comment | Whitespace):
            table.add(item)


class _Update:
    """One pass over :data:`SCHEMA`, changing ``document`` to hold ``data``."""

    def __init__(self, document: TOMLDocument, data: Mapping[str, Any]) -> None:
        self.document = document
        self.data = data

    def run(self) -> None:
        _attach_comments(self.document)
        self._version()
        for key in SCHEMA:
            new = _lookup(self.data, key.path)
            if key.kind != "table":
                self._value(key, new)
            elif key.layout == "mapping":
                self._mapping(key, new)
            elif key.layout == "named":
                self._named(key, {} if new is ABSENT else new)
            else:
                self._array(key, [] if new is ABSENT else new)

    def _version(self) -> None:
        document = self.document
        if "schema_version" in document:
            if _plain(document["schema_version"]) != SCHEMA_VERSION:
                document["schema_version"] = SCHEMA_VERSION
            return
        # After the opening comment and the blank lines below it, as planner writes it.
        body = document.body
        index = 0
        while index < len(body) and isinstance(body[index][1], Comment):
            index += 1
        while index < len(body) and isinstance(body[index][1], Whitespace | Null):
            index += 1
        item = tomlkit.item(SCHEMA_VERSION)
        if index and isinstance(body[index - 1][1], Comment):
            item.trivia.indent = "\n"  # a blank line below the opening comment
        if index == len(body):
            document.append("schema_version", item)
            return
        if isinstance(body[index][1], Table | AoT):
            item.trivia.trail = "\n\n"
        document._insert_at(index, "schema_version", item)

    def _parent(self, key: Key, create: bool = False, sections: bool = False) -> Any:
        """The table holding ``key``'s value; made when ``create``d (a header-less one for
        ``sections`` only), else None when the file has none."""
        table: Any = self.document
        for part in key.path[:-1]:
            if part not in table:
                if not create:
                    return None
                table[part] = tomlkit.table(is_super_table=sections)
            table = table[part]
            if not isinstance(table, dict):
                return None
        return table

    def _value(self, key: Key, new: Any) -> None:
        name = key.path[-1]
        parent = self._parent(key)

        def read(value: Any) -> Any:
            return read_value(key, value, "")

        if parent is not None and name in parent:
            if new is ABSENT:
                _remove(parent, name)
            elif not _same(read, _plain(parent[name]), new):
                parent[name] = new
            return
        if new is ABSENT or read(new) == reduce(getattr, key.field.split("."), Settings()):
            return
        _add(self._parent(key, create=True), name, new)

    def _mapping(self, key: Key, new: Any) -> None:
        """A mapping of one value per name (rush hour), matched by what the names read as."""
        name = key.path[-1]
        parent = self._parent(key)
        old = parent.get(name) if parent is not None else None
        if old is None:
            if new is not ABSENT:
                table = tomlkit.table()
                for hour, factor in new.items():
                    table[hour] = factor
                self._parent(key, create=True, sections=True)[name] = table
            return
        if new is ABSENT or not isinstance(old, dict):
            _remove(parent, name)
            if new is not ABSENT:
                parent[name] = new
            return
        name_column, value_column = key.columns

        def ident(text: str) -> Any:
            try:
                return read_name(name_column, text, "")
            except SettingsError:
                return None

        wanted = {ident(text): text for text in new}
        kept = set()
        for text in list(old):
            found = ident(text)
            if found not in wanted or found in kept:
                _remove(old, text)
                continue
            kept.add(found)
            value = new[wanted[found]]
            if not _same(lambda v: read_value(value_column, v, ""), _plain(old[text]), value):
                old[text] = value
        for found, text in wanted.items():
            if found not in kept:
                _add(old, text, new[text])

    def _named(self, key: Key, new: Mapping[str, Any]) -> None:
        """Named tables (``[places.office]``), matched by their name as the reader reads it."""
        name = key.path[-1]
        container: Any = self.document.get(name)
        name_column = key.columns[0]

        def ident(text: str) -> Any:
            try:
                return read_value(name_column, text, "")
            except SettingsError:
                return None

        wanted = {ident(text): text for text in new}
        kept = set()
        if isinstance(container, dict):
            for text in list(container):
                found, row = ident(text), container[text]
                if found not in wanted or found in kept or not isinstance(row, dict):
                    del container[text]
                    continue
                kept.add(found)
                _update_row(key, row, new[wanted[found]], text)
        missing = [text for found, text in wanted.items() if found not in kept]
        if missing and not isinstance(container, dict):
            self.document[name] = tomlkit.table(is_super_table=True)
            container = self.document[name]
        for text in missing:
            container[text] = _new_row(key, new[text], text, inline=False)
        if isinstance(container, dict) and not container:
            del self.document[name]

    def _array(self, key: Key, new: list[Mapping[str, Any]]) -> None:
        """An array of tables, matched row by row by a diff of what the rows read as."""
        name = key.path[-1]
        parent = self._parent(key)
        rows = parent.get(name) if parent is not None else None
        if not isinstance(rows, AoT | Array):
            if rows is not None:
                _remove(parent, name)
            if new:
                aot = tomlkit.aot()
                for cells in new:
                    aot.append(_new_row(key, cells, inline=False))
                self._parent(key, create=True, sections=True)[name] = aot
            return
        if not new:
            _remove(parent, name)
            return
        where = f"[[{key.section}]]"
        old_rows = [_row_object(key, row, where) for row in rows]
        new_rows = [read_row(key, cells, where) for cells in new]
        inline = isinstance(rows, Array)
        final = _arrangement(old_rows, new_rows)
        for j, i in enumerate(final):
            if i is not None and old_rows[i] != new_rows[j]:
                _update_row(key, rows[i], new[j])
        targets = [
            rows[i] if i is not None else _new_row(key, new[j], inline=inline)
            for j, i in enumerate(final)
        ]
        kept = {id(row) for row in targets}
        for index in reversed(range(len(rows))):
            if id(rows[index]) not in kept:
                del rows[index]
        for at, row in enumerate(targets):
            if at < len(rows) and rows[at] is row:
                continue
            current = next((k for k in range(at, len(rows)) if rows[k] is row), None)
            if current is not None:
                del rows[current]  # a row that moved: it goes with its comment
            rows.insert(at, row)
            if isinstance(row, Table) and current is None:  # a new table: a blank line above,
                above = rows[at - 1].value.body if at else []  # unless the row above ends in one
                blank = above and isinstance(above[-1][1], Whitespace)
                row.trivia.indent = "" if blank or not at else "\n"


def _arrangement(old: list[Any], new: list[Any]) -> list[int | None]:
    """For each new row, the old row it keeps (None: a new row).

    Rows that read the same are kept (a diff, then rows that moved); the rows
    left over in a changed stretch are paired in order, to be edited in place.
    """
    final: list[int | None] = [None] * len(new)
    left_old: list[list[int]] = []
    left_new: list[list[int]] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            final[j1:j2] = range(i1, i2)
        else:
            left_old.append(list(range(i1, i2)))
            left_new.append(list(range(j1, j2)))
    spare: dict[Any, list[int]] = {}
    for stretch in left_old:
        for i in stretch:
            spare.setdefault(old[i], []).append(i)
    moved = set()
    for stretch in left_new:
        for j in stretch:
            if spare.get(new[j]):
                final[j] = spare[new[j]].pop(0)
                moved.add(final[j])
    for olds, news in zip(left_old, left_new, strict=True):
        unused = [i for i in olds if i not in moved]
        unmatched = [j for j in news if final[j] is None]
        for i, j in zip(unused, unmatched, strict=False):
            final[j] = i
    return final


def _row_object(key: Key, row: Any, where: str) -> Any:
    """What a row of the file reads as; a row that cannot be read matches nothing."""
    try:
        return read_row(key, _plain(row), where)
    except (SettingsError, TypeError, AttributeError):
        return object()


def _update_row(key: Key, row: Any, cells: Mapping[str, Any], name: str = "") -> None:
    """Change the cells of ``row`` that do not read as ``cells`` say."""
    for column in key.columns:
        if column.name == "NAME":
            continue
        new = cells.get(column.name, ABSENT)

        def read(value: Any, column: Key = column) -> Any:
            return read_value(column, value, "")

        if column.name in row:
            if new is ABSENT:
                _remove(row, column.name)
            elif not _same(read, _plain(row[column.name]), new):
                row[column.name] = new
        elif new is not ABSENT and not _left_out_reads_as(key, column, name, new):
            _add(row, column.name, new)


def _left_out_reads_as(key: Key, column: Key, name: str, new: Any) -> bool:
    """Whether leaving the column out of the row means ``new`` (never for a required one)."""
    try:
        return bool(left_out(key, column, "", name) == read_value(column, new, ""))
    except SettingsError:
        return False


def _new_row(key: Key, cells: Mapping[str, Any], name: str = "", *, inline: bool) -> Any:
    """A row holding ``cells``, without those that leaving them out already means.

    An inline row is spaced as planner and people write them (``{ a = 1 }``);
    a table ends with a blank line, so that whatever follows it keeps its
    distance (the file's last blank line is trimmed at the end).
    """
    kept = {
        column.name: cells[column.name]
        for column in key.columns
        if column.name in cells
        and column.name != "NAME"
        and not _left_out_reads_as(key, column, name, cells[column.name])
    }
    if inline:
        pairs = (
            f"{tomlkit.key(k).as_string()} = {tomlkit.item(v).as_string()}" for k, v in kept.items()
        )
        return tomlkit.parse(f"row = {{ {', '.join(pairs)} }}")["row"]
    row = tomlkit.table()
    for cell, value in kept.items():
        row.append(cell, value)
    row.add(tomlkit.nl())
    return row


def _attach_comments(document: TOMLDocument) -> None:
    """Move the comment lines right above each table header into that table.

    tomlkit files a comment above ``[[stars]]`` under the table before it, so
    removing that table would take the comment and removing the row would
    leave it behind. The lines become the start of the header's own text
    (its indent), which tomlkit writes out unchanged. The opening comment of
    the file stays where it is.
    """
    last: list[tuple[Body, int]] = [(document.body, 0)]

    def header(table: Table) -> None:
        body, end = last[0]
        start = end
        while start > 0 and body[start - 1][0] is None:
            if not isinstance(body[start - 1][1], Comment | Null):
                break
            start -= 1
        if body is document.body and start == 0:
            return  # the opening comment
        lines = [item.as_string() for _, item in body[start:end] if isinstance(item, Comment)]
        if lines:
            table.trivia.indent = "".join(lines) + table.trivia.indent
            for index in range(start, end):
                body[index] = (None, Null())

    def visit(body: Body) -> None:
        for index, (key, item) in enumerate(body):
            if isinstance(item, AoT):
                for row in item.body:
                    header(row)
                    last[0] = (row.value.body, 0)
                    visit(row.value.body)
            elif isinstance(item, Table) and key is not None and not key.is_dotted():
                if not item.is_super_table():  # a header-less table writes nothing itself
                    header(item)
                    last[0] = (item.value.body, 0)
                visit(item.value.body)
            else:
                last[0] = (body, index + 1)

    visit(document.body)

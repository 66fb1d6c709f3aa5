"""Geocoder answers remembered on disk, so that each address is looked up once, ever.

Nominatim's usage policy asks for no repeated identical queries, and every
query sends an address off the machine: :class:`GeocodeCache` keeps each
answer (a position, or "no such place" for a while) in ``geocode.json`` in
the platform cache folder, shared by the window and the command line. The
resolver (:mod:`planner.core.travel.places`) asks it before any geocoder.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.core.travel.place_text import normalise_address

NOT_FOUND_DAYS = 30.0
"""How long "the geocoder does not know this address" is believed.

Long enough not to ask again on every start (Nominatim's usage policy frowns
on repeated identical queries), short enough that an address added to
OpenStreetMap later is eventually found.
"""

_CACHE_FORMAT = "planner-geocode-cache"
_CACHE_VERSION = 1


@dataclass(frozen=True, slots=True)
class CacheEntry:
    """One remembered geocoder answer: a position, or "no such place"."""

    found: bool
    lat: float | None = None
    lon: float | None = None
    precision: str = "exact"
    at: float = 0.0
    """When it was learnt (seconds since the epoch), for expiring "not found"."""


def default_cache_path() -> Path:
    """``geocode.json`` in the platform cache folder (``PLANNER_CACHE_DIR`` overrides it).

    The override is how the test suite keeps planner away from the
    developer's own cache, as ``PLANNER_CONFIG_DIR`` does for preferences.
    """
    override = os.environ.get("PLANNER_CACHE_DIR")
    if override:
        return Path(override) / "geocode.json"
    import platformdirs

    return Path(platformdirs.user_cache_dir("planner")) / "geocode.json"


class GeocodeCache:
    """Geocoder answers on disk, so each address is looked up once, ever.

    A JSON file (``{"format", "version", "entries": {key: entry}}``), keyed by
    :func:`normalise_address`. Positions are kept for good (addresses do not
    move; delete the file to forget them); "not found" for
    ``not_found_days`` (30), then asked again. Network errors are never
    stored: they are not an answer.

    Writes go to a temporary file in the same folder, then ``os.replace``, so
    a crash leaves the old file or the new one, never half of one; before
    writing, the file is re-read and merged (newest answer wins), so a CLI
    and the GUI sharing the file do not erase each other's entries. A
    corrupt, unreadable or unwritable file never raises: the cache starts
    empty or stays in memory, and :attr:`error` says why. Thread-safe.
    """

    def __init__(
        self,
        path: Path | str | None = None,
        *,
        not_found_days: float = NOT_FOUND_DAYS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """``path`` None means the platform cache folder (:func:`default_cache_path`)."""
        self.path: Path | None = Path(path) if path is not None else default_cache_path()
        self.not_found_seconds = not_found_days * 86400.0
        self.error = ""
        self._clock = clock
        self._entries: dict[str, CacheEntry] = {}
        self._queries: dict[str, str] = {}
        self._loaded = False
        self._batching = 0
        self._dirty = False
        self._lock = threading.RLock()

    @classmethod
    def in_memory(cls, *, not_found_days: float = NOT_FOUND_DAYS) -> GeocodeCache:
        """A cache that never touches the disk (one-off runs, tests)."""
        cache = cls(not_found_days=not_found_days)
        cache.path = None
        return cache

    # Reading ----------------------------------------------------------------

    def _read(self) -> tuple[dict[str, CacheEntry], dict[str, str]]:
        """The file's entries; empty when missing or corrupt (never raises)."""
        if self.path is None:
            return {}, {}
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}, {}
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            self.error = f"geocode cache {self.path} could not be read ({exc}); starting empty"
            return {}, {}
        raw = data.get("entries") if isinstance(data, dict) else None
        if not isinstance(raw, dict) or data.get("format") != _CACHE_FORMAT:
            self.error = f"geocode cache {self.path} is not planner's; starting empty"
            return {}, {}
        entries: dict[str, CacheEntry] = {}
        queries: dict[str, str] = {}
        for key, item in raw.items():
            entry = _entry_from_json(item)
            if isinstance(key, str) and entry is not None:
                entries[key] = entry
                query = item.get("query")
                if isinstance(query, str):
                    queries[key] = query
        return entries, queries

    def _ensure_loaded(self) -> None:
        if not self._loaded:
            self._entries, self._queries = self._read()
            self._loaded = True

    def get(self, address: str) -> CacheEntry | None:
        """The answer for ``address``; None when there is none (or "not found" expired)."""
        key = normalise_address(address)
        with self._lock:
            self._ensure_loaded()
            entry = self._entries.get(key)
        if entry is None:
            return None
        if not entry.found and self._clock() - entry.at > self.not_found_seconds:
            return None
        return entry

    def __len__(self) -> int:
        with self._lock:
            self._ensure_loaded()
            return len(self._entries)

    # Writing ----------------------------------------------------------------

    def put(self, address: str, lat: float, lon: float, precision: str = "exact") -> None:
        """Remember a position for ``address`` and write the file."""
        precision = "city" if precision == "city" else "exact"
        self._store(address, CacheEntry(True, float(lat), float(lon), precision, self._clock()))

    def put_not_found(self, address: str) -> None:
        """Remember that the geocoder knows no such place (for ``not_found_days``)."""
        self._store(address, CacheEntry(False, at=self._clock()))

    def _store(self, address: str, entry: CacheEntry) -> None:
        key = normalise_address(address)
        with self._lock:
            self._ensure_loaded()
            self._entries[key] = entry
            self._queries[key] = address
            self._dirty = True
            if not self._batching:
                self._save()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Write once at the end instead of after every ``put`` (bulk imports)."""
        with self._lock:
            self._batching += 1
        try:
            yield
        finally:
            with self._lock:
                self._batching -= 1
                if not self._batching and self._dirty:
                    self._save()

    def _save(self) -> None:
        """Merge with the file and replace it atomically; errors leave it in memory."""
        self._dirty = False
        if self.path is None:
            return
        on_disk, queries = self._read()
        for key, entry in self._entries.items():
            if key not in on_disk or on_disk[key].at <= entry.at:
                on_disk[key] = entry
                if key in self._queries:
                    queries[key] = self._queries[key]
        self._entries, self._queries = on_disk, queries
        payload = {
            "format": _CACHE_FORMAT,
            "version": _CACHE_VERSION,
            "entries": {k: _entry_to_json(e, queries.get(k, "")) for k, e in on_disk.items()},
        }
        temporary = ""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temporary = tempfile.mkstemp(
                prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent
            )
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False, separators=(",", ":"))
                out.flush()
                os.fsync(out.fileno())
            Path(temporary).replace(self.path)
            temporary = ""
        except OSError as exc:
            self.error = f"geocode cache {self.path} could not be written ({exc})"
        finally:
            if temporary:
                with contextlib.suppress(OSError):
                    Path(temporary).unlink()


def _entry_from_json(item: Any) -> CacheEntry | None:
    """One entry, or None when it is malformed (skipped, the rest kept)."""
    if not isinstance(item, dict):
        return None
    at = item.get("at")
    if not isinstance(at, (int, float)) or isinstance(at, bool):
        return None
    if item.get("found") is False:
        return CacheEntry(False, at=float(at))
    lat, lon = item.get("lat"), item.get("lon")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (lat, lon)):
        return None
    assert isinstance(lat, (int, float)) and isinstance(lon, (int, float))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    precision = "city" if item.get("precision") == "city" else "exact"
    return CacheEntry(True, float(lat), float(lon), precision, float(at))


def _entry_to_json(entry: CacheEntry, query: str) -> dict[str, Any]:
    if not entry.found:
        return {"found": False, "query": query, "at": entry.at}
    return {
        "lat": entry.lat,
        "lon": entry.lon,
        "precision": entry.precision,
        "query": query,
        "at": entry.at,
    }

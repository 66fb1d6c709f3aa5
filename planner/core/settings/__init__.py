"""The user's rules and places, read from and written to a TOML file.

One declared schema (:data:`SCHEMA`, in :mod:`.schema`) gives every key of the
file its section, name, type, range, default and meaning, so the file, the
docs (``planner settings-help``), the settings dialog and the code cannot
drift apart. :mod:`.types` holds the settings themselves (frozen
dataclasses), :mod:`.values` how single values are read and written,
:mod:`.reading` the reader walking the schema, :mod:`.writing` the writer,
and :mod:`.document` the in-place update of the user's file that keeps their
comments (tomlkit, imported only when saving).

May import: planner.core.model, planner.core.logs.
"""

from planner.core.settings.reading import load_settings, load_settings_text, settings_from_dict
from planner.core.settings.schema import KEYS, RULES, SCHEMA, Key, Kind, field_names
from planner.core.settings.types import (
    SCHEMA_VERSION,
    WEEKDAYS,
    CalDAVSettings,
    CategoryRule,
    FlexibleBlock,
    GeocodingSettings,
    KeywordStars,
    ProtectedTime,
    RoutingSettings,
    SavedPlace,
    Settings,
    SettingsError,
    TravelOverride,
    WebSettings,
)
from planner.core.settings.values import parse_place, place_text
from planner.core.settings.writing import HEADER, save_settings, settings_to_dict

__all__ = [
    "HEADER",
    "KEYS",
    "RULES",
    "SCHEMA",
    "SCHEMA_VERSION",
    "WEEKDAYS",
    "CalDAVSettings",
    "CategoryRule",
    "FlexibleBlock",
    "GeocodingSettings",
    "Key",
    "KeywordStars",
    "Kind",
    "ProtectedTime",
    "RoutingSettings",
    "SavedPlace",
    "Settings",
    "SettingsError",
    "TravelOverride",
    "WebSettings",
    "field_names",
    "load_settings",
    "load_settings_text",
    "parse_place",
    "place_text",
    "save_settings",
    "settings_from_dict",
    "settings_to_dict",
]

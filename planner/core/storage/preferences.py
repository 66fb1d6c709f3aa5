"""Answers the user gave planner itself (not in their settings file), kept between runs.

Geocoding consent: asked once in the window, remembered here, and used
whenever the settings file leaves ``[geocoding] consent`` unset. The role
(commitments or candidates) last chosen for each imported file, offered
again when the same file is imported next time.
The file lives in the platform's config folder (``PLANNER_CONFIG_DIR``
overrides it, which the tests use) and is written atomically.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeGuard

import platformdirs

from planner.core.model import ROLES, Role
from planner.core.settings import Settings

ROLES_KEY = "import_roles"


def config_dir() -> Path:
    override = os.environ.get("PLANNER_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir("planner"))


def _path() -> Path:
    return config_dir() / "preferences.json"


def load() -> dict[str, Any]:
    """The stored answers; an unreadable file counts as none (and is not overwritten blindly)."""
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(key: str, value: Any) -> None:
    data = load()
    data[key] = value
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=2), encoding="utf-8")
    temporary.replace(path)


def apply(settings: Settings) -> Settings:
    """Settings with the remembered geocoding consent, where the file leaves it unset."""
    answer = load().get("geocoding_consent")
    if settings.geocoding.consent is None and isinstance(answer, bool):
        return replace(settings, geocoding=replace(settings.geocoding, consent=answer))
    return settings


def _key(path: Path | str) -> str:
    return str(Path(path).expanduser().resolve())


def is_role(value: object) -> TypeGuard[Role]:
    return value in ROLES


def remembered_role(path: Path | str) -> Role | None:
    """The role the user last chose for this file, if any.

    A calendar file is usually re-imported (a fresh export, a feed saved
    again) under the same name, and its role does not change.
    """
    roles = load().get(ROLES_KEY)
    role = roles.get(_key(path)) if isinstance(roles, dict) else None
    return role if is_role(role) else None


def remember_role(path: Path | str, role: str) -> None:
    """Keep the role chosen for a file, for its next import (see :func:`remembered_role`)."""
    if not is_role(role):
        raise ValueError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    roles = load().get(ROLES_KEY)
    roles = dict(roles) if isinstance(roles, dict) else {}
    roles[_key(path)] = role
    save(ROLES_KEY, roles)

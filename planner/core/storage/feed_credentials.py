"""Passwords of private feeds: in the system keyring, never in the store, a backup or a log.

A feed address typed as ``https://sam:secret@host/cal.ics`` is split when it is
added: planner keeps ``https://sam@host/cal.ics`` (a user name is not a secret,
and it says whose password to ask for) and hands the password to the system
keyring (the ``keyring`` package: Secret Service, macOS Keychain, Windows
Credential Locker), under the service :data:`SERVICE` and the kept address.
Where no usable keyring exists (a headless machine, whose ``keyring`` falls
back to its "fail" backend), the password is kept in memory for this run only,
and the user is told so; scripts give it in ``PLANNER_FEED_PASSWORD``.

``keyring`` is imported only when a feed names a user: its backend discovery
costs time that no other feed should pay.
"""

from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from planner.core.logs import log_failure

_log = logging.getLogger(__name__)

SERVICE = "planner feeds"
"""The keyring service name; the user name is the feed's address as kept."""
PASSWORD_VARIABLE = "PLANNER_FEED_PASSWORD"
"""For scripts and machines without a keyring: the password of feeds whose address names a
user and whose password no keyring holds."""

_memory: dict[tuple[str, str], str] = {}
_memory_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class TypedFeed:
    """A feed address as typed, split into what may be kept and the secret."""

    location: str
    """The address without its password (``https://sam@host/cal.ics``)."""
    password: str | None
    """The password typed in the address, None when there was none."""


def split_password(text: str) -> TypedFeed:
    """``https://sam:secret@host/x`` -> (``https://sam@host/x``, ``secret``)."""
    text = text.strip()
    parts = urlsplit(text)
    if "@" not in parts.netloc or parts.password is None:
        return TypedFeed(text, None)
    userinfo, hostport = parts.netloc.rsplit("@", 1)
    user = userinfo.split(":", 1)[0]
    netloc = f"{user}@{hostport}" if user else hostport
    return TypedFeed(urlunsplit(parts._replace(netloc=netloc)), unquote(parts.password))


def user_of(location: str) -> str | None:
    """The user name a feed's address names (decoded), None when it names none."""
    parts = urlsplit(location)
    return unquote(parts.username) if parts.username is not None else None


def keep_password(
    location: str,
    password: str,
    *,
    service: str = SERVICE,
    variable: str = PASSWORD_VARIABLE,
    keyring_too: bool = True,
) -> str:
    """Keep a feed's password; returns a sentence saying where (never the password).

    ``service`` and ``variable`` let other accounts (CalDAV) keep theirs the same way;
    ``keyring_too=False`` keeps it in memory only, as the user asked."""
    backend = _keyring_backend() if keyring_too else None
    if backend is not None:
        import keyring

        try:
            keyring.set_password(service, location, password)
        except Exception as exc:  # a locked or broken keyring: the password still works now
            log_failure(_log, "keeping a feed's password in the keyring", exc)
        else:
            return f"the password is kept in the system keyring ({backend})"
    with _memory_lock:
        _memory[(service, location)] = password
    if not keyring_too:
        return f"the password is kept for this run only; set {variable} to give it to later runs"
    return (
        "no system keyring is available, so the password is kept for this run only; "
        f"set {variable} to give it to later runs"
    )


def password_for(
    location: str, *, service: str = SERVICE, variable: str = PASSWORD_VARIABLE
) -> str | None:
    """The password of a feed whose address names a user: from this run, the keyring,
    or ``PLANNER_FEED_PASSWORD``; None when none has it."""
    with _memory_lock:
        if (service, location) in _memory:
            return _memory[(service, location)]
    if _keyring_backend() is not None:
        import keyring

        try:
            found = keyring.get_password(service, location)
        except Exception as exc:  # a locked or broken keyring: try the environment
            log_failure(_log, "reading a feed's password from the keyring", exc)
        else:
            if found is not None:
                return found
    return os.environ.get(variable) or None


def forget_password(location: str, *, service: str = SERVICE) -> None:
    """Forget a password kept for this run (a server refused it); the keyring's stays."""
    with _memory_lock:
        _memory.pop((service, location), None)


def has_keyring() -> bool:
    """Whether a usable system keyring exists (not the "fail" backend)."""
    return _keyring_backend() is not None


def _keyring_backend() -> str | None:
    """The name of a usable keyring backend, None when there is none (the "fail" backend)."""
    try:
        import keyring
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
        priority = float(getattr(backend, "priority", 0))
    except Exception as exc:  # a backend that breaks while being chosen is no keyring
        log_failure(_log, "choosing a keyring", exc)
        return None
    if priority <= 0:
        return None
    return str(getattr(backend, "name", type(backend).__name__))

"""CalDAV passwords: in the system keyring, else asked once per start and kept in memory.

A CalDAV account is one user on one server, so its password is kept once for
all its calendars, under the keyring service :data:`SERVICE` and the account's
name ``user@host`` (:func:`account`). The storage of
:mod:`planner.core.storage.feed_credentials` does the keeping (keyring if a usable
one exists, else this run's memory). Where neither has it,
``PLANNER_CALDAV_PASSWORD`` (scripts, tests) is used; else the caller asks the
user (a prompt on a terminal, a dialog in the window) through an :data:`Ask`
given to :func:`password`, and the answer is kept in memory for this run. The
password is never written into the store, the settings, a backup or a log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from planner.core.storage import feed_credentials

SERVICE = "planner caldav"
PASSWORD_VARIABLE = "PLANNER_CALDAV_PASSWORD"

Ask = Callable[[str, str], "str | None"]
"""Asks the user for the password of (account, server label); None when they did not say."""


def account(url: str, user: str) -> str:
    """The keyring name of the account a calendar belongs to: ``user@host[:port]``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{user}@{host}"


def password(url: str, user: str, ask: Ask | None = None) -> str | None:
    """The account's password: this run's memory, the keyring, ``PLANNER_CALDAV_PASSWORD``,
    else ``ask`` (its answer kept in memory for this run); None when nobody has it."""
    name = account(url, user)
    found = feed_credentials.password_for(name, service=SERVICE, variable=PASSWORD_VARIABLE)
    if found is not None or ask is None:
        return found
    given = ask(name, urlsplit(url).hostname or url)
    if given:
        feed_credentials.keep_password(
            name, given, service=SERVICE, variable=PASSWORD_VARIABLE, keyring_too=False
        )
    return given or None


def keep(url: str, user: str, secret: str, *, keyring_too: bool = True) -> str:
    """Keep the account's password (keyring if asked and available, else memory); a
    sentence saying where, never the password."""
    return feed_credentials.keep_password(
        account(url, user),
        secret,
        service=SERVICE,
        variable=PASSWORD_VARIABLE,
        keyring_too=keyring_too,
    )


def keep_for_calendars(
    url: str, user: str, secret: str, calendars: Iterable[str], *, keyring_too: bool = True
) -> None:
    """Keep the password also under each calendar's own host where it is not ``url``'s (an
    iCloud account answers at caldav.icloud.com and keeps its calendars on
    pNN-caldav.icloud.com), so that reading them later finds it without asking."""
    asked = account(url, user)
    for calendar in calendars:
        if account(calendar, user) != asked:
            keep(calendar, user, secret, keyring_too=keyring_too)


def forget(url: str, user: str) -> None:
    """Forget this run's copy (the server refused it), so the user is asked again."""
    feed_credentials.forget_password(account(url, user), service=SERVICE)


def has_keyring() -> bool:
    return feed_credentials.has_keyring()

"""The links among ``planner add``'s lines: each page read only with the user's consent.

The policy is the core's (:func:`planner.core.web.links.read_links`, which the
window's add field uses too); the command line only words the consent it asks for:
``--fetch`` on the command, or ``[web] fetch = true`` in the settings.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.core.settings import Settings
    from planner.core.web.links import Links

NEEDS_CONSENT = (
    "a link: planner fetches its page only with your consent (add --fetch, or set "
    "[web] fetch = true in your settings); nothing was requested"
)


def read_links(text: str, *, fetch: bool, settings: Settings, reference: datetime) -> Links:
    """Split the links from ``text`` and read each one's page when ``fetch`` allows."""
    from planner.core.web.links import read_links as read_with_consent

    return read_with_consent(
        text, fetch=fetch, settings=settings, reference=reference, not_asked=NEEDS_CONSENT
    )

"""Venues read from the pages of feed events that give none, kept with the feed's version.

Meetup's group feeds carry a link to each event's page but no LOCATION. With the
user's consent (``[web] fill_venues``) :mod:`planner.core.web.venues` reads the venue
from that page; this module keeps what it found, or why it found nothing, in the
``feed_venues`` table, keyed like the feed's events (source, UID, RECURRENCE-ID)
and stamped with a fingerprint of the feed's copy of the event. So:

- a page is fetched again only when the feed's copy of its event changes (a new
  fingerprint), never on each refresh;
- a failure is kept too, and the page is tried again only after :data:`RETRY_FAILED`,
  so a dead site is not asked on every refresh;
- when the week is read (:func:`events_with_venues`), the venue kept for the feed's
  current copy is used as if the feed had given it, marked "venue read from the
  event's page"; a failure becomes "location unknown: <the reason>".

A row whose event has left the store (ended long ago, or its feed removed) is
deleted with it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from planner.core.model import Event, Place
from planner.core.storage.codec import event_from_json, utc_text
from planner.core.storage.database import Database

RETRY_FAILED = timedelta(days=1)
"""How long a page that could not be read (or had no venue) is left alone."""

READ_FROM_PAGE = "venue read from the event's page"
"""What the plan says of a venue planner read from the event's page."""


@dataclass(frozen=True, slots=True)
class VenueWanted:
    """A feed event whose page may give its venue: what to fetch, and how to match it."""

    location: str
    """The feed's address (its source)."""
    uid: str
    recurrence_id: str
    fingerprint: str
    """Of the feed's copy of the event, when it was chosen."""
    url: str
    event: Event


def fingerprint(event_text: str) -> str:
    """The fingerprint of the feed's copy of an event (its stored JSON)."""
    return hashlib.sha256(event_text.encode()).hexdigest()[:32]


def needs_venue(event: Event) -> bool:
    """Whether a feed's event gives no place at all but links to its page."""
    place = event.place
    named = place.name or place.address or place.has_position
    return not named and not place.virtual and event.url.lower().startswith(("http:", "https:"))


def wanted(
    database: Database, now: datetime, retry_after: timedelta = RETRY_FAILED
) -> list[VenueWanted]:
    """The candidate feed events, not over yet, without a place but with a link, whose
    venue is not kept for their current copy (or whose last failure is old enough)."""
    with database.reading() as db:
        rows = db.execute(
            "SELECT s.location, e.uid, e.recurrence_id, e.event, "
            "v.fingerprint AS kept, v.failure, v.fetched_at "
            "FROM events e JOIN sources s ON s.id = e.source_id "
            "LEFT JOIN feed_venues v ON v.source_id = e.source_id AND v.uid = e.uid "
            "AND v.recurrence_id = e.recurrence_id "
            "WHERE s.role = 'candidates' AND e.present = 1 AND e.ends_at > ? "
            "ORDER BY e.starts_at, s.position, e.uid",
            (utc_text(now),),
        ).fetchall()
    out: list[VenueWanted] = []
    retry_before = utc_text(now - retry_after)
    for row in rows:
        text = row["event"]
        event = event_from_json(text)
        if not needs_venue(event):
            continue
        current = fingerprint(text)
        if row["kept"] == current and (not row["failure"] or row["fetched_at"] > retry_before):
            continue
        out.append(
            VenueWanted(
                row["location"], row["uid"], row["recurrence_id"], current, event.url, event
            )
        )
    return out


def keep(
    database: Database,
    item: VenueWanted,
    place: Place | None,
    failure: str,
    fetched_at: datetime,
) -> None:
    """Keep the venue read for ``item`` (``place``), or why none was (``failure``)."""
    with database.writing() as db:
        source = db.execute(
            "SELECT id FROM sources WHERE location = ?", (item.location,)
        ).fetchone()
        if source is None:  # the feed was removed while its pages were read
            return
        db.execute(
            "INSERT INTO feed_venues VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (source_id, uid, recurrence_id) DO UPDATE SET "
            "fingerprint = excluded.fingerprint, url = excluded.url, place = excluded.place, "
            "failure = excluded.failure, fetched_at = excluded.fetched_at",
            (
                source["id"],
                item.uid,
                item.recurrence_id,
                item.fingerprint,
                item.url,
                place_to_json(place) if place is not None else "",
                failure,
                utc_text(fetched_at),
            ),
        )
        _forget_gone(db)


def _forget_gone(db: sqlite3.Connection) -> None:
    """Rows whose event the store no longer holds explain nothing any more."""
    db.execute(
        "DELETE FROM feed_venues WHERE NOT EXISTS (SELECT 1 FROM events e WHERE "
        "e.source_id = feed_venues.source_id AND e.uid = feed_venues.uid "
        "AND e.recurrence_id = feed_venues.recurrence_id)"
    )


def events_with_venues(
    database: Database, location: str, start: datetime, end: datetime
) -> list[Event]:
    """The present events of a feed touching [start, end), as merged, each without a
    place given the venue kept for its current copy (or the reason there is none)."""
    with database.reading() as db:
        rows = db.execute(
            "SELECT e.event, v.fingerprint AS kept, v.place, v.failure "
            "FROM events e JOIN sources s ON s.id = e.source_id "
            "LEFT JOIN feed_venues v ON v.source_id = e.source_id AND v.uid = e.uid "
            "AND v.recurrence_id = e.recurrence_id "
            "WHERE s.location = :location AND e.present = 1 AND e.starts_at < :end "
            "AND (e.ends_at > :start OR e.starts_at >= :start) ORDER BY e.starts_at, e.uid",
            {"location": location, "start": utc_text(start), "end": utc_text(end)},
        ).fetchall()
    out = []
    for row in rows:
        event = event_from_json(row["event"])
        if row["kept"] is not None and row["kept"] == fingerprint(row["event"]):
            event = with_venue(event, row["place"], row["failure"])
        out.append(event)
    return out


def with_venue(event: Event, place_text: str, failure: str) -> Event:
    """``event`` with the venue read from its page, or with the reason it is unknown."""
    if not needs_venue(event):  # the feed gives a place now: the feed's word wins
        return event
    if place_text:
        return replace(event, place=replace(place_from_json(place_text), note=READ_FROM_PAGE))
    if failure:
        return replace(event, place=Place(note=f"location unknown: {failure}"))
    return event


def place_to_json(place: Place) -> str:
    """A venue as read from a page: its name, address, position, whether online."""
    return json.dumps(
        {
            "name": place.name,
            "address": place.address,
            "lat": place.lat,
            "lon": place.lon,
            "virtual": place.virtual,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def place_from_json(text: str) -> Place:
    data = json.loads(text)
    lat, lon = data.get("lat"), data.get("lon")
    return Place(
        name=str(data.get("name") or ""),
        address=str(data.get("address") or ""),
        lat=float(lat) if isinstance(lat, int | float) else None,
        lon=float(lon) if isinstance(lon, int | float) else None,
        virtual=bool(data.get("virtual")),
    )


def counts(database: Database) -> tuple[int, int]:
    """(venues kept, failures kept): for a report of what is known."""
    with database.reading() as db:
        row = db.execute(
            "SELECT SUM(failure = '') AS found, SUM(failure != '') AS failed FROM feed_venues"
        ).fetchone()
    return int(row["found"] or 0), int(row["failed"] or 0)

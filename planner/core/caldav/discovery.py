"""From a server address and a user to the calendars to choose from (RFC 6764, RFC 4791).

A user types what their provider tells them: a server root
(``https://cloud.example.com/remote.php/dav``, ``https://caldav.fastmail.com/``),
or the address of one calendar. :func:`discover` asks that address what it is; a
calendar collection is used as it is. Otherwise it finds the user's principal
(``current-user-principal``, asked of the address, else of ``/.well-known/caldav``,
which providers redirect to their CalDAV root), the principal's
``calendar-home-set``, and lists the calendars there with their display names,
whether they hold events (``supported-calendar-component-set``), and whether the
server lets planner make a new calendar there (MKCALENDAR in its ``Allow``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urljoin, urlsplit

from planner.core.caldav import dav
from planner.core.caldav.dav import CALDAV, CALSERVER, DAV
from planner.core.caldav.session import CalDAVError, Session, check_address

_CALENDAR_PROPS = (
    "d:resourcetype",
    "d:displayname",
    "c:supported-calendar-component-set",
    "cs:getctag",
    "d:sync-token",
)


@dataclass(frozen=True, slots=True)
class CalendarInfo:
    """One calendar collection found on a server."""

    url: str
    """Its whole address, without a user name or password."""
    name: str
    """Its display name (the last part of its path when it has none)."""
    components: tuple[str, ...] = ()
    ctag: str = ""
    sync_token: str = ""

    @property
    def has_events(self) -> bool:
        """Whether it may hold events (not only tasks or journal entries)."""
        return not self.components or "VEVENT" in self.components

    @property
    def path(self) -> str:
        return unquote(urlsplit(self.url).path)


@dataclass(frozen=True, slots=True)
class Found:
    """What :func:`discover` found: the calendars, and where new ones would go."""

    calendars: tuple[CalendarInfo, ...]
    home: str = ""
    """The calendar home's address ("" when the address given was one calendar)."""
    principal: str = ""
    can_make_calendar: bool = False
    """The server allows MKCALENDAR in the home (planner may offer a "planner" calendar)."""

    @property
    def given_is_calendar(self) -> bool:
        return not self.home

    def choose(self, wanted: str) -> list[CalendarInfo]:
        """The event calendars whose display name, path or last path part is ``wanted``
        (case-insensitive for names)."""
        text = wanted.strip()
        out = []
        for calendar in self.calendars:
            last = calendar.path.rstrip("/").rsplit("/", 1)[-1]
            if text.casefold() in (calendar.name.casefold(), last.casefold()) or text in (
                calendar.path,
                calendar.url,
            ):
                out.append(calendar)
        return out


def discover(session: Session, url: str = "") -> Found:
    """The calendars at ``url`` (default: the session's address): the one calendar it is,
    or those of its user's calendar home. Raises :class:`CalDAVError` in words."""
    address = url or session.url
    check_address(address)  # said as such, not lost among the refusals _describe passes over
    first = _describe(session, address)
    if first is not None and first.is_calendar():
        return Found((_info(address, first),))
    principal = first.hrefs(DAV, "current-user-principal") if first is not None else []
    homes = first.hrefs(CALDAV, "calendar-home-set") if first is not None else []
    if not principal and not homes:
        principal = _well_known_principal(session, address)
    principal_url = urljoin(address, principal[0]) if principal else ""
    if not homes:
        if not principal_url:
            raise CalDAVError(
                "does not say where the calendars of this user are (no current-user-principal "
                "at this address or at /.well-known/caldav): is it a CalDAV server's address?",
                "missing",
            )
        answer = session.request(
            "PROPFIND", principal_url, dav.propfind("c:calendar-home-set"), depth="0"
        )
        listed = dav.read_multistatus(answer.body, "the user's calendar home")
        homes = listed.resources[0].hrefs(CALDAV, "calendar-home-set") if listed.resources else []
    home = urljoin(principal_url or address, homes[0]) if homes else principal_url
    return Found(
        tuple(list_calendars(session, home)),
        home=home,
        principal=principal_url,
        can_make_calendar=_allows_mkcalendar(session, home),
    )


def list_calendars(session: Session, home: str) -> list[CalendarInfo]:
    """The calendar collections in a calendar home, in the server's order."""
    answer = session.request("PROPFIND", home, dav.propfind(*_CALENDAR_PROPS), depth="1")
    listed = dav.read_multistatus(answer.body, "the calendar list")
    home_key = dav.key_of(home).rstrip("/")
    out = []
    for resource in listed.resources:
        if resource.key.rstrip("/") == home_key or not resource.is_calendar():
            continue
        out.append(_info(urljoin(home, dav.quoted(resource.key)), resource))
    return out


def make_calendar(session: Session, home: str, name: str = "planner") -> CalendarInfo:
    """A new calendar of events named ``name`` in the calendar home (MKCALENDAR); its
    address is a free path made from the name."""
    taken = {c.path.rstrip("/").rsplit("/", 1)[-1] for c in list_calendars(session, home)}
    slug = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name.lower()) or "planner"
    path, number = slug, 1
    while path in taken:
        number += 1
        path = f"{slug}-{number}"
    url = urljoin(home if home.endswith("/") else home + "/", path + "/")
    session.request("MKCALENDAR", url, dav.mkcalendar(name), ok=(200, 201))
    return CalendarInfo(url, name, ("VEVENT",))


def _describe(session: Session, url: str) -> dav.Resource | None:
    """What the address itself is (its properties), None when it will not say."""
    props = (*_CALENDAR_PROPS, "d:current-user-principal", "c:calendar-home-set")
    try:
        answer = session.request("PROPFIND", url, dav.propfind(*props), depth="0")
    except CalDAVError as exc:
        if exc.kind in ("missing", "refused"):  # 404, 405: perhaps the root of a web site
            return None
        raise
    listed = dav.read_multistatus(answer.body, "what this address is")
    return listed.resources[0] if listed.resources else None


def _well_known_principal(session: Session, url: str) -> list[str]:
    well_known = urljoin(url, "/.well-known/caldav")
    try:
        answer = session.request(
            "PROPFIND", well_known, dav.propfind("d:current-user-principal"), depth="0"
        )
    except CalDAVError as exc:
        if exc.kind in ("missing", "refused"):
            return []
        raise
    listed = dav.read_multistatus(answer.body, "the answer at /.well-known/caldav")
    found = listed.resources[0].hrefs(DAV, "current-user-principal") if listed.resources else []
    return [urljoin(answer.url, h) for h in found]


def _allows_mkcalendar(session: Session, home: str) -> bool:
    try:
        answer = session.request("OPTIONS", home, ok=(200, 204))
    except CalDAVError as exc:
        if exc.kind in ("missing", "refused", "forbidden"):
            return False
        raise
    allowed = answer.headers.get("allow", "")
    return "MKCALENDAR" in {m.strip().upper() for m in allowed.split(",")}


def _info(url: str, resource: dav.Resource) -> CalendarInfo:
    last = unquote(urlsplit(url).path).rstrip("/").rsplit("/", 1)[-1]
    return CalendarInfo(
        url=url,
        name=resource.text(DAV, "displayname") or last,
        components=resource.components(),
        ctag=resource.text(CALSERVER, "getctag"),
        sync_token=resource.text(DAV, "sync-token"),
    )

"""The WebDAV and CalDAV requests planner sends, and the multistatus answers read back.

The bodies are the few that RFC 4918 (WebDAV), RFC 4791 (CalDAV), RFC 6578
(sync-collection) and the calendarserver.org CTag extension define for reading a
calendar; the answers are read with :mod:`xml.etree.ElementTree` (expat refuses
external entities and, from 2.4.1, entity expansion bombs). An answer that does
not read as XML, or is not a multistatus, is a :class:`~.session.CalDAVError` of
kind ``"malformed"``: it never replaces what planner kept.

Hrefs are kept as decoded paths (``/dav/calendars/sam/work/a b.ics``), whatever
form the server wrote them in (a whole URL, percent-encoded), so that the same
resource is one key in every answer; :func:`quoted` encodes one to send back.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urlsplit
from xml.sax.saxutils import escape

from planner.core.caldav.session import CalDAVError

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"
CALSERVER = "http://calendarserver.org/ns/"
_NAMESPACES = f'xmlns:d="{DAV}" xmlns:c="{CALDAV}" xmlns:cs="{CALSERVER}"'
_HEAD = '<?xml version="1.0" encoding="utf-8"?>'


def tag(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def key_of(href: str) -> str:
    """A resource's href as one key: its decoded path, whatever form it was written in."""
    return unquote(urlsplit(href.strip()).path)


def _address(href: str) -> str:
    """Where an href in a property points: its path, or the whole address when it names
    a host (iCloud's calendar home is on pNN-caldav.icloud.com, not the host asked), so
    that the home is asked of the host the server said."""
    parts = urlsplit(href.strip())
    return href.strip() if parts.scheme and parts.netloc else key_of(href)


def quoted(key: str) -> str:
    """A decoded path as it goes back into a request."""
    return quote(key, safe="/@:+~!$&'()*,;=")


def propfind(*props: str) -> bytes:
    """A PROPFIND body asking for ``props`` (``"d:displayname"``, ``"c:calendar-home-set"``)."""
    asked = "".join(f"<{p}/>" for p in props)
    return f"{_HEAD}<d:propfind {_NAMESPACES}><d:prop>{asked}</d:prop></d:propfind>".encode()


def sync_collection(token: str) -> bytes:
    """RFC 6578: what changed since ``token`` ("" asks for everything, with a first token)."""
    return (
        f"{_HEAD}<d:sync-collection {_NAMESPACES}><d:sync-token>{escape(token)}</d:sync-token>"
        "<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"
    ).encode()


def multiget(keys: list[str]) -> bytes:
    """RFC 4791 calendar-multiget: these resources' data and ETags."""
    hrefs = "".join(f"<d:href>{escape(quoted(k))}</d:href>" for k in keys)
    return (
        f"{_HEAD}<c:calendar-multiget {_NAMESPACES}><d:prop><d:getetag/><c:calendar-data/>"
        f"</d:prop>{hrefs}</c:calendar-multiget>"
    ).encode()


def calendar_query() -> bytes:
    """RFC 4791 calendar-query: every event of the calendar, with its data and ETag."""
    return (
        f"{_HEAD}<c:calendar-query {_NAMESPACES}><d:prop><d:getetag/><c:calendar-data/>"
        '</d:prop><c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT"/>'
        "</c:comp-filter></c:filter></c:calendar-query>"
    ).encode()


def mkcalendar(display_name: str) -> bytes:
    """RFC 4791 MKCALENDAR: a calendar of events named ``display_name``."""
    return (
        f"{_HEAD}<c:mkcalendar {_NAMESPACES}><d:set><d:prop>"
        f"<d:displayname>{escape(display_name)}</d:displayname>"
        '<c:supported-calendar-component-set><c:comp name="VEVENT"/>'
        "</c:supported-calendar-component-set></d:prop></d:set></c:mkcalendar>"
    ).encode()


@dataclass(slots=True)
class Resource:
    """One ``<d:response>``: a resource's key, its status, and the properties found (200)."""

    key: str
    status: int = 200
    props: dict[str, ET.Element] = field(default_factory=dict)

    def text(self, namespace: str, name: str) -> str:
        element = self.props.get(tag(namespace, name))
        return "".join(element.itertext()).strip() if element is not None else ""

    def hrefs(self, namespace: str, name: str) -> list[str]:
        """The hrefs inside a property (``current-user-principal``, ``calendar-home-set``)."""
        element = self.props.get(tag(namespace, name))
        if element is None:
            return []
        return [_address(h.text) for h in element.iter(tag(DAV, "href")) if h.text]

    def is_calendar(self) -> bool:
        kinds = self.props.get(tag(DAV, "resourcetype"))
        return kinds is not None and kinds.find(tag(CALDAV, "calendar")) is not None

    def is_collection(self) -> bool:
        kinds = self.props.get(tag(DAV, "resourcetype"))
        return kinds is not None and kinds.find(tag(DAV, "collection")) is not None

    def components(self) -> tuple[str, ...]:
        """The calendar's supported components; () when the server does not say (all)."""
        element = self.props.get(tag(CALDAV, "supported-calendar-component-set"))
        if element is None:
            return ()
        return tuple(c.get("name", "").upper() for c in element.iter(tag(CALDAV, "comp")))


@dataclass(slots=True)
class Multistatus:
    resources: list[Resource]
    sync_token: str = ""


def read_multistatus(body: bytes, what: str) -> Multistatus:
    """A 207 answer's resources; ``what`` names the request for the error ("the calendar
    list")."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError as exc:
        raise CalDAVError(
            f"sent {what} in a form planner cannot read (malformed XML: {exc})", "malformed"
        ) from None
    if root.tag != tag(DAV, "multistatus"):
        raise CalDAVError(
            f"sent {what} in a form planner cannot read (not a WebDAV multistatus)", "malformed"
        )
    out = []
    for response in root.findall(tag(DAV, "response")):
        href = response.findtext(tag(DAV, "href")) or ""
        resource = Resource(key_of(href), _status(response.findtext(tag(DAV, "status"))))
        for propstat in response.findall(tag(DAV, "propstat")):
            if _status(propstat.findtext(tag(DAV, "status"))) != 200:
                continue
            prop = propstat.find(tag(DAV, "prop"))
            for element in prop if prop is not None else ():
                resource.props[element.tag] = element
        out.append(resource)
    token = (root.findtext(tag(DAV, "sync-token")) or "").strip()
    return Multistatus(out, token)


def _status(line: str | None) -> int:
    """``"HTTP/1.1 404 Not Found"`` -> 404; 200 when there is no status line."""
    if not line:
        return 200
    parts = line.split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0

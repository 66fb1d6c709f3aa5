"""Small helpers to state a test week in a few readable lines."""

from datetime import datetime
from zoneinfo import ZoneInfo

from planner.core.model import Event, Place
from planner.core.settings import settings_from_dict

TZ = ZoneInfo("America/Toronto")
HOME = Place("home", lat=43.8975, lon=-78.9429)
OFFICE = Place("Office", "8200 Warden Ave, Markham", lat=43.8561, lon=-79.3370)
DOWNTOWN = Place("MaRS", "101 College St, Toronto", lat=43.6599, lon=-79.3883)
KING_WEST = Place("Shopify", "620 King St W, Toronto", lat=43.6445, lon=-79.4010)
WHITBY_LIBRARY = Place("Whitby Library", "405 Dundas St W, Whitby", lat=43.8770, lon=-78.9500)
ONLINE = Place("Zoom", virtual=True)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in the week of Monday 23 November 2026 (day 23 = Monday)."""
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


def event(
    uid: str,
    day: int,
    start: tuple[int, int],
    end: tuple[int, int],
    place: Place = DOWNTOWN,
    category: str = "",
    **kw,
) -> Event:
    return Event(
        uid,
        kw.pop("summary", uid),
        at(day, *start),
        at(day, *end),
        place=place,
        categories=(category,) if category else (),
        **kw,
    )


def workweek() -> list[Event]:
    return [event(f"work{d}", d, (8, 30), (17, 0), OFFICE, summary="Work") for d in range(23, 28)]


def settings(**overrides):
    data = {
        "home": {"location": "43.8975, -78.9429"},
        "places": {"office": {"location": "43.8561, -79.3370", "match": ["Office"]}},
        "budget": {
            "weekly_hours": 8,
            "max_events_per_week": 5,
            "max_events_per_day": 2,
            "max_evenings_out": 5,
        },
        "rules": {"latest_home": "23:00"},
    }
    for dotted, value in overrides.items():
        if "__" not in dotted:  # a whole section (merged into the defaults) or a list
            if isinstance(value, dict):
                data.setdefault(dotted, {}).update(value)
            else:
                data[dotted] = value
            continue
        section, key = dotted.split("__")
        data.setdefault(section, {})[key] = value
    return settings_from_dict(data)

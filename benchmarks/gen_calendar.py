"""A big, realistic calendar to measure importing against: years of a busy person's life.

The import benchmark needs files like the ones users really have: a Google
Calendar export of ten years (X-WR-TIMEZONE, a VTIMEZONE, folded
descriptions, alarms, a few percent of recurring series with exceptions and
moved or cancelled occurrences, some UTC invitations and all-day events), at
about 660 bytes per event, so that 10,000 events are ~6.6 MB and 100,000 are
~66 MB. Random but seeded: the same arguments always write the same bytes, so
numbers measured on different days compare. The file is written event by
event; a 100,000-event calendar never exists in memory as text.

Run: ``python benchmarks/gen_calendar.py big.ics --events 10000 [--seed 1]
[--start 2017-01-01 --years 10]``
"""

from __future__ import annotations

import argparse
import random
import string
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from dateutil import rrule

TZID = "America/Toronto"
ZONE = ZoneInfo(TZID)
CRLF = b"\r\n"
SERIES_SHARE = 0.025  # VEVENTs that are the master of a recurring series
OVERRIDE_SHARE = 0.02  # VEVENTs that override one occurrence of a series (RECURRENCE-ID)

VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    f"X-LIC-LOCATION:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:-0500",
    "TZOFFSETTO:-0400",
    "TZNAME:EDT",
    "DTSTART:19700308T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:-0400",
    "TZOFFSETTO:-0500",
    "TZNAME:EST",
    "DTSTART:19701101T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]

MEETINGS = [
    "Team sync",
    "Design review",
    "1:1 with Priya",
    "1:1 with Marcus",
    "Quarterly planning",
    "Budget review, Q{q}",
    "Interview: senior engineer",
    "Customer call — Northwind",
    "Vendor demo",
    "Sprint retrospective",
    "Architecture discussion",
    "Lunch & learn: accessibility",
    "Board prep",
    "Hiring committee",
    "Incident post-mortem",
    "Call with Zoë about the launch",
]
PERSONAL = [
    "Dentist — Dr. Okafor",
    "Dinner with Sam and Alex",
    "Haircut",
    "Physio",
    "Parent-teacher meeting",
    "Drinks at the Drake",
    "Car service",
    "Vet: Biscuit's vaccines",
    "Pick up dry cleaning",
    "Birthday party (Léa)",
    "Yoga",
    "Concert: TSO at Roy Thomson Hall",
    "Book club",
    "Brunch at Café Boulud",
]
ALL_DAY = [
    "Vacation",
    "Conference: PyCon",
    "Working from Montréal",
    "Mom's birthday",
    "Out of office",
    "Moving day",
    "Civic holiday",
    "Offsite",
]
SERIES = [
    ("Weekly team meeting", "WEEKLY", 1),
    ("Standup", "WEEKLY", 1),
    ("Running club", "WEEKLY", 1),
    ("Piano lesson", "WEEKLY", 1),
    ("1:1 with manager", "WEEKLY", 2),
    ("Mentoring session", "WEEKLY", 2),
    ("Recycling day", "WEEKLY", 2),
    ("Book club", "MONTHLY", 1),
    ("Pay rent", "MONTHLY", 1),
    ("Department all-hands", "MONTHLY", 1),
    ("Board game night", "MONTHLY", 1),
]
SENTENCES = [
    "Agenda: status of the migration, open questions, next steps.",
    "Please review the attached document before the meeting.",
    "Bring your laptop; we will go through the numbers together.",
    "Join by phone: +1 416-555-0199, PIN 4821 3390#.",
    "Parking is available behind the building, entrance on the side street.",
    "Notes from last time are in the shared folder.",
    "If you cannot make it, let me know and I will send a summary.",
    "We will decide on the vendor shortlist and assign owners for each item.",
    "Reminder: the booking is non-refundable after 48 hours.",
    "Menu: tapas to share, vegetarian options, dessert café au lait.",
    "Remember the insurance card and the list of questions for the doctor.",
    "Dress code is smart casual; the venue is on the 3rd floor.",
    "Video call link: https://meet.example.com/abc-defg-hij (no password).",
    "Last time we ran out of time, so let's keep introductions short.",
    "The room has a projector but no HDMI adapter; bring your own.",
]
PLACES = [
    ("Office, 100 King St W, Toronto, ON M5X 1A9", (43.6487, -79.3817)),
    ("Room 4.12 (Ada Lovelace)", None),
    ("Café Boulud, 60 Yorkville Ave, Toronto", (43.6709, -79.3901)),
    ("Dr. Okafor Dental, 55 Bloor St W, Toronto, ON", (43.6697, -79.3887)),
    ("Roy Thomson Hall, 60 Simcoe St, Toronto", (43.6466, -79.3863)),
    ("Home", None),
    ("Zoom", None),
    ("Google Meet", None),
    ("High Park, Toronto", (43.6465, -79.4637)),
    ("The Drake Hotel, 1150 Queen St W, Toronto", (43.6432, -79.4246)),
    ("Union Station, 65 Front St W, Toronto", (43.6453, -79.3806)),
    ("", None),
]
PEOPLE = ["Priya Shah", "Marcus Chen", "Zoë Tremblay", "Sam Okafor", "Alex Martin"]
ALARM = [
    "BEGIN:VALARM",
    "ACTION:DISPLAY",
    "DESCRIPTION:This is an event reminder",
    "TRIGGER:-P0DT0H{m}M0S",
    "END:VALARM",
]
WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQS = {"WEEKLY": rrule.WEEKLY, "MONTHLY": rrule.MONTHLY}


@dataclass(slots=True)
class Series:
    """A recurring event and the occurrences it has (to aim EXDATEs and overrides at)."""

    uid: str
    summary: str
    start: datetime  # naive local time, or midnight for an all-day series
    all_day: bool
    minutes: int
    rule: str
    occurrences: list[datetime]
    exdates: list[datetime] = field(default_factory=list)
    overrides: int = 0


def escape(text: str) -> str:
    """TEXT value escaping of RFC 5545 3.3.11."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> bytes:
    """One content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 sequence."""
    data = line.encode()
    if len(data) <= 75:
        return data + CRLF
    parts = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while data[cut] & 0xC0 == 0x80:  # a continuation byte: back up to the character start
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
        limit = 74  # continuation lines start with a space
    parts.append(data)
    return b"\r\n ".join(parts) + CRLF


def stamp(moment: datetime) -> str:
    """A UTC time as iCalendar text."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def local(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


class Generator:
    """Writes one calendar; all randomness comes from one seeded ``random.Random``."""

    def __init__(self, events: int, seed: int, first: date, years: int) -> None:
        self.rng = random.Random(seed)
        self.events = events
        self.first = first
        self.last = first.replace(year=first.year + years)  # exclusive
        self.days = (self.last - first).days
        # Exported at the end of the range: every event was created before DTSTAMP.
        self.exported = datetime.combine(self.last, time(9, 30), tzinfo=UTC)
        self.counter = 0

    # -- small random pieces ---------------------------------------------------------------

    def uid(self) -> str:
        self.counter += 1
        if self.rng.random() < 0.1:  # invitations from Outlook keep their long UIDs
            body = "".join(self.rng.choices("0123456789ABCDEF", k=112))
            return f"040000008200E00074C5B7101A82E008{body}"
        body = "".join(self.rng.choices(string.ascii_lowercase + string.digits, k=26))
        return f"{body}@google.com"

    def day(self) -> date:
        while True:
            d = self.first + timedelta(days=self.rng.randrange(self.days))
            if d.weekday() < 5 or self.rng.random() < 0.35:  # busy on weekdays
                return d

    def description(self) -> str:
        return " ".join(self.rng.sample(SENTENCES, self.rng.randint(2, 5)))

    def history(self, event_day: date) -> list[str]:
        """CREATED, LAST-MODIFIED: some days or weeks before the event, never after export."""
        when = datetime.combine(event_day, time(12), tzinfo=UTC)
        created = when - timedelta(days=self.rng.randint(1, 60), seconds=self.rng.randrange(86400))
        created = min(created, self.exported - timedelta(days=1))
        modified = created + (min(when, self.exported) - created) * self.rng.random()
        return [f"CREATED:{stamp(created)}", f"LAST-MODIFIED:{stamp(modified)}"]

    def details(self, summary: str, status: str, transp: str, sequence: int) -> list[str]:
        place, geo = self.rng.choice(PLACES)
        lines = []
        if self.rng.random() < 0.4:
            name = self.rng.choice(PEOPLE)
            email = name.lower().replace(" ", ".").replace("ë", "e")
            lines.append(f"ORGANIZER;CN={name}:mailto:{email}@example.com")
        lines.append(f"DESCRIPTION:{escape(self.description())}")
        lines.append(f"LOCATION:{escape(place)}")
        if geo and self.rng.random() < 0.6:
            lines.append(f"GEO:{geo[0]:.4f};{geo[1]:.4f}")
        lines += [
            f"SEQUENCE:{sequence}",
            f"STATUS:{status}",
            f"SUMMARY:{escape(summary)}",
            f"TRANSP:{transp}",
        ]
        if self.rng.random() < 0.3:
            lines += [a.format(m=self.rng.choice((10, 15, 30))) for a in ALARM]
        return lines

    def status(self) -> str:
        roll = self.rng.random()
        return "CANCELLED" if roll < 0.04 else "TENTATIVE" if roll < 0.10 else "CONFIRMED"

    # -- events ----------------------------------------------------------------------------

    def one_off(self) -> list[str]:
        """A meeting, an appointment, a dinner, an all-day event: most of a calendar."""
        d = self.day()
        kind = self.rng.random()
        transp = "OPAQUE"
        if kind < 0.15:  # all day, sometimes several days
            length = 1 if self.rng.random() < 0.8 else self.rng.randint(2, 7)
            summary = self.rng.choice(ALL_DAY)
            times = [
                f"DTSTART;VALUE=DATE:{d:%Y%m%d}",
                f"DTEND;VALUE=DATE:{d + timedelta(days=length):%Y%m%d}",
            ]
            transp = "TRANSPARENT" if self.rng.random() < 0.8 else "OPAQUE"
        else:
            pool = MEETINGS if self.rng.random() < 0.6 else PERSONAL
            summary = self.rng.choice(pool).format(q=(d.month - 1) // 3 + 1)
            start = datetime.combine(d, time(self.rng.randint(7, 20), self.rng.choice((0, 15, 30))))
            minutes = self.rng.choice((15, 30, 30, 45, 60, 60, 60, 90, 120, 180))
            end = start + timedelta(minutes=minutes)
            if kind < 0.27:  # an invitation from another system: UTC
                times = [
                    f"DTSTART:{stamp(start.replace(tzinfo=ZONE))}",
                    f"DTEND:{stamp(end.replace(tzinfo=ZONE))}",
                ]
            elif kind < 0.29:  # no DTEND, a DURATION
                times = [f"DTSTART;TZID={TZID}:{local(start)}", f"DURATION:PT{minutes}M"]
            else:
                times = [f"DTSTART;TZID={TZID}:{local(start)}", f"DTEND;TZID={TZID}:{local(end)}"]
        return [
            "BEGIN:VEVENT",
            *times,
            f"DTSTAMP:{stamp(self.exported)}",
            f"UID:{self.uid()}",
            *self.history(d),
            *self.details(summary, self.status(), transp, self.rng.choice((0, 0, 0, 1, 2))),
            "END:VEVENT",
        ]

    def series(self) -> Series:
        """A weekly, biweekly or monthly series; ends by UNTIL, by COUNT or never."""
        summary, freq, interval = self.rng.choice(SERIES)
        all_day = summary in ("Pay rent", "Recycling day")
        d = self.day()
        start = datetime.combine(
            d, time(0) if all_day else time(self.rng.randint(8, 19), self.rng.choice((0, 30)))
        )
        parts = [f"FREQ={freq}"]
        if interval > 1:
            parts.append(f"INTERVAL={interval}")
        kwargs: dict[str, object] = {"dtstart": start, "interval": interval}
        if freq == "WEEKLY":
            parts.append(f"BYDAY={DAY_CODES[d.weekday()]}")
            kwargs["byweekday"] = WEEKDAYS[d.weekday()]
        elif self.rng.random() < 0.5 and d.day <= 28:
            parts.append(f"BYMONTHDAY={d.day}")
            kwargs["bymonthday"] = d.day
        else:  # "the second Tuesday"
            nth = min((d.day - 1) // 7 + 1, 4)
            parts.append(f"BYDAY={nth}{DAY_CODES[d.weekday()]}")
            kwargs["byweekday"] = WEEKDAYS[d.weekday()](nth)
        end_kind = self.rng.random()
        horizon = datetime.combine(self.last, time(0))
        if end_kind < 0.55:  # ended by UNTIL (Google rewrites the rule when a series stops)
            until_day = d + timedelta(days=self.rng.randint(30, 3 * 365))
            until = datetime.combine(until_day, time(23, 59, 59))
            text = f"{until_day:%Y%m%d}" if all_day else stamp(until.replace(tzinfo=ZONE))
            parts.append(f"UNTIL={text}")
            kwargs["until"] = min(until, horizon)
        elif end_kind < 0.80:
            count = self.rng.randint(4, 120)
            parts.append(f"COUNT={count}")
            kwargs["count"] = count
        else:
            kwargs["until"] = horizon
        rule = rrule.rrule(FREQS[freq], **kwargs)
        occurrences = [o for o in rule if o < horizon]
        series = Series(
            uid=self.uid(),
            summary=summary,
            start=start,
            all_day=all_day,
            minutes=0 if all_day else self.rng.choice((30, 60, 60, 90)),
            rule=";".join(parts),
            occurrences=occurrences or [start],
        )
        if len(occurrences) > 4 and self.rng.random() < 0.3:
            series.exdates = sorted(self.rng.sample(occurrences[1:], self.rng.randint(1, 3)))
        return series

    def when(self, series: Series, name: str, moment: datetime) -> str:
        if series.all_day:
            return f"{name};VALUE=DATE:{moment:%Y%m%d}"
        return f"{name};TZID={TZID}:{local(moment)}"

    def span(self, series: Series, start: datetime) -> list[str]:
        if series.all_day:
            return [
                self.when(series, "DTSTART", start),
                self.when(series, "DTEND", start + timedelta(days=1)),
            ]
        end = start + timedelta(minutes=series.minutes)
        return [self.when(series, "DTSTART", start), self.when(series, "DTEND", end)]

    def master(self, series: Series) -> list[str]:
        lines = ["BEGIN:VEVENT", *self.span(series, series.start), f"RRULE:{series.rule}"]
        if series.exdates:
            if series.all_day:
                values = ",".join(f"{x:%Y%m%d}" for x in series.exdates)
                lines.append(f"EXDATE;VALUE=DATE:{values}")
            else:
                values = ",".join(local(x) for x in series.exdates)
                lines.append(f"EXDATE;TZID={TZID}:{values}")
        transp = "TRANSPARENT" if series.all_day else "OPAQUE"
        return [
            *lines,
            f"DTSTAMP:{stamp(self.exported)}",
            f"UID:{series.uid}",
            *self.history(series.start.date()),
            *self.details(series.summary, "CONFIRMED", transp, self.rng.randint(0, 3)),
            "END:VEVENT",
        ]

    def overrides(self, series: Series) -> Iterator[list[str]]:
        """Occurrences moved (another time or day) or cancelled, each its own VEVENT."""
        free = [o for o in series.occurrences if o not in series.exdates]
        for original in sorted(self.rng.sample(free, min(series.overrides, len(free)))):
            if self.rng.random() < 0.3:
                status, start, summary = "CANCELLED", original, series.summary
            else:
                status = "CONFIRMED"
                if series.all_day or self.rng.random() < 0.6:
                    shift = timedelta(days=self.rng.choice((-3, -2, -1, 1, 1, 2, 3)))
                else:
                    shift = timedelta(hours=self.rng.choice((-2, -1, 1, 2)))
                start = original + shift
                summary = series.summary + self.rng.choice(("", "", " (moved)", " — room change"))
            yield [
                "BEGIN:VEVENT",
                *self.span(series, start),
                f"DTSTAMP:{stamp(self.exported)}",
                f"UID:{series.uid}",
                self.when(series, "RECURRENCE-ID", original),
                *self.history(original.date()),
                *self.details(summary, status, "OPAQUE", self.rng.randint(1, 4)),
                "END:VEVENT",
            ]

    # -- the file ----------------------------------------------------------------------------

    def write(self, out: BinaryIO) -> None:
        n_series = max(1, round(self.events * SERIES_SHARE)) if self.events >= 10 else 0
        n_overrides = round(self.events * OVERRIDE_SHARE) if n_series else 0
        n_one_off = self.events - n_series - n_overrides
        all_series = [self.series() for _ in range(n_series)]
        room = sum(len(s.occurrences) - len(s.exdates) for s in all_series)
        for _ in range(min(n_overrides, room)):  # longer series get more exceptions
            weights = [len(s.occurrences) - len(s.exdates) - s.overrides for s in all_series]
            self.rng.choices(all_series, weights=weights)[0].overrides += 1
        n_one_off += n_overrides - sum(s.overrides for s in all_series)
        # Series (master then its exceptions, as Google writes them) among the one-offs.
        slots = sorted(self.rng.sample(range(n_one_off + n_series), n_series))
        header = [
            "BEGIN:VCALENDAR",
            "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:Alex Martin",
            f"X-WR-TIMEZONE:{TZID}",
            "X-WR-CALDESC:Work and personal, exported from Google Calendar",
            *VTIMEZONE,
        ]
        out.write(b"".join(fold(line) for line in header))
        next_series = 0
        for position in range(n_one_off + n_series):
            if next_series < n_series and slots[next_series] == position:
                series = all_series[next_series]
                next_series += 1
                blocks = [self.master(series), *self.overrides(series)]
            else:
                blocks = [self.one_off()]
            out.write(b"".join(fold(line) for block in blocks for line in block))
        out.write(fold("END:VCALENDAR"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, metavar="OUT.ics")
    parser.add_argument("--events", type=int, default=10_000, help="VEVENTs to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2017, 1, 1))
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    with args.out.open("wb") as out:
        Generator(args.events, args.seed, args.start, args.years).write(out)
    size = args.out.stat().st_size
    print(
        f"{args.out}: {args.events} events, {size / 1e6:.1f} MB ({size / args.events:.0f} B/event)"
    )


if __name__ == "__main__":
    main()

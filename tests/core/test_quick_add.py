"""Quick add: events typed the way people write them, read against a fixed week.

Every phrasing below is read with the reference Monday 23 November 2026,
09:00 in Toronto (the week on screen), never the real clock, so "tomorrow"
is always Tuesday 24 November and "next Thu" Thursday 26 November.
"""

from __future__ import annotations

import subprocess
import sys
import warnings
from datetime import datetime, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

import pytest

from planner.core.model import Place
from planner.core.settings import CategoryRule, SavedPlace, Settings
from planner.core.text.quick_add import (
    Parsed,
    Part,
    Unparsed,
    parse_line,
    parse_lines,
    read_cost_text,
    read_place_text,
)

TORONTO = ZoneInfo("America/Toronto")
REFERENCE = datetime(2026, 11, 23, 9, 0, tzinfo=TORONTO)
SETTINGS = Settings(
    timezone="America/Toronto",
    categories={name: CategoryRule() for name in ("professional", "social", "tech")},
)


class Want(NamedTuple):
    """What a phrasing must give. Every field is checked: "" and None mean "none"."""

    title: str
    start: str
    """ "2026-11-26 18:00", local time in Toronto."""
    end: str
    """ "20:00" on the start's day, or a full "2026-11-27 01:00"."""
    venue: str = ""
    address: str = ""
    online: bool = False
    cost: float | None = None
    category: str = ""
    notes: tuple[str, ...] = ()
    """Words that must be among the assumptions."""


class Fails(NamedTuple):
    reason: str
    """Words the reason must contain."""


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TORONTO)


NO_END = "no end time: 90 minutes assumed"

Case = tuple[str, Want | Fails]

# Chat, Slack, LinkedIn, Meetup, e-mail and newsletter lines.
ENGLISH: list[Case] = [
    (
        "PMI mixer next Thu 6-8pm @ 100 King St W $25 #professional",
        Want(
            "PMI mixer",
            "2026-11-26 18:00",
            "20:00",
            address="100 King St W",
            cost=25,
            category="professional",
            notes=("“next Thu” read as the coming Thursday, 26 November",),
        ),
    ),
    (
        "Toronto Tech Meetup – Thursday, November 26th at 6:30pm – Shopify, 620 King St W",
        Want(
            "Toronto Tech Meetup",
            "2026-11-26 18:30",
            "20:00",
            "Shopify",
            "620 King St W",
            notes=(NO_END, "no year: the next 26 November (2026)"),
        ),
    ),
    (
        "Women in Tech Mixer, Thu Nov 26, 6pm, Spacing Store, 401 Richmond St W, Toronto",
        Want(
            "Women in Tech Mixer",
            "2026-11-26 18:00",
            "19:30",
            "Spacing Store",
            "401 Richmond St W, Toronto",
        ),
    ),
    (
        "Durham Tech Lightning Talks Wed 6:30-8:30pm @ Whitby Public Library, 405 Dundas St W,"
        " Whitby. Free",
        Want(
            "Durham Tech Lightning Talks",
            "2026-11-25 18:30",
            "20:30",
            "Whitby Public Library",
            "405 Dundas St W, Whitby",
            cost=0,
        ),
    ),
    (
        "Markham Board of Trade: Business After Hours – Mon Nov 30, 5:15–7 pm, Hilton Markham"
        " Suites, 8500 Warden Ave. $20 members",
        Want(
            "Markham Board of Trade: Business After Hours",
            "2026-11-30 17:15",
            "19:00",
            "Hilton Markham Suites",
            "8500 Warden Ave",
            cost=20,
        ),
    ),
    (
        "Coffee chat with Priya tomorrow at noon @ Balzac's, 1 Trinity St",
        Want("Coffee chat with Priya", "2026-11-24 12:00", "13:30", "Balzac's", "1 Trinity St"),
    ),
    (
        "AI Tinkerers Toronto tonight 7pm @ MaRS, 101 College St",
        Want("AI Tinkerers Toronto", "2026-11-23 19:00", "20:30", "MaRS", "101 College St"),
    ),
    (
        "Product Camp on Saturday 10am-4pm @ Ryerson, 55 Dundas St W $15",
        Want("Product Camp", "2026-11-28 10:00", "16:00", "Ryerson", "55 Dundas St W", cost=15),
    ),
    (
        "Design Systems Night 18:00-20:30 Thu 26/11 @ Figma Toronto",
        Want("Design Systems Night", "2026-11-26 18:00", "20:30", "Figma Toronto"),
    ),
    (
        "Startup pitch night 2026-11-25 19:00 at The Ballroom, 145 John St, Toronto",
        Want(
            "Startup pitch night",
            "2026-11-25 19:00",
            "20:30",
            "The Ballroom",
            "145 John St, Toronto",
        ),
    ),
    (
        "Fintech breakfast Fri 7:30am, 2 hours, Toronto Board of Trade, 77 Adelaide St W",
        Want(
            "Fintech breakfast",
            "2026-11-27 07:30",
            "09:30",
            "Toronto Board of Trade",
            "77 Adelaide St W",
        ),
    ),
    (
        "Python Toronto – Dec 3, 7pm for 2h – online",
        Want("Python Toronto", "2026-12-03 19:00", "21:00", "online", online=True),
    ),
    (
        "Webinar: Intro to PMP exam prep, Tue 12-1pm on Zoom",
        Want("Webinar: Intro to PMP exam prep", "2026-11-24 12:00", "13:00", "Zoom", online=True),
    ),
    (
        "Agile Coffee (MS Teams) Wednesday 8:00-8:45",
        Want(
            "Agile Coffee",
            "2026-11-25 08:00",
            "08:45",
            "MS Teams",
            online=True,
            notes=("no am/pm: read as 08:00–08:45",),
        ),
    ),
    (
        "HDI Toronto chapter meeting Friday from 5:30 to 8 @ Hilton Toronto/Markham Suites,"
        " 8500 Warden Ave, Markham $20",
        Want(
            "HDI Toronto chapter meeting",
            "2026-11-27 17:30",
            "20:00",
            "Hilton Toronto/Markham Suites",
            "8500 Warden Ave, Markham",
            cost=20,
            notes=("no am/pm: read as 17:30–20:00",),
        ),
    ),
    (
        "UX Book Club, Tuesday, 6–8:30 pm, Northern District Library, 40 Orchard View Blvd",
        Want(
            "UX Book Club",
            "2026-11-24 18:00",
            "20:30",
            "Northern District Library",
            "40 Orchard View Blvd",
        ),
    ),
    (
        "Holiday social Dec 10th 6pm-9pm at Steam Whistle Brewing, 255 Bremner Blvd. Tickets: $30"
        " #social",
        Want(
            "Holiday social",
            "2026-12-10 18:00",
            "21:00",
            "Steam Whistle Brewing",
            "255 Bremner Blvd",
            cost=30,
            category="social",
        ),
    ),
    (
        "Toronto JS - Monthly Meetup - Nov 26 - 6:30 PM - 483 Queen St W, 3rd floor",
        Want(
            "Toronto JS - Monthly Meetup",
            "2026-11-26 18:30",
            "20:00",
            address="483 Queen St W, 3rd floor",
        ),
    ),
    (
        "Lunch & learn: Kubernetes 101, 12:00–13:00 Thursday, 200 Bay St",
        Want("Lunch & learn: Kubernetes 101", "2026-11-26 12:00", "13:00", address="200 Bay St"),
    ),
    (
        "Data Science at Scale meetup Thu 6pm at 1 Yonge St",
        Want("Data Science at Scale meetup", "2026-11-26 18:00", "19:30", address="1 Yonge St"),
    ),
    (
        "Whitby Chamber Business After 5, Wed Nov 25, 5-7pm @ Brock Street Brewing,"
        " 1501 Hopkins St, Whitby",
        Want(
            "Whitby Chamber Business After 5",
            "2026-11-25 17:00",
            "19:00",
            "Brock Street Brewing",
            "1501 Hopkins St, Whitby",
        ),
    ),
    (
        "Networking breakfast 8-9:30 next Tuesday @ Oshawa Golf Club",
        Want(
            "Networking breakfast",
            "2026-11-24 08:00",
            "09:30",
            "Oshawa Golf Club",
            notes=(
                "no am/pm: read as 08:00–09:30",
                "“next Tuesday” read as the coming Tuesday, 24 November",
            ),
        ),
    ),
    (
        "Meetup: Rust Toronto, Mon 6:30pm, 2 hours, Bitmaker, 220 King St W",
        Want("Meetup: Rust Toronto", "2026-11-23 18:30", "20:30", "Bitmaker", "220 King St W"),
    ),
    (
        "Founders drinks tonight at 8, Bar Raval, 505 College St",
        Want(
            "Founders drinks",
            "2026-11-23 20:00",
            "21:30",
            "Bar Raval",
            "505 College St",
            notes=("no am/pm: 8 read as 20:00",),
        ),
    ),
    (
        "Hack night Tue 9:45pm-11:30pm @ Bento Miso, 862 Richmond St W",
        Want("Hack night", "2026-11-24 21:45", "23:30", "Bento Miso", "862 Richmond St W"),
    ),
    (
        "Sun Life mixer Sat 3pm @ 1 York St",
        Want("Sun Life mixer", "2026-11-28 15:00", "16:30", address="1 York St"),
    ),
    (
        "Black Friday Founders Brunch, Fri 11am–1pm, Kitchen 24, 100 Front St W",
        Want(
            "Black Friday Founders Brunch",
            "2026-11-27 11:00",
            "13:00",
            "Kitchen 24",
            "100 Front St W",
        ),
    ),
    (
        "Intro to Figma workshop 11/28 1-4pm, Toronto Reference Library, 789 Yonge St $10",
        Want(
            "Intro to Figma workshop",
            "2026-11-28 13:00",
            "16:00",
            "Toronto Reference Library",
            "789 Yonge St",
            cost=10,
        ),
    ),
    (
        "Coffee & Code 7-9am Wed @ Page One Cafe, 106 Mutual St",
        Want("Coffee & Code", "2026-11-25 07:00", "09:00", "Page One Cafe", "106 Mutual St"),
    ),
    (
        "Leadership roundtable Dec 1 from 17:30 to 19:00 @ KPMG, 333 Bay St, Toronto",
        Want("Leadership roundtable", "2026-12-01 17:30", "19:00", "KPMG", "333 Bay St, Toronto"),
    ),
    (
        "LinkedIn Local Durham — Thursday 6 PM — Whitby",
        Want("LinkedIn Local Durham", "2026-11-26 18:00", "19:30", "Whitby"),
    ),
    (
        "Board game social this Friday 7pm - The Rec Room, 255 Bremner Blvd",
        Want("Board game social", "2026-11-27 19:00", "20:30", "The Rec Room", "255 Bremner Blvd"),
    ),
    (
        "Toronto Product Managers | Nov 24 | 6:00-8:00 PM | Spaces, 140 Yonge St | Free",
        Want(
            "Toronto Product Managers",
            "2026-11-24 18:00",
            "20:00",
            "Spaces",
            "140 Yonge St",
            cost=0,
        ),
    ),
    (
        "Investor office hours on the 27th, 2-4pm, via Google Meet",
        Want(
            "Investor office hours",
            "2026-11-27 14:00",
            "16:00",
            "Google Meet",
            online=True,
            notes=("no month: “on the 27th” read as 27 November",),
        ),
    ),
    (
        "Speed networking Wednesday 25 November 2026, 6:30pm-8pm, Oshawa City Hall,"
        " 50 Centre St S, Oshawa, $5",
        Want(
            "Speed networking",
            "2026-11-25 18:30",
            "20:00",
            "Oshawa City Hall",
            "50 Centre St S, Oshawa",
            cost=5,
        ),
    ),
    (
        "Women Who Code: resume review Thursday noon-1pm online",
        Want(
            "Women Who Code: resume review",
            "2026-11-26 12:00",
            "13:00",
            "online",
            online=True,
        ),
    ),
    (
        "Web3 Toronto after work drinks, Fri Nov 27 6 to 9, Craft Beer Market, 1 Adelaide St E",
        Want(
            "Web3 Toronto after work drinks",
            "2026-11-27 18:00",
            "21:00",
            "Craft Beer Market",
            "1 Adelaide St E",
            notes=("no am/pm: read as 18:00–21:00",),
        ),
    ),
    (
        "Shopify Dev Meetup (Dec 2, 6-9pm) - 620 King St W",
        Want("Shopify Dev Meetup", "2026-12-02 18:00", "21:00", address="620 King St W"),
    ),
    (
        "CTO breakfast Thu 7:30-9 a.m. at Soho House, 192 Adelaide St W",
        Want("CTO breakfast", "2026-11-26 07:30", "09:00", "Soho House", "192 Adelaide St W"),
    ),
    (
        "Toronto Bitcoin Meetup on Tuesday at 7 o'clock, The Pilot, 22 Cumberland St",
        Want(
            "Toronto Bitcoin Meetup",
            "2026-11-24 19:00",
            "20:30",
            "The Pilot",
            "22 Cumberland St",
            notes=("no am/pm: 7 o'clock read as 19:00",),
        ),
    ),
    (
        "GDG DevFest watch party Sat, Nov 28 · 10:00 AM – 3:00 PM EST · Google Toronto,"
        " 111 Richmond St W",
        Want(
            "GDG DevFest watch party",
            "2026-11-28 10:00",
            "15:00",
            "Google Toronto",
            "111 Richmond St W",
        ),
    ),
    (
        "Career fair Nov 25 10am - 3pm @ Metro Toronto Convention Centre, 255 Front St W",
        Want(
            "Career fair",
            "2026-11-25 10:00",
            "15:00",
            "Metro Toronto Convention Centre",
            "255 Front St W",
        ),
    ),
    (
        "Drinks w/ the Toronto UX crowd tmrw 6pm @ Bar Hop, 391 King St W",
        Want(
            "Drinks w/ the Toronto UX crowd",
            "2026-11-24 18:00",
            "19:30",
            "Bar Hop",
            "391 King St W",
        ),
    ),
    (
        "Pitch practice Thurs. 5:30p - 7p at DMZ, 10 Dundas St E",
        Want("Pitch practice", "2026-11-26 17:30", "19:00", "DMZ", "10 Dundas St E"),
    ),
    (
        "Toronto Angular meetup Wednesday, 25th November at 6pm, Myplanet, 252 Adelaide St E",
        Want(
            "Toronto Angular meetup", "2026-11-25 18:00", "19:30", "Myplanet", "252 Adelaide St E"
        ),
    ),
    (
        "Fireside chat with a VC — Nov. 30 @ 6 — Osler, 100 King St W, 1 First Canadian Place",
        Want(
            "Fireside chat with a VC",
            "2026-11-30 18:00",
            "19:30",
            "Osler",
            "100 King St W, 1 First Canadian Place",
            notes=("no am/pm: 6 read as 18:00",),
        ),
    ),
    (
        "Cybersecurity lunch Dec 2 11:30-1 at Deloitte, 8 Adelaide St W",
        Want(
            "Cybersecurity lunch",
            "2026-12-02 11:30",
            "13:00",
            "Deloitte",
            "8 Adelaide St W",
            notes=("no am/pm: read as 11:30–13:00",),
        ),
    ),
    (
        "Trivia night @ Betty's, 240 King St E, Thursday 8pm, $10 cash",
        Want("Trivia night", "2026-11-26 20:00", "21:30", "Betty's", "240 King St E", cost=10),
    ),
    (
        "Remote Work Meetup online Tue Dec 1 12pm",
        Want("Remote Work Meetup", "2026-12-01 12:00", "13:30", "online", online=True),
    ),
    (
        "Rotary Club lunch Wednesday 12:15 @ Royal York, 100 Front St W, $45",
        Want(
            "Rotary Club lunch",
            "2026-11-25 12:15",
            "13:45",
            "Royal York",
            "100 Front St W",
            cost=45,
        ),
    ),
    (
        "CPA networking evening, 26 November, 17:30–19:30, Arcadian Court, 401 Bay St, 8th floor",
        Want(
            "CPA networking evening",
            "2026-11-26 17:30",
            "19:30",
            "Arcadian Court",
            "401 Bay St, 8th floor",
        ),
    ),
    (
        "OCAD Grad show opening Nov 27 from 6 to 10pm @ 100 McCaul St, free admission",
        Want(
            "OCAD Grad show opening", "2026-11-27 18:00", "22:00", address="100 McCaul St", cost=0
        ),
    ),
    (
        "Toronto Hardware meetup tomorrow 6:30pm 2h @ Hackerspace, 1266 Queen St W",
        Want(
            "Toronto Hardware meetup", "2026-11-24 18:30", "20:30", "Hackerspace", "1266 Queen St W"
        ),
    ),
    (
        "Angel investor panel 12/3 7pm, Torys LLP, 79 Wellington St W",
        Want(
            "Angel investor panel",
            "2026-12-03 19:00",
            "20:30",
            "Torys LLP",
            "79 Wellington St W",
            notes=("“12/3” read as month/day, 3 December: nearer than 12 March 2027",),
        ),
    ),
    (
        "Blockchain breakfast 3 Dec 8am–9:30am @ 130 King St W",
        Want("Blockchain breakfast", "2026-12-03 08:00", "09:30", address="130 King St W"),
    ),
    (
        "YYZ Product Hunt meetup, Friday the 27th, 6-8 PM, Spacing, 401 Richmond St W",
        Want(
            "YYZ Product Hunt meetup", "2026-11-27 18:00", "20:00", "Spacing", "401 Richmond St W"
        ),
    ),
    (
        "Marketing mixer next week Thursday 6pm @ 1 Dundas St W",
        Want("Marketing mixer", "2026-12-03 18:00", "19:30", address="1 Dundas St W"),
    ),
    (
        "PM Happy Hour Thursday at 5:30 at Jack Astor's, 144 Front St W",
        Want(
            "PM Happy Hour",
            "2026-11-26 17:30",
            "19:00",
            "Jack Astor's",
            "144 Front St W",
            notes=("no am/pm: 5:30 read as 17:30",),
        ),
    ),
    (
        "Oshawa Chamber Breakfast Dec 4, 7:00–9:00 a.m., Jubilee Pavilion, 55 Lakeview Park Ave,"
        " Oshawa — $35",
        Want(
            "Oshawa Chamber Breakfast",
            "2026-12-04 07:00",
            "09:00",
            "Jubilee Pavilion",
            "55 Lakeview Park Ave, Oshawa",
            cost=35,
        ),
    ),
    (
        "Tech Talk: Scaling Postgres — Tue Nov 24 6pm EST — Zoom https://zoom.us/j/123456789",
        Want("Tech Talk: Scaling Postgres", "2026-11-24 18:00", "19:30", "Zoom", online=True),
    ),
    (
        "Book launch party Thu 26 Nov 19:00 – 21:00, Type Books, 883 Queen St W",
        Want("Book launch party", "2026-11-26 19:00", "21:00", "Type Books", "883 Queen St W"),
    ),
    (
        "Mississauga Tech Meetup | Wednesday 6:30pm | Square One, 100 City Centre Dr, Mississauga",
        Want(
            "Mississauga Tech Meetup",
            "2026-11-25 18:30",
            "20:00",
            "Square One",
            "100 City Centre Dr, Mississauga",
        ),
    ),
    (
        "Coffee with Sam Wednesday 3:30pm @ Sam James Coffee Bar, 297 Harbord St",
        Want(
            "Coffee with Sam",
            "2026-11-25 15:30",
            "17:00",
            "Sam James Coffee Bar",
            "297 Harbord St",
        ),
    ),
    (
        "Friday Nov 27: Toronto Climate Tech drinks 6-9pm @ Northern Climate Hub, 180 Shaw St",
        Want(
            "Toronto Climate Tech drinks",
            "2026-11-27 18:00",
            "21:00",
            "Northern Climate Hub",
            "180 Shaw St",
        ),
    ),
    (
        "Social Media Week opening keynote, Mon. Nov 30, 9:00 - 10:30, Design Exchange, 234 Bay St",
        Want(
            "Social Media Week opening keynote",
            "2026-11-30 09:00",
            "10:30",
            "Design Exchange",
            "234 Bay St",
        ),
    ),
    (
        "Meetup: Toronto Elixir, December 2nd @ 6:30pm, Wealthsimple, 860 Richmond St W",
        Want(
            "Meetup: Toronto Elixir",
            "2026-12-02 18:30",
            "20:00",
            "Wealthsimple",
            "860 Richmond St W",
        ),
    ),
    (
        "Vancouver founders call Wed 4pm PST on Zoom",
        Want(
            "Vancouver founders call",
            "2026-11-25 19:00",
            "20:30",
            "Zoom",
            online=True,
            notes=("written in PST: 16:00 there is 19:00 here",),
        ),
    ),
    (
        "Online Marketing Meetup Thu 6pm",
        Want("Online Marketing Meetup", "2026-11-26 18:00", "19:30", notes=("no place given",)),
    ),
    (
        "Building Great Teams workshop Thu 6pm",
        Want("Building Great Teams workshop", "2026-11-26 18:00", "19:30"),
    ),
    (
        "Intro to 3D printing, Thu 6pm",
        Want("Intro to 3D printing", "2026-11-26 18:00", "19:30"),
    ),
    (
        "Webinar: Cloud costs, Wed 1-2pm",
        Want("Webinar: Cloud costs", "2026-11-25 13:00", "14:00", "online", online=True),
    ),
    (
        "Ages 6-8 coding club Sat 10am @ 1 Main St",
        Want("Ages 6-8 coding club", "2026-11-28 10:00", "11:30", address="1 Main St"),
    ),
    (
        "Drinks 6-8 at Bar Raval, 505 College St on Friday",
        Want("Drinks", "2026-11-27 18:00", "20:00", "Bar Raval", "505 College St"),
    ),
    (
        "Demo day Thu 26 Nov, doors 5:30pm, talks until 9",
        Want("Demo day", "2026-11-26 17:30", "21:00"),
    ),
    (
        "Pitch night Fri 6pm-late, The Drake, 1150 Queen St W",
        Want("Pitch night", "2026-11-27 18:00", "19:30", "The Drake", "1150 Queen St W"),
    ),
    (
        "PMI dinner Nov 26 6pm $15 members / $25 non-members",
        Want(
            "PMI dinner",
            "2026-11-26 18:00",
            "19:30",
            cost=15,
            notes=("several prices: the first, $15, taken",),
        ),
    ),
    (
        "Founders brunch Sunday 11-2 @ Lady Marmalade, 265 Broadview Ave",
        Want(
            "Founders brunch",
            "2026-11-29 11:00",
            "14:00",
            "Lady Marmalade",
            "265 Broadview Ave",
        ),
    ),
    (
        "Mentoring session Monday 8am",
        Want(
            "Mentoring session",
            "2026-11-30 08:00",
            "09:30",
            notes=("“Monday” read as next week's, 30 November: today's has begun",),
        ),
    ),
    (
        "Monday 10am investor update call on Teams",
        Want("investor update call", "2026-11-23 10:00", "11:30", "Teams", online=True),
    ),
    (
        "Holiday party Dec 12, 7pm-1am @ The Great Hall, 1087 Queen St W",
        Want(
            "Holiday party",
            "2026-12-12 19:00",
            "2026-12-13 01:00",
            "The Great Hall",
            "1087 Queen St W",
        ),
    ),
    (
        "Pancakes & Product, 9am Sat",
        Want("Pancakes & Product", "2026-11-28 09:00", "10:30"),
    ),
    (
        "Toronto AI meetup — Wed. Nov. 25 — 6:00 p.m. to 8:30 p.m. — Vector Institute,"
        " 661 University Ave, Suite 710",
        Want(
            "Toronto AI meetup",
            "2026-11-25 18:00",
            "20:30",
            "Vector Institute",
            "661 University Ave, Suite 710",
        ),
    ),
    (
        "Crypto breakfast club Friday at 8 for 90 min, Hotel X, 111 Princes' Blvd",
        Want(
            "Crypto breakfast club",
            "2026-11-27 08:00",
            "09:30",
            "Hotel X",
            "111 Princes' Blvd",
            notes=("no am/pm: 8 read as 08:00",),
        ),
    ),
    (
        "Drinks Thu 7ish @ Bar Raval",
        Want(
            "Drinks",
            "2026-11-26 19:00",
            "20:30",
            "Bar Raval",
            notes=("no am/pm: 7ish read as 19:00",),
        ),
    ),
    (
        "Scale-up summit Dec 8-9, 255 Front St W",
        Want(
            "Scale-up summit",
            "2026-12-08 17:00",
            "18:30",
            address="255 Front St W",
            notes=(
                "several days (to the 9): the first, 8 December, taken",
                "no start time: 17:00 assumed",
            ),
        ),
    ),
    (
        "Coffee 9 am Mon @ Balzac's, 1 Trinity St",
        Want("Coffee", "2026-11-23 09:00", "10:30", "Balzac's", "1 Trinity St"),
    ),
    (
        "Breakfast with the Durham Region CIO forum 8am Thursday, Oshawa Golf Club",
        Want(
            "Breakfast with the Durham Region CIO forum",
            "2026-11-26 08:00",
            "09:30",
            "Oshawa Golf Club",
        ),
    ),
    (
        "Holiday mixer Dec 1 (no start time yet) @ 1 Dundas St W",
        Want(
            "Holiday mixer",
            "2026-12-01 17:00",
            "18:30",
            address="1 Dundas St W",
            notes=("no start time: 17:00 assumed",),
        ),
    ),
]
FRENCH: list[Case] = [
    (
        "jeudi 26 novembre 18h-20h Apéro networking @ Café Cléopâtre, 1230 boul. Saint-Laurent,"
        " Montréal",
        Want(
            "Apéro networking",
            "2026-11-26 18:00",
            "20:00",
            "Café Cléopâtre",
            "1230 boul. Saint-Laurent, Montréal",
        ),
    ),
    (
        "Soirée French Tech le mardi 1er décembre de 18h30 à 21h, chez Shopify, 490 rue de la"
        " Gauchetière O, Montréal, gratuit",
        Want(
            "Soirée French Tech",
            "2026-12-01 18:30",
            "21:00",
            "Shopify",
            "490 rue de la Gauchetière O, Montréal",
            cost=0,
        ),
    ),
    (
        "Petit-déjeuner des entrepreneurs demain 8h-9h30 au Café Olimpico, 124 rue Saint-Viateur O",
        Want(
            "Petit-déjeuner des entrepreneurs",
            "2026-11-24 08:00",
            "09:30",
            "Café Olimpico",
            "124 rue Saint-Viateur O",
        ),
    ),
    (
        "Conférence IA vendredi prochain à 19h, en ligne",
        Want("Conférence IA", "2026-11-27 19:00", "20:30", "en ligne", online=True),
    ),
    (
        "Atelier LinkedIn mercredi 25 nov. 12h-13h, 15 €",
        Want("Atelier LinkedIn", "2026-11-25 12:00", "13:00", cost=15),
    ),
    (
        "Afterwork Tech ce soir 18h30 au Bar Furco, 425 rue Mayor, Montréal #social",
        Want(
            "Afterwork Tech",
            "2026-11-23 18:30",
            "20:00",
            "Bar Furco",
            "425 rue Mayor, Montréal",
            category="social",
        ),
    ),
]
SPANISH: list[Case] = [
    (
        "el jueves 26 de noviembre a las 18:00 Networking en Impact Hub, Calle de Alcalá 22,"
        " Madrid",
        Want(
            "Networking",
            "2026-11-26 18:00",
            "19:30",
            "Impact Hub",
            "Calle de Alcalá 22, Madrid",
        ),
    ),
    (
        "Meetup de Python Madrid, martes 24 de noviembre, de 19:00 a 21:00, Campus Madrid,"
        " Calle Moreno Nieto 2, gratis",
        Want(
            "Meetup de Python Madrid",
            "2026-11-24 19:00",
            "21:00",
            "Campus Madrid",
            "Calle Moreno Nieto 2",
            cost=0,
        ),
    ),
    (
        "Desayuno de emprendedores mañana de 8 a 9:30 en WeWork, Paseo de la Castellana 43",
        Want(
            "Desayuno de emprendedores",
            "2026-11-24 08:00",
            "09:30",
            "WeWork",
            "Paseo de la Castellana 43",
        ),
    ),
    (
        "Charla sobre IA el próximo viernes a las 19h, online",
        Want(
            "Charla sobre IA",
            "2026-11-27 19:00",
            "20:30",
            "online",
            online=True,
            notes=("“el próximo viernes” read as the coming Friday, 27 November",),
        ),
    ),
    (
        "Afterwork de marketing hoy a las 7 de la tarde en La Tape, Calle San Bernardo 8, 10 €",
        Want(
            "Afterwork de marketing",
            "2026-11-23 19:00",
            "20:30",
            "La Tape",
            "Calle San Bernardo 8",
            cost=10,
        ),
    ),
]
GERMAN: list[Case] = [
    (
        "Donnerstag, 26. November, 18–20 Uhr: Stammtisch im Betahaus, Prinzessinnenstraße 19,"
        " Berlin",
        Want(
            "Stammtisch",
            "2026-11-26 18:00",
            "20:00",
            "Betahaus",
            "Prinzessinnenstraße 19, Berlin",
        ),
    ),
    (
        "Startup-Frühstück morgen 8:30 Uhr bei Factory Berlin, Rheinsberger Str. 76/77",
        Want(
            "Startup-Frühstück",
            "2026-11-24 08:30",
            "10:00",
            "Factory Berlin",
            "Rheinsberger Str. 76/77",
        ),
    ),
    (
        "Tech-Meetup am Mittwoch, 25.11., 19 Uhr, Online-Event #tech",
        Want("Tech-Meetup", "2026-11-25 19:00", "20:30", "online", online=True, category="tech"),
    ),
    (
        "Netzwerkabend nächsten Freitag von 18 bis 21 Uhr, Eintritt frei, im Impact Hub,"
        " Friedrichstraße 246, Berlin",
        Want(
            "Netzwerkabend",
            "2026-11-27 18:00",
            "21:00",
            "Impact Hub",
            "Friedrichstraße 246, Berlin",
            cost=0,
        ),
    ),
    (
        "Lunch & Learn: Kubernetes, Di 1.12., 12:00–13:00, bei SAP, Rosenthaler Str. 30",
        Want(
            "Lunch & Learn: Kubernetes",
            "2026-12-01 12:00",
            "13:00",
            "SAP",
            "Rosenthaler Str. 30",
        ),
    ),
]
# Lines that are no event, each with the reason the user is shown.
NOT_EVENTS: list[Case] = [
    ("asdfgh qwerty", Fails("no date or day found")),
    ("TBD", Fails("the date is still to be announced")),
    ("Holiday party — date TBD @ 100 King St W", Fails("the date is still to be announced")),
    ("Networking drinks at 6pm", Fails("a time but no day")),
    ("Toronto Tech Week is coming soon!", Fails("no date or day found")),
    ("Feb 30 6pm Fake event", Fails("“Feb 30” is not a date")),
    ("Nov 26 6pm", Fails("no title")),
    ("Soirée networking, date à confirmer", Fails("the date is still to be announced")),
]
CASES = ENGLISH + FRENCH + SPANISH + GERMAN + NOT_EVENTS


def _case_id(case: Case) -> str:
    return case[0][:40]


@pytest.mark.parametrize(("text", "want"), CASES, ids=[_case_id(c) for c in CASES])
def test_phrasings(text: str, want: Want | Fails) -> None:
    if isinstance(want, Fails):
        with pytest.raises(ValueError, match=want.reason):
            parse_line(text, settings=SETTINGS, reference=REFERENCE)
        return
    parsed = parse_line(text, settings=SETTINGS, reference=REFERENCE)
    event = parsed.event
    start = at(want.start)
    end = at(want.end) if len(want.end) > 5 else at(f"{want.start[:10]} {want.end}")
    assert (event.summary, event.start, event.end) == (want.title, start, end)
    assert event.start.tzinfo == TORONTO
    assert (event.place.name, event.place.address, event.place.virtual) == (
        want.venue,
        want.address,
        want.online,
    )
    assert event.cost == want.cost
    assert event.category == want.category
    for note in want.notes:
        assert note in parsed.assumed
    if not (want.venue or want.address):
        assert "no place given" in parsed.assumed


def test_the_table_covers_sixty_english_phrasings_and_four_of_each_other_language() -> None:
    assert len(ENGLISH) >= 60
    assert min(len(FRENCH), len(SPANISH), len(GERMAN)) >= 4
    assert len(NOT_EVENTS) >= 5


# --- What a parsed line carries besides the event --------------------------------------


def test_spans_point_at_the_text_each_part_was_read_from() -> None:
    text = "PMI mixer next Thu 6-8pm @ 100 King St W $25 #professional"
    parsed = parse_line(text, settings=SETTINGS, reference=REFERENCE)

    def read(part: Part) -> list[str]:
        return [text[start:end] for start, end in parsed.spans_of(part)]

    assert read("title") == ["PMI mixer"]
    assert read("day") == ["next Thu"]
    assert read("start") == ["6"]
    assert read("end") == ["8pm"]
    assert read("place") == ["@ 100 King St W"]
    assert read("cost") == ["$25"]
    assert read("category") == ["#professional"]


def test_assumptions_are_filed_under_the_part_they_concern() -> None:
    parsed = parse_line("Founders drinks tonight at 8", settings=SETTINGS, reference=REFERENCE)
    assert parsed.assumed_about("start") == ("no am/pm: 8 read as 20:00",)
    assert parsed.assumed_about("end") == (NO_END,)
    assert parsed.assumed_about("place") == ("no place given",)
    assert parsed.assumed_about("cost") == ()


def test_tonight_without_a_time_starts_at_seven() -> None:
    parsed = parse_line("Founders drinks tonight", settings=SETTINGS, reference=REFERENCE)
    assert parsed.event.start == at("2026-11-23 19:00")
    assert "“tonight”: 19:00 assumed" in parsed.assumed


def test_the_default_length_is_the_callers() -> None:
    parsed = parse_line(
        "Coffee chat Thu 3pm", settings=SETTINGS, reference=REFERENCE, default_minutes=45
    )
    assert parsed.event.end == at("2026-11-26 15:45")
    assert "no end time: 45 minutes assumed" in parsed.assumed


def test_relative_days_follow_the_week_on_screen_not_the_clock() -> None:
    later = datetime(2027, 3, 1, 9, 0, tzinfo=TORONTO)  # a Monday three months on
    parsed = parse_line("PMI mixer next Thu 6-8pm", settings=SETTINGS, reference=later)
    assert parsed.event.start == at("2027-03-04 18:00")
    parsed = parse_line("Coffee tomorrow 8am", settings=SETTINGS, reference=later)
    assert parsed.event.start == at("2027-03-02 08:00")


def test_a_date_without_a_year_is_the_next_one_including_the_reference_day() -> None:
    today = parse_line("Standup party Nov 23 6pm", settings=SETTINGS, reference=REFERENCE)
    assert today.event.start == at("2026-11-23 18:00")
    past = parse_line("Standup party Nov 20 6pm", settings=SETTINGS, reference=REFERENCE)
    assert past.event.start == at("2027-11-20 18:00")
    assert "no year: the next 20 November (2027)" in past.assumed


def test_a_naive_reference_is_taken_in_the_users_zone() -> None:
    parsed = parse_line(
        "Coffee tomorrow 8am", settings=SETTINGS, reference=REFERENCE.replace(tzinfo=None)
    )
    assert parsed.event.start == at("2026-11-24 08:00")


def test_times_are_in_the_settings_zone() -> None:
    berlin = Settings(timezone="Europe/Berlin")
    parsed = parse_line("Stammtisch Do 18–20 Uhr", settings=berlin, reference=REFERENCE)
    assert parsed.event.start == datetime(2026, 11, 26, 18, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    assert parsed.event.timezone == "Europe/Berlin"


def test_lengths_are_elapsed_time_across_a_dst_change() -> None:
    # Sunday 1 November 2026: clocks go back at 02:00 in Toronto.
    reference = datetime(2026, 10, 26, 9, 0, tzinfo=TORONTO)
    parsed = parse_line(
        "Night hack Sat Oct 31 11pm for 4 hours", settings=SETTINGS, reference=reference
    )
    assert parsed.event.duration == timedelta(hours=4)
    assert parsed.event.end == at("2026-11-01 02:00")  # 03:00 on the wall clock would be 5 h


def test_uids_are_stable_and_differ_by_text_and_day() -> None:
    def uid(text: str, reference: datetime = REFERENCE) -> str:
        return parse_line(text, settings=SETTINGS, reference=reference).event.uid

    first = uid("PMI mixer next Thu 6-8pm")
    assert first.startswith("quick-")
    assert uid("  pmi MIXER next thu   6-8pm ") == first
    assert uid("- PMI mixer next Thu 6-8pm") == first
    assert uid("PMI mixer next Thu 6-9pm") != first
    assert uid("PMI mixer next Thu 6-8pm", REFERENCE + timedelta(days=7)) != first


def test_a_tag_that_is_not_a_category_is_noted() -> None:
    parsed = parse_line("Hack night Thu 7pm #hackathon", settings=SETTINGS, reference=REFERENCE)
    assert parsed.event.categories == ("hackathon",)
    assert parsed.assumed_about("category") == (
        "“hackathon” is not one of your categories (professional, social, tech)",
    )


def test_a_link_is_kept_and_a_meeting_link_makes_the_event_online() -> None:
    parsed = parse_line(
        "AI demo night Thu 6pm, 181 Bay St, RSVP lu.ma/ai-toronto-demo",
        settings=SETTINGS,
        reference=REFERENCE,
    )
    assert parsed.event.url == "https://lu.ma/ai-toronto-demo"
    assert parsed.event.place == Place(address="181 Bay St")
    parsed = parse_line(
        "Standup Wed 9:30am https://teams.microsoft.com/l/meetup-join/abc",
        settings=SETTINGS,
        reference=REFERENCE,
    )
    assert parsed.event.place.virtual


def test_saved_places_and_home_are_recognised_by_name() -> None:
    office = Place(name="office", lat=43.85, lon=-79.33)
    settings = Settings(places=(SavedPlace(office, ("Allstate Pkwy",)),))
    parsed = parse_line(
        "Lunch & learn Thu noon @ the office", settings=settings, reference=REFERENCE
    )
    assert parsed.event.place == office
    parsed = parse_line("Board games at home Sat 7pm", settings=settings, reference=REFERENCE)
    assert parsed.event.place == settings.home


def test_languages_can_be_narrowed() -> None:
    with pytest.raises(ValueError, match="no day"):
        parse_line("Apéro jeudi 18h", settings=SETTINGS, reference=REFERENCE, languages=["en"])
    parsed = parse_line("Apéro jeudi 18h", settings=SETTINGS, reference=REFERENCE, languages=["fr"])
    assert parsed.event.start == at("2026-11-26 18:00")


def test_dateparser_is_imported_only_when_a_line_is_read() -> None:
    code = "import sys, planner.core.text.quick_add\nprint('dateparser' in sys.modules)\n"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()
    assert out == "False"


def test_reading_raises_no_warnings() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for text, want in CASES:
            if isinstance(want, Want):
                parse_line(text, settings=SETTINGS, reference=REFERENCE)


# --- Editing helpers the preview uses ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cost"),
    [
        ("free", 0.0),
        ("Free", 0.0),
        ("gratuit", 0.0),
        ("$25", 25.0),
        ("25", 25.0),
        ("12,50 €", 12.5),
        ("$12.50", 12.5),
        ("", None),
        ("  ", None),
    ],
)
def test_read_cost_text(text: str, cost: float | None) -> None:
    assert read_cost_text(text) == cost


def test_read_cost_text_refuses_words() -> None:
    with pytest.raises(ValueError, match="not a price"):
        read_cost_text("cheap")


def test_read_place_text() -> None:
    assert read_place_text("online", SETTINGS) == Place(name="online", virtual=True)
    assert read_place_text("Zoom", SETTINGS).virtual
    assert read_place_text("MaRS, 101 College St", SETTINGS) == Place("MaRS", "101 College St")
    assert read_place_text("100 King St W", SETTINGS) == Place(address="100 King St W")
    assert read_place_text("  ", SETTINGS) == Place()


# --- A pasted newsletter ------------------------------------------------------------------

NEWSLETTER = """\
# Toronto Tech Events – Week of November 23

**Monday, November 23**
- 6:30pm Rust Toronto @ Bitmaker, 220 King St W
- AI Tinkerers demo night, 7-9pm, MaRS, 101 College St #tech

TUESDAY NOV 24
* 12-1pm Webinar: Intro to PMP exam prep (Zoom) #professional
* Hack night 9:45pm @ Bento Miso, 862 Richmond St W

Thursday, November 26:
1. PMI mixer 6-8pm @ 100 King St W $25 #professional
2. Women in Tech Mixer 6pm, Spacing Store, 401 Richmond St W, Toronto
3. Networking drinks, details to follow

Also this week:
- Fri Nov 27, 11am–1pm: Black Friday Founders Brunch, Kitchen 24, 100 Front St W, $35
-----
"""


def test_parse_lines_reads_a_newsletter_with_headings_and_one_bad_line() -> None:
    parsed, failed = parse_lines(NEWSLETTER, settings=SETTINGS, reference=REFERENCE)

    assert [
        (p.line_number, p.event.summary, p.event.start, p.event.end, p.event.place.label)
        for p in parsed
    ] == [
        (4, "Rust Toronto", at("2026-11-23 18:30"), at("2026-11-23 20:00"), "Bitmaker"),
        (5, "AI Tinkerers demo night", at("2026-11-23 19:00"), at("2026-11-23 21:00"), "MaRS"),
        (
            8,
            "Webinar: Intro to PMP exam prep",
            at("2026-11-24 12:00"),
            at("2026-11-24 13:00"),
            "online",
        ),
        (9, "Hack night", at("2026-11-24 21:45"), at("2026-11-24 23:15"), "Bento Miso"),
        (12, "PMI mixer", at("2026-11-26 18:00"), at("2026-11-26 20:00"), "100 King St W"),
        (
            13,
            "Women in Tech Mixer",
            at("2026-11-26 18:00"),
            at("2026-11-26 19:30"),
            "Spacing Store",
        ),
        (
            17,
            "Black Friday Founders Brunch",
            at("2026-11-27 11:00"),
            at("2026-11-27 13:00"),
            "Kitchen 24",
        ),
    ]
    assert [p.event.category for p in parsed] == [
        "",
        "tech",
        "professional",
        "",
        "professional",
        "",
        "",
    ]
    assert parsed[4].event.cost == 25
    assert parsed[6].event.cost == 35
    assert "the day from the heading “Thursday, November 26”" in parsed[4].assumed
    assert parsed[6].assumed_about("day") == ("no year: the next 27 November (2026)",)
    assert failed == [
        Unparsed(
            14,
            "3. Networking drinks, details to follow",
            "no time, under “Thursday, November 26”: say when it starts",
        )
    ]


def test_parse_lines_lists_gibberish_but_skips_blank_lines_and_headings() -> None:
    text = "UPCOMING EVENTS\n\nProfessional Associations\nasdf qwer\n=====\nCoffee Thu 8am\n"
    parsed, failed = parse_lines(text, settings=SETTINGS, reference=REFERENCE)
    assert [p.line_number for p in parsed] == [6]
    assert [(u.line_number, u.reason) for u in failed] == [(4, "no date or day found")]


def test_parse_lines_results_are_typed() -> None:
    parsed, failed = parse_lines("Coffee Thu 8am\nnonsense", settings=SETTINGS, reference=REFERENCE)
    assert all(isinstance(p, Parsed) for p in parsed)
    assert all(isinstance(u, Unparsed) for u in failed)
